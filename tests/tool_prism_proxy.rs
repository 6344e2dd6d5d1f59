//! Client → `prism proxy --errors` → emulator: Prism checks both our
//! requests and the emulator's responses against the document, and any
//! violation (a 422 or 500 from Prism, a logged problem) fails the test. A
//! last test proves that Prism does catch an upstream response that drops a
//! required field.

mod external;
mod support;

mod with_emulator {
    use super::external;

    use external::{
        assert_prism_saw_no_problem, document, examples, prism_problems_now, prism_proxy,
        ACTION_PATH,
    };
    use linkedin_invitations::generated::{types, Client as GeneratedClient};
    use linkedin_invitations::{Client, ErrorKind, Invitation, RetryPolicy};
    use linkedin_invitations_emulator::Emulator;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "prism-proxy-bearer-token";

    async fn emulator() -> Emulator {
        super::support::seeded_emulator(TOKEN).await
    }

    fn facade(url: &str, token: &str) -> Client {
        Client::builder()
            .base_url(url)
            .bearer_token(token)
            .retry(RetryPolicy::disabled())
            .build()
            .expect("a facade client")
    }

    fn generated(url: &str, token: &str) -> GeneratedClient {
        Client::builder()
            .base_url(url)
            .bearer_token(token)
            .retry(RetryPolicy::disabled())
            .build()
            .expect("a client")
            .generated()
            .clone()
    }

    fn statuses(outcome: &linkedin_invitations::CloseOutcome) -> Vec<(&str, i32)> {
        outcome
            .outcomes()
            .map(|o| (o.id(), o.status().code()))
            .collect()
    }

    pub(super) async fn facade_through_prism_proxy_to_the_emulator_breaks_no_rule() {
        let emulator = emulator().await;
        let prism = prism_proxy(emulator.url());
        let client = facade(&prism.url(), TOKEN);

        let accepted = client
            .accept([
                Invitation::new("inv-1", "vt-1").with_tracking_id("campaign-42"),
                Invitation::new("inv-2", "not-the-token"),
                Invitation::new("inv-404", "vt-404"),
            ])
            .await
            .unwrap_or_else(|e| panic!("accept: {e:?}\nPrism: {:#?}", prism_problems_now(&prism)));
        assert_eq!(
            statuses(&accepted),
            [("inv-1", 200), ("inv-2", 403), ("inv-404", 404)]
        );
        assert!(
            accepted.request_id().is_some(),
            "the emulator's request-id reaches the facade"
        );

        let ignored = client
            .ignore([
                Invitation::new("inv-3", "vt-3"),
                Invitation::new("inv-1", "vt-1"),
            ])
            .await
            .unwrap_or_else(|e| panic!("ignore: {e:?}\nPrism: {:#?}", prism_problems_now(&prism)));
        assert_eq!(statuses(&ignored), [("inv-3", 200), ("inv-1", 409)]);

        let refused = facade(&prism.url(), "not-the-bearer-token")
            .accept([Invitation::new("inv-2", "vt-2")])
            .await
            .expect_err("a wrong bearer token is refused");
        assert_eq!(
            refused.status().map(|s| s.as_u16()),
            Some(401),
            "{refused:?}"
        );
        assert_eq!(
            refused.code(),
            Some("InvalidAuthenticationToken"),
            "{refused:?}"
        );

        assert_prism_saw_no_problem(&prism, 3, "facade → Prism → emulator");
        assert_eq!(
            emulator.requests_served(),
            3,
            "every request reached the emulator"
        );
    }

    pub(super) async fn generated_client_through_prism_proxy_to_the_emulator_breaks_no_rule() {
        let emulator = emulator().await;
        let prism = prism_proxy(emulator.url());
        let client = generated(&prism.url(), TOKEN);

        let requests: Vec<_> = examples(&document())
            .into_iter()
            .filter(|e| e.status == "requestBody")
            .collect();
        assert!(!requests.is_empty(), "the document has request examples");
        for request in &requests {
            let body: types::InviteeClosingInvitationRequest =
                serde_json::from_value(request.value.clone()).expect(&request.location);
            let answer = client
                .invitee_closing_invitation()
                .body(body.clone())
                .send()
                .await
                .unwrap_or_else(|e| {
                    panic!(
                        "{}: {e:?}\nPrism: {:#?}",
                        request.location,
                        prism_problems_now(&prism)
                    )
                });
            let sent: Vec<&str> = body
                .invite_action_data
                .iter()
                .map(|i| i.invitation_id.as_str())
                .collect();
            let results = answer.into_inner().value.invite_action_results;
            let got: Vec<(&str, i32)> = results.iter().map(|r| (r.id.as_str(), r.status)).collect();
            let expected: Vec<(&str, i32)> = sent.iter().map(|id| (*id, 404)).collect();
            assert_eq!(
                got, expected,
                "{}: the example's ids are unknown to the emulator",
                request.location
            );
        }

        let error = generated(&prism.url(), "not-the-bearer-token")
            .invitee_closing_invitation()
            .body(
                serde_json::from_value::<types::InviteeClosingInvitationRequest>(
                    requests[0].value.clone(),
                )
                .unwrap(),
            )
            .send()
            .await
            .expect_err("a wrong bearer token is refused");
        let progenitor_client::Error::ErrorResponse(answer) = error else {
            panic!("not the typed error response: {error:?}");
        };
        assert_eq!(answer.status().as_u16(), 401);
        assert_eq!(answer.into_inner().error.code, "InvalidAuthenticationToken");

        let sent = requests.len() + 1;
        assert_prism_saw_no_problem(&prism, sent, "generated client → Prism → emulator");
        assert_eq!(
            emulator.requests_served(),
            sent as u64,
            "every request reached the emulator"
        );
    }

    pub(super) async fn prism_proxy_fails_an_upstream_response_missing_a_required_field() {
        // An upstream like the emulator, except that its item has no `status`.
        let upstream = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(ACTION_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": {
                    "@odata.type": "microsoft.graph.InviteActionResults",
                    "inviteActionResults": [{"id": "inv-1", "message": "Invitation accepted"}]
                }
            })))
            .mount(&upstream)
            .await;
        let prism = prism_proxy(&upstream.uri());

        let error = facade(&prism.url(), TOKEN)
            .accept([Invitation::new("inv-1", "vt-1")])
            .await
            .expect_err("Prism turns the violation into an error");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(500), "{error:?}");
        assert_eq!(
            (error.kind(), error.code()),
            (ErrorKind::Service, None),
            "an error status whose body is not Graph's envelope: {error:?}"
        );

        let response = reqwest::Client::new()
            .post(format!("{}{ACTION_PATH}", prism.url()))
            .bearer_auth(TOKEN)
            .json(&json!({
                "inviteActionData": [{"invitationId": "inv-1", "validationToken": "vt-1"}],
                "inviteeActionType": "ACCEPT"
            }))
            .send()
            .await
            .expect("Prism answers");
        assert_eq!(response.status().as_u16(), 500);
        let violations = response
            .headers()
            .get("sl-violations")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            violations.contains("must have required property 'status'"),
            "sl-violations: {violations:?}"
        );
        let problems = prism_problems_now(&prism);
        assert_eq!(
            problems.len(),
            2,
            "one logged problem per exchange: {problems:#?}"
        );
    }
}

fn main() {
    use external::{tool_test, Tool};
    use with_emulator::*;
    external::run(&[
        tool_test!(async facade_through_prism_proxy_to_the_emulator_breaks_no_rule, [Tool::Prism]),
        tool_test!(async generated_client_through_prism_proxy_to_the_emulator_breaks_no_rule, [Tool::Prism]),
        tool_test!(async prism_proxy_fails_an_upstream_response_missing_a_required_field, [Tool::Prism]),
    ])
}
