//! Building a client works under the features this test is built with: the
//! generated `Client::new`, which unwraps its `reqwest::Client`, must not
//! panic. Each backend alone is checked by `.ci/tls-check`, in a crate of its
//! own (here, dev-dependencies add reqwest features of their own).

use linkedin_invitations::generated::Client as GeneratedClient;
use linkedin_invitations::generated::ClientInfo;
use linkedin_invitations::{Client, ClientBuilder};

#[test]
fn the_generated_client_and_the_facade_build_under_the_chosen_tls_backend() {
    let client = ClientBuilder::default()
        .bearer_token("token")
        .build()
        .unwrap();
    // A panic here (reqwest without a crypto provider) fails the test.
    let pipeline = client.generated().inner().clone();
    let generated = GeneratedClient::new("https://graph.microsoft.com/beta", pipeline);
    assert!(format!("{generated:?}").contains("graph.microsoft.com"));
    Client::builder().bearer_token("token").build().unwrap();
}

#[test]
fn a_client_of_the_reexported_reqwest_is_accepted() {
    // The re-export is the reqwest the builder takes: no version clash.
    // (Under `rustls-ring` alone, a reqwest client built before any client
    // of this crate needs a crypto provider: build ours first.)
    Client::builder().bearer_token("token").build().unwrap();
    let http = linkedin_invitations::reqwest::Client::builder()
        .redirect(linkedin_invitations::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Client::builder()
        .bearer_token("token")
        .with_http_client(http)
        .build()
        .unwrap();
    let id: linkedin_invitations::uuid::Uuid = linkedin_invitations::uuid::Uuid::nil();
    assert!(id.is_nil());
}
