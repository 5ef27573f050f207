//! The rule pack as written: YAML shapes deserialised with serde-saphyr,
//! unknown keys rejected, every value that needs checking kept with its
//! location. [`super::validate`] turns these into the checked [`super::Pack`].
//!
//! The JSON Schema for rule files (`docs/schema/rule.schema.json`) is
//! generated from these types.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// A string with the place it was written.
pub type Located = Spanned<String>;

/// `rules/pack.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPackMeta {
    pub name: String,
    pub version: u32,
    #[serde(default)]
    pub description: Option<String>,
}

/// `rules/citations.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCatalogue {
    pub documents: Vec<RawDocument>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    #[schemars(with = "String")]
    pub key: Located,
    pub title: String,
    pub mtus: bool,
    #[serde(default)]
    pub edition: Option<String>,
    #[serde(default)]
    pub in_force: Option<RawPeriod>,
    #[serde(default)]
    pub body_parts: Vec<String>,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Located>,
    #[serde(default)]
    pub sections: Vec<RawSection>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub key: String,
    pub names: Vec<String>,
}

/// A period of force: dates as YYYY-MM-DD, either end open.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub from: Option<Located>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub until: Option<Located>,
}

/// `rules/facts/*.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFactFile {
    pub facts: Vec<RawFact>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    #[schemars(with = "String")]
    pub id: Located,
    pub title: String,
    /// Literal phrases, case-insensitive, matched as whole words.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Regular expressions, case-insensitive; a named group `n` makes the fact numeric.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Located>,
    /// Whether a historical mention ("history of X") documents the fact.
    #[serde(default)]
    pub historical_counts: bool,
}

/// One rule file: `rules/<source>/<chapter>/<item>.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Replaces a rule of the same id from an earlier pack.
    #[serde(default, rename = "override")]
    pub override_: bool,
    pub guideline: RawGuideline,
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
    pub recommended_when: RawCriterion,
    #[serde(default)]
    pub not_recommended_when: Option<RawCriterion>,
    #[serde(default)]
    pub limits: Vec<RawLimit>,
    #[serde(default)]
    pub undocumented: Undocumented,
    #[serde(default)]
    pub quotes: Vec<String>,
    #[serde(default)]
    pub tests: Vec<RawTest>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGuideline {
    /// Catalogue keys (`document` or `document#section`); the first is the primary citation.
    #[schemars(with = "Vec<String>")]
    pub cites: Vec<Located>,
    pub edition: String,
    #[serde(default)]
    pub in_force: Option<RawPeriod>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    #[default]
    Confirmed,
    Unconfirmed,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Undocumented {
    #[default]
    NotMet,
    Undetermined,
}

/// Which quantity of the request a limit or criterion reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    Visits,
    Count,
    Weeks,
    PerWeek,
    Refills,
}

#[derive(Debug, Deserialize, JsonSchema)]
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
#[serde(deny_unknown_fields)]
pub struct RawBounds {
    #[serde(default)]
    pub at_least: Option<f64>,
    #[serde(default)]
    pub at_most: Option<f64>,
}

/// A criterion: a fact id, or a combination.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawCriterion {
    Fact(#[schemars(with = "String")] Located),
    All {
        all: Vec<RawCriterion>,
    },
    Any {
        any: Vec<RawCriterion>,
    },
    Not {
        not: Box<RawCriterion>,
    },
    AtLeast {
        at_least: usize,
        of: Vec<RawCriterion>,
    },
    Number {
        #[schemars(with = "String")]
        number: Located,
        #[serde(default)]
        at_least: Option<f64>,
        #[serde(default)]
        at_most: Option<f64>,
    },
    Quantity {
        quantity: QuantityKind,
        #[serde(default)]
        at_least: Option<f64>,
        #[serde(default)]
        at_most: Option<f64>,
    },
    PatientAge {
        patient_age: RawBounds,
    },
}

/// A rule's own test: a small letter and what the rule must make of it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
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
    pub expect: RawExpect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TestDecision {
    Upheld,
    Overturned,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
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
