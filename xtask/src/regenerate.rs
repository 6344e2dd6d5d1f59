//! `cargo xtask regenerate`: the loop after an edit of the contract.
//!
//! 1. the build script regenerates the client (a document it cannot turn
//!    into Rust stops here, with the build script's one-line error);
//! 2. the reviewable copy `openapi/generated/client.rs` is refreshed by the
//!    snapshot test, so the header and the text are the test's own;
//! 3. the generated-code diff against the committed copy is printed;
//! 4. the contract's changes are printed, against the committed document
//!    (this edit) and against `openapi/released/` (the release), and the
//!    semver gate says which version the changes need.

use std::process::{Command, ExitCode, Stdio};

use crate::run::{cargo, output, root, Failure};

const SNAPSHOT: &str = "openapi/generated/client.rs";

pub fn main(args: &[String]) -> Result<ExitCode, Failure> {
    if let Some(arg) = args.first() {
        if arg == "-h" || arg == "--help" {
            println!(
                "usage: cargo xtask regenerate\n\n\
                 Regenerates the client from openapi/invitations.yaml, refreshes {SNAPSHOT},\n\
                 prints its diff against the committed copy, the contract changes since\n\
                 openapi/released/invitations.yaml and the version bump the change needs.\n\n\
                 exit status: 0 done; 1 the change needs a version Cargo.toml does not have;\n\
                 2 the document cannot be generated, or a tool is missing"
            );
            return Ok(ExitCode::SUCCESS);
        }
        return Err(Failure::usage(format!(
            "regenerate takes no argument, got `{arg}`"
        )));
    }
    let root = root();

    section("regenerate");
    let refresh = output(
        cargo()
            .current_dir(root)
            .env("UPDATE_SNAPSHOT", "1")
            .args(["test", "--quiet", "--package", "linkedin-invitations"])
            .args(["--test", "generated_snapshot"]),
    )?;
    if !refresh.status.success() {
        let stderr = String::from_utf8_lossy(&refresh.stderr);
        // The build script's own error line, when it is the cause.
        let cause = stderr
            .lines()
            .find(|line| {
                line.starts_with("  error: openapi/") || line.starts_with("error: openapi/")
            })
            .map(str::trim)
            .unwrap_or_else(|| stderr.trim());
        return Err(Failure::usage(format!(
            "the client cannot be regenerated:\n{cause}"
        )));
    }
    println!("{SNAPSHOT} refreshed");

    section(&format!(
        "generated code: {SNAPSHOT} against the committed copy"
    ));
    let status = Command::new("git")
        .current_dir(root)
        .args(["--no-pager", "diff", "--stat", "--patch", "--", SNAPSHOT])
        .status()
        .map_err(|e| Failure::usage(format!("cannot run git: {e}")))?;
    if !status.success() {
        return Err(Failure::usage("git diff failed"));
    }

    let contract_diff = build_contract_diff()?;
    for (title, base) in [
        (
            "contract: this edit (against the committed document)",
            "git:HEAD:openapi/invitations.yaml",
        ),
        (
            "contract: every change since the release",
            "openapi/released/invitations.yaml",
        ),
    ] {
        section(&format!("{title}, --profile codegen"));
        let changelog = output(Command::new(&contract_diff).current_dir(root).args([
            "changelog",
            base,
            "openapi/invitations.yaml",
            "--profile",
            "codegen",
        ]))?;
        print!("{}", String::from_utf8_lossy(&changelog.stdout));
        eprint!("{}", String::from_utf8_lossy(&changelog.stderr));
    }

    section("version");
    let gate = Command::new("bash")
        .current_dir(root)
        .arg(".ci/semver-gate")
        .env("CONTRACT_DIFF", &contract_diff)
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| Failure::usage(format!("cannot run .ci/semver-gate: {e}")))?;
    Ok(match gate.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(1) => ExitCode::from(1),
        _ => ExitCode::from(2),
    })
}

/// Builds the contract-diff binary and gives its path.
fn build_contract_diff() -> Result<std::path::PathBuf, Failure> {
    let root = root();
    let built = output(cargo().current_dir(root).args([
        "build",
        "--quiet",
        "--package",
        "contract-diff",
        "--bin",
        "contract-diff",
    ]))?;
    if !built.status.success() {
        return Err(Failure::usage(format!(
            "cannot build contract-diff:\n{}",
            String::from_utf8_lossy(&built.stderr).trim()
        )));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("debug").join("contract-diff"))
}

fn section(title: &str) {
    println!("\n== {title}");
}
