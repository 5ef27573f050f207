//! The rationale's own conclusion: "Therefore, the request … is not medically
//! necessary." Opioid rationales often add tapering advice after the
//! conclusion, so the last sentence is not always it: the last sentence that
//! states medical necessity of the request wins, and a sentence opening with a
//! concluding word ("Therefore", "As such") is preferred to one that does not.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Necessity};
use crate::source::Source;
use crate::text::{Flat, sentences};

static NECESSITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(not|never|cannot|can\s+not)\s+(?:to\s+)?be(?:\s+deemed|\s+considered|\s+determined\s+to\s+be)?|is|are|was|were|be|remains?|appears?(?:\s+to\s+be)?|deemed|considered|determined\s+to\s+be)\s+(not\s+|non-?)?(?:(?:medically|clinically)\s+(?:necessary|reasonable|appropriate)|necessary|supported|warranted|indicated|certified)\b").unwrap()
});
static CONCLUDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:therefore|thus|as such|accordingly|consequently|hence|in conclusion|given (?:the above|this)|based on|in summary|for these reasons|the request|this request)").unwrap()
});
static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:if|when|unless|should|until)\b|\b(?:would|could) be\b").unwrap()
});

/// The conclusion stated by the rationale at `range`, if any.
pub fn conclusion(source: &Source, range: Range<usize>) -> Option<Field<Necessity>> {
    let flat = Flat::new(source.text(), range);
    let mut best: Option<(bool, Range<usize>, Necessity)> = None;
    for sentence in sentences(&flat.text) {
        let s = &flat.text[sentence.clone()];
        let Some(c) = NECESSITY.captures(s) else {
            continue;
        };
        if CONDITIONAL.is_match(s) {
            continue;
        }
        let strong =
            CONCLUDING.is_match(s) || s.to_ascii_lowercase().contains("medically necessary");
        let necessity = if c.get(1).is_some() || c.get(2).is_some() {
            Necessity::NotNecessary
        } else {
            Necessity::Necessary
        };
        if best
            .as_ref()
            .is_none_or(|(was_strong, _, _)| strong || !was_strong)
        {
            best = Some((strong, sentence, necessity));
        }
    }
    best.map(|(_, r, necessity)| {
        let s = flat.source_range(r);
        Field::new(necessity, source.span(s.start, s.end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Necessity> {
        conclusion(&Source::from_text("t", text), 0..text.len()).map(|f| f.value)
    }

    #[test]
    fn tapering_advice_after_the_conclusion_is_skipped() {
        assert_eq!(
            of(
                "Norco is not supported. Therefore, the request for Norco is not medically necessary. Weaning is recommended and may be supported by the provider."
            ),
            Some(Necessity::NotNecessary)
        );
        assert_eq!(
            of("As such, the requested MRI is medically necessary."),
            Some(Necessity::Necessary)
        );
        assert_eq!(
            of("If red flags were present, imaging would be medically necessary."),
            None
        );
    }
}
