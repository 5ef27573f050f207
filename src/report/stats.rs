//! Statistics of a run, computed once and shown by several formats: the
//! headline figures (coverage, agreement) of the human summary and the HTML
//! cards, and the tallies behind the HTML charts (verdicts by rule and by
//! cited guideline, findings by check and severity).

use std::collections::BTreeMap;

use strum::VariantArray;

use super::summary::Summary;
use crate::audit::Audit;
use crate::eval::Verdict;
use crate::finding::{Check, Severity};
use crate::letter::{EntryKind, Item};

/// `n` of `of` as a percentage with one decimal, or `n/a` when `of` is 0.
pub fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        "n/a".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / of as f64)
    }
}

/// The headline figures of a run.
pub struct Figures {
    pub letters: usize,
    /// Letters not read, or read with no item found.
    pub unreadable: usize,
    pub items: usize,
    pub covered: usize,
    /// Covered items whose rule implies a decision the letter states.
    pub decided: usize,
    pub agree: usize,
    pub conflict: usize,
    pub undetermined: usize,
    pub uncovered: usize,
    pub findings: usize,
}

impl Figures {
    pub fn of(summary: &Summary) -> Figures {
        let count = |v: Verdict| summary.verdicts.get(&v).copied().unwrap_or(0);
        Figures {
            letters: summary.letters,
            unreadable: summary.unreadable.len() + summary.without_items.len(),
            items: summary.items,
            covered: summary.covered,
            decided: summary.decided(),
            agree: count(Verdict::Agree),
            conflict: count(Verdict::Conflict),
            undetermined: count(Verdict::Undetermined),
            uncovered: count(Verdict::Uncovered),
            findings: summary.findings.values().sum(),
        }
    }

    /// Covered items as a share of all items.
    pub fn coverage(&self) -> String {
        percent(self.covered, self.items)
    }

    /// Decided items as a share of covered ones.
    pub fn decided_rate(&self) -> String {
        percent(self.decided, self.covered)
    }

    /// Agreement as a share of decided items.
    pub fn agreement(&self) -> String {
        percent(self.agree, self.decided)
    }
}

/// Counts per verdict, in [`Verdict::ALL`] order.
pub type VerdictCounts = [usize; 4];
/// Counts per severity, most severe first (error, warning, info).
pub type SeverityCounts = [usize; 3];

/// The severities in the order the charts stack them.
pub const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

fn verdict_index(verdict: Verdict) -> usize {
    Verdict::ALL
        .iter()
        .position(|v| *v == verdict)
        .expect("ALL lists every verdict")
}

fn severity_index(severity: Severity) -> usize {
    SEVERITIES
        .iter()
        .position(|s| *s == severity)
        .expect("SEVERITIES lists every severity")
}

/// Tallies over the letters of a run, added letter by letter.
#[derive(Default)]
pub struct Tallies {
    /// Rule id → title and verdict counts.
    pub by_rule: BTreeMap<String, (String, VerdictCounts)>,
    /// Items no rule covers, by verdict.
    pub uncovered: VerdictCounts,
    /// Guideline of the reviewer's first citation entry → verdict counts.
    pub by_guideline: BTreeMap<String, VerdictCounts>,
    /// Check → counts by severity.
    pub by_check: BTreeMap<Check, SeverityCounts>,
}

/// What one letter adds to the tallies, also shown in its own row.
pub struct LetterCounts {
    pub items: usize,
    pub verdicts: VerdictCounts,
    pub findings: usize,
    pub errors: usize,
}

impl Tallies {
    /// Adds a letter and returns its own counts.
    pub fn add(&mut self, audit: &Audit) -> LetterCounts {
        let mut verdicts = [0; 4];
        for (item, evaluation) in audit.letter.items.iter().zip(&audit.evaluations) {
            let v = verdict_index(evaluation.verdict);
            verdicts[v] += 1;
            match &evaluation.rule {
                Some(rule) => {
                    self.by_rule
                        .entry(rule.id.clone())
                        .or_insert_with(|| (rule.title.clone(), [0; 4]))
                        .1[v] += 1;
                }
                None => self.uncovered[v] += 1,
            }
            self.by_guideline.entry(guideline_of(item)).or_default()[v] += 1;
        }
        for finding in &audit.findings {
            self.by_check.entry(finding.check).or_default()[severity_index(finding.severity)] += 1;
        }
        LetterCounts {
            items: audit.letter.items.len(),
            verdicts,
            findings: audit.findings.len(),
            errors: audit
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count(),
        }
    }

    /// Findings of `check` by severity (zeros when there were none).
    pub fn check(&self, check: Check) -> SeverityCounts {
        self.by_check.get(&check).copied().unwrap_or_default()
    }
}

/// The guideline an item is grouped under: the catalogue key of the
/// reviewer's first citation entry, or why there is none.
fn guideline_of(item: &Item) -> String {
    let Some(citation) = &item.citations.reviewer else {
        return "(no reviewer citation)".into();
    };
    let Some(entry) = citation.entries.first() else {
        return "(citation not read)".into();
    };
    match (&entry.key, entry.kind) {
        (Some(key), _) => key.clone(),
        (None, EntryKind::NoEvidence) => "(no evidence cited)".into(),
        (None, _) => "(not in catalogue)".into(),
    }
}

/// Every severity is stacked by the charts.
const _: () = assert!(SEVERITIES.len() == <Severity as VariantArray>::VARIANTS.len());
