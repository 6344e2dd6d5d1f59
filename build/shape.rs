//! Makes the generated model robust to additive changes of the contract, as
//! aws-sdk-rust's models are: every struct and enum of `types` is
//! `#[non_exhaustive]`, and every struct has `new` taking its required
//! properties. A new optional property or enum member then breaks no code
//! that builds or matches these types; a new required property changes `new`.
//! An enum of plain members also lists them in `ALL`, so that code and tests
//! read the members from the contract instead of naming today's.

use quote::quote;
use syn::{parse_quote, Fields, Item, ItemStruct};

pub fn make_additions_compatible(file: &mut syn::File) {
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    }) else {
        return;
    };
    let items = std::mem::take(&mut types.1);
    for mut item in items {
        // Each constructor goes right after its type, for the reviewable copy.
        let mut companion = None;
        match &mut item {
            Item::Struct(model) if matches!(model.fields, Fields::Named(_)) => {
                model.attrs.push(parse_quote!(#[non_exhaustive]));
                companion = Some(constructor(model));
            }
            Item::Enum(model) => {
                model.attrs.push(parse_quote!(#[non_exhaustive]));
                companion = members(model);
            }
            _ => {}
        }
        types.1.push(item);
        types.1.extend(companion);
    }
}

/// `impl T { pub fn new(required...) -> Self }`: the optional fields start
/// unset, or at the default the document gives.
fn constructor(model: &ItemStruct) -> Item {
    let name = &model.ident;
    let mut parameters = Vec::new();
    let mut fields = Vec::new();
    for field in &model.fields {
        let ident = field.ident.as_ref().expect("named fields");
        match initial_value(field) {
            Some(value) => fields.push(quote!(#ident: #value)),
            None => {
                let ty = &field.ty;
                parameters.push(quote!(#ident: #ty));
                fields.push(quote!(#ident));
            }
        }
    }
    let doc = format!(
        "Builds the value from its required properties; every optional one starts unset \
         (or at its default). Set optional fields afterwards, or use [`{name}::builder`]."
    );
    parse_quote! {
        impl #name {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#fields),* }
            }
        }
    }
}

/// `impl T { pub const ALL: &[T] }` for an enum whose members carry no data.
fn members(model: &syn::ItemEnum) -> Option<Item> {
    if model
        .variants
        .iter()
        .any(|v| !matches!(v.fields, Fields::Unit))
    {
        return None;
    }
    let name = &model.ident;
    let variants = model.variants.iter().map(|v| &v.ident);
    Some(parse_quote! {
        impl #name {
            /// Every member the contract lists, in its order.
            pub const ALL: &'static [Self] = &[#(Self::#variants),*];
        }
    })
}

/// The value an optional field starts at, or `None` for a required one:
/// an `Option`, a `#[serde(default)]` or a flattened map is optional.
fn initial_value(field: &syn::Field) -> Option<syn::Expr> {
    let mut value = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                value = Some(match meta.input.peek(syn::Token![=]) {
                    true => {
                        let path: syn::LitStr = meta.value()?.parse()?;
                        let path: syn::ExprPath = path.parse()?;
                        parse_quote!(#path())
                    }
                    false => parse_quote!(::std::default::Default::default()),
                });
            } else if meta.path.is_ident("flatten") {
                value = Some(parse_quote!(::std::default::Default::default()));
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    let is_option = matches!(&field.ty, syn::Type::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
    value.or_else(|| is_option.then(|| parse_quote!(::std::option::Option::None)))
}

/// Each operation's `send()` in the generated `builder` module: `f` gets the
/// builder's name and the function's statements.
pub fn each_send(file: &mut syn::File, mut f: impl FnMut(&str, &mut Vec<syn::Stmt>)) {
    let Some(builders) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) else {
        return;
    };
    for item in &mut builders.1 {
        let Item::Impl(block) = item else { continue };
        let name = match &*block.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let Some(name) = name else { continue };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member {
                if function.sig.ident == "send" {
                    f(&name, &mut function.block.stmts);
                }
            }
        }
    }
}

/// A path's segments by name: `a::b::C` is `["a", "b", "C"]`.
pub fn segment_names(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The position of `let NAME = ...;` among `statements`.
pub fn binding(statements: &[syn::Stmt], name: &str) -> Option<usize> {
    statements.iter().position(|s| {
        matches!(s, syn::Stmt::Local(local)
            if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == name))
    })
}

/// Every operation's `send()` goes through `crate::hooks` where progenitor's
/// own code would cost a call more than it needs (measured by
/// `benches/call_cost.rs`), and leaves out what Graph does not know:
/// - its URL is parsed once per thread (`hooks::parsed_url`): progenitor
///   formats it as a string that reqwest would parse again on every call,
///   about 8,000 instructions;
/// - its JSON body is written into a buffer sized for it (`hooks::json_body`)
///   where reqwest's `json` grows one from empty, seven copies of a
///   100-invitation body;
/// - no `api-version` header (progenitor's, from the document's
///   `info.version`): Graph has no such header; the map of header
///   parameters then starts empty, allocating only when one is set;
/// - its answer is decoded from the body the runtime already read
///   (`hooks::decoded`), where `ResponseValue::from_response` reads it again
///   and copies its headers.
pub fn route_sends_through_hooks(file: &mut syn::File) {
    each_send(file, |_, statements| {
        statements.retain(|statement| !quote!(#statement).to_string().contains("\"api-version\""));
        if let Some(position) = binding(statements, "url") {
            statements.insert(
                position + 1,
                parse_quote! { let url = crate::hooks::parsed_url(url)?; },
            );
        }
        if let Some(header_map) = initializer(statements, "header_map") {
            *header_map = parse_quote!(::reqwest::header::HeaderMap::new());
        }
        if let Some(request) = initializer(statements, "request") {
            replace_json_call(request);
        }
        for statement in statements {
            syn::visit_mut::VisitMut::visit_stmt_mut(&mut DecodeReadBodies, statement);
        }
    });
}

/// The expression `let NAME = ...;` among `statements` binds.
fn initializer<'a>(statements: &'a mut [syn::Stmt], name: &str) -> Option<&'a mut syn::Expr> {
    let position = binding(statements, name)?;
    match &mut statements[position] {
        syn::Stmt::Local(local) => local.init.as_mut().map(|init| &mut *init.expr),
        _ => None,
    }
}

/// Walks a method chain (`a.b(..).json(&body).c(..)`) down its receivers
/// and rewrites the `json(arg)` link.
fn replace_json_call(expr: &mut syn::Expr) {
    let call = match expr {
        syn::Expr::Try(attempt) => return replace_json_call(&mut attempt.expr),
        syn::Expr::MethodCall(call) => call,
        _ => return,
    };
    if call.method == "json" && call.args.len() == 1 {
        let receiver = &call.receiver;
        let arg = &call.args[0];
        *expr = parse_quote! {
            #receiver
                .header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .body(crate::hooks::json_body(#arg)?)
        };
        return;
    }
    replace_json_call(&mut call.receiver);
}

/// `ResponseValue::from_response` becomes `crate::hooks::decoded`.
struct DecodeReadBodies;

impl syn::visit_mut::VisitMut for DecodeReadBodies {
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if segment_names(&path.path) == ["ResponseValue", "from_response"] {
            *path = parse_quote!(crate::hooks::decoded);
        }
    }
}
