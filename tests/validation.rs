//! Measures the rule pack on the real letters in ../shared/letters/real: the
//! share of items covered by a rule, the share of covered items decided
//! (agree or conflict), and the share of decided items that agree with the
//! reviewer. Reviewers are experts, so a faithful pack agrees with most of
//! their decisions; docs/VALIDATION.md discusses every conflict.

use std::path::Path;

use imr_audit::eval::Verdict;
use imr_audit::rules::Pack;

use crate::util::{read, real_letters};

#[test]
fn the_pack_covers_decides_and_agrees_on_the_real_letters() {
    let Some(dir) = real_letters() else { return };
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let paths = crate::util::text_files(&dir);
    let (mut items, mut covered, mut decided, mut agree) = (0usize, 0usize, 0usize, 0usize);
    let mut conflicts = Vec::new();
    let mut uncovered = Vec::new();
    for path in &paths {
        let audit = imr_audit::audit::audit(&pack, read(path));
        for (item, evaluation) in audit.letter.items.iter().zip(&audit.evaluations) {
            items += 1;
            match evaluation.verdict {
                Verdict::Uncovered => uncovered.push(format!(
                    "{}: {}",
                    path.file_name().unwrap().to_string_lossy(),
                    item.request.under_review.value
                )),
                Verdict::Undetermined => covered += 1,
                Verdict::Agree => {
                    covered += 1;
                    decided += 1;
                    agree += 1;
                }
                Verdict::Conflict => {
                    covered += 1;
                    decided += 1;
                    conflicts.push(format!(
                        "{} item {} ({}): {}",
                        path.file_name().unwrap().to_string_lossy(),
                        item.index,
                        evaluation.rule.as_ref().map_or("", |r| r.id.as_str()),
                        item.request.under_review.value
                    ));
                }
            }
        }
    }
    let pct = |n: usize, d: usize| {
        if d == 0 {
            0.0
        } else {
            100.0 * n as f64 / d as f64
        }
    };
    eprintln!(
        "validation: {items} items; covered {covered} ({:.1}%); decided {decided} of covered ({:.1}%); agree {agree} of decided ({:.1}%)",
        pct(covered, items),
        pct(decided, covered),
        pct(agree, decided)
    );
    eprintln!("uncovered:\n  {}", uncovered.join("\n  "));
    eprintln!("conflicts:\n  {}", conflicts.join("\n  "));
    assert!(pct(covered, items) >= 95.0, "coverage below 95%");
    assert!(
        pct(decided, covered) >= 80.0,
        "decided below 80% of covered"
    );
    assert!(
        pct(agree, decided) >= 90.0,
        "agreement below 90% of decided"
    );
}
