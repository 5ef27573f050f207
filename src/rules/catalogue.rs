//! The citation catalogue: every spelling of a guideline document normalises
//! to one key ("Low Back Complaints 2004" and "ACOEM Chapter 12" are both
//! `mtus.acoem-2004.low-back`).
//!
//! Which document an entry names does not depend on the order of
//! `citations.yaml`: of the documents that match, the one in force when the
//! citation was made wins, then the most specific (a chapter over its
//! guideline, a guideline over a catch-all), then the one the entry names
//! first, then the newest edition, then the key.

use std::cmp::Reverse;

use crate::text::pattern::Pattern;
use jiff::civil::Date;

use super::Period;
use crate::letter::{CitationEntry, EntryKind, Letter};

#[derive(Debug, Clone)]
pub struct Document {
    pub key: String,
    pub title: String,
    pub mtus: bool,
    pub edition: Option<String>,
    pub in_force: Period,
    pub body_parts: Vec<String>,
    /// 0 a catch-all, 1 a guideline or source as a whole, 2 a chapter or topic.
    pub specificity: u8,
    pub(crate) names: Vec<String>,
    /// Compiled lazily (`.*` as `.*?`), so that where a match ends is where
    /// the entry names the document.
    pub(crate) patterns: Vec<Pattern>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub key: String,
    pub(crate) names: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub documents: Vec<Document>,
}

/// Lower-cases and folds whitespace and trailing punctuation for comparison.
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', ',', ';'])
        .to_lowercase()
}

impl Catalogue {
    pub fn document(&self, key: &str) -> Option<&Document> {
        let doc = key.split('#').next().unwrap_or(key);
        self.documents.iter().find(|d| d.key == doc)
    }

    /// Whether `key` (`document` or `document#section`) is in the catalogue.
    pub fn knows(&self, key: &str) -> bool {
        let mut parts = key.splitn(2, '#');
        let doc = parts.next().unwrap_or_default();
        let Some(document) = self.documents.iter().find(|d| d.key == doc) else {
            return false;
        };
        parts
            .next()
            .is_none_or(|section| document.sections.iter().any(|s| s.key == section))
    }

    /// The document an entry cites, if the catalogue knows it. Editions that
    /// share a name ("Chronic Pain Medical Treatment Guidelines", without a
    /// year) resolve to the one in force `on` the date the citation was made.
    pub fn resolve(&self, entry: &CitationEntry, on: Option<Date>) -> Option<&Document> {
        let wants_mtus = match entry.kind {
            EntryKind::NoEvidence => return None,
            EntryKind::Mtus => true,
            EntryKind::NonMtus => false,
        };
        // Each document that matches, with where the entry names it.
        let pick = |named_at: &dyn Fn(&Document) -> Option<usize>| -> Option<&Document> {
            self.documents
                .iter()
                .filter(|d| d.mtus == wants_mtus)
                .filter_map(|d| Some((d, named_at(d)?)))
                .min_by_key(|&(d, at)| {
                    (
                        on.is_some_and(|date| !d.in_force.contains(date)),
                        Reverse(d.specificity),
                        at,
                        Reverse(d.in_force.from),
                        d.key.as_str(),
                    )
                })
                .map(|(d, _)| d)
        };
        let named =
            |name: &str| pick(&|d: &Document| d.names.iter().any(|n| n == name).then_some(0));
        if let (Some(document), Some(year)) = (&entry.document, entry.year)
            && let Some(doc) = named(&fold(&format!("{document} {year}")))
        {
            return Some(doc);
        }
        if let Some(doc) = named(&fold(entry.document.as_deref().unwrap_or(&entry.text))) {
            return Some(doc);
        }
        pick(&|d: &Document| {
            d.patterns
                .iter()
                .filter_map(|p| p.find(&entry.text))
                .map(|m| m.end)
                .min()
        })
    }

    /// Section keys of an entry's sections that the document lists.
    pub fn section_keys(&self, document: &Document, entry: &CitationEntry) -> Vec<String> {
        entry
            .sections
            .iter()
            .filter_map(|s| {
                let name = fold(s);
                document
                    .sections
                    .iter()
                    .find(|sec| sec.names.contains(&name))
                    .map(|sec| sec.key.clone())
            })
            .collect()
    }

    /// Fills in the catalogue key of every citation entry of a letter.
    /// The claims administrator cites as of the UR denial, the reviewer as
    /// of the decision (each falling back to the other date).
    pub fn annotate(&self, letter: &mut Letter) {
        let date = |field: &Option<crate::letter::DateField>| field.as_ref().and_then(|d| d.date);
        let decided = date(&letter.dates.decision);
        let denied = date(&letter.dates.ur_denial);
        for item in &mut letter.items {
            for (citation, on) in [
                (&mut item.citations.claims_administrator, denied.or(decided)),
                (&mut item.citations.reviewer, decided.or(denied)),
            ] {
                for entry in citation.iter_mut().flat_map(|c| &mut c.entries) {
                    entry.key = self.resolve(entry, on).map(|d| d.key.clone());
                }
            }
        }
    }
}
