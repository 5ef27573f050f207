//! `decision-conflict`: the decision contradicts what the rule's criteria
//! imply on the facts the letter itself documents.

use super::CheckContext;
use crate::eval::{CriterionRole, ItemEvaluation, Tri, Verdict};
use crate::finding::{Check, Finding, Label, Severity};
use crate::letter::Item;
use crate::rules::Confidence;

pub fn decision_conflict(cx: &CheckContext, out: &mut Vec<Finding>) {
    for (item, evaluation) in cx.items() {
        if let Some(finding) = conflict(item, evaluation) {
            out.push(finding);
        }
    }
}

/// The finding for one item, pointing at the decision and labelling the
/// evidence of every met criterion.
fn conflict(item: &Item, evaluation: &ItemEvaluation) -> Option<Finding> {
    if evaluation.verdict != Verdict::Conflict {
        return None;
    }
    let (Some(rule), Some(decision), Some(expected)) =
        (&evaluation.rule, &item.decision, evaluation.expected)
    else {
        return None;
    };
    // The facts the letter documents in words, each named once (a rule may
    // name a fact in several branches; a bound on the request is no fact).
    let mut decisive: Vec<String> = Vec::new();
    for o in &evaluation.criteria {
        if o.role != CriterionRole::Limit
            && o.status == Tri::Met
            && !o.evidence.is_empty()
            && !decisive.contains(&o.fact)
        {
            decisive.push(o.fact.clone());
        }
    }
    let because = if decisive.is_empty() {
        evaluation.reasons.join("; ")
    } else {
        format!("documented: {}", decisive.join(", "))
    };
    let caveat = if rule.confidence == Confidence::Unconfirmed {
        " (rule criteria partly unconfirmed)"
    } else {
        ""
    };
    let mut finding = Finding::new(
        Check::DecisionConflict,
        Severity::Error,
        format!(
            "item {} is {} but {} implies {}{caveat}: {because}",
            item.index, decision.value, rule.id, expected
        ),
    )
    .for_item(item.index)
    .with_rule(rule.id.clone())
    .at(decision.span);
    for outcome in &evaluation.criteria {
        if outcome.status == Tri::Met {
            for e in &outcome.evidence {
                let label = Label::evidence(&outcome.fact, e);
                if !finding.labels.contains(&label) {
                    finding = finding.with_label(label);
                }
            }
        }
    }
    Some(finding)
}
