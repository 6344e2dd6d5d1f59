//! The differ: walks two documents side by side and records changes.
//!
//! Each file handles one area; they all report through [`Context::emit`],
//! which looks the id up in the catalogue, so a rule only exists once.

mod content;
mod lifecycle;
mod operation;
mod parameters;
mod paths;
mod responses;
pub(crate) mod schema;
mod security;

pub(crate) use paths::normalize as normalize_path;
pub(crate) use responses::status;

use std::collections::HashSet;

use crate::api::Api;

use super::rules;
use super::{Change, Date, OperationRef, Options, Profile};
use schema::{Graph, NodeId, Reported};

/// Which way data flows: clients write requests and read responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// The deprecation policy sunsets are judged by.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    pub(crate) today: Date,
    pub(crate) beta_days: u32,
    pub(crate) stable_days: u32,
}

/// Where findings go: the document-level walk records changes directly,
/// the schema walk records them in the node of a schema pair.
pub(crate) trait Sink {
    /// Records a change under rule `id`; returns whether the catalogue has it.
    fn emit(&mut self, id: &str, text: String) -> bool;
    fn policy(&self) -> Policy;
}

/// A change, or the place where a compared schema's changes go once every
/// schema pair has been compared.
/// Schema places outnumber changes: they are kept small.
enum Entry {
    Change(Box<Change>),
    Schema {
        /// Which operation, in [`Context::operations`]: a schema location
        /// reports once per operation.
        operation_index: usize,
        subject: String,
        node: NodeId,
        /// The address of the revision's schema.
        schema: usize,
    },
}

/// State shared by every comparison of one pair of documents.
pub(crate) struct Context<'a> {
    pub(crate) base: &'a Api,
    pub(crate) rev: &'a Api,
    pub(crate) options: &'a Options,
    pub(crate) today: Date,
    /// Every operation compared so far, in order, after "none"; the last
    /// is being compared, and is attached to each change.
    operations: Vec<Option<OperationRef>>,
    entries: Vec<Entry>,
    /// Every schema pair compared so far, each once.
    pub(crate) schemas: Graph<'a>,
}

impl<'a> Context<'a> {
    fn new(base: &'a Api, rev: &'a Api, options: &'a Options) -> Self {
        Self {
            base,
            rev,
            options,
            today: options.today.unwrap_or_else(Date::today),
            operations: vec![None],
            entries: Vec::new(),
            schemas: Graph::default(),
        }
    }

    /// The base and revision documents.
    pub(crate) fn apis(&self) -> schema::Apis<'a> {
        (self.base, self.rev)
    }

    /// Changes from now on belong to `operation`.
    pub(crate) fn set_operation(&mut self, operation: Option<OperationRef>) {
        self.operations.push(operation);
    }

    pub(crate) fn operation(&self) -> &Option<OperationRef> {
        self.operations.last().unwrap_or(&None)
    }

    /// Records a change under rule `id`. Returns whether the catalogue has
    /// that id: rules try several spellings and stop at the first.
    pub(crate) fn emit(&mut self, id: &str, text: impl Into<String>) -> bool {
        let Some(rule) = rules::lookup(id) else {
            return false;
        };
        if rule.profile == Profile::Codegen && self.options.profile != Profile::Codegen {
            return true;
        }
        let operation = self.operation().clone();
        let location = operation.as_ref().map(OperationRef::pointer);
        self.entries.push(Entry::Change(Box::new(Change {
            id: rule.id,
            level: rule.level,
            operation,
            operations: Vec::new(),
            text: text.into(),
            location,
        })));
        true
    }

    /// Records that the changes of schema pair `node` belong here, under
    /// `subject`; `schema` is the address of the revision's schema, whose
    /// place locates changes outside components.
    pub(crate) fn schema_changes(&mut self, subject: String, node: NodeId, schema: usize) {
        // Most pairs are equal leaves, which report nothing: nothing to keep.
        if self.schemas.is_blank(node) {
            return;
        }
        self.entries.push(Entry::Schema {
            operation_index: self.operations.len() - 1,
            subject,
            node,
            schema,
        });
    }
}

impl Sink for Context<'_> {
    fn emit(&mut self, id: &str, text: String) -> bool {
        Context::emit(self, id, text)
    }

    fn policy(&self) -> Policy {
        Policy {
            today: self.today,
            beta_days: self.options.deprecation_days_beta,
            stable_days: self.options.deprecation_days_stable,
        }
    }
}

/// Schemas that nest deeper than this tool compares: the input is refused
/// rather than compared in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    operation: Option<OperationRef>,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "schemas nest more than {} levels deep",
            schema::MAX_DEPTH
        )?;
        match &self.operation {
            Some(operation) => write!(f, " in {operation}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for TooDeep {}

pub(crate) fn compare(base: &Api, rev: &Api, options: &Options) -> Result<Vec<Change>, TooDeep> {
    let mut cx = Context::new(base, rev, options);
    security::compare_document(&mut cx);
    paths::compare(&mut cx);
    let Context {
        entries,
        schemas,
        operations,
        ..
    } = cx;
    if let Some(operation) = schemas.too_deep_in() {
        return Err(TooDeep { operation });
    }
    let reaching = schemas.nodes_reaching_findings();
    // Where the revision's schemas are, for changes outside components:
    // found in one walk, and only when there are such schemas.
    let wanted: HashSet<usize> = (entries.iter())
        .filter_map(|entry| match entry {
            Entry::Schema { schema, .. } => Some(*schema),
            Entry::Change(_) => None,
        })
        .collect();
    let places = crate::refs::pointers(rev.root(), &wanted);
    let mut reported = Reported::new(schemas.len());
    let mut changes = Vec::new();
    for entry in entries {
        match entry {
            Entry::Change(change) => changes.push(*change),
            Entry::Schema {
                operation_index,
                subject,
                node,
                schema,
            } => schemas.report(
                node,
                (&subject, places.get(&schema).map(String::as_str)),
                &operations[operation_index],
                (&mut reported, operation_index),
                &reaching,
                &mut changes,
            ),
        }
    }
    if options.profile == Profile::Codegen {
        let renamed = schemas.reported_renames(&reported);
        removed_schemas(base, rev, &renamed, &mut changes);
    }
    // A safety net: one sentence once per operation.
    let mut seen = HashSet::new();
    Ok(changes
        .into_iter()
        .filter(|change| seen.insert((change.id, change.operation.clone(), change.text.clone())))
        .collect())
}

/// Under the codegen profile: a component schema of the base that the
/// revision lacks, unless reported renamed. progenitor generates a type for
/// every component schema, used or not: its type is gone.
fn removed_schemas(base: &Api, rev: &Api, renamed: &[&str], changes: &mut Vec<Change>) {
    fn schemas(api: &Api) -> Option<&crate::node::Node> {
        api.root().get("components")?.get("schemas")
    }
    let Some(old) = schemas(base) else {
        return;
    };
    let Some(rule) = rules::lookup("codegen-schema-removed") else {
        return;
    };
    // The nearest place that remains.
    let location = match (rev.root().get("components"), schemas(rev)) {
        (_, Some(_)) => Some("#/components/schemas".to_owned()),
        (Some(_), None) => Some("#/components".to_owned()),
        (None, None) => None,
    };
    for (name, _) in old.entries() {
        if rev.component("schemas", name).is_some() || renamed.contains(&&**name) {
            continue;
        }
        changes.push(Change {
            id: rule.id,
            level: rule.level,
            operation: None,
            operations: Vec::new(),
            text: format!("schema '{name}' removed: the generated type is removed"),
            location: location.clone(),
        });
    }
}
