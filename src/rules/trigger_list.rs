//! The trigger lists of `context.yaml`, where each is matched, and how a
//! list becomes one expression: shared by the loader (`validate.rs`,
//! `facts::context::compile_list`) and `build.rs`, which prepares the
//! embedded pack's lists as it prepares its patterns.

use super::raw::{Located, RawContext};

/// Where a list of trigger entries is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Anywhere.
    Free,
    /// At the start of the text (right after the mention).
    Start,
    /// At the end of the text (the words before the mention).
    End,
}

/// How many lists `context.yaml` holds.
pub const LISTS: usize = 19;

/// Every list of `raw`: its key in the file, its entries and where it is
/// matched, in the order of the fields of `facts::context::ContextTriggers`.
pub fn lists(raw: &RawContext) -> [(&'static str, &[Located], Anchor); LISTS] {
    use Anchor::{End, Free, Start};
    [
        ("terminators", &raw.terminators, Free),
        ("negated.before", &raw.negated.before, Free),
        ("negated.not_before", &raw.negated.not_before, Free),
        ("negated.right_before", &raw.negated.right_before, End),
        ("negated.of_record", &raw.negated.of_record, Free),
        ("negated.right_after", &raw.negated.right_after, Start),
        ("negated.later", &raw.negated.later, Free),
        ("hypothetical.before", &raw.hypothetical.before, Free),
        (
            "hypothetical.conditional",
            &raw.hypothetical.conditional,
            Free,
        ),
        ("hypothetical.hedge", &raw.hypothetical.hedge, Free),
        ("hypothetical.inside", &raw.hypothetical.inside, Free),
        (
            "hypothetical.right_after",
            &raw.hypothetical.right_after,
            Start,
        ),
        ("historical.before", &raw.historical.before, Free),
        ("historical.not_before", &raw.historical.not_before, Free),
        ("historical.right_after", &raw.historical.right_after, Start),
        ("historical.this_claim", &raw.historical.this_claim, Free),
        ("scope.new_clause", &raw.scope.new_clause, Free),
        ("scope.modifier_before", &raw.scope.modifier_before, End),
        ("scope.outcome_before", &raw.scope.outcome_before, End),
    ]
}

/// The entries as the alternatives of one case-insensitive expression,
/// tried in order; `None` for an empty list (which matches nothing).
pub fn joined(entries: &[&str], anchor: Anchor) -> Option<String> {
    if entries.is_empty() {
        return None;
    }
    let joined = entries
        .iter()
        .map(|e| format!("(?:{e})"))
        .collect::<Vec<_>>()
        .join("|");
    Some(match anchor {
        Anchor::Free => format!("(?i){joined}"),
        Anchor::Start => format!("(?i)^(?:{joined})"),
        Anchor::End => format!("(?i)(?:{joined})$"),
    })
}
