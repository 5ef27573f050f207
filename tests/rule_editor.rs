//! The clinical editor's workflow: `rules lint` reports every problem of a
//! file in one run, facts and catalogue documents take `override: true` in
//! a layered folder, `rules facts`, `rules list --format json`, `rules new`,
//! routing collisions, and the README's steps run end to end.

use std::path::Path;
use std::process::{Command, Output};

use crate::rule_pack::{CATALOGUE, FACTS, Scratch, lint, rule};
use crate::util::root;

fn imr(args: &[&str], rules: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(args)
        .arg("--rules")
        .arg(rules)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Each (location, message) must be in `text`, in that order of lines.
fn assert_reported(text: &str, dir: &Path, expected: &[(&str, &str)]) {
    for (location, message) in expected {
        let location = format!("{}{location}", dir.display());
        assert!(text.contains(&location), "no {location} in\n{text}");
        assert!(text.contains(message), "no {message:?} in\n{text}");
    }
}

#[test]
fn lint_reports_every_problem_of_a_file_in_one_run() {
    let body = "recommended_when: test_fact\nconfidence: confirmd\nrecommend_when: test_fact\nlimits:\n  - {quantity: visits, at_most: ten, reason: r}\nexcludes: ['(open']\n";
    let facts = "facts:\n  - id: test_fact\n    title: A test fact\n    terms:\n      - test phrase\n        - other phrase\n";
    let scratch = Scratch::new(
        "every-problem",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", facts),
            ("test/area/r.yaml", &rule(body)),
        ],
    );
    let (code, err) = lint(&scratch.0);
    assert_eq!(code, Some(2), "{err}");
    assert_reported(
        &err,
        &scratch.0,
        &[
            (
                "/test/area/r.yaml:7:13",
                "`confirmd` is not a valid `confidence`",
            ),
            ("/test/area/r.yaml:8:1", "unknown key `recommend_when`"),
            (
                "/test/area/r.yaml:10:33",
                "expected a number, found text `ten`",
            ),
            ("/test/area/r.yaml:11:12", "bad regular expression `(open`"),
            ("/facts/test.yaml:6:9", "this list item is indented deeper"),
        ],
    );
    assert!(err.contains("did you mean `confirmed`?"), "{err}");
    assert!(
        err.contains("did you mean `recommended_when`? the keys of the file are: applies_to,"),
        "{err}"
    );
    // The whole token is underlined, and the folded item is named as YAML read it.
    assert!(err.contains("^^^^^^^^^^^^^^\n"), "{err}");
    assert!(err.contains("`test phrase - other phrase`"), "{err}");
    // The fact of the unreadable file is not reported again as undefined.
    assert!(!err.contains("fact `test_fact` is not defined"), "{err}");
    assert!(err.contains("has 5 problem(s)"), "{err}");
}

#[test]
fn facts_and_catalogue_documents_are_replaced_only_with_override() {
    let fact = |over: &str| {
        format!(
            "facts:\n  - id: neurological_deficit\n{over}    title: Deficit as the clinic defines it\n    terms: [deficit found]\n"
        )
    };
    let document = |over: &str| {
        format!(
            "documents:\n  - key: odg.low-back\n{over}    title: ODG Low Back, as the clinic cites it\n    mtus: false\n    patterns: ['\\bODG\\b.*\\blow\\s+back\\b']\n"
        )
    };
    let plain = Scratch::new(
        "override-missing",
        &[
            ("facts/local.yaml", &fact("")),
            ("citations.yaml", &document("")),
        ],
    );
    let (code, err) = lint(&plain.0);
    assert_eq!(code, Some(2), "{err}");
    assert_reported(
        &err,
        &plain.0,
        &[
            (
                "/facts/local.yaml:2:9",
                "fact `neurological_deficit` is already defined by an earlier pack",
            ),
            (
                "/citations.yaml:2:10",
                "document `odg.low-back` is already in the catalogue of an earlier pack",
            ),
        ],
    );
    assert!(err.contains("say `override: true`"), "{err}");

    let over = "    override: true\n";
    let replaced = Scratch::new(
        "override",
        &[
            ("facts/local.yaml", &fact(over)),
            ("citations.yaml", &document(over)),
        ],
    );
    let (code, err) = lint(&replaced.0);
    assert_eq!(code, Some(0), "{err}");
    let out = imr(&["rules", "facts", "--format", "json"], &replaced.0);
    let facts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let deficit = facts
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "neurological_deficit")
        .unwrap();
    assert_eq!(deficit["title"], "Deficit as the clinic defines it");
    assert!(
        deficit["file"]
            .as_str()
            .unwrap()
            .ends_with("facts/local.yaml")
    );
}

#[test]
fn rules_facts_and_rules_list_describe_the_pack() {
    let out = imr(
        &["rules", "facts", "--format", "json"],
        &root().join("no-such-dir"),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing --rules folder is an error"
    );
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_imr-audit"))
            .args(args)
            .output()
            .unwrap()
    };
    let facts: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "facts", "--format", "json"]).stdout).unwrap();
    let gait = facts
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "gait_abnormality")
        .expect("a rule-local fact is listed");
    assert_eq!(gait["rule"], "imaging.lumbar.xray");
    assert_eq!(gait["file"], "rules/imaging/lumbar/xray.yaml");
    assert!(
        gait["used_by"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "imaging.lumbar.xray")
    );
    let table = stdout(&run(&["rules", "facts"]));
    assert!(table.starts_with("id "), "{table}");
    assert!(table.contains("rules/facts/neurology.yaml:5"), "{table}");

    let rules: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "list", "--format", "json"]).stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(rules.len() > 100);
    let xray = rules
        .iter()
        .find(|r| r["id"] == "imaging.lumbar.xray")
        .unwrap();
    assert_eq!(xray["in_force_from"], "2009-07-18");
    assert_eq!(xray["confidence"], "confirmed");
    assert!(xray["tests"].as_u64().unwrap() >= 2);
}

#[test]
fn rules_new_writes_a_rule_where_its_id_says_and_never_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let new = |id: &str| {
        Command::new(env!("CARGO_BIN_EXE_imr-audit"))
            .args(["rules", "new", id])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let out = new("imaging.lumbar.ct");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = dir.path().join("imaging/lumbar/ct.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("tests:")
            && text.contains("verdict: conflict")
            && text.contains("verdict: agree")
    );
    assert!(
        text.contains("cites: [mtus.acoem-2004.low-back#special-studies"),
        "{text}"
    );
    // The scaffold loads on top of the pack as it is.
    let (code, err) = lint(dir.path());
    assert_eq!(code, Some(0), "{err}");

    std::fs::write(&path, "edited\n").unwrap();
    let again = new("imaging.lumbar.ct");
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited\n");
    let existing = new("imaging.lumbar.xray");
    assert_eq!(existing.status.code(), Some(2));
    assert!(stderr(&existing).contains("rule `imaging.lumbar.xray` already exists"));
    assert!(!dir.path().join("imaging/lumbar/xray.yaml").exists());
    let bad = new("Imaging.CT");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not kebab-case"), "{}", stderr(&bad));
}

#[test]
fn lint_warns_of_two_rules_that_only_the_pack_order_separates() {
    let twin = "title: Twin\nguideline:\n  cites: [test.doc]\n  edition: test\napplies_to: ['\\btest request\\b']\nrecommended_when: test_fact\ntests:\n  - name: agrees\n    request: test request\n    decision: upheld\n    expect: {verdict: agree}\n  - name: conflicts\n    request: test request\n    decision: overturned\n    expect: {verdict: conflict}\n";
    let scratch = Scratch::new(
        "collision",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/one.yaml", &rule("recommended_when: test_fact\n")),
            ("test/area/two.yaml", twin),
        ],
    );
    let (code, err) = lint(&scratch.0);
    assert_eq!(code, Some(0), "a collision is a warning: {err}");
    assert!(
        err.contains("warning: rules `test.area.one` and `test.area.two` both take the request \"test request\""),
        "{err}"
    );
    assert_eq!(err.matches("both take the request").count(), 1, "{err}");
}

/// The README's steps for a clinical editor: export the pack, edit a rule
/// and a fact, lint (every problem at once), fix, test, and check a letter
/// with the edited pack.
#[test]
fn the_readme_editor_workflow_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("my-rules");
    let bin = env!("CARGO_BIN_EXE_imr-audit");
    let export = Command::new(bin)
        .args(["rules", "export"])
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));

    let rule_path = pack.join("imaging/lumbar/xray.yaml");
    let fact_path = pack.join("facts/neurology.yaml");
    let rule = std::fs::read_to_string(&rule_path).unwrap();
    let facts = std::fs::read_to_string(&fact_path).unwrap();
    let old_title = "    title: Objective neurological deficit on examination (sensory loss, motor weakness, reflex change)\n";
    assert!(facts.contains(old_title) && rule.contains("\nfacts:\n"));
    // The edit, as an editor might first type it: a misspelt word, text for
    // a list, a wrong type and a badly indented term.
    let edit = |spasm_terms: &str, confidence: &str, historical: &str, indent: &str| {
        let rule = rule
            .replace("confidence: confirmed", confidence)
            .replace(
                "\nfacts:\n",
                &format!("\nfacts:\n  - id: paraspinal_spasm_documented\n    title: Paraspinal spasm on examination\n    terms: {spasm_terms}\n"),
            )
            + "not_recommended_when: paraspinal_spasm_documented\n";
        let facts = facts.replacen(
            old_title,
            &format!("    title: Neurological deficit found on examination (clinic edit)\n{historical}"),
            1,
        )
        .replacen("      - diminished sensation\n", &format!("{indent}- diminished sensation\n"), 1);
        std::fs::write(&rule_path, rule).unwrap();
        std::fs::write(&fact_path, facts).unwrap();
    };
    edit(
        "paraspinal spasms",
        "confidence: confirmd",
        "    historical_counts: maybe\n",
        "        ",
    );
    let lint_out = imr(&["rules", "lint"], &pack);
    let err = stderr(&lint_out);
    assert_eq!(lint_out.status.code(), Some(2), "{err}");
    let rule_shown = format!("{}", rule_path.display());
    let fact_shown = format!("{}", fact_path.display());
    for expected in [
        format!("{rule_shown}:"),
        "`confirmd` is not a valid `confidence`".to_owned(),
        "expected a list (`- item` lines), found text `paraspinal spasms`".to_owned(),
        format!("{fact_shown}:7:24"),
        "expected true or false, found text `maybe`".to_owned(),
        format!("{fact_shown}:10:9"),
        "this list item is indented deeper than `decreased sensation`".to_owned(),
    ] {
        assert!(err.contains(&expected), "no {expected:?} in\n{err}");
    }
    assert!(err.contains("has 4 problem(s)"), "{err}");

    edit("[paraspinal spasms]", "confidence: confirmed", "", "      ");
    let lint_out = imr(&["rules", "lint"], &pack);
    assert_eq!(lint_out.status.code(), Some(0), "{}", stderr(&lint_out));
    let test = imr(&["rules", "test", "imaging.lumbar.xray"], &pack);
    assert_eq!(test.status.code(), Some(0), "{}", stdout(&test));
    assert!(stdout(&test).contains(" 0 failed"), "{}", stdout(&test));

    let sample = root().join("samples/lumbar-xray-upheld.txt");
    let check = |rules: Option<&Path>| {
        let mut cmd = Command::new(bin);
        cmd.arg("check").arg(&sample).args(["--color", "never"]);
        if let Some(rules) = rules {
            cmd.arg("--rules").arg(rules);
        }
        stdout(&cmd.output().unwrap())
    };
    let before = check(None);
    assert!(before.contains("verdict   CONFLICT"), "{before}");
    let after = check(Some(&pack));
    assert!(after.contains("verdict   AGREE"), "{after}");
    assert!(
        after.contains("expected  upheld: a not-recommended criterion is met"),
        "{after}"
    );
    assert!(after.contains("Paraspinal spasm on examination"), "{after}");
    assert!(
        after.contains("Neurological deficit found on examination (clinic edit)"),
        "{after}"
    );
}
