//! The case grid (case number, dates, priority) and the reviewer's credentials.
//!
//! `pdftotext` prints the grid either as a block of labels followed by a block
//! of values (default mode) or as label/value pairs on one row (`-layout`), and
//! "Application Received:" may be split around its value. Both come out right
//! by pairing each value with the oldest label still waiting for one.

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;

use super::layout::{Layout, Sections, words};
use super::{DateField, Dates, Field, Reviewer};
use crate::finding::Finding;
use crate::source::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    CaseNumber,
    Assigned,
    Decision,
    Priority,
    Injury,
    UrDenial,
    Application,
    /// "Received:" on its own: the second half of "Application Received:".
    Received,
}

static LABELS: LazyLock<Vec<(Label, DualRegex)>> = LazyLock::new(|| {
    vec![
        (Label::CaseNumber, words(r"Case Number:")),
        (Label::Assigned, words(r"Date Assigned:")),
        (Label::Decision, words(r"Decision Date:")),
        (Label::Priority, words(r"Priority:")),
        (Label::Injury, words(r"Date of Injury:")),
        (Label::UrDenial, words(r"UR Denial Date:")),
        (
            Label::Application,
            DualRegex::new(r"Application(?:\s+Received:)?").unwrap(),
        ),
        (Label::Received, DualRegex::new(r"\bReceived:").unwrap()),
    ]
});

static CASE_NUMBER: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"\bC[MB]\d{2}-\d{5,8}\b").unwrap());
static DATE: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$").unwrap());

/// Reads the case number, dates and reviewer credentials.
pub fn read(
    source: &Source,
    sections: &Sections,
    findings: &mut Vec<Finding>,
) -> (Option<Field<String>>, Dates, Reviewer) {
    let text = source.text();
    let mut case_number = None;
    let mut dates = Dates::default();
    let mut region = sections.header.clone();
    if region.is_empty() || sections.layout == Layout::MedicalProfessionalReview {
        region = 0..sections
            .case_summary
            .as_ref()
            .map_or_else(|| floor_char_boundary(text, 4000), |s| s.start);
    }
    for (label, value) in grid(text, region) {
        let span = source.span(value.start, value.end);
        let raw = &text[value.clone()];
        let slot = match label {
            Label::CaseNumber => {
                case_number = Some(Field::new(raw.to_owned(), span));
                continue;
            }
            Label::Assigned => &mut dates.assigned,
            Label::Decision => &mut dates.decision,
            Label::Injury => &mut dates.injury,
            Label::UrDenial => &mut dates.ur_denial,
            Label::Application => &mut dates.application_received,
            Label::Priority | Label::Received => continue,
        };
        if slot.is_none() {
            *slot = Some(date_field(source, value, findings));
        }
    }
    if sections.layout == Layout::Maximus2013 {
        read_2013_dates(source, &mut dates, findings);
    }
    if case_number.is_none()
        && let Some(m) = CASE_NUMBER.find(text)
    {
        case_number = Some(Field::new(
            m.as_str().to_owned(),
            source.span(m.start(), m.end()),
        ));
    }
    let reviewer = sections
        .reviewer
        .clone()
        .map(|range| read_reviewer(source, range))
        .unwrap_or_default();
    (case_number, dates, reviewer)
}

/// Pairs grid labels with values in the header region.
fn grid(text: &str, region: Range<usize>) -> Vec<(Label, Range<usize>)> {
    let slice = &text[region.clone()];
    let mut labels: Vec<(usize, usize, Label)> = Vec::new();
    for (label, re) in LABELS.iter() {
        for m in re.find_iter(slice) {
            let overlaps = labels.iter().any(|&(s, e, _)| m.start() < e && s < m.end());
            if !overlaps {
                labels.push((m.start(), m.end(), *label));
            }
        }
    }
    labels.sort_by_key(|&(start, _, _)| start);
    let mut pending: VecDeque<Label> = VecDeque::new();
    let mut pairs = Vec::new();
    let mut cursor = 0;
    let take_values = |from: usize,
                       to: usize,
                       pending: &mut VecDeque<Label>,
                       pairs: &mut Vec<(Label, Range<usize>)>| {
        let gap = &slice[from..to];
        let mut offset = 0;
        for word in gap.split_whitespace() {
            let at = gap[offset..].find(word).map_or(offset, |i| offset + i);
            offset = at + word.len();
            if let Some(label) = pending.pop_front() {
                pairs.push((
                    label,
                    region.start + from + at..region.start + from + offset,
                ));
            }
        }
    };
    for &(start, end, label) in &labels {
        take_values(cursor, start, &mut pending, &mut pairs);
        if label != Label::Received {
            pending.push_back(label);
        }
        cursor = end;
    }
    // Values after the last label: only as many as labels are waiting, on the
    // lines that directly follow (the grid ends at the first prose line).
    // Default mode puts a blank line between labels and values: skip it.
    let gap = block_gap(slice);
    let tail_end = blank_run(slice, cursor, gap)
        .and_then(|(_, after)| blank_run(slice, after, gap))
        .map_or(slice.len(), |(end, _)| end);
    if !pending.is_empty() {
        take_values(cursor, tail_end.min(slice.len()), &mut pending, &mut pairs);
    }
    pairs
}

/// How many blank lines in a row part two blocks of the header: one, or
/// two for a text extracted with a blank line after every line (where one
/// blank line parts every two lines). A header is taken as such when fewer
/// than one in ten of its lines runs straight into the next.
fn block_gap(slice: &str) -> usize {
    let lines: Vec<bool> = slice.lines().map(|l| l.trim().is_empty()).collect();
    let adjacent = lines.windows(2).filter(|w| !w[0] && !w[1]).count();
    let parted = lines.windows(3).filter(|w| !w[0] && w[1] && !w[2]).count();
    if parted >= 4 && adjacent * 10 < parted + adjacent {
        2
    } else {
        1
    }
}

/// The first run of at least `gap` blank lines from `from` in `slice`: the
/// offset where it starts (the end of the line before it) and where the
/// line after it starts; `None` when there is none.
fn blank_run(slice: &str, from: usize, gap: usize) -> Option<(usize, usize)> {
    let mut at = from;
    let mut run: Option<(usize, usize)> = None;
    for line in slice[from..].split_inclusive('\n') {
        let next = at + line.len();
        if line.trim().is_empty() && at > from {
            let (start, count) = run.unwrap_or((at - 1, 0));
            run = Some((start, count + 1));
        } else if at > from
            && let Some((start, count)) = run.take()
            && count >= gap
        {
            return Some((start, at));
        }
        at = next;
    }
    run.filter(|&(_, count)| count >= gap)
        .map(|(start, _)| (start, slice.len()))
}

pub(crate) fn date_field(
    source: &Source,
    range: Range<usize>,
    findings: &mut Vec<Finding>,
) -> DateField {
    let raw = source.text()[range.clone()]
        .trim_end_matches(['.', ',', ';'])
        .to_owned();
    let span = source.span(range.start, range.start + raw.len());
    let date = parse_date(&raw);
    if date.is_none() {
        findings.push(
            Finding::parse(format!(
                "'{raw}' is not a valid date (expected MM/DD/YYYY); it is kept as written"
            ))
            .at(span),
        );
    }
    DateField { raw, date, span }
}

/// The largest char boundary of `text` at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Parses "MM/DD/YYYY", "M/D/YY" or "MM-DD-YYYY" into a calendar date.
pub fn parse_date(raw: &str) -> Option<jiff::civil::Date> {
    let caps = DATE.captures(raw)?;
    let month: i8 = caps[1].parse().ok()?;
    let day: i8 = caps[2].parse().ok()?;
    let mut year: i16 = caps[3].parse().ok()?;
    if caps[3].len() == 2 {
        year += 2000;
    }
    jiff::civil::Date::new(year, month, day).ok()
}

fn read_2013_dates(source: &Source, dates: &mut Dates, findings: &mut Vec<Finding>) {
    static PATTERNS: LazyLock<[DualRegex; 4]> = LazyLock::new(|| {
        [
            words(r"(?i)Determination Dated:\s*(\d[\d/-]*)"),
            words(r"(?i)application for Independent Medical Review was filed on (\d[\d/-]*)"),
            words(r"(?i)Utilization Review Denial dated (\d[\d/-]*)"),
            words(
                r"(?i)Notice of Assignment and Request for Information was provided to the above parties on (\d[\d/-]*)",
            ),
        ]
    });
    static INJURY: LazyLock<DualRegex> =
        LazyLock::new(|| words(r"(?i)date of injury (?:of |on )?(\d[\d/-]*\d)"));
    let text = source.text();
    let slots: [&mut Option<DateField>; 4] = [
        &mut dates.decision,
        &mut dates.application_received,
        &mut dates.ur_denial,
        &mut dates.assigned,
    ];
    for (re, slot) in PATTERNS.iter().zip(slots) {
        if slot.is_none()
            && let Some(c) = re.captures(text)
        {
            let m = c.get(1).unwrap();
            *slot = Some(date_field(source, m.start()..m.end(), findings));
        }
    }
    if dates.injury.is_none()
        && let Some(c) = INJURY.captures(text)
    {
        let m = c.get(1).unwrap();
        dates.injury = Some(date_field(source, m.start()..m.end(), findings));
    }
}

fn read_reviewer(source: &Source, range: Range<usize>) -> Reviewer {
    static LICENSURE: LazyLock<DualRegex> =
        LazyLock::new(|| words(r"State\(s\) of Licensure:[ \t]*([^\n]*)"));
    static SPECIALTY: LazyLock<DualRegex> =
        LazyLock::new(|| words(r"Certification\(s\)/Specialty:[ \t]*([^\n]*)"));
    static LICENSED_2013: LazyLock<DualRegex> = LazyLock::new(|| {
        words(r"(?i)licensed to practice in ([A-Z][A-Za-z ,]*?)(?:\.|\s+He/she|\s+and is|\s*$)")
    });
    static CERTIFIED_2013: LazyLock<DualRegex> = LazyLock::new(|| {
        words(r"(?i)Board Certified in ([A-Z][A-Za-z ,&/]*?)(?:\s+and is|\.|\s*$)")
    });
    let text = source.text();
    // The 2014+ credentials are one line each: read them from the raw text.
    let line_list = |re: &DualRegex| -> Vec<Field<String>> {
        let Some(c) = re.captures(&text[range.clone()]) else {
            return Vec::new();
        };
        let m = c.get(1).unwrap();
        split_list(range.start + m.start(), m.as_str().trim_end(), true)
            .into_iter()
            .map(|(at, name)| Field::new(name.to_owned(), source.span(at, at + name.len())))
            .collect()
    };
    // The 2013 credentials are prose that may wrap: read them flattened.
    let flat = source.flat_uncached(range.clone());
    let prose_list = |re: &DualRegex| -> Vec<Field<String>> {
        let Some(c) = re.captures(&flat.text) else {
            return Vec::new();
        };
        let m = c.get(1).unwrap();
        split_list(m.start(), m.as_str(), std::ptr::eq(re, &*LICENSED_2013))
            .into_iter()
            .map(|(at, name)| {
                let r = flat.source_range(at..at + name.len());
                Field::new(name.to_owned(), source.span(r.start, r.end))
            })
            .collect()
    };
    let mut licensure = line_list(&LICENSURE);
    let mut specialties = line_list(&SPECIALTY);
    if licensure.is_empty() {
        licensure = prose_list(&LICENSED_2013);
    }
    if specialties.is_empty() {
        specialties = prose_list(&CERTIFIED_2013);
    }
    Reviewer {
        licensure,
        specialties,
    }
}

/// Splits "California,North Carolina" or "Texas, Illinois and Nevada" into names with offsets.
/// "and" separates only when `and_separates` (states, not "Physical Medicine and Rehabilitation").
fn split_list(base: usize, list: &str, and_separates: bool) -> Vec<(usize, &str)> {
    static SEP: LazyLock<DualRegex> =
        LazyLock::new(|| DualRegex::new(r"\s*,\s*(?:and\s+)?|\s+and\s+").unwrap());
    static COMMA: LazyLock<DualRegex> = LazyLock::new(|| DualRegex::new(r"\s*,\s*").unwrap());
    let sep = if and_separates { &*SEP } else { &*COMMA };
    let mut out = Vec::new();
    let mut start = 0;
    for m in sep.find_iter(list) {
        push_trimmed(&mut out, base, list, start..m.start());
        start = m.end();
    }
    push_trimmed(&mut out, base, list, start..list.len());
    out
}

fn push_trimmed<'a>(
    out: &mut Vec<(usize, &'a str)>,
    base: usize,
    list: &'a str,
    range: Range<usize>,
) {
    let part = &list[range.clone()];
    let trimmed = part.trim().trim_end_matches('.');
    if !trimmed.is_empty() {
        let lead = part.len() - part.trim_start().len();
        out.push((base + range.start + lead, trimmed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_or_stay_raw() {
        assert_eq!(
            parse_date("01/12/2017"),
            Some(jiff::civil::date(2017, 1, 12))
        );
        assert_eq!(
            parse_date("10-13-16"),
            Some(jiff::civil::date(2016, 10, 13))
        );
        assert_eq!(parse_date("10/204"), None);
        assert_eq!(parse_date("02/30/2017"), None);
    }

    #[test]
    fn grid_pairs_default_and_layout_modes() {
        let default = "Case Number:\nDate Assigned:\n\nCM16-1\n01/02/2017\n\nApplication\nReceived:\n\n01/03/2017\n\nHOW";
        // Extracted with a blank line after every line, the same grid.
        let double: String = default.lines().map(|l| format!("{l}\n\n")).collect();
        for text in [default, double.as_str()] {
            let pairs = grid(text, 0..text.len());
            let got: Vec<_> = pairs.iter().map(|(l, r)| (*l, &text[r.clone()])).collect();
            assert_eq!(
                got,
                [
                    (Label::CaseNumber, "CM16-1"),
                    (Label::Assigned, "01/02/2017"),
                    (Label::Application, "01/03/2017")
                ],
                "{text:?}"
            );
        }
        let layout = "Case Number:   CM16-2\nPriority:   Standard     Application     11/03/2016\n          Received:\n";
        let pairs = grid(layout, 0..layout.len());
        let got: Vec<_> = pairs
            .iter()
            .map(|(l, r)| (*l, &layout[r.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                (Label::CaseNumber, "CM16-2"),
                (Label::Priority, "Standard"),
                (Label::Application, "11/03/2016")
            ]
        );
    }
}
