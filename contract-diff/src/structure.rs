//! The objects the comparison reads must have the shape OpenAPI gives
//! them: a document that does not is refused naming the place, rather than
//! compared in part. Defects in what the comparison never reads (a
//! response's `description`, `info.version`, an OAuth flow's `scopes`
//! missing) are tolerated and returned as warnings, as oasdiff loads such
//! documents.

use serde_json::Number;

use super::api::METHODS;
use super::node::{Node, Token};
use super::refs::pointer_of;

/// Checks every object the comparison reads; the error names the place.
/// Returns the tolerated defects, one sentence each.
pub(crate) fn check(root: &Node) -> Result<Vec<String>, String> {
    let mut walk = Walk::default();
    walk.document(root)?;
    Ok(walk.tolerated)
}

type Checked = Result<(), String>;

/// What a value must be.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Flag,
    Number,
    Count,
    Mapping,
    List,
}

impl Kind {
    fn fits(self, node: &Node) -> bool {
        match self {
            Kind::Text => matches!(node, Node::String(_)),
            Kind::Flag => matches!(node, Node::Bool(_)),
            Kind::Number => matches!(node, Node::Number(_)),
            Kind::Count => node.as_number().and_then(Number::as_u64).is_some(),
            Kind::Mapping => matches!(node, Node::Object(_)),
            Kind::List => matches!(node, Node::Array(_)),
        }
    }

    fn described(self) -> &'static str {
        match self {
            Kind::Text => "a string",
            Kind::Flag => "true or false",
            Kind::Number => "a number",
            Kind::Count => "a non-negative integer",
            Kind::Mapping => "a mapping",
            Kind::List => "a list",
        }
    }
}

type Check<'n> = fn(&mut Walk<'n>, &'n Node) -> Checked;

/// The walk, with the pointer of the value being checked.
#[derive(Default)]
struct Walk<'n> {
    at: Vec<Token<'n>>,
    /// Defects of fields the comparison does not read.
    tolerated: Vec<String>,
}

impl<'n> Walk<'n> {
    fn fail(&self, what: &str) -> Checked {
        Err(format!("{} {what}", pointer_of(&self.at)))
    }

    fn is(&self, node: &Node, kind: Kind) -> Checked {
        if kind.fits(node) {
            Ok(())
        } else {
            self.fail(&format!("must be {}", kind.described()))
        }
    }

    /// Notes a defect of a field the comparison does not read.
    fn tolerate(&mut self, what: &str) -> Checked {
        self.tolerated
            .push(format!("{} {what}", pointer_of(&self.at)));
        Ok(())
    }

    /// Checks `key` of `object`, a field OpenAPI requires but the
    /// comparison does not read: missing or mistyped, it is tolerated.
    fn expected(&mut self, object: &'n Node, key: &'n str, kind: Kind) -> Checked {
        self.under(Token::Key(key), |walk| match object.field(key) {
            Some(value) if kind.fits(value) => Ok(()),
            Some(_) => walk.tolerate(&format!("should be {}", kind.described())),
            None => walk.tolerate("is missing"),
        })
    }

    /// Like [`Walk::kinds`], for fields the comparison does not read.
    fn expected_kinds(&mut self, object: &'n Node, fields: &[(&'n str, Kind)]) -> Checked {
        for &(key, kind) in fields {
            if object.field(key).is_some() {
                self.expected(object, key, kind)?;
            }
        }
        Ok(())
    }

    /// Runs `check` one step further down.
    fn under(&mut self, token: Token<'n>, check: impl FnOnce(&mut Self) -> Checked) -> Checked {
        self.at.push(token);
        let result = check(self);
        self.at.pop();
        result
    }

    /// Checks `key` of `object` when it is there (`null` counts as absent).
    fn field(&mut self, object: &'n Node, key: &'n str, check: Check<'n>) -> Checked {
        match object.field(key) {
            Some(value) => self.under(Token::Key(key), |walk| check(walk, value)),
            None => Ok(()),
        }
    }

    /// Checks `key` of `object`, when there: a list whose items pass `check`.
    fn list(&mut self, object: &'n Node, key: &'n str, check: Check<'n>) -> Checked {
        match object.field(key) {
            Some(list) => self.under(Token::Key(key), |walk| walk.items(list, check)),
            None => Ok(()),
        }
    }

    /// Checks `key` of `object`, when there: a mapping whose values pass `check`.
    fn map(&mut self, object: &'n Node, key: &'n str, check: Check<'n>) -> Checked {
        match object.field(key) {
            Some(map) => self.under(Token::Key(key), |walk| walk.entries(map, check)),
            None => Ok(()),
        }
    }

    /// Checks `key` of `object`, which must be there.
    fn required(&mut self, object: &'n Node, key: &'n str, kind: Kind) -> Checked {
        self.under(Token::Key(key), |walk| match object.field(key) {
            Some(value) => walk.is(value, kind),
            None => walk.fail("is missing"),
        })
    }

    fn kinds(&mut self, object: &'n Node, fields: &[(&'n str, Kind)]) -> Checked {
        for &(key, kind) in fields {
            if let Some(value) = object.field(key) {
                self.under(Token::Key(key), |walk| walk.is(value, kind))?;
            }
        }
        Ok(())
    }

    /// A mapping whose every value passes `check`.
    fn entries(&mut self, map: &'n Node, check: Check<'n>) -> Checked {
        self.is(map, Kind::Mapping)?;
        for (key, value) in map.entries() {
            self.under(Token::Key(key), |walk| check(walk, value))?;
        }
        Ok(())
    }

    /// A list whose every item passes `check`.
    fn items(&mut self, list: &'n Node, check: Check<'n>) -> Checked {
        self.is(list, Kind::List)?;
        for (index, item) in list.items().iter().enumerate() {
            self.under(Token::Index(index), |walk| check(walk, item))?;
        }
        Ok(())
    }

    /// Checks `key` of `object`, which must be one of `allowed`.
    fn one_of(&mut self, object: &'n Node, key: &'n str, allowed: &[&str]) -> Checked {
        self.required(object, key, Kind::Text)?;
        if allowed
            .iter()
            .any(|known| object.str_field(key) == Some(known))
        {
            return Ok(());
        }
        let listed = match allowed {
            [others @ .., last] if !others.is_empty() => format!("{} or {last}", others.join(", ")),
            _ => allowed.join(""),
        };
        self.under(Token::Key(key), |walk| {
            walk.fail(&format!("must be {listed}"))
        })
    }

    fn text(&mut self, node: &'n Node) -> Checked {
        self.is(node, Kind::Text)
    }

    fn texts(&mut self, node: &'n Node) -> Checked {
        self.items(node, Self::text)
    }

    /// A mapping, and whether it is a reference (checked when loading).
    fn object(&mut self, node: &'n Node) -> Result<bool, String> {
        self.is(node, Kind::Mapping)?;
        Ok(node.reference().is_some())
    }

    fn document(&mut self, root: &'n Node) -> Checked {
        self.expected(root, "info", Kind::Mapping)?;
        if let Some(info) = root.field("info").filter(|info| Kind::Mapping.fits(info)) {
            self.under(Token::Key("info"), |walk| {
                walk.expected(info, "title", Kind::Text)?;
                walk.expected(info, "version", Kind::Text)
            })?;
        }
        if root.field("paths").is_none() {
            self.under(Token::Key("paths"), |walk| walk.tolerate("is missing"))?;
        }
        self.field(root, "paths", |walk, paths| {
            for (path, item) in paths.entries().iter().filter(|(p, _)| p.starts_with('/')) {
                walk.under(Token::Key(path), |walk| walk.path_item(item))?;
            }
            Ok(())
        })?;
        self.field(root, "components", |walk, components| {
            walk.is(components, Kind::Mapping)?;
            let kinds: [(&str, Check<'n>); 7] = [
                ("schemas", Self::schema),
                ("pathItems", Self::path_item),
                ("parameters", Self::parameter),
                ("requestBodies", Self::request_body),
                ("responses", Self::response),
                ("headers", Self::header),
                ("securitySchemes", Self::security_scheme),
            ];
            for (kind, check) in kinds {
                walk.map(components, kind, check)?;
            }
            Ok(())
        })?;
        self.map(root, "webhooks", Self::path_item)?;
        if let Some(license) = root.field("info").and_then(|info| info.field("license")) {
            let at = [Token::Key("info"), Token::Key("license")];
            self.at.extend(at);
            let unread = [
                ("name", Kind::Text),
                ("identifier", Kind::Text),
                ("url", Kind::Text),
            ];
            let checked = self.expected_kinds(license, &unread);
            self.at.truncate(self.at.len() - at.len());
            checked?;
        }
        self.list(root, "security", Self::requirement)
    }

    fn path_item(&mut self, item: &'n Node) -> Checked {
        if self.object(item)? {
            return Ok(());
        }
        self.list(item, "parameters", Self::parameter)?;
        for method in METHODS {
            self.field(item, method, Self::operation)?;
        }
        Ok(())
    }

    fn operation(&mut self, operation: &'n Node) -> Checked {
        self.is(operation, Kind::Mapping)?;
        let fields = [("operationId", Kind::Text), ("deprecated", Kind::Flag)];
        self.kinds(operation, &fields)?;
        let unread = [("summary", Kind::Text), ("description", Kind::Text)];
        self.expected_kinds(operation, &unread)?;
        self.field(operation, "tags", Self::texts)?;
        self.list(operation, "parameters", Self::parameter)?;
        self.field(operation, "requestBody", Self::request_body)?;
        self.field(operation, "responses", |walk, responses| {
            walk.is(responses, Kind::Mapping)?;
            // Other keys are extensions, or not responses the comparison reads.
            let read = |key: &str| key == "default" || crate::diff::status(key).is_some();
            for (key, response) in responses.entries().iter().filter(|(k, _)| read(k)) {
                walk.under(Token::Key(key), |walk| walk.response(response))?;
            }
            Ok(())
        })?;
        self.list(operation, "security", Self::requirement)
    }

    fn parameter(&mut self, parameter: &'n Node) -> Checked {
        if self.object(parameter)? {
            return Ok(());
        }
        self.required(parameter, "name", Kind::Text)?;
        self.one_of(parameter, "in", &["query", "header", "path", "cookie"])?;
        let styles: &[&str] = match parameter.str_field("in") {
            Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            Some("path") => &["matrix", "label", "simple"],
            Some("header") => &["simple"],
            _ => &["form"],
        };
        if parameter.field("style").is_some() {
            self.one_of(parameter, "style", styles)?;
        }
        let flags = ["explode", "allowReserved", "allowEmptyValue"].map(|key| (key, Kind::Flag));
        self.kinds(parameter, &flags)?;
        self.value(parameter)
    }

    fn header(&mut self, header: &'n Node) -> Checked {
        if self.object(header)? {
            return Ok(());
        }
        if header.field("style").is_some() {
            self.one_of(header, "style", &["simple"])?;
        }
        self.value(header)
    }

    /// What parameters and headers share: flags, and a schema or a content.
    fn value(&mut self, object: &'n Node) -> Checked {
        let fields = [("required", Kind::Flag), ("deprecated", Kind::Flag)];
        self.kinds(object, &fields)?;
        self.expected_kinds(object, &[("description", Kind::Text)])?;
        match (object.field("schema"), object.field("content")) {
            // Compared without a schema: its presence and flags only.
            (None, None) => self.tolerate("has neither a schema nor a content"),
            (Some(_), _) => self.field(object, "schema", Self::schema),
            (None, Some(_)) => self.field(object, "content", Self::content),
        }
    }

    fn request_body(&mut self, body: &'n Node) -> Checked {
        if self.object(body)? {
            return Ok(());
        }
        self.kinds(body, &[("required", Kind::Flag)])?;
        self.expected_kinds(body, &[("description", Kind::Text)])?;
        self.field(body, "content", Self::content)
    }

    fn response(&mut self, response: &'n Node) -> Checked {
        if self.object(response)? {
            return Ok(());
        }
        self.expected(response, "description", Kind::Text)?;
        self.map(response, "headers", Self::header)?;
        self.field(response, "content", Self::content)
    }

    fn content(&mut self, content: &'n Node) -> Checked {
        self.entries(content, |walk, media| {
            walk.is(media, Kind::Mapping)?;
            walk.field(media, "schema", Self::schema)
        })
    }

    fn security_scheme(&mut self, scheme: &'n Node) -> Checked {
        if self.object(scheme)? {
            return Ok(());
        }
        self.one_of(
            scheme,
            "type",
            &["apiKey", "http", "oauth2", "openIdConnect"],
        )?;
        match scheme.str_field("type") {
            Some("apiKey") => {
                self.required(scheme, "name", Kind::Text)?;
                self.one_of(scheme, "in", &["query", "header", "cookie"])
            }
            Some("http") => self.required(scheme, "scheme", Kind::Text),
            Some("openIdConnect") => self.required(scheme, "openIdConnectUrl", Kind::Text),
            _ => {
                self.required(scheme, "flows", Kind::Mapping)?;
                self.field(scheme, "flows", Self::flows)
            }
        }
    }

    /// OAuth 2 flows: each with the URLs of its kind, and its scopes.
    fn flows(&mut self, flows: &'n Node) -> Checked {
        let kinds: [(&str, &[&str]); 4] = [
            ("implicit", &["authorizationUrl"]),
            ("password", &["tokenUrl"]),
            ("clientCredentials", &["tokenUrl"]),
            ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        ];
        for (kind, urls) in kinds {
            let Some(flow) = flows.field(kind) else {
                continue;
            };
            self.under(Token::Key(kind), |walk| {
                walk.is(flow, Kind::Mapping)?;
                // A missing URL or scope list compares as none.
                for url in urls {
                    walk.expected(flow, url, Kind::Text)?;
                }
                walk.expected(flow, "scopes", Kind::Mapping)?;
                if flow.field("scopes").is_some_and(|s| Kind::Mapping.fits(s)) {
                    walk.map(flow, "scopes", |walk, scope| match scope {
                        Node::String(_) => Ok(()),
                        _ => walk.tolerate("should be a string"),
                    })?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    fn requirement(&mut self, requirement: &'n Node) -> Checked {
        self.entries(requirement, Self::texts)
    }

    /// A schema: its keywords in one pass (schemas are most of a document).
    /// 3.1's JSON Schema spellings are read too: a type list, numeric
    /// exclusive bounds, `true` and `false` as schemas.
    fn schema(&mut self, schema: &'n Node) -> Checked {
        if matches!(schema, Node::Bool(_)) || self.object(schema)? {
            return Ok(());
        }
        for (key, value) in schema.entries() {
            if matches!(value, Node::Null) {
                continue;
            }
            self.under(Token::Key(key), |walk| match &**key {
                "type" if matches!(value, Node::Array(_)) => walk.texts(value),
                "type" | "format" | "pattern" | "title" | "description" | "contentMediaType"
                | "contentEncoding" => walk.is(value, Kind::Text),
                "enum" => walk.is(value, Kind::List),
                "minimum" | "maximum" | "multipleOf" => walk.is(value, Kind::Number),
                "exclusiveMinimum" | "exclusiveMaximum" if matches!(value, Node::Number(_)) => {
                    Ok(())
                }
                "exclusiveMinimum" | "exclusiveMaximum" | "nullable" | "readOnly" | "writeOnly"
                | "deprecated" | "uniqueItems" => walk.is(value, Kind::Flag),
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties" | "minContains" | "maxContains" => walk.is(value, Kind::Count),
                "required" => walk.texts(value),
                "properties" | "patternProperties" | "dependentSchemas" => {
                    walk.entries(value, Self::schema)
                }
                "dependentRequired" => walk.entries(value, Self::texts),
                "items"
                | "not"
                | "additionalProperties"
                | "contains"
                | "if"
                | "then"
                | "else"
                | "propertyNames"
                | "unevaluatedProperties"
                | "unevaluatedItems" => walk.schema(value),
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => walk.items(value, Self::schema),
                "discriminator" => {
                    walk.is(value, Kind::Mapping)?;
                    walk.required(value, "propertyName", Kind::Text)?;
                    walk.map(value, "mapping", Self::text)
                }
                _ => Ok(()),
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Builder;

    fn problem(json: &str) -> Option<String> {
        check(&Builder::default().json(json).unwrap()).err()
    }

    #[test]
    fn what_the_comparison_reads_must_have_its_type() {
        let document = |operation: &str| {
            format!(
                r#"{{"info": {{"title": "t", "version": "1"}},
                    "paths": {{"/a/{{id}}": {{"get": {operation}}}}}}}"#
            )
        };
        assert_eq!(problem(&document(r#"{"responses": {}}"#)), None);
        assert_eq!(
            problem(&document(
                r#"{"parameters": [{"name": "id", "in": "body", "schema": {}}]}"#
            )),
            Some(
                "#/paths/~1a~1{id}/get/parameters/0/in must be query, header, path or cookie"
                    .into()
            )
        );
        assert_eq!(
            problem(&document(r#"{"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"properties": {"n": {"minLength": -1}}}}}}}}"#)),
            Some("#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/properties/n/minLength must be a non-negative integer".into())
        );
    }

    #[test]
    fn what_the_comparison_does_not_read_is_tolerated() {
        let tolerated = |json: &str| check(&Builder::default().json(json).unwrap());
        assert_eq!(
            tolerated(
                r#"{"info": {"title": "t"}, "paths": {"/a": {"get": {"responses": {"200": {}}}}}}"#
            ),
            Ok(vec![
                "#/info/version is missing".to_owned(),
                "#/paths/~1a/get/responses/200/description is missing".to_owned(),
            ])
        );
        assert_eq!(
            tolerated(
                r#"{"info": {"title": "t", "version": "1"}, "paths": {"/a": {"parameters": [{"name": "q", "in": "query"}]}}}"#
            ),
            Ok(vec![
                "#/paths/~1a/parameters/0 has neither a schema nor a content".to_owned()
            ])
        );
        assert_eq!(
            tolerated(r#"{"info": {"title": "t", "version": 1.0}}"#),
            Ok(vec![
                "#/info/version should be a string".to_owned(),
                "#/paths is missing".to_owned(),
            ])
        );
    }
}
