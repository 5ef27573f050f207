//! The HTML report's charts: horizontal stacked bar charts, laid out here
//! (positions, widths, legend) and drawn as inline SVG by the `chart.html`
//! template. Colours are SVG attributes, not CSS, so a chart renders
//! wherever the SVG is copied.

use super::super::stats::{SEVERITIES, Tallies, VerdictCounts};
use crate::checks::explain;
use crate::eval::Verdict;
use crate::finding::{Check, Severity};

const WIDTH: f64 = 780.0;
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
    pub title: &'static str,
    pub width: f64,
    pub height: f64,
    pub legend: Vec<LegendEntry>,
    /// Where "no data" stands when there are no bars.
    pub empty_at: Option<(f64, f64)>,
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

fn layout(id: &'static str, title: &'static str, series: &[Series], bars: Vec<Bar>) -> Chart {
    let height = TOP + ROW_H * bars.len().max(1) as f64 + 8.0;
    let max = bars
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
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(row, bar)| {
            let y = TOP + ROW_H * row as f64;
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
        rows,
    }
}

fn items_note(counts: &VerdictCounts) -> String {
    let total: usize = counts.iter().sum();
    format!("{total} item{}", if total == 1 { "" } else { "s" })
}

/// The three charts of the report, from the run's tallies. `document_title`
/// names a catalogue key for the guideline chart's tooltips.
pub fn charts(tallies: &Tallies, document_title: impl Fn(&str) -> Option<String>) -> [Chart; 3] {
    let mut by_rule: Vec<Bar> = tallies
        .by_rule
        .iter()
        .map(|(id, (title, counts))| Bar {
            label: id.clone(),
            tooltip: format!("{id}: {title}"),
            values: counts.to_vec(),
            note: items_note(counts),
        })
        .collect();
    if tallies.uncovered.iter().sum::<usize>() > 0 {
        by_rule.push(Bar {
            label: "(no rule: uncovered)".into(),
            tooltip: "items no rule of the pack applies to".into(),
            values: tallies.uncovered.to_vec(),
            note: items_note(&tallies.uncovered),
        });
    }
    let by_check = Check::ALL
        .iter()
        .map(|&check| {
            let counts = tallies.check(check);
            Bar {
                label: check.id().to_owned(),
                tooltip: format!("{check}: {}", explain::text(check).summary),
                values: counts.to_vec(),
                note: counts.iter().sum::<usize>().to_string(),
            }
        })
        .collect();
    let by_guideline = tallies
        .by_guideline
        .iter()
        .map(|(key, counts)| {
            let decided = counts[0] + counts[1];
            Bar {
                label: key.clone(),
                tooltip: document_title(key)
                    .map_or_else(|| key.clone(), |title| format!("{key}: {title}")),
                values: counts.to_vec(),
                note: format!("{} of {decided} agree", counts[0]),
            }
        })
        .collect();
    [
        layout(
            "chart-verdicts-by-rule",
            "Verdicts by rule",
            &verdict_series(),
            by_rule,
        ),
        layout(
            "chart-findings-by-check",
            "Findings by check",
            &severity_series(),
            by_check,
        ),
        layout(
            "chart-agreement-by-guideline",
            "Agreement by guideline (reviewer's first citation)",
            &verdict_series(),
            by_guideline,
        ),
    ]
}
