//! The deeper checks end to end: for each, a sample letter that must trigger
//! it (at the right item and line, on the right words) and a look-alike that
//! must not.

use std::path::Path;

use imr_audit::audit::{Audit, audit};
use imr_audit::finding::{Check, Finding, Severity};
use imr_audit::rules::Pack;

use crate::util::root;

fn run(name: &str) -> Audit {
    let pack =
        Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("the default pack loads: {p:?}"));
    let path = root().join("samples").join(name);
    let source = imr_audit::input::read(&path).unwrap_or_else(|e| panic!("{e}"));
    audit(&pack, source)
}

fn of(audit: &Audit, check: Check) -> Vec<&Finding> {
    audit.findings.iter().filter(|f| f.check == check).collect()
}

/// The one finding of `check` whose message contains `needle`, as a warning.
fn expect<'a>(audit: &'a Audit, check: Check, needle: &str) -> &'a Finding {
    let found: Vec<&Finding> = of(audit, check)
        .into_iter()
        .filter(|f| f.message.contains(needle))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{check} containing {needle:?}: {:#?}",
        audit.findings
    );
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(!found[0].labels.is_empty(), "{check} has no span");
    found[0]
}

fn none(name: &str, check: Check) {
    let audit = run(name);
    let found = of(&audit, check);
    assert!(found.is_empty(), "{name}: unexpected {check}: {found:#?}");
}

#[test]
fn misquote_changed_number_and_its_paraphrase() {
    let audit = run("check-misquote.txt");
    let f = expect(
        &audit,
        Check::Misquote,
        "\"4 weeks\" where the guideline says \"2 weeks\"",
    );
    assert_eq!(f.item, Some(1));
    assert_eq!(f.rule.as_deref(), Some("therapy.chiropractic"));
    assert_eq!(f.labels[0].span.line, 54);
    assert_eq!(audit.source.slice(f.labels[0].span), "4 weeks");
    assert!(f.message.contains("numbers differ"), "{}", f.message);
    none("check-misquote-paraphrase.txt", Check::Misquote);
}

#[test]
fn hierarchy_odg_only_and_mtus_silent() {
    let audit = run("check-hierarchy.txt");
    let f = expect(&audit, Check::Hierarchy, "outside the MTUS");
    assert_eq!(f.item, Some(1));
    assert_eq!(f.rule.as_deref(), Some("therapy.physical-therapy"));
    assert_eq!(f.labels[0].span.line, 49);
    assert!(
        audit
            .source
            .slice(f.labels[0].span)
            .starts_with("Official Disability Guidelines (ODG)")
    );
    none("check-hierarchy-mtus-silent.txt", Check::Hierarchy);
}

#[test]
fn unaddressed_fact_ignored_and_weighed() {
    let audit = run("check-unaddressed-fact.txt");
    let f = expect(
        &audit,
        Check::UnaddressedFact,
        "medication_reduced_or_not_tolerated",
    );
    assert_eq!(f.item, Some(1));
    assert_eq!(f.rule.as_deref(), Some("therapy.acupuncture"));
    assert_eq!(f.labels[0].span.line, 38);
    assert!(
        audit
            .source
            .slice(f.labels[0].span)
            .starts_with("could not tolerate")
    );
    none(
        "check-unaddressed-fact-addressed.txt",
        Check::UnaddressedFact,
    );
}

#[test]
fn date_inconsistency_out_of_order_and_consistent() {
    let audit = run("check-date-inconsistency.txt");
    let order = expect(
        &audit,
        Check::DateInconsistency,
        "date of injury (12/01/2016) is after the UR denial date (11/03/2016)",
    );
    assert_eq!(order.item, None);
    assert_eq!(order.labels[0].span.line, 16);
    assert_eq!(audit.source.slice(order.labels[0].span), "12/01/2016");
    let age = expect(&audit, Check::DateInconsistency, "58 years old");
    assert_eq!(age.labels[0].span.line, 35);
    assert_eq!(audit.source.slice(age.labels[1].span), "1969");
    none("check-date-consistent.txt", Check::DateInconsistency);
}

#[test]
fn malformed_header_date_is_a_date_inconsistency_too() {
    let audit = run("malformed-dates.txt");
    let f = expect(&audit, Check::DateInconsistency, "'03/14/201'");
    assert_eq!(f.labels[0].span.line, 16);
    assert!(
        audit
            .findings
            .iter()
            .any(|p| p.check == Check::Parse && p.primary() == f.primary()),
        "the parser reports it as well"
    );
}

#[test]
fn edition_replaced_and_in_force() {
    let audit = run("check-edition.txt");
    let f = expect(&audit, Check::Edition, "the reviewer cites");
    assert_eq!(f.item, Some(1));
    assert_eq!(f.labels[0].span.line, 48);
    assert!(
        audit
            .source
            .slice(f.labels[0].span)
            .starts_with("Chronic Pain Medical Treatment 2009")
    );
    assert!(f.message.contains("01/12/2017"), "{}", f.message);
    none("check-edition-in-force.txt", Check::Edition);
}

/// The seed letter with its reviewer citation replaced by `citation`.
fn seed_citing(citation: &str) -> Audit {
    let pack =
        Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("the default pack loads: {p:?}"));
    let text = std::fs::read_to_string(root().join("samples/lumbar-xray-upheld.txt")).unwrap();
    let old = "MAXIMUS guideline: Decision based on MTUS Low Back Complaints 2004, Section(s): \n\nSpecial Studies.";
    assert!(text.contains(old), "the seed letter's citation moved");
    let text = text.replace(old, &format!("MAXIMUS guideline: {citation}"));
    audit(
        &pack,
        imr_audit::source::Source::from_text("seed-cited.txt", text),
    )
}

#[test]
fn citation_mismatch_judges_each_mtus_entry_on_its_own() {
    let knee = "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies.";
    let audit = seed_citing(knee);
    let f = expect(&audit, Check::CitationMismatch, "Knee Complaints");
    assert_eq!(f.item, Some(1));
    assert_eq!(
        audit.source.slice(f.labels[0].span),
        "Knee Complaints 2004, Section(s): Special Studies"
    );
    // A fitting ODG entry beside it does not excuse the MTUS chapter.
    let audit = seed_citing(&format!(
        "{knee} Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Low Back Chapter, X-rays."
    ));
    expect(&audit, Check::CitationMismatch, "Knee Complaints");
    // The chapter for the request's region, alone or beside the knee's ODG
    // entry, and a general document, are no mismatch.
    for citation in [
        "Decision based on MTUS Low Back Complaints 2004, Section(s): Special Studies.",
        "Decision based on MTUS Low Back Complaints 2004. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Knee Chapter.",
        "Decision based on MTUS Chronic Pain Medical Treatment Guidelines 2009.",
    ] {
        let audit = seed_citing(citation);
        assert!(
            of(&audit, Check::CitationMismatch).is_empty(),
            "{citation}: {:#?}",
            of(&audit, Check::CitationMismatch)
        );
    }
}

/// The seed letter with `sentence` added to its rationale.
fn seed_reasoning(sentence: &str) -> Audit {
    let pack =
        Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("the default pack loads: {p:?}"));
    let text = std::fs::read_to_string(root().join("samples/lumbar-xray-upheld.txt")).unwrap();
    let anchor = "The MTUS states, Lumbar spine x-rays";
    assert_eq!(
        text.matches(anchor).count(),
        1,
        "the seed letter's rationale moved"
    );
    let text = text.replacen(anchor, &format!("{sentence} {anchor}"), 1);
    audit(
        &pack,
        imr_audit::source::Source::from_text("seed-reasoned.txt", text),
    )
}

#[test]
fn a_rationale_that_names_a_category_in_its_own_words_addresses_its_facts_but_a_denial_passes_over_signs()
 {
    let deficit = |audit: &Audit| {
        of(audit, Check::UnaddressedFact)
            .iter()
            .any(|f| f.message.contains("neurological_deficit"))
    };
    assert!(deficit(&seed_reasoning("")), "the seed reports the deficit");
    // The reviewer weighs the neurological picture as a whole.
    assert!(!deficit(&seed_reasoning(
        "The neurological findings in the records were taken into account."
    )));
    // The guideline's words name the category but weigh nothing.
    assert!(deficit(&seed_reasoning(
        "The ACOEM guidelines state that imaging is indicated for progression of neurological deficits."
    )));
    // Stating the category absent passes over the signs the record found on
    // examination (diminished sensation, decreased strength): still omitted.
    assert!(deficit(&seed_reasoning(
        "There are no significant neurological deficits documented on examination."
    )));
}

#[test]
fn a_concession_that_the_record_supports_the_request_weighs_its_facts_but_a_denial_does_not() {
    let unaddressed = |audit: &Audit| of(audit, Check::UnaddressedFact).len();
    let seed = unaddressed(&seed_reasoning(""));
    assert!(seed >= 2, "the seed reports several facts: {seed}");
    // The reviewer grants the findings and decides on something else.
    assert_eq!(
        unaddressed(&seed_reasoning(
            "The patient had findings that would support the x-ray, but a repeat study is a duplicate."
        )),
        0
    );
    assert_eq!(
        unaddressed(&seed_reasoning(
            "The patient meets the criteria for imaging; the request duplicates one already authorized."
        )),
        0
    );
    // Stated absent, or in the guideline's words, it weighs nothing.
    assert_eq!(
        unaddressed(&seed_reasoning(
            "The patient does not meet the criteria for imaging."
        )),
        seed
    );
    assert_eq!(
        unaddressed(&seed_reasoning(
            "The ACOEM guidelines state that imaging is indicated for patients who meet the criteria for red flags."
        )),
        seed
    );
}

/// The physical therapy sample with its reviewer citing an ODG body-part
/// chapter and a rationale sentence paraphrasing that chapter's table.
fn pt_citing_odg_neck(sentence: &str) -> Audit {
    pt_citing(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Neck section, Physical therapy.",
        sentence,
    )
}

/// The physical therapy sample with its reviewer citing one more guideline
/// and a sentence put at the head of the rationale.
fn pt_citing(citation: &str, sentence: &str) -> Audit {
    let pack =
        Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("the default pack loads: {p:?}"));
    let text =
        std::fs::read_to_string(root().join("samples/pt-partial-authorization.txt")).unwrap();
    let cited = "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s):\nPhysical medicine treatment.";
    let rationale =
        "Decision rationale: The California MTUS 2016 Chronic Pain Guidelines recommend physical";
    assert_eq!(
        text.matches(cited).count(),
        1,
        "the sample's citation moved"
    );
    assert_eq!(
        text.matches(rationale).count(),
        1,
        "the sample's rationale moved"
    );
    let text = text
        .replacen(
            cited,
            &format!("{cited} {citation}"),
            1,
        )
        .replacen(rationale, &format!("Decision rationale: {sentence} The California MTUS 2016 Chronic Pain Guidelines recommend physical"), 1);
    audit(
        &pack,
        imr_audit::source::Source::from_text("pt-cited.txt", text),
    )
}

#[test]
fn a_number_quoted_from_an_odg_table_the_rule_holds_is_compared() {
    let changed = pt_citing_odg_neck(
        "The ODG recommends up to 17 visits of physical therapy over eight weeks.",
    );
    let f = expect(&changed, Check::Misquote, "\"17 visits\"");
    assert_eq!(f.rule.as_deref(), Some("therapy.physical-therapy"));
    // The table's own number, however paraphrased: nothing to report.
    let kept = pt_citing_odg_neck(
        "The ODG recommends up to 10 visits of physical therapy over eight weeks.",
    );
    assert!(
        of(&kept, Check::Misquote).is_empty(),
        "{:#?}",
        kept.findings
    );
}

#[test]
fn a_count_alone_under_a_body_part_chapter_is_compared_with_the_therapy_rule() {
    // The MTUS elbow chapter governs therapy for the elbow; a guideline
    // sentence that names nothing but a count speaks of the item.
    let elbow = "Decision based on MTUS Elbow Complaints 2007, Section(s): 326.";
    let changed = pt_citing(
        elbow,
        "Current guidelines recommend up to 15 sessions for the claimant's condition.",
    );
    let f = expect(&changed, Check::Misquote, "\"15 sessions\"");
    assert_eq!(f.rule.as_deref(), Some("therapy.physical-therapy"));
    let kept = pt_citing(
        elbow,
        "Current guidelines recommend up to 8 sessions for the claimant's condition.",
    );
    assert!(
        of(&kept, Check::Misquote).is_empty(),
        "{:#?}",
        kept.findings
    );
}
