//! The document's constraints on a request are checked before any I/O, on
//! the generated client's path as on the facade's, the field named in the
//! document's own terms and no value quoted.

mod support;

use linkedin_invitations::generated::types;
use linkedin_invitations::{Error, ErrorKind};
use support::*;
use wiremock::ResponseTemplate;

async fn send_generated(url: &str, body: types::InviteeClosingInvitationRequest) -> Error {
    let client = client_for(url);
    let sent = client
        .generated()
        .invitee_closing_invitation()
        .body(body)
        .send()
        .await;
    Error::from(sent.expect_err("the document forbids this request"))
}

#[tokio::test]
async fn the_generated_client_refuses_what_the_document_forbids_before_any_request_naming_the_field(
) {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[]))).await;
    let token = "vt-secret-7c1e";

    let empty = send_generated(
        &server.uri(),
        types::InviteeClosingInvitationRequest::new(Vec::new(), types::InviteeActionType::Accept),
    )
    .await;
    assert_eq!(empty.kind(), ErrorKind::InvalidInput);
    assert_eq!(empty.field(), Some("inviteActionData"));
    assert!(empty.to_string().contains("minItems"), "{empty}");

    let items = vec![
        types::InviteActionData::new("6912043412391845888".into(), token.into()),
        types::InviteActionData::new(String::new(), token.into()),
    ];
    let no_id = send_generated(
        &server.uri(),
        types::InviteeClosingInvitationRequest::new(items, types::InviteeActionType::Ignore),
    )
    .await;
    assert_eq!(no_id.kind(), ErrorKind::InvalidInput);
    assert_eq!(no_id.field(), Some("inviteActionData[1].invitationId"));
    assert!(no_id.to_string().contains("minLength"), "{no_id}");
    assert!(!no_id.may_have_been_sent());
    for shown in [no_id.to_string(), format!("{no_id:?}")] {
        assert!(!shown.contains(token), "{shown}");
    }

    assert!(server.received_requests().await.unwrap().is_empty());
}
