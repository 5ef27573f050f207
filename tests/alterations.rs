//! How the tool answers a real letter altered in the ways a reader checks:
//! an item's decision flipped, and a red flag written into the letter as a
//! patient fact, stated absent, or quoted from a guideline.
//!
//! - **Flipped decisions.** For every item whose decision the letter states,
//!   and which the tool has not already flagged (a conflict verdict, a
//!   `decision-conflict` or a `rationale-contradiction`), the decision's words
//!   are replaced by the opposite decision's and the letter audited again.
//!   The flip is caught when the item now has a conflict verdict or one of
//!   those findings; the share caught by the verdict alone is printed too.
//! - **Red flags.** Into each letter's case summary goes a sentence naming a
//!   red flag of the digest's tables, affirmed ("The patient reports new
//!   saddle anesthesia.") or stated absent ("The patient denies saddle
//!   anesthesia."); into each item's rationale, the same red flag quoted from
//!   a guideline ("Per the ACOEM guidelines, imaging is indicated when red
//!   flags such as saddle anesthesia are present."). The sentence is read
//!   right when every red-flag mention inside it has the expected context
//!   (affirmed, negated, guideline) and there is at least one. The red flags
//!   rotate from letter to letter.
//!
//! Prints the figures per half of the development letters;
//! `IMR_AUDIT_SHOW_MISSES=A` (or `B`) prints the misses of that half.

use std::ops::Range;
use std::path::Path;

use imr_audit::audit::Audit;
use imr_audit::eval::Verdict;
use imr_audit::facts::Status;
use imr_audit::finding::Check;
use imr_audit::letter::Decision;
use imr_audit::rules::Pack;
use imr_audit::source::Source;

use crate::util::{AuditedLetter, audited_letters, print_halves, real_letters};

/// Whether the tool flags item `item`: a conflict verdict, or a finding that
/// the decision disagrees with the letter's own words.
fn flagged(audit: &Audit, item: usize) -> (bool, bool) {
    let by_verdict = audit
        .evaluations
        .iter()
        .any(|e| e.index == item && e.verdict == Verdict::Conflict);
    let by_finding = AuditedLetter::has(audit, Check::DecisionConflict, item)
        || AuditedLetter::has(audit, Check::RationaleContradiction, item);
    (by_verdict, by_finding)
}

/// The words of `decision` in the case of `written` ("Upheld", "UPHELD",
/// "upheld").
fn opposite_words(written: &str, decision: Decision) -> String {
    let word = match decision.opposite() {
        Decision::Upheld => "upheld",
        Decision::Overturned => "overturned",
    };
    if written.chars().all(|c| !c.is_lowercase()) {
        word.to_uppercase()
    } else if written.starts_with(char::is_uppercase) {
        let mut w = word.to_owned();
        w[..1].make_ascii_uppercase();
        w
    } else {
        word.to_owned()
    }
}

#[test]
fn flipped_decisions_are_caught() {
    let Some(dir) = real_letters() else { return };
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let show = std::env::var("IMR_AUDIT_SHOW_MISSES").ok();
    let (mut tried, mut caught, mut by_verdict) = ([0usize; 2], [0usize; 2], [0usize; 2]);
    for letter in audited_letters(&pack, &dir) {
        let h = letter.half;
        for item in &letter.audit.letter.items {
            let Some(decision) = &item.decision else {
                continue;
            };
            let (verdict, finding) = flagged(&letter.audit, item.index);
            if verdict || finding {
                continue;
            }
            let at = decision.span.start..decision.span.end;
            let written = &letter.source.text()[at.clone()];
            // The span holds the decision's word ("Upheld"); a span that
            // does not is not flipped by a word and is left out.
            let word = match decision.value {
                Decision::Upheld => "upheld",
                Decision::Overturned => "overturned",
            };
            let Some(offset) = written.to_lowercase().find(word) else {
                continue;
            };
            let word_at = at.start + offset..at.start + offset + word.len();
            let replacement =
                opposite_words(&letter.source.text()[word_at.clone()], decision.value);
            let mut text = letter.source.text().to_owned();
            text.replace_range(word_at, &replacement);
            let flipped =
                imr_audit::audit::audit(&pack, Source::from_text(letter.path.clone(), text));
            let read = flipped
                .letter
                .items
                .iter()
                .find(|i| i.index == item.index)
                .and_then(|i| i.decision.as_ref())
                .map(|d| d.value);
            assert_eq!(
                read,
                Some(decision.value.opposite()),
                "{} item {}: the flipped decision is read",
                letter.name,
                item.index
            );
            tried[h] += 1;
            let (verdict, finding) = flagged(&flipped, item.index);
            by_verdict[h] += usize::from(verdict);
            if verdict || finding {
                caught[h] += 1;
            } else if show.as_deref() == Some(["A", "B"][h]) {
                let evaluation = flipped.evaluations.iter().find(|e| e.index == item.index);
                eprintln!(
                    "  missed {} #{} ({:?}, {}): {}",
                    letter.name,
                    item.index,
                    evaluation.map(|e| e.verdict),
                    evaluation
                        .and_then(|e| e.rule.as_ref())
                        .map_or("", |r| r.id.as_str()),
                    item.request.raw.value
                );
            }
        }
    }
    for (h, label) in ["A", "B"].iter().enumerate() {
        eprintln!(
            "flipped decisions, half {label}: {} of {} caught ({} by the verdict)",
            caught[h], tried[h], by_verdict[h]
        );
    }
    let (tried, caught): (usize, usize) = (tried.iter().sum(), caught.iter().sum());
    assert!(tried >= 100, "only {tried} decisions flipped");
    // The figures per half are in docs/VALIDATION.md.
    assert!(
        caught * 100 >= tried * 95,
        "{caught} of {tried} flipped decisions caught"
    );
}

/// Red flags of the digest's tables, as a record names them.
const RED_FLAGS: [&str; 8] = [
    "saddle anesthesia",
    "bowel incontinence",
    "unexplained weight loss",
    "night sweats",
    "urinary retention",
    "loss of bladder control",
    "fever",
    "a spinal infection",
];

/// How a record states a red flag, and states it absent; how a rationale
/// quotes one from a guideline (`{}` is the red flag). They rotate with the
/// letters at another pace than the red flags, so each meets several.
const AFFIRMED: [&str; 3] = [
    "The patient reports new {}.",
    "Examination today is notable for {}.",
    "He has developed {} over the past week.",
];
const NEGATED: [&str; 4] = [
    "The patient denies {}.",
    "There is no {}.",
    "No {} is reported.",
    "She has not had any {} since the injury.",
];
const QUOTED: [&str; 3] = [
    "Per the ACOEM guidelines, imaging is indicated when red flags such as {} are present.",
    "The MTUS states that red flags, including {}, warrant prompt imaging.",
    "Guidelines recommend an MRI if there are red flags such as {} or progressive neurologic deficit.",
];

/// Where a sentence goes: after the last sentence that ends inside `span`
/// (so it never joins a sentence the PDF broke off), else at its end.
fn insertion_point(text: &str, span: Range<usize>) -> usize {
    text[span.clone()]
        .rfind(". ")
        .or_else(|| text[span.clone()].rfind(".\n"))
        .map_or(span.end, |i| span.start + i + 1)
}

/// The letter with `sentence` inserted at `at`, and the sentence's range.
fn with_sentence(source: &Source, at: usize, sentence: &str) -> (Source, Range<usize>) {
    let mut text = source.text().to_owned();
    let inserted = format!("\n{sentence}\n");
    text.insert_str(at, &inserted);
    let range = at + 1..at + 1 + sentence.len();
    (Source::from_text(source.path().to_owned(), text), range)
}

/// The statuses of the red-flag mentions inside `range`, from every item's
/// hits (each holds the case summary's and its rationale's).
fn red_flag_statuses(pack: &Pack, audit: &Audit, range: &Range<usize>) -> Vec<Status> {
    let mut found: Vec<(usize, Status)> = audit
        .evaluations
        .iter()
        .flat_map(|e| &e.hits)
        .filter(|h| pack.facts[h.fact].id.starts_with("red_flag"))
        .filter(|h| h.span.start >= range.start && h.span.end <= range.end)
        .map(|h| (h.span.start, h.status()))
        .collect();
    found.sort_by_key(|&(start, status)| (start, status as u8));
    found.dedup();
    found.into_iter().map(|(_, status)| status).collect()
}

#[test]
fn red_flags_are_read_affirmed_negated_or_quoted() {
    let Some(dir) = real_letters() else { return };
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let show = std::env::var("IMR_AUDIT_SHOW_MISSES").ok();
    // [kind][half]: (tried, right)
    let mut figures = [[(0usize, 0usize); 2]; 3];
    let kinds = ["affirmed", "negated", "quoted"];
    for (n, letter) in audited_letters(&pack, &dir).enumerate() {
        let h = letter.half;
        let flag = RED_FLAGS[n % RED_FLAGS.len()];
        let written = |templates: &[&str]| templates[n % templates.len()].replace("{}", flag);
        let text = letter.source.text();
        let mut trials: Vec<(usize, usize, String, Status)> = Vec::new();
        if let Some(summary) = &letter.audit.letter.case_summary {
            let at = insertion_point(text, summary.span.start..summary.span.end);
            trials.push((0, at, written(&AFFIRMED), Status::Affirmed));
            trials.push((1, at, written(&NEGATED), Status::Negated));
        }
        for item in &letter.audit.letter.items {
            let Some(rationale) = &item.rationale else {
                continue;
            };
            trials.push((2, rationale.span.start, written(&QUOTED), Status::Guideline));
        }
        for (kind, at, sentence, expected) in trials {
            let (altered, range) = with_sentence(&letter.source, at, &sentence);
            let audit = imr_audit::audit::audit(&pack, altered);
            let statuses = red_flag_statuses(&pack, &audit, &range);
            let figure = &mut figures[kind][h];
            figure.0 += 1;
            if !statuses.is_empty() && statuses.iter().all(|&s| s == expected) {
                figure.1 += 1;
            } else if show.as_deref() == Some(["A", "B"][h]) {
                eprintln!(
                    "  missed {} ({}): {sentence:?} read as {statuses:?}",
                    letter.name, kinds[kind]
                );
            }
        }
    }
    for (kind, label) in kinds.iter().enumerate() {
        let (tried, right) =
            print_halves(&format!("red flags {label}"), "read right", &figures[kind]);
        assert!(tried >= 60, "only {tried} {label} red flags tried");
        assert!(
            right * 100 >= tried * 95,
            "{right} of {tried} {label} red flags read right"
        );
    }
}
