//! `check --format human`: one block per letter and item — decision, rule,
//! verdict, each criterion with its evidence — and every finding rendered as a
//! compiler-style diagnostic quoting the letter's lines (annotate-snippets),
//! ending with a summary. Streams: each letter is written as it arrives.

use std::fmt::Write as _;
use std::io::{self, Write};

use colored::Colorize;

use super::Reporter;
use super::stats::Figures;
use super::summary::Summary;
use super::view::{ItemView, judged_items};
use super::words;
use crate::audit::Audit;
use crate::diagnostic::{Level, Located, SnippetLabel, render_snippet};
use crate::eval::{Tri, Verdict};
use crate::finding::{Finding, Role, Severity};
use crate::input::InputError;

/// The human reporter.
pub struct HumanReport {
    color: bool,
}

impl HumanReport {
    pub fn new(color: bool) -> HumanReport {
        HumanReport { color }
    }
}

impl Reporter for HumanReport {
    fn letter(&mut self, out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        out.write_all(letter(audit, self.color).as_bytes())?;
        out.write_all(b"\n")
    }

    fn unreadable(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        writeln!(out, "{error}\n")
    }

    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        out.write_all(self::summary(summary, self.color).as_bytes())
    }
}

/// Renders one audited letter.
pub fn letter(audit: &Audit, color: bool) -> String {
    let mut out = String::new();
    let letter = &audit.letter;
    let header = format!(
        "{}  ({} layout, {})",
        audit.source.path().display(),
        letter.layout,
        letter
            .case_number
            .as_ref()
            .map_or("no case number".to_owned(), |c| c.value.clone())
    );
    let _ = writeln!(out, "{}", paint(&header, color, |s| s.bold().to_string()));
    for view in judged_items(audit) {
        item(&mut out, &view, color);
    }
    if !audit.findings.is_empty() {
        out.push('\n');
    }
    for finding in &audit.findings {
        out.push_str(&diagnostic(audit, finding, color));
        out.push('\n');
    }
    out
}

fn item(out: &mut String, view: &ItemView, color: bool) {
    let _ = writeln!(
        out,
        "\n  item {}  {}",
        view.index,
        paint(view.request, color, |s| s.bold().to_string())
    );
    if let Some(original) = view.original {
        let _ = writeln!(out, "    original request  {original}");
    }
    let decision = view.decision.map_or("none".to_owned(), |d| {
        format!("{} (line {})", d.value, d.span.line)
    });
    let _ = writeln!(out, "    decision  {decision}");
    let Some(judgement) = &view.judgement else {
        return;
    };
    match judgement.rule {
        Some(rule) => {
            let unconfirmed = if rule.confidence == crate::rules::Confidence::Unconfirmed {
                "  [criteria partly unconfirmed]"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    rule      {} — {} ({}){unconfirmed}",
                rule.id, rule.title, rule.edition
            );
        }
        None => {
            let _ = writeln!(out, "    rule      none covers this request");
        }
    }
    if let Some(expected) = judgement.expected {
        let _ = writeln!(out, "    expected  {expected}");
    }
    let verdict = judgement.verdict.to_string().to_uppercase();
    let verdict = match judgement.verdict {
        Verdict::Agree => paint(&verdict, color, |s| s.green().bold().to_string()),
        Verdict::Conflict => paint(&verdict, color, |s| s.red().bold().to_string()),
        Verdict::Undetermined | Verdict::Uncovered => {
            paint(&verdict, color, |s| s.yellow().bold().to_string())
        }
    };
    let _ = writeln!(out, "    verdict   {verdict}");
    for criterion in &judgement.criteria {
        let mark = format!("{:<14}", words(criterion.status));
        let mark = match criterion.status {
            Tri::Met => paint(&mark, color, |s| s.green().to_string()),
            Tri::NotMet => paint(&mark, color, |s| s.red().to_string()),
            Tri::NotDocumented => paint(&mark, color, |s| s.dimmed().to_string()),
        };
        let _ = writeln!(
            out,
            "      {mark}  {} — {}",
            criterion.fact, criterion.title
        );
        for e in criterion.evidence() {
            let _ = writeln!(
                out,
                "          line {}:{} ({}, {}) \"{}\"",
                e.line,
                e.column,
                words(e.region),
                e.context,
                e.text
            );
        }
        for e in criterion.ignored() {
            let _ = writeln!(
                out,
                "          ignored line {}:{} ({}) \"{}\"",
                e.line, e.column, e.context, e.text
            );
        }
    }
}

fn paint(text: &str, color: bool, style: impl Fn(&str) -> String) -> String {
    if color { style(text) } else { text.to_owned() }
}

/// A finding as a compiler-style diagnostic with the letter's lines: the
/// primary span underlined, every other span with its label's message.
pub fn diagnostic(audit: &Audit, finding: &Finding, color: bool) -> String {
    let level = match finding.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    };
    // Form feeds would garble the rendering; a space keeps every offset.
    let text = audit.source.text().replace('\x0c', " ");
    let path = audit.source.path().display().to_string();
    let labels = finding
        .labels
        .iter()
        .map(|label| SnippetLabel {
            range: label.span.start..label.span.end,
            primary: label.role == Role::Primary,
            // The title says what the primary span is.
            text: match label.role {
                Role::Primary => String::new(),
                Role::Evidence | Role::Context => label.message().unwrap_or_default(),
            },
        })
        .collect();
    render_snippet(
        &Located {
            level,
            title: format!("[{}] {}", finding.check, finding.message),
            path: &path,
            text: Some(&text),
            first_line: 1,
            column: 1,
            labels,
            help: None,
        },
        color,
    )
}

/// The closing summary of a run.
pub fn summary(summary: &Summary, color: bool) -> String {
    let figures = Figures::of(summary);
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint("summary", color, |s| s.bold().to_string()));
    let _ = writeln!(
        out,
        "  letters      {} ({} could not be read)",
        figures.letters, figures.unreadable
    );
    for path in &summary.unreadable {
        let _ = writeln!(out, "    unreadable: {path}");
    }
    let _ = writeln!(out, "  items        {}", figures.items);
    let _ = writeln!(
        out,
        "  covered      {} ({})",
        figures.covered,
        figures.coverage()
    );
    let _ = writeln!(
        out,
        "  decided      {} of covered ({})",
        figures.decided,
        figures.decided_rate()
    );
    let _ = writeln!(
        out,
        "  agreement    {} of decided ({})",
        figures.agree,
        figures.agreement()
    );
    let verdicts: Vec<String> = Verdict::ALL
        .iter()
        .map(|v| format!("{v} {}", summary.verdicts.get(v).copied().unwrap_or(0)))
        .collect();
    let _ = writeln!(out, "  verdicts     {}", verdicts.join(" · "));
    if summary.findings.is_empty() {
        let _ = writeln!(out, "  findings     none");
    } else {
        let findings: Vec<String> = summary
            .findings
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        let _ = writeln!(out, "  findings     {}", findings.join(" · "));
    }
    if summary.suppressed > 0 || summary.stale_baseline > 0 || summary.unused_waivers > 0 {
        let _ = writeln!(
            out,
            "  accepted     {} findings hidden by baseline/waivers · {} stale baseline entries · {} unused waivers",
            summary.suppressed, summary.stale_baseline, summary.unused_waivers
        );
    }
    if let Some(elapsed) = summary.elapsed {
        let _ = writeln!(out, "  time         {:.2}s", elapsed.as_secs_f64());
    }
    out
}
