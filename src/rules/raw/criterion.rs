//! Criteria as written: a fact id, or a mapping that combines criteria or
//! bounds a number. Deserialised by hand, so that every criterion keeps its
//! location for the messages of `validate`. In the compact form `build.rs`
//! writes (not human-readable), a criterion is the variant's index and its
//! fields ([`Compact`]).

use schemars::JsonSchema;
use serde::Deserialize;
#[cfg(not(loader))]
use serde::Serialize;

use super::{Located, Observed, QuantityKind, RawBounds, RawContinuity, RawPhase, Silence};

/// A criterion with the place it was written.
pub type LocatedCriterion = Located<RawCriterion>;

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
    /// A fact with how to read it: `{fact: prior_physical_therapy, when_silent: absent-if-listed}`.
    FactWith {
        fact: String,
        when_silent: Option<Silence>,
        observed: Option<Observed>,
    },
    /// Weeks from the injury to the request.
    WeeksSinceInjury {
        weeks_since_injury: RawBounds,
    },
    /// The phase of the condition: one phase or a list.
    Phase {
        #[schemars(with = "OneOrMany<RawPhase>")]
        phase: Vec<RawPhase>,
    },
    /// Whether the request continues care under way or starts it.
    Request {
        request: RawContinuity,
    },
    /// The procedure this item serves, decided in the same letter, was
    /// certified (`linked_procedure: certified`).
    LinkedProcedure {
        linked_procedure: String,
    },
    /// A sum of quantities of the request and numeric facts:
    /// `{sum: [total_visits, pt_visits_completed], at_most: 10}`.
    Sum {
        sum: Vec<String>,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
}

impl<'de> Deserialize<'de> for RawCriterion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(CriterionVisitor)
        } else {
            Compact::deserialize(deserializer)
        }
    }
}

#[cfg(not(loader))]
impl Serialize for RawCriterion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Compact::serialize(self, serializer)
    }
}

/// [`RawCriterion`] as serde derives it, an enum tagged by its variant: the
/// compact form of a criterion.
#[derive(Deserialize)]
#[cfg_attr(not(loader), derive(Serialize))]
#[serde(remote = "RawCriterion")]
enum Compact {
    Fact(String),
    All {
        all: Vec<LocatedCriterion>,
    },
    Any {
        any: Vec<LocatedCriterion>,
    },
    Not {
        not: Box<LocatedCriterion>,
    },
    AtLeast {
        at_least: usize,
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
    FactWith {
        fact: String,
        when_silent: Option<Silence>,
        observed: Option<Observed>,
    },
    WeeksSinceInjury {
        weeks_since_injury: RawBounds,
    },
    Phase {
        phase: Vec<RawPhase>,
    },
    Request {
        request: RawContinuity,
    },
    LinkedProcedure {
        linked_procedure: String,
    },
    Sum {
        sum: Vec<String>,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
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
    "fact",
    "when_silent",
    "observed",
    "weeks_since_injury",
    "phase",
    "request",
    "linked_procedure",
    "sum",
];

/// One phase or a list of phases.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

impl<'de> serde::de::Visitor<'de> for CriterionVisitor {
    type Value = RawCriterion;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a fact id, or a mapping with all, any, not, at_least+of, number, quantity, patient_age, fact, weeks_since_injury, phase, request, linked_procedure or sum")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawCriterion, E> {
        Ok(RawCriterion::Fact(v.to_owned()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawCriterion, A::Error> {
        use serde::de::Error;
        let (mut all, mut any, mut not, mut of) = (None, None, None, None);
        let (mut at_least, mut at_most, mut number, mut quantity, mut age) =
            (None::<f64>, None::<f64>, None, None, None);
        let (mut fact, mut when_silent, mut observed) = (None, None, None);
        let (mut weeks, mut phase, mut request, mut linked, mut sum) =
            (None, None, None, None, None);
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
                "fact" => fact = Some(map.next_value::<String>()?),
                "when_silent" => when_silent = Some(map.next_value::<Silence>()?),
                "observed" => observed = Some(map.next_value::<Observed>()?),
                "weeks_since_injury" => weeks = Some(map.next_value::<RawBounds>()?),
                "phase" => phase = Some(map.next_value::<OneOrMany<RawPhase>>()?.into_vec()),
                "request" => request = Some(map.next_value::<RawContinuity>()?),
                "linked_procedure" => linked = Some(map.next_value::<String>()?),
                "sum" => sum = Some(map.next_value::<Vec<String>>()?),
                other => return Err(A::Error::unknown_field(other, CRITERION_KEYS)),
            }
        }
        let given = [
            all.is_some(),
            any.is_some(),
            not.is_some(),
            of.is_some(),
            number.is_some(),
            quantity.is_some(),
            age.is_some(),
            fact.is_some(),
            weeks.is_some(),
            phase.is_some(),
            request.is_some(),
            linked.is_some(),
            sum.is_some(),
        ]
        .into_iter()
        .filter(|g| *g)
        .count();
        if given != 1 {
            return Err(A::Error::custom(
                "a criterion mapping takes exactly one of all, any, not, at_least+of, number, quantity, patient_age, fact, weeks_since_injury, phase, request, linked_procedure, sum",
            ));
        }
        if (when_silent.is_some() || observed.is_some()) && fact.is_none() {
            return Err(A::Error::custom(
                "when_silent and observed go with `fact: ID`",
            ));
        }
        Ok(if let Some(all) = all {
            RawCriterion::All { all }
        } else if let Some(any) = any {
            RawCriterion::Any { any }
        } else if let Some(not) = not {
            RawCriterion::Not { not }
        } else if let Some(of) = of {
            let n = at_least.ok_or_else(|| A::Error::missing_field("at_least"))?;
            RawCriterion::AtLeast {
                at_least: n as usize,
                of,
            }
        } else if let Some(number) = number {
            RawCriterion::Number {
                number,
                at_least,
                at_most,
            }
        } else if let Some(quantity) = quantity {
            RawCriterion::Quantity {
                quantity,
                at_least,
                at_most,
            }
        } else if let Some(patient_age) = age {
            RawCriterion::PatientAge { patient_age }
        } else if let Some(fact) = fact {
            RawCriterion::FactWith {
                fact,
                when_silent,
                observed,
            }
        } else if let Some(weeks_since_injury) = weeks {
            RawCriterion::WeeksSinceInjury { weeks_since_injury }
        } else if let Some(phase) = phase {
            RawCriterion::Phase { phase }
        } else if let Some(request) = request {
            RawCriterion::Request { request }
        } else if let Some(linked_procedure) = linked {
            RawCriterion::LinkedProcedure { linked_procedure }
        } else {
            RawCriterion::Sum {
                sum: sum.unwrap_or_default(),
                at_least,
                at_most,
            }
        })
    }
}
