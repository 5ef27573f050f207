//! Choosing the rule for an item: among the rules whose `applies_to` matches
//! the request under review, prefer one citing a section the reviewer cites,
//! then one whose governing document the reviewer cites (the edition the
//! letter relies on), then one in force on the decision date, then the first
//! by id.

use crate::letter::{Item, Letter};
use crate::rules::{Pack, Rule};

pub fn choose<'p>(pack: &'p Pack, letter: &Letter, item: &Item) -> Option<(&'p Rule, String)> {
    let request = &item.request.under_review.value;
    let mut candidates: Vec<&Rule> = pack.rules.iter().filter(|r| r.applies(request)).collect();
    if candidates.is_empty() {
        candidates = pack
            .rules
            .iter()
            .filter(|r| r.applies(&item.request.raw.value))
            .collect();
    }
    if candidates.is_empty() {
        return None;
    }
    if candidates.len() == 1 {
        return Some((
            candidates[0],
            "the only rule that applies to the request".into(),
        ));
    }
    let cited = item.citations.reviewer_keys();
    let cited_sections = cited_sections(pack, item);
    let by_section: Vec<&Rule> = candidates
        .iter()
        .copied()
        .filter(|r| r.cites.iter().any(|c| cited_sections.contains(c)))
        .collect();
    let by_citation: Vec<&Rule> = candidates
        .iter()
        .copied()
        .filter(|r| r.cited_documents().any(|d| cited.contains(&d)))
        .collect();
    let decided = letter.dates.decision.as_ref().and_then(|d| d.date);
    let in_force = |rules: &[&'p Rule]| -> Vec<&'p Rule> {
        match decided {
            Some(date) => rules
                .iter()
                .copied()
                .filter(|r| r.in_force.contains(date))
                .collect(),
            None => Vec::new(),
        }
    };
    if !by_section.is_empty() {
        let dated = in_force(&by_section);
        let rule = dated.first().copied().unwrap_or(by_section[0]);
        return Some((
            rule,
            "applies to the request and governs by the section the reviewer cites".into(),
        ));
    }
    if !by_citation.is_empty() {
        let dated = in_force(&by_citation);
        if let Some(rule) = dated.first() {
            return Some((rule, "applies to the request, governs by the document the reviewer cites, and is in force on the decision date".into()));
        }
        return Some((
            by_citation[0],
            "applies to the request and governs by the document the reviewer cites".into(),
        ));
    }
    if let Some(rule) = in_force(&candidates).first() {
        return Some((
            rule,
            "applies to the request and is in force on the decision date".into(),
        ));
    }
    Some((
        candidates[0],
        format!(
            "first of {} rules that apply to the request",
            candidates.len()
        ),
    ))
}

/// `document#section` keys of the sections the reviewer cites, as the
/// catalogue names them ("Opioids, criteria for use" is
/// `mtus.cpmtg-2009#opioids-criteria`).
fn cited_sections(pack: &Pack, item: &Item) -> Vec<String> {
    let mut out = Vec::new();
    for entry in item.citations.reviewer.iter().flat_map(|c| &c.entries) {
        let Some(document) = entry
            .key
            .as_deref()
            .and_then(|k| pack.catalogue.document(k))
        else {
            continue;
        };
        for section in pack.catalogue.section_keys(document, entry) {
            out.push(format!("{}#{section}", document.key));
        }
    }
    out
}
