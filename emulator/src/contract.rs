//! The document's operations, as the build script converted them
//! (`OUT_DIR/operations.json`, see `build/request_schema.rs`): routed by
//! method and path template (paths without regard to case, as Graph's
//! router), their parameters and bodies checked by their JSON Schemas, their
//! answers checked against (and, for a contract mock, made from) their
//! responses. Nothing here names a path, a field or a constraint.

use std::fmt;
use std::sync::{Arc, LazyLock};

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use jsonschema::Validator;
use serde_json::{json, Value};

use super::mock;
use super::validate;

/// The operation the emulator implements with state; the others it mocks.
pub(crate) const ACTION_ID: &str = "inviteeClosingInvitation";

/// The operations table of `openapi/invitations.yaml`, converted at build time.
pub(crate) const TABLE: &str = include_str!(concat!(env!("OUT_DIR"), "/operations.json"));

static EMBEDDED: LazyLock<Result<Arc<Contract>, String>> = LazyLock::new(|| {
    let table: Value = serde_json::from_str(TABLE)
        .map_err(|e| format!("the operations table is not JSON: {e}"))?;
    Contract::from_table(&table).map(Arc::new)
});

/// The document's contract, compiled once.
pub(crate) fn embedded() -> Result<Arc<Contract>, String> {
    EMBEDDED.clone()
}

/// Every operation of one document.
pub(crate) struct Contract {
    operations: Vec<Operation>,
    definitions: Value,
}

impl fmt::Debug for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<_> = self.operations.iter().map(|o| &o.id).collect();
        f.debug_struct("Contract")
            .field("operations", &ids)
            .finish()
    }
}

/// One operation: where it is, what it accepts, what it answers.
pub(crate) struct Operation {
    pub(crate) id: String,
    pub(crate) method: Method,
    template: Vec<String>,
    /// A bearer token is required.
    pub(crate) secured: bool,
    parameters: Vec<Parameter>,
    body: Option<RequestBody>,
    /// By the document's key: `200`, `4XX`, `default`.
    responses: Vec<(String, Response)>,
    pub(crate) success: StatusCode,
}

struct Parameter {
    name: String,
    place: String,
    required: bool,
    schema: Value,
    validator: Validator,
}

struct RequestBody {
    required: bool,
    validator: Validator,
}

struct Response {
    schema: Value,
    /// Checks answers in the tests; a mock's at start-up.
    #[cfg_attr(not(test), allow(dead_code))]
    validator: Option<Validator>,
    /// The answer of a contract mock: the document's example, else a value
    /// made from the schema.
    mock: Option<Bytes>,
}

/// Where a request goes.
pub(crate) enum Route<'a> {
    Found(&'a Operation, Vec<(String, String)>),
    /// The path is an operation's, the method none's: these are allowed.
    WrongMethod(Vec<&'a Method>),
    NotFound,
}

impl Contract {
    /// Compiles a table that `build/request_schema.rs` made; every mock
    /// answer is checked against its own schema, so a document whose answer
    /// cannot be made (a `pattern` without an example) fails here, named.
    pub(crate) fn from_table(table: &Value) -> Result<Self, String> {
        let definitions = table["definitions"].clone();
        let listed = table["operations"]
            .as_array()
            .ok_or("the operations table has no operations")?;
        let mut operations = Vec::with_capacity(listed.len());
        for entry in listed {
            operations.push(Operation::compile(entry, &definitions)?);
        }
        let contract = Self {
            operations,
            definitions,
        };
        let action = contract.action()?;
        if action.body.is_none() {
            return Err(format!(
                "operation {ACTION_ID} has no JSON request body; the emulator reads one"
            ));
        }
        Ok(contract)
    }

    /// The action the emulator implements.
    pub(crate) fn action(&self) -> Result<&Operation, String> {
        self.operations
            .iter()
            .find(|o| o.id == ACTION_ID)
            .ok_or_else(|| {
                format!("no operation has operationId {ACTION_ID}, which the emulator implements")
            })
    }

    #[cfg(test)]
    pub(crate) fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation `method` and `path` name, with the path's parameters.
    pub(crate) fn route(&self, method: &Method, path: &str) -> Route<'_> {
        let mut allowed = Vec::new();
        for operation in &self.operations {
            if let Some(parameters) = operation.matches(path) {
                if operation.method == *method {
                    return Route::Found(operation, parameters);
                }
                allowed.push(&operation.method);
            }
        }
        if allowed.is_empty() {
            Route::NotFound
        } else {
            Route::WrongMethod(allowed)
        }
    }

    /// `value` with its scalars in the types `operation`'s answer for
    /// `status` declares (a number where the document now says string).
    pub(crate) fn conform(&self, operation: &Operation, status: u16, value: Value) -> Value {
        match operation.response(status) {
            Some(response) => mock::conform(value, &response.schema, &self.definitions),
            None => value,
        }
    }
}

/// `{"definitions", "allOf": [schema]}`: one schema of the table, self-contained.
fn compile(schema: &Value, definitions: &Value, at: &str) -> Result<Validator, String> {
    let whole = json!({"definitions": definitions, "allOf": [schema]});
    validate::build(&whole).map_err(|e| format!("{at}: the schema does not compile: {e}"))
}

impl Operation {
    fn compile(entry: &Value, definitions: &Value) -> Result<Self, String> {
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
        let id = match entry["operationId"].as_str() {
            Some(id) => id.to_owned(),
            None => format!("{} {}", text("method"), text("path")),
        };
        let method = Method::from_bytes(text("method").as_bytes())
            .map_err(|e| format!("operation {id}: {e}"))?;
        let mut parameters = Vec::new();
        for parameter in entry["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            let place = parameter["in"].as_str().unwrap_or_default().to_owned();
            let at = format!("operation {id}, {place} parameter {name}");
            parameters.push(Parameter {
                validator: compile(&parameter["schema"], definitions, &at)?,
                schema: parameter["schema"].clone(),
                required: parameter["required"] == true,
                name,
                place,
            });
        }
        let body = match &entry["requestBody"] {
            Value::Null => None,
            body => Some(RequestBody {
                required: body["required"] == true,
                validator: compile(
                    &body["schema"],
                    definitions,
                    &format!("operation {id}, request body"),
                )?,
            }),
        };
        let mut responses = Vec::new();
        for (key, response) in entry["responses"].as_object().into_iter().flatten() {
            let at = format!("operation {id}, response {key}");
            let schema = response["schema"].clone();
            let validator = match &schema {
                Value::Null => None,
                schema => Some(compile(schema, definitions, &at)?),
            };
            // The action answers from its state, never from the document.
            let mock = match (&response["example"], &validator) {
                (_, None) => None,
                _ if id == ACTION_ID => None,
                (Value::Null, Some(_)) => Some(mock::generate(&schema, definitions)),
                (example, Some(_)) => Some(example.clone()),
            };
            if let (Some(value), Some(validator)) = (&mock, &validator) {
                validate::check(validator, value).map_err(|message| {
                    format!("{at}: the answer the emulator would send breaks the document ({message}); give the response an example")
                })?;
            }
            let mock = mock.map(|value| Bytes::from(value.to_string()));
            responses.push((
                key.clone(),
                Response {
                    schema,
                    validator,
                    mock,
                },
            ));
        }
        let success = entry["success"]
            .as_u64()
            .and_then(|code| StatusCode::from_u16(u16::try_from(code).ok()?).ok())
            .ok_or_else(|| format!("operation {id}: no success status"))?;
        Ok(Self {
            template: text("path").split('/').map(str::to_owned).collect(),
            secured: entry["secured"] == true,
            id,
            method,
            parameters,
            body,
            responses,
            success,
        })
    }

    /// The path parameters if `path` is this operation's, segment by segment:
    /// literal text without regard to case, `{name}` (with text around it
    /// in the segment, if any) capturing a non-empty value.
    fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let segments: Vec<&str> = path.split('/').collect();
        if segments.len() != self.template.len() {
            return None;
        }
        let mut captured = Vec::new();
        for (template, segment) in self.template.iter().zip(segments) {
            let braces = template.find('{').zip(template.rfind('}'));
            let Some((open, close)) = braces.filter(|(open, close)| open < close) else {
                if !template.eq_ignore_ascii_case(segment) {
                    return None;
                }
                continue;
            };
            let (prefix, suffix) = (&template[..open], &template[close + 1..]);
            let fits = segment.len() > prefix.len() + suffix.len()
                && segment.is_char_boundary(prefix.len())
                && segment.is_char_boundary(segment.len() - suffix.len())
                && segment[..prefix.len()].eq_ignore_ascii_case(prefix)
                && segment[segment.len() - suffix.len()..].eq_ignore_ascii_case(suffix);
            if !fits {
                return None;
            }
            let value = &segment[prefix.len()..segment.len() - suffix.len()];
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            captured.push((template[open + 1..close].to_owned(), value.into_owned()));
        }
        Some(captured)
    }

    /// Checks every path, query and header parameter: present when
    /// required, and what its schema allows. The message names the
    /// parameter, never its value.
    pub(crate) fn check_parameters(
        &self,
        path: &[(String, String)],
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Result<(), String> {
        for parameter in &self.parameters {
            let label = format!("{} parameter {}", parameter.place, parameter.name);
            let values: Vec<String> = match parameter.place.as_str() {
                "path" => path
                    .iter()
                    .filter(|(name, _)| *name == parameter.name)
                    .map(|(_, value)| value.clone())
                    .collect(),
                "query" => form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                    .filter(|(name, _)| *name == parameter.name)
                    .map(|(_, value)| value.into_owned())
                    .collect(),
                "header" => {
                    let mut values = Vec::new();
                    for value in headers.get_all(parameter.name.as_str()) {
                        let text = value
                            .to_str()
                            .map_err(|_| format!("{label}: must be text"))?;
                        values.push(text.to_owned());
                    }
                    values
                }
                // Cookies are not read: Graph takes none.
                _ => continue,
            };
            if values.is_empty() {
                if parameter.required {
                    return Err(format!("{label}: is required"));
                }
                continue;
            }
            let value = mock::from_text(values, &parameter.schema, &parameter.place);
            validate::check_at(&parameter.validator, &value, &label)?;
        }
        Ok(())
    }

    /// Whether this operation takes a body.
    pub(crate) fn takes_body(&self, sent: &[u8]) -> bool {
        self.body
            .as_ref()
            .is_some_and(|body| body.required || !sent.is_empty())
    }

    /// The body as JSON once its schema allows it; `None` when the
    /// operation takes none and none was needed.
    pub(crate) fn check_body(&self, sent: &[u8]) -> Result<Option<Value>, String> {
        if !self.takes_body(sent) {
            return Ok(None);
        }
        let Some(body) = &self.body else {
            return Ok(None);
        };
        let value: Value =
            serde_json::from_slice(sent).map_err(|e| format!("the body is not valid JSON: {e}"))?;
        validate::check(&body.validator, &value)?;
        Ok(Some(value))
    }

    /// Whether the request body schema allows `value`.
    pub(crate) fn check_body_value(&self, value: &Value) -> Result<(), String> {
        match &self.body {
            Some(body) => validate::check(&body.validator, value),
            None => Ok(()),
        }
    }

    /// The document's response for `status`: its own, its class's (`4XX`),
    /// or `default`.
    fn response(&self, status: u16) -> Option<&Response> {
        let keys = [
            status.to_string(),
            format!("{}XX", status / 100),
            "default".into(),
        ];
        keys.iter().find_map(|key| {
            self.responses
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, r)| r)
        })
    }

    /// What a contract mock answers: the success status and its body.
    pub(crate) fn mock(&self) -> (StatusCode, Option<Bytes>) {
        let body = self
            .response(self.success.as_u16())
            .and_then(|r| r.mock.clone());
        (self.success, body)
    }

    /// Whether an answer of `status` with `body` follows the document.
    #[cfg(test)]
    pub(crate) fn check_response(&self, status: u16, body: &[u8]) -> Result<(), String> {
        let response = self
            .response(status)
            .ok_or_else(|| format!("{}: the document declares no response {status}", self.id))?;
        match &response.validator {
            None if body.is_empty() => Ok(()),
            None => Err(format!(
                "{}: {status} has no content in the document",
                self.id
            )),
            Some(validator) => {
                let value: Value = serde_json::from_slice(body)
                    .map_err(|e| format!("{}: {status} is not JSON: {e}", self.id))?;
                validate::check(validator, &value)
                    .map_err(|message| format!("{}: {status}: {message}", self.id))
            }
        }
    }
}

#[cfg(test)]
#[path = "contract_tests.rs"]
mod tests;
