//! The facade and the raw generated client against `prism mock --errors`
//! serving our document: Prism validates every request we send (a violation
//! is answered with 422 and logged), and every example of the document comes
//! back (chosen with `Prefer: example=NAME`) and parses.

mod external;

use std::time::Duration;

use external::{
    assert_prism_saw_no_problem, document, examples, prism_mock, prism_problems_now, Example,
    ACTION_PATH,
};
use linkedin_invitations::generated::{types, Client as GeneratedClient};
use linkedin_invitations::{Client, Invitation, InviteeAction, RetryPolicy};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};

const TOKEN: &str = "prism-mock-bearer-token";

/// A `reqwest::Client` that asks Prism for one response (`Prefer`).
fn http_preferring(prefer: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(
        "prefer",
        HeaderValue::from_str(prefer).expect("a header value"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .timeout(external::limit(Duration::from_secs(20)))
        .build()
        .expect("an HTTP client")
}

fn facade(url: &str, prefer: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .retry(RetryPolicy::disabled())
        .with_http_client(http_preferring(prefer))
        .build()
        .expect("a facade client")
}

fn generated(url: &str, prefer: &str) -> GeneratedClient {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .retry(RetryPolicy::disabled())
        .with_http_client(http_preferring(prefer))
        .build()
        .expect("a client")
        .generated()
        .clone()
}

/// The examples of responses with this status key.
fn examples_of(status_key: &str) -> Vec<Example> {
    let found: Vec<Example> = examples(&document())
        .into_iter()
        .filter(|e| e.status == status_key)
        .collect();
    assert!(
        !found.is_empty(),
        "the document has no {status_key} example"
    );
    found
}

/// The error examples, once each (`4XX` and `5XX` share one response), with
/// the status to ask Prism for.
fn error_examples() -> Vec<(u16, Example)> {
    let mut found: Vec<(u16, Example)> = Vec::new();
    for (key, status) in [("4XX", 400), ("5XX", 500)] {
        for example in examples_of(key) {
            found.push((status, example));
        }
    }
    found
}

/// `(id, status)` of each item of a `200` example.
fn expected_items(example: &Value) -> Vec<(String, i64)> {
    example["value"]["inviteActionResults"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    (
                        i["id"].as_str().unwrap().to_owned(),
                        i["status"].as_i64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn facade_requests_validate_and_every_success_example_parses() {
    let prism = prism_mock();
    let mut sent = 0;
    for example in examples_of("200") {
        let client = facade(&prism.url(), &format!("example={}", example.name));
        for action in [InviteeAction::Accept, InviteeAction::Ignore] {
            let invitations = [
                Invitation::new("6912043412391845888", "vt-1f2e3d").with_tracking_id("campaign-42"),
                Invitation::new("6912043412391845999", "vt-9a8b7c"),
            ];
            sent += 1;
            let outcome = client.close(action, invitations).await.unwrap_or_else(|e| {
                panic!(
                    "{action} asking for {}: {e:?}\nPrism: {:#?}",
                    example.location,
                    prism_problems_now(&prism)
                )
            });
            let got: Vec<(String, i64)> = outcome
                .outcomes()
                .map(|o| (o.id().to_owned(), i64::from(o.status().code())))
                .collect();
            assert_eq!(got, expected_items(&example.value), "{}", example.location);
        }
    }
    assert_prism_saw_no_problem(&prism, sent, "the facade's requests");
}

async fn facade_reads_every_error_example_as_a_typed_error() {
    let prism = prism_mock();
    let errors = error_examples();
    for (status, example) in &errors {
        let status = *status;
        let client = facade(
            &prism.url(),
            &format!("code={status}, example={}", example.name),
        );
        let error = client
            .accept([Invitation::new("inv-1", "vt-1")])
            .await
            .expect_err(&example.location);
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(status),
            "{error:?}"
        );
        assert_eq!(
            error.code(),
            example.value["error"]["code"].as_str(),
            "{error:?}"
        );
        assert_eq!(
            error.message(),
            example.value["error"]["message"].as_str(),
            "{error:?}"
        );
    }
    assert_prism_saw_no_problem(&prism, errors.len(), "the facade's requests");
}

async fn generated_client_sends_every_request_example_and_parses_every_response_example() {
    let prism = prism_mock();
    let requests = examples_of("requestBody");
    let mut sent = 0;
    for request in &requests {
        let body: types::InviteeClosingInvitationRequest =
            serde_json::from_value(request.value.clone()).expect(&request.location);

        for response in examples_of("200") {
            let client = generated(&prism.url(), &format!("example={}", response.name));
            sent += 1;
            let answer = client
                .invitee_closing_invitation()
                .client_request_id(uuid::Uuid::new_v4())
                .body(body.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{} -> {}: {e:?}", request.location, response.location));
            assert_eq!(answer.status().as_u16(), 200);
            let expected: types::InviteeClosingInvitationResponse =
                serde_json::from_value(response.value.clone()).expect(&response.location);
            assert_eq!(answer.into_inner(), expected, "{}", response.location);
        }

        for (status, response) in error_examples() {
            let client = generated(
                &prism.url(),
                &format!("code={status}, example={}", response.name),
            );
            // No client-request-id here: the pre hook must add a valid one.
            sent += 1;
            let error = client
                .invitee_closing_invitation()
                .body(body.clone())
                .send()
                .await
                .expect_err(&response.location);
            let progenitor_client::Error::ErrorResponse(answer) = error else {
                panic!(
                    "{}: not the typed error response: {error:?}",
                    response.location
                );
            };
            assert_eq!(answer.status().as_u16(), status);
            let expected: types::ODataError =
                serde_json::from_value(response.value.clone()).expect(&response.location);
            assert_eq!(answer.into_inner(), expected, "{}", response.location);
        }
    }
    assert_prism_saw_no_problem(&prism, sent, "the generated client's requests");
}

/// Posts raw JSON: the status and Prism's `sl-violations` header.
async fn post_raw(url: &str, body: &Value) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{url}{ACTION_PATH}"))
        .bearer_auth(TOKEN)
        .header("client-request-id", uuid::Uuid::new_v4().to_string())
        .json(body)
        .send()
        .await
        .expect("Prism answers");
    let violations = response
        .headers()
        .get("sl-violations")
        .map(|v| v.to_str().unwrap_or("(not text)").to_owned())
        .unwrap_or_default();
    (response.status().as_u16(), violations)
}

async fn prism_accepts_each_request_example_and_flags_a_wrong_enum_member() {
    let prism = prism_mock();
    let requests = examples_of("requestBody");
    for request in &requests {
        let (status, violations) = post_raw(&prism.url(), &request.value).await;
        assert_eq!(
            (status, violations.as_str()),
            (200, ""),
            "{}",
            request.location
        );
    }
    assert_prism_saw_no_problem(&prism, requests.len(), "the document's request examples");

    // What a client sending a value outside InviteeActionType gets: the
    // check above would fail on it.
    let wrong = json!({
        "inviteActionData": [{"invitationId": "inv-1", "validationToken": "vt-1"}],
        "inviteeActionType": external::not_an_action(&document())
    });
    let (status, violations) = post_raw(&prism.url(), &wrong).await;
    assert_eq!(status, 422, "{violations}");
    assert!(violations.contains("inviteeActionType"), "{violations}");
    let problems = prism_problems_now(&prism);
    assert!(
        problems.iter().any(|p| p.contains("inviteeActionType")),
        "Prism did not log the violation: {problems:#?}"
    );
}

fn main() {
    use external::{tool_test, Tool};
    external::run(&[
        tool_test!(async facade_requests_validate_and_every_success_example_parses, [Tool::Prism]),
        tool_test!(async facade_reads_every_error_example_as_a_typed_error, [Tool::Prism]),
        tool_test!(
            async generated_client_sends_every_request_example_and_parses_every_response_example,
            [Tool::Prism]
        ),
        tool_test!(
            async prism_accepts_each_request_example_and_flags_a_wrong_enum_member,
            [Tool::Prism]
        ),
    ])
}
