//! `imr-audit check`: the main job. Letters are read and audited in parallel
//! (rayon, `-j N`) in windows of bounded size, then handed to each report's
//! [`Reporter`] in input order, so output is the
//! same bytes whatever the thread count and memory does not grow with the
//! number of letters. One pass feeds every report the run asks for (the
//! main `--format` and each `--output-FORMAT FILE`). This module only wires
//! inputs to the reporters.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::{Diagnostics, Outcome, load_pack};
use crate::ExitStatus;
use crate::audit::{Audit, audit, audit_parsed};
use crate::baseline::Acceptance;
use crate::cli::{CheckArgs, ColorChoice};
use crate::input::{self, InputError};
use crate::letter::Letter;
use crate::output::{self, Destination, Named, Output};
use crate::report::summary::{SkippedPath, Summary};
use crate::report::{self, Reporter};
use crate::rules::Pack;

/// Letters audited per window and thread: bounds memory on any corpus.
const WINDOW_PER_THREAD: usize = 8;

pub fn run(args: CheckArgs, color: ColorChoice) -> Outcome {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let threads = jobs(args.jobs, &mut diagnostics);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    // The pack's files are parsed in parallel, on the run's threads.
    // Meanwhile, a second thread lists the letters and reads and parses the
    // first one, which compiles the pipeline's own expressions: neither
    // depends on the pack.
    let (pack, (listed, first)) = pool.install(|| {
        rayon::join(
            || load_pack(&args.rules, &mut diagnostics),
            || before_the_pack(&args),
        )
    });
    let Some(pack) = pack else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let mut acceptance = match Acceptance::load(args.baseline.as_deref(), args.waivers.as_deref()) {
        Ok(a) => a,
        Err(err) => {
            diagnostics.error(format!("{err:#}"));
            return Ok((ExitStatus::Error, diagnostics));
        }
    };
    // Every destination is checked before a letter is read.
    let Some(destinations) = super::reported(destinations(&args), &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    // The letters were listed beside the pack; what listing them found is
    // reported here, in the order of the run's steps.
    let (collection, listing) = listed;
    diagnostics.messages.extend(listing.messages);
    let Some(collection) = collection else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    if let Err(err) = output::refuse_inputs(&destinations, &inputs(&args, &collection.letters)) {
        diagnostics.error(format!("{err:#}"));
        return Ok((ExitStatus::Error, diagnostics));
    }
    let mut io_error = collection.problems().next().is_some();
    let files = collection.letters;
    let read_options = args.walk.read_options();
    // A file is not a terminal: it gets colour only when asked for.
    let to_terminal =
        destinations[0].destination == Destination::Stdout && std::io::stdout().is_terminal();
    let human = report::HumanOptions {
        color: report::style::enabled(color, to_terminal),
        brief: args.brief,
    };
    let origin = report::PackOrigin::of(pack, &args.rules);
    let mut reports = Reports {
        sinks: vec![(
            report::reporter(args.format, pack, &origin, human),
            Output::open(&destinations[0].destination)?,
        )],
    };
    for ((format, _, _), named) in args.outputs.files().into_iter().zip(&destinations[1..]) {
        let reporter = report::reporter(format, pack, &origin, report::HumanOptions::default());
        reports
            .sinks
            .push((reporter, Output::open(&named.destination)?));
    }
    reports.begin()?;
    let progress = progress_bar(files.len(), args.no_progress);
    let mut summary = Summary {
        skipped: collection.skipped.iter().map(SkippedPath::of).collect(),
        ..Summary::default()
    };
    let mut failing = false;
    let mut first = first;
    for (n, window) in files.chunks(threads * WINDOW_PER_THREAD).enumerate() {
        // What the pack was read from is freed once the first letters are
        // audited: a run of one window never waits for it.
        if n == 1 {
            pack.sources.release();
        }
        let pending: Vec<Pending> = window
            .iter()
            .map(|path| match first.take() {
                Some(letter) => Pending::Read(Box::new(letter)),
                None => Pending::Path(path),
            })
            .collect();
        let results: Vec<Result<Audit, InputError>> = pool.install(|| {
            pending
                .into_par_iter()
                .map(|pending| match pending {
                    Pending::Path(path) => input::read_with(path, &read_options)
                        .map_err(InputError::from)
                        .and_then(|source| {
                            let path = source.path().to_path_buf();
                            isolated(path, || audit(pack, source))
                        }),
                    Pending::Read(first) => first.audit(pack),
                })
                .collect()
        });
        for result in results {
            match result {
                Ok(mut audit) => {
                    acceptance.apply(&mut audit, args.write_baseline.is_some(), |rule| {
                        pack.former_ids(rule).map(str::to_owned).collect()
                    });
                    failing |= audit.findings.iter().any(|f| f.severity >= args.fail_on);
                    summary.add(&audit);
                    reports.letter(&audit)?;
                }
                Err(error) => {
                    io_error = true;
                    diagnostics.error(error.to_string());
                    summary.add_unreadable(error.path.display().to_string());
                    reports.unreadable(&error)?;
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
        diagnostics.note(format!(
            "stale baseline entry {} ({} in {}, item {}): no such finding any more",
            entry.fingerprint,
            entry.check,
            entry.path,
            entry.item.map_or("-".into(), |i| i.to_string())
        ));
        summary.stale_baseline += 1;
    }
    if acceptance.matched_former > 0 {
        diagnostics.note(format!(
            "{} findings matched baseline entries or waivers by the fingerprint of a former rule id (rules/renames.yaml); --write-baseline records their current fingerprints",
            acceptance.matched_former
        ));
    }
    for waiver in acceptance.unused_waivers() {
        diagnostics.warning(format!(
            "unused waiver {} at {} ({}): it matched no finding",
            waiver.fingerprint, waiver.place, waiver.reason
        ));
        summary.unused_waivers += 1;
    }
    reports.finish(&summary)?;
    if let Some(path) = &args.write_baseline {
        let count = acceptance.write_baseline(path)?;
        diagnostics.info(format!(
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

/// Every report of a run with its destination: the main one (`--format`,
/// `-o`) first, then each `--output-FORMAT FILE`. All are fed the same
/// audits in the same order; files are renamed into place only when every
/// report is complete.
struct Reports<'a> {
    sinks: Vec<(Box<dyn Reporter + 'a>, Output)>,
}

impl Reports<'_> {
    fn begin(&mut self) -> std::io::Result<()> {
        for (reporter, out) in &mut self.sinks {
            reporter.begin(out)?;
        }
        Ok(())
    }

    fn letter(&mut self, audit: &Audit) -> std::io::Result<()> {
        for (reporter, out) in &mut self.sinks {
            reporter.letter(out, audit)?;
        }
        Ok(())
    }

    fn unreadable(&mut self, error: &InputError) -> std::io::Result<()> {
        for (reporter, out) in &mut self.sinks {
            reporter.unreadable(out, error)?;
        }
        Ok(())
    }

    fn finish(self, summary: &Summary) -> anyhow::Result<()> {
        let mut done = Vec::with_capacity(self.sinks.len());
        for (reporter, mut out) in self.sinks {
            reporter.finish(&mut out, summary)?;
            done.push(out);
        }
        for out in done {
            out.finish()?;
        }
        Ok(())
    }
}

/// The destinations of a run, resolved and checked: the main report
/// first, then each `--output-FORMAT` in [`crate::cli::OutputFiles::files`]
/// order, then `--write-baseline` (checked, written later).
fn destinations(args: &CheckArgs) -> anyhow::Result<Vec<Named<'_>>> {
    let mut named = vec![Named {
        flag: "-o",
        given: args.output.as_deref(),
        destination: Destination::resolve(args.output.as_deref())?,
    }];
    for (_, path, flag) in args.outputs.files() {
        named.push(Named {
            flag,
            given: Some(path),
            destination: Destination::resolve(Some(path))?,
        });
    }
    if let Some(path) = &args.write_baseline {
        named.push(Named {
            flag: "--write-baseline",
            given: Some(path),
            destination: Destination::resolve(Some(path))?,
        });
    }
    output::refuse_clashes(&named)?;
    Ok(named)
}

/// Every file the run reads, which no report may replace.
fn inputs<'a>(args: &'a CheckArgs, letters: &'a [PathBuf]) -> Vec<output::Input<'a>> {
    let mut inputs: Vec<output::Input> = letters.iter().map(|p| output::Input::letter(p)).collect();
    if let Some(path) = &args.baseline {
        inputs.push(output::Input {
            what: "baseline",
            flag: Some("--baseline"),
            path,
        });
    }
    if let Some(path) = &args.waivers {
        inputs.push(output::Input {
            what: "waivers file",
            flag: Some("--waivers"),
            path,
        });
    }
    inputs
}

/// Most threads a run uses per core: beyond it more threads only cost
/// memory and start-up time.
const MAX_JOBS_PER_CORE: usize = 4;

/// Threads for `-j N`: the number of cores by default, at most
/// [`MAX_JOBS_PER_CORE`] per core (a warning says when `N` is cut down).
fn jobs(asked: Option<usize>, diagnostics: &mut Diagnostics) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores * MAX_JOBS_PER_CORE;
    match asked {
        None => cores,
        Some(n) if n > cap => {
            diagnostics.warning(format!(
                "-j {n} is more than {MAX_JOBS_PER_CORE} per core; using {cap} ({cores} cores)"
            ));
            cap
        }
        Some(n) => n.max(1),
    }
}

/// What a run does before its pack is loaded, on its second thread: list
/// the letters (and what listing them finds, reported later in the order
/// of the run's steps), and read and parse the first one when it is a
/// regular file, which compiles the pipeline's own expressions; otherwise
/// a built-in sample is parsed for them. Reading changes nothing: a run
/// that stops before its letters (a bad pack, a refused destination) only
/// drops what it read.
fn before_the_pack(
    args: &CheckArgs,
) -> (
    (Option<input::Collection>, Diagnostics),
    Option<FirstLetter>,
) {
    let mut listing = Diagnostics::default();
    let collection = super::collect(&args.paths, &args.walk, &mut listing);
    // Only a regular file: standard input or a FIFO may wait for a writer,
    // and the run's other steps (a bad pack, a refused destination) must
    // not wait for it.
    let first = collection
        .as_ref()
        .and_then(|c| c.letters.first())
        .filter(|path| path.as_os_str() != "-" && path.metadata().is_ok_and(|m| m.is_file()))
        .map(|path| FirstLetter::read(path, &args.walk.read_options()));
    if !first.as_ref().is_some_and(FirstLetter::parsed) {
        crate::audit::prepare_expressions();
    }
    ((collection, listing), first)
}

/// A letter to audit: its path, or the first letter, read and parsed
/// beforehand.
enum Pending<'a> {
    Path(&'a Path),
    Read(Box<FirstLetter>),
}

/// The first letter of a run, read and parsed while the pack loads: the
/// error reading it gave, or its text and the parsed letter (`Err` holds
/// what a defect of the parser said).
struct FirstLetter(Result<(crate::source::Source, Result<Letter, String>), InputError>);

impl FirstLetter {
    fn read(path: &Path, options: &input::ReadOptions) -> FirstLetter {
        FirstLetter(
            input::read_with(path, options)
                .map_err(InputError::from)
                .map(|source| {
                    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let letter = crate::letter::parse(&source);
                        crate::audit::prepare_expressions_for(&source, &letter);
                        letter
                    }))
                    .map_err(|panic| panic_message(&*panic));
                    (source, parsed)
                }),
        )
    }

    fn parsed(&self) -> bool {
        matches!(self.0, Ok((_, Ok(_))))
    }

    /// The audit, or the error [`isolated`] would have given.
    fn audit(self, pack: &Pack) -> Result<Audit, InputError> {
        let (source, parsed) = self.0?;
        let path = source.path().to_path_buf();
        match parsed {
            Ok(letter) => isolated(path, || audit_parsed(pack, source, letter)),
            Err(what) => Err(internal_error(path, &what)),
        }
    }
}

/// Runs `audit` of the letter at `path`; a defect of the tool on one letter
/// becomes an error for that letter, never the end of the run.
fn isolated(path: PathBuf, audit: impl FnOnce() -> Audit) -> Result<Audit, InputError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(audit))
        .map_err(|panic| internal_error(path, &panic_message(&*panic)))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into())
}

fn internal_error(path: PathBuf, what: &str) -> InputError {
    InputError {
        path,
        message: format!(
            "internal error while auditing this letter ({what}); the other letters were audited — please report it with the letter"
        ),
    }
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
