//! One schema's keywords, read uniformly whatever combination it has.

use serde_json::Value;

use crate::node::Node;
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
    pub(crate) properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub(crate) required: Vec<&'a str>,
    /// `additionalProperties`: a schema, or `true` / `false`.
    pub(crate) additional_properties: Option<&'a Node>,
    pub(crate) one_of: &'a [Node],
    pub(crate) all_of: &'a [Node],
    pub(crate) any_of: &'a [Node],
    pub(crate) not: Option<&'a Node>,
}

/// Keywords that only a number or integer schema may have among its own.
const NON_NUMBER_KEYWORDS: &[&str] = &[
    "pattern",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "oneOf",
    "allOf",
    "anyOf",
    "not",
];

impl<'a> Facets<'a> {
    pub(crate) fn of(schema: &'a Node) -> Self {
        let number = |key| schema.field(key).and_then(Node::as_number);
        let float = |key| number(key).and_then(serde_json::Number::as_f64);
        let list = |key| schema.field(key).map_or(&[][..], Node::items);
        let ty = schema.str_field("type");
        let enumeration = schema.field("enum").map(Node::items).unwrap_or_default();
        // A number schema's enumeration is read as floating point (`1`
        // becomes `1.0`) when the schema has only number keywords, as
        // OpenAPI object models read a `type: number` schema.
        let floats = ty == Some("number")
            && NON_NUMBER_KEYWORDS
                .iter()
                .all(|key| schema.field(key).is_none())
            && enumeration
                .iter()
                .all(|v| matches!(v, Node::Null | Node::Number(_)));
        Facets {
            data: Some(schema),
            ty: ty.and_then(JsonType::parse),
            format: schema.str_field("format"),
            enumeration: (!enumeration.is_empty()).then(|| {
                enumeration
                    .iter()
                    .map(|value| match value.as_number().and_then(|n| n.as_f64()) {
                        Some(float) if floats => serde_json::json!(float),
                        _ => value.to_value(),
                    })
                    .collect()
            }),
            minimum: float("minimum"),
            maximum: float("maximum"),
            exclusive_minimum: schema.flag("exclusiveMinimum"),
            exclusive_maximum: schema.flag("exclusiveMaximum"),
            multiple_of: float("multipleOf"),
            min_length: schema.count("minLength"),
            max_length: schema.count("maxLength"),
            pattern: schema.str_field("pattern"),
            items: schema.field("items").map(SchemaRef),
            min_items: schema.count("minItems"),
            max_items: schema.count("maxItems"),
            properties: schema
                .field("properties")
                .map_or(&[][..], Node::entries)
                .iter()
                .map(|(name, property)| (&**name, SchemaRef(property)))
                .collect(),
            required: schema.strings("required").collect(),
            additional_properties: schema.field("additionalProperties"),
            one_of: list("oneOf"),
            all_of: list("allOf"),
            any_of: list("anyOf"),
            not: schema.field("not"),
        }
    }
}
