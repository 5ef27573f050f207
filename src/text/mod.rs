//! A flattened view of a region of the letter: PDF line breaks, blank lines,
//! page breaks and runs of spaces folded into single spaces, with a map back to
//! the source bytes. Parsers and detectors match against the flat text (so a
//! phrase broken over two lines or a page still matches) and report spans in
//! the source. [`visible`] makes text from a letter, a path or a user's file
//! safe to show on a terminal, in a human report, in HTML and in XML.

pub mod attribution;
pub mod dual_regex;
pub mod visible;

pub use visible::{safe_path, visible_line};
pub mod hir_code;
pub mod lazy_dfa;
pub mod literals;
pub mod lowercase;
pub mod match_length;
pub mod nfa_code;
pub mod pattern;
pub mod prepared;
pub mod projection;

use std::collections::HashSet;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use attribution::Clause;
use dual_regex::LowerCase;

/// Flattened text of a source region plus the source offset of every byte.
#[derive(Debug, Default)]
pub struct Flat {
    pub text: String,
    /// The source byte offset of each flat byte, and of one past the last.
    offsets: Offsets,
    /// The text's sentences and quotations, read on first use by whichever
    /// stage needs them first (the fact scan, the context of a requested
    /// word, the treatment lists, misquote).
    sentences: OnceLock<Vec<Range<usize>>>,
    quotations: OnceLock<Vec<attribution::Quotation>>,
    /// The text in lower case, made once for the automata and expressions
    /// of every stage.
    lower: OnceLock<LowerCase>,
    /// The clauses of the text's first sentences, and how many sentences
    /// they cover: each stage reads only the sentences it needs, and only
    /// the sentences no stage read before it (the fact scan reads up to
    /// its last hit, misquote the whole rationale).
    clauses: Mutex<(usize, Vec<Clause>)>,
}

/// Where each byte of a flattened text stands in its source.
#[derive(Debug)]
enum Offsets {
    /// `offsets[i]` is the source offset of flat byte `i` (every byte of
    /// a character outside ASCII at the character's start); one extra
    /// entry holds the source offset one past the last byte.
    Bytes(Vec<usize>),
    /// For an ASCII region: (flat offset, source offset) where each
    /// stretch the source holds byte for byte begins, in order; a flat byte
    /// lies as far into the source as into its stretch. The last entry is
    /// (text length, the source offset one past the last byte).
    Stretches(Vec<(usize, usize)>),
}

/// An empty text's: offset 0.
impl Default for Offsets {
    fn default() -> Offsets {
        Offsets::Stretches(vec![(0, 0)])
    }
}

impl Offsets {
    /// The source offset of flat byte `at` (at most the text's length).
    fn of(&self, at: usize) -> usize {
        match self {
            Offsets::Bytes(offsets) => offsets[at.min(offsets.len() - 1)],
            Offsets::Stretches(stretches) => {
                let after = stretches.partition_point(|&(flat, _)| flat <= at);
                let (flat, source) = stretches[after.max(1) - 1];
                source + (at.min(stretches[stretches.len() - 1].0) - flat)
            }
        }
    }
}

/// Stretches of an ASCII region being flattened ([`Offsets::Stretches`]).
struct Stretches(Vec<(usize, usize)>);

impl Stretches {
    /// Flat byte `flat` stands at source offset `source`, and the bytes
    /// after it follow it, until the next stretch.
    fn at(&mut self, flat: usize, source: usize) {
        if let Some(&(last_flat, last_source)) = self.0.last()
            && last_source + (flat - last_flat) == source
        {
            return;
        }
        self.0.push((flat, source));
    }
}

/// Whether the word broken at a line's end — the letters that end `before`
/// and those that begin `after`, two or more each — stands whole elsewhere
/// in `source`, in any case, between characters that are not letters or
/// digits. `words` is the index of `source`'s words ([`LetterWords`]).
fn whole_elsewhere(source: &str, before: &str, after: &str, words: &LetterWords) -> bool {
    let head_len = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum::<usize>();
    let tail_len = after
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum::<usize>();
    let (head, tail) = (&before[before.len() - head_len..], &after[..tail_len]);
    if head.chars().count() < 2 || tail.chars().count() < 2 || !head.is_ascii() || !tail.is_ascii()
    {
        return false;
    }
    let word = format!("{head}{tail}").to_ascii_lowercase();
    words.holds(source, word.as_bytes())
}

/// The ASCII letters that end `bytes`: all [`whole_elsewhere`] reads of
/// the text before a line's end (a slice, not the whole text so far, so
/// that each broken word costs its own length).
fn trailing_letters(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |at| at + 1);
    &bytes[start..]
}

/// The ASCII letters that begin `bytes`: all [`whole_elsewhere`] reads of
/// the text after a line's end.
fn leading_letters(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(bytes.len());
    &bytes[..end]
}

/// ASCII bytes as text.
fn ascii_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// The scans of a letter [`LetterWords`] makes before it indexes the
/// letter's words instead.
const SCANS_BEFORE_INDEX: usize = 16;

/// A letter's whole words, for the words broken at a line's end
/// ([`whole_elsewhere`]), kept with the letter ([`crate::source::Source`])
/// and given the letter's text at each lookup. A word stands whole where
/// its letters, in any case, are a maximal run of ASCII letters and digits:
/// neither byte beside it is one. The first lookups scan the letter, as
/// cheap as any index for the few broken words of a letter; past
/// [`SCANS_BEFORE_INDEX`] of them the letter's words are indexed once, so
/// that a letter of many items and broken words reads in time linear in
/// its length rather than a scan of the whole letter per broken word. Both
/// answer alike.
#[derive(Debug, Default)]
pub struct LetterWords {
    scans: AtomicUsize,
    /// Each maximal run of ASCII letters (bounded by bytes that are no
    /// ASCII letter or digit) of the letter, in lower case.
    index: OnceLock<HashSet<Box<[u8]>>>,
}

impl LetterWords {
    /// Whether `source` holds `word` (ASCII letters, in lower case) whole.
    fn holds(&self, source: &str, word: &[u8]) -> bool {
        if let Some(index) = self.index.get() {
            return index.contains(word);
        }
        if self.scans.fetch_add(1, Ordering::Relaxed) < SCANS_BEFORE_INDEX {
            return scan_for_word(source.as_bytes(), word);
        }
        self.index
            .get_or_init(|| index_words(source.as_bytes()))
            .contains(word)
    }
}

/// Whether `bytes` hold `word` (ASCII letters, lower case, not empty)
/// whole, in any case, between bytes that are no ASCII letter or digit.
fn scan_for_word(bytes: &[u8], word: &[u8]) -> bool {
    let bounded = |at: usize| {
        let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let end = at + word.len();
        let after_ok = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        before_ok && after_ok
    };
    let first = word[0];
    (0..bytes.len().saturating_sub(word.len() - 1)).any(|at| {
        bytes[at].eq_ignore_ascii_case(&first)
            && bytes[at..at + word.len()].eq_ignore_ascii_case(word)
            && bounded(at)
    })
}

/// The words [`scan_for_word`] can find in `bytes`: each maximal run of
/// ASCII letters and digits that holds letters only, in lower case.
fn index_words(bytes: &[u8]) -> HashSet<Box<[u8]>> {
    bytes
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|run| !run.is_empty() && run.iter().all(u8::is_ascii_alphabetic))
        .map(|run| run.to_ascii_lowercase().into_boxed_slice())
        .collect()
}

impl Flat {
    fn of(text: String, offsets: Offsets) -> Flat {
        Flat {
            text,
            offsets,
            sentences: OnceLock::new(),
            quotations: OnceLock::new(),
            lower: OnceLock::new(),
            clauses: Mutex::new((0, Vec::new())),
        }
    }

    /// The text with its ASCII letters lowered ([`LowerCase`]), made once.
    pub fn lower_case(&self) -> &LowerCase {
        self.lower.get_or_init(|| LowerCase::of(&self.text))
    }

    /// The clauses of the text's first `read` sentences
    /// ([`attribution::clauses_lowered`]), each sentence read once however
    /// many stages ask: the same clauses as reading them all at once.
    pub fn clauses(&self, read: usize) -> Vec<Clause> {
        let sentences = self.sentences();
        let read = read.min(sentences.len());
        let mut known = self.clauses.lock().unwrap_or_else(PoisonError::into_inner);
        let (covered, clauses) = &mut *known;
        if *covered < read {
            let before = clauses.last().map(|clause| clause.voice);
            let lower = self.lower_case().with(&self.text);
            clauses.extend(attribution::clauses_of_sentences(
                &lower,
                sentences,
                *covered..read,
                before,
            ));
            *covered = read;
        }
        let end = clauses.partition_point(|clause| clause.sentence < read);
        clauses[..end].to_vec()
    }

    /// The text's sentences ([`sentences`]), read once.
    pub fn sentences(&self) -> &[Range<usize>] {
        self.sentences.get_or_init(|| sentences(&self.text))
    }

    /// The text's quotations ([`attribution::quotations`]), read once.
    pub fn quotations(&self) -> &[attribution::Quotation] {
        self.quotations
            .get_or_init(|| attribution::quotations(&self.text))
    }

    /// Flattens `source[range]`. Whitespace runs become one space; a line that
    /// ends in a hyphen after a letter joins the next line without a space
    /// ("X-\nray" reads "X-ray"), and without the hyphen when the letter
    /// writes the joined word whole elsewhere ("medi-\ncally" reads
    /// "medically" in a letter that says "medically" again): a word a
    /// typesetter broke, not a compound. Leading and trailing whitespace is
    /// dropped.
    pub fn new(source: &str, range: Range<usize>) -> Flat {
        Flat::new_in(source, range, &LetterWords::default())
    }

    /// [`Flat::new`] with the index of `source`'s words kept for the
    /// letter ([`LetterWords`]): a letter flattened region by region looks
    /// its broken words up in one index.
    pub fn new_in(source: &str, range: Range<usize>, words: &LetterWords) -> Flat {
        if source.as_bytes()[range.clone()].is_ascii() {
            Flat::new_ascii(source, range, words)
        } else {
            Flat::new_chars(source, range, words)
        }
    }

    /// [`Flat::new`], character by character.
    fn new_chars(source: &str, range: Range<usize>, words: &LetterWords) -> Flat {
        let mut text = String::with_capacity(range.len());
        let mut offsets = Vec::with_capacity(range.len() + 1);
        let region = &source[range.clone()];
        let mut pending_space: Option<usize> = None;
        let mut saw_newline = false;
        for (i, ch) in region.char_indices() {
            let at = range.start + i;
            if ch.is_whitespace() || ch == '\u{0}' {
                if pending_space.is_none() {
                    pending_space = Some(at);
                }
                if ch == '\n' {
                    saw_newline = true;
                }
                continue;
            }
            if let Some(space_at) = pending_space.take() {
                let joins_hyphenated = saw_newline
                    && text.ends_with('-')
                    && text[..text.len() - 1]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphabetic)
                    && ch.is_lowercase();
                if joins_hyphenated
                    && whole_elsewhere(source, &text[..text.len() - 1], &region[i..], words)
                {
                    text.pop();
                    offsets.pop();
                }
                if !text.is_empty() && !joins_hyphenated {
                    text.push(' ');
                    offsets.push(space_at);
                }
            }
            saw_newline = false;
            let len_before = text.len();
            text.push(ch);
            for _ in len_before..text.len() {
                offsets.push(at);
            }
        }
        let end = match pending_space {
            Some(space_at) => space_at,
            None => range.end,
        };
        offsets.push(end);
        Flat::of(text, Offsets::Bytes(offsets))
    }

    /// [`Flat::new`] of an ASCII region, a run of non-space bytes at a
    /// time (the same rules: a byte is whitespace where
    /// `char::is_whitespace` says so, or NUL).
    fn new_ascii(source: &str, range: Range<usize>, words: &LetterWords) -> Flat {
        let is_space = |byte: u8| matches!(byte, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0);
        let region = &source.as_bytes()[range.clone()];
        let mut text: Vec<u8> = Vec::with_capacity(region.len());
        let mut stretches = Stretches(Vec::new());
        let mut pending_space: Option<usize> = None;
        let mut saw_newline = false;
        let mut i = 0;
        while i < region.len() {
            let byte = region[i];
            let at = range.start + i;
            if is_space(byte) {
                if pending_space.is_none() {
                    pending_space = Some(at);
                }
                if byte == b'\n' {
                    saw_newline = true;
                }
                i += 1;
                continue;
            }
            if let Some(space_at) = pending_space.take() {
                let joins_hyphenated = saw_newline
                    && text.ends_with(b"-")
                    && text.len() >= 2
                    && text[text.len() - 2].is_ascii_alphabetic()
                    && byte.is_ascii_lowercase();
                if joins_hyphenated
                    && whole_elsewhere(
                        source,
                        ascii_str(trailing_letters(&text[..text.len() - 1])),
                        ascii_str(leading_letters(&region[i..])),
                        words,
                    )
                {
                    // The hyphen ends a stretch: the next one starts where it was.
                    text.pop();
                }
                if !text.is_empty() && !joins_hyphenated {
                    stretches.at(text.len(), space_at);
                    text.push(b' ');
                }
            }
            saw_newline = false;
            // The run of bytes up to the next space, each at its place.
            let end = region[i..]
                .iter()
                .position(|&b| is_space(b))
                .map_or(region.len(), |n| i + n);
            stretches.at(text.len(), range.start + i);
            text.extend_from_slice(&region[i..end]);
            i = end;
        }
        // The end: a stretch of its own, so that no byte past the text
        // lies in the last one.
        stretches
            .0
            .push((text.len(), pending_space.unwrap_or(range.end)));
        let text = String::from_utf8(text).expect("an ASCII region flattens to ASCII");
        Flat::of(text, Offsets::Stretches(stretches.0))
    }

    /// Source byte range of the flat byte range `range`.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.offsets.of(range.start);
        let end = if range.end == 0 {
            start
        } else {
            let last = self.offsets.of(range.end - 1);
            // One past the last char of that byte in the source.
            let char_len = self.text[..range.end]
                .chars()
                .next_back()
                .map_or(0, char::len_utf8);
            last + char_len
        };
        start..end.max(start)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Words that end in a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "vs", "no", "nos", "pg", "pp", "st", "approx", "e.g", "i.e", "etc",
    "al", "fig", "ref", "jr", "sr", "inc", "co", "dept", "ed", "eds", "vol", "sec", "u.s", "p.a",
];

/// Splits flat text into sentence ranges. A sentence ends at `.`, `!` or `?`
/// (with any closing quotes or brackets) followed by a space and a capital,
/// digit, quote or bracket — not after an abbreviation, an initial or inside a
/// number ("3.3.9", "0.025%").
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
                end += 1;
            }
            // Curly closing quote (3 bytes).
            while text[end..].starts_with('\u{201d}') {
                end += '\u{201d}'.len_utf8();
            }
            let at_end = end >= bytes.len();
            let next_starts_sentence = !at_end
                && bytes[end] == b' '
                && text[end + 1..].chars().next().is_some_and(|c| {
                    c.is_uppercase() || c.is_ascii_digit() || "\"'(\u{201c}[".contains(c)
                });
            if (at_end || next_starts_sentence) && (b != b'.' || !is_abbreviation(text, i)) {
                out.push(start..end);
                start = if at_end { end } else { end + 1 };
                i = start;
                continue;
            }
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push(start..bytes.len());
    }
    out
}

fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |i| i + 1);
    let word = before[word_start..].to_ascii_lowercase();
    if word.is_empty() {
        return false;
    }
    // A single capital letter is an initial ("J. Smith").
    if word.len() == 1 && word.chars().all(|c| c.is_alphabetic()) {
        return true;
    }
    ABBREVIATIONS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_read_a_stretch_of_sentences_at_a_time_are_those_read_at_once() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        let (mut letters, mut guideline) = (0, 0);
        for path in paths {
            let source = std::fs::read_to_string(&path).unwrap();
            let flat = Flat::new(&source, 0..source.len());
            let sentences = flat.sentences().to_vec();
            let lower = LowerCase::of(&flat.text);
            let at_once = attribution::clauses_lowered(&lower.with(&flat.text), &sentences);
            let prefix = |read: usize| -> Vec<Clause> {
                at_once
                    .iter()
                    .filter(|c| c.sentence < read)
                    .cloned()
                    .collect()
            };
            // Stretches of one, then several sentences, a stretch read
            // again, then the rest.
            for read in [1, 4, 3, 9, sentences.len() / 2, usize::MAX] {
                assert_eq!(
                    flat.clauses(read),
                    prefix(read),
                    "{}: {read}",
                    path.display()
                );
            }
            letters += 1;
            guideline += at_once
                .iter()
                .filter(|c| c.voice == attribution::Voice::Guideline)
                .count();
        }
        assert!(
            letters >= 20 && guideline > 60,
            "{letters} letters, {guideline} guideline clauses"
        );
    }

    #[test]
    fn an_ascii_region_flattens_as_character_by_character() {
        let texts = [
            "  X-\nray of the\r\n\n  knee -\n- a\t\x0bb\x0c\x00c \x1c d-\nE 1-\nx ",
            "-\nab",
            "a-\n\nb\n",
            "is medi-\ncally needed; medically so. Non-\ncertified.",
            "",
            " \n ",
            "plain",
        ];
        for text in texts {
            for start in 0..text.len() {
                for end in start..=text.len() {
                    let ascii = Flat::new_ascii(text, start..end, &LetterWords::default());
                    let chars = Flat::new_chars(text, start..end, &LetterWords::default());
                    assert_eq!(ascii.text, chars.text, "{text:?} {start}..{end}");
                    for at in 0..=ascii.text.len() + 1 {
                        assert_eq!(
                            ascii.offsets.of(at),
                            chars.offsets.of(at),
                            "{text:?} {start}..{end} at {at}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn flat_folds_breaks_and_maps_back() {
        let src = "An X-\nray of the\n\n\x0clow  back.";
        let flat = Flat::new(src, 0..src.len());
        assert_eq!(flat.text, "An X-ray of the low back.");
        let at = flat.text.find("low").unwrap();
        let range = flat.source_range(at..at + 3);
        assert_eq!(&src[range], "low");
    }

    #[test]
    fn a_word_broken_at_a_line_end_reads_whole_where_the_letter_writes_it_whole() {
        let src = "It is not medi-\ncally necessary. Medically, the non-\ncertified\nrequest, an X-\nray and a follow-\nup.";
        let flat = Flat::new(src, 0..src.len());
        // "medically" stands whole elsewhere; "noncertified", "xray" and
        // "followup" nowhere: compounds keep their hyphen.
        assert_eq!(
            flat.text,
            "It is not medically necessary. Medically, the non-certified request, an X-ray and a follow-up."
        );
        let at = flat.text.find("medically").unwrap();
        assert_eq!(&src[flat.source_range(at..at + 9)], "medi-\ncally");
        assert_eq!(
            Flat::new_chars(src, 0..src.len(), &LetterWords::default()).text,
            flat.text
        );
    }

    /// A letter's words, indexed once its broken words are many, answer as
    /// the scan of the letter does: in any case, whole between bytes that
    /// are no ASCII letter or digit, never a run with a digit in it.
    #[test]
    fn the_index_of_a_letters_words_answers_as_its_scan() {
        let source = "Medically NECESSARY; re-evaluation x2 (follow/up) co\u{e9}xist \
                      treatment\u{2019}s 3rdparty medically_done";
        let index = index_words(source.as_bytes());
        for word in [
            "medically",
            "necessary",
            "evaluation",
            "follow",
            "up",
            "re",
            "xist",
            "treatment",
            "s",
            "rdparty",
            "done",
            "medicallydone",
            "party",
            "necessar",
            "ecessary",
            "reevaluation",
        ] {
            assert_eq!(
                index.contains(word.as_bytes()),
                scan_for_word(source.as_bytes(), word.as_bytes()),
                "{word}"
            );
        }
    }

    /// Past the first few broken words, a letter's words are looked up in
    /// its index: the words join exactly as they did while it was scanned.
    #[test]
    fn a_letter_of_many_broken_words_reads_them_as_one_of_few() {
        let one = "Not medi-\ncally indicated; medically; a follow-\nup. ";
        let many = one.repeat(3 * SCANS_BEFORE_INDEX);
        let words = LetterWords::default();
        let flat = Flat::new_in(&many, 0..many.len(), &words);
        let expected =
            vec!["Not medically indicated; medically; a follow-up."; 3 * SCANS_BEFORE_INDEX];
        assert_eq!(flat.text, expected.join(" "));
        assert!(words.index.get().is_some(), "the letter was indexed");
        assert_eq!(
            flat.text,
            Flat::new_chars(&many, 0..many.len(), &LetterWords::default()).text
        );
    }

    #[test]
    fn sentences_respect_abbreviations_and_numbers() {
        let text = "Dr. Smith saw him on 3.3.9 grounds. No red flags. He walks e.g. slowly? Yes.";
        let parts: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            parts,
            [
                "Dr. Smith saw him on 3.3.9 grounds.",
                "No red flags.",
                "He walks e.g. slowly?",
                "Yes."
            ]
        );
    }
}
