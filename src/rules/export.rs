//! `rules export DIR`: the embedded pack written out for editing, checked
//! whole before one file is written.
//!
//! - `DIR` may be new, or an existing folder; a file in the way is refused.
//! - A pack file that already exists is refused (all of them named by
//!   count, the first by path) unless `--force`; with it the file is
//!   replaced. A symbolic link where a pack file goes is replaced by the
//!   file with `--force` (the link is never written through).
//! - A symbolic link where a folder of the pack goes (`DIR/facts` linking
//!   elsewhere) is refused, `--force` or not: nothing is written outside
//!   `DIR`.
//! - Each file is written through a temporary file and renamed into place,
//!   so an interrupted export leaves whole files and no temporary ones.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::read::embedded_files;
use crate::output::{Destination, Output};
use crate::text::safe_path;

/// Writes the embedded pack to `dir`; returns how many files were written.
pub fn export(dir: &Path, force: bool) -> anyhow::Result<usize> {
    let files = embedded_files();
    if let Ok(meta) = std::fs::metadata(dir)
        && !meta.is_dir()
    {
        bail!(
            "cannot export the pack to {}: it is not a folder; name a new or empty folder",
            safe_path(dir)
        );
    }
    let mut existing: Vec<PathBuf> = Vec::new();
    for file in &files {
        let path = dir.join(&file.rel);
        refuse_links_inside(dir, &path)?;
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => bail!(
                "cannot export the pack: {} is a folder where the pack has a file; move it away",
                safe_path(&path)
            ),
            Ok(_) => existing.push(path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => bail!(
                "cannot export the pack: cannot check {}: {err}",
                safe_path(&path)
            ),
        }
    }
    if !existing.is_empty() && !force {
        bail!(
            "{} of the pack's {} files already exist in {} (the first: {}); nothing was written — export into a new or empty folder, or pass --force to replace them",
            existing.len(),
            files.len(),
            safe_path(dir),
            safe_path(&existing[0])
        );
    }
    for file in &files {
        let path = dir.join(&file.rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", safe_path(parent)))?;
        }
        // Renamed over the path itself: a link there is replaced, not followed.
        let mut out = Output::open(&Destination::File(path.clone()))?;
        out.write_all(file.text.as_bytes())
            .with_context(|| format!("cannot write {}", safe_path(&path)))?;
        out.finish()?;
    }
    Ok(files.len())
}

/// Refuses a symbolic link on the way from `dir` to `path` (not `dir`
/// itself, nor `path`, whose link is replaced).
fn refuse_links_inside(dir: &Path, path: &Path) -> anyhow::Result<()> {
    let Ok(rel) = path.strip_prefix(dir) else {
        return Ok(());
    };
    let mut at = dir.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => bail!(
                "cannot export the pack: {} is a symbolic link, and the pack is never written through a link out of {}; remove the link or export elsewhere",
                safe_path(&at),
                safe_path(dir)
            ),
            Ok(meta) if !meta.is_dir() => bail!(
                "cannot export the pack: {} is a file where the pack has a folder; move it away",
                safe_path(&at)
            ),
            _ => {}
        }
    }
    Ok(())
}
