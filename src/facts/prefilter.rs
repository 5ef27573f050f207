//! The scanner's prefilter: which of the pack's patterns can match a text,
//! found without running them. Every pattern is parsed once for a small set
//! of literals one of which occurs (ASCII case-insensitively) in each of its
//! matches; one Aho-Corasick automaton over all those literals then tells,
//! in one pass over the text, which patterns are worth running. A pattern
//! with no useful literal always runs.
//!
//! Unicode case folding pairs two non-ASCII characters with ASCII letters
//! (KELVIN SIGN with `k`, LONG S with `s`); an ASCII case-insensitive literal
//! would miss them, so a text holding either runs every pattern.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub use crate::text::literals::{required_literals, required_literals_of};

/// The pack's patterns, each with the literals that must occur for it to match.
#[derive(Debug)]
pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// The patterns each literal of the automaton stands for.
    literal_patterns: Vec<Vec<usize>>,
    /// Patterns without useful literals: they always run.
    always: Vec<usize>,
    patterns: usize,
}

impl Prefilter {
    /// The prefilter of patterns whose required literals are known (each
    /// [`crate::text::pattern::Pattern`] finds its own when it is checked).
    pub fn of_patterns<'a>(
        patterns: impl Iterator<Item = &'a crate::text::pattern::Pattern>,
    ) -> Prefilter {
        Prefilter::of_literals(patterns.map(|p| p.required_literals()))
    }

    /// The prefilter of patterns given by their required literals (`None`:
    /// the pattern has none and always runs).
    fn of_literals<'a>(sets: impl Iterator<Item = Option<&'a [Vec<u8>]>>) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut index: std::collections::HashMap<Vec<u8>, usize> = Default::default();
        let mut literal_patterns: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        let mut count = 0;
        for (i, set) in sets.enumerate() {
            count += 1;
            let Some(set) = set else {
                always.push(i);
                continue;
            };
            for literal in set.iter().cloned() {
                let at = *index.entry(literal.clone()).or_insert_with(|| {
                    literals.push(literal);
                    literal_patterns.push(Vec::new());
                    literal_patterns.len() - 1
                });
                literal_patterns[at].push(i);
            }
        }
        let automaton = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("prefilter literals always build")
        });
        Prefilter {
            automaton,
            literal_patterns,
            always,
            patterns: count,
        }
    }

    /// The patterns that may match `text`, in ascending order; all of them
    /// when the text is `unusual` (holds [`crate::text::literals::FOLDS_TO_ASCII`]).
    pub fn candidates(&self, text: &str, unusual: bool) -> Vec<usize> {
        if unusual {
            return (0..self.patterns).collect();
        }
        // The cost follows what the text holds, not the size of the pack:
        // the literals found (each once), then their patterns.
        let mut found: Vec<usize> = match &self.automaton {
            Some(ac) => ac
                .find_overlapping_iter(text)
                .map(|m| m.pattern().as_usize())
                .collect(),
            None => Vec::new(),
        };
        found.sort_unstable();
        found.dedup();
        let mut out: Vec<usize> = self.always.clone();
        for literal in found {
            out.extend_from_slice(&self.literal_patterns[literal]);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// How many patterns have no literal and always run.
    pub fn unfiltered(&self) -> usize {
        self.always.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn literals_are_the_rarest_required_words() {
        assert_eq!(
            literals(r"\bsensation\s+(?:was\s+|is\s+)?intact\b").unwrap(),
            ["sensation"]
        );
        assert_eq!(literals(r"\b(?:left|right)\s+knee\b").unwrap(), ["knee"]);
        assert_eq!(
            literals(r"\b(?:left|right)\s+(?:hip|leg)\b").unwrap(),
            ["left", "right"]
        );
        assert_eq!(
            literals(r"\btreatments?\b").unwrap(),
            ["treatment", "treatments"]
        );
        assert_eq!(literals(r"\bVAS\s*(?P<n>\d+)"), Some(vec!["vas".into()]));
        assert_eq!(literals(r"\d+\s*/\s*\d+"), None);
        assert_eq!(literals(r"\b(?:pain|\w+)\b"), None);
        assert_eq!(
            literals(r"\b(?:pain|\w+algia)\b").unwrap(),
            ["algia", "pain"]
        );
    }

    #[test]
    fn candidates_hold_every_pattern_whose_literal_occurs() {
        let patterns: Vec<crate::text::pattern::Pattern> = [r"\bknee\b", r"\bhip\s+pain", r"\d+"]
            .iter()
            .map(|p| crate::text::pattern::Pattern::new(p, false).unwrap())
            .collect();
        let filter = Prefilter::of_patterns(patterns.iter());
        assert_eq!(filter.unfiltered(), 1);
        assert_eq!(filter.candidates("KNEE swelling", false), [0, 2]);
        assert_eq!(filter.candidates("Hip pain, knee", false), [0, 1, 2]);
        assert_eq!(filter.candidates("nothing here", false), [2]);
        // The Kelvin sign folds to k: every pattern runs.
        assert_eq!(filter.candidates("\u{212A}nee", true), [0, 1, 2]);
    }
}
