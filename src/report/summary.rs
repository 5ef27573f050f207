//! Counts over a run, for the human summary and the other formats.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::audit::Audit;
use crate::eval::Verdict;
use crate::finding::{Check, Severity};

/// A path not audited, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedPath {
    pub path: String,
    pub reason: String,
    /// A problem (missing, unlistable, a broken link, a FIFO in a folder)
    /// rather than a choice of the run (extension, globs, hidden, ignore
    /// files, a link loop): problems make the run exit 2.
    pub problem: bool,
}

impl SkippedPath {
    pub fn of(skipped: &crate::input::Skipped) -> SkippedPath {
        SkippedPath {
            path: skipped.path.display().to_string(),
            reason: skipped.reason.to_string(),
            problem: skipped.reason.is_problem(),
        }
    }
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub letters: usize,
    /// Letters that could not be read at all (missing, unreadable, too
    /// large, a PDF that did not convert): the run exits 2.
    pub unreadable: Vec<String>,
    /// Letters read in which no item was found (a `parse` error finding).
    pub without_items: Vec<String>,
    /// Every path named or found that was not audited, with its reason.
    pub skipped: Vec<SkippedPath>,
    pub items: usize,
    pub covered: usize,
    pub verdicts: BTreeMap<Verdict, usize>,
    pub findings: BTreeMap<Check, usize>,
    /// Findings by severity.
    pub severities: BTreeMap<Severity, usize>,
    /// Findings hidden by the baseline or waivers.
    pub suppressed: usize,
    /// Baseline entries that matched no finding.
    pub stale_baseline: usize,
    /// Waivers that matched no finding.
    pub unused_waivers: usize,
    /// Wall time; left out of machine formats so their bytes are reproducible.
    #[serde(skip)]
    pub elapsed: Option<Duration>,
}

impl Summary {
    pub fn add(&mut self, audit: &Audit) {
        self.letters += 1;
        if audit.letter.items.is_empty() {
            self.without_items
                .push(audit.source.path().display().to_string());
        }
        for evaluation in &audit.evaluations {
            self.items += 1;
            if evaluation.verdict != Verdict::Uncovered {
                self.covered += 1;
            }
            *self.verdicts.entry(evaluation.verdict).or_default() += 1;
        }
        for finding in &audit.findings {
            *self.findings.entry(finding.check).or_default() += 1;
            *self.severities.entry(finding.severity).or_default() += 1;
        }
    }

    /// A letter that could not be read from disk at all.
    pub fn add_unreadable(&mut self, path: String) {
        self.letters += 1;
        self.unreadable.push(path);
    }

    pub fn decided(&self) -> usize {
        self.verdicts.get(&Verdict::Agree).copied().unwrap_or(0)
            + self.verdicts.get(&Verdict::Conflict).copied().unwrap_or(0)
    }
}
