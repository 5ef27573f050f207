//! What a guideline sentence claims, as `misquote` compares it: the numbers
//! it gives for each kind of quantity ("up to 10 visits", "2 to 3 weeks",
//! "80 mg"), and whether it is negated. Two sentences that paraphrase each
//! other keep these; a misquote changes them.
//!
//! References are not claims: ICD codes ("(ICD9 729.2)"), citations
//! ("(Colorado, 2005)"), pages, tables and section numbers are dropped before
//! reading, and PDF artefacts — a hyphen lost at a line break ("fourweek"),
//! words run together — are undone, so they never read as changed numbers.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;

fn re(pattern: &str) -> DualRegex {
    DualRegex::new(pattern).expect("built-in claims pattern is valid")
}

/// References and codes, removed before reading claims. Every character it
/// names is ASCII: a character outside ASCII named here (a section sign)
/// made every letter holding another one (a degree sign, a curly quote)
/// compile this expression's full Unicode program, 18 ms of a run.
static REFERENCES: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\(\s*ICD[-\s]*(?:9|10)?(?:-CM)?\s*[\w.,\s-]{0,40}\)|\bICD[-\s]*(?:9|10)?(?:-CM)?\s*(?:code\s*)?[A-Z]?\d{2,3}(?:\.\d+)?|\([^()]{0,60}?(?:19|20)\d{2}[a-z]?\s*\)|\b(?:pages?|pg\.?|pp\.?|p\.)\s*\d+(?:\s*[-,]\s*\d+)*|\btables?\s+\d+(?:-\d+)?|\b(?:section|chapter)\s*\d+(?:\.\d+)*|\b\d+(?:\.\d+){2,}\b|\b9792\.\d+(?:\.\d+)*\b|\b(?:19|20)\d{2}\b",
    )
});
/// The words a quantity's number may be written in.
const NUMBER_WORDS: [&str; 16] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "eighteen", "twenty", "thirty",
];

/// A number (digits or words), optionally a range, and the word it counts.
static QUANTITY: LazyLock<DualRegex> = LazyLock::new(|| {
    let number = format!(r"\d+(?:\.\d+)?|{}", NUMBER_WORDS.join("|"));
    re(&format!(
        r"(?i)\b({number})(?:\s*(?:-|–|to|through|or)\s*({number}))?(?:\s*[-\s]\s*|\s+)(?:(?:additional|more|total|separate|consecutive|individual|supervised)\s+)?(visits?|sessions?|treatments?|weeks?|wks?|months?|days?|years?|hours?|minutes?|times|mg|milligrams?|mcg|sets?|levels?|injections?|blocks?|procedures?|tablets?|pills?|doses?|percent|%)\b"
    ))
});
static NEGATION: LazyLock<DualRegex> =
    LazyLock::new(|| re(r"(?i)\b(?:not|no|never|nor|cannot|can't|without|none|neither)\b"));
/// Number words glued to the next word by a lost hyphen: "fourweek", "sixvisit".
static GLUED: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve)(week|weeks|month|months|day|days|visit|visits|session|sessions)\b",
    )
});

/// The claims of one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    /// Numbers stated for each kind of quantity (unit, singular), each range
    /// also listed by its ends.
    pub quantities: BTreeMap<String, BTreeSet<String>>,
    /// How the numbers were written, per unit, for messages.
    pub written: BTreeMap<String, Vec<String>>,
    /// Negation words in the sentence.
    pub negations: usize,
}

fn number(word: &str) -> String {
    match crate::letter::number_word(word) {
        Some(n) if !word.chars().all(|c| c.is_ascii_digit()) => n.to_string(),
        _ => word.trim_end_matches(".0").to_owned(),
    }
}

fn unit(word: &str) -> String {
    let w = word.to_ascii_lowercase();
    let w = match w.as_str() {
        "wk" | "wks" => "week".to_owned(),
        // A session or a treatment of a course is one visit.
        "session" | "sessions" | "treatment" | "treatments" => "visit".to_owned(),
        "milligram" | "milligrams" => "mg".to_owned(),
        "%" => "percent".to_owned(),
        _ => w,
    };
    if w.len() > 3 && w.ends_with('s') && w != "times" {
        w[..w.len() - 1].to_owned()
    } else {
        w
    }
}

/// A hyphen left hanging before "to", "or", "and": "four- to six-week".
static HANGING_HYPHEN: LazyLock<DualRegex> = LazyLock::new(|| re(r"(?i)\b(\w+)-\s+(to|or|and)\s+"));

/// "The first month" or "the first week", which counts one of them.
static FIRST_PERIOD: LazyLock<DualRegex> = LazyLock::new(|| re(r"(?i)\bfirst\s+(month|week)\b"));
/// What makes a quantity a rate: "3 visits per week", "2 times a week",
/// "80 mg a day".
static PER_PERIOD: LazyLock<DualRegex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:per|a|an|each|every|/)\s*(week|wk|day|month)s?\b"));

/// The text with references removed, glued number words split, hanging
/// hyphens closed ("four- to six-week" reads "four to six-week") and "the
/// first month" (or week) read as one.
///
/// The last three need what a text most often lacks ("first", a hyphen, a
/// unit a number word can be glued to): each runs only on a text that has
/// it, in any case (or that holds a character Unicode case folding pairs
/// with an ASCII letter). None of the replacements makes a text have one
/// it did not.
pub fn cleaned(text: &str) -> String {
    let text = REFERENCES.replace_all(text, " ");
    let folds = crate::text::pattern::has_non_ascii_folds(&text);
    let lower = text.to_ascii_lowercase();
    let first = folds || lower.contains("first");
    let hyphen = text.contains('-');
    let glued = folds || GLUED_UNITS.iter().any(|unit| lower.contains(unit));
    let text = if first {
        Cow::Owned(FIRST_PERIOD.replace_all(&text, "first 1 $1").into_owned())
    } else {
        text
    };
    let text = if hyphen {
        Cow::Owned(HANGING_HYPHEN.replace_all(&text, "$1 $2 ").into_owned())
    } else {
        text
    };
    if glued {
        GLUED.replace_all(&text, "$1 $2").into_owned()
    } else {
        text.into_owned()
    }
}

/// The units of [`GLUED`], each the start of its plural.
const GLUED_UNITS: [&str; 5] = ["week", "month", "day", "visit", "session"];

/// Whether a sentence may state a quantity ([`Claims::quantities`]): it
/// holds a digit, a number word, or "first" ("the first month" counts
/// one). A number word may be glued to the next word ("fourweek"), so
/// words are looked for anywhere. A text outside ASCII always may (Unicode
/// digits, and letters that fold to ASCII ones).
pub fn may_count(text: &str) -> bool {
    if !text.is_ascii() || text.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    NUMBER_WORDS
        .iter()
        .chain(&["first"])
        .any(|word| lower.contains(word))
}

/// Reads the claims of a sentence.
pub fn claims(text: &str) -> Claims {
    claims_of_cleaned(&cleaned(text))
}

/// The claims and the content words of a sentence ([`claims`],
/// [`content_words_of_cleaned`]), the sentence cleaned once for both.
pub fn claims_and_words(text: &str) -> (Claims, BTreeSet<String>) {
    let text = cleaned(text);
    (claims_of_cleaned(&text), content_words_of_cleaned(&text))
}

/// How many negation words a [`cleaned`] sentence holds ([`Claims::negations`]).
pub fn negations_of_cleaned(text: &str) -> usize {
    NEGATION.find_iter(text).count()
}

/// The claims of a [`cleaned`] sentence.
fn claims_of_cleaned(text: &str) -> Claims {
    let mut out = Claims {
        negations: NEGATION.find_iter(text).count(),
        ..Claims::default()
    };
    for c in QUANTITY.captures_iter(text) {
        // A rate counts another thing than a total: "3 visits per week" is
        // a frequency, not a number of visits.
        let end = c.get(0).map_or(0, |m| m.end());
        let u = match PER_PERIOD.captures(&text[end..]) {
            Some(per) => format!("{} per {}", unit(&c[3]), unit(&per[1])),
            None => unit(&c[3]),
        };
        let low = number(&c[1]);
        let values = out.quantities.entry(u.clone()).or_default();
        match c.get(2) {
            Some(high) => {
                let high = number(high.as_str());
                values.insert(format!("{low}-{high}"));
                values.insert(low);
                values.insert(high);
            }
            None => {
                values.insert(low);
            }
        }
        out.written
            .entry(u)
            .or_default()
            .push(c[0].split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// A quantity the letter states differently from the guideline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub unit: String,
    pub guideline: Vec<String>,
    pub letter: Vec<String>,
}

/// Quantities of a kind both sentences state, where the letter gives a number
/// the guideline does not. (A letter quoting only part of a range, or only
/// some of the guideline's numbers, changes nothing.)
pub fn changed_quantities(guideline: &Claims, letter: &Claims) -> Vec<Changed> {
    let mut out = Vec::new();
    for (unit, letter_values) in &letter.quantities {
        let Some(guideline_values) = guideline.quantities.get(unit) else {
            continue;
        };
        // A passage giving many numbers of one kind quotes a table (visits
        // per diagnosis), not the one statement of the canonical sentence.
        if letter.written.get(unit).is_some_and(|w| w.len() > 2) {
            continue;
        }
        if letter_values
            .iter()
            .any(|v| !stated(guideline, guideline_values, unit, v))
        {
            out.push(Changed {
                unit: unit.clone(),
                guideline: guideline.written.get(unit).cloned().unwrap_or_default(),
                letter: letter.written.get(unit).cloned().unwrap_or_default(),
            });
        }
    }
    out
}

/// Whether the guideline states `value` of `unit`, as it is, in another
/// unit, or (a range) by its two ends.
fn stated(guideline: &Claims, values: &BTreeSet<String>, unit: &str, value: &str) -> bool {
    let one = |v: &str| values.contains(v) || equivalent(guideline, unit, v);
    one(value)
        || value
            .split_once('-')
            .is_some_and(|(low, high)| one(low) && one(high))
}

/// Whether the guideline states `value` of `unit` in another unit: a month
/// is four weeks ("the first month to six weeks" reads "4 to 6 weeks").
fn equivalent(guideline: &Claims, unit: &str, value: &str) -> bool {
    let Ok(n) = value.parse::<u32>() else {
        return false;
    };
    let states = |unit: &str, n: u32| {
        guideline
            .quantities
            .get(unit)
            .is_some_and(|values| values.contains(&n.to_string()))
    };
    match unit {
        "week" => n % 4 == 0 && states("month", n / 4),
        "month" => n.checked_mul(4).is_some_and(|weeks| states("week", weeks)),
        _ => false,
    }
}

/// Words every guideline sentence uses; they say nothing about which
/// statement a passage paraphrases.
const GENERIC: &[&str] = &[
    "recommended",
    "recommend",
    "recommends",
    "recommendation",
    "not",
    "use",
    "used",
    "using",
    "short",
    "term",
    "long",
    "treatment",
    "treatments",
    "patient",
    "patients",
    "guideline",
    "guidelines",
    "mtus",
    "odg",
    "acoem",
    "states",
    "state",
    "indicated",
    "supported",
    "support",
    "option",
    "generally",
    "only",
    "after",
    "over",
    "more",
    "less",
    "up",
    "least",
    "most",
    "week",
    "weeks",
    "day",
    "days",
    "month",
    "months",
    "year",
    "years",
    "time",
    "period",
    "may",
    "also",
    "should",
    "would",
    "care",
    "therapy",
    "documentation",
    "documented",
];

const STOPWORDS: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "for", "and", "or", "is", "are", "be", "with", "as", "by",
    "on", "at", "that", "this", "it", "its", "if", "may", "can", "should", "than", "which", "who",
    "from", "been", "has", "have", "was", "were", "such", "these", "those", "their", "there",
];

/// The content words of a [`cleaned`] sentence (lower case, numbers and
/// stop words left out), for finding which canonical sentence a passage
/// paraphrases.
pub fn content_words_of_cleaned(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| {
            !STOPWORDS.contains(&w.as_str())
                && !GENERIC.contains(&w.as_str())
                && crate::letter::number_word(w).is_none()
        })
        .map(|w| stem(&unit(&w)))
        .collect()
}

/// An adverb read as its adjective ("postoperatively" as "postoperative"),
/// so that a paraphrase that turns one into the other shares the word. Only
/// adjective endings are cut back to ("butterfly" stays).
fn stem(word: &str) -> String {
    const ADJECTIVE_ENDINGS: [&str; 9] =
        ["ive", "al", "ic", "ous", "ful", "ent", "ant", "ate", "ar"];
    match word.strip_suffix("ly") {
        Some(adjective)
            if word.len() > 8 && ADJECTIVE_ENDINGS.iter().any(|e| adjective.ends_with(e)) =>
        {
            adjective.to_owned()
        }
        _ => word.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`cleaned`] with every expression run on every text.
    fn cleaned_by_every_expression(text: &str) -> String {
        let text = REFERENCES.replace_all(text, " ");
        let text = FIRST_PERIOD.replace_all(&text, "first 1 $1");
        let text = HANGING_HYPHEN.replace_all(&text, "$1 $2 ");
        GLUED.replace_all(&text, "$1 $2").into_owned()
    }

    #[test]
    fn an_expression_skipped_for_a_text_without_its_word_changes_nothing() {
        let mut texts: Vec<String> = [
            "A four- to six-week trial, then the First Month of therapy.",
            "up to sixvisits over the FIRST week (ICD-10 M54.5), pages 12-14",
            "the \u{17f}ixweek course; the fir\u{17f}t month",
            "two- or three- times a week",
            "no number at all",
            "",
        ]
        .map(String::from)
        .to_vec();
        for path in crate::test_letters::paths() {
            if let Ok(text) = std::fs::read_to_string(&path) {
                let flat = crate::text::Flat::new(&text, 0..text.len());
                texts.extend(
                    crate::text::sentences(&flat.text)
                        .into_iter()
                        .map(|s| flat.text[s].to_owned()),
                );
            }
        }
        let changed = texts
            .iter()
            .filter(|t| {
                assert_eq!(cleaned(t), cleaned_by_every_expression(t), "{t}");
                cleaned(t) != t.as_str()
            })
            .count();
        assert!(changed >= 4, "{changed} texts cleaned");
    }

    #[test]
    fn a_sentence_that_may_not_count_states_no_quantity() {
        let counting = [
            "Up to 10 visits over 8 weeks.",
            "A fourweek course.",
            "Relief for the first month.",
            "Six to eight sessions.",
            "Twelve treatments are not supported.",
            "Thirty days\u{a0}of use.",
        ];
        for text in counting {
            assert!(may_count(text), "{text}");
            assert!(!claims(text).quantities.is_empty(), "{text}");
        }
        let silent = [
            "Physical therapy is recommended for chronic pain.",
            "The guidelines do not support the request.",
            "Topical NSAIDs are recommended for osteoarthritis of the knee.",
            "Imaging is not recommended without red flags (Colorado, page).",
        ];
        for text in silent {
            assert!(!may_count(text), "{text}");
            assert!(claims(text).quantities.is_empty(), "{text}");
        }
    }

    #[test]
    fn numbers_are_read_with_what_they_count() {
        let c =
            claims("An initial trial of 6 visits over 2 weeks; up to 18 visits over 6-8 weeks.");
        assert_eq!(
            c.quantities["visit"],
            ["18", "6"].into_iter().map(String::from).collect()
        );
        assert!(c.quantities["week"].contains("6-8"));
        assert!(c.quantities["week"].contains("2"));
        let c = claims("Myalgia and myositis, unspecified (ICD9 729.1): 9-10 visits over 8 weeks");
        assert!(!c.quantities.values().flatten().any(|v| v.contains("729")));
        assert_eq!(
            claims("a fourweek course").quantities["week"],
            ["4".to_owned()].into()
        );
    }

    #[test]
    fn a_changed_number_is_found_and_a_partial_quote_is_not() {
        let guideline = claims("Physical therapy: up to 10 visits over 8 weeks.");
        let changed = changed_quantities(
            &guideline,
            &claims("The guidelines allow up to 22 visits over 8 weeks."),
        );
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].unit, "visit");
        let range = claims("9-10 visits over 8 weeks");
        assert!(changed_quantities(&range, &claims("up to 10 visits")).is_empty());
        assert!(changed_quantities(&guideline, &claims("therapy is recommended")).is_empty());
        let weeks = claims("not recommended for longer than 2 to 3 weeks");
        assert_eq!(
            changed_quantities(&weeks, &claims("not recommended for longer than 8 weeks")).len(),
            1
        );
        // Adverbs share their adjective; other words ending in -ly stay.
        assert!(
            content_words_of_cleaned(&cleaned("applied postoperatively")).contains("postoperative")
        );
        assert!(content_words_of_cleaned(&cleaned("a butterfly rash")).contains("butterfly"));
        // Sessions and treatments count visits; a rate is not a count.
        assert_eq!(
            claims("up to 8 sessions").quantities["visit"],
            ["8".to_owned()].into()
        );
        let rate = claims("from up to 3 visits per week to 1 or less, and 2 times a week");
        assert!(!rate.quantities.contains_key("visit"));
        assert_eq!(rate.quantities["visit per week"], ["3".to_owned()].into());
        assert_eq!(rate.quantities["times per week"], ["2".to_owned()].into());
        assert!(claims("9–12 visits").quantities["visit"].contains("9-12"));
        // A month is four weeks, without overflow.
        let guideline = claims("for 4 weeks or 1 month");
        assert_eq!(
            changed_quantities(&guideline, &claims("for 1073741824 months")).len(),
            1
        );
        assert_eq!(
            changed_quantities(&claims("for 2 months"), &claims("for 8 weeks")),
            Vec::new()
        );
        let first = claims("not recommended during the first month to six weeks");
        assert!(
            changed_quantities(&first, &claims("during the first four to six weeks")).is_empty()
        );
        assert_eq!(
            changed_quantities(&first, &claims("during the first five to six weeks")).len(),
            1
        );
    }
}
