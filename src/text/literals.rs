//! The literals a pattern's matches must contain: what the scanner's
//! prefilter looks for (see `facts::prefilter`). Every pattern is parsed once
//! for a small set of literals one of which occurs (ASCII case-insensitively)
//! in each of its matches.
//!
//! This file stands alone (it uses only `regex_syntax`): the build script
//! includes it to prepare the embedded pack's patterns when the binary is
//! built (see `text::prepared`), so that the two can never disagree.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

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

/// Marks, at either end of a literal, an ASCII word boundary every match
/// has there: the byte beside the literal's first (or last) byte, a word
/// byte, is not one (or the literal starts or ends the text). No literal
/// holds this byte: a literal is UTF-8, where it never occurs.
/// "med" bounded at both ends is ruled out by "medical" and "remedy".
pub const BOUNDARY: u8 = 0xFF;

/// Whether ASCII mode reads `byte` as a word byte (`\w`): a letter, a
/// digit or `_`. Every byte of a character outside ASCII is not one.
pub const fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Which ends of a literal must sit at a word boundary ([`BOUNDARY`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    pub before: bool,
    pub after: bool,
}

impl Bounds {
    /// The two bits of these bounds (`before` is 1, `after` 2).
    pub fn bits(self) -> u8 {
        u8::from(self.before) | (u8::from(self.after) << 1)
    }

    /// The bounds the place `start..end` of `text` has.
    pub fn of_place(text: &[u8], start: usize, end: usize) -> Bounds {
        Bounds {
            before: start == 0 || !text.get(start - 1).copied().is_some_and(is_word_byte),
            after: !text.get(end).copied().is_some_and(is_word_byte),
        }
    }

    /// Whether a place with bounds `found` meets these.
    pub fn met_by(self, found: Bounds) -> bool {
        (!self.before || found.before) && (!self.after || found.after)
    }
}

/// A literal of a set, without its [`BOUNDARY`] marks, and the bounds
/// they mark.
pub fn split_bounds(literal: &[u8]) -> (&[u8], Bounds) {
    let (before, rest) = match literal.split_first() {
        Some((&BOUNDARY, rest)) => (true, rest),
        _ => (false, literal),
    };
    let (after, bytes) = match rest.split_last() {
        Some((&BOUNDARY, bytes)) => (true, bytes),
        _ => (false, rest),
    };
    (bytes, Bounds { before, after })
}

/// `literal` as a set keeps it: the marks inside it dropped, and one at an
/// end kept only beside a word byte (where a boundary says the next byte
/// is not one: beside another byte, it would say the next byte is).
fn settled(literal: &[u8]) -> Vec<u8> {
    let is_word = |b: &u8| is_word_byte(*b);
    let bytes: Vec<u8> = literal.iter().copied().filter(|&b| b != BOUNDARY).collect();
    let mut out = Vec::with_capacity(bytes.len() + 2);
    if literal.first() == Some(&BOUNDARY) && bytes.first().is_some_and(is_word) {
        out.push(BOUNDARY);
    }
    out.extend_from_slice(&bytes);
    if literal.last() == Some(&BOUNDARY) && bytes.last().is_some_and(is_word) {
        out.push(BOUNDARY);
    }
    out
}

/// A set with each literal [`settled`], each once.
fn settle(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = set.iter().map(|l| settled(l)).collect();
    out.sort();
    out.dedup();
    out
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
    (score(&set) >= MIN_LITERAL).then(|| settle(set))
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
        let set = settle(set);
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
    let plain = |literal: &[u8]| -> Vec<u8> {
        literal.iter().copied().filter(|&b| b != BOUNDARY).collect()
    };
    let starts: Vec<Vec<u8>> = prefixes(hir)?.iter().map(|s| plain(s)).collect();
    if starts.iter().any(Vec::is_empty) {
        return None;
    }
    sets.iter().position(|set| {
        starts
            .iter()
            .all(|start| set.iter().any(|literal| plain(literal) == *start))
    })
}

/// Adds to `out` a set for each required part of `hir`: the runs of exact
/// text of a concatenation, and the required literals of its other parts.
fn conjuncts(hir: &Hir, out: &mut Vec<Vec<Vec<u8>>>) {
    match hir.kind() {
        HirKind::Capture(cap) => conjuncts(&cap.sub, out),
        HirKind::Repetition(rep) if rep.min >= 1 => conjuncts(&rep.sub, out),
        HirKind::Concat(subs) => concat_parts(subs, Beside::default(), |set, sub| {
            out.extend(set);
            if let Some(sub) = sub {
                conjuncts(sub, out);
            }
        }),
        _ => {}
    }
}

/// How good a set is as a filter: its shortest literal's length
/// ([`BOUNDARY`] marks aside).
fn score(set: &[Vec<u8>]) -> usize {
    set.iter()
        .map(|literal| literal.iter().filter(|&&b| b != BOUNDARY).count())
        .min()
        .unwrap_or(0)
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
        HirKind::Look(look) if is_word_boundary(*look) => Some(vec![vec![BOUNDARY]]),
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

/// Whether `look` asserts an ASCII or Unicode word boundary. Beside a
/// literal's word byte either says the byte on the other side is no ASCII
/// word byte: a Unicode word character outside ASCII is not one either.
fn is_word_boundary(look: Look) -> bool {
    matches!(
        look,
        Look::WordAscii
            | Look::WordUnicode
            | Look::WordStartAscii
            | Look::WordEndAscii
            | Look::WordStartUnicode
            | Look::WordEndUnicode
    )
}

/// Whether `hir` is a word-boundary assertion: beside a word byte, the
/// character on its other side is never a word character.
fn is_boundary_look(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Look(look) if is_word_boundary(*look))
}

/// Which end of a match [`edge`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    First,
    Last,
}

/// Whether the character at `end` of a non-empty match of `hir` is never
/// an ASCII word character (`\s+`, `[,;]`), and whether a match can be
/// empty (then the parts beside it give the character).
fn edge(hir: &Hir, end: End) -> (bool, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (true, true),
        HirKind::Literal(lit) => {
            let byte = match end {
                End::First => lit.0.first(),
                End::Last => lit.0.last(),
            };
            match byte {
                Some(&b) => (!is_word_byte(b), false),
                None => (true, true),
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            let word = class.ranges().iter().any(|range| {
                (u32::from(range.start())..=u32::from(range.end()).min(0x7F))
                    .any(|c| is_word_byte(c as u8))
            });
            (!word, false)
        }
        HirKind::Class(Class::Bytes(class)) => {
            let word = class
                .ranges()
                .iter()
                .any(|range| (range.start()..=range.end()).any(is_word_byte));
            (!word, false)
        }
        HirKind::Capture(cap) => edge(&cap.sub, end),
        HirKind::Repetition(rep) => {
            let (never_word, nullable) = edge(&rep.sub, end);
            (never_word, nullable || rep.min == 0)
        }
        HirKind::Concat(subs) => {
            let mut never_word = true;
            let mut walk = |sub: &Hir| {
                let (part, nullable) = edge(sub, end);
                never_word &= part;
                nullable
            };
            let nullable = match end {
                End::First => subs.iter().all(&mut walk),
                End::Last => subs.iter().rev().all(&mut walk),
            };
            (never_word, nullable)
        }
        HirKind::Alternation(subs) => subs.iter().fold((true, false), |(w, n), sub| {
            let (part, nullable) = edge(sub, end);
            (w && part, n || nullable)
        }),
    }
}

/// Adds a [`BOUNDARY`] mark at the start (or end) of each literal.
fn marked(set: Vec<Vec<u8>>, end: End) -> Vec<Vec<u8>> {
    set.into_iter()
        .map(|literal| match end {
            End::First => [&[BOUNDARY], literal.as_slice()].concat(),
            End::Last => [literal.as_slice(), &[BOUNDARY]].concat(),
        })
        .collect()
}

/// Walks the required parts of a concatenation in order: each run of exact
/// text (joined while the product of its alternatives stays small), and each
/// other part (given) with its required literals. A run is marked at a
/// word boundary ([`BOUNDARY`]) at an end where the character beside it is
/// never a word character, whatever the parts before (or after) it match,
/// optional ones included (`\s+(?:was\s+)?intact`), or where a word
/// boundary is asserted (`(?:MED|MME)\b`). A mark beside a byte that is
/// no word byte is dropped ([`settled`]): there it would say otherwise.
fn concat_parts<'h>(
    subs: &'h [Hir],
    beside: Beside,
    mut part: impl FnMut(Option<Vec<Vec<u8>>>, Option<&'h Hir>),
) {
    // Whether a word boundary holds just before `subs[i]` beside a word
    // byte there: what `subs[i..]` match first is never a word character,
    // or a boundary is asserted (the last entry: after the concatenation).
    let mut boundary_before = vec![false; subs.len() + 1];
    boundary_before[subs.len()] = beside.after;
    for (i, sub) in subs.iter().enumerate().rev() {
        let (never_word, nullable) = edge(sub, End::First);
        boundary_before[i] =
            is_boundary_look(sub) || never_word && (!nullable || boundary_before[i + 1]);
    }
    let end_run = |run: Option<Vec<Vec<u8>>>, i: usize| match run {
        Some(run) if boundary_before[i] => Some(marked(run, End::Last)),
        run => run,
    };
    let mut run: Option<Vec<Vec<u8>>> = None;
    // Whether a word boundary holds just after the parts before `sub`.
    let mut boundary_after = beside.before;
    for (i, sub) in subs.iter().enumerate() {
        match exact(sub) {
            Some(set) => {
                let joined = match &run {
                    Some(prefix) => cross(prefix, &set),
                    None if boundary_after => Some(marked(set.clone(), End::First)),
                    None => Some(set.clone()),
                };
                run = match joined {
                    Some(joined) => Some(joined),
                    None => {
                        part(end_run(run.take(), i), None);
                        Some(if boundary_after {
                            marked(set, End::First)
                        } else {
                            set
                        })
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
                    .zip(prefixes_beside(sub, boundary_before[i + 1]))
                    .and_then(|(run, starts)| cross(run, &starts));
                part(joined.or_else(|| end_run(run, i)), None);
                let beside = Beside {
                    before: boundary_after,
                    after: boundary_before[i + 1],
                };
                part(required_beside(sub, beside), Some(sub));
            }
        }
        let (never_word, nullable) = edge(sub, End::Last);
        boundary_after = is_boundary_look(sub) || never_word && (!nullable || boundary_after);
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

/// [`prefixes`] of a part after which a word boundary holds (`after`):
/// a string that is a whole match is marked there.
fn prefixes_beside(hir: &Hir, after: bool) -> Option<Vec<Vec<u8>>> {
    if let Some(set) = exact(hir) {
        return Some(if after { marked(set, End::Last) } else { set });
    }
    match hir.kind() {
        HirKind::Capture(cap) => prefixes_beside(&cap.sub, after),
        HirKind::Alternation(subs) => union(subs.iter().map(|sub| prefixes_beside(sub, after))),
        _ => prefixes(hir),
    }
}

/// A set of strings one of which occurs in every match of `hir`.
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    required_beside(hir, Beside::default())
}

/// Whether a word boundary holds just before and just after every match
/// of a part, beside a word byte there: its neighbours assert one, or
/// what they match beside it is never a word character.
#[derive(Clone, Copy, Default)]
struct Beside {
    before: bool,
    after: bool,
}

/// [`required`] of a part whose neighbours are `beside`: a literal at
/// either end of its matches is marked at a word boundary there
/// (`\bmed\b` of `\d+\s*(?:MED|MME)\b`).
fn required_beside(hir: &Hir, beside: Beside) -> Option<Vec<Vec<u8>>> {
    if let Some(mut set) = exact(hir)
        && score(&set) > 0
    {
        if beside.before {
            set = marked(set, End::First);
        }
        if beside.after {
            set = marked(set, End::Last);
        }
        return Some(set);
    }
    match hir.kind() {
        HirKind::Capture(cap) => required_beside(&cap.sub, beside),
        // A literal inside a repetition has other copies beside it.
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Alternation(subs) => union(subs.iter().map(|sub| required_beside(sub, beside))),
        HirKind::Concat(subs) => {
            let mut best = None;
            concat_parts(subs, beside, |set, _| best = better(best.take(), set));
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
