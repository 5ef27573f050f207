//! One view of a disputed item, built once and rendered by every format
//! (human, html, junit, and the `parse` outline): the request, the decision,
//! and for `check` the rule, what it implies, the verdict, and every
//! criterion with the mentions that decided it and those that did not count.
//! A format chooses what to show of the view; none walks item → criteria →
//! evidence itself. Which way each criterion weighs and which decided the
//! outcome come from [`weigh`], once, here.

use super::weigh::{self, Bounds, Measure, Weighing, Weight};
use crate::audit::Audit;
use crate::eval::{CriterionRole, Evidence, Expected, ItemEvaluation, RuleRef, Tri, Verdict};
use crate::letter::{Decision, Field, Item, Letter};
use crate::rules::{Pack, QuantityKind};

/// A disputed item as reports show it.
pub struct ItemView<'a> {
    pub index: usize,
    /// The parsed item, for what only some formats show (citations, rationale).
    pub item: &'a Item,
    /// The part the decision applies to, as written.
    pub request: &'a str,
    pub original: Option<&'a str>,
    pub authorized: Option<&'a str>,
    pub decision: Option<&'a Field<Decision>>,
    /// What `check` judged; `None` for `parse`.
    pub judgement: Option<Judgement<'a>>,
}

/// What `check` says of an item.
pub struct Judgement<'a> {
    pub rule: Option<&'a RuleRef>,
    pub expected: Option<Expected>,
    pub verdict: Verdict,
    pub reasons: &'a [String],
    /// What the record would have to document for the rule to expect the
    /// other decision.
    pub would_change: Option<&'a crate::eval::Counterfactual>,
    pub criteria: Vec<CriterionView<'a>>,
}

/// One leaf criterion with its mentions.
pub struct CriterionView<'a> {
    /// The fact id, or a numeric criterion's description.
    pub fact: &'a str,
    pub title: &'a str,
    pub role: CriterionRole,
    pub status: Tri,
    /// Which way the status argues, if it argues at all.
    pub weight: Option<Weight>,
    /// Whether the criterion is among those that decided what the rule expects.
    pub decisive: bool,
    /// What a numeric criterion measures, and its bounds.
    pub measure: Option<(Measure<'a>, Bounds)>,
    /// The mentions that decided the status, then those that did not count.
    pub mentions: Vec<Mention<'a>>,
}

/// A mention of a criterion's fact in the letter.
pub struct Mention<'a> {
    pub evidence: &'a Evidence,
    /// Whether it counted (false: guideline text, hypothetical, …).
    pub counted: bool,
}

impl<'a> CriterionView<'a> {
    /// The mentions that decided the status.
    pub fn evidence(&self) -> impl Iterator<Item = &'a Evidence> + '_ {
        self.mentions
            .iter()
            .filter(|m| m.counted)
            .map(|m| m.evidence)
    }

    /// The mentions that did not count.
    pub fn ignored(&self) -> impl Iterator<Item = &'a Evidence> + '_ {
        self.mentions
            .iter()
            .filter(|m| !m.counted)
            .map(|m| m.evidence)
    }
}

impl<'a> ItemView<'a> {
    /// The view of a parsed item.
    pub fn parsed(item: &'a Item) -> ItemView<'a> {
        ItemView {
            index: item.index,
            item,
            request: &item.request.under_review.value,
            original: item.request.original.as_ref().map(|f| f.value.as_str()),
            authorized: item.request.authorized.as_ref().map(|f| f.value.as_str()),
            decision: item.decision.as_ref(),
            judgement: None,
        }
    }

    /// The view of an item with its evaluation. With the `pack` that judged
    /// it, criteria are weighed through their rule's tree; without it, by
    /// their role alone.
    pub fn judged(
        item: &'a Item,
        evaluation: &'a ItemEvaluation,
        pack: Option<&'a Pack>,
    ) -> ItemView<'a> {
        let weighings = pack
            .and_then(|pack| weigh::weigh(pack, evaluation))
            .unwrap_or_else(|| by_role(evaluation.expected, &evaluation.criteria));
        let criteria = evaluation
            .criteria
            .iter()
            .zip(weighings)
            .map(|(o, w)| CriterionView {
                fact: &o.fact,
                title: &o.title,
                role: o.role,
                status: o.status,
                weight: w.weight,
                decisive: w.decisive,
                measure: w.measure,
                mentions: o
                    .evidence
                    .iter()
                    .map(|evidence| Mention {
                        evidence,
                        counted: true,
                    })
                    .chain(o.ignored.iter().map(|evidence| Mention {
                        evidence,
                        counted: false,
                    }))
                    .collect(),
            })
            .collect();
        ItemView {
            judgement: Some(Judgement {
                rule: evaluation.rule.as_ref(),
                expected: evaluation.expected,
                verdict: evaluation.verdict,
                reasons: &evaluation.reasons,
                would_change: evaluation.would_change.as_ref(),
                criteria,
            }),
            ..ItemView::parsed(item)
        }
    }

    /// The request under review with its whitespace folded to single spaces.
    pub fn request_folded(&self) -> String {
        fold(self.request)
    }

    /// The number the request states for `kind`, if it states one, read
    /// as the evaluation reads it (visits already authorised count as 0
    /// when the letter states none).
    pub fn requested(&self, kind: QuantityKind) -> Option<u32> {
        crate::eval::requested(&self.item.request, kind)
    }

    /// The rule's id, or `uncovered`.
    pub fn rule_id(&self) -> &'a str {
        self.judgement
            .as_ref()
            .and_then(|j| j.rule)
            .map_or("uncovered", |r| r.id.as_str())
    }
}

/// Weighings from the roles alone, when the rule's tree is not at hand:
/// a criterion decided the outcome when it argues the way the rule went.
fn by_role(expected: Option<Expected>, criteria: &[crate::eval::Outcome]) -> Vec<Weighing<'_>> {
    let way = match expected {
        Some(Expected::Overturned) => Some(Weight::For),
        Some(Expected::Upheld) => Some(Weight::Against),
        Some(Expected::Undetermined) | None => None,
    };
    criteria
        .iter()
        .map(|o| {
            let weight = weigh::weight_by_role(o.role, o.status);
            Weighing {
                weight,
                decisive: way.is_some() && weight == way,
                measure: None,
            }
        })
        .collect()
}

/// Every item of an audited letter with its evaluation (see [`ItemView::judged`]).
pub fn judged_items<'a>(audit: &'a Audit, pack: Option<&'a Pack>) -> Vec<ItemView<'a>> {
    audit
        .letter
        .items
        .iter()
        .zip(&audit.evaluations)
        .map(|(item, evaluation)| ItemView::judged(item, evaluation, pack))
        .collect()
}

/// Each item's findings in the letter's order, gathered in one pass so
/// that reports stay linear in items.
pub fn findings_by_item(
    audit: &Audit,
) -> std::collections::BTreeMap<usize, Vec<&crate::finding::Finding>> {
    let mut by_item = std::collections::BTreeMap::<usize, Vec<_>>::new();
    for finding in &audit.findings {
        if let Some(item) = finding.item {
            by_item.entry(item).or_default().push(finding);
        }
    }
    by_item
}

/// Every item of a parsed letter.
pub fn parsed_items(letter: &Letter) -> Vec<ItemView<'_>> {
    letter.items.iter().map(ItemView::parsed).collect()
}

/// Folds runs of whitespace to single spaces.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
