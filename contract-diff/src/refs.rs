//! `$ref` checking on the raw document and resolution on the typed one.
//!
//! Every reference is checked once at load time, so the differ can treat an
//! unresolvable reference as impossible and never has to report one.

use openapiv3::{
    AdditionalProperties, Header, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
};
use serde_json::Value;

use super::error::Problem;

/// How many `$ref` hops a chain may take before it is treated as a loop.
pub(crate) const MAX_REF_HOPS: usize = 32;

/// Object keys whose children are names chosen by the author, not keywords:
/// a property may well be called `default` or `example`.
const NAME_MAPS: &[&str] = &[
    "properties",
    "responses",
    "schemas",
    "headers",
    "parameters",
    "content",
    "paths",
    "callbacks",
    "links",
    "securitySchemes",
    "requestBodies",
    "encoding",
    "variables",
];

/// Keywords whose values are data, where a `$ref` key is not a reference.
const DATA_KEYWORDS: &[&str] = &["example", "default", "enum"];

/// Checks that every `$ref` in `raw` is local, points into `#/components`,
/// and resolves.
pub(crate) fn check_all(raw: &Value) -> Result<(), Problem> {
    walk(raw, raw, &mut Vec::new(), false)
}

fn walk(
    root: &Value,
    node: &Value,
    at: &mut Vec<String>,
    in_name_map: bool,
) -> Result<(), Problem> {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                check_one(root, reference, at)?;
            }
            for (key, child) in map {
                let keyword = !in_name_map;
                if keyword && (key.starts_with("x-") || DATA_KEYWORDS.contains(&key.as_str())) {
                    continue;
                }
                at.push(key.clone());
                let result = if keyword && key == "examples" {
                    check_examples(root, child, at)
                } else {
                    walk(
                        root,
                        child,
                        at,
                        keyword && NAME_MAPS.contains(&key.as_str()),
                    )
                };
                at.pop();
                result?;
            }
            Ok(())
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                at.push(index.to_string());
                let result = walk(root, child, at, false);
                at.pop();
                result?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// An `examples` map holds Example objects or references to them; an
/// example's `value` is data and is not searched.
fn check_examples(root: &Value, examples: &Value, at: &mut Vec<String>) -> Result<(), Problem> {
    let Value::Object(map) = examples else {
        return Ok(());
    };
    for (name, example) in map {
        if let Some(Value::String(reference)) = example.get("$ref") {
            at.push(name.clone());
            let result = check_one(root, reference, at);
            at.pop();
            result?;
        }
    }
    Ok(())
}

/// Checks one reference and the chain it starts: every hop local, into
/// `#/components`, resolving, and the chain ending at a value within
/// [`MAX_REF_HOPS`] hops without coming back to itself.
fn check_one(root: &Value, reference: &str, at: &[String]) -> Result<(), Problem> {
    let problem = |kind: fn(String, String) -> Problem| kind(reference.to_owned(), pointer_of(at));
    let unsupported = |reference, at| Problem::UnsupportedRef { reference, at };
    let unresolved = |reference, at| Problem::UnresolvedRef { reference, at };
    let looping = |reference, at| Problem::RefLoop { reference, at };
    let mut seen: Vec<&str> = Vec::new();
    let mut next = reference;
    loop {
        let Some(pointer) = next.strip_prefix('#') else {
            return Err(problem(unsupported));
        };
        let Some(target) = lookup(root, pointer) else {
            return Err(problem(unresolved));
        };
        if !pointer.starts_with("/components/") {
            return Err(problem(unsupported));
        }
        if seen.contains(&pointer) || seen.len() >= MAX_REF_HOPS {
            return Err(problem(looping));
        }
        seen.push(pointer);
        match target.get("$ref") {
            Some(Value::String(further)) => next = further,
            _ => return Ok(()),
        }
    }
}

fn lookup<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = decode_token(token);
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

pub(crate) fn pointer_of(at: &[String]) -> String {
    let mut out = String::from("#");
    for token in at {
        out.push('/');
        out.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// Decodes one JSON-pointer token: `~1` is `/`, `~0` is `~`, and a URI
/// fragment may percent-encode anything.
fn decode_token(token: &str) -> String {
    let unescaped = token.replace("~1", "/").replace("~0", "~");
    if !unescaped.contains('%') {
        return unescaped;
    }
    let bytes = unescaped.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or(unescaped)
}

/// Splits `#/components/<kind>/<name>/<tail...>` into name and tail tokens.
fn component(reference: &str, kind: &str) -> Option<(String, Vec<String>)> {
    let rest = reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    let mut tokens = rest.split('/').map(decode_token);
    let name = tokens.next()?;
    Some((name, tokens.collect()))
}

/// A schema after following its `$ref` chain, with the component name it was
/// reached through (the last one in the chain), if any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved<'a> {
    pub(crate) schema: &'a Schema,
    pub(crate) name: Option<&'a str>,
}

/// A schema position: `openapiv3` boxes some and not others.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Plain(&'a ReferenceOr<Schema>),
    Boxed(&'a ReferenceOr<Box<Schema>>),
}

impl<'a> SchemaRef<'a> {
    /// Where the position is in memory: the same address is the same place
    /// of the same document.
    pub(crate) fn address(self) -> usize {
        match self {
            SchemaRef::Plain(node) => node as *const ReferenceOr<Schema> as usize,
            SchemaRef::Boxed(node) => node as *const ReferenceOr<Box<Schema>> as usize,
        }
    }

    fn parts(self) -> Result<&'a str, &'a Schema> {
        match self {
            SchemaRef::Plain(ReferenceOr::Reference { reference })
            | SchemaRef::Boxed(ReferenceOr::Reference { reference }) => Ok(reference),
            SchemaRef::Plain(ReferenceOr::Item(schema)) => Err(schema),
            SchemaRef::Boxed(ReferenceOr::Item(schema)) => Err(schema),
        }
    }

    /// Follows references to the schema; `None` only for a reference shape
    /// the loader already refused, or a chain that loops.
    pub(crate) fn resolve(self, api: &'a OpenAPI) -> Option<Resolved<'a>> {
        self.resolve_within(api, 0)
    }

    /// `depth` bounds the recursion through pointer tails, which may loop.
    fn resolve_within(self, api: &'a OpenAPI, depth: usize) -> Option<Resolved<'a>> {
        if depth > MAX_REF_HOPS {
            return None;
        }
        let mut current = self;
        let mut name = None;
        for _ in 0..MAX_REF_HOPS {
            match current.parts() {
                Err(schema) => return Some(Resolved { schema, name }),
                Ok(reference) => {
                    let (component_name, tail) = component(reference, "schemas")?;
                    let (key, entry) = api
                        .components
                        .as_ref()?
                        .schemas
                        .get_key_value(&component_name)?;
                    let start = SchemaRef::Plain(entry);
                    if tail.is_empty() {
                        name = Some(key.as_str());
                        current = start;
                    } else {
                        name = None;
                        current = navigate(api, start, &tail, depth + 1)?;
                    }
                }
            }
        }
        None
    }
}

/// Walks a pointer tail such as `properties/id` or `items` inside a schema.
fn navigate<'a>(
    api: &'a OpenAPI,
    start: SchemaRef<'a>,
    tail: &[String],
    depth: usize,
) -> Option<SchemaRef<'a>> {
    let mut current = start;
    let mut tokens = tail.iter();
    while let Some(token) = tokens.next() {
        let schema = current.resolve_within(api, depth)?.schema;
        let facets = super::diff::schema::facets::Facets::of(schema);
        current = match token.as_str() {
            "items" => facets.items?,
            "additionalProperties" => facets.additional_properties.and_then(additional_schema)?,
            "not" => SchemaRef::Plain(facets.not?),
            "properties" => {
                let name = tokens.next()?;
                facets
                    .properties
                    .iter()
                    .find(|(key, _)| *key == name.as_str())?
                    .1
            }
            list @ ("allOf" | "oneOf" | "anyOf") => {
                let index: usize = tokens.next()?.parse().ok()?;
                let members = match list {
                    "allOf" => facets.all_of,
                    "oneOf" => facets.one_of,
                    _ => facets.any_of,
                };
                SchemaRef::Plain(members.get(index)?)
            }
            _ => return None,
        };
    }
    Some(current)
}

/// Additional properties given as a schema, if they are.
pub(crate) fn additional_schema(additional: &AdditionalProperties) -> Option<SchemaRef<'_>> {
    match additional {
        AdditionalProperties::Schema(schema) => Some(SchemaRef::Plain(schema)),
        AdditionalProperties::Any(_) => None,
    }
}

macro_rules! component_resolver {
    ($fn_name:ident, $ty:ty, $kind:literal, $field:ident) => {
        /// Follows a `$ref` chain into `#/components`.
        pub(crate) fn $fn_name<'a>(
            api: &'a OpenAPI,
            mut item: &'a ReferenceOr<$ty>,
        ) -> Option<&'a $ty> {
            for _ in 0..MAX_REF_HOPS {
                match item {
                    ReferenceOr::Item(value) => return Some(value),
                    ReferenceOr::Reference { reference } => {
                        let (name, tail) = component(reference, $kind)?;
                        if !tail.is_empty() {
                            return None;
                        }
                        item = api.components.as_ref()?.$field.get(&name)?;
                    }
                }
            }
            None
        }
    };
}

component_resolver!(parameter, Parameter, "parameters", parameters);
component_resolver!(request_body, RequestBody, "requestBodies", request_bodies);
component_resolver!(response, Response, "responses", responses);
component_resolver!(header, Header, "headers", headers);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_unescaped() {
        assert_eq!(decode_token("a~1b~0c"), "a/b~c");
        assert_eq!(decode_token("Foo%20Bar"), "Foo Bar");
        assert_eq!(decode_token("100%"), "100%");
    }

    #[test]
    fn reference_loops_are_refused_naming_where_they_start() {
        let doc: Value = serde_json::json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
                "Self": {"$ref": "#/components/schemas/Self"}
            }}
        });
        assert_eq!(
            check_all(&doc),
            Err(Problem::RefLoop {
                reference: "#/components/schemas/B".into(),
                at: "#/components/schemas/A".into()
            })
        );
    }

    #[test]
    fn keys_named_like_keywords_are_still_searched_under_properties() {
        let doc: Value = serde_json::json!({
            "components": {"schemas": {"A": {"properties": {"default": {"$ref": "#/components/schemas/Missing"}}}}}
        });
        assert!(matches!(
            walk(&doc, &doc, &mut Vec::new(), false),
            Err(Problem::UnresolvedRef { .. })
        ));
    }
}
