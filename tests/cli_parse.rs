//! The `parse` command end to end: exit codes, JSON shape, errors naming the file.

use std::process::Command;

use serde_json::Value;

use crate::util::root;

fn imr_audit() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imr-audit"));
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

#[test]
fn parse_json_has_the_documented_shape() {
    let out = imr_audit()
        .args([
            "parse",
            "--format",
            "json",
            "samples/shoulder-knee-mri-default.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    let letter = &doc["letters"][0];
    assert_eq!(letter["path"], "samples/shoulder-knee-mri-default.txt");
    assert_eq!(letter["layout"], "2014");
    assert_eq!(letter["case_number"], "CM90-0000002");
    let items = letter["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["index"], 1);
    assert_eq!(
        items[0]["request"],
        "MRI of the right shoulder without contrast"
    );
    assert_eq!(items[0]["decision"], "upheld");
    assert_eq!(items[1]["decision"], "overturned");
    let reviewer = &items[0]["citations"]["reviewer"];
    assert_eq!(
        reviewer["raw"],
        "Decision based on MTUS Shoulder Complaints 2004, Section(s): Special Studies."
    );
    assert_eq!(reviewer["entries"][0]["document"], "Shoulder Complaints");
    assert_eq!(reviewer["entries"][0]["sections"][0], "Special Studies");
}

#[test]
fn a_missing_file_exits_2_and_is_named_but_others_are_still_read() {
    let out = imr_audit()
        .args([
            "parse",
            "--format",
            "json",
            "samples/does-not-exist.txt",
            "samples/lumbar-xray-upheld.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("samples/does-not-exist.txt"), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["letters"].as_array().unwrap().len(), 1);
}

#[test]
fn parse_reads_a_directory_in_sorted_order_and_stdin() {
    let out = imr_audit()
        .args(["parse", "--format", "json", "samples"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["letters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.len() >= 12);

    let mut child = imr_audit()
        .args(["parse", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(root().join("samples/lumbar-xray-upheld.txt")).unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &text).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["letters"][0]["items"][0]["decision"], "upheld");
}

#[test]
fn parse_human_outline_names_items_and_findings() {
    let out = imr_audit()
        .args(["parse", "samples/malformed-dates.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1. EMG/NCV of the bilateral lower extremities — UPHELD"),
        "{text}"
    );
    assert!(
        text.contains("warning[parse] at 16:1: '03/14/201' is not a valid date"),
        "{text}"
    );
}
