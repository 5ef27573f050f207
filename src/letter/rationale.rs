//! The rationale's own conclusion — "Therefore, the request … is not
//! medically necessary" — read by meaning, for the `rationale-contradiction`
//! check.
//!
//! A sentence concludes when it states medical necessity in the reviewer's
//! own voice. Its polarity comes from a negation that reaches the necessity
//! words, with the same scopes the fact context uses: "is not considered
//! medically necessary", "does not appear medically necessary", "cannot be
//! recommended", "is not supported", "unnecessary". Sentences that only look
//! like conclusions are passed over: general or conditional statements of
//! the guideline ("MRI is usually not necessary", "is not medically
//! necessary unless …"), the history of the utilization
//! review ("the claims administrator deemed …"), conditionals ("would be
//! medically necessary if …") and the tapering advice opioid rationales
//! append. The last sentence opening with a concluding word ("Therefore", "As
//! such") or naming the request wins; when no sentence can be read, there is
//! no conclusion — and no finding.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::DualRegex;

use super::{Field, Necessity};
use crate::source::Source;
use crate::text::sentences;

fn re(pattern: &str) -> DualRegex {
    DualRegex::new(pattern).expect("built-in conclusion pattern is valid")
}

/// Words that state necessity: "medically necessary", "supported", "certified".
static NECESSITY: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:un|non-?)?(?:(?:medically|clinically)\s+)?(?:necessary|necessity|reasonable\s+and\s+necessary|appropriate|indicated|supported|warranted|certified|recommended|substantiated|established)\b",
    )
});
/// Necessity words that alone say enough to conclude ("medically necessary").
static MEDICAL: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:un|non-?)?(?:medically|clinically)\s+(?:necessary|necessity|reasonable|appropriate|indicated)|\bmedical\s+necessity\b",
    )
});
/// A negation reaching the necessity words within its clause.
static NEGATION: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:not|never|no\s+longer|cannot|can\s*not|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|fails?\s+to|failed\s+to|unable\s+to|lack\s+of|no)\b",
    )
});
/// Negation built into the word: "unnecessary", "non-certified".
static NEGATED_WORD: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:un|non-?)(?:medically|clinically|necessary|certified|supported|warranted|substantiated|established|indicated|reasonable|appropriate)",
    )
});
/// Where the words before the necessity phrase stop belonging to it.
static SCOPE_BREAK: LazyLock<DualRegex> = LazyLock::new(|| {
    re(r"(?i)[;,]|\b(?:but|however|although|though|while|whereas|because|since|given|and)\b")
});
/// Words before a conclusion that make it someone else's: the utilization
/// review, the claims administrator, a previous reviewer.
static OTHERS: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:utilization\s+review|UR|claims\s+administrator|(?:previous|prior|earlier|original)\s+(?:review|reviewer|determination|decision|UR)|previously\s+(?:deemed|denied|non-?certified|modified|found|determined)|peer\s+review(?:er)?|the\s+reviewer\s+(?:noted|stated|deemed|found)|non-?certified\s+by|was\s+(?:modified|denied)\s+by)\b",
    )
});
static CONDITIONAL: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:if|when|unless|should|until|once|in\s+the\s+event)\b|\b(?:would|could|might|may)\s+(?:be|become|then)\b|\bif\s+(?:there|the|it|he|she)\b|\bunless\b",
    )
});
/// General statements, which guidelines make and conclusions do not:
/// "MRI is usually not necessary", "for patients with".
static GENERIC: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:patients|individuals|usually|generally|routinely|typically|in\s+most\s+cases|for\s+(?:a|the)\s+patient\s+(?:with|who))\b",
    )
});
/// Advice appended to opioid decisions: not a conclusion about the request.
static ADVICE: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:should\s+not\s+be\s+interpreted|taper(?:ing)?|wean(?:ing)?|advised\s+to|consult\s+the)\b",
    )
});
static CONCLUDING: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:therefore|thus|as\s+such|accordingly|consequently|hence|in\s+conclusion|given\s+(?:the\s+above|this|these|that)|based\s+on|in\s+summary|for\s+these\s+reasons|in\s+light\s+of|as\s+a\s+result|ultimately|overall|no,|yes,|the\s+request|this\s+request|the\s+requested)|\b(?:the|this)\s+request(?:ed)?\b",
    )
});

/// The necessity word is said of something: "is supported", "be certified".
static PREDICATED: LazyLock<DualRegex> = LazyLock::new(|| {
    re(r"(?i)\b(?:is|are|was|were|be|been|being|remains?|appears?|seems?)\s+(?:\w+\s+){0,3}$")
});
/// The request is the subject.
static REQUEST: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:the|this|that)\s+(?:request|requested|proposed|treatment|service|procedure|medication|study|item)\b|\bit\b",
    )
});

/// Words a negation may stand before the necessity words.
const NEGATION_WINDOW_WORDS: usize = 6;

/// The polarity of the first necessity statement in `sentence`, when its
/// words state one.
fn polarity(sentence: &str) -> Option<Necessity> {
    let m = NECESSITY.find_iter(sentence).find(|m| {
        MEDICAL
            .find(&sentence[m.start()..])
            .is_some_and(|x| x.start() == 0)
            || (PREDICATED.is_match(&sentence[..m.start()])
                && REQUEST.is_match(&sentence[..m.start()]))
    })?;
    if NEGATED_WORD.is_match(m.as_str()) {
        return Some(Necessity::NotNecessary);
    }
    let before = &sentence[..m.start()];
    let scope_start = SCOPE_BREAK.find_iter(before).last().map_or(0, |b| b.end());
    let scope = &before[scope_start..];
    let negated = NEGATION
        .find_iter(scope)
        .any(|n| scope[n.end()..].split_whitespace().count() <= NEGATION_WINDOW_WORDS);
    Some(if negated {
        Necessity::NotNecessary
    } else {
        Necessity::Necessary
    })
}

/// The conclusion stated by the rationale at `range`, if any.
pub fn conclusion(source: &Source, range: Range<usize>) -> Option<Field<Necessity>> {
    let flat = source.flat(range);
    let sentence_ranges = sentences(&flat.text);
    let mut best: Option<(bool, Range<usize>, Necessity)> = None;
    for sentence in sentence_ranges {
        let s = &flat.text[sentence.clone()];
        if GENERIC.is_match(s)
            || CONDITIONAL.is_match(s)
            || ADVICE.is_match(s)
            || OTHERS.is_match(s)
        {
            continue;
        }
        let Some(necessity) = polarity(s) else {
            continue;
        };
        let strong = CONCLUDING.is_match(s);
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

    #[test]
    fn negations_are_read_wherever_they_stand() {
        for text in [
            "Therefore, it is not considered medically necessary.",
            "The request does not appear medically necessary.",
            "Given the lack of clear evidence of functional improvement, the request for Norco is not medically necessary.",
            "As such, the request cannot be deemed medically necessary at this time.",
            "Therefore, the requested treatment is unnecessary.",
            "The request is not supported and is therefore not medically necessary.",
            "No, the request for multilevel lumbar facet injections was not medically necessary, medically appropriate, or indicated here.",
        ] {
            assert_eq!(of(text), Some(Necessity::NotNecessary), "{text}");
        }
        for text in [
            "Given the objective functional improvement from previous treatment, the request is medically necessary.",
            "Yes, the request for physical therapy was medically necessary, medically appropriate, and indicated here.",
            "Consequently, the lumbar MRI is medically necessary.",
        ] {
            assert_eq!(of(text), Some(Necessity::Necessary), "{text}");
        }
    }

    #[test]
    fn guideline_text_and_review_history_are_not_the_conclusion() {
        assert_eq!(
            of(
                "ODG states that a repeat MRI is not medically necessary unless there is a significant change."
            ),
            None
        );
        assert_eq!(
            of("The claims administrator previously deemed the request not medically necessary."),
            None
        );
        assert_eq!(
            of(
                "The claims administrator previously deemed the request not medically necessary. The request is medically necessary."
            ),
            Some(Necessity::Necessary)
        );
    }
}
