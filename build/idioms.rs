//! Graph's OpenAPI idioms, rewritten before generation into the form the
//! generator maps to the Rust type a user expects. The emulator's request
//! schema is made from the rewritten document too, so both read one meaning.
//!
//! - A nullable reference, `anyOf: [{$ref: X}, {type: object, nullable: true}]`
//!   (how Graph's documents write a nullable navigation or complex property),
//!   becomes `allOf: [{$ref: X}], nullable: true`: `Option<X>`. Left as it is,
//!   typify makes a struct of two flattened optional parts, `X` and any map.

use serde_json::{json, Map, Value};

/// Rewrites every idiom above, wherever a schema can appear.
pub fn rewrite(document: &mut Value) {
    match document {
        Value::Object(object) => {
            for child in object.values_mut() {
                rewrite(child);
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
fn is_null_placeholder(schema: &Value) -> bool {
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
