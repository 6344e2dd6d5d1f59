//! What the facade and the hooks cost per call, against the in-process
//! emulator on loopback: the facade, the generated client, and a bare reqwest
//! POST of the same body, measured in one run so their ratio is meaningful.
//!
//! cargo bench --features emulator --bench client_overhead

use criterion::{criterion_group, criterion_main, Criterion};
use linkedin_invitations::emulator::Emulator;
use linkedin_invitations::generated::{types, Client as GeneratedClient};
use linkedin_invitations::{Client, Credentials, Invitation, Pipeline};

const PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Unknown ids: every call does the same work (a per-item 404) and no
    // state changes between iterations.
    let emulator = runtime.block_on(Emulator::start()).unwrap();
    let url = emulator.url().to_owned();

    let facade = Client::builder()
        .base_url(&url)
        .bearer_token("bench")
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let generated = GeneratedClient::new_with_client(
        &url,
        http.clone(),
        Pipeline::new(Credentials::bearer("bench")),
    );
    let body = serde_json::json!({
        "inviteActionData": [{"invitationId": "missing", "validationToken": "vt"}],
        "inviteeActionType": "ACCEPT"
    });

    let mut group = c.benchmark_group("close_one_invitation");
    group.bench_function("bare_reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = http
                    .post(format!("{url}{PATH}"))
                    .bearer_auth("bench")
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                response.bytes().await.unwrap()
            })
        })
    });
    group.bench_function("generated_client", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = types::InviteeClosingInvitationRequest {
                    invite_action_data: vec![types::InviteActionData {
                        odata_type: None,
                        invitation_id: "missing".try_into().unwrap(),
                        validation_token: "vt".try_into().unwrap(),
                        tracking_id: None,
                    }],
                    invitee_action_type: types::InviteeActionType::Accept,
                };
                generated
                    .invitee_closing_invitation()
                    .body(request)
                    .send()
                    .await
                    .unwrap()
            })
        })
    });
    group.bench_function("facade", |b| {
        b.iter(|| {
            runtime
                .block_on(facade.accept([Invitation::new("missing", "vt")]))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
