//! The crates the generated code names must be ones this crate depends on:
//! otherwise rustc would fail inside `OUT_DIR` with "cannot find `x` in the
//! crate root", far from the document that caused it.

/// Each crate generated code may name, and what in a document needs it.
/// Keep in step with `[dependencies]` in Cargo.toml.
const PROVIDED: &[&str] = &[
    "std",
    "core",
    "serde",
    "serde_json",
    "reqwest",
    "progenitor_client",
    "schemars",
    // `format: date` and `format: date-time`.
    "chrono",
    // `format: uuid`.
    "uuid",
    // `pattern`.
    "regress",
    // `x-rust-type` naming this crate's own types.
    "linkedin_invitations",
];

pub fn check(file: &syn::File) -> Result<(), String> {
    let code = prettyplease::unparse(file);
    let Some((at, missing)) = roots(&code).find(|(_, root)| !PROVIDED.contains(root)) else {
        return Ok(());
    };
    // The generated item it appears in names the schema that caused it.
    let item = ["pub struct ", "pub enum ", "pub fn "]
        .iter()
        .filter_map(|keyword| code[..at].rfind(keyword).map(|i| i + keyword.len()))
        .max()
        .map(|start| {
            let name = &code[start..];
            let end = name
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(0);
            format!(" (in the generated `{}`)", &name[..end])
        })
        .unwrap_or_default();
    Err(format!(
        "the generated code needs the `{missing}` crate{item}, which this crate does not depend on: \
         add it to [dependencies] in Cargo.toml and to the list in build/crates.rs, or change the \
         construct that needs it (an `x-rust-type` naming a dependency, or a format this crate maps)"
    ))
}

/// The first crate of each absolute path (`::name::...`) in the code.
fn roots(code: &str) -> impl Iterator<Item = (usize, &str)> {
    code.match_indices("::").filter_map(move |(at, _)| {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '>' || c == ':') {
            return None;
        }
        let rest = &code[at + 2..];
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
        rest[end..].starts_with("::").then(|| (at, &rest[..end]))
    })
}
