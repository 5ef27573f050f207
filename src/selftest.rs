//! Rule self-tests: each test in a rule file becomes a small letter in the
//! 2014 layout, runs through the whole pipeline with that rule, and its
//! verdict, facts and findings are compared with what the test expects.
//!
//! It sits beside [`crate::audit`] rather than in `rules/` because it runs
//! the pipeline (parse, evaluate, check): the pack itself depends on nothing
//! downstream of it.

use std::fmt::Write;

use crate::eval::{self, Tri};
use crate::letter;
use crate::rules::raw::{RawTest, TestDecision};
use crate::rules::{Pack, Rule};
use crate::source::Source;

/// The outcome of one rule test.
#[derive(Debug)]
pub struct TestResult {
    pub rule: String,
    pub file: String,
    pub name: String,
    /// Empty when the test passed; otherwise each line says what differed.
    pub failures: Vec<String>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The reviewer's guideline statement a test letter carries by default.
fn default_citation(pack: &Pack, rule: &Rule) -> String {
    let Some(primary) = rule.cites.first() else {
        return "The Expert Reviewer did not cite any medical evidence for its decision.".into();
    };
    let mut parts = primary.splitn(2, '#');
    let doc_key = parts.next().unwrap_or_default();
    let section_key = parts.next();
    let Some(doc) = pack.catalogue.document(doc_key) else {
        return String::new();
    };
    let section = section_key
        .and_then(|k| doc.sections.iter().find(|s| s.key == k))
        .and_then(|s| s.names.first())
        .map(|n| format!(", Section(s): {}", title_case(n)))
        .unwrap_or_default();
    let name = doc
        .names
        .first()
        .map_or(doc.title.clone(), |n| title_case(n));
    if doc.mtus {
        format!("Decision based on MTUS {name}{section}.")
    } else {
        format!("Decision based on Non-MTUS Citation {}.", doc.title)
    }
}

fn title_case(folded: &str) -> String {
    folded
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the letter a test describes.
pub fn test_letter(pack: &Pack, rule: &Rule, test: &RawTest) -> String {
    let decided = rule
        .in_force
        .until
        .or(rule.in_force.from)
        .map_or("01/15/2017".to_owned(), |d| {
            d.strftime("%m/%d/%Y").to_string()
        });
    let decision = match test.decision {
        TestDecision::Upheld => "Upheld",
        TestDecision::Overturned => "Overturned",
    };
    let cited = test
        .cited
        .clone()
        .unwrap_or_else(|| default_citation(pack, rule));
    let mut text = String::new();
    let _ = write!(
        text,
        "Case Number:\nDecision Date:\n\nCM00-0000000\n{decided}\n\n"
    );
    let us_date = |iso: &Option<String>| {
        iso.as_deref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .map(|d| d.strftime("%m/%d/%Y").to_string())
    };
    if let (Some(injured), Some(requested)) = (us_date(&test.injured), us_date(&test.requested)) {
        let _ = write!(
            text,
            "Date of Injury:\nUR Denial Date:\n\n{injured}\n{requested}\n\n"
        );
    }
    let _ = write!(
        text,
        "CLINICAL CASE SUMMARY\n{}\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\n",
        test.summary.trim()
    );
    for other in &test.other_items {
        let decided = match other.decision {
            TestDecision::Upheld => "Upheld",
            TestDecision::Overturned => "Overturned",
        };
        let _ = write!(
            text,
            "{}: {decided}\nClaims Administrator guideline: The Claims Administrator did not cite any medical evidence for its decision.\nMAXIMUS guideline: The Expert Reviewer did not cite any medical evidence for its decision.\nDecision rationale: The request was reviewed.\n",
            other.request.trim()
        );
    }
    let _ = write!(
        text,
        "{}: {decision}\nClaims Administrator guideline: The Claims Administrator did not cite any medical evidence for its decision.\nMAXIMUS guideline: {cited}\nDecision rationale: {}\n",
        test.request.trim(),
        test.rationale.trim()
    );
    text
}

/// Runs one rule's tests.
pub fn run_rule(pack: &Pack, rule: &Rule) -> Vec<TestResult> {
    rule.tests
        .iter()
        .map(|test| run_test(pack, rule, test))
        .collect()
}

fn run_test(pack: &Pack, rule: &Rule, test: &RawTest) -> TestResult {
    let text = test_letter(pack, rule, test);
    let source = Source::from_text(format!("{}#{}", rule.id, test.name), text);
    let mut letter = letter::parse(&source);
    pack.catalogue.annotate(&mut letter);
    // The item under test comes after the test's other items.
    let failures = match letter.items.last() {
        Some(item) => check_item(pack, rule, test, &source, &letter, item),
        None => vec!["the test letter has no readable item (check `request`)".into()],
    };
    TestResult {
        rule: rule.id.clone(),
        file: rule.file.clone(),
        name: test.name.clone(),
        failures,
    }
}

/// Evaluates the test letter's item with the rule under test and says what
/// differs from the test's expectations.
fn check_item(
    pack: &Pack,
    rule: &Rule,
    test: &RawTest,
    source: &Source,
    letter: &letter::Letter,
    item: &letter::Item,
) -> Vec<String> {
    let mut failures = Vec::new();
    if !rule.applies(&item.request.under_review.value) {
        failures.push(format!(
            "the rule's applies_to does not match the request \"{}\"",
            item.request.under_review.value
        ));
    }
    let summary_hits = eval::summary_hits(pack, source, letter);
    let evaluation = eval::evaluate_item(
        pack,
        source,
        letter,
        item,
        &summary_hits,
        Some((rule, "under test".into())),
    );
    if let Some(want) = &test.expect.verdict
        && evaluation.verdict.to_string() != *want
    {
        failures.push(format!(
            "verdict: expected {want}, got {} (rule implies {}; {})",
            evaluation.verdict,
            evaluation.expected.map_or("nothing", |e| e.into()),
            evaluation.reasons.join("; ")
        ));
    }
    check_facts(pack, test, &evaluation, &mut failures);
    if !test.expect.findings.is_empty() {
        let mut findings = letter.findings.clone();
        findings.extend(crate::checks::run(
            pack,
            source,
            letter,
            std::slice::from_ref(&evaluation),
        ));
        for check in &test.expect.findings {
            if !findings.iter().any(|f| f.check.id() == check) {
                failures.push(format!(
                    "expected a {check} finding; got: {}",
                    findings
                        .iter()
                        .map(|f| f.check.id())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    failures
}

/// The facts a test expects met or not met, against the evaluation.
fn check_facts(
    pack: &Pack,
    test: &RawTest,
    evaluation: &eval::ItemEvaluation,
    failures: &mut Vec<String>,
) {
    let status_of = |fact: &str| {
        evaluation
            .criteria
            .iter()
            .find(|o| o.fact == fact)
            .map(|o| o.status)
            .or_else(|| {
                // A fact the criteria do not use: evaluate it directly.
                let index = pack.fact(fact)?;
                let affirmed = evaluation
                    .hits
                    .iter()
                    .any(|h| h.fact == index && h.status() == crate::facts::Status::Affirmed);
                Some(if affirmed {
                    Tri::Met
                } else {
                    Tri::NotDocumented
                })
            })
    };
    for fact in &test.expect.met {
        let status = status_of(fact);
        if status != Some(Tri::Met) {
            failures.push(format!(
                "fact {fact}: expected met, got {}{}",
                status.map_or("unused".into(), crate::report::words),
                describe_hits(pack, evaluation, fact)
            ));
        }
    }
    for fact in &test.expect.not_met {
        let status = status_of(fact);
        if status == Some(Tri::Met) {
            failures.push(format!(
                "fact {fact}: expected not met, got met{}",
                describe_hits(pack, evaluation, fact)
            ));
        }
    }
}

fn describe_hits(pack: &Pack, evaluation: &eval::ItemEvaluation, fact: &str) -> String {
    let Some(index) = pack.fact(fact) else {
        return String::new();
    };
    let hits: Vec<String> = evaluation
        .hits
        .iter()
        .filter(|h| h.fact == index)
        .map(|h| format!("\"{}\" ({})", h.text, h.status()))
        .collect();
    if hits.is_empty() {
        " — no mention found".into()
    } else {
        format!(" — mentions: {}", hits.join(", "))
    }
}

/// Runs the tests of every rule whose id starts with `filter` (all when
/// `None`), rules in id order.
pub fn run_all(pack: &Pack, filter: Option<&str>) -> Vec<TestResult> {
    pack.rules_by_id()
        .into_iter()
        .filter(|r| filter.is_none_or(|f| r.id == f || r.id.starts_with(&format!("{f}."))))
        .flat_map(|r| run_rule(pack, r))
        .collect()
}
