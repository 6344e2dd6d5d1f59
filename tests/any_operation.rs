//! Any request the generated client builds goes out as it built it: its
//! method, path, query and headers reach the wire untouched, with the token, a
//! `client-request-id` and the call's retries, as the facade's do. The
//! document's operations are sent by the generated code through the same
//! hook these tests call.

mod support;

use linkedin_invitations::generated;
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::{Method, Request, Url};
use support::*;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INFO: OperationInfo = OperationInfo {
    operation_id: "getInvitation",
};

fn get_request(server: &MockServer) -> Request {
    let url = format!(
        "{}/linkedIn/invitations/inv-1?$select=id,message",
        server.uri()
    );
    let mut request = Request::new(Method::GET, Url::parse(&url).unwrap());
    let headers = request.headers_mut();
    headers.insert("prefer", "return=minimal".parse().unwrap());
    headers.insert("accept", "application/json".parse().unwrap());
    request
}

#[tokio::test]
async fn a_get_with_a_query_and_a_header_parameter_reaches_the_wire_whole() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/linkedIn/invitations/inv-1"))
        .and(query_param("$select", "id,message"))
        .and(header("prefer", "return=minimal"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "inv-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri());

    let response = bounded(ClientHooks::exec(
        client.generated(),
        get_request(&server),
        &INFO,
    ))
    .await
    .expect("answered");
    assert_eq!(response.status(), 200);

    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.method, Method::GET);
    assert!(sent.body.is_empty(), "a GET carries no body");
    assert_eq!(sent.headers.get("accept").unwrap(), "application/json");
    let id = sent
        .headers
        .get("client-request-id")
        .expect("a client-request-id");
    uuid::Uuid::parse_str(id.to_str().unwrap()).expect("a UUID");
}

#[tokio::test]
async fn a_get_is_retried_and_redirected_as_a_get() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/linkedIn/invitations/inv-1"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/linkedIn/invitations/inv-1"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", "/linkedIn/invitations/moved?$select=id"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/linkedIn/invitations/moved"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "inv-1"})))
        .mount(&server)
        .await;
    let client = builder_for(&server.uri())
        .retry(fast_retries())
        .build()
        .unwrap();

    let response = bounded(ClientHooks::exec(
        client.generated(),
        get_request(&server),
        &INFO,
    ))
    .await
    .expect("answered after a retry and a redirect");
    assert_eq!(response.status(), 200);
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.method == Method::GET));
    assert_eq!(sent[1].headers.get("retry-attempt").unwrap(), "1");
    let ids: Vec<_> = sent
        .iter()
        .map(|r| r.headers.get("client-request-id").unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one id for the call");
}

#[tokio::test]
async fn the_documents_client_request_id_parameter_is_the_calls_id() {
    let server =
        answering(ResponseTemplate::new(200).set_body_json(results(&[("inv-1", 200)]))).await;
    let client = client_for(&server.uri());
    let id = uuid::Uuid::new_v4();
    let body = generated_request("inv-1", "vt-1", generated::types::InviteeActionType::Accept);

    let answer = client
        .generated()
        .invitee_closing_invitation()
        .client_request_id(id)
        .body(body)
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), 200);
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        sent.headers.get("client-request-id").unwrap(),
        id.to_string().as_str()
    );
}
