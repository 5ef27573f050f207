//! Snapshots of `parse --format json` for every sample letter: any change in
//! what the parser reads shows up as a reviewed diff.

use std::path::Path;

use imr_audit::report::document::LetterDoc;

use crate::util::{read, root, sample_names};

#[test]
fn sample_letters_parse_as_snapshotted() {
    let dir = root().join("samples");
    for name in sample_names() {
        let source = read(&dir.join(&name));
        let letter = imr_audit::letter::parse(&source);
        let doc = LetterDoc::new(Path::new("samples").join(&name).as_path(), &letter);
        let json = serde_json::to_string_pretty(&doc).unwrap();
        insta::assert_snapshot!(format!("parse-{}", name.trim_end_matches(".txt")), json);
    }
}
