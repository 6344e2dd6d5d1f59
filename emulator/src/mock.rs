//! Values made from the table's JSON Schemas (draft 4, `$ref`s into
//! `definitions`): the answer of an operation the document gives no example
//! for, as a contract mock (Prism) makes one; the action's answer put in the
//! types the document declares; a parameter's text read as its schema's type.
//! Written here because no maintained crate generates from draft 4 with
//! formats and bounds, which the answers must meet.

use serde_json::{json, Map, Value};

/// How deep nested objects get every property; deeper, only required ones.
const FULL_DEPTH: usize = 4;
/// Where recursion stops (a type that holds itself).
const MAX_DEPTH: usize = 12;

/// The schema behind a `$ref` (or the schema itself).
fn resolve<'a>(schema: &'a Value, definitions: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => reference
            .strip_prefix("#/definitions/")
            .and_then(|name| definitions.get(name))
            .unwrap_or(&Value::Null),
        None => schema,
    }
}

/// The schema's type, the first that is not `null`.
fn kind(schema: &Value) -> Option<&str> {
    match &schema["type"] {
        Value::String(single) => Some(single),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

/// A value the schema allows (the smallest its type, format and bounds give).
pub(crate) fn generate(schema: &Value, definitions: &Value) -> Value {
    value(schema, definitions, 0)
}

fn value(schema: &Value, definitions: &Value, depth: usize) -> Value {
    let schema = resolve(schema, definitions);
    if let Some(given) = schema.get("default") {
        return given.clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|m| m.first()) {
        return first.clone();
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        let mut last = Value::Null;
        for part in parts {
            match value(part, definitions, depth) {
                Value::Object(fields) => merged.extend(fields),
                other => last = other,
            }
        }
        return if merged.is_empty() && !last.is_null() {
            last
        } else {
            Value::Object(merged)
        };
    }
    for alternatives in ["anyOf", "oneOf"] {
        if let Some(parts) = schema[alternatives].as_array() {
            let part = parts.iter().find(|p| p["type"] != "null").or(parts.first());
            return part.map_or(Value::Null, |p| value(p, definitions, depth));
        }
    }
    match kind(schema) {
        Some("string") => string(schema),
        Some("integer") => json!(within(schema, 0.0) as i64),
        Some("number") => json!(within(schema, 0.0)),
        Some("boolean") => json!(true),
        Some("array") => {
            let count = schema["minItems"].as_u64().unwrap_or(1).max(1);
            let count = schema["maxItems"]
                .as_u64()
                .map_or(count, |max| count.min(max));
            let item = value(&schema["items"], definitions, depth + 1);
            Value::Array((0..count).map(|_| item.clone()).collect())
        }
        Some("null") => Value::Null,
        _ => object(schema, definitions, depth),
    }
}

/// `preferred` moved inside the schema's `minimum`/`maximum`.
fn within(schema: &Value, preferred: f64) -> f64 {
    let step = |exclusive: &str| if schema[exclusive] == true { 1.0 } else { 0.0 };
    let mut number = preferred;
    if let Some(low) = schema["minimum"].as_f64() {
        number = number.max(low + step("exclusiveMinimum"));
    }
    if let Some(high) = schema["maximum"].as_f64() {
        number = number.min(high - step("exclusiveMaximum"));
    }
    number
}

fn string(schema: &Value) -> Value {
    let text = match schema["format"].as_str() {
        Some("date-time") => "2026-01-02T03:04:05Z",
        Some("date") => "2026-01-02",
        Some("time") => "03:04:05Z",
        Some("duration") => "P1D",
        Some("uuid") => "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3",
        Some("byte") => "eA==",
        Some("email") => "someone@example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("uri") => "https://example.com/",
        _ => "string",
    };
    let min = usize::try_from(schema["minLength"].as_u64().unwrap_or(0)).unwrap_or(0);
    let mut text = format!("{text}{}", "x".repeat(min.saturating_sub(text.len())));
    if let Some(max) = schema["maxLength"].as_u64() {
        text.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    }
    Value::String(text)
}

fn object(schema: &Value, definitions: &Value, depth: usize) -> Value {
    let mut fields = Map::new();
    if depth >= MAX_DEPTH {
        return Value::Object(fields);
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        if depth < FULL_DEPTH || required.contains(&name.as_str()) {
            fields.insert(name.clone(), value(property, definitions, depth + 1));
        }
    }
    Value::Object(fields)
}

/// `value` with each scalar in the type the schema declares where the two
/// differ only in spelling: a number where a string is declared becomes its
/// text, a numeric string where a number is declared becomes the number.
pub(crate) fn conform(value: Value, schema: &Value, definitions: &Value) -> Value {
    let schema = resolve(schema, definitions);
    let mut value = value;
    for part in schema["allOf"].as_array().into_iter().flatten() {
        value = conform(value, part, definitions);
    }
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, field)| {
                    let field = match schema["properties"].get(&name) {
                        Some(property) => conform(field, property, definitions),
                        None => field,
                    };
                    (name, field)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| conform(item, &schema["items"], definitions))
                .collect(),
        ),
        Value::Number(number) if kind(schema) == Some("string") => {
            Value::String(number.to_string())
        }
        Value::String(text) if matches!(kind(schema), Some("integer" | "number")) => {
            serde_json::from_str::<serde_json::Number>(&text)
                .map_or(Value::String(text), Value::Number)
        }
        other => other,
    }
}

/// A parameter's texts as the value its schema describes: a number, a
/// boolean, an array (repeated query keys, else comma-separated, OpenAPI's
/// default styles), or the text itself.
pub(crate) fn from_text(mut texts: Vec<String>, schema: &Value, place: &str) -> Value {
    let scalar = |text: String, schema: &Value| match kind(schema) {
        Some("integer" | "number" | "boolean") => {
            serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text))
        }
        _ => Value::String(text),
    };
    if kind(schema) == Some("array") {
        if place != "query" || texts.len() == 1 {
            texts = texts
                .iter()
                .flat_map(|t| t.split(','))
                .map(str::to_owned)
                .collect();
        }
        return Value::Array(
            texts
                .into_iter()
                .map(|text| scalar(text, &schema["items"]))
                .collect(),
        );
    }
    scalar(texts.swap_remove(0), schema)
}
