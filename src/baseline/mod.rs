//! Baselines and waivers: accepting known findings so CI fails only on what
//! is new.
//!
//! A finding is identified by a stable fingerprint (case number or a hash of
//! the letter text, item, check and rule — never line numbers), so editing a
//! letter's layout does not resurrect accepted findings.
//!
//! - `--write-baseline FILE` records every finding of the run.
//! - `--baseline FILE` hides the findings recorded there and lists the
//!   entries no finding matched any more (stale).
//! - `--waivers FILE` (YAML) accepts findings one by one, each with a
//!   mandatory reason; waivers that matched nothing are reported.

pub mod fingerprint;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::audit::Audit;
use crate::finding::Check;

pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub check: Check,
    pub path: String,
    pub item: Option<usize>,
    pub message: String,
}

/// One waiver: which finding, and why it is accepted.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub fingerprint: String,
    pub reason: String,
    pub note: Option<String>,
    /// `file:line:column` of the waiver's fingerprint.
    pub place: String,
}

/// A waiver as written, with the places of its values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    fingerprint: Spanned<String>,
    #[serde(default)]
    reason: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    waivers: Vec<RawWaiver>,
}

/// `file:line:column` of a value in a YAML file.
fn place(path: &Path, at: &serde_saphyr::Location) -> String {
    format!("{}:{}:{}", path.display(), at.line(), at.column())
}

/// The entries of `accepted` (by fingerprint) whose fingerprint was never `seen`.
fn unmatched<'a, T>(accepted: &'a BTreeMap<String, T>, seen: &BTreeSet<String>) -> Vec<&'a T> {
    accepted
        .iter()
        .filter(|(fingerprint, _)| !seen.contains(*fingerprint))
        .map(|(_, entry)| entry)
        .collect()
}

/// The entries of a baseline file, by fingerprint. A file of another
/// version is refused: its fingerprints may follow another recipe, and
/// reading them as ours would silently resurrect or hide findings.
fn read_baseline(path: &Path) -> anyhow::Result<BTreeMap<String, BaselineEntry>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    // The version first, so a future file is named as such rather than
    // failing on a field this version does not know.
    #[derive(Deserialize)]
    struct Version {
        version: Option<serde_json::Value>,
    }
    let not_ours = || {
        format!(
            "{} is not a baseline written by --write-baseline (JSON with version and findings)",
            path.display()
        )
    };
    let version: Version = serde_json::from_str(&text).with_context(not_ours)?;
    match version.version {
        Some(v) if v == serde_json::json!(BASELINE_VERSION) => {}
        Some(v) => anyhow::bail!(
            "{}: baseline version {v} is not supported; this imr-audit reads version {BASELINE_VERSION}. Write a new baseline with --write-baseline",
            path.display()
        ),
        None => anyhow::bail!("{}: the baseline has no version", not_ours()),
    }
    let file: Baseline = serde_json::from_str(&text).with_context(not_ours)?;
    Ok(file
        .findings
        .into_iter()
        .map(|e| (e.fingerprint.clone(), e))
        .collect())
}

/// The waivers of a YAML file, by fingerprint. Every waiver needs a
/// reason; a fingerprint may be waived once. Errors name the place.
fn read_waivers(path: &Path) -> anyhow::Result<BTreeMap<String, Waiver>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read waivers {}", path.display()))?;
    let hint = "a waivers file is `waivers:` followed by entries with `fingerprint:` and a non-empty `reason:`";
    let file: WaiverFile = serde_saphyr::from_str(&text).map_err(|err| {
        let (line, column) = err.location().map_or((0, 0), |l| (l.line(), l.column()));
        anyhow::anyhow!(
            "{}:{line}:{column}: {}\n  = hint: {hint}",
            path.display(),
            err.without_snippet()
                .to_string()
                .lines()
                .next()
                .unwrap_or("invalid waivers file")
        )
    })?;
    let mut waivers: BTreeMap<String, Waiver> = BTreeMap::new();
    for raw in file.waivers {
        let fingerprint = raw.fingerprint.value.trim().to_owned();
        let at = place(path, &raw.fingerprint.referenced);
        let reason = match &raw.reason {
            Some(reason) if !reason.value.trim().is_empty() => reason.value.trim().to_owned(),
            // An empty reason points at itself; a missing one at its waiver.
            Some(reason) => anyhow::bail!(
                "{}: the waiver for {fingerprint} has an empty reason; every waiver must say why the finding is accepted",
                place(path, &reason.referenced)
            ),
            None => anyhow::bail!(
                "{at}: the waiver for {fingerprint} has no reason; every waiver must say why the finding is accepted\n  = hint: {hint}"
            ),
        };
        if let Some(first) = waivers.get(&fingerprint) {
            anyhow::bail!(
                "{at}: fingerprint {fingerprint} is waived twice (first at {}); keep one waiver per finding",
                first.place
            );
        }
        waivers.insert(
            fingerprint.clone(),
            Waiver {
                fingerprint,
                reason,
                note: raw.note,
                place: at,
            },
        );
    }
    Ok(waivers)
}

/// Accepted findings for a run, and what matched them.
#[derive(Debug, Default)]
pub struct Acceptance {
    baseline: BTreeMap<String, BaselineEntry>,
    waivers: BTreeMap<String, Waiver>,
    seen_baseline: BTreeSet<String>,
    seen_waivers: BTreeSet<String>,
    /// Findings recorded for `--write-baseline`.
    recorded: Vec<BaselineEntry>,
    pub suppressed_by_baseline: usize,
    pub suppressed_by_waiver: usize,
    /// Findings accepted by the fingerprint they had under a former rule id.
    pub matched_former: usize,
}

impl Acceptance {
    pub fn load(baseline: Option<&Path>, waivers: Option<&Path>) -> anyhow::Result<Acceptance> {
        let mut acceptance = Acceptance::default();
        if let Some(path) = baseline {
            acceptance.baseline = read_baseline(path)?;
        }
        if let Some(path) = waivers {
            acceptance.waivers = read_waivers(path)?;
        }
        Ok(acceptance)
    }

    /// Records every finding of a letter, then removes those accepted: a
    /// finding is accepted by its fingerprint, or by the fingerprint it had
    /// under a former id of its rule (`former_ids`, from the pack's
    /// renames), so files written before a rename keep working.
    pub fn apply(
        &mut self,
        audit: &mut Audit,
        record: bool,
        former_ids: impl Fn(&str) -> Vec<String>,
    ) {
        // Each finding keeps the fingerprint it was given on the whole list.
        fingerprint::assign(audit);
        let formers = if self.baseline.is_empty() && self.waivers.is_empty() {
            vec![Vec::new(); audit.findings.len()]
        } else {
            fingerprint::former(audit, former_ids)
        };
        let path = audit.source.path().display().to_string();
        let mut kept = Vec::with_capacity(audit.findings.len());
        for (finding, formers) in std::mem::take(&mut audit.findings).into_iter().zip(formers) {
            let print = finding.fingerprint.clone().unwrap_or_default();
            if record {
                self.recorded.push(BaselineEntry {
                    fingerprint: print.clone(),
                    check: finding.check,
                    path: path.clone(),
                    item: finding.item,
                    message: finding.message.clone(),
                });
            }
            let former =
                |accepted: &dyn Fn(&String) -> bool| formers.iter().find(|p| accepted(p)).cloned();
            if self.baseline.contains_key(&print) {
                self.seen_baseline.insert(print);
                self.suppressed_by_baseline += 1;
            } else if self.waivers.contains_key(&print) {
                self.seen_waivers.insert(print);
                self.suppressed_by_waiver += 1;
            } else if let Some(old) = former(&|p| self.baseline.contains_key(p)) {
                self.seen_baseline.insert(old);
                self.suppressed_by_baseline += 1;
                self.matched_former += 1;
            } else if let Some(old) = former(&|p| self.waivers.contains_key(p)) {
                self.seen_waivers.insert(old);
                self.suppressed_by_waiver += 1;
                self.matched_former += 1;
            } else {
                kept.push(finding);
            }
        }
        audit.findings = kept;
    }

    /// Baseline entries no finding matched.
    pub fn stale(&self) -> Vec<&BaselineEntry> {
        unmatched(&self.baseline, &self.seen_baseline)
    }

    /// Waivers no finding matched.
    pub fn unused_waivers(&self) -> Vec<&Waiver> {
        unmatched(&self.waivers, &self.seen_waivers)
    }

    /// Writes the recorded findings as a baseline, sorted so the file is stable.
    pub fn write_baseline(&self, path: &Path) -> anyhow::Result<usize> {
        let mut findings = self.recorded.clone();
        findings.sort_by(|a, b| {
            (&a.path, a.item, &a.fingerprint).cmp(&(&b.path, b.item, &b.fingerprint))
        });
        findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        let count = findings.len();
        let mut json = serde_json::to_vec_pretty(&Baseline {
            version: BASELINE_VERSION,
            findings,
        })?;
        json.push(b'\n');
        crate::output::write_atomically(path, &json)?;
        Ok(count)
    }
}
