//! `imr-audit parse`: read letters, print what was extracted.

use super::{Diagnostics, Outcome};
use crate::cli::{ParseArgs, ParseFormat};
use crate::report::document::{Document, LetterDoc, SCHEMA_VERSION};
use crate::{ExitStatus, input, letter, output, report};

pub fn run(args: ParseArgs) -> Outcome {
    let mut diagnostics = Diagnostics::default();
    let Some(destination) = super::reported(checked_destination(&args), &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let Some(collection) = super::collect(&args.paths, &args.walk, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let letters: Vec<output::Input> = collection
        .letters
        .iter()
        .map(|p| output::Input::letter(p))
        .collect();
    if let Err(err) = output::refuse_inputs(std::slice::from_ref(&destination), &letters) {
        diagnostics.error(format!("{err:#}"));
        return Ok((ExitStatus::Error, diagnostics));
    }
    let mut status = if collection.problems().next().is_some() {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    };
    let mut sources = Vec::new();
    let options = args.walk.read_options();
    for path in &collection.letters {
        match input::read_with(path, &options) {
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
    let bytes = match args.format {
        // Letter text shown on a terminal: no control character raw.
        ParseFormat::Human => {
            crate::text::visible::visible(&String::from_utf8_lossy(&bytes), false)
                .into_owned()
                .into_bytes()
        }
        ParseFormat::Json => bytes,
    };
    let mut out = output::Output::open(&destination.destination)?;
    std::io::Write::write_all(&mut out, &bytes)?;
    out.finish()?;
    Ok((status, diagnostics))
}

/// `-o`, resolved and checked before any letter is read.
fn checked_destination(args: &ParseArgs) -> anyhow::Result<output::Named<'_>> {
    Ok(output::Named {
        flag: "-o",
        given: args.output.as_deref(),
        destination: output::Destination::resolve(args.output.as_deref())?,
    })
}
