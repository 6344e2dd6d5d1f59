//! A loaded, validated OpenAPI 3.0.x or 3.1.x document.

use super::api::Api;
use super::error::{LoadError, Problem};
use super::node::{Builder, Node};
use super::refs;
use super::source::Source;
use super::structure;
use super::yaml;

/// How large a document [`Document::load`] reads: 64 MiB, far above real
/// API descriptions (the largest public ones are a few MB).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// An OpenAPI 3.0.x or 3.1.x document that parsed and whose every `$ref` resolves.
#[derive(Debug, Clone)]
pub struct Document {
    name: String,
    api: Api,
    tolerated: Vec<String>,
}

impl Document {
    /// Reads and validates the document at `source`.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the source when it cannot be read, is not YAML
    /// or JSON, is not OpenAPI 3.0.x or 3.1.x, or has a `$ref` that does not resolve.
    pub fn load(source: &Source) -> Result<Self, LoadError> {
        Self::load_at_most(source, DEFAULT_MAX_INPUT_BYTES)
    }

    /// As [`Document::load`], refusing a source larger than `max_bytes`.
    ///
    /// # Errors
    ///
    /// As [`Document::load`], and [`Problem::TooLarge`] past `max_bytes`.
    pub fn load_at_most(source: &Source, max_bytes: u64) -> Result<Self, LoadError> {
        let name = source.display_name();
        // The text goes as soon as its tree is built, before the checks.
        let root = parse(&name, &source.read(max_bytes)?)?;
        Self::checked(name, root)
    }

    /// Parses and validates `text`; `name` is how errors and reports call it.
    ///
    /// # Errors
    ///
    /// As [`Document::load`], except that nothing is read.
    pub fn from_text(name: &str, text: &str) -> Result<Self, LoadError> {
        Self::checked(name.to_owned(), parse(name, text)?)
    }

    /// The document of `root`, once it is OpenAPI 3.0 or 3.1 with references that resolve.
    fn checked(name: String, root: Node) -> Result<Self, LoadError> {
        let fail = |problem| LoadError::new(&name, problem);
        check_version(&root).map_err(|why| fail(Problem::UnsupportedVersion(why)))?;
        let api = Api::new(root);
        refs::check_all(&api).map_err(fail)?;
        let tolerated = structure::check(api.root())
            .map_err(|why| fail(Problem::Structure(why)))?
            .iter()
            .map(|defect| crate::report::printable(defect))
            .collect();
        Ok(Self {
            name,
            api,
            tolerated,
        })
    }

    /// Defects OpenAPI forbids in fields the comparison does not read (a
    /// response without `description`, `info` without `version`...): the
    /// document is compared all the same. One sentence each, naming the place.
    pub fn tolerated(&self) -> &[String] {
        &self.tolerated
    }

    /// The source it was read from, e.g. `openapi/invitations.yaml` or `git:HEAD~1:spec.yaml`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parsed document.
    pub(crate) fn api(&self) -> &Api {
        &self.api
    }
}

/// The tree of `text`, refused when it is not YAML or JSON or repeats a key.
fn parse(name: &str, text: &str) -> Result<Node, LoadError> {
    let fail = |problem| LoadError::new(name, problem);
    // A byte order mark is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_json = text.trim_start().starts_with('{');

    // One tree for checking and comparing. YAML goes through its own
    // value type first, for merge keys; keys that YAML tells apart and
    // JSON cannot (`200` and `"200"`), like keys JSON text repeats, are refused.
    let mut builder = Builder::default();
    let root = if is_json {
        builder
            .json(text)
            .map_err(|e| fail(Problem::Syntax(e.to_string())))?
    } else {
        yaml::parse(text, &mut builder).map_err(fail)?
    };
    if builder.repeated_key {
        // Only now is the key's place worth finding.
        root.check_duplicates(&mut Vec::new()).map_err(fail)?;
    }
    Ok(root)
}

fn check_version(root: &Node) -> Result<(), String> {
    if !matches!(root, Node::Object(_)) {
        return Err("the top level is not a mapping".to_owned());
    }
    if let Some(swagger) = root.get("swagger") {
        return Err(format!("found swagger: {swagger} (Swagger 2.0)"));
    }
    match root.get("openapi") {
        None => Err("no `openapi` field".to_owned()),
        Some(Node::String(version)) if is_3_0(version) || is_3_1(version) => Ok(()),
        Some(Node::String(version)) => Err(format!("found openapi: {version}")),
        Some(other) => Err(format!(
            "`openapi` must be a string like \"3.0.3\", found {other}"
        )),
    }
}

fn is_3_0(version: &str) -> bool {
    is_minor(version, "3.0.")
}

fn is_3_1(version: &str) -> bool {
    is_minor(version, "3.1.")
}

/// `3.0.3` for `3.0.`: the minor version, then a patch number.
fn is_minor(version: &str, minor: &str) -> bool {
    version
        .strip_prefix(minor)
        .is_some_and(|patch| !patch.is_empty() && patch.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_3_0_and_3_1_versions_are_accepted() {
        assert!(is_3_0("3.0.0") && is_3_0("3.0.3") && is_3_0("3.0.10"));
        assert!(!is_3_0("3.1.0") && !is_3_0("3.0") && !is_3_0("3.0.x") && !is_3_0("2.0"));
        assert!(is_3_1("3.1.0") && is_3_1("3.1.1") && !is_3_1("3.2.0") && !is_3_1("3.1"));
    }
}
