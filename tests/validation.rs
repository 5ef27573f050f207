//! Measures the rule pack's judgement on the real letters in
//! ../shared/letters/real, in a way the base rate cannot flatter: reviewers
//! uphold about nine items in ten, so beside agreement it reports Cohen's
//! kappa, balanced accuracy, the recall of each decision, the score of a
//! constant "upheld" answer and the share of agreements that rest only on
//! silence. docs/VALIDATION.md discusses the figures and every conflict.
//!
//! The letters are split in two halves by a rule that does not look at their
//! content — the one the context gold set uses (docs/CONTEXT.md): half A
//! holds the letters whose file name's digits sum to an even number, half B
//! the odd. Rules and detectors are developed against half A; half B says
//! how they generalise.

use std::path::Path;

use imr_audit::eval::{Agreement, Measures, Verdict};
use imr_audit::rules::Pack;

use crate::util::{half, read, real_letters};

fn percent(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |v| format!("{:.1}%", 100.0 * v))
}

fn line(name: &str, items: usize, covered: usize, m: &Measures) -> String {
    format!(
        "{name}: {items} items; covered {covered}; decided {} ({}); agreement {} (constant upheld {}); kappa {}; balanced accuracy {}; overturned recall {}; upheld recall {}; agreements on silence {}",
        m.decided,
        percent((covered > 0).then(|| m.decided as f64 / covered as f64)),
        percent(m.agreement),
        percent(m.constant_upheld_agreement),
        m.cohen_kappa.map_or("n/a".into(), |k| format!("{k:.2}")),
        percent(m.balanced_accuracy),
        percent(m.overturned_recall),
        percent(m.upheld_recall),
        percent(m.agreements_on_silence),
    )
}

#[test]
fn the_pack_judges_the_real_letters_beyond_the_base_rate() {
    let Some(dir) = real_letters() else { return };
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let paths = crate::util::text_files(&dir);
    let mut halves = [(Agreement::default(), 0usize, 0usize); 2];
    let mut conflicts = Vec::new();
    let mut uncovered = Vec::new();
    for path in &paths {
        let audit = imr_audit::audit::audit(&pack, read(path));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let half = half(&name);
        let slot = &mut halves[usize::from(half == 'B')];
        for (item, evaluation) in audit.letter.items.iter().zip(&audit.evaluations) {
            slot.0
                .add(item.decision.as_ref().map(|d| d.value), evaluation);
            slot.1 += 1;
            if evaluation.verdict != Verdict::Uncovered {
                slot.2 += 1;
            }
            let rule = evaluation.rule.as_ref().map_or("", |r| r.id.as_str());
            match evaluation.verdict {
                Verdict::Uncovered => uncovered.push(format!(
                    "{name} ({half}): {}",
                    item.request.under_review.value
                )),
                Verdict::Conflict => conflicts.push(format!(
                    "{name} ({half}) item {} ({rule}): {}",
                    item.index, item.request.under_review.value
                )),
                _ => {}
            }
        }
    }
    let mut all = Agreement::default();
    all.merge(&halves[0].0);
    all.merge(&halves[1].0);
    let items = halves[0].1 + halves[1].1;
    let covered = halves[0].2 + halves[1].2;
    let measures = all.measures();
    eprintln!("validation (development letters):");
    eprintln!("  {}", line("all", items, covered, &measures));
    eprintln!(
        "  {}",
        line("half A", halves[0].1, halves[0].2, &halves[0].0.measures())
    );
    eprintln!(
        "  {}",
        line("half B", halves[1].1, halves[1].2, &halves[1].0.measures())
    );
    eprintln!("uncovered:\n  {}", uncovered.join("\n  "));
    eprintln!("conflicts:\n  {}", conflicts.join("\n  "));

    assert!(
        covered * 100 >= items * 95,
        "coverage below 95%: {covered} of {items}"
    );
    assert!(
        measures.decided * 100 >= covered * 75,
        "decided below 75% of covered: {} of {covered}",
        measures.decided
    );
    let kappa = measures.cohen_kappa.expect("decided items");
    assert!(kappa >= 0.8, "Cohen's kappa {kappa:.2} below 0.8");
    assert!(
        measures.agreement > measures.constant_upheld_agreement,
        "agreement {:?} does not beat a constant 'upheld' ({:?})",
        measures.agreement,
        measures.constant_upheld_agreement
    );
}

#[test]
fn halves_follow_the_digits_of_the_file_name() {
    // 1+6+0+2+1+9+5+5+7 = 36, even; 1+7+0+0+0+4+7+3+8 = 30, even; 1+6+2+3+5+9+9+1 = 36.
    assert_eq!(half("CM16-0219557.txt"), 'A');
    assert_eq!(half("CM17-0004739.txt"), 'B');
    assert_eq!(half("2013-fragment-functional-restoration.txt"), 'A');
}
