//! The literals a pattern's matches must contain: what the scanner's
//! prefilter looks for (see `facts::prefilter`). Every pattern is parsed once
//! for a small set of literals one of which occurs (ASCII case-insensitively)
//! in each of its matches.
//!
//! This file stands alone (it uses only `regex_syntax`): the build script
//! includes it to prepare the embedded pack's patterns when the binary is
//! built (see `text::prepared`), so that the two can never disagree.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The non-ASCII characters Unicode simple case folding maps to ASCII
/// letters (LONG S to `s`, KELVIN SIGN to `k`): an ASCII case-insensitive
/// literal misses them, so a text holding either runs every pattern.
pub const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// Rewrites `\b` and `\B` as ASCII word boundaries. Letters are English;
/// a Unicode boundary would make the fast DFA engines give up on every letter
/// holding a curly quote or a bullet and fall back to the slow PikeVM.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

/// Parses a pattern as the pack reads it: case-insensitive, greediness
/// swapped when `lazy`. The error is the parser's message.
pub fn parse(source: &str, lazy: bool) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .swap_greed(lazy)
        .build()
        .parse(source)
        .map_err(|e| e.to_string())
}

/// The largest set of alternatives kept for one node.
const MAX_ALTERNATIVES: usize = 64;
/// Literals shorter than this occur nearly everywhere: not worth filtering on.
const MIN_LITERAL: usize = 3;

/// Literals (lower-cased) one of which occurs, ASCII case-insensitively, in
/// every match of `pattern` read case-insensitively; `None` when the pattern
/// has no such set of useful literals.
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    required_literals_of(&parse(pattern, false).ok()?)
}

/// [`required_literals`] of a pattern already parsed (case-insensitive).
pub fn required_literals_of(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let set = required(hir)?;
    (score(&set) >= MIN_LITERAL).then_some(set)
}

/// The most sets of [`required_conjuncts_of`] kept for one pattern.
const MAX_CONJUNCTS: usize = 6;

/// Sets of literals (lower-cased) such that every match of the parsed
/// pattern contains one literal of *each* set: the best single set
/// ([`required_literals_of`]) first, then the literals of the pattern's other
/// required parts ("sensation" and "intact" for
/// `\bsensation\s+(?:was\s+|is\s+)?intact\b`). A text must hold all of them
/// for the pattern to match, which rules out far more texts than one word
/// does. Empty when the pattern has no useful literal.
pub fn required_conjuncts_of(hir: &Hir) -> Vec<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<Vec<u8>>> = required_literals_of(hir).into_iter().collect();
    conjuncts(hir, &mut out);
    let mut kept: Vec<Vec<Vec<u8>>> = Vec::new();
    for set in out {
        if score(&set) >= MIN_LITERAL && !kept.contains(&set) {
            kept.push(set);
        }
    }
    kept.truncate(MAX_CONJUNCTS);
    kept
}

/// Which of `sets` (the pattern's [`required_conjuncts_of`]) holds what
/// every match of `hir` starts with: each match begins, after zero-width
/// assertions, with one of that set's literals, so a search need only try
/// a match starting where the text holds one. `None` when no set does.
pub fn start_set_of(hir: &Hir, sets: &[Vec<Vec<u8>>]) -> Option<usize> {
    let starts = prefixes(hir)?;
    if starts.iter().any(Vec::is_empty) {
        return None;
    }
    sets.iter()
        .position(|set| starts.iter().all(|start| set.contains(start)))
}

/// Adds to `out` a set for each required part of `hir`: the runs of exact
/// text of a concatenation, and the required literals of its other parts.
fn conjuncts(hir: &Hir, out: &mut Vec<Vec<Vec<u8>>>) {
    match hir.kind() {
        HirKind::Capture(cap) => conjuncts(&cap.sub, out),
        HirKind::Repetition(rep) if rep.min >= 1 => conjuncts(&rep.sub, out),
        HirKind::Concat(subs) => concat_parts(subs, |set, sub| {
            out.extend(set);
            if let Some(sub) = sub {
                conjuncts(sub, out);
            }
        }),
        _ => {}
    }
}

/// How good a set is as a filter: its shortest literal's length.
fn score(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let key = |s: &[Vec<u8>]| (score(s), std::cmp::Reverse(s.len()));
            Some(if key(&b) > key(&a) { b } else { a })
        }
        (a, b) => a.or(b),
    }
}

fn union(mut sets: impl Iterator<Item = Option<Vec<Vec<u8>>>>) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for set in sets.by_ref() {
        out.extend(set?);
        out.sort();
        out.dedup();
        if out.len() > MAX_ALTERNATIVES {
            return None;
        }
    }
    Some(out)
}

fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_ALTERNATIVES {
        return None;
    }
    let mut out: Vec<Vec<u8>> = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

/// A finite set of strings covering every match of `hir`, when small.
fn exact(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => Some(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(class) => class_chars(class),
        HirKind::Capture(cap) => exact(&cap.sub),
        HirKind::Repetition(rep) if rep.min == 0 && rep.max == Some(1) => {
            union([Some(vec![Vec::new()]), exact(&rep.sub)].into_iter())
        }
        HirKind::Repetition(_) => None,
        HirKind::Concat(subs) => {
            let mut acc = vec![Vec::new()];
            for sub in subs {
                acc = cross(&acc, &exact(sub)?)?;
            }
            Some(acc)
        }
        HirKind::Alternation(subs) => union(subs.iter().map(exact)),
    }
}

/// The characters of a small class, lower-cased, without those that fold
/// to ASCII letters ([`FOLDS_TO_ASCII`]).
fn class_chars(class: &Class) -> Option<Vec<Vec<u8>>> {
    let Class::Unicode(class) = class else {
        return None;
    };
    let mut out: Vec<Vec<u8>> = Vec::new();
    for range in class.ranges() {
        if u32::from(range.end()) - u32::from(range.start()) > 8 {
            return None;
        }
        for c in range.start()..=range.end() {
            if FOLDS_TO_ASCII.contains(&c) {
                continue;
            }
            out.push(c.to_ascii_lowercase().to_string().into_bytes());
        }
    }
    out.sort();
    out.dedup();
    (out.len() <= 4).then_some(out)
}

/// Walks the required parts of a concatenation in order: each run of exact
/// text (joined while the product of its alternatives stays small), and each
/// other part (given) with its required literals.
fn concat_parts<'h>(subs: &'h [Hir], mut part: impl FnMut(Option<Vec<Vec<u8>>>, Option<&'h Hir>)) {
    let mut run: Option<Vec<Vec<u8>>> = None;
    for sub in subs {
        match exact(sub) {
            Some(set) => {
                let joined = match &run {
                    Some(prefix) => cross(prefix, &set),
                    None => Some(set.clone()),
                };
                run = match joined {
                    Some(joined) => Some(joined),
                    None => {
                        part(run.take(), None);
                        Some(set)
                    }
                };
            }
            None => {
                // The run, and what starts every match of the part after
                // it: the parser lifts an alternation's common prefix out
                // (`MMI|maximum` is `m(?:mi|aximum)`), which would leave a
                // one-letter run and a set of parts too short to filter on.
                let run = run.take();
                let joined = run
                    .as_ref()
                    .zip(prefixes(sub))
                    .and_then(|(run, starts)| cross(run, &starts));
                part(joined.or(run), None);
                part(required(sub), Some(sub));
            }
        }
    }
    part(run, None);
}

/// A set of strings one of which starts every match of `hir` (a string may
/// be only the start of a match); `None` when no small set is known.
fn prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(set) = exact(hir) {
        return Some(set);
    }
    match hir.kind() {
        HirKind::Capture(cap) => prefixes(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => prefixes(&rep.sub),
        HirKind::Alternation(subs) => union(subs.iter().map(prefixes)),
        HirKind::Concat(subs) => {
            // The exact parts joined while the set stays small, then what
            // starts the first part that is not exact: each a start.
            let mut starts = vec![Vec::new()];
            for sub in subs {
                let next = match exact(sub) {
                    Some(set) => cross(&starts, &set),
                    None => {
                        let joined = prefixes(sub).and_then(|p| cross(&starts, &p));
                        return Some(joined.unwrap_or(starts));
                    }
                };
                match next {
                    Some(next) => starts = next,
                    None => return Some(starts),
                }
            }
            Some(starts)
        }
        _ => None,
    }
}

/// A set of strings one of which occurs in every match of `hir`.
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(set) = exact(hir)
        && score(&set) > 0
    {
        return Some(set);
    }
    match hir.kind() {
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Alternation(subs) => union(subs.iter().map(required)),
        HirKind::Concat(subs) => {
            let mut best = None;
            concat_parts(subs, |set, _| best = better(best.take(), set));
            best
        }
        _ => None,
    }
}

/// A set of bytes, a bit each (byte `b` is bit `b % 64` of word `b / 64`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteSet(pub [u64; 4]);

impl ByteSet {
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b / 64)] & (1 << (b % 64)) != 0
    }

    /// How many bytes the set holds.
    pub fn count(&self) -> u32 {
        self.0.iter().map(|word| word.count_ones()).sum()
    }

    /// Adds `b` in both cases, when it is an ASCII letter.
    fn insert_either_case(&mut self, b: u8) {
        for b in [b, b.to_ascii_lowercase(), b.to_ascii_uppercase()] {
            self.0[usize::from(b / 64)] |= 1 << (b % 64);
        }
    }

    fn extend(&mut self, other: ByteSet) {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word |= other;
        }
    }
}

/// The bytes a match of a parsed pattern can begin with: both cases of an
/// ASCII letter and every lead byte of a character outside ASCII; `None`
/// when a match can be empty. A search need only try a match where the
/// text holds one.
pub fn first_bytes(hir: &Hir) -> Option<ByteSet> {
    let (set, nullable) = first(hir);
    (!nullable).then_some(set)
}

/// The bytes a match of `hir` can begin with, and whether it can be empty
/// (then what follows it can begin the match too).
fn first(hir: &Hir) -> (ByteSet, bool) {
    let mut set = ByteSet::default();
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => return (set, true),
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) => set.insert_either_case(b),
            None => return (set, true),
        },
        HirKind::Class(Class::Unicode(class)) => {
            for range in class.ranges() {
                let (start, end) = (u32::from(range.start()), u32::from(range.end()));
                for c in start..=end.min(0x7F) {
                    set.insert_either_case(c as u8);
                }
                if end > 0x7F {
                    // Every lead byte of a character outside ASCII.
                    (0xC2..=0xF4).for_each(|b| set.insert_either_case(b));
                }
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            for range in class.ranges() {
                (range.start()..=range.end()).for_each(|b| set.insert_either_case(b));
            }
        }
        HirKind::Capture(cap) => return first(&cap.sub),
        HirKind::Repetition(rep) => {
            let (sub, nullable) = first(&rep.sub);
            return (sub, nullable || rep.min == 0);
        }
        HirKind::Concat(subs) => {
            for sub in subs {
                let (part, nullable) = first(sub);
                set.extend(part);
                if !nullable {
                    return (set, false);
                }
            }
            return (set, true);
        }
        HirKind::Alternation(subs) => {
            let mut any_nullable = false;
            for sub in subs {
                let (part, nullable) = first(sub);
                set.extend(part);
                any_nullable |= nullable;
            }
            return (set, any_nullable);
        }
    }
    (set, false)
}
