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
//! When a negation and a hypothetical trigger both reach a mention, a
//! condition or hedge ("if", "whether", "possible") governs the negation it opens
//! before ("if there is no improvement" is hypothetical) and is governed by
//! one that opens before it ("there is no documentation whether he had
//! injections" is negated); of a negation and any other hypothetical
//! trigger, the nearer governs ("sought authorization for an epidural,
//! which undermined any theory of facet pain" is negated; "a lack of red
//! flags that would warrant repeat imaging" hypothetical).

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::{DualRegex, Lowered, Match};
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

pub use crate::rules::raw::Windows;

/// The context triggers of a pack (`rules/context.yaml`), compiled: each
/// list of the file is one expression whose alternatives are its entries,
/// in order.
#[derive(Debug, Clone)]
pub struct ContextTriggers {
    pub windows: Windows,
    /// Where a trigger's scope ends.
    pub(crate) terminator: DualRegex,
    pub(crate) negation: DualRegex,
    /// Look-alikes of a negation that deny nothing: "with and without
    /// resistance", "not only".
    pub(crate) negation_pseudo: DualRegex,
    /// A negation joined to the mention's first word: "non-" in
    /// "non-radicular pain".
    pub(crate) negation_right_before: DualRegex,
    /// A negation of the record itself, which reaches over a longer clause
    /// than NegEx's window: "there was a lack of documentation indicating
    /// the patient had a history of bleeding ... or that she was taking
    /// anticoagulants".
    pub(crate) negation_of_record: DualRegex,
    /// Right after the mention: "the MRI was negative".
    pub(crate) negation_after: DualRegex,
    /// Later in the mention's clause: "functional improvement ... is not
    /// documented".
    pub(crate) negation_later: DualRegex,
    pub(crate) hypothetical: DualRegex,
    /// Words that put what follows under a condition: "if", "unless",
    /// "whether".
    pub(crate) conditional: DualRegex,
    /// Words that hedge the one phrase they open: "possible", "suspected".
    pub(crate) hedge: DualRegex,
    /// A request or plan a detector took into its own match: "request for
    /// lumbar facet injections", "surgery was requested". (Modal words
    /// inside a match — "could not tolerate" — are the fact's own.)
    pub(crate) plan_inside: DualRegex,
    /// A request or plan stated after the mention: "physical therapy was
    /// requested".
    pub(crate) hypothetical_after: DualRegex,
    /// Triggers that make what follows them historical within a NegEx-like
    /// window: "history of infection, fusion and hardware removal".
    pub(crate) history_of: DualRegex,
    /// "history of" that is not the past: "history of present illness".
    pub(crate) history_pseudo: DualRegex,
    /// A year or "which has resolved" right after the mention.
    pub(crate) historical_after: DualRegex,
    /// Words that place a mention in this claim's care ("treatment to date
    /// has included"): a year after it does not make it historical.
    pub(crate) this_claim: DualRegex,
    /// Where a clause joined by a comma starts over with a subject of its
    /// own: ", and the patient ...", ", and he ..." — not ", and the knee";
    /// or with a verb of its own: ", and any further visits would be ...".
    pub(crate) new_clause: DualRegex,
    /// The mention sits in a phrase modifying what comes before it.
    pub(crate) modifier_before: DualRegex,
    /// The mention is what an outcome came from ("no objective functional
    /// improvement from the prior eight physical therapy sessions"): a
    /// negation before the outcome denies the outcome; the care was given.
    pub(crate) outcome_before: DualRegex,
}

pub use crate::rules::trigger_list::Anchor;

/// One expression from a list of entries, tried in order; an error names
/// the first entry that does not compile on its own.
pub fn compile_list(entries: &[&str], anchor: Anchor) -> Result<DualRegex, (usize, regex::Error)> {
    // An empty list matches nothing.
    let Some(pattern) = crate::rules::trigger_list::joined(entries, anchor) else {
        return DualRegex::new(r"[^\s\S]").map_err(|e| (0, e));
    };
    DualRegex::new(&pattern).map_err(|joined_error| {
        // Only on failure is each entry compiled alone, to name the one at fault.
        entries
            .iter()
            .enumerate()
            .find_map(|(i, e)| {
                DualRegex::new(&format!("(?i){e}"))
                    .err()
                    .map(|err| (i, err))
            })
            .unwrap_or((0, joined_error))
    })
}

impl ContextTriggers {
    /// The default pack's triggers (`rules/context.yaml` as embedded).
    pub fn embedded() -> &'static ContextTriggers {
        static EMBEDDED: LazyLock<ContextTriggers> = LazyLock::new(|| {
            crate::rules::embedded_context().expect("the embedded rules/context.yaml is valid")
        });
        &EMBEDDED
    }
}

/// Classifies the mention at `hit` (a byte range of the flat `text`) in its
/// sentence, given the clause it stands in and the quotations of the text.
/// The text comes with its lower-case copy ([`Lowered`]), which the
/// triggers' expressions search.
pub fn classify(
    triggers: &ContextTriggers,
    text: &Lowered<'_>,
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
    let before = sentence.start..hit.start.max(sentence.start);
    let inside = hit.start.max(sentence.start)..hit.end.min(sentence.end).max(hit.start);
    let after = hit.end.min(sentence.end)..sentence.end;
    triggers.record_status(text, before, inside, after)
}

impl ContextTriggers {
    /// ConText over the record's words: `before` and `after` are the parts of
    /// the mention's sentence on either side of it, `inside` the mention
    /// (ranges of `text`). A
    /// detector may take the words of a request or plan into its match ("request
    /// for lumbar facet injections"); they make the mention hypothetical all the
    /// same. A negation inside the match is the fact's own meaning ("no
    /// improvement with therapy" is a failure of therapy) and is not counted.
    fn record_status(
        &self,
        text: &Lowered<'_>,
        before: Range<usize>,
        inside: Range<usize>,
        after: Range<usize>,
    ) -> Status {
        let (before_at, after_at) = (before.start, after.start);
        let (before, inside, after) = (text.part(before), text.part(inside), text.part(after));
        // The scope of a trigger before the hit ends at a terminator.
        let scope_start = self
            .terminator
            .find_iter_lowered(&before)
            .last()
            .map_or(0, |m| m.end());
        let scope = before.part(scope_start..before.text().len());
        // The scope, the mention and the rest of its sentence, read as one:
        // a new clause that opens before the mention may have its verb
        // after it (", and no exceptional factors are documented"). The
        // three stand one after the other in the text (an empty rest may
        // stand elsewhere).
        let through_at = before_at + scope_start;
        let through = text.part(
            through_at..through_at + scope.text().len() + inside.text().len() + after.text().len(),
        );
        debug_assert!(
            after.text().is_empty()
                || after_at == through_at + scope.text().len() + inside.text().len()
        );
        let reach = Reach {
            through: &through,
            mention: scope.text().len(),
        };
        let scope_text = scope.text();
        // Of an outcome and the care it came from, a negation before the
        // outcome denies only the outcome.
        let negations = if self.outcome_before.is_match_lowered(&scope) {
            Vec::new()
        } else {
            self.negations_reaching(reach)
        };
        let reaches_mention = |end: usize| {
            let between = &scope_text[end..];
            self.reaches(reach, end, self.hypothetical_window(between))
        };
        let conditional = self
            .conditional
            .find_iter_lowered(&scope)
            .into_iter()
            .find(|m| reaches_mention(m.end()))
            .map(|m| m.start());
        // A hedge reaches only the phrase it opens; where it reaches, it
        // acts as a conditional.
        let hedge = self
            .hedge
            .find_iter_lowered(&scope)
            .into_iter()
            .find(|m| self.hedge_reaches(&scope.part(m.end()..scope_text.len())))
            .map(|m| m.start());
        let conditional = match (conditional, hedge) {
            (Some(c), Some(h)) => Some(c.min(h)),
            (c, h) => c.or(h),
        };
        let plans: Vec<Range<usize>> = self
            .hypothetical
            .find_iter_lowered(&scope)
            .into_iter()
            .map(|m| m.range())
            .collect();
        let hypothetical = plans
            .iter()
            .rev()
            .find(|r| reaches_mention(r.end))
            .map(|r| r.start);
        // A modal's own negation ("would not be appropriate without …")
        // negates the modal's verb, not the mention: it is no nearer.
        let modal_negation = |at: usize| {
            plans
                .iter()
                .any(|r| r.end <= at && scope_text[r.end..at].trim().is_empty())
        };
        let negations: Vec<usize> = negations
            .into_iter()
            .filter(|&at| !modal_negation(at))
            .collect();
        // A hedge inside the match counts only where the match opens with
        // it ("possible partial tear"): a match that runs on past the
        // mention ("effusion, … with possible partial tear") is not hedged.
        let inside_text = inside.text();
        let hedged_inside = self
            .hedge
            .find_at_lowered(&inside, 0)
            .is_some_and(|m| inside_text[..m.start()].trim().is_empty());
        let planned_inside = self.plan_inside.is_match_lowered(&inside) || hedged_inside;
        match (negations.first(), negations.last()) {
            (Some(&first), Some(&last)) => {
                let conditioned = conditional.is_some_and(|c| c < first);
                let nearer = hypothetical.is_some_and(|h| h > last);
                return if conditioned || nearer {
                    Status::Hypothetical
                } else {
                    Status::Negated
                };
            }
            _ if conditional.is_some() || hypothetical.is_some() || planned_inside => {
                return Status::Hypothetical;
            }
            _ => {}
        }
        if self.negation_after.is_match_lowered(&after) {
            return Status::Negated;
        }
        // A later negation reaches back over the mention's own clause
        // only: not over a terminator, nor over a clause that starts over
        // with a subject and verb of its own (", and nonopioid alternatives
        // had not yet been attempted" says nothing of the strain before it).
        let after_scope = self
            .terminator
            .find_at_lowered(&after, 0)
            .map_or(after.clone(), |m| after.part(0..m.start()));
        let after_scope = self
            .new_clause
            .find_at_lowered(&after_scope, 0)
            .map_or(after_scope.clone(), |m| after_scope.part(0..m.start()));
        if let Some(m) = self.negation_later.find_at_lowered(&after_scope, 0)
            && after_scope.text()[..m.start()].split_whitespace().count()
                <= self.windows.later_negation
        {
            return Status::Negated;
        }
        // "X was requested": only when the mention is the subject, not inside a
        // phrase that modifies it ("a worker with a history of X is scheduled").
        if self.hypothetical_after.is_match_lowered(&after)
            && !self.modifier_before.is_match_lowered(&before)
        {
            return Status::Hypothetical;
        }
        // Care "to date" is this claim's, whatever year it was given in.
        if self.is_historical(&scope)
            || (self.historical_after.is_match_lowered(&after)
                && !self.this_claim.is_match_lowered(&scope))
        {
            return Status::Historical;
        }
        Status::Affirmed
    }

    /// Words a hypothetical trigger reaches: further across a list ("the plan
    /// included an MRI, physical therapy, naproxen and Flexeril").
    fn hypothetical_window(&self, between: &str) -> usize {
        if is_list(between) {
            self.windows.negation_list + 10
        } else {
            self.windows.hypothetical
        }
    }

    /// Whether a hedge reaches the mention over the words `between`: the
    /// phrase it opens, within its window, not past a comma, a semicolon or
    /// "and" ("possible rotator cuff tear and impingement syndrome" hedges
    /// only the tear).
    fn hedge_reaches(&self, between: &Lowered<'_>) -> bool {
        let words = between.text();
        !words.contains([',', ';'])
            && !words
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("and"))
            && words.split_whitespace().count() <= self.windows.hedge
            && !self.new_clause.is_match_lowered(between)
    }

    /// Whether a trigger ending at `from` (an offset of the scope) reaches
    /// the mention: few enough words between them, and no new clause with
    /// a subject or verb of its own opening between them (its verb may come
    /// after the mention: ", and no exceptional factors are documented"
    /// after "whether").
    fn reaches(&self, reach: Reach<'_, '_>, from: usize, window: usize) -> bool {
        let between = &reach.through.text()[from..reach.mention];
        between.split_whitespace().count() <= window
            && self
                .new_clause
                .find_iter_lowered(&reach.through.part(from..reach.through.text().len()))
                .iter()
                .all(|m| from + m.start() >= reach.mention)
    }

    /// Where each negation that reaches the mention opens, in order.
    fn negations_reaching(&self, reach: Reach<'_, '_>) -> Vec<usize> {
        let scope = reach.through.part(0..reach.mention);
        let scope_text = scope.text();
        let mut plain = self.negation.find_iter_lowered(&scope);
        // The look-alikes are searched only where a negation was found.
        if !plain.is_empty() {
            let pseudo = self.negation_pseudo.find_iter_lowered(&scope);
            plain.retain(|m| !starts_inside(&pseudo, m));
        }
        let plain = plain.into_iter().filter(|m| {
            let between = &scope_text[m.end()..];
            let window = if is_list(between) {
                self.windows.negation_list
            } else {
                self.windows.negation
            };
            self.reaches(reach, m.end(), window)
        });
        let record = self
            .negation_of_record
            .find_iter_lowered(&scope)
            .into_iter()
            .filter(|m| self.reaches(reach, m.end(), self.windows.record_negation));
        // Matched at the end of the words before the mention only.
        let joined = self.negation_right_before.find_iter_lowered(&scope);
        let mut starts: Vec<usize> = plain
            .chain(record)
            .chain(joined)
            .map(|m| m.start())
            .collect();
        starts.sort_unstable();
        starts
    }

    /// A history trigger in `scope` (the words before the hit) that still reaches the hit.
    fn is_historical(&self, scope: &Lowered<'_>) -> bool {
        let found = self.history_of.find_iter_lowered(scope);
        if found.is_empty() {
            return false;
        }
        let pseudo = self.history_pseudo.find_iter_lowered(scope);
        found.into_iter().any(|m| {
            !starts_inside(&pseudo, &m)
                && scope.text()[m.end()..].split_whitespace().count() <= self.windows.history
        })
    }
}

/// Whether `m` starts inside one of the look-alike matches `pseudo`.
fn starts_inside(pseudo: &[Match<'_>], m: &Match<'_>) -> bool {
    pseudo
        .iter()
        .any(|p| p.start() <= m.start() && m.start() < p.end())
}

/// The words before a mention in its clause, the mention and the rest of its
/// sentence (`through`), and where the mention starts in them.
#[derive(Clone, Copy)]
struct Reach<'r, 'h> {
    through: &'r Lowered<'h>,
    mention: usize,
}

/// Words that read as a list: joined by commas, "or", "and", "nor", "/".
fn is_list(between: &str) -> bool {
    between.contains(',')
        || between.contains(" or ")
        || between.contains(" nor ")
        || between.contains(" and ")
        || between.contains('/')
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
        let lower = crate::text::dual_regex::LowerCase::of(text);
        classify(
            ContextTriggers::embedded(),
            &lower.with(text),
            sentence_ranges[clause.sentence].clone(),
            clause,
            &quotations(text),
            at..at + term.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    /// Every trigger list of the embedded pack, read for lower-case text
    /// (as build.rs prepared it), finds on the samples what the regex
    /// crate finds.
    #[test]
    fn every_trigger_list_matches_as_the_regex_crate_does() {
        let t = super::ContextTriggers::embedded();
        let lists = [
            &t.terminator,
            &t.negation,
            &t.negation_pseudo,
            &t.negation_right_before,
            &t.negation_of_record,
            &t.negation_after,
            &t.negation_later,
            &t.hypothetical,
            &t.conditional,
            &t.hedge,
            &t.plan_inside,
            &t.hypothetical_after,
            &t.history_of,
            &t.history_pseudo,
            &t.historical_after,
            &t.this_claim,
            &t.new_clause,
            &t.modifier_before,
            &t.outcome_before,
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        texts.sort();
        assert!(texts.len() >= 5, "the samples are there");
        let mut lowered = 0;
        for list in lists {
            lowered += usize::from(list.reads_lower_case());
            // build.rs prepared every list of the embedded pack.
            if let Some(rest) = list.as_str().strip_prefix("(?i)") {
                assert!(
                    crate::text::prepared::lowered(rest).is_some(),
                    "not prepared by build.rs: {}",
                    list.as_str()
                );
            }
            let full = regex::Regex::new(list.as_str()).unwrap();
            for text in &texts {
                let ours: Vec<_> = list.find_iter(text).map(|m| m.range()).collect();
                let theirs: Vec<_> = full.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(ours, theirs, "{}", list.as_str());
            }
        }
        assert!(lowered >= 12, "{lowered} lists read for lower-case text");
    }

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
    fn a_look_alike_of_a_negation_denies_nothing() {
        let exam =
            "Flexion and extension with and without resistance, motor strength is 4 out of 5.";
        assert_eq!(of(exam, "motor strength"), Status::Affirmed);
        assert_eq!(
            of(
                "He reports not only neck pain, numbness in the hand too.",
                "numbness"
            ),
            Status::Affirmed
        );
        // "non-" joined to the mention negates it, and nothing after it.
        assert_eq!(
            of(
                "Axial, non-radicular low back pain.",
                "radicular low back pain"
            ),
            Status::Negated
        );
        assert_eq!(of("Non-antalgic gait.", "antalgic gait"), Status::Negated);
        assert_eq!(
            of(
                "Non-steroidal anti-inflammatory drugs and physical therapy.",
                "physical therapy"
            ),
            Status::Affirmed
        );
        // The negation itself still reaches past a look-alike.
        assert_eq!(
            of(
                "Tested with and without resistance; no weakness.",
                "weakness"
            ),
            Status::Negated
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
    fn care_that_brought_no_benefit_was_given_and_an_adverb_leaves_a_later_negation_in_reach() {
        for (text, term, status) in [
            (
                "In this case, the claimant has undergone 8 sessions of physical therapy which were not beneficial.",
                "8 sessions of physical therapy",
                Status::Affirmed,
            ),
            (
                "Treatment has included 5 sessions of physical therapy which did not help, and medications.",
                "5 sessions of physical therapy",
                Status::Affirmed,
            ),
            (
                "A screening for risk of addiction was also not completed.",
                "screening for risk of addiction",
                Status::Negated,
            ),
            (
                "There is a lack of documentation regarding an objective decrease in pain as well as an increase in function with regard to the patient's activities of daily living.",
                "objective decrease in pain",
                Status::Negated,
            ),
            (
                "There is a lack of documentation regarding an objective decrease in pain as well as an increase in function with regard to the patient's activities of daily living.",
                "increase in function",
                Status::Negated,
            ),
            (
                "The documentation does not demonstrate objective functional improvement from the prior eight physical therapy sessions.",
                "prior eight physical therapy sessions",
                Status::Affirmed,
            ),
            (
                "The documentation does not demonstrate objective functional improvement from the prior eight physical therapy sessions.",
                "objective functional improvement",
                Status::Negated,
            ),
            (
                "In addition, on 11/30/2016, there was a lack of documentation regarding the patient's objective response to the prior usage of the medication including a quantified decrease in pain and objective increase in function.",
                "medication including a quantified decrease in pain",
                Status::Negated,
            ),
            (
                "There is no documentation of a trial and failure of physical therapy.",
                "physical therapy",
                Status::Negated,
            ),
            (
                "Medical necessity and efficacy have not been established.",
                "efficacy",
                Status::Negated,
            ),
        ] {
            assert_eq!(of(text, term), status, "{term} in: {text}");
        }
    }

    #[test]
    fn a_condition_and_a_negation_by_order_a_plan_and_a_negation_by_nearness() {
        let cases = [
            // A condition opened first governs the negation inside it.
            (
                "If there is no improvement in pain, surgery will be considered.",
                "improvement in pain",
                Status::Hypothetical,
            ),
            // A negation opened first governs the condition or hedge.
            (
                "The exam does not document any findings of a possible labral tear.",
                "labral tear",
                Status::Negated,
            ),
            // Of a plan and a negation, the nearer governs.
            (
                "The provider sought authorization for an epidural, which undermined any theory of facet pain.",
                "facet pain",
                Status::Negated,
            ),
            (
                "There was a lack of red flag symptoms that would warrant repeat imaging.",
                "repeat imaging",
                Status::Hypothetical,
            ),
            // A modal's own negation is no nearer than the modal.
            (
                "Additional visits would not be appropriate to address the remaining deficits.",
                "remaining deficits",
                Status::Hypothetical,
            ),
        ];
        for (text, term, status) in cases {
            assert_eq!(of(text, term), status, "{text}");
        }
        // A finding the examiner could not elicit is absent; what the
        // patient cannot do is not.
        assert_eq!(
            of(
                "The examiner was unable to detect any decreased sensation in the dermatomes.",
                "decreased sensation"
            ),
            Status::Negated
        );
        assert_ne!(of("She cannot tolerate NSAIDs.", "NSAIDs"), Status::Negated);
        // A new clause that opens before the mention, its verb after it,
        // stops what comes before: the negation governs, not "whether".
        assert_eq!(
            of(
                "The request exceeds what is needed to establish whether acupuncture helps, and no exceptional factors are documented.",
                "exceptional factors"
            ),
            Status::Negated
        );
        // A later negation does not reach back over a clause with its own
        // subject and verb.
        assert_eq!(
            of(
                "It was prescribed for acute knee strain, and nonopioid alternatives had not yet been attempted.",
                "knee strain"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of(
                "Functional improvement from prior sessions was not documented.",
                "Functional improvement"
            ),
            Status::Negated
        );
        // "would not" negates the verb: the tear is not stated absent.
        assert_ne!(
            of(
                "Surgery would not be indicated for the rotator cuff tear.",
                "rotator cuff tear"
            ),
            Status::Negated
        );
    }

    #[test]
    fn a_hedge_reaches_only_the_phrase_it_opens() {
        let text = "He is treated for left shoulder labral tear, possible rotator cuff tear and impingement syndrome, and a thumb fracture.";
        assert_eq!(of(text, "rotator cuff tear"), Status::Hypothetical);
        assert_eq!(of(text, "impingement syndrome"), Status::Affirmed);
        assert_eq!(of(text, "thumb fracture"), Status::Affirmed);
        assert_eq!(
            of(
                "Foraminal narrowing raised the possibility of a cervical radiculopathy.",
                "cervical radiculopathy"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            of(
                "MRI showed a suspected partial tear of the ACL.",
                "partial tear"
            ),
            Status::Hypothetical
        );
        // A match that opens with the hedge is hedged; one that only
        // runs on to it is not.
        assert_eq!(
            of(
                "The MRI showed possible partial tear.",
                "possible partial tear"
            ),
            Status::Hypothetical
        );
        assert_eq!(
            of(
                "The MRI showed effusion, with possible partial tear.",
                "effusion, with possible partial tear"
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
                "Past medical history included migraine headaches since age 13.",
                "migraine"
            ),
            Status::Historical
        );
        assert_eq!(
            of(
                "The shoulder dislocation has since resolved.",
                "shoulder dislocation"
            ),
            Status::Historical
        );
        // Care "to date" is this claim's, whatever year it was given in.
        assert_eq!(
            of(
                "Treatment to date has included 12 sessions of physical therapy in 2015, ibuprofen and splints.",
                "physical therapy"
            ),
            Status::Affirmed
        );
        assert_eq!(
            of("He had a lumbar fusion in 2009.", "lumbar fusion"),
            Status::Historical
        );
        // What is no longer true: a medication stopped.
        assert_eq!(
            of(
                "He had stopped naproxen in September because of dyspepsia.",
                "naproxen"
            ),
            Status::Historical
        );
        assert_eq!(
            of("Tramadol was discontinued last month.", "Tramadol"),
            Status::Historical
        );
        assert_eq!(
            of("He takes naproxen twice daily.", "naproxen"),
            Status::Affirmed
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
