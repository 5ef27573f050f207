//! The tool's own regular expressions (the letter parser's, the context
//! triggers', the checks'), each compiled on first use in the reading the
//! text needs.
//!
//! Nearly every letter is plain ASCII. On a text of ASCII characters only, a
//! regular expression matches exactly where its [`ascii_reading`] does: every
//! class narrowed to its ASCII members, every Unicode word boundary read as
//! an ASCII one. The two differ only on characters the text does not hold.
//! The ASCII reading of `\w`, `\s`, `.` or `[^()]{0,60}` is a small program
//! where the Unicode one is large, so an ASCII text is searched with it, and
//! the full Unicode program is compiled only for a text that holds another
//! character. The pack's patterns do the same (`text::pattern`).

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::{CaptureMatches, Captures, Match, Matches, Regex, Replacer};
use regex_syntax::hir::{
    self, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange,
};
use regex_syntax::hir::{Hir, HirKind, Look};

/// `hir` as it reads on an ASCII text: each class keeps its ASCII members,
/// each Unicode word boundary becomes the ASCII one (on ASCII characters the
/// two agree). Matches on an ASCII text are those of `hir`, group for group.
pub fn ascii_reading(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0.clone()),
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7F)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Look(look) => Hir::look(ascii_look(*look)),
        HirKind::Repetition(repetition) => Hir::repetition(hir::Repetition {
            sub: Box::new(ascii_reading(&repetition.sub)),
            ..repetition.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(hir::Capture {
            sub: Box::new(ascii_reading(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(ascii_reading).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(ascii_reading).collect()),
    }
}

fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// A regular expression with the syntax and matches of [`regex::Regex`],
/// compiled on first use: in its ASCII reading for an ASCII text, in full
/// for any other.
#[derive(Clone)]
pub struct DualRegex {
    source: String,
    /// The ASCII reading, for ASCII texts.
    ascii: OnceLock<Regex>,
    /// The expression as written, for every other text.
    unicode: OnceLock<Regex>,
}

impl std::fmt::Debug for DualRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DualRegex").field(&self.source).finish()
    }
}

/// The size limit of [`regex::RegexBuilder`]'s default.
const SIZE_LIMIT: usize = 10 * (1 << 20);

impl DualRegex {
    /// Checks `source` without compiling it; the error is the one
    /// `regex::Regex::new` gives for a syntax error. An expression that is
    /// valid but too large to compile never matches.
    pub fn new(source: &str) -> Result<DualRegex, regex::Error> {
        parse(source)?;
        Ok(DualRegex {
            source: source.to_owned(),
            ascii: OnceLock::new(),
            unicode: OnceLock::new(),
        })
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled program that searches `haystack`.
    fn on(&self, haystack: &str) -> &Regex {
        if haystack.is_ascii() {
            self.ascii.get_or_init(|| {
                parse(&self.source)
                    .ok()
                    .and_then(|hir| build(&ascii_reading(&hir).to_string()))
                    .unwrap_or_else(never)
            })
        } else {
            self.unicode
                .get_or_init(|| build(&self.source).unwrap_or_else(never))
        }
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.on(haystack).is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.on(haystack).find(haystack)
    }

    pub fn find_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Match<'h>> {
        self.on(haystack).find_at(haystack, start)
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> Matches<'r, 'h> {
        self.on(haystack).find_iter(haystack)
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.on(haystack).captures(haystack)
    }

    pub fn captures_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Captures<'h>> {
        self.on(haystack).captures_at(haystack, start)
    }

    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> CaptureMatches<'r, 'h> {
        self.on(haystack).captures_iter(haystack)
    }

    pub fn replace<'h, R: Replacer>(&self, haystack: &'h str, rep: R) -> Cow<'h, str> {
        self.on(haystack).replace(haystack, rep)
    }

    pub fn replace_all<'h, R: Replacer>(&self, haystack: &'h str, rep: R) -> Cow<'h, str> {
        self.on(haystack).replace_all(haystack, rep)
    }
}

fn parse(source: &str) -> Result<Hir, regex::Error> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(source)
        .map_err(|e| regex::Error::Syntax(e.to_string()))
}

fn build(source: &str) -> Option<Regex> {
    regex::RegexBuilder::new(source)
        .size_limit(SIZE_LIMIT)
        .build()
        .ok()
}

fn never() -> Regex {
    Regex::new(r"[^\s\S]").expect("an empty class compiles")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: [&str; 4] = [
        "Pain 7/10; sensation intact in the L5-S1 dermatome, SLR +, (ICD9 729.2).",
        "She had 12 sessions of PT over 6 weeks -- no benefit.\nKnee: MRI 01/02/2014",
        "x\ty  z_9 ... [a] {b} \"quoted\" it's K S k s (per MTUS, 2009) page 12",
        "",
    ];

    const SOURCES: [&str; 12] = [
        r"\w+",
        r"(?i)\s+\S",
        r"[^a-z0-9\s]+",
        r".{3}\b",
        r"(?i)(?P<n>\d+)\s+(?:sessions?|weeks?)",
        r"(?i)\bk\b|\bs\b",
        r"[[:punct:]]+",
        r"(?i)\([^()]{0,60}?(?:19|20)\d{2}[a-z]?\s*\)",
        r"(?m)^\w+:|\B\d\b",
        r"(?i)\bICD[-\s]*(?:9|10)?\s*[\w.,\s-]{0,40}\)",
        r"(?i)\b(?:pages?|pg\.?)\s*\d+",
        r"(?-u:\b)x(?-u:\B)|\p{Lu}\p{Ll}+",
    ];

    #[test]
    fn on_an_ascii_text_the_ascii_reading_matches_as_the_expression_does() {
        for source in SOURCES {
            let dual = DualRegex::new(source).unwrap();
            let full = Regex::new(source).unwrap();
            for text in TEXTS {
                let ours: Vec<_> = dual.captures_iter(text).collect();
                let theirs: Vec<_> = full.captures_iter(text).collect();
                assert_eq!(ours.len(), theirs.len(), "{source} on {text:?}");
                for (a, b) in ours.iter().zip(&theirs) {
                    let groups =
                        |c: &Captures| c.iter().map(|g| g.map(|g| g.range())).collect::<Vec<_>>();
                    assert_eq!(groups(a), groups(b), "{source} on {text:?}");
                }
                assert_eq!(dual.replace_all(text, "_"), full.replace_all(text, "_"));
            }
            assert!(dual.unicode.get().is_none(), "{source}: ASCII texts only");
        }
    }

    #[test]
    fn the_ascii_reading_is_a_smaller_program() {
        let source = r"(?i)\([^()]{0,60}?(?:19|20)\d{2}\)|[\w.,\s-]{0,40}";
        let hir = parse(source).unwrap();
        let ascii = ascii_reading(&hir).to_string();
        let size = |s: &str| regex_automata::meta::Regex::new(s).unwrap().memory_usage();
        assert!(size(&ascii) * 4 < size(source), "{ascii}");
    }

    #[test]
    fn a_text_with_another_character_is_searched_in_full() {
        let word = DualRegex::new(r"\b\w+\b").unwrap();
        let found: Vec<_> = word.find_iter("José Ñúñez").map(|m| m.as_str()).collect();
        assert_eq!(found, ["José", "Ñúñez"]);
        assert!(word.unicode.get().is_some());
        assert!(word.ascii.get().is_none());
        assert_eq!(word.find("plain ascii").unwrap().as_str(), "plain");
        let possessive = DualRegex::new(r"(?i)tinel(?:['’]?s)?\s+sign").unwrap();
        assert!(possessive.is_match("positive TINEL'S sign"));
        assert!(possessive.is_match("positive Tinel’s sign"));
    }

    #[test]
    fn a_syntax_error_is_the_one_regex_gives() {
        let ours = DualRegex::new("(unclosed").unwrap_err().to_string();
        let theirs = Regex::new("(unclosed").unwrap_err().to_string();
        assert_eq!(ours, theirs);
    }
}
