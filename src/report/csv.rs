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

/// One row; fields left empty mean "none".
#[derive(Default)]
struct Row<'a> {
    path: &'a str,
    case_number: &'a str,
    item: String,
    request: String,
    decision: &'a str,
    rule: &'a str,
    expected: &'a str,
    verdict: &'a str,
    /// The count, check ids and fingerprints of some findings.
    findings: [String; 3],
    error: &'a str,
}

impl<'a> Row<'a> {
    /// Fills the finding cells from `findings`.
    fn findings(mut self, findings: impl Iterator<Item = &'a Finding>) -> Row<'a> {
        let findings: Vec<&Finding> = findings.collect();
        let checks: Vec<&str> = findings.iter().map(|f| f.check.id()).collect();
        let prints: Vec<&str> = findings
            .iter()
            .filter_map(|f| f.fingerprint.as_deref())
            .collect();
        self.findings = [
            findings.len().to_string(),
            checks.join(" "),
            prints.join(" "),
        ];
        self
    }

    fn write(self, w: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        let [count, checks, prints] = &self.findings;
        w.write_record([
            self.path,
            self.case_number,
            &self.item,
            &self.request,
            self.decision,
            self.rule,
            self.expected,
            self.verdict,
            count,
            checks,
            prints,
            self.error,
        ])
    }
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
        let case_number = audit
            .letter
            .case_number
            .as_ref()
            .map_or("", |c| c.value.as_str());
        let letter = || Row {
            path: &path,
            case_number,
            ..Row::default()
        };
        let views = judged_items(audit, None);
        let whole = || audit.findings.iter().filter(|f| f.item.is_none());
        if views.is_empty() || whole().next().is_some() {
            letter().findings(whole()).write(&mut w)?;
        }
        let by_item = super::view::findings_by_item(audit);
        for view in &views {
            let Some(judgement) = &view.judgement else {
                continue;
            };
            Row {
                item: view.index.to_string(),
                request: view.request_folded(),
                decision: view.decision.map_or("", |d| d.value.into()),
                rule: judgement.rule.map_or("", |r| r.id.as_str()),
                expected: judgement.expected.map_or("", |e| e.into()),
                verdict: judgement.verdict.into(),
                ..letter()
            }
            .findings(by_item.get(&view.index).into_iter().flatten().copied())
            .write(&mut w)?;
        }
        w.flush()
    }

    fn unreadable(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        let mut w = writer(out);
        let path = error.path.display().to_string();
        Row {
            path: &path,
            error: &error.message,
            ..Row::default()
        }
        .write(&mut w)?;
        w.flush()
    }

    /// A row per path not audited, after the letters: its path and, in
    /// `error`, `not audited: REASON`.
    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let mut w = writer(out);
        for skipped in &summary.skipped {
            let error = format!("not audited: {}", skipped.reason);
            Row {
                path: &skipped.path,
                error: &error,
                ..Row::default()
            }
            .write(&mut w)?;
        }
        w.flush()
    }
}
