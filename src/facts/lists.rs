//! Where the record enumerates the treatment given so far: "Treatment to
//! date has included medications, physical therapy and injections", "he has
//! been treated with chiropractic care and acupuncture". A list like that is
//! read as complete for what it lists, so a kind of treatment it leaves out
//! can count as not given (a rule says so with `when_silent:
//! absent-if-listed`), with the list itself as the evidence.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;

use crate::source::{Source, Span};

static LIST: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(?:(?:prior|previous|past|conservative|relevant|other)\s+)*(?:treatments?|therapies|therapy|care|management|modalities)(?:\s+(?:to\s+date|thus\s+far|so\s+far|history|rendered|received))?\s*(?:(?:has|have|had)\s+)?(?:included|includes|include|including|consisted\s+of|consists\s+of|comprised|comprises)\b|\b(?:has|have|had)\s+been\s+(?:treated|managed)\s+(?:conservatively\s+)?with\b|\b(?:treatments?|therapies)\s+(?:to\s+date|thus\s+far|so\s+far)\s*:|\b(?:prior|previous|past|conservative)\s+(?:treatments?|therapies|care)\s*:")
        .expect("built-in treatment-list pattern")
});

/// The spans of the case summary at `range` that enumerate treatment given:
/// from the words that open the list to the end of their sentence.
pub fn treatment_lists(source: &Source, range: Range<usize>) -> Vec<Span> {
    let flat = source.flat(range);
    let mut out = Vec::new();
    for sentence in flat.sentences() {
        let text = &flat.text[sentence.clone()];
        if let Some(m) = LIST.find(text) {
            let list = sentence.start + m.end()..sentence.end;
            // One kind of treatment is a list too ("Treatment to date:
            // medications."); an opener with nothing after it is not.
            if flat.text[list.clone()].chars().any(char::is_alphabetic) {
                let src = flat.source_range(list);
                out.push(source.span(src.start, src.end));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(text: &str) -> Vec<String> {
        let source = Source::from_text("t", text);
        treatment_lists(&source, 0..text.len())
            .into_iter()
            .map(|s| source.slice(s).to_owned())
            .collect()
    }

    #[test]
    fn enumerations_of_treatment_are_found() {
        assert_eq!(
            lists(
                "He hurt his back. Treatment to date has included medications, physical therapy and injections. He is off work."
            ),
            [" medications, physical therapy and injections."]
        );
        assert_eq!(
            lists("She has been treated with chiropractic care and acupuncture."),
            [" chiropractic care and acupuncture."]
        );
        assert!(lists("He reports pain in the knee.").is_empty());
        // One kind of treatment, and the colon form.
        assert_eq!(
            lists("Treatment to date has included medications."),
            [" medications."]
        );
        assert_eq!(
            lists("Prior treatment: acupuncture and medications."),
            [" acupuncture and medications."]
        );
        assert!(lists("Plan of care: acupuncture twice weekly.").is_empty());
        assert!(lists("Treatment to date has included.").is_empty());
    }
}
