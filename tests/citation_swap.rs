//! How often `citation-mismatch` catches a swapped chapter. For every item of
//! a real letter whose reviewer cites an MTUS chapter for a body region
//! ("MTUS Low Back Complaints 2004, Section(s): Special Studies") and whose
//! rule governs a region, the chapter's region is swapped for another one
//! (Knee for any other, Low Back for Knee) and the letter audited again: the
//! check must now report a mismatch on that item. An item whose citation is
//! already a mismatch is left out. Prints the share
//! caught per half of the development letters, and the findings on the
//! letters as they are. `IMR_AUDIT_SHOW_MISSES=A` (or `B`) prints the
//! misses of that half.

use std::path::Path;

use imr_audit::finding::Check;
use imr_audit::letter::EntryKind;
use imr_audit::rules::Pack;
use imr_audit::source::Source;

use crate::util::{AuditedLetter, audited_letters, real_letters};

/// The region words of an MTUS chapter title, and what replaces them.
/// (Knee for every other chapter: the low back's chapter is not plainly
/// wrong for a thoracic request, since the upper back borders it.)
const SWAPS: [(&str, &str); 7] = [
    ("Low Back", "Knee"),
    ("Knee", "Low Back"),
    ("Neck and Upper Back", "Knee"),
    ("Shoulder", "Knee"),
    ("Elbow", "Knee"),
    ("Forearm, Wrist, and Hand", "Knee"),
    ("Ankle and Foot", "Knee"),
];

#[test]
fn citation_mismatch_catches_swapped_chapters() {
    let Some(dir) = real_letters() else { return };
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let show = std::env::var("IMR_AUDIT_SHOW_MISSES").ok();
    let (mut tried, mut caught) = ([0usize; 2], [0usize; 2]);
    let mut as_they_are = 0;
    for letter in audited_letters(&pack, &dir) {
        let AuditedLetter {
            path,
            name,
            half: h,
            source,
            audit: original,
        } = &letter;
        let h = *h;
        as_they_are += letter.count(Check::CitationMismatch);
        for (item, evaluation) in original.letter.items.iter().zip(&original.evaluations) {
            let mismatched = AuditedLetter::has(original, Check::CitationMismatch, item.index);
            let regional = !mismatched
                && evaluation
                    .rule
                    .as_ref()
                    .and_then(|r| pack.rule(&r.id))
                    .is_some_and(|r| !r.body_parts.is_empty());
            let Some(citation) = item.citations.reviewer.as_ref().filter(|_| regional) else {
                continue;
            };
            // The first MTUS chapter entry naming a region.
            let Some((at, to)) = citation
                .entries
                .iter()
                .filter(|e| e.kind == EntryKind::Mtus)
                .find_map(|e| {
                    let text = &source.text()[e.span.start..e.span.end];
                    SWAPS.iter().find_map(|(from, to)| {
                        text.find(&format!("{from} Complaints"))
                            .map(|i| (e.span.start + i..e.span.start + i + from.len(), *to))
                    })
                })
            else {
                continue;
            };
            let mut text = source.text().to_owned();
            text.replace_range(at, to);
            let swapped = imr_audit::audit::audit(&pack, Source::from_text(path.clone(), text));
            tried[h] += 1;
            if AuditedLetter::has(&swapped, Check::CitationMismatch, item.index) {
                caught[h] += 1;
            } else if show.as_deref() == Some(["A", "B"][h]) {
                eprintln!(
                    "  missed {name} #{} ({}): {}",
                    item.index,
                    evaluation.rule.as_ref().map_or("", |r| r.id.as_str()),
                    citation.raw
                );
            }
        }
    }
    for (h, label) in ["A", "B"].iter().enumerate() {
        eprintln!(
            "citation-mismatch recall, half {label}: {} of {} swapped chapters caught",
            caught[h], tried[h]
        );
    }
    eprintln!("citation-mismatch on the letters as they are: {as_they_are} findings");
    let (tried, caught): (usize, usize) = (tried.iter().sum(), caught.iter().sum());
    assert!(
        tried >= 20,
        "only {tried} regional items cite an MTUS chapter"
    );
    // Most swaps must be caught; the figures per half are in docs/VALIDATION.md.
    assert!(
        caught * 10 >= tried * 9,
        "{caught} of {tried} swapped chapters caught"
    );
}
