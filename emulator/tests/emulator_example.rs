//! The standalone emulator binary prints its URL and serves the action, so
//! other tools can use it; its flags set the token, the throttling and the
//! faults, it refuses values that make no sense, holds up when connections
//! are hoarded, and stops on Ctrl-C within its deadline.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use linkedin_invitations::{Client, Invitation, RetryPolicy};
use support::standalone::{serve, serve_with, wait_for_exit, Served};

fn example() -> PathBuf {
    support::example_binary("emulator")
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
    assert_eq!(outcome.outcomes().next().unwrap().status().code(), 200);

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

/// Runs the example with settings it must refuse; returns what it printed
/// on stderr. Fails when it starts serving instead.
fn refused(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut child = Command::new(example())
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("EMULATOR_TOKEN")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_for_exit(&mut child, Duration::from_secs(10));
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("{args:?} {env:?}: started instead of refusing");
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!status.unwrap().success(), "{args:?}: {stderr}");
    stderr
}

#[test]
fn values_that_make_no_sense_are_refused_with_a_message() {
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 10] = [
        (&["--throttle", "2/0"], &[], "--throttle"),
        (&["--throttle", "0/1"], &[], "--throttle"),
        (&["--fault-rate", "NaN"], &[], "--fault-rate"),
        (&["--fault-rate", "7"], &[], "--fault-rate"),
        (&["--fault-rate", "inf"], &[], "--fault-rate"),
        (&["--token", ""], &[], "token is empty"),
        (&[], &[("EMULATOR_TOKEN", "")], "token is empty"),
        (&["--token", "two words"], &[], "white space"),
        (
            &["--seed", "/nonexistent/seed-file.json"],
            &[],
            "/nonexistent/seed-file.json",
        ),
        (&["--fault-on", "1=no-such-fault"], &[], "reset-after-apply"),
    ];
    for (args, env, expected) in cases {
        let stderr = refused(args, env);
        assert!(stderr.contains(expected), "{args:?} {env:?}: {stderr}");
    }
}

#[test]
fn a_seed_file_that_repeats_an_id_is_refused_naming_the_id() {
    let seed = std::env::temp_dir().join(format!("seed-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(
        &seed,
        r#"[{"id": "dup-1", "validationToken": "a"}, {"id": "dup-1", "validationToken": "b"}]"#,
    )
    .unwrap();

    let stderr = refused(&["--seed", seed.to_str().unwrap()], &[]);

    std::fs::remove_file(&seed).unwrap();
    assert!(stderr.contains("dup-1"), "{stderr}");
}

#[tokio::test]
async fn fault_on_applies_the_call_and_then_resets_the_connection() {
    let served = serve(&["--fault-on", "1=reset-after-apply"]);
    let client = client(&served.url, "any");

    let error = client
        .accept([Invitation::new("inv-1001", "vt-1001")])
        .await
        .unwrap_err();
    assert_eq!(error.status(), None, "{error}");
    let outcome = client
        .accept([Invitation::new("inv-1001", "vt-1001")])
        .await
        .unwrap();
    assert_eq!(
        outcome.outcomes().next().unwrap().status().code(),
        409,
        "the first call closed it"
    );
}

/// Opens a connection and sends half a request head.
fn half_sent_request(served: &Served) -> TcpStream {
    let mut stream = TcpStream::connect(served.addr()).unwrap();
    stream
        .write_all(b"POST /linkedIn/invitations/inviteeClosingInvitation HTTP/1.1\r\nhost: t\r\n")
        .unwrap();
    stream
}

#[test]
fn ctrl_c_ends_within_the_shutdown_timeout_even_mid_request() {
    // Defaults: the 5 s shutdown deadline comes before the 10 s header timeout.
    let mut served = serve(&[]);
    let _half_sent = half_sent_request(&served);

    served.interrupt();

    let status = served.exit_within(Duration::from_secs(9));
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
}

#[test]
fn a_second_ctrl_c_ends_at_once() {
    // Defaults: the first Ctrl-C would wait 5 s for the half-sent request.
    let mut served = serve(&[]);
    let _half_sent = half_sent_request(&served);
    served.interrupt();
    // The first interrupt has been handled once the port stops accepting.
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(served.addr()).is_ok() {
        assert!(Instant::now() < deadline, "still accepting after Ctrl-C");
        std::thread::sleep(Duration::from_millis(10));
    }

    served.interrupt();

    assert!(served.exit_within(Duration::from_secs(3)).is_some());
}

#[tokio::test]
async fn a_thousand_idle_connections_do_not_lock_real_clients_out_under_the_usual_file_limit() {
    // 1,024 descriptors, the usual soft limit; 1,030 connections that never
    // send a byte would take them all if each were kept.
    let mut limited = Command::new("sh");
    limited
        .arg("-c")
        .arg("ulimit -n 1024 && exec \"$0\" \"$@\"")
        .arg(example());
    let served = serve_with(limited, &[]);
    let addr = served.addr().parse().unwrap();
    let idle: Vec<_> = (0..1030)
        .filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok())
        .collect();
    assert!(idle.len() > 1024, "{} connections opened", idle.len());

    let outcome = tokio::time::timeout(
        Duration::from_secs(15),
        client(&served.url, "any").accept([Invitation::new("inv-1001", "vt-1001")]),
    )
    .await
    .expect("a real client is answered");

    assert!(outcome.unwrap().all_succeeded());
}
