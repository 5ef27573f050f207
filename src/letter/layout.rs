//! Recognises a letter's layout by its headings and cuts it into sections:
//! header, reviewer credentials, case summary and the disputed issues.
//!
//! Headings are matched with any whitespace between their words, so a heading
//! split over two lines, centred with spaces (`pdftotext -layout`) or run onto
//! the previous sentence (2013 web renderings) is still found.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;
use serde::Serialize;

use crate::source::Source;

/// The layouts of IMR Final Determination Letters over the years.
///
/// Each variant's name is written once, in its `strum` attribute; serde
/// serialises through it (`into = "&'static str"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
#[derive(strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Layout {
    /// 2013: numbered "MAXIMUS Federal Services, Inc. has determined the request for …" statements.
    #[strum(serialize = "2013")]
    Maximus2013,
    /// 2014+: "IMR ISSUES, DECISIONS AND RATIONALES", "X: Upheld".
    #[strum(serialize = "2014")]
    Issues2014,
    /// "DOCUMENTS REVIEWED" and "IMR DECISION(S) AND RATIONALE(S)".
    DocumentsReviewed,
    /// "MEDICAL PROFESSIONAL REVIEW" with "ISSUE AT DISPUTE:" and "CASE SUMMARY:".
    MedicalProfessionalReview,
    /// None of the above headings was found.
    Unknown,
}

/// Builds a regex from words that may be separated by any whitespace.
pub(crate) fn words(pattern: &str) -> DualRegex {
    let spaced = pattern.split(' ').collect::<Vec<_>>().join(r"\s+");
    DualRegex::with_prefilter(&spaced).expect("built-in heading pattern is valid")
}

macro_rules! heading {
    ($name:ident, $pattern:expr) => {
        static $name: LazyLock<DualRegex> = LazyLock::new(|| words($pattern));
    };
}

heading!(HOW_MADE, r"HOW THE IMR FINAL DETERMINATION WAS MADE");
heading!(CLINICAL_SUMMARY, r"CLINICAL CASE SUMMARY");
heading!(
    SUMMARY_INTRO,
    r"(?i)based on a review of the case file, including all medical records:"
);
heading!(ISSUES_2014, r"IMR ISSUES, DECISIONS AND RATIONALES");
heading!(
    ISSUES_INTRO,
    r"(?i)disputed items/services set forth below:"
);
heading!(ISSUES_DOCS, r"IMR DECISION\(S\) AND RATIONALE\(S\)");
heading!(DOCUMENTS_REVIEWED, r"DOCUMENTS REVIEWED:?");
heading!(MPR, r"MEDICAL PROFESSIONAL REVIEW");
heading!(MPR_ISSUE, r"ISSUE(?:\(S\)|S)? AT DISPUTE:");
heading!(MPR_SUMMARY, r"(?:CLINICAL )?CASE SUMMARY:");
heading!(
    MPR_GUIDELINES,
    r"MEDICAL TREATMENT GUIDELINE\(S\) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:"
);
heading!(
    MPR_RATIONALE,
    r"RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS (?:NOT )?MEDICALLY NECESSARY:"
);
heading!(
    DETERMINED_2013,
    r"(?i)MAXIMUS Federal Services, Inc\. has determined the request"
);
heading!(SUMMARY_2013, r"Case Summary:");
heading!(
    QUALIFICATIONS_2013,
    r"Medical Qualifications of the Expert Reviewer:?"
);
heading!(REGARDING_2013, r"(?m)^\s*1\)\s*Regarding the request");
heading!(
    CREDENTIALS,
    r"(?i)The Expert Reviewer has the following credentials:"
);

/// The sections of a letter, as byte ranges of its source.
#[derive(Debug, Clone)]
pub struct Sections {
    pub layout: Layout,
    /// From the start to the first heading: the case grid.
    pub header: Range<usize>,
    /// Reviewer credentials.
    pub reviewer: Option<Range<usize>>,
    /// The case summary's body (its stock introduction excluded).
    pub case_summary: Option<Range<usize>>,
    /// Where the disputed items stand.
    pub issues: Range<usize>,
}

impl Sections {
    pub fn find(source: &Source) -> Sections {
        let text = source.text();
        let len = text.len();
        let at = |re: &DualRegex| re.find(text);
        if let Some(mpr) = at(&MPR) {
            let issue = MPR_ISSUE.find_at(text, mpr.end());
            let summary = MPR_SUMMARY.find_at(text, mpr.end());
            let guidelines = MPR_GUIDELINES.find_at(text, mpr.end());
            let issues_start = issue.map_or(mpr.end(), |m| m.start());
            let summary_range = summary.map(|s| {
                let end = [
                    guidelines.map(|m| m.start()),
                    MPR_RATIONALE.find_at(text, s.end()).map(|m| m.start()),
                ]
                .into_iter()
                .flatten()
                .filter(|&e| e > s.end())
                .min()
                .unwrap_or(len);
                s.end()..end
            });
            return Sections {
                layout: Layout::MedicalProfessionalReview,
                header: 0..mpr.start().max(first_heading(text, &[&ISSUES_2014])),
                reviewer: credentials(text, mpr.end()),
                case_summary: summary_range,
                issues: issues_start..len,
            };
        }
        if at(&DETERMINED_2013).is_some() && at(&ISSUES_2014).is_none() {
            let summary = at(&SUMMARY_2013);
            let regarding = REGARDING_2013.find(text);
            let summary_range = summary.map(|s| {
                let end = regarding
                    .map(|r| r.start())
                    .filter(|&e| e > s.end())
                    .unwrap_or(len);
                s.end()..end
            });
            let reviewer = at(&QUALIFICATIONS_2013)
                .map(|q| q.end()..summary.map_or(len, |s| s.start()).max(q.end()));
            return Sections {
                layout: Layout::Maximus2013,
                header: 0..at(&DETERMINED_2013).map_or(0, |m| m.start()),
                reviewer,
                case_summary: summary_range,
                issues: 0..len,
            };
        }
        let (layout, issues_heading) = match (at(&ISSUES_2014), at(&ISSUES_DOCS)) {
            (Some(m), _) => (Layout::Issues2014, Some(m)),
            (None, Some(m)) => (Layout::DocumentsReviewed, Some(m)),
            (None, None) => (Layout::Unknown, None),
        };
        let issues_start =
            issues_heading.map_or(0, |h| match ISSUES_INTRO.find_at(text, h.end()) {
                Some(intro) if intro.start() - h.end() < 400 => intro.end(),
                _ => h.end(),
            });
        let summary_heading = at(&CLINICAL_SUMMARY).or_else(|| at(&MPR_SUMMARY));
        let case_summary = summary_heading.map(|h| {
            let body_start = match SUMMARY_INTRO.find_at(text, h.end()) {
                Some(intro) if intro.start() - h.end() < 400 => intro.end(),
                _ => h.end(),
            };
            let mut end = issues_heading.map_or(len, |m| m.start());
            if let Some(docs) = DOCUMENTS_REVIEWED.find_at(text, body_start)
                && docs.start() < end
            {
                end = docs.start();
            }
            body_start..end.max(body_start)
        });
        let header_end = first_heading(
            text,
            &[
                &HOW_MADE,
                &CLINICAL_SUMMARY,
                &ISSUES_2014,
                &ISSUES_DOCS,
                &DOCUMENTS_REVIEWED,
            ],
        );
        Sections {
            layout,
            header: 0..header_end,
            reviewer: credentials(text, 0),
            case_summary,
            issues: issues_start..len,
        }
    }
}

fn first_heading(text: &str, headings: &[&DualRegex]) -> usize {
    headings
        .iter()
        .filter_map(|re| re.find(text).map(|m| m.start()))
        .min()
        .unwrap_or(0)
}

/// The credentials block: from "The Expert Reviewer has the following credentials:"
/// (or the licensure line) to the next heading, at most a few lines.
fn credentials(text: &str, from: usize) -> Option<Range<usize>> {
    static LICENSURE: LazyLock<DualRegex> = LazyLock::new(|| words(r"State\(s\) of Licensure:"));
    let start = CREDENTIALS
        .find_at(text, from)
        .map(|m| m.end())
        .or_else(|| LICENSURE.find_at(text, from).map(|m| m.start()))?;
    let end = (start + 600).min(text.len());
    let end = (start..=end)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(start);
    Some(start..end)
}
