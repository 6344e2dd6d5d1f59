//! One schema's keywords, read uniformly whatever combination it has.

use serde_json::Value;

use crate::node::{Entry, Node};
use crate::refs::SchemaRef;

/// A JSON Schema primitive type, as OpenAPI 3.0 spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum JsonType {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
}

impl JsonType {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "number" => Self::Number,
            "integer" => Self::Integer,
            "boolean" => Self::Boolean,
            "object" => Self::Object,
            "array" => Self::Array,
            _ => return None,
        })
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Integer => "integer",
            Self::Boolean => "boolean",
            Self::Object => "object",
            Self::Array => "array",
        }
    }
}

/// The keywords of one schema object, without following `allOf`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facets<'a> {
    /// The schema object itself, for its annotations (`nullable`, `title`, ...).
    pub(crate) data: Option<&'a Node>,
    pub(crate) ty: Option<JsonType>,
    /// `type` as written, a name [`JsonType`] may not know (`int`).
    pub(crate) type_name: Option<&'a str>,
    pub(crate) format: Option<&'a str>,
    pub(crate) enumeration: Option<Vec<Value>>,
    pub(crate) minimum: Option<f64>,
    pub(crate) exclusive_minimum: bool,
    pub(crate) maximum: Option<f64>,
    pub(crate) exclusive_maximum: bool,
    pub(crate) multiple_of: Option<f64>,
    pub(crate) min_length: Option<usize>,
    pub(crate) max_length: Option<usize>,
    pub(crate) pattern: Option<&'a str>,
    pub(crate) items: Option<SchemaRef<'a>>,
    pub(crate) min_items: Option<usize>,
    pub(crate) max_items: Option<usize>,
    /// `properties`: names and schemas.
    pub(crate) properties: &'a [Entry],
    /// `required`: the names (strings) among its items.
    pub(crate) required: &'a [Node],
    /// `additionalProperties`: a schema, or `true` / `false`.
    pub(crate) additional_properties: Option<&'a Node>,
    pub(crate) one_of: &'a [Node],
    pub(crate) all_of: &'a [Node],
    pub(crate) any_of: &'a [Node],
    pub(crate) not: Option<&'a Node>,
    /// `additionalProperties: false` or `unevaluatedProperties: false`:
    /// a property it does not name is refused.
    pub(crate) closed: bool,
    /// `type: [string, "null"]` (3.1): `null` among the types.
    pub(crate) null_type: bool,
    /// `type: [integer, string]` (3.1): several types besides `null`, sorted.
    pub(crate) type_list: Option<Vec<&'a str>>,
    /// The JSON Schema 2020-12 keywords of OpenAPI 3.1.
    pub(crate) json_schema: JsonSchema<'a>,
}

/// The keywords OpenAPI 3.1 takes from JSON Schema 2020-12 that 3.0 lacks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsonSchema<'a> {
    pub(crate) constant: Option<&'a Node>,
    pub(crate) prefix_items: &'a [Node],
    pub(crate) contains: Option<&'a Node>,
    pub(crate) min_contains: Option<usize>,
    pub(crate) max_contains: Option<usize>,
    pub(crate) if_: Option<&'a Node>,
    pub(crate) then: Option<&'a Node>,
    pub(crate) else_: Option<&'a Node>,
    /// `dependentRequired`: property names, each with the names it requires.
    pub(crate) dependent_required: &'a [Entry],
    pub(crate) dependent_schemas: &'a [Entry],
    pub(crate) pattern_properties: &'a [Entry],
    pub(crate) property_names: Option<&'a Node>,
    pub(crate) unevaluated_properties: Option<&'a Node>,
    pub(crate) unevaluated_items: Option<&'a Node>,
    pub(crate) content_media_type: Option<&'a str>,
    pub(crate) content_encoding: Option<&'a str>,
    pub(crate) content_schema: Option<&'a Node>,
}

impl<'a> Facets<'a> {
    pub(crate) fn of(schema: &'a Node) -> Self {
        let mut facets = Facets {
            data: Some(schema),
            ..Facets::default()
        };
        let (mut ty, mut enumeration) = (None, &[][..]);
        let mut types = &[][..];
        // Whether the schema has a keyword of strings, objects, arrays or
        // composition: a number schema without any reads its enumeration
        // as floating point (`1` becomes `1.0`), as OpenAPI object models
        // read a `type: number` schema.
        let mut other_than_number = false;
        // One pass over the keywords; a keyword set to `null` is absent.
        for (key, value) in schema.entries() {
            if matches!(value, Node::Null) {
                continue;
            }
            let float = || value.as_number().and_then(serde_json::Number::as_f64);
            let count = || usize::try_from(value.as_number()?.as_u64()?).ok();
            other_than_number |= matches!(
                &**key,
                "pattern"
                    | "properties"
                    | "required"
                    | "additionalProperties"
                    | "minProperties"
                    | "maxProperties"
                    | "items"
                    | "minItems"
                    | "maxItems"
                    | "uniqueItems"
                    | "minLength"
                    | "maxLength"
                    | "oneOf"
                    | "allOf"
                    | "anyOf"
                    | "not"
            );
            match &**key {
                "type" => {
                    ty = value.as_str();
                    types = value.items();
                }
                "format" => facets.format = value.as_str(),
                "enum" => enumeration = value.items(),
                "minimum" => facets.minimum = facets.minimum.or(float()),
                "maximum" => facets.maximum = facets.maximum.or(float()),
                // 3.0 marks the bound exclusive; 3.1 gives the exclusive bound.
                "exclusiveMinimum" => match float() {
                    Some(bound) => {
                        facets.minimum = Some(bound);
                        facets.exclusive_minimum = true;
                    }
                    None => facets.exclusive_minimum |= value.as_bool() == Some(true),
                },
                "exclusiveMaximum" => match float() {
                    Some(bound) => {
                        facets.maximum = Some(bound);
                        facets.exclusive_maximum = true;
                    }
                    None => facets.exclusive_maximum |= value.as_bool() == Some(true),
                },
                "multipleOf" => facets.multiple_of = float(),
                "minLength" => facets.min_length = count(),
                "maxLength" => facets.max_length = count(),
                // An empty pattern constrains nothing: no pattern, as oasdiff reads it.
                "pattern" => facets.pattern = value.as_str().filter(|p| !p.is_empty()),
                "items" => facets.items = Some(SchemaRef(value)),
                "minItems" => facets.min_items = count(),
                "maxItems" => facets.max_items = count(),
                "properties" => facets.properties = value.entries(),
                "required" => facets.required = value.items(),
                "additionalProperties" => {
                    facets.additional_properties = Some(value);
                    facets.closed |= value.as_bool() == Some(false);
                }
                "unevaluatedProperties" => {
                    facets.closed |= value.as_bool() == Some(false);
                    facets.json_schema.unevaluated_properties = Some(value);
                }
                "unevaluatedItems" => facets.json_schema.unevaluated_items = Some(value),
                "const" => facets.json_schema.constant = Some(value),
                "prefixItems" => facets.json_schema.prefix_items = value.items(),
                "contains" => facets.json_schema.contains = Some(value),
                "minContains" => facets.json_schema.min_contains = count(),
                "maxContains" => facets.json_schema.max_contains = count(),
                "if" => facets.json_schema.if_ = Some(value),
                "then" => facets.json_schema.then = Some(value),
                "else" => facets.json_schema.else_ = Some(value),
                "dependentRequired" => facets.json_schema.dependent_required = value.entries(),
                "dependentSchemas" => facets.json_schema.dependent_schemas = value.entries(),
                "patternProperties" => facets.json_schema.pattern_properties = value.entries(),
                "propertyNames" => facets.json_schema.property_names = Some(value),
                "contentMediaType" => facets.json_schema.content_media_type = value.as_str(),
                "contentEncoding" => facets.json_schema.content_encoding = value.as_str(),
                "contentSchema" => facets.json_schema.content_schema = Some(value),
                "oneOf" => facets.one_of = value.items(),
                "allOf" => facets.all_of = value.items(),
                "anyOf" => facets.any_of = value.items(),
                "not" => facets.not = Some(value),
                _ => {}
            }
        }
        // `type: [string, "null"]` is a nullable string; several other types
        // are spelled as written, sorted (`integer, string`).
        let mut named: Vec<&str> = types.iter().filter_map(Node::as_str).collect();
        if ty == Some("null") {
            // `type: 'null'`: only null.
            (ty, named) = (None, vec!["null"]);
        }
        facets.null_type = named.contains(&"null");
        named.retain(|name| *name != "null");
        named.sort_unstable();
        if let [single] = named[..] {
            ty = Some(single);
        } else if named.len() > 1 {
            facets.type_list = Some(named);
        }
        facets.ty = ty.and_then(JsonType::parse);
        facets.type_name = ty;
        let floats = ty == Some("number")
            && !other_than_number
            && enumeration
                .iter()
                .all(|v| matches!(v, Node::Null | Node::Number(_)));
        facets.enumeration = (!enumeration.is_empty()).then(|| {
            enumeration
                .iter()
                .map(|value| match value.as_number().and_then(|n| n.as_f64()) {
                    Some(float) if floats => serde_json::json!(float),
                    _ => value.to_value(),
                })
                .collect()
        });
        facets
    }
}

impl<'a> JsonSchema<'a> {
    /// Takes each keyword `other` has that this one lacks: the first schema
    /// of a conjunction that has a keyword gives it.
    pub(crate) fn absorb(&mut self, other: &Self) {
        fn first<T: Copy>(ours: &mut Option<T>, theirs: Option<T>) {
            *ours = ours.or(theirs);
        }
        first(&mut self.constant, other.constant);
        first(&mut self.contains, other.contains);
        first(&mut self.min_contains, other.min_contains);
        first(&mut self.max_contains, other.max_contains);
        first(&mut self.if_, other.if_);
        first(&mut self.then, other.then);
        first(&mut self.else_, other.else_);
        first(&mut self.property_names, other.property_names);
        first(
            &mut self.unevaluated_properties,
            other.unevaluated_properties,
        );
        first(&mut self.unevaluated_items, other.unevaluated_items);
        first(&mut self.content_media_type, other.content_media_type);
        first(&mut self.content_encoding, other.content_encoding);
        first(&mut self.content_schema, other.content_schema);
        if self.prefix_items.is_empty() {
            self.prefix_items = other.prefix_items;
        }
        if self.dependent_required.is_empty() {
            self.dependent_required = other.dependent_required;
        }
        if self.dependent_schemas.is_empty() {
            self.dependent_schemas = other.dependent_schemas;
        }
        if self.pattern_properties.is_empty() {
            self.pattern_properties = other.pattern_properties;
        }
    }
}
