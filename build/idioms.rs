//! Graph's OpenAPI idioms, rewritten before generation into the form the
//! generator maps to the Rust type a user expects. The emulator's request
//! schema is made from the rewritten document too, so both read one meaning.
//!
//! - A nullable reference, `anyOf: [{$ref: X}, {type: object, nullable: true}]`
//!   (how Graph's documents write a nullable navigation or complex property),
//!   becomes `allOf: [{$ref: X}], nullable: true`: `Option<X>`. Left as it is,
//!   typify makes a struct of two flattened optional parts, `X` and any map.
//!
//! And, for the generator only ([`scalar_unions`]): an `anyOf` of scalars
//! (Graph's `Decimal`: a number, a string or `ReferenceNumeric`) is given to
//! the generator as `oneOf`. typify makes an `anyOf` a struct of flattened
//! optional parts, which cannot hold a number or a string (it compiles and
//! fails on every value); a `oneOf` is an untagged enum, whose first matching
//! variant wins: what `anyOf` means. The emulator keeps `anyOf`, which admits
//! a value several parts match.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

/// Examples are values, not schemas: never rewritten.
const VALUES: [&str; 2] = ["example", "examples"];

/// Rewrites every idiom above, wherever a schema can appear.
pub fn rewrite(document: &mut Value) {
    match document {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if !VALUES.contains(&key.as_str()) {
                    rewrite(child);
                }
            }
            nullable_reference(object);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite),
        _ => {}
    }
}

fn nullable_reference(schema: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(parts)) = schema.get(key) else {
            continue;
        };
        let [first, second] = parts.as_slice() else {
            continue;
        };
        let reference = match (is_null_placeholder(first), is_null_placeholder(second)) {
            (false, true) if is_reference(first) => first.clone(),
            (true, false) if is_reference(second) => second.clone(),
            _ => continue,
        };
        schema.remove(key);
        schema.insert("allOf".into(), json!([reference]));
        schema.insert("nullable".into(), Value::Bool(true));
        return;
    }
}

fn is_reference(schema: &Value) -> bool {
    schema
        .as_object()
        .is_some_and(|object| object.len() == 1 && object.contains_key("$ref"))
}

/// `{type: object, nullable: true}` with nothing else that constrains: it
/// stands for `null` beside the reference.
pub fn is_null_placeholder(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    object.get("nullable") == Some(&Value::Bool(true))
        && object.iter().all(|(key, value)| match key.as_str() {
            "nullable" | "description" | "title" => true,
            "type" => value == "object",
            _ => false,
        })
}

/// Renames every `anyOf` whose parts are all scalars to `oneOf`.
pub fn scalar_unions(document: &mut Value) {
    let scalar_components: BTreeSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| is_scalar(schema, &BTreeSet::new()))
        .map(|(name, _)| format!("#/components/schemas/{name}"))
        .collect();
    rename_scalar_unions(document, &scalar_components);
}

fn rename_scalar_unions(value: &mut Value, scalar_components: &BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if !VALUES.contains(&key.as_str()) {
                    rename_scalar_unions(child, scalar_components);
                }
            }
            let all_scalar = match object.get("anyOf") {
                Some(Value::Array(parts)) => {
                    !parts.is_empty() && parts.iter().all(|p| is_scalar(p, scalar_components))
                }
                _ => false,
            };
            if all_scalar && !object.contains_key("oneOf") {
                if let Some(parts) = object.remove("anyOf") {
                    object.insert("oneOf".into(), parts);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rename_scalar_unions(item, scalar_components)),
        _ => {}
    }
}

/// A string, number, integer or boolean schema, or a reference to one.
fn is_scalar(schema: &Value, scalar_components: &BTreeSet<String>) -> bool {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return scalar_components.contains(reference);
    }
    schema
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|kind| matches!(kind, "string" | "number" | "integer" | "boolean"))
}
