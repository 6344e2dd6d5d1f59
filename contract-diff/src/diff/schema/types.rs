//! How a type and format change relates the accepted values.

use super::facets::JsonType;

/// How the revision's values relate to the base's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Same,
    /// The revision accepts every base value and more.
    Generalized,
    /// The revision accepts only some base values.
    Specialized,
    /// Only an unvalidated format changed: same values on the wire.
    Compatible,
    /// Neither contains the other.
    Changed,
}

/// Formats that constrain values. Any other format (`password`, custom
/// ones) is an annotation that validators ignore.
const VALIDATED_FORMATS: &[&str] = &[
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
    "date",
    "date-time",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "byte",
    "binary",
    "regex",
];

/// Whether `format` constrains values.
pub(crate) fn is_validated(format: Option<&str>) -> bool {
    format.is_some_and(|f| VALIDATED_FORMATS.contains(&f))
}

/// How wide a numeric format is; no format is the widest.
fn numeric_width(format: Option<&str>) -> Option<u32> {
    Some(match format {
        None => u32::MAX,
        Some("int8" | "uint8") => 8,
        Some("int16" | "uint16") => 16,
        Some("int32" | "uint32" | "float") => 32,
        Some("int64" | "uint64" | "double") => 64,
        Some(_) => return None,
    })
}

pub(crate) fn relate(
    old_type: Option<JsonType>,
    old_format: Option<&str>,
    new_type: Option<JsonType>,
    new_format: Option<&str>,
) -> Relation {
    use JsonType::{Integer, Number};
    match (old_type, new_type) {
        (None, None) => Relation::Same,
        (Some(_), None) => Relation::Generalized,
        (None, Some(_)) => Relation::Specialized,
        (Some(Integer), Some(Number)) => Relation::Generalized,
        (Some(Number), Some(Integer)) => Relation::Specialized,
        (Some(a), Some(b)) if a != b => Relation::Changed,
        (Some(ty), Some(_)) => relate_formats(ty, old_format, new_format),
    }
}

fn relate_formats(ty: JsonType, old: Option<&str>, new: Option<&str>) -> Relation {
    if old == new {
        return Relation::Same;
    }
    let validated = is_validated;
    if !validated(old) && !validated(new) {
        return Relation::Compatible;
    }
    if matches!(ty, JsonType::Integer | JsonType::Number) {
        if let (Some(a), Some(b)) = (numeric_width(old), numeric_width(new)) {
            return if b > a {
                Relation::Generalized
            } else {
                Relation::Specialized
            };
        }
    }
    match (validated(old), validated(new)) {
        (true, false) => Relation::Generalized,
        (false, true) => Relation::Specialized,
        _ => Relation::Changed,
    }
}

/// The Rust integer type progenitor generates for an integer format, with
/// its width; `None` format is `i64`.
pub(crate) fn rust_integer(format: Option<&str>) -> (&'static str, u32) {
    match format {
        Some("int8") => ("i8", 8),
        Some("int16") => ("i16", 16),
        Some("int32") => ("i32", 32),
        Some("uint8") => ("u8", 8),
        Some("uint16") => ("u16", 16),
        Some("uint32") => ("u32", 32),
        Some("uint64") => ("u64", 64),
        _ => ("i64", 64),
    }
}

/// The Rust float type progenitor generates for a number format.
pub(crate) fn rust_float(format: Option<&str>) -> &'static str {
    match format {
        Some("float") => "f32",
        _ => "f64",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use JsonType::*;

    #[test]
    fn widening_generalizes_and_narrowing_specializes() {
        assert_eq!(
            relate(Some(Integer), Some("int32"), Some(Integer), Some("int64")),
            Relation::Generalized
        );
        assert_eq!(
            relate(Some(Integer), Some("int64"), Some(Integer), Some("int32")),
            Relation::Specialized
        );
        assert_eq!(
            relate(Some(Integer), None, Some(Number), None),
            Relation::Generalized
        );
        assert_eq!(
            relate(Some(String), Some("uuid"), Some(String), None),
            Relation::Generalized
        );
        assert_eq!(
            relate(Some(String), Some("date"), Some(String), Some("date-time")),
            Relation::Changed
        );
        assert_eq!(
            relate(Some(String), Some("password"), Some(String), Some("secret")),
            Relation::Compatible
        );
        assert_eq!(
            relate(Some(String), None, Some(Integer), None),
            Relation::Changed
        );
    }
}
