//! The request on the wire is exactly what the contract says.

mod external;
mod support;

use linkedin_invitations::Invitation;
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn one_invitation_is_sent_as_the_reference_example_body_with_graph_headers() {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[]))).await;
    let client = client_for(&server.uri());

    client
        .accept([Invitation::new(
            "Invitation Id value",
            "Validation Token value",
        )])
        .await
        .expect("a 200 answer");

    let requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), ACTION_PATH);
    assert_eq!(request.url.query(), None);

    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(header("accept").as_deref(), Some("application/json"));
    assert_eq!(
        header("api-version"),
        None,
        "Graph has no api-version header"
    );
    assert_eq!(
        header("sdkversion"),
        None,
        "SdkVersion is for Microsoft's own SDKs"
    );
    let client_request_id = header("client-request-id").expect("a client-request-id");
    let parsed = uuid::Uuid::parse_str(&client_request_id).expect("a UUID");
    assert_eq!(parsed.get_version_num(), 4);
    assert!(header("user-agent")
        .unwrap()
        .starts_with("linkedin-invitations/"));

    // The reference page's example, with its "String" placeholder replaced by
    // ACCEPT, and without the items' `@odata.type`: the type has no derived
    // types for the annotation to choose from. Properties the document gives
    // a `default` are sent with it.
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON body");
    let reference = json!({
        "inviteActionData": [{
            "invitationId": "Invitation Id value",
            "validationToken": "Validation Token value"
        }],
        "inviteeActionType": "ACCEPT"
    });
    let schema = json!({ "$ref": "#/components/schemas/InviteeClosingInvitationRequest" });
    assert_eq!(
        body,
        example::with_defaults(&external::document(), &schema, &reference)
    );
}

#[tokio::test]
async fn ignore_sends_ignore_with_tracking_ids_and_every_call_gets_a_fresh_client_request_id() {
    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[]))).await;
    let client = client_for(&server.uri());

    for _ in 0..2 {
        client
            .ignore([
                Invitation::new("a", "ta").with_tracking_id("campaign-42"),
                Invitation::new("b", "tb"),
            ])
            .await
            .unwrap();
    }

    let requests = server.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["inviteeActionType"], "IGNORE");
    assert_eq!(body["inviteActionData"][0]["trackingId"], "campaign-42");
    assert!(body["inviteActionData"][1].get("trackingId").is_none());
    let ids: Vec<_> = requests
        .iter()
        .map(|r| r.headers.get("client-request-id").unwrap().clone())
        .collect();
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn the_raw_generated_client_sends_the_same_headers_through_the_hooks() {
    use linkedin_invitations::generated::{types, Client, ClientInfo};

    let server = answering(ResponseTemplate::new(200).set_body_json(results(&[("x", 200)]))).await;
    let facade = linkedin_invitations::Client::builder()
        .bearer_token(TOKEN)
        .base_url("https://graph.microsoft.com/beta")
        .build()
        .unwrap();
    // A generated client made by hand, on the facade's pipeline.
    let client = Client::new_with_client(
        &server.uri(),
        reqwest::Client::new(),
        facade.generated().inner().clone(),
    );
    let body = support::generated_request("x", "y", types::InviteeActionType::Ignore);
    let response = client
        .invitee_closing_invitation()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.into_inner().value.invite_action_results[0].status,
        200
    );

    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.headers.get("api-version").is_none());
    assert!(request.headers.get("client-request-id").is_some());
    assert_eq!(
        request.headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
}

#[tokio::test]
async fn the_host_header_names_each_server_with_its_port_across_a_redirect() {
    let target = answering(ResponseTemplate::new(200).set_body_json(results(&[("a", 200)]))).await;
    let location = format!("{}{ACTION_PATH}", target.uri());
    let first =
        answering(ResponseTemplate::new(307).insert_header("location", location.as_str())).await;
    let client = client_for(&first.uri());

    for _ in 0..2 {
        bounded(client.accept([Invitation::new("a", "vt-a")]))
            .await
            .expect("closed after the redirect");
    }

    for server in [&first, &target] {
        let authority = server.uri().trim_start_matches("http://").to_owned();
        for request in server.received_requests().await.unwrap() {
            assert_eq!(request.headers.get("host").unwrap(), authority.as_str());
        }
    }
}
