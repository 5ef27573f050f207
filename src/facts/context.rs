//! Classifies a fact's mention by its context, after ConText and NegEx.
//!
//! First, whose words they are ([`attribution`](crate::text::attribution)): a
//! mention in a guideline clause or in a quotation of the guideline is
//! `guideline`, never a fact about the patient. Then, in the record's words,
//! a trigger opens a scope that runs to the end of the sentence or to a
//! terminator ("but", "however", "although", ";"):
//!
//! - **negated** — stated absent: "no", "denies", "without", "fails to
//!   document A, B and C" (across the list), "not yet had", "undermined any
//!   theory of"; or after the mention: "was negative", "unremarkable",
//!   "within normal limits", "is not documented";
//! - **hypothetical** — requested, planned, pending, conditional or to be
//!   ruled out: "request for", "plan of care includes", "if", "rule out";
//!   or after the mention: "was requested", "is pending";
//! - **historical** — an earlier, separate episode or something no longer
//!   true: "history of", "remote", "resolved", a year in parentheses;
//! - **affirmed** — everything else, including care already given in this
//!   claim ("previously had chiropractic", "status post fusion").
//!
//! When a negation and a hypothetical trigger both reach a mention, the one
//! that opens first governs: "there is no documentation whether he had
//! injections" is negated, "if there is no improvement" hypothetical.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::text::attribution::{Clause, Quotation, Voice};

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
    re(
        r"(?i)\b(?:but|however|although|though|except|aside from|apart from|whereas|while|due to|because|owing to)\b|,\s*yet\b|;",
    )
});
static HYPOTHETICAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:if|should|would|could|may be appropriate|might|in case of|in the event|rule out|to rule out|r/o|consider|considering|unless|whether|possible|possibly|potential|suspected|suspicion of|concern for|evaluate for|request(?:ed|s|ing)?\s+(?:for|of|an?|the)|requested|requesting|authoriz(?:ation|ed)\s+(?:for|of|to)|approv(?:al|ed)\s+(?:for|of|to)|(?:non-?|re)?certifi(?:ed|cation)|noncertified|denial\s+(?:of|for|was)|initiat(?:e|ing|ion\s+of)|to\s+(?:start|begin|try|trial)|will|to\s+(?:provide|allow|improve|reduce|help|facilitate|restore|decrease|increase|achieve|establish|determine|assess|evaluate|confirm|clarify|identify|address)|proposed|propose|plan(?:s|ned)?\s+(?:to|for|of|includes?|included)|planning|the\s+plan\b|treatment\s+plan|pending|scheduled\s+(?:for|to)|awaiting|sought|seeking|to\s+undergo|will\s+(?:undergo|start|begin|receive|attend|continue|need|require|be)|would\s+like|candidate\s+for|referr(?:ed|al)\s+(?:to|for)|recommend(?:ed|s|ation)?\s+(?:for|that|to)|(?:was|were|is|are)\s+(?:also\s+)?recommended|future|intends?\s+to|hopes?\s+to|wishes\s+to|wants?\s+to)\b",
    )
});
/// A request or plan a detector took into its own match: "request for lumbar
/// facet injections", "surgery was requested". (Modal words inside a match —
/// "could not tolerate" — are the fact's own.)
static PLAN_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:request(?:ed|s|ing)?|plan(?:s|ned)?|proposed?|pending|scheduled|recommended|recommendation|authoriz(?:ed|ation)|approv(?:ed|al)|(?:non-?)?certifi(?:ed|cation)|referr(?:ed|al))\b",
    )
});
/// A request or plan stated after the mention: "physical therapy was requested".
static HYPOTHETICAL_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[\s,]*(?:\([^)]{0,40}\)\s*)?(?:(?:was|were|is|are|has\s+been|have\s+been)\s+(?:being\s+)?(?:requested|recommended|proposed|planned|ordered|pending|scheduled|sought|prescribed\s+for\s+future)|(?:is|are)\s+(?:being\s+)?(?:considered|contemplated)|requested|pending)\b",
    )
});
static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:no|not|denies|denied|without|negative for|absence of|absent|free of|ruled out|none|never|lack of|lacks|lacking|nor|neither|not yet|has yet to|have yet to|fails? to (?:show|document|demonstrate|establish|report|describe|identify|outline|mention)|failed to (?:show|document|demonstrate|establish|report|describe|identify|outline|mention)|did not (?:show|document|demonstrate|indicate|reveal|have|establish|describe|identify|mention|report)|undermin\w*\s+(?:any|the|a)\s+(?:theory|notion|argument|suggestion|case|claim|diagnosis|contention)\s+(?:of|that)|argu\w*\s+against|militat\w*\s+against|weigh\w*\s+against|inconsistent with|unremarkable for)\b",
    )
});
static NEGATION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[\s,:]*(?:(?:was|were|is|are|has been|have been|had been|remained|remains)\s+)?(?:negative|absent|not (?:present|noted|documented|seen|found|reported|evident|elicited|appreciated)|unremarkable|within normal limits|WNL|none|denied|ruled out|resolved)\b",
    )
});
/// A negation stated after the mention, within its scope: "functional
/// improvement ... is not documented", "the MRI was negative".
static NEGATION_LATER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:is|are|was|were|has been|have been|had been)\s+(?:not|never)|(?:has|have|had)\s+(?:not|never)\s+(?:yet\s+)?been)\s+(?:been\s+)?(?:clearly\s+|adequately\s+|specifically\s+|objectively\s+)?(?:documented|noted|reported|evident|present|found|shown|demonstrated|established|seen|objectified|quantified|identified|described|specified|provided|outlined|substantiated|apparent|completed|performed|done|tried|attempted|obtained|beneficial|helpful|effective|successful)\b|\b(?:is|are|was|were)\s+(?:negative|absent|lacking|unremarkable)\b|\b(?:did|does|do)\s+not\s+(?:help|work|improve|benefit|change)\b",
    )
});
/// A negation of the record itself, which reaches over a longer clause than
/// NegEx's window: "there was a lack of documentation indicating the patient
/// had a history of bleeding ... or that she was taking anticoagulants".
static NEGATION_OF_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:lack|absence) of|no|without|not any|insufficient|inadequate|little|minimal)\s+(?:\w+\s+){0,2}?(?:documentation|evidence|indication|report|records?|mention|findings?|discussion|description|rationale|support)\s+(?:of|that|to (?:indicate|suggest|show|support)|indicating|suggesting|showing|demonstrating|documenting|regarding|whether|on|as to|for)\b|\b(?:does|did|do)\s+not\s+(?:\w+\s+)?(?:document|indicate|show|demonstrate|establish|mention|describe|support|outline|specify|reflect|identify)\b|\bfail(?:s|ed)?\s+to\s+(?:\w+\s+)?(?:document|indicate|show|demonstrate|establish|mention|describe|outline|specify|identify|furnish|report)\b|\bnot\s+(?:been\s+)?(?:documented|established|shown|demonstrated|specified|described)\s+(?:that|whether)\b|\bmade\s+no\s+mention\s+(?:of|on|that|whether)\b|\bit\s+(?:is|was)\s+(?:unclear|not\s+clear|not\s+stated|not\s+known|not\s+evident)\b",
    )
});
/// The mention sits in a phrase modifying what comes before it.
static MODIFIER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:with|of|from|after|without|including|for)\s+(?:(?:a|an|the|his|her|prior|previous|known)\s+)*(?:\w+\s+){0,3}$",
    )
});
/// Words a negation of the record reaches.
const RECORD_NEGATION_WINDOW_WORDS: usize = 24;
/// Where a clause joined by a comma starts over with a subject of its own:
/// ", and the patient ...", ", and he ..." — not ", and the knee"; or with a
/// verb of its own: ", and any further visits would be ...".
static NEW_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i),?\s+(?:and|with|as well as)\s+(?:he|she|they|there|the\s+(?:injured\s+)?(?:patient|applicant|worker|claimant|employee|physician|provider|surgeon|doctor|therapist|records?))\b|,\s*(?:and|but|so|yet)\s+(?:\w+\s+){1,4}?(?:would|will|should|could|must|might|may|can|is|are|was|were|has|have|had)\s",
    )
});

/// Words after the hit a later negation may stand.
const LATER_NEGATION_WINDOW_WORDS: usize = 10;

/// Triggers that make what follows them historical within a NegEx-like
/// window: "history of infection, fusion and hardware removal".
static HISTORY_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:remote|past|prior|previous|distant)\s+(?:medical\s+)?history\s+of|history of|h/o|hx of|in the past|remotely|formerly|years? ago|as a child|in childhood|pre-?existing|prior to (?:the|his|her|this) (?:industrial |work |date of |work-related )?injury|before (?:the|his|her|this) (?:industrial |work )?injury)(?:\W|$)",
    )
});
/// "history of" that is not the past: "history of present illness".
static HISTORY_PSEUDO: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\bhistory of (?:the )?(?:present|current) (?:illness|injury|complaints?)\b")
});
/// Words a "history of" trigger reaches.
const HISTORY_WINDOW_WORDS: usize = 8;
static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:\(\s*(?:19|20)\d{2}\s*\)|in (?:19|20)\d{2}\b)"));
static RESOLVED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[\s,]*(?:(?:which|that)\s+)?(?:(?:has|have|had)\s+(?:since\s+)?|(?:was|were|is|are)\s+(?:now\s+)?)?(?:resolved|healed|no longer present)\b",
    )
});

/// Words before the hit a negation trigger may stand (NegEx's window).
const NEGATION_WINDOW_WORDS: usize = 8;
/// The same window when the words between are a list ("no fever, chills,
/// night sweats, or weight loss").
const NEGATION_LIST_WINDOW_WORDS: usize = 20;
/// Words before the hit a hypothetical trigger may stand.
const HYPOTHETICAL_WINDOW_WORDS: usize = 14;

/// Classifies the mention at `hit` (a byte range of the flat `text`) in its
/// sentence, given the clause it stands in and the quotations of the text.
pub fn classify(
    text: &str,
    sentence: Range<usize>,
    clause: &Clause,
    quotations: &[Quotation],
    hit: Range<usize>,
) -> Status {
    if clause.voice == Voice::Guideline {
        return Status::Guideline;
    }
    if quotations
        .iter()
        .any(|q| q.voice == Voice::Guideline && q.range.contains(&hit.start))
    {
        return Status::Guideline;
    }
    let before = &text[sentence.start..hit.start.max(sentence.start)];
    let inside = &text[hit.start.max(sentence.start)..hit.end.min(sentence.end).max(hit.start)];
    let after = &text[hit.end.min(sentence.end)..sentence.end];
    record_status(before, inside, after)
}

/// ConText over the record's words: `before` and `after` are the parts of
/// the mention's sentence on either side of it, `inside` the mention. A
/// detector may take the words of a request or plan into its match ("request
/// for lumbar facet injections"); they make the mention hypothetical all the
/// same. A negation inside the match is the fact's own meaning ("no
/// improvement with therapy" is a failure of therapy) and is not counted.
fn record_status(before: &str, inside: &str, after: &str) -> Status {
    // The scope of a trigger before the hit ends at a terminator.
    let scope_start = TERMINATOR.find_iter(before).last().map_or(0, |m| m.end());
    let scope = &before[scope_start..];
    let negation = negation_reaching(scope);
    let hypothetical = HYPOTHETICAL
        .find_iter(scope)
        .filter(|m| reaches(&scope[m.end()..], hypothetical_window(&scope[m.end()..])))
        .map(|m| m.start())
        .next()
        .or_else(|| PLAN_INSIDE.is_match(inside).then_some(scope.len()));
    match (negation, hypothetical) {
        (Some(n), Some(h)) if h < n => return Status::Hypothetical,
        (Some(_), _) => return Status::Negated,
        (None, Some(_)) => return Status::Hypothetical,
        (None, None) => {}
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
    // "X was requested": only when the mention is the subject, not inside a
    // phrase that modifies it ("a worker with a history of X is scheduled").
    if HYPOTHETICAL_AFTER.is_match(after) && !MODIFIER_BEFORE.is_match(before) {
        return Status::Hypothetical;
    }
    if is_historical(scope) || YEAR_AFTER.is_match(after) || RESOLVED_AFTER.is_match(after) {
        return Status::Historical;
    }
    Status::Affirmed
}

/// Words a hypothetical trigger reaches: further across a list ("the plan
/// included an MRI, physical therapy, naproxen and Flexeril").
fn hypothetical_window(between: &str) -> usize {
    if is_list(between) {
        NEGATION_LIST_WINDOW_WORDS + 10
    } else {
        HYPOTHETICAL_WINDOW_WORDS
    }
}

/// Whether the words between a trigger and the mention leave it in reach:
/// few enough words, and no new clause with a subject of its own.
fn reaches(between: &str, window: usize) -> bool {
    between.split_whitespace().count() <= window && !NEW_CLAUSE.is_match(between)
}

/// Where the negation that reaches the end of `scope` opens, if one does.
fn negation_reaching(scope: &str) -> Option<usize> {
    let plain = NEGATION.find_iter(scope).find(|m| {
        let between = &scope[m.end()..];
        let window = if is_list(between) {
            NEGATION_LIST_WINDOW_WORDS
        } else {
            NEGATION_WINDOW_WORDS
        };
        reaches(between, window)
    });
    let record = NEGATION_OF_RECORD
        .find_iter(scope)
        .find(|m| reaches(&scope[m.end()..], RECORD_NEGATION_WINDOW_WORDS));
    [plain, record]
        .into_iter()
        .flatten()
        .map(|m| m.start())
        .min()
}

/// Words that read as a list: joined by commas, "or", "and", "nor", "/".
fn is_list(between: &str) -> bool {
    between.contains(',')
        || between.contains(" or ")
        || between.contains(" nor ")
        || between.contains(" and ")
        || between.contains('/')
}

/// A history trigger in `scope` (the words before the hit) that still reaches the hit.
fn is_historical(scope: &str) -> bool {
    HISTORY_OF.find_iter(scope).any(|m| {
        !HISTORY_PSEUDO
            .find_iter(scope)
            .any(|p| p.start() <= m.start() && m.start() < p.end())
            && scope[m.end()..].split_whitespace().count() <= HISTORY_WINDOW_WORDS
    })
}

#[cfg(test)]
mod tests_support {
    use super::*;
    use crate::text::attribution::{clause_at, clauses, quotations};
    use crate::text::sentences;

    /// The status of the first occurrence of `term` in `text`.
    pub fn of(text: &str, term: &str) -> Status {
        let at = text.find(term).expect("term in text");
        let sentence_ranges = sentences(text);
        let all = clauses(text, &sentence_ranges);
        let clause = clause_at(&all, at).expect("a clause");
        classify(
            text,
            sentence_ranges[clause.sentence].clone(),
            clause,
            &quotations(text),
            at..at + term.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::of;
    use super::*;

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
        // A passage continues after its attribution until the record speaks.
        let passage = "MTUS recommends manual therapy for chronic pain. An initial trial of 6 visits is recommended to establish objective functional improvement. In this case, objective functional improvement has been documented.";
        assert_eq!(
            of(passage, "objective functional improvement"),
            Status::Guideline
        );
        let at = passage.rfind("objective functional improvement").unwrap();
        assert_eq!(
            of(&passage[at - 40..], "objective functional improvement"),
            Status::Affirmed
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
    fn quotations_of_the_guideline_run_across_sentences_but_a_quoted_diagnosis_is_the_record() {
        let text = "The ODG states \"Recommended as indicated below. MRI is the best test for avascular necrosis.\" The patient has hip pain.";
        assert_eq!(of(text, "avascular necrosis"), Status::Guideline);
        assert_eq!(of(text, "hip pain"), Status::Affirmed);
        let quoted = "The attending provider gave the applicant a diagnosis of \"lumbar pain with radiculopathy.\"";
        assert_eq!(of(quoted, "radiculopathy"), Status::Affirmed);
        assert_eq!(
            of("He said \"my gait is unsteady\" today.", "gait is unsteady"),
            Status::Affirmed
        );
    }

    #[test]
    fn negation_reaches_across_lists_and_clauses_of_the_record() {
        assert_eq!(of("There are no red flags.", "red flags"), Status::Negated);
        assert_eq!(of("He denies numbness.", "numbness"), Status::Negated);
        assert_eq!(
            of("Straight leg raise was negative.", "Straight leg raise"),
            Status::Negated
        );
        assert_eq!(
            of("Sensation was unremarkable.", "Sensation"),
            Status::Negated
        );
        assert_eq!(
            of(
                "The records fail to document the frequency of use, the pain scores, and the functional improvement.",
                "functional improvement"
            ),
            Status::Negated
        );
        assert_eq!(
            of(
                "There is no evidence of fever, chills, night sweats, unexplained weight loss, or bowel incontinence.",
                "bowel incontinence"
            ),
            Status::Negated
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
            of("She has not yet had physical therapy.", "physical therapy"),
            Status::Negated
        );
        // A clause with a verb of its own after ", and" leaves the negation.
        assert_eq!(
            of(
                "Her progress has not been documented, and any further visits would depend on objective functional gains.",
                "objective functional gains"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            of(
                "No red flags were found, and her pain has since worsened with radiating numbness.",
                "radiating numbness"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of(
                "The applicant's radicular symptoms undermined any theory of facetogenic pain here.",
                "facetogenic pain"
            ),
            Status::Negated
        );
        // "whether" inside a negated sentence stays negated.
        assert_eq!(
            of(
                "The office visit made no mention on whether the applicant had or had not received prior lumbar facet injections.",
                "facet injections"
            ),
            Status::Negated
        );
        assert_eq!(
            of(
                "He denies fever but reports progressive weakness.",
                "progressive weakness"
            ),
            Status::Affirmed
        );
    }

    #[test]
    fn requests_and_plans_are_hypothetical() {
        assert_eq!(
            of(
                "Imaging would be appropriate if weakness develops.",
                "weakness"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            of(
                "The plan of care includes postoperative physical therapy.",
                "physical therapy"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            of(
                "In a utilization review report dated November 15, 2016, the claims administrator failed to approve a request for lumbar facet injections.",
                "facet injections"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            of("Acupuncture was requested for the low back.", "Acupuncture"),
            Status::Hypothetical
        );
        // A conditional that opens before a negation governs it.
        assert_eq!(
            of(
                "If there is no improvement in function, opioids should be discontinued.",
                "improvement in function"
            ),
            Status::Hypothetical
        );
    }

    #[test]
    fn history_is_an_earlier_episode_and_care_given_is_affirmed() {
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
        assert_eq!(
            of("His remote history of gout is noted.", "gout"),
            Status::Historical
        );
        assert_eq!(
            of(
                "The shoulder dislocation has since resolved.",
                "shoulder dislocation"
            ),
            Status::Historical
        );
        // Care already given in this claim is a documented fact.
        assert_eq!(
            of(
                "He previously had chiropractic manipulation.",
                "chiropractic"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of("He had a prior lumbar fusion.", "lumbar fusion"),
            Status::Affirmed
        );
        assert_eq!(
            of("He is status post L4-5 fusion.", "fusion"),
            Status::Affirmed
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
                "Over the past week, the pain has worsened with weakness.",
                "weakness"
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
                "He has decreased strength in the calf.",
                "decreased strength"
            ),
            Status::Affirmed
        );
    }
}
