//! `check --format csv`: one row per disputed item, for spreadsheets and
//! data frames; documented column by column in `docs/CSV.md`.
//!
//! Written by the `csv` crate: a header row, RFC 4180 quoting (a field with
//! a comma, a quote or a line break is quoted, quotes doubled) and CRLF
//! line ends. A letter also gets a row with an empty `item` when it has
//! findings about the letter as a whole, or no item at all, so no letter
//! and no finding is missing from the table; a file that could not be read
//! is a row with its `error`. Rows stream in input order, each letter's
//! flushed as it arrives; nothing depends on the clock.

use std::io::{self, Write};

use super::Reporter;
use super::summary::Summary;
use super::view::judged_items;
use crate::audit::Audit;
use crate::finding::Finding;
use crate::input::InputError;

/// The columns, in order.
pub const COLUMNS: [&str; 12] = [
    "path",
    "case_number",
    "item",
    "request",
    "decision",
    "rule",
    "expected",
    "verdict",
    "findings",
    "checks",
    "fingerprints",
    "error",
];

/// The CSV reporter.
#[derive(Debug, Default)]
pub struct CsvReport;

fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// The `findings`, `checks` and `fingerprints` cells of some findings.
fn finding_cells<'a>(findings: impl Iterator<Item = &'a Finding>) -> [String; 3] {
    let findings: Vec<&Finding> = findings.collect();
    let checks: Vec<&str> = findings.iter().map(|f| f.check.id()).collect();
    let prints: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.fingerprint.as_deref())
        .collect();
    [
        findings.len().to_string(),
        checks.join(" "),
        prints.join(" "),
    ]
}

impl Reporter for CsvReport {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = writer(out);
        w.write_record(COLUMNS)?;
        w.flush()
    }

    fn letter(&mut self, out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        let mut w = writer(out);
        let path = audit.source.path().display().to_string();
        let case = audit
            .letter
            .case_number
            .as_ref()
            .map_or("", |c| c.value.as_str());
        let views = judged_items(audit, None);
        let whole = || audit.findings.iter().filter(|f| f.item.is_none());
        if views.is_empty() || whole().next().is_some() {
            let [n, checks, prints] = finding_cells(whole());
            w.write_record([
                path.as_str(),
                case,
                "",
                "",
                "",
                "",
                "",
                "",
                &n,
                &checks,
                &prints,
                "",
            ])?;
        }
        for view in &views {
            let Some(judgement) = &view.judgement else {
                continue;
            };
            let [n, checks, prints] =
                finding_cells(audit.findings.iter().filter(|f| f.item == Some(view.index)));
            w.write_record([
                path.as_str(),
                case,
                &view.index.to_string(),
                &view.request_folded(),
                view.decision.map_or("", |d| d.value.into()),
                judgement.rule.map_or("", |r| r.id.as_str()),
                judgement.expected.map_or("", |e| e.into()),
                judgement.verdict.into(),
                &n,
                &checks,
                &prints,
                "",
            ])?;
        }
        w.flush()
    }

    fn unreadable(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        let mut w = writer(out);
        let path = error.path.display().to_string();
        w.write_record([
            path.as_str(),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            &error.message,
        ])?;
        w.flush()
    }

    fn finish(self: Box<Self>, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
