//! Starts the emulator in process, accepts and ignores invitations, and shows
//! a per-item failure and a typed error.
//!
//! ```text
//! cargo run -p linkedin-invitations-quickstart
//! ```

use linkedin_invitations::{Client, CloseOutcome, ErrorKind, Invitation};
use linkedin_invitations_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder()
        .invitation("inv-1001", "vt-1001")
        .invitation("inv-1002", "vt-1002")
        .invitation("inv-1003", "vt-1003")
        .require_token("quickstart-token")
        .start()
        .await?;
    println!("emulator listening on {}\n", emulator.url());

    let client = Client::builder()
        .base_url(emulator.url())
        .bearer_token("quickstart-token")
        .build()?;

    let accepted = client
        .accept([
            Invitation::new("inv-1001", "vt-1001").with_tracking_id("quickstart"),
            Invitation::new("inv-1002", "wrong-token"),
        ])
        .await?;
    report("accept inv-1001 and inv-1002 (wrong token)", &accepted);

    let ignored = client
        .ignore([
            Invitation::new("inv-1003", "vt-1003"),
            Invitation::new("inv-1001", "vt-1001"),
            Invitation::new("inv-9999", "vt-9999"),
        ])
        .await?;
    report(
        "ignore inv-1003, inv-1001 (already accepted) and inv-9999 (unknown)",
        &ignored,
    );

    match client.accept(Vec::<Invitation>::new()).await {
        Err(error) if error.kind() == ErrorKind::InvalidInput => {
            println!(
                "empty list refused before sending: {error} (field {}, delivery {})\n",
                error.field().unwrap_or("-"),
                error.delivery()
            );
        }
        Err(error) => println!("unexpected error: {error}"),
        Ok(outcome) => println!("unexpected success: {}", outcome.client_request_id()),
    }

    let unauthorised = Client::builder()
        .base_url(emulator.url())
        .bearer_token("expired-token")
        .build()?;
    if let Err(error) = unauthorised
        .accept([Invitation::new("inv-1002", "vt-1002")])
        .await
    {
        println!(
            "typed error: kind {}, status {}, code {}, request-id {}, delivery {}\n  {error}",
            error.kind(),
            error.status().map_or(0, |s| s.as_u16()),
            error.code().unwrap_or("-"),
            error.request_id().unwrap_or("-"),
            error.delivery()
        );
    }
    Ok(())
}

fn report(title: &str, outcome: &CloseOutcome) {
    println!("{title}");
    println!(
        "  request-id {}, {} attempt(s), delivery {}",
        outcome.request_id().unwrap_or("-"),
        outcome.attempts(),
        outcome.delivery()
    );
    for item in outcome.outcomes() {
        println!(
            "  {:<9} {}: {}",
            item.id(),
            item.status(),
            item.message().unwrap_or("")
        );
    }
    println!(
        "  {} succeeded, {} failed\n",
        outcome.succeeded().count(),
        outcome.failed().count()
    );
}
