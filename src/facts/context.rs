//! Classifies a fact's mention by its context, after ConText and NegEx: a
//! trigger opens a scope that runs to the end of the sentence or to a
//! terminator ("but", "however", "although", ";"). A sentence presented as
//! guideline text — "The MTUS states", "guidelines recommend", "ODG", or
//! inside quotation marks — is never a fact about the patient.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// What a mention says about the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    /// Documented as present.
    Affirmed,
    /// Documented as absent ("no red flags").
    Negated,
    /// Conditional or possible ("if", "should", "rule out").
    Hypothetical,
    /// In the past ("history of", "prior", "(2011)").
    Historical,
    /// Guideline text quoted or paraphrased by the reviewer.
    Guideline,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in context pattern is valid")
}

static TERMINATOR: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:but|however|although|though|except|aside from|apart from|yet|whereas|while)\b|;")
});
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:MTUS|ACOEM|ODG|Official Disability Guidelines?|guidelines?|CPMTG|Chronic Pain Medical Treatment|Opioids? Treatment|American College of Occupational)\b[^.;]{0,80}?\b(?:state|states|stated|recommend|recommends|recommended|indicate|indicates|indicated|support|supports|note|notes|specify|specifies|allow|allows|require|requires|endorse|endorses|advise|advises|suggest|suggests|define|defines|consider|considers|describe|describes|criteria|reserve|reserves)\b",
    )
});
static ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:according to|per|as per|under|based on|consistent with)\s+(?:the\s+)?(?:[\w/-]+\s+){0,4}?(?:guidelines?|MTUS|ACOEM|ODG)\b",
    )
});
static GUIDELINE_VOICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:is|are|be|is not|are not|not)\s+(?:\w+\s+)?recommended\b|\brecommended (?:for|in|when|only|as)\b|\bare indicated\b|\bcriteria for\b|\bindications? for\b|\b(?:is|are) (?:only )?(?:supported|indicated|warranted|appropriate) (?:for|when|if|in)\b|\bmay be (?:considered|indicated|warranted|supported)\b|\b(?:in|for) (?:patients|individuals|those|workers|injured workers|people) (?:with|who)\b",
    )
});
static PATIENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:the (?:injured )?(?:worker|patient|claimant|employee|individual)|he|she|his|her|this (?:case|patient|request)|in this case|the request|the records?|documentation)\b",
    )
});
static HYPOTHETICAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:if|should|would|could|may be appropriate|might|in case of|in the event|rule out|to rule out|r/o|consider|considering|unless|whether|possible|possibly|potential|suspected|concern for|evaluate for)\b",
    )
});
static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:no|not|denies|denied|without|negative for|absence of|absent|free of|ruled out|none|never|lack of|lacks|lacking|nor|neither|fails to (?:show|document|demonstrate)|did not (?:show|document|demonstrate|indicate|reveal|have))\b",
    )
});
static NEGATION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[\s,:]*(?:(?:was|were|is|are|has been|have been|had been)\s+)?(?:negative|absent|not (?:present|noted|documented|seen|found|reported|evident)|unremarkable|none|denied|ruled out)\b",
    )
});
/// A negation stated after the mention, within its scope: "functional
/// improvement ... is not documented", "the MRI was negative".
static NEGATION_LATER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:is|are|was|were|has been|have been|had been)\s+(?:not|never)\s+(?:been\s+)?(?:documented|noted|reported|evident|present|found|shown|demonstrated|established|seen|objectified|quantified|identified|described|specified)\b|\b(?:is|are|was|were)\s+(?:negative|absent|lacking)\b",
    )
});
/// A negation of the record itself, which reaches over a longer clause than
/// NegEx's window: "there was a lack of documentation indicating the patient
/// had a history of bleeding ... or that she was taking anticoagulants".
static NEGATION_OF_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:lack|absence) of|no|without|not any|insufficient|inadequate)\s+(?:\w+\s+){0,2}?(?:documentation|evidence|indication|report|records?|mention|findings?)\s+(?:of|that|to (?:indicate|suggest|show|support)|indicating|suggesting|showing|demonstrating|documenting|regarding|whether)\b|\b(?:does|did|do)\s+not\s+(?:\w+\s+)?(?:document|indicate|show|demonstrate|establish|mention|describe|support)\b|\bfail(?:s|ed)?\s+to\s+(?:document|indicate|show|demonstrate|establish|mention|describe)\b|\bnot\s+(?:been\s+)?(?:documented|established|shown|demonstrated)\s+that\b",
    )
});
/// Words a negation of the record reaches.
const RECORD_NEGATION_WINDOW_WORDS: usize = 24;
/// Where a clause joined by a comma starts over: ", and the patient ...".
static NEW_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i),\s*(?:and|with|as well as)\s+(?:the|he|she|his|her|there)\b"));

/// Words after the hit a later negation may stand.
const LATER_NEGATION_WINDOW_WORDS: usize = 10;

/// Triggers that make what follows them historical within a NegEx-like
/// window: "history of infection, fusion and hardware removal".
static HISTORY_OF: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:history of|h/o|hx of|status post|s/p|in the past)(?:\W|$)"));
/// Adjectives that make only the next few words historical: "prior lumbar
/// fusion", not "since his prior visit he reports weakness".
static PRIOR: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:prior|previous|previously|past|formerly|remote)\b"));
/// "prior" that dates something else, not the fact: "since the prior visit",
/// "compared to previous films", "prior to the injury".
static PRIOR_PSEUDO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:since|than|from|compared (?:to|with)|relative to|versus|vs\.?)\s+(?:(?:the|his|her|their|a|an|all)\s+)?(?:prior|previous|past)\b|\bprior to\b|\bpast (?:few|several|\d+|two|three|four|six|twelve) (?:days?|weeks?|months?|years?)\b",
    )
});
/// Words a "history of" trigger reaches.
const HISTORY_WINDOW_WORDS: usize = 8;
/// Words a "prior" adjective reaches.
const PRIOR_WINDOW_WORDS: usize = 2;
static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:\(\s*(?:19|20)\d{2}\s*\)|in (?:19|20)\d{2}\b)"));

/// Words before the hit a negation trigger may stand (NegEx's window).
const NEGATION_WINDOW_WORDS: usize = 8;

/// Longest stretch read as one quotation; a pair of quote marks farther apart
/// is more likely two stray marks (inches, a quoted request name) than a quote.
const MAX_QUOTATION_BYTES: usize = 1200;

/// Byte ranges of `text` inside quotation marks, straight or curly, across
/// sentences: a reviewer's quotation often runs over several ("The ODG states
/// \"Recommended as indicated below. MRI is ...\""), and every sentence of it
/// is guideline text.
pub fn quotations(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('"', None) => open = Some((i + 1, '"')),
            ('\u{201c}', _) => open = Some((i + c.len_utf8(), '\u{201d}')),
            (close, Some((start, expected))) if close == expected => {
                if i - start <= MAX_QUOTATION_BYTES {
                    out.push(start..i);
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Classifies the mention at `hit` (byte range) within `sentence`.
pub fn classify(sentence: &str, hit: std::ops::Range<usize>) -> Status {
    let before = &sentence[..hit.start];
    let after = &sentence[hit.end..];
    // Inside quotation marks: an odd number of straight quotes before, or an
    // opening curly quote not yet closed.
    let straight = before.matches('"').count();
    let open = before.rfind('\u{201c}');
    let close = before.rfind('\u{201d}');
    let in_curly = match (open, close) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    };
    if straight % 2 == 1 || in_curly {
        return Status::Guideline;
    }
    if let Some(m) = ATTRIBUTION.find(sentence)
        && m.start() <= hit.start
    {
        return Status::Guideline;
    }
    if ACCORDING
        .find(sentence)
        .is_some_and(|m| m.start() <= hit.start)
    {
        return Status::Guideline;
    }
    if GUIDELINE_VOICE.is_match(sentence) && !PATIENT.is_match(sentence) {
        return Status::Guideline;
    }
    // The scope of a trigger before the hit ends at a terminator.
    let scope_start = TERMINATOR.find_iter(before).last().map_or(0, |m| m.end());
    let scope = &before[scope_start..];
    if HYPOTHETICAL.is_match(scope) {
        return Status::Hypothetical;
    }
    if let Some(m) = NEGATION.find_iter(scope).last() {
        let words_between = scope[m.end()..].split_whitespace().count();
        if words_between <= NEGATION_WINDOW_WORDS {
            return Status::Negated;
        }
    }
    if let Some(m) = NEGATION_OF_RECORD.find_iter(scope).last() {
        let clause = &scope[m.end()..];
        if clause.split_whitespace().count() <= RECORD_NEGATION_WINDOW_WORDS
            && !NEW_CLAUSE.is_match(clause)
        {
            return Status::Negated;
        }
    }
    if NEGATION_AFTER.is_match(after) {
        return Status::Negated;
    }
    let after_scope = TERMINATOR
        .find(after)
        .map_or(after, |m| &after[..m.start()]);
    if let Some(m) = NEGATION_LATER.find(after_scope)
        && after_scope[..m.start()].split_whitespace().count() <= LATER_NEGATION_WINDOW_WORDS
    {
        return Status::Negated;
    }
    if is_historical(scope) || YEAR_AFTER.is_match(after) {
        return Status::Historical;
    }
    Status::Affirmed
}

/// A history trigger in `scope` (the words before the hit) that still reaches
/// the hit: within its window, and not across a comma for "prior".
fn is_historical(scope: &str) -> bool {
    let reaches = |end: usize, window: usize, stop_at_comma: bool| {
        let between = &scope[end..];
        between.split_whitespace().count() <= window && !(stop_at_comma && between.contains(','))
    };
    if HISTORY_OF
        .find_iter(scope)
        .any(|m| reaches(m.end(), HISTORY_WINDOW_WORDS, false))
    {
        return true;
    }
    PRIOR.find_iter(scope).any(|m| {
        reaches(m.end(), PRIOR_WINDOW_WORDS, true)
            && !PRIOR_PSEUDO
                .find_iter(scope)
                .any(|p| p.start() <= m.start() && m.end() <= p.end())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(sentence: &str, term: &str) -> Status {
        let at = sentence.find(term).unwrap();
        classify(sentence, at..at + term.len())
    }

    #[test]
    fn guideline_text_is_not_a_patient_fact() {
        let s = "The MTUS states, Lumbar spine x-rays should not be recommended in patients with low back pain in the absence of red flags for serious spinal pathology.";
        assert_eq!(of(s, "red flags"), Status::Guideline);
        assert_eq!(
            of(
                "ODG recommends MRI for progressive neurologic deficit.",
                "progressive neurologic deficit"
            ),
            Status::Guideline
        );
        assert_eq!(
            of("He said \"my gait is unsteady\" today.", "gait is unsteady"),
            Status::Guideline
        );
        // Unattributed guideline sentences: generic patients, indications.
        assert_eq!(
            of(
                "Imaging may be considered in patients with progressive neurologic deficit.",
                "progressive neurologic deficit"
            ),
            Status::Guideline
        );
        assert_eq!(
            of(
                "Indications for imaging include emergence of a red flag.",
                "red flag"
            ),
            Status::Guideline
        );
        // The same words about this patient are a fact.
        assert_eq!(
            of(
                "The patient has progressive neurologic deficit in the left leg.",
                "progressive neurologic deficit"
            ),
            Status::Affirmed
        );
    }

    #[test]
    fn quotations_run_across_sentences() {
        let text = "The ODG states \"Recommended as indicated below. MRI is the best test for avascular necrosis.\" The patient has hip pain.";
        let q = quotations(text);
        assert_eq!(q.len(), 1);
        let at = text.find("avascular necrosis").unwrap();
        assert!(q[0].contains(&at));
        assert!(!q[0].contains(&text.find("hip pain").unwrap()));
        // Curly quotes pair with their own closing mark.
        let curly = "It states \u{201c}MRI is indicated for tumors.\u{201d} No tumor.";
        let q = quotations(curly);
        assert_eq!(&curly[q[0].clone()], "MRI is indicated for tumors.");
    }

    #[test]
    fn negation_hypothetical_history_and_terminators() {
        assert_eq!(of("There are no red flags.", "red flags"), Status::Negated);
        assert_eq!(of("He denies numbness.", "numbness"), Status::Negated);
        assert_eq!(
            of("Straight leg raise was negative.", "Straight leg raise"),
            Status::Negated
        );
        assert_eq!(
            of(
                "Imaging would be appropriate if weakness develops.",
                "weakness"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            of("He has a history of infection.", "infection"),
            Status::Historical
        );
        assert_eq!(
            of(
                "Failed back surgery with post-op infection (2011) and fusion.",
                "post-op infection"
            ),
            Status::Historical
        );
        let record = "There was a lack of documentation indicating the patient had a history of bleeding or medical condition that predisposed her to bleeding or that she was taking anticoagulants.";
        assert_eq!(of(record, "taking anticoagulants"), Status::Negated);
        assert_eq!(
            of(
                "The records do not document that he tried and failed physical therapy or a home exercise program with NSAIDs.",
                "NSAIDs"
            ),
            Status::Negated
        );
        assert_eq!(
            of(
                "There is no documentation of improvement with prior sessions, and the patient has progressive numbness.",
                "progressive numbness"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of("He is status post L4-5 fusion with infection.", "infection"),
            Status::Historical
        );
        assert_eq!(
            of("He had a prior lumbar fusion.", "lumbar fusion"),
            Status::Historical
        );
        assert_eq!(
            of(
                "Since the prior visit he reports progressive weakness.",
                "progressive weakness"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of(
                "Compared to previous films, there is worsening of the condition.",
                "worsening"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of(
                "Prior to the injury he worked full duty; he now has numbness.",
                "numbness"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of(
                "Over the past few weeks, the pain has worsened with weakness.",
                "weakness"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of(
                "He denies fever but reports progressive weakness.",
                "progressive weakness"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of(
                "He has decreased strength in the calf.",
                "decreased strength"
            ),
            Status::Affirmed
        );
    }
}
