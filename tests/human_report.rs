//! The human report as an attorney reads it: short, saying which way each
//! fact weighs and why the rule expects what it expects; `--brief`; colour
//! that follows `--color` and the terminal conventions.

use std::collections::BTreeSet;

use crate::util::{imr_audit, imr_audit_command};

/// The report without the line stating the time taken.
fn report(args: &[&str]) -> (Option<i32>, String) {
    let out = imr_audit(args);
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("time "))
        .collect::<Vec<_>>()
        .join("\n");
    (out.status.code(), text)
}

#[test]
fn brief_report_of_the_seed_letter() {
    let (code, text) = report(&["check", "--brief", "samples/lumbar-xray-upheld.txt"]);
    assert_eq!(
        code,
        Some(1),
        "--brief fails a conflict like the full report"
    );
    insta::assert_snapshot!("check-brief-lumbar-xray-upheld", text);
}

#[test]
fn brief_gives_one_block_per_item_with_its_deciding_evidence_only() {
    let (_, text) = report(&["check", "--brief", "samples/pt-partial-authorization.txt"]);
    assert_eq!(text.matches("\n  item ").count(), 2, "{text}");
    for heading in ["decision", "rule", "expected", "verdict", "decided by"] {
        assert_eq!(
            text.matches(&format!("    {heading} ")).count()
                + text.matches(&format!("    {heading}\n")).count(),
            2,
            "one `{heading}` line per item: {text}"
        );
    }
    // No diagnostics, no criteria that did not decide.
    assert!(
        !text.contains("-->") && !text.contains("other criteria"),
        "{text}"
    );
    assert!(!text.contains("functional_improvement"), "{text}");
    // The deciding evidence quotes the letter's words with their line.
    assert!(
        text.contains("\"returned to modified duty\" (line 42)"),
        "{text}"
    );
    // A bound on a sum is named by the sum, with its total.
    assert!(
        text.contains("      not met         against  requested and authorized visits plus number of physical or occupational therapy visits already completed <= 10 — the total is 12\n"),
        "{text}"
    );
    assert!(
        text.contains("expected  overturned: the criteria for medical necessity are met"),
        "{text}"
    );
    // Neither item raises a finding: no findings line.
    assert!(!text.contains("    findings  "), "{text}");
}

/// The physical-therapy rule checks the request against ten pairs of bounds
/// (`requested visits >= 1` … `>= 10` with the visits already given); the
/// report states the request's number against its limit once.
#[test]
fn the_default_report_names_each_criterion_and_quotes_each_mention_once() {
    let (_, text) = report(&["check", "samples/pt-partial-authorization.txt"]);
    let blocks: Vec<&str> = text
        .split("\n  item ")
        .skip(1)
        .map(|b| b.split("\n\n").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 2);
    for block in &blocks {
        let criteria: Vec<&str> = block
            .lines()
            .filter(|l| l.starts_with("      ") && !l.starts_with("          "))
            .collect();
        let unique: BTreeSet<&&str> = criteria.iter().collect();
        assert_eq!(unique.len(), criteria.len(), "a line repeated:\n{block}");
        let visits = criteria
            .iter()
            .filter(|l| l.contains("requested visits:"))
            .count();
        assert!(visits <= 2, "{visits} lines on requested visits:\n{block}");
        assert!(
            !block.contains(">= "),
            "a bound line left ungrouped:\n{block}"
        );
        let quotes: Vec<&str> = block
            .lines()
            .filter(|l| l.trim_start().starts_with("line ") || l.contains("ignored line "))
            .map(|l| l.trim())
            .collect();
        let unique: BTreeSet<&&str> = quotes.iter().collect();
        assert_eq!(
            unique.len(),
            quotes.len(),
            "a mention quoted twice:\n{block}"
        );
    }
    // The six visits requested and the six authorised exceed the ten the
    // guideline allows: the limit line says so with both counted.
    assert!(
        blocks[0].contains(
            "over limit      against  requested and authorized visits: 12 — limit at most 10 (CPMTG:"
        ),
        "{}",
        blocks[0]
    );
    // What would change the expectation names each fact once.
    let would_be = blocks[1]
        .lines()
        .find(|l| l.starts_with("    would be  "))
        .unwrap();
    assert_eq!(
        would_be.matches("functional improvement").count(),
        1,
        "{would_be}"
    );
    // The decision-conflict diagnostic points at the decision alone: the
    // evidence is in the item's block.
    let (_, text) = report(&["check", "samples/lumbar-xray-upheld.txt"]);
    let conflict = text
        .split("error: [decision-conflict] item 1 ")
        .nth(1)
        .unwrap();
    let conflict = conflict.split("\nerror:").next().unwrap();
    assert!(!conflict.contains("(affirmed)"), "{conflict}");
    assert!(
        conflict.contains("implies overturned: documented: red_flag_low_back, "),
        "{conflict}"
    );
}

#[test]
fn the_report_says_which_way_each_fact_weighs_and_why_the_rule_expects_what_it_does() {
    let (_, text) = report(&["check", "samples/lumbar-xray-upheld.txt"]);
    assert!(
        text.contains("    expected  overturned: the criteria for medical necessity are met\n"),
        "{text}"
    );
    assert!(
        text.contains("    decided by\n      met             for      red_flag_low_back — "),
        "{text}"
    );
    assert!(
        text.contains("      not met         against  prior_imaging — "),
        "a recommended-when criterion documented as absent weighs against: {text}"
    );
    // A not-recommended criterion that is met weighs against the request.
    let (_, text) = report(&["check", "--brief", "samples/layout-mode.txt"]);
    assert!(
        text.contains("expected  upheld: a not-recommended criterion is met")
            && text.contains("      met             against  Aberrant drug-related behaviour"),
        "{text}"
    );
    // An exceeded limit weighs against, and is what decided.
    let (_, text) = report(&["check", "--brief", "samples/pt-partial-authorization.txt"]);
    assert!(
        text.contains("expected  upheld: the request exceeds a limit: CPMTG")
            && text
                .contains("      not met         against  requested and authorized visits plus "),
        "{text}"
    );
}

const ESC: &str = "\u{1b}[";

/// Runs `check` on the seed letter with stdout piped and the given
/// environment; returns stdout and stderr.
fn coloured(args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut cmd = imr_audit_command();
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn color_always_colours_every_part_when_piped() {
    let seed = "samples/lumbar-xray-upheld.txt";
    let (out, _) = coloured(&["check", "--color", "always", seed], &[]);
    for part in ["item 1  ", "verdict   ", "met   ", "summary\u{1b}"] {
        let line = out.lines().find(|l| l.contains(part)).unwrap();
        assert!(line.contains(ESC), "{part:?} is plain: {line:?}");
    }
    assert!(
        out.lines()
            .any(|l| l.contains("[decision-conflict]") && l.contains(ESC)),
        "the diagnostics are coloured too"
    );
    let (_, err) = coloured(&["check", "--color", "always", "no-such-letter.txt"], &[]);
    assert!(err.starts_with(ESC), "stderr is coloured: {err:?}");
    let (out, err) = coloured(
        &[
            "check",
            "--color",
            "always",
            "--brief",
            seed,
            "no-such-letter.txt",
        ],
        &[("NO_COLOR", "1")],
    );
    assert!(
        out.contains(ESC) && err.contains(ESC),
        "--color always beats NO_COLOR"
    );
}

#[test]
fn auto_colour_follows_clicolor_force_and_no_color() {
    let seed = "samples/lumbar-xray-upheld.txt";
    let (out, _) = coloured(&["check", seed], &[]);
    assert!(!out.contains(ESC), "a pipe gets no colour by default");
    let (out, err) = coloured(
        &["check", seed, "no-such-letter.txt"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(
        out.contains(ESC) && err.contains(ESC),
        "CLICOLOR_FORCE colours pipes"
    );
    let (out, _) = coloured(&["check", seed], &[("CLICOLOR_FORCE", "0")]);
    assert!(!out.contains(ESC), "CLICOLOR_FORCE=0 forces nothing");
    let (out, _) = coloured(
        &["check", seed],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!out.contains(ESC), "NO_COLOR wins over CLICOLOR_FORCE");
    let (out, _) = coloured(
        &["check", "--color", "never", seed],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!out.contains(ESC), "--color never is never");
    // Machine formats are never coloured.
    let (out, _) = coloured(
        &["check", "--color", "always", "--format", "json", seed],
        &[],
    );
    assert!(!out.contains(ESC));
}
