//! Under `--profile codegen`: the Rust type typify 0.8 generates for a
//! schema, as far as code written against it can tell, and the rule that
//! reports when it changes (`codegen-type-changed`).
//!
//! Integer and number formats have rules of their own
//! (`codegen-integer-format-*`, `codegen-number-format-changed`), so this
//! one ignores them; where a wire rule already reports the same keyword
//! change at `ERR`, it stays silent, so that no change is reported twice.

use serde_json::Value;

use super::cursor::{Cursor, Site};
use super::facets::JsonType;
use super::graph::Out;
use super::shape::Shape;
use super::types;
use crate::{rules, Level};

/// Which keyword changes of a pair a wire rule already reported at `ERR`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Covered {
    /// `type` or `format`.
    pub(crate) ty: bool,
    pub(crate) nullable: bool,
    /// `enum` added or removed.
    pub(crate) enumeration: bool,
}

impl Covered {
    /// Every keyword, or none.
    pub(crate) fn all(covered: bool) -> Self {
        Self {
            ty: covered,
            nullable: covered,
            enumeration: covered,
        }
    }
}

/// What typify makes of a schema, leaving out what other rules compare:
/// integer and float widths, the names of generated types, sub-schemas.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// `x-rust-type`, which replaces the generated type: its value.
    Custom(Value),
    /// `oneOf` / `anyOf`: a generated enum.
    Union,
    /// A string `enum`: a generated enum.
    Enum,
    /// Named properties: a generated struct; `extra` when
    /// `additionalProperties` is a schema (a flattened map field).
    Struct {
        extra: bool,
    },
    /// An object without properties: a map, of `additionalProperties`
    /// values when it is a schema (`values`), else of JSON values.
    Map {
        values: bool,
    },
    /// A string: `String` or the type of its format.
    Text(&'static str),
    Integer,
    Number,
    Boolean,
    Array,
    /// No type: `serde_json::Value`.
    Any,
}

impl Kind {
    fn of(shape: &Shape<'_>) -> Self {
        if let Some(custom) = shape.extension("x-rust-type") {
            let custom = custom.to_value();
            let path = custom.get("path").and_then(Value::as_str);
            return match path.and_then(native) {
                Some(kind) => kind,
                None => Kind::Custom(custom),
            };
        }
        if !shape.one_of.is_empty() || !shape.any_of.is_empty() {
            return Kind::Union;
        }
        if let Some(values) = &shape.enumeration {
            let strings = match shape.ty {
                Some(JsonType::String) => true,
                None => values.iter().all(Value::is_string),
                Some(_) => false,
            };
            if strings {
                return Kind::Enum;
            }
        }
        let additional = !shape.additional.is_empty();
        if !shape.properties.is_empty() {
            return Kind::Struct { extra: additional };
        }
        match shape.ty {
            Some(JsonType::Object) => Kind::Map { values: additional },
            None if additional => Kind::Map { values: true },
            None => Kind::Any,
            Some(JsonType::String) => Kind::Text(string_type(shape.format)),
            Some(JsonType::Integer) => Kind::Integer,
            Some(JsonType::Number) => Kind::Number,
            Some(JsonType::Boolean) => Kind::Boolean,
            Some(JsonType::Array) => Kind::Array,
        }
    }

    fn spell(&self, shape: &Shape<'_>) -> String {
        let generated = |what: &str| match shape.name {
            Some(name) => format!("{what} {name}"),
            None => format!("a generated {what}"),
        };
        match self {
            Kind::Custom(value) => match value.get("path").and_then(Value::as_str) {
                Some(path) => format!("{path} (x-rust-type)"),
                None => "an x-rust-type".to_owned(),
            },
            Kind::Union | Kind::Enum => generated("enum"),
            Kind::Struct { extra: false } => generated("struct"),
            Kind::Struct { extra: true } => {
                format!("{} with a map of other properties", generated("struct"))
            }
            Kind::Map { values: true } => "HashMap<String, _>".to_owned(),
            Kind::Map { values: false } => "serde_json::Map<String, Value>".to_owned(),
            Kind::Text(name) => (*name).to_owned(),
            Kind::Integer => types::rust_integer(shape.format).0.to_owned(),
            Kind::Number => types::rust_float(shape.format).to_owned(),
            Kind::Boolean => "bool".to_owned(),
            Kind::Array => "Vec<_>".to_owned(),
            Kind::Any => "serde_json::Value".to_owned(),
        }
    }
}

/// An `x-rust-type` path that names a type typify generates itself
/// (`std::string::String`): the same type, spelled out.
fn native(path: &str) -> Option<Kind> {
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    let path = path.trim_start_matches("::");
    let text = match path {
        "String" | "std::string::String" | "alloc::string::String" => "String",
        "uuid::Uuid" => "uuid::Uuid",
        "chrono::NaiveDate" | "chrono::naive::NaiveDate" => "chrono::NaiveDate",
        "chrono::DateTime<chrono::Utc>"
        | "chrono::DateTime<::chrono::Utc>"
        | "chrono::DateTime<chrono::offset::Utc>"
        | "chrono::DateTime<::chrono::offset::Utc>" => "chrono::DateTime<Utc>",
        "std::net::IpAddr" | "core::net::IpAddr" => "std::net::IpAddr",
        "std::net::Ipv4Addr" | "core::net::Ipv4Addr" => "std::net::Ipv4Addr",
        "std::net::Ipv6Addr" | "core::net::Ipv6Addr" => "std::net::Ipv6Addr",
        "bool" => return Some(Kind::Boolean),
        _ => return None,
    };
    Some(Kind::Text(text))
}

/// The Rust type of a string of `format`: typify knows a few formats, and
/// every other one (`byte`, `binary`, `time`, custom ones) is a `String`.
fn string_type(format: Option<&str>) -> &'static str {
    match format {
        Some("uuid") => "uuid::Uuid",
        Some("date") => "chrono::NaiveDate",
        Some("date-time") => "chrono::DateTime<Utc>",
        Some("ip") => "std::net::IpAddr",
        Some("ipv4") => "std::net::Ipv4Addr",
        Some("ipv6") => "std::net::Ipv6Addr",
        _ => "String",
    }
}

fn optional(spelled: String, nullable: bool) -> String {
    if nullable {
        format!("Option<{spelled}>")
    } else {
        spelled
    }
}

/// Whether the code generated at `at` is part of the Rust API: response
/// headers reach users untyped, as a header map.
pub(crate) fn typed(at: &Cursor) -> bool {
    at.site != Site::Header
}

/// Reports a change of the Rust type of the pair itself. Nullability
/// counts only at the root (a body or a parameter): elsewhere the parent
/// knows whether its field is an `Option` anyway (an optional property is,
/// nullable or not), see [`nullable_changed`].
pub(crate) fn compare(
    out: &mut Out,
    old: &Shape<'_>,
    new: &Shape<'_>,
    at: &Cursor,
    covered: Covered,
) {
    if !out.codegen() || !typed(at) {
        return;
    }
    let (from, to) = (Kind::of(old), Kind::of(new));
    let custom = matches!(from, Kind::Custom(_)) || matches!(to, Kind::Custom(_));
    let kind_changed = from != to && (custom || !(covered.ty || covered.enumeration));
    let nullable_changed = at.is_root() && old.nullable != new.nullable && !covered.nullable;
    if !kind_changed && !nullable_changed {
        return;
    }
    let root = at.is_root();
    let (from, to) = (
        optional(from.spell(old), root && old.nullable),
        optional(to.spell(new), root && new.nullable),
    );
    out.emit(
        "codegen-type-changed",
        "",
        format!(": generated type changes from {from} to {to}"),
    );
}

/// Reports a sub-schema at `segment` (a required property, `items`,
/// `additionalProperties`) whose nullability changed, which makes its Rust
/// type `Option<T>` or `T`; `child` is its position. Silent where the wire
/// rule for that change is `ERR`.
pub(crate) fn nullable_changed(
    out: &mut Out,
    segment: &str,
    (was, is): (bool, bool),
    child: &Cursor,
) {
    if was == is || !out.codegen() || !typed(child) {
        return;
    }
    let suffix = if is {
        "became-nullable"
    } else {
        "became-not-nullable"
    };
    let wire_err = child
        .ids(suffix)
        .iter()
        .find_map(|id| rules::lookup(id))
        .is_some_and(|rule| rule.level == Level::Err);
    if wire_err {
        return;
    }
    let text = if is {
        " became nullable: the generated type changes from T to Option<T>"
    } else {
        " became not nullable: the generated type changes from Option<T> to T"
    };
    out.emit("codegen-type-changed", segment, text.to_owned());
}

/// Reports an optional property at `segment` that gained or lost a
/// `default`: typify gives an optional scalar or struct with a default its
/// type `T` (filled in by serde), one without an `Option<T>`. Arrays, maps
/// and nullable values have a default of their own and keep their type.
pub(crate) fn default_changed(
    out: &mut Out,
    segment: &str,
    (old, new): (&Shape<'_>, &Shape<'_>),
    child: &Cursor,
) {
    let (had, has) = (old.default.is_some(), new.default.is_some());
    if had == has || !out.codegen() || !typed(child) {
        return;
    }
    let intrinsic = |shape: &Shape<'_>| {
        shape.nullable || matches!(Kind::of(shape), Kind::Array | Kind::Map { .. })
    };
    if intrinsic(old) || intrinsic(new) {
        return;
    }
    let text = if has {
        " gained a default: the generated field changes from Option<T> to T"
    } else {
        " lost its default: the generated field changes from T to Option<T>"
    };
    out.emit("codegen-type-changed", segment, text.to_owned());
}
