//! `cargo xtask regenerate`: the loop after an edit of the contract.
//!
//! 1. the build script regenerates the client (a document it cannot turn
//!    into Rust stops here, with the build script's one-line error);
//! 2. the reviewable copy `openapi/generated/client.rs` is refreshed from
//!    the build script's own copy (what the snapshot test compares);
//! 3. the generated-code diff against the committed copy is printed;
//! 4. the facade, emulator and command are checked against the new code: a
//!    place that no longer builds is printed, file and line;
//! 5. the contract's changes are printed, against the committed document
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
                 exit status: 0 done; 1 the change needs a version Cargo.toml does not have,\n\
                 or the facade no longer builds against the new code (the places are printed);\n\
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
    // `cargo check` runs the build script first: its output is there even
    // when the facade no longer compiles against the new generated code.
    let check = output(
        cargo()
            .current_dir(root)
            .args([
                "check",
                "--package",
                "linkedin-invitations",
                "--all-features",
            ])
            .args(["--lib", "--bins", "--examples", "--message-format", "json"]),
    )?;
    let messages = String::from_utf8_lossy(&check.stdout);
    let Some(out_dir) = build_script_out_dir(&messages) else {
        let stderr = String::from_utf8_lossy(&check.stderr);
        // The build script's own one-line error, when it is the cause.
        let cause = stderr
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("error: openapi/"))
            .unwrap_or_else(|| stderr.trim());
        return Err(Failure::usage(format!(
            "the client cannot be generated:\n{cause}"
        )));
    };
    let snapshot = std::path::Path::new(&out_dir).join("client.snapshot.rs");
    std::fs::copy(&snapshot, root.join(SNAPSHOT))
        .map_err(|e| Failure::usage(format!("cannot copy {}: {e}", snapshot.display())))?;
    println!("{SNAPSHOT} refreshed");
    let needs_a_hand = compile_errors(&messages);

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

    let contract_diff = crate::run::contract_diff()?;
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

    section("the facade, emulator and command against the new generated code");
    if needs_a_hand.is_empty() {
        println!("they build: nothing needs a hand");
    } else {
        println!("they no longer build; edit these places (the rest follows the document):");
        for error in &needs_a_hand {
            println!("{error}");
        }
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
        Some(0) if needs_a_hand.is_empty() => ExitCode::SUCCESS,
        Some(0 | 1) => ExitCode::from(1),
        _ => ExitCode::from(2),
    })
}

/// The `out_dir` of this package's build script, from cargo's JSON messages.
fn build_script_out_dir(messages: &str) -> Option<String> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|m| {
            m["reason"] == "build-script-executed"
                && m["package_id"]
                    .as_str()
                    .is_some_and(|id| id.contains("linkedin-invitations"))
        })
        .and_then(|m| m["out_dir"].as_str().map(str::to_owned))
}

/// Each compile error of this package, rendered as rustc prints it.
fn compile_errors(messages: &str) -> Vec<String> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
        .filter(|m| !m["message"]["spans"].as_array().is_some_and(Vec::is_empty))
        .filter_map(|m| m["message"]["rendered"].as_str().map(str::to_owned))
        .collect()
}

fn section(title: &str) {
    println!("\n== {title}");
}
