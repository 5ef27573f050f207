//! `parse --format human`: a readable outline of what was read from each
//! letter, its items drawn from the same [`ItemView`](super::view::ItemView)
//! as `check`'s reports.

use std::fmt::Write;

use crate::letter::{Citation, EntryKind, Letter};
use crate::report::document::date_text;
use crate::report::view::parsed_items;
use crate::source::Source;

pub fn outline(source: &Source, letter: &Letter) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  [{} layout]  {}",
        source.path().display(),
        letter.layout,
        letter
            .case_number
            .as_ref()
            .map_or("no case number", |c| c.value.as_str())
    );
    let d = &letter.dates;
    let dates: Vec<String> = [
        ("assigned", &d.assigned),
        ("decided", &d.decision),
        ("injury", &d.injury),
        ("UR denial", &d.ur_denial),
        ("application", &d.application_received),
    ]
    .into_iter()
    .filter_map(|(name, date)| {
        date.as_ref()
            .map(|date| format!("{name} {}", date_text(date)))
    })
    .collect();
    if !dates.is_empty() {
        let _ = writeln!(out, "  dates: {}", dates.join(" · "));
    }
    let p = &letter.patient;
    let age = p
        .age
        .as_ref()
        .map_or("age ?".to_owned(), |a| format!("age {}", a.value));
    let sex = p
        .sex
        .as_ref()
        .map_or("sex ?".to_owned(), |s| s.value.to_string());
    let _ = writeln!(out, "  patient: {age}, {sex}");
    let states: Vec<&str> = letter
        .reviewer
        .licensure
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    let specialties: Vec<&str> = letter
        .reviewer
        .specialties
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    let _ = writeln!(
        out,
        "  reviewer: licensed in {} · {}",
        list(&states),
        list(&specialties)
    );
    if let Some(summary) = &letter.case_summary {
        let _ = writeln!(
            out,
            "  case summary: lines {}-{}",
            summary.span.line, summary.span.end_line
        );
    }
    for view in parsed_items(letter) {
        let decision = view.decision.map_or("NO DECISION".to_owned(), |d| {
            d.value.to_string().to_uppercase()
        });
        let _ = writeln!(
            out,
            "  {}. {} — {} (line {})",
            view.index, view.request, decision, view.item.request.raw.span.line
        );
        if let Some(original) = view.original {
            let _ = writeln!(out, "     original request: {original}");
        }
        if let Some(authorized) = view.authorized {
            let _ = writeln!(out, "     authorized: {authorized}");
        }
        let citations = &view.item.citations;
        citation(
            &mut out,
            "claims administrator",
            citations.claims_administrator.as_ref(),
        );
        citation(&mut out, "reviewer", citations.reviewer.as_ref());
        if let Some(r) = &view.item.rationale {
            let concl = r
                .conclusion
                .as_ref()
                .map_or("states no conclusion".to_owned(), |c| {
                    format!("concludes {} (line {})", c.value.wording(), c.span.line)
                });
            let _ = writeln!(
                out,
                "     rationale: lines {}-{}, {concl}",
                r.span.line, r.span.end_line
            );
        }
    }
    for f in &letter.findings {
        let at = f
            .primary()
            .map_or(String::new(), |s| format!(" at {}:{}", s.line, s.column));
        let _ = writeln!(out, "  {}[{}]{at}: {}", f.severity, f.check, f.message);
    }
    out
}

fn list(values: &[&str]) -> String {
    if values.is_empty() {
        "?".to_owned()
    } else {
        values.join(", ")
    }
}

fn citation(out: &mut String, who: &str, citation: Option<&Citation>) {
    let Some(c) = citation else {
        let _ = writeln!(out, "     {who}: (none)");
        return;
    };
    let _ = writeln!(out, "     {who}: {}", c.raw);
    for e in &c.entries {
        let what = match e.kind {
            EntryKind::Mtus => format!(
                "MTUS {}{}{}",
                e.document.as_deref().unwrap_or("?"),
                e.year.map_or(String::new(), |y| format!(" {y}")),
                if e.sections.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", e.sections.join(" | "))
                }
            ),
            EntryKind::NonMtus => format!("non-MTUS {}", e.text),
            EntryKind::NoEvidence => "no medical evidence cited".to_owned(),
        };
        let key = e
            .key
            .as_deref()
            .map_or(String::new(), |k| format!("  → {k}"));
        let _ = writeln!(out, "       - {what}{key}");
    }
}
