//! The `linkedin-invitations` command: killed mid-run (SIGKILL) against an
//! emulator that loses answers after applying them, a resume with the same
//! journal loses no invitation and sends none twice; `--resend-unknown`
//! settles the unknown ones; no token reaches its output, errors or journal.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use linkedin_invitations_emulator::{Emulator, Fault, FaultPlan};
use serde_json::Value;

const BEARER: &str = "bearer-secret-7f3a";
const TOKEN_PREFIX: &str = "vt-kill-secret-";

fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkedin-invitations"));
    command.env("GRAPH_TOKEN", BEARER);
    command
}

/// `n` invitations as a seed file and as the command's JSON Lines input.
fn files(dir: &Path, n: usize) -> (PathBuf, PathBuf) {
    let seed: Vec<Value> = (0..n)
        .map(|i| serde_json::json!({"id": format!("k-{i}"), "validationToken": format!("{TOKEN_PREFIX}{i}")}))
        .collect();
    let seed_path = dir.join("seed.json");
    std::fs::write(&seed_path, serde_json::to_vec(&seed).unwrap()).unwrap();
    let input: String = seed.iter().map(|v| format!("{v}\n")).collect();
    let input_path = dir.join("input.jsonl");
    std::fs::write(&input_path, input).unwrap();
    (seed_path, input_path)
}

fn lines(text: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(text)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn no_secret(what: &str, text: &[u8]) {
    let text = String::from_utf8_lossy(text);
    assert!(!text.contains(BEARER), "the bearer token in {what}");
    assert!(!text.contains(TOKEN_PREFIX), "a validation token in {what}");
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("li-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An emulator in the test's process, on a runtime of its own: its state
/// outlives the commands the test starts and kills.
struct Served {
    _emulator: Emulator,
    url: String,
    _runtime: tokio::runtime::Runtime,
}

impl Served {
    fn start(
        configure: impl FnOnce(
            linkedin_invitations_emulator::EmulatorBuilder,
        ) -> linkedin_invitations_emulator::EmulatorBuilder,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let emulator = runtime
            .block_on(configure(Emulator::builder()).start())
            .expect("the emulator starts");
        Self {
            url: emulator.url().to_owned(),
            _emulator: emulator,
            _runtime: runtime,
        }
    }
}

fn run(args: &[&str]) -> Output {
    command().args(args).output().unwrap()
}

/// `ACTION --input INPUT --journal JOURNAL REST...`, run to its end.
fn run_journaled(action: &str, input: &Path, journal: &Path, rest: &[&str]) -> Output {
    let mut args = vec![
        action,
        "--input",
        input.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
    ];
    args.extend_from_slice(rest);
    run(&args)
}

#[test]
fn killed_mid_run_then_resumed_no_invitation_is_lost_or_sent_twice() {
    let dir = temp_dir("kill");
    let (seed, input) = files(&dir, 200);
    let served = Served::start(|emulator| {
        emulator
            .seed_file(&seed)
            .unwrap()
            .faults(
                FaultPlan::on_call(2, Fault::ResetAfterApply)
                    .on_call(4, Fault::GatewayTimeoutAfterApply)
                    .on_call(6, Fault::TruncatedAfterApply),
            )
            .throttle(8, std::time::Duration::from_secs(1))
    });
    let journal = dir.join("journal.jsonl");
    let args = [
        "accept",
        "--input",
        input.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
        "--base-url",
        &served.url,
        "--batch-size",
        "5",
        "--concurrency",
        "2",
    ];

    // Run 1: killed once 60 results are out, with batches still to go.
    let mut first = command()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen_first = Vec::new();
    for line in BufReader::new(first.stdout.take().unwrap()).lines() {
        seen_first.push(serde_json::from_str::<Value>(&line.unwrap()).unwrap());
        if seen_first.len() == 60 {
            break;
        }
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    assert_eq!(seen_first.len(), 60, "the first run was killed mid-run");

    // Run 2: the same journal, to the end.
    let second = run(&args);
    no_secret("stderr", &second.stderr);
    no_secret("stdout", &second.stdout);
    no_secret("the journal", &std::fs::read(&journal).unwrap());
    let second_lines = lines(&second.stdout);
    let mut by_id: HashMap<String, &Value> = HashMap::new();
    for line in &second_lines {
        let id = line["id"].as_str().unwrap().to_owned();
        assert!(
            by_id.insert(id, line).is_none(),
            "one outcome per invitation: {line}"
        );
    }
    assert_eq!(by_id.len(), 200, "no invitation lost");
    for line in &second_lines {
        let verdict = line["outcome"].as_str().unwrap();
        assert!(matches!(verdict, "closed" | "unknown"), "{line}");
        if line.get("from_journal").is_none() {
            assert_ne!(line["status"], 409, "sent twice: {line}");
        }
    }
    for line in &seen_first {
        if line["outcome"] == "closed" {
            assert_eq!(by_id[line["id"].as_str().unwrap()]["outcome"], "closed");
        }
    }
    let fresh = second_lines
        .iter()
        .filter(|l| l.get("from_journal").is_none())
        .count();
    assert!(fresh > 0, "the resume sent the rest");
    let unknown: Vec<&str> = second_lines
        .iter()
        .filter(|l| l["outcome"] == "unknown")
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert!(
        unknown.len() >= 10,
        "the reset and the truncated batch: {unknown:?}"
    );
    assert!(second_lines
        .iter()
        .filter(|l| l["outcome"] == "unknown")
        .all(|l| l["from_journal"] == true));
    assert_eq!(second.status.code(), Some(1), "unknown ones remain");

    // Run 3: resend the unknown ones; the service says they were closed.
    let mut third_args = args.to_vec();
    third_args.push("--resend-unknown");
    let third = run(&third_args);
    let third_lines = lines(&third.stdout);
    assert_eq!(third_lines.len(), 200);
    assert!(
        third_lines.iter().all(|l| l["outcome"] == "closed"),
        "{third_lines:?}"
    );
    // An unknown one was either applied by the killed run (409 now) or
    // killed between its journal record and the wire (closed now): never
    // anything else.
    for id in &unknown {
        let line = third_lines.iter().find(|l| l["id"] == *id).unwrap();
        assert!(
            line["status"] == 409 || line["status"] == 200,
            "an unknown invitation ends closed: {line}"
        );
        // A 409 that settles an earlier run's unknown send says so.
        let reconciled = line["status"] == 409;
        assert_eq!(
            line.get("reconciled") == Some(&Value::Bool(true)),
            reconciled,
            "{line}"
        );
    }
    let applied_before = unknown
        .iter()
        .filter(|id| {
            third_lines
                .iter()
                .any(|l| l["id"] == **id && l["status"] == 409)
        })
        .count();
    assert!(
        applied_before >= 10,
        "the batches whose answers the emulator lost were applied: {applied_before}"
    );
    assert_eq!(third.status.code(), Some(0));
    no_secret("the journal", &std::fs::read(&journal).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_codes_tell_all_closed_some_not_and_bad_usage_and_no_secret_shows() {
    let dir = temp_dir("codes");
    let csv = dir.join("in.csv");
    std::fs::write(
        &csv,
        format!("id,validationToken,trackingId\na,{TOKEN_PREFIX}a,t-1\nb,{TOKEN_PREFIX}b,\n"),
    )
    .unwrap();
    let ok = run(&["ignore", "--input", csv.to_str().unwrap(), "--emulator"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let out = lines(&ok.stdout);
    assert_eq!(out.len(), 2);
    assert_eq!(
        out.iter().find(|l| l["id"] == "a").unwrap()["tracking_id"],
        "t-1"
    );
    no_secret("stdout", &ok.stdout);
    no_secret("stderr", &ok.stderr);

    let jsonl = dir.join("in.jsonl");
    std::fs::write(
        &jsonl,
        format!("{{\"id\":\"a\",\"validationToken\":\"{TOKEN_PREFIX}a\"}}\n{{\"id\":\"b\",\"validationToken\":7}}\n{{\"id\":\"a\",\"validationToken\":\"{TOKEN_PREFIX}a\"}}\n"),
    )
    .unwrap();
    let output = dir.join("out.jsonl");
    let some = run(&[
        "accept",
        "--input",
        jsonl.to_str().unwrap(),
        "--emulator",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(some.status.code(), Some(1));
    let written = std::fs::read(&output).unwrap();
    no_secret("the output file", &written);
    no_secret("stderr", &some.stderr);
    let verdicts: Vec<_> = lines(&written)
        .iter()
        .map(|l| l["outcome"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        verdicts.iter().filter(|v| *v == "invalid").count(),
        2,
        "{verdicts:?}"
    );
    assert!(verdicts.contains(&"closed".to_owned()));

    let unset = command()
        .env_remove("GRAPH_TOKEN")
        .args([
            "accept",
            "--input",
            csv.to_str().unwrap(),
            "--base-url",
            "http://127.0.0.1:9",
        ])
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unset.stderr).contains("GRAPH_TOKEN"));
    assert!(unset.stdout.is_empty());
    let missing = run(&[
        "accept",
        "--input",
        dir.join("absent").to_str().unwrap(),
        "--emulator",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn jsonl(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("{{\"id\":\"{id}\",\"validationToken\":\"{TOKEN_PREFIX}{id}\"}}\n"))
        .collect()
}

#[test]
fn json_lines_that_start_with_a_byte_order_mark_are_read_as_json_lines() {
    let dir = temp_dir("bom");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(jsonl(&["a", "b"]).as_bytes());
    let input = write(&dir, "in.jsonl", &bytes);
    let out = run(&["accept", "--input", input.to_str().unwrap(), "--emulator"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = lines(&out.stdout);
    assert_eq!(results.len(), 2);
    assert!(
        results.iter().all(|l| l["outcome"] == "closed"),
        "{results:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_line_that_is_not_utf8_is_one_invalid_result_with_its_line_and_the_rest_is_read() {
    let dir = temp_dir("utf8");
    let mut bytes = jsonl(&["a"]).into_bytes();
    bytes.extend_from_slice(b"{\"id\":\"b\xff\xfe\",\"validationToken\":\"x\"}\n");
    bytes.extend_from_slice(jsonl(&["c"]).as_bytes());
    let input = write(&dir, "in.jsonl", &bytes);
    let out = run(&["accept", "--input", input.to_str().unwrap(), "--emulator"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("not read"), "{stderr}");
    let results = lines(&out.stdout);
    assert_eq!(results.len(), 3, "{results:?}");
    let invalid: Vec<_> = results
        .iter()
        .filter(|l| l["outcome"] == "invalid")
        .collect();
    assert_eq!(invalid.len(), 1, "{results:?}");
    assert_eq!(invalid[0]["line"], 2);
    for id in ["a", "c"] {
        let line = results.iter().find(|l| l["id"] == id).unwrap();
        assert_eq!(line["outcome"], "closed", "{line}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_validation_token_is_reported_with_its_input_line() {
    let dir = temp_dir("empty-token");
    let mut text = jsonl(&["a", "b"]);
    text.push_str("{\"id\":\"c\",\"validationToken\":\"\"}\n");
    let input = write(&dir, "in.jsonl", text.as_bytes());
    let out = run(&["accept", "--input", input.to_str().unwrap(), "--emulator"]);
    assert_eq!(out.status.code(), Some(1));
    let results = lines(&out.stdout);
    let invalid: Vec<_> = results
        .iter()
        .filter(|l| l["outcome"] == "invalid")
        .collect();
    assert_eq!(invalid.len(), 1, "{results:?}");
    assert_eq!(invalid[0]["line"], 3, "{:?}", invalid[0]);
    let message = invalid[0]["message"].as_str().unwrap();
    assert!(!message.contains("invitations["), "{message}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_torn_journal_tail_is_repaired_before_appending_and_no_record_is_lost() {
    let dir = temp_dir("torn");
    let input = write(&dir, "in.jsonl", jsonl(&["a", "b", "c"]).as_bytes());
    let sent_a = r#"{"sent":"00000000-0000-4000-8000-000000000001","action":"ACCEPT","ids":["a"]}"#;
    // A whole last record without its newline, and a fragment after a record.
    let tails = [
        sent_a.to_owned(),
        format!("{sent_a}\n{{\"answered\":\"00000000-0000-4000-8"),
    ];
    for (n, tail) in tails.iter().enumerate() {
        let journal = write(&dir, &format!("journal-{n}.jsonl"), tail.as_bytes());
        let first = run_journaled("accept", &input, &journal, &["--emulator"]);
        let stderr = String::from_utf8_lossy(&first.stderr);
        assert_eq!(first.status.code(), Some(1), "a stays unknown: {stderr}");
        assert!(stderr.contains("journal"), "the repair is told: {stderr}");
        let results = lines(&first.stdout);
        let a = results.iter().find(|l| l["id"] == "a").unwrap();
        assert_eq!(a["outcome"], "unknown", "{a}");
        // Every line of the journal is a whole record, the first one kept.
        let text = std::fs::read_to_string(&journal).unwrap();
        assert!(text.starts_with(sent_a), "{text}");
        for line in text.lines() {
            serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        }
        // The next run reads it all: a still unknown, b and c from the journal.
        let second = run_journaled("accept", &input, &journal, &["--emulator"]);
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert_eq!(second.status.code(), Some(1), "{stderr}");
        let results = lines(&second.stdout);
        assert_eq!(results.len(), 3);
        assert!(
            results.iter().all(|l| l["from_journal"] == true),
            "{results:?}"
        );
        let closed = results.iter().filter(|l| l["outcome"] == "closed").count();
        assert_eq!(closed, 2, "{results:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_journal_of_another_action_or_input_is_refused() {
    let dir = temp_dir("mismatch");
    let input = write(&dir, "in.jsonl", jsonl(&["a", "b"]).as_bytes());
    let other = write(&dir, "other.jsonl", jsonl(&["a", "b"]).as_bytes());
    let journal = dir.join("journal.jsonl");
    let first = run_journaled("accept", &input, &journal, &["--emulator"]);
    assert_eq!(first.status.code(), Some(0));

    let ignore = run_journaled("ignore", &input, &journal, &["--emulator"]);
    let stderr = String::from_utf8_lossy(&ignore.stderr);
    assert_eq!(ignore.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("accept") && stderr.contains("ignore"),
        "{stderr}"
    );
    assert!(ignore.stdout.is_empty(), "nothing reported closed");

    let moved = run_journaled("accept", &other, &journal, &["--emulator"]);
    let stderr = String::from_utf8_lossy(&moved.stderr);
    assert_eq!(moved.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("input"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server on loopback that answers every request with `response`.
fn answering_raw(response: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buffer = [0u8; 65536];
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_millis(200)));
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    url
}

#[test]
fn a_303_to_the_post_is_unknown_not_safe_to_send_again() {
    let dir = temp_dir("see-other");
    let input = write(&dir, "in.jsonl", jsonl(&["a"]).as_bytes());
    let url = answering_raw(
        "HTTP/1.1 303 See Other\r\nlocation: /result\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    );
    let out = run(&[
        "accept",
        "--input",
        input.to_str().unwrap(),
        "--base-url",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let results = lines(&out.stdout);
    assert_eq!(results[0]["outcome"], "unknown", "{:?}", results[0]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_output_that_is_the_journal_or_the_input_is_refused_before_anything_is_sent() {
    let dir = temp_dir("overwrite");
    let input = write(&dir, "in.jsonl", jsonl(&["a", "b"]).as_bytes());
    let journal = dir.join("journal.jsonl");
    let first = run_journaled("accept", &input, &journal, &["--emulator"]);
    assert_eq!(first.status.code(), Some(0));
    let journaled = std::fs::read(&journal).unwrap();
    let input_text = std::fs::read(&input).unwrap();

    // The same files, spelled otherwise.
    let journal_again = dir.join(".").join("journal.jsonl");
    let input_again = dir
        .join("..")
        .join(dir.file_name().unwrap())
        .join("in.jsonl");
    for output in [&journal_again, &input_again] {
        let refused = run_journaled(
            "accept",
            &input,
            &journal,
            &["--output", output.to_str().unwrap(), "--emulator"],
        );
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("--output"), "{stderr}");
    }
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        journaled,
        "the journal is intact"
    );
    assert_eq!(
        std::fs::read(&input).unwrap(),
        input_text,
        "the input is intact"
    );

    let resumed = run_journaled("accept", &input, &journal, &["--emulator"]);
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert_eq!(resumed.status.code(), Some(0), "{stderr}");
    assert!(lines(&resumed.stdout)
        .iter()
        .all(|l| l["from_journal"] == true));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_409_to_a_resent_unknown_invitation_is_journaled_closed_by_this_run() {
    let dir = temp_dir("reconciled");
    let input = write(&dir, "in.jsonl", jsonl(&["a"]).as_bytes());
    // The emulator holds `a` closed, as an earlier run whose answer was lost
    // left it; that run's journal has the send and no answer.
    let seed = format!(r#"[{{"id":"a","validationToken":"{TOKEN_PREFIX}a","state":"accepted"}}]"#);
    let seed = write(&dir, "seed.json", seed.as_bytes());
    let served = Served::start(|emulator| emulator.seed_file(&seed).unwrap());
    let canonical = std::fs::canonicalize(&input).unwrap();
    let sent = serde_json::json!({"sent": "lost-answer", "action": "ACCEPT", "input": canonical, "ids": ["a"]});
    let journal = write(&dir, "journal.jsonl", format!("{sent}\n").as_bytes());
    let args = |resend: bool| {
        let mut args = vec![
            "accept",
            "--input",
            input.to_str().unwrap(),
            "--journal",
            journal.to_str().unwrap(),
            "--base-url",
            &served.url,
        ];
        if resend {
            args.push("--resend-unknown");
        }
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };

    let resent = command().args(args(true)).output().unwrap();
    let results = lines(&resent.stdout);
    assert_eq!(results[0]["outcome"], "closed", "{results:?}");
    assert_eq!(results[0]["reconciled"], true, "{results:?}");

    let after = command().args(args(false)).output().unwrap();
    let results = lines(&after.stdout);
    assert_eq!(after.status.code(), Some(0));
    assert_eq!(results[0]["from_journal"], true, "{results:?}");
    assert_eq!(
        results[0]["outcome"], "closed",
        "the journal keeps the close as ours, not someone else's: {results:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_journals_input_is_the_same_file_through_dot_dot_or_a_link_and_the_journal_is_locked() {
    let dir = temp_dir("same-input");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let input = write(&dir, "in.jsonl", jsonl(&["a", "b"]).as_bytes());
    let link = dir.join("link.jsonl");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let dotted = dir.join("sub").join("..").join("in.jsonl");
    let journal = dir.join("journal.jsonl");
    let with = |input: &Path| run_journaled("accept", input, &journal, &["--emulator"]);
    assert_eq!(with(&input).status.code(), Some(0));
    for spelled in [&dotted, &link] {
        let again = with(spelled);
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert_eq!(
            again.status.code(),
            Some(0),
            "{}: {stderr}",
            spelled.display()
        );
        assert!(lines(&again.stdout)
            .iter()
            .all(|l| l["from_journal"] == true));
    }

    // Another run holds the journal.
    let held = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap();
    held.lock().unwrap();
    let second = with(&input);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("in use"), "{stderr}");
    assert!(second.stdout.is_empty());
    drop(held);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_action_is_taken_in_any_case() {
    let dir = temp_dir("action-case");
    let input = write(&dir, "in.jsonl", jsonl(&["a"]).as_bytes());
    for action in ["ACCEPT", "Accept", "accept", "IGNORE"] {
        let out = run(&[action, "--input", input.to_str().unwrap(), "--emulator"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{action}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_csv_record_is_reported_on_its_own_line_with_its_id_after_blank_lines_and_quoted_breaks() {
    let dir = temp_dir("csv-lines");
    let text = format!(
        "id,validationToken,trackingId\n\
         a,{TOKEN_PREFIX}a,\"two\nlines\"\n\
         \n\
         b,{TOKEN_PREFIX}b,\n\
         \n\
         c,,\n"
    );
    let input = write(&dir, "in.csv", text.as_bytes());
    let out = run(&["accept", "--input", input.to_str().unwrap(), "--emulator"]);
    let results = lines(&out.stdout);
    let invalid: Vec<_> = results
        .iter()
        .filter(|l| l["outcome"] == "invalid")
        .collect();
    assert_eq!(invalid.len(), 1, "{results:?}");
    assert_eq!(invalid[0]["line"], 7, "{:?}", invalid[0]);
    assert_eq!(invalid[0]["id"], "c", "{:?}", invalid[0]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(target_os = "linux")]
#[test]
fn closes_that_cannot_be_written_are_named_on_stderr_and_no_journal_is_warned_of() {
    let dir = temp_dir("unwritable");
    let input = write(&dir, "in.jsonl", jsonl(&["a", "b"]).as_bytes());
    let out = run(&[
        "accept",
        "--input",
        input.to_str().unwrap(),
        "--output",
        "/dev/full",
        "--emulator",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let warning = stderr.find("no --journal").expect("a warning up front");
    let error = stderr.find("could not all be written").expect("the error");
    assert!(warning < error, "{stderr}");
    let closed = stderr
        .lines()
        .find(|l| l.starts_with("closed by this run"))
        .unwrap_or_default();
    assert!(
        closed.contains("a, b") || closed.contains("b, a"),
        "{stderr}"
    );
    no_secret("stderr", &out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_states_the_ranges_and_the_summary_counts_in_good_english() {
    let help = run(&["--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("from 1 to 5000"), "{help}");
    assert!(help.contains("from 1 to 64"), "{help}");

    let dir = temp_dir("singular");
    let input = write(&dir, "in.jsonl", jsonl(&["a"]).as_bytes());
    let out = run(&["accept", "--input", input.to_str().unwrap(), "--emulator"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 invitation in "), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
