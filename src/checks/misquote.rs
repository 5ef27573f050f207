//! `misquote`: a sentence the rationale presents as guideline text ("The MTUS
//! states …", "ODG recommends …", "according to the guidelines …", or words in
//! quotation marks) that closely resembles a canonical sentence of the
//! guideline (a rule's `quotes`) yet differs in a word that carries meaning: a
//! number, a negation, a time span or a comparison.
//!
//! Numbers and time spans are compared by what the sentences claim
//! ([`super::claims`]): a passage that paraphrases a canonical sentence (it
//! shares most of its content words) but states another number of visits or
//! weeks is a misquote, whatever words surround the number; one that keeps
//! every number is not. A passage that paraphrases none closely but speaks
//! of the item's own rule is compared, clause by clause, with every count of
//! visits and every duration the rule gives (`against_rule`). Clauses
//! about the patient are never compared. A negation is judged only in close
//! quotation, word by word ([`super::wording`]), and only when the two
//! sentences' polarity differs. ICD codes, citations, pages and PDF
//! hyphenation are not claims.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use rayon::prelude::*;

use super::CheckContext;
use super::claims::{
    Claims, changed_quantities, claims, claims_and_words, cleaned, content_words_of_cleaned,
    negations_of_cleaned,
};
use super::wording::{MIN_SHARED, Meaning, Token, Words, compare, could_compare, render, tokenize};
use crate::eval::ItemEvaluation;
use crate::finding::{Check, Finding, Severity};
use crate::letter::Item;
use crate::rules::Pack;
use crate::text::dual_regex::DualRegex;
use crate::text::{Flat, sentences};

/// Flat ranges of the rationale presented as guideline text, clause by
/// clause, long enough to be compared.
pub(crate) fn guideline_passages(text: &str) -> Vec<Range<usize>> {
    let mut pieces = crate::text::attribution::guideline_passages(text, &sentences(text));
    pieces.retain(|r| text[r.clone()].split_whitespace().count() >= MIN_SHARED);
    pieces
}

/// [`guideline_passages`] of a flattened region, with the sentences and
/// quotations the other stages read of it.
fn guideline_passages_of(flat: &Flat) -> Vec<Range<usize>> {
    let text = flat.text.as_str();
    let mut pieces = crate::text::attribution::guideline_passages_with(
        text,
        &flat.clauses(usize::MAX),
        flat.quotations(),
    );
    pieces.retain(|r| text[r.clone()].split_whitespace().count() >= MIN_SHARED);
    pieces
}

/// Canonical sentences that may govern an item: its rule's quotes, then the
/// quotes of every rule citing a document the reviewer cites (in the pack's
/// order), each sentence once.
fn candidate_quotes<'p>(
    pack: &'p Pack,
    item: &Item,
    evaluation: &ItemEvaluation,
) -> Vec<Canonical<'p>> {
    let quotes = &pack.prepared_quotes;
    let prepared = |i: usize| quotes.get(&pack.rules, i);
    let own = evaluation
        .rule
        .as_ref()
        .and_then(|r| pack.rules.iter().position(|rule| rule.id == r.id));
    let citing = quotes.citing(&pack.rules, &item.citations.reviewer_keys());
    // Quotes not yet prepared are prepared on the run's threads at once.
    let unprepared: Vec<usize> = own
        .into_iter()
        .chain(citing.iter().copied())
        .filter(|&i| !quotes.is_prepared(i))
        .collect();
    if unprepared.len() > 1 {
        unprepared.par_iter().for_each(|&i| {
            prepared(i);
        });
    }
    let mut out: Vec<Canonical> = Vec::new();
    // A sentence two rules give is compared once: the first rule's.
    let mut seen: BTreeSet<(u64, &str)> = BTreeSet::new();
    if let Some(i) = own {
        let rule = pack.rules[i].id.as_str();
        for quote in prepared(i) {
            seen.insert((quote.key, quote.source.as_str()));
            out.push(Canonical { rule, quote });
        }
    }
    for i in citing {
        let rule = pack.rules[i].id.as_str();
        for quote in prepared(i) {
            if seen.insert((quote.key, quote.source.as_str())) {
                out.push(Canonical { rule, quote });
            }
        }
    }
    out
}

/// Least share of a canonical sentence's specific content words (generic
/// guideline words left out) a passage must share to be read as quoting or
/// paraphrasing it.
const MIN_CONTENT_COVERAGE: f64 = 0.6;
/// Least number of specific content words shared.
const MIN_CONTENT_SHARED: usize = 3;
/// A short canonical sentence ("Time to produce effect: 4 to 6
/// treatments.") has fewer specific words: a passage paraphrases it when it
/// shares every one of them, and there are at least this many.
const MIN_SHORT_SHARED: usize = 2;

/// A canonical sentence prepared for comparison, once per pack.
#[derive(Debug)]
pub struct PreparedQuote {
    /// The quote as the rule file gives it.
    source: String,
    /// A hash of `source`, which orders a set of quotes cheaply.
    key: u64,
    /// Its words joined by single spaces.
    text: String,
    tokens: Vec<Token>,
    /// The tokens' words ([`Words::of_tokens`]).
    sorted: Words,
    /// Its specific content words ([`super::claims::claims_and_words`]).
    words: Words,
    claims: Claims,
}

impl PreparedQuote {
    fn new(source: &str) -> PreparedQuote {
        let text = ascii_typography(source)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let tokens = tokenize(&text);
        let (claims, words) = claims_and_words(&text);
        PreparedQuote {
            source: source.to_owned(),
            key: super::wording::word_hash(source),
            sorted: Words::of_tokens(&tokens),
            tokens,
            words: set_of(words),
            claims,
            text,
        }
    }

    /// Whether a passage can quote this sentence closely at all.
    fn could_be_quoted_by(&self, passage: &Passage) -> bool {
        could_compare(&self.sorted, &passage.sorted)
    }
}

/// A quote's typography in the ASCII letters use ("≥ 70%" as ">= 70%", an
/// en dash as a hyphen, curly quotes as straight ones). Besides matching
/// letters better, an ASCII sentence is read with the ASCII programs of the
/// claim expressions: one non-ASCII character would compile all of their
/// Unicode programs, a tenth of a one-letter run.
fn ascii_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{2018}' | '\u{2019}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{2033}' => out.push('"'),
            '\u{2265}' => out.push_str(">="),
            '\u{2264}' => out.push_str("<="),
            '\u{00D7}' => out.push('x'),
            '\u{00A0}' | '\u{2009}' | '\u{202F}' => out.push(' '),
            '\u{2026}' => out.push_str("..."),
            c => out.push(c),
        }
    }
    out
}

/// Every rule's quotes prepared for comparison (in the order of the pack's
/// rules), each rule's on the first letter that needs them rather than for
/// each item: preparing them was a tenth of a run's time, and a letter needs
/// the quotes of a few rules only.
#[derive(Debug, Default)]
pub struct PreparedQuotes {
    rules: OnceLock<Vec<OnceLock<Vec<PreparedQuote>>>>,
    /// The rules that give quotes, by each document they cite.
    by_document: OnceLock<BTreeMap<String, Vec<usize>>>,
}

impl PreparedQuotes {
    fn all(&self, rules: &[crate::rules::Rule]) -> &[OnceLock<Vec<PreparedQuote>>] {
        self.rules
            .get_or_init(|| rules.iter().map(|_| OnceLock::new()).collect())
    }

    /// The prepared quotes of `rules[index]`; `rules` must be the pack's own
    /// rules.
    pub fn get(&self, rules: &[crate::rules::Rule], index: usize) -> &[PreparedQuote] {
        // No parallel work inside the initialisation: a thread waiting on
        // it could take up another search of the same rule's quotes and
        // wait on itself.
        self.all(rules)[index].get_or_init(|| {
            rules[index]
                .quotes
                .iter()
                .map(|q| PreparedQuote::new(q))
                .collect()
        })
    }

    /// Whether the quotes of `rules[index]` are prepared.
    fn is_prepared(&self, index: usize) -> bool {
        self.rules
            .get()
            .is_some_and(|all| all[index].get().is_some())
    }

    /// The indices of the rules that give quotes and cite one of
    /// `documents`, in the pack's order.
    fn citing(&self, rules: &[crate::rules::Rule], documents: &[&str]) -> Vec<usize> {
        let by_document = self.by_document.get_or_init(|| {
            let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, rule) in rules.iter().enumerate() {
                if rule.quotes.is_empty() {
                    continue;
                }
                for document in rule.cited_documents() {
                    let indices = map.entry(document.to_owned()).or_default();
                    if indices.last() != Some(&i) {
                        indices.push(i);
                    }
                }
            }
            map
        });
        let mut out: Vec<usize> = documents
            .iter()
            .filter_map(|d| by_document.get(*d))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A canonical sentence that may govern an item, and the rule that gives it.
struct Canonical<'p> {
    rule: &'p str,
    quote: &'p PreparedQuote,
}

impl std::ops::Deref for Canonical<'_> {
    type Target = PreparedQuote;

    fn deref(&self) -> &PreparedQuote {
        self.quote
    }
}

/// The canonical sentence a passage paraphrases best, if it paraphrases one:
/// the most content words shared, at least half the canonical sentence's.
fn paraphrased<'a, 'p>(
    canonicals: &[&'a Canonical<'p>],
    passage: &Passage,
) -> Option<&'a Canonical<'p>> {
    let words = passage.words();
    // Both conditions grow with the words shared: a sentence whose upper
    // bound ([`Words::shared_at_most`]) meets neither is not walked.
    let could = |c: &Canonical<'p>, shared: usize| {
        shared >= MIN_SHORT_SHARED
            && shared as f64 >= MIN_CONTENT_COVERAGE * c.words.len().max(1) as f64
    };
    canonicals
        .iter()
        .copied()
        .filter(|c| could(c, c.words.shared_at_most(words)))
        .filter_map(|c| {
            let shared = c.words.shared(words);
            let coverage = shared as f64 / c.words.len().max(1) as f64;
            let enough = shared >= MIN_CONTENT_SHARED
                || (shared >= MIN_SHORT_SHARED && shared == c.words.len());
            (enough && coverage >= MIN_CONTENT_COVERAGE).then_some((shared, coverage, c))
        })
        .max_by(|a, b| {
            (a.1, a.0)
                .partial_cmp(&(b.1, b.0))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(_, _, c)| c)
}

/// The canonical sentence a passage quotes closely, word for word (a
/// sentence too short to be told by its specific words alone: "Most
/// guidelines limit use to 4 weeks."), if it quotes one.
fn quoted<'a, 'p>(
    canonicals: &[&'a Canonical<'p>],
    passage: &Passage,
) -> Option<&'a Canonical<'p>> {
    canonicals
        .iter()
        .copied()
        .filter(|c| c.could_be_quoted_by(passage))
        .filter_map(|c| compare(&c.tokens, &passage.tokens).map(|cmp| (cmp.ratio, cmp.shared, c)))
        .max_by(|a, b| {
            (a.0, a.1)
                .partial_cmp(&(b.0, b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(_, _, c)| c)
}

/// A passage's words, read once for comparison with every canonical sentence.
struct Passage {
    /// Its negation words, as [`claims`] counts them.
    negations: usize,
    /// The passage [`cleaned`]: its content words are read from it when a
    /// comparison of numbers needs them ([`Passage::words`]), which most
    /// passages, counting nothing, never do.
    cleaned: String,
    words: OnceCell<Words>,
    tokens: Vec<Token>,
    /// The tokens' words ([`Words::of_tokens`]).
    sorted: Words,
}

/// A set of words as [`Words`].
fn set_of(words: BTreeSet<String>) -> Words {
    set_of_words(&words)
}

/// A set of words as [`Words`], borrowed.
fn set_of_words(words: &BTreeSet<String>) -> Words {
    Words::new(words.iter().map(String::as_str))
}

impl Passage {
    fn new(text: &str) -> Passage {
        let tokens = tokenize(text);
        // Cleaned once for both its negations and its words.
        let cleaned = cleaned(text);
        Passage {
            negations: negations_of_cleaned(&cleaned),
            cleaned,
            words: OnceCell::new(),
            sorted: Words::of_tokens(&tokens),
            tokens,
        }
    }

    /// Its content words ([`content_words_of_cleaned`]).
    fn words(&self) -> &Words {
        self.words
            .get_or_init(|| set_of(content_words_of_cleaned(&self.cleaned)))
    }
}

/// The canonical sentence a passage paraphrases or, failing that, quotes.
fn resembled<'a, 'p>(
    canonicals: &[&'a Canonical<'p>],
    passage: &Passage,
) -> Option<&'a Canonical<'p>> {
    paraphrased(canonicals, passage).or_else(|| quoted(canonicals, passage))
}

/// Least number of specific content words a passage shares with the
/// item's own rule's sentences to be read as stating that rule's guideline
/// when it paraphrases none of them closely.
const MIN_TOPIC_SHARED: usize = 2;

/// What a passage is compared with, and what of it is compared.
struct Comparison<'p> {
    rule: &'p str,
    /// The guideline's claims.
    guideline: Claims,
    /// The canonical sentence; empty when the claims gather a rule's
    /// sentences.
    sentence: String,
    /// The passage's claims that are compared.
    letter: Claims,
}

/// Units the comparison with a whole rule reads: counts of visits and
/// durations. Doses, rates and percentages vary with the patient too often
/// for a rule's list of them to be complete.
const RULE_UNITS: [&str; 4] = ["visit", "week", "day", "month"];

/// Content words ([`super::claims::claims_and_words`]) that name the patient or their
/// condition rather than a topic of the guideline.
const PATIENT_WORDS: [&str; 10] = [
    "claimant",
    "patient",
    "worker",
    "injured",
    "employee",
    "applicant",
    "condition",
    "diagnosis",
    "injury",
    "symptom",
];

/// When a passage paraphrases no canonical sentence closely, what the item's
/// own rule says of the quantities the passage states. A passage on the
/// rule's own topic (it shares specific words with the rule's sentences, or
/// names nothing but a unit the rule counts) is read clause by clause; a
/// clause that states a number of visits, weeks or days is compared with
/// every value the rule — or any guideline the reviewer cites — gives for
/// that unit ("up to 10 visits of physical therapy over eight weeks"
/// against the rule's visit counts), when it shares a specific word with a sentence of the rule that counts the same
/// unit or is the only clause of the passage that counts it. Only a number
/// none of them gives reads as changed. Of several clauses counting one
/// unit, one on something the rule does not count ("limited activity for
/// more than 4 months" beside "failed conservative treatments for at least 3
/// to 6 months", where the rule counts months of conservative care) is not
/// compared.
fn against_rule<'p>(
    canonicals: &[Canonical<'p>],
    own_rule: Option<&'p str>,
    read: &Passage,
    passage_text: &str,
    clauses: &[(Claims, BTreeSet<String>)],
) -> Option<Comparison<'p>> {
    let own_rule = own_rule?;
    // The reviewer's conclusion on the request ("… the guidelines,
    // physical therapy two times a week for three weeks is not medically
    // necessary") counts the request, not the guideline.
    if CONCLUSION.is_match(passage_text) {
        return None;
    }
    let own: Vec<&Canonical> = canonicals.iter().filter(|c| c.rule == own_rule).collect();
    let topic: BTreeSet<&str> = own.iter().flat_map(|c| c.words.iter()).collect();
    // Words naming the patient or their condition ("for the claimant's
    // condition") name no topic: every item's rationale uses them.
    let specific: Vec<&str> = read
        .words()
        .iter()
        .filter(|w| !PATIENT_WORDS.contains(w))
        .collect();
    let shared = specific.iter().filter(|w| topic.contains(*w)).count();
    // A passage that names nothing but what the rule counts ("guidelines
    // recommend up to 8 sessions for the claimant's condition") speaks of
    // the item under review.
    let only_counts = shared > 0
        && specific
            .iter()
            .all(|w| topic.contains(*w) && RULE_UNITS.contains(w));
    if shared < MIN_TOPIC_SHARED && !only_counts {
        return None;
    }
    // Every value the rule gives, and every value a sentence of another
    // cited guideline gives that is on the passage's topic too: a number
    // one of them gives is not a change.
    let mut guideline = Claims::default();
    for c in canonicals
        .iter()
        .filter(|c| c.rule == own_rule || c.words.shared(read.words()) >= MIN_TOPIC_SHARED)
    {
        for (unit, values) in &c.claims.quantities {
            guideline
                .quantities
                .entry(unit.clone())
                .or_default()
                .extend(values.iter().cloned());
        }
    }
    let mut letter = Claims::default();
    let stating: Vec<(&Claims, Words)> = clauses
        .iter()
        .filter(|(stated, _)| !stated.quantities.is_empty())
        .map(|(stated, words)| (stated, set_of_words(words)))
        .collect();
    for (stated, words) in &stating {
        for (unit, values) in &stated.quantities {
            if !RULE_UNITS.contains(&unit.as_str()) {
                continue;
            }
            let counting: Vec<&&Canonical> = own
                .iter()
                .filter(|c| c.claims.quantities.contains_key(unit))
                .collect();
            if counting.is_empty() {
                continue;
            }
            let on_topic = |words: &Words| counting.iter().any(|c| !c.words.is_disjoint(words));
            // The clause speaks of what the rule counts; or it is the
            // passage's only clause that counts this unit.
            let alone = stating
                .iter()
                .filter(|(s, _)| s.quantities.contains_key(unit))
                .count()
                == 1;
            if !on_topic(words) && !alone {
                continue;
            }
            let written = guideline.written.entry(unit.clone()).or_default();
            for w in counting
                .iter()
                .filter_map(|c| c.claims.written.get(unit))
                .flatten()
            {
                if !written.contains(w) {
                    written.push(w.clone());
                }
            }
            letter
                .quantities
                .entry(unit.clone())
                .or_default()
                .extend(values.iter().cloned());
            letter
                .written
                .entry(unit.clone())
                .or_default()
                .extend(stated.written.get(unit).into_iter().flatten().cloned());
        }
    }
    (!letter.quantities.is_empty()).then(|| Comparison {
        rule: own_rule,
        guideline,
        sentence: String::new(),
        letter,
    })
}

/// A sentence that concludes on the request.
static CONCLUSION: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(
        r"(?i)\bmedically\s+(?:necessary|indicated|appropriate)\b|\bmedical\s+necessity\b",
    )
    .expect("built-in conclusion pattern is valid")
});

/// A clause that speaks of the patient rather than the guideline ("and the
/// injured worker has completed 20 visits", "the injection on 3/2/2015 gave
/// relief for 2 weeks"): its numbers are the record's.
static ABOUT_THE_PATIENT: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(
        r"(?i)\b(?:the\s+(?:patient|claimant|injured\s+worker|worker|employee|applicant)|(?:he|she)\s+(?:has|had|is|was|takes|took|received|completed|attended|underwent|reports?|reported)|(?:has|have)\s+(?:had|completed|attended|received|undergone|tried|been\s+(?:taking|on|treated|prescribed))|completed|attended|underwent|currently|to\s+date|so\s+far)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    )
    .expect("built-in patient pattern is valid")
});

/// The guideline applied to the patient's condition ("guidelines recommend
/// up to 8 sessions for the claimant's condition"): the numbers stay the
/// guideline's.
static FOR_THE_PATIENTS_CONDITION: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(
        r"(?i)\b(?:for|to|in|given)\s+(?:the|this)\s+(?:patient|claimant|injured\s+worker|worker|employee|applicant)(?:'|\x{2019})s\s+(?:condition|conditions|diagnosis|diagnoses|injury|injuries|complaints?|symptoms)\b",
    )
    .expect("built-in condition pattern is valid")
});

/// Whether a clause speaks of the patient's record.
fn about_the_patient(clause: &str) -> bool {
    ABOUT_THE_PATIENT.is_match(&FOR_THE_PATIENTS_CONDITION.replace_all(clause, " "))
}

/// A passage's clauses (the stretches between commas, semicolons, colons
/// and parentheses) that speak of the guideline, not of the patient.
fn guideline_clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', ':', '(', ')'])
        .filter(|c| !c.trim().is_empty() && !about_the_patient(c))
}

/// The claims and content words of each of a passage's clauses that speak
/// of the guideline, each clause read once.
fn guideline_clause_claims(text: &str) -> Vec<(Claims, BTreeSet<String>)> {
    guideline_clauses(text).map(claims_and_words).collect()
}

/// The claims of a passage's clauses that speak of the guideline, together.
fn merged_claims(clauses: &[(Claims, BTreeSet<String>)]) -> Claims {
    let mut out = Claims::default();
    for (stated, _) in clauses {
        for (unit, values) in &stated.quantities {
            out.quantities
                .entry(unit.clone())
                .or_default()
                .extend(values.iter().cloned());
        }
        for (unit, written) in &stated.written {
            out.written
                .entry(unit.clone())
                .or_default()
                .extend(written.iter().cloned());
        }
        out.negations += stated.negations;
    }
    out
}

/// Where a quantity as written stands in the passage (its first word when
/// cleaning changed the rest), on character boundaries; the whole passage
/// when it cannot be found.
fn locate(passage: &str, written: &str) -> Range<usize> {
    let first = written.split_whitespace().next().unwrap_or("");
    let found = passage
        .find(written)
        .map(|at| at..at + written.len())
        .or_else(|| {
            (!first.is_empty())
                .then(|| passage.find(first).map(|at| at..at + first.len()))
                .flatten()
        });
    found.unwrap_or(0..passage.len())
}

/// Reads the guideline passages of a flat rationale as [`misquote`] does,
/// and drops what it finds: compiles the expressions that do not depend on
/// the pack ([`crate::audit::prepare_expressions`]).
pub(crate) fn prepare_expressions(rationale: &str) {
    for passage in guideline_passages(rationale) {
        let text = &rationale[passage];
        let _ = (
            Passage::new(text),
            merged_claims(&guideline_clause_claims(text)),
            claims(text),
            CONCLUSION.is_match(text),
        );
    }
}

pub fn misquote(cx: &CheckContext, out: &mut Vec<Finding>) {
    // The items are read at once; their findings are gathered in the items'
    // order.
    let per_item: Vec<Vec<Finding>> = cx
        .letter
        .items
        .par_iter()
        .zip(cx.evaluations.par_iter())
        .map(|(item, evaluation)| {
            let mut found = Vec::new();
            misquote_item(cx, item, evaluation, &mut found);
            found
        })
        .collect();
    out.extend(per_item.into_iter().flatten());
}

/// The misquotes of one item's rationale.
fn misquote_item(
    cx: &CheckContext,
    item: &Item,
    evaluation: &ItemEvaluation,
    out: &mut Vec<Finding>,
) {
    let (pack, source) = (cx.pack, cx.source);
    let Some(rationale) = &item.rationale else {
        return;
    };
    let canonicals = candidate_quotes(pack, item, evaluation);
    if canonicals.is_empty() {
        return;
    }
    let own_rule = evaluation.rule.as_ref().map(|r| r.id.as_str());
    // The rule's sentences speak for the guidelines it cites: a reviewer
    // citing another (an ODG table the rule does not hold) may give
    // numbers the rule does not, so the rule as a whole is not compared.
    let own_rule_covers_citation = own_rule.and_then(|id| pack.rule(id)).is_some_and(|rule| {
        let cited: BTreeSet<&str> = rule.cited_documents().collect();
        item.citations
            .reviewer_keys()
            .iter()
            .all(|key| cited.contains(key))
    });
    let all: Vec<&Canonical> = canonicals.iter().collect();
    let flat = source.flat(rationale.span.start..rationale.span.end);
    let mut reported: Vec<Range<usize>> = Vec::new();
    for passage in guideline_passages_of(&flat) {
        if reported
            .iter()
            .any(|r| r.start < passage.end && passage.start < r.end)
        {
            continue;
        }
        let passage_text = &flat.text[passage.clone()];
        let span_of = |r: Range<usize>| {
            let src = flat.source_range(passage.start + r.start..passage.start + r.end);
            source.span(src.start, src.end)
        };
        // A number or time span changed, however the words around it
        // are paraphrased: against the sentence the passage paraphrases
        // or, failing one, the rule's counts and durations (only where
        // the rule speaks for the cited guidelines: comparing with every
        // number a rule gives raised false alarms for numbers the pack
        // does not hold).
        let read = Passage::new(passage_text);
        // A paraphrased sentence that counts none of what the passage
        // counts leaves the passage to the rule's other sentences (when
        // the rule speaks for every guideline the reviewer cites).
        let clauses = if super::claims::may_count(passage_text) {
            guideline_clause_claims(passage_text)
        } else {
            Vec::new()
        };
        let stated = merged_claims(&clauses);
        // A passage that counts nothing changes no number: neither a
        // sentence nor the rule is compared with it.
        let counts = !stated.quantities.is_empty();
        let against = match counts
            .then(|| resembled(&all, &read))
            .flatten()
            .filter(|c| {
                c.claims
                    .quantities
                    .keys()
                    .any(|unit| stated.quantities.contains_key(unit))
            }) {
            Some(c) => Some(Comparison {
                rule: c.rule,
                guideline: c.claims.clone(),
                sentence: c.text.clone(),
                letter: stated,
            }),
            None if counts && own_rule_covers_citation => {
                against_rule(&canonicals, own_rule, &read, passage_text, &clauses)
            }
            None => None,
        };
        if let Some(Comparison {
            rule: rule_id,
            guideline: guideline_claims,
            sentence: guideline_text,
            letter: letter_claims,
        }) = against
        {
            // A sentence that joins two statements of the rule ("a trial
            // of 6 visits ..., and a total of up to 18 ...") changes no
            // number when every number it gives is one of the rule's.
            // (Only statements the sentence itself paraphrases count.)
            let of_rule = |unit: &str, value: &String| {
                canonicals.iter().any(|c| {
                    c.rule == rule_id
                        && c.claims
                            .quantities
                            .get(unit)
                            .is_some_and(|v| v.contains(value))
                        && resembled(&[c], &read).is_some()
                })
            };
            let mut changed = changed_quantities(&guideline_claims, &letter_claims);
            changed.retain(|c| {
                letter_claims
                    .quantities
                    .get(&c.unit)
                    .is_some_and(|values| values.iter().any(|v| !of_rule(&c.unit, v)))
            });
            if let Some(first) = changed.first() {
                let words = first.letter.first().cloned().unwrap_or_default();
                let number = locate(passage_text, &words);
                // Against one sentence: what it says. Against the rule as a
                // whole: what its sentences say of the same unit.
                let against_sentence = !guideline_text.is_empty();
                let described: Vec<String> = changed
                    .iter()
                    .map(|c| {
                        format!(
                            "\"{}\" where {} \"{}\"",
                            c.letter.join(", "),
                            if against_sentence {
                                "the guideline says"
                            } else {
                                "the rule's statements of the guideline say only"
                            },
                            c.guideline.join(", ")
                        )
                    })
                    .collect();
                reported.push(passage.clone());
                let message = if against_sentence {
                    format!(
                        "item {}: the rationale presents as guideline text a sentence whose numbers differ from the guideline ({}): {} (guideline: \"{guideline_text}\")",
                        item.index,
                        rule_id,
                        described.join("; "),
                    )
                } else {
                    format!(
                        "item {}: the rationale presents as guideline text a sentence with a number no statement of the guideline gives ({}): {}",
                        item.index,
                        rule_id,
                        described.join("; "),
                    )
                };
                out.push(
                    Finding::new(Check::Misquote, Severity::Warning, message)
                        .for_item(item.index)
                        .with_rule(rule_id)
                        .at(span_of(number))
                        .at(span_of(0..passage_text.len())),
                );
                continue;
            }
        }
        // A negation added or dropped: only in a close quotation, where
        // the words line up, and only when the sentence's polarity
        // really differs (paraphrase moves negations about).
        let tokens = &read.tokens;
        let best = canonicals
            .iter()
            .filter(|c| c.claims.negations != read.negations && c.could_be_quoted_by(&read))
            .filter_map(|c| compare(&c.tokens, tokens).map(|cmp| (c, cmp)))
            .max_by(|a, b| {
                (a.1.ratio, a.1.shared)
                    .partial_cmp(&(b.1.ratio, b.1.shared))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        let Some((canonical, comparison)) = best else {
            continue;
        };
        let negations: Vec<_> = comparison
            .meaningful
            .iter()
            .filter(|c| c.meanings.contains(&Meaning::Negation) && c.only_polarity)
            .collect();
        let Some(first) = negations.first() else {
            continue;
        };
        let words = if first.letter.is_empty() {
            first.letter.start.saturating_sub(1)..(first.letter.start + 1).min(tokens.len())
        } else {
            first.letter.clone()
        };
        if words.is_empty() {
            continue;
        }
        let region = comparison.letter_region.clone();
        let whole = tokens[region.start].range.start..tokens[region.end - 1].range.end;
        reported.push(passage.clone());
        let diff = render(
            &canonical.text,
            &canonical.tokens,
            passage_text,
            tokens,
            &comparison.ops,
        );
        out.push(
            Finding::new(
                Check::Misquote,
                Severity::Warning,
                format!(
                    "item {}: the rationale presents as guideline text a sentence that differs from the guideline ({}) in a negation: {diff} (guideline: \"{}\")",
                    item.index, canonical.rule, canonical.text
                ),
            )
            .for_item(item.index)
            .with_rule(canonical.rule)
            .at(span_of(tokens[words.start].range.start..tokens[words.end - 1].range.end))
            .at(span_of(whole)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> Canonical<'static> {
        Canonical {
            rule: "r",
            quote: Box::leak(Box::new(PreparedQuote::new(text))),
        }
    }

    #[test]
    fn short_canonical_sentences_are_recognised() {
        // Two specific words, both shared: a paraphrase.
        let effect = canonical("Time to produce effect: 4 to 6 treatments.");
        let limit = canonical("Most guidelines limit use to 4 weeks.");
        let all = [&effect, &limit];
        let found = resembled(
            &all,
            &Passage::new("The time to produce effect is between 11 to 6 treatments."),
        );
        assert_eq!(found.map(|c| c.text.as_str()), Some(effect.text.as_str()));
        // One specific word: only a close quotation counts.
        let found = resembled(
            &all,
            &Passage::new("Most guidelines limit use to 11 weeks."),
        );
        assert_eq!(found.map(|c| c.text.as_str()), Some(limit.text.as_str()));
        assert!(
            resembled(
                &all,
                &Passage::new("Guidelines set a limit on this at 11 weeks of use.")
            )
            .is_none()
        );
        assert!(
            resembled(
                &all,
                &Passage::new("The effect of the injection lasted 3 weeks.")
            )
            .is_none()
        );
    }

    /// A rule's quotes, as the candidates of an item whose rule they are.
    fn rule_quotes(texts: &[&str]) -> Vec<Canonical<'static>> {
        texts.iter().map(|t| canonical(t)).collect()
    }

    fn changed_against_rule(quotes: &[Canonical<'static>], passage: &str) -> Vec<String> {
        let clauses = guideline_clause_claims(passage);
        against_rule(quotes, Some("r"), &Passage::new(passage), passage, &clauses)
            .map(|c| {
                changed_quantities(&c.guideline, &c.letter)
                    .into_iter()
                    .map(|ch| ch.unit)
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_passage_is_compared_with_every_number_its_rule_gives() {
        let pt = rule_quotes(&[
            "Lumbar sprains and strains: 10 visits over 8 weeks",
            "An injured worker shall be entitled to no more than 24 chiropractic, 24 occupational therapy, and 24 physical therapy visits per industrial injury.",
            "Allow for fading of treatment frequency (from up to 3 visits per week to 1 or less), plus active self-directed home Physical Medicine.",
        ]);
        // A paraphrase with a number the rule never gives.
        assert_eq!(
            changed_against_rule(&pt, "up to 17 visits of physical therapy over eight weeks."),
            ["visit"]
        );
        // The rule's own numbers, however paraphrased: nothing changed.
        assert!(
            changed_against_rule(&pt, "up to 10 visits of physical therapy over eight weeks.")
                .is_empty()
        );
        // The patient's own visits, and a rate, are not the guideline's.
        for passage in [
            "physical therapy visits should fade, and the injured worker has completed 20 visits of physical therapy.",
            "physical therapy with fading of treatment frequency to 1 visit per week or less.",
            "physical therapy visits are limited, and on 3/2/2015 he had 12 visits.",
        ] {
            assert!(changed_against_rule(&pt, passage).is_empty(), "{passage}");
        }
        // The reviewer's conclusion counts the request.
        assert!(
            changed_against_rule(
                &pt,
                "Based on the guidelines, physical therapy two times a week for 17 weeks is not medically necessary."
            )
            .is_empty()
        );
        // The guideline applied to the patient's condition still speaks for
        // the guideline; the patient's own course does not.
        assert_eq!(
            changed_against_rule(
                &pt,
                "guidelines recommend up to 17 visits of physical therapy for the claimant's condition."
            ),
            ["visit"]
        );
        assert!(
            changed_against_rule(
                &pt,
                "physical therapy is limited, and the claimant's 17 visits of physical therapy did not help."
            )
            .is_empty()
        );
    }

    #[test]
    fn a_passage_that_names_only_a_count_speaks_of_the_item() {
        let pt = rule_quotes(&[
            "Neuralgia, neuritis, and radiculitis, unspecified: 8-10 visits over 4 weeks",
            "Myalgia and myositis, unspecified: 9-10 visits over 8 weeks",
        ]);
        // Nothing but the count and the patient's condition: the item's own
        // topic, so compared with the rule's counts.
        assert_eq!(
            changed_against_rule(&pt, "up to 15 sessions for the claimant's condition."),
            ["visit"]
        );
        assert!(
            changed_against_rule(&pt, "up to 8 sessions for the claimant's condition.").is_empty()
        );
        // A count beside another topic the rule does not speak of is left
        // alone.
        assert!(
            changed_against_rule(
                &pt,
                "up to 15 sessions of acupuncture for the claimant's condition."
            )
            .is_empty()
        );
    }

    #[test]
    fn a_clause_on_what_the_rule_does_not_count_is_left_alone() {
        let shoulder = rule_quotes(&[
            "Conservative care, including cortisone injections, can be carried out for at least three to six months before considering surgery.",
            "Referral for surgical consultation may be indicated for patients who have clear clinical and imaging evidence of a lesion.",
        ]);
        let passage = "surgical considerations may be recommended for patients with red flag conditions, limited activity for more than 4 months, have failed conservative treatments for at least 3 to 6 months, and have evidence of a lesion on imaging.";
        assert!(changed_against_rule(&shoulder, passage).is_empty());
        let changed = passage.replace("3 to 6 months", "3 to 9 months");
        assert_eq!(changed_against_rule(&shoulder, &changed), ["month"]);
        // Off the rule's topic: not compared at all.
        assert!(
            changed_against_rule(&shoulder, "lumbar fusion after 11 months of bracing.").is_empty()
        );
    }

    #[test]
    fn a_quote_is_read_in_the_typography_letters_use() {
        let quote = PreparedQuote::new("a response of ≥ 70% for 4–6 weeks, “not” longer");
        assert_eq!(
            quote.text,
            "a response of >= 70% for 4-6 weeks, \"not\" longer"
        );
        assert!(quote.text.is_ascii());
        assert!(quote.claims.quantities["week"].contains("4-6"));
    }

    #[test]
    fn a_highlight_stays_on_character_boundaries() {
        let passage = "ACOEM “states” ab— surgery for the first 1 month";
        let found = locate(passage, "first 1 month");
        assert_eq!(&passage[found], "first 1 month");
        // Written differently from the passage: its first word, or the whole.
        let found = locate(passage, "surgery 3 months");
        assert_eq!(&passage[found], "surgery");
        let found = locate(passage, "“zzz");
        assert_eq!(found, 0..passage.len());
    }

    #[test]
    fn passages_are_attributed_or_quoted() {
        let text = "The MTUS states that an initial trial of 6 visits over 2 weeks is recommended. He had 12 visits over 4 weeks. ODG notes, \"Frequency: 1 to 3 times per week.\" The records were reviewed carefully today.";
        let passages: Vec<&str> = guideline_passages(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert!(passages.contains(&"an initial trial of 6 visits over 2 weeks is recommended."));
        assert!(passages.contains(&"Frequency: 1 to 3 times per week."));
        assert!(!passages.iter().any(|p| p.contains("He had 12 visits")));
        assert!(!passages.iter().any(|p| p.contains("records were reviewed")));
    }

    #[test]
    fn a_passive_verb_after_the_attribution_is_the_guidelines_words() {
        let text = "According to the California MTUS, for myalgias and/or neuralgias, physical therapy is indicated for up to 8-10 sessions over 4-8 weeks. The MTUS states that home exercise is recommended.";
        let passages: Vec<&str> = guideline_passages(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert!(
            passages.contains(&"for myalgias and/or neuralgias, physical therapy is indicated for up to 8-10 sessions over 4-8 weeks."),
            "{passages:?}"
        );
        assert!(
            passages.contains(&"home exercise is recommended."),
            "{passages:?}"
        );
    }
}
