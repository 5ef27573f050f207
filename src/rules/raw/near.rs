//! A fact's `near` entries: the words of a concept and the words that must
//! stand near them, in either order, with a bounded gap — "conservative
//! measures have failed" as well as "failed conservative measures" — written
//! as two word lists instead of a regular expression for each wording.
//!
//! Each entry becomes one or two ordinary patterns of the fact, so it is
//! checked, prefiltered, compiled and classified in context like any
//! pattern. `build.rs` reads this file too, to prepare those patterns with
//! the embedded pack's own.

use schemars::JsonSchema;
use serde::Deserialize;
#[cfg(not(loader))]
use serde::Serialize;

/// The widest gap an entry may ask for: further apart, two words are seldom
/// about each other.
pub const MAX_WITHIN: u8 = 8;

/// The gap `within` takes when an entry does not say.
const DEFAULT_WITHIN: u8 = 3;

fn default_within() -> u8 {
    DEFAULT_WITHIN
}

/// Which list's words come first in the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum NearOrder {
    /// Either order: "failed physical therapy", "physical therapy failed".
    #[default]
    Any,
    /// `terms` before `with` only.
    TermsFirst,
    /// `with` before `terms` only.
    WithFirst,
}

/// The words of a concept (`terms`) and words that must stand near one of
/// them (`with`), at most `within` words apart, inside one sentence.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawNear {
    /// Phrases naming the concept ("conservative care", "physical
    /// therapy"); case-insensitive, whole words, any spacing.
    pub terms: Vec<String>,
    /// Phrases that must stand near one of `terms` ("failed", "did not
    /// help").
    pub with: Vec<String>,
    /// The most words between the two phrases (0 to 8; default 3). Words
    /// may carry commas, hyphens, slashes and parentheses, so a list
    /// ("physical therapy, chiropractic and acupuncture failed") counts its
    /// items; a period, colon or semicolon ends the gap.
    #[serde(default = "default_within")]
    pub within: u8,
    /// `any` (default), `terms-first` or `with-first`.
    #[serde(default)]
    pub order: NearOrder,
}

impl RawNear {
    /// What is wrong with the entry, for the loader to report at its place.
    pub fn problem(&self) -> Option<(String, &'static str)> {
        let blank = |list: &[String]| list.is_empty() || list.iter().any(|p| p.trim().is_empty());
        if blank(&self.terms) || blank(&self.with) {
            return Some((
                "a `near` entry needs non-empty phrases in both `terms` and `with`".to_owned(),
                "list the concept's words under `terms` and the words that must stand near them under `with`",
            ));
        }
        if self.within > MAX_WITHIN {
            return Some((
                format!("`within: {}` is wider than {MAX_WITHIN} words", self.within),
                "a wider gap reaches across clauses about other things; split the entry or write a pattern",
            ));
        }
        None
    }

    /// The entry as patterns (Rust regex syntax, matched case-insensitively
    /// as every fact pattern is): one for each order it allows.
    pub fn patterns(&self) -> Vec<String> {
        let terms = alternatives(&self.terms);
        let with = alternatives(&self.with);
        // Words of the gap: letters, digits and the punctuation of a list
        // or an aside, never a sentence's or a clause's end.
        let gap = format!(r"[,)]?\s+(?:[a-z0-9'/(),-]+\s+){{0,{}}}?", self.within);
        let pair = |first: &str, second: &str| format!("(?:{first}){gap}(?:{second})");
        match self.order {
            NearOrder::Any => vec![pair(&terms, &with), pair(&with, &terms)],
            NearOrder::TermsFirst => vec![pair(&terms, &with)],
            NearOrder::WithFirst => vec![pair(&with, &terms)],
        }
    }
}

/// Phrases as alternatives: each word escaped, words joined by any spacing,
/// a word boundary at an end that is a letter or digit, longer phrases
/// first so that "physical therapy sessions" is preferred to "physical
/// therapy".
fn alternatives(phrases: &[String]) -> String {
    let mut phrases: Vec<&str> = phrases.iter().map(|p| p.trim()).collect();
    phrases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    phrases.dedup();
    phrases
        .iter()
        .map(|phrase| {
            let words: Vec<String> = phrase
                .split_whitespace()
                .map(regex_syntax::escape)
                .collect();
            let word_char = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            format!(
                "{}{}{}",
                if word_char(phrase.chars().next()) {
                    r"\b"
                } else {
                    ""
                },
                words.join(r"\s+"),
                if word_char(phrase.chars().last()) {
                    r"\b"
                } else {
                    ""
                },
            )
        })
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(terms: &[&str], with: &[&str], order: NearOrder) -> RawNear {
        RawNear {
            terms: terms.iter().map(|t| (*t).to_owned()).collect(),
            with: with.iter().map(|t| (*t).to_owned()).collect(),
            within: 2,
            order,
        }
    }

    #[test]
    fn phrases_are_escaped_whole_words_longest_first_in_the_orders_asked() {
        let entry = near(&["PT", "C5-6  (disc)"], &["failed"], NearOrder::Any);
        let gap = r"[,)]?\s+(?:[a-z0-9'/(),-]+\s+){0,2}?";
        assert_eq!(
            entry.patterns(),
            [
                format!(r"(?:\bC5\-6\s+\(disc\)|\bPT\b){gap}(?:\bfailed\b)"),
                format!(r"(?:\bfailed\b){gap}(?:\bC5\-6\s+\(disc\)|\bPT\b)"),
            ]
        );
        let entry = near(&["PT"], &["failed"], NearOrder::WithFirst);
        assert_eq!(
            entry.patterns(),
            [format!(r"(?:\bfailed\b){gap}(?:\bPT\b)")]
        );
        assert!(entry.problem().is_none());
        assert!(near(&["PT"], &[" "], NearOrder::Any).problem().is_some());
    }
}
