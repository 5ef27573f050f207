//! Evaluation: each item is matched to a rule, the rule's criteria are
//! evaluated three-valued over the facts the letter documents, and the
//! decision the rule implies is compared with the letter's decision.

mod agreement;
mod counterfactual;
mod criteria;
mod leaves;
mod select;

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

pub use agreement::{Agreement, Measures};
pub use counterfactual::Counterfactual;
pub use criteria::{CriterionRole, Evidence, Outcome, Tri, requested};

use crate::facts::{Hit, Region};
use crate::letter::{Decision, Item, Letter};
use crate::rules::{Confidence, Pack, Rule, Undocumented};
use crate::source::Source;

/// What the rule implies for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Expected {
    Upheld,
    Overturned,
    Undetermined,
}

/// How the letter's decision compares with what the rule implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::Display, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Verdict {
    Agree,
    Conflict,
    Undetermined,
    Uncovered,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Agree,
        Verdict::Conflict,
        Verdict::Undetermined,
        Verdict::Uncovered,
    ];
}

/// The rule chosen for an item, as reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRef {
    pub id: String,
    pub title: String,
    pub edition: String,
    pub confidence: Confidence,
    pub unconfirmed: Vec<String>,
    /// Why this rule was chosen among those that apply.
    pub chosen_because: String,
}

/// The evaluation of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemEvaluation {
    pub index: usize,
    pub rule: Option<RuleRef>,
    pub expected: Option<Expected>,
    pub verdict: Verdict,
    /// Every leaf criterion with its status and evidence.
    pub criteria: Vec<Outcome>,
    /// Sentences explaining the implied decision.
    pub reasons: Vec<String>,
    /// What the record would have to document for the rule to expect the
    /// other decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub would_change: Option<Counterfactual>,
    /// Every fact hit in the case summary and this item's rationale.
    #[serde(skip)]
    pub hits: Vec<Hit>,
}

/// The body sites a request is for: those its words name, else those of the
/// whole request statement, else the rule's body parts.
fn request_sites(item: &Item, rule: &Rule) -> Vec<crate::facts::body::Site> {
    use crate::facts::body::{self, BodyPart, Site};
    let named = body::sites(&item.request.under_review.value);
    if !named.is_empty() {
        return named;
    }
    let named = body::sites(&item.request.raw.value);
    if !named.is_empty() {
        return named;
    }
    rule.body_parts
        .iter()
        .filter_map(|p| BodyPart::from_name(p))
        .map(|part| Site { part, side: None })
        .collect()
}

/// The rule chosen for each of a letter's items, by the item's place in
/// the letter: chosen once, or on demand.
enum ChosenRules<'p, 'c> {
    /// Every item's rule, chosen already ([`evaluate`]).
    Known(&'c [Option<(&'p Rule, String)>]),
    /// Chosen when asked ([`evaluate_item`] evaluates one item alone).
    OnDemand,
}

impl<'p> ChosenRules<'p, '_> {
    /// The rule of `letter.items[at]`.
    fn of(&self, pack: &'p Pack, letter: &Letter, at: usize) -> Option<&'p Rule> {
        match self {
            ChosenRules::Known(chosen) => chosen[at].as_ref().map(|(rule, _)| *rule),
            ChosenRules::OnDemand => {
                select::choose(pack, letter, &letter.items[at]).map(|(r, _)| r)
            }
        }
    }
}

/// The procedure an item serves, when its rule `follows` procedures and the
/// letter decides one: the first other item whose rule's id falls under one
/// of the rule's `follows` prefixes (and is not itself a follower).
fn linked_procedure<'p>(
    pack: &'p Pack,
    letter: &Letter,
    item: &Item,
    rule: &Rule,
    chosen: &ChosenRules<'p, '_>,
) -> Option<criteria::Linked> {
    if rule.follows.is_empty() {
        return None;
    }
    let under = |id: &str| {
        rule.follows
            .iter()
            .any(|p| id == p || id.starts_with(&format!("{p}.")))
    };
    letter
        .items
        .iter()
        .enumerate()
        .filter(|(_, other)| other.index != item.index)
        .find(|&(at, _)| {
            chosen
                .of(pack, letter, at)
                .is_some_and(|r| r.follows.is_empty() && under(&r.id))
        })
        .map(|(_, other)| criteria::Linked {
            index: other.index,
            decision: other.decision.as_ref().map(|d| d.value),
            span: other
                .decision
                .as_ref()
                .map_or(other.request.raw.span, |d| d.span),
        })
}

impl ItemEvaluation {
    /// Whether nothing documented decided any criterion: no mention of the
    /// record counted for or against, and no quantity of the request
    /// crossed a limit. An expectation like that rests on silence.
    pub fn rests_on_silence(&self) -> bool {
        !self
            .criteria
            .iter()
            .any(|o| !o.evidence.is_empty() || (o.from_request && o.status == Tri::NotMet))
    }
}

/// Every fact hit in the letter's case summary (the record).
pub fn summary_hits(pack: &Pack, source: &Source, letter: &Letter) -> Vec<Hit> {
    letter
        .case_summary
        .as_ref()
        .map(|s| {
            pack.scanner
                .scan(source, s.span.start..s.span.end, Region::CaseSummary)
        })
        .unwrap_or_default()
}

/// Evaluates every item of a parsed (and catalogue-annotated) letter.
///
/// The case summary and every rationale are scanned at once, and the items
/// evaluated at once, on the run's threads: a letter alone uses them all.
/// The evaluations come back in the items' order.
pub fn evaluate(pack: &Pack, source: &Source, letter: &Letter) -> Vec<ItemEvaluation> {
    let (summary_hits, rationale_hits) = rayon::join(
        || summary_hits(pack, source, letter),
        || {
            letter
                .items
                .par_iter()
                .map(|item| rationale_hits(pack, source, item))
                .collect::<Vec<_>>()
        },
    );
    // Each item's rule, chosen once: an item whose rule follows a
    // procedure reads the rules of the others.
    let chosen: Vec<Option<(&Rule, String)>> = letter
        .items
        .par_iter()
        .map(|item| select::choose(pack, letter, item))
        .collect();
    let known = ChosenRules::Known(&chosen);
    let treatment_lists = OnceLock::new();
    letter
        .items
        .par_iter()
        .zip(rationale_hits)
        .zip(&chosen)
        .map(|((item, rationale), chosen)| {
            let scanned = Scanned {
                summary: &summary_hits,
                rationale,
                treatment_lists: &treatment_lists,
            };
            evaluate_scanned(pack, source, letter, item, scanned, chosen.clone(), &known)
        })
        .collect()
}

/// Every fact hit in an item's rationale.
fn rationale_hits(pack: &Pack, source: &Source, item: &Item) -> Vec<Hit> {
    item.rationale
        .as_ref()
        .map(|r| {
            pack.scanner
                .scan(source, r.span.start..r.span.end, Region::Rationale)
        })
        .unwrap_or_default()
}

/// Evaluates one item against a given rule (or none): used by `check` and by rule self-tests.
pub fn evaluate_item(
    pack: &Pack,
    source: &Source,
    letter: &Letter,
    item: &Item,
    summary_hits: &[Hit],
    chosen: Option<(&Rule, String)>,
) -> ItemEvaluation {
    let treatment_lists = OnceLock::new();
    let scanned = Scanned {
        summary: summary_hits,
        rationale: rationale_hits(pack, source, item),
        treatment_lists: &treatment_lists,
    };
    evaluate_scanned(
        pack,
        source,
        letter,
        item,
        scanned,
        chosen,
        &ChosenRules::OnDemand,
    )
}

/// What an item's evaluation reads of its letter: the fact hits of the
/// case summary and of its rationale, and the case summary's treatment
/// lists (read once for all the letter's items, on first use).
struct Scanned<'h> {
    summary: &'h [Hit],
    rationale: Vec<Hit>,
    treatment_lists: &'h OnceLock<Vec<crate::source::Span>>,
}

/// [`evaluate_item`] with the rationale already scanned, and the other
/// items' rules known or chosen on demand.
fn evaluate_scanned<'p>(
    pack: &'p Pack,
    source: &Source,
    letter: &Letter,
    item: &Item,
    scanned: Scanned<'_>,
    chosen: Option<(&'p Rule, String)>,
    rules: &ChosenRules<'p, '_>,
) -> ItemEvaluation {
    let mut hits: Vec<Hit> = scanned.summary.to_vec();
    hits.extend(scanned.rationale);
    let decision = item.decision.as_ref().map(|d| d.value);
    let Some((rule, why)) = chosen else {
        return ItemEvaluation {
            index: item.index,
            rule: None,
            expected: None,
            verdict: Verdict::Uncovered,
            criteria: Vec::new(),
            reasons: vec!["no rule in the pack applies to this request".into()],
            would_change: None,
            hits,
        };
    };
    let ctx = criteria::Context {
        pack,
        source,
        letter,
        item,
        hits: &hits,
        sites: request_sites(item, rule),
        timeline: letter.timeline(),
        linked: linked_procedure(pack, letter, item, rule, rules),
        treatment_lists: scanned.treatment_lists,
        continuity: std::sync::OnceLock::new(),
    };
    let mut outcomes = Vec::new();
    let mut reasons = Vec::new();
    let excluded = rule
        .not_recommended_when
        .as_ref()
        .map(|c| ctx.eval(c, CriterionRole::NotRecommendedWhen, &mut outcomes));
    let mut exceeded = Vec::new();
    for limit in &rule.limits {
        let (tri, outcome) = ctx.limit(limit);
        if tri == Tri::NotMet {
            exceeded.push(limit);
            reasons.push(format!("the request exceeds a limit: {}", limit.reason));
        }
        outcomes.push(outcome);
    }
    let recommended = ctx.eval(
        &rule.recommended_when,
        CriterionRole::RecommendedWhen,
        &mut outcomes,
    );
    let expected = if excluded == Some(Tri::Met) {
        reasons.push("a not-recommended criterion is met".into());
        Expected::Upheld
    } else if !exceeded.is_empty() {
        Expected::Upheld
    } else {
        match recommended {
            Tri::Met => {
                reasons.push("the criteria for medical necessity are met".into());
                Expected::Overturned
            }
            Tri::NotMet => {
                reasons.push("the criteria for medical necessity are documented as not met".into());
                Expected::Upheld
            }
            Tri::NotDocumented => match rule.undocumented {
                Undocumented::NotMet => {
                    reasons.push("the criteria for medical necessity are not documented (counted as not met)".into());
                    Expected::Upheld
                }
                Undocumented::Undetermined => {
                    reasons.push(
                        "the criteria for medical necessity are not documented either way".into(),
                    );
                    Expected::Undetermined
                }
            },
        }
    };
    let verdict = match (decision, expected) {
        (_, Expected::Undetermined) | (None, _) => Verdict::Undetermined,
        (Some(Decision::Upheld), Expected::Upheld)
        | (Some(Decision::Overturned), Expected::Overturned) => Verdict::Agree,
        _ => Verdict::Conflict,
    };
    let would_change = counterfactual::counterfactual(&ctx, rule, expected, &exceeded);
    ItemEvaluation {
        index: item.index,
        would_change,
        rule: Some(RuleRef {
            id: rule.id.clone(),
            title: rule.title.clone(),
            edition: rule.edition.clone(),
            confidence: rule.confidence,
            unconfirmed: rule.unconfirmed.clone(),
            chosen_because: why,
        }),
        expected: Some(expected),
        verdict,
        criteria: outcomes,
        reasons,
        hits,
    }
}

pub use select::{choose, read_request};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item of the shipped samples and, when they are there, the
    /// real letters, evaluated with the letter (each item's rule chosen
    /// once, shared) and alone (the other items' rules chosen on demand):
    /// the same evaluations, including those of items whose rule follows a
    /// procedure another item decides.
    #[test]
    fn an_item_evaluated_with_its_letter_or_alone_is_evaluated_alike() {
        let pack = Pack::load(&[] as &[&std::path::Path]).unwrap_or_else(|p| panic!("{}", p[0]));
        let (mut items, mut followers) = (0, 0);
        for path in crate::test_letters::paths() {
            let Ok(source) = crate::input::read(&path) else {
                continue;
            };
            let mut letter = crate::letter::parse(&source);
            pack.catalogue.annotate(&mut letter);
            let together = evaluate(&pack, &source, &letter);
            let summary = summary_hits(&pack, &source, &letter);
            for (item, evaluation) in letter.items.iter().zip(&together) {
                let chosen = select::choose(&pack, &letter, item);
                followers += usize::from(
                    chosen
                        .as_ref()
                        .is_some_and(|(rule, _)| !rule.follows.is_empty()),
                );
                let alone = evaluate_item(&pack, &source, &letter, item, &summary, chosen);
                assert_eq!(
                    format!("{alone:?}"),
                    format!("{evaluation:?}"),
                    "{} item {}",
                    path.display(),
                    item.index
                );
                items += 1;
            }
        }
        assert!(items >= 50, "{items} items");
        assert!(
            followers >= 1,
            "{followers} items whose rule follows a procedure"
        );
    }
}
