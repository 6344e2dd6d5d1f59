//! `cargo xtask contract-check` (`.ci/contract-check` wraps it): the
//! contract checks of every change, as one command that runs them all and
//! reports each, whatever the first finds.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::gate;
use crate::run::{self, output, root, Failure};

const USAGE: &str = "\
usage: .ci/contract-check [BASE_REF]
   or: cargo xtask contract-check [--base REV]

The contract checks a team runs on every change, every one of them run and
reported even when an earlier one finds a break:

  1. wire, since the release: `contract-diff breaking` (oasdiff's rules, the
     ignore file applied) from RELEASED_DIR's document, failing on ERR;
  2. wire, this change: the same from the document at the base revision;
  3. Rust API and version: the semver gate (codegen profile), for this change
     and since the release (`cargo xtask semver-gate --help`).

The base is BASE_REF (the argument, --base or the variable), else the merge
base of HEAD and the default branch. Under GitHub Actions
(GITHUB_ACTIONS=true) every finding is an annotation.

environment:
  CONTRACT_DOC    the document (default: openapi/invitations.yaml)
  RELEASED_DIR    the release's document and VERSION (default: released/
                  beside the document)
  CONTRACT_IGNORE the ignore file (default: contract-diff.ignore beside the
                  document, applied when it exists)
  CONTRACT_DIFF   a built contract-diff (default: built here with cargo)

exit status: 0 pass; 1 a breaking change (or one without its version bump);
2 unusable input or setup (wins over 1).";

pub fn main(args: &[String]) -> Result<ExitCode, Failure> {
    let mut base = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(run::help(USAGE)),
            "--base" => base = Some(run::value(arg, args.next())?.to_owned()),
            rev if !rev.starts_with('-') && base.is_none() => base = Some(rev.to_owned()),
            other => {
                return Err(Failure::usage(format!(
                    "unknown argument `{other}`\n\n{USAGE}"
                )))
            }
        }
    }
    let mut inputs = gate::inputs_from_env();
    inputs.contract_diff = run::contract_diff()?;
    inputs.base = gate::base(base.as_deref())?;

    // Each step's verdict: 0 pass, 1 a break, 2 unusable.
    let mut verdicts: Vec<(String, u8)> = Vec::new();
    let released = gate::shown(&inputs.released_doc);
    verdicts.push(wire("wire changes since the release", &released, &inputs));
    let at_base = inputs.base.as_ref().and_then(|base| {
        let path = gate::repository_path(&inputs.current_doc)?;
        gate::git_has(&base.rev, &path)
            .then(|| (format!("git:{}:{path}", base.rev), base.chosen.clone()))
    });
    match at_base {
        Some((spec, chosen)) => verdicts.push(wire(
            &format!("wire changes of this change (against {chosen})"),
            &spec,
            &inputs,
        )),
        None => println!(
            "\n== contract-check: wire changes of this change: skipped (no base revision, or \
             the base has no {})",
            gate::shown(&inputs.current_doc)
        ),
    }

    println!("\n== contract-check: Rust API and version (the semver gate)");
    let gate = match gate::report(&inputs) {
        Ok(pass) => u8::from(!pass),
        Err(failure) => {
            eprintln!("semver-gate: {}", failure.message());
            2
        }
    };
    verdicts.push(("Rust API and version".to_owned(), gate));

    println!("\n== contract-check: summary");
    for (step, verdict) in &verdicts {
        let said = match verdict {
            0 => "pass",
            1 => "FAIL",
            _ => "UNUSABLE",
        };
        println!("{said:<8} {step}");
    }
    let worst = verdicts.iter().map(|(_, v)| *v).max().unwrap_or(0);
    Ok(ExitCode::from(worst))
}

/// `contract-diff breaking BASE DOC --fail-on ERR`, the ignore file applied.
fn wire(step: &str, base: &str, inputs: &gate::Inputs) -> (String, u8) {
    println!("\n== contract-check: {step}");
    let annotations = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let mut command = Command::new(&inputs.contract_diff);
    command
        .current_dir(root())
        .arg("breaking")
        .arg(base)
        // Relative to the repository: annotations carry it as `file=`.
        .arg(gate::shown(&inputs.current_doc))
        .args(["--fail-on", "ERR", "--format"])
        .arg(if annotations { "githubactions" } else { "text" });
    if let Some(ignore) = ignore_file(&inputs.current_doc) {
        command.arg("--ignore").arg(ignore);
    }
    let verdict = match output(&mut command) {
        Ok(run) => {
            print!("{}", String::from_utf8_lossy(&run.stdout));
            eprint!("{}", String::from_utf8_lossy(&run.stderr));
            match run.status.code() {
                Some(0) => 0,
                Some(1) => 1,
                _ => 2,
            }
        }
        Err(failure) => {
            eprintln!("contract-check: {}", failure.message());
            2
        }
    };
    (step.to_owned(), verdict)
}

/// `CONTRACT_IGNORE`, else `contract-diff.ignore` beside the document when
/// it exists.
fn ignore_file(document: &Path) -> Option<PathBuf> {
    match std::env::var_os("CONTRACT_IGNORE").filter(|v| !v.is_empty()) {
        Some(given) => Some(root().join(given)),
        None => Some(document.parent()?.join("contract-diff.ignore")).filter(|p| p.is_file()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The docs show the one workflow a team copies: the file itself.
    #[test]
    fn the_documented_workflow_is_the_workflow_file() {
        let read = |path: &str| std::fs::read_to_string(root().join(path)).unwrap();
        let workflow = read(".github/workflows/contract.yml");
        let docs = read("docs/contract-diff.md");
        let shown = docs
            .split_once("```yaml\n# .github/workflows/contract.yml\n")
            .and_then(|(_, rest)| rest.split_once("```"))
            .map(|(block, _)| block)
            .expect("docs/contract-diff.md shows .github/workflows/contract.yml");
        assert_eq!(shown, workflow);
        assert!(workflow.contains("cargo xtask contract-check"));
        assert_eq!(workflow.matches("openapi/invitations.yaml").count(), 1);
    }
}
