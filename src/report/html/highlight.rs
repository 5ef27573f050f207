//! The letter's text as the HTML report shows it: cut into pieces at every
//! line start and at the edges of every evidence and finding span, so the
//! template can write a line-number anchor at each line, a `<mark>` over
//! each marked stretch (classed by how the mention reads in context, titled
//! with what it is) and a pin where a finding points between characters.
//! Overlapping spans are cut at each other's edges, so marks never nest.
//!
//! Pieces hold plain text; the template escapes it. Characters HTML does not
//! allow are made visible here: control characters become their Unicode
//! control pictures, a form feed a page-break marker.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::audit::Audit;
use crate::facts::Status;
use crate::finding::Severity;
use crate::report::view::judged_items;
use crate::report::words;

/// A stretch of text between two cuts.
pub struct Piece {
    /// The line starting here, for its anchor.
    pub line: Option<usize>,
    /// A finding pointing between characters here: its id offset and labels.
    pub pin: Option<(usize, String)>,
    /// The mark over this stretch, if any.
    pub mark: Option<Mark>,
    pub chunks: Vec<Chunk>,
}

/// How a marked stretch looks.
pub struct Mark {
    pub classes: String,
    /// The offset of the span starting here (the anchor links point at).
    pub anchor: Option<usize>,
    pub title: String,
}

/// Text, or a page break.
pub struct Chunk {
    pub text: String,
    pub page_break: bool,
}

/// A span to mark.
struct Marked {
    start: usize,
    end: usize,
    /// Context status for evidence; `None` for a finding span.
    status: Option<Status>,
    severity: Option<Severity>,
    labels: Vec<String>,
}

/// Which context status a mark shows when several overlap: the one that counts most.
fn status_rank(status: Status) -> usize {
    match status {
        Status::Affirmed => 0,
        Status::Negated => 1,
        Status::Historical => 2,
        Status::Hypothetical => 3,
        Status::Guideline => 4,
    }
}

/// Collects the marks: one per distinct span and kind, labels merged.
#[derive(Default)]
struct Marks {
    marks: Vec<Marked>,
    index: BTreeMap<(usize, usize, bool), usize>,
    /// Each mark's labels, as a set: a span every item cites (the case
    /// summary's) gathers a label per item, and looking each up in the
    /// list grew with the square of the items.
    labelled: HashSet<(usize, String)>,
}

impl Marks {
    fn push(
        &mut self,
        (start, end): (usize, usize),
        status: Option<Status>,
        severity: Option<Severity>,
        label: String,
    ) {
        let key = (start, end, status.is_none());
        let marks = &mut self.marks;
        let at = *self.index.entry(key).or_insert_with(|| {
            marks.push(Marked {
                start,
                end,
                status,
                severity,
                labels: Vec::new(),
            });
            marks.len() - 1
        });
        let m = &mut self.marks[at];
        if m.severity < severity {
            m.severity = severity;
        }
        if self.labelled.insert((at, label.clone())) {
            m.labels.push(label);
        }
    }
}

/// Cuts the letter's text into pieces.
pub fn pieces(audit: &Audit) -> Vec<Piece> {
    let text = audit.source.text();
    let valid = |s: usize, e: usize| {
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    let mut marks = Marks::default();
    for view in judged_items(audit, None) {
        let Some(judgement) = &view.judgement else {
            continue;
        };
        for criterion in &judgement.criteria {
            for mention in &criterion.mentions {
                let e = mention.evidence;
                if e.start >= e.end || !valid(e.start, e.end) {
                    continue;
                }
                let label = format!(
                    "{} — {} ({}, {}{}); item {} {}: {}",
                    criterion.fact,
                    criterion.title,
                    e.context,
                    words(e.region),
                    if mention.counted { "" } else { ", not counted" },
                    view.index,
                    criterion.role,
                    words(criterion.status)
                );
                marks.push((e.start, e.end), Some(e.context), None, label);
            }
        }
    }
    let mut pins: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut pinned: HashSet<(usize, String)> = HashSet::new();
    for finding in &audit.findings {
        let label = format!(
            "[{}] {}: {}",
            finding.check, finding.severity, finding.message
        );
        for span in finding.spans() {
            if !valid(span.start, span.end) {
                continue;
            }
            if span.start == span.end {
                if pinned.insert((span.start, label.clone())) {
                    pins.entry(span.start).or_default().push(label.clone());
                }
            } else {
                marks.push(
                    (span.start, span.end),
                    None,
                    Some(finding.severity),
                    label.clone(),
                );
            }
        }
    }
    let marks = marks.marks;

    let mut line_starts: Vec<usize> = vec![0];
    line_starts.extend(
        text.match_indices('\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < text.len()),
    );
    let mut bounds: BTreeSet<usize> = BTreeSet::new();
    bounds.insert(0);
    bounds.insert(text.len());
    bounds.extend(line_starts.iter().copied());
    bounds.extend(pins.keys().copied());
    for m in &marks {
        bounds.insert(m.start);
        bounds.insert(m.end);
    }
    let line_of: BTreeMap<usize, usize> = line_starts
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, i + 1))
        .collect();
    let bounds: Vec<usize> = bounds.into_iter().collect();
    // The marks covering each stretch, kept by a sweep in the marks' own
    // order: every start and end is a bound, so a mark covers a stretch
    // [a, b) exactly when it starts at or before a and ends after it.
    let mut by_start: Vec<usize> = (0..marks.len()).collect();
    by_start.sort_by_key(|&i| marks[i].start);
    let mut by_end: Vec<usize> = (0..marks.len()).collect();
    by_end.sort_by_key(|&i| marks[i].end);
    let (mut started, mut ended) = (0, 0);
    let mut active: BTreeSet<usize> = BTreeSet::new();
    let mut out = Vec::new();
    // The end of the text may carry a pin too.
    for (a, b) in bounds
        .windows(2)
        .map(|w| (w[0], w[1]))
        .chain(std::iter::once((text.len(), text.len())))
    {
        let line = line_of.get(&a).copied().filter(|_| a < text.len());
        let pin = pins
            .get(&a)
            .filter(|_| a < b || a == text.len())
            .map(|labels| (a, labels.join("\n")));
        let chunks = if a < b {
            chunks(&text[a..b])
        } else {
            Vec::new()
        };
        while let Some(&i) = by_start.get(started)
            && marks[i].start <= a
        {
            active.insert(i);
            started += 1;
        }
        while let Some(&i) = by_end.get(ended)
            && marks[i].end <= a
        {
            active.remove(&i);
            ended += 1;
        }
        let covering: Vec<&Marked> = if a < b {
            active.iter().map(|&i| &marks[i]).collect()
        } else {
            Vec::new()
        };
        if line.is_none() && pin.is_none() && chunks.is_empty() {
            continue;
        }
        out.push(Piece {
            line,
            pin,
            mark: mark(&covering, a),
            chunks,
        });
    }
    out
}

/// The mark over a stretch covered by `covering` marks, starting at `at`.
fn mark(covering: &[&Marked], at: usize) -> Option<Mark> {
    if covering.is_empty() {
        return None;
    }
    let mut classes: Vec<String> = Vec::new();
    let status = covering
        .iter()
        .filter_map(|m| m.status)
        .min_by_key(|s| status_rank(*s));
    if let Some(status) = status {
        classes.push("ev".into());
        classes.push(format!("ctx-{status}"));
    }
    if let Some(severity) = covering.iter().filter_map(|m| m.severity).max() {
        classes.push("finding".into());
        classes.push(format!("sev-{severity}"));
    }
    let mut labels: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for m in covering {
        for label in &m.labels {
            if seen.insert(label) {
                labels.push(label);
            }
        }
    }
    Some(Mark {
        classes: classes.join(" "),
        anchor: covering.iter().any(|m| m.start == at).then_some(at),
        title: labels.join("\n"),
    })
}

/// Splits text at form feeds and makes characters HTML does not allow
/// visible: control characters become control pictures, C1 controls the
/// replacement character; carriage returns are dropped.
fn chunks(text: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '\n' | '\t' => current.push(c),
            '\r' => {}
            '\x0c' => {
                if !current.is_empty() {
                    out.push(Chunk {
                        text: std::mem::take(&mut current),
                        page_break: false,
                    });
                }
                out.push(Chunk {
                    text: String::new(),
                    page_break: true,
                });
            }
            '\x7f' => current.push('\u{2421}'),
            c if (c as u32) < 0x20 => {
                current.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'));
            }
            c if (0x80..0xa0).contains(&(c as u32)) => current.push('\u{fffd}'),
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(Chunk {
            text: current,
            page_break: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_made_visible_and_form_feeds_break_pages() {
        let chunks = chunks("a\x00b\x0cc<\r");
        let shown: Vec<(&str, bool)> = chunks
            .iter()
            .map(|c| (c.text.as_str(), c.page_break))
            .collect();
        assert_eq!(shown, [("a\u{2400}b", false), ("", true), ("c<", false)]);
    }
}
