//! `hierarchy`: the reviewer relies only on guidelines outside the MTUS (ODG,
//! ACOEM 3rd ed., articles) for an item the MTUS addresses, and the rationale
//! does not say why — that the MTUS is silent on it, or that its presumption of
//! correctness is rebutted. 8 CCR 9792.21.1 sets the search sequence: the MTUS
//! first, other evidence only when the MTUS is silent or rebutted.
//!
//! "The MTUS addresses the item" means the item's rule cites an MTUS document
//! that was in force on the decision date (or any MTUS document when the
//! letter has no decision date).

use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;

use super::CheckContext;
use crate::finding::{Check, Finding, Severity};
use crate::letter::EntryKind;
use crate::rules::catalogue::Document;

/// The rationale explains why it leaves the MTUS.
static MTUS_SILENT: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(
        r"(?ix)
          \b(?:MTUS|ACOEM|CPMTG|guidelines?)\b[^.;]{0,40}?\b(?:does|do|did)\s+not\s+(?:\w+\s+)?(?:address|discuss|mention|cover|comment\s+on|speak\s+to)\b
        | \b(?:MTUS|ACOEM|CPMTG|guidelines?)\b[^.;]{0,40}?\b(?:is|are|remains?|was|were)\s+silent\b
        | \bsilent\b[^.;]{0,20}\b(?:MTUS|ACOEM|CPMTG)\b
        | \bnot\s+(?:specifically\s+|directly\s+)?(?:addressed|discussed|mentioned|covered)\s+(?:by|in)\s+(?:the\s+)?(?:CA\s+|California\s+)?(?:MTUS|ACOEM|CPMTG)\b
        | \boutside\s+(?:of\s+)?the\s+(?:CA\s+|California\s+)?MTUS\b
        | \bpresumption\b[^.]{0,120}?\brebutted\b
        | \brebut\w*\b[^.]{0,60}?\bpresumption\b
        | \bMTUS\b[^.;]{0,60}?\bno\s+(?:specific\s+)?(?:recommendations?|guidance|criteria)\b
        ",
    )
    .expect("built-in pattern")
});

/// Whether a rationale says the MTUS is silent or rebutted.
pub(crate) fn says_mtus_silent(text: &str) -> bool {
    MTUS_SILENT.is_match(text)
}

pub fn hierarchy(cx: &CheckContext, out: &mut Vec<Finding>) {
    let (pack, source) = (cx.pack, cx.source);
    let decided = cx.letter.dates.decision.as_ref().and_then(|d| d.date);
    for (item, evaluation) in cx.items() {
        let Some(rule) = evaluation.rule.as_ref().and_then(|r| pack.rule(&r.id)) else {
            continue;
        };
        // MTUS documents that govern the item (in force when it was decided).
        let mut governing: Vec<&Document> = Vec::new();
        for key in rule.cited_documents() {
            if let Some(doc) = pack.catalogue.document(key)
                && doc.mtus
                && decided.is_none_or(|d| doc.in_force.contains(d))
                && !governing.iter().any(|g| g.key == doc.key)
            {
                governing.push(doc);
            }
        }
        if governing.is_empty() {
            continue;
        }
        let Some(citation) = &item.citations.reviewer else {
            continue;
        };
        let entries: Vec<_> = citation
            .entries
            .iter()
            .filter(|e| e.kind != EntryKind::NoEvidence)
            .collect();
        if entries.iter().any(|e| e.kind == EntryKind::Mtus) {
            continue;
        }
        let cited: Vec<(&crate::letter::CitationEntry, &Document)> = entries
            .iter()
            .filter_map(|e| Some((*e, pack.catalogue.document(e.key.as_deref()?)?)))
            .collect();
        if cited.is_empty() || cited.iter().any(|(_, d)| d.mtus) {
            continue;
        }
        if let Some(rationale) = &item.rationale {
            let flat = source.flat(rationale.span.start..rationale.span.end);
            if says_mtus_silent(&flat.text) {
                continue;
            }
        }
        let mut titles: Vec<&str> = Vec::new();
        for (_, d) in &cited {
            if !titles.contains(&d.title.as_str()) {
                titles.push(&d.title);
            }
        }
        let mut finding = Finding::new(
            Check::Hierarchy,
            Severity::Warning,
            format!(
                "item {}: the reviewer relies only on guidelines outside the MTUS ({}) for {}, which the MTUS addresses ({}); the rationale does not say the MTUS is silent or its presumption rebutted (8 CCR 9792.21.1)",
                item.index,
                titles.join("; "),
                rule.title,
                governing
                    .iter()
                    .take(2)
                    .map(|d| d.title.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
                    + if governing.len() > 2 { "; …" } else { "" }
            ),
        )
        .for_item(item.index)
        .with_rule(rule.id.clone());
        for (entry, _) in &cited {
            finding = finding.at(entry.span);
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_and_rebuttal_are_recognised() {
        for text in [
            "The MTUS does not address hip arthroscopy; ODG was used.",
            "The CA MTUS (and ACOEM) do not specifically discuss this device.",
            "The MTUS is silent on this request.",
            "This treatment is not addressed by the MTUS.",
            "ODG, a guideline outside of the MTUS, was consulted.",
            "The presumption of correctness of the MTUS is rebutted by more recent evidence.",
            "The MTUS guidelines are silent regarding gym memberships.",
        ] {
            assert!(says_mtus_silent(text), "{text}");
        }
        for text in [
            "The documentation does not address functional improvement.",
            "The ODG recommends physical therapy for up to 10 visits.",
            "The MTUS states that therapy should be active.",
        ] {
            assert!(!says_mtus_silent(text), "{text}");
        }
    }
}
