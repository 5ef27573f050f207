//! `check --format html`: one self-contained HTML file — inline CSS, inline
//! SVG charts and a few lines of inline JavaScript, no external resources.
//!
//! It opens with the run's summary and three bar charts (verdicts by rule,
//! findings by check, verdicts by the guideline the reviewer cited first),
//! then a sortable table of letters, then one section per letter: its items
//! (request, decision, rule, verdict, every criterion with its status and
//! evidence) and the letter's own text, in which every evidence span is a
//! `<mark>` classed by how it reads in context (`ctx-affirmed`, …) and titled
//! with the fact, and every finding span is marked too. Letter sections are
//! rendered as letters arrive; the page is assembled at the end, when the
//! summary is known. No timestamps: the bytes depend only on the input.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::audit::Audit;
use crate::checks::explain;
use crate::eval::{Tri, Verdict};
use crate::facts::{Region, Status};
use crate::finding::{Check, Severity};
use crate::input::InputError;
use crate::letter::EntryKind;
use crate::report::Reporter;
use crate::report::stats::percent;
use crate::report::summary::Summary;
use crate::report::words;
use crate::rules::Pack;

/// Verdict series of the stacked bars: CSS-free colours so the charts render anywhere.
const VERDICT_SERIES: [(&str, &str); 4] = [
    ("agree", "#2e7d32"),
    ("conflict", "#c62828"),
    ("undetermined", "#f9a825"),
    ("uncovered", "#9e9e9e"),
];
const SEVERITY_SERIES: [(&str, &str); 3] = [
    ("error", "#c62828"),
    ("warning", "#ef6c00"),
    ("info", "#1565c0"),
];

/// Collects letter sections and chart data; renders the page at the end.
pub struct HtmlReport {
    pack_name: String,
    pack_version: u32,
    /// Catalogue key → document title, for chart tooltips.
    documents: BTreeMap<String, String>,
    rows: Vec<Row>,
    sections: String,
    /// Rule id → title and verdict counts (in `Verdict::ALL` order).
    by_rule: BTreeMap<String, (String, [usize; 4])>,
    uncovered: [usize; 4],
    /// Guideline of the reviewer's first citation entry → verdict counts.
    by_guideline: BTreeMap<String, [usize; 4]>,
    /// Check → counts by severity (error, warning, info).
    by_check: BTreeMap<Check, [usize; 3]>,
}

struct Row {
    number: usize,
    path: String,
    case_number: Option<String>,
    items: usize,
    verdicts: [usize; 4],
    findings: usize,
    errors: usize,
}

impl HtmlReport {
    pub fn new(pack: &Pack) -> HtmlReport {
        HtmlReport {
            pack_name: pack.name.clone(),
            pack_version: pack.version,
            documents: pack
                .catalogue
                .documents
                .iter()
                .map(|d| (d.key.clone(), d.title.clone()))
                .collect(),
            rows: Vec::new(),
            sections: String::new(),
            by_rule: BTreeMap::new(),
            uncovered: [0; 4],
            by_guideline: BTreeMap::new(),
            by_check: BTreeMap::new(),
        }
    }
}

fn verdict_index(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Agree => 0,
        Verdict::Conflict => 1,
        Verdict::Undetermined => 2,
        Verdict::Uncovered => 3,
    }
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// The guideline an item is grouped under: the catalogue key of the
/// reviewer's first citation entry, or why there is none.
fn guideline_of(item: &crate::letter::Item) -> String {
    let Some(citation) = &item.citations.reviewer else {
        return "(no reviewer citation)".into();
    };
    let Some(entry) = citation.entries.first() else {
        return "(citation not read)".into();
    };
    match (&entry.key, entry.kind) {
        (Some(key), _) => key.clone(),
        (None, EntryKind::NoEvidence) => "(no evidence cited)".into(),
        (None, _) => "(not in catalogue)".into(),
    }
}

impl Reporter for HtmlReport {
    fn letter(&mut self, _out: &mut dyn std::io::Write, audit: &Audit) -> std::io::Result<()> {
        self.add(audit);
        Ok(())
    }

    /// Reported from the summary in `finish`.
    fn unreadable(
        &mut self,
        _out: &mut dyn std::io::Write,
        _error: &InputError,
    ) -> std::io::Result<()> {
        Ok(())
    }

    fn finish(
        self: Box<Self>,
        out: &mut dyn std::io::Write,
        summary: &Summary,
    ) -> std::io::Result<()> {
        out.write_all(&self.render(summary))
    }
}

impl HtmlReport {
    fn add(&mut self, audit: &Audit) {
        let number = self.rows.len() + 1;
        let mut verdicts = [0; 4];
        for (item, evaluation) in audit.letter.items.iter().zip(&audit.evaluations) {
            let v = verdict_index(evaluation.verdict);
            verdicts[v] += 1;
            match &evaluation.rule {
                Some(rule) => {
                    self.by_rule
                        .entry(rule.id.clone())
                        .or_insert_with(|| (rule.title.clone(), [0; 4]))
                        .1[v] += 1;
                }
                None => self.uncovered[v] += 1,
            }
            self.by_guideline.entry(guideline_of(item)).or_default()[v] += 1;
        }
        for finding in &audit.findings {
            self.by_check.entry(finding.check).or_default()[severity_index(finding.severity)] += 1;
        }
        let row = Row {
            number,
            path: audit.source.path().display().to_string(),
            case_number: audit.letter.case_number.as_ref().map(|c| c.value.clone()),
            items: audit.letter.items.len(),
            verdicts,
            findings: audit.findings.len(),
            errors: audit
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count(),
        };
        letter_section(&mut self.sections, number, audit, &row);
        self.rows.push(row);
    }

    fn render(self, summary: &Summary) -> Vec<u8> {
        let mut out = String::with_capacity(self.sections.len() + 32 * 1024);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"imr-audit {version}\">\n\
             <title>imr-audit report: {letters} letter{s}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
            version = env!("CARGO_PKG_VERSION"),
            letters = summary.letters,
            s = if summary.letters == 1 { "" } else { "s" },
        );
        let _ = write!(
            out,
            "<header>\n<h1>imr-audit report</h1>\n<p class=\"meta\">imr-audit {} · rule pack {} v{} · {} letter{}</p>\n</header>\n<main>\n",
            env!("CARGO_PKG_VERSION"),
            esc(&self.pack_name),
            self.pack_version,
            summary.letters,
            if summary.letters == 1 { "" } else { "s" },
        );
        self.summary_section(&mut out, summary);
        self.charts_section(&mut out);
        self.letters_table(&mut out);
        out.push_str(&self.sections);
        let _ = write!(out, "</main>\n<script>{JS}</script>\n</body>\n</html>\n");
        out.into_bytes()
    }
}

impl HtmlReport {
    fn summary_section(&self, out: &mut String, summary: &Summary) {
        let count = |v: Verdict| summary.verdicts.get(&v).copied().unwrap_or(0);
        let agree = count(Verdict::Agree);
        let total_findings: usize = summary.findings.values().sum();
        out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
        let cards = [
            (
                "letters",
                summary.letters.to_string(),
                format!("{} unreadable", summary.unreadable.len()),
            ),
            (
                "items",
                summary.items.to_string(),
                format!("{} covered by a rule", summary.covered),
            ),
            (
                "coverage",
                percent(summary.covered, summary.items),
                format!("{} of {} items", summary.covered, summary.items),
            ),
            (
                "agreement",
                percent(agree, summary.decided()),
                format!("{agree} of {} decided items", summary.decided()),
            ),
            (
                "conflicts",
                count(Verdict::Conflict).to_string(),
                format!(
                    "{} undetermined · {} uncovered",
                    count(Verdict::Undetermined),
                    count(Verdict::Uncovered)
                ),
            ),
            (
                "findings",
                total_findings.to_string(),
                [Severity::Error, Severity::Warning, Severity::Info]
                    .iter()
                    .map(|s| format!("{} {s}", summary.severities.get(s).copied().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
        ];
        for (label, value, note) in cards {
            let _ = writeln!(
                out,
                "<div class=\"card\" id=\"card-{label}\"><div class=\"label\">{label}</div><div class=\"value\">{}</div><div class=\"note\">{}</div></div>",
                esc(&value),
                esc(&note)
            );
        }
        out.push_str("</div>\n");
        out.push_str(
            "<h3>Findings by check</h3>\n<table class=\"checks\">\n<thead><tr><th>check</th><th>what it means</th><th class=\"num\">findings</th></tr></thead>\n<tbody>\n",
        );
        for &check in Check::ALL {
            let n = summary.findings.get(&check).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "<tr{}><td><code>{}</code></td><td>{}</td><td class=\"num\">{n}</td></tr>",
                if n == 0 { " class=\"zero\"" } else { "" },
                check.id(),
                esc(explain::text(check).summary)
            );
        }
        out.push_str("</tbody>\n</table>\n");
        if summary.unreadable.is_empty() {
            out.push_str("<p class=\"unreadable none\">Every letter was read.</p>\n");
        } else {
            out.push_str(
                "<h3>Unreadable letters</h3>\n<p>Letters that could not be read at all, or in which no disputed item was found:</p>\n<ul class=\"unreadable\">\n",
            );
            for path in &summary.unreadable {
                let _ = writeln!(out, "<li><code>{}</code></li>", esc(path));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }

    fn charts_section(&self, out: &mut String) {
        out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
        let mut bars: Vec<Bar> = self
            .by_rule
            .iter()
            .map(|(id, (title, counts))| Bar {
                label: id.clone(),
                tooltip: format!("{id}: {title}"),
                values: counts.to_vec(),
                note: items_note(counts),
            })
            .collect();
        if self.uncovered.iter().sum::<usize>() > 0 {
            bars.push(Bar {
                label: "(no rule: uncovered)".into(),
                tooltip: "items no rule of the pack applies to".into(),
                values: self.uncovered.to_vec(),
                note: items_note(&self.uncovered),
            });
        }
        chart(
            out,
            "chart-verdicts-by-rule",
            "Verdicts by rule",
            &VERDICT_SERIES,
            &bars,
        );

        let bars: Vec<Bar> = Check::ALL
            .iter()
            .map(|check| {
                let counts = self.by_check.get(check).copied().unwrap_or_default();
                Bar {
                    label: check.id().to_owned(),
                    tooltip: format!("{}: {}", check.id(), explain::text(*check).summary),
                    values: counts.to_vec(),
                    note: counts.iter().sum::<usize>().to_string(),
                }
            })
            .collect();
        chart(
            out,
            "chart-findings-by-check",
            "Findings by check",
            &SEVERITY_SERIES,
            &bars,
        );

        let bars: Vec<Bar> = self
            .by_guideline
            .iter()
            .map(|(key, counts)| {
                let decided = counts[0] + counts[1];
                Bar {
                    label: key.clone(),
                    tooltip: self
                        .documents
                        .get(key)
                        .map_or_else(|| key.clone(), |title| format!("{key}: {title}")),
                    values: counts.to_vec(),
                    note: format!("{} of {decided} agree", counts[0]),
                }
            })
            .collect();
        chart(
            out,
            "chart-agreement-by-guideline",
            "Agreement by guideline (reviewer's first citation)",
            &VERDICT_SERIES,
            &bars,
        );
        out.push_str("</section>\n");
    }

    fn letters_table(&self, out: &mut String) {
        out.push_str(
            "<section id=\"letters-section\">\n<h2>Letters</h2>\n<p class=\"hint\">Click a column header to sort.</p>\n\
             <table id=\"letters\" class=\"sortable\">\n<thead><tr>\
             <th data-type=\"text\" tabindex=\"0\">letter</th>\
             <th data-type=\"text\" tabindex=\"0\">case number</th>\
             <th data-type=\"num\" tabindex=\"0\">items</th>\
             <th data-type=\"num\" tabindex=\"0\">agree</th>\
             <th data-type=\"num\" tabindex=\"0\">conflict</th>\
             <th data-type=\"num\" tabindex=\"0\">undetermined</th>\
             <th data-type=\"num\" tabindex=\"0\">uncovered</th>\
             <th data-type=\"num\" tabindex=\"0\">findings</th>\
             </tr></thead>\n<tbody>\n",
        );
        for row in &self.rows {
            let case = row.case_number.as_deref().unwrap_or("");
            let _ = write!(
                out,
                "<tr class=\"letter-row{}\"><td data-v=\"{path}\"><a href=\"#letter-{n}\">{path}</a></td><td data-v=\"{case}\">{case}</td><td data-v=\"{items}\">{items}</td>",
                if row.items == 0 { " unreadable" } else { "" },
                path = esc(&row.path),
                n = row.number,
                case = esc(case),
                items = row.items,
            );
            for (i, count) in row.verdicts.iter().enumerate() {
                let class = if *count > 0 {
                    format!(" class=\"v-{}\"", VERDICT_SERIES[i].0)
                } else {
                    String::new()
                };
                let _ = write!(out, "<td data-v=\"{count}\"{class}>{count}</td>");
            }
            let _ = writeln!(
                out,
                "<td data-v=\"{f}\">{f}{}</td></tr>",
                if row.errors > 0 {
                    format!(
                        " <span class=\"errors\">({} error{})</span>",
                        row.errors,
                        if row.errors == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                },
                f = row.findings,
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

fn items_note(counts: &[usize; 4]) -> String {
    let total: usize = counts.iter().sum();
    format!("{total} item{}", if total == 1 { "" } else { "s" })
}

/// One bar of a horizontal stacked bar chart.
struct Bar {
    label: String,
    tooltip: String,
    /// One value per series.
    values: Vec<usize>,
    note: String,
}

/// A horizontal stacked bar chart as inline SVG.
fn chart(out: &mut String, id: &str, title: &str, series: &[(&str, &str)], bars: &[Bar]) {
    const WIDTH: f64 = 780.0;
    const LABEL_W: f64 = 270.0;
    const BAR_X: f64 = 280.0;
    const BAR_W: f64 = 360.0;
    const ROW_H: f64 = 24.0;
    const TOP: f64 = 34.0;
    let rows = bars.len().max(1);
    let height = TOP + ROW_H * rows as f64 + 8.0;
    let max = bars
        .iter()
        .map(|b| b.values.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let _ = write!(
        out,
        "<figure class=\"chart\">\n<figcaption>{t}</figcaption>\n<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title>{t}</title>\n",
        t = esc(title),
    );
    // Legend.
    let mut x = BAR_X;
    for (name, color) in series {
        let _ = writeln!(
            out,
            "<rect class=\"legend\" x=\"{x}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{tx}\" y=\"18\" fill=\"#333\">{name}</text>",
            tx = x + 16.0,
        );
        x += 24.0 + 7.0 * name.len() as f64;
    }
    if bars.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{BAR_X}\" y=\"{y}\" fill=\"#666\">no data</text>",
            y = TOP + 16.0
        );
    }
    for (row, bar) in bars.iter().enumerate() {
        let y = TOP + ROW_H * row as f64;
        let _ = write!(
            out,
            "<g class=\"bar\"><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"#222\"><title>{tip}</title>{label}</text>",
            lx = LABEL_W,
            ty = y + 15.0,
            tip = esc(&bar.tooltip),
            label = esc(&truncate(&bar.label, 40)),
        );
        let mut x = BAR_X;
        for ((name, color), value) in series.iter().zip(&bar.values) {
            if *value == 0 {
                continue;
            }
            let w = BAR_W * *value as f64 / max;
            let _ = write!(
                out,
                "<rect class=\"seg s-{name}\" x=\"{x:.1}\" y=\"{y1}\" width=\"{w:.1}\" height=\"{h}\" fill=\"{color}\"><title>{tip}: {name} {value}</title></rect>",
                y1 = y + 3.0,
                h = ROW_H - 6.0,
                tip = esc(&bar.label),
            );
            x += w;
        }
        let _ = writeln!(
            out,
            "<text x=\"{nx:.1}\" y=\"{ty}\" fill=\"#444\">{note}</text></g>",
            nx = x + 6.0,
            ty = y + 15.0,
            note = esc(&bar.note),
        );
    }
    out.push_str("</svg>\n</figure>\n");
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(max - 1).collect();
        format!("{kept}…")
    }
}

/// The entity for a character HTML reserves, if it is one.
fn entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    }
}

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match entity(c) {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
    out
}

/// Escapes letter text for `<pre>`: control characters become visible symbols
/// (they are not allowed in HTML), a form feed becomes a page-break marker.
fn esc_letter(text: &str, out: &mut String) {
    for c in text.chars() {
        if let Some(e) = entity(c) {
            out.push_str(e);
            continue;
        }
        match c {
            '\n' | '\t' => out.push(c),
            '\r' => {}
            '\x0c' => out.push_str("<span class=\"ff\" title=\"page break\"></span>"),
            '\x7f' => out.push('\u{2421}'),
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'));
            }
            c if (0x80..0xa0).contains(&(c as u32)) => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
}

fn region_name(region: Region) -> &'static str {
    match region {
        Region::CaseSummary => "case summary",
        Region::Rationale => "rationale",
    }
}

fn verdict_badge(verdict: Verdict) -> String {
    format!("<span class=\"verdict v-{v}\">{v}</span>", v = verdict)
}

fn letter_section(out: &mut String, n: usize, audit: &Audit, row: &Row) {
    let letter = &audit.letter;
    let path = audit.source.path().display().to_string();
    let _ = writeln!(
        out,
        "<section class=\"letter\" id=\"letter-{n}\">\n<h2><span class=\"path\">{}</span>{}</h2>",
        esc(&path),
        letter
            .case_number
            .as_ref()
            .map_or(String::new(), |c| format!(
                " <span class=\"case\">{}</span>",
                esc(&c.value)
            )),
    );
    let mut meta = vec![format!("layout {}", letter.layout)];
    if let Some(d) = &letter.dates.decision {
        meta.push(format!("decision date {}", d.raw));
    }
    meta.push(format!(
        "{} item{}",
        row.items,
        if row.items == 1 { "" } else { "s" }
    ));
    meta.push(format!(
        "{} finding{}",
        row.findings,
        if row.findings == 1 { "" } else { "s" }
    ));
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&meta.join(" · ")));

    if letter.items.is_empty() {
        out.push_str(
            "<p class=\"empty\">No disputed item with a decision was found in this letter.</p>\n",
        );
    } else {
        out.push_str(
            "<table class=\"items\">\n<thead><tr><th>#</th><th>request under review</th><th>decision</th><th>rule</th><th>implies</th><th>verdict</th></tr></thead>\n<tbody>\n",
        );
        for (item, evaluation) in letter.items.iter().zip(&audit.evaluations) {
            let mut request = esc(&fold(&item.request.under_review.value));
            if let Some(original) = &item.request.original {
                let _ = write!(
                    request,
                    "<div class=\"sub\">original request: {}</div>",
                    esc(&fold(&original.value))
                );
            }
            if let Some(authorized) = &item.request.authorized {
                let _ = write!(
                    request,
                    "<div class=\"sub\">authorized: {}</div>",
                    esc(&fold(&authorized.value))
                );
            }
            let decision = item.decision.as_ref().map_or_else(
                || "<span class=\"none\">none</span>".to_owned(),
                |d| {
                    format!(
                        "{} <a class=\"at\" href=\"#l{n}-o{}\">line {}</a>",
                        d.value, d.span.start, d.span.line
                    )
                },
            );
            let rule = evaluation.rule.as_ref().map_or_else(
                || "<span class=\"none\">none covers this request</span>".to_owned(),
                |r| {
                    format!(
                        "<code>{}</code><div class=\"sub\">{} ({}){}</div>",
                        esc(&r.id),
                        esc(&r.title),
                        esc(&r.edition),
                        if r.confidence == crate::rules::Confidence::Unconfirmed {
                            " <span class=\"unconfirmed\">criteria partly unconfirmed</span>"
                        } else {
                            ""
                        }
                    )
                },
            );
            let _ = writeln!(
                out,
                "<tr class=\"item\" id=\"letter-{n}-item-{i}\"><td>{i}</td><td>{request}</td><td>{decision}</td><td>{rule}</td><td>{expected}</td><td>{verdict}</td></tr>",
                i = item.index,
                expected = evaluation.expected.map_or("—", |e| e.into()),
                verdict = verdict_badge(evaluation.verdict),
            );
            out.push_str("<tr class=\"criteria\"><td></td><td colspan=\"5\">");
            if !evaluation.criteria.is_empty() {
                out.push_str("<ul class=\"criteria\">");
                for outcome in &evaluation.criteria {
                    let tri = match outcome.status {
                        Tri::Met => "met",
                        Tri::NotMet => "not-met",
                        Tri::NotDocumented => "not-documented",
                    };
                    let _ = write!(
                        out,
                        "<li class=\"tri-{tri}\"><span class=\"tri\">{}</span> <code>{}</code> — {} <span class=\"role\">{}</span>",
                        words(outcome.status),
                        esc(&outcome.fact),
                        esc(&outcome.title),
                        outcome.role
                    );
                    for (e, ignored) in outcome
                        .evidence
                        .iter()
                        .map(|e| (e, false))
                        .chain(outcome.ignored.iter().map(|e| (e, true)))
                    {
                        let _ = write!(
                            out,
                            " <a class=\"ev ctx-{ctx}{ign}\" href=\"#l{n}-o{start}\">{pre}line {line} “{text}” ({ctx}, {region})</a>",
                            ctx = e.context,
                            ign = if ignored { " ignored" } else { "" },
                            pre = if ignored { "ignored: " } else { "" },
                            start = e.start,
                            line = e.line,
                            text = esc(&e.text),
                            region = region_name(e.region),
                        );
                    }
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
            if !evaluation.reasons.is_empty() {
                let _ = write!(
                    out,
                    "<p class=\"reasons\">{}</p>",
                    esc(&evaluation.reasons.join("; "))
                );
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    if !audit.findings.is_empty() {
        out.push_str("<h3>Findings</h3>\n<ul class=\"findings\">\n");
        for finding in &audit.findings {
            let at = finding.primary().map_or(String::new(), |s| {
                let anchor = if s.start == s.end { "p" } else { "o" };
                format!(
                    " <a class=\"at\" href=\"#l{n}-{anchor}{}\">line {}:{}</a>",
                    s.start, s.line, s.column
                )
            });
            let _ = writeln!(
                out,
                "<li class=\"sev-{sev}\"><span class=\"sev\">{sev}</span> <code>{check}</code>{item}{at} {msg}</li>",
                sev = finding.severity,
                check = finding.check,
                item = finding.item.map_or(String::new(), |i| format!(
                    " <span class=\"item-ref\">item {i}</span>"
                )),
                msg = esc(&finding.message),
            );
        }
        out.push_str("</ul>\n");
    }

    out.push_str(
        "<details class=\"text\" open>\n<summary>Letter text</summary>\n<p class=\"legend\">\
         <mark class=\"ev ctx-affirmed\">affirmed</mark> <mark class=\"ev ctx-negated\">negated</mark> \
         <mark class=\"ev ctx-historical\">historical</mark> <mark class=\"ev ctx-hypothetical\">hypothetical</mark> \
         <mark class=\"ev ctx-guideline\">guideline</mark> <mark class=\"finding sev-error\">finding</mark></p>\n<pre class=\"letter-text\">",
    );
    highlighted_text(out, n, audit);
    out.push_str("</pre>\n</details>\n</section>\n");
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a marked stretch of the letter is.
struct Marked {
    start: usize,
    end: usize,
    /// Context status for evidence; `None` for a finding span.
    status: Option<Status>,
    severity: Option<Severity>,
    labels: Vec<String>,
}

/// Writes the letter's text with evidence and finding spans as `<mark>`s,
/// a line-number anchor at each line and a pin where a finding points
/// between characters. Overlapping spans are cut at each other's edges, so
/// marks never nest.
fn highlighted_text(out: &mut String, n: usize, audit: &Audit) {
    let text = audit.source.text();
    let valid = |s: usize, e: usize| {
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    let mut marks: Vec<Marked> = Vec::new();
    let mut index: BTreeMap<(usize, usize, bool), usize> = BTreeMap::new();
    let mut push = |marks: &mut Vec<Marked>,
                    start: usize,
                    end: usize,
                    status: Option<Status>,
                    severity: Option<Severity>,
                    label: String| {
        let key = (start, end, status.is_none());
        let at = *index.entry(key).or_insert_with(|| {
            marks.push(Marked {
                start,
                end,
                status,
                severity,
                labels: Vec::new(),
            });
            marks.len() - 1
        });
        let m = &mut marks[at];
        if m.severity < severity {
            m.severity = severity;
        }
        if !m.labels.contains(&label) {
            m.labels.push(label);
        }
    };
    for evaluation in &audit.evaluations {
        for outcome in &evaluation.criteria {
            for (e, ignored) in outcome
                .evidence
                .iter()
                .map(|e| (e, false))
                .chain(outcome.ignored.iter().map(|e| (e, true)))
            {
                if e.start >= e.end || !valid(e.start, e.end) {
                    continue;
                }
                let label = format!(
                    "{} — {} ({}, {}{}); item {} {}: {}",
                    outcome.fact,
                    outcome.title,
                    e.context,
                    region_name(e.region),
                    if ignored { ", not counted" } else { "" },
                    evaluation.index,
                    outcome.role,
                    words(outcome.status)
                );
                push(&mut marks, e.start, e.end, Some(e.context), None, label);
            }
        }
    }
    let mut pins: BTreeMap<usize, Vec<String>> = BTreeMap::new();
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
                let labels = pins.entry(span.start).or_default();
                if !labels.contains(&label) {
                    labels.push(label.clone());
                }
            } else {
                push(
                    &mut marks,
                    span.start,
                    span.end,
                    None,
                    Some(finding.severity),
                    label.clone(),
                );
            }
        }
    }

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
    let line_set: BTreeMap<usize, usize> = line_starts
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, i + 1))
        .collect();
    let bounds: Vec<usize> = bounds.into_iter().collect();
    for pair in bounds.windows(2).map(|w| (w[0], w[1])).chain(
        // The end of the text may carry a pin too.
        std::iter::once((text.len(), text.len())),
    ) {
        let (a, b) = pair;
        if let Some(line) = line_set.get(&a)
            && a < text.len()
        {
            let _ = write!(
                out,
                "<span class=\"ln\" id=\"l{n}-L{line}\" data-n=\"{line}\"></span>"
            );
        }
        if let Some(labels) = pins.get(&a)
            && (a < b || a == text.len())
        {
            let _ = write!(
                out,
                "<span class=\"pin\" id=\"l{n}-p{a}\" title=\"{}\"></span>",
                esc(&labels.join("\n"))
            );
        }
        if a >= b {
            continue;
        }
        let covering: Vec<&Marked> = marks
            .iter()
            .filter(|m| m.start <= a && m.end >= b)
            .collect();
        if covering.is_empty() {
            esc_letter(&text[a..b], out);
            continue;
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
        for m in &covering {
            for label in &m.labels {
                if !labels.contains(&label.as_str()) {
                    labels.push(label);
                }
            }
        }
        let id = if covering.iter().any(|m| m.start == a) {
            format!(" id=\"l{n}-o{a}\"")
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<mark class=\"{}\"{id} title=\"{}\">",
            classes.join(" "),
            esc(&labels.join("\n"))
        );
        esc_letter(&text[a..b], out);
        out.push_str("</mark>");
    }
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

const CSS: &str = r#"
:root{--fg:#1b1b1b;--muted:#5f6368;--line:#dadce0;--bg:#fff;--panel:#f8f9fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{margin:0;font-size:22px}
main{padding:8px 24px 48px;max-width:1320px}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.meta,.hint,.note,.sub{color:var(--muted)}
.sub{font-size:12px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px;background:var(--panel)}
.card .label{text-transform:uppercase;font-size:11px;letter-spacing:.05em;color:var(--muted)}
.card .value{font-size:24px;font-weight:600}
.card .note{font-size:12px}
table{border-collapse:collapse;margin:6px 0 12px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right}
tr.zero td{color:var(--muted)}
table.sortable th{cursor:pointer;user-select:none;white-space:nowrap}
table.sortable th::after{content:" \2195";color:#aaa}
table.sortable th[aria-sort=ascending]::after{content:" \25B2";color:var(--fg)}
table.sortable th[aria-sort=descending]::after{content:" \25BC";color:var(--fg)}
#letters td:nth-child(n+3){text-align:right}
tr.unreadable td{background:#fff4f4}
.errors{color:#c62828}
figure.chart{margin:10px 0 18px}
figure.chart figcaption{font-weight:600;margin-bottom:4px}
svg.chart{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
.verdict{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.v-agree{background:#2e7d32}.v-conflict{background:#c62828}.v-undetermined{background:#f9a825;color:#222}.v-uncovered{background:#9e9e9e}
#letters td.v-agree,#letters td.v-conflict,#letters td.v-undetermined,#letters td.v-uncovered{background:none;color:inherit;font-weight:600}
#letters td.v-conflict{color:#c62828}
section.letter{margin-top:36px}
section.letter h2 .case{font-weight:400;color:var(--muted);margin-left:10px}
table.items{width:100%}
tr.criteria td{border-bottom:2px solid var(--line)}
ul.criteria{margin:0;padding-left:18px}
ul.criteria li{margin:2px 0}
.tri{display:inline-block;min-width:96px;font-size:12px;font-weight:600}
.tri-met .tri{color:#2e7d32}.tri-not-met .tri{color:#c62828}.tri-not-documented .tri{color:var(--muted)}
.role{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:8px;padding:0 6px}
a.ev{font-size:12px;margin-left:6px;text-decoration:none;border-radius:3px;padding:0 3px;color:inherit}
a.ev.ignored{opacity:.7}
.reasons{margin:4px 0;color:var(--muted);font-size:12px}
ul.findings{padding-left:18px}
.sev{display:inline-block;min-width:58px;font-size:12px;font-weight:600}
li.sev-error .sev{color:#c62828}li.sev-warning .sev{color:#ef6c00}li.sev-info .sev{color:#1565c0}
.unconfirmed{color:#ef6c00}
.none{color:var(--muted)}
details.text summary{cursor:pointer;font-weight:600;margin:10px 0 4px}
p.legend mark{padding:0 4px}
pre.letter-text{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 12px 10px 56px;font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;position:relative}
.ln{position:absolute;left:6px;width:40px;text-align:right;color:#9aa0a6;user-select:none}
.ln::before{content:attr(data-n)}
.ff::before{content:"\2500\2500 page break \2500\2500";color:#9aa0a6;font-size:11px}
mark{color:inherit;border-radius:2px}
mark.ctx-affirmed,a.ev.ctx-affirmed{background:#c8e6c9}
mark.ctx-negated,a.ev.ctx-negated{background:#ffcdd2}
mark.ctx-historical,a.ev.ctx-historical{background:#bbdefb}
mark.ctx-hypothetical,a.ev.ctx-hypothetical{background:#e1bee7}
mark.ctx-guideline,a.ev.ctx-guideline{background:#e0e0e0}
mark.finding{box-shadow:inset 0 -2px 0 #ef6c00}
mark.finding:not(.ev){background-color:#fff3c4}
mark.finding.sev-error{box-shadow:inset 0 -2px 0 #c62828}
mark.finding.sev-info{box-shadow:inset 0 -2px 0 #1565c0}
mark:target,.pin:target{outline:2px solid #1565c0}
.pin::before{content:"\25B8";color:#c62828;font-weight:700}
@media print{details.text{display:block}}
"#;

const JS: &str = r#"
(function(){
  function sortBy(table, th, index){
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = th.getAttribute('data-type') === 'num';
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(h){ h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    function key(row){ var c = row.cells[index]; var v = c.getAttribute('data-v'); return v === null ? c.textContent : v; }
    rows.sort(function(a, b){
      var x = key(a), y = key(b);
      var d = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
      return ascending ? d : -d;
    });
    rows.forEach(function(r){ body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, index){
      th.addEventListener('click', function(){ sortBy(table, th, index); });
      th.addEventListener('keydown', function(e){ if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, th, index); } });
    });
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        let mut out = String::new();
        esc_letter("a\x00b\x0cc<", &mut out);
        assert_eq!(
            out,
            "a\u{2400}b<span class=\"ff\" title=\"page break\"></span>c&lt;"
        );
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
