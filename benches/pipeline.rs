//! Benchmarks of the pipeline stages on the sample letters: parsing, the
//! one-pass fact scan, and the whole audit of a letter. Whole-process runs
//! over a generated corpus are described in docs/PERFORMANCE.md.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imr_audit::facts::Region;
use imr_audit::rules::Pack;
use imr_audit::source::Source;

fn samples() -> Vec<Source> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples/ exists")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| imr_audit::input::read(p).expect("sample is readable"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let sources = samples();
    let bytes: u64 = sources.iter().map(|s| s.text().len() as u64).sum();
    let pack = Pack::load(&[] as &[&Path]).expect("the embedded pack loads");

    let mut group = c.benchmark_group("samples");
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
    group.bench_function("audit", |b| {
        b.iter(|| {
            sources
                .iter()
                .map(|s| imr_audit::audit::audit(&pack, s.clone()).findings.len())
                .sum::<usize>()
        })
    });
    group.finish();

    c.bench_function("load-embedded-pack", |b| {
        b.iter(|| Pack::load(&[] as &[&Path]).map(|p| p.rules.len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
