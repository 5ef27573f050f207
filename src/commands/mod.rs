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
pub fn load_pack(extra: &[PathBuf], diagnostics: &mut Diagnostics) -> Option<Pack> {
    match Pack::load(extra) {
        Ok(pack) => Some(pack),
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
