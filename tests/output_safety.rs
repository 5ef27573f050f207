//! Output safety: where a report may go (`-`, a device, a FIFO, a folder, a
//! missing folder, an input letter), interrupted runs, `rules export`, every
//! skipped path in every format, exit codes, the walk flags, and control
//! characters kept off the terminal and out of HTML and XML.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::util::{imr_audit, imr_audit_command, root};

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> crate::util::Scratch {
    crate::util::scratch(&format!("out-{name}"))
}

fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

fn s(path: &Path) -> String {
    path.display().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A named pipe at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) -> PathBuf {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", s(path));
    path.to_path_buf()
}

/// Names in `dir` starting with a dot and ending `.tmp`: temporary reports.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
        .collect()
}

#[test]
fn dash_means_standard_output_and_no_file_is_made() {
    let dir = scratch("dash");
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let out = imr_audit_command()
        .current_dir(&dir)
        .args(["check", "--format", "json", "-o", "-", &letter])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("the report is on stdout");
    assert_eq!(doc["summary"]["letters"], 1);
    assert!(!dir.join("-").exists(), "no file named - is created");
    let parsed = imr_audit_command()
        .current_dir(&dir)
        .args(["parse", "-o", "-", &letter])
        .output()
        .unwrap();
    assert!(!parsed.stdout.is_empty());
    assert!(!dir.join("-").exists());
}

#[cfg(unix)]
#[test]
fn a_device_is_written_through_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let out = imr_audit(&[
        "check",
        "-o",
        "/dev/null",
        "--output-json",
        "/dev/stdout",
        &letter,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON through /dev/stdout");
    assert_eq!(doc["summary"]["letters"], 1);
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(
        null.file_type().is_char_device(),
        "/dev/null is still a device"
    );
    assert!(temporaries(Path::new("/dev")).is_empty());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_directly_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("fifo-out");
    let fifo = mkfifo(&dir.join("report.fifo"));
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let out = imr_audit(&["check", "--format", "json", "-o", &s(&fifo), &letter]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(doc["summary"]["letters"], 1);
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(
        meta.file_type().is_fifo(),
        "the FIFO is not replaced by a file"
    );
    assert!(temporaries(&dir).is_empty());
}

#[test]
fn a_folder_or_a_missing_folder_is_refused_with_its_name() {
    let dir = scratch("bad-dest");
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let out = imr_audit(&["check", "-o", &s(&dir), &letter]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("it is a folder"), "{}", stderr(&out));
    let missing = dir.join("no-such-folder").join("report.json");
    let out = imr_audit(&["check", "--output-json", &s(&missing), &letter]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "the folder {} does not exist",
            s(&dir.join("no-such-folder"))
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing was run");
    let out = imr_audit(&["parse", "-o", &s(&missing), &letter]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"));
}

#[test]
fn a_report_never_overwrites_an_input_letter() {
    let dir = scratch("input-dest");
    let letter = dir.join("letter.txt");
    std::fs::copy(sample("lumbar-xray-upheld.txt"), &letter).unwrap();
    let before = std::fs::read(&letter).unwrap();
    let dotted = format!("{}/./letter.txt", s(&dir));
    for args in [
        vec!["check", "-o", dotted.as_str(), s(&letter).leak()],
        vec!["check", "--output-sarif", s(&letter).leak(), s(&dir).leak()],
        vec!["parse", "-o", s(&letter).leak(), s(&dir).leak()],
        vec![
            "check",
            "--write-baseline",
            s(&letter).leak(),
            s(&letter).leak(),
        ],
    ] {
        let out = imr_audit(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("an input of this run; refusing to overwrite it"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(std::fs::read(&letter).unwrap(), before, "{args:?}");
    }
    assert!(temporaries(&dir).is_empty());
}

#[test]
fn a_report_never_overwrites_the_baseline_or_the_waivers() {
    let dir = scratch("acceptance-dest");
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let baseline = dir.join("baseline.json");
    let out = imr_audit(&["check", "--write-baseline", &s(&baseline), &letter]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let waivers = dir.join("waivers.yaml");
    std::fs::write(&waivers, "waivers: []\n").unwrap();
    let (b, w) = (s(&baseline), s(&waivers));
    let kept = [
        std::fs::read(&baseline).unwrap(),
        std::fs::read(&waivers).unwrap(),
    ];
    for (args, named) in [
        (vec!["-o", &b, "--baseline", &b], "the baseline"),
        (
            vec!["--output-sarif", &w, "--waivers", &w],
            "the waivers file",
        ),
        (
            vec!["--write-baseline", &w, "--waivers", &w],
            "the waivers file",
        ),
    ] {
        let out = imr_audit(&[&["check"], &args[..], &[&letter]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("names {named} "))
                && err.contains("an input of this run; refusing to overwrite it"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "nothing was run");
    }
    assert_eq!(std::fs::read(&baseline).unwrap(), kept[0]);
    assert_eq!(std::fs::read(&waivers).unwrap(), kept[1]);
    // Refreshing a baseline in place is asked for, and allowed.
    let out = imr_audit(&["check", "--baseline", &b, "--write-baseline", &b, &letter]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&baseline).unwrap(),
        kept[0],
        "the same findings"
    );
    assert!(temporaries(&dir).is_empty());
}

#[test]
fn two_reports_on_standard_output_are_refused() {
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let out = imr_audit(&["check", "--output-json", "-", &letter]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("-o and --output-json both name standard output"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let dir = scratch("interrupt");
    let fifo = mkfifo(&dir.join("letter.fifo"));
    let report = dir.join("report.json");
    // Reading the FIFO waits for a writer that never comes: the run is
    // stopped with its temporary report open.
    let mut child = imr_audit_command()
        .args(["check", "--format", "json", "-o", &s(&report), &s(&fifo)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while temporaries(&dir).is_empty() && waited < 600 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    }
    assert!(
        !temporaries(&dir).is_empty(),
        "the run opened its temporary report"
    );
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
    assert!(!report.exists(), "no half report");
}

#[test]
fn rules_export_checks_everything_before_writing() {
    let dir = scratch("export");
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(pack.join("citations.yaml"), "mine\n").unwrap();
    let out = imr_audit(&["rules", "export", &s(&pack)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("already exist"), "{err}");
    assert!(err.contains("citations.yaml"), "{err}");
    assert!(err.contains("--force"), "{err}");
    let entries = std::fs::read_dir(&pack).unwrap().count();
    assert_eq!(entries, 1, "nothing was written");
    assert_eq!(
        std::fs::read_to_string(pack.join("citations.yaml")).unwrap(),
        "mine\n"
    );
    let out = imr_audit(&["rules", "export", "--force", &s(&pack)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(
        std::fs::read_to_string(pack.join("citations.yaml")).unwrap(),
        "mine\n"
    );
    assert!(temporaries(&pack).is_empty());
    // A file where the folder goes is named.
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = imr_audit(&["rules", "export", &s(&file)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a folder"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn rules_export_never_writes_through_a_link_out_of_its_folder() {
    let dir = scratch("export-links");
    let outside = dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::os::unix::fs::symlink(&outside, pack.join("facts")).unwrap();
    for force in [false, true] {
        let mut args = vec!["rules", "export"];
        if force {
            args.push("--force");
        }
        let pack_arg = s(&pack);
        args.push(&pack_arg);
        let out = imr_audit(&args);
        assert_eq!(out.status.code(), Some(2), "force {force}");
        assert!(
            stderr(&out).contains("is a symbolic link"),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    }
    // A link where a file goes is replaced with --force, its target untouched.
    std::fs::remove_file(pack.join("facts")).unwrap();
    let target = outside.join("victim.yaml");
    std::fs::write(&target, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&target, pack.join("citations.yaml")).unwrap();
    let out = imr_audit(&["rules", "export", &s(&pack)]);
    assert_eq!(out.status.code(), Some(2), "an existing link is in the way");
    let out = imr_audit(&["rules", "export", "--force", &s(&pack)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
    let meta = std::fs::symlink_metadata(pack.join("citations.yaml")).unwrap();
    assert!(meta.is_file(), "the link was replaced by the file");
}

/// A folder with one letter, a note, a hidden letter and a gitignored letter.
fn corpus(name: &str) -> crate::util::Scratch {
    let dir = scratch(name);
    std::fs::copy(sample("lumbar-xray-upheld.txt"), dir.join("a.txt")).unwrap();
    std::fs::write(dir.join("notes.md"), "not a letter").unwrap();
    std::fs::copy(sample("lumbar-xray-upheld.txt"), dir.join(".hidden.txt")).unwrap();
    std::fs::copy(sample("lumbar-xray-upheld.txt"), dir.join("ignored.txt")).unwrap();
    std::fs::write(dir.join(".gitignore"), "ignored.txt\n").unwrap();
    dir
}

#[test]
fn every_skipped_path_is_listed_in_every_format() {
    let dir = corpus("skipped-all");
    let out_dir = scratch("skipped-all-out");
    let file = |ext: &str| s(&out_dir.join(format!("report.{ext}")));
    let out = imr_audit(&[
        "check",
        &s(&dir),
        "--output-json",
        &file("json"),
        "--output-ndjson",
        &file("ndjson"),
        "--output-sarif",
        &file("sarif"),
        "--output-junit",
        &file("xml"),
        "--output-html",
        &file("html"),
        "--output-csv",
        &file("csv"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(
        human.contains("not audited  3 paths (0 of them problems)"),
        "{human}"
    );
    for name in ["notes.md", ".hidden.txt", ".gitignore"] {
        assert!(human.contains(name), "human: {name}");
        for ext in ["json", "ndjson", "sarif", "xml", "html", "csv"] {
            let text = std::fs::read_to_string(file(ext)).unwrap();
            assert!(text.contains(name), "{ext}: {name}");
        }
    }
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file("json")).unwrap()).unwrap();
    let skipped = doc["summary"]["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 3);
    assert!(
        skipped
            .iter()
            .all(|s| s["problem"] == false && s["reason"].is_string())
    );
    // ignored.txt is read: ignore files are not honoured by default.
    assert_eq!(doc["summary"]["letters"], 2);
}

#[test]
fn hidden_and_ignore_files_flags_change_the_walk() {
    let dir = corpus("walk-flags");
    let letters = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let d = s(&dir);
        args.push(&d);
        let out = imr_audit(&args);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut names: Vec<String> = doc["letters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                l["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        names.sort();
        names
    };
    assert_eq!(letters(&[]), ["a.txt", "ignored.txt"]);
    assert_eq!(
        letters(&["--hidden"]),
        [".hidden.txt", "a.txt", "ignored.txt"]
    );
    assert_eq!(letters(&["--ignore-files"]), ["a.txt"]);
    assert_eq!(
        letters(&["--ignore-files", "--no-ignore"]),
        ["a.txt", "ignored.txt"]
    );
}

#[test]
fn max_size_names_a_letter_over_it_and_exits_2() {
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let out = imr_audit(&["check", "--max-size", "1K", &letter]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("over the 1 KiB limit"),
        "{}",
        stderr(&out)
    );
    let out = imr_audit(&["check", "--max-size", "ten", &letter]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a size"), "{}", stderr(&out));
}

#[test]
fn no_letters_found_exits_2_with_every_skipped_path() {
    let dir = scratch("no-letters");
    std::fs::write(dir.join("notes.md"), "x").unwrap();
    let out = imr_audit(&["check", &s(&dir)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no letters found in"), "{err}");
    assert!(err.contains("notes.md"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "no report for a run that audited nothing"
    );
    let empty = scratch("no-letters-empty");
    let out = imr_audit(&["parse", &s(&empty)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_read_error_exits_2_and_a_letter_without_items_exits_1() {
    let dir = scratch("exit-codes");
    let prose = dir.join("prose.txt");
    std::fs::write(
        &prose,
        "Dear claimant, this is not a determination letter.\n",
    )
    .unwrap();
    let out = imr_audit(&["check", "--format", "json", &s(&prose)]);
    assert_eq!(out.status.code(), Some(1), "a parse error is a finding");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["without_items"][0], s(&prose));
    assert_eq!(doc["summary"]["unreadable"].as_array().unwrap().len(), 0);
    let missing = s(&dir.join("missing.txt"));
    let out = imr_audit(&["check", "--format", "json", &s(&prose), &missing]);
    assert_eq!(out.status.code(), Some(2), "a read error is exit 2");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = &doc["summary"]["skipped"][0];
    assert_eq!(skipped["path"], missing.as_str());
    assert_eq!(skipped["problem"], true);
}

#[test]
fn too_many_jobs_are_capped_with_a_warning() {
    let letter = s(&sample("lumbar-xray-upheld.txt"));
    let out = imr_audit(&["check", "-j", "100000", &letter]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("-j 100000 is more than 4 per core"),
        "{}",
        stderr(&out)
    );
}

/// A sample letter whose request, rationale and file name carry a screen
/// clear, an OSC 8 link, a bell, a carriage return and colour sequences
/// (blinking magenta, which the tool never writes itself, and one behind
/// the mark the tool gives its own).
fn hostile_letter(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(sample("lumbar-xray-upheld.txt")).unwrap();
    let text = text
        .replacen(
            "full including bending views: Upheld",
            "full\u{1b}[2J\u{1b}]8;;http://x\u{7}including\u{1b}]8;;\u{7} bending\u{1b}[5;45m views: Upheld",
            1,
        )
        .replacen(
            "Decision rationale:",
            "Decision rationale: \u{9b}31m\r\u{1b}[5;45m \u{fdd0}\u{1b}[5;44m",
            1,
        );
    let path = dir.join("evil\u{1b}[31m.txt");
    std::fs::write(&path, text).unwrap();
    path
}

fn has_control(bytes: &[u8], allowed: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| c.is_control() && !(c.is_ascii() && allowed.contains(&(c as u8))))
}

#[test]
fn escape_sequences_never_reach_the_terminal_or_the_markup() {
    let dir = scratch("escapes");
    let letter = hostile_letter(&dir);
    let waivers = dir.join("waivers.yaml");
    std::fs::write(
        &waivers,
        "waivers:\n  - fingerprint: 0000000000000000000000000000000000000000000000000000000000000000\n    reason: \"ok\\e[2J\\a\"\n",
    )
    .unwrap();
    let html = dir.join("r.html");
    let junit = dir.join("r.xml");
    let out = imr_audit(&[
        "check",
        "--color",
        "never",
        "--waivers",
        &s(&waivers),
        "--output-html",
        &s(&html),
        "--output-junit",
        &s(&junit),
        &s(&letter),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!has_control(&out.stdout, b"\n"), "human report");
    assert!(!has_control(&out.stderr, b"\n"), "stderr: {}", stderr(&out));
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains("full^[[2J^[]8;;http://x^Gincluding^[]8;;^G bending"),
        "{human}"
    );
    assert!(human.contains("evil^[[31m.txt"), "{human}");
    assert!(stderr(&out).contains("ok^[[2J^G"), "{}", stderr(&out));
    for file in [&html, &junit] {
        let bytes = std::fs::read(file).unwrap();
        assert!(!has_control(&bytes, b"\n\t\r"), "{}", s(file));
    }
    let xml = std::fs::read_to_string(&junit).unwrap();
    quick_junit::Report::deserialize_from_str(&xml).expect("the JUnit XML parses");
    // Coloured, only the tool's own colour sequences remain: the letter's
    // and the file name's are shown, not obeyed, in the report and on stderr.
    let out = imr_audit(&[
        "check",
        "--color",
        "always",
        "--waivers",
        &s(&waivers),
        &s(&letter),
    ]);
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("\u{1b}[1m"), "colour is on");
    for raw in [
        "\u{1b}[2J",
        "\u{1b}]",
        "\u{7}",
        "\r",
        "\u{9b}",
        "\u{1b}[5;45m",
        "\u{1b}[5;44m",
        "\u{fdd0}",
    ] {
        assert!(!human.contains(raw), "{raw:?} reached the terminal");
        assert!(!stderr(&out).contains(raw), "{raw:?} reached stderr");
    }
    assert!(human.contains("bending^[[5;45m views"), "{human}");
    assert!(human.contains("evil^[[31m.txt"), "{human}");
    let out = imr_audit(&["parse", &s(&letter)]);
    assert!(!has_control(&out.stdout, b"\n"), "parse output");
}
