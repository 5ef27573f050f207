//! `edition`: a cited guideline document that was not in force when the
//! decision was made — the 2009 Chronic Pain Medical Treatment Guidelines
//! cited in 2017, a 2016 document cited before 28 July 2016, ACOEM 2004
//! chapters after the December 2017 update.
//!
//! The reviewer's citations are checked against the letter's decision date.
//! The claims administrator decided earlier, at utilization review, so its
//! citations are checked against the UR denial date when the letter gives
//! one (the decision date otherwise): an edition that was current at UR and
//! replaced before the IMR decision is not the administrator's error.

use jiff::civil::Date;

use super::CheckContext;
use crate::finding::{Check, Finding, Severity};
use crate::letter::Citation;

fn fmt(date: Date) -> String {
    date.strftime("%m/%d/%Y").to_string()
}

pub fn edition(cx: &CheckContext, out: &mut Vec<Finding>) {
    let (pack, letter) = (cx.pack, cx.letter);
    let Some(decided) = letter.dates.decision.as_ref().and_then(|d| d.date) else {
        return;
    };
    let ur = letter.dates.ur_denial.as_ref().and_then(|d| d.date);
    for (item, evaluation) in cx.items() {
        let sides: [(&str, &Option<Citation>, Date, &str); 2] = [
            ("reviewer", &item.citations.reviewer, decided, "decided"),
            (
                "claims administrator",
                &item.citations.claims_administrator,
                ur.unwrap_or(decided),
                if ur.is_some() {
                    "denied at utilization review"
                } else {
                    "decided"
                },
            ),
        ];
        for (who, citation, on, event) in sides {
            let Some(citation) = citation else { continue };
            for entry in &citation.entries {
                let Some(doc) = entry
                    .key
                    .as_deref()
                    .and_then(|k| pack.catalogue.document(k))
                else {
                    continue;
                };
                if doc.in_force.is_open() || doc.in_force.contains(on) {
                    continue;
                }
                let when = match (doc.in_force.from, doc.in_force.until) {
                    (Some(from), _) if on < from => format!("took effect only on {}", fmt(from)),
                    (_, Some(until)) => format!("was replaced after {}", fmt(until)),
                    _ => format!("was in force {}", doc.in_force),
                };
                let edition = doc
                    .edition
                    .as_deref()
                    .map(|e| format!(" ({e} edition)"))
                    .unwrap_or_default();
                let assumed = if entry.year.is_none()
                    && doc
                        .edition
                        .as_deref()
                        .is_some_and(|e| !entry.text.contains(e))
                {
                    " — the letter gives no year; the catalogue reads it as this edition"
                } else {
                    ""
                };
                let mut finding = Finding::new(
                    Check::Edition,
                    Severity::Warning,
                    format!(
                        "item {}: the {who} cites {}{edition}, which {when}, but the case was {event} on {}{assumed}",
                        item.index,
                        doc.title,
                        fmt(on)
                    ),
                )
                .for_item(item.index)
                .at(entry.span);
                if let Some(rule) = &evaluation.rule
                    && pack
                        .rule(&rule.id)
                        .is_some_and(|r| r.cited_documents().any(|d| d == doc.key))
                {
                    finding = finding.with_rule(rule.id.clone());
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(decided: &str, ur: &str, cited: &str) -> String {
        format!(
            "Case Number:\nDate Assigned:\nDecision Date:\nPriority:\n\nCM90-0000197\n12/14/2016\n{decided}\nStandard\n\nDate of Injury:\nUR Denial Date:\nApplication\nReceived:\n\n08/15/2015\n{ur}\n12/05/2016\n\nCLINICAL CASE SUMMARY\nThe injured worker is a 40 year old male with low back pain.\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\nNaproxen 550mg #60: Upheld\nClaims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2009.\nMAXIMUS guideline: Decision based on MTUS {cited}.\nDecision rationale: The request is not medically necessary.\n"
        )
    }

    use crate::rules::Pack;
    use crate::source::Source;

    fn run(text: &str) -> (Source, Vec<Finding>) {
        let pack = Pack::load(&[] as &[&std::path::Path]).expect("the default pack loads");
        let source = Source::from_text("t", text);
        let mut l = crate::letter::parse(&source);
        pack.catalogue.annotate(&mut l);
        let evaluations = crate::eval::evaluate(&pack, &source, &l);
        let mut out = Vec::new();
        edition(
            &CheckContext {
                pack: &pack,
                source: &source,
                letter: &l,
                evaluations: &evaluations,
            },
            &mut out,
        );
        (source, out)
    }

    #[test]
    fn a_replaced_edition_is_reported_at_its_entry() {
        let (source, out) = run(&letter(
            "01/10/2017",
            "11/28/2016",
            "Chronic Pain Medical Treatment 2009, Section(s): NSAIDs",
        ));
        // The reviewer (2017) and the administrator (UR 11/28/2016) both cite 2009.
        assert_eq!(out.len(), 2, "{out:#?}");
        let reviewer = out
            .iter()
            .find(|f| f.message.contains("the reviewer"))
            .unwrap();
        assert!(reviewer.message.contains("was replaced after 07/27/2016"));
        assert!(
            source
                .slice(reviewer.labels[0].span)
                .starts_with("Chronic Pain Medical Treatment 2009")
        );
    }

    #[test]
    fn an_edition_in_force_is_not() {
        let (_, out) = run(&letter(
            "01/10/2017",
            "06/28/2016",
            "Chronic Pain Medical Treatment 2016, Section(s): NSAIDs",
        ));
        // The administrator denied on 06/28/2016, when the 2009 edition was in force.
        assert!(out.is_empty(), "{out:#?}");
    }

    #[test]
    fn a_document_cited_before_it_took_effect() {
        let (_, out) = run(&letter(
            "06/01/2016",
            "04/28/2016",
            "Chronic Pain Medical Treatment 2016, Section(s): NSAIDs",
        ));
        assert_eq!(out.len(), 1, "{out:#?}");
        assert!(out[0].message.contains("took effect only on 07/28/2016"));
    }
}
