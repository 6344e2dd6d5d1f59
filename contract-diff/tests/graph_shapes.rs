//! Schema graphs that a path-by-path walk could not finish: each revision
//! makes one real change, and each is reported exactly once.

#[path = "../benches/shapes/mod.rs"]
#[allow(dead_code)]
mod shapes;

use contract_diff::{compare, Document, Options, Profile};
use serde_json::Value;

fn ids(base: &Value, revision: &Value) -> Vec<String> {
    let load = |name: &str, doc: &Value| {
        Document::from_text(name, &doc.to_string()).expect("a generated document loads")
    };
    compare(
        &load("base", base),
        &load("revision", revision),
        &Options::with_profile(Profile::Wire),
    )
    .expect("the nesting is within the limit")
    .into_iter()
    .map(|change| format!("{} {}", change.id, change.text))
    .collect()
}

fn assert_one(pair: (Value, Value), id: &str) {
    let found = ids(&pair.0, &pair.1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with(id), "{found:#?}");
}

#[test]
fn deeply_nested_one_of_reports_its_one_change() {
    assert_one(shapes::nested_one_of(40), "response-property-type-changed");
}

#[test]
fn a_ring_of_references_reports_its_one_change() {
    assert_one(shapes::ring(24), "response-property-type-changed");
}

#[test]
fn an_expandable_graph_reports_its_one_change() {
    assert_one(shapes::expandable(36), "response-property-enum-value-added");
}

#[test]
fn a_dag_reports_a_shared_leaf_once_not_once_per_path() {
    let found = ids(&shapes::fan_out_dag(12).0, &shapes::fan_out_dag(12).1);
    assert_eq!(
        found,
        ["response-property-type-changed schema 'D12' property 'leaf': type/format changed from 'string' to 'boolean'"]
    );
}

#[test]
fn shared_components_report_once_per_operation() {
    let (base, revision) = shapes::many_paths(1_000);
    let found = ids(&base, &revision);
    // Every 500th operation's query parameter became required: two of 1,000.
    // (The components' lower maxLength narrows responses: not a change.)
    assert_eq!(
        found
            .iter()
            .filter(|line| line.starts_with("request-parameter-became-required"))
            .count(),
        2,
        "{found:#?}"
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_refused_not_cut_short() {
    let (base, revision) = shapes::nested_one_of(2_100);
    let load = |doc: &Value| Document::from_text("deep", &doc.to_string()).expect("loads");
    let error = compare(&load(&base), &load(&revision), &Options::default())
        .expect_err("too deep to compare");
    assert_eq!(
        error.to_string(),
        "schemas nest more than 2000 levels deep in GET /things0"
    );
}

#[test]
fn a_release_changing_a_component_that_every_operation_reaches_is_a_handful_of_changes() {
    let (base, revision) = shapes::shared_release(300);
    let found = ids(&base, &revision);
    // Four edits of `Metadata`, each seen by requests and responses: one
    // change per rule, whatever the 300 operations that reach it.
    let expected = [
        "request-property-type-changed schema 'Metadata' property 'revision'",
        "response-property-type-changed schema 'Metadata' property 'revision'",
        "request-property-enum-value-removed schema 'Metadata' property 'state'",
        "response-property-enum-value-removed schema 'Metadata' property 'state'",
        "request-property-max-decreased schema 'Metadata' property 'score'",
        "request-property-removed schema 'Metadata' property 'note'",
        "response-optional-property-removed schema 'Metadata' property 'note'",
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for prefix in expected {
        assert!(
            found.iter().any(|line| line.starts_with(prefix)),
            "{prefix} in {found:#?}"
        );
    }
}
