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
            let script = dir.join(format!(
                "build-script-build{}",
                std::env::consts::EXE_SUFFIX
            ));
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
    assert_one_line_failure(&run, "not an OpenAPI 3.0 document");
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
    assert_one_line_failure(&run, "cannot generate a client");
}
