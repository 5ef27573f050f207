//! A pattern of the rule pack, checked when the pack loads and compiled on
//! first use. Compiling the pack's ~1,800 patterns at every start was most of
//! a run's start-up; a letter needs only those its words can match (see
//! `facts::prefilter`).
//!
//! Patterns match case-insensitively with Unicode case folding, which pairs
//! `k` with the KELVIN SIGN and `s` with LONG S: [`has_non_ascii_folds`]
//! tells the prefilter, whose literals are ASCII, when a text holds either.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;

pub use super::literals::FOLDS_TO_ASCII;

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
    /// The sets of literals a match must contain (one of each set), found
    /// when the pattern is checked (the one parse a pattern gets before it
    /// is compiled); empty when it has no useful literal.
    conjuncts: Vec<Vec<Vec<u8>>>,
    regex: OnceLock<Compiled>,
}

/// A compiled pattern, and the index of its value group `n` if it has one.
struct Compiled {
    regex: Regex,
    value_group: Option<usize>,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.0.source).finish()
    }
}

/// A match of a pattern, and the text of its value group `n` if it took part.
pub struct Found<'h> {
    pub range: Range<usize>,
    pub value: Option<&'h str>,
}

impl Pattern {
    /// Checks `source` (case-insensitive; `lazy` swaps greediness) without
    /// compiling it. The error is the one compiling it would give. A pattern
    /// of the embedded pack was checked when the binary was built
    /// ([`super::prepared`]) and is not parsed again.
    pub fn new(source: &str, lazy: bool) -> Result<Pattern, regex::Error> {
        let conjuncts = match super::prepared::conjuncts(source) {
            Some(conjuncts) => conjuncts,
            None => {
                let hir = super::literals::parse(source, lazy).map_err(regex::Error::Syntax)?;
                super::literals::required_conjuncts_of(&hir)
            }
        };
        Ok(Pattern(Arc::new(Inner {
            source: source.to_owned(),
            lazy,
            conjuncts,
            regex: OnceLock::new(),
        })))
    }

    /// Every set of literals a match contains one of ([`super::literals::required_conjuncts_of`]).
    pub fn required_conjuncts(&self) -> &[Vec<Vec<u8>>] {
        &self.0.conjuncts
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Compiles the pattern now: the error a too-large pattern gives.
    ///
    /// The semantics are those of `regex::RegexBuilder` (leftmost-first,
    /// Unicode, case-insensitive), with two differences that change no
    /// match, only the cost: the regex's own literal prefilter is not built
    /// (extracting and building it was half of the cost of compiling a
    /// pattern, and the scanner's prefilter already runs a pattern only over
    /// a text holding its literals), nor the one-pass DFA, which serves only
    /// anchored searches and the pack never searches anchored.
    pub fn compile(&self) -> Result<Regex, Box<regex_automata::meta::BuildError>> {
        Regex::builder()
            .syntax(
                syntax::Config::new()
                    .case_insensitive(true)
                    .swap_greed(self.0.lazy),
            )
            .configure(
                meta::Config::new()
                    .nfa_size_limit(Some(SIZE_LIMIT))
                    .auto_prefilter(false)
                    .onepass(false),
            )
            .build(&self.0.source)
            .map_err(Box::new)
    }

    fn compiled(&self) -> &Compiled {
        self.0.regex.get_or_init(|| {
            // A pattern that parses but whose program exceeds the size limit
            // never matches.
            let regex = self
                .compile()
                .unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("an empty class compiles"));
            let value_group = regex
                .group_info()
                .to_index(regex_automata::PatternID::ZERO, "n");
            Compiled { regex, value_group }
        })
    }

    /// Compiles the pattern now if it is not yet compiled.
    pub fn prepare(&self) {
        self.compiled();
    }

    /// Whether `haystack` holds a literal of every set the pattern's matches
    /// need (ASCII case-insensitively): when it does not, the pattern
    /// cannot match, and need not be compiled to say so. A text holding a
    /// character that folds to an ASCII letter always may.
    fn could_match(&self, haystack: &str) -> bool {
        if self.0.conjuncts.is_empty() || has_non_ascii_folds(haystack) {
            return true;
        }
        // Literals are lower-cased, as the prefilter's automaton reads them.
        let bytes = haystack.as_bytes();
        self.0.conjuncts.iter().all(|set| {
            set.iter().any(|literal| {
                literal.is_empty()
                    || bytes
                        .windows(literal.len())
                        .any(|w| w.eq_ignore_ascii_case(literal))
            })
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.could_match(haystack) && self.compiled().regex.is_match(haystack)
    }

    /// The first match in `haystack`.
    pub fn find(&self, haystack: &str) -> Option<Range<usize>> {
        if !self.could_match(haystack) {
            return None;
        }
        self.compiled().regex.find(haystack).map(|m| m.range())
    }

    /// Every non-overlapping match, with its value group's text. Only a
    /// pattern with a value group runs the capture engines; the others use
    /// the (much cheaper) match search.
    pub fn find_all<'h>(&self, haystack: &'h str) -> Vec<Found<'h>> {
        let compiled = self.compiled();
        let Some(group) = compiled.value_group else {
            return compiled
                .regex
                .find_iter(haystack)
                .map(|m| Found {
                    range: m.range(),
                    value: None,
                })
                .collect();
        };
        compiled
            .regex
            .captures_iter(haystack)
            .filter_map(|caps| {
                let whole = caps.get_match()?;
                Some(Found {
                    range: whole.range(),
                    value: caps.get_group(group).map(|g| &haystack[g.range()]),
                })
            })
            .collect()
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
            let hir = crate::text::literals::parse(source, lazy).unwrap();
            assert_eq!(
                pattern.required_conjuncts(),
                crate::text::literals::required_conjuncts_of(&hir),
                "{source}"
            );
        }
        let knee = Pattern::new(r"\b(?:left|right)\s+knee\b", false).unwrap();
        assert_eq!(
            knee.required_conjuncts(),
            [
                vec![b"knee".to_vec()],
                vec![b"left".to_vec(), b"right".to_vec()]
            ]
        );
    }

    #[test]
    fn a_text_without_the_required_words_is_ruled_out_without_compiling() {
        let p = Pattern::new(r"\bsensation\s+(?:was\s+)?intact\b", false).unwrap();
        assert!(!p.is_match("Sensation was decreased."));
        assert_eq!(p.find("intact sensory exam"), None);
        assert!(p.0.regex.get().is_none(), "ruled out by its literals alone");
        // Both words, but not as the pattern has them: compiled and run.
        assert!(!p.is_match("Sensation was decreased; reflexes intact."));
        assert!(p.is_match("SENSATION WAS INTACT"));
        assert!(p.0.regex.get().is_some());
        // The Kelvin sign folds to k: such a text always runs the pattern.
        let knee = Pattern::new(r"\bknee\b", false).unwrap();
        assert!(knee.is_match("\u{212A}nee"));
    }

    #[test]
    fn patterns_fold_case_including_the_kelvin_sign() {
        let p = Pattern::new(r"(?-u:\b)(?P<n>\d+)\s+sessions?\s+of\s+PT", false).unwrap();
        let found = p.find_all("She had 12 Sessions of pt.");
        assert_eq!(found[0].value, Some("12"));
        assert_eq!(found[0].range, 8..25);
        let knee = Pattern::new(r"\bknees?\b", false).unwrap();
        assert!(knee.is_match("\u{212A}nee pain"));
        assert!(has_non_ascii_folds("\u{212A}nee pain"));
        assert!(!has_non_ascii_folds("\u{201c}knee\u{201d}"));
    }

    #[test]
    fn lazy_patterns_stay_lazy_and_errors_are_those_of_the_compiler() {
        let p = Pattern::new(r"\bODG\b.*\bknee\b", true).unwrap();
        assert_eq!(p.find("ODG Knee, Low Back, Knee").unwrap().end, 8);
        let err = Pattern::new("(unclosed", false).unwrap_err().to_string();
        let unclosed = String::from("(unclosed");
        let compiled = regex::Regex::new(&unclosed).unwrap_err().to_string();
        assert_eq!(err.lines().last(), compiled.lines().last());
    }
}
