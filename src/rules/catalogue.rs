//! The citation catalogue: every spelling of a guideline document normalises
//! to one key ("Low Back Complaints 2004" and "ACOEM Chapter 12" are both
//! `mtus.acoem-2004.low-back`).

use jiff::civil::Date;
use regex::Regex;

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
    pub(crate) names: Vec<String>,
    pub(crate) patterns: Vec<Regex>,
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
        // Of the documents that match, the first in force on the date, else the first.
        let pick = |matches: &dyn Fn(&Document) -> bool| -> Option<&Document> {
            let mut matching = self
                .documents
                .iter()
                .filter(|d| d.mtus == wants_mtus && matches(d));
            let first = matching.next()?;
            match on {
                Some(date) if !first.in_force.contains(date) => Some(
                    matching
                        .find(|d| d.in_force.contains(date))
                        .unwrap_or(first),
                ),
                _ => Some(first),
            }
        };
        let named = |name: &str| pick(&|d: &Document| d.names.iter().any(|n| n == name));
        if let (Some(document), Some(year)) = (&entry.document, entry.year)
            && let Some(doc) = named(&fold(&format!("{document} {year}")))
        {
            return Some(doc);
        }
        if let Some(doc) = named(&fold(entry.document.as_deref().unwrap_or(&entry.text))) {
            return Some(doc);
        }
        pick(&|d: &Document| d.patterns.iter().any(|p| p.is_match(&entry.text)))
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
