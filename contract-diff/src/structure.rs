//! The objects the comparison reads must have the shape OpenAPI 3.0 gives
//! them: a document that does not is refused naming the place, rather than
//! compared in part.

use serde_json::Number;

use super::api::METHODS;
use super::node::{Node, Token};
use super::refs::pointer_of;

/// Checks every object the comparison reads; the error names the place.
pub(crate) fn check(root: &Node) -> Result<(), String> {
    Walk::default().document(root)
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
        self.required(root, "info", Kind::Mapping)?;
        self.field(root, "info", |walk, info| {
            walk.required(info, "title", Kind::Text)?;
            walk.required(info, "version", Kind::Text)
        })?;
        self.required(root, "paths", Kind::Mapping)?;
        self.field(root, "paths", |walk, paths| {
            for (path, item) in paths.entries().iter().filter(|(p, _)| p.starts_with('/')) {
                walk.under(Token::Key(path), |walk| walk.path_item(item))?;
            }
            Ok(())
        })?;
        self.field(root, "components", |walk, components| {
            walk.is(components, Kind::Mapping)?;
            let kinds: [(&str, Check<'n>); 6] = [
                ("schemas", Self::schema),
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
        let fields = [
            ("operationId", Kind::Text),
            ("summary", Kind::Text),
            ("description", Kind::Text),
            ("deprecated", Kind::Flag),
        ];
        self.kinds(operation, &fields)?;
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
        let fields = [
            ("required", Kind::Flag),
            ("deprecated", Kind::Flag),
            ("description", Kind::Text),
        ];
        self.kinds(object, &fields)?;
        match (object.field("schema"), object.field("content")) {
            (None, None) => self.fail("has neither a schema nor a content"),
            (Some(_), _) => self.field(object, "schema", Self::schema),
            (None, Some(_)) => self.field(object, "content", Self::content),
        }
    }

    fn request_body(&mut self, body: &'n Node) -> Checked {
        if self.object(body)? {
            return Ok(());
        }
        self.kinds(
            body,
            &[("required", Kind::Flag), ("description", Kind::Text)],
        )?;
        self.field(body, "content", Self::content)
    }

    fn response(&mut self, response: &'n Node) -> Checked {
        if self.object(response)? {
            return Ok(());
        }
        self.required(response, "description", Kind::Text)?;
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
                for url in urls {
                    walk.required(flow, url, Kind::Text)?;
                }
                walk.required(flow, "scopes", Kind::Mapping)?;
                walk.map(flow, "scopes", Self::text)
            })?;
        }
        Ok(())
    }

    fn requirement(&mut self, requirement: &'n Node) -> Checked {
        self.entries(requirement, Self::texts)
    }

    /// A schema: its keywords in one pass (schemas are most of a document).
    fn schema(&mut self, schema: &'n Node) -> Checked {
        if self.object(schema)? {
            return Ok(());
        }
        for (key, value) in schema.entries() {
            if matches!(value, Node::Null) {
                continue;
            }
            self.under(Token::Key(key), |walk| match &**key {
                "type" | "format" | "pattern" | "title" | "description" => {
                    walk.is(value, Kind::Text)
                }
                "enum" => walk.is(value, Kind::List),
                "minimum" | "maximum" | "multipleOf" => walk.is(value, Kind::Number),
                "exclusiveMinimum" | "exclusiveMaximum" | "nullable" | "readOnly" | "writeOnly"
                | "deprecated" | "uniqueItems" => walk.is(value, Kind::Flag),
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties" => walk.is(value, Kind::Count),
                "required" => walk.texts(value),
                "properties" => walk.entries(value, Self::schema),
                "items" | "not" => walk.schema(value),
                "allOf" | "oneOf" | "anyOf" => walk.items(value, Self::schema),
                "additionalProperties" if matches!(value, Node::Bool(_)) => Ok(()),
                "additionalProperties" => walk.schema(value),
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
        assert_eq!(
            problem(&document(r#"{"responses": {"200": {}}}"#)),
            Some("#/paths/~1a~1{id}/get/responses/200/description is missing".into())
        );
        assert_eq!(
            problem(r#"{"info": {"title": "t"}, "paths": {}}"#),
            Some("#/info/version is missing".into())
        );
    }
}
