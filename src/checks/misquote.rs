//! `misquote`: a sentence the rationale presents as guideline text ("The MTUS
//! states …", "ODG recommends …", "according to the guidelines …", or words in
//! quotation marks) that closely resembles a canonical sentence of the
//! guideline (a rule's `quotes`) yet differs in a word that carries meaning: a
//! number, a negation, a time span or a comparison.
//!
//! This module finds the passages presented as guideline text and the
//! canonical sentences that may govern the item; [`super::wording`] compares
//! them word by word and says which differences carry meaning.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::CheckContext;
use super::wording::{MIN_SHARED, Meaning, Token, compare, render, tokenize};
use crate::eval::ItemEvaluation;
use crate::finding::{Check, Finding, Severity};
use crate::letter::Item;
use crate::rules::Pack;
use crate::source::Span;
use crate::text::{Flat, sentences};

/// Guideline attribution: "The MTUS states", "ODG recommends", "the guidelines indicate".
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:MTUS|ACOEM|ODG|Official Disability Guidelines?|guidelines?|CPMTG|Chronic Pain Medical Treatment|Opioids? Treatment)\b[^.;]{0,80}?\b(?:state|states|stated|recommend|recommends|recommended|indicate|indicates|indicated|support|supports|note|notes|specify|specifies|allow|allows|require|requires|advise|advises|suggest|suggests|define|defines|reserve|reserves)\b(?:\s*(?:that|the following))?\s*[:,]?",
    )
    .expect("built-in pattern")
});
/// "according to the ACOEM guidelines", "per the MTUS".
static ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:according to|per|as per)\s+(?:the\s+)?(?:[\w/-]+\s+){0,4}?(?:guidelines?|MTUS|ACOEM|ODG)\b\s*[:,]?",
    )
    .expect("built-in pattern")
});

/// Flat ranges of the rationale presented as guideline text.
pub(crate) fn guideline_passages(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // Text in quotation marks, straight or curly.
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('"', None) | ('\u{201c}', None) => open = Some(i + c.len_utf8()),
            ('"', Some(start)) | ('\u{201d}', Some(start)) => {
                out.push(start..i);
                open = None;
            }
            _ => {}
        }
    }
    // Sentences introduced (or closed) by an attribution to a guideline.
    for sentence in sentences(text) {
        let s = &text[sentence.clone()];
        let found = ATTRIBUTION
            .find(s)
            .into_iter()
            .chain(ACCORDING.find(s))
            .min_by_key(|m| m.start());
        if let Some(m) = found {
            out.push(sentence.start + m.end()..sentence.end);
            if m.start() > 0 {
                out.push(sentence.start..sentence.start + m.start());
            }
        }
    }
    // Each passage is compared sentence by sentence, clause by clause.
    let mut pieces = Vec::new();
    for passage in out {
        for s in sentences(&text[passage.clone()]) {
            let base = passage.start + s.start;
            let mut start = base;
            let end = passage.start + s.end;
            for (i, _) in text[base..end].match_indices(';') {
                let at = base + i;
                pieces.push(start..at);
                start = at + 1;
            }
            pieces.push(start..end);
        }
    }
    pieces.retain(|r| text[r.clone()].split_whitespace().count() >= MIN_SHARED);
    pieces.sort_by_key(|r| (r.start, r.end));
    pieces.dedup();
    pieces
}

/// Canonical sentences that may govern an item: its rule's quotes, then the
/// quotes of every rule citing a document the reviewer cites.
fn candidate_quotes<'p>(
    pack: &'p Pack,
    item: &Item,
    evaluation: &ItemEvaluation,
) -> Vec<(&'p str, &'p str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    if let Some(rule) = evaluation.rule.as_ref().and_then(|r| pack.rule(&r.id)) {
        out.extend(rule.quotes.iter().map(|q| (rule.id.as_str(), q.as_str())));
    }
    let cited = item.citations.reviewer_keys();
    for rule in &pack.rules {
        if rule.cited_documents().any(|d| cited.contains(&d)) {
            for q in &rule.quotes {
                if !out.iter().any(|(_, seen)| *seen == q.as_str()) {
                    out.push((rule.id.as_str(), q.as_str()));
                }
            }
        }
    }
    out
}

pub fn misquote(cx: &CheckContext, out: &mut Vec<Finding>) {
    let (pack, source) = (cx.pack, cx.source);
    for (item, evaluation) in cx.items() {
        let Some(rationale) = &item.rationale else {
            continue;
        };
        let quotes = candidate_quotes(pack, item, evaluation);
        if quotes.is_empty() {
            continue;
        }
        let quotes: Vec<(&str, &str, String, Vec<Token>)> = quotes
            .into_iter()
            .map(|(rule, q)| {
                let folded = q.split_whitespace().collect::<Vec<_>>().join(" ");
                let tokens = tokenize(&folded);
                (rule, q, folded, tokens)
            })
            .collect();
        let flat = Flat::new(source.text(), rationale.span.start..rationale.span.end);
        let mut reported: Vec<Range<usize>> = Vec::new();
        for passage in guideline_passages(&flat.text) {
            let passage_text = &flat.text[passage.clone()];
            let tokens = tokenize(passage_text);
            let best = quotes
                .iter()
                .filter_map(|(rule, _, folded, qt)| {
                    compare(qt, &tokens).map(|c| (*rule, folded.as_str(), qt, c))
                })
                .max_by(|a, b| {
                    (a.3.ratio, a.3.shared)
                        .partial_cmp(&(b.3.ratio, b.3.shared))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            let Some((rule_id, quote_text, quote_tokens, comparison)) = best else {
                continue;
            };
            if comparison.meaningful.is_empty() {
                continue;
            }
            // Spans: the letter's differing words (or the words around a dropped one).
            let to_flat = |r: Range<usize>| passage.start + r.start..passage.start + r.end;
            // The letter's differing words (the first is where the finding
            // is), then the whole sentence for context.
            let mut spans: Vec<Span> = Vec::new();
            for change in &comparison.meaningful {
                let words = if change.letter.is_empty() {
                    change.letter.start.saturating_sub(1)
                        ..(change.letter.start + 1).min(tokens.len())
                } else {
                    change.letter.clone()
                };
                if words.is_empty() {
                    continue;
                }
                let r = to_flat(tokens[words.start].range.start..tokens[words.end - 1].range.end);
                let src = flat.source_range(r);
                spans.push(source.span(src.start, src.end));
            }
            let region = comparison.letter_region.clone();
            let whole = to_flat(tokens[region.start].range.start..tokens[region.end - 1].range.end);
            if reported
                .iter()
                .any(|r| r.start < whole.end && whole.start < r.end)
            {
                continue;
            }
            reported.push(whole.clone());
            let src = flat.source_range(whole);
            spans.push(source.span(src.start, src.end));
            let meanings: BTreeSet<Meaning> = comparison
                .meaningful
                .iter()
                .flat_map(|c| c.meanings.iter().copied())
                .collect();
            let kinds = meanings
                .iter()
                .map(|m| m.describe())
                .collect::<Vec<_>>()
                .join(", ");
            let diff = render(
                quote_text,
                quote_tokens,
                passage_text,
                &tokens,
                &comparison.ops,
            );
            let mut finding = Finding::new(
                Check::Misquote,
                Severity::Warning,
                format!(
                    "item {}: the rationale presents as guideline text a sentence that differs from the guideline ({rule_id}) in {kinds}: {diff} (guideline: \"{quote_text}\")",
                    item.index
                ),
            )
            .for_item(item.index)
            .with_rule(rule_id);
            for span in spans {
                finding = finding.at(span);
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
