//! Reading a pack: the files of each layer (the embedded pack, then each
//! `--rules DIR`), sorted by path, each parsed into its raw YAML shape
//! ([`super::raw`]). Reading judges only the shape of a file and where it
//! sits; what its values mean is checked by `validate`.

use std::path::Path;

use include_dir::{Dir, include_dir};
use serde::de::DeserializeOwned;

use super::Problem;
use super::raw::{RawCatalogue, RawFactFile, RawLexicon, RawPackMeta, RawRenames, RawRule};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// One file of a pack.
#[derive(Debug, Clone)]
pub struct PackFile {
    /// The path shown in messages.
    pub shown: String,
    /// The path inside the pack, with `/` separators.
    pub rel: String,
    pub text: String,
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
    pub rules: Vec<RuleFile>,
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

/// Parses every file of every layer by where it sits: `pack.yaml`,
/// `citations.yaml`, `renames.yaml`, `lexicon.yaml` or `lexicon/*.yaml`, `facts/*.yaml`, and rule files
/// everywhere else. Files that are not YAML (the exported schemas) are
/// skipped.
pub(super) fn read(layers: Vec<Vec<PackFile>>, problems: &mut Vec<Problem>) -> RawPack {
    let mut pack = RawPack::default();
    for (layer, files) in layers.into_iter().enumerate() {
        for file in files {
            let rel = file.rel.as_str();
            if !is_yaml(rel) {
                continue;
            }
            if rel == "pack.yaml" {
                pack.meta = parse_yaml(&file, problems).or(pack.meta);
            } else if rel == "citations.yaml" {
                if let Some(raw) = parse_yaml(&file, problems) {
                    pack.catalogues.push((file, raw));
                }
            } else if rel == "renames.yaml" {
                if let Some(raw) = parse_yaml(&file, problems) {
                    pack.renames.push((file, raw));
                }
            } else if rel == "lexicon.yaml" || rel.starts_with("lexicon/") {
                if let Some(raw) = parse_yaml(&file, problems) {
                    pack.lexicons.push((file, raw));
                }
            } else if rel.starts_with("facts/") {
                if let Some(raw) = parse_yaml(&file, problems) {
                    pack.fact_files.push((file, raw));
                }
            } else {
                match rule_id(rel) {
                    Ok(id) => {
                        if let Some(raw) = parse_yaml(&file, problems) {
                            pack.rules.push(RuleFile {
                                file,
                                id,
                                raw,
                                layer,
                            });
                        }
                    }
                    Err(message) => problems.push(Problem::new(
                        &file.shown,
                        &file.text,
                        1,
                        1,
                        message,
                        "rules live at <category>/<group>/<item>.yaml with kebab-case names (docs/RULES.md); the catalogue, renames and facts at citations.yaml, renames.yaml and facts/*.yaml",
                    )),
                }
            }
        }
    }
    pack
}

fn parse_yaml<T: DeserializeOwned>(file: &PackFile, problems: &mut Vec<Problem>) -> Option<T> {
    match serde_saphyr::from_str::<T>(&file.text) {
        Ok(value) => Some(value),
        Err(err) => {
            let (line, column) = err
                .location()
                .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
            let message = err.without_snippet().to_string();
            let message = message.lines().next().unwrap_or("invalid YAML").to_owned();
            let hint = if message.contains("unknown field") {
                "remove or rename the key; docs/RULES.md lists the keys each file takes".to_owned()
            } else if message.to_lowercase().contains("duplicate") {
                "a key may appear once per mapping; merge the two entries".to_owned()
            } else if message.contains("did not match any variant") {
                "a criterion is a fact id, or one of all/any/not/at_least+of/number/quantity/patient_age (docs/RULES.md)".to_owned()
            } else {
                "fix the YAML at this position (docs/RULES.md shows each file's shape)".to_owned()
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
    }
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
