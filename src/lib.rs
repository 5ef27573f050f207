//! imr-audit: reads California workers' compensation IMR Final Determination
//! Letters, judges each disputed item against a rule pack encoding the MTUS
//! guideline criteria, and reports where decision and guideline agree or
//! conflict, quoting the letter's own words.
//!
//! The pipeline, one module per stage (each a plain function of the last):
//! [`source`] (text + positions) → [`letter`] (parse) → [`facts`] (detectors
//! in context) → [`eval`] (rule criteria, verdicts) → [`checks`] (findings) →
//! [`report`]. [`audit`] runs it for one letter; [`rules`] loads the pack;
//! [`selftest`] runs the pack's own rule tests through the pipeline;
//! [`commands`] holds the subcommands; [`shell`] makes completions and man
//! pages from [`cli`].

pub mod audit;
pub mod baseline;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod eval;
pub mod facts;
pub mod finding;
pub mod input;
pub mod letter;
pub mod output;
pub mod report;
pub mod rules;
pub mod selftest;
pub mod shell;
pub mod source;
pub mod text;

#[cfg(test)]
mod test_letters;

pub use diagnostic::Diagnostics;

use cli::{Cli, Command};

/// How a run ended; the binary maps it to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the failure threshold (exit 0).
    Success,
    /// Findings at or above `--fail-on`, or failing rule tests (exit 1).
    Failure,
    /// Usage, I/O or rule-pack error (exit 2).
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Runs a parsed command line. Reports go to stdout or `--output`; messages
/// for stderr are returned so the library itself never prints.
pub fn run(cli: Cli) -> anyhow::Result<(ExitStatus, Diagnostics)> {
    match cli.command {
        Command::Check(args) => commands::check::run(*args, cli.color),
        Command::Parse(args) => commands::parse::run(args),
        Command::Rules(command) => commands::rules::run(command),
        Command::Explain { id } => commands::explain::run(id),
        Command::Completions { shell } => {
            output::emit(None, &shell::completions(shell))?;
            Ok((ExitStatus::Success, Diagnostics::default()))
        }
        Command::Man { command } => {
            let mut diagnostics = Diagnostics::default();
            match shell::man_page(&command) {
                Ok(page) => {
                    output::emit(None, &page)?;
                    Ok((ExitStatus::Success, diagnostics))
                }
                Err(err) => {
                    diagnostics.error(format!("{err:#}"));
                    Ok((ExitStatus::Error, diagnostics))
                }
            }
        }
    }
}
