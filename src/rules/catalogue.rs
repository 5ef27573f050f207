//! The citation catalogue: every spelling of a guideline document normalises
//! to one key ("Low Back Complaints 2004" and "ACOEM Chapter 12" are both
//! `mtus.acoem-2004.low-back`).

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

    /// The document an entry cites, if the catalogue knows it.
    pub fn resolve(&self, entry: &CitationEntry) -> Option<&Document> {
        let wants_mtus = match entry.kind {
            EntryKind::NoEvidence => return None,
            EntryKind::Mtus => true,
            EntryKind::NonMtus => false,
        };
        if let (Some(document), Some(year)) = (&entry.document, entry.year) {
            let name = fold(&format!("{document} {year}"));
            if let Some(doc) = self
                .documents
                .iter()
                .find(|d| d.mtus == wants_mtus && d.names.contains(&name))
            {
                return Some(doc);
            }
        }
        let name = fold(entry.document.as_deref().unwrap_or(&entry.text));
        if let Some(doc) = self
            .documents
            .iter()
            .find(|d| d.mtus == wants_mtus && d.names.contains(&name))
        {
            return Some(doc);
        }
        self.documents
            .iter()
            .filter(|d| d.mtus == wants_mtus)
            .find(|d| d.patterns.iter().any(|p| p.is_match(&entry.text)))
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
    pub fn annotate(&self, letter: &mut Letter) {
        for item in &mut letter.items {
            for citation in [
                &mut item.citations.claims_administrator,
                &mut item.citations.reviewer,
            ]
            .into_iter()
            .flatten()
            {
                for entry in &mut citation.entries {
                    entry.key = self.resolve(entry).map(|d| d.key.clone());
                }
            }
        }
    }
}
