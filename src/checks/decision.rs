//! `decision-conflict`: the decision contradicts what the rule's criteria
//! imply on the facts the letter itself documents.

use crate::eval::{ItemEvaluation, Tri, Verdict};
use crate::finding::{Check, Finding, Severity};
use crate::letter::Item;
use crate::rules::{Confidence, Pack};

pub fn decision_conflict(
    pack: &Pack,
    item: &Item,
    evaluation: &ItemEvaluation,
    out: &mut Vec<Finding>,
) {
    if evaluation.verdict != Verdict::Conflict {
        return;
    }
    let (Some(rule), Some(decision), Some(expected)) =
        (&evaluation.rule, &item.decision, evaluation.expected)
    else {
        return;
    };
    let decisive: Vec<String> = evaluation
        .criteria
        .iter()
        .filter(|o| o.role != "limit" && o.status == Tri::Met)
        .map(|o| o.fact.clone())
        .collect();
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
            item.index,
            decision.value.as_str(),
            rule.id,
            expected.as_str()
        ),
    )
    .for_item(item.index)
    .with_rule(rule.id.clone())
    .at(decision.span);
    for outcome in &evaluation.criteria {
        if outcome.status == Tri::Met {
            for e in &outcome.evidence {
                finding.spans.push(crate::source::Span {
                    start: e.start,
                    end: e.end,
                    line: e.line,
                    column: e.column,
                    end_line: e.end_line,
                    end_column: e.end_column,
                    page: e.page,
                });
            }
        }
    }
    let _ = pack;
    out.push(finding);
}
