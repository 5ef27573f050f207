//! Command-line arguments as parsed by clap. These are raw: [`crate::run`]
//! turns them into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "imr-audit",
    version,
    about = "Audit California workers' compensation IMR Final Determination Letters against MTUS guideline rules",
    long_about = None
)]
pub struct Cli {
    /// When to colour the output: auto (a terminal, NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read letters and print what was extracted (no rules applied).
    Parse(ParseArgs),
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Letter files or directories (directories are walked for *.txt); `-` reads stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Human)]
    pub format: ParseFormat,
    /// Write the report to FILE (written whole, then renamed into place) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
