//! Findings: what any stage reports about a letter, with a stable check id,
//! a severity, the item it concerns and labelled spans of the letter it
//! points at.
//!
//! A label says what its span shows (the primary location, a fact's
//! evidence, context) and is filled in by the code that makes the finding,
//! which is the only code that knows. Renderers render labels; none of them
//! looks a span up in the evaluations to learn what it means.

use serde::{Serialize, Serializer};

use crate::eval::Evidence;
use crate::facts::Status;
use crate::source::Span;

/// Stable, kebab-case identifiers of every check. `imr-audit explain ID`
/// describes each; the list is closed so every renderer matches exhaustively.
///
/// Each variant is spelled once, by the `kebab-case` rule shared by serde
/// (JSON, baselines) and strum (`Display`, `FromStr`, clap).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
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
    RecordContradiction,
}

impl Check {
    /// Every check, in the order reports list them.
    pub const ALL: &'static [Check] = <Check as strum::VariantArray>::VARIANTS;

    /// The stable id (`decision-conflict`).
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// The check with this id, if any.
    pub fn from_id(id: &str) -> Option<Check> {
        id.parse().ok()
    }
}

impl Check {
    /// Parses a check id for clap (`imr-audit explain ID`); an unknown id is
    /// rejected with the list of known ones.
    pub fn parse_arg(id: &str) -> Result<Check, String> {
        Check::from_id(id).ok_or_else(|| {
            let ids: Vec<&str> = Check::ALL.iter().map(|c| c.id()).collect();
            format!("unknown check `{id}`; known checks: {}", ids.join(", "))
        })
    }
}

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[derive(strum::Display, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never a fault of the letter by itself.
    Info,
    /// Worth a look: a fact the rationale never weighs, a citation the catalogue does not know.
    Warning,
    /// A fault of the letter: a decision the rule contradicts, a rationale concluding the opposite.
    Error,
}

/// What a labelled span shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::Display)]
#[strum(serialize_all = "kebab-case")]
pub enum Role {
    /// Where the finding is: the first label of a finding.
    Primary,
    /// A mention of a fact that supports the finding.
    Evidence,
    /// Further words of the letter the finding refers to.
    Context,
}

/// A span of the letter with what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub role: Role,
    pub span: Span,
    /// The fact whose mention this is (evidence only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// How that mention reads in context (evidence only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Status>,
    /// The words as detected, whitespace folded (evidence only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Label {
    fn plain(role: Role, span: Span) -> Label {
        Label {
            role,
            span,
            fact: None,
            context: None,
            text: None,
        }
    }

    /// Where a finding is.
    pub fn primary(span: Span) -> Label {
        Label::plain(Role::Primary, span)
    }

    /// Further words the finding refers to.
    pub fn context(span: Span) -> Label {
        Label::plain(Role::Context, span)
    }

    /// A criterion's evidence: the mention of `fact`.
    pub fn evidence(fact: &str, evidence: &Evidence) -> Label {
        Label {
            role: Role::Evidence,
            span: evidence.span(),
            fact: Some(fact.to_owned()),
            context: Some(evidence.context),
            text: Some(evidence.text.clone()),
        }
    }

    /// The short message shown beside the span: `fact (context)` for a
    /// fact's mention, nothing for the others.
    pub fn message(&self) -> Option<String> {
        Some(format!("{} ({})", self.fact.as_ref()?, self.context?))
    }
}

/// One finding about a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// The disputed item (from 1) the finding concerns, if any.
    pub item: Option<usize>,
    pub message: String,
    /// The rule that produced the finding, if any.
    pub rule: Option<String>,
    /// Where, with what each span shows; the first is the primary location.
    pub labels: Vec<Label>,
    /// The stable identity baselines, waivers and SARIF use (64 hex digits),
    /// given once per audit by [`crate::baseline::fingerprint::assign`];
    /// `None` until then (a `parse` finding never gets one).
    pub fingerprint: Option<String>,
}

/// The JSON form: `spans` (the contract since schema 1) keeps the bare spans,
/// `labels` adds what each shows.
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            check: Check,
            severity: Severity,
            item: Option<usize>,
            message: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            rule: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            fingerprint: Option<&'a str>,
            spans: Vec<Span>,
            labels: &'a [Label],
        }
        Wire {
            check: self.check,
            severity: self.severity,
            item: self.item,
            message: &self.message,
            rule: self.rule.as_deref(),
            fingerprint: self.fingerprint.as_deref(),
            spans: self.labels.iter().map(|l| l.span).collect(),
            labels: &self.labels,
        }
        .serialize(serializer)
    }
}

impl Finding {
    pub fn new(check: Check, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            check,
            severity,
            item: None,
            message: message.into(),
            rule: None,
            labels: Vec::new(),
            fingerprint: None,
        }
    }

    pub fn parse(message: impl Into<String>) -> Finding {
        Finding::new(Check::Parse, Severity::Warning, message)
    }

    /// Points at `span`: the primary location if it is the first, else context.
    pub fn at(mut self, span: Span) -> Finding {
        let label = if self.labels.is_empty() {
            Label::primary(span)
        } else {
            Label::context(span)
        };
        self.labels.push(label);
        self
    }

    /// Adds a labelled span; the first a finding gets is its primary
    /// location, whatever else it shows (the fact and context stay).
    pub fn with_label(mut self, mut label: Label) -> Finding {
        if self.labels.is_empty() {
            label.role = Role::Primary;
        }
        self.labels.push(label);
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

    /// The primary location, if the finding points anywhere.
    pub fn primary(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// Every span, primary first.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.labels.iter().map(|l| l.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &check in Check::ALL {
            let id = check.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert_eq!(id.parse::<Check>(), Ok(check));
            assert_eq!(serde_json::to_value(check).unwrap(), id);
            assert_eq!(check.to_string(), id);
        }
    }

    #[test]
    fn severities_and_roles_are_spelled_alike_by_serde_and_display() {
        for &severity in <Severity as strum::VariantArray>::VARIANTS {
            assert_eq!(
                serde_json::to_value(severity).unwrap(),
                severity.to_string()
            );
        }
        for &severity in <Severity as strum::VariantArray>::VARIANTS {
            let clap = clap::ValueEnum::to_possible_value(&severity).unwrap();
            assert_eq!(clap.get_name(), severity.to_string());
        }
        for role in [Role::Primary, Role::Evidence, Role::Context] {
            assert_eq!(serde_json::to_value(role).unwrap(), role.to_string());
        }
    }
}
