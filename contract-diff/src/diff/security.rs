//! Security requirements, document-wide and per operation, and the
//! security schemes they name.

use std::collections::BTreeSet;

use super::Context;
use crate::api::{operations, Api};
use crate::node::Node;

/// The ids for one level of requirements (document-wide or per operation).
struct RequirementIds {
    added: &'static str,
    removed: &'static str,
    scope_added: &'static str,
    scope_removed: &'static str,
}

const GLOBAL: RequirementIds = RequirementIds {
    added: "api-global-security-added",
    removed: "api-global-security-removed",
    scope_added: "api-global-security-scope-added",
    scope_removed: "api-global-security-scope-removed",
};

const OPERATION: RequirementIds = RequirementIds {
    added: "api-security-added",
    removed: "api-security-removed",
    scope_added: "api-security-scope-added",
    scope_removed: "api-security-scope-removed",
};

/// A requirement is identified by the set of schemes it combines.
/// A requirement's schemes (`{name: [scopes]}`).
fn schemes(requirement: &Node) -> impl Iterator<Item = (&str, Vec<&str>)> {
    requirement.entries().iter().map(|(name, scopes)| {
        let scopes = scopes.items().iter().filter_map(Node::as_str).collect();
        (&**name, scopes)
    })
}

fn identity(requirement: &Node) -> String {
    let names: BTreeSet<&str> = schemes(requirement).map(|(name, _)| name).collect();
    names.into_iter().collect::<Vec<_>>().join(" + ")
}

fn compare_requirements(cx: &mut Context<'_>, ids: &RequirementIds, old: &[Node], new: &[Node]) {
    for requirement in old {
        let key = identity(requirement);
        let Some(other) = new.iter().find(|r| identity(r) == key) else {
            cx.emit(ids.removed, format!("security requirement '{key}' removed"));
            continue;
        };
        let other: Vec<_> = schemes(other).collect();
        for (scheme, scopes) in schemes(requirement) {
            let new_scopes = other
                .iter()
                .find(|(name, _)| *name == scheme)
                .map_or(&[][..], |(_, scopes)| scopes.as_slice());
            for scope in scopes.iter().filter(|s| !new_scopes.contains(s)) {
                cx.emit(
                    ids.scope_removed,
                    format!("security scheme '{scheme}': scope '{scope}' removed"),
                );
            }
            for scope in new_scopes.iter().filter(|s| !scopes.contains(s)) {
                cx.emit(
                    ids.scope_added,
                    format!("security scheme '{scheme}': scope '{scope}' added"),
                );
            }
        }
    }
    for requirement in new {
        let key = identity(requirement);
        if !old.iter().any(|r| identity(r) == key) {
            cx.emit(ids.added, format!("security requirement '{key}' added"));
        }
    }
}

/// An operation's or the document's requirements.
fn requirements(owner: &Node) -> &[Node] {
    owner.field("security").map_or(&[][..], Node::items)
}

pub(crate) fn compare_operation(cx: &mut Context<'_>, base: &Node, rev: &Node) {
    compare_requirements(cx, &OPERATION, requirements(base), requirements(rev));
}

/// Scheme names any requirement of the document uses.
fn referenced(api: &Api) -> BTreeSet<&str> {
    let items = api.paths();
    let per_operation =
        items.flat_map(|(_, item)| operations(item).map(|(_, op)| requirements(op)));
    std::iter::once(requirements(api.root()))
        .chain(per_operation)
        .flatten()
        .flat_map(|requirement| requirement.entries().iter().map(|(name, _)| &**name))
        .collect()
}

/// The scheme `name` and what kind it is, following references.
fn scheme<'a>(api: &'a Api, name: &str) -> Option<(&'a Node, String)> {
    let mut item = api.component("securitySchemes", name)?.1;
    for _ in 0..8 {
        match item.reference() {
            None => return Some((item, kind(item)?)),
            Some(reference) => {
                let target = reference.strip_prefix("#/components/securitySchemes/")?;
                item = api.component("securitySchemes", target)?.1;
            }
        }
    }
    None
}

/// How a scheme is described in changes; `None` for a scheme that is not one.
fn kind(scheme: &Node) -> Option<String> {
    Some(match scheme.str_field("type")? {
        "apiKey" => {
            let location = match scheme.str_field("in")? {
                "query" => "Query",
                "header" => "Header",
                "cookie" => "Cookie",
                _ => return None,
            };
            format!("apiKey in {location} named '{}'", scheme.str_field("name")?)
        }
        "http" => format!("http {}", scheme.str_field("scheme")?.to_ascii_lowercase()),
        "oauth2" => "oauth2".to_owned(),
        "openIdConnect" => format!("openIdConnect at {}", scheme.str_field("openIdConnectUrl")?),
        _ => return None,
    })
}

/// One OAuth 2 flow's endpoints and scopes.
struct Flow<'a> {
    name: &'static str,
    authorization_url: Option<&'a str>,
    token_url: Option<&'a str>,
    /// Scope names and their descriptions.
    scopes: Vec<(&'a str, &'a str)>,
}

/// The flows of an `oauth2` scheme, each with the URLs its kind has.
fn flows(scheme: &Node) -> Vec<Flow<'_>> {
    const KINDS: [(&str, bool, bool); 4] = [
        ("implicit", true, false),
        ("password", false, true),
        ("clientCredentials", false, true),
        ("authorizationCode", true, true),
    ];
    let Some(flows) = scheme.field("flows") else {
        return Vec::new();
    };
    KINDS
        .iter()
        .filter_map(|&(name, authorization, token)| {
            let flow = flows.field(name)?;
            let url = |wanted: bool, key: &str| wanted.then(|| flow.str_field(key)).flatten();
            Some(Flow {
                name,
                authorization_url: url(authorization, "authorizationUrl"),
                token_url: url(token, "tokenUrl"),
                scopes: flow
                    .field("scopes")
                    .map_or(&[][..], Node::entries)
                    .iter()
                    .map(|(scope, text)| (&**scope, text.as_str().unwrap_or_default()))
                    .collect(),
            })
        })
        .collect()
}

fn compare_scheme(cx: &mut Context<'_>, name: &str, old: (&Node, String), new: (&Node, String)) {
    let ((old, old_kind), (new, new_kind)) = (old, new);
    if old_kind != new_kind {
        cx.emit(
            "api-security-component-type-changed",
            format!("security scheme '{name}' changed from {old_kind} to {new_kind}"),
        );
        return;
    }
    if old_kind != "oauth2" {
        return;
    }
    let new_flows = flows(new);
    for old_flow in flows(old) {
        let Some(new_flow) = new_flows.iter().find(|f| f.name == old_flow.name) else {
            continue;
        };
        let what = format!("security scheme '{name}' flow {}", old_flow.name);
        if old_flow.authorization_url != new_flow.authorization_url {
            cx.emit(
                "api-security-component-oauth-url-changed",
                format!("{what}: authorization URL changed"),
            );
        }
        if old_flow.token_url != new_flow.token_url {
            cx.emit(
                "api-security-component-oauth-token-url-changed",
                format!("{what}: token URL changed"),
            );
        }
        fn find<'a>(flow: &Flow<'a>, scope: &str) -> Option<&'a str> {
            flow.scopes
                .iter()
                .find(|(name, _)| *name == scope)
                .map(|(_, text)| *text)
        }
        for &(scope, description) in &old_flow.scopes {
            match find(new_flow, scope) {
                None => {
                    cx.emit(
                        "api-security-component-oauth-scope-removed",
                        format!("{what}: scope '{scope}' removed"),
                    );
                }
                Some(new_description) if new_description != description => {
                    cx.emit(
                        "api-security-component-oauth-scope-changed",
                        format!("{what}: scope '{scope}' description changed"),
                    );
                }
                Some(_) => {}
            }
        }
        for (scope, _) in new_flow
            .scopes
            .iter()
            .filter(|(s, _)| find(&old_flow, s).is_none())
        {
            cx.emit(
                "api-security-component-oauth-scope-added",
                format!("{what}: scope '{scope}' added"),
            );
        }
    }
}

/// Document-wide requirements, and the schemes any requirement uses:
/// schemes nothing uses are not part of the contract.
pub(crate) fn compare_document(cx: &mut Context<'_>) {
    let (old, new) = (requirements(cx.base.root()), requirements(cx.rev.root()));
    compare_requirements(cx, &GLOBAL, old, new);

    let names: BTreeSet<&str> = referenced(cx.base)
        .union(&referenced(cx.rev))
        .copied()
        .collect();
    for name in names {
        match (scheme(cx.base, name), scheme(cx.rev, name)) {
            (Some(_), None) => {
                cx.emit(
                    "api-security-component-removed",
                    format!("security scheme '{name}' removed"),
                );
            }
            (None, Some(_)) => {
                cx.emit(
                    "api-security-component-added",
                    format!("security scheme '{name}' added"),
                );
            }
            (Some(old), Some(new)) => compare_scheme(cx, name, old, new),
            (None, None) => {}
        }
    }
}
