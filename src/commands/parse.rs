//! `imr-audit parse`: read letters, print what was extracted.

use super::{Diagnostics, Outcome};
use crate::cli::{ParseArgs, ParseFormat};
use crate::report::document::{Document, LetterDoc, SCHEMA_VERSION};
use crate::{ExitStatus, input, letter, output, report};

pub fn run(args: ParseArgs) -> Outcome {
    let mut diagnostics = Diagnostics::default();
    let (files, errors) = input::collect(&args.paths, &input::Filters::default());
    let mut status = ExitStatus::Success;
    for error in errors {
        diagnostics.error(error.to_string());
        status = ExitStatus::Error;
    }
    let mut sources = Vec::new();
    for path in &files {
        match input::read(path) {
            Ok(source) => sources.push(source),
            Err(error) => {
                diagnostics.error(error.to_string());
                status = ExitStatus::Error;
            }
        }
    }
    let letters: Vec<letter::Letter> = sources.iter().map(letter::parse).collect();
    let bytes = match args.format {
        ParseFormat::Json => {
            let document = Document {
                schema: SCHEMA_VERSION,
                letters: sources
                    .iter()
                    .zip(&letters)
                    .map(|(s, l)| LetterDoc::new(s.path(), l))
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
