//! Where reports go: stdout, or a file written to a temporary sibling and
//! renamed into place when the run is complete, so a reader never sees half a
//! report and a failed run leaves the previous report untouched.
//!
//! The temporary file is a `tempfile::NamedTempFile` in the destination's
//! directory (a rename within one file system is atomic); `persist` renames
//! it, and dropping it unpersisted — an error mid-run, a panic, an
//! interrupted run unwinding — deletes it.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use tempfile::NamedTempFile;

/// A report destination.
pub enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        path: PathBuf,
        writer: BufWriter<NamedTempFile>,
    },
}

impl Output {
    /// Opens `path` (through a temporary file beside it), or stdout.
    pub fn create(path: Option<&Path>) -> anyhow::Result<Output> {
        match path {
            None => Ok(Output::Stdout(BufWriter::new(std::io::stdout()))),
            Some(path) => {
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
                let file = builder
                    .tempfile_in(dir)
                    .with_context(|| {
                        format!(
                            "cannot create a temporary file in {}; check that the directory exists and is writable",
                            dir.display()
                        )
                    })?;
                Ok(Output::File {
                    path: path.to_path_buf(),
                    writer: BufWriter::new(file),
                })
            }
        }
    }

    /// Completes the report: flushes, syncs and renames a file into place.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::File { path, writer } => {
                let file = writer.into_inner().map_err(|e| e.into_error())?;
                file.as_file().sync_all()?;
                file.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { writer, .. } => writer.write(buf),
        }
    }

    /// Flushes what was written so far (ndjson readers see each letter as it finishes).
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { writer, .. } => writer.flush(),
        }
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    emit(Some(path), bytes)
}

/// Sends a finished report to `--output FILE` or stdout.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = Output::create(output)?;
    out.write_all(bytes)?;
    out.finish()
}
