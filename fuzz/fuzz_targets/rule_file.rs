//! One rule file's text through the pack loader (`Pack::load_dirs_only`, the
//! public way to build a pack from files): YAML parsing, validation and the
//! rendering of every problem must never panic.
//!
//! The loader reads folders, so the rule is written to a folder in memory-backed
//! `/dev/shm` when there is one, beside a small fixed pack: the real
//! `pack.yaml` and `facts/common.yaml` and a catalogue of one document (the
//! whole pack compiles some 1,900 patterns per run and would fuzz at one run
//! a second).

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use imr_audit::rules::Pack;
use libfuzzer_sys::fuzz_target;

/// The fixed part of the pack, written once per process.
static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("imr-audit-fuzz-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let wanted = ["pack.yaml", "facts/common.yaml"];
    for file in imr_audit::rules::embedded_files() {
        if wanted.contains(&file.rel.as_str()) {
            let path = dir.join(&file.rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.text).unwrap();
        }
    }
    std::fs::write(dir.join("citations.yaml"), CATALOGUE).unwrap();
    std::fs::create_dir_all(dir.join("mtus/fuzz")).unwrap();
    dir
});

/// One document of the real catalogue, with one section.
const CATALOGUE: &str = r#"documents:
  - key: mtus.acoem-2004.low-back
    title: Low Back Complaints (ACOEM Practice Guidelines, 2nd ed., chapter 12)
    mtus: true
    edition: "2004"
    in_force: {from: 2009-07-18, until: 2017-11-30}
    body_parts: [low-back]
    names:
      - Low Back Complaints 2004
    patterns:
      - '(?i)\bLow(?:er)?\s+Back\s+Complaints\b'
    sections:
      - key: special-studies
        names:
          - Special Studies
"#;

fuzz_target!(|data: &[u8]| {
    // Rule files are read as UTF-8 text; other bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    std::fs::write(DIR.join("mtus/fuzz/rule.yaml"), text).unwrap();
    if let Err(problems) = Pack::load_dirs_only(&[&*DIR]) {
        for problem in problems {
            let _ = problem.to_string();
        }
    }
});
