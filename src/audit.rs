//! The whole pipeline for one letter: parse, normalise citations, evaluate
//! every item, run the checks. A pure function of the source and the pack.

use crate::eval::{self, ItemEvaluation};
use crate::finding::Finding;
use crate::letter::{self, Letter};
use crate::rules::Pack;
use crate::source::Source;

/// Everything known about one letter after the pipeline.
#[derive(Debug)]
pub struct Audit {
    pub source: Source,
    pub letter: Letter,
    pub evaluations: Vec<ItemEvaluation>,
    /// Parse findings first, then check findings, in a stable order.
    pub findings: Vec<Finding>,
}

/// One of the project's own sample letters, built in: what
/// [`prepare_expressions`] reads.
const PREPARATION_LETTER: &str = include_str!("../samples/opioids-nsaids-relaxants.txt");

/// Compiles the pipeline's own expressions that do not depend on the rule
/// pack — the letter parser's, the attribution of guideline text, the
/// misquote check's readers of numbers — by running them over a built-in
/// sample letter and dropping what they find. `check` calls it on its
/// second thread while the pack loads when no letter of the run could be
/// read there ([`prepare_expressions_for`] otherwise), so that the first
/// letter finds them compiled. The expressions read every text alike
/// whoever compiled them: no output changes.
pub fn prepare_expressions() {
    let source = Source::from_text("built-in sample letter", PREPARATION_LETTER);
    let letter = letter::parse(&source);
    prepare_expressions_for(&source, &letter);
}

/// Compiles the checks' own expressions that do not depend on the pack by
/// reading the rationales of `letter` (parsed from `source`) as the checks
/// will: what `check` does with its first letter, read and parsed while
/// the pack loads.
pub fn prepare_expressions_for(source: &Source, letter: &Letter) {
    for item in &letter.items {
        if let Some(rationale) = &item.rationale {
            let flat = source.flat(rationale.span.start..rationale.span.end);
            crate::checks::prepare_expressions(&flat.text);
        }
    }
}

pub fn audit(pack: &Pack, source: Source) -> Audit {
    let letter = letter::parse(&source);
    audit_parsed(pack, source, letter)
}

/// The audit of `letter`, parsed from `source` ([`letter::parse`]).
pub fn audit_parsed(pack: &Pack, source: Source, mut letter: Letter) -> Audit {
    pack.catalogue.annotate(&mut letter);
    let evaluations = eval::evaluate(pack, &source, &letter);
    let mut findings = letter.findings.clone();
    findings.extend(crate::checks::run(pack, &source, &letter, &evaluations));
    findings.sort_by_key(|f| (f.item.unwrap_or(0), f.primary().map(|s| s.start), f.check));
    let mut audit = Audit {
        source,
        letter,
        evaluations,
        findings,
    };
    // One identity per finding, given while the list is whole.
    crate::baseline::fingerprint::assign(&mut audit);
    audit
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The preparation compiles only what its letter exercises: a letter
    /// with items, rationales and guideline text in them.
    #[test]
    fn the_preparation_letter_exercises_items_rationales_and_guideline_text() {
        let source = Source::from_text("built-in sample letter", PREPARATION_LETTER);
        let letter = letter::parse(&source);
        assert!(letter.items.len() >= 2, "{} items", letter.items.len());
        let passages: usize = letter
            .items
            .iter()
            .filter_map(|item| item.rationale.as_ref())
            .map(|r| {
                let flat = source.flat(r.span.start..r.span.end);
                crate::checks::misquote::guideline_passages(&flat.text).len()
            })
            .sum();
        assert!(passages >= 2, "{passages} guideline passages");
        prepare_expressions();
    }
}
