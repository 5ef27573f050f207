//! Choosing the rule for an item: among the rules whose `applies_to` matches
//! the request under review, prefer one citing a section the reviewer cites,
//! then one whose governing document the reviewer cites (the edition the
//! letter relies on), then one in force on the decision date, then the first
//! in the pack's order.
//!
//! A request is read with the pack's lexicon: "chiro", "Norco" or "PT/OT"
//! gain the words rules match ("chiropractic", "hydrocodone", "physical
//! therapy"). When no rule's words match, the reviewer's citation is
//! evidence too: the one rule governing by the section the reviewer cites
//! (an "Office visits" section for an "exam" request) is chosen, and says so.

use crate::letter::{Item, Letter};
use crate::rules::{Pack, Rule};

/// The request's words with the meanings the lexicon gives its terms
/// appended: "Norco 10/325" reads "Norco 10/325 (hydrocodone)".
pub fn read_request(pack: &Pack, text: &str) -> String {
    let mut out = text.to_owned();
    // Only the terms whose literals the request holds are run, in the
    // lexicon's order.
    let unusual = crate::text::pattern::has_non_ascii_folds(text);
    for index in pack.lexicon_filter.candidates(text, unusual) {
        let (term, means) = &pack.lexicon[index];
        if term.is_match(text) {
            out.push_str(" (");
            out.push_str(means);
            out.push(')');
        }
    }
    out
}

pub fn choose<'p>(pack: &'p Pack, letter: &Letter, item: &Item) -> Option<(&'p Rule, String)> {
    let request = read_request(pack, &item.request.under_review.value);
    let mut candidates: Vec<&Rule> = pack.requests.applying(&pack.rules, &request);
    if candidates.is_empty() {
        let raw = read_request(pack, &item.request.raw.value);
        candidates = pack.requests.applying(&pack.rules, &raw);
    }
    if candidates.is_empty() {
        return by_cited_section(pack, item);
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

/// When no rule's words match the request: the one rule that governs by a
/// section the reviewer cites and excludes nothing in the request. Several
/// rules citing the section (or none) leave the item uncovered.
fn by_cited_section<'p>(pack: &'p Pack, item: &Item) -> Option<(&'p Rule, String)> {
    let sections = cited_sections(pack, item);
    if sections.is_empty() {
        return None;
    }
    let request = read_request(pack, &item.request.under_review.value);
    let governing: Vec<&Rule> = pack
        .rules
        .iter()
        .filter(|r| r.cites.first().is_some_and(|c| sections.contains(c)))
        .filter(|r| !r.excludes.iter().any(|re| re.is_match(&request)))
        .collect();
    match governing.as_slice() {
        [rule] => Some((
            rule,
            "no rule's words match the request; it governs by the section the reviewer cites"
                .into(),
        )),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The request read by running every lexicon term, as the prefilter
    /// spares doing.
    fn read_by_every_term(pack: &Pack, text: &str) -> String {
        let mut out = text.to_owned();
        for (term, means) in &pack.lexicon {
            if term.is_match(text) {
                out.push_str(&format!(" ({means})"));
            }
        }
        out
    }

    #[test]
    fn the_lexicon_prefilter_runs_every_term_that_matches() {
        let pack = Pack::load(&[] as &[&std::path::Path]).unwrap_or_else(|p| panic!("{}", p[0]));
        assert!(pack.lexicon.len() > 50);
        let requests = [
            "Norco 10/325 #90",
            "PT 2x6 for the lumbar spine",
            "chiro 2x4 and TENS unit",
            "NORCO 10/325MG",
            "Retrospective request for Ultram ER 150mg",
            "Motrin 800 mg, Prilosec 20 mg, Flexeril 10mg",
            "acupuncture x 6",
            "",
            "\u{212A}etoprofen cream",
        ];
        let mut expanded = 0;
        for request in requests {
            let read = read_request(&pack, request);
            assert_eq!(read, read_by_every_term(&pack, request), "{request}");
            expanded += usize::from(read.len() > request.len());
        }
        assert!(
            expanded >= 4,
            "the lexicon reads {expanded} of the requests"
        );
    }
}
