//! `rationale-contradiction`: the rationale's own conclusion opposes the
//! stated decision ("Upheld" above a rationale ending "is medically necessary").

use super::CheckContext;
use crate::finding::{Check, Finding, Severity};

pub fn rationale_contradiction(cx: &CheckContext, out: &mut Vec<Finding>) {
    for item in &cx.letter.items {
        let (Some(decision), Some(rationale)) = (&item.decision, &item.rationale) else {
            continue;
        };
        let Some(conclusion) = &rationale.conclusion else {
            continue;
        };
        if conclusion.value.decision() == decision.value {
            continue;
        }
        out.push(
            Finding::new(
                Check::RationaleContradiction,
                Severity::Error,
                format!(
                    "item {} is {} but its rationale concludes the request is {}",
                    item.index,
                    decision.value,
                    conclusion.value.wording()
                ),
            )
            .for_item(item.index)
            .at(decision.span)
            .at(conclusion.span),
        );
    }
}
