//! Resolves the command line's FILE|DIR arguments into letters to read, in a
//! deterministic order, and reads them. Directories are walked with the
//! `ignore` crate (so `.gitignore` is respected) and sorted by path; a file
//! named directly is always read, whatever its extension.

use std::path::{Path, PathBuf};

use crate::source::Source;

/// Extensions read when walking a directory.
pub const LETTER_EXTENSIONS: &[&str] = &["txt"];

/// An input that could not be listed or read at all.
#[derive(Debug)]
pub struct InputError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Lists the letter files named by `paths`, directories expanded and sorted.
/// Problems (a missing path, an unreadable directory) are returned beside the
/// files found, so one bad argument never hides the others.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            for entry in ignore::WalkBuilder::new(path).hidden(true).build() {
                match entry {
                    Ok(entry) => {
                        let p = entry.path();
                        let wanted = entry.file_type().is_some_and(|t| t.is_file())
                            && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                                LETTER_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x))
                            });
                        if wanted {
                            found.push(p.to_path_buf());
                        }
                    }
                    Err(err) => errors.push(InputError {
                        path: path.clone(),
                        message: format!("cannot list: {err}"),
                    }),
                }
            }
            found.sort();
            files.extend(found);
        } else if path.exists() || path.as_os_str() == "-" {
            files.push(path.clone());
        } else {
            errors.push(InputError {
                path: path.clone(),
                message: "no such file or directory; check the path".into(),
            });
        }
    }
    (files, errors)
}

/// Reads one letter. Only a file that cannot be read at all is an error; bad
/// content (binary, not UTF-8, empty) is the parser's to report.
pub fn read(path: &Path) -> Result<Source, InputError> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    match bytes {
        Ok(bytes) => Ok(Source::from_bytes(path, &bytes)),
        Err(err) => Err(InputError {
            path: path.to_path_buf(),
            message: format!("cannot read: {err}"),
        }),
    }
}
