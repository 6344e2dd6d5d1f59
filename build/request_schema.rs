//! Writes `OUT_DIR/request_schema.json`: the JSON Schema (draft 4) of the
//! action's request body, converted from the OpenAPI 3.0 document, for the
//! emulator to validate requests with (`emulator/src/validate.rs`), run by
//! the emulator's build script (`emulator/build.rs`). The document stays the
//! one source of truth: a new enum member, property, format or constraint
//! reaches the emulator with the next build.
//!
//! The conversion, OpenAPI 3.0 Schema Object to JSON Schema draft 4 (the
//! draft whose boolean `exclusiveMinimum`/`exclusiveMaximum` OpenAPI 3.0
//! uses):
//!
//! - the operation is found by its `operationId`; its request body (or the
//!   `components/requestBodies` entry it names) must have an
//!   `application/json` schema;
//! - every component schema reached from it is copied under `definitions`,
//!   and `#/components/schemas/X` becomes `#/definitions/X`; any other
//!   `$ref` is refused (the file is self-contained: nothing is resolved at
//!   run time);
//! - `nullable: true` adds `"null"` to `type` and, with an `enum`, `null` to
//!   the members (the generated Rust type, an `Option`, accepts null too);
//! - an `integer`'s format (`int32`, `int64`, typify's `int8`..`uint64`;
//!   none is `int64`) becomes the `minimum`/`maximum` of the Rust integer it
//!   is generated as, since JSON Schema formats only constrain strings;
//! - OpenAPI-only keywords are dropped: `x-*`, `example`, `discriminator`,
//!   `xml`, `externalDocs`, `deprecated`, `readOnly`, `writeOnly`;
//! - a keyword OpenAPI 3.0 does not define fails the build with its JSON
//!   pointer, rather than being checked by one tool and ignored by another.
//!
//! String formats are kept, and the emulator checks them as JSON Schema
//! defines them (what schemathesis and Prism judge by too): `time` is RFC
//! 3339's `full-time`, with its offset (`03:04:05Z`); a format JSON Schema
//! does not define (`byte`, `binary`, `int32`...) checks nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{json, Map, Value};

/// The operation the emulator implements.
const OPERATION_ID: &str = "inviteeClosingInvitation";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// OpenAPI 3.0 Schema Object keywords kept as they are.
const KEPT: [&str; 20] = [
    "title",
    "description",
    "type",
    "format",
    "enum",
    "default",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
];

/// OpenAPI-only keywords: no meaning for the validation of a request.
const DROPPED: [&str; 8] = [
    "example",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
];

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Converts the request body schema of [`OPERATION_ID`] and writes it to
/// `out/request_schema.json`.
pub(crate) fn write(document: &Value, out: &Path) -> Result<(), String> {
    let schema = convert_document(document)?;
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| format!("cannot serialize the request schema: {e}"))?;
    std::fs::write(out.join("request_schema.json"), text)
        .map_err(|e| format!("cannot write the request schema: {e}"))
}

/// The self-contained JSON Schema of the operation's request body.
pub(crate) fn convert_document(document: &Value) -> Result<Value, String> {
    let (body, at) = request_body_schema(document)?;
    let mut converter = Converter {
        document,
        pending: Vec::new(),
        seen: BTreeSet::new(),
    };
    let root = converter.schema(body, &at)?;
    let mut definitions = BTreeMap::new();
    while let Some(name) = converter.pending.pop() {
        let at = format!("/components/schemas/{}", escape(&name));
        let component = document
            .pointer(&at)
            .ok_or_else(|| format!("{at}: the schema a $ref names does not exist"))?;
        let converted = converter.schema(component, &at)?;
        definitions.insert(name, converted);
    }
    Ok(json!({
        "$schema": "http://json-schema.org/draft-04/schema#",
        "description": format!(
            "The request body of operation {OPERATION_ID}, converted from the OpenAPI document by build/request_schema.rs."
        ),
        "definitions": definitions,
        // Not the `$ref` itself: in draft 4 a `$ref` hides its siblings.
        "allOf": [root],
    }))
}

/// The operation's request body schema and its JSON pointer.
fn request_body_schema(document: &Value) -> Result<(&Value, String), String> {
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("/paths: missing")?;
    let mut found = None;
    for (path, item) in paths {
        for method in METHODS {
            let operation = &item[method];
            if operation["operationId"] == OPERATION_ID {
                found = Some((operation, format!("/paths/{}/{method}", escape(path))));
            }
        }
    }
    let (operation, at) = found.ok_or_else(|| {
        format!(
            "/paths: no operation has operationId {OPERATION_ID}, which the emulator implements"
        )
    })?;
    let mut at = format!("{at}/requestBody");
    let mut body = operation
        .get("requestBody")
        .ok_or_else(|| format!("{at}: missing; the emulator validates the request body"))?;
    if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
        let pointer = reference
            .strip_prefix("#/components/requestBodies/")
            .map(|name| format!("/components/requestBodies/{name}"))
            .ok_or_else(|| format!("{at}/$ref: {reference:?} is not a local request body"))?;
        body = document
            .pointer(&pointer)
            .ok_or_else(|| format!("{at}/$ref: {reference:?} does not exist"))?;
        at = pointer;
    }
    let at = format!("{at}/content/application~1json/schema");
    let schema = body
        .pointer("/content/application~1json/schema")
        .ok_or_else(|| format!("{at}: missing; the emulator validates JSON bodies"))?;
    Ok((schema, at))
}

struct Converter<'a> {
    document: &'a Value,
    /// Component schemas referenced and not yet converted.
    pending: Vec<String>,
    seen: BTreeSet<String>,
}

impl Converter<'_> {
    /// One Schema Object (at JSON pointer `at`) as JSON Schema draft 4.
    fn schema(&mut self, schema: &Value, at: &str) -> Result<Value, String> {
        let object = match schema {
            Value::Object(object) => object,
            Value::Bool(_) => return Ok(schema.clone()),
            _ => return Err(format!("{at}: a schema must be an object")),
        };
        if let Some(reference) = object.get("$ref") {
            // Siblings of `$ref` are ignored by OpenAPI 3.0 and by draft 4.
            return self.reference(reference, &format!("{at}/$ref"));
        }
        let mut out = Map::new();
        for (key, value) in object {
            let here = format!("{at}/{}", escape(key));
            match key.as_str() {
                "properties" => {
                    let properties = value
                        .as_object()
                        .ok_or_else(|| format!("{here}: must be an object"))?;
                    let mut converted = Map::new();
                    for (name, property) in properties {
                        let at = format!("{here}/{}", escape(name));
                        converted.insert(name.clone(), self.schema(property, &at)?);
                    }
                    out.insert(key.clone(), Value::Object(converted));
                }
                "items" | "not" | "additionalProperties" => {
                    out.insert(key.clone(), self.schema(value, &here)?);
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let members = value
                        .as_array()
                        .ok_or_else(|| format!("{here}: must be an array"))?;
                    let converted = members
                        .iter()
                        .enumerate()
                        .map(|(i, member)| self.schema(member, &format!("{here}/{i}")))
                        .collect::<Result<_, _>>()?;
                    out.insert(key.clone(), Value::Array(converted));
                }
                k if KEPT.contains(&k) => {
                    out.insert(key.clone(), value.clone());
                }
                k if DROPPED.contains(&k) || k.starts_with("x-") => {}
                _ => {
                    return Err(format!(
                        "{here}: `{key}` is not an OpenAPI 3.0 schema keyword; the emulator's request validation would not know what it means"
                    ))
                }
            }
        }
        integer_bounds(&mut out);
        if object.get("nullable") == Some(&Value::Bool(true)) {
            out = nullable(out);
        }
        Ok(Value::Object(out))
    }

    fn reference(&mut self, reference: &Value, at: &str) -> Result<Value, String> {
        let reference = reference
            .as_str()
            .ok_or_else(|| format!("{at}: must be a string"))?;
        let token = reference.strip_prefix(COMPONENT_PREFIX).ok_or_else(|| {
            format!(
                "{at}: {reference:?} is not a local component schema (#/components/schemas/...)"
            )
        })?;
        let name = unescape(token);
        if self
            .document
            .pointer(&format!("/components/schemas/{token}"))
            .is_none()
        {
            return Err(format!("{at}: {reference:?} does not exist"));
        }
        if self.seen.insert(name.clone()) {
            self.pending.push(name);
        }
        Ok(json!({ "$ref": format!("#/definitions/{token}") }))
    }
}

/// `nullable: true`: null is one more allowed value.
fn nullable(mut schema: Map<String, Value>) -> Map<String, Value> {
    match schema.get_mut("type") {
        Some(Value::String(single)) => {
            let single = std::mem::take(single);
            schema.insert("type".into(), json!([single, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
        Some(_) => {}
        // No type to widen (`allOf: [$ref X]`, Graph's nullable reference
        // after `idioms.rs`): the schema, or null, as `Option<X>` reads it.
        None => {
            let mut either = Map::new();
            either.insert("anyOf".into(), json!([{"type": "null"}, schema]));
            return either;
        }
    }
    if let Some(Value::Array(members)) = schema.get_mut("enum") {
        if !members.contains(&Value::Null) {
            members.push(Value::Null);
        }
    }
    schema
}

/// An integer format's range, as `minimum`/`maximum` (the tighter of the
/// format's and the document's own, if any).
fn integer_bounds(schema: &mut Map<String, Value>) {
    let integer = match schema.get("type") {
        Some(Value::String(single)) => single == "integer",
        Some(Value::Array(types)) => types.contains(&json!("integer")),
        _ => false,
    };
    if !integer {
        return;
    }
    // No format is typify's `i64`.
    let format = schema
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("int64");
    let (low, high): (Value, Value) = match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint8" => (0.into(), u8::MAX.into()),
        "uint16" => (0.into(), u16::MAX.into()),
        "uint32" => (0.into(), u32::MAX.into()),
        "uint64" => (0.into(), u64::MAX.into()),
        _ => return,
    };
    let number = |v: &Value| v.as_f64();
    let looser = |existing: Option<&Value>, bound: &Value, below: bool| match existing
        .and_then(number)
        .zip(number(bound))
    {
        None => true,
        Some((existing, bound)) if below => existing < bound,
        Some((existing, bound)) => existing > bound,
    };
    if looser(schema.get("minimum"), &low, true) {
        schema.insert("minimum".into(), low);
        schema.remove("exclusiveMinimum");
    }
    if looser(schema.get("maximum"), &high, false) {
        schema.insert("maximum".into(), high);
        schema.remove("exclusiveMaximum");
    }
}

/// A JSON pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
