//! `cargo xtask regenerate`: the loop after an edit of the contract.
//!
//! 1. `cargo check --all-targets --all-features`: the build script
//!    regenerates the client (a document it cannot turn into Rust stops
//!    here, with the build script's one-line error), then every target
//!    (library, command, tests, benches, examples) is checked against it;
//! 2. the reviewable copy `openapi/generated/client.rs` is refreshed from
//!    the build script's own copy (what the snapshot test compares), and its
//!    diff against the base is printed;
//! 3. the semver gate: the contract's changes of this change (against the
//!    base) and since `openapi/released/`, and the version they need;
//! 4. the crate's tests (`--no-tests` skips them, and says so);
//! 5. every place that needs a hand: each compile error, file and line, and
//!    each failing test.
//!
//! The base is the merge base of HEAD and the default branch (or `--base
//! REV`): on a branch, "this change" is the branch's, committed or not.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, ExitCode, Stdio};

use crate::gate;
use crate::run::{self, cargo, root, Failure};

const SNAPSHOT: &str = "openapi/generated/client.rs";
const DOCUMENT: &str = "openapi/invitations.yaml";
const PACKAGE: &str = "linkedin-invitations";

const USAGE: &str = "\
usage: cargo xtask regenerate [--base REV] [--no-tests]

After an edit of openapi/invitations.yaml: regenerates the client and checks
every target of the crate against it, refreshes openapi/generated/client.rs
and prints its diff against the base, runs the semver gate (this change and
since openapi/released/), runs the crate's tests, and names every place that
needs a hand. Cargo's own progress is shown as it goes.

options:
  --base REV   what \"this change\" is compared with (default: the merge base
               of HEAD and the default branch: origin/HEAD, main or master)
  --no-tests   skip the tests (the summary says they were not run)

exit status: 0 every target builds, every test run passes and the version is
right; 1 a place needs a hand, or the change needs a version Cargo.toml does
not have; 2 the document cannot be generated, or a tool is missing";

pub fn main(args: &[String]) -> Result<ExitCode, Failure> {
    let mut base = None;
    let mut tests = true;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(run::help(USAGE)),
            "--no-tests" => tests = false,
            "--base" => base = Some(run::value(arg, args.next())?.to_owned()),
            other => {
                return Err(Failure::usage(format!(
                    "unknown argument `{other}`\n\n{USAGE}"
                )))
            }
        }
    }
    let base = gate::base(base.as_deref())?;
    let root = root();

    section("1/5 regenerate and check every target (cargo check --all-targets --all-features)");
    let check = streamed(cargo().current_dir(root).args([
        "check",
        "--package",
        PACKAGE,
        "--all-features",
        "--all-targets",
        "--message-format",
        "json",
    ]))?;
    let Some(out_dir) = build_script_out_dir(&check.stdout) else {
        // The build script's own one-line error, when it is the cause.
        let cause = check
            .stderr
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("error: openapi/"))
            .unwrap_or_else(|| check.stderr.trim());
        return Err(Failure::usage(format!(
            "the client cannot be generated:\n{cause}"
        )));
    };
    let compile_errors = compile_errors(&check.stdout);
    let library_fails = library_fails(&check.stdout);

    section(&format!("2/5 generated code: {SNAPSHOT} against the base"));
    let snapshot = std::path::Path::new(&out_dir).join("client.snapshot.rs");
    std::fs::copy(&snapshot, root.join(SNAPSHOT))
        .map_err(|e| Failure::usage(format!("cannot copy {}: {e}", snapshot.display())))?;
    println!("{SNAPSHOT} refreshed");
    let against = base.as_ref().map_or("HEAD", |b| b.rev.as_str());
    let status = Command::new("git")
        .current_dir(root)
        .args([
            "--no-pager",
            "diff",
            "--stat",
            "--patch",
            against,
            "--",
            SNAPSHOT,
        ])
        .status()
        .map_err(|e| Failure::usage(format!("cannot run git: {e}")))?;
    if !status.success() {
        return Err(Failure::usage("git diff failed"));
    }

    section("3/5 contract and version: the semver gate");
    let inputs = gate::Inputs {
        current_doc: root.join(DOCUMENT),
        base,
        contract_diff: run::contract_diff()?,
        ..gate::inputs_from_env()
    };
    let report = gate::evaluate(&inputs)?;
    print!("{}", report.render(&inputs));

    section("4/5 tests (cargo test --all-features)");
    let tests = match (tests, compile_errors.is_empty()) {
        (false, _) => Tests::NotRun("--no-tests"),
        (true, false) => Tests::NotRun("the crate does not build (step 1)"),
        (true, true) => {
            let run = streamed(cargo().current_dir(root).args([
                "test",
                "--package",
                PACKAGE,
                "--all-features",
                "--no-fail-fast",
            ]))?;
            let (failed, targets) = run::failed_tests(&run.stdout);
            let failed = failed.into_iter().map(str::to_owned).collect::<Vec<_>>();
            let mut targets: Vec<String> = targets.into_iter().map(str::to_owned).collect();
            targets.extend(
                run::failed_tests(&run.stderr)
                    .1
                    .into_iter()
                    .map(str::to_owned),
            );
            match (run.success, failed.is_empty() && targets.is_empty()) {
                (true, _) => Tests::Passed(counts(&run.stdout)),
                // A failure without a failed test: a doc test or a build.
                (false, true) => Tests::Failed(vec![format!(
                    "cargo test failed: {}",
                    run.stderr
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("")
                )]),
                (false, false) => Tests::Failed(
                    failed
                        .into_iter()
                        .map(|t| format!("test {t} fails"))
                        .chain(targets.into_iter().map(|t| format!("(rerun with {t})")))
                        .collect(),
                ),
            }
        }
    };

    if let Tests::NotRun(why) = &tests {
        println!("not run: {why}");
    }

    section("5/5 what needs a hand");
    for error in &compile_errors {
        println!("{error}");
    }
    if library_fails {
        println!(
            "the library itself does not build: the targets that use it (the command, \
             tests, benches, examples) were not checked; run again once it builds"
        );
    }
    let hands = compile_errors.len() + usize::from(matches!(tests, Tests::Failed(_)));
    match &tests {
        Tests::Passed((passed, 0)) => println!("tests: all {passed} pass"),
        Tests::Passed((passed, ignored)) => println!(
            "tests: {passed} pass; {ignored} ignored did NOT run (a tool test whose tool \
             is missing: `bash .ci/install-tools`; or an #[ignore])"
        ),
        Tests::NotRun(why) => println!("tests: NOT RUN ({why})"),
        Tests::Failed(lines) => lines.iter().for_each(|line| println!("{line}")),
    }
    if !report.judgement.pass {
        println!("version: {}", report.judgement.rule);
    }
    match (hands, &tests) {
        (0, Tests::Passed((_, 0))) => {
            println!("every target builds and every test passes: nothing needs a hand")
        }
        (0, Tests::Passed(_)) => println!(
            "every target builds and every test run passes; the ignored ones above did not run"
        ),
        (0, _) => {
            println!("every target builds; the tests were not run, so that is not the whole answer")
        }
        _ => println!(
            "{hands} place(s) above need a hand (compile errors, failing tests); \
             the rest follows the document"
        ),
    }
    Ok(match hands == 0 && report.judgement.pass {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(1),
    })
}

enum Tests {
    /// Passed, ignored: libtest's totals.
    Passed((usize, usize)),
    NotRun(&'static str),
    Failed(Vec<String>),
}

/// A command's output, shown as it runs.
struct Streamed {
    success: bool,
    stdout: String,
    stderr: String,
}

/// Runs `command`: its stderr (cargo's progress) is shown line by line and
/// kept; its stdout is kept, and shown only where it is a human's line
/// (libtest's summaries and failures, not cargo's JSON messages).
fn streamed(command: &mut Command) -> Result<Streamed, Failure> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::usage(format!("cannot run {:?}: {e}", command.get_program())))?;
    let stderr = child.stderr.take().expect("a piped stderr");
    let shown = std::thread::spawn(move || {
        let mut kept = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            kept.push_str(&line);
            kept.push('\n');
        }
        kept
    });
    let mut stdout = String::new();
    for line in BufReader::new(child.stdout.take().expect("a piped stdout"))
        .lines()
        .map_while(Result::ok)
    {
        if line.starts_with("test result:") || line.ends_with("FAILED") || line.starts_with("----")
        {
            println!("{line}");
            let _ = std::io::stdout().flush();
        }
        stdout.push_str(&line);
        stdout.push('\n');
    }
    let status = child
        .wait()
        .map_err(|e| Failure::usage(format!("cargo: {e}")))?;
    Ok(Streamed {
        success: status.success(),
        stdout,
        stderr: shown.join().unwrap_or_default(),
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
                    .is_some_and(|id| id.contains(PACKAGE))
        })
        .and_then(|m| m["out_dir"].as_str().map(str::to_owned))
}

/// Whether the library target has a compile error (then cargo checks no
/// target that depends on it).
fn library_fails(messages: &str) -> bool {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
        .any(|m| {
            m["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "lib"))
                && m["target"]["test"] == false
        })
}

/// The passed and ignored tests of every libtest summary in `stdout`.
fn counts(stdout: &str) -> (usize, usize) {
    let count = |line: &str, word: &str| -> usize {
        line.split(';')
            .find_map(|part| {
                part.trim()
                    .strip_suffix(word)?
                    .trim()
                    .rsplit(' ')
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    };
    stdout
        .lines()
        .filter(|line| line.starts_with("test result:"))
        .fold((0, 0), |(passed, ignored), line| {
            (
                passed + count(line, "passed"),
                ignored + count(line, "ignored"),
            )
        })
}

/// Each compile error of this package, in any target, rendered as rustc
/// prints it (file and line included), each once.
fn compile_errors(messages: &str) -> Vec<String> {
    let mut errors: Vec<String> = Vec::new();
    let rendered = messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
        .filter(|m| !m["message"]["spans"].as_array().is_some_and(Vec::is_empty))
        .filter_map(|m| m["message"]["rendered"].as_str().map(str::to_owned));
    for error in rendered {
        // A test and the library compiled twice report one place twice.
        if !errors.contains(&error) {
            errors.push(error);
        }
    }
    errors
}

fn section(title: &str) {
    println!("\n== {title}");
    let _ = std::io::stdout().flush();
}

#[cfg(test)]
mod tests {
    use super::counts;

    #[test]
    fn the_summary_counts_what_libtest_reports() {
        let stdout = "test result: ok. 50 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.71s\n\
                      test x ... ok\n\
                      test result: ok. 0 passed; 0 failed; 4 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
                      test result: ok. 13 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 14.73s\n";
        assert_eq!(counts(stdout), (63, 5));
    }
}
