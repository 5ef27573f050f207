//! The criteria that read more than a fact's mentions: a fact with a silence
//! policy or a required kind of observation, time from injury, the phase of
//! the condition, whether the request continues care, the decision on the
//! procedure an item serves, and sums of quantities.

use super::criteria::{Context, CriterionRole, Evidence, Outcome, Tri, bounds, describe};
use crate::facts::{Region, Status};
use crate::letter::{Continuity, Decision, Phase};
use crate::rules::{Criterion, Silence, SumPart};
use crate::source::Span;

/// Evidence pointing at a span of the letter that is not a fact's mention.
fn evidence_at(span: Span, text: &str, region: Region, context: Status) -> Evidence {
    Evidence {
        line: span.line,
        column: span.column,
        end_line: span.end_line,
        end_column: span.end_column,
        page: span.page,
        text: text.to_owned(),
        region,
        context,
        start: span.start,
        end: span.end,
    }
}

fn outcome(fact: String, title: String, role: CriterionRole, status: Tri) -> Outcome {
    Outcome {
        fact,
        title,
        role,
        status,
        evidence: Vec::new(),
        ignored: Vec::new(),
        outweighed: Vec::new(),
        from_request: false,
    }
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Acute => "acute",
        Phase::Subacute => "subacute",
        Phase::Chronic => "chronic",
    }
}

impl Context<'_> {
    /// Words for the leaves of this module.
    pub(super) fn other_leaf_text(&self, leaf: &Criterion) -> String {
        match leaf {
            Criterion::FactWith { fact, .. } => self.pack.facts[*fact].title.clone(),
            Criterion::WeeksSinceInjury { at_least, at_most } => {
                describe("weeks from injury to request", *at_least, *at_most)
            }
            Criterion::Phase(phases) => format!(
                "the condition is {} at the time of the request",
                phases
                    .iter()
                    .map(|p| phase_name(*p))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            Criterion::Continuing(true) => {
                "the request continues treatment already under way".into()
            }
            Criterion::Continuing(false) => "the request starts a new treatment".into(),
            Criterion::LinkedProcedure => {
                "the procedure this item serves was certified in the same letter".into()
            }
            Criterion::Sum {
                parts,
                at_least,
                at_most,
            } => describe(&self.sum_name(parts), *at_least, *at_most),
            _ => "a criterion".into(),
        }
    }

    fn sum_name(&self, parts: &[SumPart]) -> String {
        parts
            .iter()
            .map(|p| match p {
                SumPart::Quantity(kind) => kind.name().to_owned(),
                SumPart::Fact(fact) => lower_initial(&self.pack.facts[*fact].title),
            })
            .collect::<Vec<_>>()
            .join(" plus ")
    }

    /// Evaluates one leaf of this module.
    pub(super) fn other_leaf(&self, leaf: &Criterion, role: CriterionRole) -> Outcome {
        let text = self.other_leaf_text(leaf);
        match leaf {
            Criterion::FactWith {
                fact,
                when_silent,
                observed,
            } => self.fact_with(*fact, *when_silent, *observed, role),
            Criterion::WeeksSinceInjury { at_least, at_most } => {
                let weeks = self.timeline.weeks_since_injury;
                let status = weeks.map_or(Tri::NotDocumented, |w| bounds(w, *at_least, *at_most));
                let title = weeks
                    .map_or("the letter gives no injury or request date".into(), |w| {
                        format!("{w} weeks from the injury to the request")
                    });
                let mut o = outcome(text, title, role, status);
                o.evidence = self.date_evidence();
                o
            }
            Criterion::Phase(phases) => {
                let phase = self.timeline.phase;
                let status = phase.map_or(Tri::NotDocumented, |p| {
                    if phases.contains(&p) {
                        Tri::Met
                    } else {
                        Tri::NotMet
                    }
                });
                let title = phase
                    .map_or("the letter gives no injury or request date".into(), |p| {
                        format!("the condition was {} when requested", phase_name(p))
                    });
                let mut o = outcome(text, title, role, status);
                o.evidence = self.date_evidence();
                o
            }
            Criterion::Continuing(wanted) => {
                let status = match self.continuity() {
                    Continuity::Unstated => Tri::NotDocumented,
                    found => {
                        if (found == Continuity::Continuing) == *wanted {
                            Tri::Met
                        } else {
                            Tri::NotMet
                        }
                    }
                };
                let mut o = outcome(
                    text,
                    "read from the request's words and the record".into(),
                    role,
                    status,
                );
                o.from_request = true;
                o
            }
            Criterion::LinkedProcedure => {
                let status = match self.linked.and_then(|l| l.decision) {
                    Some(Decision::Overturned) => Tri::Met,
                    Some(Decision::Upheld) => Tri::NotMet,
                    None => Tri::NotDocumented,
                };
                let title = match self.linked {
                    Some(l) => format!(
                        "item {} (the procedure) is {}",
                        l.index,
                        l.decision.map_or("undecided".to_owned(), |d| d.to_string())
                    ),
                    None => "the letter decides no procedure this item serves".into(),
                };
                let mut o = outcome(text, title, role, status);
                if let Some(l) = self.linked {
                    o.evidence.push(evidence_at(
                        l.span,
                        &format!("item {}", l.index),
                        Region::Rationale,
                        Status::Affirmed,
                    ));
                }
                o
            }
            Criterion::Sum {
                parts,
                at_least,
                at_most,
            } => {
                let mut total = 0.0;
                let mut known = true;
                let mut evidence = Vec::new();
                for part in parts {
                    match part {
                        SumPart::Quantity(kind) => match self.quantity(*kind) {
                            Some(v) => total += v,
                            None => known = false,
                        },
                        SumPart::Fact(fact) => {
                            let reading = self.fact(*fact);
                            let definition = &self.pack.facts[*fact];
                            let value = self
                                .hits
                                .iter()
                                .filter(|h| h.fact == *fact)
                                .filter(|h| super::criteria::documents(definition, h.status()))
                                .filter_map(|h| h.value)
                                .reduce(f64::max);
                            // A count the letter does not give adds nothing.
                            total += value.unwrap_or(0.0);
                            evidence.extend(reading.evidence);
                        }
                    }
                }
                let status = if known {
                    bounds(total, *at_least, *at_most)
                } else {
                    Tri::NotDocumented
                };
                let mut o = outcome(
                    text,
                    if known {
                        format!("the total is {total}")
                    } else {
                        "the request states no quantity".into()
                    },
                    role,
                    status,
                );
                o.evidence = evidence;
                o.from_request = true;
                o
            }
            _ => outcome(text, String::new(), role, Tri::NotDocumented),
        }
    }

    /// A fact read with its silence policy: when nothing documents it either
    /// way, `not-met` counts it not met, `absent-if-listed` counts it absent
    /// where the record enumerates the treatment given (the list is the
    /// evidence), and `unknown` leaves it undocumented.
    fn fact_with(
        &self,
        fact: usize,
        when_silent: Option<Silence>,
        observed: Option<crate::rules::Observed>,
        role: CriterionRole,
    ) -> Outcome {
        let reading = self.fact_observed(fact, observed);
        let definition = &self.pack.facts[fact];
        let mut o = outcome(
            definition.id.clone(),
            definition.title.clone(),
            role,
            reading.status,
        );
        o.evidence = reading.evidence;
        o.ignored = reading.ignored;
        o.outweighed = reading.outweighed;
        if o.status != Tri::NotDocumented {
            return o;
        }
        match when_silent {
            Some(Silence::NotMet) => {
                o.status = Tri::NotMet;
                o.title = format!("{} (not documented: counted as not met)", definition.title);
            }
            Some(Silence::AbsentIfListed) if !self.treatment_lists().is_empty() => {
                o.status = Tri::NotMet;
                o.title = format!(
                    "{} (not among the treatments the record lists)",
                    definition.title
                );
                for span in self.treatment_lists() {
                    let text = self.source_text(*span);
                    o.evidence.push(evidence_at(
                        *span,
                        &text,
                        Region::CaseSummary,
                        Status::Negated,
                    ));
                }
            }
            Some(Silence::AbsentIfListed) | Some(Silence::Unknown) | None => {}
        }
        o
    }

    /// Whether the request continues care: the request's own words, else
    /// the record, when it names what is requested as care the patient is
    /// already receiving.
    fn continuity(&self) -> Continuity {
        *self.continuity.get_or_init(|| self.read_continuity())
    }

    fn read_continuity(&self) -> Continuity {
        let request = &self.item.request;
        if request.continuity != Continuity::Unstated {
            return request.continuity;
        }
        let name = request.product();
        if name.len() < 4 {
            return Continuity::Unstated;
        }
        if self.current_use_of(&name) {
            Continuity::Continuing
        } else {
            Continuity::Unstated
        }
    }

    /// Whether the case summary names the product as care given: an affirmed
    /// mention ("his medications include Norco"), not a request for it.
    fn current_use_of(&self, name: &str) -> bool {
        let Some(summary) = &self.letter.case_summary else {
            return false;
        };
        crate::facts::contexts_of(
            self.pack.scanner.context(),
            self.source,
            summary.span.start..summary.span.end,
            name,
        )
        .contains(&Status::Affirmed)
    }

    fn source_text(&self, span: Span) -> String {
        self.source
            .slice(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The header's injury and request dates, as evidence for time criteria.
    fn date_evidence(&self) -> Vec<Evidence> {
        let dates = &self.letter.dates;
        [&dates.injury, &dates.ur_denial]
            .into_iter()
            .flatten()
            .map(|d| evidence_at(d.span, &d.raw, Region::CaseSummary, Status::Affirmed))
            .collect()
    }
}

/// `text` with its first letter lowered, unless it starts an abbreviation
/// ("MRI", "TENS").
fn lower_initial(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => first
            .to_lowercase()
            .chain(text[first.len_utf8()..].chars())
            .collect(),
        _ => text.to_owned(),
    }
}
