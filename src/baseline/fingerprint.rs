//! Stable identities for findings, so CI systems (SARIF `partialFingerprints`)
//! can tell a finding seen before from a new one across runs.
//!
//! A fingerprint is built from what a finding is *about*, never where it
//! stands: the letter (its IMR case number when the letter states one, else a
//! SHA-256 of the letter's text), the item index, the check id and the rule id.
//! Line numbers and byte offsets are left out, so re-extracting a letter with
//! extra blank lines or a different page layout keeps every fingerprint.
//!
//! Several findings can share all four parts (two unknown citations of one
//! item, say); the n-th of them, in the audit's stable finding order, gets
//! occurrence `n` mixed in, so fingerprints stay unique within a letter.
//!
//! Fingerprints are given once, by [`assign`], when the audit is complete
//! and before a baseline or waiver removes anything; every format and the
//! baseline read the finding's own `fingerprint` afterwards, so a finding
//! has one identity everywhere (SARIF `partialFingerprints`, JSON, the
//! human report, baselines, waivers).

use sha2::{Digest, Sha256};

use crate::audit::Audit;
use crate::finding::Finding;
use crate::letter::Letter;
use crate::source::Source;

/// Version tag mixed into every fingerprint; bump it if the recipe changes.
pub const VERSION: &str = "imrAudit/v1";

/// The identity of the letter a finding belongs to: `case:<number>` when the
/// letter states a case number, else `sha256:<hex of the text>`.
pub fn letter_identity(audit: &Audit) -> String {
    identity(&audit.source, &audit.letter)
}

fn identity(source: &Source, letter: &Letter) -> String {
    match letter
        .case_number
        .as_ref()
        .map(|c| c.value.split_whitespace().collect::<String>())
        .filter(|c| !c.is_empty())
    {
        Some(case) => format!("case:{}", case.to_uppercase()),
        None => format!("sha256:{}", sha256_hex(source.text().as_bytes())),
    }
}

/// Gives every finding of a complete audit that has none its fingerprint.
/// Occurrences are counted over the whole list, so call it before anything
/// is removed.
pub fn assign(audit: &mut Audit) {
    if audit.findings.iter().all(|f| f.fingerprint.is_some()) {
        return;
    }
    let letter = identity(&audit.source, &audit.letter);
    // The occurrences counted as the list is read, once: counting each
    // finding's among all before it grew with the square of a letter's
    // findings.
    let mut seen: std::collections::HashMap<OccurrenceKey, usize> =
        std::collections::HashMap::new();
    // The keys borrow the findings: the prints are set once all are made.
    let prints: Vec<Option<String>> = audit
        .findings
        .iter()
        .map(|finding| {
            let count = seen.entry(occurrence_key(finding)).or_insert(0);
            let print = finding
                .fingerprint
                .is_none()
                .then(|| hash(&letter, finding, finding.rule.as_deref(), *count));
            *count += 1;
            print
        })
        .collect();
    for (finding, print) in audit.findings.iter_mut().zip(prints) {
        if print.is_some() {
            finding.fingerprint = print;
        }
    }
}

/// The stable fingerprint of `finding` (one of `audit.findings`): 64 hex
/// digits; the one [`assign`] gave it when it has one.
pub fn fingerprint(audit: &Audit, finding: &Finding) -> String {
    if let Some(print) = &finding.fingerprint {
        return print.clone();
    }
    let earlier = audit
        .findings
        .iter()
        .position(|f| std::ptr::eq(f, finding))
        .or_else(|| audit.findings.iter().position(|f| f == finding))
        .map_or(&[][..], |at| &audit.findings[..at]);
    recipe(&letter_identity(audit), earlier, finding)
}

/// The recipe: the parts hashed with a separator, the occurrence counted
/// among the `earlier` findings of the letter.
fn recipe(letter: &str, earlier: &[Finding], finding: &Finding) -> String {
    hash(
        letter,
        finding,
        finding.rule.as_deref(),
        occurrence(earlier, finding),
    )
}

/// What makes two findings of a letter occurrences of one another: their
/// item, check and rule.
type OccurrenceKey<'f> = (Option<usize>, crate::finding::Check, Option<&'f str>);

fn occurrence_key(finding: &Finding) -> OccurrenceKey<'_> {
    (finding.item, finding.check, finding.rule.as_deref())
}

/// How many of the `earlier` findings share this one's item, check and rule.
fn occurrence(earlier: &[Finding], finding: &Finding) -> usize {
    let key = occurrence_key(finding);
    earlier
        .iter()
        .filter(|other| occurrence_key(other) == key)
        .count()
}

fn hash(letter: &str, finding: &Finding, rule: Option<&str>, occurrence: usize) -> String {
    let mut hasher = Sha256::new();
    for part in [
        VERSION,
        letter,
        &finding
            .item
            .map_or_else(|| "-".to_owned(), |i| i.to_string()),
        finding.check.id(),
        rule.unwrap_or("-"),
        &occurrence.to_string(),
    ] {
        hasher.update(part.as_bytes());
        // A separator that cannot occur in any part keeps the parts apart.
        hasher.update([0u8]);
    }
    hex::encode(hasher.finalize())
}

/// The fingerprints the findings of a complete audit had under their rules'
/// former ids (`rules/renames.yaml`): for each finding, one per id its rule
/// had before, so a baseline or waiver written before a rename still
/// matches. A rename changes no finding's occurrence: every finding of the
/// rule was renamed together.
pub fn former(audit: &Audit, former_ids: impl Fn(&str) -> Vec<String>) -> Vec<Vec<String>> {
    let letter = letter_identity(audit);
    audit
        .findings
        .iter()
        .enumerate()
        .map(|(at, finding)| {
            let Some(rule) = &finding.rule else {
                return Vec::new();
            };
            let occurrence = occurrence(&audit.findings[..at], finding);
            former_ids(rule)
                .iter()
                .map(|old| hash(&letter, finding, Some(old), occurrence))
                .collect()
        })
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Check, Severity};

    fn audit_of(text: &str, findings: Vec<Finding>) -> Audit {
        let source = Source::from_text("x.txt", text);
        let letter = crate::letter::parse(&source);
        Audit {
            source,
            letter,
            evaluations: Vec::new(),
            findings,
        }
    }

    #[test]
    fn duplicates_get_distinct_fingerprints_and_text_identifies_letters() {
        let f = Finding::new(Check::CitationUnknown, Severity::Warning, "a").for_item(1);
        let g = Finding::new(Check::CitationUnknown, Severity::Warning, "b").for_item(1);
        let audit = audit_of("no case number here", vec![f, g]);
        let a = fingerprint(&audit, &audit.findings[0]);
        let b = fingerprint(&audit, &audit.findings[1]);
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        let other = audit_of("another text", audit.findings.clone());
        assert_ne!(a, fingerprint(&other, &other.findings[0]));
        assert!(letter_identity(&audit).starts_with("sha256:"));
    }
}
