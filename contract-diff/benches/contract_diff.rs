//! How long `contract-diff` takes to load and compare generated document
//! pairs: the graph shapes that made a path-by-path walk exponential, 20,000
//! operations, and a realistic document of about 950 KB against a lightly
//! edited copy.
//!
//! `CONTRACT_DIFF_BENCH_DOCUMENT=path/to/openapi.json` replaces the
//! generated large document with any real one (JSON or YAML), edited the
//! same way.

mod shapes;

use contract_diff::{compare, Document, Options, Profile};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;

/// The pair a real document makes with an edited copy of itself.
fn real_pair(path: &str) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let base: Value = serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut revision = base.clone();
    shapes::revise(&mut revision);
    (base.to_string(), revision.to_string())
}

fn bench(c: &mut Criterion) {
    let options = Options::with_profile(Profile::Codegen);
    let real = std::env::var("CONTRACT_DIFF_BENCH_DOCUMENT").ok();
    let pairs: Vec<(&str, String, (String, String))> = shapes::all()
        .into_iter()
        .map(|(name, base, revision)| match (&real, name) {
            (Some(path), "large_document") => (name, path.clone(), real_pair(path)),
            _ => (
                name,
                "generated".to_owned(),
                (base.to_string(), revision.to_string()),
            ),
        })
        .collect();

    let mut group = c.benchmark_group("contract_diff");
    group.sample_size(10);
    for (name, origin, (base_text, revision_text)) in &pairs {
        let load = |text: &str| Document::from_text(name, text).expect("the document loads");
        let found = compare(&load(base_text), &load(revision_text), &options).expect("compares");
        println!(
            "{name} ({origin}, {} + {} bytes): {} changes",
            base_text.len(),
            revision_text.len(),
            found.len()
        );
        group.bench_function(format!("{name}/load_and_compare"), |b| {
            b.iter(|| compare(&load(base_text), &load(revision_text), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
