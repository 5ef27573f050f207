//! A pattern of the rule pack, checked when the pack loads and compiled on
//! first use. Compiling the pack's ~1,800 patterns at every start was most of
//! a run's start-up; a letter needs only those its words can match (see
//! `facts::prefilter`).
//!
//! Patterns match case-insensitively with Unicode case folding, which pairs
//! `k` with the KELVIN SIGN and `s` with LONG S: [`has_non_ascii_folds`]
//! tells the prefilter, whose literals are ASCII, when a text holds either.
//!
//! Nearly every letter is plain ASCII, and on an ASCII text a pattern read
//! in ASCII mode (`\w`, `\s`, `.`, classes and case folding over bytes)
//! matches exactly where the Unicode reading does: the two differ only on
//! characters the text does not hold. The ASCII program costs a third of the
//! Unicode one to compile and a quarter of its memory, so an ASCII text is
//! searched with it, and the Unicode program is compiled only for a text
//! that holds another character, and only when the pattern cannot search
//! the text's projection onto ASCII ([`super::projection`]): a letter with a
//! degree sign or curly quotes is searched by the ASCII programs too.
//!
//! The ASCII program is, for nearly every pattern, the pattern with its
//! letters lowered, compiled case-sensitively and run over the text in
//! lower case ([`super::lowercase`]): the same matches at the same offsets,
//! for two thirds of the cost of compiling the case-insensitive program.
//! A pattern without a value group is searched by lazy DFAs alone
//! ([`super::lazy_dfa`]), which compile the program a match's start needs
//! only when the pattern first matches.

use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use regex_automata::meta::{self, Regex};
use regex_automata::util::iter::Searcher;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::Hir;

use super::dual_regex::ascii_reading;
use super::lazy_dfa::{LazyCache, LazyDfa};
use super::literals::{Bounds, ByteSet};
use super::match_length::{LengthBound, Runs, windows};
use super::nfa_code::{SIZE_LIMIT, names_group};
use super::projection::{Projection, Reading};

pub use super::literals::FOLDS_TO_ASCII;

/// Whether `text` holds a character that folds to an ASCII letter.
pub fn has_non_ascii_folds(text: &str) -> bool {
    text.contains('\u{17F}') || text.contains('\u{212A}')
}

/// Whether `haystack` holds `literal` (lower-case), ASCII case-insensitively,
/// at a place with the bounds it marks ([`super::literals::split_bounds`]):
/// each place its first byte occurs, in either case, is compared.
fn contains_ignore_ascii_case(haystack: &[u8], literal: &[u8]) -> bool {
    let (literal, bounds) = super::literals::split_bounds(literal);
    let Some((&first, rest)) = literal.split_first() else {
        return true;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), haystack).any(|at| {
        haystack
            .get(at + 1..at + literal.len())
            .is_some_and(|after| after.eq_ignore_ascii_case(rest))
            && bounds.met_by(Bounds::of_place(haystack, at, at + literal.len()))
    })
}

/// A case-insensitive pattern, compiled on first use; clones share the
/// compiled program.
#[derive(Clone)]
pub struct Pattern(Arc<Inner>);

struct Inner {
    source: String,
    lazy: bool,
    /// The sets of literals a match must contain (one of each set): the
    /// build's for a prepared pattern, else found when the pattern is
    /// checked (the one parse a pattern gets before it is compiled); empty
    /// when it has no useful literal.
    conjuncts: StoredConjuncts,
    /// The bound on the length of a match on an ASCII text, known before
    /// the pattern is compiled: the build's for a prepared pattern.
    prepared_length: Option<LengthBound>,
    /// Which set of `conjuncts` every match starts with a literal of
    /// ([`super::literals::start_set_of`]).
    starts_with: Option<usize>,
    /// The bytes a match can begin with ([`super::literals::first_bytes`]).
    first_bytes: Option<ByteSet>,
    /// The pattern read in ASCII mode, for ASCII texts; `None` only when it
    /// does not compile.
    ascii: OnceLock<Option<Compiled>>,
    /// The pattern read in Unicode mode, for every other text.
    unicode: OnceLock<Compiled>,
    /// What decides whether the ASCII program can search a text's
    /// projection onto ASCII; read from the Unicode parse, for the first
    /// text that holds another character.
    reading: OnceLock<Reading>,
}

/// A compiled pattern, the index of its value group `n` if it has one, and
/// the search cache its threads share.
///
/// A program's own pool keeps a cache (lazy-DFA states, capture slots) for
/// each thread that has searched with it, and a corpus run with two threads
/// searches with nearly every pattern on both: their caches were a third of
/// the peak memory. A search takes the shared cache when it is free, and
/// makes a cache of its own only when another thread holds it, so the
/// caches kept are one per pattern, whatever the number of threads or
/// letters. Which cache a search uses changes its cost, never its matches.
struct Compiled {
    program: Program,
    value_group: Option<usize>,
    cache: Mutex<Option<ProgramCache>>,
    /// Whether the program reads lower-case text ([`super::lowercase`]):
    /// it searches the text lowered.
    lowered: bool,
    /// How long a match can be ([`LengthBound`]), for an ASCII program
    /// whose matches are never empty; `None` for the others.
    length: Option<LengthBound>,
}

/// The engines that search for a pattern.
enum Program {
    /// The meta regex: a pattern with a value group, one read in Unicode
    /// mode, or one too large for a lazy DFA.
    Meta(Regex),
    /// Lazy DFAs alone ([`LazyDfa`]), for the ASCII programs of the others.
    Lazy(Box<LazyDfa>),
}

/// A program's search state (both kinds are large: boxed, the shared slot
/// of a pattern that never searches stays small).
enum ProgramCache {
    Meta(Box<meta::Cache>),
    Lazy(Box<LazyCache>),
}

impl Program {
    fn create_cache(&self) -> ProgramCache {
        match self {
            Program::Meta(regex) => ProgramCache::Meta(Box::new(regex.create_cache())),
            Program::Lazy(lazy) => ProgramCache::Lazy(Box::new(lazy.create_cache())),
        }
    }

    fn is_match(&self, cache: &mut ProgramCache, input: &Input<'_>) -> bool {
        match (self, cache) {
            (Program::Meta(regex), ProgramCache::Meta(cache)) => {
                regex.search_half_with(cache, input).is_some()
            }
            (Program::Lazy(lazy), ProgramCache::Lazy(cache)) => lazy.is_match(cache, input),
            _ => unreachable!("a program searches with its own cache"),
        }
    }

    fn search(&self, cache: &mut ProgramCache, input: &Input<'_>) -> Option<regex_automata::Match> {
        match (self, cache) {
            (Program::Meta(regex), ProgramCache::Meta(cache)) => regex.search_with(cache, input),
            (Program::Lazy(lazy), ProgramCache::Lazy(cache)) => lazy.search(cache, input),
            _ => unreachable!("a program searches with its own cache"),
        }
    }

    /// Where the leftmost-first match ends, without looking for its start.
    fn search_end(&self, cache: &mut ProgramCache, input: &Input<'_>) -> Option<usize> {
        match (self, cache) {
            (Program::Meta(regex), ProgramCache::Meta(cache)) => {
                regex.search_half_with(cache, input).map(|m| m.offset())
            }
            (Program::Lazy(lazy), ProgramCache::Lazy(cache)) => lazy.search_end(cache, input),
            _ => unreachable!("a program searches with its own cache"),
        }
    }
}

impl Compiled {
    fn new(regex: Regex) -> Compiled {
        Compiled::reading(regex, false)
    }

    fn reading(regex: Regex, lowered: bool) -> Compiled {
        let value_group = regex
            .group_info()
            .to_index(regex_automata::PatternID::ZERO, "n");
        Compiled {
            program: Program::Meta(regex),
            value_group,
            cache: Mutex::new(None),
            lowered,
            length: None,
        }
    }

    /// The program, with the bound on its matches' length read from the
    /// tree it was compiled from (none for a tree that matches empty).
    fn bounded_by(mut self, hir: &Hir) -> Compiled {
        self.length = LengthBound::of_pattern(hir);
        self
    }

    /// A program of lazy DFAs, for a pattern without a value group.
    fn lazy(lazy: LazyDfa, lowered: bool) -> Compiled {
        Compiled {
            program: Program::Lazy(Box::new(lazy)),
            value_group: None,
            cache: Mutex::new(None),
            lowered,
            length: None,
        }
    }

    /// Runs `search` with the shared cache or, when another thread holds
    /// it (rarely: a few searches in ten thousand at `-j 2`), with a cache
    /// made for this search and dropped after it.
    fn with_cache<T>(&self, search: impl FnOnce(&mut ProgramCache) -> T) -> T {
        match self.cache.try_lock() {
            Ok(mut shared) => search(shared.get_or_insert_with(|| self.program.create_cache())),
            Err(_) => search(&mut self.program.create_cache()),
        }
    }

    fn is_match(&self, haystack: &str) -> bool {
        let input = Input::new(haystack).earliest(true);
        self.with_cache(|cache| self.program.is_match(cache, &input))
    }

    fn find(&self, haystack: &str) -> Option<Range<usize>> {
        let input = Input::new(haystack);
        self.with_cache(|cache| self.program.search(cache, &input))
            .map(|m| m.range())
    }

    fn find_end(&self, haystack: &str) -> Option<usize> {
        let input = Input::new(haystack);
        self.with_cache(|cache| self.program.search_end(cache, &input))
    }

    /// Every non-overlapping match, as the program's `find_iter` gives them.
    fn find_iter(&self, haystack: &str) -> Vec<Range<usize>> {
        self.with_cache(|cache| {
            let mut searcher = Searcher::new(Input::new(haystack));
            let mut out = Vec::new();
            while let Some(m) = searcher.advance(|input| Ok(self.program.search(cache, input))) {
                out.push(m.range());
            }
            out
        })
    }

    /// Every non-overlapping match `within` the text, for a program whose
    /// matches are never empty: where every match lies inside one window,
    /// or starts at one of the starts, the matches of
    /// [`Compiled::find_iter`]. A search reads the text around what it
    /// searches for its look-arounds.
    fn find_iter_within(&self, haystack: &str, within: &Within) -> Vec<Range<usize>> {
        self.with_cache(|cache| {
            within.matches(haystack, |input| {
                self.program.search(cache, input).map(|m| (m.range(), ()))
            })
        })
        .into_iter()
        .map(|(range, ())| range)
        .collect()
    }

    /// [`Compiled::captures_iter`] `within` the text, as
    /// [`Compiled::find_iter_within`] reads them.
    fn captures_iter_within(
        &self,
        haystack: &str,
        group: usize,
        within: &Within,
    ) -> Vec<(Range<usize>, Option<Range<usize>>)> {
        self.with_meta(|regex, cache| {
            let mut caps = regex.create_captures();
            within.matches(haystack, |input| {
                regex.search_captures_with(cache, input, &mut caps);
                let whole = caps.get_match()?;
                Some((whole.range(), caps.get_group(group).map(|g| g.range())))
            })
        })
    }

    /// Runs `search` with the meta regex and its cache: only a meta regex
    /// has a value group.
    fn with_meta<T>(&self, search: impl FnOnce(&Regex, &mut meta::Cache) -> T) -> T {
        let Program::Meta(regex) = &self.program else {
            unreachable!("only a meta regex has a value group");
        };
        self.with_cache(|cache| {
            let ProgramCache::Meta(cache) = cache else {
                unreachable!("a program searches with its own cache");
            };
            search(regex, cache)
        })
    }

    /// Every non-overlapping match and the range of group `group` in it, as
    /// the program's `captures_iter` gives them: only a meta regex has a
    /// value group.
    fn captures_iter(
        &self,
        haystack: &str,
        group: usize,
    ) -> Vec<(Range<usize>, Option<Range<usize>>)> {
        self.with_meta(|regex, cache| {
            let mut caps = regex.create_captures();
            let mut searcher = Searcher::new(Input::new(haystack));
            let mut out = Vec::new();
            while let Some(m) = searcher.advance(|input| {
                regex.search_captures_with(cache, input, &mut caps);
                Ok(caps.get_match())
            }) {
                out.push((m.range(), caps.get_group(group).map(|g| g.range())));
            }
            out
        })
    }
}

/// Where a pattern's matches can lie in one text: the places of one of
/// its sets of literals ([`crate::facts::prefilter::Prefilter::near`]), in
/// order, each match holding one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    pub ranges: Vec<Range<usize>>,
    /// Whether every match also starts at one of them: the set is the one
    /// the pattern's matches start with.
    pub starts: bool,
}

/// What of a text a search reads.
enum Within {
    /// Windows (in order, disjoint) that each match lies inside.
    Windows(Vec<Range<usize>>),
    /// Where a match can start (in order), and how long it can be.
    Starts { starts: Vec<usize>, bound: usize },
}

impl Within {
    fn is_empty(&self) -> bool {
        match self {
            Within::Windows(windows) => windows.is_empty(),
            Within::Starts { starts, .. } => starts.is_empty(),
        }
    }

    /// Every match `search` finds, as [`matches_within`] and
    /// [`matches_from`] read them.
    fn matches<T>(
        &self,
        haystack: &str,
        search: impl FnMut(&Input<'_>) -> Option<(Range<usize>, T)>,
    ) -> Vec<(Range<usize>, T)> {
        match self {
            Within::Windows(windows) => matches_within(haystack, windows, search),
            Within::Starts { starts, bound } => matches_from(haystack, starts, *bound, search),
        }
    }
}

/// How many bytes may begin a pattern's matches for a search to try a
/// match at each of them ([`Pattern::find_all_near`]): a word list's
/// initials in both cases, the digits; not every letter. A match tried at
/// every letter of a window could read the window once per letter, where
/// a search of the window reads it once.
const SELECTIVE: u32 = 24;

pub(crate) fn selective(first: &ByteSet) -> bool {
    first.count() <= SELECTIVE
}

/// Where in `text` a match of at most `bound` bytes holding one of
/// `places` (anywhere, when `None`) can start: each byte of `first` no
/// later than a place and no earlier than `bound` bytes before its end.
fn starts_before(
    text: &[u8],
    places: Option<&Places>,
    bound: usize,
    first: &ByteSet,
) -> Vec<usize> {
    let begins = |i: &usize| first.contains(text[*i]);
    let Some(places) = places else {
        return (0..text.len()).filter(begins).collect();
    };
    let mut starts: Vec<usize> = Vec::new();
    for place in &places.ranges {
        let from = place
            .end
            .saturating_sub(bound)
            .max(starts.last().map_or(0, |&last| last + 1));
        let to = (place.start + 1).min(text.len());
        starts.extend((from..to).filter(begins));
    }
    starts
}

/// Every match `search` finds starting at one of `starts` (in order), as
/// non-overlapping matches follow one another: a search anchored at each
/// start that comes after the last match, reading no further than a match
/// of `bound` bytes reaches (and the text after it for its look-arounds).
/// `search` returns a match's range (never empty) and what else it read.
fn matches_from<T>(
    haystack: &str,
    starts: &[usize],
    bound: usize,
    mut search: impl FnMut(&Input<'_>) -> Option<(Range<usize>, T)>,
) -> Vec<(Range<usize>, T)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &start in starts {
        if start < at || start > haystack.len() {
            continue;
        }
        let end = start.saturating_add(bound).min(haystack.len());
        let input = Input::new(haystack)
            .span(start..end)
            .anchored(Anchored::Yes);
        at = start + 1;
        if let Some((range, rest)) = search(&input) {
            debug_assert_eq!(
                range.start, start,
                "an anchored match starts where it was tried"
            );
            at = range.end.max(at);
            out.push((range, rest));
        }
    }
    out
}

/// Every match `search` finds in each of `windows` (in order, disjoint),
/// each search starting where the last match ended; `search` returns a
/// match's range (never empty) and what else it read of it.
fn matches_within<T>(
    haystack: &str,
    windows: &[Range<usize>],
    mut search: impl FnMut(&Input<'_>) -> Option<(Range<usize>, T)>,
) -> Vec<(Range<usize>, T)> {
    let mut out = Vec::new();
    let mut at = 0;
    for window in windows {
        at = at.max(window.start);
        while at < window.end {
            let Some((range, rest)) = search(&Input::new(haystack).span(at..window.end)) else {
                break;
            };
            at = range.end.max(at + 1);
            out.push((range, rest));
        }
    }
    out
}

/// Reads a pattern (its source, and whether it swaps greediness) in one
/// of its ASCII readings.
type ReadAscii = fn(&str, bool) -> Option<Hir>;

/// The pattern's lower-case reading, searched over the text lowered.
fn lowercase_reading(source: &str, lazy: bool) -> Option<Hir> {
    super::prepared::lowercase_reading(source, lazy)
}

/// The pattern read in ASCII mode, case-insensitively.
fn ascii_mode_reading(source: &str, lazy: bool) -> Option<Hir> {
    let config = syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(true)
        .swap_greed(lazy);
    syntax::parse_with(source, &config).ok()
}

/// The ASCII reading of the pattern read in Unicode mode: for a pattern
/// ASCII mode does not read (a non-ASCII character in a class), at the
/// cost of a parse in Unicode mode.
fn ascii_reading_of_unicode(source: &str, lazy: bool) -> Option<Hir> {
    super::literals::parse(source, lazy)
        .ok()
        .map(|hir| ascii_reading(&hir))
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.0.source).finish()
    }
}

/// How a pattern keeps its sets of required literals.
enum StoredConjuncts {
    /// The build's table ([`super::prepared`]).
    Prepared(&'static [&'static [&'static [u8]]]),
    Parsed(Vec<Vec<Vec<u8>>>),
}

/// The sets of literals a pattern's matches contain one of each
/// ([`super::literals::required_conjuncts_of`]), lower-cased.
#[derive(Debug, Clone, Copy)]
pub enum Conjuncts<'a> {
    /// From the build's table.
    Prepared(&'static [&'static [&'static [u8]]]),
    /// Found by parsing the pattern.
    Parsed(&'a [Vec<Vec<u8>>]),
}

impl<'a> Conjuncts<'a> {
    /// How many sets.
    pub fn len(self) -> usize {
        match self {
            Conjuncts::Prepared(sets) => sets.len(),
            Conjuncts::Parsed(sets) => sets.len(),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The literals of set `k`.
    pub fn set(self, k: usize) -> impl Iterator<Item = &'a [u8]> {
        let (prepared, parsed): (&'static [&'static [u8]], &'a [Vec<u8>]) = match self {
            Conjuncts::Prepared(sets) => (sets[k], &[]),
            Conjuncts::Parsed(sets) => (&[], &sets[k]),
        };
        prepared
            .iter()
            .copied()
            .chain(parsed.iter().map(Vec::as_slice))
    }

    /// The sets as owned lists.
    pub fn to_vec(self) -> Vec<Vec<Vec<u8>>> {
        (0..self.len())
            .map(|k| self.set(k).map(<[u8]>::to_vec).collect())
            .collect()
    }
}

/// A text to search, with its projection onto ASCII when it holds another
/// character: made once for a text that many patterns search.
pub struct Haystack<'h> {
    text: &'h str,
    projection: Option<Projection>,
    /// The ASCII text (the text, or its projection) in lower case, for
    /// the programs that read lower-case text; made on first use.
    lowered: OnceLock<String>,
    /// The longest runs of the text's bytes, for the length of its
    /// patterns' matches ([`LengthBound`]); read on first use.
    runs: OnceLock<Runs>,
}

impl<'h> Haystack<'h> {
    pub fn new(text: &'h str) -> Haystack<'h> {
        Haystack {
            text,
            projection: Projection::of(text),
            lowered: OnceLock::new(),
            runs: OnceLock::new(),
        }
    }

    /// The longest runs of the ASCII text a program searches: the text,
    /// or its projection.
    fn runs(&self) -> Runs {
        *self.runs.get_or_init(|| {
            Runs::of(
                self.projection
                    .as_ref()
                    .map_or(self.text, |p| p.ascii.as_str()),
            )
        })
    }

    /// How far a match no longer than `length` reaches: in the bytes of
    /// the text searched (the text or its projection), and in the text's
    /// own bytes, which adds what the projection shortened (the most a
    /// stretch of the projection grows when mapped back to the text).
    fn reach(&self, length: LengthBound) -> (usize, usize) {
        let searched = length.on(self.runs());
        let slack = self
            .projection
            .as_ref()
            .map_or(0, |p| self.text.len() - p.ascii.len());
        (searched, searched.saturating_add(slack))
    }

    /// What `compiled` searches: the projection when it searches one, else
    /// the text; lowered when the program reads lower-case text. Lowering
    /// keeps every offset (ASCII letters stay one byte).
    fn searched<'a>(&'a self, compiled: &Compiled, projection: Option<&'a Projection>) -> &'a str {
        debug_assert!(
            projection.is_none_or(|p| self.projection.as_ref().is_some_and(|q| std::ptr::eq(p, q))),
            "a program searches the projection of its own haystack"
        );
        let text = projection.map_or(self.text, |p| p.ascii.as_str());
        if !compiled.lowered {
            return text;
        }
        self.lowered.get_or_init(|| text.to_ascii_lowercase())
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
        let (conjuncts, prepared_length, starts_with, first_bytes) =
            match super::prepared::prepared_literals(source) {
                Some(prepared) => (
                    StoredConjuncts::Prepared(prepared.sets),
                    prepared.length,
                    prepared.starts_with,
                    prepared.first_bytes,
                ),
                None => {
                    let hir = super::literals::parse(source, lazy).map_err(regex::Error::Syntax)?;
                    let conjuncts = super::literals::required_conjuncts_of(&hir);
                    let starts_with = super::literals::start_set_of(&hir, &conjuncts);
                    let first_bytes = super::literals::first_bytes(&hir);
                    (
                        StoredConjuncts::Parsed(conjuncts),
                        None,
                        starts_with,
                        first_bytes,
                    )
                }
            };
        Ok(Pattern(Arc::new(Inner {
            source: source.to_owned(),
            lazy,
            conjuncts,
            prepared_length,
            starts_with,
            first_bytes,
            ascii: OnceLock::new(),
            unicode: OnceLock::new(),
            reading: OnceLock::new(),
        })))
    }

    /// Every set of literals a match contains one of ([`super::literals::required_conjuncts_of`]).
    pub fn required_conjuncts(&self) -> Conjuncts<'_> {
        match &self.0.conjuncts {
            StoredConjuncts::Prepared(sets) => Conjuncts::Prepared(sets),
            StoredConjuncts::Parsed(sets) => Conjuncts::Parsed(sets),
        }
    }

    /// Which of [`Pattern::required_conjuncts`] every match starts with a
    /// literal of, if any ([`super::literals::start_set_of`]).
    pub fn start_set(&self) -> Option<usize> {
        self.0.starts_with
    }

    /// The bytes a match can begin with ([`super::literals::first_bytes`]).
    pub fn first_bytes(&self) -> Option<ByteSet> {
        self.0.first_bytes
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Compiles the pattern now (in Unicode mode, the mode any text can be
    /// searched in): the error a too-large pattern gives.
    ///
    /// The semantics are those of `regex::RegexBuilder` (leftmost-first,
    /// Unicode, case-insensitive), with two differences that change no
    /// match, only the cost: the regex's own literal prefilter is not built
    /// (extracting and building it was half of the cost of compiling a
    /// pattern, and the scanner's prefilter already runs a pattern only over
    /// a text holding its literals), nor the one-pass DFA, which serves only
    /// anchored searches and the pack never searches anchored.
    pub fn compile(&self) -> Result<Regex, Box<regex_automata::meta::BuildError>> {
        self.compile_in(syntax::Config::new())
    }

    /// Compiles the pattern in ASCII mode, for ASCII texts only: the program
    /// may match bytes that are not UTF-8, which an ASCII text never holds.
    /// Its lower-case reading when it has one (searched over the text
    /// lowered), else the case-insensitive program.
    /// A pattern that ASCII mode does not read (a non-ASCII character in a
    /// class) is compiled from its [`ascii_reading`], which costs a parse in
    /// Unicode mode.
    fn compile_ascii(&self) -> Option<Compiled> {
        if let Some(program) = self.prepared_program() {
            return Some(program);
        }
        let readings: [(ReadAscii, bool); 3] = [
            (lowercase_reading, true),
            (ascii_mode_reading, false),
            (ascii_reading_of_unicode, false),
        ];
        readings.into_iter().find_map(|(read, lowered)| {
            let hir = read(&self.0.source, self.0.lazy)?;
            self.compile_reading(&hir, read, lowered)
        })
    }

    /// The lazy DFAs of the lower-case reading of a pattern of the
    /// embedded pack, from the NFAs the build compiled
    /// ([`super::prepared::programs`]): the program [`Self::compile_ascii`]
    /// compiles from that reading, with the bound on its matches that the
    /// build read from it. `None` for any other pattern.
    fn prepared_program(&self) -> Option<Compiled> {
        if self.0.lazy {
            return None;
        }
        let (forward, reverse) = super::prepared::programs(&self.0.source)?;
        let source = self.0.source.clone();
        let reread = Box::new(move || lowercase_reading(&source, false));
        let program = LazyDfa::prepared(forward, reverse, reread, SIZE_LIMIT, self.meta_config())?;
        let mut compiled = Compiled::lazy(program, true);
        compiled.length = self.0.prepared_length;
        Some(compiled)
    }

    /// The program of one ASCII reading of the pattern (`read` makes it):
    /// lazy DFAs alone ([`LazyDfa`]) when it has no value group, else the
    /// meta regex. `None` when it does not compile.
    fn compile_reading(&self, hir: &Hir, read: ReadAscii, lowered: bool) -> Option<Compiled> {
        if !names_group(hir, "n") {
            let (source, lazy) = (self.0.source.clone(), self.0.lazy);
            let reread = Box::new(move || read(&source, lazy));
            if let Some(program) = LazyDfa::new(hir, reread, SIZE_LIMIT, self.meta_config()) {
                return Some(Compiled::lazy(program, lowered).bounded_by(hir));
            }
        }
        Regex::builder()
            .configure(self.meta_config())
            .build_from_hir(hir)
            .ok()
            .map(|regex| Compiled::reading(regex, lowered).bounded_by(hir))
    }

    fn meta_config(&self) -> meta::Config {
        meta::Config::new()
            .nfa_size_limit(Some(SIZE_LIMIT))
            .auto_prefilter(false)
            .onepass(false)
    }

    fn compile_in(
        &self,
        syntax: syntax::Config,
    ) -> Result<Regex, Box<regex_automata::meta::BuildError>> {
        Regex::builder()
            .syntax(syntax.case_insensitive(true).swap_greed(self.0.lazy))
            .configure(self.meta_config())
            .build(&self.0.source)
            .map_err(Box::new)
    }

    fn unicode(&self) -> &Compiled {
        self.0.unicode.get_or_init(|| {
            // A pattern that parses but whose program exceeds the size limit
            // never matches.
            let regex = self
                .compile()
                .unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("an empty class compiles"));
            Compiled::new(regex)
        })
    }

    fn ascii(&self) -> Option<&Compiled> {
        self.0.ascii.get_or_init(|| self.compile_ascii()).as_ref()
    }

    fn reading(&self) -> &Reading {
        self.0.reading.get_or_init(|| {
            // Greediness changes no class or literal: the build's reading
            // serves a lazy pattern too.
            super::prepared::projection_reading(&self.0.source).unwrap_or_else(|| {
                super::literals::parse(&self.0.source, self.0.lazy)
                    .map_or_else(|_| Reading::never(), |hir| Reading::of(&hir))
            })
        })
    }

    /// The program that searches `haystack`, and the projection it
    /// searches: the ASCII program for an ASCII text, or for the projection
    /// of another text when the pattern reads it alike; the Unicode program
    /// on the text otherwise.
    fn searcher<'a>(
        &'a self,
        haystack: &'a Haystack<'_>,
    ) -> (&'a Compiled, Option<&'a Projection>) {
        match &haystack.projection {
            None => {
                if let Some(ascii) = self.ascii() {
                    return (ascii, None);
                }
            }
            Some(projection) => {
                if self.reading().reads_alike(projection)
                    && let Some(ascii) = self.ascii()
                {
                    return (ascii, Some(projection));
                }
            }
        }
        (self.unicode(), None)
    }

    /// Compiles now, if it is not yet compiled, the program that searches
    /// `haystack`.
    pub fn prepare_in(&self, haystack: &Haystack<'_>) {
        self.searcher(haystack);
    }

    /// Whether `haystack` holds a literal of every set the pattern's matches
    /// need (ASCII case-insensitively): when it does not, the pattern
    /// cannot match, and need not be compiled to say so. A text holding a
    /// character that folds to an ASCII letter always may.
    fn could_match(&self, haystack: &str) -> bool {
        let conjuncts = self.required_conjuncts();
        if conjuncts.is_empty() || has_non_ascii_folds(haystack) {
            return true;
        }
        // Literals are lower-cased, as the prefilter's automaton reads them.
        let bytes = haystack.as_bytes();
        (0..conjuncts.len()).all(|k| {
            conjuncts
                .set(k)
                .any(|literal| contains_ignore_ascii_case(bytes, literal))
        })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        if !self.could_match(haystack) {
            return false;
        }
        let haystack = Haystack::new(haystack);
        let (compiled, projection) = self.searcher(&haystack);
        compiled.is_match(haystack.searched(compiled, projection))
    }

    /// The first match in `haystack`.
    pub fn find(&self, haystack: &str) -> Option<Range<usize>> {
        if !self.could_match(haystack) {
            return None;
        }
        let haystack = Haystack::new(haystack);
        let (compiled, projection) = self.searcher(&haystack);
        let found = compiled.find(haystack.searched(compiled, projection))?;
        Some(back(projection, found))
    }

    /// Where the first match in `haystack` ends (the end of
    /// [`Pattern::find`]'s match), found without looking for where it
    /// starts: the forward search alone.
    pub fn find_end(&self, haystack: &str) -> Option<usize> {
        if !self.could_match(haystack) {
            return None;
        }
        let haystack = Haystack::new(haystack);
        let (compiled, projection) = self.searcher(&haystack);
        let end = compiled.find_end(haystack.searched(compiled, projection))?;
        Some(back(projection, end..end).end)
    }

    /// Every non-overlapping match in `haystack`, with its value group's
    /// text.
    pub fn find_all<'h>(&self, haystack: &'h str) -> Vec<Found<'h>> {
        self.find_all_in(&Haystack::new(haystack))
    }

    /// Every non-overlapping match, with its value group's text. Only a
    /// pattern with a value group runs the capture engines; the others use
    /// the (much cheaper) match search.
    pub fn find_all_in<'h>(&self, haystack: &Haystack<'h>) -> Vec<Found<'h>> {
        self.find_all_within(haystack, None)
    }

    /// How far from one of its required literals a match can reach in
    /// `haystack`, in the text's bytes ([`LengthBound`] on the text its
    /// ASCII program searches, plus what the projection of a text with
    /// other characters shortened): `None` when the program searching it
    /// has no bound.
    pub fn reach_in(&self, haystack: &Haystack<'_>) -> Option<usize> {
        let (compiled, _) = self.searcher(haystack);
        Some(haystack.reach(compiled.length?).1)
    }

    /// [`Pattern::reach_in`] known without compiling the pattern: for a
    /// pattern the build prepared, on an ASCII text or a projection it
    /// reads alike. A pattern reads such a text alike in every mode, so
    /// the bound of its lower-case reading holds whichever program
    /// searches it.
    pub fn reach_before_compiling(&self, haystack: &Haystack<'_>) -> Option<usize> {
        if let Some(projection) = &haystack.projection
            && !self.reading().reads_alike(projection)
        {
            return None;
        }
        Some(haystack.reach(self.0.prepared_length?).1)
    }

    /// [`Pattern::find_all_in`], given, for the pattern's reach on this
    /// text ([`Pattern::reach_in`]), the places every match contains one
    /// of (`near`, in ascending order; `None` when they are not known):
    /// a pattern whose matches have a bounded length on this text is
    /// searched only that far around each, and not at all when there are
    /// none. On an ASCII text, such a pattern is tried only where a match
    /// can start, each search anchored there: at each place, when every
    /// match starts with one; else where the text holds a byte a match can
    /// begin with, when few bytes can ([`SELECTIVE`]), no further before a
    /// place than a match reaches (or anywhere, when no place is known). The matches are the same; the
    /// text searched, and the lazy DFA states built for it, are fewer, and
    /// no search looks back for where its match began.
    pub fn find_all_near<'h>(
        &self,
        haystack: &Haystack<'h>,
        near: impl FnOnce(usize) -> Option<Places>,
    ) -> Vec<Found<'h>> {
        let (compiled, projection) = self.searcher(haystack);
        let within = compiled.length.and_then(|length| {
            let (bound, reach) = haystack.reach(length);
            let places = near(reach);
            // Where every match starts at a place, a match is tried at each
            // place alone: the search builds the few states of an anchored
            // start, and never looks for where the match began. A
            // projection the program searches reads as the text does, so
            // a match on it starts where the text's match starts.
            if let Some(places) = places.as_ref().filter(|p| p.starts) {
                let starts = places
                    .ranges
                    .iter()
                    .map(|r| projection.map_or(r.start, |p| p.projected(r.start)))
                    .collect();
                return Some(Within::Starts { starts, bound });
            }
            // The bytes a match begins with are the text's: on ASCII text
            // alone (a projection's stand-ins are other bytes).
            if projection.is_none()
                && let Some(first) = self.0.first_bytes.filter(selective)
            {
                let text = haystack.searched(compiled, None).as_bytes();
                let starts = starts_before(text, places.as_ref(), bound, &first);
                return Some(Within::Starts { starts, bound });
            }
            let places = places?;
            // The places, and the windows, on the text searched.
            let (places, searched) = match projection {
                Some(projection) => {
                    let places: Vec<Range<usize>> = places
                        .ranges
                        .into_iter()
                        .map(|r| projection.projected(r.start)..projection.projected(r.end))
                        .collect();
                    (places, projection.ascii.len())
                }
                None => (places.ranges, haystack.text.len()),
            };
            let windows = windows(&places, bound, searched);
            // Searching most of the text in pieces costs more than
            // searching it whole.
            let covered: usize = windows.iter().map(ExactSizeIterator::len).sum();
            (covered * 2 < searched).then_some(Within::Windows(windows))
        });
        self.find_all_within(haystack, within)
    }

    /// Every non-overlapping match `within` the text (every match, when
    /// `None`), with its value group's text.
    fn find_all_within<'h>(
        &self,
        haystack: &Haystack<'h>,
        within: Option<Within>,
    ) -> Vec<Found<'h>> {
        if within.as_ref().is_some_and(Within::is_empty) {
            return Vec::new();
        }
        let (compiled, projection) = self.searcher(haystack);
        let text = haystack.text;
        let searched = haystack.searched(compiled, projection);
        let Some(group) = compiled.value_group else {
            let ranges = match &within {
                Some(within) => compiled.find_iter_within(searched, within),
                None => compiled.find_iter(searched),
            };
            return ranges
                .into_iter()
                .map(|range| Found {
                    range: back(projection, range),
                    value: None,
                })
                .collect();
        };
        let captures = match &within {
            Some(within) => compiled.captures_iter_within(searched, group, within),
            None => compiled.captures_iter(searched, group),
        };
        captures
            .into_iter()
            .map(|(whole, value)| Found {
                range: back(projection, whole),
                value: value.map(|g| &text[back(projection, g)]),
            })
            .collect()
    }
}

/// A range of the searched text as a range of the text.
fn back(projection: Option<&Projection>, range: Range<usize>) -> Range<usize> {
    match projection {
        Some(projection) => projection.original(range),
        None => range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::literals::BOUNDARY;

    /// The pattern as the regex crate reads it: the matches to compare with.
    fn unicode_regex(source: &str, lazy: bool) -> regex::Regex {
        regex::RegexBuilder::new(source)
            .case_insensitive(true)
            .swap_greed(lazy)
            .build()
            .unwrap()
    }

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
                pattern.required_conjuncts().to_vec(),
                crate::text::literals::required_conjuncts_of(&hir),
                "{source}"
            );
        }
        // Each word marked where the pattern holds it at a word boundary.
        let bounded = |word: &[u8]| [&[BOUNDARY], word, &[BOUNDARY]].concat();
        let knee = Pattern::new(r"\b(?:left|right)\s+knee\b", false).unwrap();
        assert_eq!(
            knee.required_conjuncts().to_vec(),
            [
                vec![bounded(b"knee")],
                vec![bounded(b"left"), bounded(b"right")]
            ]
        );
    }

    #[test]
    fn literals_are_found_in_either_case_and_at_either_end() {
        assert!(contains_ignore_ascii_case(b"Left KNEE", b"knee"));
        assert!(contains_ignore_ascii_case(b"kneel", b"knee"));
        assert!(contains_ignore_ascii_case(b"knee", b"knee"));
        assert!(!contains_ignore_ascii_case(b"kne", b"knee"));
        assert!(!contains_ignore_ascii_case(b"k nee knees", b"kneez"));
        assert!(contains_ignore_ascii_case(b"", b""));
        assert!(contains_ignore_ascii_case(b"x 10 mg", b"10 mg"));
        // A literal marked at a word boundary is found only where it is one.
        let knee = [&[BOUNDARY], &b"knee"[..], &[BOUNDARY]].concat();
        assert!(contains_ignore_ascii_case(b"kneel, (Knee)", &knee));
        assert!(contains_ignore_ascii_case(b"knee", &knee));
        assert!(!contains_ignore_ascii_case(b"kneel kneecap", &knee));
        assert!(!contains_ignore_ascii_case(b"aknee_", &knee));
        let ending = [&b"mg"[..], &[BOUNDARY]].concat();
        assert!(contains_ignore_ascii_case(b"10mg.", &ending));
        assert!(!contains_ignore_ascii_case(b"10mgs", &ending));
    }

    #[test]
    fn a_text_without_the_required_words_is_ruled_out_without_compiling() {
        let p = Pattern::new(r"\bsensation\s+(?:was\s+)?intact\b", false).unwrap();
        assert!(!p.is_match("Sensation was decreased."));
        assert_eq!(p.find("intact sensory exam"), None);
        assert!(p.0.ascii.get().is_none(), "ruled out by its literals alone");
        // Both words, but not as the pattern has them: compiled and run.
        assert!(!p.is_match("Sensation was decreased; reflexes intact."));
        assert!(p.is_match("SENSATION WAS INTACT"));
        assert!(p.0.ascii.get().is_some());
        assert!(
            p.0.unicode.get().is_none(),
            "an ASCII text needs no Unicode program"
        );
        // The Kelvin sign folds to k: such a text always runs the pattern.
        let knee = Pattern::new(r"\bknee\b", false).unwrap();
        assert!(knee.is_match("\u{212A}nee"));
    }

    #[test]
    fn an_ascii_text_is_searched_in_ascii_mode_with_the_matches_of_unicode_mode() {
        let texts = [
            "Pain 7/10; sensation intact in the L5-S1 dermatome, SLR +, (ICD9 729.2).",
            "She had 12 sessions of PT over 6 weeks -- no benefit.\nKnee: MRI 01/02/2014",
            "x\ty  z_9 ... [a] {b} \"quoted\" it's K S k s",
        ];
        for source in [
            r"\w+",
            r"\s+\S",
            r"[^a-z0-9\s]+",
            r".{3}\b",
            r"(?P<n>\d+)\s+(?:sessions?|weeks?)",
            r"\bk\b|\bs\b",
            r"[[:punct:]]+",
            r"(?i:sensation)\s+(?:was\s+)?intact",
        ] {
            let pattern = Pattern::new(source, false).unwrap();
            let unicode = unicode_regex(source, false);
            for text in texts {
                let ours: Vec<_> = pattern
                    .find_all(text)
                    .into_iter()
                    .map(|f| f.range)
                    .collect();
                let theirs: Vec<_> = unicode.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(ours, theirs, "{source} on {text:?}");
            }
            assert!(pattern.0.unicode.get().is_none(), "{source}: ASCII only");
        }
        // A text with another character is searched through its projection
        // onto ASCII, with the matches of Unicode mode.
        let word = Pattern::new(r"\w+", false).unwrap();
        let found = word.find_all("José Ñúñez");
        assert_eq!(found.len(), 2, "Unicode words");
        assert_eq!(found[0].range, 0.."José".len());
        assert_eq!(found[1].range, "José ".len().."José Ñúñez".len());
        assert!(word.0.unicode.get().is_none());
        // Unless the pattern tells a character from its stand-in: then in
        // Unicode mode.
        let underscore = Pattern::new(r"[a-z_]+", false).unwrap();
        assert_eq!(underscore.find("é_x"), Some("é".len().."é_x".len()));
        assert!(underscore.0.unicode.get().is_some());
        // A pattern with a non-ASCII character in a class, which ASCII mode
        // does not read, searches an ASCII text in its ASCII reading.
        let possessive = Pattern::new(r"tinel(?:['’]?s)?\s+sign", false).unwrap();
        assert!(possessive.is_match("positive Tinel's sign"));
        assert!(matches!(possessive.0.ascii.get(), Some(Some(_))));
        assert!(possessive.0.unicode.get().is_none());
        assert!(possessive.is_match("positive Tinel’s sign"));
    }

    /// A pattern whose matches start with one of its literals, searched
    /// only from where the text holds one, finds what a whole search
    /// finds: a word boundary before a place, a match running over the
    /// next place, one place found twice (two literals starting there),
    /// a value group, and a place that starts no match.
    #[test]
    fn a_match_tried_only_where_one_can_start_is_the_whole_searchs_match() {
        let cases = [
            (
                r"\bknee\s+pain\b",
                "xknee pain; knee  pain knee pain, kneepain knee pain",
            ),
            (
                r"\b(?:left|right)\s+knee\b",
                "left left knee, right  knee; leftknee left\nknee",
            ),
            (
                r"\btreatments?\s+(?P<n>\d+)",
                "treatment 12, treatments 4 and treatments x",
            ),
            (r"\bknee(?:\s+knee){0,3}\b", "knee knee knee; knee"),
        ];
        for (source, text) in cases {
            let pattern = Pattern::new(source, false).unwrap();
            let k = pattern
                .start_set()
                .expect("its matches start with a literal");
            let lower = text.to_ascii_lowercase();
            let conjuncts = pattern.required_conjuncts();
            let mut ranges: Vec<Range<usize>> = conjuncts
                .set(k)
                .flat_map(|literal| {
                    let (literal, _) = crate::text::literals::split_bounds(literal);
                    let literal = std::str::from_utf8(literal).unwrap();
                    lower
                        .match_indices(literal)
                        .map(|(at, l)| at..at + l.len())
                        .collect::<Vec<_>>()
                })
                .collect();
            ranges.sort_unstable_by_key(|r| (r.start, r.end));
            let haystack = Haystack::new(text);
            assert!(pattern.reach_in(&haystack).is_some(), "{source} is bounded");
            let places = Places {
                ranges,
                starts: true,
            };
            let near: Vec<_> = pattern
                .find_all_near(&haystack, |_| Some(places))
                .into_iter()
                .map(|f| (f.range, f.value))
                .collect();
            let whole: Vec<_> = unicode_regex(source, false)
                .captures_iter(text)
                .map(|c| (c.get(0).unwrap().range(), c.name("n").map(|n| n.as_str())))
                .collect();
            assert!(!whole.is_empty(), "{source}");
            assert_eq!(near, whole, "{source} on {text:?}");
        }
    }

    #[test]
    fn a_search_has_the_same_matches_with_the_shared_cache_or_its_own() {
        let texts = [
            "She had 12 sessions of PT over 6 weeks; then 4 sessions.",
            "",
            "no numbers here at all",
        ];
        for source in [r"(?P<n>\d+)\s+sessions?", r"\d*", r"\bsessions?\b", r"x*"] {
            let pattern = Pattern::new(source, false).unwrap();
            let unicode = unicode_regex(source, false);
            for text in texts {
                let theirs: Vec<_> = unicode
                    .captures_iter(text)
                    .map(|c| (c.get(0).unwrap().range(), c.name("n").map(|n| n.as_str())))
                    .collect();
                let ours = || -> Vec<_> {
                    pattern
                        .find_all(text)
                        .into_iter()
                        .map(|f| (f.range, f.value))
                        .collect()
                };
                // The shared cache, first made and then reused.
                assert_eq!(ours(), theirs, "{source} on {text:?}");
                assert_eq!(ours(), theirs, "{source} on {text:?}");
                let compiled = pattern.ascii().expect("an ASCII program");
                assert!(compiled.cache.lock().unwrap().is_some());
                // Another thread holds the shared cache: a cache of its own.
                let held = compiled.cache.lock().unwrap();
                assert_eq!(ours(), theirs, "{source} on {text:?}, cache held");
                assert_eq!(
                    pattern.is_match(text),
                    unicode.is_match(text),
                    "{source} on {text:?}, cache held"
                );
                assert_eq!(
                    pattern.find(text),
                    unicode.find(text).map(|m| m.range()),
                    "{source} on {text:?}, cache held"
                );
                drop(held);
                assert_eq!(pattern.is_match(text), unicode.is_match(text));
                assert_eq!(pattern.find(text), unicode.find(text).map(|m| m.range()));
            }
        }
    }

    #[test]
    fn a_text_with_other_characters_has_the_matches_of_unicode_mode() {
        let texts = [
            "Flexion 90°; “no red flags”; pain 7/10 – worse; José’s knee\u{a0}MRI.",
            "Straight-leg raise ® positive at 45° \u{2014} L5–S1; ½ tablet; naïve",
            "«Ärztliche» Ü-Untersuchung: ٣ weeks, \u{212A}nee, ſession, 2 sessions",
            "émoji 🙂 pain ‘moderate’, réflexes intacts",
        ];
        for (source, lazy) in [
            (r"\w+", false),
            (r"(?-u:\b)knee(?-u:\b)", false),
            (r"\bpain\b.{0,20}\d+", false),
            (r"[^.;]{0,30}\bflags?\b", true),
            (r"(?P<n>\d+)\s*(?:°|degrees)", false),
            (r"(?P<n>\d+)\s+(?:sessions?|weeks?)", false),
            (r"\s+\S+\s+", false),
            (r"[[:punct:]]+", false),
            (r"\W+", false),
            (r"[a-z]+", false),
            (r"(?-u:\b)\w+(?-u:\b)", false),
            (r"['’]s\b", false),
            (r".{2}", false),
        ] {
            let pattern = Pattern::new(source, lazy).unwrap();
            let unicode = unicode_regex(source, lazy);
            for text in texts {
                let ours: Vec<_> = pattern
                    .find_all(text)
                    .into_iter()
                    .map(|f| (f.range, f.value))
                    .collect();
                let theirs: Vec<_> = unicode
                    .captures_iter(text)
                    .map(|c| {
                        let whole = c.get(0).unwrap();
                        (whole.range(), c.name("n").map(|n| n.as_str()))
                    })
                    .collect();
                assert_eq!(ours, theirs, "{source} on {text:?}");
                assert_eq!(pattern.find(text), theirs.first().map(|t| t.0.clone()));
                assert_eq!(pattern.is_match(text), !theirs.is_empty());
            }
        }
    }

    #[test]
    fn the_end_of_a_match_found_alone_is_the_end_of_the_match() {
        let texts = [
            "ACOEM Chapter 12, Low Back Complaints, pages 303-305; ODG Knee",
            "She had 12 sessions of PT over 6 weeks; 8 sessions of PT before.",
            "Jos\u{e9} had 12 sessions of PT in \u{201c}Knee\u{201d} care",
            "\u{212A}nee and knee",
            "nothing to find",
            "",
        ];
        for (source, lazy) in [
            (r"\bODG\b.*\bknee\b", true),
            (r"\bODG\b.*\bknee\b", false),
            (r"(?P<n>\d+)\s+sessions?\s+of\s+PT", false),
            (r"\b(?:MTUS|ACOEM)\b[\s,]+Chapters?\s+\d+\b", true),
            (r"\bknees?\b", false),
            (r"\w+\s+(?:of|in)\s+\W?\w+", false),
            (r"[a-z_]+", false),
        ] {
            let pattern = Pattern::new(source, lazy).unwrap();
            for text in texts {
                assert_eq!(
                    pattern.find_end(text),
                    pattern.find(text).map(|m| m.end),
                    "{source} on {text:?}"
                );
            }
        }
        let lazy = Pattern::new(r"\bODG\b.*\bknee\b", true).unwrap();
        assert_eq!(lazy.find_end("ODG Knee, Low Back, Knee"), Some(8));
        let greedy = Pattern::new(r"\bODG\b.*\bknee\b", false).unwrap();
        assert_eq!(greedy.find_end("ODG Knee, Low Back, Knee"), Some(24));
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
