//! A pattern of the rule pack, checked when the pack loads and compiled on
//! first use. Compiling the pack's ~1,800 patterns at every start was most of
//! a run's start-up; a letter needs only those its words can match (see
//! `facts::prefilter`).
//!
//! Patterns match case-insensitively with Unicode case folding, which pairs
//! `k` with the KELVIN SIGN and `s` with LONG S: [`has_non_ascii_folds`]
//! tells the prefilter, whose literals are ASCII, when a text holds either.

use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};

/// The non-ASCII characters Unicode simple case folding maps to ASCII letters.
pub const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// Whether `text` holds a character that folds to an ASCII letter.
pub fn has_non_ascii_folds(text: &str) -> bool {
    text.contains('\u{17F}') || text.contains('\u{212A}')
}

/// The largest compiled program a pattern may have.
const SIZE_LIMIT: usize = 1 << 24;

/// A case-insensitive pattern, compiled on first use; clones share the
/// compiled program.
#[derive(Clone)]
pub struct Pattern(Arc<Inner>);

struct Inner {
    source: String,
    lazy: bool,
    /// The literals a match must contain, found when the pattern is checked
    /// (the one parse a pattern gets before it is compiled).
    literals: Option<Vec<Vec<u8>>>,
    regex: OnceLock<Regex>,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.0.source).finish()
    }
}

/// A regex that matches nothing, for a pattern that parses but whose program
/// exceeds the size limit: such a pattern never matches.
fn never() -> Regex {
    Regex::new(r"[^\s\S]").expect("an empty class compiles")
}

impl Pattern {
    /// Checks `source` (case-insensitive; `lazy` swaps greediness) without
    /// compiling it. The error is the one compiling it would give.
    pub fn new(source: &str, lazy: bool) -> Result<Pattern, regex::Error> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .swap_greed(lazy)
            .build()
            .parse(source)
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        Ok(Pattern(Arc::new(Inner {
            source: source.to_owned(),
            lazy,
            literals: crate::facts::prefilter::required_literals_of(&hir),
            regex: OnceLock::new(),
        })))
    }

    /// The literals every match contains (case-insensitive), when the
    /// pattern has useful ones: what the prefilter looks for.
    pub fn required_literals(&self) -> Option<&[Vec<u8>]> {
        self.0.literals.as_deref()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Compiles the pattern now: the error a too-large pattern gives.
    pub fn compile(&self) -> Result<Regex, regex::Error> {
        RegexBuilder::new(&self.0.source)
            .case_insensitive(true)
            .swap_greed(self.0.lazy)
            .size_limit(SIZE_LIMIT)
            .build()
    }

    /// The compiled pattern.
    pub fn regex(&self) -> &Regex {
        self.0
            .regex
            .get_or_init(|| self.compile().unwrap_or_else(|_| never()))
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.regex().is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<regex::Match<'h>> {
        self.regex().find(haystack)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checked_pattern_keeps_the_literals_its_matches_need() {
        for (source, lazy) in [
            (r"\b(?:left|right)\s+knee\b", false),
            (r"\bsensation\s+(?:was\s+|is\s+)?intact\b", true),
            (r"\d+", false),
        ] {
            let pattern = Pattern::new(source, lazy).unwrap();
            assert_eq!(
                pattern.required_literals().map(<[Vec<u8>]>::to_vec),
                crate::facts::prefilter::required_literals(source),
                "{source}"
            );
        }
        let knee = Pattern::new(r"\b(?:left|right)\s+knee\b", false).unwrap();
        assert_eq!(knee.required_literals(), Some(&[b"knee".to_vec()][..]));
    }

    #[test]
    fn patterns_fold_case_including_the_kelvin_sign() {
        let p = Pattern::new(r"(?-u:\b)(?P<n>\d+)\s+sessions?\s+of\s+PT", false).unwrap();
        let caps = p.regex().captures("She had 12 Sessions of pt.").unwrap();
        assert_eq!(&caps["n"], "12");
        let knee = Pattern::new(r"\bknees?\b", false).unwrap();
        assert!(knee.is_match("\u{212A}nee pain"));
        assert!(has_non_ascii_folds("\u{212A}nee pain"));
        assert!(!has_non_ascii_folds("\u{201c}knee\u{201d}"));
    }

    #[test]
    fn lazy_patterns_stay_lazy_and_errors_are_those_of_the_compiler() {
        let p = Pattern::new(r"\bODG\b.*\bknee\b", true).unwrap();
        assert_eq!(p.find("ODG Knee, Low Back, Knee").unwrap().end(), 8);
        let err = Pattern::new("(unclosed", false).unwrap_err().to_string();
        let unclosed = String::from("(unclosed");
        let compiled = Regex::new(&unclosed).unwrap_err().to_string();
        assert_eq!(err.lines().last(), compiled.lines().last());
    }
}
