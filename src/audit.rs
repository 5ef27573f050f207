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

pub fn audit(pack: &Pack, source: Source) -> Audit {
    let mut letter = letter::parse(&source);
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
