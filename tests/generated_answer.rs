//! The generated client's answers are decoded from the bytes the pipeline
//! read, once: the value, its status and every header the service sent
//! reach the caller, and an answer the document does not describe keeps its
//! body for the caller to read.

mod support;

use linkedin_invitations::generated::types::InviteeActionType;
use linkedin_invitations::{Delivery, GeneratedCall, CALL_RECORD_HEADER};
use support::*;
use wiremock::ResponseTemplate;

type Answer = Result<
    progenitor_client::ResponseValue<
        linkedin_invitations::generated::types::InviteeClosingInvitationResponse,
    >,
    linkedin_invitations::GeneratedError,
>;

/// One invitation sent by the generated client to a server answering with
/// `response`.
async fn send(response: ResponseTemplate) -> Answer {
    let server = answering(response).await;
    let body = generated_request("inv-1", "vt-1", InviteeActionType::Accept);
    let client = client_for(&server.uri());
    bounded(
        client
            .generated()
            .invitee_closing_invitation()
            .body(body)
            .send(),
    )
    .await
}

#[tokio::test]
async fn a_success_is_decoded_with_its_status_and_every_header_the_service_sent() {
    let answer = send(
        ResponseTemplate::new(200)
            .insert_header("request-id", "0f4bd0b1-5a0e-4a7c-9f5e-3c2d1b0a9f8e")
            .insert_header("x-ms-ags-diagnostic", r#"{"ServerInfo":{}}"#)
            .set_body_json(results(&[("inv-1", 200)])),
    )
    .await
    .expect("a success");

    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers().get("request-id").unwrap(),
        "0f4bd0b1-5a0e-4a7c-9f5e-3c2d1b0a9f8e"
    );
    assert!(answer.headers().get("x-ms-ags-diagnostic").is_some());
    assert_eq!(answer.value.invite_action_results[0].id, "inv-1");
}

#[tokio::test]
async fn an_answer_the_document_does_not_describe_keeps_its_body_for_the_caller() {
    let error = send(ResponseTemplate::new(202).set_body_string("queued for later"))
        .await
        .expect_err("202 is not in the document");

    let progenitor_client::Error::UnexpectedResponse(response) = error else {
        panic!("an unexpected response, not {error:?}");
    };
    assert_eq!(response.status(), 202);
    assert_eq!(response.text().await.unwrap(), "queued for later");
}

#[tokio::test]
async fn a_call_record_header_the_service_sends_is_not_taken_for_the_pipelines_own() {
    let answer = send(
        ResponseTemplate::new(200)
            .insert_header(CALL_RECORD_HEADER, "attempts=7; delivery=maybe_processed")
            .set_body_json(results(&[("inv-1", 409)])),
    )
    .await
    .expect("a success");

    assert_eq!(answer.attempts(), 1);
    assert_eq!(answer.delivery(), Delivery::Processed);
    assert!(answer.headers().get(CALL_RECORD_HEADER).is_none());
}
