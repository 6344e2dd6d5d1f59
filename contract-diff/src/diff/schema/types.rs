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

/// How a position reads values, for a change of `type`: in JSON `1` and
/// `"1"` differ (strong); as text (parameters, headers, non-JSON bodies)
/// anything reads as a string (loose); an object parameter's properties may
/// be sent either way (unknown), as oasdiff reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typing {
    Strong,
    Loose,
    Unknown,
}

/// Whether every value of type `sub` is one of `sup`: the same type, or an
/// integer within number. Names are compared as written, so an invalid
/// name (`int`) is a type of its own that contains nothing else.
fn subtype(sub: &str, sup: &str) -> bool {
    sub == sup || (sub, sup) == ("integer", "number")
}

/// Whether a value of type `from` is still read as type `to`.
fn contained(to: Option<&str>, from: Option<&str>, strong: bool) -> bool {
    if let (Some(to), Some(from)) = (to, from) {
        if subtype(from, to) {
            return true;
        }
    }
    !strong && to.is_none_or(|to| to == "string")
}

/// Whether a request type change refuses a value the base accepted: the
/// revision has a type that does not contain the base's.
fn request_breaking(old: Option<&str>, new: Option<&str>, strong: bool) -> bool {
    new.is_some() && !contained(new, old, strong)
}

/// The id suffixes (most specific first) of a change of `type` from `old`
/// to `new` (names as written, `None` for no type), with oasdiff's
/// verdicts: a request that refuses old values is `changed`; a response that
/// may return what the base could not is `generalized` when the old type
/// sits inside the new one (integer to number), else `changed`; a swap that
/// only loosely typed positions can read is `compatible`.
pub(crate) fn type_change(
    old: Option<&str>,
    new: Option<&str>,
    response: bool,
    typing: Typing,
) -> &'static [&'static str] {
    let widened = matches!((old, new), (Some(o), Some(n)) if subtype(o, n));
    let narrowed = matches!((old, new), (Some(o), Some(n)) if subtype(n, o));
    let concrete = old.is_some() && new.is_some();
    if response {
        let strong = typing == Typing::Strong;
        let breaking = old.is_some() && !contained(old, new, strong);
        return match (breaking, widened) {
            (true, true) => &["type-generalized", "type-changed"],
            (true, false) => &["type-changed"],
            (false, _) if concrete && !narrowed => &["type-compatible", "type-changed"],
            (false, _) => &["type-specialized", "type-changed"],
        };
    }
    match typing {
        Typing::Unknown => {
            let strong = request_breaking(old, new, true);
            let loose = request_breaking(old, new, false);
            match (strong, loose) {
                (true, true) => &["type-specialized", "type-changed"],
                (false, false) => &["type-generalized"],
                _ => &["type-changed"],
            }
        }
        typing if request_breaking(old, new, typing == Typing::Strong) => &["type-changed"],
        _ if concrete && !widened => &["type-compatible", "type-generalized"],
        _ => &["type-generalized"],
    }
}

/// The id suffixes of a change between sets of types (3.1's
/// `type: [integer, string]`), `None` when they accept the same: a set
/// that covers the other is widened (or narrowed), anything else changed.
pub(crate) fn list_change(old: &[&str], new: &[&str]) -> Option<&'static [&'static str]> {
    let covers = |sup: &[&str], sub: &[&str]| {
        !sub.is_empty() && sub.iter().all(|t| sup.iter().any(|s| subtype(t, s)))
    };
    match (covers(new, old), covers(old, new)) {
        (true, true) => None,
        (true, false) => Some(&["list-of-types-widened", "type-generalized", "type-changed"]),
        (false, true) => Some(&["list-of-types-narrowed", "type-specialized", "type-changed"]),
        (false, false) => Some(&["type-changed"]),
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
