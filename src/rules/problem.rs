//! Rule-pack problems: each names the file, line and column, quotes the line
//! and says what to do. Loading collects them all before stopping. They are
//! drawn by the same renderer as findings ([`crate::diagnostic`]), the whole
//! offending token underlined.

use std::fmt;

use crate::diagnostic::{Level, Located, SnippetLabel, render_snippet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user knows it (`rules/…` for the embedded pack, the path given otherwise).
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
    /// The offending line of the file, when known.
    pub snippet: Option<String>,
    /// An error stops the pack from loading; a warning is only reported.
    pub level: Level,
    /// How many characters to underline from the column; by default the
    /// YAML token that starts there.
    pub width: Option<usize>,
}

impl Problem {
    pub fn new(
        file: &str,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Problem {
        let snippet = (line > 0)
            .then(|| text.lines().nth(line - 1).map(str::to_owned))
            .flatten();
        Problem {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            hint: hint.into(),
            snippet,
            level: Level::Error,
            width: None,
        }
    }

    /// The same problem as a warning: reported, but the pack still loads.
    pub fn warning(mut self) -> Problem {
        self.level = Level::Warning;
        self
    }

    /// The same problem with `width` characters underlined.
    pub fn with_width(mut self, width: Option<usize>) -> Problem {
        self.width = width;
        self
    }

    /// A problem located by a serde-saphyr location.
    pub fn at(
        file: &str,
        text: &str,
        location: &super::raw::Position,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Problem {
        Problem::new(
            file,
            text,
            location.line() as usize,
            location.column() as usize,
            message,
            hint,
        )
    }
}

impl Problem {
    /// Draws the problem: `file:line:col`, the quoted line with the token at
    /// the column underlined, and the hint as a help line.
    pub fn render(&self, color: bool) -> String {
        let (text, labels) = match &self.snippet {
            Some(line) => {
                let start = line
                    .char_indices()
                    .nth(self.column.saturating_sub(1))
                    .map_or(line.len(), |(at, _)| at);
                let rest = &line[start..];
                let len = self
                    .width
                    .and_then(|w| {
                        rest.char_indices()
                            .nth(w)
                            .map(|(at, _)| at)
                            .or(Some(rest.len()))
                    })
                    .filter(|&len| len > 0)
                    .unwrap_or_else(|| token_len(rest));
                let label = SnippetLabel {
                    range: start..start + len,
                    primary: true,
                    text: String::new(),
                };
                (Some(line.as_str()), vec![label])
            }
            // No line to quote: the location alone.
            None => (None, Vec::new()),
        };
        let located = Located {
            level: self.level,
            title: self.message.clone(),
            path: &self.file,
            text,
            first_line: self.line,
            column: self.column,
            labels,
            help: Some(&self.hint),
        };
        render_snippet(&located, color)
    }
}

/// The length in bytes of the YAML token `text` starts with: a quoted
/// string with its quotes, else the run of characters up to a space or YAML
/// punctuation; at least one character, so the column is always marked.
fn token_len(text: &str) -> usize {
    let mut chars = text.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    if first == '\'' || first == '"' {
        return chars
            .find(|&(_, c)| c == first)
            .map_or(text.len(), |(at, c)| at + c.len_utf8());
    }
    text.char_indices()
        .find(|&(at, c)| at > 0 && (c.is_whitespace() || ",:[]{}#".contains(c)))
        .map_or(text.len(), |(at, _)| at)
        .max(first.len_utf8())
}

/// The problem as plain text (what `rules lint` prints).
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_token_is_underlined_with_location_and_help() {
        let text = "id: x\ncolour: red\n";
        let problem = Problem::new("r.yaml", text, 2, 1, "unknown field `colour`", "remove it");
        let shown = problem.to_string();
        assert!(shown.contains("error: unknown field `colour`"), "{shown}");
        assert!(shown.contains("r.yaml:2:1"), "{shown}");
        assert!(shown.contains("colour: red"), "{shown}");
        assert!(
            shown.contains("^^^^^^") && !shown.contains("^^^^^^^"),
            "{shown}"
        );
        assert!(shown.contains("help: remove it"), "{shown}");
        assert_eq!(token_len("'a b': c"), 5);
        assert_eq!(token_len("agre}"), 4);
    }
}
