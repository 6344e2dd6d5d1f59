//! Generates a check of every constraint the document puts on a request
//! body, so that the client refuses what the contract forbids before any
//! I/O, whatever Rust type carries the value (`x-rust-type` included, where
//! the generator itself keeps no constraint).
//!
//! For each struct a request body reaches (its body type, the structs of its
//! properties and items, to any depth), the generated code has:
//!
//! - `impl crate::constraints::Check`, which checks every property;
//! - `check_<field>(value, at)` per property, so that code holding the
//!   values some other way (the facade's borrowed list) checks them the same;
//! - `<FIELD>_MAX_ITEMS: Option<usize>` per array property.
//!
//! Each operation's `send()` checks its body first, and fails as the
//! generated client can (`Error::InvalidRequest`), the field carried in the
//! form `crate::constraints::Violation::carried` writes.
//!
//! Checked: `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength`
//! (in characters, as JSON Schema counts), `pattern` (regress, ECMAScript
//! syntax, as the preflight compiled it), `enum` (unless the Rust type is the
//! generated enum, which holds nothing else), `minimum`, `maximum`,
//! `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, and nested objects.
//! `required` needs no check: a required property is a field that is always
//! there. A constraint this step cannot place on a Rust value (a property of
//! a map, a member of a `oneOf`) is not dropped silently: the build prints a
//! warning naming its JSON pointer.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{parse_quote, Fields, Item, ItemStruct, Type};

use crate::preflight::escape;

const STRING_KEYWORDS: [&str; 4] = ["minLength", "maxLength", "pattern", "enum"];
const NUMBER_KEYWORDS: [&str; 4] = ["minimum", "maximum", "multipleOf", "enum"];
const ARRAY_KEYWORDS: [&str; 3] = ["minItems", "maxItems", "uniqueItems"];

/// Adds the checks to the generated `file`; returns what it could not check,
/// one line each.
pub fn add_checks(document: &Value, file: &mut syn::File) -> Vec<String> {
    let mut generator = Generator {
        document,
        structs: BTreeMap::new(),
        enums: BTreeSet::new(),
        newtypes: BTreeSet::new(),
        pending: Vec::new(),
        done: BTreeSet::new(),
        notes: Vec::new(),
    };
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        return Vec::new();
    };
    for item in &types.1 {
        match item {
            Item::Struct(s) if matches!(s.fields, Fields::Named(_)) => {
                generator.structs.insert(s.ident.to_string(), s.clone());
            }
            // typify's checked string newtype, `struct X(String)`.
            Item::Struct(s)
                if s.fields.len() == 1
                    && s.fields
                        .iter()
                        .all(|f| last_type_ident(&f.ty).is_some_and(|t| t == "String")) =>
            {
                generator.newtypes.insert(s.ident.to_string());
            }
            Item::Enum(e) => {
                generator.enums.insert(e.ident.to_string());
            }
            _ => {}
        }
    }
    let bodies = generator.request_bodies(&file.items);
    let mut added: Vec<Item> = Vec::new();
    while let Some((name, schema, at)) = generator.pending.pop() {
        added.extend(generator.checks_of(&name, &schema, &at));
    }
    for name in &generator.newtypes {
        let ident = format_ident!("{name}");
        added.push(parse_quote! {
            impl crate::constraints::Text for #ident {
                fn text(&self) -> &str {
                    self.as_str()
                }
            }
        });
    }
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        return generator.notes;
    };
    types.1.extend(added);
    check_in_send(file, &bodies);
    generator.notes
}

struct Generator<'a> {
    document: &'a Value,
    structs: BTreeMap<String, ItemStruct>,
    enums: BTreeSet<String>,
    newtypes: BTreeSet<String>,
    /// Structs to check, with their schema and its JSON pointer.
    pending: Vec<(String, Value, String)>,
    done: BTreeSet<String>,
    notes: Vec<String>,
}

impl Generator<'_> {
    /// The body struct of each operation builder that has one, queued.
    fn request_bodies(&mut self, items: &[Item]) -> BTreeSet<String> {
        let mut bodies = BTreeSet::new();
        let Some(builders) = items.iter().find_map(|item| match item {
            Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
            _ => None,
        }) else {
            return bodies;
        };
        for item in &builders.1 {
            let Item::Struct(builder) = item else {
                continue;
            };
            let Some(body) = builder
                .fields
                .iter()
                .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
            else {
                continue;
            };
            let Some(body_type) = last_type_ident(&body.ty) else {
                continue;
            };
            let Some((schema, at)) = self.operation_body(&builder.ident.to_string()) else {
                continue;
            };
            if self.structs.contains_key(&body_type) {
                bodies.insert(body_type.clone());
                self.queue(&body_type, &schema, &at);
            } else if has_constraints(self.document, &schema) {
                self.notes.push(format!(
                    "#{at}: a request body that is not an object is sent unchecked"
                ));
            }
        }
        bodies
    }

    /// The request body schema of the operation whose builder is `builder`.
    fn operation_body(&self, builder: &str) -> Option<(Value, String)> {
        let paths = self.document.get("paths")?.as_object()?;
        for (path, item) in paths {
            for (method, operation) in item.as_object()? {
                let id = operation.get("operationId").and_then(Value::as_str);
                if id.map(normalize) != Some(normalize(builder)) {
                    continue;
                }
                let mut at = format!("/paths/{}/{method}/requestBody", escape(path));
                let mut body = operation.get("requestBody")?;
                if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
                    at = reference.trim_start_matches('#').to_owned();
                    body = self.document.pointer(&at)?;
                }
                let (media, content) = body.get("content")?.as_object()?.iter().next()?;
                let at = format!("{at}/content/{}/schema", escape(media));
                return Some((content.get("schema")?.clone(), at));
            }
        }
        None
    }

    fn queue(&mut self, name: &str, schema: &Value, at: &str) {
        if self.done.insert(name.to_owned()) {
            self.pending
                .push((name.to_owned(), schema.clone(), at.to_owned()));
        }
    }

    /// `impl Check for T` and `impl T { check_<field>... }`.
    fn checks_of(&mut self, name: &str, schema: &Value, at: &str) -> Vec<Item> {
        let Some(model) = self.structs.get(name).cloned() else {
            return Vec::new();
        };
        let properties = properties(self.document, schema, at);
        let mut functions = Vec::new();
        let mut calls = Vec::new();
        for field in &model.fields {
            // A newtype's one field has no property of its own.
            let Some(ident) = field.ident.as_ref() else {
                continue;
            };
            let wire = wire_name(field);
            let Some((property, here)) = properties.get(&wire) else {
                continue;
            };
            let function = format_ident!("check_{}", ident.to_string().trim_start_matches("r#"));
            let (optional, ty) = match inner_of(&field.ty, "Option") {
                Some(inner) => (true, inner),
                None => (false, &field.ty),
            };
            let value = quote!(value);
            let (parameter, body, list) = match inner_of(ty, "Vec") {
                Some(item) => {
                    let checks = self.array(property, item, &value, here);
                    let max = match resolve(self.document, property).get("maxItems") {
                        Some(Value::Number(n)) => {
                            let n = n.as_u64().unwrap_or(u64::MAX) as usize;
                            quote!(::std::option::Option::Some(#n))
                        }
                        _ => quote!(::std::option::Option::None),
                    };
                    let constant = format_ident!(
                        "{}_MAX_ITEMS",
                        ident.to_string().trim_start_matches("r#").to_uppercase()
                    );
                    let doc =
                        format!("`maxItems` of `{wire}`: the most items the contract allows.");
                    functions.push(quote! {
                        #[doc = #doc]
                        pub const #constant: ::std::option::Option<usize> = #max;
                    });
                    (
                        quote!(value: impl ::std::iter::ExactSizeIterator<Item = &'v #item> + ::std::clone::Clone),
                        checks,
                        true,
                    )
                }
                None => (
                    quote!(value: &'v #ty),
                    self.value(property, ty, &value, here),
                    false,
                ),
            };
            let doc = format!("Checks `{wire}` as the contract constrains it.");
            functions.push(quote! {
                #[doc = #doc]
                pub(crate) fn #function<'v>(
                    #parameter,
                    at: &crate::constraints::Place<'_>,
                ) -> ::std::result::Result<(), crate::constraints::Violation> {
                    let at = at.field(#wire);
                    #body
                    Ok(())
                }
            });
            let argument = match list {
                true => quote!(value.iter()),
                false => quote!(value),
            };
            // An empty list that is not required is left out of the body.
            let omitted_when_empty = list && !optional && skips_empty(field);
            calls.push(match (optional, omitted_when_empty) {
                (true, _) => quote! {
                    if let ::std::option::Option::Some(value) = &self.#ident {
                        Self::#function(#argument, at)?;
                    }
                },
                (false, true) => quote! {
                    let value = &self.#ident;
                    if !value.is_empty() {
                        Self::#function(#argument, at)?;
                    }
                },
                (false, false) => quote! {
                    let value = &self.#ident;
                    Self::#function(#argument, at)?;
                },
            });
        }
        let ident = &model.ident;
        vec![
            parse_quote! {
                #[allow(dead_code, unused_variables)]
                impl #ident {
                    #(#functions)*
                }
            },
            parse_quote! {
                impl crate::constraints::Check for #ident {
                    fn check(
                        &self,
                        at: &crate::constraints::Place<'_>,
                    ) -> ::std::result::Result<(), crate::constraints::Violation> {
                        #(#calls)*
                        Ok(())
                    }
                }
            },
        ]
    }

    /// The checks of an array held as an iterator `value` of `&item`.
    fn array(&mut self, schema: &Value, item: &Type, value: &TokenStream, at: &str) -> TokenStream {
        let schema = resolve(self.document, schema);
        let mut checks = Vec::new();
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            let min = min as usize;
            checks.push(quote!(crate::constraints::min_items(&at, #value.len(), #min)?;));
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
            let max = max as usize;
            checks.push(quote!(crate::constraints::max_items(&at, #value.len(), #max)?;));
        }
        if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
            checks.push(quote!(crate::constraints::unique_items(&at, #value.clone())?;));
        }
        if let Some(items) = schema.get("items") {
            let element = quote!(element);
            let each = self.value(items, item, &element, &format!("{at}/items"));
            if !each.is_empty() {
                checks.push(quote! {
                    for (index, element) in #value.enumerate() {
                        let at = at.index(index);
                        #each
                    }
                });
            }
        }
        quote!(#(#checks)*)
    }

    /// The checks of one value `value: &ty` under `schema`.
    fn value(&mut self, schema: &Value, ty: &Type, value: &TokenStream, at: &str) -> TokenStream {
        if let Some(inner) = inner_of(ty, "Option") {
            let checks = self.value(schema, inner, &quote!(inner), at);
            return match checks.is_empty() {
                true => checks,
                false => quote! {
                    if let ::std::option::Option::Some(inner) = #value { #checks }
                },
            };
        }
        if let Some(inner) = inner_of(ty, "Box") {
            return self.value(schema, inner, &quote!((&**#value)), at);
        }
        // A referenced schema is named by its own place.
        let at = &match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference.trim_start_matches('#').to_owned(),
            None => at.to_owned(),
        };
        let schema = resolve(self.document, schema).clone();
        if let Some(item) = inner_of(ty, "Vec") {
            return self.array(&schema, item, &quote!(#value.iter()), at);
        }
        let type_name = last_type_ident(ty).unwrap_or_default();
        if self.structs.contains_key(&type_name) {
            self.queue(&type_name, &schema, at);
            return quote!(crate::constraints::Check::check(#value, &at)?;);
        }
        let kind = schema.get("type").and_then(Value::as_str).unwrap_or("");
        // The generated enum of an `enum` holds only its members (an enum
        // of a `oneOf` does not say which constraints its variants keep).
        let is_enum = self.enums.contains(&type_name) && schema.get("enum").is_some();
        match kind {
            "string" if !is_enum => self.text(&schema, ty, &type_name, value),
            "number" | "integer" if !is_enum => number(&schema, &type_name, value),
            _ => {
                // A Rust enum holds only its members; anything else with a
                // constraint at or under it (a `oneOf`, a map) is named.
                let mut unchecked = BTreeSet::new();
                if !is_enum {
                    constraints_under(self.document, &schema, 0, &mut unchecked);
                }
                if !unchecked.is_empty() {
                    let unchecked: Vec<&str> = unchecked.into_iter().collect();
                    self.notes.push(format!(
                        "#{at}: {} not checked before sending (the Rust type `{type_name}` is not one this build can check)",
                        unchecked.join(", ")
                    ));
                }
                TokenStream::new()
            }
        }
    }

    fn text(&self, schema: &Value, ty: &Type, type_name: &str, value: &TokenStream) -> TokenStream {
        if !STRING_KEYWORDS.iter().any(|k| schema.get(k).is_some()) {
            return TokenStream::new();
        }
        let text = match is_text(ty, type_name, &self.newtypes) {
            true => quote!(crate::constraints::Text::text(#value)),
            false => quote!(&*crate::constraints::serialized(#value)),
        };
        let mut checks = vec![quote!(let text: &str = #text;)];
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            let min = min as usize;
            checks.push(quote!(crate::constraints::min_length(&at, text, #min)?;));
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            let max = max as usize;
            checks.push(quote!(crate::constraints::max_length(&at, text, #max)?;));
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            checks.push(quote! {
                static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                    ::std::sync::LazyLock::new(|| {
                        ::regress::Regex::new(#pattern).expect("compiled by the build")
                    });
                crate::constraints::pattern(&at, text, &PATTERN, #pattern)?;
            });
        }
        if let Some(members) = schema.get("enum").and_then(Value::as_array) {
            let members: Vec<&str> = members.iter().filter_map(Value::as_str).collect();
            checks.push(quote!(crate::constraints::member(&at, text, &[#(#members),*])?;));
        }
        quote!({ #(#checks)* })
    }
}

fn number(schema: &Value, type_name: &str, value: &TokenStream) -> TokenStream {
    if !NUMBER_KEYWORDS.iter().any(|k| schema.get(k).is_some()) {
        return TokenStream::new();
    }
    let primitive = [
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
        "f32", "f64",
    ];
    let number = match primitive.contains(&type_name) {
        true => quote!((*#value as f64)),
        false => quote!(crate::constraints::serialized_number(#value)),
    };
    let mut checks = vec![quote!(let number: f64 = #number;)];
    let bound = |key: &str, exclusive: &str| {
        let limit = schema.get(key).and_then(Value::as_f64)?;
        let exclusive = schema.get(exclusive) == Some(&Value::Bool(true));
        Some((limit, exclusive))
    };
    if let Some((min, exclusive)) = bound("minimum", "exclusiveMinimum") {
        checks.push(quote!(crate::constraints::minimum(&at, number, #min, #exclusive)?;));
    }
    if let Some((max, exclusive)) = bound("maximum", "exclusiveMaximum") {
        checks.push(quote!(crate::constraints::maximum(&at, number, #max, #exclusive)?;));
    }
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_f64) {
        checks.push(quote!(crate::constraints::multiple_of(&at, number, #step)?;));
    }
    if let Some(members) = schema.get("enum").and_then(Value::as_array) {
        let members: Vec<f64> = members.iter().filter_map(Value::as_f64).collect();
        checks.push(quote!(crate::constraints::numeric_member(&at, number, &[#(#members),*])?;));
    }
    quote!({ #(#checks)* })
}

fn constraint_keywords() -> BTreeSet<&'static str> {
    STRING_KEYWORDS
        .iter()
        .chain(&NUMBER_KEYWORDS)
        .chain(&ARRAY_KEYWORDS)
        .copied()
        .collect()
}

/// Whether `schema` or anything under it constrains a value.
fn has_constraints(document: &Value, schema: &Value) -> bool {
    let mut found = BTreeSet::new();
    constraints_under(document, schema, 0, &mut found);
    !found.is_empty()
}

/// The constraint keywords at or under `schema`, through `$ref`s (to a
/// bounded depth: a recursive schema ends).
fn constraints_under(
    document: &Value,
    schema: &Value,
    depth: usize,
    found: &mut BTreeSet<&'static str>,
) {
    let schema = resolve(document, schema);
    let Some(object) = schema.as_object().filter(|_| depth < 8) else {
        return;
    };
    for keyword in constraint_keywords() {
        if object.contains_key(keyword) {
            found.insert(keyword);
        }
    }
    for (key, child) in object {
        match key.as_str() {
            "items" | "additionalProperties" | "not" => {
                constraints_under(document, child, depth + 1, found);
            }
            "properties" => child.as_object().into_iter().flatten().for_each(|(_, p)| {
                constraints_under(document, p, depth + 1, found);
            }),
            "allOf" | "anyOf" | "oneOf" => {
                child.as_array().into_iter().flatten().for_each(|member| {
                    constraints_under(document, member, depth + 1, found);
                });
            }
            _ => {}
        }
    }
}

/// Text the crate reads as `&str`: `String`, `Secret`, and the generated
/// string newtypes.
fn is_text(ty: &Type, type_name: &str, newtypes: &BTreeSet<String>) -> bool {
    let Type::Path(path) = ty else {
        return false;
    };
    match super::shape::segment_names(&path.path).as_slice() {
        [.., crate_name, last] if last == "Secret" => crate_name == "linkedin_invitations",
        [last] if last == "Secret" => true,
        [.., last] => last == "String" || newtypes.contains(type_name),
        [] => false,
    }
}

/// Every property of an object schema, its `allOf` members' included, by
/// wire name, with its JSON pointer.
fn properties(document: &Value, schema: &Value, at: &str) -> BTreeMap<String, (Value, String)> {
    let mut found = BTreeMap::new();
    let (schema, at) = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => (
            resolve(document, schema),
            reference.trim_start_matches('#').to_owned(),
        ),
        None => (schema, at.to_owned()),
    };
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let here = format!("{at}/properties/{}", escape(name));
        found.insert(name.clone(), (property.clone(), here));
    }
    for (i, member) in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        found.extend(properties(document, member, &format!("{at}/allOf/{i}")));
    }
    found
}

/// Follows local `$ref`s, and Graph's nullable reference as `idioms.rs`
/// leaves it (`allOf: [$ref]`, `nullable`).
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        {
            return resolve(document, target);
        }
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        if let [only] = members.as_slice() {
            if schema.get("properties").is_none() {
                return resolve(document, only);
            }
        }
    }
    schema
}

/// The property name a field has on the wire: its `serde(rename)`, or its
/// own name; a tuple struct's field (a newtype) has none: empty.
pub fn wire_name(field: &syn::Field) -> String {
    let mut name = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                name = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    name.unwrap_or_else(|| {
        field
            .ident
            .as_ref()
            .map(|ident| ident.to_string().trim_start_matches("r#").to_owned())
            .unwrap_or_default()
    })
}

/// Whether serde leaves the field out when it is empty.
fn skips_empty(field: &syn::Field) -> bool {
    field
        .attrs
        .iter()
        .any(|a| a.path().is_ident("serde") && quote!(#a).to_string().contains("is_empty"))
}

/// `T` of `Wrapper<T>` (`Option`, `Vec`, `Box`), by the last path segment.
fn inner_of<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The name of the innermost named type: `types::builder::X` in
/// `Result<types::builder::X, String>` is `X`.
fn last_type_ident(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident == "Result" {
        return inner_of(ty, "Result").and_then(last_type_ident);
    }
    Some(last.ident.to_string())
}

/// Names compared as the generator makes them: letters and digits, any case.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Every operation's `send()` checks its body before it builds the request.
fn check_in_send(file: &mut syn::File, bodies: &BTreeSet<String>) {
    let Some(builders) = file.items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
        _ => None,
    }) else {
        return;
    };
    let with_body: BTreeSet<String> = builders
        .1
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
                .and_then(|f| last_type_ident(&f.ty))
                .filter(|body| bodies.contains(body))
                .map(|_| s.ident.to_string()),
            _ => None,
        })
        .collect();
    super::shape::each_send(file, |name, statements| {
        if !with_body.contains(name) {
            return;
        }
        if let Some(position) = super::shape::binding(statements, "body") {
            statements.insert(
                position + 1,
                parse_quote! {
                    crate::constraints::Check::check(&body, &crate::constraints::Place::Root)
                        .map_err(|violation| Error::InvalidRequest(violation.carried()))?;
                },
            );
        }
    });
}
