//! What would change the rule's expectation: for an item the rule expects
//! upheld, what the record would have to document for the rule to expect it
//! overturned, and the reverse. Requesting physicians and attorneys read this
//! as "medically necessary if the record documented any of: …".
//!
//! The rule's criteria are expanded into alternatives (disjunctive normal
//! form over their leaves, bounded in size); each alternative is reduced to
//! the conditions the letter does not already satisfy, and the shortest
//! alternatives are shown first.

use serde::Serialize;

use super::Expected;
use super::criteria::{Context, Tri};
use crate::rules::{Criterion, Limit, Rule};

/// Most alternatives kept while expanding a criterion.
const MAX_TERMS: usize = 256;
/// Most alternatives shown.
const SHOWN: usize = 6;
/// Most conditions in one alternative shown for an expected "overturned".
const MAX_CONDITIONS: usize = 3;

/// What would make the rule expect the other decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counterfactual {
    /// The decision the rule would then expect.
    pub expected: Expected,
    /// Alternatives, each a set of conditions that together would do it.
    pub any_of: Vec<Vec<String>>,
    /// Conditions needed whichever alternative holds (an exclusion that
    /// must not be documented, a limit the request must keep to).
    pub and: Vec<String>,
}

impl Counterfactual {
    /// One sentence: "overturned if the record documented any of: A; B and C".
    pub fn sentence(&self) -> String {
        let mut out = format!("{} if ", self.expected);
        let alternatives: Vec<String> = self.any_of.iter().map(|t| t.join(" and ")).collect();
        match alternatives.len() {
            0 => {}
            1 => out.push_str(&format!("the record documented {}", alternatives[0])),
            _ => out.push_str(&format!(
                "the record documented any of: {}",
                alternatives.join("; ")
            )),
        }
        if !self.and.is_empty() {
            if !alternatives.is_empty() {
                out.push_str(", and ");
            }
            out.push_str(&self.and.join(", and "));
        }
        out
    }
}

/// One condition on a leaf criterion: the leaf, and whether it must hold.
#[derive(Debug, Clone, Copy)]
struct Literal<'a> {
    leaf: &'a Criterion,
    holds: bool,
}

type Terms<'a> = Vec<Vec<Literal<'a>>>;

fn same(a: &Literal, b: &Literal) -> bool {
    std::ptr::eq(a.leaf, b.leaf) && a.holds == b.holds
}

/// Alternatives that make `criterion` evaluate to `holds`.
fn expand<'a>(criterion: &'a Criterion, holds: bool) -> Terms<'a> {
    match criterion {
        Criterion::Not(inner) => expand(inner, !holds),
        Criterion::All(list) if holds => product(list.iter().map(|c| expand(c, true))),
        Criterion::All(list) => union(list.iter().map(|c| expand(c, false))),
        Criterion::Any(list) if holds => union(list.iter().map(|c| expand(c, true))),
        Criterion::Any(list) => product(list.iter().map(|c| expand(c, false))),
        Criterion::AtLeast(n, list) => {
            // n of them hold, or len - n + 1 of them fail.
            let (size, polarity) = if holds {
                (*n, true)
            } else {
                (list.len() + 1 - (*n).min(list.len() + 1), false)
            };
            let mut out = Vec::new();
            for combination in combinations(list.len(), size) {
                out.extend(product(
                    combination.iter().map(|&i| expand(&list[i], polarity)),
                ));
                if out.len() >= MAX_TERMS {
                    break;
                }
            }
            out.truncate(MAX_TERMS);
            out
        }
        leaf => vec![vec![Literal { leaf, holds }]],
    }
}

fn union<'a>(parts: impl Iterator<Item = Terms<'a>>) -> Terms<'a> {
    let mut out: Terms = Vec::new();
    for part in parts {
        out.extend(part);
        if out.len() >= MAX_TERMS {
            out.truncate(MAX_TERMS);
            break;
        }
    }
    out
}

fn product<'a>(parts: impl Iterator<Item = Terms<'a>>) -> Terms<'a> {
    let mut out: Terms = vec![Vec::new()];
    for part in parts {
        let mut next = Vec::new();
        'outer: for left in &out {
            for right in &part {
                let mut term = left.clone();
                for literal in right {
                    if !term.iter().any(|l| same(l, literal)) {
                        term.push(*literal);
                    }
                }
                next.push(term);
                if next.len() >= MAX_TERMS {
                    break 'outer;
                }
            }
        }
        out = next;
    }
    out
}

/// Index sets of `size` out of `len`, in lexicographic order (bounded).
fn combinations(len: usize, size: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    fn walk(
        from: usize,
        len: usize,
        size: usize,
        current: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if current.len() == size {
            out.push(current.clone());
            return;
        }
        for i in from..len {
            if out.len() >= MAX_TERMS {
                return;
            }
            current.push(i);
            walk(i + 1, len, size, current, out);
            current.pop();
        }
    }
    if size <= len {
        walk(0, len, size, &mut current, &mut out);
    }
    out
}

impl Context<'_> {
    /// The leaf's status on this letter, evaluated quietly.
    fn leaf_status(&self, leaf: &Criterion) -> Tri {
        self.eval(leaf, super::CriterionRole::RecommendedWhen, &mut Vec::new())
    }

    fn satisfied(&self, literal: &Literal) -> bool {
        let status = self.leaf_status(literal.leaf);
        if literal.holds {
            status == Tri::Met
        } else {
            status == Tri::NotMet
        }
    }

    fn describe(&self, literal: &Literal) -> String {
        // Bounds in words: people read "at least 10", not ">= 10".
        let text = lower_first(&self.leaf_text(literal.leaf));
        // A bound that must fail reads as the opposite bound.
        match (literal.holds, text.contains(" >= "), text.contains(" <= ")) {
            (true, _, _) => text
                .replace(" >= ", " of at least ")
                .replace(" <= ", " of at most "),
            (false, true, _) => text.replace(" >= ", " of less than "),
            (false, _, true) => text.replace(" <= ", " of more than "),
            (false, false, false) => negate(&text),
        }
    }

    /// The alternatives of `terms` the letter already satisfies, in words
    /// (at most a few): what stands in the way when they are exclusions.
    fn met_terms(&self, terms: &Terms) -> Vec<String> {
        let mut out: Vec<String> = terms
            .iter()
            .filter(|t| t.iter().all(|l| self.satisfied(l)))
            .map(|t| {
                let words: Vec<String> = t.iter().map(|l| self.describe(l)).collect();
                words.join(" with ")
            })
            .collect();
        out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        out.dedup();
        out.truncate(3);
        out
    }

    /// The alternatives of `terms` the letter does not already satisfy,
    /// reduced to their unsatisfied conditions, shortest first.
    fn open_terms(&self, terms: &Terms) -> Vec<Vec<String>> {
        let mut reduced: Vec<Vec<String>> = terms
            .iter()
            .map(|t| {
                t.iter()
                    .filter(|l| !self.satisfied(l))
                    .map(|l| self.describe(l))
                    .collect::<Vec<String>>()
            })
            .filter(|t| !t.is_empty())
            .collect();
        for t in &mut reduced {
            t.sort();
            t.dedup();
        }
        reduced.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        reduced.dedup();
        // Drop an alternative that contains a shorter one: it asks for more.
        let mut kept: Vec<Vec<String>> = Vec::new();
        for term in reduced {
            if !kept.iter().any(|k| k.iter().all(|c| term.contains(c))) {
                kept.push(term);
            }
        }
        kept.truncate(SHOWN);
        kept
    }
}

/// A condition that must not hold, in words: a clause ("the request starts
/// a new treatment") takes its verb's negation, a thing ("prior imaging")
/// takes "no".
fn negate(text: &str) -> String {
    if text.starts_with("the ") {
        for (verb, negated) in [
            (" was ", " was not "),
            (" is ", " is not "),
            (" are ", " are not "),
            (" has ", " has not "),
            (" continues ", " does not continue "),
            (" starts ", " does not start "),
        ] {
            if let Some(at) = text.find(verb) {
                return format!("{}{negated}{}", &text[..at], &text[at + verb.len()..]);
            }
        }
    }
    format!("no {text}")
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

/// What would make `rule` expect the other decision than `expected` on this letter.
pub fn counterfactual(
    ctx: &Context,
    rule: &Rule,
    expected: Expected,
    exceeded: &[&Limit],
) -> Option<Counterfactual> {
    match expected {
        Expected::Upheld | Expected::Undetermined => {
            let mut and = Vec::new();
            if let Some(exclusion) = &rule.not_recommended_when
                && ctx.leaf_status(exclusion) == Tri::Met
            {
                let met = ctx.met_terms(&expand(exclusion, true));
                if !met.is_empty() {
                    and.push(format!(
                        "the record did not document {}",
                        met.join("; nor ")
                    ));
                }
            }
            for limit in exceeded {
                and.push(format!(
                    "the request kept within the limit ({})",
                    limit.reason
                ));
            }
            let any_of = if ctx.leaf_status(&rule.recommended_when) == Tri::Met {
                Vec::new()
            } else {
                ctx.open_terms(&expand(&rule.recommended_when, true))
            };
            (!any_of.is_empty() || !and.is_empty()).then_some(Counterfactual {
                expected: Expected::Overturned,
                any_of,
                and,
            })
        }
        Expected::Overturned => {
            let mut any_of = Vec::new();
            if let Some(exclusion) = &rule.not_recommended_when {
                any_of.extend(ctx.open_terms(&expand(exclusion, true)));
            }
            // Undoing the recommendation by documenting the absence of many
            // facts at once says little; only short alternatives are kept.
            any_of.extend(
                ctx.open_terms(&expand(&rule.recommended_when, false))
                    .into_iter()
                    .filter(|t| t.len() <= MAX_CONDITIONS),
            );
            any_of.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            any_of.dedup();
            any_of.truncate(SHOWN);
            for limit in &rule.limits {
                if any_of.len() < SHOWN {
                    any_of.push(vec![format!(
                        "a request beyond the limit ({})",
                        limit.reason
                    )]);
                }
            }
            (!any_of.is_empty()).then_some(Counterfactual {
                expected: Expected::Upheld,
                any_of,
                and: Vec::new(),
            })
        }
    }
}
