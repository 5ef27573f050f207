//! The request of an item: partial authorisations split into the original
//! request, the authorised part and the portion under review (the decision
//! applies to that portion), retrospective requests and stated quantities.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{Field, Quantity, Request};
use crate::source::Source;
use crate::text::Flat;

static REMAINING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?P<orig>.+?)\s+was\s+the\s+original\s+request\.\s*(?P<auth>.+?)\s+(?:was|were)\s+authorized\s+by\s+the\s+Claims\s+Administrator\.\s*)?The\s+remaining\s+IMR\s+eligible\s+portion\s+of\s+the\s+original\s+request,?\s*(?P<rev>.+?)(?:,?\s+(?:is|are))?$").unwrap()
});
static LEAVING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<orig>.+?)\s+was\s+the\s+original\s+request\.\s*The\s+Claims\s+Administrator\s+authorized\s+(?P<auth>.+?),?\s+leaving\s+the\s+original\s+request\s+IMR\s+eligible\.\s*The\s+original\s+request,?\s*(?P<rev>.+?)(?:,?\s+(?:is|are))?$").unwrap()
});
static RETROSPECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bretro(?:spective)?\b|\bDOS\b|date of service").unwrap());

const NUMBER: &str = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|eighteen|twenty|twenty-four|thirty";

static COUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"#\s*(\d+)").unwrap());
static VISITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({NUMBER})(?:\s*\((\d+)\))?\s+(?:(?:additional|more|[a-z/&-]+)\s+){{0,3}}?(?:sessions?|visits?|treatments?)\b"
    ))
    .unwrap()
});
static PAREN_COUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\((\d+)\)").unwrap());
static FREQUENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({NUMBER})\s*(?:times|x)\s*(?:a|per|/)?\s*(?:week|wk)\s*(?:for|times|x)\s*({NUMBER})\s*(?:weeks?|wks?)\b|\b(\d+)\s*x\s*(\d+)\b"
    ))
    .unwrap()
});
/// A count in parentheses right after the unit: "visits (8)".
static VISITS_PAREN_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:sessions?|visits?|treatments?)\s*\((\d+)\)").unwrap());
/// A product without a time unit: "two times four visits", "2 x 6 sessions".
static VISITS_PRODUCT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({NUMBER})\s*(?:times|x)\s*({NUMBER})\s+(?:[a-z/&-]+\s+){{0,2}}?(?:sessions?|visits?|treatments?)\b"
    ))
    .unwrap()
});
static REFILLS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b({NUMBER})\s+refills?\b")).unwrap());
static STRENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d+(?:\.\d+)?)(?:\s*[-/]\s*\d+(?:\.\d+)?)*\s*mg\b").unwrap()
});

/// Reads the request standing at `range` of the source.
pub fn parse_request(source: &Source, range: Range<usize>) -> Request {
    let flat = Flat::new(source.text(), range.clone());
    let field = |r: Range<usize>| {
        let s = flat.source_range(r.clone());
        Field::new(flat.text[r].to_owned(), source.span(s.start, s.end))
    };
    let raw = field(0..flat.text.len());
    let partial = LEAVING
        .captures(&flat.text)
        .or_else(|| REMAINING.captures(&flat.text));
    let group = |c: &Captures, name: &str| c.name(name).map(|m| field(m.range()));
    let (original, authorized, under_review) = match &partial {
        Some(c) => (
            group(c, "orig"),
            group(c, "auth"),
            group(c, "rev").unwrap_or_else(|| raw.clone()),
        ),
        None => (None, None, raw.clone()),
    };
    let retrospective = RETROSPECTIVE.is_match(&flat.text);
    let quantity = quantity(&under_review.value);
    Request {
        raw,
        original,
        authorized,
        under_review,
        retrospective,
        quantity,
    }
}

/// A number written in digits or words ("8", "eight").
pub fn number_word(word: &str) -> Option<u32> {
    if let Ok(n) = word.parse() {
        return Some(n);
    }
    let n = match word.to_ascii_lowercase().as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "sixteen" => 16,
        "eighteen" => 18,
        "twenty" => 20,
        "twenty-four" => 24,
        "thirty" => 30,
        _ => return None,
    };
    Some(n)
}

/// Quantities stated in a request ("#60", "8 sessions", "2 times a week for 6 weeks").
pub fn quantity(text: &str) -> Quantity {
    let mut q = Quantity {
        count: COUNT.captures(text).and_then(|c| c[1].parse().ok()),
        ..Quantity::default()
    };
    if let Some(c) = FREQUENCY.captures(text) {
        let (a, b) = match (c.get(1), c.get(2)) {
            (Some(a), Some(b)) => (a.as_str(), b.as_str()),
            _ => (
                c.get(3).map_or("", |m| m.as_str()),
                c.get(4).map_or("", |m| m.as_str()),
            ),
        };
        q.per_week = number_word(a);
        q.weeks = number_word(b);
    }
    q.visits = VISITS_PAREN_AFTER
        .captures(text)
        .and_then(|c| c[1].parse().ok())
        .or_else(|| {
            let c = VISITS_PRODUCT.captures(text)?;
            Some(number_word(&c[1])? * number_word(&c[2])?)
        })
        .or_else(|| {
            let c = VISITS.captures(text)?;
            c.get(2)
                .and_then(|m| m.as_str().parse().ok())
                .or_else(|| number_word(&c[1]))
        });
    if q.visits.is_none() {
        if let (Some(p), Some(w)) = (q.per_week, q.weeks) {
            q.visits = Some(p * w);
        } else if text.to_ascii_lowercase().contains("visit")
            || text.to_ascii_lowercase().contains("session")
        {
            q.visits = PAREN_COUNT.captures(text).and_then(|c| c[1].parse().ok());
        }
    }
    q.refills = REFILLS.captures(text).and_then(|c| number_word(&c[1]));
    q.strength_mg = STRENGTH.captures(text).map(|c| c[1].to_owned());
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_from_common_phrasings() {
        let q = quantity(
            "Physical therapy 2 times a week for 6 weeks (12 sessions) to the right elbow",
        );
        assert_eq!(
            (q.per_week, q.weeks, q.visits),
            (Some(2), Some(6), Some(12))
        );
        let q = quantity("Acupuncture two times a week times three weeks");
        assert_eq!(q.visits, Some(6));
        let q = quantity("Eight (8) physical therapy sessions");
        assert_eq!(q.visits, Some(8));
        let q = quantity("Chiropractic two times four visits (8) for the lumbar spine");
        assert_eq!(q.visits, Some(8));
        let q = quantity("Chiropractic treatment 2 x 6 sessions");
        assert_eq!(q.visits, Some(12));
        let q = quantity("Additional physical therapy sessions (6) for the knee");
        assert_eq!(q.visits, Some(6));
        let q = quantity("Norco 7.5-325mg #112 with 2 refills");
        assert_eq!(
            (q.count, q.refills, q.strength_mg.as_deref()),
            (Some(112), Some(2), Some("7.5"))
        );
    }

    #[test]
    fn partial_authorisation_is_split() {
        let text = "Physical therapy 12 sessions was the original request. Physical therapy 6 sessions was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, Physical therapy 6 sessions is";
        let source = Source::from_text("t", text);
        let request = parse_request(&source, 0..text.len());
        assert_eq!(
            request.original.unwrap().value,
            "Physical therapy 12 sessions"
        );
        assert_eq!(
            request.authorized.unwrap().value,
            "Physical therapy 6 sessions"
        );
        assert_eq!(request.under_review.value, "Physical therapy 6 sessions");
        assert_eq!(request.quantity.visits, Some(6));
    }
}
