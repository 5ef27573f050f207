//! PDF letters through poppler's `pdftotext` (default mode: form feeds
//! between pages, so spans can name a page).
//!
//! A `.pdf` that fails says why: not a PDF at all (checked here: the
//! `%PDF-` header must stand in the first 1024 bytes, as the format allows),
//! encrypted (pdftotext asks for a password, or refuses to copy text), or
//! damaged (pdftotext's own reason, which `-q` would silence, is kept), or
//! without any text (a scan). A missing `pdftotext` is a problem of the
//! machine, named apart.
//!
//! The text pdftotext writes is read within the letter size limit, and its
//! standard error is drained on a thread so neither pipe can block the other.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{ReadProblem, Size};

/// Why a `.pdf` could not be turned into text.
#[derive(Debug)]
pub enum PdfProblem {
    /// `pdftotext` is not on the PATH.
    ToolMissing,
    /// `pdftotext` could not be started.
    ToolFailed(std::io::Error),
    /// No `%PDF-` header: `start` describes what the file begins with.
    NotPdf { start: String },
    /// Encrypted with a password that opens it.
    NeedsPassword { detail: String },
    /// Encrypted with permissions that forbid extracting text.
    CopyForbidden { detail: String },
    /// pdftotext failed for another reason.
    Damaged { exit: Option<i32>, detail: String },
    /// The extracted text is over the letter size limit.
    TextTooLarge { limit: u64 },
    /// pdftotext found no text at all: pages that are images (a scan).
    NoText { pages: usize },
}

impl fmt::Display for PdfProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfProblem::ToolMissing => f.write_str(
                "pdftotext is not installed; install poppler-utils (Debian/Ubuntu: \
                 apt-get install poppler-utils) to read PDF letters",
            ),
            PdfProblem::ToolFailed(err) => write!(f, "cannot run pdftotext: {err}"),
            PdfProblem::NotPdf { start } => {
                write!(f, "named .pdf but not a PDF (no %PDF- header): {start}")
            }
            PdfProblem::NeedsPassword { detail } => write!(
                f,
                "the PDF is encrypted and opens only with its password; \
                 save an unencrypted copy (pdftotext: {detail})"
            ),
            PdfProblem::CopyForbidden { detail } => write!(
                f,
                "the PDF is encrypted and its permissions forbid extracting text (pdftotext: {detail})"
            ),
            PdfProblem::Damaged { exit, detail } => write!(
                f,
                "the PDF is damaged: pdftotext could not convert the file (exit {}): {detail}",
                exit.map_or("by signal".into(), |c| c.to_string())
            ),
            PdfProblem::TextTooLarge { limit } => write!(
                f,
                "the PDF's text is larger than the {} limit for one letter; not read",
                Size(*limit)
            ),
            PdfProblem::NoText { pages } => write!(
                f,
                "the PDF has no text to read on its {pages} page(s): a scan holds images only; \
                 run OCR on it (ocrmypdf, say) and audit the result"
            ),
        }
    }
}

/// The text of the PDF at `path`, as pdftotext writes it in UTF-8.
pub(super) fn to_text(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    check_header(path)?;
    let mut child = match Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(PdfProblem::ToolMissing.into());
        }
        Err(err) => return Err(PdfProblem::ToolFailed(err).into()),
    };
    let stderr = child.stderr.take().map(|pipe| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            // Drained to the end so pdftotext never blocks; 64 KiB kept.
            let mut pipe = pipe;
            let _ = pipe.by_ref().take(64 * 1024).read_to_end(&mut text);
            let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            String::from_utf8_lossy(&text).into_owned()
        })
    });
    let mut text = Vec::new();
    let read = match child.stdout.take() {
        Some(out) => out.take(limit.saturating_add(1)).read_to_end(&mut text),
        None => Ok(0),
    };
    let over = text.len() as u64 > limit;
    if over {
        let _ = child.kill();
    }
    let status = child.wait().map_err(PdfProblem::ToolFailed)?;
    let stderr = stderr
        .and_then(|thread| thread.join().ok())
        .unwrap_or_default();
    if over {
        return Err(PdfProblem::TextTooLarge { limit }.into());
    }
    read.map_err(PdfProblem::ToolFailed)?;
    if status.success() {
        // pdftotext ends every page with a form feed, text or none.
        if text
            .iter()
            .all(|b| b.is_ascii_whitespace() || *b == b'\x0c')
        {
            let pages = text.iter().filter(|&&b| b == b'\x0c').count().max(1);
            return Err(PdfProblem::NoText { pages }.into());
        }
        return Ok(text);
    }
    let detail = summarise(&stderr);
    Err(match status.code() {
        _ if stderr.contains("Incorrect password") => PdfProblem::NeedsPassword { detail },
        Some(3) => PdfProblem::CopyForbidden { detail },
        exit => PdfProblem::Damaged { exit, detail },
    }
    .into())
}

/// The `%PDF-` header must stand in the first 1024 bytes.
fn check_header(path: &Path) -> Result<(), ReadProblem> {
    let mut head = Vec::new();
    File::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .map_err(ReadProblem::Unreadable)?;
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(());
    }
    let start = if head.is_empty() {
        "the file is empty".to_owned()
    } else {
        let shown: String = String::from_utf8_lossy(&head[..head.len().min(24)])
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        format!("it starts with \"{}\"", shown.trim_end())
    };
    Err(PdfProblem::NotPdf { start }.into())
}

/// pdftotext's messages, one clause each, repeats dropped, at most five.
fn summarise(stderr: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in stderr.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    let more = lines.len().saturating_sub(5);
    lines.truncate(5);
    let mut text = lines.join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    if text.is_empty() {
        text.push_str("no message");
    }
    text
}
