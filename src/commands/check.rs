//! `imr-audit check`: the main job. Every letter through the whole pipeline,
//! reported in the chosen format, with an exit code from `--fail-on`.

use std::io::IsTerminal;
use std::time::Instant;

use super::{Diagnostics, Outcome, rules::load_pack, use_color};
use crate::audit::{Audit, audit};
use crate::cli::{CheckArgs, CheckFormat, ColorChoice};
use crate::report::document::{LetterDoc, SCHEMA_VERSION};
use crate::report::human;
use crate::report::summary::Summary;
use crate::{ExitStatus, input, output};

pub fn run(args: CheckArgs, color: ColorChoice) -> Outcome {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let Some(pack) = load_pack(&args.rules, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let (files, errors) = input::collect(&args.paths);
    let mut io_error = !errors.is_empty();
    for error in errors {
        diagnostics.messages.push(format!("error: {error}"));
    }
    let mut summary = Summary::default();
    let mut audits: Vec<Audit> = Vec::new();
    for path in &files {
        match input::read(path) {
            Ok(source) => {
                let audit = audit(&pack, source);
                summary.add(&audit);
                audits.push(audit);
            }
            Err(error) => {
                diagnostics.messages.push(format!("error: {error}"));
                summary.add_unreadable(path.display().to_string());
                io_error = true;
            }
        }
    }
    summary.elapsed = Some(started.elapsed());
    let failing = audits
        .iter()
        .flat_map(|a| &a.findings)
        .any(|f| f.severity >= args.fail_on);
    let color = args.output.is_none() && use_color(color, std::io::stdout().is_terminal());
    let bytes = match args.format {
        CheckFormat::Human => {
            let mut text = String::new();
            for audit in &audits {
                text.push_str(&human::letter(audit, color));
                text.push('\n');
            }
            text.push_str(&human::summary(&summary, color));
            text.into_bytes()
        }
        CheckFormat::Json => {
            #[derive(serde::Serialize)]
            struct CheckDocument<'a> {
                schema: u32,
                pack: PackDoc<'a>,
                letters: Vec<LetterDoc<'a>>,
                summary: &'a Summary,
            }
            #[derive(serde::Serialize)]
            struct PackDoc<'a> {
                name: &'a str,
                version: u32,
            }
            let document = CheckDocument {
                schema: SCHEMA_VERSION,
                pack: PackDoc {
                    name: &pack.name,
                    version: pack.version,
                },
                letters: audits.iter().map(LetterDoc::checked).collect(),
                summary: &summary,
            };
            let mut json = serde_json::to_vec_pretty(&document)?;
            json.push(b'\n');
            json
        }
    };
    output::emit(args.output.as_deref(), &bytes)?;
    let status = if io_error {
        ExitStatus::Error
    } else if failing {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    Ok((status, diagnostics))
}
