//! How long `contract-diff` takes on a real, large document: the Oxide
//! Nexus API (313 operations, 467 schemas), read from
//! `../shared/reference/large/nexus.json` (never copied into this repository),
//! against an in-memory copy with a few dozen changes.
//!
//! The revision is also written to the system temp directory, so that a peer
//! tool can be timed on exactly the same pair.

use std::path::Path;

use contract_diff::{compare, Document, Options, Profile};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

const NEXUS: &str = "../shared/reference/large/nexus.json";

/// Every `step`-th item of `items`, in order.
fn every<T: Clone>(items: &[T], step: usize, count: usize) -> Vec<T> {
    items.iter().step_by(step).take(count).cloned().collect()
}

/// Applies 44 changes of the kinds a real revision has; returns how many
/// were applied.
fn revise(doc: &mut Value) -> usize {
    let mut applied = 0;
    let operations: Vec<(String, String)> = doc["paths"]
        .as_object()
        .map(|paths| {
            paths
                .iter()
                .flat_map(|(path, item)| {
                    let methods = item
                        .as_object()
                        .map(|m| m.keys().cloned().collect::<Vec<_>>())
                        .unwrap_or_default();
                    methods
                        .into_iter()
                        .filter(|m| ["get", "put", "post", "delete", "patch"].contains(&m.as_str()))
                        .map(move |m| (path.clone(), m))
                })
                .collect()
        })
        .unwrap_or_default();
    let picks = every(&operations, 13, 20);
    for (index, (path, method)) in picks.iter().enumerate() {
        let item = &mut doc["paths"][path.as_str()];
        match index % 5 {
            0 => {
                if let Some(item) = item.as_object_mut() {
                    item.remove(method.as_str());
                }
            }
            1 => item[method.as_str()]["deprecated"] = json!(true),
            2 => item[method.as_str()]["operationId"] = json!(format!("renamed_{index}")),
            3 => {
                let parameters = &mut item[method.as_str()]["parameters"];
                if !parameters.is_array() {
                    *parameters = json!([]);
                }
                if let Some(list) = parameters.as_array_mut() {
                    list.push(json!({"name": "tenant", "in": "query", "required": true, "schema": {"type": "string"}}));
                }
            }
            _ => {
                if let Some(responses) = item[method.as_str()]["responses"].as_object_mut() {
                    responses.remove("4XX");
                }
            }
        }
        applied += 1;
    }

    let schemas = doc["components"]["schemas"]
        .as_object_mut()
        .expect("components.schemas");
    let objects: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| s["properties"].as_object().is_some_and(|p| !p.is_empty()))
        .map(|(name, _)| name.clone())
        .collect();
    let enums: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| s["enum"].as_array().is_some_and(|e| e.len() > 1))
        .map(|(name, _)| name.clone())
        .collect();
    for (index, name) in every(&objects, 17, 16).iter().enumerate() {
        let schema = &mut schemas[name.as_str()];
        let first = schema["properties"]
            .as_object()
            .and_then(|p| p.keys().next().cloned())
            .unwrap_or_default();
        match index % 3 {
            0 => {
                schema["properties"]["addedField"] = json!({"type": "string"});
                let required = &mut schema["required"];
                if !required.is_array() {
                    *required = json!([]);
                }
                if let Some(list) = required.as_array_mut() {
                    list.push(json!("addedField"));
                }
            }
            1 => {
                if let Some(properties) = schema["properties"].as_object_mut() {
                    properties.remove(&first);
                }
            }
            _ => schema["properties"][first.as_str()]["nullable"] = json!(true),
        }
        applied += 1;
    }
    for (index, name) in every(&enums, 3, 8).iter().enumerate() {
        if let Some(values) = schemas[name.as_str()]["enum"].as_array_mut() {
            if index % 2 == 0 {
                values.push(json!("added_value"));
            } else {
                values.pop();
            }
            applied += 1;
        }
    }
    applied
}

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(NEXUS);
    let Ok(base_text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} not found", path.display());
        return;
    };
    let mut revised: Value = serde_json::from_str(&base_text).expect("nexus.json is JSON");
    let applied = revise(&mut revised);
    let revision_text = serde_json::to_string_pretty(&revised).expect("serializable");
    let revision_path = std::env::temp_dir().join("contract-diff-bench-nexus-revision.json");
    std::fs::write(&revision_path, &revision_text).expect("the revision is written");

    let base = Document::from_text("nexus.json", &base_text).expect("nexus.json loads");
    let revision = Document::from_text("revision", &revision_text).expect("the revision loads");
    let options = Options::with_profile(Profile::Codegen);
    let found = compare(&base, &revision, &options);
    println!(
        "{applied} edits -> {} changes; revision written to {}",
        found.len(),
        revision_path.display()
    );

    let mut group = c.benchmark_group("contract_diff_nexus");
    group.sample_size(20);
    group.bench_function("compare", |b| {
        b.iter(|| compare(&base, &revision, &options))
    });
    group.bench_function("load_and_compare", |b| {
        b.iter(|| {
            let base = Document::from_text("nexus.json", &base_text).expect("loads");
            let revision = Document::from_text("revision", &revision_text).expect("loads");
            compare(&base, &revision, &options)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
