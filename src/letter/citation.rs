//! Guideline statements: "Decision based on MTUS Low Back Complaints 2004,
//! Section(s): Special Studies, and Chronic Pain Medical Treatment 2016, …",
//! "Decision based on Non-MTUS Citation …", "did not cite any medical
//! evidence", and the 2013 prose form ("The Expert Reviewer relied on the MTUS
//! Chronic Pain Medical Treatment Guidelines (2009), …").
//!
//! Document names contain commas ("Forearm, Wrist, and Hand Complaints 2004")
//! and so do section names ("Opioids, criteria for use"), so neither is split
//! on commas alone: a document ends at its year, and a new section starts only
//! after a comma followed by a capital or a digit.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;
use serde::Serialize;

use super::Citation;
use crate::source::{Source, Span};

/// What kind of citation an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// A document of the MTUS ("Low Back Complaints 2004").
    Mtus,
    /// "Non-MTUS Citation …": ODG, ACOEM 3rd edition, articles, web pages.
    NonMtus,
    /// "did not cite any medical evidence".
    NoEvidence,
}

/// One cited document with its sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitationEntry {
    pub kind: EntryKind,
    /// The entry as written.
    pub text: String,
    /// Document name without the year (MTUS entries).
    pub document: Option<String>,
    pub year: Option<u16>,
    pub sections: Vec<String>,
    /// The catalogue key this entry normalises to (filled by the rule pack;
    /// `null` in `parse` output and for citations the catalogue does not know).
    pub key: Option<String>,
    pub span: Span,
}

static NO_EVIDENCE: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)did\s+not\s+(?:cite|rely\s+on)\s+any\s+(?:medical\s+evidence|evidence[\s-]*based\s+(?:medical\s+)?(?:treatment\s+)?guidelines?|(?:medical\s+treatment\s+)?guidelines?)").unwrap()
});
/// The lead-in and tail of a 2013 prose statement around a non-MTUS document:
/// "The Claims Administrator based its decision on the …, which is not part of the MTUS."
static PROSE_LEAD_IN: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)^The\s+(?:Claims\s+Administrator|Expert\s+Reviewer|Reviewer|Physician\s+Reviewer)\s+(?:based\s+(?:its|his|her|the)\s+decision\s+on|relied\s+(?:up)?on|cited|referenced)\s+(?:the\s+)?").unwrap()
});
static PROSE_TAIL: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i),?\s*which\s+(?:is|are)\s+not\s+(?:a\s+)?part\s+of\s+the\s+MTUS\.?$")
        .unwrap()
});
static OUTSIDE: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"(?i)outside\s+(?:of\s+)?the\s+MTUS").unwrap());
static BASED_ON: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"(?i)Decision\s+based\s+on\s+").unwrap());
static NON_MTUS: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"(?i)^Non-?\s*MTUS\s+Citation:?\s*").unwrap());
static MTUS: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"^(?:the\s+)?(?:CA\s+)?MTUS:?\s+").unwrap());
static YEAR: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"\s\(?((?:19|20)\d{2})\)?(?:,|\.|\s*$|\s+and\b)").unwrap());
static DOCUMENT_AHEAD: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"^[A-Z][A-Za-z ,&/()'-]{2,80}?\s(?:19|20)\d{2}(?:,|\.|\s*$)").unwrap()
});
static SECTIONS: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"^,?\s*Section\(s\):?\s*").unwrap());
static SECTIONS_WITHIN: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r",?\s*Section\(s\):?\s*").unwrap());
static PROSE_2013: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\bMTUS\s+(?P<doc>[A-Z][A-Za-z &/-]*?)\s*(?:\((?P<year>(?:19|20)\d{2})\))?(?:,\s*(?P<sections>.+?))?(?:,\s*which\b.*|\.)?$").unwrap()
});

/// Parses the guideline statement at `range` of the source.
pub fn parse_citation(source: &Source, range: Range<usize>) -> Citation {
    let flat = source.flat_uncached(range.clone());
    let span_of = |r: Range<usize>| {
        let s = flat.source_range(r);
        source.span(s.start, s.end)
    };
    let text = flat.text.as_str();
    let mut entries = Vec::new();
    if let Some(m) = NO_EVIDENCE.find(text) {
        entries.push(CitationEntry {
            kind: EntryKind::NoEvidence,
            text: m.as_str().to_owned(),
            document: None,
            year: None,
            sections: Vec::new(),
            key: None,
            span: span_of(m.range()),
        });
    }
    let clauses: Vec<usize> = BASED_ON.find_iter(text).map(|m| m.end()).collect();
    for (i, &start) in clauses.iter().enumerate() {
        let end = clauses.get(i + 1).map_or(text.len(), |&next| {
            BASED_ON
                .find_at(text, start)
                .map_or(next, |m| m.start().min(next))
        });
        let clause = text[start..end].trim_end();
        if let Some(m) = NON_MTUS.find(clause) {
            let body = clause[m.end()..].trim_end_matches('.').trim_end();
            let at = start + m.end();
            entries.push(entry(
                EntryKind::NonMtus,
                body,
                None,
                None,
                Vec::new(),
                span_of(at..at + body.len()),
            ));
        } else if let Some(m) = MTUS.find(clause) {
            mtus_documents(&clause[m.end()..], start + m.end(), &span_of, &mut entries);
        } else {
            let body = clause.trim_end_matches('.');
            entries.push(entry(
                EntryKind::NonMtus,
                body,
                None,
                None,
                Vec::new(),
                span_of(start..start + body.len()),
            ));
        }
    }
    if clauses.is_empty() && !NO_EVIDENCE.is_match(text) && !text.is_empty() {
        prose_entries(text, &span_of, &mut entries);
    }
    Citation {
        raw: flat.text.clone(),
        span: span_of(0..flat.text.len()),
        outside_mtus: OUTSIDE.is_match(text),
        entries,
    }
}

fn entry(
    kind: EntryKind,
    text: &str,
    document: Option<String>,
    year: Option<u16>,
    sections: Vec<String>,
    span: Span,
) -> CitationEntry {
    CitationEntry {
        kind,
        text: text.to_owned(),
        document,
        year,
        sections,
        key: None,
        span,
    }
}

/// "Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical Treatment 2016, Section(s): Facet blocks."
fn mtus_documents(
    list: &str,
    base: usize,
    span_of: &dyn Fn(Range<usize>) -> Span,
    out: &mut Vec<CitationEntry>,
) {
    let mut pos = 0;
    while pos < list.len() {
        let Some(y) = YEAR.captures_at(list, pos) else {
            let rest = list[pos..]
                .trim()
                .trim_start_matches("and ")
                .trim_end_matches('.');
            if !rest.is_empty() {
                let at = base + pos + list[pos..].find(rest).unwrap_or(0);
                // A document cited without a year may still list its sections.
                let (document, sections) = match SECTIONS_WITHIN.find(rest) {
                    Some(m) => (&rest[..m.start()], split_sections(&rest[m.end()..])),
                    None => (rest, Vec::new()),
                };
                out.push(entry(
                    EntryKind::Mtus,
                    rest,
                    Some(document.trim().to_owned()),
                    None,
                    sections,
                    span_of(at..at + rest.len()),
                ));
            }
            break;
        };
        let year_m = y.get(1).unwrap();
        let doc_raw = &list[pos..y.get(0).unwrap().start()];
        let doc = doc_raw
            .trim()
            .trim_start_matches(',')
            .trim()
            .trim_start_matches("and ")
            .trim();
        let doc_start = pos + doc_raw.find(doc).unwrap_or(0);
        let mut end = year_m.end() + usize::from(list[year_m.end()..].starts_with(')'));
        let mut sections = Vec::new();
        if let Some(s) = SECTIONS.find(&list[end..]) {
            let sec_start = end + s.end();
            let sec_end = next_document(list, sec_start);
            sections = split_sections(&list[sec_start..sec_end]);
            end = sec_end;
        }
        let text = list[doc_start..end].trim_end_matches(['.', ',']).trim_end();
        out.push(entry(
            EntryKind::Mtus,
            text,
            Some(doc.to_owned()),
            year_m.as_str().parse().ok(),
            sections,
            span_of(base + doc_start..base + doc_start + text.len()),
        ));
        // Skip the separator before the next document (", and ").
        pos = end;
        let rest = &list[pos..];
        let skipped = rest.len() - rest.trim_start_matches([',', ' ', '.']).len();
        pos += skipped;
        if list[pos..].starts_with("and ") {
            pos += 4;
        }
    }
}

/// Where the section list starting at `from` ends: at ", and <Document> <year>" or the end.
/// Document names contain commas too ("Forearm, Wrist, and Hand Complaints 2004"),
/// so of the commas that could open the next document (all reaching the same
/// year), the first followed by "and" wins, else the last.
fn next_document(list: &str, from: usize) -> usize {
    static YEAR_AT: LazyLock<DualRegex> =
        LazyLock::new(|| DualRegex::new(r"\s(?:19|20)\d{2}(?:,|\.|\s*$)").unwrap());
    let mut candidates: Vec<(usize, bool, usize)> = Vec::new();
    let mut search = from;
    while let Some(i) = list[search..].find(", ") {
        let comma = search + i;
        let mut after = comma + 2;
        let has_and = list[after..].starts_with("and ");
        if has_and {
            after += 4;
        }
        if DOCUMENT_AHEAD.is_match(&list[after..])
            && let Some(year) = YEAR_AT.find(&list[after..])
        {
            let year_at = after + year.start();
            if candidates.first().is_some_and(|&(_, _, y)| y != year_at) {
                break;
            }
            candidates.push((comma, has_and, year_at));
        }
        search = comma + 2;
    }
    candidates
        .iter()
        .find(|(_, has_and, _)| *has_and)
        .or(candidates.last())
        .map_or(list.len(), |&(comma, _, _)| comma)
}

/// Splits a section list at commas followed by a capital or a digit.
fn split_sections(list: &str) -> Vec<String> {
    let list = list.trim().trim_end_matches('.');
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = list.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b',' if depth <= 0 => {
                let rest = list[i + 1..].trim_start().trim_start_matches("and ");
                if rest
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                {
                    out.push(list[start..i].trim().to_owned());
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    let last = list[start..].trim().trim_start_matches("and ").trim();
    if !last.is_empty() {
        out.push(last.to_owned());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The 2013 and "professional review" prose forms.
fn prose_entries(text: &str, span_of: &dyn Fn(Range<usize>) -> Span, out: &mut Vec<CitationEntry>) {
    let whole = text.trim_end_matches('.');
    let sentence_end = whole.find(". ").unwrap_or(whole.len());
    let first = &whole[..sentence_end];
    if let Some(c) = PROSE_2013.captures(first) {
        let doc = c.name("doc").unwrap().as_str().trim().to_owned();
        let sections = c
            .name("sections")
            .map(|m| split_sections(m.as_str()))
            .unwrap_or_default();
        let m = c.get(0).unwrap();
        out.push(entry(
            EntryKind::Mtus,
            m.as_str().trim_end_matches('.'),
            Some(doc),
            c.name("year").and_then(|y| y.as_str().parse().ok()),
            sections,
            span_of(m.range()),
        ));
    } else {
        let start = PROSE_LEAD_IN.find(first).map_or(0, |m| m.end());
        let end = PROSE_TAIL.find(first).map_or(first.len(), |m| m.start());
        let (start, end) = if start < end {
            (start, end)
        } else {
            (0, first.len())
        };
        out.push(entry(
            EntryKind::NonMtus,
            &first[start..end],
            None,
            None,
            Vec::new(),
            span_of(start..end),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Citation {
        parse_citation(&Source::from_text("t", text), 0..text.len())
    }

    #[test]
    fn a_document_without_a_year_keeps_its_sections() {
        let c = parse(
            "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Section(s): NSAIDs, specific drug list & adverse effects.",
        );
        assert_eq!(c.entries.len(), 1);
        let e = &c.entries[0];
        assert_eq!(
            (e.document.as_deref(), e.year),
            (Some("Chronic Pain Medical Treatment Guidelines"), None)
        );
        assert_eq!(e.sections, ["NSAIDs, specific drug list & adverse effects"]);
    }

    #[test]
    fn prose_forms_of_2013() {
        let c = parse(
            "The Claims Administrator did not cite any evidence based guidelines for its decision.",
        );
        assert_eq!(
            c.entries.iter().map(|e| e.kind).collect::<Vec<_>>(),
            [EntryKind::NoEvidence]
        );
        let c = parse(
            "The Claims Administrator based its decision on the Official Disability Guidelines (ODG),\nLow Back Chapter, Physical Therapy, which is not part of the MTUS.",
        );
        assert_eq!(c.entries.len(), 1);
        assert_eq!(c.entries[0].kind, EntryKind::NonMtus);
        assert_eq!(
            c.entries[0].text,
            "Official Disability Guidelines (ODG), Low Back Chapter, Physical Therapy"
        );
    }

    #[test]
    fn several_documents_with_sections() {
        let c = parse(
            "Decision based on MTUS Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical\nTreatment 2016, Section(s): Facet blocks. Decision based on Non-MTUS Citation ACOEM, 3rd ed., pg. 607.",
        );
        let docs: Vec<_> = c
            .entries
            .iter()
            .map(|e| (e.kind, e.document.clone(), e.year, e.sections.clone()))
            .collect();
        assert_eq!(
            docs,
            [
                (
                    EntryKind::Mtus,
                    Some("Low Back Complaints".into()),
                    Some(2004),
                    vec!["Summary".to_owned()]
                ),
                (
                    EntryKind::Mtus,
                    Some("Chronic Pain Medical Treatment".into()),
                    Some(2016),
                    vec!["Facet blocks".to_owned()]
                ),
                (EntryKind::NonMtus, None, None, vec![]),
            ]
        );
        assert_eq!(c.entries[2].text, "ACOEM, 3rd ed., pg. 607");
    }

    #[test]
    fn commas_inside_names_and_sections() {
        let c = parse(
            "Decision based on MTUS Forearm, Wrist, and Hand Complaints 2004, Section(s): Special Studies, Diagnostic Criteria, and Opioid Treatment 2016, Section(s): Opioids, criteria for use, 3.3.9 Ongoing opioid treatment.",
        );
        assert_eq!(
            c.entries[0].document.as_deref(),
            Some("Forearm, Wrist, and Hand Complaints")
        );
        assert_eq!(
            c.entries[0].sections,
            ["Special Studies", "Diagnostic Criteria"]
        );
        assert_eq!(
            c.entries[1].sections,
            [
                "Opioids, criteria for use",
                "3.3.9 Ongoing opioid treatment"
            ]
        );
    }

    #[test]
    fn no_evidence_and_prose() {
        let c =
            parse("The Claims Administrator did not cite any medical evidence\nfor its decision.");
        assert_eq!(c.entries[0].kind, EntryKind::NoEvidence);
        let c = parse(
            "The Expert Reviewer relied on the MTUS Chronic Pain Medical Treatment Guidelines (2009), Chronic pain programs, pages 30-34.",
        );
        assert_eq!(c.entries[0].year, Some(2009));
        assert_eq!(
            c.entries[0].document.as_deref(),
            Some("Chronic Pain Medical Treatment Guidelines")
        );
    }
}
