//! `unaddressed-fact`: a fact the item's rule turns on is affirmed in the case
//! summary (the criterion is met on the record), yet the item's rationale never
//! mentions it — not even to deny or discount it. Reported once per fact per
//! item, pointing at the summary's words.
//!
//! Only facts that weigh against the letter's decision are reported: for an
//! upheld item, facts that make the rule recommend the treatment (met in
//! `recommended_when`, or negated inside `not_recommended_when`); for an
//! overturned item, facts that make it not recommended. A fact that agrees
//! with the decision needs no answer from the reviewer, and one that argues
//! both ways (through `not` in one branch and plainly in another) is left
//! alone. The seed case: a
//! lumbar X-ray upheld while the summary documents gait difficulty and new
//! deficits — red flags that would support the X-ray — and the rationale
//! never weighs them.
//!
//! A mention is any hit of the fact in the rationale, whatever its context
//! (negated, hypothetical, quoted guideline). A hit of another fact counts too
//! when that fact was detected in the same words of the summary (two
//! detectors reading one record: "8 sessions of physical therapy" is both
//! therapy received and a visit count) or belongs to the same `concept` ("no
//! evidence of nerve compromise" addresses "decreased sensation"), and so
//! does a category that names the fact as part of a whole (a fact with
//! `addresses`: "the neurological findings", "imaging indicative of
//! meniscal pathology"). These two count only in the reviewer's own words:
//! a guideline quoted about them restates a criterion and weighs no fact.
//! A category stated absent ("no significant neurological deficits")
//! weighs the symptoms the record reports, not the signs it found on
//! examination or imaging. Facts of
//! another body region never reach here: the evaluation counts only mentions
//! compatible with the request's sites. A fact met only by a plan or request
//! in the record ("surgery is scheduled", under a pre-operative test) is what
//! the item presupposes, not an omission: only affirmed or historical
//! evidence is reported.
//! One finding is made per piece of evidence, however many facts read it.
//!
//! `record-contradiction`: when the rationale states absent what the summary
//! documents (and no more recent report outweighs the summary), the reviewer
//! has not ignored the fact but contradicted the record — reported as a
//! finding of its own, quoting both.

use super::CheckContext;
use crate::eval::{CriterionRole, Tri};
use crate::facts::body::Observation;
use crate::facts::{Region, Status};
use crate::finding::{Check, Finding, Label, Severity};
use crate::letter::Decision;
use crate::rules::{Criterion, Pack};

/// The fact a criterion outcome is about: its id, or the id leading a numeric
/// criterion's description ("pt_visits_completed >= 10").
fn fact_of(pack: &Pack, outcome_fact: &str) -> Option<usize> {
    pack.fact(outcome_fact).or_else(|| {
        let head = outcome_fact.split_whitespace().next()?;
        pack.fact(head)
    })
}

/// Facts a criterion uses, each with the side it pushes the criterion to
/// (`true`: towards met). A numeric fact pushes both ways.
fn polarities(criterion: &Criterion, positive: bool, out: &mut Vec<(usize, bool)>) {
    match criterion {
        Criterion::Fact(fact) | Criterion::FactWith { fact, .. } => out.push((*fact, positive)),
        Criterion::All(list) | Criterion::Any(list) | Criterion::AtLeast(_, list) => {
            for c in list {
                polarities(c, positive, out);
            }
        }
        Criterion::Not(inner) => polarities(inner, !positive, out),
        Criterion::Number { fact, .. } => {
            out.push((*fact, positive));
            out.push((*fact, !positive));
        }
        Criterion::Sum { parts, .. } => {
            for part in parts {
                if let crate::rules::SumPart::Fact(fact) = part {
                    out.push((*fact, positive));
                    out.push((*fact, !positive));
                }
            }
        }
        // Bounds on the request, the patient's age, the time line and the
        // linked procedure name no fact.
        _ => {}
    }
}

/// The decisions a met fact argues for under a rule.
fn argues_for(rule: &crate::rules::Rule, fact: usize) -> Vec<Decision> {
    let mut recommended = Vec::new();
    polarities(&rule.recommended_when, true, &mut recommended);
    let mut excluded = Vec::new();
    if let Some(c) = &rule.not_recommended_when {
        polarities(c, true, &mut excluded);
    }
    let mut out = Vec::new();
    if recommended.contains(&(fact, true)) || excluded.contains(&(fact, false)) {
        out.push(Decision::Overturned);
    }
    if recommended.contains(&(fact, false)) || excluded.contains(&(fact, true)) {
        out.push(Decision::Upheld);
    }
    out
}

/// Whether the rationale addresses a fact: it mentions the fact (in any
/// context — to deny it, to quote the guideline about it), a fact detected in
/// the same words of the summary, or any fact of the same concept ("no
/// evidence of nerve compromise" addresses decreased sensation). A fact
/// that argues for the request is also weighed by a concession in the
/// reviewer's own words that the record supports the request ("had findings
/// that would support acute rehabilitation"): the reviewer granted it and
/// decided on something else.
fn addressed(
    pack: &Pack,
    evaluation: &crate::eval::ItemEvaluation,
    fact: usize,
    summary_spans: &[(usize, usize)],
    signs: bool,
    against: Decision,
) -> bool {
    let concept = pack.facts[fact].concept.as_deref();
    let related: Vec<usize> = evaluation
        .hits
        .iter()
        .filter(|h| {
            h.region == Region::CaseSummary
                && summary_spans
                    .iter()
                    .any(|(start, end)| h.span.start < *end && *start < h.span.end)
        })
        .map(|h| h.fact)
        .collect();
    evaluation.hits.iter().any(|h| {
        if h.region != Region::Rationale {
            return false;
        }
        if h.fact == fact || related.contains(&h.fact) {
            return true;
        }
        if pack.facts[h.fact].concedes_request
            && h.status() == Status::Affirmed
            && against == Decision::Overturned
        {
            return true;
        }
        // Another fact of the concept, or a category naming this one as
        // part of a whole, counts in the reviewer's own words only: a
        // guideline quoted about them ("imaging for progression of
        // neurological deficits") restates a criterion and weighs nothing.
        let of_concept = concept.is_some_and(|c| pack.facts[h.fact].concept.as_deref() == Some(c));
        // A category stated absent ("no significant neurological
        // deficits") weighs the symptoms the record reports, but passes over
        // signs the record found: the omission stands.
        let names_it = pack.facts[h.fact].addresses.contains(&fact)
            && !(signs && h.status() == Status::Negated);
        h.status() != Status::Guideline && (of_concept || names_it)
    })
}

fn weighs(against: Decision) -> &'static str {
    match against {
        Decision::Overturned => "overturning (medically necessary)",
        Decision::Upheld => "upholding (not medically necessary)",
    }
}

pub fn unaddressed_fact(cx: &CheckContext, out: &mut Vec<Finding>) {
    let pack = cx.pack;
    for (item, evaluation) in cx.items() {
        let Some(rule) = &evaluation.rule else {
            continue;
        };
        let Some(full_rule) = pack.rule(&rule.id) else {
            continue;
        };
        if item.rationale.is_none() {
            continue;
        }
        let decision = item.decision.as_ref().map(|d| d.value);
        let mut seen: Vec<usize> = Vec::new();
        // One finding per piece of evidence: two facts read from the same
        // words of the summary are one omission.
        let mut reported: Vec<(usize, usize)> = Vec::new();
        for outcome in &evaluation.criteria {
            if outcome.status != Tri::Met || outcome.role == CriterionRole::Limit {
                continue;
            }
            let Some(fact) = fact_of(pack, &outcome.fact) else {
                continue;
            };
            if seen.contains(&fact) {
                continue;
            }
            // A plan or a request in the record ("surgery is scheduled") is
            // what the item presupposes, not a finding the reviewer must
            // weigh: only documented facts count.
            let in_summary: Vec<_> = outcome
                .evidence
                .iter()
                .filter(|e| e.region == Region::CaseSummary)
                .filter(|e| e.context != crate::facts::Status::Hypothetical)
                .filter(|e| !reported.iter().any(|(s, t)| e.start < *t && *s < e.end))
                .collect();
            if in_summary.is_empty() {
                continue;
            }
            seen.push(fact);
            // A fact that argues both ways (it depends on the others) is not
            // clearly against the decision.
            let against = match argues_for(full_rule, fact).as_slice() {
                [side] if decision != Some(*side) => *side,
                _ => continue,
            };
            let spans: Vec<(usize, usize)> = in_summary.iter().map(|e| (e.start, e.end)).collect();
            let f = &pack.facts[fact];
            let quoted: Vec<String> = in_summary
                .iter()
                .map(|e| format!("\"{}\"", e.text))
                .take(3)
                .collect();
            // The rationale states absent what the record documents: a
            // contradiction of the record, not an omission.
            let denials: Vec<_> = outcome
                .outweighed
                .iter()
                .filter(|e| e.region == Region::Rationale && e.context == Status::Negated)
                .collect();
            // A rationale that also states the fact present ("was prescribed
            // an NSAID ... was not on long-term NSAIDs before") weighs it:
            // no contradiction.
            let affirmed_in_rationale = outcome
                .evidence
                .iter()
                .any(|e| e.region == Region::Rationale && e.context == Status::Affirmed);
            if affirmed_in_rationale {
                continue;
            }
            if let Some(denial) = denials.first() {
                reported.extend(&spans);
                let mut finding = Finding::new(
                    Check::RecordContradiction,
                    Severity::Warning,
                    format!(
                        "item {}: the rationale states {} absent (\"{}\"), but the case summary documents it ({}: {}); under {} it weighs toward {}",
                        item.index,
                        f.title.trim_end_matches('.'),
                        denial.text,
                        f.id,
                        quoted.join(", "),
                        rule.id,
                        weighs(against)
                    ),
                )
                .for_item(item.index)
                .with_rule(rule.id.clone())
                .with_label(Label::evidence(&outcome.fact, denial));
                for e in &in_summary {
                    finding = finding.with_label(Label::evidence(&outcome.fact, e));
                }
                out.push(finding);
                continue;
            }
            // Signs the record found on examination or imaging, rather than
            // symptoms the patient reports.
            let signs = in_summary.iter().any(|e| {
                evaluation.hits.iter().any(|h| {
                    h.fact == fact
                        && h.region == Region::CaseSummary
                        && h.span.start == e.start
                        && h.observation() == Observation::Examined
                })
            });
            if addressed(pack, evaluation, fact, &spans, signs, against) {
                continue;
            }
            reported.extend(&spans);
            let mut finding = Finding::new(
                Check::UnaddressedFact,
                Severity::Warning,
                format!(
                    "item {}: the case summary documents {} ({}: {}), which under {} weighs toward {}, but the rationale never mentions it",
                    item.index,
                    f.title.trim_end_matches('.'),
                    f.id,
                    quoted.join(", "),
                    rule.id,
                    weighs(against)
                ),
            )
            .for_item(item.index)
            .with_rule(rule.id.clone());
            for e in in_summary {
                finding = finding.with_label(Label::evidence(&outcome.fact, e));
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    const SUMMARY: &str = "She could not tolerate her anti-inflammatory medication because of gastritis. She is attending physical therapy twice a week.";

    fn letter_with(rationale: &str) -> String {
        format!(
            "Case Number:\nDecision Date:\n\nCM90-0000199\n03/15/2016\n\nCLINICAL CASE SUMMARY\n{SUMMARY}\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\nAcupuncture for the neck, 6 sessions: Upheld\nClaims Administrator guideline: Decision based on MTUS Acupuncture Medical Treatment 2007.\nMAXIMUS guideline: Decision based on MTUS Acupuncture Medical Treatment 2007.\nDecision rationale: {rationale}\n"
        )
    }

    fn run(text: String) -> Vec<Finding> {
        let pack = Pack::load(&[] as &[&std::path::Path]).expect("the default pack loads");
        let source = Source::from_text("t", text);
        let mut letter = crate::letter::parse(&source);
        pack.catalogue.annotate(&mut letter);
        let evaluations = crate::eval::evaluate(&pack, &source, &letter);
        let mut out = Vec::new();
        unaddressed_fact(
            &CheckContext {
                pack: &pack,
                source: &source,
                letter: &letter,
                evaluations: &evaluations,
            },
            &mut out,
        );
        out
    }

    #[test]
    fn a_met_fact_the_rationale_ignores_is_reported_once() {
        let findings = run(letter_with(
            "Acupuncture is an option in some cases. The request is not medically necessary.",
        ));
        let about: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.message.contains("medication_reduced_or_not_tolerated"))
            .collect();
        assert_eq!(about.len(), 1, "{findings:#?}");
        assert_eq!(about[0].item, Some(1));
        assert_eq!(about[0].labels[0].span.line, 8);
    }

    #[test]
    fn a_plan_the_request_presupposes_is_not_an_omission() {
        let text = "Case Number:\nDecision Date:\n\nCM90-0000198\n03/15/2016\n\nCLINICAL CASE SUMMARY\nThe injured worker is a 66 year old woman with right knee osteoarthritis. She is scheduled for a total knee arthroplasty. She has coronary artery disease with a prior myocardial infarction.\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\nPre-operative EKG: Upheld\nClaims Administrator guideline: Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Low Back, Preoperative electrocardiogram (ECG).\nMAXIMUS guideline: Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Low Back, Preoperative electrocardiogram (ECG).\nDecision rationale: The request is not medically necessary.\n";
        let findings = run(text.to_owned());
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("perioperative_cardiac_risk_factor")),
            "{messages:#?}"
        );
        // The surgery is only planned ("is scheduled for a total knee
        // arthroplasty"): what the test presupposes, not an omission.
        for planned in ["surgery_scheduled_or_done", "intermediate_risk_surgery"] {
            assert!(
                !messages.iter().any(|m| m.contains(planned)),
                "{planned}: {messages:#?}"
            );
        }
    }

    #[test]
    fn a_fact_the_rationale_weighs_is_not() {
        let findings = run(letter_with(
            "She could not tolerate her anti-inflammatory medication, and she is attending physical therapy. The request is not medically necessary.",
        ));
        assert!(
            !findings
                .iter()
                .any(|f| f.message.contains("medication_reduced_or_not_tolerated")),
            "{findings:#?}"
        );
    }
}
