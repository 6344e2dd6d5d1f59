//! The emulator against the contract, judged by schemathesis 4 with every
//! check (authentication included: the emulator requires one bearer token,
//! and schemathesis' `ignored_auth` check sends none or a wrong one) and a
//! fixed seed: zero failures. A second test proves schemathesis does fail a
//! server that ignores authentication and drops a required field.

mod external;

mod with_emulator {
    use super::external;

    use std::path::Path;
    use std::time::Duration;

    use external::{run_tool, scratch_dir, spec_path, Tool, ACTION_PATH};
    use linkedin_invitations_emulator::Emulator;
    use serde_json::{json, Value};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const TOKEN: &str = "schemathesis-bearer-token";
    /// Fixed so that every run generates the same cases.
    const SEED: &str = "20261127";
    /// Cases per phase of the one operation; about 400 requests in all.
    const MAX_EXAMPLES: &str = "200";
    /// A run takes about 33 s alone on two cores, and both tests run at
    /// once: room for that, scaled by `TOOL_TEST_TIME_SCALE` (tests/external).
    const RUN_TIMEOUT: Duration = Duration::from_secs(120);

    /// Runs schemathesis against `url` with every check; (passed, output, ndjson events).
    async fn schemathesis(name: &str, url: &str, max_examples: &str) -> (bool, String, Vec<Value>) {
        let reports = scratch_dir(name);
        let mut command = Tool::Schemathesis.command();
        command
            // Away from the repository, so that no schemathesis.toml changes the settings.
            .current_dir(&reports)
            .arg("run")
            .arg(spec_path())
            .args(["--url", url])
            .args(["--checks", "all"])
            .args(["--header", &format!("Authorization: Bearer {TOKEN}")])
            .args(["--seed", SEED])
            .args(["--max-examples", max_examples])
            .args(["--phases", "examples,coverage,fuzzing,stateful"])
            .args(["--mode", "all"])
            .args(["--workers", "1"])
            .args(["--request-timeout", "10"])
            .args(["--generation-database", "none"])
            .args(["--report", "ndjson", "--report-dir"])
            .arg(&reports)
            .arg("--no-color");
        let name = format!("schemathesis ({name})");
        let (status, output) =
            tokio::task::spawn_blocking(move || run_tool(&name, command, RUN_TIMEOUT))
                .await
                .expect("schemathesis ran");
        (status.success(), output, events(&reports))
    }

    /// The events of the ndjson report.
    fn events(dir: &Path) -> Vec<Value> {
        let mut events = Vec::new();
        for entry in std::fs::read_dir(dir).expect("the report directory") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "ndjson") {
                let text = std::fs::read_to_string(&path).expect("the report");
                events.extend(
                    text.lines()
                        .map(|l| serde_json::from_str::<Value>(l).expect("an event")),
                );
            }
        }
        events
    }

    /// How many times each check ran, and how often it failed, from the report.
    fn check_runs(events: &[Value], check: &str) -> (usize, usize) {
        let mut runs = (0, 0);
        let mut visit = vec![events.iter().collect::<Vec<_>>()];
        while let Some(values) = visit.pop() {
            for value in values {
                match value {
                    Value::Object(map) => {
                        if map.get("name").and_then(Value::as_str) == Some(check) {
                            if let Some(status) = map.get("status").and_then(Value::as_str) {
                                runs.0 += 1;
                                if status != "success" {
                                    runs.1 += 1;
                                }
                            }
                        }
                        visit.push(map.values().collect());
                    }
                    Value::Array(items) => visit.push(items.iter().collect()),
                    _ => {}
                }
            }
        }
        runs
    }

    pub(super) async fn emulator_passes_every_schemathesis_check_with_authentication() {
        let emulator = Emulator::builder()
            .require_token(TOKEN)
            .start()
            .await
            .expect("the emulator starts");

        let (passed, output, events) = schemathesis("emulator", emulator.url(), MAX_EXAMPLES).await;
        assert!(
            passed,
            "schemathesis found failures in the emulator:\n{output}"
        );
        assert!(output.contains("No issues found"), "{output}");
        for phase in ["Examples", "Coverage", "Fuzzing"] {
            assert!(
                output.contains(&format!("✅ {phase}")),
                "the {phase} phase did not pass:\n{output}"
            );
        }
        for check in [
            "ignored_auth",
            "response_schema_conformance",
            "negative_data_rejection",
            "positive_data_acceptance",
        ] {
            let (runs, failures) = check_runs(&events, check);
            assert!(runs > 0, "the {check} check never ran:\n{output}");
            assert_eq!(failures, 0, "the {check} check failed:\n{output}");
        }
        assert!(
            emulator.requests_served() >= 100,
            "only {} requests reached the emulator:\n{output}",
            emulator.requests_served()
        );
    }

    pub(super) async fn schemathesis_fails_a_server_that_ignores_auth_and_drops_a_required_field() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": {"inviteActionResults": [{"id": "inv-1", "message": "no status"}]}
            })))
            .mount(&server)
            .await;

        let (passed, output, events) = schemathesis("broken-server", &server.uri(), "10").await;
        assert!(!passed, "schemathesis passed a broken server:\n{output}");
        for check in ["ignored_auth", "response_schema_conformance"] {
            let (_, failures) = check_runs(&events, check);
            assert!(failures > 0, "the {check} check did not fail:\n{output}");
        }
        assert!(output.contains(ACTION_PATH), "{output}");
    }
}

fn main() {
    use external::{tool_test, Tool};
    use with_emulator::*;
    external::run(&[
        tool_test!(async emulator_passes_every_schemathesis_check_with_authentication, [Tool::Schemathesis]),
        tool_test!(async schemathesis_fails_a_server_that_ignores_auth_and_drops_a_required_field, [Tool::Schemathesis]),
    ])
}
