//! Where reports go: stdout, or a file written to a temporary sibling and
//! renamed into place when the run is complete, so a reader never sees half a
//! report and a failed run leaves the previous report untouched.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// A report destination.
pub enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        tmp: PathBuf,
        path: PathBuf,
        writer: Option<BufWriter<File>>,
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
                let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
                let file = File::create(&tmp).with_context(|| {
                    format!(
                        "cannot create {}; check that the directory exists and is writable",
                        tmp.display()
                    )
                })?;
                Ok(Output::File {
                    tmp,
                    path: path.to_path_buf(),
                    writer: Some(BufWriter::new(file)),
                })
            }
        }
    }

    /// Flushes what was written so far (ndjson readers see each letter as it finishes).
    pub fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { writer, .. } => writer.as_mut().map_or(Ok(()), Write::flush),
        }
    }

    /// Completes the report: flushes, syncs and renames a file into place.
    pub fn finish(mut self) -> anyhow::Result<()> {
        match &mut self {
            Output::Stdout(w) => Ok(w.flush()?),
            Output::File { tmp, path, writer } => {
                let Some(writer) = writer.take() else {
                    return Ok(());
                };
                let result = (|| -> anyhow::Result<()> {
                    let file = writer.into_inner().map_err(|e| e.into_error())?;
                    file.sync_all()?;
                    std::fs::rename(&*tmp, &*path).with_context(|| {
                        format!("cannot rename {} to {}", tmp.display(), path.display())
                    })?;
                    Ok(())
                })();
                if result.is_err() {
                    let _ = std::fs::remove_file(&*tmp);
                }
                result
            }
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // A report abandoned before `finish` (an error mid-run) leaves no temporary file behind.
        if let Output::File {
            tmp,
            writer: Some(_),
            ..
        } = self
        {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { writer, .. } => match writer {
                Some(w) => w.write(buf),
                None => Err(std::io::Error::other("report already finished")),
            },
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Output::flush(self)
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = Output::create(Some(path))?;
    out.write_all(bytes)?;
    out.finish()
}

/// Sends a finished report to `--output FILE` or stdout.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = Output::create(output)?;
    out.write_all(bytes)?;
    out.finish()
}
