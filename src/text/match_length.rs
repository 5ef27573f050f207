//! How long a match of a pattern can be on a given text, so that a pattern
//! whose matches each contain one of a few literals can be searched only
//! around the places the text holds them (`text::pattern`), not over the
//! whole text.
//!
//! A pattern with an unbounded repetition has no bound of its own
//! (`\s+`, `\w+`, `[a-z]+`), but on a given text it has one: a run of
//! characters of one class is never longer than the text's longest run of
//! such characters. So the bound is kept as a formula, read on each text:
//! a fixed number of bytes, plus so many of the text's longest run of bytes
//! that are not ASCII whitespace (a word, for a class without whitespace),
//! plus so many of its longest run of ASCII whitespace (one byte in a
//! flattened region, where whitespace runs are folded to one space), plus
//! so many of its longest run of bytes that are no ASCII word byte (for a
//! class of whitespace and punctuation, `[\s,/]+`: ", " or " - " in prose).
//! A repetition of anything else without a maximum, or of a class that
//! holds whitespace and word characters (`[^.]*`), has no bound: such a
//! pattern is searched over the whole text.

use regex_syntax::hir::{Class, Hir, HirKind};

use super::literals::is_word_byte as is_word;

/// The bytes ASCII mode reads as whitespace (`\s`): tab, line feed,
/// vertical tab, form feed, carriage return, space.
const fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// The longest runs of a text's bytes: of bytes that are not ASCII
/// whitespace, of ASCII whitespace, and of bytes that are no ASCII word
/// byte (whitespace, punctuation, bytes outside ASCII).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Runs {
    pub word: usize,
    pub space: usize,
    pub non_word: usize,
}

impl Runs {
    pub fn of(text: &str) -> Runs {
        // Each byte's kinds, read from a table: whitespace, a word byte.
        const KIND: [u8; 256] = {
            let mut kind = [0u8; 256];
            let mut b = 0;
            while b < 256 {
                let byte = b as u8;
                if is_space(byte) {
                    kind[b] |= SPACE;
                }
                if is_word(byte) {
                    kind[b] |= WORD;
                }
                b += 1;
            }
            kind
        };
        const SPACE: u8 = 1;
        const WORD: u8 = 2;
        let mut runs = Runs::default();
        let (mut word, mut space, mut non_word) = (0usize, 0usize, 0usize);
        for &byte in text.as_bytes() {
            let kind = KIND[usize::from(byte)];
            // Each run grows by the byte or starts again after it.
            (word, space) = if kind & SPACE != 0 {
                (0, space + 1)
            } else {
                (word + 1, 0)
            };
            non_word = if kind & WORD != 0 { 0 } else { non_word + 1 };
            runs.word = runs.word.max(word);
            runs.space = runs.space.max(space);
            runs.non_word = runs.non_word.max(non_word);
        }
        runs
    }
}

/// The longest a match can be, in bytes: `fixed + per_word × the longest
/// word run + per_space × the longest whitespace run + per_non_word × the
/// longest run of bytes that are no word byte` of the text searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LengthBound {
    fixed: u64,
    per_word: u64,
    per_space: u64,
    per_non_word: u64,
}

/// What an unbounded run of a class can cover.
enum ClassRun {
    /// Bytes that are not whitespace: at most the longest word run.
    Word,
    /// Whitespace only: at most the longest whitespace run.
    Space,
    /// Whitespace and other bytes, none of them a word byte: at most the
    /// longest run of bytes that are no word byte.
    NonWord,
    /// Whitespace and word bytes: as long as the text.
    Any,
}

fn class_run(class: &Class) -> ClassRun {
    // A class's members as byte ranges: a Unicode range's characters
    // outside ASCII are encoded in bytes that are never whitespace.
    let ranges: Vec<(u32, u32)> = match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    let spaces = [0x09u32, 0x0A, 0x0B, 0x0C, 0x0D, 0x20];
    let holds_space = spaces
        .iter()
        .any(|s| ranges.iter().any(|&(lo, hi)| lo <= *s && *s <= hi));
    let only_space = ranges
        .iter()
        .all(|&(lo, hi)| hi <= 0x7F && (lo..=hi).all(|c| is_space(c as u8)));
    // A character outside ASCII is encoded in bytes that are no word byte.
    let holds_word = ranges
        .iter()
        .any(|&(lo, hi)| (lo..=hi.min(0x7F)).any(|c| is_word(c as u8)));
    match (holds_space, only_space, holds_word) {
        (false, ..) => ClassRun::Word,
        (true, true, _) => ClassRun::Space,
        (true, false, false) => ClassRun::NonWord,
        (true, false, true) => ClassRun::Any,
    }
}

impl LengthBound {
    /// The bound of the matches of a pattern read to `hir` whose matches
    /// are never empty; `None` for one that can match empty, or when a
    /// repetition has no bound.
    pub fn of_pattern(hir: &Hir) -> Option<LengthBound> {
        let least = hir.properties().minimum_len()?;
        if least == 0 {
            return None;
        }
        LengthBound::of(hir)
    }

    /// The bound from its four terms ([`LengthBound::parts`]).
    pub fn from_parts(
        (fixed, per_word, per_space, per_non_word): (u64, u64, u64, u64),
    ) -> LengthBound {
        LengthBound {
            fixed,
            per_word,
            per_space,
            per_non_word,
        }
    }

    /// The fixed bytes, and the multiples of the longest word run, of the
    /// longest whitespace run and of the longest run of bytes that are no
    /// word byte.
    pub fn parts(&self) -> (u64, u64, u64, u64) {
        (self.fixed, self.per_word, self.per_space, self.per_non_word)
    }

    /// The bound of `hir`'s matches; `None` when a repetition has none.
    pub fn of(hir: &Hir) -> Option<LengthBound> {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Some(LengthBound::default()),
            HirKind::Literal(literal) => Some(LengthBound {
                fixed: literal.0.len() as u64,
                ..LengthBound::default()
            }),
            HirKind::Class(_) => Some(LengthBound {
                fixed: hir.properties().maximum_len()? as u64,
                ..LengthBound::default()
            }),
            HirKind::Capture(capture) => LengthBound::of(&capture.sub),
            HirKind::Repetition(repetition) => match repetition.max {
                Some(max) => Some(LengthBound::of(&repetition.sub)?.times(u64::from(max))),
                None => match repetition.sub.kind() {
                    HirKind::Class(class) => match class_run(class) {
                        ClassRun::Word => Some(LengthBound {
                            per_word: 1,
                            ..LengthBound::default()
                        }),
                        ClassRun::Space => Some(LengthBound {
                            per_space: 1,
                            ..LengthBound::default()
                        }),
                        ClassRun::NonWord => Some(LengthBound {
                            per_non_word: 1,
                            ..LengthBound::default()
                        }),
                        ClassRun::Any => None,
                    },
                    _ => None,
                },
            },
            HirKind::Concat(parts) => parts.iter().try_fold(LengthBound::default(), |sum, part| {
                Some(sum.plus(LengthBound::of(part)?))
            }),
            HirKind::Alternation(parts) => {
                parts.iter().try_fold(LengthBound::default(), |most, part| {
                    Some(most.widest(LengthBound::of(part)?))
                })
            }
        }
    }

    fn times(self, n: u64) -> LengthBound {
        LengthBound {
            fixed: self.fixed.saturating_mul(n),
            per_word: self.per_word.saturating_mul(n),
            per_space: self.per_space.saturating_mul(n),
            per_non_word: self.per_non_word.saturating_mul(n),
        }
    }

    fn plus(self, other: LengthBound) -> LengthBound {
        LengthBound {
            fixed: self.fixed.saturating_add(other.fixed),
            per_word: self.per_word.saturating_add(other.per_word),
            per_space: self.per_space.saturating_add(other.per_space),
            per_non_word: self.per_non_word.saturating_add(other.per_non_word),
        }
    }

    /// At least as long as either: what matches one of two alternatives.
    fn widest(self, other: LengthBound) -> LengthBound {
        LengthBound {
            fixed: self.fixed.max(other.fixed),
            per_word: self.per_word.max(other.per_word),
            per_space: self.per_space.max(other.per_space),
            per_non_word: self.per_non_word.max(other.per_non_word),
        }
    }

    /// The bound on a text with these runs, in bytes.
    pub fn on(&self, runs: Runs) -> usize {
        let total = self
            .fixed
            .saturating_add(self.per_word.saturating_mul(runs.word as u64))
            .saturating_add(self.per_space.saturating_mul(runs.space as u64))
            .saturating_add(self.per_non_word.saturating_mul(runs.non_word as u64));
        usize::try_from(total).unwrap_or(usize::MAX)
    }
}

/// The stretches of a text of `len` bytes a pattern is searched in: each
/// place in `near` widened by `reach` bytes on both sides, overlapping and
/// touching stretches merged, in order. `near` is in ascending order of
/// start.
pub fn windows(
    near: &[std::ops::Range<usize>],
    reach: usize,
    len: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for place in near {
        let start = place.start.saturating_sub(reach);
        let end = place.end.saturating_add(reach).min(len);
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(pattern: &str) -> Option<LengthBound> {
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .unwrap();
        LengthBound::of(&hir)
    }

    #[test]
    fn a_bound_counts_literals_classes_and_the_runs_of_the_text() {
        let runs = Runs {
            word: 12,
            space: 1,
            non_word: 3,
        };
        assert_eq!(bound(r"\bknee\b").unwrap().on(runs), 4);
        assert_eq!(bound(r"knee|shoulder").unwrap().on(runs), 8);
        // Three bytes of "no", a space run, then at most a word of letters.
        assert_eq!(bound(r"no\s+[a-z]+").unwrap().on(runs), 2 + 1 + 12);
        assert_eq!(bound(r"(?:\w+\s+){0,4}pain").unwrap().on(runs), 4 * 13 + 4);
        assert_eq!(bound(r"[^()]{0,60}x").unwrap().on(runs), 61);
        // A class with whitespace and other characters, repeated without a
        // maximum, can run the length of the text.
        assert_eq!(bound(r"no[^.]*pain"), None);
        assert_eq!(bound(r"(?:a\s)+"), None);
        // Whitespace and punctuation: at most the longest run of bytes
        // that are no word byte, twice here.
        assert_eq!(
            bound(r"knee[\s,/]+pain(?:[\s-]*right)?").unwrap().on(runs),
            4 + 3 + 4 + 3 + 5
        );
        assert_eq!(bound(r"knee[\s,_]+pain"), None);
    }

    #[test]
    fn runs_are_the_longest_of_each_kind() {
        assert_eq!(
            Runs::of("ab  cde\tf"),
            Runs {
                word: 3,
                space: 2,
                non_word: 2
            }
        );
        assert_eq!(
            Runs::of("knee, hip / ankle_x ; y"),
            Runs {
                word: 7,
                space: 1,
                non_word: 3
            }
        );
        assert_eq!(Runs::of(""), Runs::default());
    }

    #[test]
    fn windows_widen_and_merge_the_places() {
        assert_eq!(windows(&[10..14, 20..24, 80..84], 5, 100), [5..29, 75..89]);
        assert_eq!(windows(&[0..4, 96..100], 10, 100), [0..14, 86..100]);
    }
}
