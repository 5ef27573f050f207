//! Where reports go, and the guarantee that writing one never harms a file.
//!
//! [`place`] resolves a path before anything is read: `-` is standard
//! output; a regular file or a new name is written to a temporary sibling
//! and renamed into place when the run is complete, so a reader never sees
//! half a report and a failed run leaves the previous report untouched; a
//! device or FIFO is written directly (never replaced by a file); a folder,
//! a missing folder, a block device, a report named twice and a report that
//! would overwrite an input letter are refused with the path.
//!
//! The temporary file is a `tempfile::NamedTempFile` in the destination's
//! folder (a rename within one file system is atomic); `persist` renames
//! it, and dropping it unpersisted — an error mid-run, a panic unwinding —
//! deletes it. A signal does not unwind: [`interrupt`] removes the
//! temporary files then.

pub mod interrupt;
pub mod place;

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use tempfile::NamedTempFile;

pub use interrupt::remove_temporaries_on_signal;
pub use place::{Destination, Input, Named, refuse_clashes, refuse_inputs};

use crate::text::safe_path;

/// An open report destination.
pub enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    /// A device or FIFO, written as it comes.
    Direct(BufWriter<std::fs::File>),
    File {
        path: std::path::PathBuf,
        writer: BufWriter<NamedTempFile>,
        registered: interrupt::Registered,
    },
}

impl Output {
    /// Resolves and opens `path`, or stdout (`None` or `-`).
    pub fn create(path: Option<&Path>) -> anyhow::Result<Output> {
        Output::open(&Destination::resolve(path)?)
    }

    /// Opens a resolved destination: a regular file through a temporary
    /// file beside it.
    pub fn open(destination: &Destination) -> anyhow::Result<Output> {
        match destination {
            Destination::Stdout => Ok(Output::Stdout(BufWriter::new(std::io::stdout()))),
            Destination::Direct(path) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("cannot open {} to write", safe_path(path)))?;
                Ok(Output::Direct(BufWriter::new(file)))
            }
            Destination::File(path) => {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let name = path
                    .file_name()
                    .map_or("report".into(), |n| n.to_string_lossy().into_owned());
                let prefix = format!(".{name}.");
                let mut builder = tempfile::Builder::new();
                builder.prefix(&prefix).suffix(".tmp");
                // A report is an ordinary file: readable as the umask allows,
                // not the private 0600 of a temporary file.
                #[cfg(unix)]
                builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
                let file = builder.tempfile_in(dir).with_context(|| {
                    format!(
                        "cannot create a temporary file in {}; check that the folder is writable",
                        safe_path(dir)
                    )
                })?;
                let registered = interrupt::register(file.path().to_path_buf());
                Ok(Output::File {
                    path: path.clone(),
                    writer: BufWriter::new(file),
                    registered,
                })
            }
        }
    }

    /// Completes the report: flushes, and for a file syncs it and renames it
    /// into place.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::Direct(mut w) => Ok(w.flush()?),
            Output::File {
                path,
                writer,
                registered,
            } => {
                let file = writer.into_inner().map_err(|e| e.into_error())?;
                file.as_file().sync_all()?;
                registered
                    .persist(|| file.persist(&path))
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", safe_path(&path)))?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::Direct(w) => w.write(buf),
            Output::File { writer, .. } => writer.write(buf),
        }
    }

    /// Flushes what was written so far (ndjson readers see each letter as it finishes).
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::Direct(w) => w.flush(),
            Output::File { writer, .. } => writer.flush(),
        }
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    emit(Some(path), bytes)
}

/// Sends a finished report to `--output FILE` or stdout.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = Output::create(output)?;
    out.write_all(bytes)?;
    out.finish()
}
