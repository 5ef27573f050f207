//! Fact detection: every detector of the pack scans a region of the letter
//! (the case summary, or one item's rationale) through one Aho-Corasick
//! automaton, the literal prefilter ([`prefilter`]): its one pass over the
//! region finds the literal terms, and says which patterns can occur before
//! any of them is run. Each hit is classified by its context ([`context`])
//! when its status is first asked for ([`Hit::status`]).

pub mod body;
pub mod context;
pub mod dates;
pub mod lists;
pub mod prefilter;

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

pub use context::Status;

use crate::source::{Source, Span};
use crate::text::pattern::{Haystack, Pattern, Places, has_non_ascii_folds};

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
    pub patterns: Vec<Pattern>,
    /// Patterns whose match states the fact absent in the record's own
    /// words ("sensation intact", "strength 5/5" for a neurological deficit):
    /// such a mention reads negated (and a negated one affirmed).
    pub absent_patterns: Vec<Pattern>,
    /// Whether a historical mention ("history of X") documents the fact.
    pub historical_counts: bool,
    /// Whether a hypothetical mention (a plan, a request) documents the fact.
    pub hypothetical_counts: bool,
    /// The concept the fact belongs to, when the pack names one.
    pub concept: Option<String>,
    /// The facts this one names as a whole (a category), by index; empty
    /// for a fact that is a criterion.
    pub addresses: Vec<usize>,
    /// Whether the fact is a concession that the record supports the
    /// request (see `RawFact::concedes_request`).
    pub concedes_request: bool,
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

/// One mention of a fact. Its context (status, body sites, observation,
/// date) is read from its sentence when first asked for, and kept: a
/// `check` reads it only for the facts its rules and checks weigh, and
/// most mentions in a letter are of other facts. Clones share what was
/// read.
#[derive(Clone)]
pub struct Hit {
    /// Index into the pack's facts.
    pub fact: usize,
    pub region: Region,
    /// The words that matched.
    pub span: Span,
    pub text: String,
    /// The number a numeric fact captured.
    pub value: Option<f64>,
    reading: Arc<Reading>,
}

impl Hit {
    /// How the mention's context qualifies it.
    pub fn status(&self) -> Status {
        let reading = &*self.reading;
        *reading.status.get_or_init(|| {
            let region = &*reading.region;
            let flat = &*region.flat;
            let clause = &region.clauses[reading.clause];
            let sentence = flat.sentences()[clause.sentence].clone();
            let status = context::classify(
                &region.triggers,
                &flat.lower_case().with(&flat.text),
                sentence,
                clause,
                flat.quotations(),
                reading.range.clone(),
            );
            if !reading.absent {
                return status;
            }
            // "Sensation intact" is a deficit stated absent; "sensation
            // was not intact", one stated present.
            match status {
                Status::Affirmed | Status::Historical => Status::Negated,
                Status::Negated => Status::Affirmed,
                other => other,
            }
        })
    }

    /// The body parts named in the mention's clause (else its sentence).
    pub fn sites(&self) -> &[body::Site] {
        let reading = &*self.reading;
        reading.sites.get_or_init(|| {
            let region = &*reading.region;
            let clause = &region.clauses[reading.clause];
            let text = &region.flat.text;
            let sites = region.clause_sites[reading.clause]
                .get_or_init(|| body::sites(&text[clause.range.clone()]));
            if !sites.is_empty() {
                return sites.clone();
            }
            let sentence = region.flat.sentences()[clause.sentence].clone();
            region.sentence_sites[clause.sentence]
                .get_or_init(|| body::sites(&text[sentence]))
                .clone()
        })
    }

    /// Whether the mention is a sign found on examination or a reported symptom.
    pub fn observation(&self) -> body::Observation {
        let reading = &*self.reading;
        let region = &*reading.region;
        let clause = &region.clauses[reading.clause];
        region.clause_words[reading.clause]
            .get_or_init(|| {
                let flat = &*region.flat;
                body::ObservationWords::of(
                    &flat
                        .lower_case()
                        .with(&flat.text)
                        .part(clause.range.clone()),
                )
            })
            .at(reading.range.start.saturating_sub(clause.range.start))
    }

    /// The date the mention's sentence speaks of, when the letter gives one.
    pub fn date(&self) -> Option<jiff::civil::Date> {
        let reading = &*self.reading;
        let region = &*reading.region;
        let sentence = region.clauses[reading.clause].sentence;
        region.dates.get_or_init(|| {
            let flat = &*region.flat;
            dates::sentence_dates(&flat.text, &flat.sentences()[..region.read])
        })[sentence]
    }
}

/// The mention with its context, read now if it was not yet.
impl std::fmt::Debug for Hit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hit")
            .field("fact", &self.fact)
            .field("region", &self.region)
            .field("status", &self.status())
            .field("span", &self.span)
            .field("text", &self.text)
            .field("value", &self.value)
            .field("sites", &self.sites())
            .field("observation", &self.observation())
            .field("date", &self.date())
            .finish()
    }
}

impl PartialEq for Hit {
    fn eq(&self, other: &Hit) -> bool {
        self.fact == other.fact
            && self.region == other.region
            && self.span == other.span
            && self.text == other.text
            && self.value == other.value
            && self.status() == other.status()
            && self.sites() == other.sites()
            && self.observation() == other.observation()
            && self.date() == other.date()
    }
}

/// What a mention's context is read from, and what was read of it.
struct Reading {
    region: Arc<RegionReading>,
    /// The mention, in the region's flat text.
    range: Range<usize>,
    /// The index of its clause in the region's.
    clause: usize,
    /// Whether a pattern that states the fact absent found it.
    absent: bool,
    status: OnceLock<Status>,
    sites: OnceLock<Vec<body::Site>>,
}

/// A scanned region's text, clauses and context triggers, with what its
/// mentions share once read: each clause's and sentence's body sites and
/// sign and symptom words, and its sentences' dates.
struct RegionReading {
    flat: Arc<crate::text::Flat>,
    triggers: Arc<context::ContextTriggers>,
    clauses: Vec<crate::text::attribution::Clause>,
    /// How many of the text's sentences the clauses cover.
    read: usize,
    clause_sites: Vec<OnceLock<Vec<body::Site>>>,
    sentence_sites: Vec<OnceLock<Vec<body::Site>>>,
    clause_words: Vec<OnceLock<body::ObservationWords>>,
    dates: OnceLock<Vec<Option<jiff::civil::Date>>>,
}

/// A pattern's reach on a text, and the places of its literals that a
/// match no longer than that can hold ([`prefilter::Prefilter::near`]).
type Near = (usize, Places);

/// The pack's detectors compiled for one-pass scanning.
#[derive(Debug)]
pub struct FactScanner {
    /// Fact index of each term, numbered as the prefilter's terms.
    term_facts: Vec<usize>,
    prefilter: prefilter::Prefilter,
    /// (fact index, pattern index within the fact, an absent pattern?) of
    /// each prefilter pattern.
    pattern_facts: Vec<(usize, usize, bool)>,
    facts: Vec<Fact>,
    /// The pack's context triggers (`rules/context.yaml`), shared with
    /// the hits that read their context from them.
    context: Arc<context::ContextTriggers>,
}

/// The automata of a [`FactScanner`]: what it needs of the facts alone,
/// built before the context triggers are known.
#[derive(Debug)]
pub struct FactAutomata {
    term_facts: Vec<usize>,
    prefilter: prefilter::Prefilter,
    pattern_facts: Vec<(usize, usize, bool)>,
}

impl FactAutomata {
    pub fn build(facts: &[Fact]) -> FactAutomata {
        let mut terms = Vec::new();
        let mut term_facts = Vec::new();
        for (i, fact) in facts.iter().enumerate() {
            for term in &fact.terms {
                terms.push(term.clone());
                term_facts.push(i);
            }
        }
        let mut sources = Vec::new();
        let mut pattern_facts = Vec::new();
        for (i, fact) in facts.iter().enumerate() {
            for (j, pattern) in fact.patterns.iter().enumerate() {
                sources.push(pattern);
                pattern_facts.push((i, j, false));
            }
            for (j, pattern) in fact.absent_patterns.iter().enumerate() {
                sources.push(pattern);
                pattern_facts.push((i, j, true));
            }
        }
        // The terms are literals of the prefilter's automaton: one pass
        // over a text finds them and the patterns' literals.
        let terms: Vec<Vec<u8>> = terms
            .iter()
            .map(|t| t.to_ascii_lowercase().into_bytes())
            .collect();
        let prefilter = prefilter::Prefilter::with_terms(sources.into_iter(), &terms);
        FactAutomata {
            term_facts,
            prefilter,
            pattern_facts,
        }
    }

    /// The scanner of `facts` (the facts these automata were built from).
    pub fn scanner(self, facts: &[Fact], context: context::ContextTriggers) -> FactScanner {
        FactScanner {
            term_facts: self.term_facts,
            prefilter: self.prefilter,
            pattern_facts: self.pattern_facts,
            facts: facts.to_vec(),
            context: Arc::new(context),
        }
    }
}

impl FactScanner {
    pub fn new(facts: &[Fact], context: context::ContextTriggers) -> FactScanner {
        FactAutomata::build(facts).scanner(facts, context)
    }

    /// The pattern the prefilter numbers `index`.
    fn pattern(&self, index: usize) -> &Pattern {
        let (fact, pattern, absent) = self.pattern_facts[index];
        if absent {
            &self.facts[fact].absent_patterns[pattern]
        } else {
            &self.facts[fact].patterns[pattern]
        }
    }

    /// The context triggers mentions are classified with.
    pub fn context(&self) -> &context::ContextTriggers {
        &self.context
    }

    /// Scans `range` of the source and returns every classified hit, ordered by position.
    pub fn scan(&self, source: &Source, range: Range<usize>, region: Region) -> Vec<Hit> {
        let flat = source.flat(range);
        if flat.is_empty() {
            return Vec::new();
        }
        let text = &flat.text;
        // (fact, range, number, stated absent)
        let mut raw: Vec<(usize, Range<usize>, Option<f64>, bool)> = Vec::new();
        // The automata hold lower-case literals: they read the text in
        // lower case (ASCII only, so every byte keeps its place); the
        // context triggers search the same copy.
        let lowered = flat.lower_case();
        let lower = lowered.as_str();
        let unusual = has_non_ascii_folds(text);
        let (candidates, occurrences) = self.prefilter.candidates_and_occurrences(lower, unusual);
        for (term, start, end) in occurrences.terms(&self.prefilter) {
            if is_word_bounded(text, start, end) {
                raw.push((self.term_facts[term], start..end, None, false));
            }
        }
        // Patterns are compiled on first use, which is most of the cost of
        // the first letters of a run: compile those this text needs on
        // every thread of the run's pool (one letter alone uses them all).
        // A text with other characters than ASCII is projected once, for
        // every pattern.
        let haystack = Haystack::new(text);
        // A pattern whose required literals lie too far apart for one
        // match to hold them all is ruled out before it is compiled.
        // The places found for that serve the search, at the same reach.
        let candidates: Vec<(usize, Option<Near>)> = candidates
            .into_iter()
            .map(|index| {
                let reach = self.pattern(index).reach_before_compiling(&haystack);
                let near = reach.and_then(|reach| {
                    Some((reach, self.prefilter.near(&occurrences, index, reach)?))
                });
                (index, near)
            })
            .filter(|(_, near)| {
                near.as_ref()
                    .is_none_or(|(_, places)| !places.ranges.is_empty())
            })
            .collect();
        candidates.par_iter().for_each(|&(index, _)| {
            self.pattern(index).prepare_in(&haystack);
        });
        for (index, known) in candidates {
            let (fact, _, absent) = self.pattern_facts[index];
            let re = self.pattern(index);
            let near = |reach| match known {
                Some((known, places)) if known == reach => Some(places),
                _ => self.prefilter.near(&occurrences, index, reach),
            };
            for found in re.find_all_near(&haystack, near) {
                if found.range.is_empty() {
                    continue;
                }
                let value = found.value.and_then(|n| {
                    n.parse::<f64>()
                        .ok()
                        .or_else(|| crate::letter::number_word(n).map(f64::from))
                });
                raw.push((fact, found.range, value, absent));
            }
        }
        raw.sort_by(|a, b| {
            (a.0, a.3, a.1.start, std::cmp::Reverse(a.1.end)).cmp(&(
                b.0,
                b.3,
                b.1.start,
                std::cmp::Reverse(b.1.end),
            ))
        });
        // One hit per fact (and way of stating it) per overlapping stretch of text.
        let mut kept: Vec<(usize, Range<usize>, Option<f64>, bool)> = Vec::new();
        for hit in raw {
            if let Some(last) = kept.last_mut()
                && last.0 == hit.0
                && last.3 == hit.3
                && hit.1.start < last.1.end
            {
                last.1.end = last.1.end.max(hit.1.end);
                last.2 = last.2.or(hit.2);
                continue;
            }
            kept.push(hit);
        }
        let Some(last) = kept.iter().map(|hit| hit.1.start).max() else {
            return Vec::new();
        };
        let sentence_ranges = flat.sentences();
        let read = sentences_read_for(sentence_ranges, last);
        let clauses = flat.clauses(read);
        // A mention is placed in a clause: a text without any has no hits.
        if clauses.is_empty() {
            return Vec::new();
        }
        let region_reading = Arc::new(RegionReading {
            flat: Arc::clone(&flat),
            triggers: Arc::clone(&self.context),
            clause_sites: (0..clauses.len()).map(|_| OnceLock::new()).collect(),
            sentence_sites: (0..sentence_ranges.len())
                .map(|_| OnceLock::new())
                .collect(),
            clause_words: (0..clauses.len()).map(|_| OnceLock::new()).collect(),
            dates: OnceLock::new(),
            clauses,
            read,
        });
        let clauses = &region_reading.clauses;
        let mut hits: Vec<Hit> = kept
            .into_iter()
            .map(|(fact, range, value, absent)| {
                // The clause holding the mention, or the last when it
                // stands past them ([`crate::text::attribution::clause_at`]).
                let clause_index = clauses
                    .partition_point(|c| c.range.end <= range.start)
                    .min(clauses.len() - 1);
                let src = flat.source_range(range.clone());
                Hit {
                    fact,
                    region,
                    span: source.span(src.start, src.end),
                    text: text[range.clone()].to_owned(),
                    value,
                    reading: Arc::new(Reading {
                        region: Arc::clone(&region_reading),
                        range,
                        clause: clause_index,
                        absent,
                        status: OnceLock::new(),
                        sites: OnceLock::new(),
                    }),
                }
            })
            .collect();
        hits.sort_by_key(|h| (h.span.start, h.fact));
        hits
    }
}

/// The context of every whole-word, case-insensitive occurrence of `word` in
/// `range` of the source — for words the pack has no detector for, such as
/// the name of the drug an item requests.
pub fn contexts_of(
    triggers: &context::ContextTriggers,
    source: &Source,
    range: Range<usize>,
    word: &str,
) -> Vec<Status> {
    let flat = source.flat(range);
    let text = &flat.text;
    let lowered = flat.lower_case();
    let lower = lowered.as_str();
    let needle = word.to_ascii_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let occurrences: Vec<usize> = lower
        .match_indices(&needle)
        .map(|(at, _)| at)
        .filter(|&at| is_word_bounded(text, at, at + needle.len()))
        .collect();
    let Some(&last) = occurrences.last() else {
        return Vec::new();
    };
    let sentence_ranges = flat.sentences();
    let read = sentences_read_for(sentence_ranges, last);
    let read_text = lowered.with(text);
    let clauses = flat.clauses(read);
    let quoted = flat.quotations();
    let mut out = Vec::new();
    for at in occurrences {
        let end = at + needle.len();
        if let Some(clause) = crate::text::attribution::clause_at(&clauses, at) {
            let sentence = sentence_ranges[clause.sentence].clone();
            out.push(context::classify(
                triggers,
                &read_text,
                sentence,
                clause,
                quoted,
                at..end,
            ));
        }
    }
    out
}

/// How many of `sentences` must be read to place something at offset
/// `last` and everything before it: up to the sentence holding it, or the
/// one after it when it falls between two. A clause's voice and a
/// sentence's date depend on what comes before them, never after, so the
/// rest need not be read.
fn sentences_read_for(sentences: &[Range<usize>], last: usize) -> usize {
    (sentences.partition_point(|s| s.start <= last) + 1).min(sentences.len())
}

fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deficit() -> Fact {
        Fact {
            id: "sensory_deficit".into(),
            title: "Sensory deficit".into(),
            terms: vec!["decreased sensation".into()],
            patterns: Vec::new(),
            absent_patterns: vec![
                Pattern::new(r"\bsensation\s+(?:was\s+|is\s+)?intact\b", false).unwrap(),
            ],
            historical_counts: false,
            hypothetical_counts: false,
            concept: None,
            addresses: Vec::new(),
            concedes_request: false,
        }
    }

    fn statuses(text: &str) -> Vec<(String, Status)> {
        let scanner = FactScanner::new(&[deficit()], context::ContextTriggers::embedded().clone());
        let source = Source::from_text("t", text);
        scanner
            .scan(&source, 0..text.len(), Region::CaseSummary)
            .into_iter()
            .map(|h| {
                let status = h.status();
                (h.text, status)
            })
            .collect()
    }

    /// A hit's context read at once from its region, as the scan read it
    /// before it was read on demand: (status, body sites, observation,
    /// date).
    fn read_at_once(
        scanner: &FactScanner,
        source: &Source,
        region: Range<usize>,
        hit: &Hit,
    ) -> (
        Status,
        Vec<body::Site>,
        body::Observation,
        Option<jiff::civil::Date>,
    ) {
        let flat = source.flat(region);
        let (range, absent) = (hit.reading.range.clone(), hit.reading.absent);
        let sentences = flat.sentences();
        let read = hit.reading.region.read;
        let clauses = flat.clauses(read);
        let clause = crate::text::attribution::clause_at(&clauses, range.start).unwrap();
        let sentence = sentences[clause.sentence].clone();
        let lowered = flat.lower_case();
        let read_text = lowered.with(&flat.text);
        let mut status = context::classify(
            scanner.context(),
            &read_text,
            sentence.clone(),
            clause,
            flat.quotations(),
            range.clone(),
        );
        if absent {
            status = match status {
                Status::Affirmed | Status::Historical => Status::Negated,
                Status::Negated => Status::Affirmed,
                other => other,
            };
        }
        let mut sites = body::sites(&flat.text[clause.range.clone()]);
        if sites.is_empty() {
            sites = body::sites(&flat.text[sentence]);
        }
        let observation = body::ObservationWords::of(&read_text.part(clause.range.clone()))
            .at(range.start.saturating_sub(clause.range.start));
        let date = dates::sentence_dates(&flat.text, &sentences[..read])[clause.sentence];
        (status, sites, observation, date)
    }

    /// Every hit of the shipped samples and, when they are there, the real
    /// letters: its context read on demand, in any order and from a clone,
    /// is the context read at once.
    #[test]
    fn a_hits_context_read_on_demand_is_the_context_read_at_once() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path])
            .unwrap_or_else(|p| panic!("{}", p[0]));
        let scanner = &pack.scanner;
        let mut checked = 0;
        for path in crate::test_letters::paths() {
            let Ok(source) = crate::input::read(&path) else {
                continue;
            };
            let letter = crate::letter::parse(&source);
            let regions = letter
                .case_summary
                .iter()
                .map(|s| (s.span.start..s.span.end, Region::CaseSummary))
                .chain(letter.items.iter().filter_map(|item| {
                    let r = item.rationale.as_ref()?;
                    Some((r.span.start..r.span.end, Region::Rationale))
                }));
            for (range, region) in regions {
                for (i, hit) in scanner
                    .scan(&source, range.clone(), region)
                    .iter()
                    .enumerate()
                {
                    let expected = read_at_once(scanner, &source, range.clone(), hit);
                    // Half the hits are read through a clone, the date first.
                    let read = if i % 2 == 0 {
                        let clone = hit.clone();
                        let date = clone.date();
                        (
                            clone.status(),
                            clone.sites().to_vec(),
                            clone.observation(),
                            date,
                        )
                    } else {
                        (
                            hit.status(),
                            hit.sites().to_vec(),
                            hit.observation(),
                            hit.date(),
                        )
                    };
                    assert_eq!(
                        read,
                        expected,
                        "{} {:?} {}",
                        path.display(),
                        region,
                        hit.text
                    );
                    // A clone shares what was read.
                    assert!(
                        hit.reading.status.get().is_some() && hit.reading.sites.get().is_some()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 100, "{checked} hits");
    }

    #[test]
    fn a_normal_finding_states_the_fact_absent() {
        assert_eq!(
            statuses("On examination sensation was intact in both legs."),
            [("sensation was intact".to_owned(), Status::Negated)]
        );
        assert_eq!(
            statuses("There is decreased sensation in the L5 dermatome."),
            [("decreased sensation".to_owned(), Status::Affirmed)]
        );
        // Stated absent, then negated: present after all.
        assert_eq!(
            statuses("Sensation was not intact over the thumb."),
            Vec::<(String, Status)>::new()
        );
    }

    /// Terms are literals of the prefilter's automaton: each whole-word
    /// place of each term is a hit, a term that is also a pattern's
    /// literal ("sensation") included, and on a text holding a character
    /// that folds to an ASCII letter (the KELVIN SIGN), for which the
    /// prefilter rules out no pattern, too.
    #[test]
    fn every_whole_word_place_of_a_term_is_a_hit_whatever_the_text_holds() {
        let numbness = Fact {
            id: "numbness".into(),
            title: "Numbness".into(),
            terms: vec!["Numbness".into(), "sensation".into(), "numbness".into()],
            absent_patterns: Vec::new(),
            ..deficit()
        };
        let scanner = FactScanner::new(
            &[deficit(), numbness],
            context::ContextTriggers::embedded().clone(),
        );
        for extra in ["", " (300 \u{212A})"] {
            let text = format!(
                "Numbness of the foot{extra}; decreased sensation. Numbnesses, sensational, \
                 sensation intact."
            );
            let source = Source::from_text("t", &text);
            let hits: Vec<(usize, String)> = scanner
                .scan(&source, 0..text.len(), Region::CaseSummary)
                .into_iter()
                .map(|h| (h.fact, h.text))
                .collect();
            let expected: Vec<(usize, String)> = vec![
                (1, "Numbness".into()),
                (0, "decreased sensation".into()),
                (1, "sensation".into()),
                (0, "sensation intact".into()),
                (1, "sensation".into()),
            ];
            assert_eq!(hits, expected, "{text}");
        }
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    /// Texts with what a flattened region never holds, too: runs of
    /// spaces and tabs, a long word, line breaks; and characters outside
    /// ASCII, searched on the text's projection.
    const AWKWARD: [&str; 4] = [
        "Sensation  is\tdecreased   in the L5 dermatome;\n\nno  red flags. Physical therapy x 12 visits \
         without improvement; failed   conservative care since 01/02/2016.",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa knee pain, positive \
         straight leg raise, MRI of the lumbar spine shows a disc protrusion at L4-5 with stenosis.",
        "VAS 8/10. Completed 6 sessions of acupuncture. He has not had any injections. Home exercise \
         program; TENS unit trial of 30 days. Opioids: Norco 10/325 mg #60, MED 40.",
        "The patient\u{2019}s straight\u{2011}leg raise was positive at 45\u{b0} on the right \u{2013} \
         sensation was decreased in the L5 dermatome. He failed conservative care \u{2014} physical \
         therapy \u{d7} 12 visits, NSAIDs \u{2026} without improvement; Neer\u{2019}s sign was positive, \
         and he reports 50\u{a0}% relief with Norco 10/325 mg.",
    ];

    /// What the prefilter rests on: every match of every pattern of the
    /// pack holds, inside it, a literal of each of the pattern's required
    /// sets, at the word boundaries the literal marks. A set that does not
    /// would keep the pattern from a text it matches.
    #[test]
    fn every_match_holds_a_literal_of_each_required_set() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path]).unwrap();
        let scanner = &pack.scanner;
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut text = AWKWARD.join("\n");
        for entry in std::fs::read_dir(samples).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                text.push('\n');
                text.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        let lower = text.to_ascii_lowercase();
        let haystack = Haystack::new(&text);
        // Whether `literal` occurs at `at`, with the word boundaries it
        // marks ([`crate::text::literals::BOUNDARY`]).
        let holds_at = |literal: &[u8], at: usize| {
            let (bytes, bounds) = crate::text::literals::split_bounds(literal);
            lower.as_bytes()[at..].starts_with(bytes)
                && bounds.met_by(crate::text::literals::Bounds::of_place(
                    lower.as_bytes(),
                    at,
                    at + bytes.len(),
                ))
        };
        let (mut matched, mut checked, mut started, mut begun, mut bounded) = (0, 0, 0, 0, 0);
        for index in 0..scanner.pattern_facts.len() {
            let pattern = scanner.pattern(index);
            let conjuncts = pattern.required_conjuncts();
            for found in pattern.find_all_in(&haystack) {
                let range = found.range.clone();
                for k in 0..conjuncts.len() {
                    bounded += conjuncts
                        .set(k)
                        .filter(|l| crate::text::literals::split_bounds(l).1.bits() != 0)
                        .count();
                    assert!(
                        conjuncts.set(k).any(|literal| {
                            let length = crate::text::literals::split_bounds(literal).0.len();
                            (range.start..=range.end.saturating_sub(length))
                                .any(|at| holds_at(literal, at))
                        }),
                        "{pattern:?} matches {:?} without a literal of set {k}",
                        &text[found.range.clone()]
                    );
                    checked += 1;
                }
                // Its first byte is one a match can begin with.
                if let Some(first) = pattern.first_bytes() {
                    assert!(
                        first.contains(text.as_bytes()[found.range.start]),
                        "{pattern:?} matches {:?}, which begins with a byte outside its first bytes",
                        &text[found.range.clone()]
                    );
                    begun += 1;
                }
                // And one of the set it starts with begins it.
                if let Some(k) = pattern.start_set() {
                    assert!(
                        conjuncts
                            .set(k)
                            .any(|literal| holds_at(literal, found.range.start)),
                        "{pattern:?} matches {:?}, which starts with no literal of set {k}",
                        &text[found.range.clone()]
                    );
                    started += 1;
                }
                matched += 1;
            }
        }
        assert!(
            matched > 400 && checked > 800 && started > 300 && begun > 400 && bounded > 1000,
            "{matched} matches, {checked} sets, {started} starting with their set, {begun} with a first byte, {bounded} literals marked at a boundary"
        );
    }

    #[test]
    fn a_pattern_searched_around_its_literals_finds_what_a_whole_search_finds() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path]).unwrap();
        let scanner = &pack.scanner;
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut texts: Vec<String> = AWKWARD.iter().map(|t| t.to_string()).collect();
        for entry in std::fs::read_dir(samples).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let raw = std::fs::read_to_string(&path).unwrap();
                texts.push(crate::text::Flat::new(&raw, 0..raw.len()).text);
                texts.push(raw);
            }
        }
        let (mut compared, mut matched, mut bounded, mut ruled_out) = (0, 0, 0, 0);
        let (mut projected, mut anchored, mut anchored_matching) = (0, 0, 0);
        let (mut from_first_bytes, mut from_first_bytes_matching) = (0, 0);
        let mut anchored_projected = 0;
        for text in &texts {
            let lower = text.to_ascii_lowercase();
            let unusual = has_non_ascii_folds(text);
            let (candidates, occurrences) = scanner
                .prefilter
                .candidates_and_occurrences(&lower, unusual);
            let haystack = Haystack::new(text);
            for index in candidates {
                let pattern = scanner.pattern(index);
                let whole: Vec<_> = pattern
                    .find_all_in(&haystack)
                    .into_iter()
                    .map(|f| (f.range, f.value))
                    .collect();
                let near: Vec<_> = pattern
                    .find_all_near(&haystack, |reach| {
                        scanner.prefilter.near(&occurrences, index, reach)
                    })
                    .into_iter()
                    .map(|f| (f.range, f.value))
                    .collect();
                assert_eq!(near, whole, "{pattern:?}");
                // What rules a pattern out before it is compiled: the
                // build's bound is the compiled program's.
                let before = pattern.reach_before_compiling(&haystack);
                if let Some(reach) = before {
                    assert_eq!(Some(reach), pattern.reach_in(&haystack), "{pattern:?}");
                    if scanner
                        .prefilter
                        .near(&occurrences, index, reach)
                        .is_some_and(|places| places.ranges.is_empty())
                    {
                        assert!(whole.is_empty(), "{pattern:?} ruled out, yet matches");
                        ruled_out += 1;
                    }
                }
                compared += 1;
                let reach = pattern.reach_in(&haystack);
                bounded += usize::from(reach.is_some());
                projected += usize::from(reach.is_some() && !text.is_ascii());
                matched += usize::from(!whole.is_empty());
                // Tried only where a match can start: at a place of the
                // set every match starts with (on a projection too), or at
                // a byte a match can begin with (on ASCII text).
                let places =
                    reach.and_then(|reach| scanner.prefilter.near(&occurrences, index, reach));
                if places.is_some_and(|places| places.starts) {
                    anchored += 1;
                    anchored_matching += usize::from(!whole.is_empty());
                    anchored_projected += usize::from(!text.is_ascii());
                } else if text.is_ascii()
                    && reach.is_some()
                    && pattern
                        .first_bytes()
                        .is_some_and(|first| crate::text::pattern::selective(&first))
                {
                    from_first_bytes += 1;
                    from_first_bytes_matching += usize::from(!whole.is_empty());
                }
            }
        }
        // Most searches are bounded, so most go through the windows, and
        // some patterns' literals lie too far apart to be searched at all.
        assert!(
            compared > 1000 && matched > 200 && bounded * 10 > compared * 8 && ruled_out > 50,
            "{compared} searches, {matched} matching, {bounded} bounded, {ruled_out} ruled out"
        );
        // A text with other characters is searched around its literals too.
        assert!(
            projected > 20,
            "{projected} bounded searches of a projection"
        );
        // Most bounded searches of an ASCII text try a match only where
        // one can start, and many of those find one.
        assert!(
            anchored * 2 > bounded && anchored_matching > 300,
            "{anchored} searches from where a match starts ({anchored_matching} matching)"
        );
        assert!(
            anchored_projected > 200,
            "{anchored_projected} searches of a projection from where a match starts"
        );
        assert!(
            from_first_bytes > 600 && from_first_bytes_matching > 80,
            "{from_first_bytes} searches from the bytes a match begins with ({from_first_bytes_matching} matching)"
        );
    }
}
