//! Colour: whether a stream gets it, and the few styles the terminal
//! reports use.
//!
//! `--color always` and `--color never` decide alone. `auto` follows the
//! conventions terminals share, in the order anstream applies them:
//! `NO_COLOR` (set and not empty) turns colour off, then `CLICOLOR_FORCE`
//! (set, not empty and not `0`, as bixense.com/clicolors says) turns it on
//! whatever the stream, then `CLICOLOR=0` turns it off, and otherwise a
//! terminal gets colour when it can show it. The environment is read
//! through anstyle-query, the crate anstream uses (whose `clicolor_force`
//! would take `0` as forcing).
//!
//! Styles are anstyle values (the type annotate-snippets draws with), written
//! as escape codes whenever colour is on: nothing downstream decides again,
//! so a report coloured for a pipe stays coloured.

use anstyle::{AnsiColor, Style};

use crate::cli::ColorChoice;
use crate::text::visible::mark_styles;

/// Whether a stream gets colour, from `--color`, the environment and
/// whether the stream is a terminal.
pub fn enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if anstyle_query::no_color() {
                false
            } else if forced() {
                true
            } else if anstyle_query::clicolor() == Some(false) {
                false
            } else {
                is_terminal
                    && (anstyle_query::term_supports_color()
                        || anstyle_query::clicolor() == Some(true)
                        || anstyle_query::is_ci())
            }
        }
    }
}

/// `CLICOLOR_FORCE` set to something other than nothing or `0`.
fn forced() -> bool {
    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
}

pub const BOLD: Style = Style::new().bold();
pub const GOOD: Style = AnsiColor::Green.on_default();
pub const BAD: Style = AnsiColor::Red.on_default();
pub const OPEN: Style = AnsiColor::Yellow.on_default();
pub const DIM: Style = Style::new().dimmed();

/// Styles text when colour is on.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub color: bool,
}

impl Painter {
    pub fn new(color: bool) -> Painter {
        Painter { color }
    }

    /// `text` in `style`, or as is when colour is off. The style's escapes
    /// are marked as the tool's own ([`crate::text::visible`]), `text` is not.
    pub fn paint(self, text: &str, style: Style) -> String {
        if self.color {
            let on = mark_styles(&style.render().to_string());
            let off = mark_styles(&style.render_reset().to_string());
            format!("{on}{text}{off}")
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_choice_ignores_the_stream() {
        assert!(enabled(ColorChoice::Always, false));
        assert!(!enabled(ColorChoice::Never, true));
        assert_eq!(
            Painter::new(true).paint("x", BAD.bold()),
            "\u{fdd0}\u{1b}[1m\u{fdd0}\u{1b}[31mx\u{fdd0}\u{1b}[0m"
        );
        assert_eq!(Painter::new(false).paint("x", BAD.bold()), "x");
    }
}
