//! What the tool says on stderr, and the one renderer of located
//! diagnostics.
//!
//! Commands return their stderr messages as typed values ([`Diagnostic`]: a
//! level and a message, or a rule-pack [`Problem`]); the binary renders them
//! in one place ([`Diagnostic::render`]), so no message carries its
//! `error: ` prefix in a string. A diagnostic that points into a text — a
//! finding in a letter, a problem in a rule file — is drawn by
//! [`render_snippet`] through annotate-snippets: `path:line:col`, the
//! quoted lines, every span underlined with its label, then a help line.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Origin, Renderer, Snippet};

use crate::rules::Problem;

/// How much a message matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    /// A plain status line ("wrote 3 files to …"), shown without a prefix.
    Info,
}

impl Level {
    fn annotate(self) -> annotate_snippets::Level<'static> {
        match self {
            Level::Error => annotate_snippets::Level::ERROR,
            Level::Warning => annotate_snippets::Level::WARNING,
            Level::Note => annotate_snippets::Level::NOTE,
            Level::Info => annotate_snippets::Level::INFO,
        }
    }
}

/// A span of a quoted text with what it shows.
pub struct SnippetLabel {
    /// Byte range in the quoted text.
    pub range: Range<usize>,
    /// The main location (`^^^`) or a further one (`---`).
    pub primary: bool,
    pub text: String,
}

/// A diagnostic located in a text.
pub struct Located<'a> {
    pub level: Level,
    pub title: String,
    /// The file as the user knows it.
    pub path: &'a str,
    /// The quoted text: the whole letter, or the lines that are quoted;
    /// `None` when there is nothing to quote (then only the location shows).
    pub text: Option<&'a str>,
    /// The line number of the first line of `text`, or of the location.
    pub first_line: usize,
    /// The column of the location when there is no text to quote.
    pub column: usize,
    pub labels: Vec<SnippetLabel>,
    pub help: Option<&'a str>,
}

/// Draws a located diagnostic, in colour or plain.
pub fn render_snippet(located: &Located, color: bool) -> String {
    render_snippet_with_notes(located, &[], color)
}

/// [`render_snippet`] with `note:` lines after the help (a finding's
/// fingerprint, say).
///
/// Everything quoted (the text, the path, the title, labels, help and notes)
/// is made safe first ([`crate::text::visible`]), label ranges following the
/// text; annotate-snippets then adds the only escapes of the result, which
/// are marked as the tool's own when colour is on.
pub fn render_snippet_with_notes(located: &Located, notes: &[String], color: bool) -> String {
    use crate::text::visible::{mark_styles, visible, visible_line, visible_mapped};
    let title = visible(&located.title, false);
    let path = visible_line(located.path);
    let help = located.help.map(|h| visible(h, false));
    let notes: Vec<_> = notes.iter().map(|n| visible(n, false)).collect();
    let quoted = located.text.map(visible_mapped);
    let labels: Vec<_> = located
        .labels
        .iter()
        .map(|l| (l, visible(&l.text, false)))
        .collect();
    let title = located.level.annotate().primary_title(title.as_ref());
    let mut group = match &quoted {
        Some((text, map)) => {
            let mut snippet = Snippet::source(text.as_ref())
                .path(path.as_ref())
                .line_start(located.first_line)
                .fold(true);
            for (label, shown) in &labels {
                let kind = if label.primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                let range =
                    map.map(label.range.start)..map.map(label.range.end.max(label.range.start));
                snippet = snippet.annotation(kind.span(range).label(shown.as_ref()));
            }
            title.element(snippet)
        }
        None => title.element(
            Origin::path(path.as_ref())
                .line(located.first_line)
                .char_column(located.column),
        ),
    };
    if let Some(help) = &help {
        group = group.element(annotate_snippets::Level::HELP.message(help.as_ref()));
    }
    for note in &notes {
        group = group.element(annotate_snippets::Level::NOTE.message(note.as_ref()));
    }
    if color {
        mark_styles(&Renderer::styled().render(&[group]).to_string())
    } else {
        Renderer::plain().render(&[group]).to_string()
    }
}

/// One message for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnostic {
    Message { level: Level, text: String },
    Problem(Problem),
}

impl Diagnostic {
    /// The message as shown on stderr, without a final newline. No control
    /// character from a letter, a path or a user's file is written raw
    /// (`crate::text::visible`).
    pub fn render(&self, color: bool) -> String {
        use crate::text::visible::visible;
        let safe = |text: &str| visible(text, false).into_owned();
        match self {
            Diagnostic::Message {
                level: Level::Info,
                text,
            } => safe(text),
            Diagnostic::Message { level, text } if color => {
                // The styles annotate-snippets gives the same levels.
                use annotate_snippets::renderer as r;
                let style = match level {
                    Level::Error => r::DEFAULT_ERROR_STYLE,
                    Level::Warning => r::DEFAULT_WARNING_STYLE,
                    Level::Note | Level::Info => r::DEFAULT_NOTE_STYLE,
                };
                format!("{style}{level}{style:#}: {}", safe(text))
            }
            Diagnostic::Message { level, text } => format!("{level}: {}", safe(text)),
            Diagnostic::Problem(problem) => {
                visible(problem.render(color).trim_end(), color).into_owned()
            }
        }
    }
}

/// What a command has to say on stderr besides its report.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub messages: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, level: Level, text: impl Into<String>) {
        self.messages.push(Diagnostic::Message {
            level,
            text: text.into(),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Level::Error, text);
    }

    pub fn warning(&mut self, text: impl Into<String>) {
        self.push(Level::Warning, text);
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.push(Level::Note, text);
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Level::Info, text);
    }

    pub fn problem(&mut self, problem: Problem) {
        self.messages.push(Diagnostic::Problem(problem));
    }
}
