//! The document as read: a compact tree of JSON values in the document's
//! order, the one model the loader checks and the differ walks.
//!
//! A tree of our own rather than `serde_json::Value` plus a typed OpenAPI
//! model: `Value`'s ordered maps cost about 100 bytes an entry and the typed
//! model (openapiv3) kilobytes per path item, so a 7.5 MB document took
//! hundreds of MB twice over. Here an entry is a shared key and a 24-byte
//! node, and keys and short strings are stored once per document.

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::error::Problem;

/// A key or string of a document, shared by every place that spells it.
pub(crate) type Text = Arc<str>;

/// One key of an object and its value.
pub(crate) type Entry = (Text, Node);

/// One JSON value. Objects keep their keys in document order.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(Text),
    Array(Box<[Node]>),
    Object(Box<[Entry]>),
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
    pub(crate) fn entries(&self) -> &[Entry] {
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

    /// The first key that an object holds twice, found depth first in
    /// document order.
    pub(crate) fn check_duplicates<'n>(&'n self, at: &mut Vec<Token<'n>>) -> Result<(), Problem> {
        match self {
            Node::Object(entries) => {
                for (index, (key, value)) in entries.iter().enumerate() {
                    at.push(Token::Key(key));
                    let nested = value.check_duplicates(at);
                    at.pop();
                    nested?;
                    if repeats(entries, index) {
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
                    at.push(Token::Index(index));
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

/// Whether the key of entry `index` is that of an earlier entry.
fn repeats(entries: &[Entry], index: usize) -> bool {
    let key = &entries[index].0;
    entries[..index].iter().any(|(k, _)| k == key)
}

/// Whether any key of `entries` appears twice.
fn has_repeats(entries: &[Entry]) -> bool {
    // Small objects are searched pairwise; a set costs more there.
    if entries.len() <= 16 {
        return (1..entries.len()).any(|index| repeats(entries, index));
    }
    let mut seen = FxHashSet::default();
    !entries.iter().all(|(key, _)| seen.insert(&**key))
}

/// One step of a JSON pointer, borrowed from the tree.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'n> {
    Key(&'n str),
    Index(usize),
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Key(key) => f.write_str(key),
            Token::Index(index) => write!(f, "{index}"),
        }
    }
}

/// Builds trees: stores each key and short string once, and notes whether
/// any object repeats a key (JSON text may; a map would silently merge them).
#[derive(Default)]
pub(crate) struct Builder {
    texts: FxHashSet<Text>,
    pub(crate) repeated_key: bool,
    /// Entries and items of the open containers, moved out when each closes:
    /// every container gets one allocation of its exact size.
    entries: Vec<Entry>,
    items: Vec<Node>,
}

/// Strings up to this long are shared: keywords, types, formats, `$ref`s.
const SHARED_TEXT: usize = 64;

impl Builder {
    /// A key or string, shared with its earlier spellings.
    pub(crate) fn text(&mut self, text: &str) -> Text {
        if text.len() > SHARED_TEXT {
            return text.into();
        }
        if let Some(known) = self.texts.get(text) {
            return known.clone();
        }
        let text: Text = text.into();
        self.texts.insert(text.clone());
        text
    }

    pub(crate) fn object(&mut self, entries: impl IntoIterator<Item = Entry>) -> Node {
        let start = self.entries.len();
        self.entries.extend(entries);
        self.close_object(start)
    }

    fn close_object(&mut self, start: usize) -> Node {
        let entries: Box<[Entry]> = self.entries.drain(start..).collect();
        self.repeated_key |= has_repeats(&entries);
        Node::Object(entries)
    }

    fn close_array(&mut self, start: usize) -> Node {
        Node::Array(self.items.drain(start..).collect())
    }

    /// Converts a JSON value (YAML scalars arrive as one).
    pub(crate) fn value(&mut self, value: Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(flag) => Node::Bool(flag),
            Value::Number(number) => Node::Number(number),
            Value::String(text) => Node::String(self.text(&text)),
            Value::Array(items) => {
                let items: Vec<Node> = items.into_iter().map(|v| self.value(v)).collect();
                Node::Array(items.into_boxed_slice())
            }
            Value::Object(map) => {
                let entries: Vec<Entry> = map
                    .into_iter()
                    .map(|(k, v)| (self.text(&k), self.value(v)))
                    .collect();
                self.object(entries)
            }
        }
    }

    /// Reads JSON text, as `serde_json::from_str` does.
    pub(crate) fn json(&mut self, text: &str) -> Result<Node, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let node = Seed(self).deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(node)
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

/// Reads one value into the tree `Builder` makes.
struct Seed<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Reads a key into a shared string.
struct KeySeed<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Text;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, value: &str) -> Result<Text, E> {
        Ok(self.0.text(value))
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
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
        Ok(Node::String(self.0.text(value)))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let start = self.0.items.len();
        while let Some(item) = seq.next_element_seed(Seed(self.0))? {
            self.0.items.push(item);
        }
        Ok(self.0.close_array(start))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let start = self.0.entries.len();
        while let Some(key) = map.next_key_seed(KeySeed(self.0))? {
            let value = map.next_value_seed(Seed(self.0))?;
            self.0.entries.push((key, value));
        }
        Ok(self.0.close_object(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_order_and_compare_as_maps() {
        let mut builder = Builder::default();
        let a = builder.json(r#"{"b": 1, "a": [true, null, "x"]}"#).unwrap();
        let b = builder.json(r#"{"a": [true, null, "x"], "b": 1}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), r#"{"b":1,"a":[true,null,"x"]}"#);
    }

    #[test]
    fn a_key_written_twice_is_found_with_its_object() {
        let mut builder = Builder::default();
        let node = builder.json(r#"{"paths": {"/a": {}, "/a": {}}}"#).unwrap();
        assert!(builder.repeated_key);
        assert_eq!(
            node.check_duplicates(&mut Vec::new()),
            Err(Problem::DuplicateKey {
                key: "/a".into(),
                at: "#/paths".into()
            })
        );
    }
}
