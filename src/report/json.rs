//! `check --format json` and `--format ndjson`: the letter documents of
//! [`document`](super::document) framed as one JSON document, or as one line
//! per letter followed by a summary line (docs/JSON.md). Both stream: a
//! letter is written as soon as it arrives, and ndjson flushes each line.

use std::io::{self, Write};

use serde::Serialize;

use super::document::{LetterDoc, SCHEMA_VERSION};
use super::summary::Summary;
use super::{PackOrigin, Reporter};
use crate::audit::Audit;
use crate::input::InputError;
use crate::rules::Pack;

/// The document of a letter that could not be read. Its fields stand in
/// alphabetical order, `type` (ndjson only) last, as they always have.
#[derive(Serialize)]
struct UnreadableDoc<'a> {
    error: &'a str,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    r#type: Option<&'static str>,
}

impl<'a> UnreadableDoc<'a> {
    fn of(error: &'a InputError) -> UnreadableDoc<'a> {
        UnreadableDoc {
            error: &error.message,
            path: error.path.display().to_string(),
            r#type: None,
        }
    }
}

/// One pretty JSON document: `{schema, pack, letters: [...], summary}`.
pub struct JsonReport {
    pack: PackOrigin,
    first: bool,
}

impl JsonReport {
    /// The report of a run judged by the embedded `pack`.
    pub fn new(pack: &Pack) -> JsonReport {
        JsonReport {
            pack: PackOrigin::of(pack, &[]),
            first: true,
        }
    }

    /// Names where the pack came from (`--rules` folders).
    pub fn with_origin(mut self, origin: &PackOrigin) -> JsonReport {
        self.pack = origin.clone();
        self
    }

    /// Writes the separator before the next element of `letters`.
    fn next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        Ok(())
    }
}

impl Reporter for JsonReport {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{{\n  \"schema\": {SCHEMA_VERSION},\n  \"pack\": ")?;
        serde_json::to_writer(&mut *out, &self.pack)?;
        write!(out, ",\n  \"letters\": [")
    }

    fn letter(&mut self, out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        self.next(out)?;
        out.write_all(&pretty(&LetterDoc::checked(audit))?)
    }

    fn unreadable(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        self.next(out)?;
        serde_json::to_writer_pretty(&mut *out, &UnreadableDoc::of(error))?;
        Ok(())
    }

    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        write!(out, "\n  ],\n  \"summary\": ")?;
        serde_json::to_writer(&mut *out, summary)?;
        out.write_all(b"\n}\n")
    }
}

/// One JSON object per line, each flushed as its letter finishes; the
/// summary line names the pack.
pub struct NdjsonReport {
    pack: PackOrigin,
}

impl NdjsonReport {
    /// The report of a run judged by the embedded `pack`.
    pub fn new(pack: &Pack) -> NdjsonReport {
        NdjsonReport {
            pack: PackOrigin::of(pack, &[]),
        }
    }

    /// Names where the pack came from (`--rules` folders).
    pub fn with_origin(mut self, origin: &PackOrigin) -> NdjsonReport {
        self.pack = origin.clone();
        self
    }
}

/// The last ndjson line: the summary, and the pack that judged.
#[derive(Serialize)]
struct SummaryLine<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    pack: &'a PackOrigin,
}

/// One ndjson line led by its type: `{"type": …, …}`.
#[derive(Serialize)]
struct Line<'a, T: Serialize> {
    r#type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<u32>,
    #[serde(flatten)]
    body: &'a T,
}

/// `value` as `serde_json::to_vec_pretty` writes it (two spaces an
/// indentation level), each line's indentation written at once: the
/// crate's own pretty printer writes a level at a time, a tenth of a
/// letter's report.
fn pretty(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(16 * 1024);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut bytes,
        Indented::default(),
    ))?;
    Ok(bytes)
}

/// The layout of `serde_json`'s pretty printer with a two-space indent:
/// a non-empty array or object opens, each element on a line of its own
/// one level deeper, and closes on a line at its own level; an empty one
/// stays `[]` or `{}`; a key is followed by `": "`.
#[derive(Default)]
struct Indented {
    level: usize,
    /// Whether the array or object being written has an element yet.
    has_element: bool,
}

impl Indented {
    /// A line break and the indentation of `level`, in one write.
    fn new_line<W: ?Sized + Write>(writer: &mut W, level: usize, comma: bool) -> io::Result<()> {
        const SPACES: &[u8; 66] =
            b",\n                                                                ";
        let from = usize::from(!comma);
        let width = 2 * level;
        if 2 + width <= SPACES.len() {
            writer.write_all(&SPACES[from..2 + width])
        } else {
            writer.write_all(&SPACES[from..2])?;
            for _ in 0..level {
                writer.write_all(b"  ")?;
            }
            Ok(())
        }
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_element = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_element {
            Indented::new_line(writer, self.level, false)?;
        }
        writer.write_all(bracket)
    }

    fn element<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        Indented::new_line(writer, self.level, !first)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_element = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_element = true;
        Ok(())
    }
}

/// Writes one line and flushes it, so a reader sees each letter as it finishes.
fn line(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    // Written whole: serialising into memory costs less than the many
    // small writes of a serialiser writing through `dyn Write`.
    let mut bytes = serde_json::to_vec(value)?;
    bytes.push(b'\n');
    out.write_all(&bytes)?;
    out.flush()
}

impl Reporter for NdjsonReport {
    fn letter(&mut self, out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        let letter = Line {
            r#type: "letter",
            schema: Some(SCHEMA_VERSION),
            body: &LetterDoc::checked(audit),
        };
        line(out, &letter)
    }

    fn unreadable(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        let doc = UnreadableDoc {
            r#type: Some("unreadable"),
            ..UnreadableDoc::of(error)
        };
        line(out, &doc)
    }

    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let last = Line {
            r#type: "summary",
            schema: None,
            body: &SummaryLine {
                summary,
                pack: &self.pack,
            },
        };
        line(out, &last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_indented_layout_is_serde_jsons_pretty_one() {
        let mut deep = json!("bottom");
        for level in 0..40 {
            deep = if level % 2 == 0 {
                json!([deep, [], {}])
            } else {
                json!({ "k": deep, "e": {}, "a": [1, "x"] })
            };
        }
        for value in [
            json!(null),
            json!([]),
            json!({}),
            json!([[]]),
            json!({ "a": {}, "b": [], "c": [{}], "d": "quo\"te\n\u{1}", "e": 1.5, "f": [true, null] }),
            json!([{ "x": [{ "y": [] }, 2] }, [3, [4, [5]]]]),
            deep,
        ] {
            assert_eq!(
                String::from_utf8(pretty(&value).unwrap()).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
    }
}
