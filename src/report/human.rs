//! `check --format human`: one block per letter and item — decision, rule,
//! verdict, each criterion with its evidence — and every finding rendered as a
//! compiler-style diagnostic quoting the letter's lines (annotate-snippets),
//! ending with a summary.

use std::fmt::Write;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use colored::Colorize;

use crate::audit::Audit;
use crate::eval::{Tri, Verdict};
use crate::finding::{Finding, Role, Severity};
use crate::report::summary::Summary;
use crate::report::words;

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
    for (item, evaluation) in letter.items.iter().zip(&audit.evaluations) {
        let _ = writeln!(
            out,
            "\n  item {}  {}",
            item.index,
            paint(&item.request.under_review.value, color, |s| s
                .bold()
                .to_string())
        );
        if let Some(original) = &item.request.original {
            let _ = writeln!(out, "    original request  {}", original.value);
        }
        let decision = item.decision.as_ref().map_or("none".to_owned(), |d| {
            format!("{} (line {})", d.value, d.span.line)
        });
        let _ = writeln!(out, "    decision  {decision}");
        match &evaluation.rule {
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
        if let Some(expected) = evaluation.expected {
            let _ = writeln!(out, "    expected  {expected}");
        }
        let verdict = evaluation.verdict.to_string().to_uppercase();
        let verdict = match evaluation.verdict {
            Verdict::Agree => paint(&verdict, color, |s| s.green().bold().to_string()),
            Verdict::Conflict => paint(&verdict, color, |s| s.red().bold().to_string()),
            Verdict::Undetermined | Verdict::Uncovered => {
                paint(&verdict, color, |s| s.yellow().bold().to_string())
            }
        };
        let _ = writeln!(out, "    verdict   {verdict}");
        for outcome in &evaluation.criteria {
            let mark = format!("{:<14}", words(outcome.status));
            let mark = match outcome.status {
                Tri::Met => paint(&mark, color, |s| s.green().to_string()),
                Tri::NotMet => paint(&mark, color, |s| s.red().to_string()),
                Tri::NotDocumented => paint(&mark, color, |s| s.dimmed().to_string()),
            };
            let _ = writeln!(out, "      {mark}  {} — {}", outcome.fact, outcome.title);
            for e in &outcome.evidence {
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
            for e in &outcome.ignored {
                let _ = writeln!(
                    out,
                    "          ignored line {}:{} ({}) \"{}\"",
                    e.line, e.column, e.context, e.text
                );
            }
        }
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

fn paint(text: &str, color: bool, style: impl Fn(&str) -> String) -> String {
    if color { style(text) } else { text.to_owned() }
}

/// A finding as a compiler-style diagnostic with the letter's lines.
pub fn diagnostic(audit: &Audit, finding: &Finding, color: bool) -> String {
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::NOTE,
    };
    let title = format!("[{}] {}", finding.check, finding.message);
    // Form feeds would garble the rendering; a space keeps every offset.
    let text = audit.source.text().replace('\x0c', " ");
    let path = audit.source.path().display().to_string();
    let mut snippet = Snippet::source(text.as_str())
        .path(path.as_str())
        .line_start(1)
        .fold(true);
    // The title says what the primary span is; the others say what they show.
    let messages: Vec<String> = finding
        .labels
        .iter()
        .map(|l| match l.role {
            Role::Primary => String::new(),
            Role::Evidence | Role::Context => l.message().unwrap_or_default(),
        })
        .collect();
    for (label, message) in finding.labels.iter().zip(&messages) {
        let range = label.span.start..label.span.end.max(label.span.start);
        let kind = match label.role {
            Role::Primary => AnnotationKind::Primary,
            Role::Evidence | Role::Context => AnnotationKind::Context,
        };
        snippet = snippet.annotation(kind.span(range).label(message.as_str()));
    }
    let report = [level.primary_title(title.as_str()).element(snippet)];
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report).to_string()
}

/// The closing summary of a run.
pub fn summary(summary: &Summary, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint("summary", color, |s| s.bold().to_string()));
    let _ = writeln!(
        out,
        "  letters      {} ({} could not be read)",
        summary.letters,
        summary.unreadable.len()
    );
    for path in &summary.unreadable {
        let _ = writeln!(out, "    unreadable: {path}");
    }
    let _ = writeln!(out, "  items        {}", summary.items);
    let _ = writeln!(
        out,
        "  covered      {} ({})",
        summary.covered,
        percent(summary.covered, summary.items)
    );
    let _ = writeln!(
        out,
        "  decided      {} of covered ({})",
        summary.decided(),
        percent(summary.decided(), summary.covered)
    );
    let _ = writeln!(
        out,
        "  agreement    {} of decided ({})",
        summary.verdicts.get(&Verdict::Agree).copied().unwrap_or(0),
        percent(
            summary.verdicts.get(&Verdict::Agree).copied().unwrap_or(0),
            summary.decided()
        )
    );
    let verdicts: Vec<String> = Verdict::ALL
        .iter()
        .map(|v| format!("{} {}", v, summary.verdicts.get(v).copied().unwrap_or(0)))
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

pub fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        "n/a".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / of as f64)
    }
}
