//! A loaded document's tree with its components indexed by name, so that a
//! `$ref` resolves in constant time however many components there are.

use rustc_hash::FxHashMap;

use super::node::{Node, Text};

/// The tree of an OpenAPI document that loaded.
#[derive(Debug, Clone)]
pub(crate) struct Api {
    root: Node,
    /// Per kind (`schemas`), each name's position in `components.<kind>`.
    components: FxHashMap<Text, FxHashMap<Text, usize>>,
    /// The memory of every container under `components`, sorted: a value
    /// stored there is one a `$ref` may reach from anywhere.
    component_extents: Vec<(usize, usize)>,
    /// OpenAPI 3.1, where JSON Schema 2020-12 rules schemas.
    json_schema_2020: bool,
}

impl Api {
    pub(crate) fn new(root: Node) -> Self {
        let mut components = FxHashMap::default();
        if let Some(kinds) = root.get("components") {
            for (kind, entries) in kinds.entries() {
                let names: &mut FxHashMap<_, _> = components.entry(kind.clone()).or_default();
                for (index, (name, _)) in entries.entries().iter().enumerate() {
                    // The first of a repeated name wins, as a lookup finds it.
                    names.entry(name.clone()).or_insert(index);
                }
            }
        }
        let mut component_extents = Vec::new();
        if let Some(kinds) = root.get("components") {
            extents(kinds, &mut component_extents);
        }
        component_extents.sort_unstable();
        let json_schema_2020 = root
            .str_field("openapi")
            .is_some_and(|version| version.starts_with("3.1."));
        Self {
            root,
            components,
            component_extents,
            json_schema_2020,
        }
    }

    /// Whether the value at `address` (a node of this tree) lies under
    /// `components`. Every other value is reached only by walking down from
    /// the path item that holds it: references point into `components`.
    pub(crate) fn in_components(&self, address: usize) -> bool {
        let after = self
            .component_extents
            .partition_point(|&(start, _)| start <= address);
        after > 0 && address < self.component_extents[after - 1].1
    }

    /// Whether the document is OpenAPI 3.1, where JSON Schema 2020-12
    /// rules schemas (a `$ref` with siblings applies them all).
    pub(crate) fn is_3_1(&self) -> bool {
        self.json_schema_2020
    }

    pub(crate) fn root(&self) -> &Node {
        &self.root
    }

    /// The component `name` of `kind` (`schemas`, `responses`, ...), with
    /// its name as the document spells it.
    pub(crate) fn component(&self, kind: &str, name: &str) -> Option<(&str, &Node)> {
        let index = *self.components.get(kind)?.get(name)?;
        let (key, node) = self
            .root
            .get("components")?
            .get(kind)?
            .entries()
            .get(index)?;
        Some((key, node))
    }

    /// The path items, in document order: the keys of `paths` that start
    /// with `/`, a reference to `#/components/pathItems` (3.1) followed.
    pub(crate) fn paths(&self) -> impl Iterator<Item = (&str, &Node)> {
        let paths = self.root.get("paths").map_or(&[][..], Node::entries);
        paths
            .iter()
            .filter(|(path, _)| path.starts_with('/'))
            .filter_map(|(path, item)| {
                Some((&**path, super::refs::follow(self, "pathItems", item)?))
            })
    }
}

/// The memory ranges of the entries and items of `node` and of every
/// container below it: each is one allocation, so they never overlap.
fn extents(node: &Node, out: &mut Vec<(usize, usize)>) {
    let (start, size) = match node {
        Node::Object(entries) => (entries.as_ptr() as usize, size_of_val(&**entries)),
        Node::Array(items) => (items.as_ptr() as usize, size_of_val(&**items)),
        _ => return,
    };
    if size > 0 {
        out.push((start, start + size));
    }
    for (_, value) in node.entries() {
        extents(value, out);
    }
    for item in node.items() {
        extents(item, out);
    }
}

/// The methods of a path item, in the order openapi tools list them.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The operations of a path item, in [`METHODS`] order.
pub(crate) fn operations(item: &Node) -> impl Iterator<Item = (&'static str, &Node)> {
    METHODS
        .iter()
        .filter_map(move |method| Some((*method, item.field(method)?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Builder;

    #[test]
    fn only_values_under_components_are_in_components() {
        let root = Builder::default()
            .json(
                r#"{"paths": {"/a": {"get": {"parameters": [{"schema": {"type": "string"}}]}}},
                    "components": {"schemas": {"A": {"items": [{"type": "string"}]}}}}"#,
            )
            .unwrap();
        let api = Api::new(root);
        let address = |node: &Node| node as *const Node as usize;
        let (_, a) = api.component("schemas", "A").unwrap();
        assert!(api.in_components(address(a)));
        assert!(api.in_components(address(&a.get("items").unwrap().items()[0])));
        let (_, item) = api.paths().next().unwrap();
        let parameter = &item.get("get").unwrap().get("parameters").unwrap().items()[0];
        assert!(!api.in_components(address(parameter.get("schema").unwrap())));
        assert!(!api.in_components(address(api.root())));
    }
}
