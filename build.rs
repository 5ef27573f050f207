//! Prepares the embedded rule pack when the binary is built, with the
//! loader's own code, so that loading it skips the work:
//!
//! - every YAML file of `rules/` is parsed into its raw shape
//!   (`src/rules/raw.rs`) and written in postcard's compact form to
//!   `$OUT_DIR/prepared_pack.postcard` (read by `src/rules/prepared.rs`);
//! - every pattern string is parsed (`src/text/literals.rs`) and the
//!   literals its matches need are written to
//!   `$OUT_DIR/prepared_patterns.rs` (read by `src/text/prepared.rs`);
//! - every pattern's lower-case reading (`src/text/lowercase.rs`), the tree
//!   its ASCII program is compiled from, is written in the byte form of
//!   `src/text/hir_code.rs` to `$OUT_DIR/prepared_hirs.bin`, so that the
//!   binary compiles a pattern without parsing it;
//! - for each pattern searched by lazy DFAs alone (no value group), the
//!   forward and reverse NFAs `src/text/lazy_dfa.rs` would compile from
//!   that reading are compiled here and written in the byte form of
//!   `src/text/nfa_code.rs` to `$OUT_DIR/prepared_nfas.bin`, so that the
//!   binary builds its lazy DFAs without compiling the pattern at all;
//! - the bound on the length of each pattern's matches
//!   (`src/text/match_length.rs`), read from that tree, is written beside
//!   the literals, so that a pattern whose literals lie too far apart in a
//!   text is ruled out there without being compiled;
//! - what decides whether each pattern reads a projected text alike
//!   (`src/text/projection.rs`, its `Reading`) is written beside the
//!   literals, its classes once each to `$OUT_DIR/prepared_classes.rs`, so
//!   that a letter holding a character outside ASCII does not parse, in
//!   Unicode mode, every pattern it runs.
//!
//! The build never fails on the pack: a file or pattern that does not parse
//! (or a file with a list item that may be misindented) is left out with a
//! warning, and the loader parses it at run time and reports its problems
//! at their file, line and column, as for any pack.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

#[allow(dead_code)]
#[path = "src/text/literals.rs"]
mod literals;

#[allow(dead_code, unused_imports)]
#[path = "src/rules/raw.rs"]
mod raw;

#[allow(dead_code)]
#[path = "src/text/lowercase.rs"]
mod lowercase;

#[allow(dead_code)]
#[path = "src/text/hir_code.rs"]
mod hir_code;

#[allow(dead_code)]
#[path = "src/text/nfa_code.rs"]
mod nfa_code;

#[allow(dead_code)]
#[path = "src/text/projection.rs"]
mod projection;

#[allow(dead_code)]
#[path = "src/text/match_length.rs"]
mod match_length;

#[path = "src/rules/trigger_list.rs"]
mod trigger_list;

#[path = "src/rules/suspect.rs"]
mod suspect;

use raw::{Kind, RawFile};

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

/// The file at `rel` (path inside the pack) in its raw shape, as the
/// loader reads it; `Err` says why it is left to the loader.
fn raw_file(rel: &str, text: &str) -> Result<RawFile, String> {
    fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        serde_saphyr::from_str(text).map_err(|err| {
            let message = err.to_string();
            message.lines().next().unwrap_or_default().to_owned()
        })
    }
    if suspect::suspect_lines(text) {
        return Err("a list item may be indented deeper than the line above".to_owned());
    }
    Ok(match Kind::of(rel) {
        Kind::Meta => RawFile::Meta(parse(text)?),
        Kind::Catalogue => RawFile::Catalogue(parse(text)?),
        Kind::Renames => RawFile::Renames(parse(text)?),
        Kind::Context => RawFile::Context(parse(text)?),
        Kind::Lexicon => RawFile::Lexicon(parse(text)?),
        Kind::Facts => RawFile::Facts(parse(text)?),
        Kind::Rule => RawFile::Rule(parse(text)?),
    })
}

/// The trigger lists of `context.yaml` joined as the loader joins them.
fn trigger_lists(raw: &raw::RawContext) -> Vec<String> {
    trigger_list::lists(raw)
        .into_iter()
        .filter_map(|(_, entries, anchor)| {
            let values: Vec<&str> = entries.iter().map(|e| e.value.as_str()).collect();
            trigger_list::joined(&values, anchor)
        })
        .collect()
}

fn out_dir() -> PathBuf {
    PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
}

fn main() {
    // The crate reads the compact form and does not serialise raw types
    // (src/rules/raw.rs); this script, compiled without the cfg, writes it.
    println!("cargo:rustc-cfg=loader");
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/text/literals.rs");
    println!("cargo:rerun-if-changed=src/text/lowercase.rs");
    println!("cargo:rerun-if-changed=src/text/hir_code.rs");
    println!("cargo:rerun-if-changed=src/text/nfa_code.rs");
    println!("cargo:rerun-if-changed=src/text/projection.rs");
    println!("cargo:rerun-if-changed=src/rules/trigger_list.rs");
    println!("cargo:rerun-if-changed=src/rules/raw.rs");
    println!("cargo:rerun-if-changed=src/rules/raw");
    println!("cargo:rerun-if-changed=src/rules/suspect.rs");
    let mut files = Vec::new();
    yaml_files(Path::new("rules"), &mut files);
    let mut found = Vec::new();
    // The context triggers' lists, each joined as the loader joins it.
    let mut lists: Vec<String> = Vec::new();
    // (path inside the pack, text length, compact raw shape), by path.
    let mut prepared: Vec<(String, u64, Vec<u8>)> = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let rel = file
            .strip_prefix("rules")
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        match raw_file(&rel, &text) {
            Ok(raw) => {
                // A fact's `near` entries are patterns the YAML does not spell.
                let facts = match &raw {
                    RawFile::Facts(file) => file.facts.as_slice(),
                    RawFile::Rule(rule) => rule.facts.as_slice(),
                    _ => &[],
                };
                for fact in facts {
                    found.extend(fact.near_patterns().into_iter().map(|p| p.value));
                }
                if let RawFile::Context(context) = &raw {
                    lists.extend(trigger_lists(context));
                }
                let bytes = postcard::to_stdvec(&raw).expect("raw pack files serialise");
                prepared.push((rel, text.len() as u64, bytes));
            }
            Err(why) => println!(
                "cargo:warning=rules/{rel} is read at run time instead ({why}); `imr-audit rules lint` reports its problems"
            ),
        }
        // A file that does not read as YAML is reported by the loader.
        if let Ok(node) = serde_saphyr::from_str::<Node>(&text) {
            patterns(&node, false, &mut found);
        }
    }
    prepared.sort_by(|a, b| a.0.cmp(&b.0));
    let index: Vec<(&str, u64, &[u8])> = prepared
        .iter()
        .map(|(rel, len, bytes)| (rel.as_str(), *len, bytes.as_slice()))
        .collect();
    let bytes = postcard::to_stdvec(&index).expect("the index serialises");
    std::fs::write(out_dir().join("prepared_pack.postcard"), bytes).expect("OUT_DIR is writable");
    // Each pattern's literal sets, the one its matches start with, the
    // bytes they can begin with, and its reading of projected texts.
    type Row = (
        Vec<Vec<Vec<u8>>>,
        Option<usize>,
        Option<literals::ByteSet>,
        projection::Reading,
    );
    let mut table: BTreeMap<String, Row> = BTreeMap::new();
    // The pack's patterns, as against the trigger lists' expressions.
    let mut pattern_sources: std::collections::BTreeSet<String> = Default::default();
    for pattern in found {
        let source = literals::ascii_word_boundaries(&pattern);
        if table.contains_key(&source) {
            continue;
        }
        pattern_sources.insert(source.clone());
        if let Ok(hir) = literals::parse(&source, false) {
            let reading = projection::Reading::of(&hir);
            let sets = literals::required_conjuncts_of(&hir);
            let start = literals::start_set_of(&hir, &sets);
            let first = literals::first_bytes(&hir);
            table.insert(source, (sets, start, first, reading));
        }
    }
    // A list is read case-insensitively throughout: the table keeps what
    // follows its `(?i)`, as `DualRegex` looks it up.
    for list in lists {
        let Some(source) = list.strip_prefix("(?i)") else {
            continue;
        };
        if let Ok(hir) = literals::parse(source, false) {
            table.entry(source.to_owned()).or_insert_with(|| {
                let reading = projection::Reading::of(&hir);
                let sets = literals::required_conjuncts_of(&hir);
                let start = literals::start_set_of(&hir, &sets);
                let first = literals::first_bytes(&hir);
                (sets, start, first, reading)
            });
        }
    }
    let mut out = String::from("&[\n");
    // The lower-case readings, one after another; each row names its range.
    let mut hirs: Vec<u8> = Vec::new();
    // A pattern's forward and reverse programs, one after another.
    let mut programs: Vec<u8> = Vec::new();
    // The readings' classes, each once; a row names its classes by index.
    let mut classes: Vec<Vec<(char, char)>> = Vec::new();
    let mut class_index: BTreeMap<Vec<(char, char)>, usize> = BTreeMap::new();
    for (source, (sets, starts_with, first_bytes, reading)) in &table {
        let sets: Vec<String> = sets
            .iter()
            .map(|set| {
                let items: Vec<String> = set.iter().map(|l| format!("&{l:?}")).collect();
                format!("&[{}]", items.join(", "))
            })
            .collect();
        let lowered = lowercase::lowercase_reading(source, false);
        let (start, end, length) = match &lowered {
            Some(hir) => {
                let start = hirs.len();
                hirs.extend(hir_code::encode(hir));
                let length = match_length::LengthBound::of_pattern(hir).map(|b| b.parts());
                (start, hirs.len(), length)
            }
            None => (0, 0, None),
        };
        // A pack pattern without a value group is searched by lazy DFAs
        // built from these programs (`src/text/lazy_dfa.rs`).
        let (forward, reverse, program_end) = match lowered
            .filter(|hir| pattern_sources.contains(source) && !nfa_code::names_group(hir, "n"))
            .and_then(|hir| {
                Some((
                    lazy_dfa_program(&hir, false)?,
                    lazy_dfa_program(&hir, true)?,
                ))
            }) {
            Some((forward, reverse)) => {
                let at = programs.len();
                programs.extend(forward);
                let middle = programs.len();
                programs.extend(reverse);
                (at, middle, programs.len())
            }
            None => (0, 0, 0),
        };
        let (ranges, literal_bytes, ascii_word_boundaries, never) = reading.parts();
        let indices: Vec<String> = ranges
            .iter()
            .map(|ranges| {
                let next = classes.len();
                let at = *class_index.entry(ranges.to_vec()).or_insert(next);
                if at == next {
                    classes.push(ranges.to_vec());
                }
                at.to_string()
            })
            .collect();
        let reading = format!(
            "(&[{}], {literal_bytes}, {ascii_word_boundaries}, {never})",
            indices.join(", ")
        );
        writeln!(
            out,
            "    ({source:?}, &[{}], {start}, {end}, {reading}, {length:?}, {starts_with:?}, {first_bytes:?}, {forward}, {reverse}, {program_end}),",
            sets.join(", ")
        )
        .expect("writing to a string");
    }
    out.push(']');
    std::fs::write(out_dir().join("prepared_patterns.rs"), out).expect("OUT_DIR is writable");
    let mut class_table = String::from("&[\n");
    for ranges in &classes {
        let ranges: Vec<String> = ranges
            .iter()
            .map(|(a, b)| format!("({a:?}, {b:?})"))
            .collect();
        writeln!(class_table, "    &[{}],", ranges.join(", ")).expect("writing to a string");
    }
    class_table.push(']');
    std::fs::write(out_dir().join("prepared_classes.rs"), class_table)
        .expect("OUT_DIR is writable");
    std::fs::write(out_dir().join("prepared_hirs.bin"), hirs).expect("OUT_DIR is writable");
    std::fs::write(out_dir().join("prepared_nfas.bin"), programs).expect("OUT_DIR is writable");
}

/// The NFA the lazy DFAs of a pack pattern are built from (forward, or
/// reverse to find where a match starts), compiled from its lower-case
/// reading as `src/text/lazy_dfa.rs` compiles it, in the byte form of
/// `src/text/nfa_code.rs`; `None` when it does not compile or encode.
fn lazy_dfa_program(hir: &regex_syntax::hir::Hir, reverse: bool) -> Option<Vec<u8>> {
    let nfa = regex_automata::nfa::thompson::Compiler::new()
        .configure(nfa_code::nfa_config(nfa_code::SIZE_LIMIT).reverse(reverse))
        .build_from_hir(hir)
        .ok()?;
    nfa_code::encode(&nfa)
}
