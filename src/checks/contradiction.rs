//! `rationale-contradiction`: the rationale's own conclusion opposes the
//! stated decision ("Upheld" above a rationale ending "is medically necessary").

use crate::finding::{Check, Finding, Severity};
use crate::letter::Item;

pub fn rationale_contradiction(item: &Item, out: &mut Vec<Finding>) {
    let (Some(decision), Some(rationale)) = (&item.decision, &item.rationale) else {
        return;
    };
    let Some(conclusion) = &rationale.conclusion else {
        return;
    };
    if conclusion.value.decision() == decision.value {
        return;
    }
    out.push(
        Finding::new(
            Check::RationaleContradiction,
            Severity::Error,
            format!(
                "item {} is {} but its rationale concludes the request is {}",
                item.index,
                decision.value.as_str(),
                match conclusion.value {
                    crate::letter::Necessity::Necessary => "medically necessary",
                    crate::letter::Necessity::NotNecessary => "not medically necessary",
                }
            ),
        )
        .for_item(item.index)
        .at(decision.span)
        .at(conclusion.span),
    );
}
