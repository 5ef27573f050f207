//! The scanner's prefilter: which of the pack's patterns can match a text,
//! found without running them. Every pattern is parsed once for a small set
//! of literals one of which occurs (ASCII case-insensitively) in each of its
//! matches; one Aho-Corasick automaton over all those literals, lower-cased,
//! then tells, in one pass over the text read in lower case, which patterns
//! are worth running. (A case-sensitive automaton over lower-case text costs
//! half as much to build as a case-insensitive one.) A pattern
//! with no useful literal always runs.
//!
//! Unicode case folding pairs two non-ASCII characters with ASCII letters
//! (KELVIN SIGN with `k`, LONG S with `s`); an ASCII case-insensitive literal
//! would miss them, so a text holding either runs every pattern.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::text::literals::{Bounds, split_bounds};
use crate::text::pattern::Places;

/// The pack's patterns, each with the literals that must occur for it to match.
#[derive(Debug)]
pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// The (pattern, set, bounds) each literal of the automaton stands
    /// for: the pattern's set holds the literal at a place with those
    /// bounds ([`crate::text::literals::BOUNDARY`]).
    literal_owners: Vec<Vec<(usize, u8, Bounds)>>,
    /// Per pattern, the mask of its sets: a pattern can match once a
    /// literal of every set is found.
    full: Vec<u8>,
    /// Patterns without useful literals: they always run.
    always: Vec<usize>,
    /// Per pattern, its literals in the automaton, each with its set and
    /// the bounds a place of it must have.
    sets_of: Vec<Vec<(u8, u32, Bounds)>>,
    /// Per pattern, the set every match starts with a literal of, if any
    /// ([`crate::text::literals::start_set_of`]).
    starts_with: Vec<Option<u8>>,
    /// The terms each literal of the automaton is ([`Prefilter::with_terms`]),
    /// by their index among the terms given.
    literal_terms: Vec<Vec<u32>>,
    /// Whether the automaton finds terms.
    has_terms: bool,
}

/// Where a text holds the prefilter's literals: (literal, start, end, the
/// place's bounds), in order of literal, then of place; and for each
/// literal of the automaton, where its places begin and end in that list.
#[derive(Debug, Default)]
pub struct Occurrences {
    places: Vec<Place>,
    /// Per literal, the range of its places (empty for one not found).
    of_literal: Vec<(u32, u32)>,
    /// Whether the text's literals were read (not for an `unusual` text).
    read: bool,
}

/// A place of a literal: (literal, start, end, the bits of its
/// [`Bounds`]).
type Place = (u32, usize, usize, u8);

impl Occurrences {
    /// Every place of a term of `prefilter` ([`Prefilter::with_terms`]):
    /// (the term's index, start, end), in order of literal, then of place.
    pub fn terms<'o>(
        &'o self,
        prefilter: &'o Prefilter,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'o {
        self.places
            .iter()
            .flat_map(move |&(literal, start, end, _)| {
                prefilter.literal_terms[literal as usize]
                    .iter()
                    .map(move |&term| (term as usize, start, end))
            })
    }

    /// The places of one literal.
    fn of(&self, literal: u32) -> &[Place] {
        match self.of_literal.get(literal as usize) {
            Some(&(from, to)) => &self.places[from as usize..to as usize],
            None => &[],
        }
    }
}

impl Prefilter {
    /// The prefilter of patterns whose required literals are known (each
    /// [`crate::text::pattern::Pattern`] finds its own when it is checked).
    pub fn of_patterns<'a>(
        patterns: impl Iterator<Item = &'a crate::text::pattern::Pattern>,
    ) -> Prefilter {
        Prefilter::with_terms(patterns, &[])
    }

    /// [`Prefilter::of_patterns`], whose automaton also finds `terms`
    /// (lower-case literals): their places are read in the same pass over
    /// a text as the patterns' literals ([`Occurrences::terms`]), whatever
    /// the text holds.
    pub fn with_terms<'a>(
        patterns: impl Iterator<Item = &'a crate::text::pattern::Pattern>,
        terms: &'a [Vec<u8>],
    ) -> Prefilter {
        Prefilter::of_conjuncts(
            patterns.map(|p| (p.required_conjuncts(), p.start_set())),
            terms,
        )
    }

    /// The prefilter of patterns given by the sets of literals their matches
    /// contain one of each (none: the pattern always runs), and the set
    /// their matches start with, if any.
    fn of_conjuncts<'a>(
        patterns: impl Iterator<Item = (crate::text::pattern::Conjuncts<'a>, Option<usize>)>,
        terms: &'a [Vec<u8>],
    ) -> Prefilter {
        // The literals are borrowed from the patterns: a literal many
        // patterns share is neither copied nor hashed as a new key again.
        let mut literals: Vec<&'a [u8]> = Vec::new();
        let mut index: std::collections::HashMap<&'a [u8], usize> = Default::default();
        let mut literal_owners: Vec<Vec<(usize, u8, Bounds)>> = Vec::new();
        let mut full = Vec::new();
        let mut always = Vec::new();
        let mut sets_of = Vec::new();
        let mut starts_with = Vec::new();
        for (i, (sets, start)) in patterns.enumerate() {
            // A mask has a bit per set.
            let count = sets.len().min(8);
            full.push(((1u16 << count) - 1) as u8);
            let mut own = Vec::new();
            if count == 0 {
                always.push(i);
            }
            for k in 0..count {
                for literal in sets.set(k) {
                    let (literal, bounds) = split_bounds(literal);
                    let at = *index.entry(literal).or_insert_with(|| {
                        literals.push(literal);
                        literal_owners.push(Vec::new());
                        literal_owners.len() - 1
                    });
                    literal_owners[at].push((i, k as u8, bounds));
                    own.push((k as u8, at as u32, bounds));
                }
            }
            sets_of.push(own);
            starts_with.push(
                start
                    .filter(|&k| k < count)
                    .and_then(|k| u8::try_from(k).ok()),
            );
        }
        let mut literal_terms: Vec<Vec<u32>> = vec![Vec::new(); literals.len()];
        for (term, literal) in terms.iter().enumerate() {
            let at = *index.entry(literal.as_slice()).or_insert_with(|| {
                literals.push(literal);
                literal_owners.push(Vec::new());
                literal_terms.push(Vec::new());
                literal_owners.len() - 1
            });
            literal_terms[at].push(term as u32);
        }
        let automaton = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("prefilter literals always build")
        });
        Prefilter {
            automaton,
            literal_owners,
            full,
            always,
            sets_of,
            starts_with,
            literal_terms,
            has_terms: !terms.is_empty(),
        }
    }

    /// The patterns that may match `text`, in ascending order; all of them
    /// when the text is `unusual` (holds [`crate::text::literals::FOLDS_TO_ASCII`]).
    pub fn candidates(&self, text: &str, unusual: bool) -> Vec<usize> {
        self.candidates_and_places(text, unusual).0
    }

    /// [`Prefilter::candidates`], and where the text holds the literals
    /// (for an `unusual` text, read for the terms alone: none when the
    /// prefilter has no terms).
    pub fn candidates_and_occurrences(
        &self,
        text: &str,
        unusual: bool,
    ) -> (Vec<usize>, Occurrences) {
        let (candidates, places) = self.candidates_and_places(text, unusual);
        // Each literal's places, for `near`; only a search around the
        // literals needs them.
        let mut of_literal = vec![(0u32, 0u32); self.literal_owners.len()];
        let mut from = 0;
        while from < places.len() {
            let literal = places[from].0;
            let to = from + places[from..].partition_point(|p| p.0 == literal);
            of_literal[literal as usize] = (from as u32, to as u32);
            from = to;
        }
        (
            candidates,
            Occurrences {
                places,
                of_literal,
                read: !unusual,
            },
        )
    }

    /// The candidates, and the places of the literals found, in order of
    /// literal, then of place (none for an `unusual` text, unless the
    /// prefilter has terms).
    fn candidates_and_places(&self, text: &str, unusual: bool) -> (Vec<usize>, Vec<Place>) {
        if unusual && !self.has_terms {
            return ((0..self.full.len()).collect(), Vec::new());
        }
        // The cost follows what the text holds, not the size of the pack:
        // the literals found (each once), then the sets they satisfy.
        // The literals are lower-case, and so is the text the automaton
        // reads (ASCII letters only: every byte keeps its place).
        let lower;
        let text = if text.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = text.to_ascii_lowercase();
            lower.as_str()
        } else {
            text
        };
        let bytes = text.as_bytes();
        let mut places: Vec<Place> = match &self.automaton {
            Some(ac) => ac
                .find_overlapping_iter(text)
                .map(|m| {
                    let bounds = Bounds::of_place(bytes, m.start(), m.end());
                    (m.pattern().as_u32(), m.start(), m.end(), bounds.bits())
                })
                .collect(),
            None => Vec::new(),
        };
        places.sort_unstable();
        if unusual {
            // Read for the terms alone: every pattern runs.
            return ((0..self.full.len()).collect(), places);
        }
        // Each literal found, with the bounds its places have: bit `b` of
        // the mask is set when a place meets the bounds whose bits are `b`.
        let mut found: Vec<(usize, u8)> = Vec::new();
        for &(literal, _, _, bits) in &places {
            let met = (0..4u8)
                .filter(|&wanted| wanted & bits == wanted)
                .fold(0u8, |mask, wanted| mask | (1 << wanted));
            match found.last_mut() {
                Some((last, mask)) if *last == literal as usize => *mask |= met,
                _ => found.push((literal as usize, met)),
            }
        }
        // A mask per pattern (a byte each), and the patterns touched.
        let mut satisfied = vec![0u8; self.full.len()];
        let mut touched: Vec<usize> = Vec::new();
        for (literal, met) in found {
            for &(pattern, set, bounds) in &self.literal_owners[literal] {
                if met & (1 << bounds.bits()) == 0 {
                    continue;
                }
                if satisfied[pattern] == 0 {
                    touched.push(pattern);
                }
                satisfied[pattern] |= 1 << set;
            }
        }
        let mut out: Vec<usize> = self.always.clone();
        out.extend(
            touched
                .into_iter()
                .filter(|&pattern| satisfied[pattern] == self.full[pattern]),
        );
        out.sort_unstable();
        (out, places)
    }

    /// Where `occurrences` hold a literal of one of `pattern`'s required
    /// sets, in order, kept only where a literal of each other set lies
    /// within `reach` bytes (a match, no longer than `reach`, contains one
    /// of each): every match of the pattern contains one of these. The set
    /// is the one every match starts with, when the pattern has one (a
    /// search then tries a match at each place, and nowhere else); else
    /// the set found least often. `None` for a pattern without literals
    /// (or when the text's literals were not read).
    pub fn near(&self, occurrences: &Occurrences, pattern: usize, reach: usize) -> Option<Places> {
        if !occurrences.read {
            return None;
        }
        let own = &self.sets_of[pattern];
        // How often the text holds each set's literals, in one pass.
        let mut counts = [0usize; 8];
        let mut sets = 0u8;
        for &(k, literal, _) in own {
            counts[usize::from(k)] += occurrences.of(literal).len();
            sets |= 1 << k;
        }
        let starts_with = self.starts_with[pattern];
        let anchor = starts_with.or_else(|| {
            (0..8u8)
                .filter(|k| sets & (1 << k) != 0)
                .min_by_key(|&k| (counts[usize::from(k)], k))
        })?;
        // A place counts where it has the bounds its literal needs there.
        let meets = |bounds: Bounds, place: &Place| bounds.bits() & place.3 == bounds.bits();
        let mut places: Vec<Range<usize>> = own
            .iter()
            .filter(|&&(k, ..)| k == anchor)
            .flat_map(|&(_, literal, bounds)| {
                occurrences
                    .of(literal)
                    .iter()
                    .filter(move |o| meets(bounds, o))
                    .map(|o| o.1..o.2)
            })
            .collect();
        places.sort_unstable_by_key(|r| (r.start, r.end));
        // Another set's literal in the same match starts at most `reach`
        // bytes before this place ends (and not before it, when the match
        // starts here), and ends at most `reach` bytes after it starts. A
        // literal's places are in order of start, and all as long: the
        // first that starts late enough ends earliest.
        let others = sets & !(1 << anchor);
        if others != 0 {
            places.retain(|place| {
                let earliest = match starts_with {
                    Some(_) => place.start,
                    None => place.end.saturating_sub(reach),
                };
                (0..8u8).filter(|k| others & (1 << k) != 0).all(|k| {
                    own.iter()
                        .filter(|&&(j, ..)| j == k)
                        .any(|&(_, literal, bounds)| {
                            let found = occurrences.of(literal);
                            let first = found.partition_point(|o| o.1 < earliest);
                            found[first..]
                                .iter()
                                .take_while(|o| o.2 <= place.start.saturating_add(reach))
                                .any(|o| meets(bounds, o))
                        })
                })
            });
        }
        Some(Places {
            ranges: places,
            starts: starts_with.is_some(),
        })
    }

    /// How many patterns have no literal and always run.
    pub fn unfiltered(&self) -> usize {
        self.always.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::literals::{required_conjuncts_of, required_literals};

    /// A literal as text, each [`crate::text::literals::BOUNDARY`] mark
    /// written `\b`.
    fn shown(literal: &[u8]) -> String {
        let mut out = String::new();
        for &b in literal {
            match b {
                crate::text::literals::BOUNDARY => out.push_str("\\b"),
                b => out.push(char::from(b)),
            }
        }
        out
    }

    fn literals(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern).map(|set| set.iter().map(|l| shown(l)).collect())
    }

    #[test]
    fn literals_are_the_rarest_required_words() {
        // A word is marked (`\b`) where every match has it at a word
        // boundary: an assertion, or a neighbour that is never a word
        // character, optional parts between included.
        assert_eq!(
            literals(r"\bsensation\s+(?:was\s+|is\s+)?intact\b").unwrap(),
            [r"\bsensation\b"]
        );
        assert_eq!(
            literals(r"\b(?:left|right)\s+knee\b").unwrap(),
            [r"\bknee\b"]
        );
        assert_eq!(
            literals(r"\b(?:left|right)\s+(?:hip|leg)\b").unwrap(),
            [r"\bleft\b", r"\bright\b"]
        );
        assert_eq!(
            literals(r"\btreatments?\b").unwrap(),
            [r"\btreatments\b", r"\btreatment\b"]
        );
        // A digit may follow "VAS" at once.
        assert_eq!(literals(r"\bVAS\s*(?P<n>\d+)"), Some(vec![r"\bvas".into()]));
        // The parser lifts an alternation's common prefix out
        // (`m(?:mi|aximum\s+...)`): the prefix is joined to what starts
        // each alternative again.
        assert_eq!(
            literals(r"\b(?:MMI|maximum\s+medical\s+improvement)\b").unwrap(),
            [r"\bmaximum", r"\bmmi\b"]
        );
        // "med" of "medical" is no match of the ending "MED\b"; a digit may
        // come just before it.
        assert_eq!(
            literals(r"\d+\s*(?:MED|MME|morphine\s+equivalents?)\b").unwrap(),
            [r"med\b", r"mme\b", "morphine"]
        );
        assert_eq!(literals(r"\d+\s*/\s*\d+"), None);
        assert_eq!(literals(r"\b(?:pain|\w+)\b"), None);
        assert_eq!(
            literals(r"\b(?:pain|\w+algia)\b").unwrap(),
            ["algia", r"\bpain\b"]
        );
        // Only beside a word byte: `\b` before "/" asks for a word byte.
        assert_eq!(literals(r"\b/10\b").unwrap(), [r"/10\b"]);
        assert_eq!(literals(r"(?:the\s+)?knee\s+pain").unwrap(), [r"knee\b"]);
    }

    #[test]
    fn every_required_part_of_a_pattern_is_a_set_of_its_own() {
        let sets = |pattern: &str| -> Vec<Vec<String>> {
            let hir = crate::text::literals::parse(pattern, false).unwrap();
            required_conjuncts_of(&hir)
                .into_iter()
                .map(|set| set.iter().map(|l| shown(l)).collect())
                .collect()
        };
        assert_eq!(
            sets(r"\bsensation\s+(?:was\s+|is\s+)?intact\b"),
            [vec![r"\bsensation\b"], vec![r"\bintact\b"]]
        );
        assert_eq!(
            sets(r"\b(?:left|right)\s+knee\s+(?P<n>\d+)"),
            [vec![r"\bknee\b"], vec![r"\bleft\b", r"\bright\b"]]
        );
        // An optional part is not required; short words filter nothing.
        assert_eq!(sets(r"\bpain(?:\s+relief)?\s+of\b"), [vec![r"\bpain\b"]]);
        assert!(sets(r"\d+\s*/\s*\d+").is_empty());
    }

    #[test]
    fn the_set_a_match_starts_with_is_known() {
        let start = |pattern: &str| {
            let hir = crate::text::literals::parse(pattern, false).unwrap();
            let sets = required_conjuncts_of(&hir);
            crate::text::literals::start_set_of(&hir, &sets)
                .map(|k| sets[k].iter().map(|l| shown(l)).collect::<Vec<_>>())
        };
        // After a word boundary, the first word.
        assert_eq!(
            start(r"\bsensation\s+(?:was\s+|is\s+)?intact\b").unwrap(),
            [r"\bsensation\b"]
        );
        // Not the rarest set: the one that comes first.
        assert_eq!(
            start(r"\b(?:left|right)\s+knee\b").unwrap(),
            [r"\bleft\b", r"\bright\b"]
        );
        assert_eq!(
            start(r"\b(?:MMI|maximum\s+medical\s+improvement)\b").unwrap(),
            [r"\bmaximum", r"\bmmi\b"]
        );
        assert_eq!(start(r"(?P<x>failed)\s+therapy").unwrap(), [r"failed\b"]);
        // An optional first word, a number or a class first: no such set.
        assert_eq!(start(r"(?:the\s+)?knee\s+pain"), None);
        assert_eq!(start(r"\d+\s*(?:MED|MME|morphine\s+equivalents?)\b"), None);
        assert_eq!(start(r"\w+\s+knee"), None);
        // An alternative that starts with a word of no set.
        assert_eq!(start(r"\b(?:knee|hip)\s+pain|pain\s+in\s+the\s+knee"), None);
    }

    #[test]
    fn the_bytes_a_match_begins_with_are_known() {
        // The ASCII bytes, and whether every lead byte of a character
        // outside ASCII is among them.
        let first = |pattern: &str| {
            let hir = crate::text::literals::parse(pattern, false).unwrap();
            crate::text::literals::first_bytes(&hir).map(|set| {
                let has = |b: u8| set.contains(b);
                let ascii: String = (0..0x80u8).filter(|&b| has(b)).map(char::from).collect();
                (ascii, (0xC2..=0xF4).all(has))
            })
        };
        // Both cases of a letter; the Kelvin sign folds to k.
        assert_eq!(first(r"\bknee\b").unwrap(), ("Kk".into(), true));
        // An optional word: what follows it can begin the match too.
        assert_eq!(first(r"(?:the\s+)?hip").unwrap(), ("HTht".into(), false));
        assert_eq!(
            first(r"(?P<n>\d{1,3})\s*%").unwrap(),
            ("0123456789".into(), true)
        );
        assert_eq!(
            first(r"(?-u:\b)(?:IV|[1-4]/5)").unwrap(),
            ("1234Ii".into(), false)
        );
        // A match that can be empty begins anywhere.
        assert_eq!(first(r"(?:pain)?"), None);
        assert_eq!(first(r"\s*"), None);
    }

    /// The prefilter of `sources`, each checked as a pattern.
    fn filter_of(sources: &[&str]) -> Prefilter {
        let patterns: Vec<crate::text::pattern::Pattern> = sources
            .iter()
            .map(|p| crate::text::pattern::Pattern::new(p, false).unwrap())
            .collect();
        Prefilter::of_patterns(patterns.iter())
    }

    #[test]
    fn a_pattern_is_a_candidate_only_when_every_part_occurs() {
        let filter = filter_of(&[r"\bsensation\s+(?:was\s+)?intact\b", r"\bknee\b"]);
        assert_eq!(
            filter.candidates("Sensation was decreased.", false),
            Vec::<usize>::new()
        );
        assert_eq!(filter.candidates("Sensation intact; KNEE", false), [0, 1]);
        assert_eq!(filter.candidates("intact knee", false), [1]);
    }

    #[test]
    fn candidates_hold_every_pattern_whose_literal_occurs() {
        let filter = filter_of(&[r"\bknee\b", r"\bhip\s+pain", r"\d+"]);
        assert_eq!(filter.unfiltered(), 1);
        assert_eq!(filter.candidates("KNEE swelling", false), [0, 2]);
        assert_eq!(filter.candidates("Hip pain, knee", false), [0, 1, 2]);
        assert_eq!(filter.candidates("nothing here", false), [2]);
        // The Kelvin sign folds to k: every pattern runs.
        assert_eq!(filter.candidates("\u{212A}nee", true), [0, 1, 2]);
    }

    #[test]
    fn a_place_is_kept_only_with_every_other_part_within_reach() {
        let filter = filter_of(&[r"\bsensation\s+(?:was\s+)?intact\b", r"\d+"]);
        let dots = ".".repeat(30);
        let text = format!("intact, sensation was intact; {dots} sensation {dots} intact");
        let (candidates, occurrences) = filter.candidates_and_occurrences(&text, false);
        assert_eq!(candidates, [0, 1]);
        // Every match starts with "sensation" (2 places), so a match is
        // tried only there, and "intact" must lie after it. The first
        // (8..17) has "intact" ending at 28: a match holding both is at
        // least 20 bytes long. The second (61..70) has "intact" ending at
        // 108: at least 47 bytes ("intact" before it is not in a match
        // that starts there).
        let first: Range<usize> = 8..17;
        let near = |reach| filter.near(&occurrences, 0, reach).map(|p| p.ranges);
        assert_eq!(near(19), Some(vec![]));
        assert_eq!(near(20), Some(vec![first.clone()]));
        assert_eq!(near(46), Some(vec![first.clone()]));
        assert_eq!(near(47), Some(vec![first, 61..70]));
        assert!(filter.near(&occurrences, 0, 47).unwrap().starts);
        // A pattern without literals, or a text whose literals were not
        // read, gives no places: it is searched whole.
        assert_eq!(filter.near(&occurrences, 1, 100), None);
        let (_, unread) = filter.candidates_and_occurrences("\u{212A} sensation intact", true);
        assert_eq!(filter.near(&unread, 0, 100), None);
    }

    #[test]
    fn a_literal_marked_at_a_word_boundary_counts_only_where_it_is_one() {
        let filter = filter_of(&[
            r"\bMED\s+(?P<n>\d+)",
            r"\d+\s*MED\b",
            r"\bmedical\s+necessity\b",
        ]);
        // "med" inside "medical" and "remedy" is no word of its own.
        assert_eq!(
            filter.candidates("medical care, a remedy", false),
            [] as [usize; 0]
        );
        assert_eq!(filter.candidates("MED 90; 90MED.", false), [0, 1]);
        // "90med" is no word, but ends one.
        assert_eq!(filter.candidates("90med, medical necessity", false), [1, 2]);
        // A place of "med" that is no word is no place of the first pattern.
        let text = "medication MED 40 and medical";
        let (candidates, occurrences) = filter.candidates_and_occurrences(text, false);
        assert_eq!(candidates, [0, 1]);
        let places = filter.near(&occurrences, 0, 100).unwrap();
        assert_eq!(places.ranges, vec![Range { start: 11, end: 14 }]);
        assert!(places.starts);
    }
}
