//! Measures the parser on labelled letters — the real ones in ../shared and
//! the project's own samples: the number of items, each decision, each raw
//! citation and each request must match the labels.

use std::path::Path;

use serde_json::Value;

use crate::util::{fold, read, real_letters, root};

#[test]
fn every_labelled_real_item_decision_and_citation_matches() {
    let Some(dir) = real_letters() else { return };
    check_labels(&dir);
}

#[test]
fn every_labelled_sample_item_decision_and_citation_matches() {
    check_labels(&root().join("samples"));
}

fn check_labels(dir: &Path) {
    let labels = std::fs::read_to_string(dir.join("labels.jsonl")).unwrap();
    let (mut letters, mut items, mut decisions, mut citations, mut requests) = (0, 0, 0, 0, 0);
    let mut problems = Vec::new();
    for line in labels.lines().filter(|l| !l.trim().is_empty()) {
        let label: Value = serde_json::from_str(line).unwrap();
        let file = label["file"].as_str().unwrap();
        let source = read(&dir.join(file));
        let letter = imr_audit::letter::parse(&source);
        letters += 1;
        let expected = label["items"].as_array().unwrap();
        if letter.items.len() != expected.len() {
            problems.push(format!(
                "{file}: {} items, expected {}",
                letter.items.len(),
                expected.len()
            ));
            continue;
        }
        for (item, want) in letter.items.iter().zip(expected) {
            items += 1;
            let n = item.index;
            let decision = item.decision.as_ref().map(|d| <&str>::from(d.value));
            if decision == want["decision"].as_str() {
                decisions += 1;
            } else {
                problems.push(format!(
                    "{file} item {n}: decision {decision:?}, expected {}",
                    want["decision"]
                ));
            }
            let label_request = fold(want["text"].as_str().unwrap());
            let label_request = label_request.trim_end_matches(" is").trim_end_matches(':');
            if fold(&item.request.raw.value)
                .trim_end_matches(" is")
                .ends_with(label_request)
            {
                requests += 1;
            } else {
                problems.push(format!(
                    "{file} item {n}: request {:?}, expected {label_request:?}",
                    item.request.raw.value
                ));
            }
            for (key, got) in [
                (
                    "claims_administrator_guideline",
                    &item.citations.claims_administrator,
                ),
                ("maximus_guideline", &item.citations.reviewer),
            ] {
                let Some(want) = want.get(key).and_then(Value::as_str) else {
                    continue;
                };
                let got = got.as_ref().map(|c| fold(&c.raw));
                if got.as_deref() == Some(fold(want).as_str()) {
                    citations += 1;
                } else {
                    problems.push(format!("{file} item {n}: {key} {got:?}, expected {want:?}"));
                }
            }
        }
    }
    eprintln!(
        "{}: {letters} letters, {items} items matched in count, {decisions} decisions, {requests} requests, {citations} citations correct",
        dir.display()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
