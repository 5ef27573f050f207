//! Where a report may go, decided before anything is read or written.
//!
//! A path given to `-o` or `--output-FORMAT` is resolved once:
//! - nothing, or `-`: standard output;
//! - a regular file, or a new name in an existing folder: written through a
//!   temporary file beside it and renamed into place (a symbolic link to a
//!   file is followed, so the link stays a link and its target is replaced);
//! - a character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe):
//!   written directly, never replaced by a regular file;
//! - a folder, a block device, a socket, a dangling link or a name in a
//!   folder that does not exist: refused with the path and what to do.
//!
//! Then [`refuse_clashes`] refuses two reports of one run sent to the same
//! place, and [`refuse_inputs`] a report that would overwrite a file the run
//! reads: a letter, the `--baseline` or the `--waivers` file (compared by
//! device and inode, so `./a.txt`, `a.txt` and a link to it are one file).

use std::fs::Metadata;
use std::path::{Path, PathBuf};

/// A resolved report destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    /// A regular file (existing or new), by its resolved path: written to a
    /// temporary file in its folder, then renamed over it.
    File(PathBuf),
    /// A character device or FIFO, written directly.
    Direct(PathBuf),
}

/// A report destination and the option that named it, for messages.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub flag: &'a str,
    pub given: Option<&'a Path>,
    pub destination: Destination,
}

impl Destination {
    /// Resolves `path` (`None` or `-` is standard output); an error names the
    /// path and says what to do.
    pub fn resolve(path: Option<&Path>) -> anyhow::Result<Destination> {
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            return Ok(Destination::Stdout);
        };
        let shown = crate::text::safe_path(path);
        match std::fs::metadata(path) {
            Ok(meta) => existing(path, &shown, &meta),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                if let Ok(link) = std::fs::read_link(path) {
                    anyhow::bail!(
                        "cannot write the report to {shown}: it is a symbolic link to {}, which does not exist; remove the link or name another file",
                        crate::text::safe_path(&link)
                    );
                }
                new_file(path, &shown)
            }
            Err(err) => anyhow::bail!("cannot write the report to {shown}: {err}"),
        }
    }

    /// The file it names, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Destination::Stdout => None,
            Destination::File(p) | Destination::Direct(p) => Some(p),
        }
    }
}

fn existing(path: &Path, shown: &str, meta: &Metadata) -> anyhow::Result<Destination> {
    if meta.is_dir() {
        anyhow::bail!(
            "cannot write the report to {shown}: it is a folder; name a file inside it, such as {}",
            crate::text::safe_path(&path.join("report.txt"))
        );
    }
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if meta.is_file() {
        return Ok(Destination::File(resolved));
    }
    match special_kind(meta) {
        Some(kind @ ("a block device" | "a socket")) => anyhow::bail!(
            "cannot write the report to {shown}: it is {kind}, not a file; name a regular file, a FIFO or a character device such as /dev/null"
        ),
        _ => Ok(Destination::Direct(resolved)),
    }
}

fn new_file(path: &Path, shown: &str) -> anyhow::Result<Destination> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = path.file_name() else {
        anyhow::bail!("cannot write the report to {shown}: the path names no file");
    };
    match std::fs::metadata(parent) {
        Ok(meta) if meta.is_dir() => {
            let folder = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
            Ok(Destination::File(folder.join(name)))
        }
        Ok(_) => anyhow::bail!(
            "cannot write the report to {shown}: {} is not a folder",
            crate::text::safe_path(parent)
        ),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "cannot write the report to {shown}: the folder {} does not exist; create it first",
            crate::text::safe_path(parent)
        ),
        Err(err) => anyhow::bail!(
            "cannot write the report to {shown}: cannot reach the folder {}: {err}",
            crate::text::safe_path(parent)
        ),
    }
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_block_device() {
        Some("a block device")
    } else if kind.is_socket() {
        Some("a socket")
    } else if kind.is_fifo() {
        Some("a FIFO")
    } else if kind.is_char_device() {
        Some("a character device")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &Metadata) -> Option<&'static str> {
    None
}

/// Two reports of one run sent to one place: refused, naming both options.
pub fn refuse_clashes(named: &[Named]) -> anyhow::Result<()> {
    for (i, a) in named.iter().enumerate() {
        if let Some(b) = named[i + 1..]
            .iter()
            .find(|b| b.destination == a.destination)
        {
            let place = match a.given {
                Some(p) if a.destination != Destination::Stdout => crate::text::safe_path(p),
                _ => "standard output".to_owned(),
            };
            anyhow::bail!(
                "{} and {} both name {place}; give each report its own file",
                a.flag,
                b.flag
            );
        }
    }
    Ok(())
}

/// A file the run reads: a letter, or the baseline or waivers file.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// What the file is, for the message: "letter", "baseline", "waivers file".
    pub what: &'static str,
    /// The option that named it, if any (`--baseline`).
    pub flag: Option<&'static str>,
    pub path: &'a Path,
}

impl<'a> Input<'a> {
    pub fn letter(path: &'a Path) -> Input<'a> {
        Input {
            what: "letter",
            flag: None,
            path,
        }
    }
}

/// A report that would overwrite one of the run's `inputs`: refused before
/// any letter is read. One overwrite is asked for and allowed:
/// `--write-baseline` naming the `--baseline` file refreshes it (the old one
/// is read in full first, and the new one replaces it only when the run
/// completes).
pub fn refuse_inputs(named: &[Named], inputs: &[Input]) -> anyhow::Result<()> {
    let outputs: Vec<(&Named, Identity)> = named
        .iter()
        .filter_map(|n| Some((n, Identity::of(n.destination.path()?)?)))
        .collect();
    if outputs.is_empty() {
        return Ok(());
    }
    for input in inputs.iter().filter(|i| i.path.as_os_str() != "-") {
        let Some(id) = Identity::of(input.path) else {
            continue;
        };
        let clash = outputs.iter().find(|(named, o)| {
            *o == id && !(named.flag == "--write-baseline" && input.flag == Some("--baseline"))
        });
        if let Some((named, _)) = clash {
            let read_as = input.flag.map_or_else(String::new, |f| format!(" ({f})"));
            anyhow::bail!(
                "{} {} names the {} {}{read_as}, an input of this run; refusing to overwrite it — name another file for the report",
                named.flag,
                named.given.map_or_else(String::new, crate::text::safe_path),
                input.what,
                crate::text::safe_path(input.path)
            );
        }
    }
    Ok(())
}

/// What makes two paths one file.
#[derive(Debug, PartialEq, Eq)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

impl Identity {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Identity> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(Identity::Inode(meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn of(path: &Path) -> Option<Identity> {
        Some(Identity::Path(std::fs::canonicalize(path).ok()?))
    }
}
