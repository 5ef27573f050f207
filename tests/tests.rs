//! One integration test binary; each module guards one part of the tool.
#![allow(
    clippy::print_stderr,
    reason = "tests report what they measured and what they skipped"
)]

/// Shared helpers: paths to samples and to the real letters in ../shared.
mod util;

/// Real letters altered: flipped decisions caught, red flags written affirmed, negated or quoted read right.
mod alterations;
/// citation-mismatch measured: swapped MTUS chapters caught, per half of the real letters.
mod citation_swap;
/// `imr-audit check` end to end: the seed conflict, formats, determinism, baselines, bad corpora.
mod cli_check;
/// Outputs for auditors: CSV, several reports from one run, completions and man page.
mod cli_outputs;
/// `imr-audit parse` end to end.
mod cli_parse;
/// Context of fact mentions against a hand-labelled gold set, per half of the real letters.
mod context_gold;
/// The deeper checks: a sample that triggers each and a look-alike that must not.
mod deeper_checks;
/// Another extraction of a real letter (blank lines between lines, narrower lines) reads the same.
mod extraction_variants;
/// One fingerprint per finding across JSON, SARIF, the human report, baselines and waivers.
mod fingerprints;
/// The human report: short, weighed, `--brief`, colour.
mod human_report;
/// Inputs read or named: encodings, line endings, NULs, bad PDFs, size limit, corpus folders.
mod input_robustness;
/// misquote measured: changed numbers in guideline text caught, false alarms on real letters.
mod misquote_recall;
/// Where reports go and what reaches a terminal: devices, FIFOs, inputs, interrupts, export, skipped paths, escapes.
mod output_safety;
/// insta snapshots of the parse output of every sample letter.
mod parse_snapshots;
/// The parser on damaged input: truncated, shuffled, empty, binary, not UTF-8.
mod parser_robustness;
/// Labelled letters (real ones in ../shared, and samples/labels.jsonl): items, decisions, citations.
mod real_letters;
/// SARIF, JUnit and HTML reports on the sample letters.
mod report_formats;
/// Which rule takes a request, for some ninety requests as letters word them.
mod request_routing;
/// The clinical editor's workflow: every problem of a file at once, overrides, `rules facts`, `rules new`, collisions, and the README's steps end to end.
mod rule_editor;
/// The rule pack: loading, self-tests, schemas, and every class of bad rule file.
mod rule_pack;
/// The pack measured on the real letters: coverage, decided share, agreement.
mod validation;
