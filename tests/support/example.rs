//! A value that a JSON Schema of the contract accepts, made from the schema
//! itself: tests that must send "every property the document has" stay true
//! when the document gains a property of any type or format.

use serde_json::{json, Map, Value};

/// An instance of `schema`, resolving `$ref`s against `document`. Prefers the
/// schema's own `example`, `default` or first `enum` member; otherwise builds
/// the smallest value its type, format and bounds allow.
pub fn example(document: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let target = document
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} resolves"));
        return example(document, target);
    }
    for given in ["example", "default"] {
        if let Some(value) = schema.get(given) {
            return value.clone();
        }
    }
    if let Some(first) = schema["enum"].as_array().and_then(|m| m.first()) {
        return first.clone();
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = example(document, part) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    for alternatives in ["oneOf", "anyOf"] {
        if let Some(first) = schema[alternatives].as_array().and_then(|a| a.first()) {
            return example(document, first);
        }
    }
    match schema["type"].as_str() {
        Some("string") => string(schema),
        Some("integer") => json!(schema["minimum"].as_i64().unwrap_or(1)),
        Some("number") => json!(schema["minimum"].as_f64().unwrap_or(1.5)),
        Some("boolean") => json!(true),
        Some("array") => {
            let count = schema["minItems"].as_u64().unwrap_or(1).max(1);
            let item = example(document, &schema["items"]);
            Value::Array((0..count).map(|_| item.clone()).collect())
        }
        _ => object(document, schema),
    }
}

fn string(schema: &Value) -> Value {
    let text = match schema["format"].as_str() {
        Some("date-time") => "2026-01-02T03:04:05Z",
        Some("date") => "2026-01-02",
        // JSON Schema's `time` (RFC 3339 full-time) has an offset.
        Some("time") => "03:04:05Z",
        Some("duration") => "P1DT2H",
        Some("uuid") => "0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3",
        Some("byte") => "eA==",
        Some("email") => "someone@example.com",
        Some("ipv4" | "ip") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("uri" | "url") => "https://example.com/",
        _ => "x",
    };
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    assert!(
        schema.get("pattern").is_none() || schema.get("example").is_some(),
        "a string with a `pattern` needs an `example` in the document for tests to send"
    );
    json!(format!(
        "{text}{}",
        "x".repeat(min.saturating_sub(text.len()))
    ))
}

fn object(document: &Value, schema: &Value) -> Value {
    let mut fields = Map::new();
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            fields.insert(name.clone(), example(document, property));
        }
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        fields.insert("key".into(), example(document, values));
    }
    Value::Object(fields)
}

/// `value` with every absent property that has a `default` in `schema` filled
/// in with it: what the generated types, which serialize such a property
/// always, make of `value`.
pub fn with_defaults(document: &Value, schema: &Value, value: &Value) -> Value {
    let mut value = value.clone();
    fill_defaults(document, schema, &mut value);
    value
}

fn fill_defaults(document: &Value, schema: &Value, value: &mut Value) {
    if let Some(reference) = schema["$ref"].as_str() {
        let target = document
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} resolves"));
        return fill_defaults(document, target, value);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        fill_defaults(document, part, value);
    }
    match value {
        Value::Object(fields) => {
            let Some(properties) = schema["properties"].as_object() else {
                return;
            };
            for (name, property) in properties {
                match fields.get_mut(name) {
                    Some(field) => fill_defaults(document, property, field),
                    None => {
                        if let Some(default) = property.get("default") {
                            fields.insert(name.clone(), default.clone());
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                fill_defaults(document, &schema["items"], item);
            }
        }
        _ => {}
    }
}
