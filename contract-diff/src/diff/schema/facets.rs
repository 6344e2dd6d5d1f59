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
}

impl<'a> Facets<'a> {
    pub(crate) fn of(schema: &'a Node) -> Self {
        let mut facets = Facets {
            data: Some(schema),
            ..Facets::default()
        };
        let (mut ty, mut enumeration) = (None, &[][..]);
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
                "type" => ty = value.as_str(),
                "format" => facets.format = value.as_str(),
                "enum" => enumeration = value.items(),
                "minimum" => facets.minimum = float(),
                "maximum" => facets.maximum = float(),
                "exclusiveMinimum" => facets.exclusive_minimum = value.as_bool() == Some(true),
                "exclusiveMaximum" => facets.exclusive_maximum = value.as_bool() == Some(true),
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
                "unevaluatedProperties" => facets.closed |= value.as_bool() == Some(false),
                "oneOf" => facets.one_of = value.items(),
                "allOf" => facets.all_of = value.items(),
                "anyOf" => facets.any_of = value.items(),
                "not" => facets.not = Some(value),
                _ => {}
            }
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
