//! Request parameters: path, query, header and cookie.

use indexmap::IndexMap;

use super::lifecycle::{self, Lifecycle, LifecycleIds, RemovalIds, SunsetIds};
use super::operation::Pair;
use super::schema::{self, Cursor};
use super::Context;
use crate::api::Api;
use crate::node::Node;
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

const PARAMETER_SUNSET: SunsetIds = SunsetIds {
    deleted: "request-parameter-sunset-deleted",
    parse: "request-parameter-sunset-parse",
    too_small: "request-parameter-sunset-date-changed-too-small",
};

/// One effective parameter of an operation.
struct Effective<'a> {
    location: &'static str,
    name: &'a str,
    /// The parameter object.
    data: &'a Node,
    /// Declared on the path item rather than the operation.
    from_path_item: bool,
}

impl<'a> Effective<'a> {
    fn describe(&self) -> String {
        format!("{} parameter '{}'", self.location, self.name)
    }

    fn lifecycle(&self) -> Lifecycle<'a> {
        Lifecycle::of(self.data)
    }

    fn schema(&self) -> Option<SchemaRef<'a>> {
        value_schema(self.data)
    }
}

/// The schema of a parameter or header: its `schema`, else that of the
/// first media type of its `content`.
pub(crate) fn value_schema(object: &Node) -> Option<SchemaRef<'_>> {
    let schema = match object.get("schema") {
        Some(schema) => schema,
        None => object
            .get("content")?
            .entries()
            .first()?
            .1
            .field("schema")?,
    };
    Some(SchemaRef(schema))
}

/// Where a parameter goes, as a `'static` name.
fn location(parameter: &Node) -> Option<&'static str> {
    let location = parameter.str_field("in")?;
    ["query", "header", "path", "cookie"]
        .into_iter()
        .find(|known| *known == location)
}

/// Parameters keyed by what identifies them on the wire: path parameters by
/// their position in the template (their names are not sent), header names
/// case-insensitively, others by name.
fn effective<'a>(
    api: &'a Api,
    path: &str,
    item: &'a Node,
    operation: &'a Node,
) -> IndexMap<String, Effective<'a>> {
    let template: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    let mut out = IndexMap::new();
    for (from_path_item, owner) in [(true, item), (false, operation)] {
        for parameter in owner.field("parameters").map_or(&[][..], Node::items) {
            let Some(data) = refs::follow(api, "parameters", parameter) else {
                continue;
            };
            let (Some(location), Some(name)) = (location(data), data.str_field("name")) else {
                continue;
            };
            let key = match location {
                "path" => match template.iter().position(|known| *known == name) {
                    Some(index) => format!("path#{index}"),
                    None => format!("path:{name}"),
                },
                "header" => format!("header:{}", name.to_ascii_lowercase()),
                other => format!("{other}:{name}"),
            };
            // An operation's parameter overrides the path item's.
            out.insert(
                key,
                Effective {
                    location,
                    name,
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
    let base = effective(cx.base, base_path, base_item, base_op);
    let rev = effective(cx.rev, rev_path, rev_item, rev_op);

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
        let id = match (new.location, new.data.flag("required"), new.from_path_item) {
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
    if old.location == "path" && old.name != new.name {
        cx.emit(
            "codegen-path-parameter-renamed",
            format!(
                "path parameter '{}' renamed to '{}': the generated builder method is renamed",
                old.name, new.name
            ),
        );
    }
    match (old.data.flag("required"), new.data.flag("required")) {
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
        &PARAMETER_SUNSET,
        &what,
        old.lifecycle(),
        new.lifecycle(),
    );
    if let (Some(old_schema), Some(new_schema)) = (old.schema(), new.schema()) {
        let cursor = Cursor::parameter(new.location == "header");
        schema::compare(cx, old_schema, new_schema, what, cursor);
    }
}
