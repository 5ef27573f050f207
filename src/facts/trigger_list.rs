//! How a list of `context.yaml` trigger entries becomes one expression:
//! shared by the loader ([`super::context::compile_list`]) and `build.rs`,
//! which prepares the embedded pack's lists as it prepares its patterns.

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
