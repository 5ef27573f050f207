//! The letter parser on arbitrary bytes: decoding (encodings, NULs, line
//! endings) and `letter::parse` must never panic, and every span the letter
//! reports must lie inside its text on character boundaries.

#![no_main]

use imr_audit::source::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = Source::from_bytes("fuzz.txt", data);
    let letter = imr_audit::letter::parse(&source);
    let json = serde_json::to_value(&letter).expect("a letter serialises");
    imr_audit_fuzz::spans_in_bounds(&json, source.text());
});
