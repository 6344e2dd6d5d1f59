//! The emulator serves the whole document, whatever it holds: tables built
//! from edited copies of `openapi/invitations.yaml` by the build script's own
//! conversion, served, and every answer checked against the document.

use serde_json::{json, Value};

use super::{embedded, Contract, Operation};
use crate::validate::request_schema;
use crate::{Emulator, Fault, FaultPlan};

const TOKEN: &str = "t";
const ACTION_PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";
const ITEM_PATH: &str = "/linkedIn/invitations/{id}";

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/invitations.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn contract_of(document: &Value) -> Contract {
    let table = request_schema::operations(document).unwrap();
    Contract::from_table(&table).unwrap()
}

/// The document with a second operation: `GET /linkedIn/invitations/{id}`
/// (a numeric id, a required `top` query parameter of at least 1), answering
/// an `InviteActionStatus` without an example, and a `default` error.
fn with_a_second_operation() -> Value {
    let mut document = document();
    document["paths"][ITEM_PATH] = json!({"get": {
        "operationId": "getInvitation",
        "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]+$"}},
            {"name": "top", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1}},
            {"$ref": "#/components/parameters/ClientRequestId"}
        ],
        "responses": {
            "200": {"description": "found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InviteActionStatus"}}}},
            "default": {"$ref": "#/components/responses/ErrorResponse"}
        }
    }});
    document
}

async fn serve(contract: Contract) -> Emulator {
    Emulator::builder()
        .contract(contract)
        .invitation("6912", "vt")
        .require_token(TOKEN)
        .start()
        .await
        .unwrap()
}

fn action_body(id: &str) -> Value {
    json!({
        "inviteActionData": [{"invitationId": id, "validationToken": "vt"}],
        "inviteeActionType": "ACCEPT",
    })
}

/// Status and body of one exchange.
async fn send(request: reqwest::RequestBuilder) -> (u16, Vec<u8>) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

fn error_message(body: &[u8]) -> String {
    let envelope: Value = serde_json::from_slice(body).unwrap();
    assert!(
        envelope["error"]["innerError"]["request-id"].is_string(),
        "{envelope}"
    );
    envelope["error"]["message"].as_str().unwrap().to_owned()
}

fn operation<'a>(contract: &'a Contract, id: &str) -> &'a Operation {
    contract.operations().iter().find(|o| o.id == id).unwrap()
}

#[tokio::test]
async fn a_second_operation_is_routed_checked_and_answered_from_the_document() {
    let emulator = serve(contract_of(&with_a_second_operation())).await;
    let http = reqwest::Client::new();
    let get = |path: &str| {
        http.get(format!("{}{path}", emulator.url()))
            .bearer_auth(TOKEN)
    };
    let check = contract_of(&with_a_second_operation());
    let mocked = operation(&check, "getInvitation");

    // Paths without regard to case, as Graph's router.
    let (status, body) = send(get("/LINKEDIN/invitations/42?top=3")).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    mocked.check_response(status, &body).unwrap();
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        answer["id"].is_string() && answer["status"].is_i64(),
        "{answer}"
    );

    for (path, expected) in [
        (
            "/linkedIn/invitations/42",
            "query parameter top: is required",
        ),
        (
            "/linkedIn/invitations/42?top=0",
            "query parameter top: must be at least 1",
        ),
        (
            "/linkedIn/invitations/42?top=many",
            "query parameter top: must be of type integer",
        ),
        (
            "/linkedIn/invitations/4x2?top=1",
            "path parameter id: must match the pattern",
        ),
    ] {
        let (status, body) = send(get(path)).await;
        assert_eq!(status, 400, "{path}");
        mocked.check_response(status, &body).unwrap();
        let message = error_message(&body);
        assert!(message.starts_with(expected), "{path}: {message}");
    }
    let (status, body) =
        send(get("/linkedIn/invitations/42?top=1").header("client-request-id", "nope")).await;
    assert_eq!(status, 400);
    assert!(error_message(&body)
        .starts_with("header parameter client-request-id: must be a valid uuid"));

    let (status, body) =
        send(http.get(format!("{}/linkedIn/invitations/42?top=1", emulator.url()))).await;
    assert_eq!(status, 401);
    mocked.check_response(status, &body).unwrap();
    let response = http
        .delete(format!("{}/linkedIn/invitations/42", emulator.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
    // The action is still the action, with its state.
    let (status, body) = send(
        http.post(format!("{}{ACTION_PATH}", emulator.url()))
            .bearer_auth(TOKEN)
            .json(&action_body("6912")),
    )
    .await;
    assert_eq!(status, 200);
    operation(&check, super::ACTION_ID)
        .check_response(status, &body)
        .unwrap();
    assert_eq!(
        emulator.invitation_state("6912"),
        Some(crate::InvitationState::Accepted)
    );
}

#[tokio::test]
async fn the_action_answers_in_the_types_the_document_declares() {
    let mut document = document();
    document["components"]["schemas"]["InviteActionStatus"]["properties"]["status"] =
        json!({"type": "string"});
    let contract = contract_of(&document);
    let emulator = serve(contract_of(&document)).await;
    let (status, body) = send(
        reqwest::Client::new()
            .post(format!("{}{ACTION_PATH}", emulator.url()))
            .bearer_auth(TOKEN)
            .json(&action_body("6912")),
    )
    .await;
    assert_eq!(status, 200);
    operation(&contract, super::ACTION_ID)
        .check_response(status, &body)
        .unwrap();
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["value"]["inviteActionResults"][0]["status"], "200");
}

#[tokio::test]
async fn every_answer_of_every_operation_follows_the_document() {
    for contract in [
        contract_of(&document()),
        contract_of(&with_a_second_operation()),
    ] {
        let ids: Vec<String> = contract.operations().iter().map(|o| o.id.clone()).collect();
        let check = contract_of(&if ids.len() > 1 {
            with_a_second_operation()
        } else {
            document()
        });
        let before = [
            Fault::TooManyRequests,
            Fault::InternalServerError,
            Fault::ServiceUnavailable,
            Fault::GatewayTimeout,
            Fault::ClaimsChallenge,
            Fault::GatewayTimeoutAfterApply,
        ];
        // `BadGateway` is left out on purpose: it stands for a gateway's
        // HTML page in front of Graph, which no document describes.
        let emulator = Emulator::builder()
            .contract(contract)
            .invitation("6912", "vt")
            .require_token(TOKEN)
            .faults(FaultPlan::Script(before.to_vec()))
            .start()
            .await
            .unwrap();
        let http = reqwest::Client::new();
        let url = |path: &str| format!("{}{path}", emulator.url());
        let action = || http.post(url(ACTION_PATH)).bearer_auth(TOKEN);
        let mut exchanges = Vec::new();
        for _ in before {
            exchanges.push((
                super::ACTION_ID,
                send(action().json(&action_body("6912"))).await,
            ));
        }
        for request in [
            action().json(&action_body("6912")),
            action().json(&action_body("6913")),
            action().json(&json!({"inviteActionData": []})),
            action()
                .body("{")
                .header("content-type", "application/json"),
            action().body("{}").header("content-type", "text/plain"),
            action()
                .header("client-request-id", "nope")
                .json(&action_body("6912")),
            action()
                .header("content-type", "application/json")
                .body(vec![b' '; crate::MAX_BODY_BYTES + 1]),
            http.post(url(ACTION_PATH))
                .bearer_auth("wrong")
                .json(&action_body("6912")),
            http.get(url(ACTION_PATH)),
        ] {
            exchanges.push((super::ACTION_ID, send(request).await));
        }
        if ids.len() > 1 {
            for request in [
                http.get(url("/linkedIn/invitations/42?top=1"))
                    .bearer_auth(TOKEN),
                http.get(url("/linkedIn/invitations/42")).bearer_auth(TOKEN),
                http.get(url("/linkedIn/invitations/42?top=1")),
                http.put(url("/linkedIn/invitations/42")),
            ] {
                exchanges.push(("getInvitation", send(request).await));
            }
        }
        let mut statuses = std::collections::BTreeSet::new();
        for (id, (status, body)) in &exchanges {
            statuses.insert(*status);
            operation(&check, id)
                .check_response(*status, body)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)));
        }
        for expected in [200, 400, 401, 405, 413, 415, 429, 500, 503, 504] {
            assert!(statuses.contains(&expected), "{expected} in {statuses:?}");
        }
    }
}

#[tokio::test]
async fn a_seed_the_request_schema_refuses_is_refused_at_start_up() {
    let mut document = document();
    document["components"]["schemas"]["InviteActionData"]["properties"]["invitationId"]
        ["pattern"] = json!("^[0-9]+$");
    let error = Emulator::builder()
        .contract(contract_of(&document))
        .start()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    let message = error.to_string();
    for part in [
        "the default seed",
        "\"inv-1001\"",
        "invitationId: must match the pattern ^[0-9]+$",
    ] {
        assert!(message.contains(part), "{message}");
    }
    let started = Emulator::builder()
        .contract(contract_of(&document))
        .invitation("6912", "vt")
        .start()
        .await;
    assert!(started.is_ok(), "{started:?}");
    let error = Emulator::builder()
        .contract(contract_of(&document))
        .invitation("6912", "vt")
        .invitation("inv-2", "vt-secret-2")
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("\"inv-2\"") && !error.contains("vt-secret-2"),
        "{error}"
    );
}

#[test]
fn the_embedded_document_compiles_with_an_answer_for_every_operation() {
    let contract = embedded().unwrap();
    assert!(!contract.operations().is_empty());
    for operation in contract.operations() {
        let (status, body) = operation.mock();
        if let Some(body) = body {
            operation.check_response(status.as_u16(), &body).unwrap();
        }
    }
}

#[test]
fn an_answer_the_emulator_cannot_make_fails_naming_the_operation() {
    let mut document = with_a_second_operation();
    document["components"]["schemas"]["InviteActionStatus"]["properties"]["id"]["pattern"] =
        json!("^[0-9]+$");
    let table = request_schema::operations(&document).unwrap();
    let error = Contract::from_table(&table).unwrap_err();
    assert!(
        error.contains("getInvitation") && error.contains("200") && error.contains("pattern"),
        "{error}"
    );
}
