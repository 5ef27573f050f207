//! `imr-audit rules new ID DIR`: writes the file of a new rule where its id
//! says (`imaging.lumbar.ct` → `DIR/imaging/lumbar/ct.yaml`), with every
//! field to fill in, the guideline of its nearest neighbour in the pack, a
//! fact of its own and two test stubs. An existing file is never replaced.

use std::io::Write;
use std::path::Path;

use super::{Diagnostics, Outcome};
use crate::ExitStatus;
use crate::rules::{Pack, Rule};

pub fn new_rule(id: &str, dir: &Path, mut diagnostics: Diagnostics) -> Outcome {
    let rel = match Pack::rule_file(id) {
        Ok(rel) => rel,
        Err(why) => {
            diagnostics.error(format!(
                "`{id}` cannot be a rule id: {why}; an id is the rule's path in the pack with dots, in kebab-case (imaging.lumbar.ct, therapy.acupuncture)"
            ));
            return Ok((ExitStatus::Error, diagnostics));
        }
    };
    if !dir.is_dir() {
        diagnostics.error(format!(
            "{} is not a folder; write the pack out first with `imr-audit rules export {}`",
            dir.display(),
            dir.display()
        ));
        return Ok((ExitStatus::Error, diagnostics));
    }
    let path = dir.join(&rel);
    if path.exists() {
        diagnostics.error(format!(
            "{} already exists; it is left as it is (edit it, or choose another id)",
            path.display()
        ));
        return Ok((ExitStatus::Error, diagnostics));
    }
    // The pack as it will be loaded with this folder: the folder's own
    // rules, or the embedded ones when the folder does not load yet.
    let pack = Pack::load(&[dir])
        .or_else(|_| Pack::load(&[] as &[&Path]))
        .ok();
    if let Some(existing) = pack.as_ref().and_then(|p| p.rule(id)) {
        diagnostics.error(format!(
            "rule `{id}` already exists ({}); to change it, export the pack and edit that file, or write {} with `override: true`",
            existing.file,
            path.display()
        ));
        return Ok((ExitStatus::Error, diagnostics));
    }
    let category = id.split('.').next().unwrap_or(id);
    if let Some(pack) = &pack
        && !pack
            .rules
            .iter()
            .any(|r| r.id.starts_with(&format!("{category}.")))
    {
        let mut categories: Vec<&str> = pack
            .rules
            .iter()
            .filter_map(|r| r.id.split('.').next())
            .collect();
        categories.dedup();
        categories.sort_unstable();
        categories.dedup();
        diagnostics.warning(format!(
            "`{category}` is a new category; the pack's are {} (docs/RULES.md, Layout)",
            categories.join(", ")
        ));
    }
    let neighbour = pack.as_ref().and_then(|p| nearest_rule(p, id));
    let text = scaffold(id, neighbour, pack.as_ref());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // `create_new`: even a file that appeared since the check above stays.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    file.write_all(text.as_bytes())?;
    diagnostics.info(format!(
        "wrote {}: fill in each TODO, then run `imr-audit rules lint --rules {}` and `imr-audit rules test {id} --rules {}`",
        path.display(),
        dir.display(),
        dir.display()
    ));
    Ok((ExitStatus::Success, diagnostics))
}

/// The rule sharing the longest id prefix with `id` (same group, else same
/// category), whose guideline the new rule starts from.
fn nearest_rule<'p>(pack: &'p Pack, id: &str) -> Option<&'p Rule> {
    let parts: Vec<&str> = id.split('.').collect();
    (1..parts.len()).rev().find_map(|n| {
        let prefix = format!("{}.", parts[..n].join("."));
        pack.rules_by_id()
            .into_iter()
            .find(|r| r.id.starts_with(&prefix))
    })
}

/// A YAML string: JSON's double-quoted form is valid YAML.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn scaffold(id: &str, neighbour: Option<&Rule>, pack: Option<&Pack>) -> String {
    let mut fact = format!("{}_indication", id.replace(['.', '-'], "_"));
    while pack.is_some_and(|p| p.fact(&fact).is_some()) {
        fact.push_str("_new");
    }
    let guideline = match neighbour {
        Some(rule) => {
            let mut g = format!(
                "# Copied from {}: check that these govern this treatment.\nguideline:\n  cites: [{}]\n  edition: {}\n",
                rule.id,
                rule.cites.join(", "),
                quoted(&rule.edition)
            );
            if !rule.in_force.is_open() {
                let date = |d: Option<jiff::civil::Date>| d.map_or("null".to_owned(), |d| d.to_string());
                g.push_str(&format!(
                    "  in_force: {{from: {}, until: {}}}\n",
                    date(rule.in_force.from),
                    date(rule.in_force.until)
                ));
            }
            if !rule.body_parts.is_empty() {
                g.push_str(&format!("body_parts: [{}]\n", rule.body_parts.join(", ")));
            }
            g
        }
        None => "guideline:\n  cites: [TODO]                 # catalogue keys (citations.yaml), `document` or `document#section`\n  edition: TODO the edition and chapter\n".to_owned(),
    };
    format!(
        "# A new rule: {id} (docs/RULES.md, \"Rules\"). Fill in each TODO, then run
#   imr-audit rules lint --rules DIR
#   imr-audit rules test {id} --rules DIR
title: TODO the treatment, as a heading
description: >
  TODO what the guideline says about this treatment, and when it supports it.
{guideline}confidence: unconfirmed          # confirmed once the criteria are checked against the guideline text
unconfirmed:
  - TODO which criteria rest on guideline text not yet verified
applies_to:                       # regexes over the request under review (case-insensitive)
  - '\\bTODO\\b'
recommended_when: {fact}          # a criterion: a fact id, or all/any/not/at_least+of/number/quantity/...
# not_recommended_when: some_fact
# limits:
#   - {{quantity: visits, at_most: 10, reason: TODO the guideline's limit}}
quotes: []                        # sentences letters quote from the guideline (for misquote)

# Facts only this rule uses (shared ones are in facts/; `imr-audit rules facts` lists them all).
facts:
  - id: {fact}
    title: TODO what the record must document
    terms:
      - TODO a phrase the record uses

tests:
  - name: indication documented, yet upheld
    request: TODO the request as a letter words it
    decision: upheld
    summary: TODO a record that documents the indication.
    rationale: The request is not medically necessary.
    expect: {{verdict: conflict, met: [{fact}]}}
  - name: no indication, upheld
    request: TODO the request as a letter words it
    decision: upheld
    summary: TODO a record without the indication.
    rationale: The request is not medically necessary.
    expect: {{verdict: agree}}
"
    )
}
