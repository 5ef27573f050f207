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
pub(crate) struct Scratch(pub PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str, files: &[(&str, &str)]) -> Scratch {
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

pub(crate) const CATALOGUE: &str = "documents:\n  - key: test.doc\n    title: Test document\n    mtus: true\n    names: [Test Document 2004]\n";
pub(crate) const FACTS: &str =
    "facts:\n  - id: test_fact\n    title: A test fact\n    terms: [test phrase]\n";

pub(crate) fn rule(body: &str) -> String {
    format!(
        "title: Test rule\nguideline:\n  cites: [test.doc]\n  edition: test\napplies_to: ['\\btest request\\b']\n{body}tests:\n  - name: agrees\n    request: test request\n    decision: upheld\n    expect: {{verdict: agree}}\n  - name: conflicts\n    request: test request\n    decision: overturned\n    expect: {{verdict: conflict}}\n"
    )
}

/// Runs `rules lint --rules DIR` and returns (exit code, stderr).
pub(crate) fn lint(dir: &Path) -> (Option<i32>, String) {
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
        "unknown key `colour`",
        "the keys of the file are: applies_to, body_parts,",
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

/// The default pack's context triggers with `negated.before` given one more
/// entry, or with its first entry broken.
fn context_with(first_negation: &str) -> String {
    let text = std::fs::read_to_string(root().join("rules/context.yaml")).unwrap();
    let marker = "negated:\n  # Before the mention: \"no\", \"denies\", \"fails to document A, B and C\".\n  before:\n";
    assert!(
        text.contains(marker),
        "rules/context.yaml changed its layout"
    );
    text.replacen(marker, &format!("{marker}    - '{first_negation}'\n"), 1)
}

#[test]
fn context_triggers_are_the_packs_data() {
    use imr_audit::facts::{Region, Status};
    use imr_audit::source::Source;
    let letter = "The patient is a-stranger-to abnormal gait at this visit.";
    let source = Source::from_text("t.txt", letter);
    let status = |pack: &Pack| {
        pack.scanner
            .scan(&source, 0..letter.len(), Region::CaseSummary)
            .into_iter()
            .find(|h| pack.facts[h.fact].id == "gait_abnormality")
            .map(|h| h.status())
    };
    let default = Pack::load(&[] as &[&Path]).unwrap();
    assert_eq!(status(&default), Some(Status::Affirmed));
    // A --rules pack's context.yaml replaces the default one.
    let scratch = Scratch::new(
        "context-trigger",
        &[("context.yaml", &context_with(r"\ba-stranger-to\b"))],
    );
    let edited = Pack::load(&[&scratch.0]).unwrap_or_else(|p| panic!("{}", p[0]));
    assert_eq!(status(&edited), Some(Status::Negated));
}

/// The status of each hit of fact `id` in `letter`, as the default pack reads it.
fn statuses_of(id: &str, letter: &str) -> Vec<imr_audit::facts::Status> {
    statuses_in(&Pack::load(&[] as &[&Path]).unwrap(), id, letter)
}

#[test]
fn a_deficit_is_read_after_its_sign_and_a_normal_examination_states_it_absent() {
    use imr_audit::facts::Status;
    for (letter, expected) in [
        (
            "On examination, sensation to light touch is decreased in the left C7 dermatome.",
            Status::Affirmed,
        ),
        (
            "Strength of the right ankle dorsiflexors was mildly reduced.",
            Status::Affirmed,
        ),
        (
            "The neurological examination of the upper extremities was normal.",
            Status::Negated,
        ),
        ("He is neurologically intact.", Status::Negated),
        (
            "Sensation was intact in the bilateral lower extremities.",
            Status::Negated,
        ),
        // A normal examination that is not documented is not a normal examination.
        (
            "It is not documented that sensation was intact.",
            Status::Affirmed,
        ),
    ] {
        assert_eq!(
            statuses_of("neurological_deficit", letter),
            vec![expected],
            "{letter}"
        );
    }
}

#[test]
fn a_bad_context_trigger_is_reported_at_its_entry() {
    let scratch = Scratch::new(
        "context-bad",
        &[("context.yaml", &context_with("(unclosed"))],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_imr-audit"))
        .args(["rules", "lint", "--rules"])
        .arg(&scratch.0)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = context_with("(unclosed")
        .lines()
        .position(|l| l.contains("(unclosed"))
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("context.yaml:{line}:7")),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad regular expression in `negated.before`"),
        "{stderr}"
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
    // With its pack.yaml the export is a whole pack: `--rules` takes it
    // instead of the embedded pack, not on top of it.
    let (code, stderr) = lint(&dir);
    assert_eq!(code, Some(0), "{stderr}");
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
        .find(|l| l.starts_with("medications.opioids.ongoing-2009 "))
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
    assert_eq!(office, "services.follow-up-visits", "{why}");
    assert!(why.contains("section the reviewer cites"), "{why}");
    let (therapy, why) = chosen("Physical medicine treatment");
    assert_eq!(therapy, "therapy.physical-therapy", "{why}");
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

/// A rule file may define facts of its own; they serve that rule and no
/// other, and their ids are unique across the whole pack.
#[test]
fn a_rule_file_defines_facts_that_serve_it_alone() {
    let own = rule(
        "facts:\n  - id: own_fact\n    title: Own\n    terms: [own phrase]\nrecommended_when: own_fact\n",
    );
    let scratch = Scratch::new(
        "local-facts",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &own),
            ("test/area/s.yaml", &rule("recommended_when: test_fact\n")),
        ],
    );
    let pack = Pack::load_dirs_only(&[&scratch.0]).unwrap_or_else(|p| panic!("{}", p[0]));
    assert!(pack.fact("own_fact").is_some());
    assert!(pack.warnings.is_empty(), "{:?}", pack.warnings);
    assert_problem(
        "local-fact-elsewhere",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &own),
            ("test/area/s.yaml", &rule("recommended_when: own_fact\n")),
        ],
        "/test/area/s.yaml:6:19",
        "fact `own_fact` belongs to another rule",
        "defined in the file of rule `test.area.r` and serves that rule only; move it to rules/facts/",
    );
    assert_problem(
        "local-fact-twice",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            (
                "test/area/r.yaml",
                &own.replace("id: own_fact", "id: test_fact")
                    .replace("recommended_when: own_fact", "recommended_when: test_fact"),
            ),
        ],
        "/test/area/r.yaml:7:9",
        "fact `test_fact` is defined twice (first in",
        "fact ids are unique across the pack",
    );
}

#[test]
fn lint_warns_of_facts_no_rule_uses_and_still_exits_0() {
    let facts = format!("{FACTS}  - id: spare_fact\n    title: Spare\n    terms: [spare phrase]\n");
    let scratch = Scratch::new(
        "unused-fact",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", &facts),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
    );
    let (code, stderr) = lint(&scratch.0);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: fact `spare_fact` is not used by any rule"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}/facts/test.yaml:5:9", scratch.0.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("test_fact"), "{stderr}");
}

#[test]
fn a_body_part_outside_the_catalogue_is_an_error_with_a_suggestion() {
    assert_problem(
        "body-part",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            (
                "test/area/r.yaml",
                &rule("body_parts: [low-bak]\nrecommended_when: test_fact\n"),
            ),
        ],
        "/test/area/r.yaml:6:1",
        "body part `low-bak` is not in the catalogue",
        "or use one of: low-back",
    );
}

#[test]
fn a_section_key_the_document_does_not_list_is_an_error() {
    let catalogue = format!(
        "{CATALOGUE}    sections:\n      - key: special-studies\n        names: [Special Studies]\n"
    );
    let body = rule("recommended_when: test_fact\n")
        .replace("cites: [test.doc]", "cites: [test.doc#special-study]");
    assert_problem(
        "section-key",
        &[
            ("citations.yaml", &catalogue),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &body),
        ],
        "/test/area/r.yaml:3:11",
        "document `test.doc` has no section `special-study`",
        "or use one of: special-studies",
    );
}

/// `renames.yaml` maps old ids to current ones, following chains, so a
/// baseline written before a rename can still be matched.
#[test]
fn renames_lead_old_ids_to_the_current_rule() {
    let scratch = Scratch::new(
        "renames",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/new.yaml", &rule("recommended_when: test_fact\n")),
            (
                "renames.yaml",
                "renames:\n  test.area.old: test.area.new\n  test.area.older: test.area.old\n",
            ),
        ],
    );
    let pack = Pack::load_dirs_only(&[&scratch.0]).unwrap_or_else(|p| panic!("{}", p[0]));
    assert_eq!(pack.current_id("test.area.older"), "test.area.new");
    assert_eq!(pack.current_id("test.area.old"), "test.area.new");
    assert_eq!(pack.current_id("test.area.new"), "test.area.new");
    assert_eq!(pack.current_id("test.area.unknown"), "test.area.unknown");
    assert_eq!(
        pack.former_ids("test.area.new").collect::<Vec<_>>(),
        ["test.area.old", "test.area.older"]
    );
}

#[test]
fn a_rename_must_lead_to_a_rule_and_not_loop() {
    let files = |renames: &'static str| {
        vec![
            ("citations.yaml", CATALOGUE.to_owned()),
            ("facts/test.yaml", FACTS.to_owned()),
            ("test/area/new.yaml", rule("recommended_when: test_fact\n")),
            ("renames.yaml", renames.to_owned()),
        ]
    };
    let check = |name: &str, renames: &'static str, message: &str, hint: &str| {
        let owned = files(renames);
        let files: Vec<(&str, &str)> = owned.iter().map(|(p, t)| (*p, t.as_str())).collect();
        assert_problem(name, &files, "/renames.yaml:2:", message, hint);
    };
    check(
        "rename-nowhere",
        "renames:\n  test.area.old: test.area.nwe\n",
        "`test.area.old` is renamed to `test.area.nwe`, which is not a rule",
        "or use one of: test.area.new",
    );
    check(
        "rename-loop",
        "renames:\n  test.area.a: test.area.b\n  test.area.b: test.area.a\n",
        "the renames of `test.area.a` go round in a circle",
        "leads, through its renames, to a rule",
    );
    // A rule file still at a renamed id is told where it belongs.
    assert_problem(
        "rename-stale-file",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            ("test/area/new.yaml", &rule("recommended_when: test_fact\n")),
            ("test/area/old.yaml", &rule("recommended_when: test_fact\n")),
            ("renames.yaml", "renames:\n  test.area.old: test.area.new\n"),
        ],
        "/test/area/old.yaml:1:1",
        "rule id `test.area.old` was renamed to `test.area.new`",
        "move the file to test/area/new.yaml",
    );
}

/// The resolved document of every citation entry in the samples and the real
/// letters is the same whatever the order of the catalogue's documents.
#[test]
fn citation_matching_does_not_depend_on_catalogue_order() {
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let mut reversed = pack.catalogue.clone();
    reversed.documents.reverse();
    let mut dirs = vec![root().join("samples")];
    dirs.extend(crate::util::real_letters());
    let mut entries = 0;
    for path in dirs.iter().flat_map(|d| crate::util::text_files(d)) {
        let letter = imr_audit::letter::parse(&crate::util::read(&path));
        let decided = letter.dates.decision.as_ref().and_then(|d| d.date);
        for item in &letter.items {
            let citations = [
                &item.citations.claims_administrator,
                &item.citations.reviewer,
            ];
            for entry in citations.into_iter().flatten().flat_map(|c| &c.entries) {
                for on in [None, decided] {
                    entries += 1;
                    let key = |c: &imr_audit::rules::Catalogue| {
                        c.resolve(entry, on).map(|d| d.key.clone())
                    };
                    assert_eq!(
                        key(&pack.catalogue),
                        key(&reversed),
                        "{}: {}",
                        path.display(),
                        entry.text
                    );
                }
            }
        }
    }
    assert!(entries > 100, "only {entries} entries compared");
}

/// An entry that names two ODG chapters goes to the more specific one, else
/// to the one it names first; the whole-guideline document only when it
/// names no chapter.
#[test]
fn an_entry_naming_two_chapters_resolves_to_the_more_specific_then_the_first() {
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let head = crate::util::letter_head("lumbar-xray-upheld.txt");
    let key = |citation: &str| {
        let text = format!(
            "{head}IMR ISSUES, DECISIONS AND RATIONALES\n\
             X-ray of the lumbar spine: Upheld\n\
             Claims Administrator guideline: Decision based on Non-MTUS Citation {citation}.\n\
             MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.\n\
             Decision rationale: The request is not medically necessary.\n"
        );
        let mut letter = imr_audit::letter::parse(&imr_audit::source::Source::from_text("t", text));
        pack.catalogue.annotate(&mut letter);
        let citation = letter.items[0].citations.claims_administrator.as_ref();
        citation.and_then(|c| c.entries[0].key.clone())
    };
    let cases = [
        (
            "Official Disability Guidelines (ODG) Knee/DME, Low Back/Mattress selection",
            "odg.knee",
        ),
        (
            "Official Disability Guidelines (ODG), Low Back, Knee",
            "odg.low-back",
        ),
        (
            "Official Disability Guidelines, Elbow Chapter, Physical Therapy Guidelines",
            "odg.elbow",
        ),
        (
            "Official Disability Guidelines, Physical therapy guidelines",
            "odg.preface",
        ),
        (
            "Official Disability Guidelines, Neck and Upper Back Chapter, Shoulder Chapter",
            "odg.shoulder",
        ),
        (
            "Official Disability Guidelines (ODG), Work Loss Data Institute",
            "odg.general",
        ),
        (
            "ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders",
            "acoem-3rd",
        ),
    ];
    for (citation, expected) in cases {
        assert_eq!(key(citation).as_deref(), Some(expected), "{citation}");
    }
}

#[test]
fn two_documents_sharing_a_name_while_both_in_force_are_rejected() {
    let catalogue = format!(
        "{CATALOGUE}  - key: test.other\n    title: Another\n    mtus: true\n    names: [Test Document 2004]\n"
    );
    assert_problem(
        "shared-name",
        &[
            ("citations.yaml", &catalogue),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
        "/citations.yaml:6:10",
        "`test.doc` and `test.other` both take the name \"test document 2004\"",
        "make one more specific (specificity)",
    );
    // Periods that do not overlap tell them apart.
    let dated = catalogue.replace(
        "    mtus: true\n    names: [Test Document 2004]\n",
        "    mtus: true\n    in_force: {until: 2009-01-01}\n    names: [Test Document 2004]\n",
    );
    let dated = dated.replacen(
        "    mtus: true\n    in_force: {until: 2009-01-01}\n",
        "    mtus: true\n    in_force: {from: 2010-01-01}\n",
        1,
    );
    let scratch = Scratch::new(
        "shared-name-dated",
        &[
            ("citations.yaml", &dated),
            ("facts/test.yaml", FACTS),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
    );
    let (code, stderr) = lint(&scratch.0);
    assert_eq!(code, Some(0), "{stderr}");
}

/// Where two rules apply equally, the tie goes to the one first in the
/// pack's order: by the id each rule was first given, so renaming a rule
/// (here `test.area.alpha` to `test.area.zeta`) changes no choice.
#[test]
fn a_rename_does_not_change_which_rule_wins_a_tie() {
    let scratch = Scratch::new(
        "rename-tie",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", FACTS),
            (
                "test/area/zeta.yaml",
                &rule("recommended_when: test_fact\n"),
            ),
            (
                "test/area/beta.yaml",
                &rule("recommended_when: test_fact\n"),
            ),
            (
                "renames.yaml",
                "renames:\n  test.area.alpha: test.area.zeta\n",
            ),
        ],
    );
    let pack = Pack::load_dirs_only(&[&scratch.0]).unwrap_or_else(|p| panic!("{}", p[0]));
    let ids: Vec<&str> = pack.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["test.area.zeta", "test.area.beta"]);
    let beta = pack.rule("test.area.beta").unwrap();
    let letter = imr_audit::selftest::test_letter(&pack, beta, &beta.tests[0]);
    let audit = imr_audit::audit::audit(&pack, imr_audit::source::Source::from_text("t", letter));
    let chosen = audit.evaluations[0].rule.as_ref().expect("a rule applies");
    assert_eq!(chosen.id, "test.area.zeta", "{}", chosen.chosen_because);
}

#[test]
fn a_category_fact_is_never_a_criterion_names_defined_facts_and_is_not_warned_unused() {
    let category = "  - id: named_whole\n    title: Named whole\n    addresses: [test_fact]\n    terms: [named whole]\n";
    // Unused by any rule, yet no warning: a category serves the checks.
    let scratch = Scratch::new(
        "category-unused",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", &format!("{FACTS}{category}")),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
    );
    let (code, stderr) = lint(&scratch.0);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("named_whole"), "{stderr}");
    // It names facts the pack defines.
    assert_problem(
        "category-undefined",
        &[
            ("citations.yaml", CATALOGUE),
            (
                "facts/test.yaml",
                &format!("{FACTS}{}", category.replace("[test_fact]", "[test_fakt]")),
            ),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
        "/facts/test.yaml:7:17",
        "fact `named_whole` addresses `test_fakt`, which is not defined",
        "or use one of: test_fact",
    );
    // A rule cannot rest on it.
    assert_problem(
        "category-criterion",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", &format!("{FACTS}{category}")),
            ("test/area/r.yaml", &rule("recommended_when: named_whole\n")),
        ],
        "/test/area/r.yaml:",
        "fact `named_whole` is a category, not a criterion",
        "use one of those facts",
    );
}

#[test]
fn a_concession_fact_is_never_a_criterion_nor_named_by_a_category() {
    let concession = "  - id: conceded\n    title: Conceded\n    concedes_request: true\n    terms: [meets the criteria for]\n";
    let scratch = Scratch::new(
        "concession-unused",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", &format!("{FACTS}{concession}")),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
    );
    let (code, stderr) = lint(&scratch.0);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("conceded"), "{stderr}");
    assert_problem(
        "concession-criterion",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", &format!("{FACTS}{concession}")),
            ("test/area/r.yaml", &rule("recommended_when: conceded\n")),
        ],
        "/test/area/r.yaml:",
        "fact `conceded` is a category, not a criterion",
        "use one of those facts",
    );
    let category = "  - id: named_whole\n    title: Named whole\n    addresses: [conceded]\n    terms: [named whole]\n";
    assert_problem(
        "concession-in-category",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", &format!("{FACTS}{concession}{category}")),
            ("test/area/r.yaml", &rule("recommended_when: test_fact\n")),
        ],
        "/facts/test.yaml:",
        "fact `named_whole` addresses the category `conceded`",
        "list those facts instead",
    );
}

/// A run frees what the pack was read from once its first letters are
/// audited: the pack must audit every letter alike afterwards.
#[test]
fn a_pack_audits_alike_after_its_sources_are_released() {
    let pack = Pack::load(&[] as &[&Path]).expect("the embedded pack loads");
    let audit_all = |pack: &Pack| -> Vec<String> {
        [
            "check-misquote.txt",
            "check-unaddressed-fact.txt",
            "lumbar-xray-upheld.txt",
        ]
        .iter()
        .map(|name| {
            let path = root().join("samples").join(name);
            let text = std::fs::read_to_string(&path).expect("a sample reads");
            let source = imr_audit::source::Source::from_text(path, text);
            let audit = imr_audit::audit::audit(pack, source);
            assert!(!audit.evaluations.is_empty(), "{name}: no item evaluated");
            format!("{:?} {:?}", audit.evaluations, audit.findings)
        })
        .collect()
    };
    let before = audit_all(&pack);
    pack.sources.release();
    pack.sources.release();
    assert_eq!(audit_all(&pack), before);
}

/// The status of each hit of fact `id` in `letter`, as `pack` reads it.
fn statuses_in(pack: &Pack, id: &str, letter: &str) -> Vec<imr_audit::facts::Status> {
    use imr_audit::facts::Region;
    use imr_audit::source::Source;
    let source = Source::from_text("t.txt", letter);
    pack.scanner
        .scan(&source, 0..letter.len(), Region::CaseSummary)
        .into_iter()
        .filter(|h| pack.facts[h.fact].id == id)
        .map(|h| h.status())
        .collect()
}

#[test]
fn a_near_entry_finds_the_concept_in_either_order_and_in_context() {
    use imr_audit::facts::Status;
    let facts = "facts:\n  - id: test_fact\n    title: Conservative care failed\n    near:\n      - terms: [conservative measures, physical therapy]\n        with: [failed, did not help]\n        within: 4\n";
    let scratch = Scratch::new(
        "near",
        &[
            ("citations.yaml", CATALOGUE),
            ("facts/test.yaml", facts),
            (
                "test/area/good.yaml",
                &rule("recommended_when: test_fact\n"),
            ),
        ],
    );
    let (code, err) = lint(&scratch.0);
    assert_eq!(code, Some(0), "{err}");
    let pack = Pack::load(&[&scratch.0]).unwrap_or_else(|p| panic!("{}", p[0]));
    for (letter, expected) in [
        ("Conservative measures have failed.", vec![Status::Affirmed]),
        ("He failed conservative measures.", vec![Status::Affirmed]),
        // A list between the two counts its items against the gap.
        (
            "Physical therapy, chiropractic care and acupuncture did not help.",
            vec![Status::Affirmed],
        ),
        (
            "Physical therapy, chiropractic care, acupuncture, massage and yoga did not help.",
            vec![],
        ),
        // The gap never crosses a sentence.
        ("He had physical therapy. It failed.", vec![]),
        // The words are whole words, and the hit is read in context.
        ("He refailed physical therapyx.", vec![]),
        (
            "There is no documentation that conservative measures failed.",
            vec![Status::Negated],
        ),
    ] {
        assert_eq!(
            statuses_in(&pack, "test_fact", letter),
            expected,
            "{letter}"
        );
    }
}

#[test]
fn a_near_entry_without_words_or_with_a_wide_gap_is_reported_where_it_is() {
    let facts = "facts:\n  - id: test_fact\n    title: A test fact\n    near:\n      - terms: [physical therapy]\n        with: []\n      - terms: [physical therapy]\n        with: [failed]\n        within: 20\n";
    let files = [
        ("citations.yaml", CATALOGUE),
        ("facts/test.yaml", facts),
        (
            "test/area/good.yaml",
            &rule("recommended_when: test_fact\n"),
        ),
    ];
    assert_problem(
        "near-empty",
        &files,
        "/facts/test.yaml:5:9",
        "fact `test_fact`: a `near` entry needs non-empty phrases in both `terms` and `with`",
        "list the concept's words under `terms`",
    );
    assert_problem(
        "near-wide",
        &files,
        "/facts/test.yaml:7:9",
        "fact `test_fact`: `within: 20` is wider than 8 words",
        "split the entry or write a pattern",
    );
}

/// Care named as having helped states the failure of care absent: a record
/// that says the patient "has not improved much; however, … physical therapy
/// has helped" documents both, in that order, and care that did not help
/// stays documented.
#[test]
fn care_that_helped_states_its_failure_absent() {
    use imr_audit::facts::{Region, Status};
    use imr_audit::source::Source;
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let fact = pack.fact("no_response_to_conservative_care").unwrap();
    let statuses = |text: &str| -> Vec<(String, Status)> {
        let source = Source::from_text("t", text);
        pack.scanner
            .scan(&source, 0..text.len(), Region::CaseSummary)
            .into_iter()
            .filter(|h| h.fact == fact)
            .map(|h| {
                let status = h.status();
                (h.text, status)
            })
            .collect()
    };
    assert_eq!(
        statuses(
            "The patient has not improved much; however, the physician did indicate physical therapy has helped."
        ),
        [
            ("has not improved".to_string(), Status::Affirmed),
            ("physical therapy has helped".to_string(), Status::Negated),
        ]
    );
    assert_eq!(
        statuses("Injections have been beneficial."),
        [(
            "Injections have been beneficial".to_string(),
            Status::Negated
        )]
    );
    assert_eq!(
        statuses("Physical therapy did not help."),
        [("did not help".to_string(), Status::Affirmed)]
    );
}

/// A nerve-root tension sign is read whichever side of the test name its
/// result stands ("straight leg raise examination was positive", "a negative
/// straight leg raise"), and a motor grade below 5 however it is written
/// ("4 out of 5"); a sign found negative is the sign stated absent. Radicular
/// words read with what they qualify ("radicular complaints"), a deficit
/// with what it affects after it ("deficits in dermatomal sensation").
#[test]
fn examination_signs_are_read_with_their_result_before_or_after() {
    use imr_audit::facts::Status::{Affirmed, Negated};
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let (sign, radicular, deficit) = (
        "positive_nerve_tension_sign",
        "radiculopathy",
        "neurological_deficit",
    );
    let arm = "upper_extremity_neuro_findings";
    let cases: [(&str, &str, &[imr_audit::facts::Status]); 16] = [
        (
            sign,
            "Straight leg raise examination was positive in bilateral legs.",
            &[Affirmed],
        ),
        (
            sign,
            "Spurling's test is positive on the right.",
            &[Affirmed],
        ),
        (
            sign,
            "There was a positive bilateral straight leg raise.",
            &[Affirmed],
        ),
        (sign, "Straight leg raise tests were negative.", &[Negated]),
        (
            sign,
            "Flexion to 50 degrees and a negative straight leg raise bilaterally.",
            &[Negated],
        ),
        // A test named without its result says nothing.
        (sign, "A straight leg raise test was performed.", &[]),
        (
            radicular,
            "The medical record fails to document radicular-type arm symptoms.",
            &[Negated],
        ),
        (
            radicular,
            "Cervical strain with radicular complaints.",
            &[Affirmed],
        ),
        (
            deficit,
            "No deficits in sensory and motor nerve distributions of the legs.",
            &[Negated],
        ),
        (
            deficit,
            "Deficits in dermatomal sensation at L5.",
            &[Affirmed],
        ),
        (
            deficit,
            "Motor strength is 4 out of 5 in the left leg.",
            &[Affirmed],
        ),
        (deficit, "Quadriceps strength of 4+ out of 5.", &[Affirmed]),
        (deficit, "Motor strength is 5 out of 5 in both legs.", &[]),
        (
            arm,
            "Right hand/wrist pain with associated numbness and tingling.",
            &[Affirmed],
        ),
        // Another limb's numbness is not the arm's.
        (arm, "Wrist pain and numbness of the left foot.", &[]),
        // "non-" joined to the mention negates it.
        (radicular, "Axial, non-radicular low back pain.", &[Negated]),
    ];
    for (fact, letter, expected) in cases {
        assert_eq!(
            statuses_in(&pack, fact, letter),
            expected,
            "{fact}: {letter}"
        );
    }
}

/// Care "tried and failed" is care that failed, whichever side of the care
/// the words stand; "it is also unclear what …" negates it as "it is
/// unclear what …" does.
#[test]
fn care_tried_and_failed_is_failed_care() {
    use imr_audit::facts::Status;
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    assert_eq!(
        statuses_in(
            &pack,
            "failed_conservative_care",
            "Conservative care the patient has tried and failed includes physical therapy."
        ),
        [Status::Affirmed]
    );
    assert_eq!(
        statuses_in(
            &pack,
            "failed_conservative_care",
            "It is also unclear what recent conservative care the patient has tried and failed."
        ),
        [Status::Negated]
    );
    assert_eq!(
        statuses_in(
            &pack,
            "failed_conservative_care_listed",
            "The patient has tried and failed other first-line treatments."
        ),
        [Status::Affirmed]
    );
}
