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
use std::sync::OnceLock;

use crate::facts::prefilter::Prefilter;
use crate::text::pattern::{Pattern, has_non_ascii_folds};
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

#[derive(Debug, Default)]
pub struct Catalogue {
    pub documents: Vec<Document>,
    /// Every document's patterns behind one literal prefilter, made from
    /// the documents on the first entry that no name resolves: the
    /// catalogue is complete by then (it is not changed once loaded).
    patterns: OnceLock<DocumentPatterns>,
}

/// A clone reads its own documents' patterns again.
impl Clone for Catalogue {
    fn clone(&self) -> Catalogue {
        Catalogue {
            documents: self.documents.clone(),
            patterns: OnceLock::new(),
        }
    }
}

/// The patterns of a catalogue's documents, and the literal prefilter
/// ([`crate::facts::prefilter`]) that tells which of them can match an
/// entry: an entry is searched with those few instead of every document's
/// patterns, each of which would look for its own literals first.
#[derive(Debug)]
struct DocumentPatterns {
    prefilter: Prefilter,
    /// (document index, pattern index within the document) of each pattern.
    owners: Vec<(usize, usize)>,
}

impl DocumentPatterns {
    fn new(documents: &[Document]) -> DocumentPatterns {
        let owners: Vec<(usize, usize)> = documents
            .iter()
            .enumerate()
            .flat_map(|(i, d)| (0..d.patterns.len()).map(move |j| (i, j)))
            .collect();
        let prefilter =
            Prefilter::of_patterns(owners.iter().map(|&(i, j)| &documents[i].patterns[j]));
        DocumentPatterns { prefilter, owners }
    }

    /// Per document (by index), where its patterns' earliest match in
    /// `text` ends, if one matches.
    fn named_at(&self, documents: &[Document], text: &str) -> Vec<Option<usize>> {
        let mut ends: Vec<Option<usize>> = vec![None; documents.len()];
        for index in self.prefilter.candidates(text, has_non_ascii_folds(text)) {
            let (document, pattern) = self.owners[index];
            if let Some(found) = documents[document].patterns[pattern].find_end(text) {
                let end = &mut ends[document];
                *end = Some(end.map_or(found, |e| e.min(found)));
            }
        }
        ends
    }
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
        let pick = |named_at: &dyn Fn(usize, &Document) -> Option<usize>| -> Option<&Document> {
            self.documents
                .iter()
                .enumerate()
                .filter(|(_, d)| d.mtus == wants_mtus)
                .filter_map(|(i, d)| Some((d, named_at(i, d)?)))
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
            |name: &str| pick(&|_, d: &Document| d.names.iter().any(|n| n == name).then_some(0));
        if let (Some(document), Some(year)) = (&entry.document, entry.year)
            && let Some(doc) = named(&fold(&format!("{document} {year}")))
        {
            return Some(doc);
        }
        if let Some(doc) = named(&fold(entry.document.as_deref().unwrap_or(&entry.text))) {
            return Some(doc);
        }
        let ends = self
            .patterns
            .get_or_init(|| DocumentPatterns::new(&self.documents))
            .named_at(&self.documents, &entry.text);
        pick(&|i, _| ends[i])
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Where each document's patterns first match `text` when every
    /// pattern of every document is searched: what the prefilter must give.
    fn every_pattern(documents: &[Document], text: &str) -> Vec<Option<usize>> {
        documents
            .iter()
            .map(|d| {
                d.patterns
                    .iter()
                    .filter_map(|p| p.find(text))
                    .map(|m| m.end)
                    .min()
            })
            .collect()
    }

    /// Citation entries as letters write them: the shipped samples' and,
    /// when they are there, the real letters'; and spellings of their own.
    fn entry_texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "ACOEM Chapter 12",
            "MTUS ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 8, pages 177-179",
            "MTUS/ACOEM, Chapter 13, Knee Complaints",
            "Neck & Upper Back Complaints",
            "Elbow Disorders (Revised 2007), page 12",
            "Official Disability Guidelines (ODG), Knee & Leg",
            "ODG Pain Chapter, Opioids",
            "California Code of Regulations, Title 8, Section 9792.23.1",
            "Forearm, Wrist, and Hand Complaints",
            "\u{212A}nee Complaints, ACOEM Chapter 13",
            "Chronic Pain Medical Treatment Guidelines \u{2013} 9792.24.2",
            "an unknown treatise, 1999",
            "",
        ]
        .map(String::from)
        .to_vec();
        for path in crate::test_letters::paths() {
            let Ok(source) = crate::input::read(&path) else {
                continue;
            };
            let letter = crate::letter::parse(&source);
            for item in &letter.items {
                for citation in [
                    &item.citations.claims_administrator,
                    &item.citations.reviewer,
                ] {
                    for entry in citation.iter().flat_map(|c| &c.entries) {
                        texts.push(entry.text.clone());
                    }
                }
            }
        }
        texts
    }

    #[test]
    fn the_prefilter_finds_the_documents_every_pattern_finds() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path])
            .unwrap_or_else(|p| panic!("{}", p[0]));
        let documents = &pack.catalogue.documents;
        let patterns = DocumentPatterns::new(documents);
        let texts = entry_texts();
        let mut named = 0;
        for text in &texts {
            let ends = patterns.named_at(documents, text);
            assert_eq!(ends, every_pattern(documents, text), "{text:?}");
            named += usize::from(ends.iter().any(Option::is_some));
        }
        assert!(
            named >= 10,
            "{named} of {} entries named by a pattern",
            texts.len()
        );
    }

    #[test]
    fn a_cloned_catalogue_reads_its_own_documents_patterns() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path])
            .unwrap_or_else(|p| panic!("{}", p[0]));
        let entry = CitationEntry {
            kind: EntryKind::Mtus,
            text: "MTUS/ACOEM, Chapter 13".to_owned(),
            document: None,
            year: None,
            sections: Vec::new(),
            key: None,
            span: crate::source::Span {
                start: 0,
                end: 0,
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                page: 1,
            },
        };
        let key = |catalogue: &Catalogue| catalogue.resolve(&entry, None).map(|d| d.key.clone());
        // Cloned before its patterns are read, and after.
        let early = pack.catalogue.clone();
        let before = key(&pack.catalogue);
        assert_eq!(before.as_deref(), Some("mtus.acoem-2004.knee"));
        let late = pack.catalogue.clone();
        assert_eq!(key(&early), before);
        assert_eq!(key(&late), before);
    }
}
