//! The date a mention speaks of: the latest date written in its sentence,
//! else the date of the sentence before it ("On October 28, 2016, the
//! applicant reported … The medication list included …"). Case summaries
//! tell the record visit by visit; a dated mention lets a later report
//! outweigh an earlier one.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;
use jiff::civil::Date;

static NUMERIC: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b").expect("built-in date pattern")
});
static WRITTEN: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b")
        .expect("built-in date pattern")
});

fn month_number(name: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == lower)
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// The latest valid date written in `text`.
pub fn latest_date(text: &str) -> Option<Date> {
    let numeric = NUMERIC.captures_iter(text).filter_map(|c| {
        let month: i8 = c[1].parse().ok()?;
        let day: i8 = c[2].parse().ok()?;
        let mut year: i16 = c[3].parse().ok()?;
        if c[3].len() == 2 {
            year += 2000;
        }
        Date::new(year, month, day).ok()
    });
    let written = WRITTEN.captures_iter(text).filter_map(|c| {
        Date::new(c[3].parse().ok()?, month_number(&c[1])?, c[2].parse().ok()?).ok()
    });
    numeric.chain(written).max()
}

/// The date each sentence speaks of, inherited from the sentence before when
/// it names none.
pub fn sentence_dates(text: &str, sentences: &[Range<usize>]) -> Vec<Option<Date>> {
    let mut current = None;
    sentences
        .iter()
        .map(|s| {
            if let Some(date) = latest_date(&text[s.clone()]) {
                current = Some(date);
            }
            current
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_and_inherited() {
        let text = "On October 28, 2016, he reported pain. He was on Norco. A note dated 11/08/2016 noted numbness.";
        let sentences = crate::text::sentences(text);
        let dates = sentence_dates(text, &sentences);
        assert_eq!(dates[0], Some(jiff::civil::date(2016, 10, 28)));
        assert_eq!(dates[1], Some(jiff::civil::date(2016, 10, 28)));
        assert_eq!(dates[2], Some(jiff::civil::date(2016, 11, 8)));
        assert_eq!(latest_date("no date here"), None);
    }
}
