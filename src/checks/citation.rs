//! `citation-unknown` (a cited guideline the catalogue does not know) and
//! `citation-mismatch` (the cited guideline does not govern the item: a
//! lumbar MRI decided on Knee Complaints).

use super::CheckContext;
use crate::eval::ItemEvaluation;
use crate::finding::{Check, Finding, Severity};
use crate::letter::{CitationEntry, EntryKind, Item};
use crate::rules::Pack;
use crate::rules::catalogue::Document;

pub fn citation_unknown(cx: &CheckContext, out: &mut Vec<Finding>) {
    for item in &cx.letter.items {
        unknown_in(item, out);
    }
}

fn unknown_in(item: &Item, out: &mut Vec<Finding>) {
    for (who, citation, severity) in [
        ("reviewer", &item.citations.reviewer, Severity::Warning),
        (
            "claims administrator",
            &item.citations.claims_administrator,
            Severity::Info,
        ),
    ] {
        let Some(citation) = citation else { continue };
        for entry in &citation.entries {
            if entry.kind != EntryKind::NoEvidence && entry.key.is_none() {
                out.push(
                    Finding::new(
                        Check::CitationUnknown,
                        severity,
                        format!("item {}: the {who} cites a guideline the catalogue does not know: \"{}\"", item.index, entry.text),
                    )
                    .for_item(item.index)
                    .at(entry.span),
                );
            }
        }
    }
}

pub fn citation_mismatch(cx: &CheckContext, out: &mut Vec<Finding>) {
    for (item, evaluation) in cx.items() {
        mismatch_in(cx.pack, item, evaluation, out);
    }
}

fn mismatch_in(pack: &Pack, item: &Item, evaluation: &ItemEvaluation, out: &mut Vec<Finding>) {
    let Some(rule_ref) = &evaluation.rule else {
        return;
    };
    let Some(rule) = pack.rule(&rule_ref.id) else {
        return;
    };
    if rule.body_parts.is_empty() {
        return;
    }
    let Some(citation) = &item.citations.reviewer else {
        return;
    };
    let cited: Vec<(&CitationEntry, &Document)> = citation
        .entries
        .iter()
        .filter_map(|e| Some((e, pack.catalogue.document(e.key.as_deref()?)?)))
        .collect();
    // A document governs the item when the rule cites it, when it is general
    // (no body part), or when it covers one of the rule's body parts.
    let governs = |d: &Document| {
        rule.cited_documents().any(|c| c == d.key)
            || d.body_parts.is_empty()
            || d.body_parts.iter().any(|b| rule.body_parts.contains(b))
    };
    // Each MTUS entry is judged on its own: an MTUS chapter for another
    // body region is a mismatch even when a fitting ODG entry is cited too.
    // A citation of other guidelines alone is a mismatch only when none of
    // its entries governs the item.
    let mtus: Vec<&(&CitationEntry, &Document)> = cited
        .iter()
        .filter(|(e, _)| e.kind == EntryKind::Mtus)
        .collect();
    let off: Vec<&(&CitationEntry, &Document)> = if mtus.is_empty() {
        if cited.is_empty() || cited.iter().any(|(_, d)| governs(d)) {
            return;
        }
        cited.iter().collect()
    } else {
        mtus.into_iter().filter(|(_, d)| !governs(d)).collect()
    };
    if off.is_empty() {
        return;
    }
    let mut finding = Finding::new(
        Check::CitationMismatch,
        Severity::Warning,
        format!(
            "item {}: the reviewer relies on {} for a {} request ({}), which that guideline does not govern",
            item.index,
            off.iter().map(|(_, d)| d.title.as_str()).collect::<Vec<_>>().join(" and "),
            rule.body_parts.join("/"),
            rule.title
        ),
    )
    .for_item(item.index)
    .with_rule(rule.id.clone());
    for (entry, _) in off {
        finding = finding.at(entry.span);
    }
    out.push(finding);
}
