//! `date-inconsistency`: the letter's own dates cannot all be true. A header
//! date that is not a date ("10/204"; the parser also reports it as `parse`),
//! events out of order (an injury after the utilization-review denial, a
//! decision before the application was received or the case assigned, a
//! denial after the application, an assignment before the application), and
//! an age that contradicts the stated birth year.

use jiff::civil::Date;

use super::CheckContext;
use crate::finding::{Check, Finding, Severity};
use crate::letter::DateField;

/// How far an age may differ from decision year − birth year (birthdays).
const AGE_SLACK: i32 = 1;

fn fmt(date: Date) -> String {
    date.strftime("%m/%d/%Y").to_string()
}

pub fn date_inconsistency(cx: &CheckContext, out: &mut Vec<Finding>) {
    let letter = cx.letter;
    let d = &letter.dates;
    let named: [(&str, &Option<DateField>); 5] = [
        ("date of injury", &d.injury),
        ("UR denial date", &d.ur_denial),
        ("application received date", &d.application_received),
        ("date assigned", &d.assigned),
        ("decision date", &d.decision),
    ];
    for (name, field) in named {
        if let Some(field) = field
            && field.date.is_none()
        {
            out.push(
                Finding::new(
                    Check::DateInconsistency,
                    Severity::Warning,
                    format!(
                        "the {name} '{}' is not a valid date; the order of events cannot be checked against it",
                        field.raw
                    ),
                )
                .at(field.span),
            );
        }
    }
    // (earlier, later, what it means when the later comes first)
    let order: [(&str, &Option<DateField>, &str, &Option<DateField>); 5] = [
        ("date of injury", &d.injury, "UR denial date", &d.ur_denial),
        (
            "UR denial date",
            &d.ur_denial,
            "application received date",
            &d.application_received,
        ),
        (
            "application received date",
            &d.application_received,
            "date assigned",
            &d.assigned,
        ),
        (
            "application received date",
            &d.application_received,
            "decision date",
            &d.decision,
        ),
        ("date assigned", &d.assigned, "decision date", &d.decision),
    ];
    for (first_name, first, then_name, then) in order {
        let (Some(first), Some(then)) = (first, then) else {
            continue;
        };
        let (Some(a), Some(b)) = (first.date, then.date) else {
            continue;
        };
        if a > b {
            out.push(
                Finding::new(
                    Check::DateInconsistency,
                    Severity::Warning,
                    format!(
                        "the {first_name} ({}) is after the {then_name} ({}); it must come before",
                        fmt(a),
                        fmt(b)
                    ),
                )
                .at(first.span)
                .at(then.span),
            );
        }
    }
    // An age that contradicts the birth year.
    let p = &letter.patient;
    if let (Some(age), Some(born)) = (&p.age, &p.birth_year) {
        let reference = d
            .decision
            .as_ref()
            .and_then(|f| f.date.map(|date| (date, f)))
            .or_else(|| {
                d.assigned
                    .as_ref()
                    .and_then(|f| f.date.map(|date| (date, f)))
            });
        if let Some((date, field)) = reference {
            let implied = i32::from(date.year()) - i32::from(born.value);
            let stated = i32::try_from(age.value).unwrap_or(i32::MAX);
            if (implied - stated).abs() > AGE_SLACK {
                out.push(
                    Finding::new(
                        Check::DateInconsistency,
                        Severity::Warning,
                        format!(
                            "the patient is said to be {stated} years old, but born in {} they would be about {implied} on {}",
                            born.value,
                            fmt(date)
                        ),
                    )
                    .at(age.span)
                    .at(born.span)
                    .at(field.span),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(injury: &str, ur: &str, received: &str, assigned: &str, decided: &str) -> String {
        format!(
            "Case Number:\nDate Assigned:\nDecision Date:\nPriority:\n\nCM90-0000198\n{assigned}\n{decided}\nStandard\n\nDate of Injury:\nUR Denial Date:\nApplication\nReceived:\n\n{injury}\n{ur}\n{received}\n\nCLINICAL CASE SUMMARY\nThe injured worker is a 40 year old male.\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\nNaproxen 550mg #60: Upheld\nClaims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.\nDecision rationale: The request is not medically necessary.\n"
        )
    }

    use crate::rules::Pack;
    use crate::source::Source;

    fn findings(text: &str) -> (Source, Vec<Finding>) {
        let source = Source::from_text("t", text);
        let letter = crate::letter::parse(&source);
        let pack = Pack {
            name: String::new(),
            version: 0,
            catalogue: Default::default(),
            facts: Vec::new(),
            fact_origins: Vec::new(),
            rules: Vec::new(),
            renames: Default::default(),
            warnings: Vec::new(),
            lexicon: Vec::new(),
            lexicon_filter: crate::facts::prefilter::Prefilter::of_patterns(std::iter::empty()),
            scanner: crate::facts::FactScanner::new(
                &[],
                crate::facts::context::ContextTriggers::embedded().clone(),
            ),
            requests: crate::rules::RequestFilter::new(&[]),
            prepared_quotes: Default::default(),
            sources: Default::default(),
        };
        let mut out = Vec::new();
        date_inconsistency(
            &CheckContext {
                pack: &pack,
                source: &source,
                letter: &letter,
                evaluations: &[],
            },
            &mut out,
        );
        (source, out)
    }

    #[test]
    fn dates_in_order_give_nothing() {
        let (_, out) = findings(&header(
            "08/15/2016",
            "11/28/2016",
            "12/05/2016",
            "12/14/2016",
            "01/10/2017",
        ));
        assert!(out.is_empty(), "{out:#?}");
    }

    #[test]
    fn injury_after_denial_and_decision_before_assignment() {
        let (source, out) = findings(&header(
            "12/01/2016",
            "11/03/2016",
            "11/10/2016",
            "11/20/2016",
            "11/18/2016",
        ));
        assert_eq!(out.len(), 2, "{out:#?}");
        assert!(out[0].message.contains("date of injury (12/01/2016)"));
        assert_eq!(source.slice(out[0].labels[0].span), "12/01/2016");
        assert!(out[1].message.contains("date assigned (11/20/2016)"));
        assert_eq!(source.slice(out[1].labels[1].span), "11/18/2016");
    }

    #[test]
    fn malformed_date_and_contradicting_age() {
        let text = header(
            "03/14/201",
            "11/28/2016",
            "12/05/2016",
            "12/14/2016",
            "01/10/2017",
        )
        .replace(
            "40 year old male.",
            "40 year old male (date of birth 01/02/1961).",
        );
        let (source, out) = findings(&text);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert!(out[0].message.contains("'03/14/201' is not a valid date"));
        assert!(out[1].message.contains("about 56"));
        assert_eq!(source.slice(out[1].labels[0].span), "40");
    }
}
