//! Security requirements, document-wide and per operation, and the
//! security schemes they name.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    OAuth2Flows, OpenAPI, Operation, ReferenceOr, SecurityRequirement, SecurityScheme,
};

use super::Context;

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
fn identity(requirement: &SecurityRequirement) -> String {
    let names: BTreeSet<&str> = requirement.keys().map(String::as_str).collect();
    names.into_iter().collect::<Vec<_>>().join(" + ")
}

fn compare_requirements(
    cx: &mut Context<'_>,
    ids: &RequirementIds,
    old: &[SecurityRequirement],
    new: &[SecurityRequirement],
) {
    for requirement in old {
        let key = identity(requirement);
        let Some(other) = new.iter().find(|r| identity(r) == key) else {
            cx.emit(ids.removed, format!("security requirement '{key}' removed"));
            continue;
        };
        for (scheme, scopes) in requirement {
            let new_scopes = other.get(scheme).map_or(&[][..], Vec::as_slice);
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

pub(crate) fn compare_operation(cx: &mut Context<'_>, base: &Operation, rev: &Operation) {
    let old = base.security.as_deref().unwrap_or_default();
    let new = rev.security.as_deref().unwrap_or_default();
    compare_requirements(cx, &OPERATION, old, new);
}

/// Scheme names any requirement of the document uses.
fn referenced(api: &OpenAPI) -> BTreeSet<&str> {
    let operations = api.paths.paths.values().filter_map(|item| match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    });
    let per_operation =
        operations.flat_map(|item| item.iter().filter_map(|(_, op)| op.security.as_ref()));
    api.security
        .iter()
        .chain(per_operation)
        .flatten()
        .flat_map(|requirement| requirement.keys().map(String::as_str))
        .collect()
}

fn scheme<'a>(api: &'a OpenAPI, name: &str) -> Option<&'a SecurityScheme> {
    let mut item = api.components.as_ref()?.security_schemes.get(name)?;
    for _ in 0..8 {
        match item {
            ReferenceOr::Item(scheme) => return Some(scheme),
            ReferenceOr::Reference { reference } => {
                let target = reference.strip_prefix("#/components/securitySchemes/")?;
                item = api.components.as_ref()?.security_schemes.get(target)?;
            }
        }
    }
    None
}

fn kind(scheme: &SecurityScheme) -> String {
    match scheme {
        SecurityScheme::APIKey { location, name, .. } => {
            format!("apiKey in {location:?} named '{name}'")
        }
        SecurityScheme::HTTP { scheme, .. } => format!("http {}", scheme.to_ascii_lowercase()),
        SecurityScheme::OAuth2 { .. } => "oauth2".to_owned(),
        SecurityScheme::OpenIDConnect {
            open_id_connect_url,
            ..
        } => format!("openIdConnect at {open_id_connect_url}"),
    }
}

/// One OAuth 2 flow's endpoints and scopes.
struct Flow<'a> {
    name: &'static str,
    authorization_url: Option<&'a str>,
    token_url: Option<&'a str>,
    scopes: &'a IndexMap<String, String>,
}

fn flows(flows: &OAuth2Flows) -> Vec<Flow<'_>> {
    let mut out = Vec::new();
    if let Some(f) = &flows.implicit {
        out.push(Flow {
            name: "implicit",
            authorization_url: Some(&f.authorization_url),
            token_url: None,
            scopes: &f.scopes,
        });
    }
    if let Some(f) = &flows.password {
        out.push(Flow {
            name: "password",
            authorization_url: None,
            token_url: Some(&f.token_url),
            scopes: &f.scopes,
        });
    }
    if let Some(f) = &flows.client_credentials {
        out.push(Flow {
            name: "clientCredentials",
            authorization_url: None,
            token_url: Some(&f.token_url),
            scopes: &f.scopes,
        });
    }
    if let Some(f) = &flows.authorization_code {
        out.push(Flow {
            name: "authorizationCode",
            authorization_url: Some(&f.authorization_url),
            token_url: Some(&f.token_url),
            scopes: &f.scopes,
        });
    }
    out
}

fn compare_scheme(cx: &mut Context<'_>, name: &str, old: &SecurityScheme, new: &SecurityScheme) {
    let (old_kind, new_kind) = (kind(old), kind(new));
    if old_kind != new_kind {
        cx.emit(
            "api-security-component-type-changed",
            format!("security scheme '{name}' changed from {old_kind} to {new_kind}"),
        );
        return;
    }
    let (
        SecurityScheme::OAuth2 {
            flows: old_flows, ..
        },
        SecurityScheme::OAuth2 {
            flows: new_flows, ..
        },
    ) = (old, new)
    else {
        return;
    };
    let new_flows = flows(new_flows);
    for old_flow in flows(old_flows) {
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
        for (scope, description) in old_flow.scopes {
            match new_flow.scopes.get(scope) {
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
        for scope in new_flow
            .scopes
            .keys()
            .filter(|s| !old_flow.scopes.contains_key(*s))
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
    let old = cx.base.security.as_deref().unwrap_or_default();
    let new = cx.rev.security.as_deref().unwrap_or_default();
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
