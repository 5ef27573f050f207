//! The rule pack as written: YAML shapes deserialised with serde-saphyr,
//! unknown keys rejected, every value that needs checking kept with its
//! location. `read` produces these; `validate` turns them into the checked
//! [`super::Pack`].
//!
//! The JSON Schemas of pack files (`docs/schema/*.schema.json`) are generated
//! from these types.

use std::collections::BTreeMap;

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

/// `rules/renames.yaml`: rule ids that changed, so that baselines and
/// waivers written with an old id still find the rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRenames {
    /// Old id → new id.
    #[schemars(with = "BTreeMap<String, String>")]
    pub renames: BTreeMap<String, Located>,
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

/// One rule file: `rules/<category>/<group>/<item>.yaml`.
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

/// A criterion with the place it was written.
pub type LocatedCriterion = Spanned<RawCriterion>;

/// A criterion: a fact id, or a combination. Deserialised by hand (not as an
/// untagged enum, which would buffer the YAML and lose every location) so an
/// undefined fact deep in a criterion is still reported at its line and column.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum RawCriterion {
    Fact(String),
    All {
        #[schemars(with = "Vec<RawCriterion>")]
        all: Vec<LocatedCriterion>,
    },
    Any {
        #[schemars(with = "Vec<RawCriterion>")]
        any: Vec<LocatedCriterion>,
    },
    Not {
        #[schemars(with = "RawCriterion")]
        not: Box<LocatedCriterion>,
    },
    AtLeast {
        at_least: usize,
        #[schemars(with = "Vec<RawCriterion>")]
        of: Vec<LocatedCriterion>,
    },
    Number {
        number: String,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
    Quantity {
        quantity: QuantityKind,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
    PatientAge {
        patient_age: RawBounds,
    },
}

impl<'de> Deserialize<'de> for RawCriterion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CriterionVisitor)
    }
}

struct CriterionVisitor;

const CRITERION_KEYS: &[&str] = &[
    "all",
    "any",
    "not",
    "at_least",
    "of",
    "number",
    "quantity",
    "at_most",
    "patient_age",
];

impl<'de> serde::de::Visitor<'de> for CriterionVisitor {
    type Value = RawCriterion;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a fact id, or a mapping with all, any, not, at_least+of, number, quantity or patient_age")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawCriterion, E> {
        Ok(RawCriterion::Fact(v.to_owned()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawCriterion, A::Error> {
        use serde::de::Error;
        let (mut all, mut any, mut not, mut of) = (None, None, None, None);
        let (mut at_least, mut at_most, mut number, mut quantity, mut age) =
            (None::<f64>, None::<f64>, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "all" => all = Some(map.next_value::<Vec<LocatedCriterion>>()?),
                "any" => any = Some(map.next_value::<Vec<LocatedCriterion>>()?),
                "not" => not = Some(Box::new(map.next_value::<LocatedCriterion>()?)),
                "of" => of = Some(map.next_value::<Vec<LocatedCriterion>>()?),
                "at_least" => at_least = Some(map.next_value::<f64>()?),
                "at_most" => at_most = Some(map.next_value::<f64>()?),
                "number" => number = Some(map.next_value::<String>()?),
                "quantity" => quantity = Some(map.next_value::<QuantityKind>()?),
                "patient_age" => age = Some(map.next_value::<RawBounds>()?),
                other => return Err(A::Error::unknown_field(other, CRITERION_KEYS)),
            }
        }
        Ok(match (all, any, not, of, number, quantity, age) {
            (Some(all), None, None, None, None, None, None) => RawCriterion::All { all },
            (None, Some(any), None, None, None, None, None) => RawCriterion::Any { any },
            (None, None, Some(not), None, None, None, None) => RawCriterion::Not { not },
            (None, None, None, Some(of), None, None, None) => {
                let n = at_least.ok_or_else(|| A::Error::missing_field("at_least"))?;
                RawCriterion::AtLeast {
                    at_least: n as usize,
                    of,
                }
            }
            (None, None, None, None, Some(number), None, None) => RawCriterion::Number {
                number,
                at_least,
                at_most,
            },
            (None, None, None, None, None, Some(quantity), None) => RawCriterion::Quantity {
                quantity,
                at_least,
                at_most,
            },
            (None, None, None, None, None, None, Some(patient_age)) => {
                RawCriterion::PatientAge { patient_age }
            }
            _ => {
                return Err(A::Error::custom(
                    "a criterion mapping takes exactly one of all, any, not, at_least+of, number, quantity, patient_age",
                ));
            }
        })
    }
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
