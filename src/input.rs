//! Resolves the command line's FILE|DIR arguments into letters to read, in a
//! deterministic order, and reads them. Directories are walked with the
//! `ignore` crate (`.gitignore` respected, hidden files skipped), filtered by
//! `--include`/`--exclude` globs and sorted by path; a file named directly is
//! always read. PDFs are converted with poppler's `pdftotext`, page breaks
//! kept as form feeds so spans can name a page.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::source::Source;

/// Extensions read when walking a directory.
pub const LETTER_EXTENSIONS: &[&str] = &["txt", "pdf"];

/// An input that could not be listed or read at all.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Globs that select files inside walked directories.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// Lists the letter files named by `paths`, directories expanded and sorted.
/// Problems (a missing path, a bad glob) are returned beside the files found,
/// so one bad argument never hides the others.
pub fn collect(paths: &[PathBuf], filters: &Filters) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut walker = ignore::WalkBuilder::new(path);
            walker.hidden(true);
            if !filters.include.is_empty() || !filters.exclude.is_empty() {
                let mut overrides = ignore::overrides::OverrideBuilder::new(path);
                for glob in &filters.include {
                    if let Err(err) = overrides.add(glob) {
                        errors.push(InputError {
                            path: path.clone(),
                            message: format!("bad --include glob `{glob}`: {err}"),
                        });
                    }
                }
                for glob in &filters.exclude {
                    if let Err(err) = overrides.add(&format!("!{glob}")) {
                        errors.push(InputError {
                            path: path.clone(),
                            message: format!("bad --exclude glob `{glob}`: {err}"),
                        });
                    }
                }
                match overrides.build() {
                    Ok(o) => {
                        walker.overrides(o);
                    }
                    Err(err) => errors.push(InputError {
                        path: path.clone(),
                        message: format!("bad glob: {err}"),
                    }),
                }
            }
            let mut found = Vec::new();
            for entry in walker.build() {
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

fn is_pdf(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// Reads one letter. Only a file that cannot be read at all is an error; bad
/// content (binary, not UTF-8, empty) is the parser's to report.
pub fn read(path: &Path) -> Result<Source, InputError> {
    if is_pdf(path) {
        return read_pdf(path);
    }
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

/// Converts a PDF with `pdftotext` (default mode: form feeds between pages).
fn read_pdf(path: &Path) -> Result<Source, InputError> {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-q"])
        .arg(path)
        .arg("-")
        .output();
    match output {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(InputError {
            path: path.to_path_buf(),
            message: "pdftotext is not installed; install poppler-utils (Debian/Ubuntu: apt-get install poppler-utils) to read PDF letters".into(),
        }),
        Err(err) => Err(InputError { path: path.to_path_buf(), message: format!("cannot run pdftotext: {err}") }),
        Ok(out) if !out.status.success() => Err(InputError {
            path: path.to_path_buf(),
            message: format!(
                "pdftotext could not convert the file (exit {}): {}",
                out.status.code().map_or("signal".into(), |c| c.to_string()),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        }),
        Ok(out) => Ok(Source::from_bytes(path, &out.stdout)),
    }
}
