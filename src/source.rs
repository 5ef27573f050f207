//! The text of one letter and the map from byte offsets to lines, columns and pages.
//!
//! Every value the pipeline extracts keeps a [`Span`] into this text, so any
//! report can quote the letter's own words and name where they stand. Columns
//! are counted in Unicode code points, lines and pages from 1; a form feed
//! (which `pdftotext` writes at each page break) starts a new page.
//!
//! The text is the decoded file ([`crate::input::decode`]): a byte-order mark
//! stripped, UTF-16 or Windows-1252 decoded, NULs read as spaces and CRLF or
//! CR read as `\n`. Byte offsets are offsets into that text; lines and
//! columns are those an editor shows for the file.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::input::decode::{self, Decoding};

/// A letter's text as read from disk, with its line and page index.
#[derive(Debug, Clone)]
pub struct Source {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
    page_starts: Vec<usize>,
    decoding: Decoding,
    flats: FlatRegions,
}

/// The regions of a source flattened so far ([`Source::flat`]): the case
/// summary and each rationale are read by several stages (the parser, the
/// fact scan, the checks), and each flattened them again.
///
/// The letter's words are indexed for them too, once a few words broken
/// at a line's end have been looked up ([`crate::text::LetterWords`]).
#[derive(Default)]
struct FlatRegions {
    regions: Mutex<Vec<(Range<usize>, Arc<crate::text::Flat>)>>,
    words: crate::text::LetterWords,
}

impl Clone for FlatRegions {
    /// A copy starts without regions: they are made again on demand.
    fn clone(&self) -> FlatRegions {
        FlatRegions::default()
    }
}

impl std::fmt::Debug for FlatRegions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FlatRegions")
    }
}

/// A region of a [`Source`]: byte offsets plus the line/column/page they fall on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Line of the first byte (from 1).
    pub line: usize,
    /// Column of the first byte, in code points (from 1).
    pub column: usize,
    /// Line of the last byte.
    pub end_line: usize,
    /// Column one past the last byte, in code points.
    pub end_column: usize,
    /// Page of the first byte (from 1; form feeds separate pages).
    pub page: usize,
}

impl Source {
    /// Builds a source from raw bytes, decoded as [`decode::decode`] says.
    /// Nothing is rejected: a damaged letter is read as far as it can be and
    /// [`Source::decoding`] records what was odd.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: &[u8]) -> Source {
        let (text, decoding) = decode::decode(bytes);
        Source::build(path.into(), text, decoding)
    }

    /// Builds a source from text already in memory (tests, rule self-tests);
    /// NULs and line endings are treated as for a file.
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Source {
        let (text, decoding) = decode::from_text(text.into());
        Source::build(path.into(), text, decoding)
    }

    fn build(path: PathBuf, text: String, decoding: Decoding) -> Source {
        let mut line_starts = vec![0];
        let mut page_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            match b {
                b'\n' => line_starts.push(i + 1),
                b'\x0c' => page_starts.push(i + 1),
                _ => {}
            }
        }
        Source {
            path,
            text,
            line_starts,
            page_starts,
            decoding,
            flats: FlatRegions::default(),
        }
    }

    /// `range` of the text flattened ([`crate::text::Flat::new`]), made
    /// once for the letter however many stages read it.
    pub fn flat(&self, range: Range<usize>) -> Arc<crate::text::Flat> {
        let mut regions = self
            .flats
            .regions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, flat)) = regions.iter().find(|(r, _)| *r == range) {
            return Arc::clone(flat);
        }
        let flat = Arc::new(self.flat_uncached(range.clone()));
        regions.push((range, Arc::clone(&flat)));
        flat
    }

    /// `range` of the text flattened, as [`Source::flat`] makes it, and not
    /// kept: for the short stretches one stage reads once (a request, a
    /// citation).
    pub fn flat_uncached(&self, range: Range<usize>) -> crate::text::Flat {
        crate::text::Flat::new_in(&self.text, range, &self.flats.words)
    }

    /// How the file's bytes became this text.
    pub fn decoding(&self) -> &Decoding {
        &self.decoding
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of lines (a trailing newline does not open a new line).
    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if self.text.ends_with('\n') { n - 1 } else { n }
    }

    /// The text of line `line` (from 1), without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    /// Byte offset where line `line` (from 1) starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
    }

    /// Line (from 1) and column (from 1, in code points) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index];
        let mut column = self.text[line_start..offset].chars().count() + 1;
        // A ligature read as its letters is one character on the line.
        let ligatures = &self.decoding.ligatures;
        if !ligatures.is_empty() {
            let first = ligatures.partition_point(|&(at, _)| at < line_start);
            column -= ligatures[first..]
                .iter()
                .take_while(|&&(at, _)| at < offset)
                .map(|&(at, extra)| extra.min(offset - at))
                .sum::<usize>();
        }
        (line_index + 1, column)
    }

    /// Page (from 1) of a byte offset.
    pub fn page(&self, offset: usize) -> usize {
        match self.page_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The span of bytes `start..end` (clamped to the text and to char boundaries).
    pub fn span(&self, start: usize, end: usize) -> Span {
        let start = self.floor_char_boundary(start.min(self.text.len()));
        let end = self.floor_char_boundary(end.clamp(start, self.text.len()));
        let (line, column) = self.position(start);
        let (end_line, end_column) = self.position(end);
        Span {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
            page: self.page(start),
        }
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_is_flattened_once_and_read_as_flat_new_reads_it() {
        let source = Source::from_text(
            "t",
            "Case\n\nsummary:  the X-\nray   was normal.\nRationale",
        );
        let range = 6..40;
        let first = source.flat(range.clone());
        let made = crate::text::Flat::new(source.text(), range.clone());
        assert_eq!(first.text, made.text);
        assert_eq!(first.text, "summary: the X-ray was normal.");
        assert_eq!(first.source_range(0..7), made.source_range(0..7));
        assert!(Arc::ptr_eq(&first, &source.flat(range)));
        // Its sentences and quotations are read once, as the functions read them.
        assert_eq!(first.sentences(), crate::text::sentences(&first.text));
        assert_eq!(
            first.quotations(),
            crate::text::attribution::quotations(&first.text)
        );
        assert!(std::ptr::eq(first.sentences(), first.sentences()));
        // Another region is its own, and a copy of the source starts afresh.
        assert_eq!(source.flat(0..4).text, "Case");
        assert_eq!(source.clone().flat(6..40).text, first.text);
    }

    #[test]
    fn positions_count_code_points_lines_and_pages() {
        let source = Source::from_text("x", "ab\ncé\x0cd\n");
        let span = source.span(6, 8);
        assert_eq!(source.slice(span), "\x0cd");
        assert_eq!((span.line, span.column), (2, 3));
        assert_eq!(source.page(7), 2);
        assert_eq!(source.line_text(2), "cé\x0cd");
        assert_eq!(source.line_count(), 2);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_recorded() {
        // Mostly UTF-8 with damaged bytes: they are replaced.
        let source = Source::from_bytes("x", &["ok é ".as_bytes(), b"\xff"].concat());
        let invalid = source.decoding().first_invalid.unwrap();
        assert_eq!((invalid.offset, invalid.byte), ("ok é ".len(), Some(0xFF)));
        assert!(source.text().ends_with('\u{fffd}'));
        // No UTF-8 at all: read as Windows-1252, the first bad byte recorded.
        let source = Source::from_bytes("x", b"ok \xff\xfe here");
        assert_eq!(source.decoding().first_invalid.unwrap().offset, 3);
        assert_eq!(source.text(), "ok ÿþ here");
    }

    #[test]
    fn typographic_characters_read_plain_keep_the_columns_an_editor_shows() {
        // "ﬁ" and "ﬃ" are one character each on the line; "’" and a no-break
        // space are one character before and after.
        let source = Source::from_text(
            "x",
            "A signi\u{FB01}cant o\u{FB03}ce\nTinel\u{2019}s\u{A0}sign",
        );
        assert_eq!(source.text(), "A significant office\nTinel's sign");
        let at = |word: &str| source.text().rfind(word).unwrap();
        assert_eq!(source.position(at("significant")), (1, 3));
        assert_eq!(source.position(at("office")), (1, 14));
        assert_eq!(source.position(at("ce\n")), (1, 16));
        assert_eq!(source.position(at("sign")), (2, 9));
        let span = source.span(at("office"), at("office") + "office".len());
        assert_eq!((span.column, span.end_column), (14, 18));
    }

    #[test]
    fn crlf_and_cr_keep_the_lines_an_editor_shows() {
        for text in ["ab\r\ncé\r\nd", "ab\rcé\rd"] {
            let source = Source::from_bytes("x", text.as_bytes());
            let at = source.text().find('d').unwrap();
            assert_eq!(source.position(at), (3, 1));
            assert_eq!(source.line_text(2), "cé");
        }
    }
}
