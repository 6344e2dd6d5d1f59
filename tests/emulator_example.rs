//! The standalone emulator binary prints its URL and serves the action, so
//! other tools can use it; its flags set the token and the throttling.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use linkedin_invitations::{Client, Invitation, RetryPolicy};

/// The running example, killed when dropped.
struct Served {
    child: std::process::Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str]) -> Served {
    // `cargo test` builds the examples beside the test binaries: target/<profile>/examples.
    let exe = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("examples")
        .join(format!("emulator{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is missing: run the whole suite with `cargo test --all-features`",
        exe.display()
    );
    let mut child = Command::new(&exe)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().strip_prefix("listening on ").map(str::to_owned);
    let served = Served {
        child,
        url: url.unwrap_or_default(),
    };
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "printed {line:?}"
    );
    served
}

fn client(url: &str, token: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(token)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_example_serves_on_the_requested_address_with_a_fixed_token() {
    let served = serve(&["--token", "example-token"]);

    let outcome = client(&served.url, "example-token")
        .accept([Invitation::new("inv-1001", "vt-1001")])
        .await
        .unwrap();
    assert_eq!(outcome.outcomes()[0].status().code(), 200);

    let error = client(&served.url, "other-token")
        .accept([Invitation::new("inv-1002", "vt-1002")])
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn the_example_throttles_as_its_flag_says() {
    let served = serve(&["--throttle", "1/60"]);
    let client = client(&served.url, "any");

    client
        .accept([Invitation::new("inv-1001", "vt-1001")])
        .await
        .unwrap();
    let error = client
        .accept([Invitation::new("inv-1002", "vt-1002")])
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(error.retry_after().is_some());
}
