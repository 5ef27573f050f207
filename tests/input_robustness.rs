//! Every input is read or named: encodings, line endings, NUL bytes, PDFs
//! that are not, encrypted or damaged, files over the size limit, and corpus
//! folders with links, loops, FIFOs, hidden and ignored files.

use std::path::{Path, PathBuf};
use std::process::Command;

use imr_audit::input::decode::{Encoding, LineEndings};
use imr_audit::input::{
    self, CollectOptions, Collection, Filters, PdfProblem, ReadOptions, ReadProblem,
};
use imr_audit::letter::{self, Letter};
use imr_audit::source::Source;

use crate::util::root;

/// A folder under the system temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("imr-audit-input-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// A folder holding `files` (path, content).
    fn with(name: &str, files: &[(&str, &str)]) -> TempDir {
        let dir = TempDir::new(name);
        for (rel, text) in files {
            dir.write(rel, text);
        }
        dir
    }

    fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// Writes `bytes` to `rel`, creating folders on the way.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(root().join("samples").join(name)).unwrap()
}

/// The letter's items as (request under review, decision, line, column): what
/// must survive any change of encoding or line ending.
fn items(letter: &Letter) -> Vec<(String, Option<String>, usize, usize)> {
    letter
        .items
        .iter()
        .map(|item| {
            (
                item.request.under_review.value.clone(),
                item.decision.as_ref().map(|d| d.value.to_string()),
                item.span.line,
                item.span.column,
            )
        })
        .collect()
}

fn parse_bytes(bytes: &[u8]) -> (Source, Letter) {
    let source = Source::from_bytes("letter.txt", bytes);
    let letter = letter::parse(&source);
    (source, letter)
}

fn messages(letter: &Letter) -> String {
    letter
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.severity, f.message))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The first finding whose message mentions `needle`.
fn finding_about<'a>(letter: &'a Letter, needle: &str) -> &'a imr_audit::finding::Finding {
    letter
        .findings
        .iter()
        .find(|f| f.message.contains(needle))
        .unwrap_or_else(|| panic!("no finding mentions {needle}: {}", messages(letter)))
}

/// Default options with these globs.
fn globs(include: &[&str], exclude: &[&str]) -> CollectOptions {
    let strings = |globs: &[&str]| globs.iter().map(|g| (*g).to_owned()).collect();
    CollectOptions {
        filters: Filters {
            include: strings(include),
            exclude: strings(exclude),
        },
        ..CollectOptions::default()
    }
}

fn skipped_reasons(collection: &Collection) -> Vec<(String, String)> {
    collection
        .skipped
        .iter()
        .map(|s| {
            (
                s.path.file_name().unwrap().to_string_lossy().into_owned(),
                s.reason.to_string(),
            )
        })
        .collect()
}

const MULTI_ITEM: &str = "citation-forms.txt";

#[test]
fn a_utf16_letter_with_a_bom_is_audited_with_the_same_items() {
    let text = sample(MULTI_ITEM);
    let (_, expected) = parse_bytes(text.as_bytes());
    assert_eq!(expected.items.len(), 4);
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (bytes, encoding) in [(le, Encoding::Utf16Le), (be, Encoding::Utf16Be)] {
        let (source, letter) = parse_bytes(&bytes);
        assert_eq!(source.decoding().encoding, encoding);
        assert_eq!(items(&letter), items(&expected), "{encoding}");
        assert_eq!(letter.findings, expected.findings, "{encoding}");
    }
}

#[test]
fn a_utf16_file_on_disk_is_read_and_audited() {
    let dir = TempDir::new("utf16");
    let text = sample("lumbar-xray-upheld.txt");
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let path = dir.write("utf16.txt", bytes);
    let source = input::read(&path).unwrap();
    let audit = imr_audit::audit::audit(&crate::parser_robustness::PACK, source);
    assert_eq!(audit.letter.items.len(), 1);
    assert!(!audit.evaluations.is_empty(), "the item is judged");
}

#[test]
fn a_utf8_bom_is_stripped_and_changes_nothing() {
    let text = sample(MULTI_ITEM);
    let (_, expected) = parse_bytes(text.as_bytes());
    let (source, letter) = parse_bytes(&[b"\xEF\xBB\xBF", text.as_bytes()].concat());
    assert_eq!(source.text(), text);
    assert_eq!(items(&letter), items(&expected));
}

#[test]
fn cr_only_and_crlf_line_endings_keep_item_boundaries_and_positions() {
    let text = sample(MULTI_ITEM);
    let (_, expected) = parse_bytes(text.as_bytes());
    for (ending, kind) in [("\r", LineEndings::Cr), ("\r\n", LineEndings::Crlf)] {
        let (source, letter) = parse_bytes(text.replace('\n', ending).as_bytes());
        assert_eq!(source.decoding().line_endings, kind);
        assert_eq!(source.text(), text, "read as \\n");
        assert_eq!(items(&letter), items(&expected), "{kind:?}");
        assert_eq!(letter.findings, expected.findings);
    }
}

#[test]
fn a_stray_nul_does_not_make_a_letter_binary() {
    let text = sample(MULTI_ITEM);
    let (_, expected) = parse_bytes(text.as_bytes());
    let at = text.find("IMR ISSUES").unwrap();
    let mut bytes = text.clone().into_bytes();
    bytes.insert(at, 0);
    bytes.extend([0u8; 16]);
    let (source, letter) = parse_bytes(&bytes);
    assert!(source.decoding().binary.is_none());
    assert_eq!(
        letter.items.len(),
        expected.items.len(),
        "{}",
        messages(&letter)
    );
    let note = finding_about(&letter, "NUL");
    assert!(note.message.contains("17 NUL byte(s)"), "{}", note.message);
    assert_eq!(note.severity, imr_audit::finding::Severity::Info);
    let (line, column) = source.position(at);
    let span = note.primary().expect("a place");
    assert_eq!((span.line, span.column), (line, column));
    assert!(!messages(&letter).contains("binary"));
}

#[test]
fn a_file_mostly_of_nul_or_control_bytes_is_named_binary() {
    let mut bytes = b"IMR ISSUES, DECISIONS AND RATIONALES\n".to_vec();
    bytes.extend([0u8; 200]);
    let (_, letter) = parse_bytes(&bytes);
    assert!(letter.items.is_empty());
    assert!(
        messages(&letter).contains("not letter text (84% of it is NUL bytes)"),
        "{}",
        messages(&letter)
    );
    let controls: Vec<u8> = (1..32u8).cycle().take(500).collect();
    let (_, letter) = parse_bytes(&controls);
    assert!(
        messages(&letter).contains("control characters"),
        "{}",
        messages(&letter)
    );
}

#[test]
fn windows_1252_is_read_and_the_first_offending_byte_named() {
    let text = sample("lumbar-xray-upheld.txt");
    let (_, expected) = parse_bytes(text.as_bytes());
    let pos = text.find("complete case file").unwrap() + "complete case file".len();
    let mut bytes = text.as_bytes()[..pos].to_vec();
    bytes.extend(b" \x93as sent\x94");
    bytes.extend(&text.as_bytes()[pos..]);
    let (source, letter) = parse_bytes(&bytes);
    assert_eq!(source.decoding().encoding, Encoding::Windows1252);
    let quote = source
        .text()
        .find("\"as sent\"")
        .expect("read as Windows-1252");
    let (line, column) = source.position(quote);
    let finding = finding_about(&letter, "UTF-8");
    assert!(
        finding.message.contains(&format!(
            "first offending byte 0x93 at line {line}, column {column}); it was read as Windows-1252"
        )),
        "{}",
        finding.message
    );
    assert_eq!(
        finding.primary().map(|s| (s.line, s.column)).unwrap(),
        (line, column)
    );
    assert_eq!(letter.items.len(), expected.items.len());
}

#[test]
fn a_utf8_letter_with_a_damaged_byte_keeps_its_accents() {
    let text = format!("Révisé — {}", sample("lumbar-xray-upheld.txt"));
    let mut bytes = text.into_bytes();
    bytes.insert(4, 0xFF);
    let (source, letter) = parse_bytes(&bytes);
    assert_eq!(source.decoding().encoding, Encoding::Utf8);
    assert!(source.text().starts_with("Rév\u{fffd}isé — "));
    assert!(messages(&letter).contains("replaced with U+FFFD"));
    assert_eq!(letter.items.len(), 1);
}

/// A one-page PDF built from `objects` (object 1 is the catalogue).
fn pdf(objects: &[&str], trailer: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

const CONTENT: &str = "BT /F1 12 Tf 72 720 Td (IMR Final Determination Letter) Tj ET";

fn page_objects(content: &str) -> Vec<String> {
    vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .into(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ]
}

fn has_pdftotext() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        eprintln!("SKIPPED: pdftotext is not installed (Debian package poppler-utils)");
    }
    found
}

fn pdf_problem(path: &Path) -> PdfProblem {
    match input::read_with(path, &ReadOptions::default()) {
        Err(input::ReadError {
            reason: ReadProblem::Pdf(problem),
            ..
        }) => problem,
        other => panic!("{}: expected a PDF problem, got {other:?}", path.display()),
    }
}

#[test]
fn a_pdf_that_is_not_a_pdf_says_so_without_pdftotext() {
    let dir = TempDir::new("fake-pdf");
    let fake = dir.write("fake.pdf", "IMR Final Determination, saved as text\n");
    let problem = pdf_problem(&fake);
    assert!(matches!(problem, PdfProblem::NotPdf { .. }));
    assert_eq!(
        problem.to_string(),
        "named .pdf but not a PDF (no %PDF- header): it starts with \"IMR Final Determination,\""
    );
    let empty = dir.write("empty.pdf", "");
    assert!(
        pdf_problem(&empty)
            .to_string()
            .ends_with("the file is empty")
    );
}

#[test]
fn an_encrypted_or_damaged_pdf_names_its_reason() {
    if !has_pdftotext() {
        return;
    }
    let dir = TempDir::new("bad-pdf");
    let objects = page_objects(CONTENT);
    let refs: Vec<&str> = objects.iter().map(String::as_str).collect();
    let good = dir.write("good.pdf", pdf(&refs, ""));
    let source = input::read(&good).unwrap();
    assert_eq!(source.text().trim(), "IMR Final Determination Letter");

    // Standard security handler, revision 2, user password "secret".
    let mut encrypted = refs.clone();
    encrypted.push(
        "<< /Filter /Standard /V 1 /R 2 \
         /O <92fe0f4454ad4c9644693f33c07cb54f587dce1e2682fe9ecea6107a1ef630dd> \
         /U <902d6c0d6b77adef97ca1c71e49308c613b917b2ad6ef711a0cb410737994360> /P -4 >>",
    );
    let locked = dir.write(
        "locked.pdf",
        pdf(
            &encrypted,
            " /Encrypt 6 0 R /ID [<30313233343536373839616263646566> <30313233343536373839616263646566>]",
        ),
    );
    let problem = pdf_problem(&locked);
    assert!(
        matches!(problem, PdfProblem::NeedsPassword { .. }),
        "{problem}"
    );
    assert!(
        problem.to_string().contains("Incorrect password"),
        "{problem}"
    );

    let blank = page_objects("");
    let blank: Vec<&str> = blank.iter().map(String::as_str).collect();
    let scan = dir.write("scan.pdf", pdf(&blank, ""));
    let problem = pdf_problem(&scan);
    assert!(
        matches!(problem, PdfProblem::NoText { pages: 1 }),
        "{problem}"
    );
    assert!(problem.to_string().contains("run OCR"), "{problem}");

    let mut truncated = pdf(&refs, "");
    truncated.truncate(200);
    let broken = dir.write("broken.pdf", truncated);
    let problem = pdf_problem(&broken);
    assert!(
        matches!(problem, PdfProblem::Damaged { exit: Some(1), .. }),
        "{problem}"
    );
    let text = problem.to_string();
    assert!(
        text.starts_with("the PDF is damaged: pdftotext could not convert the file (exit 1): ")
    );
    assert!(
        text.contains("Syntax Error"),
        "pdftotext's reason is kept: {text}"
    );
}

#[test]
fn a_missing_pdftotext_is_named_apart_from_a_bad_pdf() {
    let dir = TempDir::new("no-pdftotext");
    let objects = page_objects(CONTENT);
    let refs: Vec<&str> = objects.iter().map(String::as_str).collect();
    let good = dir.write("good.pdf", pdf(&refs, ""));
    let empty_path = dir.join("bin");
    std::fs::create_dir_all(&empty_path).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["parse", "--format", "json"])
        .arg(&good)
        .env("PATH", &empty_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pdftotext is not installed"), "{stderr}");
}

#[test]
fn an_oversize_file_is_named_without_being_read() {
    let dir = TempDir::new("oversize");
    // A sparse file: 64 GiB by its size, no disk and no memory used.
    let big = dir.join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(64 << 30)
        .unwrap();
    let started = std::time::Instant::now();
    let error = input::read_with(&big, &ReadOptions::default()).unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "not read"
    );
    assert!(matches!(
        error.reason,
        ReadProblem::TooLarge {
            size: Some(size),
            ..
        } if size == 64 << 30
    ));
    assert!(
        error.to_string().ends_with(
            "big.txt: too large: 64 GiB is over the 16 MiB limit for one letter; not read"
        ),
        "{error}"
    );
    let small = dir.write("letter.txt", sample("lumbar-xray-upheld.txt"));
    let limited = ReadOptions { max_size: 100 };
    assert!(matches!(
        input::read_with(&small, &limited).unwrap_err().reason,
        ReadProblem::TooLarge { limit: 100, .. }
    ));
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_read_only_up_to_the_limit() {
    let limited = ReadOptions { max_size: 1 << 20 };
    let error = input::read_with(Path::new("/dev/zero"), &limited).unwrap_err();
    assert!(
        matches!(error.reason, ReadProblem::TooLarge { size: None, .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("more than the 1 MiB limit"),
        "{error}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_letter_is_followed_and_a_link_loop_reported() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("links");
    let outside = dir.write("outside/real.txt", sample("lumbar-xray-upheld.txt"));
    dir.write("corpus/a.txt", "a");
    symlink(&outside, dir.join("corpus/b-link.txt")).unwrap();
    symlink(dir.join("corpus"), dir.join("corpus/c-loop")).unwrap();
    symlink(dir.join("nowhere.txt"), dir.join("corpus/d-dangling.txt")).unwrap();
    let collection =
        input::collect_letters(&[dir.join("corpus")], &CollectOptions::default()).unwrap();
    assert_eq!(
        collection.letters,
        vec![dir.join("corpus/a.txt"), dir.join("corpus/b-link.txt")]
    );
    let source = input::read(&collection.letters[1]).unwrap();
    assert_eq!(
        letter::parse(&source).items.len(),
        1,
        "the link's letter is read"
    );
    let reasons = skipped_reasons(&collection);
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0].0, "c-loop");
    assert!(reasons[0].1.contains("a loop, not followed"), "{reasons:?}");
    assert_eq!(reasons[1].0, "d-dangling.txt");
    assert!(reasons[1].1.contains("cannot be followed"), "{reasons:?}");
    let problems: Vec<_> = collection.problems().map(|s| s.path.clone()).collect();
    assert_eq!(
        problems,
        vec![dir.join("corpus/d-dangling.txt")],
        "a loop loses nothing; a dangling letter does"
    );
}

/// Makes a FIFO with mkfifo(1), or says why the test skips.
#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!(
            "SKIPPED: mkfifo is not available to make {}",
            path.display()
        );
    }
    made
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_named_and_skipped_and_one_named_directly_is_read() {
    let dir = TempDir::with("fifo", &[("corpus/a.txt", "a")]);
    let fifo = dir.join("corpus/pipe.txt");
    if !mkfifo(&fifo) {
        return;
    }
    let collection =
        input::collect_letters(&[dir.join("corpus")], &CollectOptions::default()).unwrap();
    assert_eq!(collection.letters, vec![dir.join("corpus/a.txt")]);
    let reasons = skipped_reasons(&collection);
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0].0, "pipe.txt");
    assert!(
        reasons[0]
            .1
            .starts_with("a FIFO (named pipe), not a regular file"),
        "{reasons:?}"
    );

    let named =
        input::collect_letters(std::slice::from_ref(&fifo), &CollectOptions::default()).unwrap();
    assert_eq!(
        named.letters,
        vec![fifo.clone()],
        "named directly, it is read"
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, sample("lumbar-xray-upheld.txt")))
    };
    let source = input::read(&fifo).unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(letter::parse(&source).items.len(), 1);
}

#[test]
fn a_gitignored_letter_is_read_unless_ignore_files_are_asked_for() {
    let dir = TempDir::with(
        "gitignore",
        &[
            ("corpus/.gitignore", "ignored.txt\n"),
            ("corpus/.ignore", "also/\n"),
            ("corpus/ignored.txt", "x"),
            ("corpus/kept.txt", "x"),
            ("corpus/also/inside.txt", "x"),
        ],
    );
    let corpus = [dir.join("corpus")];
    let all = input::collect_letters(&corpus, &CollectOptions::default()).unwrap();
    assert_eq!(
        all.letters,
        vec![
            dir.join("corpus/also/inside.txt"),
            dir.join("corpus/ignored.txt"),
            dir.join("corpus/kept.txt")
        ]
    );
    let asked = CollectOptions {
        ignore_files: true,
        ..CollectOptions::default()
    };
    let some = input::collect_letters(&corpus, &asked).unwrap();
    assert_eq!(some.letters, vec![dir.join("corpus/kept.txt")]);
    let reasons = skipped_reasons(&some);
    assert!(reasons.contains(&(
        "also".into(),
        format!(
            "ignored by `also/` in {}",
            dir.join("corpus/.ignore").display()
        )
    )));
    assert!(reasons.contains(&(
        "ignored.txt".into(),
        format!(
            "ignored by `ignored.txt` in {}",
            dir.join("corpus/.gitignore").display()
        )
    )));
    assert!(some.problems().next().is_none(), "a choice, not a problem");
}

#[test]
fn check_reads_a_gitignored_letter() {
    let dir = TempDir::new("check-gitignore");
    dir.write("corpus/.gitignore", "*.txt\n");
    dir.write("corpus/letter.txt", sample("lumbar-xray-upheld.txt"));
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["check", "--format", "json"])
        .arg(dir.join("corpus"))
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["letters"].as_array().unwrap().len(), 1);
}

#[test]
fn every_skipped_path_is_listed_with_its_reason() {
    let dir = TempDir::with(
        "skipped",
        &[
            ("corpus/a.txt", "a"),
            ("corpus/b.PDF", "%PDF-"),
            ("corpus/notes.md", "n"),
            ("corpus/.hidden.txt", "h"),
            ("corpus/.git/HEAD", "ref"),
            ("corpus/draft-1.txt", "d"),
            ("corpus/drafts/x.txt", "d"),
            ("corpus/sub/c.txt", "c"),
        ],
    );
    let options = globs(&[], &["draft*"]);
    let paths = [dir.join("corpus"), dir.join("missing.txt")];
    let collection = input::collect_letters(&paths, &options).unwrap();
    assert_eq!(
        collection.letters,
        vec![
            dir.join("corpus/a.txt"),
            dir.join("corpus/b.PDF"),
            dir.join("corpus/sub/c.txt")
        ]
    );
    let hidden =
        "hidden (the name starts with a dot); hidden files and folders are read only when asked";
    let expected: Vec<(String, String)> = [
        (".git", hidden),
        (".hidden.txt", hidden),
        ("draft-1.txt", "excluded by --exclude `draft*`"),
        ("drafts", "excluded by --exclude `draft*`"),
        (
            "notes.md",
            "not a letter: only .txt and .pdf files are read from folders",
        ),
        ("missing.txt", "no such file or directory; check the path"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(skipped_reasons(&collection), expected);
    let problems: Vec<_> = collection.problems().map(|s| s.path.clone()).collect();
    assert_eq!(problems, vec![dir.join("missing.txt")]);

    let with_hidden = CollectOptions {
        hidden: true,
        ..options
    };
    let collection = input::collect_letters(&paths, &with_hidden).unwrap();
    assert!(collection.letters.contains(&dir.join("corpus/.hidden.txt")));
    assert!(
        skipped_reasons(&collection).contains(&("HEAD".into(), expected[4].1.clone())),
        "hidden folders are walked when asked"
    );
}

#[test]
fn include_globs_name_what_they_leave_out() {
    let dir = TempDir::with(
        "include",
        &[("corpus/2017/a.txt", "a"), ("corpus/2018/b.txt", "b")],
    );
    let options = globs(&["2017/*"], &[]);
    let collection = input::collect_letters(&[dir.join("corpus")], &options).unwrap();
    assert_eq!(collection.letters, vec![dir.join("corpus/2017/a.txt")]);
    assert_eq!(
        skipped_reasons(&collection),
        vec![("b.txt".into(), "matches no --include glob".into())]
    );
}

#[cfg(unix)]
#[test]
fn an_unlistable_folder_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::with("unlistable", &[("corpus/locked/a.txt", "a")]);
    let locked = dir.join("corpus/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let listable = std::fs::read_dir(&locked).is_ok();
    let collection =
        input::collect_letters(&[dir.join("corpus")], &CollectOptions::default()).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if listable {
        eprintln!("SKIPPED: running as root, every folder can be listed");
        return;
    }
    let reasons = skipped_reasons(&collection);
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].1.starts_with("cannot list the folder: "),
        "{reasons:?}"
    );
}

#[test]
fn no_letters_found_is_told_apart() {
    let dir = TempDir::new("empty");
    dir.write("corpus/readme.md", "r");
    let paths = [dir.join("corpus")];
    let collection = input::collect_letters(&paths, &CollectOptions::default()).unwrap();
    let error = collection.require_letters(&paths).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "no letters found in {} (1 path skipped, named with its reason)",
            paths[0].display()
        )
    );
    dir.write("corpus/a.txt", "a");
    let collection = input::collect_letters(&paths, &CollectOptions::default()).unwrap();
    assert!(collection.require_letters(&paths).is_ok());
}

#[test]
fn a_bad_glob_stops_the_listing_with_its_flag() {
    let error =
        input::collect_letters(&[root().join("samples")], &globs(&[], &["a{b"])).unwrap_err();
    assert_eq!(error.flag, "--exclude");
    assert!(
        error.to_string().starts_with("bad --exclude glob `a{b`: "),
        "{error}"
    );
}
