//! Renderers. Every format is built from the same values: the parsed
//! [`Letter`](crate::letter::Letter) and, for `check`, its [`Audit`].
//!
//! `check` hands a run to one [`Reporter`]: `begin`, then `letter` or
//! `unreadable` for each input in input order, then `finish` with the
//! run's [`Summary`]. [`reporter`] picks the implementation for a format in
//! one exhaustive match. Streaming formats (human, json, ndjson, csv) write each
//! letter as it arrives; whole-run formats (sarif, junit, html) keep only
//! the compact data they need (never the letter texts, except the HTML
//! report, which shows them) and write everything in `finish`.
//!
//! What a format shows of an item comes from one [`view::ItemView`]; what a
//! finding's spans mean comes from its labels; run statistics come from
//! [`stats`]. A renderer only lays these out.

pub mod csv;
pub mod document;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod outline;
pub mod sarif;
pub mod stats;
pub mod style;
pub mod summary;
pub mod view;
pub mod weigh;

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::audit::Audit;
use crate::cli::CheckFormat;
use crate::input::InputError;
use crate::rules::Pack;
use summary::Summary;

/// How people read a machine spelling: `not-met` → "not met",
/// `case-summary` → "case summary". Every human wording of an enum comes
/// from its one machine spelling through here.
pub fn words(value: impl std::fmt::Display) -> String {
    value.to_string().replace('-', " ")
}

/// One output format receiving a `check` run.
pub trait Reporter {
    /// Called once, before any letter; only a format with a header writes here.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// One audited letter, in input order.
    fn letter(&mut self, out: &mut dyn Write, audit: &Audit) -> io::Result<()>;
    /// An input that could not be read at all, in input order.
    fn unreadable(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()>;
    /// Called once, after the last letter, with the run's counts.
    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Which pack judged a run, for the audit trail every report keeps: its
/// name and version, whether the embedded pack took part, and the `--rules`
/// folders read, as given. A folder holding its own `pack.yaml` is a whole
/// pack and replaces the embedded one (see `rules::Pack::load`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackOrigin {
    pub name: String,
    pub version: u32,
    pub embedded: bool,
    pub folders: Vec<String>,
}

impl PackOrigin {
    /// The origin of `pack`, loaded from the embedded pack and `folders`.
    pub fn of(pack: &Pack, folders: &[PathBuf]) -> PackOrigin {
        PackOrigin {
            name: pack.name.clone(),
            version: pack.version,
            embedded: !folders.iter().any(|d| d.join("pack.yaml").is_file()),
            folders: folders.iter().map(|d| d.display().to_string()).collect(),
        }
    }

    /// The pack in words: `imr-audit default pack v1 (embedded, with my-rules)`.
    pub fn describe(&self) -> String {
        let mut from: Vec<String> = Vec::new();
        if self.embedded {
            from.push("embedded".into());
        }
        if !self.folders.is_empty() {
            let folders = self.folders.join(", ");
            from.push(if self.embedded {
                format!("with {folders}")
            } else {
                format!("from {folders}")
            });
        }
        format!("{} v{} ({})", self.name, self.version, from.join(", "))
    }
}

/// What only the human format reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Write colour escape codes.
    pub color: bool,
    /// One short block per item (`--brief`).
    pub brief: bool,
}

/// The reporter for `format`, judging with `pack`, loaded as `origin` says.
pub fn reporter<'a>(
    format: CheckFormat,
    pack: &'a Pack,
    origin: &PackOrigin,
    human: HumanOptions,
) -> Box<dyn Reporter + 'a> {
    match format {
        CheckFormat::Human => {
            Box::new(human::HumanReport::new(pack, human.color, human.brief).with_origin(origin))
        }
        CheckFormat::Json => Box::new(json::JsonReport::new(pack).with_origin(origin)),
        CheckFormat::Ndjson => Box::new(json::NdjsonReport::new(pack).with_origin(origin)),
        CheckFormat::Sarif => Box::new(sarif::SarifReport::new(pack).with_origin(origin)),
        CheckFormat::Junit => Box::new(junit::JunitReport::new()),
        CheckFormat::Html => Box::new(html::HtmlReport::new(pack).with_origin(origin)),
        CheckFormat::Csv => Box::new(csv::CsvReport),
    }
}

/// Runs `audits` through a reporter into memory (tests, benchmarks).
pub fn render<'a>(
    mut reporter: Box<dyn Reporter + '_>,
    audits: impl IntoIterator<Item = &'a Audit>,
    summary: &Summary,
) -> Vec<u8> {
    let mut out = Vec::new();
    let result = (|| {
        reporter.begin(&mut out)?;
        for audit in audits {
            reporter.letter(&mut out, audit)?;
        }
        reporter.finish(&mut out, summary)
    })();
    result.expect("writing to memory cannot fail");
    out
}
