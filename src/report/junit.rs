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
use std::fmt::Write as _;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::Reporter;
use super::summary::Summary;
use super::view::{ItemView, Judgement, judged_items};
use super::words;
use crate::audit::Audit;
use crate::eval::{Tri, Verdict};
use crate::finding::{Check, Finding, Severity};
use crate::input::InputError;

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

impl Reporter for JunitReport {
    fn letter(&mut self, _out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        let path = audit.source.path().display().to_string();
        self.added.insert(path.clone());
        let mut suite = TestSuite::new(path.as_str());
        if let Some(case) = &audit.letter.case_number {
            suite.add_property(Property::new("case-number", case.value.as_str()));
        }
        suite.add_property(Property::new("layout", audit.letter.layout.to_string()));

        let parse_errors: Vec<&Finding> = audit
            .findings
            .iter()
            .filter(|f| f.check == Check::Parse && f.severity == Severity::Error)
            .collect();
        if !parse_errors.is_empty() {
            suite.add_test_case(parse_case(&path, &parse_errors));
        }
        let by_item = super::view::findings_by_item(audit);
        for view in judged_items(audit, None) {
            let own = by_item.get(&view.index).map_or(&[][..], Vec::as_slice);
            suite.add_test_case(item_case(&path, &view, own));
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
        Ok(())
    }

    /// Reported from the summary in `finish`, with the letters that had no item.
    fn unreadable(&mut self, _out: &mut dyn Write, _error: &InputError) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
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
            let mut case = TestCase::new(Check::Parse.id(), status);
            case.set_classname(Check::Parse.id());
            suite.add_test_case(case);
            report.add_test_suite(suite);
        }
        // Paths not audited: one suite, a case each, skipped (a choice) or
        // in error (a problem).
        if !summary.skipped.is_empty() {
            let mut suite = TestSuite::new("paths not audited");
            for skipped in &summary.skipped {
                let mut status = if skipped.problem {
                    TestCaseStatus::non_success(NonSuccessKind::Error)
                } else {
                    TestCaseStatus::skipped()
                };
                status
                    .set_message(skipped.reason.as_str())
                    .set_type("skipped");
                let mut case = TestCase::new(skipped.path.as_str(), status);
                case.set_classname("not-audited");
                suite.add_test_case(case);
            }
            report.add_test_suite(suite);
        }
        let xml = report.to_string().map_err(io::Error::other)?;
        // XML 1.0 allows no control character but tab and line breaks.
        out.write_all(crate::text::visible::markup(&xml).as_bytes())
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
        .set_type(Check::Parse.id())
        .set_description(description.join("\n"));
    let mut case = TestCase::new(Check::Parse.id(), status);
    case.set_classname(Check::Parse.id());
    case
}

fn item_case(path: &str, view: &ItemView, own: &[&Finding]) -> TestCase {
    let name = format!("item {}: {}", view.index, view.request_folded());
    let classname = view.rule_id().to_owned();
    let judgement = view.judgement.as_ref().expect("check reports judged items");
    let decision = view.decision.map_or("none", |d| d.value.into());
    let expected = judgement.expected.map_or("nothing", |e| e.into());
    let status = match judgement.verdict {
        Verdict::Agree => TestCaseStatus::success(),
        Verdict::Conflict => {
            let finding = own.iter().find(|f| f.check == Check::DecisionConflict);
            let message = finding.map_or_else(
                || {
                    format!(
                        "item {} is {decision} but {classname} implies {expected}",
                        view.index
                    )
                },
                |f| f.message.clone(),
            );
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(message)
                .set_type(Check::DecisionConflict.id())
                .set_description(evidence_lines(path, view, judgement));
            status
        }
        Verdict::Undetermined => {
            let mut status = TestCaseStatus::skipped();
            let why = if view.decision.is_none() {
                "the letter states no decision for this item".to_owned()
            } else {
                judgement.reasons.join("; ")
            };
            status
                .set_message(format!("{}: {why}", Verdict::Undetermined))
                .set_type(Verdict::Undetermined.to_string());
            status
        }
        Verdict::Uncovered => {
            let mut status = TestCaseStatus::skipped();
            status
                .set_message(format!(
                    "{}: no rule in the pack applies to this request",
                    Verdict::Uncovered
                ))
                .set_type(Verdict::Uncovered.to_string());
            status
        }
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(classname);
    let others: Vec<String> = own
        .iter()
        .filter(|f| f.check != Check::DecisionConflict)
        .map(|f| line_of(path, f))
        .collect();
    if !others.is_empty() {
        case.set_system_out(others.join("\n") + "\n");
    }
    case
}

/// The lines that decided a conflict: the decision, then each met criterion's evidence.
fn evidence_lines(path: &str, view: &ItemView, judgement: &Judgement) -> String {
    let mut out = String::new();
    if let Some(d) = view.decision {
        let _ = writeln!(
            out,
            "{path}:{}:{}: decision {}",
            d.span.line, d.span.column, d.value
        );
    }
    if let Some(rule) = judgement.rule {
        let _ = writeln!(out, "rule {} ({})", rule.id, rule.title);
    }
    for reason in judgement.reasons {
        let _ = writeln!(out, "reason: {reason}");
    }
    for criterion in &judgement.criteria {
        if criterion.status != Tri::Met {
            continue;
        }
        let status = words(criterion.status);
        let (fact, title) = (criterion.fact, criterion.title);
        let _ = writeln!(out, "{} {status}: {fact} — {title}", criterion.role);
        out.extend(criterion.evidence().map(|e| {
            let at = format!("{path}:{}:{}", e.line, e.column);
            format!("  {at}: ({}) \"{}\"\n", e.context, e.text)
        }));
    }
    out
}
