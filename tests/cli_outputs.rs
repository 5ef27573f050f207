//! Outputs for auditors: the CSV table, several reports from one run, and
//! the shell completions and man page.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{imr_audit, scratch};

/// Parses CSV text into its header and rows.
fn table(bytes: &[u8]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The columns docs/CSV.md documents, in order: the first cells of its
/// "Columns" table.
fn documented_columns() -> Vec<String> {
    let doc = std::fs::read_to_string(crate::util::root().join("docs/CSV.md")).unwrap();
    let table = doc.split("## Columns").nth(1).expect("a Columns section");
    let columns: Vec<String> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect();
    assert!(columns.len() >= 10, "{columns:?}");
    columns
}

#[test]
fn csv_has_a_header_and_one_row_per_item_with_its_findings_and_fingerprints() {
    let csv = imr_audit(&["check", "--format", "csv", "samples"]);
    assert_eq!(csv.status.code(), Some(1), "the samples hold conflicts");
    let (header, rows) = table(&csv.stdout);
    assert_eq!(
        header,
        documented_columns(),
        "the columns docs/CSV.md lists"
    );
    let json: Value =
        serde_json::from_slice(&imr_audit(&["check", "--format", "json", "samples"]).stdout)
            .unwrap();
    let letters = json["letters"].as_array().unwrap();
    let mut expected_rows = 0;
    for letter in letters {
        let path = letter["path"].as_str().unwrap();
        let mine: Vec<&BTreeMap<String, String>> =
            rows.iter().filter(|r| r["path"] == path).collect();
        let findings = letter["findings"].as_array().unwrap();
        let whole: Vec<&Value> = findings.iter().filter(|f| f["item"].is_null()).collect();
        let items = letter["items"].as_array().unwrap();
        let extra = usize::from(items.is_empty() || !whole.is_empty());
        assert_eq!(mine.len(), items.len() + extra, "{path}");
        expected_rows += mine.len();
        for item in items {
            let index = item["index"].to_string();
            let row = mine.iter().find(|r| r["item"] == index).unwrap();
            assert_eq!(
                row["case_number"],
                letter["case_number"].as_str().unwrap_or("")
            );
            assert_eq!(row["decision"], item["decision"].as_str().unwrap_or(""));
            assert_eq!(row["rule"], item["rule"]["id"].as_str().unwrap_or(""));
            assert_eq!(row["expected"], item["expected"].as_str().unwrap_or(""));
            assert_eq!(row["verdict"], item["verdict"].as_str().unwrap());
            let own: Vec<&Value> = findings
                .iter()
                .filter(|f| f["item"] == item["index"])
                .collect();
            assert_eq!(row["findings"], own.len().to_string());
            let checks: Vec<&str> = own.iter().map(|f| f["check"].as_str().unwrap()).collect();
            assert_eq!(row["checks"], checks.join(" "));
            let prints: Vec<&str> = own
                .iter()
                .map(|f| f["fingerprint"].as_str().unwrap())
                .collect();
            assert_eq!(row["fingerprints"], prints.join(" "), "{path} item {index}");
        }
        if !whole.is_empty() {
            let row = mine.iter().find(|r| r["item"].is_empty()).unwrap();
            assert_eq!(row["findings"], whole.len().to_string(), "{path}");
        }
    }
    // Then a row per path not audited (samples/README.md, labels.jsonl).
    let skipped = json["summary"]["skipped"].as_array().unwrap();
    assert!(!skipped.is_empty());
    assert_eq!(rows.len(), expected_rows + skipped.len());
    for (row, path) in rows[expected_rows..].iter().zip(skipped) {
        assert_eq!(row["path"], path["path"].as_str().unwrap());
        assert!(row["error"].starts_with("not audited: "), "{row:?}");
    }

    // RFC 4180: a request holding a comma is quoted; lines end in CRLF.
    let text = String::from_utf8(csv.stdout.clone()).unwrap();
    assert!(
        text.contains(",\"X-ray L-spine (lower back), full including bending views\",upheld,"),
        "{text}"
    );
    assert!(text.ends_with("\r\n") && text.matches("\r\n").count() == rows.len() + 1);

    let two = imr_audit(&["check", "--format", "csv", "-j", "2", "samples"]);
    let one = imr_audit(&["check", "--format", "csv", "-j", "1", "samples"]);
    assert_eq!(one.stdout, csv.stdout);
    assert_eq!(two.stdout, csv.stdout, "the same bytes whatever -j");
}

#[test]
fn csv_names_a_letter_that_could_not_be_read() {
    let dir = scratch("csv-unreadable");
    std::fs::write(dir.join("a-broken.pdf"), "not a PDF at all").unwrap();
    std::fs::copy(
        crate::util::root().join("samples/layout-mode.txt"),
        dir.join("b-letter.txt"),
    )
    .unwrap();
    let out = imr_audit(&["check", "--format", "csv", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unreadable letter is an error"
    );
    let (_, rows) = table(&out.stdout);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[0]["path"].ends_with("a-broken.pdf") && !rows[0]["error"].is_empty());
    assert!(
        rows[1..]
            .iter()
            .all(|r| r["error"].is_empty() && !r["verdict"].is_empty())
    );
}

#[test]
fn one_run_writes_every_report_asked_for_each_as_its_own_run_would() {
    let dir = scratch("several-outputs");
    let file = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let formats = ["json", "ndjson", "sarif", "junit", "html", "csv"];
    let mut args: Vec<String> = ["check", "samples", "--format", "human", "-j", "2"]
        .map(String::from)
        .to_vec();
    for format in formats {
        args.push(format!("--output-{format}"));
        args.push(file(&format!("report.{format}")));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = imr_audit(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\nsummary\n"));
    for format in formats {
        let alone = imr_audit(&["check", "samples", "--format", format, "-j", "1"]);
        let written = std::fs::read(dir.join(format!("report.{format}"))).unwrap();
        assert_eq!(
            written, alone.stdout,
            "--output-{format} differs from --format {format}"
        );
    }
    assert_eq!(crate::util::temp_files_left(&dir), Vec::<String>::new());
}

#[test]
fn two_reports_cannot_share_a_file() {
    let dir = scratch("shared-output");
    let same = dir.join("report.out");
    let same = same.to_str().unwrap();
    let out = imr_audit(&[
        "check",
        "samples/layout-mode.txt",
        "--output-sarif",
        same,
        "--output-junit",
        same,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--output-sarif and --output-junit both name"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty() && !dir.join("report.out").exists());
    let out = imr_audit(&[
        "check",
        "samples/layout-mode.txt",
        "-o",
        same,
        "--output-csv",
        &format!("{}/./report.out", dir.display()),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o and --output-csv both name"));
}

/// Every command says what it does and every argument what it takes, in
/// `--help`, the man pages and the completions made from them.
#[test]
fn every_command_and_argument_has_help() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, checked: &mut usize) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_hide_set() || id == "help" || id == "version" {
                continue;
            }
            assert!(
                arg.get_help().is_some(),
                "`{path}` argument `{id}` has no help"
            );
            *checked += 1;
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{path} {}", sub.get_name());
            assert!(sub.get_about().is_some(), "`{path}` has no description");
            walk(sub, &path, checked);
        }
    }
    let mut checked = 0;
    walk(&imr_audit::cli::Cli::command(), "imr-audit", &mut checked);
    assert!(checked >= 30, "{checked} arguments");
    let help = String::from_utf8(imr_audit(&["rules", "test", "-h"]).stdout).unwrap();
    let line = |start: &str| {
        help.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {help}"))
            .to_owned()
    };
    assert!(line("[ID]").contains("A rule id"), "{help}");
    assert!(line("--rules <DIR>").contains("More rule files"), "{help}");
}

#[test]
fn completions_are_generated_for_every_shell_and_bash_parses_them() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = imr_audit(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["imr-audit", "output-csv", "brief", "completions"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let bash = imr_audit(&["completions", "bash"]).stdout;
    match std::process::Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&bash).unwrap();
            assert!(
                child.wait().unwrap().success(),
                "bash -n rejects the completion"
            );
        }
        Err(e) => eprintln!("SKIPPED: bash -n on the completion script: bash not found ({e})"),
    }
    let out = imr_audit(&["completions", "tcsh"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_pages_are_roff_for_the_tool_and_each_command() {
    let page = |args: &[&str]| {
        let mut all = vec!["man"];
        all.extend_from_slice(args);
        let out = imr_audit(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let main = page(&[]);
    assert!(main.contains(".TH imr-audit 1"), "{main}");
    assert!(
        main.contains(".SH SUBCOMMANDS") && main.contains("imr\\-audit\\-check(1)"),
        "{main}"
    );
    let check = page(&["check"]);
    assert!(check.contains(".TH imr-audit-check 1"));
    assert!(check.contains("\\fBimr\\-audit check\\fR"));
    assert!(check.contains("\\-\\-output\\-sarif") && check.contains("\\-\\-brief"));
    let lint = page(&["rules", "lint"]);
    assert!(lint.contains(".TH imr-audit-rules-lint 1"));
    let out = imr_audit(&["man", "no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("`imr-audit` has no command `no-such-command`; its commands: check, parse")
    );
    // groff reads every page without a warning, when it is installed.
    for path in imr_audit::shell::commands() {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let roff = page(&args);
        let Ok(mut child) = std::process::Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
        else {
            eprintln!("SKIPPED: groff not found; the man pages were not typeset");
            return;
        };
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(roff.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{path:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// An audit trail says which pack judged: reports made with `--rules` name
/// the folders read and whether the embedded pack took part.
#[test]
fn reports_name_the_rule_folders_that_judged() {
    let dir = scratch("pack-origin");
    let whole = dir.join("my-rules");
    let out = imr_audit(&["rules", "export", whole.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let extra = dir.join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    let letter = "samples/layout-mode.txt";
    let pack_of = |rules: &std::path::Path| {
        let out = imr_audit(&[
            "check",
            "--format",
            "json",
            "--rules",
            rules.to_str().unwrap(),
            "--output-sarif",
            dir.join("r.sarif").to_str().unwrap(),
            "--output-ndjson",
            dir.join("r.ndjson").to_str().unwrap(),
            "--output-html",
            dir.join("r.html").to_str().unwrap(),
            letter,
        ]);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let sarif: Value =
            serde_json::from_slice(&std::fs::read(dir.join("r.sarif")).unwrap()).unwrap();
        let ndjson = std::fs::read_to_string(dir.join("r.ndjson")).unwrap();
        let last: Value = serde_json::from_str(ndjson.lines().last().unwrap()).unwrap();
        assert_eq!(
            json["pack"],
            sarif["runs"][0]["tool"]["driver"]["properties"]["rulePack"]
        );
        assert_eq!(json["pack"], last["pack"]);
        let html = std::fs::read_to_string(dir.join("r.html")).unwrap();
        (json["pack"].clone(), html)
    };
    let (pack, html) = pack_of(&whole);
    assert_eq!(
        pack["embedded"], false,
        "a folder with pack.yaml replaces the embedded pack"
    );
    assert_eq!(
        pack["folders"],
        serde_json::json!([whole.display().to_string()])
    );
    assert!(html.contains(&format!("(from {})", whole.display())));
    let (pack, html) = pack_of(&extra);
    assert_eq!(pack["embedded"], true);
    assert_eq!(
        pack["folders"],
        serde_json::json!([extra.display().to_string()])
    );
    assert!(html.contains(&format!("(embedded, with {})", extra.display())));

    let human = imr_audit(&["check", "--rules", extra.to_str().unwrap(), letter]);
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains(&format!(
            "\n  rule pack    imr-audit default pack v1 (embedded, with {})\n",
            extra.display()
        )),
        "{human}"
    );
    // Without --rules the pack is the embedded one, said in machine formats only.
    let json: Value =
        serde_json::from_slice(&imr_audit(&["check", "--format", "json", letter]).stdout).unwrap();
    assert_eq!(json["pack"]["embedded"], true);
    assert_eq!(json["pack"]["folders"], serde_json::json!([]));
    let human = String::from_utf8(imr_audit(&["check", letter]).stdout).unwrap();
    assert!(!human.contains("rule pack"));
}
