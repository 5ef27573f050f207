//! The validation context: what every check of one pack file needs to report
//! a problem — the file (its path and the line to quote) and the list every
//! problem of the pack is collected in — plus the pack's checked patterns
//! (compiled on first use: [`Pattern`]).
//! Checks take one `&mut FileContext` instead of passing the same arguments
//! through every call, and they never stop at the first problem.

use std::collections::{HashMap, HashSet};

use super::raw::Position;
use crate::text::literals::ascii_word_boundaries;
use crate::text::pattern::Pattern;

use super::raw::{Located, RawPeriod};
use super::read::PackFile;
use super::{Period, Problem};

/// How a pattern is compiled: facts and rules match greedily; catalogue
/// patterns lazily, so that where a match ends tells where the citation
/// names the document (the first "Knee" of "ODG Knee, Low Back").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Greed {
    Greedy,
    Lazy,
}

fn compile(pattern: &str, greed: Greed) -> Result<Pattern, regex::Error> {
    Pattern::new(&ascii_word_boundaries(pattern), greed == Greed::Lazy)
}

/// Every distinct pattern of the pack, checked once (in parallel); each is
/// compiled on first use, and the pack's uses of one pattern share its program.
#[derive(Debug, Default)]
pub(super) struct CompiledPatterns(HashMap<(String, Greed), Result<Pattern, regex::Error>>);

impl CompiledPatterns {
    pub fn new<'a>(patterns: impl Iterator<Item = (&'a str, Greed)>) -> CompiledPatterns {
        use rayon::prelude::*;
        let distinct: HashSet<(&str, Greed)> = patterns.collect();
        let distinct: Vec<(&str, Greed)> = distinct.into_iter().collect();
        // Checking a pattern (parsing it, finding its literals) is most of
        // a pack's load: spread over the cores.
        CompiledPatterns(
            distinct
                .into_par_iter()
                .map(|(p, greed)| ((p.to_owned(), greed), compile(p, greed)))
                .collect(),
        )
    }

    fn get(&self, pattern: &str, greed: Greed) -> Result<Pattern, regex::Error> {
        match self.0.get(&(pattern.to_owned(), greed)) {
            Some(result) => result.clone(),
            None => compile(pattern, greed),
        }
    }
}

/// Up to six of `candidates` close to `wanted` (Levenshtein distance at most
/// a third of the longer name, plus one), nearest first: "did you mean" hints.
pub(super) fn nearest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut close: Vec<(usize, &str)> = candidates
        .map(|c| (strsim::levenshtein(c, wanted), c))
        .filter(|(d, c)| *d <= wanted.len().max(c.len()) / 3 + 1)
        .collect();
    close.sort();
    close.dedup();
    close.into_iter().map(|(_, c)| c).take(6).collect()
}

/// `hint`, followed by ", or use one of: …" when there are close names.
pub(super) fn with_suggestions(hint: &str, close: &[&str]) -> String {
    if close.is_empty() {
        hint.to_owned()
    } else {
        format!("{hint}, or use one of: {}", close.join(", "))
    }
}

/// The line (1-based) of the first top-level `key:` of `file`, else 1.
pub(super) fn line_of_key(file: &PackFile, key: &str) -> usize {
    let prefix = format!("{key}:");
    file.text
        .lines()
        .position(|l| l.starts_with(&prefix))
        .map_or(1, |i| i + 1)
}

/// One file being validated and the pack's problem list.
pub(super) struct FileContext<'a> {
    pub file: &'a PackFile,
    problems: &'a mut Vec<Problem>,
    compiled: &'a CompiledPatterns,
}

impl<'a> FileContext<'a> {
    pub fn new(
        file: &'a PackFile,
        problems: &'a mut Vec<Problem>,
        compiled: &'a CompiledPatterns,
    ) -> FileContext<'a> {
        FileContext {
            file,
            problems,
            compiled,
        }
    }

    /// A problem at a value's location.
    pub fn error(&mut self, at: &Position, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(Problem::at(
            &self.file.shown,
            &self.file.text,
            at,
            message,
            hint,
        ));
    }

    /// A problem at the start of a line (1-based): for values read without a location.
    pub fn error_at_line(
        &mut self,
        line: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems.push(Problem::new(
            &self.file.shown,
            &self.file.text,
            line,
            1,
            message,
            hint,
        ));
    }

    /// The line (1-based) of the first top-level `key:` of the file, else 1.
    pub fn line_of_key(&self, key: &str) -> usize {
        line_of_key(self.file, key)
    }

    pub fn regex(&mut self, located: &Located, greed: Greed) -> Option<Pattern> {
        match self.compiled.get(&located.value, greed) {
            Ok(re) => Some(re),
            Err(err) => {
                let detail = err.to_string();
                let last = detail
                    .lines()
                    .last()
                    .unwrap_or("invalid regular expression")
                    .trim()
                    .to_owned();
                self.error(
                    &located.referenced,
                    format!("bad regular expression `{}`: {last}", located.value),
                    "patterns use Rust regex syntax (no look-around or back-references); quote them with single quotes in YAML",
                );
                None
            }
        }
    }

    /// Every pattern of a list that compiles; the others are reported.
    pub fn regexes(&mut self, list: &[Located], greed: Greed) -> Vec<Pattern> {
        list.iter().filter_map(|p| self.regex(p, greed)).collect()
    }

    fn date(&mut self, located: &Located) -> Option<jiff::civil::Date> {
        match located.value.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(
                    &located.referenced,
                    format!("`{}` is not a date", located.value),
                    "write dates as YYYY-MM-DD",
                );
                None
            }
        }
    }

    pub fn period(&mut self, raw: &Option<RawPeriod>) -> Period {
        let Some(raw) = raw else {
            return Period::default();
        };
        Period {
            from: raw.from.as_ref().and_then(|d| self.date(d)),
            until: raw.until.as_ref().and_then(|d| self.date(d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        assert_eq!(
            ascii_word_boundaries(r"\bknee\B|a\\b|\d"),
            r"(?-u:\b)knee(?-u:\B)|a\\b|\d"
        );
        let fever = compile(r"\bfever\b", Greed::Greedy)
            .unwrap()
            .compile()
            .unwrap();
        assert!(fever.is_match("\u{201c}fever\u{201d} \u{2022} chills"));
        assert!(!fever.is_match("feverish"));
        assert!(compile(r"a\\b", Greed::Greedy).unwrap().is_match(r"a\b"));
    }

    #[test]
    fn a_lazy_pattern_ends_at_the_first_name() {
        let text = "ODG Knee/DME, Low Back, Knee";
        let greedy = compile(r"\bODG\b.*\bknee\b", Greed::Greedy).unwrap();
        let lazy = compile(r"\bODG\b.*\bknee\b", Greed::Lazy).unwrap();
        assert_eq!(greedy.find(text).unwrap().end, text.len());
        assert_eq!(lazy.find(text).unwrap().end, "ODG Knee".len());
    }

    #[test]
    fn nearest_names_come_first_and_far_ones_are_left_out() {
        let names = ["test_fact", "test_facts_two", "unrelated"];
        assert_eq!(
            nearest("test_facts", names.into_iter()),
            ["test_fact", "test_facts_two"]
        );
        assert!(nearest("zzz", names.into_iter()).is_empty());
    }
}
