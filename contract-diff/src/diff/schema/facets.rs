//! One schema's keywords, read uniformly from `openapiv3`'s several shapes.
//!
//! `openapiv3` models a schema as a typed variant when its keywords fit one
//! (`type: string` with string keywords only), and as `Any` otherwise (a type
//! mixed with `allOf`, no type at all). The differ must not care which.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

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
    pub(crate) data: Option<&'a SchemaData>,
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
    pub(crate) unique_items: bool,
    pub(crate) properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub(crate) required: &'a [String],
    pub(crate) additional_properties: Option<&'a AdditionalProperties>,
    pub(crate) min_properties: Option<usize>,
    pub(crate) max_properties: Option<usize>,
    pub(crate) one_of: &'a [ReferenceOr<Schema>],
    pub(crate) all_of: &'a [ReferenceOr<Schema>],
    pub(crate) any_of: &'a [ReferenceOr<Schema>],
    pub(crate) not: Option<&'a ReferenceOr<Schema>>,
}

fn format_of<T>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item)),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn enum_of<T>(values: &[Option<T>], to_json: impl Fn(&T) -> Value) -> Option<Vec<Value>> {
    (!values.is_empty()).then(|| {
        values
            .iter()
            .map(|v| v.as_ref().map_or(Value::Null, &to_json))
            .collect()
    })
}

fn properties_of(map: &IndexMap<String, ReferenceOr<Box<Schema>>>) -> Vec<(&str, SchemaRef<'_>)> {
    map.iter()
        .map(|(name, schema)| (name.as_str(), SchemaRef::Boxed(schema)))
        .collect()
}

impl<'a> Facets<'a> {
    pub(crate) fn of(schema: &'a Schema) -> Self {
        let mut facets = Facets {
            data: Some(&schema.schema_data),
            ..Facets::default()
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                facets.ty = Some(JsonType::String);
                facets.format = format_of(&s.format, |f| match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "byte",
                    openapiv3::StringFormat::Binary => "binary",
                });
                facets.pattern = s.pattern.as_deref();
                facets.enumeration = enum_of(&s.enumeration, |v| Value::String(v.clone()));
                facets.min_length = s.min_length;
                facets.max_length = s.max_length;
            }
            SchemaKind::Type(Type::Number(n)) => {
                facets.ty = Some(JsonType::Number);
                facets.format = format_of(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                facets.enumeration = enum_of(&n.enumeration, |v| serde_json::json!(v));
                facets.minimum = n.minimum;
                facets.maximum = n.maximum;
                facets.exclusive_minimum = n.exclusive_minimum;
                facets.exclusive_maximum = n.exclusive_maximum;
                facets.multiple_of = n.multiple_of;
            }
            SchemaKind::Type(Type::Integer(i)) => {
                facets.ty = Some(JsonType::Integer);
                facets.format = format_of(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                facets.enumeration = enum_of(&i.enumeration, |v| Value::from(*v));
                // Integer bounds beyond 2^53 lose precision as f64; comparing
                // them is still exact enough to order them.
                facets.minimum = i.minimum.map(|v| v as f64);
                facets.maximum = i.maximum.map(|v| v as f64);
                facets.exclusive_minimum = i.exclusive_minimum;
                facets.exclusive_maximum = i.exclusive_maximum;
                facets.multiple_of = i.multiple_of.map(|v| v as f64);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                facets.ty = Some(JsonType::Boolean);
                facets.enumeration = enum_of(&b.enumeration, |v| Value::Bool(*v));
            }
            SchemaKind::Type(Type::Object(o)) => {
                facets.ty = Some(JsonType::Object);
                facets.properties = properties_of(&o.properties);
                facets.required = &o.required;
                facets.additional_properties = o.additional_properties.as_ref();
                facets.min_properties = o.min_properties;
                facets.max_properties = o.max_properties;
            }
            SchemaKind::Type(Type::Array(a)) => {
                facets.ty = Some(JsonType::Array);
                facets.items = a.items.as_ref().map(SchemaRef::Boxed);
                facets.min_items = a.min_items;
                facets.max_items = a.max_items;
                facets.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => facets.one_of = one_of,
            SchemaKind::AllOf { all_of } => facets.all_of = all_of,
            SchemaKind::AnyOf { any_of } => facets.any_of = any_of,
            SchemaKind::Not { not } => facets.not = Some(not),
            SchemaKind::Any(any) => {
                facets.ty = any.typ.as_deref().and_then(JsonType::parse);
                facets.format = any.format.as_deref();
                facets.pattern = any.pattern.as_deref();
                facets.enumeration = (!any.enumeration.is_empty()).then(|| any.enumeration.clone());
                facets.minimum = any.minimum;
                facets.maximum = any.maximum;
                facets.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
                facets.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
                facets.multiple_of = any.multiple_of;
                facets.min_length = any.min_length;
                facets.max_length = any.max_length;
                facets.items = any.items.as_ref().map(SchemaRef::Boxed);
                facets.min_items = any.min_items;
                facets.max_items = any.max_items;
                facets.unique_items = any.unique_items.unwrap_or(false);
                facets.properties = properties_of(&any.properties);
                facets.required = &any.required;
                facets.additional_properties = any.additional_properties.as_ref();
                facets.min_properties = any.min_properties;
                facets.max_properties = any.max_properties;
                facets.one_of = &any.one_of;
                facets.all_of = &any.all_of;
                facets.any_of = &any.any_of;
                facets.not = any.not.as_deref();
            }
        }
        facets
    }
}
