//! Checks values against the contract's JSON Schemas (converted from the
//! document at build time, see `build/request_schema.rs` and
//! `contract.rs`), with format validation on. What the document allows is
//! accepted, what it forbids is refused with the first field at fault; the
//! action's valid body is then read into the generated request type, so
//! this file names no field, no member and no constraint of its own.
//!
//! Messages never quote the value at fault (it may be a validation token):
//! they name its place and the rule it breaks, in the document's terms.

use std::fmt::Write as _;
use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::{ValidationError, Validator};
use serde::Deserialize;
use serde_json::Value;

use super::contract::{self, Operation};
use linkedin_invitations::generated::types::InviteeClosingInvitationRequest;

/// Why a body is not a request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `400`: the body breaks the contract; the message names where.
    BadRequest(String),
    /// `500`: the emulator cannot check bodies (a build that made a schema
    /// the validator refuses; start-up reports it first).
    Internal(String),
}

/// A validator of `schema` with the contract's semantics: draft 4, formats
/// checked.
pub(crate) fn build(schema: &Value) -> Result<Validator, ValidationError<'static>> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        // Draft 4 has no `uuid`; OpenAPI's is the hyphenated spelling (the
        // uuid crate also parses the simple, braced and URN ones).
        .with_format("uuid", |text: &str| {
            text.len() == uuid::fmt::Hyphenated::LENGTH && uuid::Uuid::try_parse(text).is_ok()
        })
        // Nor `duration` (RFC 3339 appendix A): the crate's own check, which
        // it applies from draft 2019-09 on.
        .with_format("duration", |text: &str| {
            DURATION.is_valid(&Value::String(text.to_owned()))
        })
        .build(schema)
}

/// A validator of `{"format": "duration"}` alone, in the draft that defines it.
static DURATION: LazyLock<Validator> = LazyLock::new(|| {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft201909)
        .should_validate_formats(true)
        .build(&serde_json::json!({"format": "duration"}))
        .expect("a constant schema compiles")
});

/// Whether `validator` accepts `value`; if not, `place: what is wrong`.
pub(crate) fn check(validator: &Validator, value: &Value) -> Result<(), String> {
    check_in(validator, value, None)
}

/// As [`check`], the place starting with `label` (`query parameter top`).
pub(crate) fn check_at(validator: &Validator, value: &Value, label: &str) -> Result<(), String> {
    check_in(validator, value, Some(label))
}

fn check_in(validator: &Validator, value: &Value, label: Option<&str>) -> Result<(), String> {
    match validator.validate(value) {
        Ok(()) => Ok(()),
        Err(error) => Err(describe(&error, label)),
    }
}

/// The request of the embedded contract's action that `body` holds, or why
/// it is refused.
#[cfg_attr(not(any(test, fuzzing)), allow(dead_code))]
pub(crate) fn request(body: &[u8]) -> Result<InviteeClosingInvitationRequest, Refusal> {
    let contract = contract::embedded().map_err(Refusal::Internal)?;
    let action = contract.action().map_err(Refusal::Internal)?;
    action_request(action, body).map_err(Refusal::BadRequest)
}

/// The action's request `body` holds, once its schema allows it.
pub(crate) fn action_request(
    action: &Operation,
    body: &[u8],
) -> Result<InviteeClosingInvitationRequest, String> {
    let value = action.check_body(body)?.unwrap_or(Value::Null);
    // The generated types follow the same document: what the schema allows
    // they read. Their own error could quote a value, so it is not shown.
    InviteeClosingInvitationRequest::deserialize(&value)
        .map_err(|_| "the body does not fit the contract's generated types".to_owned())
}

/// `place: what is wrong`, e.g. `inviteActionData[0].validationToken: must
/// not be empty`, without the value at fault.
fn describe(error: &ValidationError<'_>, label: Option<&str>) -> String {
    let mut place = label.unwrap_or_default().to_owned();
    for segment in error.instance_path().segments() {
        match segment {
            LocationSegment::Property(name) => push_property(&mut place, &name),
            LocationSegment::Index(index) => {
                let _ = write!(place, "[{index}]");
            }
        }
    }
    let what = match error.kind() {
        ValidationErrorKind::Required { property } => {
            push_property(&mut place, property.as_str().unwrap_or("?"));
            "is required".to_owned()
        }
        ValidationErrorKind::Type { kind } => {
            let types: Vec<String> = match kind {
                TypeKind::Single(single) => vec![single.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            };
            format!("must be of type {}", types.join(" or "))
        }
        ValidationErrorKind::Enum { options } => {
            let members: Vec<String> = match options.as_ref() {
                Value::Array(members) => members.iter().map(Value::to_string).collect(),
                other => vec![other.to_string()],
            };
            format!("must be one of {}", members.join(", "))
        }
        ValidationErrorKind::MinLength { limit: 1 } => "must not be empty".to_owned(),
        ValidationErrorKind::MinLength { limit } => {
            format!("must be at least {limit} characters long")
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("must be at most {limit} characters long")
        }
        ValidationErrorKind::MinItems { limit: 1 } => "at least one item is required".to_owned(),
        ValidationErrorKind::MinItems { limit } => format!("at least {limit} items are required"),
        ValidationErrorKind::MaxItems { limit } => format!("at most {limit} items are allowed"),
        ValidationErrorKind::MinProperties { limit } => {
            format!("must have at least {limit} properties")
        }
        ValidationErrorKind::MaxProperties { limit } => {
            format!("must have at most {limit} properties")
        }
        ValidationErrorKind::Format { format } => format!("must be a valid {format}"),
        ValidationErrorKind::Pattern { pattern } => format!("must match the pattern {pattern}"),
        ValidationErrorKind::Minimum { limit } => format!("must be at least {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("must be at most {limit}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("must be more than {limit}"),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("must be less than {limit}"),
        ValidationErrorKind::MultipleOf { multiple_of } => {
            format!("must be a multiple of {multiple_of}")
        }
        ValidationErrorKind::UniqueItems => "must not repeat an item".to_owned(),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            format!("does not allow the properties {}", unexpected.join(", "))
        }
        ValidationErrorKind::FalseSchema => "is not allowed".to_owned(),
        other => format!(
            "does not satisfy `{}` (request schema {})",
            other.keyword(),
            error.schema_path()
        ),
    };
    if place.is_empty() {
        place.push_str("the body");
    }
    format!("{place}: {what}")
}

/// `.name` (`@odata.type` too), or `["name"]` when the name holds other
/// characters than letters, digits and `_@.-`.
fn push_property(place: &mut String, name: &str) {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@.-".contains(c));
    match (plain, place.is_empty()) {
        (true, true) => place.push_str(name),
        (true, false) => {
            place.push('.');
            place.push_str(name);
        }
        (false, _) => {
            let _ = write!(place, "[{}]", Value::from(name));
        }
    }
}

/// The build script's converter, for tests on documents of their own.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../build/request_schema.rs"]
pub(crate) mod request_schema;

/// The integration tests' generator of valid values, shared with the unit tests.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../tests/support/example.rs"]
mod example;

#[cfg(test)]
mod tests {
    //! Every case is built from the document (`openapi/invitations.yaml`)
    //! and the generated types, never from a list written here.

    use serde_json::{json, Map, Value};

    use super::example;
    use super::{request, request_schema, Refusal};
    use crate::contract;
    use linkedin_invitations::generated::types::InviteeActionType;

    /// The document, as JSON.
    fn document() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/invitations.yaml");
        serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// A component schema, following one `$ref`.
    fn component<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(r) => document
                .pointer(&r.replace("#/", "/"))
                .expect("the $ref resolves"),
            None => schema,
        }
    }

    struct Shapes {
        request: Value,
        item: Value,
        /// The item schema's property under `inviteActionData`-like name:
        /// the request's one array property.
        array: String,
        /// The request's one enum property.
        action: String,
    }

    fn shapes() -> Shapes {
        let document = document();
        let request = document
            .pointer("/paths/~1linkedIn~1invitations~1inviteeClosingInvitation/post/requestBody/content/application~1json/schema")
            .map(|s| component(&document, s))
            .unwrap()
            .clone();
        let properties = request["properties"].as_object().unwrap();
        let (array, items) = properties
            .iter()
            .find(|(_, p)| p["type"] == "array")
            .unwrap();
        let item = component(&document, &items["items"]).clone();
        let action = properties
            .iter()
            .find(|(_, p)| component(&document, p).get("enum").is_some())
            .unwrap()
            .0
            .clone();
        Shapes {
            array: array.clone(),
            action,
            request,
            item,
        }
    }

    /// A value of `schema` that it allows (strings of the formats in use).
    /// A value the schema accepts, made from the schema (any type or format
    /// the document may gain), by the integration tests' own generator.
    fn valid(schema: &Value) -> Value {
        example::example(&document(), schema)
    }

    /// A request with one item holding its required properties.
    fn minimal(shapes: &Shapes) -> Map<String, Value> {
        let mut item = Map::new();
        for name in shapes.item["required"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            item.insert(name.into(), valid(&shapes.item["properties"][name]));
        }
        let mut body = Map::new();
        body.insert(shapes.array.clone(), json!([item]));
        body.insert(
            shapes.action.clone(),
            json!(InviteeActionType::ALL[0].to_string()),
        );
        body
    }

    fn refused(body: &Value) -> String {
        match request(body.to_string().as_bytes()) {
            Err(Refusal::BadRequest(message)) => message,
            other => panic!("{body} is refused, not {other:?}"),
        }
    }

    #[test]
    fn the_schema_compiles_and_holds_every_member() {
        contract::embedded().unwrap();
        let text = contract::TABLE;
        for member in InviteeActionType::ALL {
            assert!(text.contains(&format!("\"{member}\"")), "{member}");
        }
        assert!(!text.contains("x-rust-type") && !text.contains("components"));
    }

    #[test]
    fn every_member_and_every_example_of_the_document_is_accepted() {
        let shapes = shapes();
        for &member in InviteeActionType::ALL {
            let mut body = minimal(&shapes);
            body.insert(shapes.action.clone(), json!(member.to_string()));
            let parsed = request(Value::Object(body).to_string().as_bytes()).unwrap();
            assert_eq!(parsed.invitee_action_type, member);
        }
        let document = document();
        let examples = document
            .pointer("/paths/~1linkedIn~1invitations~1inviteeClosingInvitation/post/requestBody/content/application~1json/examples")
            .and_then(Value::as_object)
            .unwrap();
        for (name, example) in examples {
            let body = example["value"].to_string();
            assert!(request(body.as_bytes()).is_ok(), "example {name}");
        }
    }

    #[test]
    fn what_the_document_allows_and_the_facade_never_sends_is_accepted() {
        let shapes = shapes();
        let mut body = minimal(&shapes);
        let item = body[&shapes.array][0].as_object_mut().unwrap();
        for (name, schema) in shapes.item["properties"].as_object().unwrap() {
            item.entry(name.clone()).or_insert_with(|| valid(schema));
        }
        item.insert("notInTheContract".into(), json!({"nested": [1, null]}));
        body.insert("alsoNotInTheContract".into(), json!(7));
        let body = Value::Object(body).to_string();
        if let Err(refused) = request(body.as_bytes()) {
            panic!("{body} is refused: {refused:?}");
        }
    }

    #[test]
    fn what_the_document_forbids_is_refused_naming_the_field() {
        let shapes = shapes();
        let array = &shapes.array;
        let at_item = |name: &str| format!("{array}[0].{name}");
        let mut cases: Vec<(Value, String, &str)> = Vec::new();
        for name in shapes.request["required"].as_array().unwrap() {
            let mut body = minimal(&shapes);
            body.remove(name.as_str().unwrap());
            cases.push((
                body.into(),
                format!("{name}: is required").replace('"', ""),
                "",
            ));
        }
        for name in shapes.item["required"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            let mut body = minimal(&shapes);
            body[array][0].as_object_mut().unwrap().remove(name);
            cases.push((body.into(), format!("{}: is required", at_item(name)), ""));
        }
        if shapes.request["properties"][array]["minItems"] == 1 {
            let mut body = minimal(&shapes);
            body.insert(array.clone(), json!([]));
            cases.push((body.into(), format!("{array}: at least one item"), ""));
        }
        for (name, schema) in shapes.item["properties"].as_object().unwrap() {
            let mut body = minimal(&shapes);
            if schema["minLength"] == 1 {
                body[array][0][name] = json!("");
                cases.push((
                    body.clone().into(),
                    format!("{}: must not be empty", at_item(name)),
                    "",
                ));
            }
            if schema["type"] == "string" {
                body[array][0][name] = json!(987654321);
                cases.push((
                    body.into(),
                    format!("{}: must be of type string", at_item(name)),
                    "987654321",
                ));
            }
        }
        let mut body = minimal(&shapes);
        body.insert(shapes.action.clone(), json!("NOT-A-MEMBER-4711"));
        cases.push((
            body.into(),
            format!("{}: must be one of", shapes.action),
            "NOT-A-MEMBER-4711",
        ));
        cases.push((json!([]), "the body: must be of type object".into(), ""));

        assert!(
            cases.len() >= 8,
            "the document has required fields, a minItems, a minLength"
        );
        for (body, expected, never_quoted) in cases {
            let message = refused(&body);
            assert!(
                message.starts_with(&expected),
                "{body}: {message} should start with {expected}"
            );
            assert!(
                never_quoted.is_empty() || !message.contains(never_quoted),
                "{message} quotes the value"
            );
        }
        let not_json = request(b"{\"inviteActionData\": [").unwrap_err();
        assert!(matches!(not_json, Refusal::BadRequest(m) if m.contains("not valid JSON")));
    }

    #[test]
    fn what_a_future_property_would_get_is_checked_as_the_document_says() {
        let document = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"post": {"operationId": "inviteeClosingInvitation", "requestBody": {"$ref": "#/components/requestBodies/B"}, "responses": {"204": {"description": "done"}}}}},
            "components": {
                "requestBodies": {"B": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/R"}}}}},
                "schemas": {
                    "R": {"type": "object", "x-any": 1, "example": {}, "required": ["n"], "properties": {
                        "when": {"type": "string", "format": "date-time", "readOnly": true},
                        "day": {"type": "string", "format": "date", "deprecated": true},
                        "id": {"type": "string", "format": "uuid"},
                        "at": {"type": "string", "format": "time"},
                        "for": {"type": "string", "format": "duration"},
                        "mail": {"type": "string", "format": "email"},
                        "n": {"type": "integer", "format": "int32"},
                        "maybe": {"type": "string", "nullable": true, "enum": ["a"]},
                        "above": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
                        "more": {"type": "array", "items": {"$ref": "#/components/schemas/S"}},
                        // Graph's nullable reference, as the build rewrites it.
                        "by": {"allOf": [{"$ref": "#/components/schemas/S"}], "nullable": true}
                    }},
                    "S": {"type": "object", "discriminator": {"propertyName": "k"}, "required": ["k"], "properties": {"k": {"type": "string"}}},
                    "Unused": {"type": "object"}
                }
            }
        });
        let table = request_schema::operations(&document).unwrap();
        assert_eq!(
            table["definitions"].as_object().unwrap().len(),
            2,
            "{table}"
        );
        let schema = json!({
            "definitions": table["definitions"],
            "allOf": [table["operations"][0]["requestBody"]["schema"]],
        });
        let validator = super::build(&schema).unwrap();
        let ok = |v: Value| validator.is_valid(&v);
        assert!(ok(
            json!({"n": 1, "when": "2026-11-27T10:15:00Z", "day": "2026-11-27",
            "id": "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3", "maybe": null, "above": 0.5, "more": [{"k": "x"}]})
        ));
        // Formats as JSON Schema defines them: `time` has its offset.
        assert!(ok(
            json!({"n": 1, "at": "03:04:05Z", "mail": "someone@example.com"})
        ));
        assert!(ok(json!({"n": 1, "by": null})));
        assert!(ok(json!({"n": 1, "by": {"k": "x"}})));
        for bad in [
            json!({}),
            json!({"n": 2147483648_i64}),
            json!({"n": 1.5}),
            json!({"n": 1, "when": "yesterday"}),
            json!({"n": 1, "day": "2026-13-40"}),
            json!({"n": 1, "id": "0b1c2d3e4f504a6b9c7d8e9fa0b1c2d3"}),
            json!({"n": 1, "maybe": "b"}),
            json!({"n": 1, "above": 0}),
            json!({"n": 1, "more": [{}]}),
            json!({"n": 1, "by": {}}),
            json!({"n": 1, "at": "25:04:05Z"}),
            json!({"n": 1, "mail": "not an address"}),
            json!({"n": 1, "for": ""}),
            json!({"n": 1, "for": "1 day"}),
        ] {
            assert!(!ok(bad.clone()), "{bad} is refused");
        }

        let mut unknown = document.clone();
        unknown["components"]["schemas"]["S"]["const"] = json!("x");
        let error = request_schema::operations(&unknown).unwrap_err();
        assert!(
            error.starts_with("/components/schemas/S/const: "),
            "{error}"
        );
        let mut remote = document;
        remote["components"]["schemas"]["R"]["properties"]["id"] = json!({"$ref": "other.yaml#/X"});
        let error = request_schema::operations(&remote).unwrap_err();
        assert!(
            error.starts_with("/components/schemas/R/properties/id/$ref: "),
            "{error}"
        );
    }

    #[test]
    fn no_message_quotes_a_validation_token() {
        let shapes = shapes();
        let secret = "vt-secret-0042";
        for (name, schema) in shapes.item["properties"].as_object().unwrap() {
            // Every item property holding the secret, and the request made
            // invalid elsewhere: the message must not carry it.
            let mut body = minimal(&shapes);
            if schema["type"] == "string" && schema.get("format").is_none() {
                body[&shapes.array][0][name] = json!(secret);
            }
            body.insert(shapes.action.clone(), json!(secret));
            let message = refused(&body.into());
            assert!(!message.contains(secret), "{message}");
        }
    }
}
