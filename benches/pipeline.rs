//! Benchmarks of the pipeline stages on distinct real letters (read from
//! `../shared/letters/real` at bench time; `IMR_LETTERS` names another
//! folder) and on samples/: parsing, the fact scan, evaluation, the checks,
//! each report format, and loading the embedded pack. When the real letters
//! are absent only samples/ is measured. Whole-process figures come from
//! bench/whole-process.sh (docs/PERFORMANCE.md).

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imr_audit::cli::CheckFormat;
use imr_audit::facts::Region;
use imr_audit::report::summary::Summary;
use imr_audit::report::{HumanOptions, PackOrigin, reporter};
use imr_audit::rules::Pack;
use imr_audit::source::Source;

fn letters(dir: &Path) -> Vec<Source> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| imr_audit::input::read(p).ok())
        .collect()
}

fn corpus(c: &mut Criterion, pack: &Pack, name: &str, sources: &[Source]) {
    if sources.is_empty() {
        // A benchmark binary reports on stderr; the library never prints.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{name}: no letters found, skipped");
        }
        return;
    }
    let bytes: u64 = sources.iter().map(|s| s.text().len() as u64).sum();
    let letters: Vec<_> = sources.iter().map(imr_audit::letter::parse).collect();
    let evaluations: Vec<_> = sources
        .iter()
        .zip(&letters)
        .map(|(s, l)| imr_audit::eval::evaluate(pack, s, l))
        .collect();
    let audits: Vec<_> = sources
        .iter()
        .map(|s| imr_audit::audit::audit(pack, s.clone()))
        .collect();
    let mut summary = Summary::default();
    for audit in &audits {
        summary.add(audit);
    }

    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse", |b| {
        b.iter(|| {
            sources
                .iter()
                .map(|s| imr_audit::letter::parse(s).items.len())
                .sum::<usize>()
        })
    });
    group.bench_function("scan-facts", |b| {
        b.iter(|| {
            sources
                .iter()
                .map(|s| {
                    pack.scanner
                        .scan(s, 0..s.text().len(), Region::CaseSummary)
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("evaluate", |b| {
        b.iter(|| {
            sources
                .iter()
                .zip(&letters)
                .map(|(s, l)| imr_audit::eval::evaluate(pack, s, l).len())
                .sum::<usize>()
        })
    });
    group.bench_function("checks", |b| {
        b.iter(|| {
            sources
                .iter()
                .zip(&letters)
                .zip(&evaluations)
                .map(|((s, l), e)| imr_audit::checks::run(pack, s, l, e).len())
                .sum::<usize>()
        })
    });
    group.bench_function("audit", |b| {
        b.iter(|| {
            sources
                .iter()
                .map(|s| imr_audit::audit::audit(pack, s.clone()).findings.len())
                .sum::<usize>()
        })
    });
    let origin = PackOrigin::of(pack, &[]);
    for format in CheckFormat::value_variants() {
        let label = format!("report-{}", format.to_possible_value().unwrap().get_name());
        group.bench_function(label, |b| {
            b.iter(|| {
                let r = reporter(*format, pack, &origin, HumanOptions::default());
                imr_audit::report::render(r, &audits, &summary).len()
            })
        });
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pack = Pack::load(&[] as &[&Path]).expect("the embedded pack loads");
    let real = std::env::var_os("IMR_LETTERS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/letters/real"));
    corpus(c, &pack, "real", &letters(&real));
    corpus(c, &pack, "samples", &letters(&root.join("samples")));

    c.bench_function("load-embedded-pack", |b| {
        b.iter(|| Pack::load(&[] as &[&Path]).map(|p| p.rules.len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
