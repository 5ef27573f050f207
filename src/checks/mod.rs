//! Letter-level checks. Each has a stable kebab-case id ([`Check`]) and its
//! own module; `imr-audit explain ID` prints [`explain::text`].

mod citation;
mod contradiction;
mod dates;
mod decision;
mod edition;
pub mod explain;
mod hierarchy;
mod misquote;
mod unaddressed;

use crate::eval::ItemEvaluation;
use crate::finding::Finding;
use crate::letter::Letter;
use crate::rules::Pack;
use crate::source::Source;

pub use crate::finding::Check;

/// Runs every check over an evaluated letter.
pub fn run(
    pack: &Pack,
    source: &Source,
    letter: &Letter,
    evaluations: &[ItemEvaluation],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let _ = source;
    for (item, evaluation) in letter.items.iter().zip(evaluations) {
        decision::decision_conflict(pack, item, evaluation, &mut findings);
        contradiction::rationale_contradiction(item, &mut findings);
        citation::citation_unknown(item, &mut findings);
        citation::citation_mismatch(pack, item, evaluation, &mut findings);
    }
    misquote::misquote(pack, source, letter, evaluations, &mut findings);
    hierarchy::hierarchy(pack, source, letter, evaluations, &mut findings);
    unaddressed::unaddressed_fact(pack, source, letter, evaluations, &mut findings);
    dates::date_inconsistency(pack, source, letter, evaluations, &mut findings);
    edition::edition(pack, source, letter, evaluations, &mut findings);
    findings
}
