//! Why a rule expects what it expects: which way each criterion weighs and
//! which criteria decided the outcome, for the reports people read.
//!
//! An evaluation lists a rule's leaf criteria in the order the evaluator
//! visits them — `not_recommended_when`, then `limits`, then
//! `recommended_when`, each depth first — with a status, but not the tree
//! they sit in. This module walks the rule's tree beside that list, so each
//! leaf learns:
//!
//! - its **weight**: a met `recommended_when` criterion argues for medical
//!   necessity (for the request), a met `not_recommended_when` criterion
//!   against it, and `not:` turns either round; a criterion documented as
//!   not met weighs the other way; an exceeded limit weighs against;
//! - whether it is **decisive**: among the criteria that fixed the branch the
//!   evaluator followed (an exclusion met, a limit exceeded, or what made
//!   `recommended_when` met, not met or not documented) — the `any:` branch
//!   that was met, not the alternatives beside it;
//! - what it **measures** when it is numeric (a quantity of the request, a
//!   documented number, the patient's age), so reports can gather a family
//!   of bounds on one quantity into one line.
//!
//! The walk recombines statuses exactly as the evaluator does and checks
//! that it arrives at the evaluation's own `expected`; if the rule and the
//! list ever disagree (a different pack, a changed evaluator) it returns
//! nothing and reports fall back to the criteria's roles.

use strum::Display;

use crate::eval::{CriterionRole, Expected, ItemEvaluation, Outcome, Tri};
use crate::rules::{Criterion, Limit, Pack, QuantityKind, Undocumented};

/// Which way a criterion's status argues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Display)]
#[strum(serialize_all = "lowercase")]
pub enum Weight {
    /// For the request: toward medical necessity (overturning a denial).
    For,
    /// Against the request: toward upholding the denial.
    Against,
}

/// What a numeric criterion measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure<'a> {
    /// A quantity of the request ("requested visits").
    Request(QuantityKind),
    /// A number the letter documents for a fact ("pt_visits_completed").
    Fact(&'a str),
    /// The patient's age.
    Age,
}

/// A numeric criterion's bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
}

impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.at_least, self.at_most) {
            (Some(lo), Some(hi)) => write!(f, "between {lo} and {hi}"),
            (Some(lo), None) => write!(f, "at least {lo}"),
            (None, Some(hi)) => write!(f, "at most {hi}"),
            (None, None) => f.write_str("any number"),
        }
    }
}

/// What the walk learned about one leaf criterion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighing<'a> {
    pub weight: Option<Weight>,
    pub decisive: bool,
    pub measure: Option<(Measure<'a>, Bounds)>,
}

/// The weighing of each of `evaluation.criteria`, in order; `None` when the
/// item has no rule or the rule's tree does not match the list.
pub fn weigh<'a>(pack: &'a Pack, evaluation: &ItemEvaluation) -> Option<Vec<Weighing<'a>>> {
    let rule = pack.rule(&evaluation.rule.as_ref()?.id)?;
    let mut walk = Walk {
        pack,
        outcomes: &evaluation.criteria,
        notes: Vec::with_capacity(evaluation.criteria.len()),
    };
    let excluded = match &rule.not_recommended_when {
        Some(c) => Some(walk.node(c, CriterionRole::NotRecommendedWhen, false)?),
        None => None,
    };
    let limits = rule
        .limits
        .iter()
        .map(|l| walk.limit(l))
        .collect::<Option<Vec<_>>>()?;
    let recommended = walk.node(&rule.recommended_when, CriterionRole::RecommendedWhen, true)?;
    if walk.notes.len() != evaluation.criteria.len() {
        return None;
    }
    // The evaluator's order of precedence: an exclusion, then a limit, then
    // the criteria for medical necessity.
    let exceeded: Vec<usize> = limits
        .iter()
        .filter(|n| n.status == Tri::NotMet)
        .flat_map(|n| n.leaves.iter().copied())
        .collect();
    let (expected, decisive) = match excluded {
        Some(node) if node.status == Tri::Met => (Expected::Upheld, node.leaves),
        _ if !exceeded.is_empty() => (Expected::Upheld, exceeded),
        _ => {
            let expected = match (recommended.status, rule.undocumented) {
                (Tri::Met, _) => Expected::Overturned,
                (Tri::NotMet, _) | (Tri::NotDocumented, Undocumented::NotMet) => Expected::Upheld,
                (Tri::NotDocumented, Undocumented::Undetermined) => Expected::Undetermined,
            };
            (expected, recommended.leaves)
        }
    };
    if evaluation.expected != Some(expected) {
        return None;
    }
    for leaf in decisive {
        walk.notes[leaf].decisive = true;
    }
    Some(walk.notes)
}

/// The weight a role gives a status when no tree is at hand: the rule's
/// parts read plainly, as if no criterion sat under `not:`.
pub fn weight_by_role(role: CriterionRole, status: Tri) -> Option<Weight> {
    match role {
        CriterionRole::RecommendedWhen => weight(status, true),
        CriterionRole::NotRecommendedWhen => weight(status, false),
        CriterionRole::Limit => (status == Tri::NotMet).then_some(Weight::Against),
    }
}

/// The weight of a status when a met criterion argues for the request
/// (`for_when_met`) or against it.
fn weight(status: Tri, for_when_met: bool) -> Option<Weight> {
    let pushes_for = match status {
        Tri::Met => for_when_met,
        Tri::NotMet => !for_when_met,
        Tri::NotDocumented => return None,
    };
    Some(if pushes_for {
        Weight::For
    } else {
        Weight::Against
    })
}

/// The fact a leaf outcome must name.
#[derive(Clone, Copy)]
enum Fact<'a> {
    /// A request quantity, a limit or the age: named by their bounds.
    Unnamed,
    /// A fact criterion: its id.
    Is(&'a str),
    /// A documented number: its fact id, then the bounds.
    Leads(&'a str),
}

/// A node's status and the leaves that fixed it.
struct Node {
    status: Tri,
    leaves: Vec<usize>,
}

struct Walk<'a, 'o> {
    pack: &'a Pack,
    outcomes: &'o [Outcome],
    notes: Vec<Weighing<'a>>,
}

impl<'a> Walk<'a, '_> {
    /// Takes the next leaf outcome, checking it is the one the tree expects.
    fn leaf(&mut self, role: CriterionRole, fact: Fact, weighing: Weighing<'a>) -> Option<Node> {
        let at = self.notes.len();
        let outcome = self.outcomes.get(at)?;
        let fits = match fact {
            Fact::Unnamed => true,
            Fact::Is(id) => outcome.fact == id,
            // "pt_visits_completed >= 10"
            Fact::Leads(id) => outcome
                .fact
                .strip_prefix(id)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')),
        };
        if outcome.role != role || !fits {
            return None;
        }
        self.notes.push(weighing);
        Some(Node {
            status: outcome.status,
            leaves: vec![at],
        })
    }

    fn status(&self) -> Option<Tri> {
        self.outcomes.get(self.notes.len()).map(|o| o.status)
    }

    fn limit(&mut self, limit: &Limit) -> Option<Node> {
        let status = self.status()?;
        let measure = (
            Measure::Request(limit.quantity),
            Bounds {
                at_least: limit.at_least,
                at_most: limit.at_most,
            },
        );
        self.leaf(
            CriterionRole::Limit,
            Fact::Unnamed,
            Weighing {
                weight: weight_by_role(CriterionRole::Limit, status),
                decisive: false,
                measure: Some(measure),
            },
        )
    }

    /// Walks `criterion`; `for_when_met` says which way a met leaf argues.
    fn node(
        &mut self,
        criterion: &Criterion,
        role: CriterionRole,
        for_when_met: bool,
    ) -> Option<Node> {
        let numeric = |measure, at_least: &Option<f64>, at_most: &Option<f64>| {
            Some((
                measure,
                Bounds {
                    at_least: *at_least,
                    at_most: *at_most,
                },
            ))
        };
        let (fact, measure) = match criterion {
            Criterion::All(list) => return self.all(list, role, for_when_met),
            Criterion::Any(list) => return self.any(list, role, for_when_met),
            Criterion::AtLeast(n, list) => return self.at_least(*n, list, role, for_when_met),
            Criterion::Not(inner) => {
                let node = self.node(inner, role, !for_when_met)?;
                let status = match node.status {
                    Tri::Met => Tri::NotMet,
                    Tri::NotMet => Tri::Met,
                    Tri::NotDocumented => Tri::NotDocumented,
                };
                return Some(Node { status, ..node });
            }
            Criterion::Fact(fact) => (Fact::Is(self.pack.facts.get(*fact)?.id.as_str()), None),
            Criterion::Number {
                fact,
                at_least,
                at_most,
            } => {
                let id = self.pack.facts.get(*fact)?.id.as_str();
                (
                    Fact::Leads(id),
                    numeric(Measure::Fact(id), at_least, at_most),
                )
            }
            Criterion::Quantity {
                kind,
                at_least,
                at_most,
            } => (
                Fact::Unnamed,
                numeric(Measure::Request(*kind), at_least, at_most),
            ),
            Criterion::PatientAge { at_least, at_most } => {
                (Fact::Unnamed, numeric(Measure::Age, at_least, at_most))
            }
            // A fact read with a silence policy or a kind of observation.
            Criterion::FactWith { fact, .. } => {
                (Fact::Is(self.pack.facts.get(*fact)?.id.as_str()), None)
            }
            // Leaves named by what they read: one line each.
            Criterion::WeeksSinceInjury { .. }
            | Criterion::Phase(_)
            | Criterion::Continuing(_)
            | Criterion::LinkedProcedure
            | Criterion::Sum { .. } => (Fact::Unnamed, None),
        };
        let status = self.status()?;
        self.leaf(
            role,
            fact,
            Weighing {
                weight: weight(status, for_when_met),
                decisive: false,
                measure,
            },
        )
    }

    fn children(
        &mut self,
        list: &[Criterion],
        role: CriterionRole,
        for_when_met: bool,
    ) -> Option<Vec<Node>> {
        list.iter()
            .map(|c| self.node(c, role, for_when_met))
            .collect()
    }

    fn all(&mut self, list: &[Criterion], role: CriterionRole, for_when_met: bool) -> Option<Node> {
        let nodes = self.children(list, role, for_when_met)?;
        let status = if nodes.iter().any(|n| n.status == Tri::NotMet) {
            Tri::NotMet
        } else if nodes.iter().all(|n| n.status == Tri::Met) {
            Tri::Met
        } else {
            Tri::NotDocumented
        };
        // Met: every part counted. Otherwise the parts that failed it.
        Some(combine(nodes, status, status == Tri::Met))
    }

    fn any(&mut self, list: &[Criterion], role: CriterionRole, for_when_met: bool) -> Option<Node> {
        let nodes = self.children(list, role, for_when_met)?;
        let status = if nodes.iter().any(|n| n.status == Tri::Met) {
            Tri::Met
        } else if !nodes.is_empty() && nodes.iter().all(|n| n.status == Tri::NotMet) {
            Tri::NotMet
        } else {
            Tri::NotDocumented
        };
        // Met: the alternatives that were met. Otherwise the ones that failed it.
        Some(combine(nodes, status, false))
    }

    fn at_least(
        &mut self,
        n: usize,
        list: &[Criterion],
        role: CriterionRole,
        for_when_met: bool,
    ) -> Option<Node> {
        let nodes = self.children(list, role, for_when_met)?;
        let met = nodes.iter().filter(|c| c.status == Tri::Met).count();
        let open = nodes
            .iter()
            .filter(|c| c.status == Tri::NotDocumented)
            .count();
        let status = if met >= n {
            Tri::Met
        } else if met + open < n {
            Tri::NotMet
        } else {
            Tri::NotDocumented
        };
        Some(combine(nodes, status, false))
    }
}

/// A parent's node: the leaves of the children with the parent's status
/// (all children's when `every`).
fn combine(nodes: Vec<Node>, status: Tri, every: bool) -> Node {
    let leaves = nodes
        .into_iter()
        .filter(|n| every || n.status == status)
        .flat_map(|n| n.leaves)
        .collect();
    Node { status, leaves }
}
