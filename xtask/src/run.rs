//! Running the tools a task drives, and how a task fails.

use std::path::Path;
use std::process::{Command, ExitCode, Output};

/// Why a task stopped, with its exit status.
#[derive(Debug)]
pub struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// The document or the setup is unusable: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn report(self) -> ExitCode {
        eprintln!("error: {}", self.message);
        ExitCode::from(self.code)
    }
}

/// The repository's root (this crate lives in `xtask/`).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the repository")
}

/// Runs `command`, capturing its output; a command that cannot start is a
/// setup failure naming it.
pub fn output(command: &mut Command) -> Result<Output, Failure> {
    command
        .output()
        .map_err(|e| Failure::usage(format!("cannot run {:?}: {e}", command.get_program())))
}

/// The `cargo` that runs this task.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The target directory of the repository's own builds.
pub fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// contract-diff: `$CONTRACT_DIFF`, else built here (quietly, once warm).
pub fn contract_diff() -> Result<std::path::PathBuf, Failure> {
    if let Some(given) = std::env::var_os("CONTRACT_DIFF").filter(|v| !v.is_empty()) {
        let given = std::path::PathBuf::from(given);
        return match given.is_file() {
            true => Ok(given),
            false => Err(Failure::usage(format!(
                "CONTRACT_DIFF is not an executable: {}",
                given.display()
            ))),
        };
    }
    let built = output(cargo().current_dir(root()).args([
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
    Ok(target_dir().join("debug").join("contract-diff"))
}

/// A git revision to compare with, and how it was chosen (for the reader).
#[derive(Clone, Debug)]
pub struct Base {
    pub rev: String,
    pub chosen: String,
}

/// `given` as a base, else the merge base of `HEAD` and the default branch
/// (`origin/HEAD`, else `main`, else `master`): what "this change" means on
/// a branch whether its edits are committed or not. `None` outside git or
/// without such a branch.
pub fn base(given: Option<&str>) -> Option<Base> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .current_dir(root())
            .args(args)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    if let Some(rev) = given {
        let commit = git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])?;
        return Some(Base {
            chosen: format!("{rev} ({})", &commit[..commit.len().min(10)]),
            rev: commit,
        });
    }
    let default = git(&[
        "symbolic-ref",
        "--quiet",
        "--short",
        "refs/remotes/origin/HEAD",
    ])
    .or_else(|| {
        ["main", "master"]
            .into_iter()
            .find(|b| git(&["rev-parse", "--verify", "--quiet", b]).is_some())
            .map(str::to_owned)
    })?;
    let commit = git(&["merge-base", "HEAD", &default])?;
    Some(Base {
        chosen: format!(
            "the merge base of HEAD and {default} ({})",
            &commit[..commit.len().min(10)]
        ),
        rev: commit,
    })
}

/// The tests cargo's output reports failed, and the test targets that failed
/// (`--test cli`, `--lib`...), from libtest's lines.
pub fn failed_tests(text: &str) -> (Vec<&str>, Vec<&str>) {
    let failed = text
        .lines()
        // libtest pads names into a column in some harnesses: trim.
        .filter_map(|l| {
            Some(
                l.strip_prefix("test ")?
                    .strip_suffix(" ... FAILED")?
                    .trim_end(),
            )
        })
        .collect();
    let targets = text
        .lines()
        .filter_map(|l| l.split_once("to rerun pass `")?.1.split_once('`'))
        .map(|(target, _)| target)
        .collect();
    (failed, targets)
}

/// The value after an option, or a usage failure naming the option.
pub fn value<'a>(option: &str, value: Option<&'a String>) -> Result<&'a str, Failure> {
    value
        .map(String::as_str)
        .ok_or_else(|| Failure::usage(format!("{option} needs a value (see --help)")))
}

/// Prints a task's usage: its `--help`.
pub fn help(usage: &str) -> ExitCode {
    println!("{usage}");
    ExitCode::SUCCESS
}
