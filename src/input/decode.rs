//! Bytes to letter text. Every file becomes text: what cannot be decoded
//! exactly is decoded as well as it can be and the [`Decoding`] says what was
//! done, so the parser can name it in a finding and still read the letter.
//!
//! The order of decisions:
//! 1. a byte-order mark decides: UTF-8 (stripped), UTF-16 LE or BE (decoded);
//!    a UTF-16 mark is believed only when what follows is not plain UTF-8
//!    text, so `FF FE` in front of an ASCII letter is two stray bytes;
//! 2. without a mark, UTF-16 is recognised by its NUL bytes (every other byte
//!    of English text is NUL in UTF-16);
//! 3. valid UTF-8 is taken as it is;
//! 4. text that is not valid UTF-8 is read as Windows-1252 (the encoding of
//!    letters saved by Windows tools: `’` is byte 0x92) unless the file is
//!    mostly UTF-8 with a few damaged bytes, which are then replaced with
//!    U+FFFD. The first offending byte is recorded either way.
//!
//! Then, on the decoded text:
//! - a file that is more than half NUL bytes, or whose other characters are
//!   more than 10% control characters, or (read as Windows-1252) more than
//!   30% outside ASCII, is judged binary; below those shares a NUL is noise
//!   and is read as a space, which keeps every offset and column;
//! - U+FDD0, a Unicode noncharacter the tool keeps for marking its own
//!   colour sequences ([`crate::text::visible`]), is read as U+FFFD (the
//!   same three bytes, so no offset moves): a letter cannot pass a colour
//!   sequence for the tool's own;
//! - CRLF and a lone CR (old Mac files) are both read as `\n`, so item
//!   boundaries survive. Lines and columns stay those an editor shows; byte
//!   offsets are those of the decoded text, as they already are for any text
//!   that was not UTF-8 on disk;
//! - typographic characters are read as the plain ones they stand for
//!   ([`plain_letters`]): curly apostrophes and quotation marks as straight
//!   ones, a no-break space as a space, a ligature of PDF text (`ﬁ`, `ﬃ`) as
//!   its letters. Every term, pattern and check then reads "Tinel’s" and
//!   "signiﬁcant" as it reads "Tinel's" and "significant". Columns still
//!   count a ligature as one character ([`Decoding::ligatures`]).

use std::fmt;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::Serialize;

/// The character encoding a letter was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// The encoding's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How the encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detection {
    /// Valid UTF-8 without a mark (or text handed over already decoded).
    Plain,
    /// A byte-order mark named the encoding.
    Bom,
    /// UTF-16 recognised by its NUL bytes, without a mark.
    Guessed,
    /// The bytes were not valid UTF-8: see [`Decoding::first_invalid`].
    Fallback,
}

/// Line endings as the file wrote them; all are read as `\n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineEndings {
    /// `\n` only (or a single line).
    Lf,
    /// `\r\n` only.
    Crlf,
    /// `\r` only.
    Cr,
    /// More than one kind.
    Mixed,
}

/// Why a file is judged binary rather than letter text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Binary {
    /// More than half of the file is NUL bytes.
    MostlyNul { percent: u32 },
    /// More than 10% of the other characters are control characters.
    ControlCharacters { percent: u32 },
    /// Not UTF-8, and more than 30% of the bytes are outside ASCII.
    NotAscii { percent: u32 },
    /// More than 25% of the characters are damaged UTF-8.
    Replaced { percent: u32 },
}

impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Binary::MostlyNul { percent } => write!(f, "{percent}% of it is NUL bytes"),
            Binary::ControlCharacters { percent } => {
                write!(f, "{percent}% of its characters are control characters")
            }
            Binary::NotAscii { percent } => write!(
                f,
                "it is not UTF-8 and {percent}% of its bytes are outside ASCII"
            ),
            Binary::Replaced { percent } => {
                write!(f, "{percent}% of its characters are not valid UTF-8")
            }
        }
    }
}

/// The first character that could not be decoded exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Invalid {
    /// Byte offset in the decoded text where it stands.
    pub offset: usize,
    /// The offending byte, when one byte is to blame (not for UTF-16).
    pub byte: Option<u8>,
    /// It was replaced with U+FFFD (otherwise another encoding read it).
    pub replaced: bool,
}

/// How a file's bytes became its text, and what was odd about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decoding {
    pub encoding: Encoding,
    pub detection: Detection,
    /// The first character not decoded exactly, if any.
    pub first_invalid: Option<Invalid>,
    /// NUL bytes (characters, for UTF-16) in the file.
    pub nul_count: usize,
    /// Offset in the text of the first of them (read as a space).
    pub first_nul: Option<usize>,
    pub line_endings: LineEndings,
    /// Set when the file is not letter text at all.
    pub binary: Option<Binary>,
    /// Where a ligature (`ﬁ`, U+FB01) was read as its letters (`fi`,
    /// [`plain_letters`]): the
    /// offset in the text of the letters after the first, and how many
    /// they are. Columns count the ligature as the one character an editor
    /// shows.
    #[serde(skip)]
    pub ligatures: Vec<(usize, usize)>,
    /// The file's own length and digest, when its text is not its bytes
    /// (another encoding, line endings, NULs, typographic characters): what
    /// a report that describes the file itself gives (SARIF's artifacts).
    /// `None` when the text is the file's bytes, or came from memory.
    #[serde(skip)]
    pub file: Option<FileDigest>,
}

/// A file's length in bytes and the SHA-256 of its bytes (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub len: usize,
    pub sha256: String,
}

/// Decodes a file's bytes (see the module comment for the rules).
pub fn decode(bytes: &[u8]) -> (String, Decoding) {
    let raw = to_text(bytes);
    let (text, mut decoding) = finish(raw);
    if text.as_bytes() != bytes {
        decoding.file = Some(FileDigest {
            len: bytes.len(),
            sha256: crate::baseline::fingerprint::sha256_hex(bytes),
        });
    }
    (text, decoding)
}

/// The same checks for text already in memory: NULs, control characters and
/// line endings (the encoding is UTF-8 by construction).
pub fn from_text(text: String) -> (String, Decoding) {
    finish(Raw {
        text,
        encoding: Encoding::Utf8,
        detection: Detection::Plain,
        first_invalid: None,
    })
}

/// Text before NULs and line endings are dealt with.
struct Raw {
    text: String,
    encoding: Encoding,
    detection: Detection,
    first_invalid: Option<Invalid>,
}

fn to_text(bytes: &[u8]) -> Raw {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let mut raw = utf8_or_1252(rest);
        if raw.detection == Detection::Plain {
            raw.detection = Detection::Bom;
        }
        return raw;
    }
    for (mark, encoding) in [
        (b"\xFF\xFE", Encoding::Utf16Le),
        (b"\xFE\xFF", Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(mark)
            && (rest.contains(&0) || std::str::from_utf8(rest).is_err())
        {
            return utf16(rest, encoding, Detection::Bom);
        }
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return utf16(bytes, encoding, Detection::Guessed);
    }
    utf8_or_1252(bytes)
}

/// UTF-16 without a mark: in the first 4 KiB, at least 40% of the code units
/// have a NUL high byte and almost none a NUL low byte (text mostly in Latin
/// script, as letters are).
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(4096)];
    let units = sample.len() / 2;
    if units < 4 {
        return None;
    }
    let (mut first, mut second) = (0, 0);
    for unit in sample.chunks_exact(2) {
        first += usize::from(unit[0] == 0);
        second += usize::from(unit[1] == 0);
    }
    let many = |n: usize| n * 10 >= units * 4;
    let few = |n: usize| n * 20 <= units;
    if many(second) && few(first) {
        Some(Encoding::Utf16Le)
    } else if many(first) && few(second) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

fn utf16(bytes: &[u8], encoding: Encoding, detection: Detection) -> Raw {
    let decoder = if encoding == Encoding::Utf16Le {
        UTF_16LE
    } else {
        UTF_16BE
    };
    let (text, had_errors) = decoder.decode_without_bom_handling(bytes);
    let first_invalid = had_errors
        .then(|| text.find('\u{fffd}'))
        .flatten()
        .map(|offset| Invalid {
            offset,
            byte: None,
            replaced: true,
        });
    Raw {
        text: text.into_owned(),
        encoding,
        detection,
        first_invalid,
    }
}

fn utf8_or_1252(bytes: &[u8]) -> Raw {
    let at = match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Raw {
                text: text.to_owned(),
                encoding: Encoding::Utf8,
                detection: Detection::Plain,
                first_invalid: None,
            };
        }
        Err(err) => err.valid_up_to(),
    };
    // Valid multi-byte characters against damaged sequences: a UTF-8 file
    // with a stray byte keeps its accents; a Windows-1252 file has no valid
    // multi-byte sequence at all (or, by chance, very few: `Ã` before a
    // curly quote).
    let (mut multibyte, mut damaged) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        damaged += usize::from(!chunk.invalid().is_empty());
    }
    if multibyte > 0 && multibyte >= damaged {
        Raw {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: Encoding::Utf8,
            detection: Detection::Fallback,
            first_invalid: Some(Invalid {
                offset: at,
                byte: Some(bytes[at]),
                replaced: true,
            }),
        }
    } else {
        let offset = WINDOWS_1252
            .decode_without_bom_handling(&bytes[..at])
            .0
            .len();
        Raw {
            text: WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            encoding: Encoding::Windows1252,
            detection: Detection::Fallback,
            first_invalid: Some(Invalid {
                offset,
                byte: Some(bytes[at]),
                replaced: false,
            }),
        }
    }
}

fn finish(raw: Raw) -> (String, Decoding) {
    let Raw {
        mut text,
        encoding,
        detection,
        mut first_invalid,
    } = raw;
    let binary = judge(&text, encoding);
    let nul_count = text.bytes().filter(|&b| b == 0).count();
    let mut first_nul = None;
    if nul_count > 0 && binary.is_none() {
        first_nul = text.find('\0');
        text = text.replace('\0', " ");
    }
    if text.contains(crate::text::visible::STYLE_MARK) {
        text = text.replace(crate::text::visible::STYLE_MARK, "\u{fffd}");
    }
    let (text, line_endings, removed) = normalise_line_endings(text);
    let (text, ligatures, shrunk) = plain_typography(text);
    // Offsets recorded before normalising move back by the CRs removed
    // before them, then by the bytes the typographic characters before
    // them lost (each list one entry per byte, in its own text's offsets).
    let back = |offset: usize, lost: &[usize]| offset - lost.partition_point(|&at| at < offset);
    let moved = |offset: usize| back(back(offset, &removed), &shrunk);
    if let Some(invalid) = &mut first_invalid {
        invalid.offset = moved(invalid.offset);
    }
    let first_nul = first_nul.map(moved);
    let decoding = Decoding {
        encoding,
        detection,
        first_invalid,
        nul_count,
        first_nul,
        line_endings,
        binary,
        ligatures,
        file: None,
    };
    (text, decoding)
}

/// The plain characters a typographic one stands for: a Latin ligature of
/// Unicode's presentation forms, which PDF text keeps where a font set two
/// letters as one glyph ("signiﬁcant", "Oﬃcial"); a curly apostrophe or
/// quotation mark ("Tinel’s", “not recommended”), which a word processor
/// sets for the straight one; a no-break space; a hyphen, an en dash
/// ("2–3 weeks") or a minus sign, which plain text writes as a hyphen (an
/// em dash, which parts clauses, stays).
fn plain_letters(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        '\u{2018}' | '\u{2019}' | '\u{201B}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201F}' => "\"",
        '\u{A0}' => " ",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => "-",
        _ => return None,
    })
}

/// The text with every typographic character read as its plain ones
/// ([`plain_letters`]); where the letters after a ligature's first stand
/// (with their count); and, once for each byte the text lost, the offset
/// in the text before of the character that lost it.
fn plain_typography(text: String) -> (String, Vec<(usize, usize)>, Vec<usize>) {
    if text.is_ascii() || !text.chars().any(|c| plain_letters(c).is_some()) {
        return (text, Vec::new(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut ligatures = Vec::new();
    let mut shrunk = Vec::new();
    for (at, c) in text.char_indices() {
        match plain_letters(c) {
            Some(letters) => {
                if letters.len() > 1 {
                    ligatures.push((out.len() + 1, letters.len() - 1));
                }
                for _ in letters.len()..c.len_utf8() {
                    shrunk.push(at);
                }
                out.push_str(letters);
            }
            None => out.push(c),
        }
    }
    (out, ligatures, shrunk)
}

/// Whether decoded text is binary rather than letter text.
fn judge(text: &str, encoding: Encoding) -> Option<Binary> {
    let (mut total, mut nul, mut control, mut non_ascii, mut replaced) = (0usize, 0, 0, 0, 0);
    if text.is_ascii() {
        // Byte by byte: an ASCII character is one byte, never replaced.
        total = text.len();
        for &b in text.as_bytes() {
            match b {
                0 => nul += 1,
                b'\n' | b'\r' | b'\t' | b'\x0c' => {}
                b if b.is_ascii_control() => control += 1,
                _ => {}
            }
        }
    } else {
        for c in text.chars() {
            total += 1;
            match c {
                '\0' => nul += 1,
                '\n' | '\r' | '\t' | '\x0c' => {}
                '\u{fffd}' => replaced += 1,
                c if c.is_control() => control += 1,
                c if !c.is_ascii() => non_ascii += 1,
                _ => {}
            }
        }
    }
    let percent = |part: usize, whole: usize| (part * 100 / whole.max(1)) as u32;
    let rest = total - nul;
    if total == 0 {
        None
    } else if nul * 2 > total {
        Some(Binary::MostlyNul {
            percent: percent(nul, total),
        })
    } else if control * 10 > rest {
        Some(Binary::ControlCharacters {
            percent: percent(control, rest),
        })
    } else if encoding == Encoding::Windows1252 && non_ascii * 10 > rest * 3 {
        Some(Binary::NotAscii {
            percent: percent(non_ascii, rest),
        })
    } else if replaced * 4 > rest {
        Some(Binary::Replaced {
            percent: percent(replaced, rest),
        })
    } else {
        None
    }
}

/// CRLF and lone CR become `\n`. Returns the text, what the file used, and
/// the offsets (in the text given) of the CRs removed.
fn normalise_line_endings(text: String) -> (String, LineEndings, Vec<usize>) {
    if !text.contains('\r') {
        return (text, LineEndings::Lf, Vec::new());
    }
    let bytes = text.as_bytes();
    let (mut lf, mut crlf, mut cr) = (0usize, 0usize, 0usize);
    let mut removed = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                crlf += 1;
                out.push_str(&text[copied..i]);
                copied = i + 1;
                removed.push(i);
            }
            b'\r' => {
                cr += 1;
                out.push_str(&text[copied..i]);
                out.push('\n');
                copied = i + 1;
            }
            b'\n' if i == 0 || bytes[i - 1] != b'\r' => lf += 1,
            _ => {}
        }
    }
    out.push_str(&text[copied..]);
    let kinds = [lf, crlf, cr].iter().filter(|&&n| n > 0).count();
    let endings = match (kinds, crlf > 0, cr > 0) {
        (0 | 1, true, _) => LineEndings::Crlf,
        (0 | 1, _, true) => LineEndings::Cr,
        (0 | 1, _, _) => LineEndings::Lf,
        _ => LineEndings::Mixed,
    };
    (out, endings, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tools_style_mark_in_a_letter_is_read_as_a_replacement_character() {
        let letter = "The request for \u{fdd0}\u{1b}[31mphysical therapy is upheld.";
        let (text, decoding) = decode(letter.as_bytes());
        assert_eq!(text, letter.replace('\u{fdd0}', "\u{fffd}"));
        assert!(decoding.binary.is_none());
    }

    #[test]
    fn typographic_characters_are_read_plain_and_offsets_move_with_them() {
        // A NUL after them: its offset moves back by the bytes they lost.
        let letter =
            "\u{201C}Signi\u{FB01}cant\u{201D} o\u{FB03}ce\u{A0}Tinel\u{2019}s 2\u{2013}3\0.";
        let (text, decoding) = decode(letter.as_bytes());
        assert_eq!(text, "\"Significant\" office Tinel's 2-3 .");
        assert_eq!(decoding.first_nul, Some(text.len() - 2));
        // The letters after each ligature's first: "i" of "fi", "fi" of "ffi".
        assert_eq!(decoding.ligatures, [(7, 1), (16, 2)]);
        // Windows-1252's curly apostrophe (0x92) too.
        assert_eq!(decode(b"Tinel\x92s sign \xff").0, "Tinel's sign \u{ff}");
    }

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn a_utf8_bom_is_stripped() {
        let (text, d) = decode(b"\xEF\xBB\xBFcaf\xC3\xA9\n");
        assert_eq!(text, "café\n");
        assert_eq!((d.encoding, d.detection), (Encoding::Utf8, Detection::Bom));
    }

    #[test]
    fn utf16_is_decoded_with_or_without_its_mark() {
        for bom in [true, false] {
            let (text, d) = decode(&utf16le("Upheld.\r\nNext: é\r\n", bom));
            assert_eq!(text, "Upheld.\nNext: é\n");
            assert_eq!(d.encoding, Encoding::Utf16Le);
            assert_eq!(d.line_endings, LineEndings::Crlf);
            assert!(d.binary.is_none());
        }
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Overturned".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&be).0, "Overturned");
    }

    #[test]
    fn a_utf16_mark_before_plain_utf8_is_two_stray_bytes() {
        let (text, d) = decode(b"\xFF\xFE plain letter text");
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert_eq!(text, "ÿþ plain letter text");
        let invalid = d.first_invalid.unwrap();
        assert_eq!((invalid.offset, invalid.byte), (0, Some(0xFF)));
    }

    #[test]
    fn windows_1252_is_read_and_the_first_bad_byte_recorded() {
        let (text, d) = decode(b"ok\r\nthe claimant\x92s \x93MRI\x94 \xe9");
        // The curly apostrophe and quotes are read as plain ones.
        assert_eq!(text, "ok\nthe claimant's \"MRI\" é");
        assert_eq!(d.encoding, Encoding::Windows1252);
        // Offset 16 in the file, 15 in the text once CRLF is one byte.
        assert_eq!(d.first_invalid.unwrap().offset, 15);
        assert_eq!(d.first_invalid.unwrap().byte, Some(0x92));
    }

    #[test]
    fn mostly_utf8_with_a_stray_byte_stays_utf8() {
        let (text, d) = decode(
            "café naïve \u{2019} "
                .bytes()
                .chain([0xFF])
                .collect::<Vec<_>>()
                .as_slice(),
        );
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(text.ends_with('\u{fffd}'));
        assert!(d.first_invalid.unwrap().replaced);
    }

    #[test]
    fn stray_nuls_are_spaces_and_many_make_a_binary_file() {
        let (text, d) = decode(b"IMR\0 ISSUES\n");
        assert_eq!(text, "IMR  ISSUES\n");
        assert_eq!((d.nul_count, d.first_nul, d.binary), (1, Some(3), None));
        let (_, d) = decode(&[0u8; 100]);
        assert!(matches!(d.binary, Some(Binary::MostlyNul { percent: 100 })));
        let controls: Vec<u8> = (0..=255u8).cycle().take(4000).collect();
        assert!(decode(&controls).1.binary.is_some());
    }

    #[test]
    fn cr_and_crlf_become_newlines() {
        let (text, d) = decode(b"a\rb\rc");
        assert_eq!(
            (text.as_str(), d.line_endings),
            ("a\nb\nc", LineEndings::Cr)
        );
        let (text, d) = decode(b"a\r\nb\nc\r");
        assert_eq!(
            (text.as_str(), d.line_endings),
            ("a\nb\nc\n", LineEndings::Mixed)
        );
    }
}
