//! imr-audit: reads California workers' compensation IMR Final Determination
//! Letters, judges each disputed item against a rule pack encoding the MTUS
//! guideline criteria, and reports where decision and guideline agree or
//! conflict, quoting the letter's own words.
//!
//! The pipeline, one module per stage:
//! [`source`] (text + positions) → [`letter`] (parse) → facts → eval →
//! findings → [`report`].

pub mod cli;
pub mod finding;
pub mod input;
pub mod letter;
pub mod output;
pub mod report;
pub mod source;
pub mod text;

use cli::{Cli, Command, ParseArgs, ParseFormat};

/// How a run ended; the binary maps it to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the failure threshold (exit 0).
    Success,
    /// Findings at or above `--fail-on` (exit 1).
    Failure,
    /// Usage, I/O or rule-pack error (exit 2).
    Error,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// What a run has to say on stderr besides its report.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub messages: Vec<String>,
}

/// Runs a parsed command line. Reports go to stdout or `--output`; messages
/// for stderr are returned so the library itself never prints.
pub fn run(cli: Cli) -> anyhow::Result<(ExitStatus, Diagnostics)> {
    match cli.command {
        Command::Parse(args) => run_parse(args),
    }
}

fn run_parse(args: ParseArgs) -> anyhow::Result<(ExitStatus, Diagnostics)> {
    let mut diagnostics = Diagnostics::default();
    let (files, errors) = input::collect(&args.paths);
    let mut status = ExitStatus::Success;
    for error in errors {
        diagnostics.messages.push(format!("error: {error}"));
        status = ExitStatus::Error;
    }
    let mut sources = Vec::new();
    for path in &files {
        match input::read(path) {
            Ok(source) => sources.push(source),
            Err(error) => {
                diagnostics.messages.push(format!("error: {error}"));
                status = ExitStatus::Error;
            }
        }
    }
    let letters: Vec<letter::Letter> = sources.iter().map(letter::parse).collect();
    let bytes = match args.format {
        ParseFormat::Json => {
            let document = report::document::Document {
                schema: report::document::SCHEMA_VERSION,
                letters: sources
                    .iter()
                    .zip(&letters)
                    .map(|(s, l)| report::document::LetterDoc::new(s.path(), l))
                    .collect(),
            };
            let mut json = serde_json::to_vec_pretty(&document)?;
            json.push(b'\n');
            json
        }
        ParseFormat::Human => sources
            .iter()
            .zip(&letters)
            .map(|(s, l)| report::outline::outline(s, l))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
    };
    output::emit(args.output.as_deref(), &bytes)?;
    Ok((status, diagnostics))
}
