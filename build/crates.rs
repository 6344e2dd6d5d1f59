//! The crates the generated code names must be ones this crate depends on:
//! otherwise rustc would fail inside `OUT_DIR` with "cannot find `x` in the
//! crate root", far from the document that caused it.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use quote::ToTokens;

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
    let Some((missing, item)) = first_missing(&file.items) else {
        return Ok(());
    };
    // The generated item it appears in names the schema that caused it.
    let item = item
        .map(|name| format!(" (in the generated `{name}`)"))
        .unwrap_or_default();
    Err(format!(
        "the generated code needs the `{missing}` crate{item}, which this crate does not depend on: \
         add it to [dependencies] in Cargo.toml and to the list in build/crates.rs, or change the \
         construct that needs it (an `x-rust-type` naming a dependency, or a format this crate maps)"
    ))
}

/// The first crate not in [`PROVIDED`] that a path of `items` starts from,
/// with the name of the item it is in.
fn first_missing(items: &[syn::Item]) -> Option<(String, Option<String>)> {
    items.iter().find_map(|item| {
        if let syn::Item::Mod(syn::ItemMod {
            content: Some((_, inner)),
            ..
        }) = item
        {
            return first_missing(inner);
        }
        let mut found = Vec::new();
        roots(item.to_token_stream(), &mut found);
        let missing = found
            .into_iter()
            .find(|r| !PROVIDED.contains(&r.as_str()))?;
        Some((missing, name(item)))
    })
}

fn name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(item) => Some(item.ident.to_string()),
        syn::Item::Enum(item) => Some(item.ident.to_string()),
        syn::Item::Fn(item) => Some(item.sig.ident.to_string()),
        syn::Item::Type(item) => Some(item.ident.to_string()),
        syn::Item::Impl(item) => Some(item.self_ty.to_token_stream().to_string()),
        _ => None,
    }
}

/// The first segment of each absolute path (`::name`) in the code's tokens.
/// Tokens, not text: a description or doc comment is one literal token, so a
/// `::name::` written there is never taken for a path. (syn's `visit`
/// feature would walk the same paths; the tokens need no more of syn.)
fn roots(tokens: TokenStream, found: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (at, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            roots(group.stream(), found);
            continue;
        }
        let colon =
            |i: usize| matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':');
        let starts_path_separator = matches!(tree, TokenTree::Punct(p)
            if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            && colon(at + 1);
        // `a::b` and `<T as X>::b` continue a path; after anything else
        // (`: ::serde::X`, `(::std::...`) the path starts at a crate.
        let continues = at > 0
            && match &trees[at - 1] {
                TokenTree::Ident(_) => true,
                TokenTree::Punct(p) => p.as_char() == '>',
                _ => false,
            };
        if starts_path_separator && !continues {
            if let Some(TokenTree::Ident(root)) = trees.get(at + 2) {
                found.push(root.to_string());
            }
        }
    }
}
