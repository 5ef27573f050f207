//! Fingerprints that hold: one per finding, the same in every place a user
//! meets it (JSON, SARIF, the human report, baselines, waivers), and
//! baselines and waivers that say exactly what is wrong with them.
//!
//! The seed letter has three `unaddressed-fact` findings on one item under
//! one rule: the case that once gave all three one fingerprint in baselines.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{check_with_waivers, imr_audit, scratch};

const SEED: &str = "samples/lumbar-xray-upheld.txt";

/// The decision-conflict fingerprint of the seed letter. The letter states no
/// case number, so its identity is the SHA-256 of its text; the recipe is
/// `imrAudit/v1`; the rule is `imaging.lumbar.xray`. If this changes without
/// a rule rename, every user's baseline and waivers stop matching: bump
/// `fingerprint::VERSION` and say so in the changelog.
const SEED_CONFLICT: &str = "bf64cbc3c8b6256260a3a070aa777f06a52b1961d888d15299fb4fbf0d5ce51e";

/// The same finding's fingerprint when its rule was `mtus.low-back.lumbar-xray`
/// (before `rules/renames.yaml` renamed it), as baselines of that time hold it.
const SEED_CONFLICT_BEFORE_RENAME: &str =
    "ee67d878252abacb7782ce95869b4f916cd9856892f4488fca5dcd8f21c55953";

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// `(check, fingerprint)` of every finding of the seed letter, from its JSON.
fn json_prints() -> Vec<(String, String)> {
    let out = imr_audit(&["check", "--format", "json", SEED]);
    json_of(&out.stdout)["letters"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_owned(),
                f["fingerprint"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_format_gives_a_finding_the_same_single_fingerprint() {
    let json = json_prints();
    assert_eq!(json.len(), 4, "{json:?}");
    let prints: Vec<&str> = json.iter().map(|(_, p)| p.as_str()).collect();
    for p in &prints {
        assert_eq!(p.len(), 64);
        assert!(p.bytes().all(|b| b.is_ascii_hexdigit()), "{p}");
    }
    let unique: BTreeSet<&str> = prints.iter().copied().collect();
    assert_eq!(unique.len(), 4, "one fingerprint per finding: {json:?}");
    let conflict = json.iter().find(|(c, _)| c == "decision-conflict").unwrap();
    assert_eq!(conflict.1, SEED_CONFLICT);

    let sarif = json_of(&imr_audit(&["check", "--format", "sarif", SEED]).stdout);
    let sarif: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["imrAudit/v1"].as_str().unwrap())
        .collect();
    assert_eq!(sarif, prints, "SARIF lists the findings in the same order");

    let human = String::from_utf8(imr_audit(&["check", SEED]).stdout).unwrap();
    let human: Vec<&str> = human
        .lines()
        .filter_map(|l| l.trim().strip_prefix("= note: fingerprint "))
        .collect();
    assert_eq!(human, prints);

    let dir = scratch("fingerprints-baseline");
    let baseline = dir.join("baseline.json");
    imr_audit(&[
        "check",
        "--write-baseline",
        baseline.to_str().unwrap(),
        SEED,
    ]);
    let written = json_of(&std::fs::read(&baseline).unwrap());
    let entries: BTreeSet<&str> = written["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(entries, unique, "one baseline entry per finding");
}

#[test]
fn a_baselined_finding_hides_only_itself() {
    let dir = scratch("fingerprints-one");
    let baseline = dir.join("baseline.json");
    let b = baseline.to_str().unwrap();
    imr_audit(&["check", "--write-baseline", b, SEED]);
    // Keep only the first unaddressed-fact entry: the other two are new.
    let mut doc = json_of(&std::fs::read(&baseline).unwrap());
    let first = json_prints()
        .into_iter()
        .find(|(c, _)| c == "unaddressed-fact")
        .unwrap()
        .1;
    doc["findings"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["fingerprint"] == first.as_str());
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1);
    std::fs::write(&baseline, serde_json::to_vec(&doc).unwrap()).unwrap();

    let out = imr_audit(&["check", "--format", "json", "--baseline", b, SEED]);
    assert_eq!(out.status.code(), Some(1), "the conflict is still reported");
    let report = json_of(&out.stdout);
    let left: Vec<&str> = report["letters"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(!left.contains(&first.as_str()));
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn a_fingerprint_copied_from_sarif_waives_that_finding() {
    let dir = scratch("fingerprints-sarif-waiver");
    let sarif = json_of(&imr_audit(&["check", "--format", "sarif", SEED]).stdout);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    // The last of the three unaddressed-fact findings: occurrence 2.
    let last = results
        .iter()
        .rfind(|r| r["ruleId"] == "unaddressed-fact")
        .unwrap()["partialFingerprints"]["imrAudit/v1"]
        .as_str()
        .unwrap();
    let out = check_with_waivers(
        &dir,
        &format!(
            "waivers:\n  - fingerprint: {last}\n    reason: the summary's deficit predates surgery\n"
        ),
        &["--format", "json"],
        SEED,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("unused waiver"), "{stderr}");
    let report = json_of(&out.stdout);
    let findings = report["letters"][0]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    assert!(findings.iter().all(|f| f["fingerprint"] != last));
}

#[test]
fn waivers_name_the_place_of_an_empty_reason_and_of_both_copies_of_a_twice_waived_fingerprint() {
    let dir = scratch("fingerprints-waiver-errors");
    let out = check_with_waivers(
        &dir,
        &format!("waivers:\n  - fingerprint: {SEED_CONFLICT}\n    reason: \"  \"\n"),
        &[],
        SEED,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("waivers.yaml:3:13: the waiver for") && stderr.contains("empty reason"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no report from a bad waivers file");

    let out = check_with_waivers(
        &dir,
        &format!(
            "waivers:\n  - fingerprint: {SEED_CONFLICT}\n    reason: reviewed\n  - fingerprint: {SEED_CONFLICT}\n    reason: reviewed again\n"
        ),
        &[],
        SEED,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "waivers.yaml:4:18: fingerprint {SEED_CONFLICT} is waived twice (first at "
        )) && stderr.contains("waivers.yaml:2:18)"),
        "{stderr}"
    );
}

#[test]
fn a_baseline_of_an_unknown_version_is_refused() {
    let dir = scratch("fingerprints-baseline-version");
    let baseline = dir.join("baseline.json");
    std::fs::write(
        &baseline,
        r#"{"version": 2, "findings": [], "recipe": "v2"}"#,
    )
    .unwrap();
    let out = imr_audit(&["check", "--baseline", baseline.to_str().unwrap(), SEED]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "baseline.json: baseline version 2 is not supported; this imr-audit reads version 1"
        ),
        "{stderr}"
    );
    std::fs::write(&baseline, r#"{"findings": []}"#).unwrap();
    let out = imr_audit(&["check", "--baseline", baseline.to_str().unwrap(), SEED]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the baseline has no version"));
}

#[test]
fn files_written_before_a_rule_was_renamed_still_match() {
    let dir = scratch("fingerprints-renamed");
    let baseline = dir.join("baseline.json");
    std::fs::write(
        &baseline,
        format!(
            r#"{{"version": 1, "findings": [{{"fingerprint": "{SEED_CONFLICT_BEFORE_RENAME}", "check": "decision-conflict", "path": "{SEED}", "item": 1, "message": "item 1 is upheld but mtus.low-back.lumbar-xray implies overturned"}}]}}"#
        ),
    )
    .unwrap();
    let out = imr_audit(&[
        "check",
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        SEED,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the conflict is accepted: {stderr}"
    );
    assert!(!stderr.contains("stale baseline entry"), "{stderr}");
    assert!(
        stderr.contains(
            "1 findings matched baseline entries or waivers by the fingerprint of a former rule id"
        ),
        "{stderr}"
    );
    let report = json_of(&out.stdout);
    assert!(
        report["letters"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["check"] != "decision-conflict")
    );
    // A waiver of that time works as well.
    let out = check_with_waivers(
        &dir,
        &format!(
            "waivers:\n  - fingerprint: {SEED_CONFLICT_BEFORE_RENAME}\n    reason: reviewed before the pack was reorganised\n"
        ),
        &[],
        SEED,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("unused waiver"));
}
