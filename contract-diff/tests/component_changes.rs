//! A change in a component schema is one change, at the component, however
//! many operations reach it: the operations are listed, not the change repeated.

#[path = "../benches/shapes/mod.rs"]
#[allow(dead_code)]
mod shapes;

use contract_diff::ignore::IgnoreList;
use contract_diff::report::{Format, Overrides, Report, Selection};
use contract_diff::{compare, Change, Document, Options};
use serde_json::Value;

/// The changes of a release whose `Metadata` component, embedded by every
/// one of `count` operations, changed four ways.
fn changes(count: usize) -> Vec<Change> {
    let (base, revision) = shapes::shared_release(count);
    let load = |name: &str, doc: Value| Document::from_text(name, &doc.to_string()).expect("loads");
    compare(
        &load("base", base),
        &load("revision", revision),
        &Options::default(),
    )
    .expect("compared")
}

/// The change of `Metadata`'s `revision` property type, seen by responses.
fn type_change(changes: &[Change]) -> &Change {
    changes
        .iter()
        .find(|change| change.id == "response-property-type-changed")
        .expect("the type change")
}

#[test]
fn a_component_change_is_one_change_listing_every_operation_it_reaches() {
    let found = changes(40);
    assert_eq!(found.len(), 7, "{found:#?}");
    for change in &found {
        assert!(
            change.text.starts_with("schema 'Metadata' property '"),
            "{change:#?}"
        );
        assert_eq!(change.operations.len(), 40);
        assert_eq!(change.operation.as_ref(), change.operations.first());
        let ids: Vec<_> = (change.operations.iter())
            .filter_map(|op| op.operation_id.clone())
            .collect();
        assert_eq!(ids[..2], ["putResource0", "putResource1"]);
    }
    let change = type_change(&found);
    assert_eq!(
        change.text,
        "schema 'Metadata' property 'revision': type/format changed from 'integer' to 'string'"
    );
    assert_eq!(
        change.location.as_deref(),
        Some("#/components/schemas/Metadata/properties/revision/type")
    );
}

fn report(changes: Vec<Change>, ignore: &str) -> Report {
    let ignore = IgnoreList::parse(ignore).expect("an ignore file");
    Report::new(
        "base",
        "revision",
        changes,
        Selection::Changelog,
        &Overrides::default(),
        &ignore,
    )
}

#[test]
fn every_format_counts_the_operations_a_component_change_reaches() {
    let report = report(changes(12), "");
    let text = report.render(Format::Text);
    assert!(
        text.contains("ERR  [response-property-type-changed] PUT /resources0 and 11 more operations: schema 'Metadata' property 'revision'"),
        "{text}"
    );
    // A header, seven changes, a summary.
    assert_eq!(text.lines().count(), 9, "{text}");
    let markdown = report.render(Format::Markdown);
    assert!(
        markdown.contains("| PUT /resources0 and 11 more operations |"),
        "{markdown}"
    );
    let annotations = report.render(Format::GithubActions);
    assert!(
        annotations.contains("::PUT /resources0 and 11 more operations: schema 'Metadata'"),
        "{annotations}"
    );
    let json: Value = serde_json::from_str(&report.render(Format::Json)).expect("JSON");
    let operations = json["changes"][0]["operations"].as_array().expect("a list");
    assert_eq!(operations.len(), 12);
    assert_eq!(operations[11]["operationId"], "putResource11");
}

#[test]
fn an_ignore_entry_accepts_a_component_change_only_for_every_operation_it_reaches() {
    let rule = "response-property-type-changed";
    let one = format!("putResource0 {rule} revised on purpose");
    assert_eq!(report(changes(3), &one).ignored, 0);
    let all: String = (0..3)
        .map(|i| format!("putResource{i} {rule} revised on purpose\n"))
        .collect();
    assert_eq!(report(changes(3), &all).ignored, 1);
    let any = format!("* {rule} revised on purpose");
    let report = report(changes(3), &any);
    assert_eq!(report.ignored, 1);
    assert!(report.changes.iter().all(|change| change.id != rule));
}

#[test]
fn a_component_reached_as_a_body_and_as_array_items_is_still_one_change() {
    let document = |required: Value| {
        let pet = |schema: Value| {
            serde_json::json!({"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": schema}}}}})
        };
        let reference = serde_json::json!({"$ref": "#/components/schemas/Pet"});
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "pets", "version": "1"},
            "paths": {
                "/pets": {"get": pet(serde_json::json!({"type": "array", "items": reference}))},
                "/pets/{id}": {"get": pet(reference)},
            },
            "components": {"schemas": {"Pet": {"type": "object", "required": required,
                "properties": {"name": {"type": "string"}}}}},
        });
        Document::from_text("doc", &doc.to_string()).expect("loads")
    };
    let found = compare(
        &document(serde_json::json!(["name"])),
        &document(serde_json::json!([])),
        &Options::default(),
    )
    .expect("compared");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].operations.len(), 2);
}
