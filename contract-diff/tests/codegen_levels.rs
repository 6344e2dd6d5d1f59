//! `--profile codegen` against the generated layer, where every type is
//! `#[non_exhaustive]` and every struct has `new(<required fields>)`:
//! additive changes report no `ERR`, and what changes a field or `new` does,
//! once, where it happened.

use contract_diff::{compare, Change, Document, Level, Options, Profile};
use serde_json::{json, Value};

/// One operation whose request body and 200 response are `schema`, with
/// `components` as the document's schemas.
fn document(schema: Value, components: Value) -> Document {
    let body = json!({"content": {"application/json": {"schema": schema}}});
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/invitations": {"post": {
            "operationId": "invite",
            "requestBody": body,
            "responses": {"200": {"description": "ok", "content": body["content"]}}
        }}},
        "components": {"schemas": components}
    });
    Document::from_text("doc", &doc.to_string()).expect("loads")
}

fn changes(base: &Document, revision: &Document, profile: Profile) -> Vec<Change> {
    compare(base, revision, &Options::with_profile(profile)).expect("compares")
}

fn invitation(extra: Value) -> Value {
    let mut properties = json!({"id": {"type": "string", "format": "uuid"}});
    for (name, schema) in extra.as_object().cloned().unwrap_or_default() {
        properties[name] = schema;
    }
    json!({"type": "object", "required": ["id"], "properties": properties})
}

#[test]
fn optional_properties_added_break_nothing() {
    let base = document(
        json!({"$ref": "#/components/schemas/Invitation"}),
        json!({"Invitation": invitation(json!({}))}),
    );
    let added = json!({
        "sentAt": {"type": "string", "format": "date-time"},
        "day": {"type": "string", "format": "date"},
        "inviter": {"type": "string", "format": "uuid"},
        "host": {"type": "string", "format": "ipv4"},
        "attempts": {"type": "integer", "format": "int32"},
        "score": {"type": "number", "format": "float"},
        "state": {"type": "string", "enum": ["pending", "accepted"]},
        "labels": {"type": "array", "items": {"type": "string"}},
        "meta": {"type": "object", "additionalProperties": {"type": "string"}},
        "note": {"type": "string", "nullable": true},
        "blob": {"type": "string", "format": "byte"},
    });
    let revision = document(
        json!({"$ref": "#/components/schemas/Invitation"}),
        json!({"Invitation": invitation(added)}),
    );
    let found = changes(&base, &revision, Profile::Codegen);
    assert!(
        found.iter().all(|change| change.level == Level::Info),
        "{found:#?}"
    );
    // Each property once in the request and once in the response.
    let count = |id: &str| found.iter().filter(|change| change.id == id).count();
    assert_eq!(count("new-optional-request-property"), 11, "{found:#?}");
    assert_eq!(count("response-optional-property-added"), 11, "{found:#?}");
    assert_eq!(found.len(), 22, "{found:#?}");
}

#[test]
fn an_enum_member_added_is_info_and_a_removed_one_err() {
    let state = |values: Value| json!({"State": {"type": "string", "enum": values}});
    let schema = json!({"$ref": "#/components/schemas/State"});
    let base = document(schema.clone(), state(json!(["pending", "accepted"])));
    let more = document(
        schema.clone(),
        state(json!(["pending", "accepted", "withdrawn"])),
    );
    let less = document(schema, state(json!(["pending"])));

    let added = changes(&base, &more, Profile::Codegen);
    let member = added
        .iter()
        .find(|change| change.id == "codegen-enum-member-added")
        .unwrap_or_else(|| panic!("{added:#?}"));
    assert_eq!(member.level, Level::Info);
    assert!(
        added
            .iter()
            .all(|change| change.level != Level::Err && !change.id.starts_with("codegen-type")),
        "{added:#?}"
    );

    let removed = changes(&base, &less, Profile::Codegen);
    assert!(
        removed
            .iter()
            .any(|change| change.id == "codegen-enum-member-removed" && change.level == Level::Err),
        "{removed:#?}"
    );
}

#[test]
fn a_format_change_is_reported_once_where_it_happened() {
    // Behind a property, so that the change is described from the component.
    let wrapped = json!({"type": "object", "properties": {
        "invitation": {"$ref": "#/components/schemas/Invitation"}
    }});
    let base = document(
        wrapped.clone(),
        json!({"Invitation": invitation(json!({"sentAt": {"type": "string"}}))}),
    );
    let revision = document(
        wrapped,
        json!({"Invitation": invitation(json!({"sentAt": {"type": "string", "format": "date-time"}}))}),
    );
    let found = changes(&base, &revision, Profile::Codegen);
    let codegen: Vec<&Change> = found
        .iter()
        .filter(|change| change.id.starts_with("codegen-"))
        .collect();
    // The request's wire rule says ERR already; the response's says INFO.
    assert_eq!(codegen.len(), 1, "{found:#?}");
    let change = codegen[0];
    assert_eq!(change.id, "codegen-type-changed");
    assert_eq!(change.level, Level::Err);
    assert_eq!(
        change.text,
        "schema 'Invitation' property 'sentAt': \
         generated type changes from String to chrono::DateTime<Utc>"
    );
    assert_eq!(
        change.location.as_deref(),
        Some("#/components/schemas/Invitation/properties/sentAt")
    );
    assert!(!changes(&base, &revision, Profile::Wire)
        .iter()
        .any(|change| change.id.starts_with("codegen-")),);
}

#[test]
fn a_removed_component_schema_is_reported_once_for_the_document() {
    let schema = json!({"$ref": "#/components/schemas/Invitation"});
    let base = document(
        schema.clone(),
        json!({"Invitation": invitation(json!({})), "Legacy": {"type": "string"}}),
    );
    let revision = document(schema, json!({"Invitation": invitation(json!({}))}));
    let found = changes(&base, &revision, Profile::Codegen);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].id, "codegen-schema-removed");
    assert_eq!(found[0].level, Level::Err);
    assert_eq!(found[0].operation, None);
    assert_eq!(
        found[0].text,
        "schema 'Legacy' removed: the generated type is removed"
    );
    assert_eq!(found[0].location.as_deref(), Some("#/components/schemas"));
    assert!(changes(&base, &revision, Profile::Wire).is_empty());
}
