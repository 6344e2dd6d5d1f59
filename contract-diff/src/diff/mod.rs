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

use std::collections::HashSet;

use openapiv3::OpenAPI;

use super::rules;
use super::{Change, Date, OperationRef, Options, Profile};

/// Which way data flows: clients write requests and read responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// State shared by every comparison of one pair of documents.
pub(crate) struct Context<'a> {
    pub(crate) base: &'a OpenAPI,
    pub(crate) rev: &'a OpenAPI,
    pub(crate) options: &'a Options,
    pub(crate) today: Date,
    /// The operation being compared; attached to each change.
    pub(crate) operation: Option<OperationRef>,
    changes: Vec<Change>,
    /// Above zero while testing two schemas for equivalence: nothing is
    /// recorded, only counted.
    probing: usize,
    probe_hits: usize,
    /// Schema pairs being compared, innermost last: a pair met again is a
    /// recursive schema, and is not descended into twice.
    pub(crate) schema_stack: Vec<(usize, usize)>,
}

impl<'a> Context<'a> {
    fn new(base: &'a OpenAPI, rev: &'a OpenAPI, options: &'a Options) -> Self {
        Self {
            base,
            rev,
            options,
            today: options.today.unwrap_or_else(Date::today),
            operation: None,
            changes: Vec::new(),
            probing: 0,
            probe_hits: 0,
            schema_stack: Vec::new(),
        }
    }

    /// Records a change under rule `id`. Returns whether the catalogue has
    /// that id: schema rules try several spellings and stop at the first.
    pub(crate) fn emit(&mut self, id: &str, text: impl Into<String>) -> bool {
        let Some(rule) = rules::lookup(id) else {
            return false;
        };
        if rule.profile == Profile::Codegen
            && (self.options.profile != Profile::Codegen || self.probing > 0)
        {
            return true;
        }
        if self.probing > 0 {
            self.probe_hits += 1;
            return true;
        }
        self.changes.push(Change {
            id: rule.id,
            level: rule.level,
            operation: self.operation.clone(),
            text: text.into(),
        });
        true
    }

    /// Records the change under the first of `ids` that the catalogue has.
    pub(crate) fn emit_first(&mut self, ids: &[String], text: impl Into<String>) {
        let text = text.into();
        for id in ids {
            if self.emit(id, text.clone()) {
                return;
            }
        }
    }

    /// Whether `compare` finds no wire change at all.
    pub(crate) fn finds_nothing(&mut self, compare: impl FnOnce(&mut Self)) -> bool {
        let before = self.probe_hits;
        self.probing += 1;
        compare(self);
        self.probing -= 1;
        self.probe_hits == before
    }

    /// How many changes have been found so far, recorded or probed.
    pub(crate) fn found(&self) -> usize {
        self.changes.len() + self.probe_hits
    }
}

pub(crate) fn compare(base: &OpenAPI, rev: &OpenAPI, options: &Options) -> Vec<Change> {
    let mut cx = Context::new(base, rev, options);
    security::compare_document(&mut cx);
    paths::compare(&mut cx);
    // The same component reached from several places reports once per
    // operation, not once per place.
    let mut seen = HashSet::new();
    cx.changes
        .into_iter()
        .filter(|change| seen.insert((change.id, change.operation.clone(), change.text.clone())))
        .collect()
}
