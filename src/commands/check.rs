//! `imr-audit check`: the main job. Letters are read and audited in parallel
//! (rayon, `-j N`) in windows of bounded size, then handed to each report's
//! [`Reporter`] in input order, so output is the
//! same bytes whatever the thread count and memory does not grow with the
//! number of letters. One pass feeds every report the run asks for (the
//! main `--format` and each `--output-FORMAT FILE`). This module only wires
//! inputs to the reporters.

use std::io::IsTerminal;
use std::time::Instant;

use rayon::prelude::*;

use super::{Diagnostics, Outcome, load_pack};
use crate::ExitStatus;
use crate::audit::{Audit, audit};
use crate::baseline::Acceptance;
use crate::cli::{CheckArgs, ColorChoice};
use crate::input::{self, InputError};
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
    // Meanwhile, a second thread compiles the pipeline's own expressions,
    // which do not depend on the pack.
    let Some(pack) = pool.install(|| {
        rayon::join(
            || load_pack(&args.rules, &mut diagnostics),
            crate::audit::prepare_expressions,
        )
        .0
    }) else {
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
    let Some(collection) = super::collect(&args.paths, &args.walk, &mut diagnostics) else {
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
    for (n, window) in files.chunks(threads * WINDOW_PER_THREAD).enumerate() {
        // What the pack was read from is freed once the first letters are
        // audited: a run of one window never waits for it.
        if n == 1 {
            pack.sources.release();
        }
        let results: Vec<Result<Audit, InputError>> = pool.install(|| {
            window
                .par_iter()
                .map(|path| {
                    input::read_with(path, &read_options)
                        .map_err(InputError::from)
                        .and_then(|source| audit_isolated(pack, source))
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
fn inputs<'a>(args: &'a CheckArgs, letters: &'a [std::path::PathBuf]) -> Vec<output::Input<'a>> {
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
