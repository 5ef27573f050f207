//! The accumulated report formats — SARIF, JUnit XML and HTML — run on the
//! sample letters: real content, not just well-formed bytes.

use std::path::Path;
use std::sync::LazyLock;

use imr_audit::audit::{Audit, audit};
use imr_audit::baseline::fingerprint::fingerprint;
use imr_audit::eval::Verdict;
use imr_audit::finding::{Check, Severity};
use imr_audit::report::html::HtmlReport;
use imr_audit::report::junit::JunitReport;
use imr_audit::report::render;
use imr_audit::report::sarif::SarifReport;
use imr_audit::report::summary::Summary;
use imr_audit::rules::Pack;
use imr_audit::source::Source;
use serde_json::Value;

use crate::util::{root, sample_names};

/// The default pack, loaded once for every test of this module.
fn pack() -> &'static Pack {
    static PACK: LazyLock<Pack> = LazyLock::new(|| {
        Pack::load(&[] as &[&Path]).unwrap_or_else(|problems| panic!("default pack: {problems:?}"))
    });
    &PACK
}

/// A sample letter read from disk, named by its path relative to the project
/// ("samples/x.txt") so reports are the same wherever the tests run.
fn sample(name: &str) -> Source {
    let path = root().join("samples").join(name);
    let source = imr_audit::input::read(&path).unwrap_or_else(|e| panic!("{e}"));
    Source::from_text(format!("samples/{name}"), source.text())
}

fn audits(pack: &Pack, sources: Vec<Source>) -> (Vec<Audit>, Summary) {
    let mut summary = Summary::default();
    let audits: Vec<Audit> = sources
        .into_iter()
        .map(|source| {
            let a = audit(pack, source);
            summary.add(&a);
            a
        })
        .collect();
    (audits, summary)
}

/// Every sample letter audited once, shared by the tests.
fn all_samples() -> &'static (Vec<Audit>, Summary) {
    static ALL: LazyLock<(Vec<Audit>, Summary)> =
        LazyLock::new(|| audits(pack(), sample_names().iter().map(|n| sample(n)).collect()));
    &ALL
}

fn sarif_of(pack: &Pack, audits: &[Audit], summary: &Summary) -> Value {
    let bytes = render(Box::new(SarifReport::new(pack)), audits, summary);
    serde_json::from_slice(&bytes).expect("SARIF is JSON")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[test]
fn sarif_has_one_result_per_finding_with_rule_level_and_region() {
    let pack = pack();
    let (audits, summary) = all_samples();
    let sarif = sarif_of(pack, audits, summary);
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "imr-audit");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = Check::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(ids, expected);
    for (rule, &check) in rules.iter().zip(Check::ALL) {
        let e = imr_audit::checks::explain::text(check);
        assert_eq!(rule["shortDescription"]["text"], e.summary);
        assert_eq!(rule["fullDescription"]["text"], e.what);
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(help.contains(e.what) && help.contains(e.basis) && help.contains(e.example));
    }

    let findings: Vec<(&Audit, &imr_audit::finding::Finding)> = audits
        .iter()
        .flat_map(|a| a.findings.iter().map(move |f| (a, f)))
        .collect();
    let results = run["results"].as_array().unwrap();
    assert!(!findings.is_empty(), "the samples have findings");
    assert_eq!(results.len(), findings.len(), "one result per finding");
    assert!(
        findings
            .iter()
            .any(|(_, f)| f.check == Check::DecisionConflict),
        "the samples include a decision conflict"
    );
    let mut fingerprints = std::collections::HashSet::new();
    for (result, (a, finding)) in results.iter().zip(&findings) {
        assert_eq!(result["ruleId"], finding.check.id());
        assert_eq!(
            rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
            finding.check.id()
        );
        assert_eq!(result["level"], level(finding.severity));
        assert_eq!(result["message"]["text"], finding.message.as_str());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = a.source.path().display().to_string();
        assert_eq!(location["artifactLocation"]["uri"], uri.as_str());
        assert!(uri.starts_with("samples/"));
        if let Some(span) = finding.primary() {
            let region = &location["region"];
            assert_eq!(region["startLine"], span.line);
            assert_eq!(region["startColumn"], span.column);
            assert_eq!(region["endLine"], span.end_line);
            assert_eq!(region["endColumn"], span.end_column);
        }
        let related = result["relatedLocations"].as_array().map_or(0, Vec::len);
        assert_eq!(related, finding.labels.len().saturating_sub(1));
        let fp = result["partialFingerprints"]["imrAudit/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fp, fingerprint(a, finding));
        assert_eq!(fp.len(), 64);
        assert!(
            fingerprints.insert(fp.to_owned()),
            "fingerprint {fp} repeats"
        );
    }
    // Deterministic: the same input renders the same bytes.
    let again = render(Box::new(SarifReport::new(pack)), audits, summary);
    assert_eq!(
        serde_json::to_string(&sarif).unwrap(),
        serde_json::to_string(&serde_json::from_slice::<Value>(&again).unwrap()).unwrap()
    );
}

#[test]
fn fingerprints_ignore_blank_lines_added_at_the_top() {
    let pack = pack();
    let mut checked = 0;
    for name in sample_names() {
        let original = sample(&name);
        let shifted = Source::from_text(
            original.path().to_path_buf(),
            format!("\n\n\n{}", original.text()),
        );
        let (audits, summary) = audits(pack, vec![original, shifted]);
        let (a, b) = (&audits[0], &audits[1]);
        if a.letter.case_number.is_none() || a.findings.is_empty() {
            continue;
        }
        checked += 1;
        let fa: Vec<String> = a.findings.iter().map(|f| fingerprint(a, f)).collect();
        let fb: Vec<String> = b.findings.iter().map(|f| fingerprint(b, f)).collect();
        assert_eq!(fa, fb, "{name}");

        let sarif = sarif_of(pack, &audits, &summary);
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let n = a.findings.len();
        assert_eq!(results.len(), 2 * n, "{name}");
        for i in 0..n {
            let (ra, rb) = (&results[i], &results[n + i]);
            assert_eq!(
                ra["partialFingerprints"], rb["partialFingerprints"],
                "{name}"
            );
            let line =
                |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
            if let (Some(la), Some(lb)) = (line(ra), line(rb)) {
                assert_eq!(lb, la + 3, "{name}: regions move with the text");
            }
        }
    }
    assert!(
        checked > 0,
        "no sample letter with a case number and findings"
    );

    // Without a case number a letter is known by its text: another text, another fingerprint.
    let (c, d) = (
        audit(pack, Source::from_text("x.txt", "")),
        audit(pack, Source::from_text("x.txt", " \n")),
    );
    assert!(c.letter.case_number.is_none() && !c.findings.is_empty() && !d.findings.is_empty());
    assert_eq!(c.findings[0].check, d.findings[0].check);
    assert_ne!(
        fingerprint(&c, &c.findings[0]),
        fingerprint(&d, &d.findings[0])
    );
}

#[test]
fn junit_has_a_suite_per_letter_and_a_case_per_item() {
    let (audits, summary) = all_samples();
    let xml = String::from_utf8(render(Box::new(JunitReport::new()), audits, summary)).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(
        !xml.contains("timestamp=") && !xml.contains(" time="),
        "no times: {xml}"
    );
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit XML parses");
    assert_eq!(report.name.as_deref(), Some("imr-audit"));
    assert_eq!(report.test_suites.len(), audits.len());
    let mut failures = 0;
    for (suite, a) in report.test_suites.iter().zip(audits) {
        assert_eq!(suite.name.as_str(), a.source.path().display().to_string());
        let parse_errors = a
            .findings
            .iter()
            .any(|f| f.check == Check::Parse && f.severity == Severity::Error);
        let cases: Vec<_> = suite
            .test_cases
            .iter()
            .filter(|c| c.name.as_str() != "parse")
            .collect();
        assert_eq!(cases.len(), a.letter.items.len(), "{}", suite.name.as_str());
        assert_eq!(
            suite.test_cases.len(),
            a.letter.items.len() + usize::from(parse_errors)
        );
        for ((case, item), evaluation) in cases.iter().zip(&a.letter.items).zip(&a.evaluations) {
            assert!(
                case.name
                    .as_str()
                    .starts_with(&format!("item {}: ", item.index)),
                "{}",
                case.name.as_str()
            );
            let classname = evaluation
                .rule
                .as_ref()
                .map_or("uncovered", |r| r.id.as_str());
            assert_eq!(case.classname.as_deref(), Some(classname));
            match (&case.status, evaluation.verdict) {
                (quick_junit::TestCaseStatus::Success { .. }, Verdict::Agree) => {}
                (
                    quick_junit::TestCaseStatus::NonSuccess {
                        kind: quick_junit::NonSuccessKind::Failure,
                        message,
                        description,
                        ..
                    },
                    Verdict::Conflict,
                ) => {
                    failures += 1;
                    let conflict = a
                        .findings
                        .iter()
                        .find(|f| f.check == Check::DecisionConflict && f.item == Some(item.index))
                        .expect("a conflict has its finding");
                    assert_eq!(message.as_deref(), Some(conflict.message.as_str()));
                    let text = description.as_deref().unwrap_or_default();
                    let decision_line = item.decision.as_ref().unwrap().span.line;
                    assert!(text.contains(&format!(":{decision_line}:")), "{text}");
                }
                (
                    quick_junit::TestCaseStatus::Skipped { message, .. },
                    Verdict::Undetermined | Verdict::Uncovered,
                ) => {
                    assert!(
                        message
                            .as_deref()
                            .is_some_and(|m| m.starts_with(&evaluation.verdict.to_string())),
                        "{message:?}"
                    );
                }
                (status, verdict) => panic!("{verdict:?} rendered as {status:?}"),
            }
        }
    }
    let conflicts = summary
        .verdicts
        .get(&Verdict::Conflict)
        .copied()
        .unwrap_or(0);
    assert!(conflicts > 0, "the samples include a conflict");
    assert_eq!(failures, conflicts);
    assert_eq!(report.failures, conflicts);
    assert_eq!(
        report.tests,
        report
            .test_suites
            .iter()
            .map(|s| s.test_cases.len())
            .sum::<usize>()
    );
}

#[test]
fn junit_reports_a_letter_without_items_as_a_parse_error() {
    let pack = pack();
    let (audits, mut summary) = audits(
        pack,
        vec![
            Source::from_text("empty.txt", ""),
            Source::from_text(
                "prose.txt",
                "Dear claimant, this is not a determination letter.\n",
            ),
        ],
    );
    summary.add_unreadable("gone.txt".into());
    let xml = String::from_utf8(render(Box::new(JunitReport::new()), &audits, &summary)).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit XML parses");
    let names: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["empty.txt", "prose.txt", "gone.txt"]);
    for suite in &report.test_suites {
        assert_eq!(suite.test_cases.len(), 1, "{}", suite.name.as_str());
        let case = &suite.test_cases[0];
        assert_eq!(case.name.as_str(), "parse");
        assert!(
            matches!(
                case.status,
                quick_junit::TestCaseStatus::NonSuccess {
                    kind: quick_junit::NonSuccessKind::Error,
                    ..
                }
            ),
            "{:?}",
            case.status
        );
        assert_eq!(suite.errors, 1);
    }
    assert_eq!(report.errors, 3);
}

#[test]
fn html_has_summary_charts_sortable_table_and_marked_evidence() {
    let pack = pack();
    let (samples, summary) = all_samples();
    // A letter whose text carries markup must come out escaped.
    let hostile = audit(
        pack,
        Source::from_text(
            "samples/<script>.txt",
            "<script>alert('x')</script> & \x00 not a letter",
        ),
    );
    let mut summary = summary.clone();
    summary.add(&hostile);
    let audits: Vec<&Audit> = samples.iter().chain([&hostile]).collect();
    let html = String::from_utf8(render(
        Box::new(HtmlReport::new(pack)),
        audits.iter().copied(),
        &summary,
    ))
    .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    // Self-contained: no external resources.
    for external in ["src=", "href=\"http", "url(", "@import", "<link"] {
        assert!(!html.contains(external), "external resource: {external}");
    }
    assert!(html.contains("<style>") && html.contains("<script>"));
    // Summary figures from `Summary`.
    assert!(html.contains(&format!(
        "<div class=\"label\">letters</div><div class=\"value\">{}</div>",
        summary.letters
    )));
    assert!(html.contains(&format!(
        "<div class=\"label\">items</div><div class=\"value\">{}</div>",
        summary.items
    )));
    // Three SVG charts with bars.
    let chart = |id: &str| {
        let at = html
            .find(&format!("<svg id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"));
        &html[at..at + html[at..].find("</svg>").unwrap()]
    };
    for id in [
        "chart-conflict-rate-by-rule",
        "chart-findings-by-check",
        "chart-agreement-by-guideline",
    ] {
        assert!(chart(id).contains("<rect class=\"seg"), "{id} has bars");
    }
    // The conflict-rate chart has a bar for each rule with a conflict and
    // no other, highest rate first.
    let mut rates: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for e in audits.iter().flat_map(|a| &a.evaluations) {
        if let Some(rule) = &e.rule {
            let (conflicts, decided) = rates.entry(rule.id.clone()).or_default();
            *conflicts += usize::from(e.verdict == Verdict::Conflict);
            *decided += usize::from(matches!(e.verdict, Verdict::Conflict | Verdict::Agree));
        }
    }
    let rates_chart = chart("chart-conflict-rate-by-rule");
    let mut shown: Vec<(usize, f64)> = Vec::new();
    for (rule_id, (conflicts, decided)) in &rates {
        // The bar's tooltip names the rule (its label may be cut short).
        let bar = format!("<title>{rule_id}: ");
        assert_eq!(
            rates_chart.contains(&bar),
            *conflicts > 0,
            "{rule_id}: {conflicts} conflicts of {decided}"
        );
        if *conflicts > 0 {
            let at = rates_chart.find(&bar).unwrap();
            shown.push((at, *conflicts as f64 / *decided as f64));
        }
    }
    assert!(shown.len() >= 2);
    shown.sort_by_key(|(at, _)| *at);
    assert!(
        shown.windows(2).all(|w| w[0].1 >= w[1].1),
        "sorted by rate: {shown:?}"
    );
    // Findings by check: only the checks that found something.
    for check in Check::ALL {
        let found = summary.findings.get(check).copied().unwrap_or(0);
        assert_eq!(
            chart("chart-findings-by-check").contains(&format!("</title>{check}</text>")),
            found > 0,
            "{check}: {found}"
        );
    }
    // The letters table: one row per letter, sorted by case number, sortable by inline script.
    assert_eq!(html.matches("<tr class=\"letter-row").count(), audits.len());
    let cases: Vec<&str> = html
        .split("<tr class=\"letter-row")
        .skip(1)
        .map(|row| {
            row.split("<td data-v=\"")
                .nth(2)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    let with_case: Vec<&str> = cases
        .iter()
        .copied()
        .take_while(|c| !c.is_empty())
        .collect();
    assert!(with_case.windows(2).all(|w| w[0] <= w[1]), "{cases:?}");
    assert!(
        cases[with_case.len()..].iter().all(|c| c.is_empty()),
        "{cases:?}"
    );
    assert!(html.contains("aria-sort=\"ascending\">case number</th>"));
    // Letter texts are collapsed; each criterion says which way it weighs.
    assert!(
        html.contains("<details class=\"text\">") && !html.contains("<details class=\"text\" open")
    );
    assert!(html.contains("<span class=\"weight w-for\""));
    assert!(html.contains("<span class=\"decided\""));
    assert!(html.contains("<table id=\"letters\" class=\"sortable\">"));
    assert!(html.contains("addEventListener('click'"));
    // One section per letter.
    for n in 1..=audits.len() {
        assert!(html.contains(&format!("<section class=\"letter\" id=\"letter-{n}\">")));
    }
    // Evidence spans are marked with their context status and named fact.
    let mut marked = 0;
    for (n, a) in audits.iter().enumerate() {
        for evaluation in &a.evaluations {
            for outcome in &evaluation.criteria {
                for e in &outcome.evidence {
                    let words = &a.source.text()[e.start..e.end];
                    if words.contains(['\n', '&', '<', '>', '"', '\'', '\x0c']) {
                        continue;
                    }
                    let class = format!("class=\"ev ctx-{}", e.context);
                    let pattern = format!(">{words}</mark>");
                    if let Some(at) = html.find(&format!("id=\"l{}-o{}\"", n + 1, e.start)) {
                        let open = html[..at].rfind("<mark ").unwrap();
                        let tag_end = at + html[at..].find('>').unwrap();
                        let tag = &html[open..tag_end];
                        assert!(
                            tag.contains(&class) || tag.contains("class=\"ev ctx-"),
                            "{tag}"
                        );
                        let fact = imr_audit::report::html::esc(&outcome.fact);
                        assert!(tag.contains(&fact), "{tag} names {fact}");
                        if html[tag_end..].starts_with(&pattern) {
                            marked += 1;
                        }
                    } else {
                        panic!("no mark for evidence {words:?} of {}", outcome.fact);
                    }
                }
            }
        }
    }
    assert!(marked > 0, "at least one evidence span is marked whole");
    // Escaping.
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("samples/&lt;script&gt;.txt"));
    assert!(!html.contains('\x00'));
}

#[test]
fn sarif_snapshot_of_lumbar_xray_upheld() {
    let pack = pack();
    let (audits, summary) = audits(pack, vec![sample("lumbar-xray-upheld.txt")]);
    let bytes = render(Box::new(SarifReport::new(pack)), &audits, &summary);
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("sarif-lumbar-xray-upheld", text);
}

#[test]
fn junit_snapshot_of_lumbar_xray_upheld() {
    let pack = pack();
    let (audits, summary) = audits(pack, vec![sample("lumbar-xray-upheld.txt")]);
    let bytes = render(Box::new(JunitReport::new()), &audits, &summary);
    insta::assert_snapshot!(
        "junit-lumbar-xray-upheld",
        String::from_utf8(bytes).unwrap()
    );
}

/// What a span shows comes from the finding's labels, made by the check that
/// found it. Two facts detected in the same words once made the renderers
/// name whichever criterion listed those words first; with no evaluations
/// at all, a label must still be rendered as it says.
#[test]
fn renderers_show_what_a_label_says_without_consulting_evaluations() {
    use imr_audit::eval::Evidence;
    use imr_audit::facts::{Region, Status};
    use imr_audit::finding::{Finding, Label, Role};

    let pack = pack();
    let source = Source::from_text("x.txt", "Locking and a positive McMurray test.\n");
    let words = source.span(14, 31);
    assert_eq!(source.slice(words), "positive McMurray");
    let evidence = Evidence {
        line: words.line,
        column: words.column,
        end_line: words.end_line,
        end_column: words.end_column,
        page: words.page,
        text: "positive McMurray".into(),
        region: Region::CaseSummary,
        context: Status::Affirmed,
        start: words.start,
        end: words.end,
    };
    let finding = Finding::new(Check::UnaddressedFact, Severity::Warning, "not weighed")
        .for_item(1)
        .at(source.span(0, 7))
        .with_label(Label::evidence("knee_positive_exam", &evidence));
    assert_eq!(finding.labels[1].role, Role::Evidence);
    let letter = imr_audit::letter::parse(&source);
    let audit = Audit {
        source,
        letter,
        evaluations: Vec::new(),
        findings: vec![finding],
    };

    let human = imr_audit::report::human::diagnostic(&audit, &audit.findings[0], false);
    assert!(human.contains("knee_positive_exam (affirmed)"), "{human}");

    let mut summary = Summary::default();
    summary.add(&audit);
    let sarif = sarif_of(pack, std::slice::from_ref(&audit), &summary);
    let related = &sarif["runs"][0]["results"][0]["relatedLocations"][0];
    assert_eq!(
        related["message"]["text"],
        "knee_positive_exam (affirmed): \"positive McMurray\""
    );

    let json = serde_json::to_value(&audit.findings[0]).unwrap();
    assert_eq!(json["spans"].as_array().unwrap().len(), 2);
    assert_eq!(json["labels"][0]["role"], "primary");
    assert_eq!(json["labels"][1]["role"], "evidence");
    assert_eq!(json["labels"][1]["fact"], "knee_positive_exam");
    assert_eq!(json["labels"][1]["context"], "affirmed");
}

/// The reports weigh criteria by walking each rule's tree beside the
/// evaluation's list of criteria; the walk must fit every rule it meets (it
/// falls back to the roles alone when it does not, which would lose the
/// deciding criteria). Every sample item, and every real letter's when the
/// shared letters are present.
#[test]
fn weighing_walks_every_rule_it_meets_and_agrees_with_the_evaluation() {
    use imr_audit::report::weigh::weigh;
    let pack = pack();
    let mut sources: Vec<Source> = sample_names().iter().map(|n| sample(n)).collect();
    if let Some(dir) = crate::util::real_letters() {
        sources.extend(
            crate::util::text_files(&dir)
                .iter()
                .map(|p| crate::util::read(p)),
        );
    }
    let mut weighed = 0;
    for source in sources {
        let a = audit(pack, source);
        for evaluation in &a.evaluations {
            if evaluation.rule.is_none() {
                continue;
            }
            let weighings = weigh(pack, evaluation).unwrap_or_else(|| {
                panic!(
                    "{} item {}: the rule's tree does not fit its criteria",
                    a.source.path().display(),
                    evaluation.index
                )
            });
            assert_eq!(weighings.len(), evaluation.criteria.len());
            // Something decided every determined outcome.
            if evaluation.verdict != Verdict::Undetermined {
                assert!(weighings.iter().any(|w| w.decisive), "{evaluation:?}");
            }
            weighed += 1;
        }
    }
    assert!(weighed >= 38, "{weighed} items weighed");
}

/// A SARIF artifact is the file: its length and SHA-256 are the file's
/// bytes, also when reading it changed them (CRLF, a curly apostrophe); then
/// regions give lines and columns (the file's) but no byte offsets, which
/// are the read text's.
#[test]
fn sarif_artifacts_describe_the_files_bytes() {
    use imr_audit::baseline::fingerprint::sha256_hex;
    let pack = pack();
    let plain = std::fs::read(root().join("samples/lumbar-xray-upheld.txt")).unwrap();
    // CRLF line endings, and a curly apostrophe in the first line.
    let changed = String::from_utf8(plain.clone())
        .unwrap()
        .replacen('\n', "\u{2019}\n", 1)
        .replace('\n', "\r\n")
        .into_bytes();
    for (bytes, verbatim) in [(plain, true), (changed, false)] {
        let source = Source::from_bytes("samples/x.txt", &bytes);
        assert_eq!(source.text().as_bytes() == bytes.as_slice(), verbatim);
        let (audits, summary) = audits(pack, vec![source]);
        let sarif = sarif_of(pack, &audits, &summary);
        let run = &sarif["runs"][0];
        let artifact = &run["artifacts"][0];
        assert_eq!(artifact["length"], bytes.len());
        assert_eq!(artifact["hashes"]["sha-256"], sha256_hex(&bytes));
        let regions: Vec<&Value> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["locations"][0]["physicalLocation"]["region"])
            .collect();
        assert!(!regions.is_empty(), "the sample has findings");
        for region in regions {
            assert!(region["startLine"].is_u64(), "{region}");
            assert_eq!(region["byteOffset"].is_u64(), verbatim, "{region}");
        }
    }
}
