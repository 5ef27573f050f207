//! The patient's age, sex and birth year, and the case summary's
//! utilization-review sentence.
//!
//! The first age in a letter is not always the patient's ("over 50 years of
//! age" in a rationale, "a 10 year history"): an age counts only when "N year
//! old" describes a person ("a now 58-year-old female", "the 45 year old
//! injured worker"), and the case summary is searched before the rest.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;

use super::layout::Sections;
use super::{Field, Patient, Sex};
use crate::source::Source;
use crate::text::sentences;

// The three search whole letters for a few words: they keep the regex's
// literal prefilter (`DualRegex::with_prefilter`).
static AGE: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::with_prefilter(
        r"(?i)\b(\d{1,3})[- ]years?[- ]old\b(?:\s+(?:injured\s+)?(?:[a-z]+\s+){0,2}?(male|female|man|woman|gentleman|lady|worker|patient|claimant|individual|employee|person|\w+))?",
    )
    .unwrap()
});
static SEX: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::with_prefilter(r"(?i)\b(male|female|man|woman|gentleman|lady)\b").unwrap()
});
static BIRTH: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::with_prefilter(r"(?i)\b(?:date of birth|DOB|born)(?:\s+(?:on|in|of))?[:\s]+(?:\d{1,2}[/-]\d{1,2}[/-])?((?:19|20)\d{2})\b").unwrap()
});

pub fn read(source: &Source, sections: &Sections) -> Patient {
    let text = source.text();
    let mut regions: Vec<Range<usize>> = Vec::new();
    if let Some(summary) = &sections.case_summary {
        regions.push(summary.clone());
    }
    regions.push(0..text.len());
    let mut patient = Patient::default();
    for region in regions {
        let flat = source.flat(region);
        let span_of = |r: Range<usize>| {
            let s = flat.source_range(r);
            source.span(s.start, s.end)
        };
        if patient.age.is_none() {
            for c in AGE.captures_iter(&flat.text) {
                let person = c.get(2).map(|m| m.as_str().to_ascii_lowercase());
                let describes_person = person.as_deref().is_some_and(|p| {
                    matches!(
                        p,
                        "male"
                            | "female"
                            | "man"
                            | "woman"
                            | "gentleman"
                            | "lady"
                            | "worker"
                            | "patient"
                            | "claimant"
                            | "individual"
                            | "employee"
                            | "person"
                    )
                });
                if !describes_person {
                    continue;
                }
                let Ok(age) = c[1].parse::<u32>() else {
                    continue;
                };
                if !(10..=110).contains(&age) {
                    continue;
                }
                let m = c.get(1).unwrap();
                patient.age = Some(Field::new(age, span_of(m.start()..m.end())));
                if let Some(sex) = c.get(2).and_then(|m| sex_of(m.as_str()).map(|s| (s, m))) {
                    patient.sex = Some(Field::new(sex.0, span_of(sex.1.start()..sex.1.end())));
                }
                break;
            }
        }
        if patient.sex.is_none()
            && let Some(m) = SEX.find(&flat.text)
            && let Some(sex) = sex_of(m.as_str())
        {
            patient.sex = Some(Field::new(sex, span_of(m.start()..m.end())));
        }
        if patient.birth_year.is_none()
            && let Some(c) = BIRTH.captures(&flat.text)
            && let Ok(year) = c[1].parse::<i16>()
        {
            let m = c.get(1).unwrap();
            patient.birth_year = Some(Field::new(year, span_of(m.start()..m.end())));
        }
    }
    patient
}

fn sex_of(word: &str) -> Option<Sex> {
    match word.to_ascii_lowercase().as_str() {
        "male" | "man" | "gentleman" => Some(Sex::Male),
        "female" | "woman" | "lady" => Some(Sex::Female),
        _ => None,
    }
}

/// The last sentence of the summary that reports the utilization review's decision.
pub fn utilization_review_sentence(source: &Source, range: Range<usize>) -> Option<Field<String>> {
    static UR: LazyLock<DualRegex> =
        LazyLock::new(|| DualRegex::new(r"(?i)\b(utilization review|UR)\b").unwrap());
    static OUTCOME: LazyLock<DualRegex> = LazyLock::new(|| {
        DualRegex::new(r"(?i)non-?certif|denied|denial|modified|not medically necessary|not certified|determined")
            .unwrap()
    });
    let flat = source.flat(range);
    sentences(&flat.text)
        .into_iter()
        .rfind(|r| {
            let s = &flat.text[r.clone()];
            UR.is_match(s) && OUTCOME.is_match(s)
        })
        .map(|r| {
            let s = flat.source_range(r.clone());
            Field::new(flat.text[r].to_owned(), source.span(s.start, s.end))
        })
}
