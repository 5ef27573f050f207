//! Finds the disputed items and cuts each into its request, decision, the two
//! guideline statements and the rationale.
//!
//! 2014+ letters mark each item with "`<request>: Upheld|Overturned`" followed by
//! "Claims Administrator guideline:", "MAXIMUS guideline:" and "Decision
//! rationale:". The request has no heading of its own: it starts on the line
//! after the previous rationale's last sentence, so it is found by walking back
//! from the decision over wrapped lines, blank lines and page breaks.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::{DualRegex, Haystack};

use super::citation::parse_citation;
use super::layout::{Layout, Sections, words};
use super::rationale::conclusion;
use super::request::parse_request;
use super::{Citations, Decision, Field, Item, Rationale};
use crate::finding::Finding;
use crate::source::Source;

/// A decision word after a request's colon, in any case ("Upheld",
/// "UPHELD"): only where a statement marker follows it ([`AFTER_DECISION`]).
static DECISION: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r":[ \t]*(?:\r?\n[\s\x0c]*)?((?i:Upheld|Overturned))\b").unwrap()
});
static CA_MARK: LazyLock<DualRegex> = LazyLock::new(|| words(r"Claims Administrator guideline:"));
static REVIEWER_MARK: LazyLock<DualRegex> =
    LazyLock::new(|| words(r"(?:MAXIMUS|Expert Reviewer|IMR Reviewer) guideline:"));
static RATIONALE_MARK: LazyLock<DualRegex> = LazyLock::new(|| words(r"Decision rationale:"));
/// What may follow a decision: one of the three statement markers.
static AFTER_DECISION: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"^\s*(?:Claims\s+Administrator\s+guideline:|(?:MAXIMUS|Expert\s+Reviewer|IMR\s+Reviewer)\s+guideline:|Decision\s+rationale:)")
        .unwrap()
});

/// Reads every item of the letter.
pub fn read(source: &Source, sections: &Sections, findings: &mut Vec<Finding>) -> Vec<Item> {
    match sections.layout {
        Layout::Maximus2013 => read_2013(source, findings),
        Layout::MedicalProfessionalReview => read_professional_review(source, sections, findings),
        Layout::Issues2014 | Layout::DocumentsReviewed | Layout::Unknown => {
            read_2014(source, sections.issues.clone(), findings)
        }
    }
}

struct Marker {
    /// Byte offset of the colon before the decision word.
    colon: usize,
    decision: Field<Decision>,
    /// End of the decision word.
    end: usize,
}

fn read_2014(source: &Source, issues: Range<usize>, findings: &mut Vec<Finding>) -> Vec<Item> {
    let text = source.text();
    let region = &text[issues.clone()];
    // Searched again after each item: its ASCII-ness is read once.
    let (whole_text, region_text) = (Haystack::new(text), Haystack::new(region));
    let mut markers = Vec::new();
    for c in DECISION.captures_iter(region) {
        let whole = c.get(0).unwrap();
        let word = c.get(1).unwrap();
        if !AFTER_DECISION.is_match_in(region_text.slice(whole.end()..)) {
            continue;
        }
        let decision = if word.as_str().eq_ignore_ascii_case("Upheld") {
            Decision::Upheld
        } else {
            Decision::Overturned
        };
        let (ws, we) = (issues.start + word.start(), issues.start + word.end());
        markers.push(Marker {
            colon: issues.start + whole.start(),
            decision: Field::new(decision, source.span(ws, we)),
            end: we,
        });
    }
    let mut items = Vec::with_capacity(markers.len());
    let mut floor = issues.start;
    let mut starts = Vec::with_capacity(markers.len());
    for marker in &markers {
        // A rationale marker found past this colon (text out of order) must
        // not push the request's start beyond its own decision.
        let start = request_start(text, floor.min(marker.colon), marker.colon);
        starts.push(start);
        // The next request cannot begin before this item's rationale marker.
        floor = RATIONALE_MARK
            .find_at_in(whole_text, marker.end)
            .map_or(marker.end, |m| m.end())
            .min(text.len());
    }
    for (i, marker) in markers.iter().enumerate() {
        let index = i + 1;
        let block_end = starts.get(i + 1).copied().unwrap_or(issues.end);
        let request = parse_request(source, starts[i]..marker.colon);
        let statements = &text[marker.end..block_end];
        let find = |re: &DualRegex| {
            re.find(statements)
                .map(|m| (marker.end + m.start(), marker.end + m.end()))
        };
        let ca = find(&CA_MARK);
        let reviewer = find(&REVIEWER_MARK);
        let rationale = find(&RATIONALE_MARK);
        let next_start = |after: usize| {
            [ca, reviewer, rationale]
                .into_iter()
                .flatten()
                .map(|(s, _)| s)
                .filter(|&s| s > after)
                .min()
                .unwrap_or(block_end)
        };
        let mut citations = Citations::default();
        if let Some((_, e)) = ca {
            citations.claims_administrator = Some(parse_citation(source, e..next_start(e)));
        } else {
            findings.push(
                Finding::parse(format!(
                    "item {index}: no 'Claims Administrator guideline:' statement found"
                ))
                .for_item(index)
                .at(marker.decision.span),
            );
        }
        if let Some((_, e)) = reviewer {
            citations.reviewer = Some(parse_citation(source, e..next_start(e)));
        } else {
            findings.push(
                Finding::parse(format!(
                    "item {index}: no 'MAXIMUS guideline:' statement found"
                ))
                .for_item(index)
                .at(marker.decision.span),
            );
        }
        let rationale = match rationale {
            Some((_, e)) => Some(read_rationale(source, e..block_end)),
            None => {
                findings.push(
                    Finding::parse(format!("item {index}: no 'Decision rationale:' found"))
                        .for_item(index)
                        .at(marker.decision.span),
                );
                None
            }
        };
        items.push(Item {
            index,
            request,
            decision: Some(marker.decision.clone()),
            citations,
            rationale,
            span: source.span(starts[i], trim_end(text, block_end, starts[i])),
        });
    }
    items
}

fn read_rationale(source: &Source, range: Range<usize>) -> Rationale {
    let end = trim_end(source.text(), range.end, range.start);
    let conclusion = conclusion(source, range.start..end);
    Rationale {
        span: source.span(range.start, end),
        conclusion,
    }
}

/// Moves `end` back over trailing whitespace and form feeds.
fn trim_end(text: &str, end: usize, floor: usize) -> usize {
    floor + text[floor..end].trim_end().len()
}

/// Phrases that continue a partial-authorisation statement begun on an earlier line.
static PARTIAL_TAIL: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)was\s+authorized\s+by\s+the\s+Claims|remaining\s+IMR\s+eligible|leaving\s+the\s+original\s+request|^The\s+original\s+request,").unwrap()
});
static PARTIAL_HEAD: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"(?i)was\s+the\s+original\s+request").unwrap());

/// Walks back from the decision's colon to the first line of the request.
fn request_start(text: &str, floor: usize, colon: usize) -> usize {
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut start = line_start(colon).max(floor);
    for _ in 0..12 {
        if start <= floor {
            return floor;
        }
        // The previous non-blank line.
        let mut prev_end = start;
        let mut prev = None;
        while prev_end > floor {
            let ps = line_start(prev_end - 1).max(floor);
            let line = text[ps..prev_end].trim_matches(|c: char| c.is_whitespace());
            if !line.is_empty() {
                prev = Some((ps, line));
                break;
            }
            prev_end = ps;
        }
        let Some((prev_start, prev_line)) = prev else {
            return start;
        };
        let gathered = text[start..colon].trim_start_matches(|c: char| c.is_whitespace());
        let continues_partial = PARTIAL_TAIL.is_match(gathered) && !PARTIAL_HEAD.is_match(gathered);
        let starts_lower = gathered.chars().next().is_some_and(char::is_lowercase);
        let prev_closes = prev_line
            .trim_end_matches(['"', '\'', ')', '\u{201d}'])
            .ends_with(['.', '!', '?', ';'])
            // A colon closes only an introduction ("set forth below:"), not "DOS:".
            || (prev_line.ends_with(':') && prev_line.split_whitespace().count() > 3 && !prev_line.ends_with("DOS:"));
        let prev_is_heading = prev_line.len() > 3 && prev_line.chars().all(|c| !c.is_lowercase());
        if (prev_closes || prev_is_heading) && !continues_partial && !starts_lower {
            return start;
        }
        start = prev_start;
    }
    start
}

static STATEMENT_2013: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)(\d+)\)\s*MAXIMUS Federal Services, Inc\.\s*has determined the request for\s+(.+?)\s+is\s+(not\s*)?medically\s*necessary\s+and\s+appropriate\.?").unwrap()
});
static REGARDING_2013: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?m)^\s*(\d+)\)\s*Regarding\s+the\s+request\s+for\b").unwrap()
});
static CA_2013: LazyLock<DualRegex> = LazyLock::new(|| {
    words(r"(?i)Medical Treatment Guideline\(s\) Relied Upon by the Claims Administrator:")
});
static REVIEWER_2013: LazyLock<DualRegex> = LazyLock::new(|| {
    words(r"(?i)Medical Treatment Guideline\(s\) Relied Upon by the Expert Reviewer:")
});
static RATIONALE_2013: LazyLock<DualRegex> =
    LazyLock::new(|| words(r"(?i)Rationale for the Decision:"));

fn read_2013(source: &Source, findings: &mut Vec<Finding>) -> Vec<Item> {
    let text = source.text();
    let flat = source.flat_uncached(0..text.len());
    let mut items: Vec<Item> = Vec::new();
    let blocks: Vec<(usize, usize)> = REGARDING_2013
        .captures_iter(text)
        .filter_map(|c| Some((c[1].parse().ok()?, c.get(0)?.start())))
        .collect();
    for c in STATEMENT_2013.captures_iter(&flat.text) {
        let Ok(number) = c[1].parse::<usize>() else {
            continue;
        };
        if items.iter().any(|item| item.index == number) || number != items.len() + 1 {
            continue;
        }
        let request_m = c.get(2).unwrap();
        let request_range = flat.source_range(request_m.start()..request_m.end());
        let whole = flat.source_range(c.get(0).unwrap().range());
        let decision = if c.get(3).is_some() {
            Decision::Upheld
        } else {
            Decision::Overturned
        };
        let decision_m = flat.source_range(
            c.get(3)
                .map_or(request_m.end()..c.get(0).unwrap().end(), |m| m.range()),
        );
        let mut item = Item {
            index: number,
            request: parse_request(source, request_range),
            decision: Some(Field::new(
                decision,
                source.span(decision_m.start, decision_m.end),
            )),
            citations: Citations::default(),
            rationale: None,
            span: source.span(whole.start, whole.end),
        };
        let block = blocks.iter().position(|&(n, _)| n == number).map(|i| {
            let end = blocks.get(i + 1).map_or(text.len(), |&(_, s)| s);
            blocks[i].1..end
        });
        match block {
            Some(block) => {
                let body = &text[block.clone()];
                let at = |re: &DualRegex| re.find(body).map(|m| (block.start + m.start(), block.start + m.end()));
                let (ca, rev, rat) = (at(&CA_2013), at(&REVIEWER_2013), at(&RATIONALE_2013));
                let next = |after: usize| {
                    [ca, rev, rat].into_iter().flatten().map(|(s, _)| s).filter(|&s| s > after).min().unwrap_or(block.end)
                };
                item.citations.claims_administrator = ca.map(|(_, e)| parse_citation(source, e..next(e)));
                item.citations.reviewer = rev.map(|(_, e)| parse_citation(source, e..next(e)));
                item.rationale = rat.map(|(_, e)| read_rationale(source, e..block.end));
                item.span = source.span(block.start, trim_end(text, block.end, block.start));
            }
            None => findings.push(
                Finding::parse(format!(
                    "item {number}: no 'Regarding the request' section with guidelines and rationale (the letter may be truncated)"
                ))
                .for_item(number)
                .at(item.span),
            ),
        }
        items.push(item);
    }
    items
}

static MPR_ISSUE: LazyLock<DualRegex> = LazyLock::new(|| words(r"ISSUE(?:\(S\)|S)? AT DISPUTE:"));
static MPR_SUMMARY: LazyLock<DualRegex> = LazyLock::new(|| words(r"(?:CLINICAL )?CASE SUMMARY:"));
static MPR_GUIDELINES: LazyLock<DualRegex> = LazyLock::new(|| {
    words(r"MEDICAL TREATMENT GUIDELINE\(S\) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:")
});
static MPR_RATIONALE: LazyLock<DualRegex> = LazyLock::new(|| {
    words(
        r"RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE (IS/WAS|IS|WAS) (NOT )?MEDICALLY NECESSARY:",
    )
});
static ISSUE_QUESTION: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)^(?:\d+[.)]\s*)?(?:Is|Was|Are|Were) the (?:request(?:ed)? (?:for )?)?(.+?)(?:\s+(?:is|was))?\s+medically necessary(?: and appropriate)?\s*\??$").unwrap()
});

fn read_professional_review(
    source: &Source,
    sections: &Sections,
    findings: &mut Vec<Finding>,
) -> Vec<Item> {
    let text = source.text();
    let from = sections.issues.start;
    let Some(issue) = MPR_ISSUE.find_at(text, from) else {
        findings.push(
            Finding::parse("no 'ISSUE AT DISPUTE:' heading found").at(source.span(from, from)),
        );
        return Vec::new();
    };
    let after = |re: &DualRegex| re.find_at(text, issue.end());
    let (summary, guidelines, rationale) = (
        after(&MPR_SUMMARY),
        after(&MPR_GUIDELINES),
        after(&MPR_RATIONALE),
    );
    let issue_end = [summary, guidelines, rationale]
        .into_iter()
        .flatten()
        .map(|m| m.start())
        .min()
        .unwrap_or(text.len());
    let mut request_range = issue.end()..issue_end;
    let flat = source.flat_uncached(request_range.clone());
    if let Some(c) = ISSUE_QUESTION.captures(&flat.text) {
        request_range = flat.source_range(c.get(1).unwrap().range());
    }
    let Some(rationale_heading) =
        rationale.and_then(|m| MPR_RATIONALE.captures_at(text, m.start()))
    else {
        findings.push(
            Finding::parse("no 'RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE ...' heading: the decision cannot be read")
                .at(source.span(issue.start(), issue.end())),
        );
        return Vec::new();
    };
    let heading = rationale_heading.get(0).unwrap();
    let decision = if rationale_heading.get(2).is_some() {
        Decision::Upheld
    } else {
        Decision::Overturned
    };
    let mut citations = Citations::default();
    if let Some(g) = guidelines {
        let end = if heading.start() > g.end() {
            heading.start()
        } else {
            text.len()
        };
        citations.reviewer = Some(parse_citation(source, g.end()..end));
    } else {
        findings.push(
            Finding::parse(
                "item 1: no 'MEDICAL TREATMENT GUIDELINE(S) RELIED UPON ...' heading found",
            )
            .for_item(1)
            .at(source.span(heading.start(), heading.end())),
        );
    }
    vec![Item {
        index: 1,
        request: parse_request(source, request_range),
        decision: Some(Field::new(
            decision,
            source.span(heading.start(), heading.end()),
        )),
        citations,
        rationale: Some(read_rationale(source, heading.end()..text.len())),
        span: source.span(issue.start(), trim_end(text, text.len(), issue.start())),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_starts_after_previous_rationale_sentence() {
        let text = "Decision rationale: It is not medically necessary.\nPhysical therapy right knee 3 times for 3 weeks was the original request. Physical\ntherapy right knee was authorized by the Claims Administrator.\nThe remaining IMR eligible portion of the original request, Physical therapy is: Upheld";
        let colon = text.rfind(": Upheld").unwrap();
        let floor = text.find("rationale:").unwrap() + 10;
        let start = request_start(text, floor, colon);
        assert!(text[start..].starts_with("Physical therapy right knee 3 times"));
    }
}
