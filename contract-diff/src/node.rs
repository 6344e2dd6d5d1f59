//! The document as read: a compact tree of JSON values in the document's
//! order, the one model the loader checks and the differ walks.
//!
//! A tree of our own rather than `serde_json::Value` plus a typed OpenAPI
//! model: `Value`'s ordered maps cost about 100 bytes an entry and the typed
//! model (openapiv3) kilobytes per path item, so a 7.5 MB document took
//! hundreds of MB twice over. Here an entry is a boxed key and a 24-byte node.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::error::Problem;

/// One JSON value. Objects keep their keys in document order.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(Box<str>),
    Array(Box<[Node]>),
    Object(Box<[(Box<str>, Node)]>),
}

/// Nothing at all: what an absent array or object reads as.
static EMPTY: [Node; 0] = [];

impl Node {
    /// The value of `key` when this is an object that has it.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| v)
    }

    /// The value of `key`, unless absent or `null` (as an optional field reads it).
    pub(crate) fn field(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|v| !matches!(v, Node::Null))
    }

    /// The entries of an object; none for anything else.
    pub(crate) fn entries(&self) -> &[(Box<str>, Node)] {
        match self {
            Node::Object(entries) => entries,
            _ => &[],
        }
    }

    /// The items of an array; none for anything else.
    pub(crate) fn items(&self) -> &[Node] {
        match self {
            Node::Array(items) => items,
            _ => &EMPTY,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    pub(crate) fn as_number(&self) -> Option<&Number> {
        match self {
            Node::Number(number) => Some(number),
            _ => None,
        }
    }

    /// A string field's value.
    pub(crate) fn str_field(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// A boolean field, `false` when absent.
    pub(crate) fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Node::as_bool).unwrap_or(false)
    }

    /// A non-negative integer field.
    pub(crate) fn count(&self, key: &str) -> Option<usize> {
        let number = self.get(key)?.as_number()?;
        usize::try_from(number.as_u64()?).ok()
    }

    /// The strings of an array field (`tags`, `required`).
    pub(crate) fn strings(&self, key: &str) -> impl Iterator<Item = &str> {
        self.get(key)
            .map_or(&EMPTY[..], Node::items)
            .iter()
            .filter_map(Node::as_str)
    }

    /// `$ref` when this is a reference object.
    pub(crate) fn reference(&self) -> Option<&str> {
        self.str_field("$ref")
    }

    /// The `x-` keys of an object, which carry extensions.
    pub(crate) fn extension(&self, key: &str) -> Option<&Node> {
        key.starts_with("x-").then(|| self.get(key)).flatten()
    }

    /// The same value as `serde_json` models it.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Number(number) => Value::Number(number.clone()),
            Node::String(text) => Value::String(text.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Converts a JSON value (YAML scalars arrive as one).
    pub(crate) fn from_value(value: Value) -> Self {
        match value {
            Value::Null => Node::Null,
            Value::Bool(flag) => Node::Bool(flag),
            Value::Number(number) => Node::Number(number),
            Value::String(text) => Node::String(text.into_boxed_str()),
            Value::Array(items) => Node::Array(items.into_iter().map(Node::from_value).collect()),
            Value::Object(map) => Node::Object(
                map.into_iter()
                    .map(|(k, v)| (k.into_boxed_str(), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// The first key that an object holds twice, found depth first in
    /// document order: JSON text may repeat a key, which a map silently merges.
    pub(crate) fn check_duplicates(&self, at: &mut Vec<String>) -> Result<(), Problem> {
        match self {
            Node::Object(entries) => {
                // Small objects are searched pairwise; a set would cost more.
                let mut seen = (entries.len() > 16).then(HashSet::new);
                for (index, (key, value)) in entries.iter().enumerate() {
                    at.push(key.to_string());
                    let nested = value.check_duplicates(at);
                    at.pop();
                    nested?;
                    let repeated = match &mut seen {
                        Some(seen) => !seen.insert(&**key),
                        None => entries[..index].iter().any(|(k, _)| k == key),
                    };
                    if repeated {
                        return Err(Problem::DuplicateKey {
                            key: key.to_string(),
                            at: crate::refs::pointer_of(at),
                        });
                    }
                }
                Ok(())
            }
            Node::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    at.push(index.to_string());
                    let nested = item.check_duplicates(at);
                    at.pop();
                    nested?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Equal as JSON values: objects compare without regard to key order.
impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Node::Null, Node::Null) => true,
            (Node::Bool(a), Node::Bool(b)) => a == b,
            (Node::Number(a), Node::Number(b)) => a == b,
            (Node::String(a), Node::String(b)) => a == b,
            (Node::Array(a), Node::Array(b)) => a == b,
            (Node::Object(a), Node::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| other.get(k) == Some(v))
            }
            _ => false,
        }
    }
}

/// As `serde_json` prints the value: compact JSON.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_value().fmt(f)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node, E> {
        Ok(Number::from_f64(value).map_or(Node::Null, Node::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(value.into()))
    }

    fn visit_string<E>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value.into_boxed_str()))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items.into_boxed_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((key, value)) = map.next_entry::<Box<str>, Node>()? {
            entries.push((key, value));
        }
        Ok(Node::Object(entries.into_boxed_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_order_and_compare_as_maps() {
        let a: Node = serde_json::from_str(r#"{"b": 1, "a": [true, null, "x"]}"#).unwrap();
        let b: Node = serde_json::from_str(r#"{"a": [true, null, "x"], "b": 1}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), r#"{"b":1,"a":[true,null,"x"]}"#);
    }

    #[test]
    fn a_key_written_twice_is_found_with_its_object() {
        let node: Node = serde_json::from_str(r#"{"paths": {"/a": {}, "/a": {}}}"#).unwrap();
        assert_eq!(
            node.check_duplicates(&mut Vec::new()),
            Err(Problem::DuplicateKey {
                key: "/a".into(),
                at: "#/paths".into()
            })
        );
    }
}
