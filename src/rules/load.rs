//! Reading pack files (embedded or from a directory), deserialising them and
//! validating everything into a [`Pack`]: every problem is collected with its
//! file, line and column before loading stops.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use include_dir::{Dir, include_dir};
use regex::{Regex, RegexBuilder};
use serde::de::DeserializeOwned;

use super::catalogue::{Document, Section, fold};
use super::raw::{
    Located, LocatedCriterion, RawCatalogue, RawCriterion, RawFactFile, RawPackMeta, RawPeriod,
    RawRule,
};
use super::{Catalogue, Criterion, Limit, Pack, Period, Problem, Rule};
use crate::facts::{Fact, FactScanner};

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

/// Writes the embedded pack to `dir` for editing. Existing files are not overwritten.
pub fn export(dir: &Path) -> anyhow::Result<usize> {
    let mut written = 0;
    for file in embedded_files() {
        let path = dir.join(&file.rel);
        if path.exists() {
            anyhow::bail!(
                "{} already exists; export into an empty directory",
                path.display()
            );
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &file.text)?;
        written += 1;
    }
    Ok(written)
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
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !entry.file_type().is_some_and(|t| t.is_file()) || !is_yaml {
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

/// Rewrites `\b` and `\B` as ASCII word boundaries. Letters are English;
/// a Unicode boundary would make the fast DFA engines give up on every letter
/// holding a curly quote or a bullet and fall back to the slow PikeVM.
pub(crate) fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&ascii_word_boundaries(pattern))
        .case_insensitive(true)
        .size_limit(1 << 24)
        .build()
}

/// Every distinct pattern of the pack, compiled up front on all cores:
/// compiling some 1,400 regexes one after another is most of start-up.
struct CompiledPatterns(HashMap<String, Result<Regex, regex::Error>>);

impl CompiledPatterns {
    fn new<'a>(patterns: impl Iterator<Item = &'a str>) -> CompiledPatterns {
        use rayon::prelude::*;
        let distinct: HashSet<&str> = patterns.collect();
        let distinct: Vec<&str> = distinct.into_iter().collect();
        CompiledPatterns(
            distinct
                .par_iter()
                .map(|p| ((*p).to_owned(), compile(p)))
                .collect(),
        )
    }
}

fn regex(
    file: &PackFile,
    located: &Located,
    compiled: &CompiledPatterns,
    problems: &mut Vec<Problem>,
) -> Option<Regex> {
    let result = match compiled.0.get(&located.value) {
        Some(result) => result.clone(),
        None => compile(&located.value),
    };
    match result {
        Ok(re) => Some(re),
        Err(err) => {
            let detail = err.to_string();
            let last = detail
                .lines()
                .last()
                .unwrap_or("invalid regular expression")
                .trim()
                .to_owned();
            problems.push(Problem::at(
                &file.shown,
                &file.text,
                &located.referenced,
                format!("bad regular expression `{}`: {last}", located.value),
                "patterns use Rust regex syntax (no look-around or back-references); quote them with single quotes in YAML",
            ));
            None
        }
    }
}

fn date(
    file: &PackFile,
    located: &Located,
    problems: &mut Vec<Problem>,
) -> Option<jiff::civil::Date> {
    match located.value.parse::<jiff::civil::Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(Problem::at(
                &file.shown,
                &file.text,
                &located.referenced,
                format!("`{}` is not a date", located.value),
                "write dates as YYYY-MM-DD",
            ));
            None
        }
    }
}

fn period(file: &PackFile, raw: &Option<RawPeriod>, problems: &mut Vec<Problem>) -> Period {
    let Some(raw) = raw else {
        return Period::default();
    };
    Period {
        from: raw.from.as_ref().and_then(|d| date(file, d, problems)),
        until: raw.until.as_ref().and_then(|d| date(file, d, problems)),
    }
}

/// A rule's id from its path: `mtus/low-back/lumbar-xray.yaml` → `mtus.low-back.lumbar-xray`.
fn rule_id(rel: &str) -> Result<String, String> {
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

/// Builds a pack from layers of files: later layers add to earlier ones.
pub fn build(layers: Vec<Vec<PackFile>>) -> Result<Pack, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut meta: Option<RawPackMeta> = None;
    let mut catalogue = Catalogue::default();
    let mut catalogue_files: Vec<(PackFile, RawCatalogue)> = Vec::new();
    let mut fact_files: Vec<(PackFile, RawFactFile)> = Vec::new();
    let mut rule_files: Vec<(PackFile, String, RawRule, usize)> = Vec::new();
    for (layer_index, layer) in layers.into_iter().enumerate() {
        for file in layer {
            let rel = file.rel.as_str();
            if rel == "pack.yaml" {
                if let Some(m) = parse_yaml::<RawPackMeta>(&file, &mut problems) {
                    meta = Some(m);
                }
            } else if rel == "citations.yaml" {
                if let Some(raw) = parse_yaml::<RawCatalogue>(&file, &mut problems) {
                    catalogue_files.push((file, raw));
                }
            } else if rel.starts_with("facts/") {
                if let Some(raw) = parse_yaml::<RawFactFile>(&file, &mut problems) {
                    fact_files.push((file, raw));
                }
            } else if rel.ends_with(".schema.json") {
                continue;
            } else {
                match rule_id(rel) {
                    Ok(id) => {
                        if let Some(raw) = parse_yaml::<RawRule>(&file, &mut problems) {
                            rule_files.push((file, id, raw, layer_index));
                        }
                    }
                    Err(message) => problems.push(Problem::new(
                        &file.shown,
                        &file.text,
                        1,
                        1,
                        message,
                        "rules live at <source>/<chapter>/<item>.yaml with kebab-case names; catalogue and facts at citations.yaml and facts/*.yaml",
                    )),
                }
            }
        }
    }

    let compiled = CompiledPatterns::new(
        catalogue_files
            .iter()
            .flat_map(|(_, raw)| raw.documents.iter().flat_map(|d| &d.patterns))
            .chain(
                fact_files
                    .iter()
                    .flat_map(|(_, raw)| raw.facts.iter().flat_map(|f| &f.patterns)),
            )
            .chain(
                rule_files
                    .iter()
                    .flat_map(|(_, _, raw, _)| raw.applies_to.iter().chain(&raw.excludes)),
            )
            .map(|p| p.value.as_str()),
    );
    for (file, raw) in catalogue_files {
        add_documents(&file, raw, &mut catalogue, &compiled, &mut problems);
    }

    // Facts.
    let mut facts: Vec<Fact> = Vec::new();
    let mut fact_index: HashMap<String, usize> = HashMap::new();
    let mut fact_files_first: HashMap<String, String> = HashMap::new();
    for (file, raw) in &fact_files {
        for fact in &raw.facts {
            let id = &fact.id.value;
            if !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || id.is_empty()
            {
                problems.push(Problem::at(
                    &file.shown,
                    &file.text,
                    &fact.id.referenced,
                    format!("fact id `{id}` is not snake_case"),
                    "use lower-case letters, digits and underscores",
                ));
            }
            if let Some(first) = fact_files_first.get(id) {
                problems.push(Problem::at(
                    &file.shown,
                    &file.text,
                    &fact.id.referenced,
                    format!("fact `{id}` is defined twice (first in {first})"),
                    "fact ids are unique across rules/facts/*.yaml; rename or merge one of them",
                ));
                continue;
            }
            fact_files_first.insert(
                id.clone(),
                format!("{}:{}", file.shown, fact.id.referenced.line()),
            );
            if fact.terms.is_empty() && fact.patterns.is_empty() {
                problems.push(Problem::at(
                    &file.shown,
                    &file.text,
                    &fact.id.referenced,
                    format!("fact `{id}` has no terms and no patterns"),
                    "give it at least one literal term or regex pattern",
                ));
            }
            let patterns: Vec<Regex> = fact
                .patterns
                .iter()
                .filter_map(|p| regex(file, p, &compiled, &mut problems))
                .collect();
            fact_index.insert(id.clone(), facts.len());
            facts.push(Fact {
                id: id.clone(),
                title: fact.title.clone(),
                terms: fact.terms.iter().map(|t| t.to_lowercase()).collect(),
                patterns,
                historical_counts: fact.historical_counts,
            });
        }
    }

    // Rules.
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (file, id, raw, layer) in rule_files {
        let rule = validate_rule(
            &file,
            &id,
            &raw,
            &catalogue,
            &fact_index,
            &compiled,
            &mut problems,
        );
        match seen.get(&id) {
            Some(&i) if raw.override_ && layer > 0 => rules[i] = rule,
            Some(_) => problems.push(Problem::new(
                &file.shown,
                &file.text,
                1,
                1,
                format!("rule id `{id}` is defined twice"),
                "a rule that replaces one of the default pack must say `override: true`; otherwise rename the file",
            )),
            None => {
                if raw.override_ && layer == 0 {
                    // `override` in the base pack is harmless; nothing to replace.
                }
                seen.insert(id, rules.len());
                rules.push(rule);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let scanner = FactScanner::new(&facts);
    let meta = meta.unwrap_or(RawPackMeta {
        name: "unnamed pack".into(),
        version: 0,
        description: None,
    });
    Ok(Pack {
        name: meta.name,
        version: meta.version,
        catalogue,
        facts,
        rules,
        scanner,
    })
}

fn add_documents(
    file: &PackFile,
    raw: RawCatalogue,
    catalogue: &mut Catalogue,
    compiled: &CompiledPatterns,
    problems: &mut Vec<Problem>,
) {
    let mut keys: HashSet<String> = catalogue.documents.iter().map(|d| d.key.clone()).collect();
    for doc in raw.documents {
        if !keys.insert(doc.key.value.clone()) {
            problems.push(Problem::at(
                &file.shown,
                &file.text,
                &doc.key.referenced,
                format!("document `{}` is defined twice", doc.key.value),
                "document keys are unique in the catalogue",
            ));
            continue;
        }
        let patterns = doc
            .patterns
            .iter()
            .filter_map(|p| regex(file, p, compiled, problems))
            .collect();
        catalogue.documents.push(Document {
            key: doc.key.value.clone(),
            title: doc.title,
            mtus: doc.mtus,
            edition: doc.edition,
            in_force: period(file, &doc.in_force, problems),
            body_parts: doc.body_parts,
            names: doc.names.iter().map(|n| fold(n)).collect(),
            patterns,
            sections: doc
                .sections
                .into_iter()
                .map(|s| Section {
                    key: s.key,
                    names: s.names.iter().map(|n| fold(n)).collect(),
                })
                .collect(),
        });
    }
}

fn validate_rule(
    file: &PackFile,
    id: &str,
    raw: &RawRule,
    catalogue: &Catalogue,
    facts: &HashMap<String, usize>,
    compiled: &CompiledPatterns,
    problems: &mut Vec<Problem>,
) -> Rule {
    for cite in &raw.guideline.cites {
        if !catalogue.knows(&cite.value) {
            let known: Vec<&str> = catalogue
                .documents
                .iter()
                .map(|d| d.key.as_str())
                .take(40)
                .collect();
            problems.push(Problem::at(
                &file.shown,
                &file.text,
                &cite.referenced,
                format!("citation `{}` is not in the catalogue", cite.value),
                format!(
                    "add it to rules/citations.yaml, or use a known key: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    if raw.guideline.cites.is_empty() {
        problems.push(Problem::new(
            &file.shown,
            &file.text,
            1,
            1,
            format!("rule `{id}` cites no guideline"),
            "list the governing citation under guideline.cites",
        ));
    }
    if raw.applies_to.is_empty() {
        problems.push(Problem::new(
            &file.shown,
            &file.text,
            1,
            1,
            format!("rule `{id}` has no applies_to patterns"),
            "add regexes matching the requests this rule judges",
        ));
    }
    let tests_line = file
        .text
        .lines()
        .position(|l| l.starts_with("tests:"))
        .map_or(1, |i| i + 1);
    let verdicts: HashSet<&str> = raw
        .tests
        .iter()
        .filter_map(|t| t.expect.verdict.as_deref())
        .collect();
    if raw.tests.is_empty() {
        problems.push(Problem::new(
            &file.shown,
            &file.text,
            tests_line,
            1,
            format!("rule `{id}` has no tests"),
            "add at least one test expecting `agree` and one expecting `conflict`",
        ));
    } else if !(verdicts.contains("agree") && verdicts.contains("conflict")) {
        problems.push(Problem::new(
            &file.shown,
            &file.text,
            tests_line,
            1,
            format!("rule `{id}` needs a test that agrees and one that conflicts"),
            "add tests with `expect: {verdict: agree}` and `expect: {verdict: conflict}`",
        ));
    }
    for test in &raw.tests {
        if let Some(v) = &test.expect.verdict
            && !matches!(
                v.as_str(),
                "agree" | "conflict" | "undetermined" | "uncovered"
            )
        {
            problems.push(Problem::new(
                &file.shown,
                &file.text,
                tests_line,
                1,
                format!("test `{}` expects unknown verdict `{v}`", test.name),
                "a verdict is agree, conflict, undetermined or uncovered",
            ));
        }
        for fact in test.expect.met.iter().chain(&test.expect.not_met) {
            if !facts.contains_key(fact) {
                problems.push(Problem::new(
                    &file.shown,
                    &file.text,
                    tests_line,
                    1,
                    format!("test `{}` names undefined fact `{fact}`", test.name),
                    "define the fact in rules/facts/*.yaml or correct the id",
                ));
            }
        }
        for check in &test.expect.findings {
            if crate::finding::Check::from_id(check).is_none() {
                problems.push(Problem::new(
                    &file.shown,
                    &file.text,
                    tests_line,
                    1,
                    format!("test `{}` names unknown check `{check}`", test.name),
                    "run `imr-audit explain` for the list of checks",
                ));
            }
        }
    }
    let recommended_when = criterion(file, &raw.recommended_when, facts, problems);
    let not_recommended_when = raw
        .not_recommended_when
        .as_ref()
        .map(|c| criterion(file, c, facts, problems));
    Rule {
        id: id.to_owned(),
        file: file.shown.clone(),
        title: raw.title.clone(),
        description: raw.description.clone(),
        cites: raw
            .guideline
            .cites
            .iter()
            .map(|c| c.value.clone())
            .collect(),
        edition: raw.guideline.edition.clone(),
        in_force: period(file, &raw.guideline.in_force, problems),
        body_parts: raw.body_parts.clone(),
        confidence: raw.confidence,
        unconfirmed: raw.unconfirmed.clone(),
        applies_to: raw
            .applies_to
            .iter()
            .filter_map(|p| regex(file, p, compiled, problems))
            .collect(),
        excludes: raw
            .excludes
            .iter()
            .filter_map(|p| regex(file, p, compiled, problems))
            .collect(),
        recommended_when,
        not_recommended_when,
        limits: raw
            .limits
            .iter()
            .map(|l| Limit {
                quantity: l.quantity,
                at_least: l.at_least,
                at_most: l.at_most,
                reason: l.reason.clone(),
            })
            .collect(),
        undocumented: raw.undocumented,
        quotes: raw
            .quotes
            .iter()
            .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect(),
        tests: raw.tests.clone(),
    }
}

fn criterion(
    file: &PackFile,
    located: &LocatedCriterion,
    facts: &HashMap<String, usize>,
    problems: &mut Vec<Problem>,
) -> Criterion {
    let at = &located.referenced;
    let fact = |id: &str, problems: &mut Vec<Problem>| -> usize {
        match facts.get(id) {
            Some(&i) => i,
            None => {
                let mut close: Vec<(usize, &str)> = facts
                    .keys()
                    .map(|k| (edit_distance(k, id), k.as_str()))
                    .filter(|(d, k)| *d <= id.len().max(k.len()) / 3 + 1)
                    .collect();
                close.sort();
                let close: Vec<&str> = close.into_iter().map(|(_, k)| k).take(6).collect();

                problems.push(Problem::at(
                    &file.shown,
                    &file.text,
                    at,
                    format!("fact `{id}` is not defined"),
                    if close.is_empty() {
                        "define it in rules/facts/*.yaml".to_owned()
                    } else {
                        format!(
                            "define it in rules/facts/*.yaml, or use one of: {}",
                            close.join(", ")
                        )
                    },
                ));
                usize::MAX
            }
        }
    };
    let many = |list: &[LocatedCriterion], problems: &mut Vec<Problem>| {
        list.iter()
            .map(|c| criterion(file, c, facts, problems))
            .collect::<Vec<_>>()
    };
    match &located.value {
        RawCriterion::Fact(id) => Criterion::Fact(fact(id, problems)),
        RawCriterion::All { all } => Criterion::All(many(all, problems)),
        RawCriterion::Any { any } => Criterion::Any(many(any, problems)),
        RawCriterion::Not { not } => {
            Criterion::Not(Box::new(criterion(file, not, facts, problems)))
        }
        RawCriterion::AtLeast { at_least, of } => Criterion::AtLeast(*at_least, many(of, problems)),
        RawCriterion::Number {
            number,
            at_least,
            at_most,
        } => Criterion::Number {
            fact: fact(number, problems),
            at_least: *at_least,
            at_most: *at_most,
        },
        RawCriterion::Quantity {
            quantity,
            at_least,
            at_most,
        } => Criterion::Quantity {
            kind: *quantity,
            at_least: *at_least,
            at_most: *at_most,
        },
        RawCriterion::PatientAge { patient_age } => Criterion::PatientAge {
            at_least: patient_age.at_least,
            at_most: patient_age.at_most,
        },
    }
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(prev + usize::from(ca != *cb));
            prev = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        assert_eq!(
            ascii_word_boundaries(r"\bknee\B|a\\b|\d"),
            r"(?-u:\b)knee(?-u:\B)|a\\b|\d"
        );
        let fever = compile(r"\bfever\b").unwrap();
        assert!(fever.is_match("\u{201c}fever\u{201d} \u{2022} chills"));
        assert!(!fever.is_match("feverish"));
        assert!(compile(r"a\\b").unwrap().is_match(r"a\b"));
    }
}
