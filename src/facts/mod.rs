//! Fact detection: every detector of the pack scans a region of the letter
//! (the case summary, or one item's rationale) in one pass — literal terms
//! through one Aho-Corasick automaton, patterns through one `RegexSet` that
//! says which patterns occur before any of them is run for positions — and
//! each hit is classified by its context ([`context`]).

pub mod context;

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexSet, RegexSetBuilder};
use serde::Serialize;

pub use context::Status;

use crate::source::{Source, Span};
use crate::text::{Flat, sentences};

/// A named fact detector, as the rule pack defines it. The pack builds these
/// from its YAML; detection needs nothing else from the pack, so this module
/// does not depend on `rules`.
#[derive(Debug, Clone)]
pub struct Fact {
    pub id: String,
    pub title: String,
    /// Literal phrases, lower-cased, matched case-insensitively as whole words.
    pub terms: Vec<String>,
    /// Case-insensitive patterns; a named group `n` makes the fact numeric.
    pub patterns: Vec<Regex>,
    /// Whether a historical mention ("history of X") documents the fact.
    pub historical_counts: bool,
}

/// Which part of the letter a hit was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::Display)]
#[strum(serialize_all = "kebab-case")]
pub enum Region {
    /// The case summary: the record.
    CaseSummary,
    /// The rationale of one item: the reviewer's reasoning.
    Rationale,
}

/// One mention of a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Index into the pack's facts.
    #[serde(skip)]
    pub fact: usize,
    pub region: Region,
    pub status: Status,
    /// The words that matched.
    pub span: Span,
    pub text: String,
    /// The number a numeric fact captured.
    pub value: Option<f64>,
}

/// The pack's detectors compiled for one-pass scanning.
#[derive(Debug)]
pub struct FactScanner {
    terms: Option<AhoCorasick>,
    /// Fact index of each term pattern.
    term_facts: Vec<usize>,
    set: RegexSet,
    /// (fact index, pattern index within the fact) of each set member.
    pattern_facts: Vec<(usize, usize)>,
    facts: Vec<Fact>,
}

impl FactScanner {
    pub fn new(facts: &[Fact]) -> FactScanner {
        let mut terms = Vec::new();
        let mut term_facts = Vec::new();
        for (i, fact) in facts.iter().enumerate() {
            for term in &fact.terms {
                terms.push(term.clone());
                term_facts.push(i);
            }
        }
        let automaton = (!terms.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&terms)
                .expect("literal terms always build")
        });
        let mut sources = Vec::new();
        let mut pattern_facts = Vec::new();
        for (i, fact) in facts.iter().enumerate() {
            for (j, pattern) in fact.patterns.iter().enumerate() {
                sources.push(format!("(?i:{})", pattern.as_str()));
                pattern_facts.push((i, j));
            }
        }
        // A large pack's combined set outgrows the default 10 MB program limit.
        let set = RegexSetBuilder::new(&sources)
            .size_limit(512 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("patterns were validated when the pack loaded");
        FactScanner {
            terms: automaton,
            term_facts,
            set,
            pattern_facts,
            facts: facts.to_vec(),
        }
    }

    /// Scans `range` of the source and returns every classified hit, ordered by position.
    pub fn scan(&self, source: &Source, range: Range<usize>, region: Region) -> Vec<Hit> {
        let flat = Flat::new(source.text(), range);
        if flat.is_empty() {
            return Vec::new();
        }
        let text = &flat.text;
        let mut raw: Vec<(usize, Range<usize>, Option<f64>)> = Vec::new();
        if let Some(ac) = &self.terms {
            for m in ac.find_overlapping_iter(text.as_str()) {
                if is_word_bounded(text, m.start(), m.end()) {
                    raw.push((
                        self.term_facts[m.pattern().as_usize()],
                        m.start()..m.end(),
                        None,
                    ));
                }
            }
        }
        for index in self.set.matches(text).iter() {
            let (fact, pattern) = self.pattern_facts[index];
            let re = &self.facts[fact].patterns[pattern];
            for c in re.captures_iter(text) {
                let m = c.get(0).expect("group 0 always matches");
                if m.is_empty() {
                    continue;
                }
                let value = c.name("n").and_then(|n| {
                    n.as_str()
                        .parse::<f64>()
                        .ok()
                        .or_else(|| crate::letter::number_word(n.as_str()).map(f64::from))
                });
                raw.push((fact, m.start()..m.end(), value));
            }
        }
        raw.sort_by(|a, b| {
            (a.0, a.1.start, std::cmp::Reverse(a.1.end)).cmp(&(
                b.0,
                b.1.start,
                std::cmp::Reverse(b.1.end),
            ))
        });
        // One hit per fact per overlapping stretch of text.
        let mut kept: Vec<(usize, Range<usize>, Option<f64>)> = Vec::new();
        for hit in raw {
            if let Some(last) = kept.last_mut()
                && last.0 == hit.0
                && hit.1.start < last.1.end
            {
                last.1.end = last.1.end.max(hit.1.end);
                last.2 = last.2.or(hit.2);
                continue;
            }
            kept.push(hit);
        }
        let sentence_ranges = sentences(text);
        let quoted = context::quotations(text);
        let mut hits: Vec<Hit> = kept
            .into_iter()
            .map(|(fact, range, value)| {
                let sentence = sentence_ranges
                    .iter()
                    .find(|s| s.start <= range.start && range.start < s.end.max(s.start + 1))
                    .cloned()
                    .unwrap_or(0..text.len());
                let local =
                    range.start - sentence.start..range.end.min(sentence.end) - sentence.start;
                let status = if quoted.iter().any(|q| q.contains(&range.start)) {
                    Status::Guideline
                } else {
                    context::classify(
                        &text[sentence.clone()],
                        local.start..local.end.max(local.start),
                    )
                };
                let src = flat.source_range(range.clone());
                Hit {
                    fact,
                    region,
                    status,
                    span: source.span(src.start, src.end),
                    text: text[range].to_owned(),
                    value,
                }
            })
            .collect();
        hits.sort_by_key(|h| (h.span.start, h.fact));
        hits
    }
}

fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}
