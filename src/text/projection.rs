//! A text with other characters than ASCII, projected onto ASCII so that a
//! pattern's ASCII program can search it.
//!
//! A pattern searches an ASCII text with its ASCII program, which costs a
//! third of the Unicode one to compile. A letter that holds a few other
//! characters (a degree sign, curly quotes, an en dash) would need the
//! Unicode program of every pattern its text runs. Instead, each such
//! character is replaced by one ASCII byte that every part of the pattern
//! treats as it treats the character: `_` for a word character, a vertical
//! tab for white space, DEL for anything else. The ASCII program then
//! finds, on the projection, the matches the Unicode program finds on the
//! text, and each match maps back to the text's offsets.
//!
//! Whether a pattern treats a character and its stand-in alike depends on
//! the pattern: [`Reading`] keeps what decides it (its classes, the bytes
//! of its literals, whether it has ASCII word boundaries), and
//! [`Reading::reads_alike`] answers for the characters of one projection. A
//! pattern that cannot answer yes is searched in Unicode mode, as before.
//! The pack's patterns (`text::pattern`) and the tool's own expressions
//! (`text::dual_regex`) both search this way.

use std::borrow::Cow;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Stand-in for a word character (`\w` in Unicode mode).
const WORD: u8 = b'_';
/// Stand-in for white space (`\s` in Unicode mode).
const SPACE: u8 = 0x0B;
/// Stand-in for any other character.
const OTHER: u8 = 0x7F;

/// A text projected onto ASCII, with the way back.
#[derive(Debug, Clone)]
pub struct Projection {
    /// The text with each character outside ASCII replaced by one byte.
    pub ascii: String,
    /// `offsets[i]` is the offset in the text of projected byte `i`; one
    /// extra entry holds the text's length.
    offsets: Vec<usize>,
    /// Each character outside ASCII the text holds, once, with its stand-in.
    replaced: Vec<(char, u8)>,
}

impl Projection {
    /// The projection of `text`; `None` for an ASCII text, which needs none.
    pub fn of(text: &str) -> Option<Projection> {
        if text.is_ascii() {
            return None;
        }
        let mut ascii = Vec::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len() + 1);
        let mut replaced: Vec<(char, u8)> = Vec::new();
        for (at, c) in text.char_indices() {
            offsets.push(at);
            if c.is_ascii() {
                ascii.push(c as u8);
                continue;
            }
            let stand_in = stand_in(c);
            ascii.push(stand_in);
            if !replaced.iter().any(|&(r, _)| r == c) {
                replaced.push((c, stand_in));
            }
        }
        offsets.push(text.len());
        let ascii = String::from_utf8(ascii).expect("every byte is ASCII");
        Some(Projection {
            ascii,
            offsets,
            replaced,
        })
    }

    /// The projection's offset for an offset of the text (a character
    /// boundary; another offset counts from the next boundary).
    pub fn projected(&self, offset: usize) -> usize {
        self.offsets.partition_point(|&o| o < offset)
    }

    /// The text's offset for an offset of the projection.
    pub fn offset(&self, projected: usize) -> usize {
        self.offsets[projected]
    }

    /// Whether the text holds a character that Unicode case folding pairs
    /// with an ASCII letter ([`super::literals::FOLDS_TO_ASCII`]).
    pub fn holds_folds_to_ascii(&self) -> bool {
        self.replaced
            .iter()
            .any(|(c, _)| super::literals::FOLDS_TO_ASCII.contains(c))
    }

    /// The text's range for a range of the projection.
    pub fn original(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.offsets[range.start]..self.offsets[range.end]
    }
}

fn stand_in(c: char) -> u8 {
    // `\w` in Unicode mode is regex-syntax's word class; the table is there.
    if regex_syntax::is_word_character(c) {
        WORD
    } else if c.is_whitespace() {
        // Rust's white space is Unicode's White_Space property: `\s`.
        SPACE
    } else {
        OTHER
    }
}

/// What decides whether a pattern reads a character and its stand-in
/// alike, taken from the pattern's Unicode reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Every distinct class the pattern holds (`.`, `\w`, `[^.]`, a letter
    /// folded to both cases), as its sorted ranges of characters.
    classes: Vec<Ranges>,
    /// The ASCII bytes its literals hold, as a bit set.
    literal_bytes: u128,
    /// Whether it has an ASCII word boundary, which counts every character
    /// outside ASCII as a non-word character.
    ascii_word_boundaries: bool,
    /// Whether it holds something no projection can keep: a literal
    /// character outside ASCII, or a class of bytes.
    never: bool,
}

/// A class's sorted, disjoint ranges of characters: the build's, or read
/// from a parse.
pub type Ranges = Cow<'static, [(char, char)]>;

impl Reading {
    /// A reading from its parts, as [`Reading::parts`] gives them (the
    /// build writes them for the embedded pack's patterns).
    pub fn from_parts(
        classes: Vec<Ranges>,
        literal_bytes: u128,
        ascii_word_boundaries: bool,
        never: bool,
    ) -> Reading {
        Reading {
            classes,
            literal_bytes,
            ascii_word_boundaries,
            never,
        }
    }

    /// The reading's parts: its classes, the bit set of its literals' ASCII
    /// bytes, whether it has ASCII word boundaries, whether it is never
    /// projected.
    pub fn parts(&self) -> (&[Ranges], u128, bool, bool) {
        (
            &self.classes,
            self.literal_bytes,
            self.ascii_word_boundaries,
            self.never,
        )
    }

    /// The reading of a pattern that is never projected.
    pub fn never() -> Reading {
        Reading {
            classes: Vec::new(),
            literal_bytes: 0,
            ascii_word_boundaries: false,
            never: true,
        }
    }

    /// Reads the Unicode reading `hir` of a pattern.
    pub fn of(hir: &Hir) -> Reading {
        let mut reading = Reading {
            classes: Vec::new(),
            literal_bytes: 0,
            ascii_word_boundaries: false,
            never: false,
        };
        reading.visit(hir);
        reading
    }

    fn visit(&mut self, hir: &Hir) {
        match hir.kind() {
            HirKind::Empty => {}
            HirKind::Literal(literal) => {
                for &byte in literal.0.iter() {
                    if byte.is_ascii() {
                        self.literal_bytes |= 1 << byte;
                    } else {
                        self.never = true;
                    }
                }
            }
            HirKind::Class(Class::Unicode(class)) => {
                let ranges: Vec<(char, char)> = class
                    .ranges()
                    .iter()
                    .map(|r| (r.start(), r.end()))
                    .collect();
                if !self.classes.iter().any(|known| **known == *ranges) {
                    self.classes.push(Cow::Owned(ranges));
                }
            }
            HirKind::Class(Class::Bytes(_)) => self.never = true,
            HirKind::Look(look) => {
                if matches!(
                    look,
                    Look::WordAscii
                        | Look::WordAsciiNegate
                        | Look::WordStartAscii
                        | Look::WordEndAscii
                        | Look::WordStartHalfAscii
                        | Look::WordEndHalfAscii
                ) {
                    self.ascii_word_boundaries = true;
                }
            }
            HirKind::Repetition(repetition) => self.visit(&repetition.sub),
            HirKind::Capture(capture) => self.visit(&capture.sub),
            HirKind::Concat(parts) | HirKind::Alternation(parts) => {
                for part in parts {
                    self.visit(part);
                }
            }
        }
    }

    /// Whether the pattern matches, on `projection`, exactly where it
    /// matches on the text: every character the projection replaced is
    /// read as its stand-in is.
    pub fn reads_alike(&self, projection: &Projection) -> bool {
        !self.never
            && projection.replaced.iter().all(|&(c, stand_in)| {
                self.literal_bytes & (1 << stand_in) == 0
                    && !(self.ascii_word_boundaries && stand_in == WORD)
                    && self
                        .classes
                        .iter()
                        .all(|class| contains(class, c) == contains(class, char::from(stand_in)))
            })
    }
}

impl Projection {
    /// Whether every character the projection replaced is neither a word
    /// character nor white space: each stands in as DEL
    /// ([`reads_symbols_alike`]).
    pub fn holds_only_symbols(&self) -> bool {
        self.replaced.iter().all(|&(_, stand_in)| stand_in == OTHER)
    }
}

/// Whether an expression, from its source alone, reads alike every
/// projection that [`Projection::holds_only_symbols`]: what
/// [`Reading::reads_alike`] would answer for such a projection, without
/// the Unicode parse the reading needs (for an expression with `\w` or a
/// long alternation, a tenth of a millisecond).
///
/// The characters are the degree sign, the registered sign, curly quotes,
/// dashes: not word characters, not white space, so not digits either
/// (every decimal digit is a word character), none a line terminator.
/// DEL, their stand-in, is all of those too. So every class an expression
/// written in ASCII can spell holds both or neither: `\w`, `\s`, `\d`
/// hold neither, `.` both, a range between ASCII characters other than DEL
/// neither; case folding adds to such a class only ASCII letters and the
/// two word characters that fold to them, or nothing (`\w`, `\s` and `\d`
/// hold their own other cases); negation, union and intersection keep
/// "both or neither". A
/// Unicode word boundary sees both as non-word characters, and so does the
/// ASCII one the ASCII program has. A literal holds DEL only when written
/// as DEL or as an escape (`\x7F`).
///
/// Refused, to be read in full: a source with a character outside
/// printable ASCII (tab, line feed and carriage return aside), with a hex
/// or Unicode escape (`\x`, `\u`, `\U`), a Unicode class (`\p`, `\P`),
/// an ASCII class (`[[:cntrl:]]` holds DEL), or a flag group that turns
/// Unicode off (`(?-u:…)`, whose `.` reads a byte) for more than a word
/// boundary. Each test looks for the
/// characters alone, wherever they stand: an escaped backslash before a
/// `p` refuses too.
pub fn reads_symbols_alike(source: &str) -> bool {
    let printable = source
        .bytes()
        .all(|b| matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~'));
    printable
        && !["\\x", "\\u", "\\U", "\\p", "\\P", "[:"]
            .iter()
            .any(|refused| source.contains(refused))
        && !turns_unicode_off(source)
}

/// Whether a flag group of `source` (`(?flags)` or `(?flags:`) names the
/// `u` flag, other than an ASCII word boundary (`(?-u:\b)`, `(?-u:\B)`),
/// which reads every character outside ASCII as DEL is read: as a
/// non-word character.
fn turns_unicode_off(source: &str) -> bool {
    source.match_indices("(?").any(|(at, _)| {
        let rest = &source[at + 2..];
        !rest.starts_with("-u:\\b)")
            && !rest.starts_with("-u:\\B)")
            && rest
                .bytes()
                .take_while(|b| matches!(b, b'i' | b'm' | b's' | b'U' | b'u' | b'x' | b'R' | b'-'))
                .any(|b| b == b'u')
    })
}

fn contains(class: &[(char, char)], c: char) -> bool {
    class
        .binary_search_by(|&(start, end)| {
            if end < c {
                std::cmp::Ordering::Less
            } else if start > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(source: &str) -> Reading {
        Reading::of(&crate::text::literals::parse(source, false).unwrap())
    }

    #[test]
    fn each_character_outside_ascii_becomes_one_byte_and_maps_back() {
        let text = "5° “left” knee – José\u{a0}ok";
        let projection = Projection::of(text).unwrap();
        assert_eq!(projection.ascii, "5\x7f \x7fleft\x7f knee \x7f Jos_\x0bok");
        let at = projection.ascii.find("left").unwrap();
        assert_eq!(&text[projection.original(at..at + 4)], "left");
        let end = projection.ascii.len();
        assert_eq!(&text[projection.original(end - 7..end)], "José\u{a0}ok");
        assert!(Projection::of("plain ASCII").is_none());
        for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(projection.offset(projection.projected(at)), at);
        }
    }

    /// Symbols a letter may hold: none a word character or white space.
    const SYMBOLS: &str = "90\u{b0} Brand\u{ae} \u{201c}quoted\u{201d} a \u{2013} b \u{2014} \u{2022} \u{a7} \u{a9} \u{b1} \u{d7} \u{bd} \u{b6} \u{2020} \u{2018}s\u{2019} \u{2026}";

    /// Expressions whose source alone shows they read symbols alike.
    const ACCEPTED: [&str; 5] = [
        r"\w+\s+\W",
        r"(?i)[^a-z0-9\s]{1,3}",
        r"(?P<u>\d+)\s*units?",
        r"(?iU)a.+b",
        r"(?-u:\b)knee(?-u:\b)",
    ];

    /// Expressions whose source does not show it: DEL or a character
    /// outside ASCII written out, classes of Unicode or ASCII, Unicode
    /// turned off for more than a word boundary.
    const REFUSED: [&str; 10] = [
        r"\x7F",
        r"[\x00-\x7F]+",
        r"\u{b0}",
        r"\p{So}",
        r"\PL+",
        r"[[:cntrl:]]",
        r"(?-u:.)",
        r"(?i-u:\b)x",
        "\u{b0}",
        "a\x7fb",
    ];

    #[test]
    fn the_source_alone_tells_that_a_pattern_reads_symbols_alike() {
        let projection = Projection::of(SYMBOLS).unwrap();
        assert!(projection.holds_only_symbols());
        for other in ["Jos\u{e9}", "a\u{a0}b", "\u{212a}", "\u{2167}"] {
            assert!(
                !Projection::of(other).unwrap().holds_only_symbols(),
                "{other}"
            );
        }
        // Whatever the source alone accepts, the reading accepts: over the
        // embedded pack's patterns and expressions written to refuse.
        let mut sources: Vec<&str> = crate::text::prepared::sources().collect();
        sources.extend(ACCEPTED);
        sources.extend(REFUSED);
        sources.extend([
            r"(?i:\bknee\b)[ -~]+",
            r".{0,20}pain|\B\d+\b",
            r"(?x) \d+ \s* (?: mg | ml ) # dose",
            r"(?m)^\s*$",
            r"[\t-\r]+",
            r"[[:^alpha:]]",
            r"(?-u:\B)\W(?-u:\b)",
        ]);
        let mut accepted = 0;
        for source in &sources {
            if !reads_symbols_alike(source) {
                continue;
            }
            accepted += 1;
            // Read as the pack reads it (case-insensitive) and as written.
            let folded = crate::text::literals::parse(source, false).unwrap();
            let written = regex_syntax::Parser::new().parse(source).unwrap();
            for hir in [folded, written] {
                assert!(Reading::of(&hir).reads_alike(&projection), "{source}");
            }
        }
        assert!(
            accepted * 10 > sources.len() * 9,
            "{accepted} of {} accepted from their source",
            sources.len()
        );
        for refused in REFUSED {
            assert!(!reads_symbols_alike(refused), "{refused}");
        }
        for accepted in ACCEPTED {
            assert!(reads_symbols_alike(accepted), "{accepted}");
        }
    }

    #[test]
    fn a_pattern_reads_a_character_alike_unless_a_class_or_literal_tells_them_apart() {
        let projection = Projection::of("a “quoted” word, 90°").unwrap();
        for alike in [
            r"\bknee\b",
            r"\w+\s+\W",
            r".{0,20}pain",
            r"[^.;]{0,40}",
            r"\d+",
        ] {
            assert!(reading(alike).reads_alike(&projection), "{alike}");
        }
        // A class naming the character, a literal of the stand-in, a
        // literal outside ASCII.
        for apart in ["[“\"]", "\x7f", "’s"] {
            assert!(!reading(apart).reads_alike(&projection), "{apart}");
        }
        // A word character: `_` in a class or literal, or an ASCII word
        // boundary, tells it from its stand-in.
        let accented = Projection::of("José").unwrap();
        assert!(reading(r"\b\w+\b").reads_alike(&accented));
        for apart in [r"[a-z_]+", r"(?-u:\b)jos", "s_"] {
            assert!(!reading(apart).reads_alike(&accented), "{apart}");
        }
        // A digit of another script is `\d` in Unicode mode, not `_`.
        let digits = Projection::of("٣ weeks").unwrap();
        assert!(!reading(r"\d+\s+weeks").reads_alike(&digits));
        assert!(reading(r"\w+\s+weeks").reads_alike(&digits));
        // The Kelvin sign folds to `k`.
        let kelvin = Projection::of("\u{212A}nee").unwrap();
        assert!(!reading("knee").reads_alike(&kelvin));
    }
}
