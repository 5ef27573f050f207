//! `imr-audit check` end to end: the seed letter's conflict with its evidence
//! at the right lines, exit codes, formats, determinism, and bad input.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::util::{check_with_waivers, imr_audit, root};

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let out = imr_audit(args);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), doc)
}

#[test]
fn seed_letter_is_a_conflict_with_evidence_on_the_right_lines() {
    let (code, doc) = json(&[
        "check",
        "--format",
        "json",
        "samples/lumbar-xray-upheld.txt",
    ]);
    assert_eq!(
        code,
        Some(1),
        "a conflict is an error-level finding: exit 1"
    );
    let item = &doc["letters"][0]["items"][0];
    assert_eq!(item["decision"], "upheld");
    assert_eq!(item["rule"]["id"], "imaging.lumbar.xray");
    assert_eq!(item["expected"], "overturned");
    assert_eq!(item["verdict"], "conflict");
    let criteria = item["criteria"].as_array().unwrap();
    let met_lines: BTreeSet<u64> = criteria
        .iter()
        .filter(|c| c["status"] == "met")
        .flat_map(|c| c["evidence"].as_array().unwrap())
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    // Worsening condition and gait difficulties (45), diminished sensation and
    // decreased strength (49), post-operative infection history (41).
    for line in [41, 45, 49] {
        assert!(
            met_lines.contains(&line),
            "no met evidence on line {line}: {met_lines:?}"
        );
    }
    let texts: Vec<String> = criteria
        .iter()
        .filter(|c| c["status"] == "met")
        .flat_map(|c| c["evidence"].as_array().unwrap())
        .map(|e| e["text"].as_str().unwrap().to_lowercase())
        .collect();
    for words in [
        "gait",
        "worsening",
        "diminished sensation",
        "decreased",
        "infection",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(words)),
            "no evidence quoting {words:?}: {texts:?}"
        );
    }
    // The guideline sentence quoted in the rationale is never a patient fact.
    for c in criteria {
        for e in c["evidence"].as_array().unwrap() {
            assert_ne!(
                e["line"], 106,
                "the quoted guideline sentence counted as evidence: {e}"
            );
        }
    }
    let quoted: Vec<&Value> = criteria
        .iter()
        .flat_map(|c| c["ignored"].as_array().unwrap())
        .filter(|e| e["line"] == 106)
        .collect();
    assert!(
        quoted.iter().all(|e| e["context"] == "guideline"),
        "{quoted:?}"
    );
    let findings = doc["letters"][0]["findings"].as_array().unwrap();
    let conflict = findings
        .iter()
        .find(|f| f["check"] == "decision-conflict")
        .expect("a decision-conflict finding");
    assert_eq!(conflict["severity"], "error");
    assert_eq!(conflict["item"], 1);
    assert_eq!(
        conflict["spans"][0]["line"], 70,
        "the first span is the decision"
    );
}

#[test]
fn seed_letter_human_report() {
    let out = imr_audit(&["check", "samples/lumbar-xray-upheld.txt"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("time "))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("check-human-lumbar-xray-upheld", text);
}

#[test]
fn rationale_contradiction_is_reported_with_both_lines() {
    let (_, doc) = json(&[
        "check",
        "--format",
        "json",
        "samples/rationale-contradiction.txt",
    ]);
    let findings = doc["letters"][0]["findings"].as_array().unwrap();
    let f = findings
        .iter()
        .find(|f| f["check"] == "rationale-contradiction")
        .expect("a rationale-contradiction finding");
    let spans = f["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 2);
    let conclusion = spans[1]["line"].as_u64().unwrap();
    let text = std::fs::read_to_string(root().join("samples/rationale-contradiction.txt")).unwrap();
    let line = text.lines().nth(conclusion as usize - 1).unwrap();
    assert!(
        line.contains("medically necessary")
            || text
                .lines()
                .nth(conclusion as usize)
                .unwrap()
                .contains("necessary"),
        "{line}"
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    for format in ["json", "ndjson", "human"] {
        let one = imr_audit(&["check", "--format", format, "-j", "1", "samples"]);
        let two = imr_audit(&["check", "--format", format, "-j", "2", "samples"]);
        let strip = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .filter(|l| !l.trim_start().starts_with("time "))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            strip(&one.stdout),
            strip(&two.stdout),
            "{format} differs between -j 1 and -j 2"
        );
        assert_eq!(one.status.code(), two.status.code());
    }
}

/// A run reads and parses its first letter while the pack loads: that
/// letter's audit is the one it gets in any other place of the run.
#[test]
fn the_first_letter_is_audited_as_any_other() {
    let letters = [
        "samples/check-misquote.txt",
        "samples/check-unaddressed-fact.txt",
        "samples/lumbar-xray-upheld.txt",
    ];
    let by_path = |order: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(order);
        let (code, doc) = json(&args);
        let audits: Vec<(String, String)> = doc["letters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["path"].as_str().unwrap().to_owned(), l.to_string()))
            .collect();
        assert_eq!(audits.len(), order.len());
        assert_eq!(audits[0].0, order[0], "letters are reported in order");
        (
            code,
            audits
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
    };
    let forward = by_path(&letters);
    for first in 1..letters.len() {
        let mut order = letters.to_vec();
        order.swap(0, first);
        assert_eq!(by_path(&order), forward, "{} first", letters[first]);
    }
}

#[test]
fn ndjson_has_one_line_per_letter_then_a_summary() {
    let out = imr_audit(&[
        "check",
        "--format",
        "ndjson",
        "samples/lumbar-xray-upheld.txt",
        "samples/layout-mode.txt",
    ]);
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["type"], "letter");
    assert_eq!(lines[0]["path"], "samples/lumbar-xray-upheld.txt");
    assert_eq!(lines[1]["path"], "samples/layout-mode.txt");
    assert_eq!(lines[2]["type"], "summary");
    assert_eq!(lines[2]["letters"], 2);
}

#[test]
fn a_corpus_with_bad_files_reports_every_good_letter_and_names_every_bad_one() {
    let dir = std::env::temp_dir().join(format!("imr-audit-bad-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read(root().join("samples/lumbar-xray-upheld.txt")).unwrap();
    std::fs::write(dir.join("a-good.txt"), &good).unwrap();
    std::fs::write(dir.join("b-empty.txt"), b"").unwrap();
    std::fs::write(
        dir.join("c-binary.txt"),
        (0..=255u8).cycle().take(3000).collect::<Vec<_>>(),
    )
    .unwrap();
    std::fs::write(dir.join("d-truncated.txt"), &good[..good.len() / 3]).unwrap();
    std::fs::write(dir.join("e-latin1.txt"), b"caf\xe9 \xff\xfe not a letter").unwrap();
    std::fs::write(dir.join("f-good.txt"), &good).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(dir.join("g-unreadable.txt"), &good).unwrap();
        std::fs::set_permissions(
            dir.join("g-unreadable.txt"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
    }
    let dir_arg = dir.display().to_string();
    let out = imr_audit(&["check", "--format", "json", &dir_arg]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let letters = doc["letters"].as_array().unwrap();
    let names: Vec<&str> = letters
        .iter()
        .map(|l| l["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    let is_root = std::fs::read(dir.join("g-unreadable.txt")).is_ok();
    let mut expected = vec![
        "a-good.txt",
        "b-empty.txt",
        "c-binary.txt",
        "d-truncated.txt",
        "e-latin1.txt",
        "f-good.txt",
    ];
    if cfg!(unix) {
        expected.push("g-unreadable.txt");
    }
    assert_eq!(names, expected, "every file is reported, in order");
    for good in [0, 5] {
        assert_eq!(letters[good]["items"][0]["verdict"], "conflict");
    }
    let messages = |i: usize| {
        letters[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(messages(1).contains("empty"), "{}", messages(1));
    assert!(messages(2).contains("binary"), "{}", messages(2));
    assert!(messages(4).contains("UTF-8"), "{}", messages(4));
    if cfg!(unix) && !is_root {
        assert!(
            letters[6]["error"]
                .as_str()
                .unwrap()
                .contains("cannot read")
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "an unreadable file is an I/O error"
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("g-unreadable.txt"));
    } else {
        assert_eq!(
            out.status.code(),
            Some(1),
            "conflicts and parse errors fail the run"
        );
    }
    assert_eq!(doc["summary"]["letters"], expected.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_file_is_written_whole_and_input_is_untouched() {
    let dir = std::env::temp_dir().join(format!("imr-audit-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("report.json");
    let before = std::fs::read(root().join("samples/layout-mode.txt")).unwrap();
    let out = imr_audit(&[
        "check",
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
        "samples/layout-mode.txt",
    ]);
    assert!(out.stdout.is_empty());
    let doc: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(doc["letters"][0]["path"], "samples/layout-mode.txt");
    assert_eq!(
        std::fs::read(root().join("samples/layout-mode.txt")).unwrap(),
        before
    );
    assert_eq!(crate::util::temp_files_left(&dir), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn baseline_hides_known_findings_and_lists_stale_ones() {
    let dir = std::env::temp_dir().join(format!("imr-audit-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("baseline.json");
    let b = baseline.to_str().unwrap();
    let first = imr_audit(&[
        "check",
        "--format",
        "json",
        "--write-baseline",
        b,
        "samples/lumbar-xray-upheld.txt",
    ]);
    assert_eq!(first.status.code(), Some(1));
    let recorded: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    assert!(
        recorded["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "decision-conflict")
    );
    let second = imr_audit(&[
        "check",
        "--format",
        "json",
        "--baseline",
        b,
        "samples/lumbar-xray-upheld.txt",
    ]);
    assert_eq!(
        second.status.code(),
        Some(0),
        "every finding is in the baseline"
    );
    let doc: Value = serde_json::from_slice(&second.stdout).unwrap();
    assert!(doc["letters"][0]["findings"].as_array().unwrap().is_empty());
    assert!(doc["summary"]["suppressed"].as_u64().unwrap() >= 1);
    // Another letter: the baseline's entries are stale, its own findings are new.
    let third = imr_audit(&[
        "check",
        "--format",
        "json",
        "--baseline",
        b,
        "samples/rationale-contradiction.txt",
    ]);
    assert!(String::from_utf8_lossy(&third.stderr).contains("stale baseline entry"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn waivers_need_a_reason_and_unused_ones_are_reported() {
    let dir = std::env::temp_dir().join(format!("imr-audit-waivers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("b.json");
    imr_audit(&[
        "check",
        "--format",
        "json",
        "--write-baseline",
        baseline.to_str().unwrap(),
        "samples/lumbar-xray-upheld.txt",
    ]);
    let recorded: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    let fingerprint = recorded["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "decision-conflict")
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let seed = "samples/lumbar-xray-upheld.txt";
    let out = check_with_waivers(
        &dir,
        &format!(
            "waivers:\n  - fingerprint: {fingerprint}\n    reason: reviewed with the clinical editor\n  - fingerprint: deadbeef\n    reason: an old case\n"
        ),
        &["--format", "json"],
        seed,
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !doc["letters"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "decision-conflict")
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unused waiver deadbeef"));
    let out = check_with_waivers(
        &dir,
        &format!("waivers:\n  - fingerprint: {fingerprint}\n"),
        &[],
        seed,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("waivers.yaml:2:") && stderr.contains("reason"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_prints_every_part_and_rejects_unknown_ids() {
    let out = imr_audit(&["explain", "decision-conflict"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "What it checks",
        "Guideline basis",
        "Example letter language",
        "References",
    ] {
        assert!(text.contains(heading), "{text}");
    }
    let out = imr_audit(&["explain", "no-such-check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("known checks: parse, decision-conflict")
    );
}

#[test]
fn pdf_letters_are_converted_with_pages_kept() {
    let dir = root().join("../shared/letters/pdf");
    if !dir.is_dir() {
        eprintln!("SKIPPED: {} not found", dir.display());
        return;
    }
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("SKIPPED: pdftotext is not installed (Debian package poppler-utils)");
        return;
    }
    let (_, doc) = json(&[
        "check",
        "--format",
        "json",
        "../shared/letters/pdf/CM17-0007142.pdf",
    ]);
    let letter = &doc["letters"][0];
    assert_eq!(letter["case_number"], "CM17-0007142");
    assert_eq!(letter["items"].as_array().unwrap().len(), 9);
    let pages: BTreeSet<u64> = letter["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["span"]["page"].as_u64().unwrap())
        .collect();
    assert!(pages.len() > 1, "items on several pages: {pages:?}");
}
