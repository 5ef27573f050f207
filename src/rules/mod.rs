//! The rule pack: the citation catalogue, fact detectors and one rule per
//! treatment item, loaded from YAML and validated before anything runs.
//!
//! The default pack (`rules/` in the source tree) is embedded in the binary;
//! `--rules DIR` layers more files on top. Loading has two stages: `read`
//! turns every file of every layer into its raw YAML shape ([`raw`]), and
//! `validate` checks those against each other and builds a [`Pack`], or
//! returns every [`Problem`] found.

pub mod catalogue;
mod collisions;
mod context;
mod export;
mod indent;
mod prepared;
pub mod problem;
pub mod raw;
mod read;
mod renames;
mod requests;
mod rule;
pub mod schema;
mod shape;
mod suspect;
pub mod trigger_list;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::text::pattern::Pattern;

pub use catalogue::Catalogue;
pub use collisions::collisions;
pub use export::export;
pub use problem::Problem;
pub use raw::{Confidence, Observed, QuantityKind, RawTest, Silence, Undocumented};
pub use read::{PackFile, dir_files, embedded_files};
pub use requests::RequestFilter;

use crate::facts::{Fact, FactScanner};

/// A validated rule pack, ready to evaluate letters.
#[derive(Debug)]
pub struct Pack {
    pub name: String,
    pub version: u32,
    pub catalogue: Catalogue,
    /// Every fact, shared or rule-local, sorted by id; criteria index into it.
    pub facts: Vec<Fact>,
    /// Where each fact of [`Pack::facts`] is defined (same order).
    pub fact_origins: Vec<FactOrigin>,
    pub rules: Vec<Rule>,
    /// Rule ids that changed (`rules/renames.yaml`): old id → current id,
    /// chains already followed. See [`Pack::current_id`].
    pub renames: BTreeMap<String, String>,
    /// What `rules lint` warns about without stopping a run: facts no rule uses.
    pub warnings: Vec<Problem>,
    /// Words letters use for treatments, and what they mean
    /// (`rules/lexicon.yaml`): requests are read with these meanings added.
    pub lexicon: Vec<(Pattern, String)>,
    /// Which lexicon terms can match a request, found without running
    /// every term (the literal prefilter of [`crate::facts::prefilter`]).
    pub lexicon_filter: crate::facts::prefilter::Prefilter,
    pub scanner: FactScanner,
    /// Picks the rules whose `applies_to` can match a request.
    pub requests: RequestFilter,
    /// The rules' `quotes`, prepared for the misquote check on first use.
    pub prepared_quotes: crate::checks::misquote::PreparedQuotes,
    /// What the pack was read from, kept until [`PackSources::release`].
    pub sources: PackSources,
}

/// The files a pack was read from and what validating them built, kept
/// after the load instead of being freed at its end: freeing them takes
/// a millisecond or two, which a one-letter run need not wait for. A run
/// of many letters releases them after its first letters; otherwise they
/// go with the pack.
#[derive(Default)]
pub struct PackSources(std::sync::Mutex<Option<Box<dyn std::any::Any + Send>>>);

impl PackSources {
    fn new(sources: impl std::any::Any + Send) -> PackSources {
        PackSources(std::sync::Mutex::new(Some(Box::new(sources))))
    }

    /// Frees what the pack was read from.
    pub fn release(&self) {
        let sources = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        drop(sources);
    }
}

impl std::fmt::Debug for PackSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PackSources")
    }
}

/// Where a fact is defined.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FactOrigin {
    /// The file as the user knows it, and the line of the fact's `id:`.
    pub file: String,
    pub line: usize,
    /// The rule whose file defines it; `None` for the shared `facts/*.yaml`.
    pub rule: Option<String>,
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

    /// Whether some date lies in both periods.
    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_end = |a: &Period, b: &Period| match (a.from, b.until) {
            (Some(from), Some(until)) => from <= until,
            _ => true,
        };
        starts_before_end(self, other) && starts_before_end(other, self)
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
    /// A fact read with a silence policy or a required kind of observation.
    FactWith {
        fact: usize,
        when_silent: Option<Silence>,
        observed: Option<Observed>,
    },
    WeeksSinceInjury {
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
    Phase(Vec<crate::letter::Phase>),
    /// The request continues care (`true`) or starts it (`false`).
    Continuing(bool),
    /// The procedure this item serves was certified in the same letter.
    LinkedProcedure,
    Sum {
        parts: Vec<SumPart>,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
}

/// One term of a [`Criterion::Sum`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SumPart {
    Quantity(QuantityKind),
    /// A numeric fact (counted as 0 when the letter gives no number).
    Fact(usize),
}

impl Criterion {
    /// Adds the index of every fact the criterion reads.
    pub fn facts(&self, out: &mut BTreeSet<usize>) {
        match self {
            Criterion::Fact(fact)
            | Criterion::Number { fact, .. }
            | Criterion::FactWith { fact, .. } => {
                out.insert(*fact);
            }
            Criterion::Sum { parts, .. } => {
                for part in parts {
                    if let SumPart::Fact(fact) = part {
                        out.insert(*fact);
                    }
                }
            }
            Criterion::All(list) | Criterion::Any(list) | Criterion::AtLeast(_, list) => {
                for c in list {
                    c.facts(out);
                }
            }
            Criterion::Not(inner) => inner.facts(out),
            Criterion::Quantity { .. }
            | Criterion::PatientAge { .. }
            | Criterion::WeeksSinceInjury { .. }
            | Criterion::Phase(_)
            | Criterion::Continuing(_)
            | Criterion::LinkedProcedure => {}
        }
    }
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
    /// Follows from the path: `rules/imaging/lumbar/xray.yaml` is `imaging.lumbar.xray`.
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
    pub applies_to: Vec<Pattern>,
    pub excludes: Vec<Pattern>,
    pub recommended_when: Criterion,
    pub not_recommended_when: Option<Criterion>,
    pub limits: Vec<Limit>,
    pub undocumented: Undocumented,
    /// Rule-id prefixes of the procedures this item serves.
    pub follows: Vec<String>,
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

/// The embedded pack's context triggers (`rules/context.yaml`).
pub fn embedded_context() -> Result<crate::facts::context::ContextTriggers, Vec<Problem>> {
    let mut problems = Vec::new();
    let files: Vec<PackFile> = embedded_files()
        .into_iter()
        .filter(|f| f.rel == "context.yaml")
        .collect();
    let raw = read::read(vec![files], &mut problems);
    let triggers = validate::context_triggers(&raw.contexts, &mut problems);
    match triggers {
        Some(t) if problems.is_empty() => Ok(t),
        _ => Err(problems),
    }
}

impl Pack {
    /// Loads the embedded default pack, then each directory in order. A
    /// directory holding its own `pack.yaml` is a whole pack (one written by
    /// `rules export` and edited): the embedded pack is then left out rather
    /// than loaded twice.
    pub fn load(extra: &[impl AsRef<Path>]) -> Result<Pack, Vec<Problem>> {
        let whole = extra
            .iter()
            .any(|dir| dir.as_ref().join("pack.yaml").is_file());
        let mut layers = if whole {
            Vec::new()
        } else {
            vec![embedded_files()]
        };
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
        validate::build(layers)
    }

    /// Loads only the given directories (no embedded pack): for `rules lint DIR`.
    pub fn load_dirs_only(dirs: &[impl AsRef<Path>]) -> Result<Pack, Vec<Problem>> {
        let mut layers = Vec::new();
        for dir in dirs {
            layers.push(dir_files(dir.as_ref())?);
        }
        validate::build(layers)
    }

    /// The path inside a pack of the file that defines rule `id`
    /// (`imaging.lumbar.ct` → `imaging/lumbar/ct.yaml`), or why `id` cannot
    /// be a rule id.
    pub fn rule_file(id: &str) -> Result<String, String> {
        let rel = read::rule_path(id);
        read::rule_id(&rel)?;
        Ok(rel)
    }

    pub fn fact(&self, id: &str) -> Option<usize> {
        self.facts.iter().position(|f| f.id == id)
    }

    /// The ids of the rules that read fact `index`, in their criteria or
    /// their tests, in id order.
    pub fn rules_using(&self, index: usize) -> Vec<&str> {
        let id = &self.facts[index].id;
        let mut out: Vec<&str> = self
            .rules
            .iter()
            .filter(|rule| {
                let mut used = BTreeSet::new();
                rule.recommended_when.facts(&mut used);
                if let Some(c) = &rule.not_recommended_when {
                    c.facts(&mut used);
                }
                used.contains(&index)
                    || rule.tests.iter().any(|t| {
                        t.expect
                            .met
                            .iter()
                            .chain(&t.expect.not_met)
                            .any(|f| f == id)
                    })
            })
            .map(|rule| rule.id.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rules in id order, for listings (`rules` keeps tie-break order).
    pub fn rules_by_id(&self) -> Vec<&Rule> {
        let mut rules: Vec<&Rule> = self.rules.iter().collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules
    }

    /// The id a rule has now: `id` itself unless `rules/renames.yaml` renamed
    /// it (`mtus.low-back.lumbar-xray` → `imaging.lumbar.xray`).
    ///
    /// Baselines and waivers hold fingerprints, which mix in the rule id.
    /// A file written before a rename still
    /// matches when its entries are compared under the current id: where the
    /// stored rule id is at hand, map it with this function; where only the
    /// fingerprint is, also compute each finding's fingerprint with every id
    /// of [`Pack::former_ids`] and accept a match on any of them.
    pub fn current_id<'a>(&'a self, id: &'a str) -> &'a str {
        self.renames.get(id).map_or(id, String::as_str)
    }

    /// Every earlier id of the rule now called `current`, in id order: the
    /// inverse of [`Pack::current_id`].
    pub fn former_ids<'a>(&'a self, current: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.renames
            .iter()
            .filter(move |(_, now)| *now == current)
            .map(|(old, _)| old.as_str())
    }
}
