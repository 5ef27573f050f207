//! Which rule takes a request: tables of requests as letters word them and
//! the rule each must go to (tests/routing/*.tsv, one file per topic: a
//! request, a tab, a rule id; `#` starts a comment). A new rule whose
//! `applies_to` is too wide, or an old one that loses its request, fails
//! here by name.

use std::path::Path;

use imr_audit::rules::Pack;

use crate::util::{letter_head, root};

/// (request as a letter words it, rule id), from every table.
fn routes() -> Vec<(String, String)> {
    let dir = root().join("tests/routing");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (request, rule) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}:{}: no tab", file.display(), n + 1));
            out.push((request.trim().to_owned(), rule.trim().to_owned()));
        }
    }
    assert!(
        out.len() >= 90,
        "expected the routing tables, found {} rows",
        out.len()
    );
    out
}

#[test]
fn every_request_goes_to_its_rule() {
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let routes = routes();
    let head = letter_head("lumbar-xray-upheld.txt");
    let mut text = format!(
        "{head}IMR ISSUES, DECISIONS AND RATIONALES\n\
         The Final Determination was based on decisions for the disputed items/services set forth below:\n"
    );
    for (request, _) in &routes {
        text.push_str(&format!(
            "{request}: Upheld\n\
             Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\n\
             MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2009.\n\
             Decision rationale: The request is not medically necessary.\n"
        ));
    }
    let audit =
        imr_audit::audit::audit(&pack, imr_audit::source::Source::from_text("routes", text));
    assert_eq!(
        audit.letter.items.len(),
        routes.len(),
        "every request is read as an item"
    );
    let wrong: Vec<String> = routes
        .iter()
        .zip(&audit.evaluations)
        .filter_map(|((request, expected), evaluation)| {
            let got = evaluation.rule.as_ref().map(|r| r.id.clone());
            (got.as_deref() != Some(expected.as_str()))
                .then(|| format!("{request:?}: expected {expected}, got {got:?}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "requests routed to the wrong rule:\n{}",
        wrong.join("\n")
    );
}
