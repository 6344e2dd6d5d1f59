//! `$ref` checking when a document loads, and resolution while comparing.
//!
//! Every reference is checked once at load time, so the differ can treat an
//! unresolvable reference as impossible and never has to report one.

use std::borrow::Cow;

use super::api::Api;
use super::error::Problem;
use super::node::{Node, Token};
use rustc_hash::FxHashSet;

/// How many `$ref` hops a chain may take before it is treated as a loop.
pub(crate) const MAX_REF_HOPS: usize = 32;

/// Object keys whose children are names chosen by the author, not keywords:
/// a property may well be called `default` or `example`.
fn is_name_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "responses"
            | "schemas"
            | "headers"
            | "parameters"
            | "content"
            | "paths"
            | "callbacks"
            | "links"
            | "securitySchemes"
            | "requestBodies"
            | "encoding"
            | "variables"
            | "webhooks"
            | "pathItems"
            | "dependentSchemas"
            | "dependentRequired"
            | "patternProperties"
    )
}

/// Keywords whose values are data, where a `$ref` key is not a reference.
fn is_data(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const")
}

/// Checks that every `$ref` in the document is local, points into
/// `#/components`, and resolves.
pub(crate) fn check_all(api: &Api) -> Result<(), Problem> {
    Checker {
        api,
        valid: FxHashSet::default(),
        at: Vec::new(),
    }
    .walk(api.root(), false)
}

/// The walk through a document, with the references already found valid:
/// whether a reference resolves does not depend on where it is written.
struct Checker<'n> {
    api: &'n Api,
    valid: FxHashSet<&'n str>,
    at: Vec<Token<'n>>,
}

impl<'n> Checker<'n> {
    fn walk(&mut self, node: &'n Node, in_name_map: bool) -> Result<(), Problem> {
        match node {
            Node::Object(map) => {
                if let Some(reference) = node.reference() {
                    self.check(reference)?;
                }
                for (key, child) in map.iter() {
                    let keyword = !in_name_map;
                    if keyword && (key.starts_with("x-") || is_data(key)) {
                        continue;
                    }
                    self.at.push(Token::Key(key));
                    let result = if keyword && &**key == "examples" {
                        self.examples(child)
                    } else {
                        self.walk(child, keyword && is_name_map(key))
                    };
                    self.at.pop();
                    result?;
                }
                Ok(())
            }
            Node::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    self.at.push(Token::Index(index));
                    let result = self.walk(child, false);
                    self.at.pop();
                    result?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// An `examples` map holds Example objects or references to them; an
    /// example's `value` is data and is not searched.
    fn examples(&mut self, examples: &'n Node) -> Result<(), Problem> {
        for (name, example) in examples.entries() {
            if let Some(reference) = example.reference() {
                self.at.push(Token::Key(name));
                let result = self.check(reference);
                self.at.pop();
                result?;
            }
        }
        Ok(())
    }

    fn check(&mut self, reference: &'n str) -> Result<(), Problem> {
        if !self.valid.contains(reference) {
            check_one(self.api, reference, &self.at)?;
            self.valid.insert(reference);
        }
        Ok(())
    }
}

/// Checks one reference and the chain it starts: every hop local, into
/// `#/components`, resolving, and the chain ending at a value within
/// [`MAX_REF_HOPS`] hops without coming back to itself.
fn check_one(api: &Api, reference: &str, at: &[Token<'_>]) -> Result<(), Problem> {
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
        let Some(target) = lookup(api, pointer) else {
            return Err(problem(unresolved));
        };
        if !pointer.starts_with("/components/") {
            return Err(problem(unsupported));
        }
        if seen.contains(&pointer) || seen.len() >= MAX_REF_HOPS {
            return Err(problem(looping));
        }
        seen.push(pointer);
        match target.reference() {
            Some(further) => next = further,
            None => return Ok(()),
        }
    }
}

fn lookup<'v>(api: &'v Api, pointer: &str) -> Option<&'v Node> {
    if pointer.is_empty() {
        return Some(api.root());
    }
    let tokens: Vec<Cow<'_, str>> = pointer
        .strip_prefix('/')?
        .split('/')
        .map(decode_token)
        .collect();
    // A component is found by name, however many there are.
    let (mut node, rest) = match tokens.as_slice() {
        [components, kind, name, rest @ ..] if components == "components" => {
            (api.component(kind, name)?.1, rest)
        }
        all => (api.root(), all),
    };
    for token in rest {
        node = step(node, token)?;
    }
    Some(node)
}

fn step<'v>(node: &'v Node, token: &str) -> Option<&'v Node> {
    match node {
        Node::Object(_) => node.get(token),
        Node::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    }
}

pub(crate) fn pointer_of(at: &[impl std::fmt::Display]) -> String {
    let mut out = String::from("#");
    for token in at {
        out.push('/');
        out.push_str(&token.to_string().replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// Decodes one JSON-pointer token: `~1` is `/`, `~0` is `~`, and a URI
/// fragment may percent-encode anything.
fn decode_token(token: &str) -> Cow<'_, str> {
    if !token.contains(['~', '%']) {
        return Cow::Borrowed(token);
    }
    let unescaped = token.replace("~1", "/").replace("~0", "~");
    if !unescaped.contains('%') {
        return Cow::Owned(unescaped);
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
    Cow::Owned(String::from_utf8(out).unwrap_or(unescaped))
}

/// Splits `#/components/<kind>/<name>/<tail...>` into name and tail tokens.
fn component<'r>(reference: &'r str, kind: &str) -> Option<(Cow<'r, str>, Vec<Cow<'r, str>>)> {
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
    pub(crate) schema: &'a Node,
    pub(crate) name: Option<&'a str>,
}

/// A schema position in a document: a schema or a reference to one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SchemaRef<'a>(pub(crate) &'a Node);

impl<'a> SchemaRef<'a> {
    /// Where the position is in memory: the same address is the same place
    /// of the same document.
    pub(crate) fn address(self) -> usize {
        self.0 as *const Node as usize
    }

    /// Follows references to the schema; `None` only for a reference shape
    /// the loader already refused, or a chain that loops.
    pub(crate) fn resolve(self, api: &'a Api) -> Option<Resolved<'a>> {
        self.resolve_within(api, 0)
    }

    /// `depth` bounds the recursion through pointer tails, which may loop.
    fn resolve_within(self, api: &'a Api, depth: usize) -> Option<Resolved<'a>> {
        if depth > MAX_REF_HOPS {
            return None;
        }
        let mut current = self;
        let mut name = None;
        for _ in 0..MAX_REF_HOPS {
            match current.0.reference() {
                None => {
                    return Some(Resolved {
                        schema: current.0,
                        name,
                    })
                }
                Some(reference) => {
                    let (component_name, tail) = component(reference, "schemas")?;
                    let (key, entry) = api.component("schemas", &component_name)?;
                    let start = SchemaRef(entry);
                    if tail.is_empty() {
                        name = Some(key);
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
    api: &'a Api,
    start: SchemaRef<'a>,
    tail: &[Cow<'_, str>],
    depth: usize,
) -> Option<SchemaRef<'a>> {
    let mut current = start;
    let mut tokens = tail.iter();
    while let Some(token) = tokens.next() {
        let schema = current.resolve_within(api, depth)?.schema;
        let facets = super::diff::schema::facets::Facets::of(schema);
        current = match &**token {
            "items" => facets.items?,
            "additionalProperties" => facets.additional_properties.and_then(additional_schema)?,
            "not" => SchemaRef(facets.not?),
            "properties" => {
                let name = tokens.next()?;
                SchemaRef(&facets.properties.iter().find(|(key, _)| **key == **name)?.1)
            }
            list @ ("allOf" | "oneOf" | "anyOf") => {
                let index: usize = tokens.next()?.parse().ok()?;
                let members = match list {
                    "allOf" => facets.all_of,
                    "oneOf" => facets.one_of,
                    _ => facets.any_of,
                };
                SchemaRef(members.get(index)?)
            }
            _ => return None,
        };
    }
    Some(current)
}

/// Additional properties given as a schema (rather than `true` or `false`).
pub(crate) fn additional_schema(additional: &Node) -> Option<SchemaRef<'_>> {
    matches!(additional, Node::Object(_)).then_some(SchemaRef(additional))
}

/// The JSON pointers of the values of `root` at the `wanted` addresses,
/// found in one walk that stops once all are.
pub(crate) fn pointers(
    root: &Node,
    wanted: &std::collections::HashSet<usize>,
) -> rustc_hash::FxHashMap<usize, String> {
    fn walk<'n>(
        node: &'n Node,
        wanted: &std::collections::HashSet<usize>,
        at: &mut Vec<Token<'n>>,
        found: &mut rustc_hash::FxHashMap<usize, String>,
    ) {
        if found.len() == wanted.len() {
            return;
        }
        if wanted.contains(&(node as *const Node as usize)) {
            found.insert(node as *const Node as usize, pointer_of(at));
        }
        let children = (node.entries().iter())
            .map(|(key, child)| (Token::Key(key), child))
            .chain((node.items().iter().enumerate()).map(|(i, child)| (Token::Index(i), child)));
        for (token, child) in children {
            at.push(token);
            walk(child, wanted, at, found);
            at.pop();
        }
    }
    let mut found = rustc_hash::FxHashMap::default();
    if !wanted.is_empty() {
        walk(root, wanted, &mut Vec::new(), &mut found);
    }
    found
}

/// Follows a `$ref` chain into `#/components/<kind>` to the object it ends at.
pub(crate) fn follow<'a>(api: &'a Api, kind: &str, mut item: &'a Node) -> Option<&'a Node> {
    for _ in 0..MAX_REF_HOPS {
        match item.reference() {
            None => return Some(item),
            Some(reference) => {
                let (name, tail) = component(reference, kind)?;
                if !tail.is_empty() {
                    return None;
                }
                item = api.component(kind, &name)?.1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(value: serde_json::Value) -> Api {
        Api::new(crate::node::Builder::default().value(value))
    }

    #[test]
    fn pointer_tokens_are_unescaped() {
        assert_eq!(decode_token("a~1b~0c"), "a/b~c");
        assert_eq!(decode_token("Foo%20Bar"), "Foo Bar");
        assert_eq!(decode_token("100%"), "100%");
    }

    #[test]
    fn reference_loops_are_refused_naming_where_they_start() {
        let doc = api(serde_json::json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
                "Self": {"$ref": "#/components/schemas/Self"}
            }}
        }));
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
        let doc = api(serde_json::json!({
            "components": {"schemas": {"A": {"properties": {"default": {"$ref": "#/components/schemas/Missing"}}}}}
        }));
        assert!(matches!(
            check_all(&doc),
            Err(Problem::UnresolvedRef { .. })
        ));
    }
}
