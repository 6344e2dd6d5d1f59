//! A loaded, validated OpenAPI 3.0.x document.

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

use super::error::{LoadError, Problem};
use super::refs;
use super::source::Source;
use super::yaml;

/// How large a document [`Document::load`] reads: 64 MiB, far above real
/// API descriptions (the largest public ones are a few MB).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// An OpenAPI 3.0.x document that parsed and whose every `$ref` resolves.
#[derive(Debug, Clone)]
pub struct Document {
    name: String,
    api: OpenAPI,
}

impl Document {
    /// Reads and validates the document at `source`.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the source when it cannot be read, is not YAML
    /// or JSON, is not OpenAPI 3.0.x, or has a `$ref` that does not resolve.
    pub fn load(source: &Source) -> Result<Self, LoadError> {
        Self::load_at_most(source, DEFAULT_MAX_INPUT_BYTES)
    }

    /// As [`Document::load`], refusing a source larger than `max_bytes`.
    ///
    /// # Errors
    ///
    /// As [`Document::load`], and [`Problem::TooLarge`] past `max_bytes`.
    pub fn load_at_most(source: &Source, max_bytes: u64) -> Result<Self, LoadError> {
        let text = source.read(max_bytes)?;
        Self::from_text(&source.display_name(), &text)
    }

    /// Parses and validates `text`; `name` is how errors and reports call it.
    ///
    /// # Errors
    ///
    /// As [`Document::load`], except that nothing is read.
    pub fn from_text(name: &str, text: &str) -> Result<Self, LoadError> {
        let fail = |problem| LoadError::new(name, problem);
        // A byte order mark is not part of the document.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let is_json = text.trim_start().starts_with('{');

        // First an untyped pass: syntax, version and references can be
        // reported precisely there, before the typed model rejects them vaguely.
        // YAML goes through its own value type first, which refuses duplicate
        // keys (invalid YAML that the JSON value type would silently merge).
        let raw: Value = if is_json {
            serde_json::from_str(text).map_err(|e| fail(Problem::Syntax(e.to_string())))?
        } else {
            yaml::parse(text).map_err(fail)?
        };
        check_version(&raw).map_err(|why| fail(Problem::NotOpenApi30(why)))?;
        refs::check_all(&raw).map_err(fail)?;

        // The typed pass reads `raw` (its maps keep the document's order, which
        // reports follow), never the text again: openapiv3 panics on some YAML
        // that its untagged `$ref`-or-item types parse differently twice
        // (found by fuzzing; see tests/fuzz_regressions.rs).
        // Deserializing from a borrowed value lets the buffering of
        // openapiv3's untagged `$ref`-or-item types borrow strings instead
        // of copying them at every level: several times faster on large documents.
        let api =
            OpenAPI::deserialize(&raw).map_err(|e| fail(Problem::Structure(e.to_string())))?;
        Ok(Self {
            name: name.to_owned(),
            api,
        })
    }

    /// The source it was read from, e.g. `openapi/invitations.yaml` or `git:HEAD~1:spec.yaml`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parsed document.
    pub fn api(&self) -> &OpenAPI {
        &self.api
    }
}

fn check_version(raw: &Value) -> Result<(), String> {
    let Some(root) = raw.as_object() else {
        return Err("the top level is not a mapping".to_owned());
    };
    if let Some(swagger) = root.get("swagger") {
        return Err(format!("found swagger: {swagger} (Swagger 2.0)"));
    }
    match root.get("openapi") {
        None => Err("no `openapi` field".to_owned()),
        Some(Value::String(version)) if is_3_0(version) => Ok(()),
        Some(Value::String(version)) => Err(format!("found openapi: {version}")),
        Some(other) => Err(format!(
            "`openapi` must be a string like \"3.0.3\", found {other}"
        )),
    }
}

fn is_3_0(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_3_0_versions_are_accepted() {
        assert!(is_3_0("3.0.0") && is_3_0("3.0.3") && is_3_0("3.0.10"));
        assert!(!is_3_0("3.1.0") && !is_3_0("3.0") && !is_3_0("3.0.x") && !is_3_0("2.0"));
    }
}
