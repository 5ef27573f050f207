//! Three-valued evaluation of criteria: met, not met, not documented.

use serde::Serialize;

use crate::facts::body::{self, Observation, Site};
use crate::facts::{Hit, Region, Status};
use crate::letter::{Decision, Item, Letter, Timeline};
use crate::rules::{Criterion, Limit, Observed, Pack, QuantityKind};
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

    pub fn of(hit: &Hit) -> Evidence {
        Evidence {
            line: hit.span.line,
            column: hit.span.column,
            end_line: hit.span.end_line,
            end_column: hit.span.end_column,
            page: hit.span.page,
            text: hit.text.clone(),
            region: hit.region,
            context: hit.status(),
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
    /// Mentions that said the opposite and were outweighed (older, or the
    /// reviewer's against the record).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outweighed: Vec<Evidence>,
    /// The status was read from the request itself (its quantities), not
    /// from the record.
    #[serde(skip)]
    pub from_request: bool,
}

pub struct Context<'a> {
    pub pack: &'a Pack,
    pub source: &'a crate::source::Source,
    pub letter: &'a Letter,
    pub item: &'a Item,
    pub hits: &'a [Hit],
    /// The body sites the request is for (none: any).
    pub sites: Vec<Site>,
    /// The case's time line from the letter's dates.
    pub timeline: Timeline,
    /// The procedure this item serves, when the letter decides it too.
    pub linked: Option<Linked>,
    /// Where the record enumerates the treatment given so far, read on
    /// first use ([`Context::treatment_lists`]) and shared by the letter's
    /// items: only a criterion silent where a list is complete asks.
    pub treatment_lists: &'a std::sync::OnceLock<Vec<Span>>,
    /// Whether the request continues care, read on first use: the rule
    /// and each of its counterfactuals ask it again.
    pub continuity: std::sync::OnceLock<crate::letter::Continuity>,
}

impl Context<'_> {
    /// Where the letter's case summary enumerates the treatment given so
    /// far ([`crate::facts::lists::treatment_lists`]), read once.
    pub fn treatment_lists(&self) -> &[Span] {
        self.treatment_lists.get_or_init(|| {
            self.letter
                .case_summary
                .as_ref()
                .map(|s| {
                    crate::facts::lists::treatment_lists(self.source, s.span.start..s.span.end)
                })
                .unwrap_or_default()
        })
    }
}

/// Another item of the letter that this item serves (a surgery, for its
/// post-operative therapy or pre-operative tests), and its decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Linked {
    pub index: usize,
    pub decision: Option<Decision>,
    /// Where the decision stands.
    pub span: Span,
}

/// What the letter documents of one fact.
#[derive(Debug, Clone)]
pub struct FactReading {
    pub status: Tri,
    /// The mentions that decided the status.
    pub evidence: Vec<Evidence>,
    /// Mentions that did not count: guideline text, hypothetical.
    pub ignored: Vec<Evidence>,
    /// Mentions that said the opposite and were outweighed.
    pub outweighed: Vec<Evidence>,
}

/// Whether the affirming mentions prevail over the negating ones: the more
/// recent dated report first, then the record over the rationale, then the
/// later statement. Of two statements that begin at the same word, the one
/// that reaches further holds the other and goes on ("straight leg raise
/// is negative on the right and positive on the left"): it is the later.
fn affirmation_prevails(positive: &[&Hit], negative: &[&Hit]) -> bool {
    let latest = |hits: &[&Hit]| hits.iter().filter_map(|h| h.date()).max();
    if let (Some(p), Some(n)) = (latest(positive), latest(negative))
        && p != n
    {
        return p > n;
    }
    let in_record = |hits: &[&Hit]| hits.iter().any(|h| h.region == Region::CaseSummary);
    match (in_record(positive), in_record(negative)) {
        (true, false) => return true,
        (false, true) => return false,
        _ => {}
    }
    let last = |hits: &[&Hit]| hits.iter().map(|h| (h.span.start, h.span.end)).max();
    last(positive) > last(negative)
}

pub(super) fn bounds(value: f64, at_least: Option<f64>, at_most: Option<f64>) -> Tri {
    if at_least.is_some_and(|lo| value < lo) || at_most.is_some_and(|hi| value > hi) {
        Tri::NotMet
    } else {
        Tri::Met
    }
}

/// Whether a mention with `status` documents `fact`: an affirmed one does, a
/// past or a planned one only when the fact says so.
pub(super) fn documents(fact: &crate::facts::Fact, status: Status) -> bool {
    match status {
        Status::Affirmed => true,
        Status::Historical => fact.historical_counts,
        Status::Hypothetical => fact.hypothetical_counts,
        Status::Negated | Status::Guideline => false,
    }
}

pub(super) fn describe(name: &str, at_least: Option<f64>, at_most: Option<f64>) -> String {
    match (at_least, at_most) {
        (Some(lo), Some(hi)) => format!("{name} between {lo} and {hi}"),
        (Some(lo), None) => format!("{name} >= {lo}"),
        (None, Some(hi)) => format!("{name} <= {hi}"),
        (None, None) => name.to_owned(),
    }
}

impl Context<'_> {
    /// A leaf criterion in words: the fact's title, or the numeric condition.
    pub fn leaf_text(&self, leaf: &Criterion) -> String {
        match leaf {
            Criterion::Fact(fact) => self.pack.facts[*fact].title.clone(),
            Criterion::Number {
                fact,
                at_least,
                at_most,
            } => describe(&self.pack.facts[*fact].title, *at_least, *at_most),
            Criterion::Quantity {
                kind,
                at_least,
                at_most,
            } => describe(kind.name(), *at_least, *at_most),
            Criterion::PatientAge { at_least, at_most } => {
                describe("patient age", *at_least, *at_most)
            }
            Criterion::All(_) | Criterion::Any(_) | Criterion::Not(_) | Criterion::AtLeast(..) => {
                "a combination of criteria".into()
            }
            other => self.other_leaf_text(other),
        }
    }

    /// Mentions of `fact` that bear on this request: those whose body sites
    /// are compatible with the request's.
    fn mentions(&self, fact: usize) -> impl Iterator<Item = &Hit> {
        self.hits
            .iter()
            .filter(move |h| h.fact == fact && body::compatible(&self.sites, h.sites()))
    }

    /// The status of a fact and the mentions behind it. When the record says
    /// both — a mention documents the fact and another states it absent —
    /// the more recent dated report wins; undated, the record (case summary)
    /// outweighs the reviewer's rationale, and within one part of the letter
    /// the later statement wins. The mentions that lost are kept.
    pub fn fact(&self, fact: usize) -> FactReading {
        self.fact_observed(fact, None)
    }

    /// [`Context::fact`], counting only mentions observed as required: a
    /// rule that needs a sign on examination leaves reported symptoms out.
    pub fn fact_observed(&self, fact: usize, observed: Option<Observed>) -> FactReading {
        let definition = &self.pack.facts[fact];
        let mine: Vec<&Hit> = self
            .mentions(fact)
            .filter(|h| match observed {
                Some(Observed::Examined) => h.observation() != Observation::Reported,
                None => true,
            })
            .collect();
        let positive: Vec<&Hit> = mine
            .iter()
            .copied()
            .filter(|h| documents(definition, h.status()))
            .collect();
        let negative: Vec<&Hit> = mine
            .iter()
            .copied()
            .filter(|h| h.status() == Status::Negated)
            .collect();
        let ignored: Vec<Evidence> = mine
            .iter()
            .filter(|h| h.status() != Status::Negated && !documents(definition, h.status()))
            .map(|h| Evidence::of(h))
            .collect();
        let evidence = |hits: &[&Hit]| hits.iter().map(|h| Evidence::of(h)).collect::<Vec<_>>();
        let (status, won, lost) = match (positive.is_empty(), negative.is_empty()) {
            (true, true) => (Tri::NotDocumented, Vec::new(), Vec::new()),
            (false, true) => (Tri::Met, evidence(&positive), Vec::new()),
            (true, false) => (Tri::NotMet, evidence(&negative), Vec::new()),
            (false, false) => {
                if affirmation_prevails(&positive, &negative) {
                    (Tri::Met, evidence(&positive), evidence(&negative))
                } else {
                    (Tri::NotMet, evidence(&negative), evidence(&positive))
                }
            }
        };
        FactReading {
            status,
            evidence: won,
            ignored,
            outweighed: lost,
        }
    }

    pub(super) fn quantity(&self, kind: QuantityKind) -> Option<f64> {
        requested(&self.item.request, kind).map(f64::from)
    }

    pub fn limit(&self, limit: &Limit) -> (Tri, Outcome) {
        let status = self
            .quantity(limit.quantity)
            .map_or(Tri::NotDocumented, |v| {
                bounds(v, limit.at_least, limit.at_most)
            });
        let outcome = Outcome {
            fact: describe(limit.quantity.name(), limit.at_least, limit.at_most),
            title: limit.reason.clone(),
            role: CriterionRole::Limit,
            status,
            evidence: Vec::new(),
            ignored: Vec::new(),
            outweighed: Vec::new(),
            from_request: true,
        };
        (status, outcome)
    }

    /// Evaluates a criterion, recording each leaf's outcome.
    pub fn eval(&self, criterion: &Criterion, role: CriterionRole, out: &mut Vec<Outcome>) -> Tri {
        match criterion {
            Criterion::Fact(fact) => {
                let reading = self.fact(*fact);
                let f = &self.pack.facts[*fact];
                out.push(Outcome {
                    fact: f.id.clone(),
                    title: f.title.clone(),
                    role,
                    status: reading.status,
                    evidence: reading.evidence,
                    ignored: reading.ignored,
                    outweighed: reading.outweighed,
                    from_request: false,
                });
                reading.status
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
                let reading = self.fact(*fact);
                let (evidence, ignored) = (reading.evidence, reading.ignored);
                // The same mentions that document the fact give its number:
                // "has completed 24 prior sessions" counts when the fact says
                // a past mention documents it.
                let definition = &self.pack.facts[*fact];
                let value = self
                    .mentions(*fact)
                    .filter(|h| documents(definition, h.status()))
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
                    outweighed: Vec::new(),
                    from_request: false,
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
                    fact: describe(kind.name(), *at_least, *at_most),
                    title: value.map_or("not stated in the request".into(), |v| {
                        format!("the request states {v}")
                    }),
                    role,
                    status,
                    evidence: Vec::new(),
                    ignored: Vec::new(),
                    outweighed: Vec::new(),
                    from_request: true,
                });
                status
            }
            Criterion::FactWith { .. }
            | Criterion::WeeksSinceInjury { .. }
            | Criterion::Phase(_)
            | Criterion::Continuing(_)
            | Criterion::LinkedProcedure
            | Criterion::Sum { .. } => {
                let outcome = self.other_leaf(criterion, role);
                let status = outcome.status;
                out.push(outcome);
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
                    outweighed: Vec::new(),
                    from_request: false,
                });
                status
            }
        }
    }
}

/// The number a request states for `kind`, as the evaluation reads it:
/// visits already authorised count as 0 when the letter states none.
pub fn requested(request: &crate::letter::Request, kind: QuantityKind) -> Option<u32> {
    let q = &request.quantity;
    let authorized = request.authorized_quantity.as_ref().and_then(|a| a.visits);
    match kind {
        QuantityKind::Visits => q.visits,
        QuantityKind::AuthorizedVisits => Some(authorized.unwrap_or(0)),
        QuantityKind::TotalVisits => q.visits.map(|v| v.saturating_add(authorized.unwrap_or(0))),
        QuantityKind::Count => q.count,
        QuantityKind::Weeks => q.weeks,
        QuantityKind::PerWeek => q.per_week,
        QuantityKind::Refills => q.refills,
        QuantityKind::PerDay => q.per_day,
        QuantityKind::DaysSupply => q.days_supply,
    }
}
