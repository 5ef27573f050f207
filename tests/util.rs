use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// ../shared/letters/real, when it exists. Tests that need it print why they
/// skip when it does not.
pub fn real_letters() -> Option<PathBuf> {
    let dir = root().join("../shared/letters/real");
    if dir.join("labels.jsonl").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} not found; the real-letter checks need the shared letters beside the project",
            dir.display()
        );
        None
    }
}

/// The `.txt` files directly in `dir`, sorted by name.
pub fn text_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
}

/// The names of the sample letters in samples/, sorted.
pub fn sample_names() -> Vec<String> {
    let names: Vec<String> = text_files(&root().join("samples"))
        .iter()
        .filter_map(|p| Some(p.file_name()?.to_str()?.to_owned()))
        .collect();
    assert!(
        names.len() >= 12,
        "expected at least 12 sample letters, found {names:?}"
    );
    names
}

/// A sample letter up to its "IMR ISSUES, DECISIONS AND RATIONALES" heading:
/// the header, credentials and case summary, for tests that write their own items.
pub fn letter_head(sample: &str) -> String {
    let text = std::fs::read_to_string(root().join("samples").join(sample))
        .unwrap_or_else(|e| panic!("samples/{sample}: {e}"));
    let end = text
        .find("IMR ISSUES, DECISIONS AND RATIONALES")
        .unwrap_or_else(|| panic!("samples/{sample} has no issues heading"));
    text[..end].to_owned()
}

/// Folds whitespace runs to one space and trims.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn read(path: &Path) -> imr_audit::source::Source {
    imr_audit::input::read(path).unwrap_or_else(|e| panic!("{e}"))
}

/// The built binary, run from the project root with colour off and no
/// progress bar (`CI` set), as a CI job would.
pub fn imr_audit_command() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_imr-audit"));
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env("CI", "true");
    cmd
}

/// Runs the binary with `args` (see [`imr_audit_command`]).
pub fn imr_audit(args: &[&str]) -> std::process::Output {
    imr_audit_command().args(args).output().unwrap()
}

/// A fresh scratch directory for one test, named after it.
pub fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("imr-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// A test's scratch folder, removed with what it holds when the test ends
/// (a failing test's too: it unwinds).
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for Scratch {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Make anything a test made unreadable removable again first.
        #[cfg(unix)]
        restore_permissions(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Gives the owner every permission on `path` and what it holds.
#[cfg(unix)]
fn restore_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            let child = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                restore_permissions(&child);
            } else {
                let _ = std::fs::set_permissions(&child, std::fs::Permissions::from_mode(0o644));
            }
        }
    }
}

/// The temporary files (`.NAME.….tmp`) an output left in `dir`.
pub fn temp_files_left(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

/// Writes `yaml` to `dir/waivers.yaml` and runs `check --waivers` on
/// `letter` with `args` before it.
pub fn check_with_waivers(
    dir: &Path,
    yaml: &str,
    args: &[&str],
    letter: &str,
) -> std::process::Output {
    let waivers = dir.join("waivers.yaml");
    std::fs::write(&waivers, yaml).unwrap();
    let mut all = vec!["check", "--waivers", waivers.to_str().unwrap()];
    all.extend_from_slice(args);
    all.push(letter);
    imr_audit(&all)
}

/// Prints a measurement's figures per half, `(tried, right)` each, as
/// "{label}, half A: {right} of {tried} {what}", and returns their sums.
pub fn print_halves(label: &str, what: &str, figures: &[(usize, usize); 2]) -> (usize, usize) {
    for ((tried, right), half) in figures.iter().zip(["A", "B"]) {
        eprintln!("{label}, half {half}: {right} of {tried} {what}");
    }
    figures
        .iter()
        .fold((0, 0), |(t, r), &(tt, rr)| (t + tt, r + rr))
}

/// The half a letter belongs to, from the digits of its file name.
pub fn half(file_name: &str) -> char {
    let sum: u32 = file_name.chars().filter_map(|c| c.to_digit(10)).sum();
    if sum.is_multiple_of(2) { 'A' } else { 'B' }
}

/// A development letter audited as it is, for the measurements that alter
/// it and audit it again.
pub struct AuditedLetter {
    pub path: PathBuf,
    pub name: String,
    /// 0 for half A, 1 for half B.
    pub half: usize,
    pub source: imr_audit::source::Source,
    pub audit: imr_audit::audit::Audit,
}

impl AuditedLetter {
    /// Whether `audit` reports `check` on item `item`.
    pub fn has(
        audit: &imr_audit::audit::Audit,
        check: imr_audit::finding::Check,
        item: usize,
    ) -> bool {
        audit
            .findings
            .iter()
            .any(|f| f.check == check && f.item == Some(item))
    }

    /// How many findings of `check` the letter raises as it is.
    pub fn count(&self, check: imr_audit::finding::Check) -> usize {
        self.audit
            .findings
            .iter()
            .filter(|f| f.check == check)
            .count()
    }
}

/// Every real letter in `dir`, in name order, audited with `pack`.
pub fn audited_letters<'a>(
    pack: &'a imr_audit::rules::Pack,
    dir: &Path,
) -> impl Iterator<Item = AuditedLetter> + 'a {
    text_files(dir).into_iter().map(move |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = read(&path);
        let audit = imr_audit::audit::audit(pack, source.clone());
        AuditedLetter {
            half: usize::from(half(&name) == 'B'),
            path,
            name,
            source,
            audit,
        }
    })
}
