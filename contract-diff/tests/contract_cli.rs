//! The `contract-diff` binary, run for real: exit codes, error messages,
//! formats, git sources, ignore files and severity overrides.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cli")
        .join(name)
        .display()
        .to_string()
}

/// The repository root: the git sources and the project's contract are read from there.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_contract-diff"))
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh directory for files a test writes.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("contract-diff-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// An unusable document exits 2 with one line naming the file and the problem.
fn assert_unusable(file: &str, problem: &str) {
    let path = data(file);
    for (base, revision) in [
        (path.as_str(), data("base.yaml")),
        (data("base.yaml").as_str(), path.clone()),
    ] {
        let output = run(&["breaking", base, &revision]);
        assert_eq!(output.status.code(), Some(2), "{file}: {}", stderr(&output));
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "one line: {message}");
        assert!(
            message.starts_with(&format!("contract-diff: {path}: ")),
            "{message}"
        );
        assert!(message.contains(problem), "'{problem}' in {message}");
        assert!(stdout(&output).is_empty());
    }
}

#[test]
fn malformed_yaml_or_json_is_unusable() {
    assert_unusable("bad-yaml.yaml", "not valid YAML or JSON");
    assert_unusable("bad-json.json", "not valid YAML or JSON");
}

#[test]
fn documents_other_than_openapi_3_0_or_3_1_are_unusable() {
    assert_unusable(
        "openapi-3.2.yaml",
        "not an OpenAPI 3.0.x or 3.1.x document: found openapi: 3.2.0",
    );
    assert_unusable(
        "swagger-2.0.json",
        "not an OpenAPI 3.0.x or 3.1.x document: found swagger",
    );
}

#[test]
fn unresolvable_references_are_unusable() {
    assert_unusable(
        "dangling-ref.yaml",
        "unresolvable $ref '#/components/schemas/Missing' at #/paths/~1pets/get/responses/200/content/application~1json/schema",
    );
    assert_unusable("external-ref.yaml", "unsupported $ref 'pets.yaml#/Pet'");
}

#[test]
fn a_missing_file_is_unusable() {
    let output = run(&["breaking", "no/such/file.yaml", &data("base.yaml")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("contract-diff: no/such/file.yaml: cannot read: "));
}

#[test]
fn breaking_lists_err_and_warn_and_changelog_adds_info() {
    let breaking = run(&["breaking", &data("base.yaml"), &data("revision.yaml")]);
    assert_eq!(breaking.status.code(), Some(0), "no --fail-on: exit 0");
    let text = stdout(&breaking);
    assert!(
        text.contains("ERR  [response-property-became-optional] GET /pets:"),
        "{text}"
    );
    assert!(
        text.contains("WARN [response-optional-property-removed]"),
        "{text}"
    );
    assert!(
        text.contains("WARN [response-property-enum-value-added]"),
        "{text}"
    );
    assert!(!text.contains("request-parameter-max-increased"), "{text}");
    assert!(text.ends_with("1 error, 2 warnings\n"), "{text}");

    let changelog = stdout(&run(&[
        "changelog",
        &data("base.yaml"),
        &data("revision.yaml"),
    ]));
    assert!(
        changelog.contains("INFO [request-parameter-max-increased]"),
        "{changelog}"
    );
    assert!(
        changelog.ends_with("1 error, 2 warnings, 1 info\n"),
        "{changelog}"
    );
}

#[test]
fn fail_on_sets_the_exit_status() {
    let (base, revision, info_only) = (
        data("base.yaml"),
        data("revision.yaml"),
        data("info-only.yaml"),
    );
    assert_eq!(
        run(&["breaking", &base, &revision, "--fail-on", "ERR"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["breaking", &base, &revision, "--fail-on", "WARN"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["changelog", &base, &info_only, "--fail-on", "WARN"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["breaking", &base, &base, "--fail-on", "WARN"])
            .status
            .code(),
        Some(0)
    );
    for spelling in ["err", "Err", "warn", "WARN"] {
        assert_eq!(
            run(&["breaking", &base, &revision, "--fail-on", spelling])
                .status
                .code(),
            Some(1),
            "--fail-on {spelling}"
        );
    }
    assert_eq!(
        run(&["breaking", &base, &revision, "--fail-on", "INFO"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_output_is_machine_readable() {
    let output = run(&[
        "breaking",
        &data("base.yaml"),
        &data("revision.yaml"),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["summary"]["ERR"], 1);
    assert_eq!(report["summary"]["WARN"], 2);
    let first = &report["changes"][0];
    assert_eq!(first["id"], "response-property-became-optional");
    assert_eq!(first["level"], "ERR");
    assert_eq!(first["operation"]["method"], "GET");
    assert_eq!(first["operation"]["path"], "/pets");
    assert_eq!(first["operation"]["operationId"], "listPets");
}

#[test]
fn markdown_github_actions_and_junit_outputs() {
    let (base, revision) = (data("base.yaml"), data("revision.yaml"));
    let markdown = stdout(&run(&[
        "breaking", &base, &revision, "--format", "markdown",
    ]));
    assert!(
        markdown.contains("| Level | Rule | Operation | Change |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| ERR | `response-property-became-optional` | GET /pets |"),
        "{markdown}"
    );

    let github = stdout(&run(&[
        "breaking",
        &base,
        &revision,
        "--format",
        "githubactions",
    ]));
    let first = github.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!(
            // Line 23 of revision.yaml is the property that became optional.
            "::error title=response-property-became-optional,file={},line=23::GET /pets: ",
            revision.replace(':', "%3A")
        )),
        "{github}"
    );
    assert!(
        github.contains("::warning title=response-optional-property-removed"),
        "{github}"
    );

    // Only what fails the run is a failure: nothing without --fail-on,
    // the one ERR... and the WARNs under --fail-on WARN.
    let junit = |fail_on: &[&str]| {
        let mut args = vec!["changelog", &base, &revision, "--format", "junit"];
        args.extend(fail_on);
        stdout(&run(&args))
    };
    let failures = |xml: &str| xml.matches("<failure ").count();
    assert_eq!(failures(&junit(&[])), 0, "{}", junit(&[]));
    assert_eq!(failures(&junit(&["--fail-on", "ERR"])), 1);
    let junit = junit(&["--fail-on", "WARN"]);
    assert!(
        junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{junit}"
    );
    assert!(
        junit.contains("<testsuites name=\"contract-diff\" tests=\"4\" failures=\"3\">"),
        "{junit}"
    );
    assert!(
        junit.contains(
            "<testcase classname=\"GET /pets\" name=\"request-parameter-max-increased\">"
        ),
        "{junit}"
    );
    assert_eq!(junit.matches("<failure ").count(), 3);
}

#[test]
fn git_sources_read_from_the_repository_history() {
    let at_head = "git:HEAD:openapi/invitations.yaml";
    let output = run(&["changelog", at_head, at_head, "--fail-on", "WARN"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("no changes from git:HEAD:openapi/invitations.yaml"));

    let output = run(&[
        "breaking",
        "git:no-such-revision:openapi/invitations.yaml",
        at_head,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "contract-diff: git:no-such-revision:openapi/invitations.yaml: cannot read: git show"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ignore_files_accept_known_changes_with_a_reason() {
    let (base, revision) = (data("base.yaml"), data("revision.yaml"));
    let output = run(&[
        "breaking",
        &base,
        &revision,
        "--ignore",
        &data("accepted.ignore"),
        "--fail-on",
        "ERR",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("response-property-enum-value-added"),
        "{text}"
    );
    assert!(
        text.ends_with("0 errors, 1 warning (2 ignored)\n"),
        "{text}"
    );

    let output = run(&[
        "breaking",
        &base,
        &revision,
        "--ignore",
        &data("no-reason.ignore"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let expected = format!(
        "contract-diff: {}: line 1: no reason given for ignoring 'response-property-became-optional'\n",
        data("no-reason.ignore")
    );
    assert_eq!(stderr(&output), expected);
}

#[test]
fn severity_overrides_change_levels() {
    let (base, revision) = (data("base.yaml"), data("revision.yaml"));
    let lowered = run(&[
        "breaking",
        &base,
        &revision,
        "--severity",
        "response-property-became-optional=INFO",
        "--severity",
        "response-optional-property-removed=NONE",
        "--fail-on",
        "ERR",
    ]);
    assert_eq!(lowered.status.code(), Some(0), "{}", stdout(&lowered));
    assert!(
        stdout(&lowered).ends_with("0 errors, 1 warning\n"),
        "{}",
        stdout(&lowered)
    );

    let raised = run(&[
        "breaking",
        &base,
        &data("info-only.yaml"),
        "--severity",
        "request-parameter-max-increased=ERR",
        "--fail-on",
        "ERR",
    ]);
    assert_eq!(raised.status.code(), Some(1));

    let unknown = run(&[
        "breaking",
        &base,
        &revision,
        "--severity",
        "no-such-rule=ERR",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown),
        "contract-diff: --severity no-such-rule=ERR: unknown rule id 'no-such-rule'\n"
    );
}

#[test]
fn the_codegen_profile_adds_generated_api_rules() {
    let (base, revision) = (data("base.yaml"), data("revision.yaml"));
    let wire = stdout(&run(&["breaking", &base, &revision]));
    assert!(!wire.contains("codegen-"), "{wire}");
    let codegen = stdout(&run(&[
        "breaking",
        &base,
        &revision,
        "--profile",
        "codegen",
    ]));
    // The generated types are `#[non_exhaustive]` and have `new`: a removed
    // field breaks callers, a new enum member does not.
    assert!(
        codegen.contains("ERR  [codegen-property-removed] GET /pets:"),
        "{codegen}"
    );
    assert!(!codegen.contains("codegen-enum-member-added"), "{codegen}");
    let changelog = stdout(&run(&[
        "changelog",
        &base,
        &revision,
        "--profile",
        "codegen",
    ]));
    assert!(
        changelog.contains("INFO [codegen-enum-member-added] GET /pets:"),
        "{changelog}"
    );
}

#[test]
fn yaml_and_json_spellings_of_one_document_compare_clean() {
    let yaml = workspace_root().join("openapi/invitations.yaml");
    let value: serde_json::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(&yaml).expect("the project document"))
            .expect("YAML");
    let json = scratch("json-spelling").join("invitations.json");
    std::fs::write(&json, serde_json::to_string(&value).expect("JSON")).expect("written");
    let output = run(&[
        "changelog",
        &yaml.display().to_string(),
        &json.display().to_string(),
        "--profile",
        "codegen",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).starts_with("no changes"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_released_document_matches_the_current_one_at_release() {
    let output = run(&[
        "breaking",
        "openapi/released/invitations.yaml",
        "openapi/invitations.yaml",
        "--fail-on",
        "ERR",
    ]);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
}

#[test]
fn rules_lists_the_catalogue() {
    let output = run(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.lines()
            .any(|line| line == "ERR  wire     request-body-became-required"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line == "ERR  codegen  codegen-operation-id-renamed"),
        "{text}"
    );
}

/// Writes `text` as `name` in a scratch directory and returns its path.
fn write(test: &str, name: &str, text: &str) -> String {
    let path = scratch(test).join(name);
    std::fs::write(&path, text).expect("written");
    path.display().to_string()
}

/// A one-operation document whose response schema is `schema` (YAML, indented 10).
fn with_response(schema: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n{schema}"
    )
}

#[test]
fn yaml_merge_keys_are_applied_before_comparing() {
    let anchors = "components:\n  schemas:\n    Base: &base\n      type: object\n";
    let base = format!(
        "{}{anchors}",
        with_response("                $ref: '#/components/schemas/Pet'\n")
    ) + "    Pet:\n      <<: *base\n      properties: {name: {type: string}}\n";
    // The revision requires `name` in the anchor that `Pet` merges.
    let revision = base.replace(
        "    Base: &base\n      type: object\n",
        "    Base: &base\n      type: object\n      required: [name]\n",
    );
    assert_ne!(revision, base);
    let base_path = write("merge", "base.yaml", &base);
    let revision_path = write("merge", "revision.yaml", &revision);
    let output = run(&["changelog", &base_path, &revision_path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("[response-property-became-required]"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn annotations_point_at_the_changed_keyword() {
    let document = |max_length: u32| {
        with_response("                $ref: '#/components/schemas/Pet'\n")
            + "components:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        name:\n          type: string\n"
            + &format!("          maxLength: {max_length}\n")
    };
    let base = write("keyword-line", "base.yaml", &document(10));
    let revision = write("keyword-line", "revision.yaml", &document(20));
    let maximum_line = document(20)
        .lines()
        .position(|line| line.contains("maxLength"))
        .expect("a maxLength line")
        + 1;
    let output = run(&["breaking", &base, &revision, "--format", "githubactions"]);
    let first = stdout(&output);
    assert!(
        first.starts_with(&format!(
            "::error title=response-property-max-length-increased,file={},line={maximum_line}::",
            revision.replace(':', "%3A")
        )),
        "{first}"
    );
    // Outside components too: line 10 of revision.yaml is the parameter's schema.
    let (base, revision) = (data("base.yaml"), data("revision.yaml"));
    let output = run(&["changelog", &base, &revision, "--format", "githubactions"]);
    let expected = format!(
        "::notice title=request-parameter-max-increased,file={},line=10::",
        revision.replace(':', "%3A")
    );
    assert!(stdout(&output).contains(&expected), "{}", stdout(&output));
}

#[test]
fn reference_loops_are_unusable_and_named() {
    let doc = with_response("                $ref: '#/components/schemas/A'\n")
        + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n";
    let path = write("loop", "loop.yaml", &doc);
    let output = run(&["breaking", &path, &data("base.yaml")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("$ref '#/components/schemas/A' at #/paths/~1pets/get/responses/200/content/application~1json/schema loops"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn keys_json_cannot_tell_apart_are_unusable() {
    let doc = data("base.yaml");
    let text = std::fs::read_to_string(&doc).expect("base.yaml");
    let clash = text.replacen(
        "'200':",
        "200:\n          description: a\n        '200':",
        1,
    );
    assert_ne!(clash, text, "base.yaml has a '200' response");
    let path = write("clash", "clash.yaml", &clash);
    let output = run(&["breaking", &path, &doc]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("duplicate key '200'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_field_of_the_wrong_type_is_unusable_and_named() {
    let text = std::fs::read_to_string(data("base.yaml")).expect("base.yaml");
    let cases = [
        (
            "in: query",
            "in: body",
            "#/paths/~1pets/get/parameters/0/in must be query, header, path or cookie",
        ),
        (
            "required: [id, name]",
            "required: yes",
            "#/components/schemas/Pet/required must be a list",
        ),
    ];
    for (from, to, problem) in cases {
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text, "base.yaml has {from}");
        let path = write("shape", "shape.yaml", &changed);
        let output = run(&["breaking", &path, &data("base.yaml")]);
        assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
        let expected = format!("not a valid OpenAPI document: {problem}");
        assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
    }
}

#[test]
fn defects_in_fields_the_comparison_does_not_read_are_warned_about_and_compared() {
    let text = std::fs::read_to_string(data("base.yaml")).expect("base.yaml");
    let edits = [
        ("description: ok", "summary: ok"),
        ("version: 1.0.0", "x-version: 1.0.0"),
    ];
    let mut defective = text.clone();
    for (from, to) in edits {
        let edited = defective.replacen(from, to, 1);
        assert_ne!(edited, defective, "base.yaml has {from}");
        defective = edited;
    }
    defective.push_str(concat!(
        "  securitySchemes:\n",
        "    oauth:\n",
        "      type: oauth2\n",
        "      flows: {clientCredentials: {tokenUrl: 'https://t.example/token'}}\n",
    ));
    let path = write("tolerated", "tolerated.yaml", &defective);
    let output = run(&["changelog", &path, &data("revision.yaml")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let warnings = stderr(&output);
    let expected = [
        "#/info/version is missing",
        "#/paths/~1pets/get/responses/200/description is missing",
        "#/components/securitySchemes/oauth/flows/clientCredentials/scopes is missing",
    ];
    assert_eq!(warnings.lines().count(), expected.len(), "{warnings}");
    for (line, defect) in warnings.lines().zip(expected) {
        assert!(
            line.starts_with(&format!("contract-diff: {path}: warning: {defect}")),
            "{line}"
        );
    }
    // Compared all the same: every change of the clean base is reported.
    let clean = stdout(&run(&[
        "changelog",
        &data("base.yaml"),
        &data("revision.yaml"),
    ]));
    let changes: Vec<&str> = clean.lines().filter(|l| l.contains("] ")).collect();
    assert!(!changes.is_empty(), "{clean}");
    for change in changes {
        assert!(
            stdout(&output).contains(change),
            "{change} in {}",
            stdout(&output)
        );
    }
}

#[test]
fn a_key_json_text_repeats_is_unusable() {
    // JSON parsers keep one of the two silently; which one is not a contract.
    let doc = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"get": {"responses": {"200": {"description": "a"}}}},
                  "/pets": {"post": {"responses": {"200": {"description": "b"}}}}}}"#;
    let path = write("repeat", "repeat.json", doc);
    let output = run(&["breaking", &path, &data("base.yaml")]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("duplicate key '/pets' at #/paths"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_byte_order_mark_before_yaml_is_accepted() {
    let text = std::fs::read_to_string(data("base.yaml")).expect("base.yaml");
    let path = write("bom", "bom.yaml", &format!("\u{feff}{text}"));
    let output = run(&["changelog", &path, &data("base.yaml"), "--fail-on", "WARN"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("no changes"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn endless_or_oversized_input_is_refused() {
    let output = run(&["breaking", "/dev/zero", &data("base.yaml")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("contract-diff: /dev/zero: larger than 67108864 bytes"),
        "{}",
        stderr(&output)
    );
    let small = run(&[
        "breaking",
        &data("base.yaml"),
        &data("base.yaml"),
        "--max-input-bytes",
        "64",
    ]);
    assert_eq!(small.status.code(), Some(2));
    assert!(
        stderr(&small).contains("larger than 64 bytes"),
        "{}",
        stderr(&small)
    );
}

#[test]
fn git_sources_are_never_read_as_git_options() {
    let dir = scratch("git-option");
    let target = dir.join("written-by-git");
    for spec in [
        format!("git:--output={}:x", target.display()),
        format!("git:HEAD:--output={}", target.display()),
    ] {
        let output = run(&["breaking", &spec, &data("base.yaml")]);
        assert_eq!(output.status.code(), Some(2), "{spec}");
    }
    let written: Vec<_> = std::fs::read_dir(&dir).expect("the scratch dir").collect();
    assert!(written.is_empty(), "git wrote {written:?}");
}

#[test]
fn names_from_the_document_cannot_forge_report_lines() {
    let base = with_response("                type: object\n                properties: {}\n");
    let revision = with_response(
        "                type: object\n                properties:\n                  \"x\\n::error title=forged::fake\\u2028\\uffff\": {type: string}\n",
    );
    let (base, revision) = (
        write("forge", "base.yaml", &base),
        write("forge", "revision.yaml", &revision),
    );
    for format in ["text", "githubactions", "markdown"] {
        let output = stdout(&run(&["changelog", &base, &revision, "--format", format]));
        assert!(
            output.contains("response-optional-property-added"),
            "{output}"
        );
        assert!(
            !output.lines().any(|line| line.starts_with("::error")),
            "{format}: {output}"
        );
        assert!(!output.contains('\u{2028}'), "{format}: {output}");
    }
    let junit = stdout(&run(&["changelog", &base, &revision, "--format", "junit"]));
    assert!(!junit.contains('\u{ffff}'), "{junit}");
    assert!(junit.contains("testcase"), "{junit}");
}
