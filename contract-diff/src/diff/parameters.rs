//! Request parameters: path, query, header and cookie.

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterData, ParameterSchemaOrContent, PathItem, ReferenceOr};

use super::lifecycle::{self, Lifecycle, LifecycleIds, RemovalIds};
use super::operation::Pair;
use super::schema::{self, Cursor};
use super::Context;
use crate::refs::{self, SchemaRef};

const PARAMETER_LIFECYCLE: LifecycleIds = LifecycleIds {
    deprecated: "request-parameter-deprecated",
    deprecated_with_sunset: None,
    sunset_missing: "request-parameter-deprecated-sunset-missing",
    sunset_parse: "request-parameter-sunset-parse",
    sunset_too_small: "request-parameter-sunset-date-too-small",
    reactivated: "request-parameter-reactivated",
    stability_decreased: None,
    stability_increased: None,
};

const PARAMETER_REMOVED: RemovalIds = RemovalIds {
    without_deprecation: "request-parameter-removed",
    with_deprecation: "request-parameter-removed-with-deprecation",
    sunset_parse: "request-parameter-sunset-parse",
    before_sunset: "request-parameter-removed-before-sunset",
};

/// One effective parameter of an operation.
struct Effective<'a> {
    location: &'static str,
    data: &'a ParameterData,
    /// Declared on the path item rather than the operation.
    from_path_item: bool,
}

impl<'a> Effective<'a> {
    fn describe(&self) -> String {
        format!("{} parameter '{}'", self.location, self.data.name)
    }

    fn lifecycle(&self) -> Lifecycle<'a> {
        Lifecycle::new(self.data.deprecated.unwrap_or(false), &self.data.extensions)
    }

    fn schema(&self) -> Option<SchemaRef<'a>> {
        match &self.data.format {
            ParameterSchemaOrContent::Schema(schema) => Some(SchemaRef::Plain(schema)),
            ParameterSchemaOrContent::Content(content) => content
                .values()
                .next()
                .and_then(|media| media.schema.as_ref())
                .map(SchemaRef::Plain),
        }
    }
}

fn location_and_data(parameter: &Parameter) -> (&'static str, &ParameterData) {
    match parameter {
        Parameter::Query { parameter_data, .. } => ("query", parameter_data),
        Parameter::Header { parameter_data, .. } => ("header", parameter_data),
        Parameter::Path { parameter_data, .. } => ("path", parameter_data),
        Parameter::Cookie { parameter_data, .. } => ("cookie", parameter_data),
    }
}

/// Parameters keyed by what identifies them on the wire: path parameters by
/// their position in the template (their names are not sent), header names
/// case-insensitively, others by name.
fn effective<'a>(
    api: &'a openapiv3::OpenAPI,
    path: &str,
    item: &'a PathItem,
    operation: &'a [ReferenceOr<Parameter>],
) -> IndexMap<String, Effective<'a>> {
    let template: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    let mut out = IndexMap::new();
    let levels = [(true, item.parameters.as_slice()), (false, operation)];
    for (from_path_item, parameters) in levels {
        for parameter in parameters {
            let Some(parameter) = refs::parameter(api, parameter) else {
                continue;
            };
            let (location, data) = location_and_data(parameter);
            let key = match location {
                "path" => match template.iter().position(|name| *name == data.name) {
                    Some(index) => format!("path#{index}"),
                    None => format!("path:{}", data.name),
                },
                "header" => format!("header:{}", data.name.to_ascii_lowercase()),
                other => format!("{other}:{}", data.name),
            };
            // An operation's parameter overrides the path item's.
            out.insert(
                key,
                Effective {
                    location,
                    data,
                    from_path_item,
                },
            );
        }
    }
    out
}

pub(crate) fn compare<'a>(cx: &mut Context<'a>, pair: &Pair<'a>) {
    let (base_path, base_item, base_op) = pair.base;
    let (rev_path, rev_item, rev_op) = pair.rev;
    let base = effective(cx.base, base_path, base_item, &base_op.parameters);
    let rev = effective(cx.rev, rev_path, rev_item, &rev_op.parameters);

    for (key, old) in &base {
        match rev.get(key) {
            None => lifecycle::removed(cx, &PARAMETER_REMOVED, &old.describe(), old.lifecycle()),
            Some(new) => modified(cx, old, new),
        }
    }
    for (key, new) in &rev {
        if base.contains_key(key) {
            continue;
        }
        let what = new.describe();
        let id = match (new.location, new.data.required, new.from_path_item) {
            ("path", _, _) => "new-request-path-parameter",
            (_, true, true) => "new-required-request-default-parameter-to-existing-path",
            (_, false, true) => "new-optional-request-default-parameter-to-existing-path",
            (_, true, false) => "new-required-request-parameter",
            (_, false, false) => "new-optional-request-parameter",
        };
        cx.emit(id, format!("{what} added"));
    }
}

fn modified<'a>(cx: &mut Context<'a>, old: &Effective<'a>, new: &Effective<'a>) {
    let what = new.describe();
    if old.location == "path" && old.data.name != new.data.name {
        cx.emit(
            "codegen-path-parameter-renamed",
            format!(
                "path parameter '{}' renamed to '{}': the generated builder method is renamed",
                old.data.name, new.data.name
            ),
        );
    }
    match (old.data.required, new.data.required) {
        (false, true) => {
            cx.emit(
                "request-parameter-became-required",
                format!("{what} became required"),
            );
        }
        (true, false) => {
            cx.emit(
                "request-parameter-became-optional",
                format!("{what} became optional"),
            );
        }
        _ => {}
    }
    lifecycle::compare(
        cx,
        &PARAMETER_LIFECYCLE,
        &what,
        old.lifecycle(),
        new.lifecycle(),
    );
    lifecycle::sunset_changed(
        cx,
        "request-parameter-sunset-deleted",
        "request-parameter-sunset-date-changed-too-small",
        &what,
        old.lifecycle(),
        new.lifecycle(),
    );
    if let (Some(old_schema), Some(new_schema)) = (old.schema(), new.schema()) {
        let cursor = Cursor::parameter(new.location == "header");
        schema::compare(cx, old_schema, new_schema, what, cursor);
    }
}
