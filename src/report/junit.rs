//! `check --format junit`: JUnit XML for CI dashboards.
//!
//! One `<testsuite>` per letter (named by its path), one `<testcase>` per
//! disputed item: `item N: <request under review>`, classname the rule id (or
//! `uncovered`). A conflict is a `<failure>` whose message is the
//! decision-conflict finding and whose text lists the evidence lines; an
//! uncovered or undetermined item is `<skipped>`; agreement passes. A letter
//! with parse errors gets a `parse` test case in error. Other findings go to
//! `<system-out>`: an item's in its test case, the letter's in its suite.
//! No timestamps or durations are written, so the bytes are reproducible.

use std::collections::BTreeSet;
use std::fmt::Write;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use crate::audit::Audit;
use crate::eval::{ItemEvaluation, Tri, Verdict};
use crate::finding::{Check, Finding, Severity};
use crate::letter::Item;
use crate::report::Accumulator;
use crate::report::summary::Summary;

/// Builds the JUnit report letter by letter.
pub struct JunitReport {
    suites: Vec<TestSuite>,
    added: BTreeSet<String>,
}

impl Default for JunitReport {
    fn default() -> Self {
        JunitReport::new()
    }
}

impl JunitReport {
    pub fn new() -> JunitReport {
        JunitReport {
            suites: Vec::new(),
            added: BTreeSet::new(),
        }
    }
}

impl Accumulator for JunitReport {
    fn add(&mut self, audit: &Audit) {
        let path = audit.source.path().display().to_string();
        self.added.insert(path.clone());
        let mut suite = TestSuite::new(path.as_str());
        if let Some(case) = &audit.letter.case_number {
            suite.add_property(Property::new("case-number", case.value.as_str()));
        }
        suite.add_property(Property::new("layout", <&str>::from(audit.letter.layout)));

        let parse_errors: Vec<&Finding> = audit
            .findings
            .iter()
            .filter(|f| f.check == Check::Parse && f.severity == Severity::Error)
            .collect();
        if !parse_errors.is_empty() {
            suite.add_test_case(parse_case(&path, &parse_errors));
        }
        for (item, evaluation) in audit.letter.items.iter().zip(&audit.evaluations) {
            suite.add_test_case(item_case(audit, &path, item, evaluation));
        }
        // Findings about the letter as a whole; an item's own are in its test case.
        let letter_level: Vec<String> = audit
            .findings
            .iter()
            .filter(|f| f.item.is_none())
            .map(|f| line_of(&path, f))
            .collect();
        if !letter_level.is_empty() {
            suite.set_system_out(letter_level.join("\n") + "\n");
        }
        self.suites.push(suite);
    }

    fn finish(self: Box<Self>, summary: &Summary) -> Vec<u8> {
        let mut report = Report::new("imr-audit");
        let JunitReport { suites, added } = *self;
        report.add_test_suites(suites);
        // Letters that could not be read at all never reached `add`.
        for path in summary.unreadable.iter().filter(|p| !added.contains(*p)) {
            let mut suite = TestSuite::new(path.as_str());
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_message("the letter could not be read at all")
                .set_type("read");
            let mut case = TestCase::new("parse", status);
            case.set_classname("parse");
            suite.add_test_case(case);
            report.add_test_suite(suite);
        }
        let mut bytes = Vec::new();
        report
            .serialize(&mut bytes)
            .expect("writing XML to memory cannot fail");
        bytes
    }
}

/// `path:line:column: severity[check] message`, the one-line form of a finding.
fn line_of(path: &str, finding: &Finding) -> String {
    let at = finding
        .primary()
        .map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
    format!(
        "{path}{at}: {}[{}] {}",
        finding.severity, finding.check, finding.message
    )
}

fn parse_case(path: &str, errors: &[&Finding]) -> TestCase {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    let message = if errors.len() == 1 {
        errors[0].message.clone()
    } else {
        format!("{} (and {} more)", errors[0].message, errors.len() - 1)
    };
    let description: Vec<String> = errors.iter().map(|f| line_of(path, f)).collect();
    status
        .set_message(message)
        .set_type("parse")
        .set_description(description.join("\n"));
    let mut case = TestCase::new("parse", status);
    case.set_classname("parse");
    case
}

fn item_case(audit: &Audit, path: &str, item: &Item, evaluation: &ItemEvaluation) -> TestCase {
    let name = format!(
        "item {}: {}",
        item.index,
        item.request
            .under_review
            .value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    let classname = evaluation
        .rule
        .as_ref()
        .map_or("uncovered", |r| r.id.as_str())
        .to_owned();
    let decision = item.decision.as_ref().map_or("none", |d| d.value.into());
    let expected = evaluation.expected.map_or("nothing", |e| e.into());
    let status = match evaluation.verdict {
        Verdict::Agree => TestCaseStatus::success(),
        Verdict::Conflict => {
            let finding = audit
                .findings
                .iter()
                .find(|f| f.check == Check::DecisionConflict && f.item == Some(item.index));
            let message = finding.map_or_else(
                || {
                    format!(
                        "item {} is {decision} but {classname} implies {expected}",
                        item.index
                    )
                },
                |f| f.message.clone(),
            );
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(message)
                .set_type("decision-conflict")
                .set_description(evidence_lines(path, item, evaluation));
            status
        }
        Verdict::Undetermined => {
            let mut status = TestCaseStatus::skipped();
            let why = if item.decision.is_none() {
                "the letter states no decision for this item".to_owned()
            } else {
                evaluation.reasons.join("; ")
            };
            status
                .set_message(format!("undetermined: {why}"))
                .set_type("undetermined");
            status
        }
        Verdict::Uncovered => {
            let mut status = TestCaseStatus::skipped();
            status
                .set_message("uncovered: no rule in the pack applies to this request")
                .set_type("uncovered");
            status
        }
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(classname);
    let others: Vec<String> = audit
        .findings
        .iter()
        .filter(|f| f.item == Some(item.index) && f.check != Check::DecisionConflict)
        .map(|f| line_of(path, f))
        .collect();
    if !others.is_empty() {
        case.set_system_out(others.join("\n") + "\n");
    }
    case
}

/// The lines that decided a conflict: the decision, then each met criterion's evidence.
fn evidence_lines(path: &str, item: &Item, evaluation: &ItemEvaluation) -> String {
    let mut out = String::new();
    if let Some(d) = &item.decision {
        let _ = writeln!(
            out,
            "{path}:{}:{}: decision {}",
            d.span.line, d.span.column, d.value
        );
    }
    if let Some(rule) = &evaluation.rule {
        let _ = writeln!(out, "rule {} ({})", rule.id, rule.title);
    }
    for reason in &evaluation.reasons {
        let _ = writeln!(out, "reason: {reason}");
    }
    for outcome in &evaluation.criteria {
        if outcome.status != Tri::Met {
            continue;
        }
        let _ = writeln!(
            out,
            "{} {}: {} — {}",
            outcome.role,
            crate::report::words(outcome.status),
            outcome.fact,
            outcome.title
        );
        for e in &outcome.evidence {
            let _ = writeln!(
                out,
                "  {path}:{}:{}: ({}) \"{}\"",
                e.line, e.column, e.context, e.text
            );
        }
    }
    out
}
