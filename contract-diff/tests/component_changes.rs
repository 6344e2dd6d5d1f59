//! A change in a component schema is one change, at the component, however
//! many operations reach it: the operations are listed, not the change repeated.

use contract_diff::ignore::IgnoreList;
use contract_diff::report::{Format, Overrides, Report, Selection};
use contract_diff::{compare, Change, Document, Options};
use serde_json::{json, Value};

/// `count` operations whose request and response bodies are `Pet`.
fn document(count: usize, name_type: &str) -> Value {
    let body =
        json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}});
    let mut paths = serde_json::Map::new();
    for index in 0..count {
        let mut response = body.clone();
        response["description"] = json!("ok");
        paths.insert(
            format!("/pets{index}"),
            json!({"post": {
                "operationId": format!("createPet{index}"),
                "requestBody": body,
                "responses": {"200": response},
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "pets", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Pet": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": name_type}},
        }}},
    })
}

fn changes(count: usize) -> Vec<Change> {
    let load = |name: &str, doc: Value| Document::from_text(name, &doc.to_string()).expect("loads");
    let (base, revision) = (
        load("base", document(count, "string")),
        load("revision", document(count, "boolean")),
    );
    compare(&base, &revision, &Options::default()).expect("compared")
}

#[test]
fn a_component_change_is_one_change_listing_every_operation_it_reaches() {
    let found = changes(40);
    let ids: Vec<&str> = found.iter().map(|change| change.id).collect();
    assert_eq!(
        ids,
        [
            "request-property-type-changed",
            "response-property-type-changed"
        ],
        "{found:#?}"
    );
    for change in &found {
        assert_eq!(
            change.text,
            "schema 'Pet' property 'name': type/format changed from 'string' to 'boolean'"
        );
        assert_eq!(
            change.location.as_deref(),
            Some("#/components/schemas/Pet/properties/name/type")
        );
        assert_eq!(change.operations.len(), 40);
        assert_eq!(change.operation.as_ref(), change.operations.first());
        let ids: Vec<_> = change
            .operations
            .iter()
            .filter_map(|op| op.operation_id.clone())
            .collect();
        assert_eq!(ids[..2], ["createPet0", "createPet1"]);
    }
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
        text.contains("ERR  [response-property-type-changed] POST /pets0 and 11 more operations: schema 'Pet' property 'name'"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 4, "{text}");
    let markdown = report.render(Format::Markdown);
    assert!(
        markdown.contains("| POST /pets0 and 11 more operations |"),
        "{markdown}"
    );
    let annotations = report.render(Format::GithubActions);
    assert!(
        annotations.contains("::POST /pets0 and 11 more operations: schema 'Pet'"),
        "{annotations}"
    );
    let json: Value = serde_json::from_str(&report.render(Format::Json)).expect("JSON");
    let operations = json["changes"][0]["operations"].as_array().expect("a list");
    assert_eq!(operations.len(), 12);
    assert_eq!(operations[11]["operationId"], "createPet11");
}

#[test]
fn an_ignore_entry_accepts_a_component_change_only_for_every_operation_it_reaches() {
    let one = "createPet0 response-property-type-changed renamed on purpose";
    assert_eq!(report(changes(3), one).ignored, 0);
    let all = (0..3)
        .map(|i| format!("createPet{i} response-property-type-changed renamed on purpose\n"))
        .collect::<String>();
    assert_eq!(report(changes(3), &all).ignored, 1);
    let any = "* response-property-type-changed renamed on purpose";
    assert_eq!(report(changes(3), any).ignored, 1);
}
