//! Prepares the embedded rule pack when the binary is built: every pattern
//! string of `rules/` is parsed here, with the loader's own code
//! (`src/text/literals.rs`), and the literals its matches need are written
//! to `$OUT_DIR/prepared_patterns.rs` (read by `src/text/prepared.rs`).
//! Loading the pack then skips parsing them. A string that does not parse
//! is left out: the loader parses it and reports the error as before.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/text/literals.rs"]
mod literals;

/// Keys whose values are patterns (a string or a list of strings).
const PATTERN_KEYS: [&str; 5] = [
    "patterns",
    "absent_patterns",
    "applies_to",
    "excludes",
    "term",
];

/// A YAML document, as far as finding its patterns needs.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Node {
    Map(BTreeMap<String, Node>),
    List(Vec<Node>),
    Text(String),
    Other(serde::de::IgnoredAny),
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Every string under a pattern key of `node`.
fn patterns(node: &Node, under_key: bool, out: &mut Vec<String>) {
    match node {
        Node::Map(map) => {
            for (key, value) in map {
                patterns(value, PATTERN_KEYS.contains(&key.as_str()), out);
            }
        }
        Node::List(items) => items.iter().for_each(|n| patterns(n, under_key, out)),
        Node::Text(text) if under_key => out.push(text.clone()),
        Node::Text(_) | Node::Other(_) => {}
    }
}

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/text/literals.rs");
    let mut files = Vec::new();
    yaml_files(Path::new("rules"), &mut files);
    let mut found = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        // A file that does not read as YAML is reported by the loader.
        if let Ok(node) = serde_saphyr::from_str::<Node>(&text) {
            patterns(&node, false, &mut found);
        }
    }
    let mut table: BTreeMap<String, Vec<Vec<Vec<u8>>>> = BTreeMap::new();
    for pattern in found {
        let source = literals::ascii_word_boundaries(&pattern);
        if table.contains_key(&source) {
            continue;
        }
        if let Ok(hir) = literals::parse(&source, false) {
            table.insert(source, literals::required_conjuncts_of(&hir));
        }
    }
    let mut out = String::from("&[\n");
    for (source, sets) in &table {
        let sets: Vec<String> = sets
            .iter()
            .map(|set| {
                let items: Vec<String> = set.iter().map(|l| format!("&{l:?}")).collect();
                format!("&[{}]", items.join(", "))
            })
            .collect();
        writeln!(out, "    ({source:?}, &[{}]),", sets.join(", ")).expect("writing to a string");
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("prepared_patterns.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
