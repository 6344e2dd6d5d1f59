//! The effective shape of a schema: its own keywords merged with those of
//! its `allOf` members, so that reshaping an `allOf` without changing what it
//! accepts compares equal.

use rustc_hash::FxBuildHasher;
use smallvec::SmallVec;

/// Ordered maps keyed by names of the document: shapes are built by the
/// thousand, and a keyed hash would cost more than the rest of building one.
type IndexMap<K, V> = indexmap::IndexMap<K, V, FxBuildHasher>;
type IndexSet<K> = indexmap::IndexSet<K, FxBuildHasher>;

/// Schemas a keyword has across a conjunction: nearly always one, kept
/// without an allocation (shapes are built for every comparison).
pub(crate) type Schemas<'a> = SmallVec<[SchemaRef<'a>; 1]>;
use serde_json::Value;

use super::facets::{Facets, JsonSchema, JsonType};
use crate::api::Api;
use crate::node::Node;
use crate::refs::{additional_schema, SchemaRef};

/// How deep `allOf` members may nest before the rest is ignored: deeper
/// nesting is either a cycle or not something people write.
const MAX_ALL_OF_DEPTH: usize = 16;

/// A numeric bound: the value, and whether the value itself is excluded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub(crate) value: f64,
    pub(crate) exclusive: bool,
}

/// A conjunction of schemas, flattened.
#[derive(Debug, Default)]
pub(crate) struct Shape<'a> {
    /// Identities of every schema object merged in, for cycle detection.
    pub(crate) identity: SmallVec<[usize; 2]>,
    /// The component the shape was reached through, when it is one schema.
    pub(crate) name: Option<&'a str>,
    /// Whether the shape is written inline (not a `$ref`).
    pub(crate) inline: bool,
    pub(crate) ty: Option<JsonType>,
    /// `type` as written, a name [`JsonType`] may not know (`int`).
    pub(crate) type_name: Option<&'a str>,
    pub(crate) format: Option<&'a str>,
    pub(crate) nullable: bool,
    pub(crate) read_only: bool,
    pub(crate) write_only: bool,
    pub(crate) deprecated: bool,
    pub(crate) default: Option<&'a Node>,
    pub(crate) discriminator: Option<&'a Node>,
    pub(crate) extensions: IndexMap<&'a str, &'a Node>,
    pub(crate) enumeration: Option<Vec<Value>>,
    pub(crate) min: Option<Bound>,
    pub(crate) max: Option<Bound>,
    pub(crate) min_length: Option<usize>,
    pub(crate) max_length: Option<usize>,
    pub(crate) pattern: Option<&'a str>,
    pub(crate) items: Schemas<'a>,
    pub(crate) min_items: Option<usize>,
    pub(crate) max_items: Option<usize>,
    pub(crate) properties: IndexMap<&'a str, Schemas<'a>>,
    pub(crate) required: IndexSet<&'a str>,
    pub(crate) additional: Schemas<'a>,
    /// Refuses properties it does not name (see [`Facets::closed`]).
    pub(crate) closed: bool,
    /// Whether `enumeration` is the one value of a `const`.
    pub(crate) const_enum: bool,
    /// Several types (3.1's `type: [integer, string]`), sorted, `null` aside.
    pub(crate) type_list: Option<Vec<&'a str>>,
    /// The JSON Schema 2020-12 keywords of OpenAPI 3.1, from the first
    /// schema of the conjunction that has each.
    pub(crate) json_schema: JsonSchema<'a>,
    pub(crate) one_of: &'a [Node],
    pub(crate) any_of: &'a [Node],
    /// The direct `allOf` members of the first schema, for the `all-of` rules.
    pub(crate) all_of: &'a [Node],
    /// Set when a reference could not be followed; such a shape compares as "anything".
    pub(crate) unresolved: bool,
}

impl<'a> Shape<'a> {
    /// Flattens the conjunction of `nodes`; a union whose members are all
    /// enumerations of one type is that type's enumeration of every value.
    pub(crate) fn of(api: &'a Api, nodes: &[SchemaRef<'a>]) -> Self {
        let mut shape = Self::flat(api, nodes);
        shape.absorb_null_union(api);
        shape.absorb_enum_union(api);
        if let (None, Some(value)) = (&shape.enumeration, shape.json_schema.constant) {
            // `const: v` accepts what `enum: [v]` does; the const rules report it.
            shape.enumeration = Some(vec![value.to_value()]);
            shape.const_enum = true;
        }
        shape
    }

    /// `oneOf: [X, {type: 'null'}]`, OpenAPI 3.1's way to make a reference
    /// nullable, accepts what X with `nullable: true` does: 3.0's
    /// `allOf: [X], nullable: true` migrated to it is no change.
    fn absorb_null_union(&mut self, api: &'a Api) {
        let members = match (self.one_of, self.any_of) {
            (members, []) | ([], members) if members.len() == 2 => members,
            _ => return,
        };
        let only_null = |member: &'a Node| {
            let schema = SchemaRef(member).resolve(api)?.schema;
            let annotation = |key: &str| matches!(key, "type" | "title" | "description");
            let facets = Facets::of(schema);
            (facets.null_type
                && facets.type_name.is_none()
                && schema.entries().iter().all(|(k, _)| annotation(k)))
            .then_some(())
        };
        let Some(other) = (match (only_null(&members[0]), only_null(&members[1])) {
            (Some(()), None) => Some(&members[1]),
            (None, Some(())) => Some(&members[0]),
            _ => None,
        }) else {
            return;
        };
        let Some(resolved) = SchemaRef(other).resolve(api) else {
            return;
        };
        self.one_of = &[];
        self.any_of = &[];
        self.nullable = true;
        self.name = self.name.or(resolved.name);
        self.merge(api, resolved.schema, 1);
        self.merge_siblings(api, other);
    }

    /// `oneOf: [{enum: [a]}, {enum: [b, c]}]` accepts what `enum: [a, b, c]` does.
    fn absorb_enum_union(&mut self, api: &'a Api) {
        let members = if self.any_of.is_empty() {
            self.one_of
        } else {
            self.any_of
        };
        let own_constraints = self.ty.is_some()
            || self.enumeration.is_some()
            || !self.properties.is_empty()
            || (!self.one_of.is_empty() && !self.any_of.is_empty());
        if members.is_empty() || own_constraints {
            return;
        }
        let mut ty = None;
        let mut values: Vec<Value> = Vec::new();
        for member in members {
            let member = Self::flat(api, &[SchemaRef(member)]);
            let (Some(member_ty), Some(member_values)) = (member.ty, member.enumeration) else {
                return;
            };
            if *ty.get_or_insert(member_ty) != member_ty || member.nullable {
                return;
            }
            for value in member_values {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        self.ty = ty;
        self.type_name = ty.map(JsonType::as_str);
        self.enumeration = Some(values);
        self.one_of = &[];
        self.any_of = &[];
    }

    fn flat(api: &'a Api, nodes: &[SchemaRef<'a>]) -> Self {
        let mut shape = Shape::default();
        for (index, node) in nodes.iter().enumerate() {
            let Some(resolved) = node.resolve(api) else {
                shape.unresolved = true;
                continue;
            };
            if index == 0 {
                shape.name = resolved.name;
                shape.inline = resolved.name.is_none();
                shape.all_of = Facets::of(resolved.schema).all_of;
            }
            shape.merge(api, resolved.schema, 0);
            shape.merge_siblings(api, node.0);
        }
        if shape.name.is_none() && shape.all_of.len() == 1 {
            // `allOf: [$ref]` with siblings such as `nullable` is the 3.0 idiom
            // for "that schema, annotated": generators name it after the member.
            shape.name = SchemaRef(&shape.all_of[0])
                .resolve(api)
                .and_then(|r| r.name);
        }
        shape
    }

    fn merge(&mut self, api: &'a Api, schema: &'a Node, depth: usize) {
        let identity = schema as *const Node as usize;
        if depth > MAX_ALL_OF_DEPTH || self.identity.contains(&identity) {
            return;
        }
        self.identity.push(identity);
        let facets = Facets::of(schema);
        self.nullable |= facets.null_type;
        if self.type_list.is_none() {
            self.type_list = facets.type_list.clone();
        }
        self.json_schema.absorb(&facets.json_schema);
        if let Some(data) = facets.data {
            self.nullable |= data.flag("nullable");
            self.read_only |= data.flag("readOnly");
            self.write_only |= data.flag("writeOnly");
            self.deprecated |= data.flag("deprecated");
            self.default = self.default.or(data.field("default"));
            self.discriminator = self.discriminator.or(data
                .field("discriminator")
                .filter(|d| d.get("propertyName").is_some()));
            for (key, value) in data.entries().iter().filter(|(k, _)| k.starts_with("x-")) {
                self.extensions.entry(key).or_insert(value);
            }
        }
        self.ty = self.ty.or(facets.ty);
        self.type_name = self.type_name.or(facets.type_name);
        self.format = self.format.or(facets.format);
        self.enumeration = match (self.enumeration.take(), facets.enumeration) {
            (Some(ours), Some(theirs)) => {
                Some(ours.into_iter().filter(|v| theirs.contains(v)).collect())
            }
            (ours, theirs) => ours.or(theirs),
        };
        let lower = facets.minimum.map(|value| Bound {
            value,
            exclusive: facets.exclusive_minimum,
        });
        let upper = facets.maximum.map(|value| Bound {
            value,
            exclusive: facets.exclusive_maximum,
        });
        self.min = tighter(self.min, lower, |a, b| a.value > b.value);
        self.max = tighter(self.max, upper, |a, b| a.value < b.value);
        self.min_length = max_of(self.min_length, facets.min_length);
        self.max_length = min_of(self.max_length, facets.max_length);
        self.pattern = self.pattern.or(facets.pattern);
        self.items.extend(facets.items);
        self.min_items = max_of(self.min_items, facets.min_items);
        self.max_items = min_of(self.max_items, facets.max_items);
        for (name, schema) in facets.properties {
            self.properties
                .entry(name)
                .or_default()
                .push(SchemaRef(schema));
        }
        self.required
            .extend(facets.required.iter().filter_map(Node::as_str));
        self.additional
            .extend(facets.additional_properties.and_then(additional_schema));
        self.closed |= facets.closed;
        if self.one_of.is_empty() {
            self.one_of = facets.one_of;
        }
        if self.any_of.is_empty() {
            self.any_of = facets.any_of;
        }
        for member in facets.all_of {
            match SchemaRef(member).resolve(api) {
                Some(resolved) => {
                    self.merge(api, resolved.schema, depth + 1);
                    self.merge_siblings(api, member);
                }
                None => self.unresolved = true,
            }
        }
    }

    /// In OpenAPI 3.1 a `$ref` is one keyword among others: its siblings
    /// constrain the value too (3.0 ignores them).
    fn merge_siblings(&mut self, api: &'a Api, node: &'a Node) {
        if node.entries().len() > 1 && node.reference().is_some() && api.is_3_1() {
            self.merge(api, node, 0);
        }
    }

    /// An extension's value, e.g. `x-sunset`.
    pub(crate) fn extension(&self, key: &str) -> Option<&'a Node> {
        self.extensions.get(key).copied()
    }

    /// Whether the shape is an object with named fields, an enum or a union:
    /// the shapes a generator turns into a named Rust type.
    pub(crate) fn makes_a_named_type(&self) -> bool {
        !self.properties.is_empty()
            || self.enumeration.is_some()
            || !self.one_of.is_empty()
            || !self.any_of.is_empty()
    }
}

fn tighter(
    current: Option<Bound>,
    new: Option<Bound>,
    is_tighter: impl Fn(Bound, Bound) -> bool,
) -> Option<Bound> {
    match (current, new) {
        (Some(a), Some(b)) if a.value == b.value => Some(Bound {
            value: a.value,
            exclusive: a.exclusive || b.exclusive,
        }),
        (Some(a), Some(b)) => Some(if is_tighter(b, a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn max_of(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_of(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
