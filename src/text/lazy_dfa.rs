//! A pattern's program made of lazy DFAs alone, for the ASCII programs of
//! the pack's patterns that have no value group.
//!
//! The meta regex compiles, for every pattern, a forward NFA with its
//! capture states (for the PikeVM and the backtracker), a reverse NFA (for
//! the reverse lazy DFA that finds where a match starts) and the engines
//! over them. A pack pattern without a value group needs no capture, and
//! most of those compiled for a letter never match it: they are compiled
//! because the letter holds their words, and searched to find nothing. So
//! this program compiles the forward NFA without capture states and its
//! lazy DFA, which answers "is there a match, and where does it end"; the
//! reverse NFA and its lazy DFA are compiled when the pattern first
//! matches, to find where that match starts. A search is the search the
//! meta regex makes with its own lazy DFAs (`hybrid::regex::Regex`): the
//! same matches at the same offsets. When a lazy DFA gives up (its cache
//! cleared too often) or cannot be built, the search is made by the meta
//! regex, compiled then: the engines the meta regex itself falls back on.
//!
//! For a pattern of the embedded pack, both NFAs were compiled when the
//! binary was built and are read from their bytes ([`LazyDfa::prepared`],
//! [`super::nfa_code`]): the same programs, without the compile.

use std::sync::OnceLock;

use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::{Anchored, Input, Match, MatchKind};
use regex_syntax::hir::Hir;

use super::nfa_code::{self, nfa_config};

/// Reads the pattern again, for the programs compiled after the first.
pub type Reread = Box<dyn Fn() -> Option<Hir> + Send + Sync>;

/// Lazy DFAs over a pattern's reading, and the meta regex for what they
/// cannot search.
pub struct LazyDfa {
    /// The reading, made again when the reverse program or the meta regex
    /// is compiled: keeping every compiled pattern's tree cost a tenth of
    /// a run's peak memory.
    reread: Reread,
    size_limit: usize,
    forward: DFA,
    /// The reverse NFA as the build wrote it ([`nfa_code`]), for a pattern
    /// of the embedded pack.
    prepared_reverse: Option<&'static [u8]>,
    /// Built when the pattern first matches; `None` when it cannot be.
    reverse: OnceLock<Option<DFA>>,
    /// Built when a lazy DFA first gives up.
    fallback: OnceLock<Option<Regex>>,
    meta_config: meta::Config,
}

/// The search state of a [`LazyDfa`]: one per thread searching at once.
pub struct LazyCache {
    forward: dfa::Cache,
    reverse: Option<dfa::Cache>,
    fallback: Option<meta::Cache>,
}

/// The lazy DFA configuration of the meta regex (its literal prefilter
/// aside, which the pack's patterns do not use).
fn dfa_config(kind: MatchKind) -> dfa::Config {
    dfa::Config::new()
        .match_kind(kind)
        .byte_classes(true)
        .unicode_word_boundary(true)
        .skip_cache_capacity_check(false)
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10))
}

impl LazyDfa {
    /// The forward lazy DFA of `hir`, which `reread` reads again; `None`
    /// when it cannot be built (its NFA over `size_limit`, or too large
    /// for a lazy DFA's cache).
    pub fn new(
        hir: &Hir,
        reread: Reread,
        size_limit: usize,
        meta_config: meta::Config,
    ) -> Option<LazyDfa> {
        let nfa = thompson::Compiler::new()
            .configure(nfa_config(size_limit))
            .build_from_hir(hir)
            .ok()?;
        LazyDfa::of_nfa(nfa, None, reread, size_limit, meta_config)
    }

    /// [`LazyDfa::new`] from the forward and reverse NFAs the build wrote
    /// for a pattern of the embedded pack ([`nfa_code`]): the same programs,
    /// without compiling the pattern's tree. `None` when the bytes do not
    /// decode.
    pub fn prepared(
        forward: &[u8],
        reverse: &'static [u8],
        reread: Reread,
        size_limit: usize,
        meta_config: meta::Config,
    ) -> Option<LazyDfa> {
        let nfa = nfa_code::decode(forward, Some(size_limit))?;
        LazyDfa::of_nfa(nfa, Some(reverse), reread, size_limit, meta_config)
    }

    fn of_nfa(
        nfa: NFA,
        prepared_reverse: Option<&'static [u8]>,
        reread: Reread,
        size_limit: usize,
        meta_config: meta::Config,
    ) -> Option<LazyDfa> {
        let forward = dfa::Builder::new()
            .configure(dfa_config(MatchKind::LeftmostFirst))
            .build_from_nfa(nfa)
            .ok()?;
        Some(LazyDfa {
            reread,
            size_limit,
            forward,
            prepared_reverse,
            reverse: OnceLock::new(),
            fallback: OnceLock::new(),
            meta_config,
        })
    }

    pub fn create_cache(&self) -> LazyCache {
        LazyCache {
            forward: self.forward.create_cache(),
            reverse: None,
            fallback: None,
        }
    }

    fn reverse(&self) -> Option<&DFA> {
        self.reverse
            .get_or_init(|| {
                let prepared = self
                    .prepared_reverse
                    .and_then(|bytes| nfa_code::decode(bytes, Some(self.size_limit)));
                let nfa = match prepared {
                    Some(nfa) => nfa,
                    None => thompson::Compiler::new()
                        .configure(nfa_config(self.size_limit).reverse(true))
                        .build_from_hir(&(self.reread)()?)
                        .ok()?,
                };
                dfa::Builder::new()
                    .configure(dfa_config(MatchKind::All))
                    .build_from_nfa(nfa)
                    .ok()
            })
            .as_ref()
    }

    /// The meta regex and its cache, for a search the lazy DFAs cannot make.
    fn fallback<'c>(&self, cache: &'c mut LazyCache) -> Option<(&Regex, &'c mut meta::Cache)> {
        let regex = self
            .fallback
            .get_or_init(|| {
                Regex::builder()
                    .configure(self.meta_config.clone())
                    .build_from_hir(&(self.reread)()?)
                    .ok()
            })
            .as_ref()?;
        let cache = cache.fallback.get_or_insert_with(|| regex.create_cache());
        Some((regex, cache))
    }

    /// Whether `input` holds a match (its search set to stop at the first
    /// match it sees).
    pub fn is_match(&self, cache: &mut LazyCache, input: &Input<'_>) -> bool {
        match self.forward.try_search_fwd(&mut cache.forward, input) {
            Ok(found) => found.is_some(),
            Err(_) => self
                .fallback(cache)
                .is_some_and(|(regex, cache)| regex.search_half_with(cache, input).is_some()),
        }
    }

    /// The leftmost-first match in `input`.
    pub fn search(&self, cache: &mut LazyCache, input: &Input<'_>) -> Option<Match> {
        match self.try_search(cache, input) {
            Some(found) => found,
            None => self
                .fallback(cache)
                .and_then(|(regex, cache)| regex.search_with(cache, input)),
        }
    }

    /// Where the leftmost-first match in `input` ends: the forward search
    /// alone.
    pub fn search_end(&self, cache: &mut LazyCache, input: &Input<'_>) -> Option<usize> {
        match self.forward.try_search_fwd(&mut cache.forward, input) {
            Ok(found) => found.map(|end| end.offset()),
            Err(_) => self.fallback(cache).and_then(|(regex, cache)| {
                regex.search_half_with(cache, input).map(|end| end.offset())
            }),
        }
    }

    /// The search `hybrid::regex::Regex::try_search` makes: the forward
    /// DFA finds where the match ends, the reverse DFA, anchored there,
    /// where it starts. `None` when a DFA gave up.
    fn try_search(&self, cache: &mut LazyCache, input: &Input<'_>) -> Option<Option<Match>> {
        let end = match self
            .forward
            .try_search_fwd(&mut cache.forward, input)
            .ok()?
        {
            None => return Some(None),
            Some(end) => end,
        };
        if input.start() == end.offset() {
            return Some(Some(Match::new(end.pattern(), end.offset()..end.offset())));
        }
        let anchored = match input.get_anchored() {
            Anchored::No => self.forward.get_nfa().is_always_start_anchored(),
            Anchored::Yes | Anchored::Pattern(_) => true,
        };
        if anchored {
            return Some(Some(Match::new(end.pattern(), input.start()..end.offset())));
        }
        let reverse = self.reverse()?;
        let backwards = input
            .clone()
            .span(input.start()..end.offset())
            .anchored(Anchored::Yes)
            .earliest(false);
        let reverse_cache = cache.reverse.get_or_insert_with(|| reverse.create_cache());
        let start = reverse.try_search_rev(reverse_cache, &backwards).ok()??;
        Some(Some(Match::new(
            end.pattern(),
            start.offset()..end.offset(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lazy(pattern: &str) -> LazyDfa {
        let pattern = pattern.to_owned();
        let read = move || {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .unicode(false)
                .utf8(false)
                .build()
                .parse(&pattern)
                .ok()
        };
        let hir = read().unwrap();
        LazyDfa::new(&hir, Box::new(read), 1 << 24, meta::Config::new()).unwrap()
    }

    /// The program of `pattern` read from its NFAs' bytes.
    fn prepared(pattern: &str) -> LazyDfa {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false)
            .build()
            .parse(pattern)
            .unwrap();
        let bytes = |reverse: bool| {
            let nfa = thompson::Compiler::new()
                .configure(nfa_config(1 << 24).reverse(reverse))
                .build_from_hir(&hir)
                .unwrap();
            nfa_code::encode(&nfa).unwrap()
        };
        let reverse: &'static [u8] = Box::leak(bytes(true).into_boxed_slice());
        let never_read = Box::new(|| None);
        LazyDfa::prepared(
            &bytes(false),
            reverse,
            never_read,
            1 << 24,
            meta::Config::new(),
        )
        .unwrap()
    }

    fn meta(pattern: &str) -> Regex {
        Regex::builder()
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .case_insensitive(true)
                    .unicode(false)
                    .utf8(false),
            )
            .build(pattern)
            .unwrap()
    }

    /// Every match, as `regex_automata::util::iter::Searcher` gives them.
    fn matches(
        search: &mut dyn FnMut(&Input<'_>) -> Option<Match>,
        text: &str,
    ) -> Vec<(usize, usize)> {
        let mut searcher = regex_automata::util::iter::Searcher::new(Input::new(text));
        let mut out = Vec::new();
        while let Some(m) = searcher.advance(|input| Ok(search(input))) {
            out.push((m.start(), m.end()));
        }
        out
    }

    #[test]
    fn the_lazy_dfas_find_the_matches_of_the_meta_regex() {
        let text = "Pain 7/10; failed 6 weeks of conservative care. Sensation intact, \
                    sensation INTACT in the L5-S1 dermatome; x ; knee-knee knee.";
        for pattern in [
            r"\bsensation\s+(?:was\s+)?intact\b",
            r"\b(?:failed|despite)\s+(?:\w+\s+){0,4}?(?:conservative|therapy)\b",
            r"\d+",
            r"x*",
            r"\bknee\b",
            r"^pain",
            r"knee|knee-knee",
            r"[a-z]+\s*;",
        ] {
            let program = lazy(pattern);
            let regex = meta(pattern);
            let mut cache = program.create_cache();
            let mut meta_cache = regex.create_cache();
            let ours = matches(&mut |input| program.search(&mut cache, input), text);
            let theirs = matches(&mut |input| regex.search_with(&mut meta_cache, input), text);
            assert_eq!(ours, theirs, "{pattern}");
            // From the programs' bytes, as the build writes them.
            let prepared = prepared(pattern);
            let mut prepared_cache = prepared.create_cache();
            let read_back = matches(
                &mut |input| prepared.search(&mut prepared_cache, input),
                text,
            );
            assert_eq!(read_back, theirs, "{pattern}, prepared");
            let earliest = Input::new(text).earliest(true);
            assert_eq!(
                program.is_match(&mut cache, &earliest),
                regex.is_match(text),
                "{pattern}"
            );
        }
    }

    #[test]
    fn the_reverse_program_waits_for_a_first_match() {
        let program = lazy(r"\bsensation\s+intact\b");
        let mut cache = program.create_cache();
        assert_eq!(
            program.search(&mut cache, &Input::new("no such words")),
            None
        );
        assert!(
            program.reverse.get().is_none(),
            "no match, no reverse program"
        );
        let found = program.search(&mut cache, &Input::new("with sensation  intact."));
        assert_eq!(found.map(|m| m.range()), Some(5..22));
        assert!(program.reverse.get().is_some());
    }
}
