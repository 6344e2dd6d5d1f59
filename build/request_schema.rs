//! Writes `OUT_DIR/operations.json`: every operation of the OpenAPI 3.0
//! document as the emulator serves it (`emulator/src/contract.rs`), run by
//! the emulator's build script (`emulator/build.rs`). The document stays the
//! one source of truth: a new operation, parameter, enum member, property,
//! format, constraint or example reaches the emulator with the next build.
//!
//! The table: `{"definitions": {Name: schema}, "operations": [{"operationId",
//! "method" (upper case), "path" (the template), "secured" (a bearer token is
//! required: the operation's `security`, else the document's),
//! "parameters": [{"name", "in", "required", "schema"}] (the path item's and
//! the operation's, `$ref`s to `components/parameters` followed),
//! "requestBody": {"required", "schema"} or null, "responses": {"200" |
//! "4XX" | "default": {"schema" or null, "example" or null}}, "success": the
//! status its success is answered with}]`. Every schema is JSON Schema
//! draft 4 whose `$ref`s point into `definitions`; the example of a response
//! is the document's (`example`, else the first of `examples`).
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

/// Converts every operation and writes the table to `out/operations.json`.
pub(crate) fn write(document: &Value, out: &Path) -> Result<(), String> {
    let table = operations(document)?;
    let text = serde_json::to_string(&table)
        .map_err(|e| format!("cannot serialize the operations: {e}"))?;
    std::fs::write(out.join("operations.json"), text)
        .map_err(|e| format!("cannot write the operations: {e}"))
}

/// The operations table of `document` (see the module's documentation).
pub(crate) fn operations(document: &Value) -> Result<Value, String> {
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("/paths: missing")?;
    let mut converter = Converter {
        document,
        pending: Vec::new(),
        seen: BTreeSet::new(),
    };
    let document_security = document.get("security");
    let mut operations = Vec::new();
    for (path, item) in paths {
        let item_at = format!("/paths/{}", escape(path));
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let at = format!("{item_at}/{method}");
            let security = operation.get("security").or(document_security);
            let secured = security
                .and_then(Value::as_array)
                .is_some_and(|any| !any.is_empty() && !any.iter().any(|s| s == &json!({})));
            let parameters = converter.parameters(item, operation, &item_at, &at)?;
            let request_body = match operation.get("requestBody") {
                None => Value::Null,
                Some(body) => converter.request_body(body, &format!("{at}/requestBody"))?,
            };
            let (responses, success) = converter.responses(operation, &at)?;
            operations.push(json!({
                "operationId": operation.get("operationId").cloned().unwrap_or(Value::Null),
                "method": method.to_uppercase(),
                "path": path,
                "secured": secured,
                "parameters": parameters,
                "requestBody": request_body,
                "responses": responses,
                "success": success,
            }));
        }
    }
    let mut definitions = BTreeMap::new();
    while let Some(name) = converter.pending.pop() {
        let at = format!("/components/schemas/{}", escape(&name));
        let component = document
            .pointer(&at)
            .ok_or_else(|| format!("{at}: the schema a $ref names does not exist"))?;
        let converted = converter.schema(component, &at)?;
        definitions.insert(name, converted);
    }
    Ok(json!({"definitions": definitions, "operations": operations}))
}

/// `value`, or what its local `$ref` (`#/components/<kind>/X`) points to,
/// with the JSON pointer of what was returned.
fn follow<'a>(
    document: &'a Value,
    value: &'a Value,
    at: &str,
    kind: &str,
) -> Result<(&'a Value, String), String> {
    let Some(reference) = value.get("$ref") else {
        return Ok((value, at.to_owned()));
    };
    let pointer = reference
        .as_str()
        .and_then(|r| r.strip_prefix('#'))
        .filter(|p| p.starts_with(&format!("/components/{kind}/")))
        .ok_or_else(|| format!("{at}/$ref: {reference} is not a local {kind} entry"))?;
    let target = document
        .pointer(pointer)
        .ok_or_else(|| format!("{at}/$ref: {reference} does not exist"))?;
    Ok((target, pointer.to_owned()))
}

struct Converter<'a> {
    document: &'a Value,
    /// Component schemas referenced and not yet converted.
    pending: Vec<String>,
    seen: BTreeSet<String>,
}

impl Converter<'_> {
    /// The path item's and the operation's parameters (the operation's win).
    fn parameters(
        &mut self,
        item: &Value,
        operation: &Value,
        item_at: &str,
        at: &str,
    ) -> Result<Vec<Value>, String> {
        let mut by_place: BTreeMap<(String, String), Value> = BTreeMap::new();
        for (owner, owner_at) in [(item, item_at), (operation, at)] {
            let listed = owner.get("parameters").and_then(Value::as_array);
            for (i, parameter) in listed.into_iter().flatten().enumerate() {
                let here = format!("{owner_at}/parameters/{i}");
                let (parameter, here) = follow(self.document, parameter, &here, "parameters")?;
                let field = |key: &str| {
                    parameter
                        .get(key)
                        .and_then(Value::as_str)
                        .ok_or_else(|| format!("{here}/{key}: missing"))
                };
                let (name, place) = (field("name")?, field("in")?);
                let schema = parameter.get("schema").ok_or_else(|| {
                    format!(
                        "{here}/schema: missing; the emulator checks parameters by their schema"
                    )
                })?;
                let schema = self.schema(schema, &format!("{here}/schema"))?;
                let required = place == "path" || parameter["required"] == true;
                // Header names are case-insensitive: kept in lower case.
                let name = if place == "header" {
                    name.to_ascii_lowercase()
                } else {
                    name.to_owned()
                };
                by_place.insert(
                    (place.to_owned(), name.clone()),
                    json!({"name": name, "in": place, "required": required, "schema": schema}),
                );
            }
        }
        Ok(by_place.into_values().collect())
    }

    fn request_body(&mut self, body: &Value, at: &str) -> Result<Value, String> {
        let (body, at) = follow(self.document, body, at, "requestBodies")?;
        let at = format!("{at}/content/application~1json/schema");
        let schema = body
            .pointer("/content/application~1json/schema")
            .ok_or_else(|| format!("{at}: missing; the emulator validates JSON bodies"))?;
        Ok(json!({
            "required": body["required"] == true,
            "schema": self.schema(schema, &at)?,
        }))
    }

    /// Every response by its key, and the status success is answered with:
    /// the lowest `2xx`, else `2XX` or `default` as `200`.
    fn responses(&mut self, operation: &Value, at: &str) -> Result<(Value, u16), String> {
        let at = format!("{at}/responses");
        let listed = operation
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{at}: missing"))?;
        let mut responses = Map::new();
        for (key, response) in listed {
            let here = format!("{at}/{}", escape(key));
            let (response, here) = follow(self.document, response, &here, "responses")?;
            let media = response.pointer("/content/application~1json");
            let schema = match media.and_then(|m| m.get("schema")) {
                Some(schema) => {
                    self.schema(schema, &format!("{here}/content/application~1json/schema"))?
                }
                None => Value::Null,
            };
            let example = match media {
                Some(media) => self.example(media, &here)?,
                None => Value::Null,
            };
            responses.insert(key.clone(), json!({"schema": schema, "example": example}));
        }
        let success = listed
            .keys()
            .filter_map(|key| key.parse::<u16>().ok())
            .filter(|code| (200..300).contains(code))
            .min()
            .or_else(|| {
                (listed.contains_key("2XX") || listed.contains_key("default")).then_some(200)
            })
            .ok_or_else(|| {
                format!(
                    "{at}: no 2xx, 2XX or default response; the emulator cannot answer a success"
                )
            })?;
        Ok((Value::Object(responses), success))
    }

    /// A media type's `example`, else the value of the first of its `examples`.
    fn example(&self, media: &Value, at: &str) -> Result<Value, String> {
        if let Some(example) = media.get("example") {
            return Ok(example.clone());
        }
        let Some((name, first)) = media
            .get("examples")
            .and_then(Value::as_object)
            .and_then(|all| all.iter().next())
        else {
            return Ok(Value::Null);
        };
        let here = format!("{at}/content/application~1json/examples/{}", escape(name));
        let (example, _) = follow(self.document, first, &here, "examples")?;
        Ok(example.get("value").cloned().unwrap_or(Value::Null))
    }

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
