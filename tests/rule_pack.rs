//! The rule pack: the embedded pack loads and its own tests pass, the JSON
//! Schemas in docs/schema are current, and each class of bad rule file is
//! reported with file:line:column, a hint, and exit code 2.

use std::path::{Path, PathBuf};
use std::process::Command;

use imr_audit::rules::{Pack, schema};
use imr_audit::selftest;

use crate::util::root;

#[test]
fn embedded_pack_loads_and_every_rule_test_passes() {
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let results = selftest::run_all(&pack, None);
    let failures: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| format!("{} :: {}\n  {}", r.rule, r.name, r.failures.join("\n  ")))
        .collect();
    eprintln!(
        "rule tests: {} run, {} failed, {} rules",
        results.len(),
        failures.len(),
        pack.rules.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in &pack.rules {
        assert!(
            rule.tests.len() >= 2,
            "{} has fewer than two tests",
            rule.id
        );
    }
}

#[test]
fn json_schemas_in_docs_are_current() {
    let dir = root().join("docs/schema");
    for (name, text) in schema::schemas() {
        let path = dir.join(name);
        if std::env::var_os("IMR_AUDIT_UPDATE_SCHEMAS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            on_disk,
            text,
            "{} is stale: run IMR_AUDIT_UPDATE_SCHEMAS=1 cargo test json_schemas",
            path.display()
        );
    }
}

/// A scratch rule directory holding `files`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, files: &[(&str, &str)]) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("imr-audit-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CATALOGUE: &str = "documents:\n  - key: test.doc\n    title: Test document\n    mtus: true\n    names: [Test Document 2004]\n";
const FACTS: &str = "facts:\n  - id: test_fact\n    title: A test fact\n    terms: [test phrase]\n";

fn rule(body: &str) -> String {
    format!(
        "title: Test rule\nguideline:\n  cites: [test.doc]\n  edition: test\napplies_to: ['\\btest request\\b']\n{body}tests:\n  - name: agrees\n    request: test request\n    decision: upheld\n    expect: {{verdict: agree}}\n  - name: conflicts\n    request: test request\n    decision: overturned\n    expect: {{verdict: conflict}}\n"
    )
}

/// Runs `rules lint --rules DIR` and returns (exit code, stderr).
fn lint(dir: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "lint", "--rules"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_problem(name: &str, files: &[(&str, &str)], location: &str, message: &str, hint: &str) {
    let scratch = Scratch::new(name, files);
    let (code, stderr) = lint(&scratch.0);
    assert_eq!(code, Some(2), "{name}: {stderr}");
    let expected_location = format!("{}{location}", scratch.0.display());
    assert!(
        stderr.contains(&expected_location),
        "{name}: expected location {expected_location} in\n{stderr}"
    );
    assert!(
        stderr.contains(message),
        "{name}: expected message {message:?} in\n{stderr}"
    );
    assert!(
        stderr.contains(hint),
        "{name}: expected hint {hint:?} in\n{stderr}"
    );
}

#[test]
fn a_valid_scratch_pack_lints_clean() {
    let scratch = Scratch::new(
        "valid",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            (
                "test/area/good.yaml",
                &rule("recommended_when: test_fact\n"),
            ),
        ],
    );
    let (code, stderr) = lint(&scratch.0);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn unknown_key_names_file_line_column() {
    assert_problem(
        "unknown-key",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            (
                "test/area/r.yaml",
                &rule("recommended_when: test_fact\ncolour: red\n"),
            ),
        ],
        "/test/area/r.yaml:7:1",
        "unknown field `colour`",
        "remove or rename the key",
    );
}

#[test]
fn duplicate_key_is_rejected() {
    assert_problem(
        "duplicate-key",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            (
                "test/area/r.yaml",
                &rule("recommended_when: test_fact\ntitle: Again\n"),
            ),
        ],
        "/test/area/r.yaml:7:1",
        "uplicate",
        "a key may appear once per mapping",
    );
}

#[test]
fn bad_regex_is_reported_at_the_pattern() {
    let facts = "facts:\n  - id: test_fact\n    title: A test fact\n    patterns: ['(unclosed']\n";
    assert_problem(
        "bad-regex",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", facts),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
        "/facts/test.yaml:4:16",
        "bad regular expression `(unclosed`",
        "Rust regex syntax",
    );
}

#[test]
fn undefined_fact_is_reported_with_a_suggestion() {
    assert_problem(
        "undefined-fact",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            (
                "test/area/r.yaml",
                &rule("recommended_when: {any: [test_facts]}\n"),
            ),
        ],
        "/test/area/r.yaml:6:26",
        "fact `test_facts` is not defined",
        "or use one of: test_fact",
    );
}

#[test]
fn undefined_citation_is_reported() {
    let body =
        rule("recommended_when: test_fact\n").replace("cites: [test.doc]", "cites: [no.such.doc]");
    assert_problem(
        "undefined-citation",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &body),
        ],
        "/test/area/r.yaml:3:11",
        "citation `no.such.doc` is not in the catalogue",
        "add it to rules/citations.yaml",
    );
}

#[test]
fn duplicate_rule_id_needs_override() {
    let one = rule("recommended_when: test_fact\n");
    let scratch_a = Scratch::new(
        "dup-a",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &one),
        ],
    );
    let scratch_b = Scratch::new("dup-b", &[("test/area/r.yaml", &one)]);
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "lint", "--rules"])
        .arg(&scratch_a.0)
        .arg("--rules")
        .arg(&scratch_b.0)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}/test/area/r.yaml:1:1", scratch_b.0.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("rule id `test.area.r` is defined twice"),
        "{stderr}"
    );
    assert!(stderr.contains("must say `override: true`"), "{stderr}");
    // With override it loads.
    let scratch_c = Scratch::new(
        "dup-c",
        &[("test/area/r.yaml", &format!("override: true\n{one}"))],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "lint", "--rules"])
        .arg(&scratch_a.0)
        .arg("--rules")
        .arg(&scratch_c.0)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rule_without_tests_is_rejected() {
    let body = "title: T\nguideline:\n  cites: [test.doc]\n  edition: test\napplies_to: ['x']\nrecommended_when: test_fact\n";
    assert_problem(
        "no-tests",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", body),
        ],
        "/test/area/r.yaml:1:1",
        "rule `test.area.r` has no tests",
        "add at least one test expecting `agree`",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let facts = "facts:\n  - id: test_fact\n    title: A test fact\n    patterns: ['(bad']\n";
    let scratch = Scratch::new(
        "many",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", facts),
            (
                "test/area/r.yaml",
                &rule("recommended_when: missing_fact\n"),
            ),
        ],
    );
    let (code, stderr) = lint(&scratch.0);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("bad regular expression")
            && stderr.contains("fact `missing_fact` is not defined"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the rule pack has 2 problem(s)"),
        "{stderr}"
    );
}

#[test]
fn rules_test_reports_a_readable_diff_and_exits_1() {
    let bad = rule("recommended_when: test_fact\n").replace(
        "expect: {verdict: agree}",
        "summary: He has the test phrase.\n    expect: {verdict: agree, met: [test_fact]}",
    );
    let scratch = Scratch::new(
        "failing-test",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &bad),
        ],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "test", "test.area.r", "--rules"])
        .arg(&scratch.0)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAILED  test.area.r :: agrees"), "{stdout}");
    assert!(
        stdout.contains("verdict: expected agree, got conflict (rule implies overturned"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok      test.area.r :: conflicts"),
        "{stdout}"
    );
}

#[test]
fn export_writes_the_embedded_pack_which_lints_alone() {
    let dir = std::env::temp_dir().join(format!("imr-audit-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "export"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.join("citations.yaml").is_file());
    let pack = Pack::load_dirs_only(&[&dir]).unwrap_or_else(|p| panic!("{}", p[0]));
    let embedded = Pack::load(&[] as &[&Path]).unwrap();
    assert_eq!(pack.rules.len(), embedded.rules.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_citation_in_the_real_letters_normalises_to_a_catalogue_key() {
    let Some(dir) = crate::util::real_letters() else {
        return;
    };
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let mut unknown = Vec::new();
    let mut entries = 0;
    let paths = crate::util::text_files(&dir);
    for path in paths {
        let mut letter = imr_audit::letter::parse(&crate::util::read(&path));
        pack.catalogue.annotate(&mut letter);
        for item in &letter.items {
            for citation in [
                &item.citations.claims_administrator,
                &item.citations.reviewer,
            ]
            .into_iter()
            .flatten()
            {
                for entry in &citation.entries {
                    if entry.kind == imr_audit::letter::EntryKind::NoEvidence {
                        continue;
                    }
                    entries += 1;
                    if entry.key.is_none() {
                        unknown.push(format!(
                            "{} item {}: {}",
                            path.file_name().unwrap().to_string_lossy(),
                            item.index,
                            entry.text
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "catalogue: {entries} citation entries in the real letters, {} unknown",
        unknown.len()
    );
    assert!(
        unknown.is_empty(),
        "citation entries the catalogue does not know:\n{}",
        unknown.join("\n")
    );
}

#[test]
fn rules_coverage_lists_uncovered_requests_most_frequent_first() {
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "coverage", "samples"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap();
    assert!(first.contains("items covered by a rule"), "{text}");
    let counts: Vec<usize> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{text}");
}

#[test]
fn rules_list_shows_every_rule_with_its_era_and_confidence() {
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "list"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let pack = Pack::load(&[] as &[&Path]).unwrap();
    assert_eq!(
        text.lines().count(),
        pack.rules.len() + 1,
        "a header and a row per rule"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("mtus.medications.opioids-ongoing-2009 "))
        .expect("the 2009 opioid rule");
    assert!(row.contains("2009-07-18 to 2016-07-27"), "{row}");
    assert!(row.contains("unconfirmed"), "{row}");
}

/// When several rules apply to a request, the section the reviewer cites
/// chooses among them: a physical therapy evaluation decided under "Office
/// visits" is judged as an office visit, under "Physical medicine" as therapy.
#[test]
fn the_cited_section_chooses_among_rules_that_apply() {
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let head = crate::util::letter_head("lumbar-xray-upheld.txt");
    let letter = |section: &str| {
        format!(
            "{head}IMR ISSUES, DECISIONS AND RATIONALES\n\
             Physical therapy evaluation, cervical spine: Upheld\n\
             Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.\n\
             MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): {section}.\n\
             Decision rationale: The request is not medically necessary.\n"
        )
    };
    let chosen = |section: &str| {
        let source = imr_audit::source::Source::from_text("t", letter(section));
        let audit = imr_audit::audit::audit(&pack, source);
        let item = &audit.evaluations[0];
        let rule = item.rule.as_ref().expect("a rule applies");
        (rule.id.clone(), rule.chosen_because.clone())
    };
    let (office, why) = chosen("Office visits");
    assert_eq!(office, "mtus.services.follow-up-visits", "{why}");
    assert!(why.contains("section the reviewer cites"), "{why}");
    let (therapy, why) = chosen("Physical medicine treatment");
    assert_eq!(therapy, "mtus.physical-medicine.physical-therapy", "{why}");
    assert!(why.contains("section the reviewer cites"), "{why}");
}

/// A citation without a year ("Chronic Pain Medical Treatment Guidelines")
/// names the edition in force when it was made: the 2009 guidelines for a
/// 2015 decision, the 2016 guidelines for a 2017 one.
#[test]
fn a_yearless_citation_resolves_to_the_edition_in_force() {
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let head = crate::util::letter_head("check-edition-in-force.txt");
    let key_on = |decided: &str, denied: &str| {
        let text = format!(
            "{}IMR ISSUES, DECISIONS AND RATIONALES\n\
             Naproxen 550mg #60: Upheld\n\
             Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\n\
             MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Section(s): NSAIDs.\n\
             Decision rationale: The request is not medically necessary.\n",
            head.replacen("01/12/2017", decided, 1)
                .replacen("12/01/2016", denied, 1)
        );
        let mut letter = imr_audit::letter::parse(&imr_audit::source::Source::from_text("t", text));
        pack.catalogue.annotate(&mut letter);
        let citations = &letter.items[0].citations;
        let key = |c: &Option<imr_audit::letter::Citation>| {
            c.as_ref().and_then(|c| c.entries[0].key.clone())
        };
        (
            key(&citations.claims_administrator),
            key(&citations.reviewer),
        )
    };
    assert_eq!(
        key_on("03/02/2015", "02/01/2015"),
        (
            Some("mtus.cpmtg-2009".into()),
            Some("mtus.cpmtg-2009".into())
        )
    );
    assert_eq!(
        key_on("01/12/2017", "12/01/2016"),
        (
            Some("mtus.cpmtg-2016".into()),
            Some("mtus.cpmtg-2016".into())
        )
    );
    // The claims administrator cites as of the UR denial, before the change.
    assert_eq!(
        key_on("08/10/2016", "07/01/2016"),
        (
            Some("mtus.cpmtg-2009".into()),
            Some("mtus.cpmtg-2016".into())
        )
    );
}
