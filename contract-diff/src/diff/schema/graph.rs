//! The graph of compared schema pairs: one node per (base schema, revision
//! schema, position), with its own findings and edges to its sub-schemas.

use std::hash::Hash;

use rustc_hash::FxHashMap as HashMap;

use super::cursor::Cursor;
use super::shape::Shape;
use crate::api::Api;
use crate::diff::{Policy, Sink};
use crate::refs::SchemaRef;
use crate::{rules, Change, Level, OperationRef, Profile};

/// A node's index in the graph.
pub(crate) type NodeId = usize;

/// What identifies a comparison: the schema objects merged on each side, the
/// names they were reached through (the codegen rules read them), and the
/// position, which decides the rule ids.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct Key<'a> {
    old: Ids,
    new: Ids,
    names: (Option<&'a str>, Option<&'a str>),
    at: Cursor,
    local: bool,
}

impl<'a> Key<'a> {
    pub(crate) fn new(apis: Apis<'_>, old: &Shape<'a>, new: &Shape<'a>, at: Cursor) -> Self {
        let old_ids = old.identity.iter().copied();
        let new_ids = new.identity.iter().copied();
        Self {
            local: local(apis, old_ids.clone(), new_ids.clone()),
            old: Ids::new(old_ids),
            new: Ids::new(new_ids),
            names: (old.name, new.name),
            at,
        }
    }
}

/// The base and revision documents.
pub(crate) type Apis<'d> = (&'d Api, &'d Api);

/// Whether every address is outside `components` in its document: then the
/// pair can only be met again from the same path item.
fn local(
    (base, rev): Apis<'_>,
    mut old: impl Iterator<Item = usize>,
    mut new: impl Iterator<Item = usize>,
) -> bool {
    !old.any(|id| base.in_components(id)) && !new.any(|id| rev.in_components(id))
}

/// The places a comparison was asked for: the schema positions as written
/// on each side (their addresses), and the position.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Written {
    old: Ids,
    new: Ids,
    at: Cursor,
    local: bool,
}

/// Addresses of schema objects or positions: nearly always one, which
/// needs no allocation (keys are made for every comparison, found or not).
#[derive(Debug, PartialEq, Eq, Hash)]
enum Ids {
    One(usize),
    Many(Box<[usize]>),
}

impl Ids {
    fn new(ids: impl ExactSizeIterator<Item = usize>) -> Self {
        let mut ids = ids;
        match (ids.len(), ids.next()) {
            (1, Some(id)) => Ids::One(id),
            (_, first) => Ids::Many(first.into_iter().chain(ids).collect()),
        }
    }
}

impl Written {
    fn new(apis: Apis<'_>, old: &[SchemaRef<'_>], new: &[SchemaRef<'_>], at: Cursor) -> Self {
        let old_ids = old.iter().map(|node| node.address());
        let new_ids = new.iter().map(|node| node.address());
        Self {
            local: local(apis, old_ids.clone(), new_ids.clone()),
            old: Ids::new(old_ids),
            new: Ids::new(new_ids),
            at,
        }
    }
}

/// One change found in a node, at `at` (a property path below the node,
/// empty for the node itself); `text` follows the place's description.
#[derive(Debug)]
struct Finding {
    id: &'static str,
    level: Level,
    wire: bool,
    at: String,
    text: String,
}

/// Nodes outnumber changes many times over: each holds exactly what it found.
#[derive(Debug, Default)]
struct Node<'a> {
    findings: Box<[Finding]>,
    children: Box<[(String, NodeId)]>,
    /// The revision's component this pair was reached through, if any:
    /// changes inside it are described from it.
    component: Option<&'a str>,
    done: bool,
    /// Whether a wire change was found here or below, as far as known when
    /// the node was finished: an edge back to a node still being compared
    /// (recursion) counts as equal, the usual reading of recursive types.
    wire_changed: bool,
}

/// Nodes by key: pairs involving `components`, met from anywhere, for the
/// run; pairs of the path item being compared and nothing else, which no
/// later path item can meet, until it is done, so that they take the room
/// of one path item.
#[derive(Debug)]
struct Memo<K> {
    shared: HashMap<K, NodeId>,
    local: HashMap<K, NodeId>,
}

impl<K> Default for Memo<K> {
    fn default() -> Self {
        Self {
            shared: HashMap::default(),
            local: HashMap::default(),
        }
    }
}

impl<K: Eq + Hash> Memo<K> {
    fn get(&self, key: &K, local: bool) -> Option<NodeId> {
        let map = if local { &self.local } else { &self.shared };
        map.get(key).copied()
    }

    fn insert(&mut self, key: K, local: bool, node: NodeId) {
        let map = if local {
            &mut self.local
        } else {
            &mut self.shared
        };
        map.insert(key, node);
    }
}

/// Every schema pair compared in one run.
#[derive(Debug, Default)]
pub(crate) struct Graph<'a> {
    memo: Memo<Key<'a>>,
    written: Memo<Written>,
    nodes: Vec<Node<'a>>,
    depth: usize,
    /// Set when a comparison was refused for nesting too deep: in which operation.
    too_deep: Option<Option<OperationRef>>,
    /// Under the codegen profile: the nodes that report a base component
    /// renamed (or inlined), with its name.
    renamed: Vec<(NodeId, &'a str)>,
}

impl<'a> Graph<'a> {
    pub(crate) fn get(&self, key: &Key<'a>) -> Option<NodeId> {
        self.memo.get(key, key.local)
    }

    /// The node of places compared before, found without their shapes.
    pub(crate) fn get_written(
        &self,
        apis: Apis<'_>,
        old: &[SchemaRef<'_>],
        new: &[SchemaRef<'_>],
        at: Cursor,
    ) -> Option<NodeId> {
        let written = Written::new(apis, old, new, at);
        self.written.get(&written, written.local)
    }

    pub(crate) fn remember_written(
        &mut self,
        apis: Apis<'_>,
        old: &[SchemaRef<'_>],
        new: &[SchemaRef<'_>],
        at: Cursor,
        node: NodeId,
    ) {
        let written = Written::new(apis, old, new, at);
        let local = written.local;
        self.written.insert(written, local, node);
    }

    /// The path item being compared is done: its own pairs cannot be met again.
    pub(crate) fn forget_local(&mut self) {
        self.memo.local.clear();
        self.written.local.clear();
    }

    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Notes that a comparison in `operation` was refused for nesting too deep.
    pub(crate) fn too_deep(&mut self, operation: &Option<OperationRef>) {
        self.too_deep.get_or_insert_with(|| operation.clone());
    }

    /// The operation where a comparison was refused for nesting too deep.
    pub(crate) fn too_deep_in(&self) -> Option<Option<OperationRef>> {
        self.too_deep.clone()
    }

    /// A new node for `key`, being compared.
    pub(crate) fn start(&mut self, key: Key<'a>) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(Node::default());
        let local = key.local;
        self.memo.insert(key, local, id);
        self.depth += 1;
        id
    }

    pub(crate) fn finish(&mut self, id: NodeId, component: Option<&'a str>, out: Out) {
        let wire_changed = out.changed(self);
        self.nodes[id] = Node {
            findings: out.findings.into_boxed_slice(),
            children: out.children.into_boxed_slice(),
            component,
            done: true,
            wire_changed,
        };
        self.depth -= 1;
    }

    /// Notes that node `id` reports the base component `from` renamed.
    pub(crate) fn renamed(&mut self, id: NodeId, from: &'a str) {
        self.renamed.push((id, from));
    }

    /// The base components reported renamed, given which nodes were
    /// reported (`reported`, as [`Graph::report`] left it): a comparison
    /// made only to pair union members is not a rename.
    pub(crate) fn reported_renames(&self, reported: &Reported) -> Vec<&'a str> {
        let reported = &reported.last;
        self.renamed
            .iter()
            .filter(|&&(id, _)| reported.get(id).is_some_and(|&op| op != usize::MAX))
            .map(|&(_, name)| name)
            .collect()
    }

    /// Whether the pair, compared, found nothing and has no sub-schemas.
    pub(crate) fn is_blank(&self, id: NodeId) -> bool {
        let node = &self.nodes[id];
        node.done && node.findings.is_empty() && node.children.is_empty()
    }

    /// Whether a wire change at `ERR` is found at `id` or below.
    pub(crate) fn breaks(&self, id: NodeId) -> bool {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let node = &self.nodes[id];
            if node
                .findings
                .iter()
                .any(|f| f.wire && f.level == Level::Err)
            {
                return true;
            }
            stack.extend(node.children.iter().map(|&(_, child)| child));
        }
        false
    }

    /// Whether the pair compares equal on the wire.
    pub(crate) fn equivalent(&self, id: Option<NodeId>) -> bool {
        id.is_some_and(|id| !self.nodes[id].wire_changed)
    }

    /// For each node: whether a finding is reachable from it.
    pub(crate) fn nodes_reaching_findings(&self) -> Vec<bool> {
        let mut parents: Vec<Vec<NodeId>> = vec![Vec::new(); self.nodes.len()];
        for (id, node) in self.nodes.iter().enumerate() {
            for &(_, child) in &node.children {
                parents[child].push(id);
            }
        }
        let mut reaching = vec![false; self.nodes.len()];
        let mut queue: Vec<NodeId> = (0..self.nodes.len())
            .filter(|&id| !self.nodes[id].findings.is_empty())
            .collect();
        for &id in &queue {
            reaching[id] = true;
        }
        while let Some(id) = queue.pop() {
            for &parent in &parents[id] {
                if !reaching[parent] {
                    reaching[parent] = true;
                    queue.push(parent);
                }
            }
        }
        reaching
    }

    /// Appends the changes reachable from `node` to `changes`, each node once
    /// per operation, described from `subject` and the nearest component
    /// along the first path that reaches it. A change inside a component is
    /// one change whatever reaches it: met again, from another operation, it
    /// only gains that operation.
    pub(crate) fn report(
        &self,
        node: NodeId,
        (subject, schema_at): (&str, Option<&str>),
        operation: &Option<OperationRef>,
        (reported, operation_index): (&mut Reported, usize),
        reaching: &[bool],
        changes: &mut Vec<Change>,
    ) {
        let mut stack = vec![(node, self.nodes[node].component, String::new())];
        while let Some((id, component, path)) = stack.pop() {
            if !reaching[id] || reported.last[id] == operation_index {
                continue;
            }
            reported.last[id] = operation_index;
            let node = &self.nodes[id];
            for finding in &node.findings {
                let path = join(&path, &finding.at);
                let place = describe(subject, component, &path);
                let text = format!("{place}{}", finding.text);
                if component.is_some() {
                    // Described from its component, the change reads the
                    // same from every operation: one change, many operations.
                    let key = (finding.id, text);
                    if let Some(&index) = reported.shared.get(&key) {
                        let operations = &mut changes[index].operations;
                        if let Some(operation) = operation.as_ref() {
                            if operations.last() != Some(operation) {
                                operations.push(operation.clone());
                            }
                        }
                        continue;
                    }
                    let text = key.1.clone();
                    reported.shared.insert(key, changes.len());
                    changes.push(Change {
                        id: finding.id,
                        level: finding.level,
                        operation: operation.clone(),
                        operations: operation.iter().cloned().collect(),
                        text,
                        location: location(component, &path, keyword(finding)),
                    });
                    continue;
                }
                changes.push(Change {
                    id: finding.id,
                    level: finding.level,
                    operation: operation.clone(),
                    operations: Vec::new(),
                    text,
                    location: (schema_at.map(|at| pointer_below(at, &path, keyword(finding))))
                        .or_else(|| operation.as_ref().map(OperationRef::pointer)),
                });
            }
            for (segment, child) in node.children.iter().rev() {
                match self.nodes[*child].component {
                    Some(name) => stack.push((*child, Some(name), String::new())),
                    None => stack.push((*child, component, join(&path, segment))),
                }
            }
        }
    }
}

/// What [`Graph::report`] reported so far: for each node, the operation
/// that last reported it (`usize::MAX` for none), and where each change
/// described from a component is in the list of changes.
#[derive(Debug)]
pub(crate) struct Reported {
    last: Vec<usize>,
    shared: HashMap<(&'static str, String), usize>,
}

impl Reported {
    pub(crate) fn new(nodes: usize) -> Self {
        Self {
            last: vec![usize::MAX; nodes],
            shared: HashMap::default(),
        }
    }
}

fn join(path: &str, segment: &str) -> String {
    match (path.is_empty(), segment.is_empty()) {
        (true, _) => segment.to_owned(),
        (_, true) => path.to_owned(),
        _ => format!("{path}/{segment}"),
    }
}

/// The schema keyword a finding of the node itself is about, if any:
/// findings at a property path are about the property.
fn keyword(finding: &Finding) -> Option<&'static str> {
    finding
        .at
        .is_empty()
        .then(|| rules::keyword(finding.id))
        .flatten()
}

/// The pointer of a property path inside a component (see [`pointer_below`]).
fn location(component: Option<&str>, path: &str, keyword: Option<&str>) -> Option<String> {
    let schema = crate::refs::pointer_of(&["components", "schemas", component?]);
    Some(pointer_below(&schema, path, keyword))
}

/// The pointer of a property path below the schema at `schema`, as far as
/// the path names properties (`items` and union members end it), then of
/// `keyword` when the whole path was followed: annotations point at its line.
fn pointer_below(schema: &str, path: &str, keyword: Option<&str>) -> String {
    let mut tokens = Vec::new();
    let mut whole = true;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == "items" || segment == "additionalProperties" || segment.contains('[') {
            whole = false;
            break;
        }
        tokens.push("properties");
        tokens.push(segment);
    }
    tokens.extend(keyword.filter(|_| whole));
    let below = crate::refs::pointer_of(&tokens);
    format!("{schema}{}", &below[1..])
}

/// "request body (application/json) property 'a/b'", or "schema 'Pet'
/// property 'a/b'" inside a component: one change wherever it is used.
fn describe(subject: &str, component: Option<&str>, path: &str) -> String {
    match (component, path.is_empty()) {
        (None, true) => subject.to_owned(),
        (None, false) => format!("{subject} property '{path}'"),
        (Some(name), true) => format!("schema '{name}'"),
        (Some(name), false) => format!("schema '{name}' property '{path}'"),
    }
}

/// The findings and edges of the node being compared.
#[derive(Debug)]
pub(crate) struct Out {
    profile: Profile,
    policy: Policy,
    findings: Vec<Finding>,
    children: Vec<(String, NodeId)>,
}

impl Out {
    pub(crate) fn new(profile: Profile, policy: Policy) -> Self {
        Self {
            profile,
            policy,
            findings: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Records a change under rule `id` at property path `at` below the
    /// node. Returns whether the catalogue has that id.
    pub(crate) fn emit(&mut self, id: &str, at: &str, text: String) -> bool {
        let Some(rule) = rules::lookup(id) else {
            return false;
        };
        let wire = rule.profile == Profile::Wire;
        if wire || self.profile == Profile::Codegen {
            self.findings.push(Finding {
                id: rule.id,
                level: rule.level,
                wire,
                at: at.to_owned(),
                text,
            });
        }
        true
    }

    /// Records the change under the first of `ids` that the catalogue has.
    pub(crate) fn emit_first(&mut self, ids: &[String], at: &str, text: String) {
        for id in ids {
            if self.emit(id, at, text.clone()) {
                return;
            }
        }
    }

    /// An edge to the node of a sub-schema at `segment`.
    pub(crate) fn child(&mut self, segment: &str, node: Option<NodeId>) {
        if let Some(node) = node {
            self.children.push((segment.to_owned(), node));
        }
    }

    /// Whether the codegen rules run.
    pub(crate) fn codegen(&self) -> bool {
        self.profile == Profile::Codegen
    }

    /// How many findings so far: a mark for [`Out::wire_err_since`].
    pub(crate) fn mark(&self) -> usize {
        self.findings.len()
    }

    /// Whether a wire rule reported a change at `ERR` (its default level)
    /// since `mark`: a codegen rule for the same change would report it twice.
    pub(crate) fn wire_err_since(&self, mark: usize) -> bool {
        self.findings
            .get(mark..)
            .unwrap_or_default()
            .iter()
            .any(|f| f.wire && f.level == Level::Err)
    }

    /// Whether a wire change is known so far, here or below.
    pub(crate) fn changed(&self, graph: &Graph<'_>) -> bool {
        self.findings.iter().any(|f| f.wire)
            || self.children.iter().any(|&(_, child)| {
                let node = &graph.nodes[child];
                node.done && node.wire_changed
            })
    }

    /// A sink for the rules of one property (lifecycle rules).
    pub(crate) fn at<'o>(&'o mut self, at: &'o str) -> At<'o> {
        At { out: self, at }
    }
}

/// [`Out`], for findings at one property.
pub(crate) struct At<'o> {
    out: &'o mut Out,
    at: &'o str,
}

impl Sink for At<'_> {
    fn emit(&mut self, id: &str, text: String) -> bool {
        self.out.emit(id, self.at, text)
    }

    fn policy(&self) -> Policy {
        self.out.policy
    }
}
