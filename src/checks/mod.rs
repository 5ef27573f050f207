//! Letter-level checks. Each has a stable kebab-case id ([`Check`]) and its
//! own module; `imr-audit explain ID` prints [`explain::text`].
//!
//! Every check has one signature, [`CheckFn`]: it reads what it needs from a
//! [`CheckContext`] (pack, source, letter, evaluations) and appends findings,
//! labelling each span with what it shows.

mod citation;
mod claims;
mod contradiction;
mod dates;
mod decision;
mod edition;
pub mod explain;
mod hierarchy;
pub mod misquote;
mod unaddressed;
mod wording;

use crate::eval::ItemEvaluation;
use crate::finding::Finding;
use crate::letter::{Item, Letter};
use crate::rules::Pack;
use crate::source::Source;

pub use crate::finding::Check;

/// Compiles the checks' own expressions that do not depend on the pack, by
/// reading `rationale` (a flat rationale) as the checks would
/// ([`crate::audit::prepare_expressions`]).
pub(crate) fn prepare_expressions(rationale: &str) {
    misquote::prepare_expressions(rationale);
}

/// Everything a check may read about one audited letter.
pub struct CheckContext<'a> {
    pub pack: &'a Pack,
    pub source: &'a Source,
    pub letter: &'a Letter,
    /// One per item of `letter`, in the same order.
    pub evaluations: &'a [ItemEvaluation],
}

impl<'a> CheckContext<'a> {
    /// Each item with its evaluation.
    pub fn items(&self) -> impl Iterator<Item = (&'a Item, &'a ItemEvaluation)> + use<'a> {
        self.letter.items.iter().zip(self.evaluations)
    }
}

/// The one signature of a check.
pub type CheckFn = fn(&CheckContext, &mut Vec<Finding>);

/// Every check, in the order it runs (findings are sorted afterwards).
const CHECKS: [CheckFn; 9] = [
    decision::decision_conflict,
    contradiction::rationale_contradiction,
    citation::citation_unknown,
    citation::citation_mismatch,
    misquote::misquote,
    hierarchy::hierarchy,
    unaddressed::unaddressed_fact,
    dates::date_inconsistency,
    edition::edition,
];

/// Runs every check over an evaluated letter.
pub fn run(
    pack: &Pack,
    source: &Source,
    letter: &Letter,
    evaluations: &[ItemEvaluation],
) -> Vec<Finding> {
    let cx = CheckContext {
        pack,
        source,
        letter,
        evaluations,
    };
    let mut findings = Vec::new();
    for check in CHECKS {
        check(&cx, &mut findings);
    }
    findings
}
