//! A compact byte form of a regular expression's syntax tree (`Hir`), so
//! that `build.rs` can read each pattern of the embedded pack once — parse
//! it, lower it ([`super::lowercase`]) and translate it — and the binary
//! rebuild the tree from bytes instead of parsing the pattern at every
//! start. Parsing and translating were half of the cost of compiling a
//! pattern.
//!
//! The tree is rebuilt with the same constructors the translator uses, so
//! it is the tree the pattern parses to (`decode(&encode(h)) == Some(h)`,
//! tested for every pattern of the pack). Bytes that do not decode give
//! `None`, and the pattern is parsed as before.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Literal, Look, Repetition,
};

const EMPTY: u8 = 0;
const LITERAL: u8 = 1;
const CLASS_UNICODE: u8 = 2;
const CLASS_BYTES: u8 = 3;
const LOOK: u8 = 4;
const REPETITION: u8 = 5;
const CAPTURE: u8 = 6;
const CONCAT: u8 = 7;
const ALTERNATION: u8 = 8;

/// The bytes of `hir`.
pub fn encode(hir: &Hir) -> Vec<u8> {
    let mut out = Vec::new();
    write(hir, &mut out);
    out
}

/// The tree `bytes` encode; `None` when they are not one whole tree.
pub fn decode(bytes: &[u8]) -> Option<Hir> {
    let mut reader = Reader::new(bytes);
    let hir = reader.hir(0)?;
    reader.at_end().then_some(hir)
}

/// Writes `n` in seven-bit groups, the lowest first, each but the last with
/// its high bit set (the form [`Reader::number`] reads; `super::nfa_code`
/// writes with it too).
pub(crate) fn number(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn write(hir: &Hir, out: &mut Vec<u8>) {
    match hir.kind() {
        HirKind::Empty => out.push(EMPTY),
        HirKind::Literal(Literal(bytes)) => {
            out.push(LITERAL);
            number(bytes.len() as u64, out);
            out.extend_from_slice(bytes);
        }
        HirKind::Class(Class::Unicode(class)) => {
            out.push(CLASS_UNICODE);
            number(class.ranges().len() as u64, out);
            for range in class.ranges() {
                number(u64::from(u32::from(range.start())), out);
                number(u64::from(u32::from(range.end())), out);
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            out.push(CLASS_BYTES);
            number(class.ranges().len() as u64, out);
            for range in class.ranges() {
                out.push(range.start());
                out.push(range.end());
            }
        }
        HirKind::Look(look) => {
            out.push(LOOK);
            number(u64::from(look.as_repr()), out);
        }
        HirKind::Repetition(repetition) => {
            out.push(REPETITION);
            number(u64::from(repetition.min), out);
            number(repetition.max.map_or(0, |max| u64::from(max) + 1), out);
            out.push(u8::from(repetition.greedy));
            write(&repetition.sub, out);
        }
        HirKind::Capture(capture) => {
            out.push(CAPTURE);
            number(u64::from(capture.index), out);
            match &capture.name {
                None => number(0, out),
                Some(name) => {
                    number(name.len() as u64 + 1, out);
                    out.extend_from_slice(name.as_bytes());
                }
            }
            write(&capture.sub, out);
        }
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            out.push(if matches!(hir.kind(), HirKind::Concat(_)) {
                CONCAT
            } else {
                ALTERNATION
            });
            number(parts.len() as u64, out);
            for part in parts {
                write(part, out);
            }
        }
    }
}

/// Deepest nesting read: a tree the build wrote is far shallower, and a
/// corrupt one must not exhaust the stack.
const MAX_DEPTH: usize = 200;

/// Reads bytes written with [`number`] and single bytes, from the start.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// Whether every byte has been read.
    pub(crate) fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub(crate) fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    pub(crate) fn number(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    /// A number that counts items to read, each at least one byte.
    pub(crate) fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.number()?).ok()?;
        // Every item takes at least one byte.
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn slice(&mut self, len: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(len)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    fn hir(&mut self, depth: usize) -> Option<Hir> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match self.byte()? {
            EMPTY => Hir::empty(),
            LITERAL => {
                let len = self.count()?;
                Hir::literal(self.slice(len)?.to_vec())
            }
            CLASS_UNICODE => {
                let n = self.count()?;
                let mut ranges = Vec::with_capacity(n);
                for _ in 0..n {
                    let start = char::from_u32(self.u32()?)?;
                    let end = char::from_u32(self.u32()?)?;
                    ranges.push(ClassUnicodeRange::new(start, end));
                }
                Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
            }
            CLASS_BYTES => {
                let n = self.count()?;
                let mut ranges = Vec::with_capacity(n);
                for _ in 0..n {
                    let (start, end) = (self.byte()?, self.byte()?);
                    ranges.push(ClassBytesRange::new(start, end));
                }
                Hir::class(Class::Bytes(ClassBytes::new(ranges)))
            }
            LOOK => Hir::look(Look::from_repr(self.u32()?)?),
            REPETITION => {
                let min = self.u32()?;
                let max = match self.u32()? {
                    0 => None,
                    n => Some(n - 1),
                };
                let greedy = self.byte()? != 0;
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::repetition(Repetition {
                    min,
                    max,
                    greedy,
                    sub,
                })
            }
            CAPTURE => {
                let index = self.u32()?;
                let name = match self.count()? {
                    0 => None,
                    n => Some(Box::from(std::str::from_utf8(self.slice(n - 1)?).ok()?)),
                };
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::capture(Capture { index, name, sub })
            }
            tag @ (CONCAT | ALTERNATION) => {
                let n = self.count()?;
                let mut parts = Vec::with_capacity(n);
                for _ in 0..n {
                    parts.push(self.hir(depth + 1)?);
                }
                if tag == CONCAT {
                    Hir::concat(parts)
                } else {
                    Hir::alternation(parts)
                }
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(source: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(source)
            .unwrap()
    }

    #[test]
    fn a_tree_decodes_to_itself() {
        for source in [
            r"\b(?:left|right)\s+knee\b",
            r"(?P<n>\d{1,3})\s*(?:-|to)\s*\d+?\s+visits?",
            r"[^a-z0-9 ,'/()-]{0,40}?|x*|(?:)|\B",
            r"(?m)^\s*(?:\(?\d{1,2}[).])\s",
            "caf\u{e9}|\\xFF",
        ] {
            let hir = tree(source);
            assert_eq!(decode(&encode(&hir)).as_ref(), Some(&hir), "{source}");
        }
        let unicode = regex_syntax::Parser::new().parse(r"\w+\p{Lu}").unwrap();
        assert_eq!(decode(&encode(&unicode)), Some(unicode));
    }

    #[test]
    fn bytes_that_are_not_a_tree_do_not_decode() {
        let whole = encode(&tree(r"\bknee\s+(?:pain|swelling)"));
        assert!(decode(&whole[..whole.len() - 1]).is_none());
        let mut longer = whole.clone();
        longer.push(EMPTY);
        assert!(decode(&longer).is_none());
        assert!(decode(&[99]).is_none());
        assert!(decode(&[LITERAL, 200, 1]).is_none());
        assert!(decode(&[CONCAT; 1000]).is_none(), "too deep");
        assert!(decode(&[]).is_none());
    }
}
