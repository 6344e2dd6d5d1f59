//! The document's constraints on a request are checked before any I/O, on
//! the generated client's path as on the facade's, the field named in the
//! document's own terms and no value quoted.
//!
//! The cases are read from the document, not written here: a copy of it with
//! a `maxItems` on the list, a `pattern` or `maxLength` on a property (under
//! an `x-rust-type` or not) is tested for them with no edit of this file.

mod support;

use linkedin_invitations::generated::types;
use linkedin_invitations::{Error, ErrorKind, Invitation, InviteeAction};
use serde_json::{json, Value};
use support::*;
use wiremock::ResponseTemplate;

const OPERATION: &str = "/paths/~1linkedIn~1invitations~1inviteeClosingInvitation/post";

struct Contract {
    document: Value,
    /// The request's list property: its name and schema.
    list: String,
    list_schema: Value,
    /// The schema of its items.
    item: Value,
}

fn contract() -> Contract {
    let document: Value =
        serde_yaml_ng::from_str(include_str!("../openapi/invitations.yaml")).unwrap();
    let component = |schema: &Value| -> Value {
        let reference = schema["$ref"]
            .as_str()
            .expect("a $ref")
            .trim_start_matches('#');
        document.pointer(reference).unwrap().clone()
    };
    let request = component(
        document
            .pointer(&format!(
                "{OPERATION}/requestBody/content/application~1json/schema"
            ))
            .unwrap(),
    );
    let (list, schema) = request["properties"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, p)| p["type"] == "array")
        .map(|(name, p)| (name.clone(), p.clone()))
        .unwrap();
    let item = component(&schema["items"]);
    Contract {
        document,
        list,
        list_schema: schema,
        item,
    }
}

impl Contract {
    /// A valid item, numbered `n`: each property as in the document's first
    /// request example (ids made distinct), else `n` itself.
    fn item(&self, n: usize) -> Value {
        let examples = self
            .document
            .pointer(&format!(
                "{OPERATION}/requestBody/content/application~1json/examples"
            ))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(_, e)| e["value"][&self.list][0].as_object().cloned())
            .find(|first| first.keys().any(|k| k != "@odata.type"))
            .unwrap_or_default();
        let mut item = serde_json::Map::new();
        for name in self.item["required"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            let value = match examples.get(name).and_then(Value::as_str) {
                Some(example) if n == 0 => example.to_owned(),
                Some(example) => format!("{example}{n}"),
                None => n.to_string(),
            };
            item.insert(name.to_owned(), value.into());
        }
        Value::Object(item)
    }

    fn body(&self, items: Vec<Value>) -> Value {
        let action = InviteeAction::ALL[0].to_string();
        json!({ self.list.as_str(): items, "inviteeActionType": action })
    }

    /// Requests the document forbids: the body, the field named, the
    /// keywords one of which the refusal must name, and whether the
    /// facade's own stricter checks (a blank string, an empty list) come
    /// first.
    fn forbidden(&self) -> Vec<(Value, String, Vec<&'static str>, bool)> {
        let mut cases = Vec::new();
        let list = &self.list;
        if let Some(min) = self.list_schema["minItems"].as_u64() {
            let items = (0..min as usize - 1).map(|n| self.item(n)).collect();
            cases.push((self.body(items), list.clone(), vec!["minItems"], min == 1));
        }
        if let Some(max) = self.list_schema["maxItems"].as_u64() {
            let items = (0..=max as usize).map(|n| self.item(n)).collect();
            cases.push((self.body(items), list.clone(), vec!["maxItems"], false));
        }
        for (name, property) in self.item["properties"].as_object().unwrap() {
            let field = format!("{list}[0].{name}");
            let keywords: Vec<&'static str> = ["minLength", "maxLength", "pattern", "enum"]
                .into_iter()
                .filter(|k| property.get(*k).is_some())
                .collect();
            let mut with = |value: String| {
                let mut item = self.item(0);
                let blank = value.trim().is_empty();
                item[name] = value.into();
                cases.push((
                    self.body(vec![item]),
                    field.clone(),
                    keywords.clone(),
                    blank,
                ));
            };
            if let Some(min) = property["minLength"].as_u64().filter(|&m| m > 0) {
                with("9".repeat(min as usize - 1));
            }
            if let Some(max) = property["maxLength"].as_u64() {
                with("9".repeat(max as usize + 1));
            }
            if let Some(pattern) = property["pattern"].as_str() {
                let regex = regress::Regex::new(pattern).unwrap();
                let refused = ["~ not this ~", "", "0", "a"]
                    .into_iter()
                    .find(|c| regex.find(c).is_none())
                    .expect("a string the pattern refuses");
                with(refused.to_owned());
            }
            if property["enum"].is_array() {
                with("NOT_A_MEMBER".to_owned());
            }
        }
        cases
    }
}

fn assert_refused(error: &Error, field: &str, keywords: &[&str], body: &Value) {
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    assert_eq!(error.field(), Some(field), "{error}");
    assert!(
        keywords.iter().any(|k| error.to_string().contains(k)),
        "{error} names none of {keywords:?}"
    );
    assert!(!error.may_have_been_sent());
    let shown = format!("{error} {error:?}");
    let items = body
        .as_object()
        .unwrap()
        .values()
        .find_map(Value::as_array)
        .unwrap();
    for token in items.iter().filter_map(|i| i["validationToken"].as_str()) {
        assert!(token.len() < 3 || !shown.contains(token), "{shown}");
    }
}

#[tokio::test]
async fn what_the_document_forbids_is_refused_before_any_request_naming_the_field() {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[]))).await;
    let client = client_for(&server.uri());
    let cases = contract().forbidden();
    assert!(!cases.is_empty(), "the document constrains the request");

    for (body, field, keywords, facade_first) in cases {
        // A generated type of its own (an enum, a checked string) cannot
        // even hold the value: refused where it is built.
        let Ok(request) =
            serde_json::from_value::<types::InviteeClosingInvitationRequest>(body.clone())
        else {
            continue;
        };
        let generated = client
            .generated()
            .invitee_closing_invitation()
            .body(request.clone())
            .send()
            .await
            .expect_err("the document forbids it");
        assert_refused(&Error::from(generated), &field, &keywords, &body);

        let invitations: Vec<Invitation> = request
            .invite_action_data
            .into_iter()
            .map(Invitation::from)
            .collect();
        let facade = client
            .close(request.invitee_action_type, invitations)
            .await
            .expect_err("the document forbids it");
        // The facade's own checks of a blank string or an empty list come
        // first, under its own names (`invitations[0].id`).
        if !facade_first {
            assert_refused(&facade, &field, &keywords, &body);
        }
        assert_eq!(facade.kind(), ErrorKind::InvalidInput);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn what_the_document_allows_is_sent() {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[]))).await;
    let client = client_for(&server.uri());
    let contract = contract();
    let most = contract.list_schema["maxItems"].as_u64().unwrap_or(3) as usize;
    let body = contract.body((0..most).map(|n| contract.item(n)).collect());
    let request: types::InviteeClosingInvitationRequest = serde_json::from_value(body).unwrap();
    client
        .generated()
        .invitee_closing_invitation()
        .body(request.clone())
        .send()
        .await
        .expect("allowed");
    let invitations: Vec<Invitation> = request
        .invite_action_data
        .into_iter()
        .map(Invitation::from)
        .collect();
    client
        .close(request.invitee_action_type, invitations)
        .await
        .expect("allowed");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
