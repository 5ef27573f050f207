//! The letters unit tests read: the shipped samples and, when they are
//! there, the real letters beside the project (`../shared/letters/real`).

use std::path::{Path, PathBuf};

/// Every letter (`*.txt`) of `samples/` and of the real letters when they
/// are there, each folder's in name order.
pub fn paths() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [root.join("samples"), root.join("../shared/letters/real")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        out.extend(paths);
    }
    out
}
