//! Union members are named the way the document names them: by their
//! component, else their title; a position only when they have neither.

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
        {"type": "array", "items": {"type": "integer"}}
    ]));
    let texts: Vec<String> = compare(&base, &revision, &Options::default())
        .expect("compares")
        .into_iter()
        .map(|change| change.text)
        .collect();
    for member in ["'Cat'", "'Dog'", "'#3'"] {
        assert!(
            texts
                .iter()
                .any(|text| text.contains(&format!("oneOf member {member} added"))),
            "{member} in {texts:#?}"
        );
    }
}
