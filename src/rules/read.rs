//! Reading a pack: the files of each layer (the embedded pack, then each
//! `--rules DIR`), sorted by path, each parsed into its raw YAML shape
//! ([`super::raw`]). Reading judges only the shape of a file and where it
//! sits; what its values mean is checked by `validate`.

use std::collections::HashSet;
use std::path::Path;

use include_dir::{Dir, include_dir};
use rayon::prelude::*;
use schemars::{JsonSchema, schema_for};
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::Problem;
use super::indent;
use super::prepared;
use super::raw::{
    Kind, RawCatalogue, RawContext, RawFactFile, RawFile, RawLexicon, RawPackMeta, RawRenames,
    RawRule,
};
use super::shape::{self, Node};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// One file of a pack.
#[derive(Debug, Clone)]
pub struct PackFile {
    /// The path shown in messages.
    pub shown: String,
    /// The path inside the pack, with `/` separators.
    pub rel: String,
    pub text: String,
    /// Which layer the file belongs to: 0 for the first (the embedded pack
    /// when loading for a run), then each `--rules DIR` in order.
    pub layer: usize,
    /// Whether the file is one of the embedded pack's, which the build may
    /// have read already ([`super::prepared`]).
    pub embedded: bool,
}

/// A rule file as read; its id follows from its path.
#[derive(Debug)]
pub(super) struct RuleFile {
    pub file: PackFile,
    pub id: String,
    pub raw: RawRule,
    /// 0 for the first layer (the embedded pack when loading for a run).
    pub layer: usize,
}

/// Every file of every layer in its raw shape, in layer and path order.
#[derive(Debug, Default)]
pub(super) struct RawPack {
    pub meta: Option<RawPackMeta>,
    pub catalogues: Vec<(PackFile, RawCatalogue)>,
    pub fact_files: Vec<(PackFile, RawFactFile)>,
    pub renames: Vec<(PackFile, RawRenames)>,
    pub lexicons: Vec<(PackFile, RawLexicon)>,
    /// `context.yaml` of each layer that has one; the last replaces the others.
    pub contexts: Vec<(PackFile, RawContext)>,
    pub rules: Vec<RuleFile>,
    /// Rule ids and fact ids of files that could not be read: what refers
    /// to them is not reported again as undefined.
    pub unreadable: Unreadable,
}

/// What files that could not be read would have defined.
#[derive(Debug, Default)]
pub(super) struct Unreadable {
    pub rules: HashSet<String>,
    pub facts: HashSet<String>,
}

impl Unreadable {
    /// Notes the fact ids a file defines (its `id:` lines), read from the text.
    fn note_facts(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.trim_start().trim_start_matches("- ");
            if let Some(id) = line.strip_prefix("id:") {
                self.facts
                    .insert(id.trim().trim_matches(['\'', '"']).to_owned());
            }
        }
    }
}

/// The embedded default pack's files, sorted by path.
pub fn embedded_files() -> Vec<PackFile> {
    let mut files = Vec::new();
    collect_embedded(&EMBEDDED, &mut files);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<PackFile>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        if let Some(text) = file.contents_utf8() {
            out.push(PackFile {
                shown: format!("rules/{rel}"),
                rel,
                text: text.to_owned(),
                layer: 0,
                embedded: true,
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

/// Every YAML file under `dir`, sorted.
pub fn dir_files(dir: &Path) -> Result<Vec<PackFile>, Vec<Problem>> {
    if !dir.is_dir() {
        return Err(vec![Problem::new(
            &dir.display().to_string(),
            "",
            0,
            0,
            "rule directory not found",
            "pass a directory holding citations.yaml, facts/*.yaml or rule files",
        )]);
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).hidden(true).build().flatten() {
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file()) || !is_yaml(&path.to_string_lossy()) {
            continue;
        }
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(path) {
            Ok(text) => files.push(PackFile {
                shown: path.display().to_string(),
                rel,
                text,
                layer: 0,
                embedded: false,
            }),
            Err(err) => problems.push(Problem::new(
                &path.display().to_string(),
                "",
                0,
                0,
                format!("cannot read rule file: {err}"),
                "check the file's permissions and that it is UTF-8 text",
            )),
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// Parses every file of every layer by where it sits ([`Kind::of`]):
/// `pack.yaml`, `citations.yaml`, `renames.yaml`, `context.yaml`,
/// `lexicon.yaml` or `lexicon/*.yaml`, `facts/*.yaml`, and rule files
/// everywhere else. A file of the embedded pack is taken in the raw shape
/// the build read it into ([`prepared`]) when it can be. Files that are not
/// YAML (the exported schemas) are skipped. Files are parsed in parallel and
/// gathered in layer and path order, so the pack and its problems are the
/// same whatever the thread count.
pub(super) fn read(layers: Vec<Vec<PackFile>>, problems: &mut Vec<Problem>) -> RawPack {
    let files: Vec<PackFile> = layers
        .into_iter()
        .enumerate()
        .flat_map(|(layer, files)| {
            files.into_iter().map(move |mut file| {
                file.layer = layer;
                file
            })
        })
        .filter(|file| is_yaml(&file.rel))
        .collect();
    let parsed: Vec<(PackFile, Parsed, Vec<Problem>)> = files
        .into_par_iter()
        .map(|file| {
            let mut found = Vec::new();
            let parsed = parse_file(&file, &mut found);
            (file, parsed, found)
        })
        .collect();
    let mut pack = RawPack::default();
    for (file, parsed, found) in parsed {
        problems.extend(found);
        match parsed {
            Parsed::Meta(raw) => pack.meta = raw.or(pack.meta),
            Parsed::Catalogue(raw) => pack.catalogues.extend(raw.map(|raw| (file, raw))),
            Parsed::Renames(raw) => pack.renames.extend(raw.map(|raw| (file, raw))),
            Parsed::Context(raw) => pack.contexts.extend(raw.map(|raw| (file, *raw))),
            Parsed::Lexicon(raw) => pack.lexicons.extend(raw.map(|raw| (file, raw))),
            Parsed::Facts(Some(raw)) => pack.fact_files.push((file, raw)),
            Parsed::Facts(None) => pack.unreadable.note_facts(&file.text),
            Parsed::Rule(id, Some(raw)) => {
                let layer = file.layer;
                pack.rules.push(RuleFile {
                    file,
                    id,
                    raw: *raw,
                    layer,
                })
            }
            Parsed::Rule(id, None) => {
                pack.unreadable.note_facts(&file.text);
                pack.unreadable.rules.insert(id);
            }
            Parsed::Misplaced => {}
        }
    }
    pack
}

/// One file parsed by where it sits; `None` when it could not be read (its
/// problems say why).
enum Parsed {
    Meta(Option<RawPackMeta>),
    Catalogue(Option<RawCatalogue>),
    Renames(Option<RawRenames>),
    Context(Option<Box<RawContext>>),
    Lexicon(Option<RawLexicon>),
    Facts(Option<RawFactFile>),
    Rule(String, Option<Box<RawRule>>),
    /// A file whose path is not a rule's (reported).
    Misplaced,
}

fn parse_file(file: &PackFile, problems: &mut Vec<Problem>) -> Parsed {
    let rel = file.rel.as_str();
    let kind = Kind::of(rel);
    let id = if kind == Kind::Rule {
        match rule_id(rel) {
            Ok(id) => id,
            Err(message) => {
                problems.push(Problem::new(
                    &file.shown,
                    &file.text,
                    1,
                    1,
                    message,
                    "rules live at <category>/<group>/<item>.yaml with kebab-case names (docs/RULES.md); the catalogue, renames and facts at citations.yaml, renames.yaml and facts/*.yaml",
                ));
                return Parsed::Misplaced;
            }
        }
    } else {
        String::new()
    };
    if file.embedded
        && let Some(raw) = prepared::raw_file(rel, &file.text)
    {
        return match raw {
            RawFile::Meta(raw) => Parsed::Meta(Some(raw)),
            RawFile::Catalogue(raw) => Parsed::Catalogue(Some(raw)),
            RawFile::Renames(raw) => Parsed::Renames(Some(raw)),
            RawFile::Context(raw) => Parsed::Context(Some(raw)),
            RawFile::Lexicon(raw) => Parsed::Lexicon(Some(raw)),
            RawFile::Facts(raw) => Parsed::Facts(Some(raw)),
            RawFile::Rule(raw) => Parsed::Rule(id, Some(raw)),
        };
    }
    match kind {
        Kind::Meta => Parsed::Meta(parse_yaml(file, problems)),
        Kind::Catalogue => Parsed::Catalogue(parse_yaml(file, problems)),
        Kind::Renames => Parsed::Renames(parse_yaml(file, problems)),
        Kind::Context => Parsed::Context(parse_yaml(file, problems).map(Box::new)),
        Kind::Lexicon => Parsed::Lexicon(parse_yaml(file, problems)),
        Kind::Facts => Parsed::Facts(parse_yaml(file, problems)),
        Kind::Rule => Parsed::Rule(id, parse_yaml(file, problems).map(Box::new)),
    }
}

/// Parses a file into `T`. When serde stops at a problem, the file is
/// walked beside its JSON Schema ([`super::shape`]) so that every problem of
/// shape is reported at once, not only the first.
fn parse_yaml<T: DeserializeOwned + JsonSchema>(
    file: &PackFile,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let parsed = serde_saphyr::from_str::<T>(&file.text);
    if parsed.is_ok() && !indent::suspect_lines(&file.text) {
        return parsed.ok();
    }
    if let Ok(tree) = serde_saphyr::from_str::<Spanned<Node>>(&file.text) {
        let mut flaws = indent::misindented(&tree, &file.text);
        if parsed.is_err() || !flaws.is_empty() {
            let schema = serde_json::to_value(schema_for!(T)).unwrap_or_default();
            flaws.extend(shape::check(&tree, &schema));
        }
        if !flaws.is_empty() {
            flaws.sort_by_key(|f| (f.line, f.column));
            for flaw in flaws {
                problems.push(
                    Problem::new(
                        &file.shown,
                        &file.text,
                        flaw.line,
                        flaw.column,
                        flaw.message,
                        flaw.hint,
                    )
                    .with_width(flaw.width),
                );
            }
            return None;
        }
    }
    let err = match parsed {
        Ok(value) => return Some(value),
        Err(err) => err,
    };
    let (line, column) = err
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let message = err.without_snippet().to_string();
    let message = message.lines().next().unwrap_or("invalid YAML").to_owned();
    let hint = if message.to_lowercase().contains("duplicate") {
        "a key may appear once per mapping; merge the two entries"
    } else if message.contains("did not match any variant") {
        "a criterion is a fact id, or one of all/any/not/at_least+of/number/quantity/patient_age (docs/RULES.md)"
    } else {
        "fix the YAML at this position (docs/RULES.md shows each file's shape)"
    };
    problems.push(Problem::new(
        &file.shown,
        &file.text,
        line,
        column,
        message,
        hint,
    ));
    None
}

/// A rule's id from its path: `imaging/lumbar/xray.yaml` → `imaging.lumbar.xray`.
pub(super) fn rule_id(rel: &str) -> Result<String, String> {
    let stem = rel.trim_end_matches(".yaml").trim_end_matches(".yml");
    let parts: Vec<&str> = stem.split('/').collect();
    if parts.len() < 2 {
        return Err(format!("`{rel}` is not a known pack file"));
    }
    for part in &parts {
        if part.is_empty()
            || !part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!("`{part}` in `{rel}` is not kebab-case"));
        }
    }
    Ok(parts.join("."))
}

/// The path of the rule file an id comes from (the inverse of [`rule_id`]).
pub(super) fn rule_path(id: &str) -> String {
    format!("{}.yaml", id.replace('.', "/"))
}
