//! Word-level comparison of a sentence of a letter with a canonical
//! sentence of the guideline, for the `misquote` check.
//!
//! Both texts are cut into word tokens (lower-cased, number words read as
//! digits, so "six" and "6" are the same word) and diffed with `similar`. The
//! comparison is confined to the aligned region — from the first to the last
//! word the two share — so a partial quotation or the reviewer's own words
//! around it do not count against the match. A match needs a similarity of at
//! least [`MIN_RATIO`] over that region and must cover at least half of the
//! canonical sentence. Paraphrase (other words that carry no meaning of this
//! kind: "in order to establish" for "to establish") is not a misquote; a
//! changed number, negation, time span or comparison is.

use std::collections::BTreeSet;
use std::ops::Range;

use similar::{Algorithm, DiffOp, DiffTag, capture_diff_slices};

/// Least similarity (2·shared words / words of both sides, over the aligned region).
pub(crate) const MIN_RATIO: f64 = 0.75;
/// Least share of the canonical sentence's words the letter must reproduce.
const MIN_COVERAGE: f64 = 0.5;
/// Least number of shared words for a sentence to count as a quotation at all.
pub(crate) const MIN_SHARED: usize = 4;
/// Longest substitution at either end of both texts still read as a changed word.
const EDGE_SWAP: usize = 3;

/// Why a differing word carries meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Meaning {
    Number,
    Negation,
    TimeSpan,
    Comparison,
}

/// One word of a text: its comparison form and where it stands.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub norm: String,
    pub range: Range<usize>,
}

/// Cuts text into words: runs of letters and digits (a decimal point or a
/// thousands comma between digits stays inside a number). Words are
/// lower-cased and number words become digits.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let ch = chars[j].1;
            let inside_number = matches!(ch, '.' | ',')
                && chars[j - 1].1.is_ascii_digit()
                && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit());
            if ch.is_alphanumeric() || inside_number {
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |c| c.0);
        let word = text[start..end].to_lowercase();
        let norm = match crate::letter::number_word(&word) {
            Some(n) if !word.chars().all(|c| c.is_ascii_digit()) => n.to_string(),
            _ => word.replace(',', ""),
        };
        out.push(Token {
            norm,
            range: start..end,
        });
        i = j;
    }
    out
}

/// What kind of meaning a (normalised) word carries, if any.
pub(crate) fn meaning(word: &str) -> Option<Meaning> {
    if word.chars().next().is_some_and(|c| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return Some(Meaning::Number);
    }
    match word {
        "not" | "no" | "never" | "without" | "nor" | "none" | "neither" | "cannot" => {
            Some(Meaning::Negation)
        }
        "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years" | "hour"
        | "hours" | "daily" | "weekly" | "monthly" | "yearly" | "annually" | "semiannual" => {
            Some(Meaning::TimeSpan)
        }
        "more" | "less" | "fewer" | "greater" | "than" | "maximum" | "minimum" | "exceed"
        | "exceeds" | "exceeding" => Some(Meaning::Comparison),
        "once" | "twice" | "single" | "half" | "dozen" => Some(Meaning::Number),
        _ => None,
    }
}

/// The meaning of word `i` of a text in its context: "least" and "most" are
/// comparisons only in "at least" / "at most" ("most knee complaints" is not).
fn meaning_in(words: &[&str], i: usize) -> Option<Meaning> {
    match words[i] {
        "least" | "most" => (i > 0 && words[i - 1] == "at").then_some(Meaning::Comparison),
        word => meaning(word),
    }
}

const STOPWORDS: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "for", "and", "or", "is", "are", "be", "with", "that",
    "on", "at", "by", "as", "it", "this", "was", "were",
];

/// One change inside the aligned region: the letter's words it covers.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// Words of the letter.
    pub letter: Range<usize>,
    pub meanings: BTreeSet<Meaning>,
    /// Every word changed is a negation or an auxiliary ("[-not-]",
    /// "{+is not+}"): the change is the polarity and nothing else.
    pub only_polarity: bool,
}

/// How a letter's words compare with a canonical sentence.
#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    pub ratio: f64,
    pub shared: usize,
    /// The aligned region of the letter's words.
    pub letter_region: Range<usize>,
    pub ops: Vec<DiffOp>,
    /// Changes inside the region whose words carry meaning.
    pub meaningful: Vec<Change>,
}

/// Words keyed for comparison: each with a hash of itself, sorted by hash
/// and then by the word, so that two lists are compared by a merge that
/// reads integers and reads the words only where the hashes agree. A
/// passage is compared with a hundred canonical sentences or more; the
/// ordering is arbitrary but the same for every list, so counts are exact.
#[derive(Debug, Clone, Default)]
pub(crate) struct Words {
    keyed: Vec<(u64, Box<str>)>,
    /// A bit per word hash (its low seven bits): two lists share at most as
    /// many words as one has words whose bit the other sets, which tells
    /// most pairs apart without walking both lists.
    bits: u128,
}

/// The bit of [`Words::bits`] a word's hash sets.
fn bit(hash: u64) -> u128 {
    1u128 << (hash & 127)
}

/// FNV-1a: a hash that is the same in every run.
pub(crate) fn word_hash(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Words {
    /// The words, repeats kept (a multiset).
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Words {
        let mut keyed: Vec<(u64, Box<str>)> = words
            .into_iter()
            .map(|w| (word_hash(w), Box::from(w)))
            .collect();
        keyed.sort_unstable();
        let bits = keyed
            .iter()
            .fold(0u128, |bits, (hash, _)| bits | bit(*hash));
        Words { keyed, bits }
    }

    /// The words of `tokens`, repeats kept.
    pub(crate) fn of_tokens(tokens: &[Token]) -> Words {
        Words::new(tokens.iter().map(|t| t.norm.as_str()))
    }

    pub(crate) fn len(&self) -> usize {
        self.keyed.len()
    }

    /// At least as many as [`Words::shared`]: the words of this list whose
    /// bit `other` sets.
    pub(crate) fn shared_at_most(&self, other: &Words) -> usize {
        self.keyed
            .iter()
            .filter(|(hash, _)| other.bits & bit(*hash) != 0)
            .count()
    }

    /// How many words the two lists share, repeats counted.
    pub(crate) fn shared(&self, other: &Words) -> usize {
        let (a, b) = (&self.keyed, &other.keyed);
        let (mut i, mut j, mut shared) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        shared
    }

    /// Whether the two lists share no word.
    pub(crate) fn is_disjoint(&self, other: &Words) -> bool {
        self.shared(other) == 0
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.keyed.iter().map(|(_, w)| &**w)
    }
}

/// Words two token lists share, counted as multisets: an upper bound on the
/// words a diff can align, cheap enough to rule most pairs out before diffing.
fn shared_upper_bound(quote: &[Token], letter: &[Token]) -> usize {
    Words::of_tokens(quote).shared(&Words::of_tokens(letter))
}

/// Whether [`compare`] can find a quotation at all, from the two texts'
/// words ([`Words::of_tokens`]): the cheap test it starts with, for a
/// caller comparing one passage with many sentences.
pub(crate) fn could_compare(quote: &Words, letter: &Words) -> bool {
    let enough =
        |bound: usize| bound >= MIN_SHARED && (bound as f64) >= MIN_COVERAGE * quote.len() as f64;
    // The two share no more words than the shorter has.
    if !enough(quote.len().min(letter.len())) || !enough(quote.shared_at_most(letter)) {
        return false;
    }
    enough(quote.shared(letter))
}

pub(crate) fn compare(quote: &[Token], letter: &[Token]) -> Option<Comparison> {
    let bound = shared_upper_bound(quote, letter);
    if bound < MIN_SHARED || (bound as f64) < MIN_COVERAGE * quote.len() as f64 {
        return None;
    }
    let old: Vec<&str> = quote.iter().map(|t| t.norm.as_str()).collect();
    let new: Vec<&str> = letter.iter().map(|t| t.norm.as_str()).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &old, &new);
    let equal = |op: &DiffOp| op.tag() == DiffTag::Equal;
    // Spurious single-stopword matches at the edges do not anchor the region.
    let anchors = |op: &DiffOp| {
        let (tag, o, _) = op.as_tag_tuple();
        tag == DiffTag::Equal && (o.len() >= 2 || !STOPWORDS.contains(&old[o.start]))
    };
    let mut first = ops.iter().position(anchors)?;
    let mut last = ops.iter().rposition(anchors)?;
    // A short substitution at the very start or end of both texts is a changed
    // word ("… six [-weeks-]{+months+}."), not a partial quotation.
    let short_swap = |op: &DiffOp| {
        let (tag, o, n) = op.as_tag_tuple();
        tag == DiffTag::Replace && o.len() <= EDGE_SWAP && n.len() <= EDGE_SWAP
    };
    if first == 1 && short_swap(&ops[0]) {
        first = 0;
    }
    if last + 2 == ops.len() && short_swap(&ops[last + 1]) {
        last += 1;
    }
    let region = &ops[first..=last];
    let shared: usize = region
        .iter()
        .filter(|op| equal(op))
        .map(|op| op.old_range().len())
        .sum();
    let quote_region = region[0].old_range().start..region[region.len() - 1].old_range().end;
    let letter_region = region[0].new_range().start..region[region.len() - 1].new_range().end;
    let ratio = 2.0 * shared as f64 / (quote_region.len() + letter_region.len()) as f64;
    if shared < MIN_SHARED
        || ratio < MIN_RATIO
        || (shared as f64) < MIN_COVERAGE * quote.len() as f64
    {
        return None;
    }
    let mut meaningful = Vec::new();
    for op in region.iter().filter(|op| !equal(op)) {
        let (tag, o, n) = op.as_tag_tuple();
        // A long clause left out or added is abridgement or the reviewer's own
        // elaboration; only a negation in it changes what the guideline says.
        let abridged =
            matches!(tag, DiffTag::Delete | DiffTag::Insert) && o.len().max(n.len()) > EDGE_SWAP;
        let keep = |m: &Meaning| !abridged || *m == Meaning::Negation;
        let removed: Vec<(&str, Meaning)> = o
            .clone()
            .filter_map(|i| meaning_in(&old, i).map(|m| (old[i], m)))
            .filter(|(_, m)| keep(m))
            .collect();
        let added: Vec<(&str, Meaning)> = n
            .clone()
            .filter_map(|i| meaning_in(&new, i).map(|m| (new[i], m)))
            .filter(|(_, m)| keep(m))
            .collect();
        if removed.is_empty() && added.is_empty() {
            continue;
        }
        // The same meaningful words moved within one change: word order, not meaning.
        let mut a: Vec<&str> = removed.iter().map(|(w, _)| *w).collect();
        let mut b: Vec<&str> = added.iter().map(|(w, _)| *w).collect();
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            continue;
        }
        let polarity_word = |w: &str| {
            meaning(w) == Some(Meaning::Negation)
                || matches!(
                    w,
                    "is" | "are" | "be" | "been" | "was" | "were" | "do" | "does" | "should" | "t"
                )
        };
        let only_polarity =
            o.clone().all(|i| polarity_word(old[i])) && n.clone().all(|i| polarity_word(new[i]));
        meaningful.push(Change {
            letter: n,
            meanings: removed.into_iter().chain(added).map(|(_, m)| m).collect(),
            only_polarity,
        });
    }
    Some(Comparison {
        ratio,
        shared,
        letter_region,
        ops: region.to_vec(),
        meaningful,
    })
}

/// Renders the aligned region as a word diff, guideline words as `[-…-]` and
/// the letter's as `{+…+}`, keeping up to three shared words around each change.
pub(crate) fn render(
    quote_text: &str,
    quote: &[Token],
    letter_text: &str,
    letter: &[Token],
    ops: &[DiffOp],
) -> String {
    const CONTEXT: usize = 3;
    let words = |text: &str, tokens: &[Token], r: Range<usize>| -> String {
        if r.is_empty() {
            return String::new();
        }
        text[tokens[r.start].range.start..tokens[r.end - 1].range.end].to_owned()
    };
    let ellipsis = "…".to_owned();
    let mut parts: Vec<String> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let (tag, o, n) = op.as_tag_tuple();
        if tag != DiffTag::Equal {
            let old = words(quote_text, quote, o);
            let new = words(letter_text, letter, n);
            let mut s = String::new();
            if !old.is_empty() {
                s.push_str(&format!("[-{old}-]"));
            }
            if !new.is_empty() {
                s.push_str(&format!("{{+{new}+}}"));
            }
            parts.push(s);
            continue;
        }
        let (first, last) = (i == 0, i + 1 == ops.len());
        let len = n.len();
        if first && len > CONTEXT {
            parts.push(ellipsis.clone());
            parts.push(words(letter_text, letter, n.end - CONTEXT..n.end));
        } else if last && len > CONTEXT {
            parts.push(words(letter_text, letter, n.start..n.start + CONTEXT));
            parts.push(ellipsis.clone());
        } else if !first && !last && len > 2 * CONTEXT {
            parts.push(words(letter_text, letter, n.start..n.start + CONTEXT));
            parts.push(ellipsis.clone());
            parts.push(words(letter_text, letter, n.end - CONTEXT..n.end));
        } else {
            parts.push(words(letter_text, letter, n));
        }
    }
    if parts.first() != Some(&ellipsis) {
        parts.insert(0, ellipsis.clone());
    }
    if parts.last() != Some(&ellipsis) {
        parts.push(ellipsis);
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bits' bound never falls below the words two lists share, and
    /// rules out lists that share nothing.
    #[test]
    fn the_bits_bound_the_shared_words_from_above() {
        let texts = [
            "up to 10 visits over 8 weeks are recommended for myalgia and myositis",
            "physical therapy 10 visits over 8 weeks for myalgia is recommended",
            "the patient had 12 sessions of physical therapy with no benefit",
            "not recommended for chronic pain of the low back the the the",
            "",
        ];
        let lists: Vec<Words> = texts
            .iter()
            .map(|t| Words::new(t.split_whitespace()))
            .collect();
        for a in &lists {
            for b in &lists {
                assert!(a.shared_at_most(b) >= a.shared(b));
            }
        }
        assert_eq!(lists[0].shared(&lists[1]), 8);
        assert_eq!(lists[4].shared_at_most(&lists[0]), 0);
        let far = Words::new(["zygapophyseal"]);
        assert!(far.shared_at_most(&lists[2]) <= 1);
    }

    fn cmp(quote: &str, letter: &str) -> Option<Comparison> {
        compare(&tokenize(quote), &tokenize(letter))
    }

    const XRAY: &str = "Lumbar spine x-rays should not be recommended in patients with low back pain in the absence of red flags for serious spinal pathology, even if the pain has persisted for at least six weeks.";

    #[test]
    fn tokens_fold_case_and_number_words() {
        let words: Vec<String> = tokenize("Six visits over 2-3 weeks, 7.5 mg; 1,000 units")
            .into_iter()
            .map(|t| t.norm)
            .collect();
        assert_eq!(
            words,
            [
                "6", "visits", "over", "2", "3", "weeks", "7.5", "mg", "1000", "units"
            ]
        );
    }

    #[test]
    fn a_changed_time_span_is_a_misquote() {
        let letter = "Lumbar spine x-rays should not be recommended in patients with low back pain in the absence of red flags for serious spinal pathology, even if the pain has persisted for at least six months.";
        let c = cmp(XRAY, letter).expect("close enough to compare");
        assert!(c.ratio >= MIN_RATIO);
        assert_eq!(c.meaningful.len(), 1);
        assert!(c.meaningful[0].meanings.contains(&Meaning::TimeSpan));
        let q = tokenize(XRAY);
        let l = tokenize(letter);
        let shown = render(XRAY, &q, letter, &l, &c.ops);
        assert!(
            shown.contains("at least six [-weeks-]{+months+}"),
            "{shown}"
        );
    }

    #[test]
    fn dropped_negation_and_changed_number_are_misquotes() {
        let letter = "Lumbar spine x-rays should be recommended in patients with low back pain in the absence of red flags for serious spinal pathology, even if the pain has persisted for at least six weeks.";
        let c = cmp(XRAY, letter).unwrap();
        assert_eq!(
            c.meaningful[0].meanings,
            BTreeSet::from([Meaning::Negation])
        );
        let c = cmp(
            "An initial trial of 6 visits over 2 weeks is recommended to establish objective functional improvement.",
            "an initial trial of 6 visits over 4 weeks is recommended to establish objective functional improvement",
        )
        .unwrap();
        assert_eq!(c.meaningful[0].meanings, BTreeSet::from([Meaning::Number]));
        let c = cmp(XRAY, &XRAY.replace("at least", "at most")).unwrap();
        assert_eq!(
            c.meaningful[0].meanings,
            BTreeSet::from([Meaning::Comparison])
        );
    }

    #[test]
    fn paraphrase_partial_quotes_and_number_words_are_not() {
        // Number words for digits, a filler phrase, "may be" for "is".
        let c = cmp(
            "An initial trial of 6 visits over 2 weeks is recommended to establish objective functional improvement.",
            "an initial trial of six visits over two weeks is recommended in order to establish objective functional improvement",
        )
        .unwrap();
        assert!(c.meaningful.is_empty(), "{:?}", c.meaningful);
        // A partial quotation: the letter stops before "even if".
        let c = cmp(
            XRAY,
            "Lumbar spine x-rays should not be recommended in patients with low back pain in the absence of red flags for serious spinal pathology",
        )
        .unwrap();
        assert!(c.meaningful.is_empty());
        // The reviewer's own sentence sharing a few words is not a quotation.
        assert!(
            cmp(
                XRAY,
                "He has had low back pain for two years without red flags"
            )
            .is_none()
        );
    }

    #[test]
    fn abridgement_and_quantifiers_are_not_but_a_dropped_clause_with_not_is() {
        let tens = "a TENS unit is not recommended as a primary treatment modality, but a one-month home-based TENS trial may be considered as a noninvasive conservative option, if used as an adjunct to a program of evidence-based functional restoration";
        let c = cmp(
            tens,
            "a TENS unit is not recommended as a primary treatment modality, but may be used as an adjunct to a program of evidence-based functional restoration",
        )
        .unwrap();
        assert!(c.meaningful.is_empty(), "{:?}", c.meaningful);
        let knee = "Special studies are not needed to evaluate most knee complaints until after a period of conservative care and observation.";
        let c = cmp(
            knee,
            "special studies are usually not needed until after a period of conservative care and observation",
        )
        .unwrap();
        assert!(c.meaningful.is_empty(), "{:?}", c.meaningful);
        let compound = "Any compounded product that contains at least one drug (or drug class) that is not recommended is not recommended.";
        let c = cmp(
            compound,
            "any compounded product that contains at least 1 drug or drug class is not recommended",
        )
        .unwrap();
        assert_eq!(
            c.meaningful[0].meanings,
            BTreeSet::from([Meaning::Negation])
        );
    }
}
