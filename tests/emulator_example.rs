//! The standalone emulator binary prints its URL and serves the action, so
//! other tools can use it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_example_serves_on_the_requested_address_with_a_fixed_token() {
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

    let child = Command::new(&exe)
        .args(["--listen", "127.0.0.1:0", "--token", "example-token"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("a URL line")
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));

    let client = linkedin_invitations::Client::builder()
        .base_url(&url)
        .bearer_token("example-token")
        .build()
        .unwrap();
    let outcome = client
        .accept([linkedin_invitations::Invitation::new("inv-1001", "vt-1001")])
        .await
        .unwrap();
    assert_eq!(outcome.outcomes()[0].status().code(), 200);
}
