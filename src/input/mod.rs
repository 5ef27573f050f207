//! From the command line's FILE|DIR arguments to letter text, losing no
//! letter without a word.
//!
//! - [`collect_letters`] lists the letters named or found and, beside them,
//!   every path that will not be audited with its reason (the comment of
//!   `src/input/collect.rs` says what is read by default).
//! - [`read_with`] reads one letter within a size limit (a 10 GB file or
//!   `/dev/zero` is named, never read whole), converts a PDF with
//!   `pdftotext` (`pdf`) and decodes the bytes ([`decode`]): a letter that
//!   cannot be read is named with the reason, a damaged one is read as far as
//!   it can be and the parser names what was wrong.
//!
//! Problems are typed ([`ReadProblem`], [`SkipReason`], [`FilterError`],
//! [`NoLetters`]), each [`Located`] at its path; [`InputError`] is the same
//! as a path and a line of text, for callers that only print it.

mod collect;
pub mod decode;
mod pdf;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use collect::{
    CollectOptions, Collection, FilterError, NoLetters, SkipReason, Skipped, SpecialFile,
    collect_letters,
};
pub use pdf::PdfProblem;

use crate::source::Source;

/// Extensions read when walking a directory.
pub const LETTER_EXTENSIONS: &[&str] = &["txt", "pdf"];

/// The default limit on one letter's size: a letter is some tens of
/// kilobytes; 16 MiB leaves room for any real one and bounds memory.
pub const DEFAULT_MAX_SIZE: u64 = 16 * 1024 * 1024;

/// Globs that select files inside walked directories.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// How one letter is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// The most bytes read for one letter: a text file's size, or the text
    /// `pdftotext` extracts from a PDF. Past it the letter is named, not read.
    pub max_size: u64,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_size: DEFAULT_MAX_SIZE,
        }
    }
}

/// Why one letter could not be read at all.
#[derive(Debug)]
pub enum ReadProblem {
    Missing,
    /// A folder was given where a letter was expected.
    IsAFolder,
    Unreadable(std::io::Error),
    /// Over the size limit: `size` when the file system tells it (a regular
    /// file, never opened), `None` when reading stopped at the limit.
    TooLarge {
        limit: u64,
        size: Option<u64>,
    },
    Pdf(PdfProblem),
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadProblem::Missing => f.write_str("no such file or directory; check the path"),
            ReadProblem::IsAFolder => f.write_str("a folder, not a letter"),
            ReadProblem::Unreadable(err) => write!(f, "cannot read: {err}"),
            ReadProblem::TooLarge {
                limit,
                size: Some(size),
            } => write!(
                f,
                "too large: {} is over the {} limit for one letter; not read",
                Size(*size),
                Size(*limit)
            ),
            ReadProblem::TooLarge { limit, size: None } => write!(
                f,
                "too large: more than the {} limit for one letter; reading stopped there",
                Size(*limit)
            ),
            ReadProblem::Pdf(problem) => problem.fmt(f),
        }
    }
}

impl From<PdfProblem> for ReadProblem {
    fn from(problem: PdfProblem) -> ReadProblem {
        ReadProblem::Pdf(problem)
    }
}

/// A path and what is to be said of it: printed `path: reason`.
#[derive(Debug)]
pub struct Located<T> {
    pub path: PathBuf,
    pub reason: T,
}

impl<T: fmt::Display> fmt::Display for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl<T: fmt::Debug + fmt::Display> std::error::Error for Located<T> {}

/// A letter that could not be read, and why.
pub type ReadError = Located<ReadProblem>;

/// An input problem as a path and a message, for callers that print it.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl<T: fmt::Display> From<Located<T>> for InputError {
    fn from(located: Located<T>) -> InputError {
        InputError {
            message: located.reason.to_string(),
            path: located.path,
        }
    }
}

/// Lists the letter files named by `paths` with the default
/// [`CollectOptions`] and these globs. The second list holds the skipped
/// paths that are problems (missing, unlistable, a broken link, a
/// FIFO) or a bad glob; [`collect_letters`] gives every skipped path.
pub fn collect(paths: &[PathBuf], filters: &Filters) -> (Vec<PathBuf>, Vec<InputError>) {
    let options = CollectOptions {
        filters: filters.clone(),
        ..CollectOptions::default()
    };
    match collect_letters(paths, &options) {
        Ok(Collection { letters, skipped }) => {
            let problems = skipped
                .into_iter()
                .filter(|s| s.reason.is_problem())
                .map(InputError::from)
                .collect();
            (letters, problems)
        }
        Err(error) => (
            Vec::new(),
            vec![InputError {
                path: PathBuf::from(error.flag),
                message: error.to_string(),
            }],
        ),
    }
}

/// Reads one letter with the default [`ReadOptions`].
pub fn read(path: &Path) -> Result<Source, InputError> {
    read_with(path, &ReadOptions::default()).map_err(InputError::from)
}

/// Reads one letter (`-` is standard input). Only a file that cannot be read
/// at all is an error; damaged content (binary, not UTF-8, empty) is decoded
/// as far as it can be and left to the parser to name.
pub fn read_with(path: &Path, options: &ReadOptions) -> Result<Source, ReadError> {
    bytes(path, options)
        .map(|bytes| Source::from_bytes(path, &bytes))
        .map_err(|reason| ReadError {
            path: path.to_path_buf(),
            reason,
        })
}

fn bytes(path: &Path, options: &ReadOptions) -> Result<Vec<u8>, ReadProblem> {
    let limit = options.max_size;
    if path.as_os_str() == "-" {
        return read_bounded(std::io::stdin().lock(), limit);
    }
    let meta = std::fs::metadata(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => ReadProblem::Missing,
        _ => ReadProblem::Unreadable(err),
    })?;
    if meta.is_dir() {
        return Err(ReadProblem::IsAFolder);
    }
    if is_pdf(path) {
        return pdf::to_text(path, limit);
    }
    // A regular file's size is known: one over the limit is never opened.
    if meta.is_file() && meta.len() > limit {
        return Err(ReadProblem::TooLarge {
            limit,
            size: Some(meta.len()),
        });
    }
    let file = std::fs::File::open(path).map_err(ReadProblem::Unreadable)?;
    read_bounded(file, limit)
}

/// Reads at most `limit` bytes; one more means the input is too large (a
/// device or a FIFO has no size to ask first).
fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(ReadProblem::TooLarge { limit, size: None });
    }
    Ok(bytes)
}

fn is_pdf(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

fn has_letter_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LETTER_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// A byte count as people read it: `16 MiB`, `1.5 GiB`, `900 bytes`.
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
        let mut value = self.0 as f64;
        let mut unit = None;
        for name in UNITS {
            if value < 1024.0 {
                break;
            }
            value /= 1024.0;
            unit = Some(name);
        }
        match unit {
            None => write!(f, "{} bytes", self.0),
            Some(unit) if value.fract() == 0.0 => write!(f, "{value} {unit}"),
            Some(unit) => write!(f, "{value:.1} {unit}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(Size(900).to_string(), "900 bytes");
        assert_eq!(Size(DEFAULT_MAX_SIZE).to_string(), "16 MiB");
        assert_eq!(Size(3 * 1024 * 1024 * 1024 / 2).to_string(), "1.5 GiB");
    }
}
