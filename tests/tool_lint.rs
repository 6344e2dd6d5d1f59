//! Lint: Spectral (`spectral:oas`, failing on warnings too), Redocly
//! (`recommended-strict`) and openapi-spec-validator find no problem in any
//! document under `openapi/`, and each of them does fail on a broken copy
//! (a dangling `$ref`; an example that violates its schema), so a broken
//! document fails CI.

mod external;

use std::path::{Path, PathBuf};
use std::time::Duration;

use external::{repo, run_tool, scratch_dir, Tool};
use serde_json::Value;

const LINT_TIMEOUT: Duration = Duration::from_secs(60);

/// Every OpenAPI document under `openapi/`, sub-directories included (the
/// released snapshot in `openapi/released/` too).
fn documents() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut directories = vec![repo().join("openapi")];
    while let Some(directory) = directories.pop() {
        for entry in std::fs::read_dir(&directory).expect("openapi/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                directories.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(
        found.iter().any(|p| p.ends_with(external::SPEC)),
        "{} is not among the documents found: {found:?}",
        external::SPEC
    );
    found
}

/// The output with every line cut to `max` characters: openapi-spec-validator
/// prints the whole document on one line when a `$ref` dangles.
fn clipped(output: &str, max: usize) -> String {
    output
        .lines()
        .map(|line| match line.char_indices().nth(max) {
            Some((at, _)) => format!("{}… ({} more bytes)", &line[..at], line.len() - at),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs one linter on one document: (passed, output).
fn lint(tool: Tool, document: &Path) -> (bool, String) {
    let mut command = tool.command();
    match tool {
        Tool::Spectral => {
            // `-F hint`: any result, warnings and hints included, fails.
            command
                .args(["lint", "--ruleset"])
                .arg(repo().join(".spectral.yaml"))
                .args(["--fail-severity", "hint", "--format", "text"])
                .arg(document);
        }
        Tool::Redocly => {
            // recommended-strict turns every rule of `recommended` into an error.
            command
                .args([
                    "lint",
                    "--extends",
                    "recommended-strict",
                    "--format",
                    "codeframe",
                ])
                .arg(document);
        }
        Tool::OpenapiSpecValidator => {
            command.arg(document);
        }
        Tool::Prism | Tool::Schemathesis => unreachable!("not a linter"),
    }
    let (status, output) = run_tool(&format!("{tool:?}"), command, LINT_TIMEOUT);
    (status.success(), clipped(&output, 400))
}

fn assert_clean(tool: Tool) {
    for document in documents() {
        let (passed, output) = lint(tool, &document);
        assert!(
            passed,
            "{tool:?} reports problems in {}:\n{output}",
            document.display()
        );
    }
}

fn spectral_oas_ruleset_reports_nothing_not_even_a_warning() {
    assert_clean(Tool::Spectral);
}

fn redocly_recommended_strict_reports_no_problem() {
    assert_clean(Tool::Redocly);
}

fn openapi_spec_validator_accepts_every_document() {
    assert_clean(Tool::OpenapiSpecValidator);
}

/// A copy of the contract, as JSON, with `change` applied.
fn broken_copy(name: &str, change: impl FnOnce(&mut Value)) -> PathBuf {
    let mut document = external::document();
    change(&mut document);
    let path = scratch_dir("lint").join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(&document).expect("JSON");
    std::fs::write(&path, text).expect("the broken copy is written");
    path
}

/// Every string value of `key`, anywhere in `value`, replaced with `to`;
/// how many there were.
fn replace_strings(value: &mut Value, key: &str, to: &str) -> usize {
    match value {
        Value::Object(object) => object
            .iter_mut()
            .map(|(k, child)| match child {
                Value::String(s) if k == key => {
                    *s = to.to_owned();
                    1
                }
                _ => replace_strings(child, key, to),
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(|i| replace_strings(i, key, to)).sum(),
        _ => 0,
    }
}

fn assert_rejects(tool: Tool, document: &Path, mentions: &str) {
    let (passed, output) = lint(tool, document);
    assert!(
        !passed,
        "{tool:?} accepted the broken document {}:\n{output}",
        document.display()
    );
    assert!(
        output.contains(mentions),
        "{tool:?} rejected {} without naming {mentions:?}:\n{output}",
        document.display()
    );
}

fn every_linter_rejects_a_dangling_ref() {
    let document = broken_copy("dangling-ref", |document| {
        let body = &mut document["components"]["schemas"]["InviteeClosingInvitationRequest"];
        let replaced = replace_strings(body, "$ref", "#/components/schemas/InviteActionDatum");
        assert!(replaced > 0, "the request body refers to its parts");
    });
    assert_rejects(Tool::Spectral, &document, "invalid-ref");
    assert_rejects(Tool::Redocly, &document, "no-unresolved-refs");
    assert_rejects(Tool::OpenapiSpecValidator, &document, "InviteActionDatum");
}

fn spectral_and_redocly_reject_an_example_that_violates_its_schema() {
    // A value outside InviteeActionType in every example that names an
    // action. openapi-spec-validator checks structure only, not examples, so
    // it is not asked here.
    let document = broken_copy("example-violates-schema", |document| {
        let wrong = external::not_an_action(document);
        let replaced = replace_strings(&mut document["paths"], "inviteeActionType", &wrong);
        assert!(replaced > 0, "the request examples name an action");
    });
    assert_rejects(Tool::Spectral, &document, "oas3-valid-media-example");
    assert_rejects(Tool::Redocly, &document, "no-invalid-media-type-examples");
}

fn a_missing_tool_is_a_plain_skip_on_a_laptop_and_a_failure_in_ci() {
    use external::{in_ci, when_missing, Missing};

    assert_eq!(when_missing("t", &[], true), Missing::None);
    let Missing::Skip(line) = when_missing("lint_x", &[Tool::Spectral, Tool::Redocly], false)
    else {
        panic!("outside CI a missing tool skips");
    };
    assert!(
        line.starts_with("SKIPPED lint_x: Spectral, Redocly not installed"),
        "{line}"
    );
    assert!(
        line.contains("bash .ci/install-tools && cargo test"),
        "{line}"
    );
    assert!(matches!(
        when_missing("lint_x", &[Tool::Prism], true),
        Missing::Fail(why) if why.contains("in CI a missing tool is a failure")
    ));
    assert!(in_ci(Some("true")) && in_ci(Some("1")));
    assert!(!in_ci(None) && !in_ci(Some("")) && !in_ci(Some("false")) && !in_ci(Some("0")));
}

fn a_missing_tool_is_never_reported_as_passed_even_when_ignored_tests_are_asked_for() {
    use external::{trials, ToolTest};
    use libtest_mimic::Arguments;

    let tests = [ToolTest {
        name: "needs_prism",
        tools: &[Tool::Prism],
        body: || {},
    }];
    // Their report goes to a file: this run's own output stays this test's.
    let log = external::scratch_dir("harness").join("trials.log");
    let quiet = Arguments {
        quiet: true,
        test_threads: Some(1),
        logfile: Some(log.to_string_lossy().into_owned()),
        ..Arguments::default()
    };
    for (ci, arguments, ignored, failed) in [
        (false, quiet.clone(), 1, 0),
        (
            false,
            Arguments {
                include_ignored: true,
                ..quiet.clone()
            },
            0,
            1,
        ),
        (
            false,
            Arguments {
                ignored: true,
                ..quiet.clone()
            },
            0,
            1,
        ),
        (true, quiet.clone(), 0, 1),
    ] {
        let conclusion = libtest_mimic::run(&arguments, trials(&tests, ci, |_| false));
        let seen = (
            conclusion.num_passed,
            conclusion.num_ignored,
            conclusion.num_failed,
        );
        assert_eq!(
            seen,
            (0, ignored, failed),
            "CI {ci}, --include-ignored {}, --ignored {}: (passed, ignored, failed)",
            arguments.include_ignored,
            arguments.ignored
        );
    }
}

fn tool_test_time_limits_scale_with_tool_test_time_scale() {
    use external::scaled;

    let base = Duration::from_secs(50);
    assert_eq!(scaled(base, None), Ok(base));
    assert_eq!(scaled(base, Some("")), Ok(base));
    assert_eq!(scaled(base, Some("3")), Ok(Duration::from_secs(150)));
    assert_eq!(scaled(base, Some("0.5")), Ok(Duration::from_secs(25)));
    for bad in ["0", "-1", "three", "NaN", "inf"] {
        let why = scaled(base, Some(bad)).expect_err(bad);
        assert!(why.contains("TOOL_TEST_TIME_SCALE"), "{why}");
    }
}

fn main() {
    use external::{tool_test, Tool};
    external::run(&[
        tool_test!(
            spectral_oas_ruleset_reports_nothing_not_even_a_warning,
            [Tool::Spectral]
        ),
        tool_test!(
            redocly_recommended_strict_reports_no_problem,
            [Tool::Redocly]
        ),
        tool_test!(
            openapi_spec_validator_accepts_every_document,
            [Tool::OpenapiSpecValidator]
        ),
        tool_test!(
            every_linter_rejects_a_dangling_ref,
            [Tool::Spectral, Tool::Redocly, Tool::OpenapiSpecValidator]
        ),
        tool_test!(
            spectral_and_redocly_reject_an_example_that_violates_its_schema,
            [Tool::Spectral, Tool::Redocly]
        ),
        tool_test!(
            a_missing_tool_is_a_plain_skip_on_a_laptop_and_a_failure_in_ci,
            []
        ),
        tool_test!(
            a_missing_tool_is_never_reported_as_passed_even_when_ignored_tests_are_asked_for,
            []
        ),
        tool_test!(tool_test_time_limits_scale_with_tool_test_time_scale, []),
    ])
}
