//! `imr-audit rules list` and `imr-audit rules facts`: what the pack holds,
//! as a table to read or as JSON for scripts.

use crate::text::visible::visible;
use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::{Diagnostics, Outcome, load_pack};
use crate::cli::ListFormat;
use crate::rules::Confidence;
use crate::{ExitStatus, output};

/// One rule as `rules list --format json` gives it.
#[derive(Serialize)]
struct RuleEntry<'a> {
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    file: &'a str,
    /// Catalogue keys; the first is the primary citation.
    cites: &'a [String],
    edition: &'a str,
    /// Dates as YYYY-MM-DD; `null` for an open end.
    in_force_from: Option<String>,
    in_force_until: Option<String>,
    body_parts: &'a [String],
    confidence: Confidence,
    unconfirmed: &'a [String],
    tests: usize,
}

/// One fact as `rules facts --format json` gives it.
#[derive(Serialize)]
struct FactEntry<'a> {
    id: &'a str,
    title: &'a str,
    concept: Option<&'a str>,
    file: &'a str,
    line: usize,
    /// The rule whose file defines it (it serves that rule only); `null` for a shared fact.
    rule: Option<&'a str>,
    /// Rules that read it, in their criteria or their tests.
    used_by: Vec<&'a str>,
}

fn emit_json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    output::emit(None, text.as_bytes())
}

pub fn rules(rules: &[PathBuf], format: ListFormat, mut diagnostics: Diagnostics) -> Outcome {
    let Some(pack) = load_pack(rules, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    if format == ListFormat::Json {
        let entries: Vec<RuleEntry> = pack
            .rules_by_id()
            .into_iter()
            .map(|rule| RuleEntry {
                id: &rule.id,
                title: &rule.title,
                description: rule.description.as_deref(),
                file: &rule.file,
                cites: &rule.cites,
                edition: &rule.edition,
                in_force_from: rule.in_force.from.map(|d| d.to_string()),
                in_force_until: rule.in_force.until.map(|d| d.to_string()),
                body_parts: &rule.body_parts,
                confidence: rule.confidence,
                unconfirmed: &rule.unconfirmed,
                tests: rule.tests.len(),
            })
            .collect();
        emit_json(&entries)?;
        return Ok((ExitStatus::Success, diagnostics));
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:<44} {:<44} {:<48} {:<26} {:>5}  confidence",
        "id", "title", "citation", "era", "tests"
    );
    for rule in pack.rules_by_id() {
        let era = if rule.in_force.is_open() {
            "any date".to_owned()
        } else {
            rule.in_force.to_string()
        };
        let _ = writeln!(
            text,
            "{:<44} {:<44} {:<48} {:<26} {:>5}  {}",
            rule.id,
            truncate(&rule.title, 44),
            truncate(rule.cites.first().map_or("", String::as_str), 48),
            era,
            rule.tests.len(),
            match rule.confidence {
                Confidence::Confirmed => "confirmed",
                Confidence::Unconfirmed => "unconfirmed",
            }
        );
    }
    // Titles and file names: no control character raw.
    output::emit(None, visible(&text, false).as_bytes())?;
    Ok((ExitStatus::Success, diagnostics))
}

/// Every fact in id order: what it detects, its concept, where it is
/// defined and the rules that read it.
pub fn facts(rules: &[PathBuf], format: ListFormat, mut diagnostics: Diagnostics) -> Outcome {
    let Some(pack) = load_pack(rules, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let entries: Vec<FactEntry> = pack
        .facts
        .iter()
        .zip(&pack.fact_origins)
        .enumerate()
        .map(|(i, (fact, origin))| FactEntry {
            id: &fact.id,
            title: &fact.title,
            concept: fact.concept.as_deref(),
            file: &origin.file,
            line: origin.line,
            rule: origin.rule.as_deref(),
            used_by: pack.rules_using(i),
        })
        .collect();
    if format == ListFormat::Json {
        emit_json(&entries)?;
        return Ok((ExitStatus::Success, diagnostics));
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:<40} {:<48} {:<24} {:<44} used by",
        "id", "title", "concept", "defined in"
    );
    for fact in &entries {
        let used = if fact.used_by.is_empty() {
            "(no rule)".to_owned()
        } else {
            fact.used_by.join(", ")
        };
        let _ = writeln!(
            text,
            "{:<40} {:<48} {:<24} {:<44} {used}",
            fact.id,
            truncate(fact.title, 48),
            truncate(fact.concept.unwrap_or("-"), 24),
            format!("{}:{}", fact.file, fact.line),
        );
    }
    // Titles and file names: no control character raw.
    output::emit(None, visible(&text, false).as_bytes())?;
    Ok((ExitStatus::Success, diagnostics))
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}
