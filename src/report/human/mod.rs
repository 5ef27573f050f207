//! `check --format human`: one block per letter and item, then every finding
//! as a compiler-style diagnostic quoting the letter's lines
//! (annotate-snippets), ending with a summary. Streams: each letter is
//! written as it arrives.
//!
//! An item's block says what the rule expects and why (the evaluation's
//! reasons), the verdict, and the criteria — those that decided the outcome
//! first — each with the way it weighs (`for` the request, `against` it) and
//! the letter's words that document it. Repeats are merged and families of
//! numeric bounds gathered (`criteria`), and a finding's diagnostic leaves
//! out the evidence the item's block already quoted, so each piece of
//! evidence is shown once.
//!
//! `--brief` keeps one block per item: decision, expectation and reasons,
//! verdict, and only the deciding criteria, one line each with the letter's
//! words and line.

mod criteria;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::stats::Figures;
use super::style::{BAD, BOLD, DIM, GOOD, OPEN, Painter};
use super::summary::Summary;
use super::view::{ItemView, Judgement, fold, judged_items};
use super::words;
use super::{PackOrigin, Reporter};
use crate::audit::Audit;
use crate::diagnostic::{Level, Located, SnippetLabel, render_snippet_with_notes};
use crate::eval::{Tri, Verdict};
use crate::finding::{Finding, Role, Severity};
use crate::input::InputError;
use crate::rules::Pack;
use crate::text::visible::visible;
use criteria::{Line, Mark};

/// Deciding criteria `--brief` lists before it counts the rest.
const BRIEF_LINES: usize = 8;

/// The human reporter.
pub struct HumanReport<'a> {
    pack: &'a Pack,
    color: bool,
    brief: bool,
    /// The pack in words, when `--rules` folders took part.
    origin: Option<String>,
}

impl<'a> HumanReport<'a> {
    pub fn new(pack: &'a Pack, color: bool, brief: bool) -> HumanReport<'a> {
        HumanReport {
            pack,
            color,
            brief,
            origin: None,
        }
    }

    /// Names the pack in the summary when it was not the embedded one alone.
    pub fn with_origin(mut self, origin: &PackOrigin) -> HumanReport<'a> {
        self.origin = (!origin.folders.is_empty()).then(|| origin.describe());
        self
    }
}

impl Reporter for HumanReport<'_> {
    fn letter(&mut self, out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        let text = if self.brief {
            brief(audit, self.pack, self.color)
        } else {
            letter(audit, self.pack, self.color)
        };
        // Letter text, paths and rule titles: no control character raw.
        out.write_all(visible(&text, self.color).as_bytes())?;
        out.write_all(b"\n")
    }

    fn unreadable(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        writeln!(out, "{}\n", visible(&error.to_string(), false))
    }

    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let text = self::summary(summary, self.origin.as_deref(), self.color);
        out.write_all(visible(&text, self.color).as_bytes())
    }
}

fn header(out: &mut String, audit: &Audit, paint: Painter) {
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
    let _ = writeln!(out, "{}", paint.paint(&header, BOLD));
}

/// Renders one audited letter: its items with every criterion, then its findings.
pub fn letter(audit: &Audit, pack: &Pack, color: bool) -> String {
    let paint = Painter::new(color);
    let mut out = String::new();
    header(&mut out, audit, paint);
    // Evidence quoted in an item's block, by item: its diagnostics skip it.
    // A set: a letter of thousands of items stays linear.
    let mut quoted: HashSet<(usize, usize, usize)> = HashSet::new();
    for view in judged_items(audit, Some(pack)) {
        item_head(&mut out, &view, paint, false);
        let Some(judgement) = &view.judgement else {
            continue;
        };
        let lines = criteria::lines(&view, &judgement.criteria);
        let split = lines.iter().filter(|l| l.decisive).count();
        for (at, line) in lines.iter().enumerate() {
            if at == 0 || at == split {
                let heading = if split == 0 {
                    "criteria"
                } else if at == 0 {
                    "decided by"
                } else {
                    "other criteria"
                };
                let _ = writeln!(out, "    {heading}");
            }
            criterion_line(&mut out, line, paint);
            for m in &line.mentions {
                let e = m.evidence;
                // Words quoted under an earlier line of the item are not repeated.
                if !quoted.insert((view.index, e.start, e.end)) {
                    continue;
                }
                if m.counted {
                    let _ = writeln!(
                        out,
                        "          line {}:{} ({}, {}) \"{}\"",
                        e.line,
                        e.column,
                        words(e.region),
                        e.context,
                        e.text
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "          ignored line {}:{} ({}) \"{}\"",
                        e.line, e.column, e.context, e.text
                    );
                }
            }
        }
    }
    if !audit.findings.is_empty() {
        out.push('\n');
    }
    for finding in &audit.findings {
        let shown = |start: usize, end: usize| {
            finding
                .item
                .is_some_and(|i| quoted.contains(&(i, start, end)))
        };
        out.push_str(&render_finding(audit, finding, color, &shown));
        out.push('\n');
    }
    out
}

/// Renders one audited letter briefly: per item, the decision, what the
/// rule expects and why, the verdict and the deciding criteria.
pub fn brief(audit: &Audit, pack: &Pack, color: bool) -> String {
    let paint = Painter::new(color);
    let mut out = String::new();
    header(&mut out, audit, paint);
    let letter_findings = counts(audit.findings.iter().filter(|f| f.item.is_none()));
    // Each item's findings, gathered once rather than searched per item.
    let mut by_item: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
    for finding in &audit.findings {
        if let Some(item) = finding.item {
            by_item.entry(item).or_default().push(finding);
        }
    }
    if !letter_findings.is_empty() {
        let _ = writeln!(out, "  findings  {letter_findings}");
    }
    for view in judged_items(audit, Some(pack)) {
        item_head(&mut out, &view, paint, true);
        let Some(judgement) = &view.judgement else {
            continue;
        };
        let lines: Vec<Line> = criteria::lines(&view, &judgement.criteria)
            .into_iter()
            .filter(|l| l.decisive)
            .collect();
        if !lines.is_empty() {
            let _ = writeln!(out, "    decided by");
        }
        for line in lines.iter().take(BRIEF_LINES) {
            let quotes: Vec<String> = line
                .mentions
                .iter()
                .filter(|m| m.counted)
                .map(|m| {
                    let e = m.evidence;
                    let context = if e.context == crate::facts::Status::Affirmed {
                        String::new()
                    } else {
                        format!(", {}", e.context)
                    };
                    format!("\"{}\" (line {}{context})", e.text, e.line)
                })
                .collect();
            let text = if quotes.is_empty() {
                line.plain.clone()
            } else {
                format!("{}: {}", line.plain, quotes.join(", "))
            };
            columns(&mut out, line, &text, paint);
        }
        if lines.len() > BRIEF_LINES {
            let _ = writeln!(
                out,
                "      … and {} more (the full report lists them)",
                lines.len() - BRIEF_LINES
            );
        }
        let findings = counts(by_item.get(&view.index).into_iter().flatten().copied());
        if !findings.is_empty() {
            let _ = writeln!(out, "    findings  {findings}");
        }
    }
    out
}

/// Check ids with their counts, in order of first appearance: `misquote · unaddressed-fact ×3`.
fn counts<'a>(findings: impl Iterator<Item = &'a Finding>) -> String {
    let mut seen: Vec<(crate::finding::Check, usize)> = Vec::new();
    for f in findings {
        match seen.iter_mut().find(|(c, _)| *c == f.check) {
            Some((_, n)) => *n += 1,
            None => seen.push((f.check, 1)),
        }
    }
    seen.iter()
        .map(|(c, n)| {
            if *n == 1 {
                c.to_string()
            } else {
                format!("{c} ×{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The lines every item starts with: request, decision, rule, what it
/// expects and why, verdict.
fn item_head(out: &mut String, view: &ItemView, paint: Painter, brief: bool) {
    let _ = writeln!(
        out,
        "\n  item {}  {}",
        view.index,
        paint.paint(view.request, BOLD)
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
    rule_line(out, judgement, brief);
    if let Some(expected) = judgement.expected {
        let why = if judgement.reasons.is_empty() {
            String::new()
        } else {
            format!(": {}", judgement.reasons.join("; "))
        };
        let _ = writeln!(out, "    expected  {expected}{why}");
    }
    if let Some(change) = judgement.would_change {
        let _ = writeln!(out, "    would be  {}", change.sentence());
    }
    let verdict = judgement.verdict.to_string().to_uppercase();
    let style = match judgement.verdict {
        Verdict::Agree => GOOD,
        Verdict::Conflict => BAD,
        Verdict::Undetermined | Verdict::Uncovered => OPEN,
    };
    let _ = writeln!(out, "    verdict   {}", paint.paint(&verdict, style.bold()));
}

fn rule_line(out: &mut String, judgement: &Judgement, brief: bool) {
    let Some(rule) = judgement.rule else {
        let _ = writeln!(out, "    rule      none covers this request");
        return;
    };
    let unconfirmed = if rule.confidence == crate::rules::Confidence::Unconfirmed {
        "  [criteria partly unconfirmed]"
    } else {
        ""
    };
    let edition = if brief {
        String::new()
    } else {
        format!(" ({})", fold(&rule.edition))
    };
    let _ = writeln!(
        out,
        "    rule      {} — {}{edition}{unconfirmed}",
        rule.id, rule.title
    );
}

/// A criterion line: status, weight, text.
fn criterion_line(out: &mut String, line: &Line, paint: Painter) {
    columns(out, line, &line.text, paint);
}

fn columns(out: &mut String, line: &Line, text: &str, paint: Painter) {
    let mark = format!("{:<14}", line.mark.words());
    let mark = match line.mark {
        Mark::Status(Tri::Met) | Mark::Within => paint.paint(&mark, GOOD),
        Mark::Status(Tri::NotMet) | Mark::Over => paint.paint(&mark, BAD),
        Mark::Status(Tri::NotDocumented) => paint.paint(&mark, DIM),
        Mark::Stated => mark,
    };
    let lean = format!("{:<7}", line.lean.words());
    let lean = match (line.lean.for_request, line.lean.against) {
        (true, false) => paint.paint(&lean, GOOD),
        (false, true) => paint.paint(&lean, BAD),
        _ => lean,
    };
    let _ = writeln!(out, "      {mark}  {lean}  {text}");
}

/// A finding as a compiler-style diagnostic with the letter's lines: the
/// primary span underlined, every other span with its label's message, and
/// the finding's fingerprint.
pub fn diagnostic(audit: &Audit, finding: &Finding, color: bool) -> String {
    render_finding(audit, finding, color, &|_, _| false)
}

/// [`diagnostic`] leaving out evidence labels whose span `shown` says was
/// already quoted, and labels repeated on one span.
fn render_finding(
    audit: &Audit,
    finding: &Finding,
    color: bool,
    shown: &dyn Fn(usize, usize) -> bool,
) -> String {
    let level = match finding.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    };
    let path = audit.source.path().display().to_string();
    // A fact's mention the item's block already quoted is not quoted again;
    // when every span was, the location alone is given.
    let quoted = |label: &&crate::finding::Label| {
        label.fact.is_some() && shown(label.span.start, label.span.end)
    };
    let all_quoted = !finding.labels.is_empty() && finding.labels.iter().all(|l| quoted(&l));
    let mut labels: Vec<SnippetLabel> = Vec::new();
    // The line of the earliest span kept: where the quoted lines start.
    let mut first: Option<(usize, usize)> = None;
    for label in &finding.labels {
        if all_quoted || (label.role != Role::Primary && quoted(&label)) {
            continue;
        }
        let snippet = SnippetLabel {
            range: label.span.start..label.span.end,
            primary: label.role == Role::Primary,
            // The title says what the primary span is.
            text: match label.role {
                Role::Primary => String::new(),
                Role::Evidence | Role::Context => label.message().unwrap_or_default(),
            },
        };
        if !labels
            .iter()
            .any(|l| l.range == snippet.range && l.text == snippet.text)
        {
            if first.is_none_or(|(start, _)| label.span.start < start) {
                first = Some((label.span.start, label.span.line));
            }
            labels.push(snippet);
        }
    }
    // Only the lines from the first span to the last are quoted, so the
    // work per finding does not grow with the letter. Form feeds would
    // garble the rendering; a space keeps every offset.
    let full = audit.source.text();
    let (text, first_line) = match first {
        Some((lo, line)) => {
            let hi = labels
                .iter()
                .map(|l| l.range.end)
                .max()
                .unwrap_or(lo)
                .min(full.len());
            let start = full[..lo].rfind('\n').map_or(0, |i| i + 1);
            let end = full[hi..].find('\n').map_or(full.len(), |i| hi + i);
            for l in &mut labels {
                l.range = l.range.start - start..l.range.end - start;
            }
            (full[start..end].replace('\x0c', " "), line)
        }
        // Nothing left to quote: the text is not used (below), and copying
        // the letter for each finding would make the report quadratic.
        None => (String::new(), 1),
    };
    let notes: Vec<String> = finding
        .fingerprint
        .iter()
        .map(|f| format!("fingerprint {f}"))
        .collect();
    // With nothing left to underline, the primary location stands alone.
    let at = finding.primary().filter(|_| all_quoted);
    let located = Located {
        level,
        title: format!("[{}] {}", finding.check, finding.message),
        path: &path,
        text: if all_quoted || first.is_none() {
            None
        } else {
            Some(&text)
        },
        first_line: at.map_or(first_line, |s| s.line),
        column: at.map_or(1, |s| s.column),
        labels,
        help: None,
    };
    render_snippet_with_notes(&located, &notes, color)
}

/// The closing summary of a run; `pack` names the rule pack when it is
/// worth saying (`--rules` folders took part).
pub fn summary(summary: &Summary, pack: Option<&str>, color: bool) -> String {
    let paint = Painter::new(color);
    let figures = Figures::of(summary);
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint.paint("summary", BOLD));
    let _ = writeln!(
        out,
        "  letters      {} ({} could not be read, {} with no item found)",
        figures.letters,
        summary.unreadable.len(),
        summary.without_items.len()
    );
    for path in &summary.unreadable {
        let _ = writeln!(out, "    unreadable: {path}");
    }
    for path in &summary.without_items {
        let _ = writeln!(out, "    no item found: {path}");
    }
    if !summary.skipped.is_empty() {
        let problems = summary.skipped.iter().filter(|s| s.problem).count();
        let _ = writeln!(
            out,
            "  not audited  {} paths ({problems} of them problems)",
            summary.skipped.len()
        );
        for skipped in &summary.skipped {
            let mark = if skipped.problem { "error" } else { "skipped" };
            let _ = writeln!(out, "    {mark}: {}: {}", skipped.path, skipped.reason);
        }
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
    if let Some(pack) = pack {
        let _ = writeln!(out, "  rule pack    {pack}");
    }
    if let Some(elapsed) = summary.elapsed {
        let _ = writeln!(out, "  time         {:.2}s", elapsed.as_secs_f64());
    }
    out
}
