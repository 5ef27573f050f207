//! Three-valued evaluation of criteria: met, not met, not documented.

use serde::Serialize;

use crate::facts::{Hit, Region, Status};
use crate::letter::{Item, Letter};
use crate::rules::{Criterion, Limit, Pack, QuantityKind};
use crate::source::Span;

/// A criterion's truth on the letter's documentation. Spelled `not-met`
/// everywhere machines read it (JSON, CSS classes); people read the same
/// word with spaces (`report::words`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Tri {
    Met,
    NotMet,
    NotDocumented,
}

/// Which part of a rule a criterion belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum CriterionRole {
    /// `recommended_when`: met criteria make the treatment medically necessary.
    RecommendedWhen,
    /// `not_recommended_when`: a met criterion excludes the treatment.
    NotRecommendedWhen,
    /// `limits`: a quantity the request must stay within.
    Limit,
}

impl Tri {
    fn not(self) -> Tri {
        match self {
            Tri::Met => Tri::NotMet,
            Tri::NotMet => Tri::Met,
            Tri::NotDocumented => Tri::NotDocumented,
        }
    }
}

/// Where a criterion's evidence stands, as reports show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub page: usize,
    pub text: String,
    pub region: Region,
    /// How the mention reads in context.
    pub context: Status,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl Evidence {
    /// Where the mention stands in the letter.
    pub fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.end,
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
            page: self.page,
        }
    }

    fn of(hit: &Hit) -> Evidence {
        Evidence {
            line: hit.span.line,
            column: hit.span.column,
            end_line: hit.span.end_line,
            end_column: hit.span.end_column,
            page: hit.span.page,
            text: hit.text.clone(),
            region: hit.region,
            context: hit.status,
            start: hit.span.start,
            end: hit.span.end,
        }
    }
}

/// One leaf criterion's result.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The fact id, or a description of a numeric criterion ("visits <= 10").
    pub fact: String,
    pub title: String,
    pub role: CriterionRole,
    pub status: Tri,
    /// Mentions that decided the status.
    pub evidence: Vec<Evidence>,
    /// Mentions that did not count: guideline text, hypothetical.
    pub ignored: Vec<Evidence>,
}

pub struct Context<'a> {
    pub pack: &'a Pack,
    pub letter: &'a Letter,
    pub item: &'a Item,
    pub hits: &'a [Hit],
}

fn bounds(value: f64, at_least: Option<f64>, at_most: Option<f64>) -> Tri {
    if at_least.is_some_and(|lo| value < lo) || at_most.is_some_and(|hi| value > hi) {
        Tri::NotMet
    } else {
        Tri::Met
    }
}

/// Whether a mention with `status` documents its fact: an affirmed one does,
/// a past one only when the fact says so.
fn documents(status: Status, counts_historical: bool) -> bool {
    status == Status::Affirmed || (counts_historical && status == Status::Historical)
}

fn describe(name: &str, at_least: Option<f64>, at_most: Option<f64>) -> String {
    match (at_least, at_most) {
        (Some(lo), Some(hi)) => format!("{name} between {lo} and {hi}"),
        (Some(lo), None) => format!("{name} >= {lo}"),
        (None, Some(hi)) => format!("{name} <= {hi}"),
        (None, None) => name.to_owned(),
    }
}

fn quantity_name(kind: QuantityKind) -> &'static str {
    match kind {
        QuantityKind::Visits => "requested visits",
        QuantityKind::Count => "requested count",
        QuantityKind::Weeks => "requested weeks",
        QuantityKind::PerWeek => "requested visits per week",
        QuantityKind::Refills => "requested refills",
    }
}

impl Context<'_> {
    /// The status of a fact and the mentions behind it.
    pub fn fact(&self, fact: usize) -> (Tri, Vec<Evidence>, Vec<Evidence>) {
        let counts_historical = self.pack.facts[fact].historical_counts;
        let mine: Vec<&Hit> = self.hits.iter().filter(|h| h.fact == fact).collect();
        let positive: Vec<Evidence> = mine
            .iter()
            .filter(|h| documents(h.status, counts_historical))
            .map(|h| Evidence::of(h))
            .collect();
        let negative: Vec<Evidence> = mine
            .iter()
            .filter(|h| h.status == Status::Negated)
            .map(|h| Evidence::of(h))
            .collect();
        let ignored: Vec<Evidence> = mine
            .iter()
            .filter(|h| {
                matches!(h.status, Status::Guideline | Status::Hypothetical)
                    || (!counts_historical && h.status == Status::Historical)
            })
            .map(|h| Evidence::of(h))
            .collect();
        if !positive.is_empty() {
            (Tri::Met, positive, ignored)
        } else if !negative.is_empty() {
            (Tri::NotMet, negative, ignored)
        } else {
            (Tri::NotDocumented, Vec::new(), ignored)
        }
    }

    fn quantity(&self, kind: QuantityKind) -> Option<f64> {
        let q = &self.item.request.quantity;
        let v = match kind {
            QuantityKind::Visits => q.visits,
            QuantityKind::Count => q.count,
            QuantityKind::Weeks => q.weeks,
            QuantityKind::PerWeek => q.per_week,
            QuantityKind::Refills => q.refills,
        };
        v.map(f64::from)
    }

    pub fn limit(&self, limit: &Limit) -> (Tri, Outcome) {
        let status = self
            .quantity(limit.quantity)
            .map_or(Tri::NotDocumented, |v| {
                bounds(v, limit.at_least, limit.at_most)
            });
        let outcome = Outcome {
            fact: describe(quantity_name(limit.quantity), limit.at_least, limit.at_most),
            title: limit.reason.clone(),
            role: CriterionRole::Limit,
            status,
            evidence: Vec::new(),
            ignored: Vec::new(),
        };
        (status, outcome)
    }

    /// Evaluates a criterion, recording each leaf's outcome.
    pub fn eval(&self, criterion: &Criterion, role: CriterionRole, out: &mut Vec<Outcome>) -> Tri {
        match criterion {
            Criterion::Fact(fact) => {
                let (status, evidence, ignored) = self.fact(*fact);
                let f = &self.pack.facts[*fact];
                out.push(Outcome {
                    fact: f.id.clone(),
                    title: f.title.clone(),
                    role,
                    status,
                    evidence,
                    ignored,
                });
                status
            }
            Criterion::All(list) => {
                let results: Vec<Tri> = list.iter().map(|c| self.eval(c, role, out)).collect();
                if results.contains(&Tri::NotMet) {
                    Tri::NotMet
                } else if results.iter().all(|r| *r == Tri::Met) {
                    Tri::Met
                } else {
                    Tri::NotDocumented
                }
            }
            Criterion::Any(list) => {
                let results: Vec<Tri> = list.iter().map(|c| self.eval(c, role, out)).collect();
                if results.contains(&Tri::Met) {
                    Tri::Met
                } else if !results.is_empty() && results.iter().all(|r| *r == Tri::NotMet) {
                    Tri::NotMet
                } else {
                    Tri::NotDocumented
                }
            }
            Criterion::Not(inner) => self.eval(inner, role, out).not(),
            Criterion::AtLeast(n, list) => {
                let results: Vec<Tri> = list.iter().map(|c| self.eval(c, role, out)).collect();
                let met = results.iter().filter(|r| **r == Tri::Met).count();
                let open = results.iter().filter(|r| **r == Tri::NotDocumented).count();
                if met >= *n {
                    Tri::Met
                } else if met + open < *n {
                    Tri::NotMet
                } else {
                    Tri::NotDocumented
                }
            }
            Criterion::Number {
                fact,
                at_least,
                at_most,
            } => {
                let (_, evidence, ignored) = self.fact(*fact);
                // The same mentions that document the fact give its number:
                // "has completed 24 prior sessions" counts when the fact says
                // a past mention documents it.
                let counts_historical = self.pack.facts[*fact].historical_counts;
                let value = self
                    .hits
                    .iter()
                    .filter(|h| h.fact == *fact && documents(h.status, counts_historical))
                    .filter_map(|h| h.value)
                    .reduce(f64::max);
                let status = value.map_or(Tri::NotDocumented, |v| bounds(v, *at_least, *at_most));
                let f = &self.pack.facts[*fact];
                out.push(Outcome {
                    fact: describe(&f.id, *at_least, *at_most),
                    title: match value {
                        Some(v) => format!("{} (documented: {v})", f.title),
                        None => f.title.clone(),
                    },
                    role,
                    status,
                    evidence,
                    ignored,
                });
                status
            }
            Criterion::Quantity {
                kind,
                at_least,
                at_most,
            } => {
                let value = self.quantity(*kind);
                let status = value.map_or(Tri::NotDocumented, |v| bounds(v, *at_least, *at_most));
                out.push(Outcome {
                    fact: describe(quantity_name(*kind), *at_least, *at_most),
                    title: value.map_or("not stated in the request".into(), |v| {
                        format!("the request states {v}")
                    }),
                    role,
                    status,
                    evidence: Vec::new(),
                    ignored: Vec::new(),
                });
                status
            }
            Criterion::PatientAge { at_least, at_most } => {
                let age = self.letter.patient.age.as_ref();
                let status = age.map_or(Tri::NotDocumented, |a| {
                    bounds(f64::from(a.value), *at_least, *at_most)
                });
                out.push(Outcome {
                    fact: describe("patient age", *at_least, *at_most),
                    title: age.map_or("age not stated".into(), |a| {
                        format!("the letter states age {}", a.value)
                    }),
                    role,
                    status,
                    evidence: age
                        .map(|a| Evidence {
                            line: a.span.line,
                            column: a.span.column,
                            end_line: a.span.end_line,
                            end_column: a.span.end_column,
                            page: a.span.page,
                            text: a.value.to_string(),
                            region: Region::CaseSummary,
                            context: Status::Affirmed,
                            start: a.span.start,
                            end: a.span.end,
                        })
                        .into_iter()
                        .collect(),
                    ignored: Vec::new(),
                });
                status
            }
        }
    }
}
