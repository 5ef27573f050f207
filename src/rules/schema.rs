//! The JSON Schemas of pack files, generated from the raw types so editors can
//! validate and complete them. `docs/schema/*.schema.json` are kept equal to
//! these by a test.

use schemars::schema_for;

use super::raw::{RawCatalogue, RawContext, RawFactFile, RawLexicon, RawRenames, RawRule};

/// (file name, schema text) of every schema.
pub fn schemas() -> Vec<(&'static str, String)> {
    let pretty =
        |v: schemars::Schema| serde_json::to_string_pretty(&v).expect("schemas serialise") + "\n";
    vec![
        ("rule.schema.json", pretty(schema_for!(RawRule))),
        ("facts.schema.json", pretty(schema_for!(RawFactFile))),
        ("citations.schema.json", pretty(schema_for!(RawCatalogue))),
        ("renames.schema.json", pretty(schema_for!(RawRenames))),
        ("lexicon.schema.json", pretty(schema_for!(RawLexicon))),
        ("context.schema.json", pretty(schema_for!(RawContext))),
    ]
}
