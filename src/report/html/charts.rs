//! The HTML report's charts: horizontal stacked bar charts, laid out here
//! (positions, widths, legend) and drawn as inline SVG by the `chart.html`
//! template. Colours are SVG attributes, not CSS, so a chart renders
//! wherever the SVG is copied.

use super::super::stats::{SEVERITIES, Tallies, VerdictCounts};
use crate::checks::explain;
use crate::eval::Verdict;
use crate::finding::{Check, Severity};

const WIDTH: f64 = 860.0;
const LABEL_W: f64 = 270.0;
const BAR_X: f64 = 280.0;
const BAR_W: f64 = 360.0;
const ROW_H: f64 = 24.0;
const TOP: f64 = 34.0;
/// Bar labels longer than this are cut (the tooltip keeps the whole).
const LABEL_CHARS: usize = 40;

/// The colour of each verdict's segment.
pub fn verdict_color(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Agree => "#2e7d32",
        Verdict::Conflict => "#c62828",
        Verdict::Undetermined => "#f9a825",
        Verdict::Uncovered => "#9e9e9e",
    }
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "#c62828",
        Severity::Warning => "#ef6c00",
        Severity::Info => "#1565c0",
    }
}

/// A series: its name (CSS class `s-NAME` and legend) and colour.
struct Series {
    name: String,
    color: &'static str,
}

fn verdict_series() -> Vec<Series> {
    Verdict::ALL
        .iter()
        .map(|&v| Series {
            name: v.to_string(),
            color: verdict_color(v),
        })
        .collect()
}

fn severity_series() -> Vec<Series> {
    SEVERITIES
        .iter()
        .map(|&s| Series {
            name: s.to_string(),
            color: severity_color(s),
        })
        .collect()
}

/// One bar before layout.
struct Bar {
    label: String,
    tooltip: String,
    /// One value per series.
    values: Vec<usize>,
    note: String,
}

/// A chart laid out for the template.
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub width: f64,
    pub height: f64,
    pub legend: Vec<LegendEntry>,
    /// Where the empty text stands when there are no bars, and what it says.
    pub empty_at: Option<(f64, f64)>,
    pub empty: &'static str,
    pub rows: Vec<Row>,
}

pub struct LegendEntry {
    pub x: f64,
    pub text_x: f64,
    pub name: String,
    pub color: &'static str,
}

/// One bar: its label, segments and note.
pub struct Row {
    pub label_x: f64,
    pub text_y: f64,
    pub label: String,
    /// The bar's whole label, shown on hover.
    pub tooltip: String,
    /// The label as the segments' tooltips name it.
    pub name: String,
    pub segments: Vec<Segment>,
    pub note_x: f64,
    pub note: String,
}

pub struct Segment {
    pub series: String,
    pub color: &'static str,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub value: usize,
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(max - 1).collect();
        format!("{kept}…")
    }
}

/// How a chart scales its bars.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scale {
    /// Every bar against the longest: lengths compare counts.
    Counts,
    /// Every bar to full width: its segments are shares of that bar.
    Shares,
}

fn layout(
    id: &'static str,
    title: String,
    series: &[Series],
    bars: Vec<Bar>,
    scale: Scale,
) -> Chart {
    let height = TOP + ROW_H * bars.len().max(1) as f64 + 8.0;
    let longest = bars
        .iter()
        .map(|b| b.values.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut x = BAR_X;
    let legend = series
        .iter()
        .map(|s| {
            let entry = LegendEntry {
                x,
                text_x: x + 16.0,
                name: s.name.clone(),
                color: s.color,
            };
            x += 24.0 + 7.0 * s.name.len() as f64;
            entry
        })
        .collect();
    let empty_at = bars.is_empty().then_some((BAR_X, TOP + 16.0));
    let empty = if id == CONFLICT_RATE {
        "no conflicts"
    } else {
        "no data"
    };
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(row, bar)| {
            let y = TOP + ROW_H * row as f64;
            let max = match scale {
                Scale::Counts => longest,
                Scale::Shares => bar.values.iter().sum::<usize>().max(1) as f64,
            };
            let mut x = BAR_X;
            let mut segments = Vec::new();
            for (s, &value) in series.iter().zip(&bar.values) {
                if value == 0 {
                    continue;
                }
                let width = BAR_W * value as f64 / max;
                segments.push(Segment {
                    series: s.name.clone(),
                    color: s.color,
                    x,
                    y: y + 3.0,
                    width,
                    height: ROW_H - 6.0,
                    value,
                });
                x += width;
            }
            Row {
                label_x: LABEL_W,
                text_y: y + 15.0,
                label: truncate(&bar.label, LABEL_CHARS),
                tooltip: bar.tooltip,
                name: bar.label,
                segments,
                note_x: x + 6.0,
                note: bar.note,
            }
        })
        .collect();
    Chart {
        id,
        title,
        width: WIDTH,
        height,
        legend,
        empty_at,
        empty,
        rows,
    }
}

/// The id of the conflict-rate chart.
const CONFLICT_RATE: &str = "chart-conflict-rate-by-rule";
/// Bars a chart shows at most; the title says how many more there were.
pub const TOP_N: usize = 15;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A chart's title, saying when it shows only the first `TOP_N` bars.
fn titled(title: &str, bars: &mut Vec<Bar>) -> String {
    if bars.len() > TOP_N {
        let more = bars.len() - TOP_N;
        bars.truncate(TOP_N);
        format!("{title} (first {TOP_N}; {more} more not shown)")
    } else {
        title.to_owned()
    }
}

/// Conflict and agreement, the two series of the conflict-rate chart.
fn rate_series() -> Vec<Series> {
    [Verdict::Conflict, Verdict::Agree]
        .iter()
        .map(|&v| Series {
            name: v.to_string(),
            color: verdict_color(v),
        })
        .collect()
}

/// The three charts of the report, from the run's tallies. `document_title`
/// names a catalogue key for the guideline chart's tooltips.
///
/// - Conflict rate by rule: only the rules with a conflict, each bar the
///   rule's decided items (agree + conflict) with the conflicting share in
///   red, highest rate first (then most conflicts).
/// - Findings by check: only the checks that found something, most first.
/// - Verdicts by the guideline the reviewer cited first: most items first.
pub fn charts(tallies: &Tallies, document_title: impl Fn(&str) -> Option<String>) -> [Chart; 3] {
    let (agree, conflict) = (0, 1);
    let mut rated: Vec<(&String, &String, usize, usize)> = tallies
        .by_rule
        .iter()
        .filter(|(_, (_, counts))| counts[conflict] > 0)
        .map(|(id, (title, counts))| (id, title, counts[conflict], counts[agree]))
        .collect();
    // Highest rate first (c/d above c'/d' when c·d' > c'·d: no division),
    // then most conflicts, then by id.
    rated.sort_by(|x, y| {
        let (cx, dx) = (x.2, x.2 + x.3);
        let (cy, dy) = (y.2, y.2 + y.3);
        (cy * dx)
            .cmp(&(cx * dy))
            .then(cy.cmp(&cx))
            .then(x.0.cmp(y.0))
    });
    let mut by_rate: Vec<Bar> = rated
        .into_iter()
        .map(|(id, title, conflicts, agrees)| {
            let decided = conflicts + agrees;
            Bar {
                label: id.clone(),
                tooltip: format!("{id}: {title}"),
                values: vec![conflicts, agrees],
                note: format!(
                    "{:.0}% · {conflicts} of {decided} decided item{}",
                    100.0 * conflicts as f64 / decided as f64,
                    plural(decided)
                ),
            }
        })
        .collect();
    let mut by_check: Vec<(Check, [usize; 3])> = Check::ALL
        .iter()
        .map(|&check| (check, tallies.check(check)))
        .filter(|(_, counts)| counts.iter().sum::<usize>() > 0)
        .collect();
    by_check.sort_by_key(|(_, counts)| std::cmp::Reverse(counts.iter().sum::<usize>()));
    let mut by_check: Vec<Bar> = by_check
        .into_iter()
        .map(|(check, counts)| Bar {
            label: check.id().to_owned(),
            tooltip: format!("{check}: {}", explain::text(check).summary),
            values: counts.to_vec(),
            note: counts.iter().sum::<usize>().to_string(),
        })
        .collect();
    let mut guidelines: Vec<(&String, &VerdictCounts)> = tallies.by_guideline.iter().collect();
    guidelines.sort_by_key(|(_, counts)| std::cmp::Reverse(counts.iter().sum::<usize>()));
    let mut by_guideline: Vec<Bar> = guidelines
        .into_iter()
        .map(|(key, counts)| {
            let decided = counts[agree] + counts[conflict];
            Bar {
                label: key.clone(),
                tooltip: document_title(key)
                    .map_or_else(|| key.clone(), |title| format!("{key}: {title}")),
                values: counts.to_vec(),
                note: format!("{} of {decided} agree", counts[agree]),
            }
        })
        .collect();
    let rate_title = titled(
        "Conflict rate by rule (rules with a conflict)",
        &mut by_rate,
    );
    let check_title = titled("Findings by check", &mut by_check);
    let guideline_title = titled(
        "Verdicts by guideline (reviewer's first citation)",
        &mut by_guideline,
    );
    [
        layout(
            CONFLICT_RATE,
            rate_title,
            &rate_series(),
            by_rate,
            Scale::Shares,
        ),
        layout(
            "chart-findings-by-check",
            check_title,
            &severity_series(),
            by_check,
            Scale::Counts,
        ),
        layout(
            "chart-agreement-by-guideline",
            guideline_title,
            &verdict_series(),
            by_guideline,
            Scale::Counts,
        ),
    ]
}
