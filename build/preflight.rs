//! What progenitor 0.15 cannot generate, found before it runs, so that the
//! build names the place (a JSON pointer) and the way out instead of the
//! generator's panic text.

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The first construct the generator cannot handle, as one message.
pub fn check(document: &Value) -> Result<(), String> {
    let version = document
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !version.starts_with("3.0.") {
        return refuse(
            "/openapi",
            &format!("is {version:?}; the generator reads OpenAPI 3.0.x only"),
            "write the document as `openapi: 3.0.3`",
        );
    }
    let paths = document.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let at = format!("/paths/{}/{method}", escape(path));
                check_operation(document, &at, operation)?;
            }
        }
    }
    walk_schemas("", document)
}

fn check_operation(document: &Value, at: &str, operation: &Value) -> Result<(), String> {
    if operation
        .get("operationId")
        .and_then(Value::as_str)
        .is_none()
    {
        return refuse(
            at,
            "has no operationId",
            "give it one: it names the generated method",
        );
    }
    if let Some(body) = operation.get("requestBody").map(|b| resolve(document, b)) {
        if let Some(content) = body.get("content").and_then(Value::as_object) {
            if content.len() > 1 {
                return refuse(
                    &format!("{at}/requestBody/content"),
                    &format!("offers {} media types", content.len()),
                    "keep one request media type (application/json)",
                );
            }
            for (media, value) in content {
                if value.get("encoding").is_some() {
                    return refuse(
                        &format!("{at}/requestBody/content/{}/encoding", escape(media)),
                        "sets a media type encoding",
                        "remove `encoding`; the generator supports none",
                    );
                }
            }
        }
    }
    check_responses(document, at, operation)
}

/// One typed success and one typed error per operation: the generator
/// panics on a second type of either kind.
fn check_responses(document: &Value, at: &str, operation: &Value) -> Result<(), String> {
    let responses = operation.get("responses").and_then(Value::as_object);
    let mut success: Option<(&str, &Value)> = None;
    let mut failure: Option<(&str, &Value)> = None;
    for (status, response) in responses.into_iter().flatten() {
        let Some(schema) = response_schema(document, response) else {
            continue;
        };
        let slot = match status.as_bytes().first() {
            Some(b'2') => &mut success,
            _ => &mut failure,
        };
        match slot {
            Some((first, seen)) if *seen != schema => {
                let kind = if status.starts_with('2') {
                    "success"
                } else {
                    "error"
                };
                return refuse(
                    &format!("{at}/responses/{}", escape(status)),
                    &format!("has a second {kind} body type (the first is `{first}`)"),
                    &format!("give every {kind} response the same schema (one `$ref`)"),
                );
            }
            Some(_) => {}
            None => *slot = Some((status, schema)),
        }
    }
    Ok(())
}

fn response_schema<'a>(document: &'a Value, response: &'a Value) -> Option<&'a Value> {
    let response = resolve(document, response);
    let content = response.get("content")?.as_object()?;
    content.values().next()?.get("schema")
}

/// Finds every schema: the component schemas and each `schema` of a
/// parameter, header or media type.
fn walk_schemas(at: &str, value: &Value) -> Result<(), String> {
    match value {
        Value::Object(object) => object.iter().try_for_each(|(key, child)| {
            let here = format!("{at}/{}", escape(key));
            match key.as_str() {
                "example" | "examples" => Ok(()),
                "schema" => check_schema(&here, child),
                "schemas" if at == "/components" => child
                    .as_object()
                    .into_iter()
                    .flatten()
                    .try_for_each(|(name, schema)| {
                        check_schema(&format!("{here}/{}", escape(name)), schema)
                    }),
                _ => walk_schemas(&here, child),
            }
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| walk_schemas(&format!("{at}/{i}"), item)),
        _ => Ok(()),
    }
}

/// Schema keywords the generator stops on, in a schema and its sub-schemas.
fn check_schema(at: &str, schema: &Value) -> Result<(), String> {
    let Some(object) = schema.as_object() else {
        return Ok(());
    };
    for (bound, limit) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if object.get(bound) == Some(&Value::Bool(true)) && !object.contains_key(limit) {
            return refuse(
                &format!("{at}/{bound}"),
                &format!("is set without `{limit}`"),
                &format!("add `{limit}` or remove `{bound}`"),
            );
        }
    }
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
        // The generated code checks patterns with regress (ECMAScript syntax).
        if let Err(e) = regress::Regex::new(pattern) {
            return refuse(
                &format!("{at}/pattern"),
                &format!("is not an ECMAScript regular expression ({e})"),
                "fix the pattern, or remove it",
            );
        }
    }
    if let Some(kind) = object.get("type") {
        let known = ["string", "number", "integer", "boolean", "array", "object"];
        if !kind.as_str().is_some_and(|k| known.contains(&k)) {
            return refuse(
                &format!("{at}/type"),
                &format!("is {kind}, not one OpenAPI 3.0 type"),
                "use one of string, number, integer, boolean, array, object (`nullable: true` for null)",
            );
        }
    }
    for (key, child) in object {
        let here = format!("{at}/{}", escape(key));
        match key.as_str() {
            "items" | "not" | "additionalProperties" => check_schema(&here, child)?,
            "properties" => {
                for (name, property) in child.as_object().into_iter().flatten() {
                    check_schema(&format!("{here}/{}", escape(name)), property)?;
                }
            }
            "allOf" | "oneOf" | "anyOf" => {
                for (i, member) in child.as_array().into_iter().flatten().enumerate() {
                    check_schema(&format!("{here}/{i}"), member)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Follows one local `$ref`.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
            .unwrap_or(value),
        None => value,
    }
}

/// A JSON pointer token (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn refuse(pointer: &str, what: &str, instead: &str) -> Result<(), String> {
    Err(format!("#{pointer} {what}: {instead}"))
}
