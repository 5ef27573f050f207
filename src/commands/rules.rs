//! `imr-audit rules lint|test|coverage|export|schema`: one function per
//! subcommand, each loading the pack the same way (`list` and `facts` are in
//! [`super::listing`], `new` in [`super::scaffold`]).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use super::{Diagnostics, Outcome, load_pack};
use crate::cli::{RulesCommand, SchemaKind};
use crate::rules::schema;
use crate::selftest;
use crate::text::visible::visible;
use crate::{ExitStatus, output};

pub fn run(command: RulesCommand) -> Outcome {
    let mut diagnostics = Diagnostics::default();
    match command {
        RulesCommand::Lint { rules } => lint(&rules, diagnostics),
        RulesCommand::Test { id, rules } => test(id.as_deref(), &rules, diagnostics),
        RulesCommand::List { rules, format } => super::listing::rules(&rules, format, diagnostics),
        RulesCommand::Facts { rules, format } => super::listing::facts(&rules, format, diagnostics),
        RulesCommand::New { id, dir } => super::scaffold::new_rule(&id, &dir, diagnostics),
        RulesCommand::Coverage { paths, rules } => coverage(&paths, &rules, diagnostics),
        RulesCommand::Export { dir, force } => {
            let written = crate::rules::export(&dir, force)?;
            diagnostics.info(format!(
                "wrote {written} files to {}",
                crate::text::safe_path(&dir)
            ));
            Ok((ExitStatus::Success, diagnostics))
        }
        RulesCommand::Schema { kind } => {
            let name = match kind {
                SchemaKind::Rule => "rule.schema.json",
                SchemaKind::Facts => "facts.schema.json",
                SchemaKind::Citations => "citations.schema.json",
                SchemaKind::Renames => "renames.schema.json",
                SchemaKind::Lexicon => "lexicon.schema.json",
                SchemaKind::Context => "context.schema.json",
            };
            let (_, text) = schema::schemas()
                .into_iter()
                .find(|(n, _)| *n == name)
                .expect("every kind has a schema");
            // Rule titles and letters' requests: no control character raw.
            output::emit(None, visible(&text, false).as_bytes())?;
            Ok((ExitStatus::Success, diagnostics))
        }
    }
}

/// Errors stop the pack loading (exit 2); warnings are printed and the lint
/// still succeeds.
fn lint(rules: &[PathBuf], mut diagnostics: Diagnostics) -> Outcome {
    let Some(pack) = load_pack(rules, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let collisions = crate::rules::collisions(pack);
    for warning in pack.warnings.iter().chain(&collisions) {
        diagnostics.problem(warning.clone());
    }
    let tests: usize = pack.rules.iter().map(|r| r.tests.len()).sum();
    output::emit(
        None,
        format!(
            "ok: {} rules, {} facts, {} catalogue documents, {tests} rule tests, {} renamed ids, {} warning(s)\n",
            pack.rules.len(),
            pack.facts.len(),
            pack.catalogue.documents.len(),
            pack.renames.len(),
            pack.warnings.len() + collisions.len()
        )
        .as_bytes(),
    )?;
    Ok((ExitStatus::Success, diagnostics))
}

fn test(id: Option<&str>, rules: &[PathBuf], mut diagnostics: Diagnostics) -> Outcome {
    let Some(pack) = load_pack(rules, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    if let Some(id) = id
        && !pack
            .rules
            .iter()
            .any(|r| r.id == id || r.id.starts_with(&format!("{id}.")))
    {
        let hint = match pack.renames.get(id) {
            Some(current) => format!("it was renamed to `{current}`"),
            None => "`imr-audit rules list` shows the ids".to_owned(),
        };
        diagnostics.error(format!("no rule `{id}`; {hint}"));
        return Ok((ExitStatus::Error, diagnostics));
    }
    let results = selftest::run_all(pack, id);
    let mut text = String::new();
    let failed = results.iter().filter(|r| !r.passed()).count();
    for result in &results {
        if result.passed() {
            let _ = writeln!(text, "ok      {} :: {}", result.rule, result.name);
        } else {
            let _ = writeln!(
                text,
                "FAILED  {} :: {}  ({})",
                result.rule, result.name, result.file
            );
            for failure in &result.failures {
                let _ = writeln!(text, "        - {failure}");
            }
        }
    }
    let _ = writeln!(
        text,
        "\n{} passed, {} failed",
        results.len() - failed,
        failed
    );
    // Rule titles and letters' requests: no control character raw.
    output::emit(None, visible(&text, false).as_bytes())?;
    let status = if failed == 0 {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    };
    Ok((status, diagnostics))
}

/// How many items of the letters under `paths` some rule takes, and the
/// requests no rule takes, most frequent first.
fn coverage(paths: &[PathBuf], rules: &[PathBuf], mut diagnostics: Diagnostics) -> Outcome {
    let Some(pack) = load_pack(rules, &mut diagnostics) else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let Some(collection) =
        super::collect(paths, &crate::cli::WalkArgs::default(), &mut diagnostics)
    else {
        return Ok((ExitStatus::Error, diagnostics));
    };
    let mut status = if collection.problems().next().is_some() {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    };
    let (mut items, mut covered) = (0usize, 0usize);
    let mut uncovered: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for path in &collection.letters {
        let source = match crate::input::read(path) {
            Ok(source) => source,
            Err(error) => {
                diagnostics.error(error.to_string());
                status = ExitStatus::Error;
                continue;
            }
        };
        let mut letter = crate::letter::parse(&source);
        pack.catalogue.annotate(&mut letter);
        for item in &letter.items {
            items += 1;
            if crate::eval::choose(pack, &letter, item).is_some() {
                covered += 1;
            } else {
                let request = &item.request.under_review.value;
                let entry = uncovered
                    .entry(request.to_lowercase())
                    .or_insert((0, request.clone()));
                entry.0 += 1;
            }
        }
    }
    let mut rows: Vec<(usize, String)> = uncovered.into_values().collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{covered} of {items} items covered by a rule; {} uncovered requests:",
        items - covered
    );
    for (count, request) in rows {
        let _ = writeln!(text, "{count:>5}  {request}");
    }
    // Rule titles and letters' requests: no control character raw.
    output::emit(None, visible(&text, false).as_bytes())?;
    Ok((status, diagnostics))
}
