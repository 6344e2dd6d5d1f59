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

/// The keys of an OpenAPI object whose value maps names to objects (a
/// schema's `properties`, a media type map, the document's `paths`...): there
/// a key is a name, so a property named `example` is a schema like any other.
const NAME_MAPS: &[&str] = &[
    "properties",
    "paths",
    "responses",
    "content",
    "headers",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "encoding",
    "variables",
];

/// Calls `visit` on every object of the document, innermost first, except
/// inside example values: the `example` and `examples` keywords of a Schema,
/// Media Type, Parameter or Header object (and `components.examples`). Told
/// by position, not by key: a key of a name map is never a keyword.
fn each_object(value: &mut Value, visit: &mut impl FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match key.as_str() {
                    "example" | "examples" => {}
                    key if NAME_MAPS.contains(&key) => match child {
                        Value::Object(named) => {
                            named.values_mut().for_each(|c| each_object(c, visit))
                        }
                        // An operation's `parameters` is a list.
                        list => each_object(list, visit),
                    },
                    _ => each_object(child, visit),
                }
            }
            visit(object);
        }
        Value::Array(items) => items.iter_mut().for_each(|item| each_object(item, visit)),
        _ => {}
    }
}

/// Rewrites every idiom above, wherever a schema can appear.
pub fn rewrite(document: &mut Value) {
    each_object(document, &mut nullable_reference);
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

fn rename_scalar_unions(document: &mut Value, scalar_components: &BTreeSet<String>) {
    each_object(document, &mut |object| {
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
    });
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
