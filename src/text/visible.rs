//! Text from a letter, a path or a user's file made safe to show: no control
//! character reaches a terminal, a human report, HTML or XML raw, so a
//! letter cannot clear the screen (`ESC[2J`), plant a link (OSC 8), ring the
//! bell, rewrite a line with a carriage return or reverse text (bidi
//! overrides). Each is shown instead, as `cat -v` would:
//!
//! - C0 controls and DEL in caret notation: ESC `^[`, BEL `^G`, CR `^M`,
//!   DEL `^?` (a line break and a tab stay in [`visible`], are shown as
//!   `^J` and `^I` in [`visible_line`]);
//! - C1 controls (CSI U+009B, OSC U+009D, …) and the bidirectional
//!   overrides and isolates (U+202A–U+202E, U+2066–U+2069) as `<U+009B>`.
//!
//! With colour on, [`visible`] keeps the colour sequences the tool itself
//! wrote and nothing else: each is marked by [`STYLE_MARK`] (U+FDD0, a
//! Unicode noncharacter, reserved for a program's internal use) when it is
//! written ([`mark_styles`]), and only a marked, well-formed colour sequence
//! (SGR: `ESC [` digits and `;` then `m`) reaches the terminal; the mark is
//! dropped. A letter's own colour sequence has no mark and is shown like any
//! other escape (`^[[31m`); a letter cannot forge a mark, because decoding
//! reads U+FDD0 in a letter as U+FFFD ([`crate::input::decode`]). With colour
//! off no escape is kept.
//!
//! [`markup`] is the same for HTML and XML: controls those formats do not
//! allow become Unicode control pictures (U+2400 + code), C1 controls and
//! bidi overrides the replacement character.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// Marks a colour sequence the tool wrote, so [`visible`] keeps it.
pub const STYLE_MARK: char = '\u{fdd0}';

/// `escapes` (colour sequences the tool wrote, never text from elsewhere)
/// with each escape marked as the tool's own.
pub fn mark_styles(escapes: &str) -> String {
    escapes.replace('\u{1b}', "\u{fdd0}\u{1b}")
}

/// Whether `c` must not be written raw (`keep_lines`: `\n` and `\t` may).
fn hostile(c: char, keep_lines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_lines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        STYLE_MARK => true,
        _ => false,
    }
}

fn show(out: &mut String, c: char) {
    match c as u32 {
        code @ 0..=0x1f => {
            out.push('^');
            out.push(char::from(b'@' + code as u8));
        }
        0x7f => out.push_str("^?"),
        code => {
            let _ = write!(out, "<U+{code:04X}>");
        }
    }
}

/// The length of a colour sequence (`ESC [ 1;31 m`) at the start of `s`.
fn sgr_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\u{1b}[")?;
    let params = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (rest.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

fn render(text: &str, keep_lines: bool, keep_sgr: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| hostile(c, keep_lines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if keep_sgr
            && c == STYLE_MARK
            && let Some(len) = sgr_len(&rest[STYLE_MARK.len_utf8()..])
        {
            let sequence = &rest[STYLE_MARK.len_utf8()..][..len];
            out.push_str(sequence);
            rest = &rest[STYLE_MARK.len_utf8() + len..];
            continue;
        }
        if hostile(c, keep_lines) {
            show(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Multi-line text for a terminal or the human report: line breaks and tabs
/// kept, every other control character shown; the tool's own (marked)
/// colour sequences kept only when `color` is on.
pub fn visible(text: &str, color: bool) -> Cow<'_, str> {
    render(text, true, color)
}

/// One line (a path, a name, a reason): line breaks and tabs shown too.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    render(text, false, false)
}

/// A path as one safe line.
pub fn safe_path(path: &Path) -> String {
    visible_line(&path.to_string_lossy()).into_owned()
}

/// [`visible`] without colour, for text whose byte ranges are quoted: the
/// safe text and a map from each offset of `text` to the same place in it.
pub fn visible_mapped(text: &str) -> (Cow<'_, str>, OffsetMap) {
    let shown = visible(text, false);
    let mut moves = Vec::new();
    if let Cow::Owned(_) = shown {
        let mut grown = 0;
        for (at, c) in text.char_indices().filter(|&(_, c)| hostile(c, true)) {
            let mut one = String::new();
            show(&mut one, c);
            grown += one.len() - c.len_utf8();
            moves.push((at + c.len_utf8(), grown));
        }
    }
    (shown, OffsetMap { moves })
}

/// Where an offset of a text lands in its [`visible_mapped`] form.
#[derive(Debug, Default)]
pub struct OffsetMap {
    /// (end of a character shown longer, bytes gained up to there).
    moves: Vec<(usize, usize)>,
}

impl OffsetMap {
    pub fn map(&self, offset: usize) -> usize {
        let passed = self.moves.partition_point(|&(end, _)| end <= offset);
        offset + passed.checked_sub(1).map_or(0, |i| self.moves[i].1)
    }
}

/// Text for HTML or XML 1.0: `\n`, `\t` and `\r` kept, other C0 controls
/// and DEL as control pictures, C1 controls and bidi overrides as U+FFFD.
pub fn markup(text: &str) -> Cow<'_, str> {
    let bad = |c: char| !matches!(c, '\n' | '\t' | '\r') && hostile(c, true);
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if !bad(c) => c,
                '\u{7f}' => '\u{2421}',
                c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_bells_and_carriage_returns_are_shown_not_sent() {
        let hostile = "a\u{1b}[2Jb\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7}\rc\u{9b}31m\u{202e}d";
        let shown = visible(hostile, false);
        assert_eq!(
            shown,
            "a^[[2Jb^[]8;;http://x^Glink^[]8;;^G^Mc<U+009B>31m<U+202E>d"
        );
        assert!(!shown.chars().any(|c| c.is_control()));
    }

    #[test]
    fn only_the_tools_own_colour_sequences_survive_and_only_with_colour_on() {
        let own = format!(
            "{}x{}",
            mark_styles("\u{1b}[1;31m"),
            mark_styles("\u{1b}[0m")
        );
        assert_eq!(visible(&own, true), "\u{1b}[1;31mx\u{1b}[0m");
        assert_eq!(visible(&own, false), "<U+FDD0>^[[1;31mx<U+FDD0>^[[0m");
        // A colour sequence from a letter has no mark: shown, colour on or off.
        assert_eq!(visible("\u{1b}[1;31mx", true), "^[[1;31mx");
        assert_eq!(visible("\u{1b}[1;31mx", false), "^[[1;31mx");
        // A marked escape that is not a colour sequence is shown too.
        assert_eq!(
            visible(&mark_styles("\u{1b}[2J\u{1b}["), true),
            "<U+FDD0>^[[2J<U+FDD0>^[["
        );
    }

    #[test]
    fn a_mapped_offset_follows_the_text_it_pointed_at() {
        let text = "a\u{1b}b\u{9b}c";
        let (shown, map) = visible_mapped(text);
        assert_eq!(shown, "a^[b<U+009B>c");
        for (at, c) in text.char_indices().filter(|(_, c)| c.is_alphabetic()) {
            assert_eq!(shown[map.map(at)..].chars().next(), Some(c));
        }
        assert_eq!(map.map(text.len()), shown.len());
    }

    #[test]
    fn lines_and_tabs_are_kept_in_text_and_shown_in_a_line() {
        assert_eq!(visible("a\n\tb", false), "a\n\tb");
        assert_eq!(visible_line("a\n\tb"), "a^J^Ib");
        assert!(matches!(visible("plain", false), Cow::Borrowed(_)));
    }

    #[test]
    fn markup_gets_control_pictures() {
        assert_eq!(
            markup("a\u{1b}b\u{7f}\u{9b}\n"),
            "a\u{241b}b\u{2421}\u{fffd}\n"
        );
    }
}
