//! The facade against the bundled emulator: the action as the contract says,
//! end to end over loopback. Tests that need the contract's members or
//! properties read them from the generated types (`InviteeAction::ALL`) or
//! from the document, never from a list of their own.

mod support;

use linkedin_invitations::{Client, ErrorKind, Invitation, InvitationStatus, InviteeAction};
use linkedin_invitations_emulator::{Emulator, InvitationState, SeedInvitation};

const TOKEN: &str = "emulator-bearer-token";

async fn emulator() -> Emulator {
    support::seeded_emulator(TOKEN).await
}

fn client(emulator: &Emulator, token: &str) -> Client {
    Client::builder()
        .base_url(emulator.url())
        .bearer_token(token)
        .build()
        .unwrap()
}

#[tokio::test]
async fn accept_and_ignore_close_invitations_and_state_persists_across_calls() {
    let emulator = emulator().await;
    let client = client(&emulator, TOKEN);

    let accepted = client
        .accept([Invitation::new("inv-1", "vt-1")])
        .await
        .unwrap();
    assert!(accepted.all_succeeded());
    assert_eq!(accepted.action(), InviteeAction::Accept);
    assert!(accepted.request_id().is_some());
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Closed(InviteeAction::Accept))
    );

    let ignored = client
        .close(
            InviteeAction::Ignore,
            [
                Invitation::new("inv-2", "vt-2"),
                Invitation::new("inv-1", "vt-1"),
            ],
        )
        .await
        .unwrap();
    let statuses: Vec<_> = ignored.outcomes().map(|o| o.status()).collect();
    assert_eq!(
        statuses,
        [InvitationStatus::Closed, InvitationStatus::AlreadyClosed]
    );
    assert_eq!(
        emulator.invitation_state("inv-2"),
        Some(InvitationState::Closed(InviteeAction::Ignore))
    );
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Closed(InviteeAction::Accept))
    );
}

#[tokio::test]
async fn each_invitation_gets_its_own_status_in_one_200() {
    let emulator = emulator().await;
    let client = client(&emulator, TOKEN);

    let outcome = client
        .accept([
            Invitation::new("inv-3", "wrong"),
            Invitation::new("inv-404", "vt"),
            Invitation::new("inv-3", "vt-3"),
        ])
        .await
        .unwrap();

    let codes: Vec<_> = outcome
        .outcomes()
        .map(|o| (o.id(), o.status().code()))
        .collect();
    assert_eq!(codes, [("inv-3", 403), ("inv-404", 404), ("inv-3", 200)]);
    assert_eq!(outcome.failed().count(), 2);
    assert!(outcome.outcome("inv-404").unwrap().message().is_some());
}

#[tokio::test]
async fn a_wrong_bearer_token_is_a_401_service_error_and_changes_nothing() {
    let emulator = emulator().await;

    let error = client(&emulator, "not-the-token")
        .accept([Invitation::new("inv-1", "vt-1")])
        .await
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Service);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.code(), Some("InvalidAuthenticationToken"));
    assert!(error.request_id().is_some());
    assert!(error.date().is_some());
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Pending)
    );
}

#[tokio::test]
async fn the_emulator_validates_bodies_requires_a_bearer_and_echoes_ids() {
    let emulator = emulator().await;
    let url = format!(
        "{}/linkedIn/invitations/inviteeClosingInvitation",
        emulator.url()
    );
    let http = reqwest::Client::new();
    let client_request_id = uuid::Uuid::new_v4().to_string();

    let missing_auth = http
        .post(&url)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_auth.status(), 401);

    let bad_body = http
        .post(&url)
        .bearer_auth(TOKEN)
        .header("client-request-id", &client_request_id)
        .json(&serde_json::json!({"inviteActionData": [], "inviteeActionType": "ACCEPT"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_body.status(), 400);
    assert!(bad_body.headers().get("request-id").is_some());
    assert_eq!(
        bad_body.headers().get("client-request-id").unwrap(),
        client_request_id.as_str()
    );
    let envelope: serde_json::Value = bad_body.json().await.unwrap();
    assert_eq!(envelope["error"]["code"], "BadRequest");
    assert!(envelope["error"]["message"]
        .as_str()
        .unwrap()
        .contains("inviteActionData"));
    assert_eq!(
        envelope["error"]["innerError"]["client-request-id"],
        client_request_id
    );

    let wrong_type = http
        .post(&url)
        .bearer_auth(TOKEN)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);

    for not_hyphenated in [
        "0b1c2d3e4f504a6b9c7d8e9fa0b1c2d3",
        "{0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3}",
    ] {
        let response = http
            .post(&url)
            .bearer_auth(TOKEN)
            .header("client-request-id", not_hyphenated)
            .json(&serde_json::json!({"inviteActionData": [{"invitationId": "inv-1", "validationToken": "vt-1"}], "inviteeActionType": "ACCEPT"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            400,
            "{not_hyphenated} is not format: uuid"
        );
    }

    let wrong_method = http.get(&url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(emulator.requests_served(), 6);
}

#[tokio::test]
async fn a_seed_file_sets_the_starting_state() {
    let dir = std::env::temp_dir().join(format!("seed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"[{"id": "s-1", "validationToken": "t-1"}, {"id": "s-2", "validationToken": "t-2", "state": "ignored"}]"#,
    )
    .unwrap();
    let emulator = Emulator::builder()
        .seed_file(&seed)
        .unwrap()
        .start()
        .await
        .unwrap();
    let client = client(&emulator, "any-token");

    let outcome = client
        .accept([Invitation::new("s-1", "t-1"), Invitation::new("s-2", "t-2")])
        .await
        .unwrap();

    let codes: Vec<_> = outcome.outcomes().map(|o| o.status().code()).collect();
    assert_eq!(codes, [200, 409]);

    std::fs::write(&seed, "[{\"id\": 1}]").unwrap();
    let error = Emulator::builder().seed_file(&seed).unwrap_err();
    assert!(error.to_string().contains("not a seed file"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn seed_invitations_can_start_closed() {
    let emulator = Emulator::builder()
        .invitations([SeedInvitation::pending("c-1", "t")
            .with_state(InvitationState::Closed(InviteeAction::Accept))])
        .start()
        .await
        .unwrap();
    let outcome = client(&emulator, "x")
        .ignore([Invitation::new("c-1", "t")])
        .await
        .unwrap();
    assert_eq!(
        outcome.outcomes().next().unwrap().status(),
        InvitationStatus::AlreadyClosed
    );
}

#[tokio::test]
async fn every_member_of_the_action_closes_an_invitation() {
    let members = InviteeAction::ALL;
    let emulator = Emulator::builder()
        .invitations((0..members.len()).map(|i| SeedInvitation::pending(format!("m-{i}"), "t")))
        .start()
        .await
        .unwrap();
    let client = client(&emulator, "x");

    for (i, &member) in members.iter().enumerate() {
        let id = format!("m-{i}");
        let outcome = client
            .close(member, [Invitation::new(id.as_str(), "t")])
            .await
            .unwrap();
        assert_eq!(outcome.action(), member);
        assert_eq!(
            outcome.outcomes().next().unwrap().status(),
            InvitationStatus::Closed,
            "{member}"
        );
        assert_eq!(
            emulator.invitation_state(&id),
            Some(InvitationState::Closed(member))
        );
        let again = client
            .close(
                members[(i + 1) % members.len()],
                [Invitation::new(id.as_str(), "t")],
            )
            .await
            .unwrap();
        assert_eq!(
            again.outcomes().next().unwrap().status(),
            InvitationStatus::AlreadyClosed
        );
        assert_eq!(
            emulator.invitation_state(&id),
            Some(InvitationState::Closed(member)),
            "the first action is the one recorded"
        );
    }
}

#[tokio::test]
async fn seeds_name_a_closed_state_by_the_member_as_the_document_spells_it() {
    for &member in InviteeAction::ALL {
        let closed = InvitationState::Closed(member);
        assert_eq!(closed.to_string(), member.to_string(), "no derived name");
        for name in [member.to_string(), closed.to_string()] {
            let seed: Vec<SeedInvitation> = serde_json::from_value(
                serde_json::json!([{"id": "s", "validationToken": "t", "state": name}]),
            )
            .unwrap();
            let emulator = Emulator::builder().invitations(seed).start().await.unwrap();
            assert_eq!(emulator.invitation_state("s"), Some(closed), "{name}");
        }
    }
}

/// The document's request body schema and the item schema of its array
/// property, `$ref`s followed.
fn contract() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/invitations.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn request_schemas() -> (serde_json::Value, String, serde_json::Value, String) {
    let document = contract();
    let resolve = |schema: &serde_json::Value| match schema["$ref"].as_str() {
        Some(r) => document.pointer(&r.replace("#/", "/")).unwrap().clone(),
        None => schema.clone(),
    };
    let request = resolve(
        document
            .pointer("/paths/~1linkedIn~1invitations~1inviteeClosingInvitation/post/requestBody/content/application~1json/schema")
            .unwrap(),
    );
    let properties = request["properties"].as_object().unwrap();
    let (array, items) = properties
        .iter()
        .find(|(_, p)| p["type"] == "array")
        .unwrap();
    let item = resolve(&items["items"]);
    let action = properties
        .iter()
        .find(|(_, p)| resolve(p).get("enum").is_some())
        .unwrap()
        .0
        .clone();
    (request.clone(), array.clone(), item, action)
}

async fn post(emulator: &Emulator, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!(
            "{}/linkedIn/invitations/inviteeClosingInvitation",
            emulator.url()
        ))
        .bearer_auth(TOKEN)
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_request_the_document_forbids_is_refused_naming_the_field() {
    let emulator = emulator().await;
    let (request, array, item, action) = request_schemas();
    let valid = || {
        let mut one = serde_json::Map::new();
        for name in item["required"].as_array().unwrap() {
            one.insert(name.as_str().unwrap().into(), "inv-1".into());
        }
        serde_json::json!({array.as_str(): [one], action.as_str(): InviteeAction::ALL[0].to_string()})
    };
    let mut cases = Vec::new();
    for name in request["required"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        let mut body = valid();
        body.as_object_mut().unwrap().remove(name);
        cases.push((body, format!("{name}: is required")));
    }
    let first = item["required"][0].as_str().unwrap();
    let mut missing = valid();
    missing[&array][0].as_object_mut().unwrap().remove(first);
    cases.push((missing, format!("{array}[0].{first}: is required")));
    assert_eq!(request["properties"][&array]["minItems"], 1);
    let mut empty = valid();
    empty[&array] = serde_json::json!([]);
    cases.push((empty, format!("{array}: at least one item")));
    let (short, _) = item["properties"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, p)| p["minLength"] == 1)
        .unwrap();
    let mut blank = valid();
    blank[&array][0][short] = "".into();
    cases.push((blank, format!("{array}[0].{short}: must not be empty")));
    let mut mistyped = valid();
    mistyped[&array][0][first] = 42.into();
    cases.push((
        mistyped,
        format!("{array}[0].{first}: must be of type string"),
    ));
    let mut unknown_member = valid();
    unknown_member[&action] = "NOT_A_MEMBER".into();
    cases.push((unknown_member, format!("{action}: must be one of")));

    for (body, expected) in cases {
        let (status, envelope) = post(&emulator, &body).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(envelope["error"]["code"], "BadRequest");
        let message = envelope["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(&expected), "{body}: {message}");
    }
    assert_eq!(
        emulator.invitation_state("inv-1"),
        Some(InvitationState::Pending)
    );
}

#[tokio::test]
async fn what_the_document_allows_and_the_facade_never_sends_is_accepted() {
    let emulator = emulator().await;
    let (_, array, item, action) = request_schemas();
    // What the facade sends, then every other property of the document.
    let sent = linkedin_invitations::generated::types::InviteActionData::new(
        "inv-1".into(),
        "vt-1".into(),
    );
    let serde_json::Value::Object(mut one) = serde_json::to_value(sent).unwrap() else {
        panic!("an item is an object")
    };
    let facade_sends = one.len();
    let document = contract();
    for (name, schema) in item["properties"].as_object().unwrap() {
        if !one.contains_key(name) {
            one.insert(name.clone(), support::example::example(&document, schema));
        }
    }
    assert!(
        one.len() > facade_sends,
        "the document has optional properties"
    );
    one.insert(
        "notInTheContract".into(),
        serde_json::json!({"a": [1, null]}),
    );
    let body = serde_json::json!({
        array.as_str(): [one],
        action.as_str(): InviteeAction::ALL[0].to_string(),
        "alsoNotInTheContract": true,
    });

    let (status, results) = post(&emulator, &body).await;

    assert_eq!(status, 200, "{results}");
    assert_eq!(results["value"]["inviteActionResults"][0]["status"], 200);
}

#[tokio::test]
async fn a_seed_no_request_could_name_is_refused_at_start_up_naming_the_invitation_and_rule() {
    // The document's `minLength: 1` on tokens: an empty one can never be sent.
    let error = Emulator::builder()
        .invitation("inv-1", "vt-1")
        .invitation("inv-2", "")
        .start()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    let message = error.to_string();
    assert!(
        message.contains("\"inv-2\"") && message.contains("validationToken: must not be empty"),
        "{message}"
    );
    assert!(!message.contains("vt-1"), "{message}");
    // The default seed follows the document.
    Emulator::start().await.unwrap().shutdown().await;
}
