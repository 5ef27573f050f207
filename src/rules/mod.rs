//! The rule pack: the citation catalogue, fact detectors and one rule per
//! treatment item, loaded from YAML and validated before anything runs.
//!
//! The default pack (`rules/` in the source tree) is embedded in the binary;
//! `--rules DIR` layers more files on top. [`load`] reads every layer, checks
//! every file and returns either a [`Pack`] or every [`Problem`] found.

pub mod catalogue;
mod load;
pub mod problem;
pub mod raw;
pub mod schema;

use std::path::Path;

use regex::Regex;

pub use catalogue::Catalogue;
pub use load::{PackFile, dir_files, embedded_files, export};
pub use problem::Problem;
pub use raw::{Confidence, QuantityKind, RawTest, Undocumented};

use crate::facts::{Fact, FactScanner};

/// A validated rule pack, ready to evaluate letters.
#[derive(Debug)]
pub struct Pack {
    pub name: String,
    pub version: u32,
    pub catalogue: Catalogue,
    pub facts: Vec<Fact>,
    pub rules: Vec<Rule>,
    pub scanner: FactScanner,
}

/// A period of force; either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<jiff::civil::Date>,
    pub until: Option<jiff::civil::Date>,
}

impl Period {
    pub fn contains(&self, date: jiff::civil::Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.until.is_none_or(|until| date <= until)
    }

    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.from, self.until) {
            (None, None) => f.write_str("any date"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (Some(a), Some(b)) => write!(f, "{a} to {b}"),
        }
    }
}

/// A checked criterion; facts are indices into [`Pack::facts`].
#[derive(Debug, Clone)]
pub enum Criterion {
    Fact(usize),
    All(Vec<Criterion>),
    Any(Vec<Criterion>),
    Not(Box<Criterion>),
    AtLeast(usize, Vec<Criterion>),
    Number {
        fact: usize,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
    Quantity {
        kind: QuantityKind,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
    PatientAge {
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
}

/// A numeric limit on the request.
#[derive(Debug, Clone)]
pub struct Limit {
    pub quantity: QuantityKind,
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
    pub reason: String,
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Follows from the path: `rules/mtus/low-back/lumbar-xray.yaml` is `mtus.low-back.lumbar-xray`.
    pub id: String,
    /// The file it was read from, as the user knows it.
    pub file: String,
    pub title: String,
    pub description: Option<String>,
    /// Governing citations (catalogue keys); the first is the primary one.
    pub cites: Vec<String>,
    pub edition: String,
    pub in_force: Period,
    pub body_parts: Vec<String>,
    pub confidence: Confidence,
    pub unconfirmed: Vec<String>,
    pub applies_to: Vec<Regex>,
    pub excludes: Vec<Regex>,
    pub recommended_when: Criterion,
    pub not_recommended_when: Option<Criterion>,
    pub limits: Vec<Limit>,
    pub undocumented: Undocumented,
    pub quotes: Vec<String>,
    pub tests: Vec<RawTest>,
}

impl Rule {
    /// Whether the rule applies to a request text.
    pub fn applies(&self, request: &str) -> bool {
        self.applies_to.iter().any(|re| re.is_match(request))
            && !self.excludes.iter().any(|re| re.is_match(request))
    }

    /// Documents (without section) this rule governs by.
    pub fn cited_documents(&self) -> impl Iterator<Item = &str> {
        self.cites.iter().map(|c| c.split('#').next().unwrap_or(c))
    }
}

impl Pack {
    /// Loads the embedded default pack, then each directory in order.
    pub fn load(extra: &[impl AsRef<Path>]) -> Result<Pack, Vec<Problem>> {
        let mut layers = vec![embedded_files()];
        let mut problems = Vec::new();
        for dir in extra {
            match dir_files(dir.as_ref()) {
                Ok(files) => layers.push(files),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        load::build(layers)
    }

    /// Loads only the given directories (no embedded pack): for `rules lint DIR`.
    pub fn load_dirs_only(dirs: &[impl AsRef<Path>]) -> Result<Pack, Vec<Problem>> {
        let mut layers = Vec::new();
        for dir in dirs {
            layers.push(dir_files(dir.as_ref())?);
        }
        load::build(layers)
    }

    pub fn fact(&self, id: &str) -> Option<usize> {
        self.facts.iter().position(|f| f.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
