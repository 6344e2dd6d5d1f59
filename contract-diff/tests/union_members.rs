//! Union members are named the way the document names them: by their
//! component, else their title, else their type; a position only when they
//! have none. A member replaced by another schema is one change, where it was.

use contract_diff::{compare, Document, Options};
use serde_json::{json, Value};

fn document(one_of: Value) -> Document {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"get": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"oneOf": one_of}}}
        }}}}},
        "components": {"schemas": {"Cat": {"type": "object", "properties": {"purrs": {"type": "boolean"}}}}}
    });
    Document::from_text("doc", &doc.to_string()).expect("loads")
}

#[test]
fn added_members_are_named_by_component_or_title() {
    let base = document(json!([{"type": "string"}]));
    let revision = document(json!([
        {"type": "string"},
        {"$ref": "#/components/schemas/Cat"},
        {"title": "Dog", "type": "object", "properties": {"barks": {"type": "boolean"}}},
        {"type": "array", "items": {"type": "integer"}},
        {"not": {"type": "string"}}
    ]));
    let texts: Vec<String> = compare(&base, &revision, &Options::default())
        .expect("compares")
        .into_iter()
        .map(|change| change.text)
        .collect();
    for member in ["'Cat'", "'Dog'", "'array'", "'#4'"] {
        assert!(
            texts
                .iter()
                .any(|text| text.contains(&format!("oneOf member {member} added"))),
            "{member} in {texts:#?}"
        );
    }
}

fn texts(base: &Document, revision: &Document) -> Vec<String> {
    compare(base, revision, &Options::default())
        .expect("compares")
        .into_iter()
        .map(|change| format!("{} {}", change.id, change.text))
        .collect()
}

#[test]
fn a_type_that_became_a_union_is_named_by_its_members() {
    let base = document(json!([{"type": "object", "properties": {"p": {"type": "string"}}}]));
    let revision = document(json!([{"type": "object", "properties": {"p": {
        "anyOf": [{"type": "string", "maxLength": 10}, {"$ref": "#/components/schemas/Cat"}]
    }}}]));
    assert_eq!(
        texts(&base, &revision),
        [
            // A response bound that returns fewer values is no change.
            "response-property-any-of-added response 200 (application/json) property 'oneOf[object]/p': 'string' became the anyOf 'string | Cat'",
        ]
    );
}

#[test]
fn a_member_replaced_by_another_schema_is_one_change_where_it_was() {
    let referring_to = |member: &str, strict: Value| {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/pets": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"anyOf": [
                    {"type": "string"}, {"$ref": format!("#/components/schemas/{member}")}
                ]}}}},
                "responses": {"200": {"description": "ok"}}
            }}},
            "components": {"schemas": {
                "Dog": {"type": "object", "properties": {"id": {"type": "string"}}},
                "StrictDog": {"type": "object", "required": strict, "properties": {"id": {"type": "string"}}},
            }}
        });
        Document::from_text("doc", &doc.to_string()).expect("loads")
    };
    let base = referring_to("Dog", json!([]));
    assert_eq!(
        texts(&base, &referring_to("StrictDog", json!(["id"]))),
        ["request-body-any-of-removed request body (application/json): anyOf member 'Dog' replaced by 'StrictDog', narrowed: it reads fewer values"]
    );
    assert_eq!(
        texts(&base, &referring_to("StrictDog", json!([]))),
        ["request-body-any-of-added request body (application/json): anyOf member 'Dog' replaced by 'StrictDog', widened: it reads every value the old one did"]
    );
}
