//! The JSON document (`--format json`), documented field by field in
//! `docs/JSON.md`. Version `schema: 1`; fields are only ever added.

use std::path::Path;

use serde::Serialize;

use crate::finding::Finding;
use crate::letter::{
    Citation, DateField, Dates, Decision, Field, Item, Layout, Letter, Necessity, Patient,
    Quantity, Reviewer,
};
use crate::source::Span;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Document<'a> {
    pub schema: u32,
    pub letters: Vec<LetterDoc<'a>>,
}

#[derive(Debug, Serialize)]
pub struct LetterDoc<'a> {
    pub path: String,
    pub layout: Layout,
    pub case_number: Option<&'a str>,
    pub case_number_span: Option<Span>,
    pub dates: &'a Dates,
    pub reviewer: ReviewerDoc<'a>,
    pub patient: &'a Patient,
    pub case_summary: Option<SummaryDoc<'a>>,
    pub items: Vec<ItemDoc<'a>>,
    pub findings: Vec<&'a Finding>,
}

#[derive(Debug, Serialize)]
pub struct ReviewerDoc<'a> {
    pub licensure: Vec<&'a str>,
    pub specialties: Vec<&'a str>,
    #[serde(skip)]
    _source: &'a Reviewer,
}

#[derive(Debug, Serialize)]
pub struct SummaryDoc<'a> {
    pub span: Span,
    pub utilization_review: Option<&'a str>,
    pub utilization_review_span: Option<Span>,
}

#[derive(Debug, Serialize)]
pub struct ItemDoc<'a> {
    #[serde(flatten)]
    pub parsed: ParsedItemDoc<'a>,
    /// Present in `check` output only.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub judged: Option<JudgedItemDoc<'a>>,
}

/// What `check` adds to each item.
#[derive(Debug, Serialize)]
pub struct JudgedItemDoc<'a> {
    /// The rule applied, or null when none covers the request.
    pub rule: Option<&'a crate::eval::RuleRef>,
    /// The decision the rule implies: upheld, overturned, undetermined; null when uncovered.
    pub expected: Option<crate::eval::Expected>,
    pub verdict: crate::eval::Verdict,
    pub reasons: &'a [String],
    /// What the record would have to document for the rule to expect the other decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub would_change: Option<&'a crate::eval::Counterfactual>,
    pub criteria: &'a [crate::eval::Outcome],
}

#[derive(Debug, Serialize)]
pub struct ParsedItemDoc<'a> {
    pub index: usize,
    /// The request as written.
    pub request: &'a str,
    pub request_span: Span,
    pub original_request: Option<&'a str>,
    pub authorized: Option<&'a str>,
    /// The part the decision applies to.
    pub under_review: &'a str,
    pub retrospective: bool,
    pub quantity: &'a Quantity,
    pub decision: Option<Decision>,
    pub decision_span: Option<Span>,
    pub citations: CitationsDoc<'a>,
    pub rationale: Option<RationaleDoc>,
    pub span: Span,
}

#[derive(Debug, Serialize)]
pub struct CitationsDoc<'a> {
    pub claims_administrator: Option<&'a Citation>,
    pub reviewer: Option<&'a Citation>,
}

#[derive(Debug, Serialize)]
pub struct RationaleDoc {
    pub span: Span,
    pub conclusion: Option<Necessity>,
    pub conclusion_span: Option<Span>,
}

impl<'a> LetterDoc<'a> {
    pub fn new(path: &Path, letter: &'a Letter) -> LetterDoc<'a> {
        LetterDoc {
            path: path.display().to_string(),
            layout: letter.layout,
            case_number: letter.case_number.as_ref().map(|f| f.value.as_str()),
            case_number_span: letter.case_number.as_ref().map(|f| f.span),
            dates: &letter.dates,
            reviewer: ReviewerDoc {
                licensure: letter
                    .reviewer
                    .licensure
                    .iter()
                    .map(|f| f.value.as_str())
                    .collect(),
                specialties: letter
                    .reviewer
                    .specialties
                    .iter()
                    .map(|f| f.value.as_str())
                    .collect(),
                _source: &letter.reviewer,
            },
            patient: &letter.patient,
            case_summary: letter.case_summary.as_ref().map(|s| SummaryDoc {
                span: s.span,
                utilization_review: s.utilization_review.as_ref().map(|f| f.value.as_str()),
                utilization_review_span: s.utilization_review.as_ref().map(|f| f.span),
            }),
            items: letter
                .items
                .iter()
                .map(|item| ItemDoc {
                    parsed: ParsedItemDoc::new(item),
                    judged: None,
                })
                .collect(),
            findings: letter.findings.iter().collect(),
        }
    }

    /// The `check` form: items carry their evaluation, findings include the checks'.
    pub fn checked(audit: &'a crate::audit::Audit) -> LetterDoc<'a> {
        let mut doc = LetterDoc::new(audit.source.path(), &audit.letter);
        for (item, evaluation) in doc.items.iter_mut().zip(&audit.evaluations) {
            item.judged = Some(JudgedItemDoc {
                rule: evaluation.rule.as_ref(),
                expected: evaluation.expected,
                verdict: evaluation.verdict,
                reasons: &evaluation.reasons,
                would_change: evaluation.would_change.as_ref(),
                criteria: &evaluation.criteria,
            });
        }
        doc.findings = audit.findings.iter().collect();
        doc
    }
}

impl<'a> ParsedItemDoc<'a> {
    pub fn new(item: &'a Item) -> ParsedItemDoc<'a> {
        let text = |f: &'a Option<Field<String>>| f.as_ref().map(|f| f.value.as_str());
        ParsedItemDoc {
            index: item.index,
            request: &item.request.raw.value,
            request_span: item.request.raw.span,
            original_request: text(&item.request.original),
            authorized: text(&item.request.authorized),
            under_review: &item.request.under_review.value,
            retrospective: item.request.retrospective,
            quantity: &item.request.quantity,
            decision: item.decision.as_ref().map(|d| d.value),
            decision_span: item.decision.as_ref().map(|d| d.span),
            citations: CitationsDoc {
                claims_administrator: item.citations.claims_administrator.as_ref(),
                reviewer: item.citations.reviewer.as_ref(),
            },
            rationale: item.rationale.as_ref().map(|r| RationaleDoc {
                span: r.span,
                conclusion: r.conclusion.as_ref().map(|c| c.value),
                conclusion_span: r.conclusion.as_ref().map(|c| c.span),
            }),
            span: item.span,
        }
    }
}

/// Formats a date field for people: the date, or the raw text marked as malformed.
pub fn date_text(date: &DateField) -> String {
    match date.date {
        Some(d) => d.strftime("%m/%d/%Y").to_string(),
        None => format!("{} (malformed)", date.raw),
    }
}
