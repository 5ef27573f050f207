//! The whole audit on arbitrary bytes, with the default pack loaded once:
//! facts, rule selection, criteria, checks and the human and JSON reports
//! must never panic, and every span in the report must lie inside the text.

#![no_main]

use std::sync::LazyLock;

use imr_audit::report::document::LetterDoc;
use imr_audit::rules::Pack;
use imr_audit::source::Source;
use libfuzzer_sys::fuzz_target;

static PACK: LazyLock<Pack> =
    LazyLock::new(|| Pack::load(&[] as &[&std::path::Path]).expect("the default pack loads"));

fuzz_target!(|data: &[u8]| {
    let audit = imr_audit::audit::audit(&PACK, Source::from_bytes("fuzz.txt", data));
    let report = serde_json::to_value(LetterDoc::checked(&audit)).expect("a report serialises");
    imr_audit_fuzz::spans_in_bounds(&report, audit.source.text());
    assert!(!imr_audit::report::human::letter(&audit, &PACK, false).is_empty());
});
