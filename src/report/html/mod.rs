//! `check --format html`: one self-contained HTML file — inline CSS, inline
//! SVG charts and a few lines of inline JavaScript, no external resources.
//!
//! It opens with the run's summary and three bar charts (the conflict rate
//! of each rule with a conflict, findings by check, verdicts by the
//! guideline the reviewer cited first; each sorted, at most the first
//! fifteen bars), then a table of letters sorted by case number (and
//! sortable by any column), then one section per letter: its items
//! (request, decision, rule, what it expects and why, verdict, every
//! criterion with its status, the way it weighs and whether it decided the
//! outcome, and its evidence) and the letter's own text, collapsed until
//! opened (a link into it opens it), in which every evidence span is a
//! `<mark>` classed by how it reads in context (`ctx-affirmed`, …) and titled
//! with the fact, and every finding span is marked too.
//!
//! The page is rendered from askama templates (`templates/`), which escape
//! every value they write; the figures come from [`stats`](super::stats), the
//! charts' layout from `charts`, the marked letter text from `highlight`.
//! Letter sections are rendered as letters arrive; the page is assembled at
//! the end, when the summary is known. No timestamps: the bytes
//! depend only on the input.

mod charts;
mod highlight;

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};

use askama::Template;

use super::stats::{Figures, LetterCounts, SEVERITIES, Tallies};
use super::summary::{SkippedPath, Summary};
use super::view::{ItemView, fold, judged_items};
use super::weigh::Weight;
use super::words;
use super::{PackOrigin, Reporter};
use crate::audit::Audit;
use crate::checks::explain;
use crate::eval::Verdict;
use crate::finding::{Check, Finding};
use crate::input::InputError;
use crate::rules::{Confidence, Pack};

/// The escaper of the report's templates (see `askama.toml`): HTML's five
/// reserved characters as named entities.
#[derive(Clone, Copy)]
pub struct Entities;

impl askama::filters::Escaper for Entities {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        let mut last = 0;
        for (at, c) in text.char_indices() {
            let entity = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => continue,
            };
            dest.write_str(&text[last..at])?;
            dest.write_str(entity)?;
            last = at + 1;
        }
        dest.write_str(&text[last..])
    }
}

/// Escapes text for HTML content and attribute values, as the templates do.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    askama::filters::Escaper::write_escaped_str(&Entities, &mut out, text)
        .expect("writing to a String cannot fail");
    out
}

/// `s` when `n` is not one.
fn plural(n: impl Borrow<usize>) -> &'static str {
    if *n.borrow() == 1 { "" } else { "s" }
}

/// What the templates call besides the values' own methods.
trait Helpers {
    fn plural(&self, n: impl Borrow<usize>) -> &'static str {
        plural(n)
    }

    /// Whitespace folded to single spaces.
    fn folded(&self, text: &str) -> String {
        fold(text)
    }

    /// The human wording of a machine spelling.
    fn words(&self, value: impl fmt::Display) -> String {
        words(value)
    }
}

impl Helpers for Page<'_> {}
impl Helpers for LetterSection<'_> {}

/// One row of the letters table.
struct Row {
    number: usize,
    path: String,
    case_number: String,
    counts: LetterCounts,
}

/// A summary card.
struct Card {
    label: &'static str,
    value: String,
    note: String,
}

/// A row of the findings-by-check table.
struct CheckRow {
    check: Check,
    summary: &'static str,
    count: usize,
}

#[derive(Template)]
#[template(path = "page.html")]
struct Page<'a> {
    version: &'static str,
    pack: &'a str,
    letters: usize,
    cards: Vec<Card>,
    checks: Vec<CheckRow>,
    unreadable: Vec<&'a str>,
    skipped: &'a [SkippedPath],
    charts: [charts::Chart; 3],
    verdicts: &'static [Verdict],
    rows: &'a [Row],
    sections: &'a str,
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterSection<'a> {
    n: usize,
    path: String,
    case_number: Option<&'a str>,
    meta: String,
    items: Vec<ItemView<'a>>,
    findings: &'a [Finding],
    pieces: Vec<highlight::Piece>,
}

/// Collects letter sections and tallies; renders the page at the end.
pub struct HtmlReport<'p> {
    /// The pack that judged, to weigh each item's criteria.
    pack: &'p Pack,
    /// The pack in words, with where it came from.
    origin: String,
    /// Catalogue key → document title, for chart tooltips.
    documents: BTreeMap<String, String>,
    rows: Vec<Row>,
    sections: String,
    tallies: Tallies,
}

impl<'p> HtmlReport<'p> {
    pub fn new(pack: &'p Pack) -> HtmlReport<'p> {
        HtmlReport {
            pack,
            origin: PackOrigin::of(pack, &[]).describe(),
            documents: pack
                .catalogue
                .documents
                .iter()
                .map(|d| (d.key.clone(), d.title.clone()))
                .collect(),
            rows: Vec::new(),
            sections: String::new(),
            tallies: Tallies::default(),
        }
    }
}

impl HtmlReport<'_> {
    /// Names where the pack came from (`--rules` folders).
    pub fn with_origin(mut self, origin: &PackOrigin) -> Self {
        self.origin = origin.describe();
        self
    }
}

impl Reporter for HtmlReport<'_> {
    fn letter(&mut self, _out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        let counts = self.tallies.add(audit);
        let letter = &audit.letter;
        let mut meta = vec![format!("layout {}", letter.layout)];
        if let Some(d) = &letter.dates.decision {
            meta.push(format!("decision date {}", d.raw));
        }
        meta.push(format!("{} item{}", counts.items, plural(counts.items)));
        meta.push(format!(
            "{} finding{}",
            counts.findings,
            plural(counts.findings)
        ));
        let row = Row {
            number: self.rows.len() + 1,
            path: audit.source.path().display().to_string(),
            case_number: letter
                .case_number
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_default(),
            counts,
        };
        LetterSection {
            n: row.number,
            path: row.path.clone(),
            case_number: letter.case_number.as_ref().map(|c| c.value.as_str()),
            meta: meta.join(" · "),
            items: judged_items(audit, Some(self.pack)),
            findings: &audit.findings,
            pieces: highlight::pieces(audit),
        }
        .render_into(&mut self.sections)
        .map_err(io::Error::other)?;
        // askama drops a template's final newline; each section ends a line.
        self.sections.push('\n');
        self.rows.push(row);
        Ok(())
    }

    /// Listed from the summary in `finish`.
    fn unreadable(&mut self, _out: &mut dyn Write, _error: &InputError) -> io::Result<()> {
        Ok(())
    }

    fn finish(mut self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        // The table opens sorted by case number (letters without one last);
        // the sections below stay in input order.
        self.rows.sort_by(|a, b| {
            (a.case_number.is_empty(), &a.case_number, &a.path, a.number).cmp(&(
                b.case_number.is_empty(),
                &b.case_number,
                &b.path,
                b.number,
            ))
        });
        let figures = Figures::of(summary);
        let severities = SEVERITIES
            .iter()
            .map(|s| format!("{} {s}", summary.severities.get(s).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(" · ");
        let cards = vec![
            Card {
                label: "letters",
                value: figures.letters.to_string(),
                note: format!("{} unreadable", figures.unreadable),
            },
            Card {
                label: "items",
                value: figures.items.to_string(),
                note: format!("{} covered by a rule", figures.covered),
            },
            Card {
                label: "coverage",
                value: figures.coverage(),
                note: format!("{} of {} items", figures.covered, figures.items),
            },
            Card {
                label: "agreement",
                value: figures.agreement(),
                note: format!("{} of {} decided items", figures.agree, figures.decided),
            },
            Card {
                label: "conflicts",
                value: figures.conflict.to_string(),
                note: format!(
                    "{} undetermined · {} uncovered",
                    figures.undetermined, figures.uncovered
                ),
            },
            Card {
                label: "findings",
                value: figures.findings.to_string(),
                note: severities,
            },
        ];
        let checks = Check::ALL
            .iter()
            .map(|&check| CheckRow {
                check,
                summary: explain::text(check).summary,
                count: summary.findings.get(&check).copied().unwrap_or(0),
            })
            .collect();
        let charts = charts::charts(&self.tallies, |key| self.documents.get(key).cloned());
        let page = Page {
            version: env!("CARGO_PKG_VERSION"),
            pack: &self.origin,
            letters: summary.letters,
            cards,
            checks,
            unreadable: summary
                .unreadable
                .iter()
                .chain(&summary.without_items)
                .map(String::as_str)
                .collect(),
            skipped: &summary.skipped,
            charts,
            verdicts: &Verdict::ALL,
            rows: &self.rows,
            sections: &self.sections,
        };
        let mut html = page.render().map_err(io::Error::other)?;
        html.push('\n');
        // No control character from a letter, a path or a rule file in the page.
        out.write_all(crate::text::visible::markup(&html).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
