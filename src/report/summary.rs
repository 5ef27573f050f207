//! Counts over a run, for the human summary and the other formats.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::audit::Audit;
use crate::eval::Verdict;
use crate::finding::{Check, Severity};

#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub letters: usize,
    /// Letters that could not be read at all, or had no readable item.
    pub unreadable: Vec<String>,
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
            self.unreadable
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
