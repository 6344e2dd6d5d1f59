//! The document and the generated types agree:
//! - every example of the document deserializes into the generated type of
//!   its schema and serializes back to equal JSON;
//! - the JSON Schema that schemars derives from the generated request,
//!   response and error types has, for every component schema of the
//!   document, the same property names, required sets, enum members and
//!   types (integer formats included); a mismatch fails with one readable
//!   line per difference.

#[allow(dead_code)]
#[path = "support/example.rs"]
mod example;
mod external;
/// How the build reads Graph's idioms, so that the comparison reads them alike.
#[allow(dead_code)]
#[path = "../build/idioms.rs"]
mod idioms;

use std::collections::{BTreeMap, BTreeSet};

use external::{document, examples, Example};
use linkedin_invitations::generated::types;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Deserializes `example` into `T` and serializes it back: equal JSON, the
/// document's defaults filled in (a generated type always sends them).
fn round_trip<T: DeserializeOwned + Serialize>(example: &Example) -> Result<(), String> {
    let schema = json!({ "$ref": format!("#/components/schemas/{}", example.schema) });
    let expected = example::with_defaults(&document(), &schema, &example.value);
    let type_name = std::any::type_name::<T>();
    let typed: T = serde_json::from_value(example.value.clone()).map_err(|e| {
        format!(
            "{}: does not deserialize into {type_name}: {e}",
            example.location
        )
    })?;
    let back = serde_json::to_value(&typed)
        .map_err(|e| format!("{}: {type_name} does not serialize: {e}", example.location))?;
    if back == expected {
        Ok(())
    } else {
        Err(format!(
            "{}: {type_name} serializes back to other JSON\n    document:  {expected}\n    generated: {back}",
            example.location
        ))
    }
}

/// The generated type of a component schema.
fn round_trip_as_component(example: &Example) -> Result<(), String> {
    match example.schema.as_str() {
        "InviteeClosingInvitationRequest" => {
            round_trip::<types::InviteeClosingInvitationRequest>(example)
        }
        "InviteActionData" => round_trip::<types::InviteActionData>(example),
        "InviteeActionType" => round_trip::<types::InviteeActionType>(example),
        "InviteeClosingInvitationResponse" => {
            round_trip::<types::InviteeClosingInvitationResponse>(example)
        }
        "InviteActionResults" => round_trip::<types::InviteActionResults>(example),
        "InviteActionStatus" => round_trip::<types::InviteActionStatus>(example),
        "ODataError" => round_trip::<types::ODataError>(example),
        "MainError" => round_trip::<types::MainError>(example),
        "InnerError" => round_trip::<types::InnerError>(example),
        other => Err(format!(
            "{}: no generated type is mapped for the schema {other}: add it to tests/round_trip.rs",
            example.location
        )),
    }
}

/// The `example`s of the component schemas themselves.
fn component_examples(document: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    for (name, schema) in document["components"]["schemas"]
        .as_object()
        .expect("component schemas")
    {
        if let Some(value) = schema.get("example") {
            found.push(Example {
                location: format!("components.schemas.{name}.example"),
                status: String::new(),
                name: "example".into(),
                schema: name.clone(),
                value: value.clone(),
            });
        }
    }
    found
}

#[test]
fn every_example_round_trips_through_the_generated_types() {
    let document = document();
    let mut all = examples(&document);
    all.extend(component_examples(&document));
    // Two request, two success and two error examples (the error response is
    // shared by 4XX and 5XX) at the time of writing; fewer means the walk broke.
    assert!(
        all.len() >= 8,
        "only {} examples found: {all:#?}",
        all.len()
    );

    let failures: Vec<String> = all
        .iter()
        .filter_map(|e| round_trip_as_component(e).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} examples do not round-trip:\n  - {}",
        failures.len(),
        all.len(),
        failures.join("\n  - ")
    );
}

/// The schemas schemars derives from the generated types, by type name:
/// the roots and every definition they reach.
fn generated_schemas() -> Map<String, Value> {
    let roots = [
        serde_json::to_value(schemars::schema_for!(
            types::InviteeClosingInvitationRequest
        )),
        serde_json::to_value(schemars::schema_for!(
            types::InviteeClosingInvitationResponse
        )),
        serde_json::to_value(schemars::schema_for!(types::ODataError)),
    ];
    let mut schemas = Map::new();
    for root in roots {
        let mut root = root.expect("a JSON schema");
        let root = root.as_object_mut().expect("a schema object");
        if let Some(Value::Object(definitions)) = root.remove("definitions") {
            schemas.extend(definitions);
        }
        root.remove("$schema");
        let title = root["title"].as_str().expect("a titled root").to_owned();
        schemas.insert(title, Value::Object(root.clone()));
    }
    schemas
}

/// A schema with `$ref`s followed, wrappers (`allOf` of one, `anyOf`/`oneOf`
/// with `null`) unwrapped and an `allOf` of several parts merged: the
/// component it names, if any, and its body.
fn unwrap(schema: &Value, schemas: &Map<String, Value>) -> (Option<String>, Value) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        let target = schemas.get(name).unwrap_or(&Value::Null);
        let (_, body) = unwrap(target, schemas);
        return (Some(name.to_owned()), body);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(parts) = schema.get(key).and_then(Value::as_array) {
            let not_null: Vec<&Value> = parts.iter().filter(|p| !stands_for_null(p)).collect();
            if let [only] = not_null.as_slice() {
                return unwrap(only, schemas);
            }
            if key == "allOf" {
                return (None, merged(&not_null, schemas));
            }
        }
    }
    (None, schema.clone())
}

/// `{type: null}`, or Graph's `{type: object, nullable: true}` beside a
/// reference: the part of a union that only admits `null`.
fn stands_for_null(part: &Value) -> bool {
    part.get("type") == Some(&json!("null")) || idioms::is_null_placeholder(part)
}

/// An `allOf` of several parts (Graph's derived type) as the one object
/// typify generates for it: every part's properties and required names.
fn merged(parts: &[&Value], schemas: &Map<String, Value>) -> Value {
    let (mut properties, mut required, mut kind) = (Map::new(), Vec::new(), None);
    for part in parts {
        let (_, body) = unwrap(part, schemas);
        if let Some(own) = body.get("properties").and_then(Value::as_object) {
            properties.extend(own.clone());
        }
        if let Some(own) = body.get("required").and_then(Value::as_array) {
            required.extend(own.iter().cloned());
        }
        kind = kind.or_else(|| body.get("type").cloned());
    }
    json!({"type": kind, "properties": properties, "required": required})
}

/// The JSON types a schema allows, `null` aside.
fn types_of(schema: &Value) -> BTreeSet<String> {
    match schema.get("type") {
        Some(Value::String(t)) => [t.clone()].into(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .map(str::to_owned)
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn string_set(value: Option<&Value>) -> Option<BTreeSet<String>> {
    value.and_then(Value::as_array).map(|items| {
        items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect()
    })
}

fn show(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "(none)".into()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

struct Comparison<'a> {
    document: &'a Map<String, Value>,
    generated: &'a Map<String, Value>,
    differences: Vec<String>,
}

impl Comparison<'_> {
    fn differ(&mut self, at: &str, what: String) {
        self.differences.push(format!("{at}: {what}"));
    }

    fn schema(&mut self, at: &str, in_document: &Value, in_generated: &Value) {
        let (doc_ref, doc) = unwrap(in_document, self.document);
        let (gen_ref, gen) = unwrap(in_generated, self.generated);
        let (doc, gen) = (&doc, &gen);
        if let Some(component) = doc_ref {
            // Compared on its own, as a component; here only the name counts.
            if gen_ref.as_deref() != Some(component.as_str()) {
                self.differ(
                    at,
                    format!(
                        "is the component {component} in the document, {} in the generated types",
                        gen_ref.as_deref().unwrap_or("an inline schema")
                    ),
                );
            }
            return;
        }

        let (doc_types, gen_types) = (types_of(doc), types_of(gen));
        if doc_types != gen_types {
            self.differ(
                at,
                format!(
                    "type {} in the document, {} in the generated types",
                    show(&doc_types),
                    show(&gen_types)
                ),
            );
        }
        if doc_types.contains("integer") || doc_types.contains("number") {
            let (doc_format, gen_format) = (doc.get("format"), gen.get("format"));
            if doc_format != gen_format {
                self.differ(at, format!("format {doc_format:?} in the document, {gen_format:?} in the generated types"));
            }
        }

        let (doc_enum, gen_enum) = (string_set(doc.get("enum")), string_set(gen.get("enum")));
        if doc_enum != gen_enum {
            let doc_enum = doc_enum.unwrap_or_default();
            let gen_enum = gen_enum.unwrap_or_default();
            self.differ(
                at,
                format!(
                    "enum members only in the document: {}; only in the generated types: {}",
                    show(&doc_enum.difference(&gen_enum).cloned().collect()),
                    show(&gen_enum.difference(&doc_enum).cloned().collect())
                ),
            );
        }

        let (doc_required, gen_required) = (
            string_set(doc.get("required")).unwrap_or_default(),
            string_set(gen.get("required")).unwrap_or_default(),
        );
        if doc_required != gen_required {
            self.differ(
                at,
                format!(
                    "required only in the document: {}; only in the generated types: {}",
                    show(&doc_required.difference(&gen_required).cloned().collect()),
                    show(&gen_required.difference(&doc_required).cloned().collect())
                ),
            );
        }

        let empty = Map::new();
        let doc_properties = doc
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let gen_properties = gen
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let doc_names: BTreeSet<String> = doc_properties.keys().cloned().collect();
        let gen_names: BTreeSet<String> = gen_properties.keys().cloned().collect();
        if doc_names != gen_names {
            self.differ(
                at,
                format!(
                    "properties only in the document: {}; only in the generated types: {}",
                    show(&doc_names.difference(&gen_names).cloned().collect()),
                    show(&gen_names.difference(&doc_names).cloned().collect())
                ),
            );
        }
        for name in doc_names.intersection(&gen_names) {
            self.schema(
                &format!("{at}.{name}"),
                &doc_properties[name],
                &gen_properties[name],
            );
        }

        match (doc.get("items"), gen.get("items")) {
            (Some(d), Some(g)) => self.schema(&format!("{at}[]"), d, g),
            (None, None) => {}
            (d, g) => self.differ(
                at,
                format!("items {d:?} in the document, {g:?} in the generated types"),
            ),
        }
    }
}

/// The request, response and error bodies: the types `generated_schemas`
/// derives from.
const ROOTS: [&str; 3] = [
    "InviteeClosingInvitationRequest",
    "InviteeClosingInvitationResponse",
    "ODataError",
];

/// The components the roots reach by name: through properties, items and
/// wrappers, but not through a union or an `allOf` of several parts, which
/// typify may fold into another type (a derived type's base, an enum of
/// strings beside `string`).
fn reached_by_name(components: &Map<String, Value>) -> BTreeSet<String> {
    fn walk(schema: &Value, components: &Map<String, Value>, reached: &mut BTreeSet<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            if reached.insert(name.to_owned()) {
                if let Some(target) = components.get(name) {
                    walk(target, components, reached);
                }
            }
            return;
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(parts) = schema.get(key).and_then(Value::as_array) {
                let not_null: Vec<&Value> = parts.iter().filter(|p| !stands_for_null(p)).collect();
                if let [only] = not_null.as_slice() {
                    walk(only, components, reached);
                }
            }
        }
        for property in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            walk(property.1, components, reached);
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = schema.get(key) {
                walk(child, components, reached);
            }
        }
    }
    let mut reached = BTreeSet::new();
    for root in ROOTS {
        walk(&json!({ "$ref": root }), components, &mut reached);
    }
    reached
}

/// One line per difference between the document's component schemas and
/// the schemas derived from the generated types.
fn schema_differences(document: &Value, generated: &Map<String, Value>) -> Vec<String> {
    let components = document["components"]["schemas"]
        .as_object()
        .expect("component schemas");
    let by_name: BTreeMap<&String, &Value> = components.iter().collect();
    let mut comparison = Comparison {
        document: components,
        generated,
        differences: Vec::new(),
    };
    let reached = reached_by_name(components);
    for (name, schema) in by_name {
        match generated.get(name) {
            Some(derived) => comparison.schema(name, schema, derived),
            // Folded into another type: compared where that type is.
            None if !reached.contains(name) => {}
            None => comparison.differ(
                name,
                "reached by name from the request, response or error body, but no generated \
                 type derives a schema of that name"
                    .into(),
            ),
        }
    }
    comparison.differences
}

#[test]
fn schemars_schemas_of_the_generated_types_match_the_document_components() {
    let generated = generated_schemas();
    let differences = schema_differences(&document(), &generated);
    assert!(
        differences.is_empty(),
        "the generated types disagree with openapi/invitations.yaml:\n  - {}",
        differences.join("\n  - ")
    );
}

#[test]
fn the_schema_comparison_names_each_kind_of_mismatch() {
    let mut changed = document();
    let schemas = &mut changed["components"]["schemas"];
    schemas["InviteActionStatus"]["required"] = json!(["id"]);
    schemas["InviteActionStatus"]["properties"]["status"]["format"] = json!("int64");
    // A member no version of the contract has: built from today's, not named.
    let members = schemas["InviteeActionType"]["enum"].as_array_mut().unwrap();
    let unknown = format!(
        "NOT_{}",
        members.iter().filter_map(Value::as_str).collect::<String>()
    );
    members.push(json!(unknown));
    // The first optional property of the request item, renamed.
    let required = string_set(schemas["InviteActionData"].get("required")).unwrap_or_default();
    let data = schemas["InviteActionData"]["properties"]
        .as_object_mut()
        .unwrap();
    let optional = data
        .keys()
        .find(|name| !required.contains(*name))
        .expect("the request item has an optional property")
        .clone();
    let renamed = format!("{optional}Renamed");
    let property = data.remove(&optional).unwrap();
    data.insert(renamed.clone(), property);
    schemas["MainError"]["properties"]["code"]["type"] = json!("integer");
    schemas["InviteeClosingInvitationResponse"]["properties"]["value"] =
        json!({"$ref": "#/components/schemas/InviteActionStatus"});

    let differences = schema_differences(&changed, &generated_schemas());
    let expected = [
        format!("InviteActionData: properties only in the document: {renamed}; only in the generated types: {optional}"),
        "InviteActionStatus: required only in the document: (none); only in the generated types: status".into(),
        "InviteActionStatus.status: format Some(String(\"int64\")) in the document, Some(String(\"int32\")) in the generated types".into(),
        format!("InviteeActionType: enum members only in the document: {unknown}; only in the generated types: (none)"),
        "InviteeClosingInvitationResponse.value: is the component InviteActionStatus in the document, InviteActionResults in the generated types".into(),
        "MainError.code: type integer in the document, string in the generated types".into(),
    ];
    assert_eq!(differences, expected, "\n{}", differences.join("\n"));
}

#[test]
fn graphs_nullable_reference_and_derived_type_are_read_as_the_generator_reads_them() {
    let schemas = json!({
        "Identity": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Invitee": {"allOf": [
            {"$ref": "#/components/schemas/Identity"},
            {"type": "object", "properties": {"headline": {"type": "string"}}},
        ]},
    });
    let schemas = schemas.as_object().unwrap();
    let nullable = json!({"anyOf": [{"$ref": "#/components/schemas/Identity"}, {"type": "object", "nullable": true}]});
    assert_eq!(unwrap(&nullable, schemas).0.as_deref(), Some("Identity"));

    let (name, derived) = unwrap(&schemas["Invitee"], schemas);
    assert_eq!(name, None);
    assert_eq!(
        derived,
        json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "headline": {"type": "string"}}})
    );
    let mut bodies = schemas.clone();
    bodies.insert(
        ROOTS[0].into(),
        json!({"properties": {"who": {"$ref": "#/components/schemas/Invitee"}}}),
    );
    bodies.insert("Unused".into(), json!({"type": "object"}));
    let reached = reached_by_name(&bodies);
    assert_eq!(
        reached,
        ROOTS
            .iter()
            .chain(&["Invitee"])
            .map(|n| n.to_string())
            .collect(),
        "{reached:?}"
    );
    bodies[ROOTS[0]]["properties"]["by"] = nullable;
    assert!(reached_by_name(&bodies).contains("Identity"));
}
