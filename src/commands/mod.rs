//! One module per subcommand; each turns raw arguments into work and returns
//! the run's status and the messages for stderr.

pub mod check;
pub mod explain;
pub mod listing;
pub mod parse;
pub mod rules;
pub mod scaffold;

use std::path::PathBuf;

use crate::ExitStatus;
pub use crate::diagnostic::Diagnostics;
use crate::rules::{Pack, Problem};

pub type Outcome = anyhow::Result<(ExitStatus, Diagnostics)>;

/// Loads the default pack and the `--rules` layers, or turns every problem
/// into a stderr message. Every command that needs a pack starts here.
///
/// A command loads one pack and uses it to its end, so the pack is kept for
/// the rest of the process and never freed: freeing its automata and the
/// expressions a run compiled took 4–6% of a one-letter run, after the
/// report was written.
pub fn load_pack(extra: &[PathBuf], diagnostics: &mut Diagnostics) -> Option<&'static Pack> {
    match Pack::load(extra) {
        Ok(pack) => Some(Box::leak(Box::new(pack))),
        Err(problems) => {
            report_problems(&problems, diagnostics);
            None
        }
    }
}

/// Every problem of a pack that did not load, then a line saying nothing ran.
pub fn report_problems(problems: &[Problem], diagnostics: &mut Diagnostics) {
    for problem in problems {
        diagnostics.problem(problem.clone());
    }
    diagnostics.error(format!(
        "the rule pack has {} problem(s); nothing was run",
        problems.len()
    ));
}

/// The value, or `None` with the error reported as a message.
pub fn reported<T>(result: anyhow::Result<T>, diagnostics: &mut Diagnostics) -> Option<T> {
    result
        .map_err(|err| diagnostics.error(format!("{err:#}")))
        .ok()
}

/// Lists the letters under `paths` as `walk` says. Each skipped path that is
/// a problem becomes an error message; a bad glob, or no letter found at
/// all, ends the run (`None`, exit 2) with every skipped path named.
pub fn collect(
    paths: &[PathBuf],
    walk: &crate::cli::WalkArgs,
    diagnostics: &mut Diagnostics,
) -> Option<crate::input::Collection> {
    let collection = match crate::input::collect_letters(paths, &walk.collect_options()) {
        Ok(collection) => collection,
        Err(error) => {
            diagnostics.error(crate::text::visible_line(&error.to_string()).into_owned());
            return None;
        }
    };
    for problem in collection.problems() {
        diagnostics.error(problem.to_string());
    }
    if let Err(none) = collection.require_letters(paths) {
        for skipped in collection.skipped.iter().filter(|s| !s.reason.is_problem()) {
            diagnostics.note(skipped.to_string());
        }
        diagnostics.error(none.to_string());
        return None;
    }
    Some(collection)
}
