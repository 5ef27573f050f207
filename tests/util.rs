use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// ../shared/letters/real, when it exists. Tests that need it print why they
/// skip when it does not.
pub fn real_letters() -> Option<PathBuf> {
    let dir = root().join("../shared/letters/real");
    if dir.join("labels.jsonl").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} not found; the real-letter checks need the shared letters beside the project",
            dir.display()
        );
        None
    }
}

/// Folds whitespace runs to one space and trims.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn read(path: &Path) -> imr_audit::source::Source {
    imr_audit::input::read(path).unwrap_or_else(|e| panic!("{e}"))
}
