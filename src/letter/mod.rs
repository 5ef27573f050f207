//! The `Letter`: everything the parser reads out of one IMR Final
//! Determination Letter. Every extracted value keeps the [`Span`] it came
//! from, so later stages can quote the letter and point at its lines.
//!
//! The parser ([`parse`]) never fails and never panics: what it cannot read
//! becomes a `parse` [`Finding`] naming the place, never a guess.

mod citation;
mod header;
mod items;
mod layout;
mod patient;
mod rationale;
mod request;
mod timeline;

use serde::Serialize;

pub use citation::{CitationEntry, EntryKind, parse_citation};
pub use layout::Layout;
pub use request::number_word;
pub use timeline::{Phase, Timeline};

use crate::finding::Finding;
use crate::source::{Source, Span};

/// A value with the span of the letter it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Field<T> {
    pub fn new(value: T, span: Span) -> Field<T> {
        Field { value, span }
    }
}

/// A date as the letter writes it, parsed when it is a real date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateField {
    /// The text as written ("01/12/2017", "10/204").
    pub raw: String,
    /// The calendar date, or `null` when the text is not a valid date.
    pub date: Option<jiff::civil::Date>,
    pub span: Span,
}

/// The dates of the case, each as found (absent when the letter does not state it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dates {
    pub assigned: Option<DateField>,
    pub decision: Option<DateField>,
    pub injury: Option<DateField>,
    pub ur_denial: Option<DateField>,
    pub application_received: Option<DateField>,
}

/// The expert reviewer's credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reviewer {
    /// States of licensure, one entry each ("California,North Carolina" gives two).
    pub licensure: Vec<Field<String>>,
    /// Board certifications and specialties.
    pub specialties: Vec<Field<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
}

/// What the letter says of the patient.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Patient {
    pub age: Option<Field<u32>>,
    pub sex: Option<Field<Sex>>,
    /// Year of birth when the letter states a birth date or year.
    pub birth_year: Option<Field<i16>>,
}

/// The clinical case summary: the record the reviewer summarised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub span: Span,
    /// The sentence reporting the utilization-review decision, when present.
    pub utilization_review: Option<Field<String>>,
}

/// The decision on one disputed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Decision {
    /// The denial stands: not medically necessary.
    Upheld,
    /// The denial is reversed: medically necessary.
    Overturned,
}

impl Decision {
    pub fn opposite(self) -> Decision {
        match self {
            Decision::Upheld => Decision::Overturned,
            Decision::Overturned => Decision::Upheld,
        }
    }
}

/// Medical necessity as a sentence concludes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::Display)]
#[strum(serialize_all = "kebab-case")]
pub enum Necessity {
    Necessary,
    NotNecessary,
}

impl Necessity {
    /// The conclusion as a sentence of the letter words it.
    pub fn wording(self) -> &'static str {
        match self {
            Necessity::Necessary => "medically necessary",
            Necessity::NotNecessary => "not medically necessary",
        }
    }

    /// The decision this conclusion supports.
    pub fn decision(self) -> Decision {
        match self {
            Necessity::Necessary => Decision::Overturned,
            Necessity::NotNecessary => Decision::Upheld,
        }
    }
}

/// Quantities stated in a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Quantity {
    /// Dispensed count ("#60").
    pub count: Option<u32>,
    /// Visits, sessions or treatments, stated or computed from frequency × weeks.
    pub visits: Option<u32>,
    pub per_week: Option<u32>,
    pub weeks: Option<u32>,
    pub refills: Option<u32>,
    /// Strength in milligrams ("10mg", "7.5-325mg" gives 7.5).
    pub strength_mg: Option<String>,
    /// Most units a day the directions allow ("1-2 tabs every 4-6 hours" gives 12).
    pub per_day: Option<u32>,
    /// Days the dispensed count lasts at the most units a day (`count / per_day`).
    pub days_supply: Option<u32>,
}

/// Whether a request continues care already under way or starts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Continuity {
    /// "continue", "additional", "refill", "repeat", "ongoing", "more".
    Continuing,
    /// "initial", "trial", "new", "start".
    Starting,
    /// The request does not say.
    #[default]
    Unstated,
}

/// The request as written, and its parts when the claims administrator
/// authorised part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    /// The whole statement before the decision, whitespace folded.
    pub raw: Field<String>,
    /// The original request, when a partial authorisation is stated.
    pub original: Option<Field<String>>,
    /// What the claims administrator authorised.
    pub authorized: Option<Field<String>>,
    /// The part under review: the decision applies to this.
    pub under_review: Field<String>,
    pub retrospective: bool,
    pub quantity: Quantity,
    /// The quantities of the authorised part of a partial authorisation: they
    /// count toward the guideline's limits with the part under review.
    pub authorized_quantity: Option<Quantity>,
    /// What the request's own words say of continuing or starting.
    pub continuity: Continuity,
}

/// One guideline statement ("Claims Administrator guideline:" or "MAXIMUS guideline:").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The statement as written, whitespace folded.
    pub raw: String,
    pub span: Span,
    /// The statement says the decision rests outside the MTUS.
    pub outside_mtus: bool,
    pub entries: Vec<CitationEntry>,
}

/// Both parties' citations for an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Citations {
    pub claims_administrator: Option<Citation>,
    pub reviewer: Option<Citation>,
}

impl Citations {
    /// Catalogue keys of the documents the reviewer cites (filled once the
    /// pack's catalogue has annotated the letter).
    pub fn reviewer_keys(&self) -> Vec<&str> {
        self.reviewer
            .iter()
            .flat_map(|c| &c.entries)
            .filter_map(|e| e.key.as_deref())
            .collect()
    }
}

/// The reviewer's reasoning for an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rationale {
    pub span: Span,
    /// The rationale's own conclusion, when it states one.
    pub conclusion: Option<Field<Necessity>>,
}

/// One disputed item and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Position in the letter, from 1.
    pub index: usize,
    pub request: Request,
    pub decision: Option<Field<Decision>>,
    pub citations: Citations,
    pub rationale: Option<Rationale>,
    /// The whole block: request, citations and rationale.
    pub span: Span,
}

/// Everything read from one letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub layout: Layout,
    pub case_number: Option<Field<String>>,
    pub dates: Dates,
    pub reviewer: Reviewer,
    pub patient: Patient,
    pub case_summary: Option<CaseSummary>,
    pub items: Vec<Item>,
    /// What could not be read, as `parse` findings.
    pub findings: Vec<Finding>,
}

/// Reads a letter. Never fails: unreadable parts become `parse` findings.
pub fn parse(source: &Source) -> Letter {
    let text = source.text();
    if let Some(binary) = source.decoding().binary {
        let findings = vec![
            Finding::new(
                crate::finding::Check::Parse,
                crate::finding::Severity::Error,
                format!(
                    "the file looks binary, not letter text ({binary}); extract its text \
                     (for a PDF, pdftotext) and check that"
                ),
            )
            .at(source.span(0, 0)),
        ];
        return Letter::empty(Layout::Unknown, findings);
    }
    let mut findings = decoding_findings(source);
    if text.trim().is_empty() {
        findings.push(
            Finding::new(
                crate::finding::Check::Parse,
                crate::finding::Severity::Error,
                "the file is empty: no letter text to read",
            )
            .at(source.span(0, 0)),
        );
        return Letter::empty(Layout::Unknown, findings);
    }

    let sections = layout::Sections::find(source);
    let layout = sections.layout;
    if layout == Layout::Unknown {
        findings.push(
            Finding::parse(
                "no known letter layout recognised (no 'IMR ISSUES, DECISIONS AND RATIONALES', \
                 'IMR DECISION(S) AND RATIONALE(S)', 'MEDICAL PROFESSIONAL REVIEW' or 2013 \
                 determination statements); items were searched for in the whole text",
            )
            .at(source.span(0, 0)),
        );
    }
    let (case_number, dates, reviewer) = header::read(source, &sections, &mut findings);
    let case_summary = sections.case_summary.clone().map(|range| CaseSummary {
        utilization_review: patient::utilization_review_sentence(source, range.clone()),
        span: source.span(range.start, range.end),
    });
    let patient = patient::read(source, &sections);
    let items = items::read(source, &sections, &mut findings);
    if items.is_empty() {
        findings.push(
            Finding::new(
                crate::finding::Check::Parse,
                crate::finding::Severity::Error,
                "no disputed item with a decision was found in the letter",
            )
            .at(source.span(sections.issues.start, sections.issues.start)),
        );
    }
    Letter {
        layout,
        case_number,
        dates,
        reviewer,
        patient,
        case_summary,
        items,
        findings,
    }
}

impl Letter {
    fn empty(layout: Layout, findings: Vec<Finding>) -> Letter {
        Letter {
            layout,
            case_number: None,
            dates: Dates::default(),
            reviewer: Reviewer::default(),
            patient: Patient::default(),
            case_summary: None,
            items: Vec::new(),
            findings,
        }
    }
}

/// What decoding a damaged letter did, as parse findings: the encoding
/// used and where the first offending byte stands, a UTF-16 file without a
/// byte-order mark, NUL bytes read as spaces. The letter is still read.
fn decoding_findings(source: &Source) -> Vec<Finding> {
    use crate::finding::{Check, Severity};
    use crate::input::decode::{Detection, Encoding};

    let decoding = source.decoding();
    let char_at = |offset: usize| {
        let len = source.text()[offset..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        source.span(offset, offset + len)
    };
    let mut findings = Vec::new();
    if let Some(invalid) = decoding.first_invalid {
        let span = char_at(invalid.offset);
        let at = format!("line {}, column {}", span.line, span.column);
        let message = match (decoding.encoding, invalid.byte) {
            (Encoding::Windows1252, Some(byte)) => format!(
                "the file is not valid UTF-8 (first offending byte 0x{byte:02X} at {at}); it was \
                 read as Windows-1252. If characters look wrong, save the letter as UTF-8"
            ),
            (_, Some(byte)) => format!(
                "the file is not valid UTF-8 (first offending byte 0x{byte:02X} at {at}); \
                 invalid bytes were replaced with U+FFFD. Re-extract the text as UTF-8"
            ),
            (encoding, None) => format!(
                "the {encoding} text is damaged (first at {at}); what could not be decoded \
                 was replaced with U+FFFD"
            ),
        };
        findings.push(Finding::parse(message).at(span));
    }
    if decoding.detection == Detection::Guessed {
        findings.push(
            Finding::new(
                Check::Parse,
                Severity::Info,
                format!(
                    "the file has no byte-order mark; its NUL bytes show it is {}, and it was read as such",
                    decoding.encoding
                ),
            )
            .at(source.span(0, 0)),
        );
    }
    if let Some(offset) = decoding.first_nul {
        let span = char_at(offset);
        findings.push(
            Finding::new(
                Check::Parse,
                Severity::Info,
                format!(
                    "the file holds {} NUL byte(s), the first at line {}, column {}; each was read as a space",
                    decoding.nul_count, span.line, span.column
                ),
            )
            .at(span),
        );
    }
    findings
}
