//! The rule pack as written: YAML shapes deserialised with serde-saphyr,
//! unknown keys rejected, every value that needs checking kept with its
//! location. `read` produces these; `validate` turns them into the checked
//! [`super::Pack`].
//!
//! The JSON Schemas of pack files (`docs/schema/*.schema.json`) are generated
//! from these types.
//!
//! `build.rs` reads this file too: it parses the embedded pack into these
//! types and writes them in postcard's compact form ([`RawFile`]), which
//! loading reads instead of the YAML (see `super::prepared`). Only the build
//! script serialises them: it compiles this file without the `loader` cfg,
//! which `build.rs` sets for the crate itself. The crate's types do not
//! implement `Serialize` (but for the few its reports write), as schemars
//! would otherwise write the defaults it can serialise into the schemas.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
#[cfg(not(loader))]
use serde::Serialize;

// Paths given so that build.rs, which reads this file too, finds them.
#[path = "raw/criterion.rs"]
mod criterion;
#[path = "raw/located.rs"]
mod located;
#[path = "raw/near.rs"]
mod near;
pub use criterion::{LocatedCriterion, RawCriterion};
pub use located::{Located, Position};
pub use near::{MAX_WITHIN, NearOrder, RawNear};

/// `rules/pack.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawPackMeta {
    pub name: String,
    pub version: u32,
    #[serde(default)]
    pub description: Option<String>,
}

/// `rules/citations.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawCatalogue {
    pub documents: Vec<RawDocument>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    #[schemars(with = "String")]
    pub key: Located,
    /// Replaces the document of the same key from an earlier pack.
    #[serde(default, rename = "override")]
    pub override_: bool,
    pub title: String,
    pub mtus: bool,
    #[serde(default)]
    pub edition: Option<String>,
    #[serde(default)]
    pub in_force: Option<RawPeriod>,
    #[serde(default)]
    pub body_parts: Vec<String>,
    /// When several documents match a citation, the most specific wins:
    /// 0 a catch-all, 1 (default) a guideline or source as a whole, 2 a
    /// chapter or topic of one. Ties go to the document the citation names
    /// first.
    #[serde(default = "default_specificity")]
    pub specificity: u8,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Located>,
    #[serde(default)]
    pub sections: Vec<RawSection>,
}

fn default_specificity() -> u8 {
    1
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub key: String,
    pub names: Vec<String>,
}

/// A period of force: dates as YYYY-MM-DD, either end open.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub from: Option<Located>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub until: Option<Located>,
}

/// `rules/renames.yaml`: rule ids that changed, so that baselines and
/// waivers written with an old id still find the rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawRenames {
    /// Old id → new id.
    #[schemars(with = "BTreeMap<String, String>")]
    pub renames: BTreeMap<String, Located>,
}

/// `rules/facts/*.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawFactFile {
    pub facts: Vec<RawFact>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    #[schemars(with = "String")]
    pub id: Located,
    /// Replaces the fact of the same id from an earlier pack.
    #[serde(default, rename = "override")]
    pub override_: bool,
    pub title: String,
    /// Literal phrases, case-insensitive, matched as whole words.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Regular expressions, case-insensitive; a named group `n` makes the fact numeric.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Located>,
    /// Regular expressions whose match states the fact absent in the
    /// record's own words ("sensation intact", "strength 5/5").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub absent_patterns: Vec<Located>,
    /// The concept's words and words that must stand near them, in either
    /// order ("conservative measures have failed", "failed conservative
    /// measures"): each entry adds its patterns to the fact's.
    #[serde(default)]
    #[schemars(with = "Vec<RawNear>")]
    pub near: Vec<Located<RawNear>>,
    /// Whether a historical mention ("history of X") documents the fact.
    #[serde(default)]
    pub historical_counts: bool,
    /// The contexts whose mentions document the fact (default: affirmed
    /// only). A fact about a plan or request ("surgery is planned") is
    /// documented by its hypothetical mentions.
    #[serde(default)]
    pub documented_by: Vec<MentionContext>,
    /// The concept the fact belongs to ("neurological deficit", "prior
    /// therapy"): a rationale mentioning any fact of the concept addresses it.
    #[serde(default)]
    pub concept: Option<String>,
    /// Facts this one names as a whole (a category: "neurological
    /// deficits", "imaging findings"): a rationale that names it in the
    /// reviewer's own words addresses each of them (`unaddressed-fact`). A
    /// category is never a criterion.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub addresses: Vec<Located>,
    /// A concession: the reviewer's own words saying the record supports
    /// the request ("had findings that would support acute rehabilitation",
    /// "meets the criteria for"). Affirmed in a rationale, it weighs every
    /// fact that argues for the request (`unaddressed-fact`). Like a
    /// category, never a criterion.
    #[serde(default)]
    pub concedes_request: bool,
}

impl RawFact {
    /// The patterns of the fact's `near` entries, each at its entry's place.
    pub fn near_patterns(&self) -> Vec<Located> {
        self.near
            .iter()
            .filter(|entry| entry.value.problem().is_none())
            .flat_map(|entry| {
                entry.value.patterns().into_iter().map(|value| Located {
                    value,
                    referenced: entry.referenced,
                })
            })
            .collect()
    }
}

/// A context a mention can stand in (the classes of docs/CONTEXT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "lowercase")]
pub enum MentionContext {
    Affirmed,
    Historical,
    Hypothetical,
}

/// `rules/lexicon.yaml`: words letters use for a treatment that the rules'
/// `applies_to` patterns do not spell (brands, abbreviations, misspellings).
#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawLexicon {
    pub terms: Vec<RawLexiconEntry>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawLexiconEntry {
    /// A regular expression (case-insensitive) for the word as letters write it.
    #[schemars(with = "String")]
    pub term: Located,
    /// What it means, in the words the rules match ("hydrocodone", "chiropractic").
    pub means: String,
}

/// How many words each trigger reaches (`windows:` of `rules/context.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct Windows {
    /// Words before the hit a negation trigger may stand (NegEx's window).
    pub negation: usize,
    /// The same window when the words between are a list ("no fever,
    /// chills, night sweats, or weight loss").
    pub negation_list: usize,
    /// Words before the hit a hypothetical trigger may stand.
    pub hypothetical: usize,
    /// Words a "history of" trigger reaches.
    pub history: usize,
    /// Words a negation of the record reaches.
    pub record_negation: usize,
    /// Words after the hit a later negation may stand.
    pub later_negation: usize,
    /// Words a hedge ("possible", "suspected") reaches: the one phrase it
    /// opens, never past a comma or "and".
    #[serde(default = "default_hedge_window")]
    pub hedge: usize,
}

fn default_hedge_window() -> usize {
    6
}

/// `rules/context.yaml`: the triggers that tell a mention's context and the
/// windows they reach (docs/CONTEXT.md). Each list is a list of regular
/// expressions, tried in order as alternatives of one expression.
#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawContext {
    pub windows: Windows,
    /// Where a trigger's scope ends ("but", "however", ";").
    #[schemars(with = "Vec<String>")]
    pub terminators: Vec<Located>,
    pub negated: RawNegatedTriggers,
    pub hypothetical: RawHypotheticalTriggers,
    pub historical: RawHistoricalTriggers,
    pub scope: RawScopeTriggers,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawNegatedTriggers {
    /// Before the mention: "no", "denies", "fails to document".
    #[schemars(with = "Vec<String>")]
    pub before: Vec<Located>,
    /// Look-alikes that deny nothing (NegEx's pseudo-triggers): "with and
    /// without resistance", "not only". A negation that starts inside one
    /// is no negation.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub not_before: Vec<Located>,
    /// Right before the mention, joined to it: "non-" ("non-radicular
    /// pain", "non-antalgic gait").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub right_before: Vec<Located>,
    /// A negation of the record: "no documentation of".
    #[schemars(with = "Vec<String>")]
    pub of_record: Vec<Located>,
    /// Right after the mention: "was negative", "unremarkable".
    #[schemars(with = "Vec<String>")]
    pub right_after: Vec<Located>,
    /// Later in the mention's clause: "... is not documented".
    #[schemars(with = "Vec<String>")]
    pub later: Vec<Located>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawHypotheticalTriggers {
    /// Before the mention: "request for", "would", "rule out". Of a
    /// negation and one of these that both reach a mention, the nearer
    /// governs.
    #[schemars(with = "Vec<String>")]
    pub before: Vec<Located>,
    /// Before the mention, words that put what follows under a condition
    /// or a hedge: "if", "unless", "whether", "possible". A negation after
    /// such a word stays inside it ("if there is no improvement"); one
    /// before it governs it ("no documentation of whether", "no findings of
    /// a possible tear").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub conditional: Vec<Located>,
    /// Before the mention or opening a detector's match, words
    /// that hedge one phrase: "possible", "suspected", "concern for". They
    /// reach the phrase they open (`windows.hedge` words, never past a
    /// comma or "and"): in "possible rotator cuff tear and impingement
    /// syndrome" only the tear is hedged. Otherwise they act as a
    /// conditional does.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub hedge: Vec<Located>,
    /// Inside a detector's own match: "request for facet injections".
    #[schemars(with = "Vec<String>")]
    pub inside: Vec<Located>,
    /// Right after the mention: "was requested", "is pending".
    #[schemars(with = "Vec<String>")]
    pub right_after: Vec<Located>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawHistoricalTriggers {
    /// Before the mention: "history of", "remote".
    #[schemars(with = "Vec<String>")]
    pub before: Vec<Located>,
    /// Look-alikes that are not the past: "history of present illness".
    #[schemars(with = "Vec<String>")]
    pub not_before: Vec<Located>,
    /// Right after the mention: a year, "which has resolved".
    #[schemars(with = "Vec<String>")]
    pub right_after: Vec<Located>,
    /// Before the mention, in its clause: words that place it in the care
    /// of this claim ("treatment to date has included …"), so that a year
    /// after it ("12 sessions of physical therapy in 2015") does not make
    /// it historical.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub this_claim: Vec<Located>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawScopeTriggers {
    /// A clause that starts over after a comma: ", and the patient".
    #[schemars(with = "Vec<String>")]
    pub new_clause: Vec<Located>,
    /// The end of the words before a mention that modifies them.
    #[schemars(with = "Vec<String>")]
    pub modifier_before: Vec<Located>,
    /// The end of the words before a mention that an outcome came from:
    /// "improvement from the prior". A negation before the outcome denies
    /// the outcome, not the care that was given. Optional.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub outcome_before: Vec<Located>,
}

/// One rule file: `rules/<category>/<group>/<item>.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Replaces a rule of the same id from an earlier pack.
    #[serde(default, rename = "override")]
    pub override_: bool,
    pub guideline: RawGuideline,
    /// Facts only this rule uses; ids are unique across the whole pack.
    #[serde(default)]
    pub facts: Vec<RawFact>,
    #[serde(default)]
    pub body_parts: Vec<String>,
    #[serde(default)]
    pub confidence: Confidence,
    #[serde(default)]
    pub unconfirmed: Vec<String>,
    #[schemars(with = "Vec<String>")]
    pub applies_to: Vec<Located>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub excludes: Vec<Located>,
    #[schemars(with = "RawCriterion")]
    pub recommended_when: LocatedCriterion,
    #[serde(default)]
    #[schemars(with = "Option<RawCriterion>")]
    pub not_recommended_when: Option<LocatedCriterion>,
    #[serde(default)]
    pub limits: Vec<RawLimit>,
    #[serde(default)]
    pub undocumented: Undocumented,
    /// Rule-id prefixes of the procedures this item serves ("surgery"): when
    /// the letter decides such a procedure too, `linked_procedure` reads
    /// that decision.
    #[serde(default)]
    pub follows: Vec<String>,
    #[serde(default)]
    pub quotes: Vec<String>,
    #[serde(default)]
    pub tests: Vec<RawTest>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawGuideline {
    /// Catalogue keys (`document` or `document#section`); the first is the primary citation.
    #[schemars(with = "Vec<String>")]
    pub cites: Vec<Located>,
    pub edition: String,
    #[serde(default)]
    pub in_force: Option<RawPeriod>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    #[default]
    Confirmed,
    Unconfirmed,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum Undocumented {
    #[default]
    NotMet,
    Undetermined,
}

/// Which quantity of the request a limit or criterion reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// Visits under review.
    Visits,
    /// Visits the claims administrator already authorised of the same request.
    AuthorizedVisits,
    /// Visits under review plus those already authorised.
    TotalVisits,
    Count,
    Weeks,
    PerWeek,
    Refills,
    /// Most units a day the directions allow.
    PerDay,
    /// Days the dispensed count lasts.
    DaysSupply,
}

impl QuantityKind {
    /// The quantity in words, as reports and criteria name it.
    pub fn name(self) -> &'static str {
        match self {
            QuantityKind::Visits => "requested visits",
            QuantityKind::AuthorizedVisits => "visits already authorized",
            QuantityKind::TotalVisits => "requested and authorized visits",
            QuantityKind::Count => "requested count",
            QuantityKind::Weeks => "requested weeks",
            QuantityKind::PerWeek => "requested visits per week",
            QuantityKind::Refills => "requested refills",
            QuantityKind::PerDay => "units a day",
            QuantityKind::DaysSupply => "days' supply",
        }
    }
}

/// What a silent record means for a fact (see docs/RULES.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "kebab-case")]
pub enum Silence {
    /// The guideline requires documentation: not documented counts as not met.
    NotMet,
    /// The guideline presumes absence unless recorded: not documented counts
    /// as absent — when the record enumerates treatment ("treatment to date
    /// included …"), with that list as evidence; otherwise undetermined.
    AbsentIfListed,
    /// Not documented decides nothing.
    Unknown,
}

/// Whose account a finding must rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "lowercase")]
pub enum Observed {
    /// Found on examination, imaging or testing (or stated without saying who).
    Examined,
}

/// The phase of the condition when the treatment was requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "lowercase")]
pub enum RawPhase {
    Acute,
    Subacute,
    Chronic,
}

/// Whether a request continues or starts care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "lowercase")]
pub enum RawContinuity {
    Continuing,
    Starting,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawLimit {
    pub quantity: QuantityKind,
    #[serde(default)]
    pub at_most: Option<f64>,
    #[serde(default)]
    pub at_least: Option<f64>,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawBounds {
    #[serde(default)]
    pub at_least: Option<f64>,
    #[serde(default)]
    pub at_most: Option<f64>,
}

/// A rule's own test: a small letter and what the rule must make of it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawTest {
    pub name: String,
    #[serde(default)]
    pub why: Option<String>,
    pub request: String,
    pub decision: TestDecision,
    /// The reviewer's guideline statement; default: the rule's primary citation.
    #[serde(default)]
    pub cited: Option<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub rationale: String,
    /// Date of injury, YYYY-MM-DD, for rules that read the time line.
    #[serde(default)]
    pub injured: Option<String>,
    /// Date of the utilization review (the request's date), YYYY-MM-DD.
    #[serde(default)]
    pub requested: Option<String>,
    /// Other items the test letter decides first (a surgery an ancillary
    /// service serves, say); the test judges the last item.
    #[serde(default)]
    pub other_items: Vec<RawOtherItem>,
    pub expect: RawExpect,
}

/// Another item of a rule test's letter.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawOtherItem {
    pub request: String,
    pub decision: TestDecision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(rename_all = "lowercase")]
pub enum TestDecision {
    Upheld,
    Overturned,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    #[serde(default)]
    pub verdict: Option<String>,
    #[serde(default)]
    pub met: Vec<String>,
    #[serde(default)]
    pub not_met: Vec<String>,
    #[serde(default)]
    pub findings: Vec<String>,
}

/// What a pack file holds, by where it sits in the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Meta,
    Catalogue,
    Renames,
    Context,
    Lexicon,
    Facts,
    /// Any other path: a rule, when the path is a rule's.
    Rule,
}

impl Kind {
    /// The kind of the file at `rel`, the path inside the pack with `/`
    /// separators: `pack.yaml`, `citations.yaml`, `renames.yaml`,
    /// `context.yaml`, `lexicon.yaml` or `lexicon/*.yaml`, `facts/*.yaml`,
    /// and rules everywhere else.
    pub fn of(rel: &str) -> Kind {
        match rel {
            "pack.yaml" => Kind::Meta,
            "citations.yaml" => Kind::Catalogue,
            "renames.yaml" => Kind::Renames,
            "context.yaml" => Kind::Context,
            "lexicon.yaml" => Kind::Lexicon,
            _ if rel.starts_with("lexicon/") => Kind::Lexicon,
            _ if rel.starts_with("facts/") => Kind::Facts,
            _ => Kind::Rule,
        }
    }
}

/// A pack file read into the raw shape of its [`Kind`].
#[derive(Debug, Deserialize)]
#[cfg_attr(not(loader), derive(Serialize))]
pub enum RawFile {
    Meta(RawPackMeta),
    Catalogue(RawCatalogue),
    Renames(RawRenames),
    Context(Box<RawContext>),
    Lexicon(RawLexicon),
    Facts(RawFactFile),
    Rule(Box<RawRule>),
}
