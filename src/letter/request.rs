//! The request of an item: partial authorisations split into the original
//! request, the authorised part and the portion under review (the decision
//! applies to that portion), retrospective requests and stated quantities.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::Captures;
use crate::text::dual_regex::DualRegex;

use super::{Continuity, Field, Quantity, Request};
use crate::source::Source;

static REMAINING: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)^(?:(?P<orig>.+?)\s+was\s+the\s+original\s+request\.\s*(?P<auth>.+?)\s+(?:was|were)\s+authorized\s+by\s+the\s+Claims\s+Administrator\.\s*)?The\s+remaining\s+IMR\s+eligible\s+portion\s+of\s+the\s+original\s+request,?\s*(?P<rev>.+?)(?:,?\s+(?:is|are))?$").unwrap()
});
static LEAVING: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)^(?P<orig>.+?)\s+was\s+the\s+original\s+request\.\s*The\s+Claims\s+Administrator\s+authorized\s+(?P<auth>.+?),?\s+leaving\s+the\s+original\s+request\s+IMR\s+eligible\.\s*The\s+original\s+request,?\s*(?P<rev>.+?)(?:,?\s+(?:is|are))?$").unwrap()
});
static RETROSPECTIVE: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\bretro(?:spective)?\b|\bDOS\b|date of service").unwrap()
});

const NUMBER: &str = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|eighteen|twenty|twenty-four|thirty";

static COUNT: LazyLock<DualRegex> = LazyLock::new(|| DualRegex::new(r"#\s*(\d+)").unwrap());
static VISITS: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(&format!(
        r"(?i)\b({NUMBER})(?:\s*\((\d+)\))?\s+(?:(?:additional|more|[a-z/&-]+)\s+){{0,3}}?(?:sessions?|visits?|treatments?)\b"
    ))
    .unwrap()
});
static PAREN_COUNT: LazyLock<DualRegex> = LazyLock::new(|| DualRegex::new(r"\((\d+)\)").unwrap());
static FREQUENCY: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(&format!(
        r"(?i)\b({NUMBER})\s*(?:times|x)\s*(?:a|per|/)?\s*(?:week|wk)\s*(?:for|times|x)\s*({NUMBER})\s*(?:weeks?|wks?)\b|\b(\d+)\s*x\s*(\d+)\b"
    ))
    .unwrap()
});
/// A count in parentheses right after the unit: "visits (8)".
static VISITS_PAREN_AFTER: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(?:sessions?|visits?|treatments?)\s*\((\d+)\)").unwrap()
});
/// A product without a time unit: "two times four visits", "2 x 6 sessions".
static VISITS_PRODUCT: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(&format!(
        r"(?i)\b({NUMBER})\s*(?:times|x)\s*({NUMBER})\s+(?:[a-z/&-]+\s+){{0,2}}?(?:sessions?|visits?|treatments?)\b"
    ))
    .unwrap()
});
static REFILLS: LazyLock<DualRegex> =
    LazyLock::new(|| DualRegex::new(&format!(r"(?i)\b({NUMBER})\s+refills?\b")).unwrap());
static CONTINUING: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(?:continue[ds]?|continuing|continuation|additional|ongoing|further|more|refills?|renewal|renew(?:ed)?|repeat(?:ed)?|remaining|extension|extended|maintenance)\b").unwrap()
});
static STARTING: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(?:initial|trial|new|start(?:ing)?|begin|first)\b").unwrap()
});
/// Units per dose: "1-2 tabs", "one tablet", "2 capsules".
static PER_DOSE: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(&format!(
        r"(?i)\b(?:({NUMBER})\s*(?:-|to)\s*)?({NUMBER})\s*(?:tabs?|tablets?|caps?|capsules?|pills?|patch(?:es)?|puffs?|sprays?|drops?)\b"
    ))
    .unwrap()
});
/// Doses per day: "every 4-6 hours", "q6h", "BID", "three times a day", "nightly".
static DOSES_PER_DAY: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(&format!(
        r"(?i)\b(?:every|q)\s*(?:(\d+)\s*(?:-|to)\s*)?(\d+)\s*(?:h|hrs?|hours?)\b|\b(bid|b\.i\.d\.?|twice\s+(?:a|per)\s+day|twice\s+daily)\b|\b(tid|t\.i\.d\.?)\b|\b(qid|q\.i\.d\.?)\b|\b({NUMBER})\s*(?:times|x)\s*(?:a|per|/)\s*day\b|\b({NUMBER})\s*(?:times|x)\s+daily\b|\b(daily|once\s+(?:a|per)\s+day|qd|q\.d\.|qhs|at\s+bedtime|nightly|every\s+night|once\s+daily)\b"
    ))
    .unwrap()
});
static STRENGTH: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(\d+(?:\.\d+)?)(?:\s*[-/]\s*\d+(?:\.\d+)?)*\s*mg\b").unwrap()
});

/// Reads the request standing at `range` of the source.
pub fn parse_request(source: &Source, range: Range<usize>) -> Request {
    let flat = source.flat_uncached(range.clone());
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
    let authorized_quantity = authorized.as_ref().map(|a| self::quantity(&a.value));
    let continuity = continuity(&under_review.value);
    Request {
        raw,
        original,
        authorized,
        under_review,
        retrospective,
        quantity,
        authorized_quantity,
        continuity,
    }
}

impl Request {
    /// The name of what is requested, when the request opens with one: the
    /// first word of the part under review ("Norco" in "Norco 10/325mg #60").
    pub fn product(&self) -> String {
        self.under_review
            .value
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .find(|w| !w.is_empty())
            .filter(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'))
            .unwrap_or("")
            .to_owned()
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
            number_word(&c[1])?.checked_mul(number_word(&c[2])?)
        })
        .or_else(|| {
            let c = VISITS.captures(text)?;
            c.get(2)
                .and_then(|m| m.as_str().parse().ok())
                .or_else(|| number_word(&c[1]))
        });
    if q.visits.is_none() {
        if let (Some(p), Some(w)) = (q.per_week, q.weeks) {
            q.visits = p.checked_mul(w);
        } else if text.to_ascii_lowercase().contains("visit")
            || text.to_ascii_lowercase().contains("session")
        {
            q.visits = PAREN_COUNT.captures(text).and_then(|c| c[1].parse().ok());
        }
    }
    q.refills = REFILLS.captures(text).and_then(|c| number_word(&c[1]));
    q.per_day = per_day(text);
    q.days_supply = match (q.count, q.per_day) {
        (Some(count), Some(per_day)) if per_day > 0 => Some(count / per_day),
        _ => None,
    };
    q.strength_mg = STRENGTH.captures(text).map(|c| c[1].to_owned());
    q
}

/// The most units a day the directions allow: units per dose (the upper
/// bound of "1-2") times doses a day (24 / the shorter interval of "every 4-6
/// hours"). `None` when the directions give no frequency.
fn per_day(text: &str) -> Option<u32> {
    let c = DOSES_PER_DAY.captures(text)?;
    let doses = if let Some(hours) = c.get(1).or(c.get(2)) {
        let hours: u32 = hours.as_str().parse().ok()?;
        (hours > 0).then(|| 24 / hours)?
    } else if c.get(3).is_some() {
        2
    } else if c.get(4).is_some() {
        3
    } else if c.get(5).is_some() {
        4
    } else if let Some(n) = c.get(6).or(c.get(7)) {
        number_word(n.as_str())?
    } else {
        1
    };
    let units = PER_DOSE
        .captures(text)
        .and_then(|d| number_word(d.get(2)?.as_str()))
        .unwrap_or(1);
    doses.checked_mul(units)
}

/// Whether the request's words continue care or start it.
fn continuity(text: &str) -> Continuity {
    if CONTINUING.is_match(text) {
        Continuity::Continuing
    } else if STARTING.is_match(text) {
        Continuity::Starting
    } else {
        Continuity::Unstated
    }
}

#[cfg(test)]
mod tests {

    /// Numbers too large to multiply leave the product unknown (found by
    /// fuzzing: the product overflowed).
    #[test]
    fn a_product_too_large_is_no_quantity() {
        let q = quantity("Physical therapy 70000 times a week for 70000 weeks");
        assert_eq!((q.per_week, q.weeks), (Some(70000), Some(70000)));
        assert_eq!(q.visits, None);
        let q = quantity("Physical therapy 3 times a week for 4 weeks");
        assert_eq!(q.visits, Some(12));
    }

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
        assert_eq!(request.authorized_quantity.unwrap().visits, Some(6));
        assert_eq!(request.continuity, Continuity::Unstated);
    }

    #[test]
    fn days_supply_from_count_and_directions() {
        let q =
            quantity("Post-op Norco 5/325mg #60, 1-2 tabs orally every 4-6 hrs as needed for pain");
        assert_eq!((q.per_day, q.days_supply), (Some(12), Some(5)));
        let q = quantity("Naproxen 550mg #60, one tablet twice a day");
        assert_eq!((q.per_day, q.days_supply), (Some(2), Some(30)));
        let q = quantity("Ambien 10mg #30 at bedtime");
        assert_eq!((q.per_day, q.days_supply), (Some(1), Some(30)));
        let q = quantity("Tramadol 50mg #90 TID");
        assert_eq!(q.days_supply, Some(30));
        assert_eq!(quantity("Cyclobenzaprine 7.5mg #27").days_supply, None);
    }

    #[test]
    fn continuity_from_the_request_words() {
        assert_eq!(
            continuity("Continue physical therapy 3 times a week"),
            Continuity::Continuing
        );
        assert_eq!(
            continuity("Additional chiropractic care, 6 visits"),
            Continuity::Continuing
        );
        assert_eq!(
            continuity("Norco 10/325 #60 with 2 refills"),
            Continuity::Continuing
        );
        assert_eq!(
            continuity("Initial trial of acupuncture, 6 sessions"),
            Continuity::Starting
        );
        assert_eq!(continuity("MRI of the lumbar spine"), Continuity::Unstated);
    }
}
