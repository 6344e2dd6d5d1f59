//! The build script turns a document it cannot use into one line naming the
//! file and the cause (no panic backtrace), and a good one into the client.
//!
//! It runs the real, already-compiled build script against documents in a
//! scratch directory, exactly as cargo runs it (cwd = the package root).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The newest compiled build script of this package.
fn build_script() -> PathBuf {
    let target = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .to_path_buf();
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(target.join("build"))
        .unwrap()
        .filter_map(|entry| {
            let dir = entry.ok()?.path();
            let name = dir.file_name()?.to_str()?.to_owned();
            // Cargo names it after the script's file: `build/main.rs`.
            let script = dir.join(format!("build-script-main{}", std::env::consts::EXE_SUFFIX));
            (name.starts_with("linkedin-invitations-") && script.exists()).then_some(script)
        })
        .collect();
    scripts.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    scripts
        .pop()
        .expect("cargo compiled the build script before the tests")
}

struct Run {
    ok: bool,
    stderr: String,
    generated: Option<String>,
}

fn run_with_document(name: &str, document: &str) -> Run {
    let dir = std::env::temp_dir().join(format!("build-script-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("openapi")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("openapi/invitations.yaml"), document).unwrap();
    let output = Command::new(build_script())
        .current_dir(&dir)
        .env("OUT_DIR", dir.join("out"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let generated = std::fs::read_to_string(dir.join("out/generated.rs")).ok();
    std::fs::remove_dir_all(&dir).unwrap();
    Run {
        ok: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        generated,
    }
}

fn assert_one_line_failure(run: &Run, cause: &str) {
    assert!(!run.ok, "the build must fail");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line, no backtrace:\n{}", run.stderr);
    assert!(
        lines[0].starts_with("error: openapi/invitations.yaml: "),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(cause),
        "{} should mention {cause}",
        lines[0]
    );
    assert!(run.generated.is_none());
}

const CONTRACT: &str = include_str!("../openapi/invitations.yaml");

#[test]
fn the_real_contract_generates_the_client_without_api_version_leaking_into_src() {
    let run = run_with_document("ok", CONTRACT);
    assert!(run.ok, "{}", run.stderr);
    let code = run.generated.unwrap();
    assert!(code.contains("pub fn invitee_closing_invitation"));
    assert!(code.contains("pub struct InviteeClosingInvitationRequest"));
}

#[test]
fn yaml_that_does_not_parse_fails_with_one_line() {
    let run = run_with_document("yaml", "openapi: 3.0.3\ninfo: [unclosed\n");
    assert_one_line_failure(&run, "not YAML or JSON");
}

#[test]
fn a_document_that_is_not_openapi_fails_with_one_line() {
    let run = run_with_document("shape", "openapi: 3.0.3\ntitle: no info, no paths\n");
    assert_one_line_failure(&run, "missing field");
}

#[test]
fn a_document_progenitor_cannot_generate_fails_with_one_line_not_a_panic() {
    // An operation without an operationId: progenitor cannot name the method.
    let broken = CONTRACT.replace("      operationId: inviteeClosingInvitation\n", "");
    assert_ne!(broken, CONTRACT);
    let run = run_with_document("codegen", &broken);
    assert_one_line_failure(
        &run,
        "#/paths/~1linkedIn~1invitations~1inviteeClosingInvitation/post has no operationId",
    );
}

/// The contract with one more optional property on the response item.
fn with_response_property(name: &str, schema: &str) -> String {
    let anchor = "        message:\n          type: string\n          description: A human-readable explanation of the outcome.\n";
    assert!(
        CONTRACT.contains(anchor),
        "the response item's last property moved"
    );
    CONTRACT.replace(anchor, &format!("{anchor}        {name}:\n{schema}"))
}

#[test]
fn every_string_integer_and_number_format_generates_a_type_this_crate_provides() {
    // (format lines, the Rust type the build maps it to)
    let formats = [
        (
            "type: string\n          format: date-time",
            "::chrono::DateTime<::chrono::offset::Utc>",
        ),
        (
            "type: string\n          format: date",
            "::chrono::naive::NaiveDate",
        ),
        ("type: string\n          format: uuid", "::uuid::Uuid"),
        (
            "type: string\n          format: time",
            "::std::string::String",
        ),
        (
            "type: string\n          format: duration",
            "::std::string::String",
        ),
        (
            "type: string\n          format: byte",
            "::std::string::String",
        ),
        (
            "type: string\n          format: binary",
            "::std::string::String",
        ),
        ("type: integer\n          format: int64", "i64"),
        ("type: number\n          format: float", "f32"),
        ("type: number\n          format: double", "f64"),
        (
            "type: string\n          nullable: true",
            "::std::string::String",
        ),
    ];
    for (schema, rust) in formats {
        let document = with_response_property("added", &format!("          {schema}\n"));
        let run = run_with_document("format", &document);
        assert!(run.ok, "{schema}: {}", run.stderr);
        let code = run.generated.unwrap();
        assert!(
            code.contains(&format!("pub added: ::std::option::Option<{rust}>")),
            "{schema} should be Option<{rust}>"
        );
    }
}

#[test]
fn generated_types_are_non_exhaustive_with_a_constructor_of_the_required_properties() {
    let run = run_with_document("shape", CONTRACT);
    let code = run.generated.expect("the contract generates");
    let status = code
        .split("pub struct InviteActionStatus {")
        .next()
        .and_then(|before| before.rsplit("#[derive(").next())
        .unwrap();
    assert!(status.contains("#[non_exhaustive]"), "{status}");
    let constructor = code
        .split("impl InviteActionStatus {")
        .find(|part| part.trim_start().starts_with("///Builds the value"))
        .expect("a constructor after the type");
    let signature = &constructor[..constructor.find("-> Self").unwrap()];
    // `id` and `status` are required; `message` is not a parameter.
    assert!(
        signature.contains("id: ::std::string::String"),
        "{signature}"
    );
    assert!(signature.contains("status: i32"), "{signature}");
    assert!(!signature.contains("message"), "{signature}");
    assert!(code.contains("pub const ALL: &'static [Self] = &[Self::Accept, Self::Ignore];"));
}

#[test]
fn constructs_the_generator_cannot_handle_are_refused_with_their_json_pointer() {
    let operation = "#/paths/~1linkedIn~1invitations~1inviteeClosingInvitation/post";
    let cases = [
        (
            CONTRACT.replace("openapi: 3.0.3", "openapi: 3.1.0"),
            "#/openapi is \"3.1.0\"".to_owned(),
        ),
        (
            CONTRACT.replace(
                "      requestBody:\n        required: true\n        content:\n",
                "      requestBody:\n        required: true\n        content:\n          text/plain:\n            schema:\n              type: string\n",
            ),
            format!("{operation}/requestBody/content offers 2 media types"),
        ),
        (
            CONTRACT.replace(
                "        4XX:\n",
                "        '201':\n          description: other\n          content:\n            application/json:\n              schema:\n                type: string\n        4XX:\n",
            ),
            format!("{operation}/responses/201 has a second success body type"),
        ),
        (
            with_response_property("added", "          type: [string, 'null']\n"),
            "#/components/schemas/InviteActionStatus/properties/added/type is".to_owned(),
        ),
        (
            with_response_property("added", "          type: string\n          pattern: '(unclosed'\n"),
            "#/components/schemas/InviteActionStatus/properties/added/pattern is not an ECMAScript regular expression".to_owned(),
        ),
    ];
    for (document, pointer) in cases {
        assert_ne!(document, CONTRACT, "the edit for {pointer} did not apply");
        let run = run_with_document("refused", &document);
        assert_one_line_failure(&run, &pointer);
    }
}
