//! Validating one rule file against the catalogue and the facts: its
//! citations (document and section), body parts, tests and criteria. Every
//! problem goes to the file's [`FileContext`]; the rule is built regardless,
//! so that one run reports everything wrong with it.

use std::collections::{BTreeSet, HashSet};

use super::context::{FileContext, Greed, nearest, with_suggestions};
use super::raw::{LocatedCriterion, RawContinuity, RawCriterion, RawGuideline, RawPhase};
use super::read::RuleFile;
use super::validate::{FactError, FactTable};
use super::{Catalogue, Criterion, Limit, QuantityKind, Rule, SumPart};
use crate::letter::Phase;

/// What a rule is checked against: the catalogue, the body parts it names,
/// and the facts.
pub(super) struct RuleScope<'a> {
    catalogue: &'a Catalogue,
    body_parts: BTreeSet<&'a str>,
    facts: &'a FactTable<'a>,
}

impl<'a> RuleScope<'a> {
    pub fn new(catalogue: &'a Catalogue, facts: &'a FactTable<'a>) -> RuleScope<'a> {
        let body_parts = catalogue
            .documents
            .iter()
            .flat_map(|d| d.body_parts.iter().map(String::as_str))
            .collect();
        RuleScope {
            catalogue,
            body_parts,
            facts,
        }
    }
}

/// Checks one rule file and builds its rule.
pub(super) fn validate(ctx: &mut FileContext, rf: &RuleFile, scope: &RuleScope) -> Rule {
    let raw = &rf.raw;
    cites(ctx, &raw.guideline, scope.catalogue);
    if raw.guideline.cites.is_empty() {
        ctx.error_at_line(
            1,
            format!("rule `{}` cites no guideline", rf.id),
            "list the governing citation under guideline.cites",
        );
    }
    if raw.applies_to.is_empty() {
        ctx.error_at_line(
            1,
            format!("rule `{}` has no applies_to patterns", rf.id),
            "add regexes matching the requests this rule judges",
        );
    }
    body_parts(ctx, &raw.body_parts, scope);
    tests(ctx, rf, scope);
    let recommended_when = criterion(ctx, &raw.recommended_when, &rf.id, scope.facts);
    let not_recommended_when = raw
        .not_recommended_when
        .as_ref()
        .map(|c| criterion(ctx, c, &rf.id, scope.facts));
    Rule {
        id: rf.id.clone(),
        file: rf.file.shown.clone(),
        title: raw.title.clone(),
        description: raw.description.clone(),
        cites: raw
            .guideline
            .cites
            .iter()
            .map(|c| c.value.clone())
            .collect(),
        edition: raw.guideline.edition.clone(),
        in_force: ctx.period(&raw.guideline.in_force),
        body_parts: raw.body_parts.clone(),
        confidence: raw.confidence,
        unconfirmed: raw.unconfirmed.clone(),
        applies_to: ctx.regexes(&raw.applies_to, Greed::Greedy),
        excludes: ctx.regexes(&raw.excludes, Greed::Greedy),
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
        follows: raw.follows.clone(),
        quotes: raw
            .quotes
            .iter()
            .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect(),
        tests: raw.tests.clone(),
    }
}

/// Every citation names a catalogue document, and a section the document lists.
fn cites(ctx: &mut FileContext, guideline: &RawGuideline, catalogue: &Catalogue) {
    for cite in &guideline.cites {
        if catalogue.knows(&cite.value) {
            continue;
        }
        let (key, section) = cite
            .value
            .split_once('#')
            .map_or((cite.value.as_str(), None), |(k, s)| (k, Some(s)));
        match (catalogue.document(key), section) {
            (Some(document), Some(section)) => {
                let close = nearest(section, document.sections.iter().map(|s| s.key.as_str()));
                ctx.error(
                    &cite.referenced,
                    format!("document `{key}` has no section `{section}`"),
                    with_suggestions(
                        &format!("add the section to `{key}` in rules/citations.yaml"),
                        &close,
                    ),
                );
            }
            _ => {
                let close = nearest(key, catalogue.documents.iter().map(|d| d.key.as_str()));
                ctx.error(
                    &cite.referenced,
                    format!("citation `{}` is not in the catalogue", cite.value),
                    with_suggestions("add it to rules/citations.yaml", &close),
                );
            }
        }
    }
}

/// Body parts are those of the catalogue's documents: any other would make
/// `citation-mismatch` report every citation of the rule.
fn body_parts(ctx: &mut FileContext, parts: &[String], scope: &RuleScope) {
    for part in parts {
        if !scope.body_parts.contains(part.as_str()) {
            let close = nearest(part, scope.body_parts.iter().copied());
            ctx.error_at_line(
                ctx.line_of_key("body_parts"),
                format!("body part `{part}` is not in the catalogue"),
                with_suggestions(
                    "body parts are those of the documents in rules/citations.yaml",
                    &close,
                ),
            );
        }
    }
}

fn tests(ctx: &mut FileContext, rf: &RuleFile, scope: &RuleScope) {
    let (id, tests) = (&rf.id, &rf.raw.tests);
    // Found only for a problem: searching the file for it was half of the
    // cost of checking a rule.
    let file = ctx.file;
    let line = std::cell::LazyCell::new(|| super::context::line_of_key(file, "tests"));
    let verdicts: HashSet<&str> = tests
        .iter()
        .filter_map(|t| t.expect.verdict.as_deref())
        .collect();
    if tests.is_empty() {
        ctx.error_at_line(
            *line,
            format!("rule `{id}` has no tests"),
            "add at least one test expecting `agree` and one expecting `conflict`",
        );
    } else if !(verdicts.contains("agree") && verdicts.contains("conflict")) {
        ctx.error_at_line(
            *line,
            format!("rule `{id}` needs a test that agrees and one that conflicts"),
            "add tests with `expect: {verdict: agree}` and `expect: {verdict: conflict}`",
        );
    }
    for test in tests {
        if test.injured.is_some() != test.requested.is_some() {
            ctx.error_at_line(
                *line,
                format!(
                    "test `{}` gives only one of `injured` and `requested`",
                    test.name
                ),
                "give both dates (YYYY-MM-DD), or neither",
            );
        }
        for date in [&test.injured, &test.requested].into_iter().flatten() {
            if date.parse::<jiff::civil::Date>().is_err() {
                ctx.error_at_line(
                    *line,
                    format!(
                        "test `{}` has a date `{date}` that is not a date",
                        test.name
                    ),
                    "write dates as YYYY-MM-DD",
                );
            }
        }
        if let Some(v) = &test.expect.verdict
            && !matches!(
                v.as_str(),
                "agree" | "conflict" | "undetermined" | "uncovered"
            )
        {
            ctx.error_at_line(
                *line,
                format!("test `{}` expects unknown verdict `{v}`", test.name),
                "a verdict is agree, conflict, undetermined or uncovered",
            );
        }
        for fact in test.expect.met.iter().chain(&test.expect.not_met) {
            if let Err(error) = scope.facts.lookup(fact, id) {
                let message = format!("test `{}` names undefined fact `{fact}`", test.name);
                report_fact(ctx, *line, None, message, &error);
            }
        }
        for check in &test.expect.findings {
            if crate::finding::Check::from_id(check).is_none() {
                ctx.error_at_line(
                    *line,
                    format!("test `{}` names unknown check `{check}`", test.name),
                    "run `imr-audit explain` for the list of checks",
                );
            }
        }
    }
}

/// Reports a fact id that does not resolve, at a location or a line.
fn report_fact(
    ctx: &mut FileContext,
    line: usize,
    at: Option<&super::raw::Position>,
    message: String,
    error: &FactError,
) {
    let hint = match error {
        FactError::Unreadable => return,
        FactError::Undefined(close) => with_suggestions(
            "define it in rules/facts/*.yaml or in this rule's facts",
            close,
        ),
        FactError::OtherRule(owner) => format!(
            "it is defined in the file of rule `{owner}` and serves that rule only; move it to rules/facts/ to share it"
        ),
    };
    match at {
        Some(at) => ctx.error(at, message, hint),
        None => ctx.error_at_line(line, message, hint),
    }
}

fn criterion(
    ctx: &mut FileContext,
    located: &LocatedCriterion,
    rule: &str,
    facts: &FactTable,
) -> Criterion {
    let fact = |ctx: &mut FileContext, id: &str| match facts.lookup(id, rule) {
        Ok(i) if facts.is_category(i) => {
            ctx.error(
                &located.referenced,
                format!("fact `{id}` is a category, not a criterion"),
                "a category only tells whether a rationale names the facts it addresses; use one of those facts",
            );
            usize::MAX
        }
        Ok(i) => i,
        Err(error) => {
            let message = match error {
                FactError::Undefined(_) | FactError::Unreadable => {
                    format!("fact `{id}` is not defined")
                }
                FactError::OtherRule(_) => format!("fact `{id}` belongs to another rule"),
            };
            report_fact(ctx, 1, Some(&located.referenced), message, &error);
            usize::MAX
        }
    };
    let many = |ctx: &mut FileContext, list: &[LocatedCriterion]| {
        list.iter()
            .map(|c| criterion(ctx, c, rule, facts))
            .collect::<Vec<_>>()
    };
    match &located.value {
        RawCriterion::Fact(id) => Criterion::Fact(fact(ctx, id)),
        RawCriterion::All { all } => Criterion::All(many(ctx, all)),
        RawCriterion::Any { any } => Criterion::Any(many(ctx, any)),
        RawCriterion::Not { not } => Criterion::Not(Box::new(criterion(ctx, not, rule, facts))),
        RawCriterion::AtLeast { at_least, of } => Criterion::AtLeast(*at_least, many(ctx, of)),
        RawCriterion::Number {
            number,
            at_least,
            at_most,
        } => Criterion::Number {
            fact: fact(ctx, number),
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
        RawCriterion::FactWith {
            fact: id,
            when_silent,
            observed,
        } => Criterion::FactWith {
            fact: fact(ctx, id),
            when_silent: *when_silent,
            observed: *observed,
        },
        RawCriterion::WeeksSinceInjury { weeks_since_injury } => Criterion::WeeksSinceInjury {
            at_least: weeks_since_injury.at_least,
            at_most: weeks_since_injury.at_most,
        },
        RawCriterion::Phase { phase } => Criterion::Phase(
            phase
                .iter()
                .map(|p| match p {
                    RawPhase::Acute => Phase::Acute,
                    RawPhase::Subacute => Phase::Subacute,
                    RawPhase::Chronic => Phase::Chronic,
                })
                .collect(),
        ),
        RawCriterion::Request { request } => {
            Criterion::Continuing(*request == RawContinuity::Continuing)
        }
        RawCriterion::LinkedProcedure { linked_procedure } => {
            if linked_procedure != "certified" {
                ctx.error(
                    &located.referenced,
                    format!("`linked_procedure: {linked_procedure}` is not known"),
                    "write `linked_procedure: certified`",
                );
            }
            Criterion::LinkedProcedure
        }
        RawCriterion::Sum {
            sum,
            at_least,
            at_most,
        } => {
            if sum.is_empty() {
                ctx.error(
                    &located.referenced,
                    "`sum` lists nothing to add",
                    "list quantities of the request (visits, authorized_visits, total_visits, count, …) or numeric facts",
                );
            }
            let parts = sum
                .iter()
                .map(|name| match quantity_kind(name) {
                    Some(kind) => SumPart::Quantity(kind),
                    None => SumPart::Fact(fact(ctx, name)),
                })
                .collect();
            Criterion::Sum {
                parts,
                at_least: *at_least,
                at_most: *at_most,
            }
        }
    }
}

/// The quantity of the request a name in a `sum` refers to, if it names one.
fn quantity_kind(name: &str) -> Option<QuantityKind> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}
