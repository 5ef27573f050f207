//! Whose words a stretch of a letter is: the guideline's, or the reviewer's
//! account of the record. The one answer to "is this sentence guideline
//! text?", used by fact context (a mention in guideline text is never a fact
//! about the patient) and by `misquote` (only guideline text can misquote).
//!
//! Reviewers rarely quote cleanly. A rationale opens with "The MTUS states
//! …", then goes on for several sentences of guideline prose with no
//! attribution at all ("Manual therapy is widely used …", "An initial trial
//! of 6 visits is recommended …", a numbered list of indications), and turns
//! to the patient with "In this case", "Here, however,", "The applicant …",
//! a date, or "There is no documentation …". So voice is decided per clause
//! from cues, and a clause without a cue continues the voice before it:
//!
//! - **guideline cues**: an attribution ("ODG recommends", "according to the
//!   MTUS", "as noted on page 82 of the MTUS …"), or generic guideline
//!   language ("is not recommended", "may be considered", "patients with",
//!   "criteria for", "indications for", a definition);
//! - **record cues**: the patient or the record as subject ("the applicant",
//!   "the injured worker", "the records", "physical examination revealed"),
//!   "in this case", "here", a date, "there is no documentation".
//!
//! An attribution outweighs the record cues that follow it in its clause
//! (the guideline's own "the patient"); a clause with both generic guideline
//! language and a record cue is the record ("the patient has not trialed …
//! as recommended").

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::{DualRegex, LowerCase, Lowered};

/// Who speaks in a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// The guideline's words, quoted or paraphrased, or a general statement of
    /// what the guideline requires.
    Guideline,
    /// The reviewer's account of this patient's record, or the decision itself.
    Record,
}

/// A clause of a sentence and its voice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub range: Range<usize>,
    pub voice: Voice,
    /// The guideline is named in this clause ("ODG states"), rather than the
    /// clause continuing or resembling guideline prose.
    pub attributed: bool,
    /// Index of the sentence the clause belongs to.
    pub sentence: usize,
}

fn re(pattern: &str) -> DualRegex {
    DualRegex::new(pattern).expect("built-in attribution pattern is valid")
}

/// An attribution whose matches all begin where `lead` matches: a name or
/// an opening phrase, followed by a bounded gap of words
/// ([`DualRegex::led_by`]).
fn led(pattern: &str, lead: &str) -> DualRegex {
    DualRegex::led_by(pattern, lead).expect("built-in attribution pattern is valid")
}

/// What opens an attribution before the guideline's name ("according to
/// the MTUS").
const ATTRIBUTING: &str = r"\b(?:according\s+to|per|as\s+per|pursuant\s+to|under|consistent\s+with|in\s+accordance\s+with|as\s+(?:noted|stated|described|outlined|discussed|set\s+forth)\s+(?:on|in|by)|by)";

const GUIDELINE_NAMES: &str = r"MTUS|ACOEM|ODG|Official\s+Disability\s+Guidelines?|guidelines?|CPMTG|Chronic\s+Pain\s+(?:Medical\s+)?Treatment(?:\s+Guidelines?)?|Opioids?\s+Treatment(?:\s+Guidelines?)?|American\s+College\s+of\s+Occupational\s+(?:and\s+Environmental\s+)?Medicine|Work\s+Loss\s+Data\s+Institute|Postsurgical\s+Treatment(?:\s+Guidelines?)?|Acupuncture\s+(?:Medical\s+)?Treatment(?:\s+Guidelines?)?";

const SAYING: &str = r"state|states|stated|recommend|recommends|recommended|indicate|indicates|indicated|support|supports|supported|note|notes|noted|specify|specifies|allow|allows|require|requires|endorse|endorses|advise|advises|suggest|suggests|define|defines|consider|considers|describe|describes|reserve|reserves|stipulate|stipulates|acknowledge|acknowledges|discuss|discusses|explain|explains|mention|mentions|limit|limits|caution|cautions|emphasize|emphasizes|outline|outlines|address|addresses|say|says|list|lists|criteria|do\s+not|does\s+not";

/// "ODG recommends", "The California MTUS 2016 Chronic Pain Guidelines state",
/// "MTUS/ACOEM guidelines do not address".
static ATTRIBUTION: LazyLock<DualRegex> = LazyLock::new(|| {
    led(
        &format!(r"(?i)\b(?:{GUIDELINE_NAMES})\b[^.;]{{0,90}}?\b(?:{SAYING})\b"),
        &format!(r"(?i)\b(?:{GUIDELINE_NAMES})\b"),
    )
});
/// "according to the ODG", "per the MTUS", "as noted on page 82 of the MTUS",
/// "pursuant to the Official Disability Guidelines", "is recommended by the MTUS".
static ATTRIBUTION_BEFORE: LazyLock<DualRegex> = LazyLock::new(|| {
    led(
        &format!(
            r"(?i){ATTRIBUTING}\s+(?:the\s+)?(?:[\w/,.()-]+\s+){{0,8}}?(?:{GUIDELINE_NAMES})\b"
        ),
        &format!(r"(?i){ATTRIBUTING}\s"),
    )
});
/// Guideline prose that names no guideline: "is not recommended", "may be
/// considered", "patients with", "indications for", definitions
/// ([`is_generic`]): the phrases without a gap of words.
static GENERIC: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\brecommended\s+(?:for|in|when|only|as|until|after|if|to)\b|\b(?:is|are)\s+(?:only\s+|not\s+|generally\s+|routinely\s+)*(?:supported|indicated|warranted|appropriate|reserved|considered|required|necessary)\s+(?:for|when|if|in|unless|only|after|as)\b|\bmay\s+be\s+(?:considered|indicated|warranted|supported|recommended|appropriate|used|employed|helpful|useful|reasonable)\b|\b(?:in|for)\s+(?:patients|individuals|those|workers|injured\s+workers|people|cases)\s+(?:with|who|in|where)\b|\bpatients\s+(?:with|who)\b|\bcriteria\s+(?:for|include)\b|\bindications?\s+(?:for|include)\b|\b(?:is|are)\s+defined\s+as\b|\brefers?\s+to\b|\bstudies\s+(?:have\s+)?(?:shown|show|suggest)\b|\bevidence\s+(?:is\s+)?(?:insufficient|lacking|limited)\s+(?:to|for)\b|\bshould\s+(?:be|not|only|include|document)\b|\b(?:a|an)\s+(?:initial\s+)?trial\s+of\s+\d|\bup\s+to\s+\d+\s+(?:visits|sessions|treatments)\b|\bFDA[\s-]*approved\b|\b(?:is|are)\s+(?:widely|commonly|often|frequently|generally|typically)\s+(?:used|accepted|employed|prescribed)\b|\bonly\s+recommended\b|\b(?:the\s+)?(?:intended\s+)?goal\s+(?:or\s+effect\s+)?of\b|\bin\s+most\s+(?:instances|cases|patients)\b|\bbrand\s+name\b|\(\s*[A-Z][a-z]+(?:\s+et\s+al\.?)?,\s*(?:19|20)\d{2}\s*\)|^\s*(?:\(?\d{1,2}[).]|\(?[a-h][).])\s|\bsee\s+(?:also\s+)?[A-Z]",
    )
});
/// The phrases of guideline prose with a gap of any words ("is not
/// generally recommended", "is a surgical procedure"), tried only where
/// their first word is ([`DualRegex::led_by`]): searched from every place,
/// a gap of up to four words builds new lazy-DFA states for each new text.
static GENERIC_GAPPED: LazyLock<DualRegex> = LazyLock::new(|| {
    led(
        r"(?i)\b(?:is|are|be|is\s+not|are\s+not|not)\s+(?:\w+\s+)?(?:recommended|indicated|advised|suggested)\b|\bis\s+(?:a|an)\s+(?:\w+\s+){0,4}?(?:procedure|technique|treatment|test|modality|medication|drug|device|form\s+of|type\s+of|method)\b",
        r"(?i)\b(?:is|are|be|not)\b",
    )
});

/// Whether a clause holds guideline prose ([`GENERIC`], [`GENERIC_GAPPED`]).
fn is_generic(clause: &Lowered<'_>) -> bool {
    GENERIC.is_match_lowered(clause) || GENERIC_GAPPED.is_match_lowered(clause)
}
/// The patient or the record as subject, "in this case", a date.
static RECORD: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:the\s+(?:injured\s+)?(?:worker|applicant|claimant|employee|IW|patient)(?:'s)?|injured\s+worker|this\s+(?:patient|claimant|applicant|individual|worker|case|request)|in\s+this\s+(?:case|instance|claim)|the\s+request(?:ed)?|the\s+(?:(?:submitted|available|provided|medical|clinical|enclosed|reviewed)\s+){0,3}(?:records?|documentation|notes?|reports?)|(?:submitted|available|provided)\s+(?:for\s+review|documentation|records?)|not\s+(?:been\s+)?submitted|documentation\s+(?:submitted|provided|available|reviewed|indicates?|shows?)|progress\s+(?:note|report)s?|office\s+visit|(?:treating|attending|requesting|primary|prescribing|referring)\s+(?:physician|provider|doctor|surgeon|practitioner|clinician)|there\s+(?:is|was|were|are|has\s+been|have\s+been)\s+(?:no|not|a\s+lack|little|limited|insufficient|minimal)|(?:physical\s+)?exam(?:ination)?\s+(?:revealed|showed|demonstrated|noted|documented|was|were|is|of\s+the)|objectively|subjectively|unfortunately|it\s+is\s+(?:unclear|not\s+clear|noted)|the\s+patient\s+(?:was|had|has\s+(?:been|had|not|undergone|completed|received|attended|reported|tried|failed|trialed|used|taken)|is\s+(?:currently|still|now|taking|on|status|not)|reported|reports|presented|presents|complained|complains|underwent|received|attended|continued|continues|denied|denies|stated|states|noted|described|was\s+\w+ed|did|does\s+not|cannot|remains?|returned|tried|failed|utilized|uses|used))\b|\b(?:is|are|was|were)\s+(?:not\s+)?(?:deemed\s+|considered\s+|found\s+)?medically\s+necessary\s*(?:[.;,]|$)|\bhere\b,?(?:\s+however)?|\b(?:he|she)\s+(?:is|was|has|had|reported|reports|complained|complains|underwent|received|states|stated|denied|denies|presented|continues|remains|was\s+\w+ed)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+(?:19|20)\d{2}\b",
    )
});
/// Possessives that point at the patient ("his symptoms"), unless generic ("his or her").
static POSSESSIVE: LazyLock<DualRegex> = LazyLock::new(|| re(r"(?i)\b(?:his|her)\s+(\w+)"));
/// Words that look like the record's but are the guideline's: "if the
/// patient", "the patient should", "there is no evidence to support"; and a
/// topic named before what is said of it ("Regarding the request for an
/// MRI, the MTUS notes …").
static PSEUDO_RECORD: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:if|when|unless|whether|until|once|where)\s+(?:the\s+)?(?:patient|individual|worker|injured\s+worker)\b|\b(?:patient|individual)\s+(?:should|must|may|might|would|can)\b|\bthere\s+(?:is|are)\s+(?:no|insufficient|limited|little|minimal)\s+(?:\w+\s+){0,2}?(?:evidence|studies|data|literature|research|support)\s+(?:to|that|for|supporting|on|of)\b|\b(?:regarding|concerning|as\s+(?:for|to)|with\s+(?:regard|respect)\s+to|in\s+(?:regard|reference)\s+to|relative\s+to)\s+(?:the|this)\s+request",
    )
});
/// A sentence that opens with a subordinate clause ("While the patient had
/// a large tear, the treatment is not recommended …"): its first comma
/// begins the main clause, which may have another voice.
static SUBORDINATE_OPENING: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:while|although|though|whereas|even\s+though|despite|notwithstanding)\b[^,;]{3,300}?,\s+",
    )
});

/// Where a clause can begin inside a sentence: a semicolon, or a comma before
/// a word that turns the sentence ("however", "here", "but", "whereas").
static CLAUSE_BREAK: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i);\s*|,\s+(?:however|here|but|whereas|yet|although|though|while|in\s+this\s+case|in\s+the\s+present\s+case|in\s+contrast|nevertheless)\b",
    )
});

/// Splits flat `text` (already cut into `sentences`) into clauses and gives
/// each its voice. Clauses cover every sentence, in order.
pub fn clauses(text: &str, sentences: &[Range<usize>]) -> Vec<Clause> {
    // Lowered once for the some ten expressions each sentence and clause
    // is searched with.
    let lower = LowerCase::of(text);
    clauses_lowered(&lower.with(text), sentences)
}

/// [`clauses`] of a text whose lower-case copy is made already.
pub fn clauses_lowered(whole: &Lowered<'_>, sentences: &[Range<usize>]) -> Vec<Clause> {
    clauses_of_sentences(whole, sentences, 0..sentences.len(), None)
}

/// The clauses of `sentences[read]`, in order, the clause before the first
/// of them having had the voice `before` (`None` at the text's start): the
/// clauses [`clauses_lowered`] gives for those sentences, so that a text's
/// clauses can be read a stretch of sentences at a time
/// ([`super::Flat::clauses`]).
pub fn clauses_of_sentences(
    whole: &Lowered<'_>,
    sentences: &[Range<usize>],
    read: Range<usize>,
    before: Option<Voice>,
) -> Vec<Clause> {
    let mut out: Vec<Clause> = Vec::new();
    let mut previous = before.unwrap_or(Voice::Record);
    for index in read {
        let sentence = &sentences[index];
        let read = whole.part(sentence.clone());
        let body = read.text();
        let mut starts = vec![0];
        // Not inside an attribution that runs across the comma ("While the
        // MTUS Guideline in ACOEM Chapter 13, pages 335-336 does
        // acknowledge …").
        starts.extend(
            SUBORDINATE_OPENING
                .find_at_lowered(&read, 0)
                .map(|m| m.end())
                .filter(|&at| {
                    !ATTRIBUTION
                        .find_iter_lowered(&read)
                        .iter()
                        .any(|a| a.start() < at && at < a.end())
                }),
        );
        starts.extend(
            CLAUSE_BREAK
                .find_iter_lowered(&read)
                .into_iter()
                .map(|m| {
                    // A clause starts at the turning word itself, or after ";".
                    let found = m.as_str();
                    m.start() + found.find(char::is_alphabetic).unwrap_or(found.len())
                })
                .filter(|&e| e > 0 && e < body.len()),
        );
        starts.sort_unstable();
        starts.dedup();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(body.len());
            let clause = read.part(start..end);
            let (voice, attributed) = voice_of(&clause, previous).unwrap_or((previous, false));
            previous = voice;
            out.push(Clause {
                range: sentence.start + start..sentence.start + end,
                voice,
                attributed,
                sentence: index,
            });
        }
    }
    out
}

/// The voice a clause's own cues give it, if any. `previous` is the voice of
/// the clause before: inside a guideline passage, general guideline language
/// outweighs the guideline's own "the patient" ("gains that facilitate
/// progression in the patient's exercise program").
fn voice_of(clause: &Lowered<'_>, previous: Voice) -> Option<(Voice, bool)> {
    let attribution = [
        ATTRIBUTION.find_at_lowered(clause, 0),
        ATTRIBUTION_BEFORE.find_at_lowered(clause, 0),
    ]
    .into_iter()
    .flatten()
    .map(|m| m.start())
    .min();
    let record = record_cue(clause);
    if attribution.is_none()
        && previous == Voice::Guideline
        && record.is_some_and(|(_, strong)| !strong)
        && is_generic(clause)
    {
        return Some((Voice::Guideline, false));
    }
    let record = record.map(|(at, _)| at);
    match (attribution, record) {
        // The guideline is named before any word about the record: its words
        // run to the clause's end ("ODG recommends … if the patient has …").
        (Some(a), Some(r)) if a <= r => Some((Voice::Guideline, true)),
        // "In this case, per the guidelines, …" is the reviewer applying them.
        (Some(_), Some(_)) => Some((Voice::Record, false)),
        (Some(_), None) => Some((Voice::Guideline, true)),
        (None, Some(_)) => Some((Voice::Record, false)),
        (None, None) if is_generic(clause) => Some((Voice::Guideline, false)),
        (None, None) => None,
    }
}

/// Where the first word about this patient's record stands in a clause, and
/// whether the clause has a strong cue: one a guideline never uses ("the
/// applicant", "in this case", a date), not only "the patient" or "he".
fn record_cue(read: &Lowered<'_>) -> Option<(usize, bool)> {
    let clause = read.text();
    let pseudo: Vec<Range<usize>> = PSEUDO_RECORD
        .find_iter_lowered(read)
        .into_iter()
        .map(|m| m.range())
        .collect();
    let genuine = |r: Range<usize>| {
        !pseudo
            .iter()
            .any(|p| p.start <= r.start + 4 && r.start < p.end)
    };
    let cues: Vec<Range<usize>> = RECORD
        .find_iter_lowered(read)
        .into_iter()
        .map(|m| m.range())
        .filter(|r| genuine(r.clone()))
        .collect();
    let weak = |r: &Range<usize>| {
        let words = clause[r.clone()].to_ascii_lowercase();
        words.starts_with("the patient") || words.starts_with("he ") || words.starts_with("she ")
    };
    let strong = cues.iter().any(|r| !weak(r));
    let cue = cues.first().map(|r| r.start);
    let possessive = POSSESSIVE
        .captures_iter_lowered(read)
        .into_iter()
        .filter(|c| !c[1].eq_ignore_ascii_case("or"))
        .map(|c| c.get(0).map_or(0, |m| m.start()))
        .next();
    [cue, possessive]
        .into_iter()
        .flatten()
        .min()
        .map(|at| (at, strong))
}

/// The clause containing flat offset `at` (the last clause when `at` is past the end).
pub fn clause_at(clauses: &[Clause], at: usize) -> Option<&Clause> {
    let i = clauses.partition_point(|c| c.range.end <= at);
    clauses.get(i).or_else(|| clauses.last())
}

/// Reporting words that make a quotation the words of the patient or a
/// physician ("a diagnosis of "lumbar pain with radiculopathy"", "he stated
/// "my knee gives way""), never the guideline's.
static QUOTED_RECORD: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r#"(?i)\b(?:diagnos[ie]s\s+(?:of|was|were)|diagnosed\s+(?:with|as)|described\s+(?:as|having)|reported|reports|stated|states|said|says|noted|notes|wrote|writes|showed|shows|revealed|reveals|demonstrated|demonstrates|documents|complained\s+of|complains\s+of|characterized\s+as|documented\s+as|assessment\s+of|impression\s+of|described|termed|labeled|labelled|called)\s*[,:]?\s*["\u{201c}]$"#,
    )
});

/// A quotation that names the request under review, not the guideline: led
/// in by "the request for" or "Decision for", or followed by the decision
/// itself (`the "Decision for Pulsed Ultrasound 2 times a week for 4 weeks"
/// is not medically necessary`).
static QUOTED_REQUEST_LEAD: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r#"(?i)\b(?:request(?:ed|s)?\s+(?:for|of)|decision\s+(?:for|on|regarding)|(?:the|this|a|that)\s+request|requested\s+(?:item|service|treatment|procedure))\s*[,:]?\s*["\u{201c}]$"#,
    )
});
static QUOTED_REQUEST_AFTER: LazyLock<DualRegex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:is|was|are|were)\s+(?:not\s+|therefore\s+|thus\s+|hence\s+|also\s+)*(?:medically\s+necessary|(?:non-?)?certified|authorized|approved|upheld|overturned)|(?:is|are)\s+(?:not\s+)?(?:supported\s+)?as\s+medically\s+necessary)\b",
    )
});
static QUOTED_REQUEST_OPENING: LazyLock<DualRegex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:decision|request)\s+for\b"));

/// Longest stretch read as one quotation; a pair of quote marks farther apart
/// is more likely two stray marks (inches, a quoted request name) than a quote.
const MAX_QUOTATION_BYTES: usize = 1200;

/// A quotation in the text and whose words it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    pub range: Range<usize>,
    pub voice: Voice,
}

/// Quotations, straight or curly, across sentences: a reviewer's quotation of
/// a guideline often runs over several, and every sentence of it is guideline
/// text. A quotation introduced as someone's diagnosis or statement is the
/// record's, and so is one that names the request under review.
pub fn quotations(text: &str) -> Vec<Quotation> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('"', None) => open = Some((i + 1, '"')),
            ('\u{201c}', _) => open = Some((i + c.len_utf8(), '\u{201d}')),
            (close, Some((start, expected))) if close == expected => {
                if i - start <= MAX_QUOTATION_BYTES {
                    let before = &text[..start];
                    let lead_from = before.char_indices().rev().nth(40).map_or(0, |(at, _)| at);
                    let lead = &before[lead_from..];
                    let names_guideline =
                        ATTRIBUTION.is_match(lead) || ATTRIBUTION_BEFORE.is_match(lead);
                    let after = &text[i + close.len_utf8()..];
                    let names_request = QUOTED_REQUEST_LEAD.is_match(lead)
                        || QUOTED_REQUEST_AFTER.is_match(after)
                        || QUOTED_REQUEST_OPENING.is_match(&text[start..i]);
                    let voice =
                        if names_request || (!names_guideline && QUOTED_RECORD.is_match(lead)) {
                            Voice::Record
                        } else {
                            Voice::Guideline
                        };
                    out.push(Quotation {
                        range: start..i,
                        voice,
                    });
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Flat ranges presented as guideline text: attributed clauses and the
/// guideline clauses that continue them, and quotations of the guideline.
/// Each range is one clause (or one quotation's sentence), so a comparison
/// with a canonical sentence is made piece by piece.
pub fn guideline_passages(text: &str, sentences: &[Range<usize>]) -> Vec<Range<usize>> {
    guideline_passages_with(text, &clauses(text, sentences), &quotations(text))
}

/// [`guideline_passages`], given the text's clauses (every sentence's) and
/// quotations.
pub fn guideline_passages_with(
    text: &str,
    all: &[Clause],
    quoted: &[Quotation],
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut in_passage = false;
    for clause in all {
        match clause.voice {
            Voice::Guideline if clause.attributed || in_passage => {
                in_passage = true;
                let body = &text[clause.range.clone()];
                // The attribution itself is not guideline text: start after it.
                // A passive verb after the guideline's name is what the
                // guideline says, not the saying ("According to the MTUS,
                // for myalgias, physical therapy is indicated for up to
                // 8-10 sessions").
                let from = ATTRIBUTION
                    .find(body)
                    .filter(|m| !PASSIVE_SAYING.is_match(m.as_str()))
                    .into_iter()
                    .chain(ATTRIBUTION_BEFORE.find(body))
                    .filter(|m| m.start() < body.len() / 2)
                    .map(|m| m.end())
                    .max()
                    .unwrap_or(0);
                let start = clause.range.start + skip_linking(&body[from..]) + from;
                out.push(start..clause.range.end);
            }
            Voice::Guideline => {}
            Voice::Record => in_passage = false,
        }
    }
    for quotation in quoted {
        if quotation.voice == Voice::Guideline {
            for s in crate::text::sentences(&text[quotation.range.clone()]) {
                out.push(quotation.range.start + s.start..quotation.range.start + s.end);
            }
        }
    }
    out.retain(|r| r.start < r.end);
    out.sort_by_key(|r| (r.start, r.end));
    out.dedup();
    out
}

/// An attribution's verb read as the passive of what the guideline says:
/// "is indicated", "are not recommended", "may be supported".
static PASSIVE_SAYING: LazyLock<DualRegex> =
    LazyLock::new(|| re(r"(?i)\b(?:is|are|be|been|was|were)\s+(?:\w+\s+){0,2}?\w+ed$"));

/// Bytes of "that", "the following", ":" or "," that join an attribution to
/// what it attributes.
fn skip_linking(text: &str) -> usize {
    static LINK: LazyLock<DualRegex> =
        LazyLock::new(|| re(r"(?i)^\s*(?:that|the\s+following|as\s+follows)?\s*[:,]?\s*"));
    LINK.find(text).map_or(0, |m| m.end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::sentences;

    /// The shipped samples and, when they are there, the real letters.
    fn letter_texts() -> Vec<String> {
        crate::test_letters::paths()
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .collect()
    }

    #[test]
    fn an_attribution_tried_only_where_its_lead_matches_finds_every_match_of_the_whole_search() {
        let texts = letter_texts();
        assert!(texts.len() >= 20, "the samples are there");
        let (mut sentences_read, mut matches) = (0, 0);
        for led in [&*ATTRIBUTION, &*ATTRIBUTION_BEFORE] {
            assert!(led.has_lead(), "{}", led.as_str());
            let whole = DualRegex::new(led.as_str()).unwrap();
            assert!(!whole.has_lead());
            for text in &texts {
                let found: Vec<_> = led.find_iter(text).map(|m| m.range()).collect();
                let expected: Vec<_> = whole.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(found, expected, "{}", led.as_str());
                matches += found.len();
                let lower = LowerCase::of(text);
                let lowered = lower.with(text);
                for sentence in sentences(text) {
                    let read = lowered.part(sentence.clone());
                    let body = read.text();
                    sentences_read += 1;
                    let ranges = |found: Vec<crate::text::dual_regex::Match<'_>>| {
                        found.into_iter().map(|m| m.range()).collect::<Vec<_>>()
                    };
                    assert_eq!(
                        ranges(led.find_iter_lowered(&read)),
                        ranges(whole.find_iter_lowered(&read)),
                        "{body}"
                    );
                    assert_eq!(led.is_match(body), whole.is_match(body), "{body}");
                    for start in [0, body.len() / 3, body.len() / 2] {
                        let start = (start..=body.len())
                            .find(|&at| body.is_char_boundary(at))
                            .unwrap();
                        assert_eq!(
                            led.find_at_lowered(&read, start).map(|m| m.range()),
                            whole.find_at_lowered(&read, start).map(|m| m.range()),
                            "{body} from {start}"
                        );
                        assert_eq!(
                            led.find_at(body, start).map(|m| m.range()),
                            whole.find_at(body, start).map(|m| m.range()),
                            "{body} from {start}"
                        );
                    }
                }
            }
        }
        // Guideline prose found in two parts (the samples alone hold 42
        // sentences of it), the phrases with a gap of
        // words from their first words only, where one expression would
        // find it.
        let one = DualRegex::new(&format!(
            "{}|{}",
            GENERIC.as_str(),
            GENERIC_GAPPED.as_str().strip_prefix("(?i)").unwrap()
        ))
        .unwrap();
        let mut generic = 0;
        for text in &texts {
            let lower = LowerCase::of(text);
            let lowered = lower.with(text);
            for sentence in sentences(text) {
                let read = lowered.part(sentence);
                assert_eq!(
                    is_generic(&read),
                    one.is_match_lowered(&read),
                    "{}",
                    read.text()
                );
                generic += usize::from(is_generic(&read));
            }
        }
        assert!(GENERIC_GAPPED.has_lead() && generic > 30, "{generic}");
        // The samples alone hold about 1,000 sentences and 60 matches.
        assert!(
            sentences_read > 900 && matches > 40,
            "{sentences_read} sentences, {matches} matches"
        );
    }

    fn voices(text: &str) -> Vec<(String, Voice)> {
        clauses(text, &sentences(text))
            .into_iter()
            .map(|c| (text[c.range].trim().to_owned(), c.voice))
            .collect()
    }

    fn voice_of_phrase(text: &str, phrase: &str) -> Voice {
        let at = text.find(phrase).expect("phrase in text");
        clause_at(&clauses(text, &sentences(text)), at)
            .expect("a clause")
            .voice
    }

    #[test]
    fn an_attributed_passage_continues_until_the_record_speaks() {
        let text = "MTUS recommends manual therapy for chronic pain of the low back. Manual Therapy is widely used in the treatment of musculoskeletal pain. An initial trial of 6 visits over 2 weeks is recommended to establish objective functional improvement. If return to work is achieved, then 1-2 visits every 4-6 months is recommended. Based on the documentation presented, objective functional improvement has been documented.";
        let v = voices(text);
        assert_eq!(v.len(), 5);
        assert!(v[..4].iter().all(|(_, voice)| *voice == Voice::Guideline));
        assert_eq!(v[4].1, Voice::Record);
        // What was not submitted is the record's, never the guideline's.
        let text = "Guidelines recommend electrodiagnostic studies after failed therapy trials. A recent conservative treatment trial and failure has not been submitted.";
        let v = voices(text);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].1, Voice::Guideline);
        assert_eq!(v[1].1, Voice::Record);
    }

    #[test]
    fn the_record_named_with_adjectives_a_topic_lead_in_and_a_subordinate_opening() {
        // "The available medical record" is the record, after a guideline
        // sentence as anywhere.
        let text = "The MTUS states that imaging is indicated for red flags. The available medical record does not indicate concerns for avascular necrosis.";
        assert_eq!(voice_of_phrase(text, "avascular necrosis"), Voice::Record);
        // A topic named first ("Regarding the request for …") does not make
        // the guideline's words the record's.
        let text = "Regarding the request for MRI of the left leg, CA MTUS notes that, in absence of red flags, imaging is not recommended.";
        assert_eq!(voice_of_phrase(text, "red flags"), Voice::Guideline);
        // The request itself, in the record's words, stays the record.
        assert_eq!(
            voice_of_phrase("The request for an MRI of the left leg was denied.", "MRI"),
            Voice::Record
        );
        // "While <the record>, <the guideline>": each clause its own voice.
        let text = "ODG states that surgery is not recommended for partial tears. While the patient had a large rotator cuff tear, the treatment is not recommended for arthroscopic repair.";
        assert_eq!(voice_of_phrase(text, "rotator cuff tear"), Voice::Record);
        assert_eq!(
            voice_of_phrase(text, "arthroscopic repair"),
            Voice::Guideline
        );
        // Unless the comma falls inside the attribution.
        let text = "While the MTUS Guideline in ACOEM Chapter 13, pages 335-336 does acknowledge that knee MRI can confirm a meniscus tear, here, however, it was not clearly stated.";
        assert_eq!(voice_of_phrase(text, "meniscus tear"), Voice::Guideline);
    }

    #[test]
    fn here_however_turns_a_guideline_sentence_to_the_record() {
        let text = "While the MTUS Guideline in ACOEM Chapter 12 notes that facet joint injections are \"not recommended\" in the low back pain context, here, however, the applicant was described as having lumbar radicular symptoms.";
        assert_eq!(
            voice_of_phrase(text, "facet joint injections"),
            Voice::Guideline
        );
        assert_eq!(voice_of_phrase(text, "lumbar radicular"), Voice::Record);
    }

    #[test]
    fn generic_statements_are_guideline_text_and_patient_statements_are_not() {
        assert_eq!(
            voice_of_phrase(
                "Imaging may be considered in patients with progressive neurologic deficit.",
                "neurologic"
            ),
            Voice::Guideline
        );
        assert_eq!(
            voice_of_phrase(
                "The patient has not trialed and failed a proper conservative course of care as recommended.",
                "conservative"
            ),
            Voice::Record
        );
        assert_eq!(
            voice_of_phrase(
                "In this case, there is no documentation of the response to conservative therapy.",
                "conservative"
            ),
            Voice::Record
        );
        // The guideline's own "the patient" stays the guideline's.
        assert_eq!(
            voice_of_phrase(
                "The ODG states opioids should be continued if the patient has returned to work.",
                "returned to work"
            ),
            Voice::Guideline
        );
        // A numbered list of indications is guideline text.
        assert_eq!(
            voice_of_phrase(
                "Criteria for the use of epidural steroid injections: (1) Radiculopathy must be documented by physical examination.",
                "Radiculopathy"
            ),
            Voice::Guideline
        );
    }

    #[test]
    fn a_quoted_request_name_is_the_record() {
        for text in [
            "Therefore, the \"Decision for Pulsed Ultrasound 2 times a week for 4 weeks\" is not medically necessary.",
            "The request for \"physical therapy 12 sessions\" was modified.",
            "As such, \"Norco 10/325 #90\" is not medically necessary.",
        ] {
            let q = quotations(text);
            assert_eq!(q.len(), 1, "{text}");
            assert_eq!(q[0].voice, Voice::Record, "{text}");
        }
        // A quoted guideline sentence stays the guideline's, even when the
        // conclusion follows it.
        let text = "ODG states \"up to 10 visits over 8 weeks\" are recommended; the request is not medically necessary.";
        assert_eq!(quotations(text)[0].voice, Voice::Guideline);
    }

    #[test]
    fn the_reviewers_conclusion_ends_a_guideline_passage() {
        let text = "The MTUS states that ultrasound is not recommended. Therefore, the Decision for Pulsed Ultrasound 2 times a week for 4 weeks is not medically necessary.";
        let passages = guideline_passages(text, &sentences(text));
        assert!(!passages.is_empty());
        for p in &passages {
            assert!(
                !text[p.clone()].contains("Pulsed"),
                "{:?}",
                &text[p.clone()]
            );
        }
    }

    #[test]
    fn a_quoted_diagnosis_is_the_record() {
        let text = "The attending provider gave the applicant a diagnosis of \"lumbar pain with radiculopathy.\" The MTUS states \"Psychological evaluations are recommended.\"";
        let q = quotations(text);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].voice, Voice::Record);
        assert_eq!(q[1].voice, Voice::Guideline);
        // A quoted examination or imaging report is the record too.
        let text = "On examination, the provider notes \"Right shoulder with positive Neer's test.\" An MRI showed \"partial tear of the rotator cuff.\" ODG notes \"MRI is recommended.\"";
        let voices: Vec<Voice> = quotations(text).into_iter().map(|q| q.voice).collect();
        assert_eq!(voices, [Voice::Record, Voice::Record, Voice::Guideline]);
    }

    #[test]
    fn passages_start_after_the_attribution() {
        let text = "The California MTUS 2016 Chronic Pain Guidelines state that cyclobenzaprine is recommended as an option, using a short course of therapy. The treatment should be brief. The documentation indicated the patient used cyclobenzaprine since 10/14/2016.";
        let passages: Vec<&str> = guideline_passages(text, &sentences(text))
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            passages,
            [
                "cyclobenzaprine is recommended as an option, using a short course of therapy.",
                "The treatment should be brief."
            ]
        );
    }
}
