//! What changed for clients between two versions of an OpenAPI 3.0.x or 3.1.x document.
//!
//! The library behind the `contract-diff` binary. Load two [`Document`]s,
//! [`compare`] them, then filter and render the changes with [`report`].
//!
//! ```no_run
//! use contract_diff::{compare, Document, Options, Source};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let base = Document::load(&Source::parse("git:HEAD~1:openapi/invitations.yaml"))?;
//! let revision = Document::load(&Source::parse("openapi/invitations.yaml"))?;
//! for change in compare(&base, &revision, &Options::default())? {
//!     println!("{} {} {}", change.level, change.id, change.text);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Shapes are compared after resolving every `$ref` and flattening every
//! `allOf`, so a pure refactor reports nothing. Requests are compared
//! contravariantly (rejecting what used to be accepted breaks clients) and
//! responses covariantly (returning what used to be impossible breaks them).

mod api;
mod change;
mod diff;
mod document;
mod error;
pub mod ignore;
mod node;
mod positions;
mod refs;
pub mod report;
pub mod rules;
mod source;
mod structure;
mod sunset;
mod yaml;

pub use change::{Change, Level, OperationRef, Profile};
pub use diff::TooDeep;
pub use document::{Document, DEFAULT_MAX_INPUT_BYTES};
pub use error::{LoadError, Problem};
pub use positions::Lines;
pub use source::Source;
pub use sunset::Date;

/// How to compare.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// Which rules run: the wire rules, or those plus the generated-API rules.
    pub profile: Profile,
    /// Days a `beta` operation or parameter must stay deprecated before its sunset.
    pub deprecation_days_beta: u32,
    /// Days any other deprecated item must stay before its sunset.
    pub deprecation_days_stable: u32,
    /// The date sunsets are measured against; today when `None`.
    pub today: Option<Date>,
}

impl Options {
    /// Options for `profile`, with no deprecation policy.
    pub fn with_profile(profile: Profile) -> Self {
        Self {
            profile,
            ..Self::default()
        }
    }
}

/// Every change from `base` to `revision`, at every level, in document order.
///
/// # Errors
///
/// [`TooDeep`] when schemas nest deeper than the comparison follows; no
/// part of such a pair of documents is reported.
pub fn compare(
    base: &Document,
    revision: &Document,
    options: &Options,
) -> Result<Vec<Change>, TooDeep> {
    // Deep schemas recurse deeply: the comparison runs on a thread whose
    // stack fits the deepest nesting it accepts.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("contract-diff compare".to_owned())
            .stack_size(COMPARE_STACK_BYTES)
            .spawn_scoped(scope, || diff::compare(base.api(), revision.api(), options))
            .map(|thread| thread.join())
    })
    .unwrap_or_else(|_| Ok(diff::compare(base.api(), revision.api(), options)))
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Stack for the comparison thread: the deepest accepted nesting, with room to spare.
const COMPARE_STACK_BYTES: usize = 512 * 1024 * 1024;
