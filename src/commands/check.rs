//! `imr-audit check`: the main job. Letters are read and audited in parallel
//! (rayon, `-j N`) in windows of bounded size, then handed to the report in
//! input order, so output is the same bytes whatever the thread count and
//! memory does not grow with the number of letters.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use super::{Diagnostics, Outcome, load_pack, use_color};
use crate::ExitStatus;
use crate::audit::{Audit, audit};
use crate::baseline::Acceptance;
use crate::cli::{CheckArgs, CheckFormat, ColorChoice};
use crate::input::{self, Filters, InputError};
use crate::output::Output;
use crate::report::document::{LetterDoc, SCHEMA_VERSION};
use crate::report::summary::Summary;
use crate::report::{Accumulator, human};
use crate::rules::Pack;

/// Letters audited per window and thread: bounds memory on any corpus.
const WINDOW_PER_THREAD: usize = 8;

pub fn run(args: CheckArgs, color: ColorChoice) -> Outcome {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let Some(pack) = load_pack(&args.rules, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let mut acceptance = match Acceptance::load(args.baseline.as_deref(), args.waivers.as_deref()) {
        Ok(a) => a,
        Err(err) => {
            diagnostics.messages.push(format!("error: {err:#}"));
            return Ok((ExitStatus::Error, diagnostics));
        }
    };
    let filters = Filters {
        include: args.include.clone(),
        exclude: args.exclude.clone(),
    };
    let (files, errors) = input::collect(&args.paths, &filters);
    let mut io_error = !errors.is_empty();
    for error in &errors {
        diagnostics.messages.push(format!("error: {error}"));
    }
    let threads = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let color = args.output.is_none() && use_color(color, std::io::stdout().is_terminal());
    let mut out = Output::create(args.output.as_deref())?;
    let mut sink = Sink::new(args.format, &pack, color);
    sink.begin(&mut out, &pack)?;
    let progress = progress_bar(files.len(), args.no_progress);
    let mut summary = Summary::default();
    let mut failing = false;
    for window in files.chunks(threads * WINDOW_PER_THREAD) {
        let results: Vec<Result<Audit, InputError>> = pool.install(|| {
            window
                .par_iter()
                .map(|path| input::read(path).and_then(|source| audit_isolated(&pack, source)))
                .collect()
        });
        for result in results {
            match result {
                Ok(mut audit) => {
                    acceptance.apply(&mut audit, args.write_baseline.is_some());
                    failing |= audit.findings.iter().any(|f| f.severity >= args.fail_on);
                    summary.add(&audit);
                    sink.letter(&mut out, &audit)?;
                }
                Err(error) => {
                    io_error = true;
                    diagnostics.messages.push(format!("error: {error}"));
                    summary.add_unreadable(error.path.display().to_string());
                    sink.unreadable(&mut out, &error)?;
                }
            }
            if let Some(bar) = &progress {
                bar.inc(1);
            }
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    summary.elapsed = Some(started.elapsed());
    summary.suppressed = acceptance.suppressed_by_baseline + acceptance.suppressed_by_waiver;
    for entry in acceptance.stale() {
        diagnostics.messages.push(format!(
            "note: stale baseline entry {} ({} in {}, item {}): no such finding any more",
            entry.fingerprint,
            entry.check,
            entry.path,
            entry.item.map_or("-".into(), |i| i.to_string())
        ));
        summary.stale_baseline += 1;
    }
    for waiver in acceptance.unused_waivers() {
        diagnostics.messages.push(format!(
            "warning: unused waiver {} ({}): it matched no finding",
            waiver.fingerprint, waiver.reason
        ));
        summary.unused_waivers += 1;
    }
    sink.finish(&mut out, &summary)?;
    out.finish()?;
    if let Some(path) = &args.write_baseline {
        let count = acceptance.write_baseline(path)?;
        diagnostics.messages.push(format!(
            "wrote {count} findings to baseline {}",
            path.display()
        ));
    }
    let status = if io_error {
        ExitStatus::Error
    } else if failing {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    Ok((status, diagnostics))
}

/// Audits one letter; a defect of the tool on one letter becomes an error for
/// that letter, never the end of the run.
fn audit_isolated(pack: &Pack, source: crate::source::Source) -> Result<Audit, InputError> {
    let path = source.path().to_path_buf();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| audit(pack, source))).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        InputError {
            path,
            message: format!("internal error while auditing this letter ({what}); the other letters were audited — please report it with the letter"),
        }
    })
}

fn progress_bar(len: usize, disabled: bool) -> Option<indicatif::ProgressBar> {
    let wanted =
        !disabled && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && len > 1;
    wanted.then(|| {
        let bar = indicatif::ProgressBar::new(len as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} letters  {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    })
}

/// How a format receives the run.
enum Sink {
    Human { color: bool },
    Json { first: bool },
    Ndjson,
    Whole(Box<dyn Accumulator>),
}

impl Sink {
    fn new(format: CheckFormat, pack: &Pack, color: bool) -> Sink {
        match format {
            CheckFormat::Human => Sink::Human { color },
            CheckFormat::Json => Sink::Json { first: true },
            CheckFormat::Ndjson => Sink::Ndjson,
            CheckFormat::Sarif => {
                Sink::Whole(Box::new(crate::report::sarif::SarifReport::new(pack)))
            }
            CheckFormat::Junit => Sink::Whole(Box::new(crate::report::junit::JunitReport::new())),
            CheckFormat::Html => Sink::Whole(Box::new(crate::report::html::HtmlReport::new(pack))),
        }
    }

    fn begin(&mut self, out: &mut Output, pack: &Pack) -> std::io::Result<()> {
        if let Sink::Json { .. } = self {
            write!(out, "{{\n  \"schema\": {SCHEMA_VERSION},\n  \"pack\": ")?;
            serde_json::to_writer(
                &mut *out,
                &serde_json::json!({"name": pack.name, "version": pack.version}),
            )?;
            write!(out, ",\n  \"letters\": [")?;
        }
        Ok(())
    }

    fn letter(&mut self, out: &mut Output, audit: &Audit) -> std::io::Result<()> {
        match self {
            Sink::Human { color } => {
                out.write_all(human::letter(audit, *color).as_bytes())?;
                out.write_all(b"\n")
            }
            Sink::Json { first } => {
                out.write_all(if *first { b"\n" } else { b",\n" })?;
                *first = false;
                serde_json::to_writer_pretty(&mut *out, &LetterDoc::checked(audit))?;
                Ok(())
            }
            Sink::Ndjson => {
                #[derive(serde::Serialize)]
                struct Line<'a> {
                    r#type: &'static str,
                    schema: u32,
                    #[serde(flatten)]
                    letter: LetterDoc<'a>,
                }
                serde_json::to_writer(
                    &mut *out,
                    &Line {
                        r#type: "letter",
                        schema: SCHEMA_VERSION,
                        letter: LetterDoc::checked(audit),
                    },
                )?;
                out.write_all(b"\n")?;
                out.flush()
            }
            Sink::Whole(acc) => {
                acc.add(audit);
                Ok(())
            }
        }
    }

    fn unreadable(&mut self, out: &mut Output, error: &InputError) -> std::io::Result<()> {
        let doc =
            serde_json::json!({"path": error.path.display().to_string(), "error": error.message});
        match self {
            Sink::Human { .. } => writeln!(out, "{error}\n"),
            Sink::Json { first } => {
                out.write_all(if *first { b"\n" } else { b",\n" })?;
                *first = false;
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                Ok(())
            }
            Sink::Ndjson => {
                serde_json::to_writer(
                    &mut *out,
                    &serde_json::json!({"type": "unreadable", "path": doc["path"], "error": doc["error"]}),
                )?;
                out.write_all(b"\n")?;
                out.flush()
            }
            Sink::Whole(_) => Ok(()),
        }
    }

    fn finish(self, out: &mut Output, summary: &Summary) -> std::io::Result<()> {
        match self {
            Sink::Human { color } => out.write_all(human::summary(summary, color).as_bytes()),
            Sink::Json { .. } => {
                write!(out, "\n  ],\n  \"summary\": ")?;
                serde_json::to_writer(&mut *out, summary)?;
                out.write_all(b"\n}\n")
            }
            Sink::Ndjson => {
                #[derive(serde::Serialize)]
                struct Last<'a> {
                    r#type: &'static str,
                    #[serde(flatten)]
                    summary: &'a Summary,
                }
                serde_json::to_writer(
                    &mut *out,
                    &Last {
                        r#type: "summary",
                        summary,
                    },
                )?;
                out.write_all(b"\n")
            }
            Sink::Whole(acc) => out.write_all(&acc.finish(summary)),
        }
    }
}

/// Paths of the letters a run would read (for `rules coverage`).
pub fn letters(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    input::collect(paths, &Filters::default())
}
