//! Renamed rule ids (`renames.yaml`): each old id leads, through its
//! chain of renames, to a rule of the pack; the id each rule was first given
//! keeps ties between rules in the order they always had.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::Problem;
use super::context::{CompiledPatterns, FileContext, nearest, with_suggestions};
use super::raw::RawRenames;
use super::read::{self, PackFile, RuleFile};

/// Old id → current id, following chains (a → b, b → c gives a → c), and
/// current id → the id the rule was first given (the start of its chain; the
/// smallest, when two rules were merged). A rename must lead to a rule of the
/// pack and must not loop; a rule file whose id was renamed away is told
/// where it belongs now.
pub(super) fn renames(
    files: &[(PackFile, RawRenames)],
    rules: &[RuleFile],
    unreadable: &HashSet<String>,
    compiled: &CompiledPatterns,
    problems: &mut Vec<Problem>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let ids: BTreeSet<&str> = rules
        .iter()
        .map(|rf| rf.id.as_str())
        .chain(unreadable.iter().map(String::as_str))
        .collect();
    let mut direct: BTreeMap<&str, &str> = BTreeMap::new();
    let mut resolved = BTreeMap::new();
    for (file, raw) in files {
        let mut ctx = FileContext::new(file, problems, compiled);
        for (old, new) in &raw.renames {
            if direct.insert(old, &new.value).is_some() {
                ctx.error(
                    &new.referenced,
                    format!("`{old}` is renamed twice"),
                    "keep one entry for it across the pack's renames.yaml files",
                );
            }
        }
    }
    for (file, raw) in files {
        let mut ctx = FileContext::new(file, problems, compiled);
        for (old, new) in &raw.renames {
            match follow(&direct, old) {
                None => ctx.error(
                    &new.referenced,
                    format!("the renames of `{old}` go round in a circle"),
                    "each old id leads, through its renames, to a rule of the pack",
                ),
                Some(current) if !ids.contains(current) => ctx.error(
                    &new.referenced,
                    format!("`{old}` is renamed to `{current}`, which is not a rule"),
                    with_suggestions(
                        "name the rule's current id",
                        &nearest(current, ids.iter().copied()),
                    ),
                ),
                Some(current) => {
                    resolved.insert(old.clone(), current.to_owned());
                }
            }
        }
    }
    stale_rule_files(rules, &direct, &resolved, problems);
    let first_ids = first_ids(&direct, &resolved);
    (resolved, first_ids)
}

/// A rule file still at an id that was renamed is told where it belongs.
fn stale_rule_files(
    rules: &[RuleFile],
    direct: &BTreeMap<&str, &str>,
    resolved: &BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    for rf in rules
        .iter()
        .filter(|rf| direct.contains_key(rf.id.as_str()))
    {
        let current = resolved.get(&rf.id).map_or("?", String::as_str);
        problems.push(Problem::new(
            &rf.file.shown,
            &rf.file.text,
            1,
            1,
            format!("rule id `{}` was renamed to `{current}`", rf.id),
            format!(
                "move the file to {} (with `override: true` to replace the pack's rule), or drop the rename",
                read::rule_path(current)
            ),
        ));
    }
}

/// Current id → the id the rule was first given: the start of its chain of
/// renames (the smallest, when several chains lead to one rule).
fn first_ids(
    direct: &BTreeMap<&str, &str>,
    resolved: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let targets: BTreeSet<&str> = direct.values().copied().collect();
    let mut first_ids: BTreeMap<String, String> = BTreeMap::new();
    for (old, current) in resolved {
        if targets.contains(old.as_str()) {
            continue;
        }
        let first = first_ids
            .entry(current.clone())
            .or_insert_with(|| old.clone());
        if old < first {
            first.clone_from(old);
        }
    }
    first_ids
}

/// Where an old id leads through the renames; `None` when they loop.
fn follow<'a>(direct: &BTreeMap<&'a str, &'a str>, old: &'a str) -> Option<&'a str> {
    let mut current = old;
    for _ in 0..=direct.len() {
        match direct.get(current) {
            Some(next) => current = next,
            None => return Some(current),
        }
    }
    None
}
