//! The parser never panics and always says why it could not read something:
//! truncated, shuffled, empty, binary and non-UTF-8 input.

use imr_audit::finding::Check;
use imr_audit::source::Source;
use proptest::prelude::*;

use crate::util::{root, text_files};

fn sample_texts() -> Vec<String> {
    text_files(&root().join("samples"))
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Every span a letter reports lies inside its text.
fn spans_in_bounds(source: &Source) {
    let letter = imr_audit::letter::parse(source);
    let len = source.text().len();
    let json = serde_json::to_value(&letter).unwrap();
    fn walk(v: &serde_json::Value, len: usize) {
        match v {
            serde_json::Value::Object(map) => {
                if let (Some(s), Some(e)) = (map.get("start"), map.get("end"))
                    && let (Some(s), Some(e)) = (s.as_u64(), e.as_u64())
                {
                    assert!(
                        s <= e && e as usize <= len,
                        "span {s}..{e} outside 0..{len}"
                    );
                }
                map.values().for_each(|v| walk(v, len));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, len)),
            _ => {}
        }
    }
    walk(&json, len);
}

/// 64 cases from a fixed seed, so a run is reproducible and CI does not
/// depend on luck. `PROPTEST_CASES` and `PROPTEST_RNG_SEED` (a number) widen
/// or vary the search locally, e.g. `PROPTEST_CASES=5000 cargo test robustness`.
fn fuzz_config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x1312_2014);
    }
    config
}

/// Reorders the lines of `text` with a xorshift driven by `seed`.
fn shuffle_lines(text: &str, seed: u64) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let mut state = seed | 1;
    for i in (1..lines.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        lines.swap(i, (state % (i as u64 + 1)) as usize);
    }
    lines.join("\n")
}

/// The first `cut` (0 to 1) of sample `which`, cut at a character boundary.
fn truncated_sample(which: usize, cut: f64) -> String {
    let texts = sample_texts();
    let text = &texts[which % texts.len()];
    let mut at = (text.len() as f64 * cut) as usize;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at].to_owned()
}

/// Shuffles (sample index, seed) that once crashed the parser.
const KNOWN_BAD_SHUFFLES: &[(usize, u64)] = &[
    // A rationale marker past the next item's decision put a request's start
    // after its end.
    (13, 15_232_631_112_495_951_994),
];

#[test]
fn known_shuffles_stay_fixed() {
    let texts = sample_texts();
    for &(which, seed) in KNOWN_BAD_SHUFFLES {
        let text = shuffle_lines(&texts[which % texts.len()], seed);
        spans_in_bounds(&Source::from_text("shuffled", text));
    }
}

proptest! {
    #![proptest_config(fuzz_config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let source = Source::from_bytes("fuzz", &bytes);
        spans_in_bounds(&source);
    }

    #[test]
    fn truncated_samples_never_panic(which in 0usize..24, cut in 0.0f64..1.0) {
        spans_in_bounds(&Source::from_text("truncated", truncated_sample(which, cut)));
    }

    #[test]
    fn shuffled_lines_never_panic(which in 0usize..24, seed in any::<u64>()) {
        let texts = sample_texts();
        let text = shuffle_lines(&texts[which % texts.len()], seed);
        spans_in_bounds(&Source::from_text("shuffled", text));
    }
}

#[test]
fn empty_input_is_a_parse_error_not_a_crash() {
    let letter = imr_audit::letter::parse(&Source::from_text("empty", "  \n\n"));
    assert!(letter.items.is_empty());
    assert!(
        letter
            .findings
            .iter()
            .any(|f| f.check == Check::Parse && f.message.contains("empty"))
    );
}

#[test]
fn binary_input_is_named_as_binary() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(4000).collect();
    let letter = imr_audit::letter::parse(&Source::from_bytes("bin", &bytes));
    assert!(letter.findings.iter().any(|f| f.message.contains("binary")));
}

#[test]
fn invalid_utf8_is_reported_with_its_position_and_the_rest_is_read() {
    let mut bytes = std::fs::read(root().join("samples/lumbar-xray-upheld.txt")).unwrap();
    bytes.splice(0..0, b"\xff\xfe junk\n".iter().copied());
    let letter = imr_audit::letter::parse(&Source::from_bytes("latin1", &bytes));
    let finding = letter
        .findings
        .iter()
        .find(|f| f.message.contains("UTF-8"))
        .expect("a UTF-8 finding");
    assert_eq!(
        (finding.labels[0].span.line, finding.labels[0].span.column),
        (1, 1)
    );
    assert_eq!(letter.items.len(), 1, "the letter is still read");
}

#[test]
fn a_decision_label_without_statements_is_not_an_item() {
    let text = "IMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\nMRI of the knee: Upheld\nnothing else\n";
    let letter = imr_audit::letter::parse(&Source::from_text("t", text));
    assert!(letter.items.is_empty());
    let f = letter
        .findings
        .iter()
        .find(|f| f.message.contains("no disputed item"))
        .unwrap();
    assert_eq!(f.labels[0].span.line, 2);
}

pub static PACK: std::sync::LazyLock<imr_audit::rules::Pack> = std::sync::LazyLock::new(|| {
    imr_audit::rules::Pack::load(&[] as &[&std::path::Path]).expect("the default pack loads")
});

/// The whole pipeline (facts, rules, checks, reports) on damaged text: every
/// finding's span lies inside the text and every report renders.
fn audit_in_bounds(source: Source) {
    let audit = imr_audit::audit::audit(&PACK, source);
    let len = audit.source.text().len();
    for finding in &audit.findings {
        for span in finding.spans() {
            assert!(span.start <= span.end && span.end <= len, "{finding:?}");
        }
    }
    let human = imr_audit::report::human::letter(&audit, &PACK, false);
    assert!(!human.is_empty());
    serde_json::to_string(&imr_audit::report::document::LetterDoc::checked(&audit)).unwrap();
}

proptest! {
    #![proptest_config(fuzz_config())]

    #[test]
    fn shuffled_letters_audit_without_panic(which in 0usize..24, seed in any::<u64>()) {
        let texts = sample_texts();
        let text = shuffle_lines(&texts[which % texts.len()], seed);
        audit_in_bounds(Source::from_text("shuffled", text));
    }

    #[test]
    fn truncated_letters_audit_without_panic(which in 0usize..24, cut in 0.0f64..1.0) {
        audit_in_bounds(Source::from_text("truncated", truncated_sample(which, cut)));
    }
}

/// Found by fuzzing: a letter with no case summary whose character straddles
/// byte 4000 (where the header search stops) made the parser slice inside it.
#[test]
fn a_character_across_the_header_limit_is_not_cut() {
    let text = format!("{}é rest of the letter", "x".repeat(3999));
    let source = imr_audit::source::Source::from_text("straddle.txt", text);
    let letter = imr_audit::letter::parse(&source);
    assert!(letter.items.is_empty());
}
