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
//! With colour on, [`visible`] keeps well-formed colour sequences (SGR:
//! `ESC [` digits and `;` then `m`), the only escapes the tool writes; a
//! letter's own colour sequence then changes colours and nothing more. With
//! colour off no escape is kept.
//!
//! [`markup`] is the same for HTML and XML: controls those formats do not
//! allow become Unicode control pictures (U+2400 + code), C1 controls and
//! bidi overrides the replacement character.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// Whether `c` must not be written raw (`keep_lines`: `\n` and `\t` may).
fn hostile(c: char, keep_lines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_lines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
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
            && c == '\u{1b}'
            && let Some(len) = sgr_len(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
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
/// kept, every other control character shown; colour sequences kept only
/// when `color` is on.
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
    fn colour_sequences_survive_only_with_colour_on() {
        assert_eq!(
            visible("\u{1b}[1;31mx\u{1b}[0m", true),
            "\u{1b}[1;31mx\u{1b}[0m"
        );
        assert_eq!(visible("\u{1b}[1;31mx", false), "^[[1;31mx");
        // Not a colour sequence: shown even with colour on.
        assert_eq!(visible("\u{1b}[2J\u{1b}[", true), "^[[2J^[[");
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
