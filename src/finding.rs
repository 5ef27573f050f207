//! Findings: what any stage reports about a letter, with a stable check id,
//! a severity, the item it concerns and the spans of the letter it points at.

use serde::Serialize;

use crate::source::Span;

/// Stable, kebab-case identifiers of every check. `imr-audit explain ID`
/// describes each; the list is closed so every renderer matches exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Parse,
    DecisionConflict,
    RationaleContradiction,
    CitationMismatch,
    CitationUnknown,
    Hierarchy,
    Misquote,
    UnaddressedFact,
    DateInconsistency,
    Edition,
}

impl Check {
    pub const ALL: [Check; 10] = [
        Check::Parse,
        Check::DecisionConflict,
        Check::RationaleContradiction,
        Check::CitationMismatch,
        Check::CitationUnknown,
        Check::Hierarchy,
        Check::Misquote,
        Check::UnaddressedFact,
        Check::DateInconsistency,
        Check::Edition,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Check::Parse => "parse",
            Check::DecisionConflict => "decision-conflict",
            Check::RationaleContradiction => "rationale-contradiction",
            Check::CitationMismatch => "citation-mismatch",
            Check::CitationUnknown => "citation-unknown",
            Check::Hierarchy => "hierarchy",
            Check::Misquote => "misquote",
            Check::UnaddressedFact => "unaddressed-fact",
            Check::DateInconsistency => "date-inconsistency",
            Check::Edition => "edition",
        }
    }

    pub fn from_id(id: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|check| check.id() == id)
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding about a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// The disputed item (from 1) the finding concerns, if any.
    pub item: Option<usize>,
    pub message: String,
    /// The rule that produced the finding, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub spans: Vec<Span>,
}

impl Finding {
    pub fn new(check: Check, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            check,
            severity,
            item: None,
            message: message.into(),
            rule: None,
            spans: Vec::new(),
        }
    }

    pub fn parse(message: impl Into<String>) -> Finding {
        Finding::new(Check::Parse, Severity::Warning, message)
    }

    pub fn at(mut self, span: Span) -> Finding {
        self.spans.push(span);
        self
    }

    pub fn for_item(mut self, item: usize) -> Finding {
        self.item = Some(item);
        self
    }

    pub fn with_rule(mut self, rule: impl Into<String>) -> Finding {
        self.rule = Some(rule.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for check in Check::ALL {
            let id = check.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert_eq!(Check::from_id(id), Some(check));
            assert_eq!(serde_json::to_value(check).unwrap(), id);
        }
    }
}
