//! From changes to a report: severity overrides, ignore entries, the
//! `breaking` or `changelog` selection, and rendering.

mod github;
mod json;
mod junit;
mod markdown;
mod overrides;
mod text;

use std::fmt;
use std::str::FromStr;

pub use overrides::{OverrideError, Overrides};

use super::ignore::IgnoreList;
use super::{Change, Level};

/// Which changes a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// ERR and WARN: what breaks or may break clients.
    Breaking,
    /// Everything, INFO included.
    Changelog,
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One change per line, for people.
    Text,
    /// A JSON object, for programs.
    Json,
    /// A Markdown table, for pull request comments and job summaries.
    Markdown,
    /// GitHub Actions workflow commands, which annotate the pull request.
    GithubActions,
    /// A JUnit XML report, for CI systems that show test results.
    Junit,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "markdown" => Ok(Format::Markdown),
            "githubactions" => Ok(Format::GithubActions),
            "junit" => Ok(Format::Junit),
            _ => Err(format!("unknown format '{s}'")),
        }
    }
}

/// The changes to show, after overrides and ignore entries.
#[derive(Debug, Clone)]
pub struct Report {
    /// What the base document is called.
    pub base: String,
    /// What the revision document is called.
    pub revision: String,
    /// The revision's file, when it is one: GitHub annotations point at it.
    pub revision_file: Option<String>,
    /// The lines of the revision's elements: GitHub annotations point at them.
    pub revision_lines: Option<crate::Lines>,
    /// The changes shown, most severe first, then in document order.
    pub changes: Vec<Change>,
    /// How many changes an ignore entry covered.
    pub ignored: usize,
    /// Which changes were selected.
    pub selection: Selection,
    /// The `--fail-on` level, if any: JUnit marks only what fails under it.
    pub fail_on: Option<Level>,
}

impl Report {
    /// Applies `overrides`, drops what `ignore` covers, and keeps what `selection` shows.
    pub fn new(
        base: &str,
        revision: &str,
        changes: Vec<Change>,
        selection: Selection,
        overrides: &Overrides,
        ignore: &IgnoreList,
    ) -> Self {
        let mut ignored = 0;
        let mut shown: Vec<Change> = changes
            .into_iter()
            .filter_map(|mut change| {
                change.level = overrides.level_of(&change)?;
                if ignore.covering(&change).is_some() {
                    ignored += 1;
                    return None;
                }
                let wanted = selection == Selection::Changelog || change.level >= Level::Warn;
                wanted.then_some(change)
            })
            .collect();
        // Stable: document order within a level.
        shown.sort_by_key(|change| std::cmp::Reverse(change.level));
        Self {
            base: base.to_owned(),
            revision: revision.to_owned(),
            revision_file: None,
            revision_lines: None,
            changes: shown,
            ignored,
            selection,
            fail_on: None,
        }
    }

    /// Whether `change` fails the run under `--fail-on`.
    fn fails_on(&self, change: &Change) -> bool {
        self.fail_on
            .is_some_and(|threshold| change.level >= threshold)
    }

    /// Whether a shown change is at `threshold` or above.
    pub fn fails(&self, threshold: Level) -> bool {
        self.changes.iter().any(|change| change.level >= threshold)
    }

    /// How many shown changes are at exactly `level`.
    pub fn count(&self, level: Level) -> usize {
        self.changes
            .iter()
            .filter(|change| change.level == level)
            .count()
    }

    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::render(self),
            Format::Json => json::render(self),
            Format::Markdown => markdown::render(self),
            Format::GithubActions => github::render(self),
            Format::Junit => junit::render(self),
        }
    }

    /// "2 errors, 1 warning, 3 infos" (only the levels shown).
    fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut parts = vec![
            plural(self.count(Level::Err), "error"),
            plural(self.count(Level::Warn), "warning"),
        ];
        if self.selection == Selection::Changelog {
            parts.push(plural(self.count(Level::Info), "info"));
        }
        let mut summary = parts.join(", ");
        if self.ignored > 0 {
            summary.push_str(&format!(" ({} ignored)", self.ignored));
        }
        summary
    }
}

impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Selection::Breaking => "breaking changes",
            Selection::Changelog => "changes",
        })
    }
}

/// "POST /path", "POST /path and 11 more operations" for a change in a
/// component that many reach, or "" for document-wide changes.
fn operation_label(change: &Change) -> String {
    let Some(operation) = &change.operation else {
        return String::new();
    };
    let first = printable(&operation.to_string());
    match change.operations.len() {
        0 | 1 => first,
        2 => format!("{first} and 1 more operation"),
        n => format!("{first} and {} more operations", n - 1),
    }
}

/// `text` with control characters (line breaks included) written as
/// `\u{..}` escapes: names come from the documents, and a revision must not
/// be able to forge lines of a report or commands of a CI runner.
pub(crate) fn printable(text: &str) -> String {
    if !text.chars().any(is_unprintable) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if is_unprintable(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}
