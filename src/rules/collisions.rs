//! Routing collisions: two rules that take the same request and that no
//! citation or date tells apart, so that only the pack's order decides which
//! one judges it. Each rule's own test requests are the sample: a request of
//! rule A that rule B takes too, where B cites A's primary citation and the
//! two are in force at the same time, is a collision. `rules lint` warns of
//! each pair once; it does not stop a run.

use std::collections::{BTreeSet, HashMap};

use super::{Pack, Problem};
use crate::eval::read_request;

/// A warning for each pair of rules that collide, at the test request of
/// the first rule (in id order) that shows it. Only `rules lint` asks: it
/// reads every test request once and finds the rules that take it through
/// the pack's request prefilter ([`super::RequestFilter`]), so the cost
/// grows with the tests, not with tests × rules.
pub fn collisions(pack: &Pack) -> Vec<Problem> {
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut out = Vec::new();
    let mut texts = SourceTexts::default();
    for rule in pack.rules_by_id() {
        let Some(primary) = rule.cites.first() else {
            continue;
        };
        for test in &rule.tests {
            let request = read_request(pack, &test.request);
            if !rule.applies(&request) {
                continue;
            }
            let mut others = pack.requests.applying(&pack.rules, &request);
            others.sort_by(|a, b| a.id.cmp(&b.id));
            for other in others {
                if other.id == rule.id
                    || !other.cites.contains(primary)
                    || !other.in_force.overlaps(&rule.in_force)
                {
                    continue;
                }
                let pair = if rule.id < other.id {
                    (rule.id.as_str(), other.id.as_str())
                } else {
                    (other.id.as_str(), rule.id.as_str())
                };
                if !seen.insert(pair) {
                    continue;
                }
                let text = texts.of(&rule.file);
                let line = text
                    .lines()
                    .position(|l| l.contains("request:") && l.contains(test.request.as_str()))
                    .map_or(1, |i| i + 1);
                let column = text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.find("request:"))
                    .map_or(1, |c| c + 1);
                out.push(
                    Problem::new(
                        &rule.file,
                        text,
                        line,
                        column,
                        format!(
                            "rules `{}` and `{}` both take the request \"{}\" and both cite `{primary}` in the same period: only the pack's order decides which judges it",
                            rule.id, other.id, test.request
                        ),
                        "narrow one rule's `applies_to` or add `excludes`, or cite a section that tells them apart (docs/RULES.md, \"Which rule takes a request\")",
                    )
                    .warning()
                    .with_width(
                        text.lines()
                            .nth(line - 1)
                            .map(|l| l.trim_end().chars().count() + 1 - column),
                    ),
                );
            }
        }
    }
    out
}

/// The text of each pack file as the user knows it, read once: the
/// embedded pack's `rules/…`, else the file on disk (empty when it cannot
/// be read: the warning then goes without its line).
#[derive(Default)]
struct SourceTexts {
    embedded: Option<HashMap<String, String>>,
    read: HashMap<String, String>,
}

impl SourceTexts {
    fn of(&mut self, shown: &str) -> &str {
        let embedded = self.embedded.get_or_insert_with(|| {
            super::embedded_files()
                .into_iter()
                .map(|f| (f.shown, f.text))
                .collect()
        });
        if let Some(text) = embedded.get(shown) {
            return text;
        }
        self.read
            .entry(shown.to_owned())
            .or_insert_with(|| std::fs::read_to_string(shown).unwrap_or_default())
    }
}
