//! Lists the letters of a run, and every path that will not be audited with
//! the reason why, so that a corpus run never drops a letter without a word.
//!
//! What is read, by default:
//! - a path named on the command line, whatever its name or kind (a FIFO or
//!   `/dev/stdin` included: the size limit bounds what is read);
//! - in a named folder, every `.txt` and `.pdf` file, at any depth, symbolic
//!   links followed (a link back to a folder above it is a loop, named and
//!   not followed again).
//!
//! What is not, each entry listed in [`Collection::skipped`]: files with
//! other extensions, files and folders excluded by `--exclude` or left out
//! by `--include`, hidden files and folders (a name starting with a dot:
//! `.git`, editor and macOS `._` debris; [`CollectOptions::hidden`] reads
//! them), FIFOs, sockets and devices found in a folder (reading one could
//! wait forever), broken links, folders that cannot be listed and paths that
//! do not exist. `.gitignore` and `.ignore` files are not honoured unless
//! [`CollectOptions::ignore_files`] asks; then those in each walked folder
//! apply (not those above the named folder, nor git's global excludes).
//!
//! The walk is written here rather than taken from `ignore::WalkBuilder`
//! because that walker drops what it filters silently; the `ignore` crate
//! still matches the globs and the ignore files, with git's semantics.

use std::ffi::OsStr;
use std::fmt;
use std::fs::{self, Metadata};
use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::{Filters, LETTER_EXTENSIONS, Located, has_letter_extension};

/// What a folder walk reads beyond the default.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// `--include` / `--exclude` globs for files found in folders.
    pub filters: Filters,
    /// Read hidden files and walk hidden folders (names starting with a dot).
    pub hidden: bool,
    /// Honour `.gitignore` and `.ignore` files in the walked folders.
    pub ignore_files: bool,
}

/// The letters of a run and every path left out.
#[derive(Debug, Default)]
pub struct Collection {
    /// Letters to read, in a stable order: the paths named, in order, each
    /// folder's letters sorted by path.
    pub letters: Vec<PathBuf>,
    /// Every path named or found that will not be audited, in walk order.
    pub skipped: Vec<Skipped>,
}

impl Collection {
    /// The skipped paths that are problems (a missing path, an unlistable
    /// folder, a broken link, a FIFO), not choices.
    pub fn problems(&self) -> impl Iterator<Item = &Skipped> {
        self.skipped.iter().filter(|s| s.reason.is_problem())
    }

    /// An error when no letter was found at all, so a run over an empty or
    /// mistyped folder does not pass for a clean one.
    pub fn require_letters(&self, paths: &[PathBuf]) -> Result<(), NoLetters> {
        if self.letters.is_empty() {
            Err(NoLetters {
                paths: paths.to_vec(),
                skipped: self.skipped.len(),
            })
        } else {
            Ok(())
        }
    }
}

/// No letter was named or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoLetters {
    /// The paths that were searched.
    pub paths: Vec<PathBuf>,
    /// How many paths were found but skipped.
    pub skipped: usize,
}

impl fmt::Display for NoLetters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paths: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
        write!(f, "no letters found in {}", paths.join(", "))?;
        match self.skipped {
            0 => Ok(()),
            1 => write!(f, " (1 path skipped, named with its reason)"),
            n => write!(f, " ({n} paths skipped, each named with its reason)"),
        }
    }
}

impl std::error::Error for NoLetters {}

/// A path named or found that will not be audited, and why.
pub type Skipped = Located<SkipReason>;

/// Why a path is not audited.
#[derive(Debug)]
pub enum SkipReason {
    /// Named on the command line but absent.
    Missing,
    /// Its metadata cannot be read (permissions on a folder above it, say).
    Unreadable(std::io::Error),
    /// A folder whose entries cannot be listed.
    Unlistable(std::io::Error),
    /// A symbolic link that cannot be followed (dangling, or a chain of links
    /// that never ends).
    BrokenLink {
        target: Option<PathBuf>,
        error: std::io::Error,
    },
    /// A link back to a folder above it.
    Loop { target: PathBuf },
    /// A FIFO, socket or device found in a folder.
    NotAFile { kind: SpecialFile },
    /// A name starting with a dot, found in a folder.
    Hidden,
    /// Matched by a `.gitignore` or `.ignore` file (only when asked).
    Ignored { by: PathBuf, pattern: String },
    /// Matched by an `--exclude` glob.
    Excluded { glob: String },
    /// `--include` globs were given and none matches.
    NotIncluded,
    /// Found in a folder without a letter extension.
    NotALetter,
}

impl SkipReason {
    /// Whether this is a problem to report as an error rather than a choice
    /// of the run (extension, globs, hidden, ignore files) or a loop.
    pub fn is_problem(&self) -> bool {
        match self {
            SkipReason::Missing
            | SkipReason::Unreadable(_)
            | SkipReason::Unlistable(_)
            | SkipReason::BrokenLink { .. }
            | SkipReason::NotAFile { .. } => true,
            // Every letter under a loop is read through the folder it leads
            // back to: nothing is lost, so a `current -> .` link is no error.
            SkipReason::Loop { .. }
            | SkipReason::Hidden
            | SkipReason::Ignored { .. }
            | SkipReason::Excluded { .. }
            | SkipReason::NotIncluded
            | SkipReason::NotALetter => false,
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Missing => f.write_str("no such file or directory; check the path"),
            SkipReason::Unreadable(err) => write!(f, "cannot read: {err}"),
            SkipReason::Unlistable(err) => write!(f, "cannot list the folder: {err}"),
            SkipReason::BrokenLink {
                target: Some(target),
                error,
            } => write!(
                f,
                "a symbolic link to {} that cannot be followed: {error}",
                target.display()
            ),
            SkipReason::BrokenLink {
                target: None,
                error,
            } => write!(f, "a symbolic link that cannot be followed: {error}"),
            SkipReason::Loop { target } => write!(
                f,
                "a link back to {}, a folder above it: a loop, not followed",
                target.display()
            ),
            SkipReason::NotAFile { kind } => write!(
                f,
                "a {kind}, not a regular file: reading it could wait forever; \
                 name it on the command line to read it"
            ),
            SkipReason::Hidden => f.write_str(
                "hidden (the name starts with a dot); hidden files and folders are read only when asked",
            ),
            SkipReason::Ignored { by, pattern } => {
                write!(f, "ignored by `{pattern}` in {}", by.display())
            }
            SkipReason::Excluded { glob } => write!(f, "excluded by --exclude `{glob}`"),
            SkipReason::NotIncluded => f.write_str("matches no --include glob"),
            SkipReason::NotALetter => write!(
                f,
                "not a letter: only {} files are read from folders",
                LETTER_EXTENSIONS
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        }
    }
}

/// An `--include` or `--exclude` glob that does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// `--include` or `--exclude`.
    pub flag: &'static str,
    pub glob: String,
    pub reason: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad {} glob `{}`: {}", self.flag, self.glob, self.reason)
    }
}

impl std::error::Error for FilterError {}

/// Lists the letters named by `paths` and every path left out, with its
/// reason. Only a glob that does not compile stops the listing.
pub fn collect_letters(
    paths: &[PathBuf],
    options: &CollectOptions,
) -> Result<Collection, FilterError> {
    // Compiled once up front so a bad glob is named before any walking.
    Globs::new(Path::new(""), &options.filters)?;
    let mut out = Collection::default();
    for path in paths {
        if path.as_os_str() == "-" {
            out.letters.push(path.clone());
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut walk = Walk {
                    options,
                    globs: Globs::new(path, &options.filters)?,
                    out: &mut out,
                    ancestors: Vec::new(),
                    ignores: Vec::new(),
                };
                walk.dir(path, DirId::of(path, &meta));
            }
            #[cfg(unix)]
            Ok(meta) if std::os::unix::fs::FileTypeExt::is_socket(&meta.file_type()) => {
                out.skipped.push(Skipped {
                    path: path.clone(),
                    reason: SkipReason::NotAFile {
                        kind: SpecialFile::Socket,
                    },
                });
            }
            // Named directly: read whatever it is called.
            Ok(_) => out.letters.push(path.clone()),
            Err(error) => out.skipped.push(Skipped {
                path: path.clone(),
                reason: unreachable_reason(path, error),
            }),
        }
    }
    Ok(out)
}

/// Why `fs::metadata(path)` failed, in the walk's terms.
fn unreachable_reason(path: &Path, error: std::io::Error) -> SkipReason {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        SkipReason::BrokenLink {
            target: fs::read_link(path).ok(),
            error,
        }
    } else if error.kind() == std::io::ErrorKind::NotFound {
        SkipReason::Missing
    } else {
        SkipReason::Unreadable(error)
    }
}

/// The `--include`/`--exclude` globs, matched relative to one named folder
/// with gitignore semantics (as `ignore`'s overrides are).
struct Globs {
    exclude: Gitignore,
    include: Option<Gitignore>,
}

impl Globs {
    fn new(root: &Path, filters: &Filters) -> Result<Globs, FilterError> {
        let build = |flag: &'static str, globs: &[String]| {
            let mut builder = GitignoreBuilder::new(root);
            for glob in globs {
                builder.add_line(None, glob).map_err(|err| FilterError {
                    flag,
                    glob: glob.clone(),
                    reason: err.to_string(),
                })?;
            }
            builder.build().map_err(|err| FilterError {
                flag,
                glob: globs.join(" "),
                reason: err.to_string(),
            })
        };
        Ok(Globs {
            exclude: build("--exclude", &filters.exclude)?,
            include: if filters.include.is_empty() {
                None
            } else {
                Some(build("--include", &filters.include)?)
            },
        })
    }

    /// The `--exclude` glob that matches, if any.
    fn excluded(&self, path: &Path, is_dir: bool) -> Option<String> {
        match self.exclude.matched(path, is_dir) {
            Match::Ignore(glob) => Some(glob.original().to_owned()),
            Match::Whitelist(_) | Match::None => None,
        }
    }

    /// Whether a file passes `--include` (always, when none was given).
    fn included(&self, path: &Path) -> bool {
        self.include
            .as_ref()
            .is_none_or(|include| include.matched(path, false).is_ignore())
    }
}

/// A folder's identity, to recognise a link back to a folder above.
#[derive(Debug, PartialEq, Eq)]
struct DirId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] Option<PathBuf>);

impl DirId {
    #[cfg(unix)]
    fn of(_path: &Path, meta: &Metadata) -> DirId {
        use std::os::unix::fs::MetadataExt;
        DirId((meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _meta: &Metadata) -> DirId {
        DirId(path.canonicalize().ok())
    }
}

/// One named folder's walk, depth first in name order (which is path order).
struct Walk<'a> {
    options: &'a CollectOptions,
    globs: Globs,
    out: &'a mut Collection,
    /// The folders from the named one down to the one being listed.
    ancestors: Vec<DirId>,
    /// Ignore files of those folders, outermost first (when asked).
    ignores: Vec<Gitignore>,
}

impl Walk<'_> {
    fn skip(&mut self, path: &Path, reason: SkipReason) {
        self.out.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason,
        });
    }

    fn dir(&mut self, dir: &Path, id: DirId) {
        let mut entries: Vec<(std::ffi::OsString, PathBuf)> = Vec::new();
        match fs::read_dir(dir) {
            Ok(read) => {
                for entry in read {
                    match entry {
                        Ok(entry) => entries.push((entry.file_name(), entry.path())),
                        Err(err) => self.skip(dir, SkipReason::Unlistable(err)),
                    }
                }
            }
            Err(err) => {
                self.skip(dir, SkipReason::Unlistable(err));
                return;
            }
        }
        entries.sort();
        self.ancestors.push(id);
        let ignore = self
            .options
            .ignore_files
            .then(|| ignore_files(dir))
            .flatten();
        let pushed = ignore.is_some();
        self.ignores.extend(ignore);
        for (name, path) in entries {
            self.entry(&name, &path);
        }
        if pushed {
            self.ignores.pop();
        }
        self.ancestors.pop();
    }

    fn entry(&mut self, name: &OsStr, path: &Path) {
        if !self.options.hidden && name.as_encoded_bytes().starts_with(b".") {
            return self.skip(path, SkipReason::Hidden);
        }
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(error) if has_letter_extension(path) || is_link(path) => {
                return self.skip(path, unreachable_reason(path, error));
            }
            Err(_) => return self.skip(path, SkipReason::NotALetter),
        };
        let is_dir = meta.is_dir();
        if let Some(reason) = self.ignored(path, is_dir) {
            return self.skip(path, reason);
        }
        if let Some(glob) = self.globs.excluded(path, is_dir) {
            return self.skip(path, SkipReason::Excluded { glob });
        }
        if is_dir {
            let id = DirId::of(path, &meta);
            if self.ancestors.contains(&id) {
                let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                return self.skip(path, SkipReason::Loop { target });
            }
            return self.dir(path, id);
        }
        if !has_letter_extension(path) {
            return self.skip(path, SkipReason::NotALetter);
        }
        if !self.globs.included(path) {
            return self.skip(path, SkipReason::NotIncluded);
        }
        if !meta.is_file() {
            let kind = SpecialFile::of(&meta);
            return self.skip(path, SkipReason::NotAFile { kind });
        }
        self.out.letters.push(path.to_path_buf());
    }

    /// The innermost ignore file with an opinion decides (a `!pattern`
    /// re-includes).
    fn ignored(&self, path: &Path, is_dir: bool) -> Option<SkipReason> {
        for ignore in self.ignores.iter().rev() {
            match ignore.matched(path, is_dir) {
                Match::Ignore(glob) => {
                    return Some(SkipReason::Ignored {
                        by: glob
                            .from()
                            .map_or_else(|| ignore.path().to_path_buf(), Path::to_path_buf),
                        pattern: glob.original().to_owned(),
                    });
                }
                Match::Whitelist(_) => return None,
                Match::None => {}
            }
        }
        None
    }
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The `.gitignore` and `.ignore` of one folder (`.ignore` wins, as in
/// ripgrep), or `None` when it has neither. Lines that do not parse are left
/// out: they can only make the walk read more.
fn ignore_files(dir: &Path) -> Option<Gitignore> {
    let mut builder = GitignoreBuilder::new(dir);
    let mut any = false;
    for name in [".gitignore", ".ignore"] {
        let file = dir.join(name);
        if file.is_file() {
            any = true;
            let _ = builder.add(file);
        }
    }
    if !any {
        return None;
    }
    builder.build().ok()
}

/// What a file that is neither a regular file nor a folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFile {
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    /// Anything else the platform has.
    Other,
}

impl SpecialFile {
    fn of(meta: &Metadata) -> SpecialFile {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let t = meta.file_type();
            if t.is_fifo() {
                return SpecialFile::Fifo;
            } else if t.is_socket() {
                return SpecialFile::Socket;
            } else if t.is_char_device() {
                return SpecialFile::CharacterDevice;
            } else if t.is_block_device() {
                return SpecialFile::BlockDevice;
            }
        }
        let _ = meta;
        SpecialFile::Other
    }
}

impl fmt::Display for SpecialFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecialFile::Fifo => "FIFO (named pipe)",
            SpecialFile::Socket => "socket",
            SpecialFile::CharacterDevice => "character device",
            SpecialFile::BlockDevice => "block device",
            SpecialFile::Other => "special file",
        })
    }
}
