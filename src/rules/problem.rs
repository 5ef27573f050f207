//! Rule-pack problems: each names the file, line and column, quotes the line
//! and says what to do. Loading collects them all before stopping.

use std::fmt;

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
        }
    }

    /// A problem located by a serde-saphyr location.
    pub fn at(
        file: &str,
        text: &str,
        location: &serde_saphyr::Location,
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

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        writeln!(f, "  --> {}:{}:{}", self.file, self.line, self.column)?;
        if let Some(snippet) = &self.snippet {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {snippet}")?;
            let caret_pad: String = snippet
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {caret_pad}^")?;
        }
        write!(f, "  = hint: {}", self.hint)
    }
}
