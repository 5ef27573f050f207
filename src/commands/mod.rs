//! One module per subcommand; each turns raw arguments into work and returns
//! the run's status and the messages for stderr.

pub mod check;
pub mod explain;
pub mod parse;
pub mod rules;

use crate::ExitStatus;
pub use crate::diagnostic::Diagnostics;

pub type Outcome = anyhow::Result<(ExitStatus, Diagnostics)>;

/// Whether to colour output, from `--color` and the environment.
pub fn use_color(choice: crate::cli::ColorChoice, is_terminal: bool) -> bool {
    match choice {
        crate::cli::ColorChoice::Always => true,
        crate::cli::ColorChoice::Never => false,
        crate::cli::ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
