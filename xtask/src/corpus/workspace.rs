//! The copy of the committed crate the corpus edits, and the tools run in it.
//!
//! The copy lives at one path, `<target>/edits/work`, and builds into one
//! `CARGO_TARGET_DIR`, so that an edit rebuilds only what the document
//! changes (the generated code and what depends on it), from edit to edit
//! and from run to run. It is extracted with fresh modification times, so
//! that no file of a new extraction looks older than last run's build.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{document_text, seconds, Verdict};
use crate::gate;
use crate::run::{cargo, output, root, Failure};

const DOCUMENT: &str = "openapi/invitations.yaml";
const PACKAGE: &str = "linkedin-invitations";
/// The packages built from the document: the client, the emulator (its
/// request schema) and the command.
const PACKAGES: [&str; 6] = [
    "--package",
    PACKAGE,
    "--package",
    "linkedin-invitations-emulator",
    "--package",
    "linkedin-invitations-cli",
];

pub struct Copy {
    /// `<target>/edits`: the copy, its logs and the documents the gate reads.
    state: PathBuf,
    work: PathBuf,
    target: PathBuf,
    contract_diff: PathBuf,
    unedited: Value,
    unedited_rustdoc: Option<PathBuf>,
}

/// What a step or a tool gave.
pub struct Outcome {
    pub passed: bool,
    /// For the gate and cargo-semver-checks: their verdict (`None`: no
    /// verdict, the tool failed), the rule or lint ids they named.
    pub verdict: Option<Verdict>,
    pub names: Vec<String>,
    /// One line: the verdict, or the first error.
    pub detail: String,
    pub time: Duration,
}

impl Outcome {
    pub fn short(&self) -> String {
        match self.verdict {
            Some(_) => self.detail.clone(),
            None if self.passed => format!("ok {}", seconds(self.time)),
            None => format!("FAILED {}", seconds(self.time)),
        }
    }
}

impl Copy {
    /// Extracts HEAD into `<target>/edits/work`, builds contract-diff and
    /// checks the unedited copy: the gate sees no change, every target compiles.
    pub fn create(target: &Path, semver_checks: bool) -> Result<Copy, Failure> {
        let state = target.join("edits");
        let work = state.join("work");
        for dir in [&work, &state.join("logs"), &state.join("rustdoc")] {
            if dir.exists() {
                std::fs::remove_dir_all(dir)
                    .map_err(|e| Failure::usage(format!("cannot remove {}: {e}", dir.display())))?;
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
        }
        extract_head(&work)?;
        link_tools(&work)?;

        let committed = read(&work.join(DOCUMENT))?;
        let unedited: Value = serde_yaml_ng::from_str(&committed)
            .map_err(|e| Failure::usage(format!("{DOCUMENT} is not YAML: {e}")))?;
        write(&state.join("committed.yaml"), &committed)?;
        let version = crate::version::of_manifest(&work.join("Cargo.toml"))?;
        // The gate compares with the unedited document at the crate's own
        // version: a breaking edit has no bump, so it must fail.
        write(&state.join("VERSION"), &format!("{version}\n"))?;

        let mut copy = Copy {
            contract_diff: target.join("debug").join("contract-diff"),
            state,
            work,
            target: target.to_owned(),
            unedited,
            unedited_rustdoc: None,
        };
        let built = copy.cargo_step(
            "setup.contract-diff",
            copy.cargo()
                .args(["build", "--locked", "--package", "contract-diff"])
                .args(["--bin", "contract-diff"]),
        )?;
        if !built.passed {
            return Err(Failure::usage(format!(
                "cannot build contract-diff in the copy: {}",
                built.detail
            )));
        }

        // The document as the corpus writes it (JSON) is the committed one.
        copy.write_document(&copy.unedited)?;
        let gate = copy.gate_against(&copy.state.join("committed.yaml"), "setup")?;
        if gate.verdict != Some(Verdict::Compatible) || !gate.detail.starts_with("no change") {
            return Err(Failure::usage(format!(
                "the unedited document, rewritten as JSON, is not the committed one for the gate: {}",
                gate.detail
            )));
        }
        let check = copy.check("setup")?;
        if !check.passed {
            return Err(Failure::usage(format!(
                "the unedited copy does not compile: {}",
                check.detail
            )));
        }
        if semver_checks {
            let found = output(Command::new("cargo-semver-checks").arg("--version"));
            if !found.is_ok_and(|o| o.status.success()) {
                return Err(Failure::usage(
                    "cargo-semver-checks is not installed (cargo install cargo-semver-checks --locked)",
                ));
            }
            let unedited = copy.unedited.clone();
            copy.unedited_rustdoc = Some(copy.rustdoc(&unedited, "unedited")?);
        }
        Ok(copy)
    }

    pub fn unedited(&self) -> &Value {
        &self.unedited
    }

    pub fn dir(&self) -> &Path {
        &self.work
    }

    pub fn logs(&self) -> PathBuf {
        self.state.join("logs")
    }

    pub fn unedited_rustdoc(&self) -> Result<PathBuf, Failure> {
        self.unedited_rustdoc
            .clone()
            .ok_or_else(|| Failure::usage("no rustdoc of the unedited crate"))
    }

    pub fn remove(&self) {
        if let Err(e) = std::fs::remove_dir_all(&self.work) {
            eprintln!("corpus: cannot remove {}: {e}", self.work.display());
        }
    }

    pub fn write_document(&self, document: &Value) -> Result<(), Failure> {
        write(&self.work.join(DOCUMENT), &document_text(document))
    }

    /// `.ci/semver-gate` with `released` as the released document.
    pub fn gate(&self, released: &Value, name: &str) -> Result<Outcome, Failure> {
        let path = self.state.join("released.json");
        write(&path, &document_text(released))?;
        self.gate_against(&path, name)
    }

    /// The gate (xtask/src/gate.rs) at the crate's own version: no base,
    /// the unedited document stands for the release.
    fn gate_against(&self, released: &Path, name: &str) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let inputs = gate::Inputs {
            released_doc: released.to_owned(),
            current_doc: self.work.join(DOCUMENT),
            released_version_file: self.state.join("VERSION"),
            manifest: self.work.join("Cargo.toml"),
            base: None,
            contract_diff: self.contract_diff.clone(),
        };
        let (verdict, names, detail) = match gate::evaluate(&inputs) {
            Ok(report) => {
                self.log(
                    &format!("{name}.gate"),
                    report.render(&inputs).as_bytes(),
                    &[],
                )?;
                let summary = report.since_release.summary();
                match report.judgement.pass {
                    true => (Some(Verdict::Compatible), Vec::new(), summary),
                    false => (
                        Some(Verdict::Breaking(&[])),
                        report.since_release.ids("ERR"),
                        summary,
                    ),
                }
            }
            Err(failure) => {
                let said = format!("gate error: {}", failure.message());
                self.log(&format!("{name}.gate"), said.as_bytes(), &[])?;
                (None, Vec::new(), said)
            }
        };
        Ok(Outcome {
            passed: verdict.is_some(),
            verdict,
            names,
            detail,
            time: started.elapsed(),
        })
    }

    /// Every target of the crate compiles (type-checked, not linked).
    pub fn check(&self, name: &str) -> Result<Outcome, Failure> {
        self.cargo_step(
            &format!("{name}.check"),
            self.cargo()
                .args(["check", "--locked"])
                .args(PACKAGES)
                .args(["--all-features", "--all-targets"]),
        )
    }

    /// Every target of the crate built.
    pub fn build_all(&self, name: &str) -> Result<Outcome, Failure> {
        self.cargo_step(
            &format!("{name}.build"),
            self.cargo()
                .args(["build", "--locked"])
                .args(PACKAGES)
                .args(["--all-features", "--all-targets"]),
        )
    }

    /// The given integration tests (none: the whole suite, doc tests
    /// included), with `UPDATE_SNAPSHOT` so that the snapshot test refreshes
    /// the reviewable copy instead of comparing with it.
    pub fn tests(
        &self,
        tests: &[&str],
        update_snapshot: bool,
        name: &str,
    ) -> Result<Outcome, Failure> {
        let mut command = self.cargo();
        command
            .args(["test", "--locked", "--no-fail-fast"])
            .args(PACKAGES)
            .arg("--all-features")
            .args(tests.iter().flat_map(|t| ["--test", t]));
        if update_snapshot {
            command.env("UPDATE_SNAPSHOT", "1");
        }
        self.cargo_step(&format!("{name}.tests"), &mut command)
    }

    /// The rustdoc JSON of the crate (all features) built from `document`.
    pub fn rustdoc(&self, document: &Value, name: &str) -> Result<PathBuf, Failure> {
        self.write_document(document)?;
        let doc = self.rustdoc_step(name)?;
        doc.map_err(|why| Failure::usage(format!("no rustdoc of the {name} crate: {why}")))
    }

    fn rustdoc_step(&self, name: &str) -> Result<Result<PathBuf, String>, Failure> {
        let run = self.cargo_step(
            &format!("{name}.rustdoc"),
            self.cargo()
                .env("RUSTC_BOOTSTRAP", "1")
                .args(["rustdoc", "--locked", "--package", PACKAGE])
                .args(["--all-features", "--lib", "--"])
                .args(["-Zunstable-options", "--output-format", "json"]),
        )?;
        if !run.passed {
            return Ok(Err(run.detail));
        }
        let saved = self.state.join("rustdoc").join(format!("{name}.json"));
        std::fs::copy(
            self.target.join("doc").join("linkedin_invitations.json"),
            &saved,
        )
        .map_err(|e| Failure::usage(format!("no rustdoc JSON: {e}")))?;
        Ok(Ok(saved))
    }

    /// cargo-semver-checks from `baseline` to the crate of the document now
    /// in the copy, as a minor release: a major-level lint is a break.
    pub fn semver_checks(&self, baseline: &Path, name: &str) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let current = match self.rustdoc_step(name)? {
            Ok(current) => current,
            Err(why) => {
                return Ok(Outcome {
                    passed: false,
                    verdict: None,
                    names: Vec::new(),
                    detail: format!("no rustdoc: {why}"),
                    time: started.elapsed(),
                })
            }
        };
        let run = output(
            self.cargo()
                .arg("semver-checks")
                .arg("--baseline-rustdoc")
                .arg(baseline)
                .arg("--current-rustdoc")
                .arg(&current)
                .args(["--release-type", "minor", "--color", "never"]),
        )?;
        let text = self.log(&format!("{name}.semver-checks"), &run.stdout, &run.stderr)?;
        let mut lints: Vec<String> = text
            .lines()
            .filter_map(|line| line.trim().strip_prefix("--- failure "))
            .filter_map(|rest| rest.split_once(':').map(|(id, _)| id.trim().to_owned()))
            .collect();
        lints.dedup();
        let (verdict, detail) = match run.status.code() {
            Some(0) => (Some(Verdict::Compatible), "compatible".to_owned()),
            Some(_) if !lints.is_empty() => (
                Some(Verdict::Breaking(&[])),
                format!("breaking [{}]", lints.join(", ")),
            ),
            code => (
                None,
                format!(
                    "cargo-semver-checks error (exit {code:?}): {}",
                    first_error(&text)
                ),
            ),
        };
        Ok(Outcome {
            passed: verdict.is_some(),
            verdict,
            names: lints,
            detail,
            time: started.elapsed(),
        })
    }

    fn cargo(&self) -> Command {
        let mut command = cargo();
        command
            .current_dir(&self.work)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("UPDATE_SNAPSHOT")
            .env_remove("RUSTC_BOOTSTRAP");
        command
    }

    /// Runs a cargo command, its output into the log `name`.
    fn cargo_step(&self, name: &str, command: &mut Command) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let run = output(command.stdin(Stdio::null()))?;
        let text = self.log(name, &run.stdout, &run.stderr)?;
        let passed = run.status.success();
        Ok(Outcome {
            passed,
            verdict: None,
            names: Vec::new(),
            detail: if passed {
                "ok".into()
            } else {
                first_error(&text)
            },
            time: started.elapsed(),
        })
    }

    fn log(&self, name: &str, stdout: &[u8], stderr: &[u8]) -> Result<String, Failure> {
        let mut text = String::from_utf8_lossy(stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(stderr));
        write(&self.logs().join(format!("{name}.log")), &text)?;
        Ok(text)
    }
}

/// The first compile error with its place, else the failed tests, else the
/// last line.
fn first_error(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let summary = |l: &&str| {
        l.contains("test failed") || l.contains("target failed") || l.contains("targets failed")
    };
    if let Some(at) = lines.iter().position(|l| {
        l.starts_with("error") && !l.starts_with("error: could not compile") && !summary(l)
    }) {
        let place = lines[at + 1..]
            .iter()
            .take(3)
            .find_map(|l| l.trim_start().strip_prefix("--> "));
        return match place {
            Some(place) => format!("{} ({place})", lines[at]),
            None => lines[at].to_owned(),
        };
    }
    let (failed, binaries) = crate::run::failed_tests(text);
    if !failed.is_empty() {
        return format!(
            "tests failed: {} ({})",
            failed.join(", "),
            binaries.join("; ")
        );
    }
    lines
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map_or_else(String::new, |l| l.trim().to_owned())
}

/// `git archive HEAD | tar -x -m`: the committed tree, with fresh times.
fn extract_head(work: &Path) -> Result<(), Failure> {
    let mut archive = Command::new("git")
        .current_dir(root())
        .args(["archive", "--format=tar", "HEAD"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::usage(format!("cannot run git: {e}")))?;
    let stdout = archive.stdout.take().expect("a piped stdout");
    let tar = Command::new("tar")
        .current_dir(work)
        .args(["-x", "-m", "-f", "-"])
        .stdin(stdout)
        .status()
        .map_err(|e| Failure::usage(format!("cannot run tar: {e}")))?;
    let git = archive
        .wait()
        .map_err(|e| Failure::usage(format!("git archive: {e}")))?;
    if !git.success() || !tar.success() {
        return Err(Failure::usage("git archive HEAD | tar -x failed"));
    }
    Ok(())
}

/// The tool tests look for their tools in the repository (installed by
/// `.ci/install-tools`): the copy links to them where they are installed.
fn link_tools(work: &Path) -> Result<(), Failure> {
    for tool in [".ci/tools/node_modules", ".venv"] {
        let installed = root().join(tool);
        if installed.is_dir() {
            std::os::unix::fs::symlink(&installed, work.join(tool))
                .map_err(|e| Failure::usage(format!("cannot link {tool} into the copy: {e}")))?;
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))
}
