//! What the document deprecates is `#[deprecated]` in Rust, so that code
//! using it hears of it from the compiler: the field of a deprecated
//! property and its builder setter, a deprecated schema's type, a
//! deprecated operation's method and a deprecated parameter's setter.
//!
//! The facade wraps some properties in methods of its own
//! (`Invitation::with_tracking_id`); for each deprecated property the build
//! sets `cfg(contract_deprecated = "Schema.property")`, which the facade's
//! `cfg_attr` turns into `#[deprecated]` on its wrapper. Every
//! `Schema.property` of the document is declared to `check-cfg`, so that a
//! wrapper naming one the document lacks is a warning.

use std::collections::BTreeMap;

use serde_json::Value;
use syn::{parse_quote, Attribute, ImplItem, Item};

use crate::constraints::{normalize, wire_name};
use crate::preflight::escape;

/// What the build tells cargo: the `cfg`s to set and to declare.
pub struct Deprecations {
    pub cfgs: Vec<String>,
    pub declared: Vec<String>,
}

/// Marks the generated items the document deprecates.
pub fn mark(document: &Value, spec_path: &str, file: &mut syn::File) -> Deprecations {
    let note = |pointer: &str| -> Attribute {
        let note = format!("deprecated by the contract: {spec_path}#{pointer}");
        parse_quote!(#[deprecated(note = #note)])
    };
    let mut result = Deprecations {
        cfgs: Vec::new(),
        declared: Vec::new(),
    };
    // Schema name -> (its own pointer if deprecated, deprecated properties).
    let mut schemas: BTreeMap<String, (Option<String>, BTreeMap<String, String>)> = BTreeMap::new();
    let components = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in components.into_iter().flatten() {
        let at = format!("/components/schemas/{}", escape(name));
        let own = is_deprecated(schema).then(|| at.clone());
        let mut properties = BTreeMap::new();
        for (property, value) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            result.declared.push(format!("{name}.{property}"));
            if is_deprecated(value) {
                result.cfgs.push(format!("{name}.{property}"));
                properties.insert(
                    property.clone(),
                    format!("{at}/properties/{}", escape(property)),
                );
            }
        }
        schemas.insert(normalize(name), (own, properties));
    }

    let mut operations = BTreeMap::new();
    let mut parameters: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let at = format!("/paths/{}/{method}", escape(path));
            if is_deprecated(operation) {
                operations.insert(normalize(id), at.clone());
            }
            for (i, parameter) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                // The place of its definition: a `$ref`'s target.
                let defined = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.trim_start_matches('#').to_owned(),
                    None => format!("{at}/parameters/{i}"),
                };
                let parameter = resolve(document, parameter);
                let name = parameter.get("name").and_then(Value::as_str);
                if let (Some(name), true) = (name, is_deprecated(parameter)) {
                    parameters
                        .entry(normalize(id))
                        .or_default()
                        .insert(normalize(name), defined);
                }
            }
        }
    }

    for item in &mut file.items {
        match item {
            Item::Mod(module) if module.ident == "types" => {
                for item in module.content.iter_mut().flat_map(|c| c.1.iter_mut()) {
                    mark_type(item, &schemas, &note);
                }
            }
            Item::Mod(module) if module.ident == "builder" => {
                for item in module.content.iter_mut().flat_map(|c| c.1.iter_mut()) {
                    let Item::Impl(block) = item else { continue };
                    let Some(setters) = type_name(&block.self_ty).and_then(|n| parameters.get(&n))
                    else {
                        continue;
                    };
                    mark_functions(&mut block.items, setters, &note);
                }
            }
            Item::Impl(block) if type_name(&block.self_ty).as_deref() == Some("client") => {
                mark_functions(&mut block.items, &operations, &note);
            }
            _ => {}
        }
    }
    result
}

/// A type of `types` (or of `types::builder`, its setters).
fn mark_type(
    item: &mut Item,
    schemas: &BTreeMap<String, (Option<String>, BTreeMap<String, String>)>,
    note: &impl Fn(&str) -> Attribute,
) {
    match item {
        Item::Struct(model) => {
            let Some((own, properties)) = schemas.get(&normalize(&model.ident.to_string())) else {
                return;
            };
            if let Some(at) = own {
                model.attrs.push(note(at));
            }
            for field in &mut model.fields {
                if let Some(at) = properties.get(&wire_name(field)) {
                    field.attrs.push(note(at));
                }
            }
        }
        Item::Enum(model) => {
            if let Some((Some(at), _)) = schemas.get(&normalize(&model.ident.to_string())) {
                model.attrs.push(note(at));
            }
        }
        Item::Mod(builders) if builders.ident == "builder" => {
            for item in builders.content.iter_mut().flat_map(|c| c.1.iter_mut()) {
                let Item::Impl(block) = item else { continue };
                if block.trait_.is_some() {
                    continue;
                }
                let Some((_, properties)) = type_name(&block.self_ty).and_then(|n| schemas.get(&n))
                else {
                    continue;
                };
                // The setters are named after the fields: by normalized name.
                let by_name = properties
                    .iter()
                    .map(|(wire, at)| (normalize(wire), at.clone()))
                    .collect();
                mark_functions(&mut block.items, &by_name, note);
            }
        }
        _ => {}
    }
}

/// `#[deprecated]` on each method whose normalized name is a key of `marked`.
fn mark_functions(
    items: &mut [ImplItem],
    marked: &BTreeMap<String, String>,
    note: &impl Fn(&str) -> Attribute,
) {
    for member in items {
        if let ImplItem::Fn(function) = member {
            if let Some(at) = marked.get(&normalize(&function.sig.ident.to_string())) {
                function.attrs.push(note(at));
            }
        }
    }
}

fn is_deprecated(value: &Value) -> bool {
    value.get("deprecated") == Some(&Value::Bool(true))
}

fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(value)
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => Some(normalize(&path.path.segments.last()?.ident.to_string())),
        _ => None,
    }
}
