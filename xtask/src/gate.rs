//! `cargo xtask semver-gate` (`.ci/semver-gate` wraps it): the contract's
//! changes under contract-diff's `--profile codegen` against the crate's
//! version, reported for this change (against a base revision) and since the
//! release, with the rule that decided the exit.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use semver::Version;
use serde_json::Value;

use crate::run::{self, output, root, Base, Failure};
use crate::version::{self, Judgement, Needs};

pub const USAGE: &str = "\
usage: .ci/semver-gate [--released DOC] [--current DOC] [--released-version FILE] [--manifest FILE] [--base REV]
   or: cargo xtask semver-gate [the same options]

Compares the last released contract with the current one under contract-diff's
`--profile codegen` (the wire rules plus what breaks the generated Rust API:
the crate's API is the generated client) and checks the crate's version:

  breaking change (ERR)  needs the next breaking version: the major number, or
                         for 0.x the minor one (0.2 -> 0.3), as Cargo reads semver
  any other change       needs a compatible release (0.2.0 -> 0.2.1); said, not enforced
  no change              nothing to do
  a version lower than the released one always fails

It also reports THIS change: the document against its version at a base
revision (default: the merge base of HEAD and the default branch), so that a
change is seen for what it does even when the unreleased version already
allows breaking changes. The exit is decided by the release rule; the last
line names the rule.

Options (each also from the environment variable in brackets):
  --current DOC           the document now [CURRENT_DOC or CONTRACT_DOC],
                          default: openapi/invitations.yaml
  --released DOC          the last release's document [RELEASED_DOC]
                          default: RELEASED_DIR/<the document's file name>,
                          RELEASED_DIR defaulting to released/ beside the document
  --released-version FILE the last release's crate version [RELEASED_VERSION_FILE]
                          default: RELEASED_DIR/VERSION
  --manifest FILE         the crate's manifest [MANIFEST], default: Cargo.toml
  --base REV              this change's base revision [BASE_REF]
  CONTRACT_DIFF           a built contract-diff (default: built here with cargo)

The ignore file (openapi/contract-diff.ignore) is deliberately not applied: it
records wire changes a team accepted, and an accepted break still breaks the
crate's users, so it still needs the version bump. Under GitHub Actions
(GITHUB_ACTIONS=true) each change and the verdict are workflow annotations.

Exit status: 0 the version is right for the changes; 1 a breaking change
without a breaking version bump, or a version lower than the released one;
2 bad usage or unusable input (a missing file, an unreadable document, a
contract-diff that cannot run).";

/// What the gate compares.
pub struct Inputs {
    pub released_doc: PathBuf,
    pub current_doc: PathBuf,
    pub released_version_file: PathBuf,
    pub manifest: PathBuf,
    /// This change's base; `None`: that comparison is skipped.
    pub base: Option<Base>,
    pub contract_diff: PathBuf,
}

/// One change contract-diff found.
#[derive(Clone, Debug)]
pub struct Change {
    pub id: String,
    pub level: String,
    pub text: String,
}

/// The changes between two documents.
#[derive(Debug, Default)]
pub struct Changes(pub Vec<Change>);

impl Changes {
    pub fn needs(&self) -> Needs {
        match () {
            _ if self.0.is_empty() => Needs::Nothing,
            _ if self.0.iter().any(|c| c.level == "ERR") => Needs::Breaking,
            _ => Needs::Compatible,
        }
    }

    /// The rule ids at `level`, each once, in order.
    pub fn ids(&self, level: &str) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for change in self.0.iter().filter(|c| c.level == level) {
            if !ids.contains(&change.id) {
                ids.push(change.id.clone());
            }
        }
        ids
    }

    /// `breaking, ERR [a, b]` / `compatible, WARN [c]` / `compatible` / `no change`.
    pub fn summary(&self) -> String {
        let errors = self.ids("ERR");
        let warnings = self.ids("WARN");
        match self.needs() {
            Needs::Nothing => "no change".into(),
            Needs::Breaking => format!("breaking, ERR [{}]", errors.join(", ")),
            Needs::Compatible if warnings.is_empty() => "compatible".into(),
            Needs::Compatible => format!("compatible, WARN [{}]", warnings.join(", ")),
        }
    }
}

/// The gate's findings and verdict.
pub struct Report {
    pub released: Version,
    pub current: Version,
    /// This change against its base: the base, and the changes (`None`: the
    /// base has no such document).
    pub this_change: Option<(Base, Option<Changes>)>,
    pub since_release: Changes,
    pub judgement: Judgement,
}

impl Report {
    /// The report as printed: both comparisons, then the verdict and its rule.
    pub fn render(&self, inputs: &Inputs) -> String {
        let state = match self.current.cmp(&self.released) {
            std::cmp::Ordering::Greater => "not released yet",
            std::cmp::Ordering::Equal => "the released version",
            std::cmp::Ordering::Less => "LOWER than the released version",
        };
        let mut out = format!(
            "semver-gate: released {} ({}); {} says {} ({state})\n",
            self.released,
            shown(&inputs.released_version_file),
            shown(&inputs.manifest),
            self.current
        );
        match &self.this_change {
            None => out.push_str(
                "this change: not compared (no base revision: pass --base REV or set BASE_REF)\n",
            ),
            Some((base, None)) => out.push_str(&format!(
                "this change (against {}): the base has no {}: not compared\n",
                base.chosen,
                shown(&inputs.current_doc)
            )),
            Some((base, Some(changes))) => {
                out.push_str(&format!(
                    "this change (against {}): {}\n",
                    base.chosen,
                    changes.summary()
                ));
                out.push_str(&listed(changes));
            }
        }
        out.push_str(&format!(
            "since the release {}: {}\n",
            self.released,
            self.since_release.summary()
        ));
        out.push_str(&listed(&self.since_release));
        let this_breaks =
            matches!(&self.this_change, Some((_, Some(c))) if c.needs() == Needs::Breaking);
        let rides = if this_breaks && self.judgement.pass {
            format!(
                " This change's break ships in the unreleased {}: list it in CHANGELOG.md.",
                self.current
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "semver-gate: {} (rule: {}).{rides}\n",
            if self.judgement.pass { "pass" } else { "FAIL" },
            self.judgement.rule
        ));
        out
    }
}

fn listed(changes: &Changes) -> String {
    changes
        .0
        .iter()
        .map(|c| format!("  {:<4} [{}] {}\n", c.level, c.id, c.text))
        .collect()
}

/// A path as the reader knows it: relative to the repository when inside it.
pub fn shown(path: &Path) -> String {
    repository_path(path).unwrap_or_else(|| path.display().to_string())
}

/// Compares, judges: the report, whatever the verdict.
pub fn evaluate(inputs: &Inputs) -> Result<Report, Failure> {
    for file in [
        &inputs.current_doc,
        &inputs.released_doc,
        &inputs.released_version_file,
        &inputs.manifest,
    ] {
        if std::fs::metadata(file).is_err() {
            return Err(Failure::usage(format!("cannot read {}", file.display())));
        }
    }
    let current = version::of_manifest(&inputs.manifest)?;
    let released_text = std::fs::read_to_string(&inputs.released_version_file).map_err(|e| {
        Failure::usage(format!(
            "cannot read {}: {e}",
            inputs.released_version_file.display()
        ))
    })?;
    let released = version::parse(&released_text, &inputs.released_version_file)?;

    // Paths relative to the repository: annotations carry them as `file=`.
    let current_doc = shown(&inputs.current_doc);
    let since_release = changes(
        &inputs.contract_diff,
        &shown(&inputs.released_doc),
        &current_doc,
    )?;
    let this_change = match &inputs.base {
        None => None,
        Some(base) => {
            let in_repo = repository_path(&inputs.current_doc);
            let at_base = in_repo.filter(|path| git_has(&base.rev, path));
            let compared = match at_base {
                Some(path) => Some(changes(
                    &inputs.contract_diff,
                    &format!("git:{}:{path}", base.rev),
                    &current_doc,
                )?),
                None => None,
            };
            Some((base.clone(), compared))
        }
    };
    let judgement = version::judge(&released, &current, since_release.needs());
    Ok(Report {
        released,
        current,
        this_change,
        since_release,
        judgement,
    })
}

/// Every change from `base` to `revision`, codegen profile.
fn changes(contract_diff: &Path, base: &str, revision: &str) -> Result<Changes, Failure> {
    let run = output(Command::new(contract_diff).current_dir(root()).args([
        "changelog",
        base,
        revision,
        "--profile",
        "codegen",
        "--format",
        "json",
    ]))?;
    if !run.status.success() {
        return Err(Failure::usage(format!(
            "contract-diff could not compare {base} and {revision} (exit {:?}): {}",
            run.status.code(),
            String::from_utf8_lossy(&run.stderr).trim()
        )));
    }
    let report: Value = serde_json::from_slice(&run.stdout)
        .map_err(|e| Failure::usage(format!("contract-diff's JSON: {e}")))?;
    let text = |change: &Value, key: &str| change[key].as_str().unwrap_or_default().to_owned();
    Ok(Changes(
        report["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|change| Change {
                id: text(change, "id"),
                level: text(change, "level"),
                text: text(change, "text"),
            })
            .collect(),
    ))
}

/// The document's path in the repository, for `git:REV:PATH`.
pub fn repository_path(document: &Path) -> Option<String> {
    let absolute = std::path::absolute(document).ok()?;
    let relative = absolute.strip_prefix(root()).ok()?;
    Some(relative.to_string_lossy().into_owned())
}

pub fn git_has(rev: &str, path: &str) -> bool {
    Command::new("git")
        .current_dir(root())
        .args(["cat-file", "-e", &format!("{rev}:{path}")])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Workflow annotations: each change of this change (else since the
/// release) with its place, via contract-diff, then the verdict.
fn annotate(report: &Report, inputs: &Inputs) -> Result<(), Failure> {
    let base = match &report.this_change {
        Some((base, Some(_))) => repository_path(&inputs.current_doc)
            .map(|path| format!("git:{}:{path}", base.rev))
            .unwrap_or_else(|| shown(&inputs.released_doc)),
        _ => shown(&inputs.released_doc),
    };
    let run = output(
        Command::new(&inputs.contract_diff)
            .current_dir(root())
            .arg("changelog")
            .arg(&base)
            .arg(shown(&inputs.current_doc))
            .args(["--profile", "codegen", "--format", "githubactions"]),
    )?;
    print!("{}", String::from_utf8_lossy(&run.stdout));
    let level = if report.judgement.pass {
        "notice"
    } else {
        "error"
    };
    println!(
        "::{level} title=semver-gate::{} (rule: {})",
        if report.judgement.pass {
            "pass"
        } else {
            "FAIL"
        },
        report.judgement.rule
    );
    Ok(())
}

/// The inputs as the environment sets them: the document is `CURRENT_DOC`
/// or `CONTRACT_DOC` (default `openapi/invitations.yaml`), the release is in
/// `RELEASED_DIR` (default: `released/` beside the document).
pub fn inputs_from_env() -> Inputs {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let current_doc = env("CURRENT_DOC")
        .or_else(|| env("CONTRACT_DOC"))
        .unwrap_or_else(|| PathBuf::from("openapi/invitations.yaml"));
    let current_doc = root().join(current_doc);
    let released_dir = env("RELEASED_DIR").map_or_else(
        || current_doc.parent().unwrap_or(root()).join("released"),
        |dir| root().join(dir),
    );
    let file_name = current_doc.file_name().unwrap_or_default();
    Inputs {
        released_doc: env("RELEASED_DOC")
            .map_or_else(|| released_dir.join(file_name), |p| root().join(p)),
        released_version_file: env("RELEASED_VERSION_FILE")
            .map_or_else(|| released_dir.join("VERSION"), |p| root().join(p)),
        manifest: root().join(env("MANIFEST").unwrap_or_else(|| PathBuf::from("Cargo.toml"))),
        current_doc,
        base: None,
        contract_diff: PathBuf::new(),
    }
}

/// Prints the report (and, under GitHub Actions, its annotations); whether
/// the gate passes.
pub fn report(inputs: &Inputs) -> Result<bool, Failure> {
    let annotations = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let report = evaluate(inputs).inspect_err(|failure| {
        if annotations {
            println!("::error title=semver-gate::{}", failure.message());
        }
    })?;
    print!("{}", report.render(inputs));
    if annotations {
        annotate(&report, inputs)?;
    }
    Ok(report.judgement.pass)
}

/// `--base REV` (or `BASE_REF`) as a base, else the default one.
pub fn base(given: Option<&str>) -> Result<Option<Base>, Failure> {
    let given = given
        .map(str::to_owned)
        .or_else(|| std::env::var("BASE_REF").ok().filter(|v| !v.is_empty()));
    match given {
        Some(rev) => run::base(Some(&rev))
            .map(Some)
            .ok_or_else(|| Failure::usage(format!("no revision {rev} in this repository"))),
        None => Ok(run::base(None)),
    }
}

pub fn main(args: &[String]) -> Result<ExitCode, Failure> {
    let mut inputs = inputs_from_env();
    let mut base_rev = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "-h" | "--help" => return Ok(run::help(USAGE)),
            "--released" => &mut inputs.released_doc,
            "--current" => &mut inputs.current_doc,
            "--released-version" => &mut inputs.released_version_file,
            "--manifest" => &mut inputs.manifest,
            "--base" => {
                base_rev = Some(run::value(arg, args.next())?.to_owned());
                continue;
            }
            other => {
                return Err(Failure::usage(format!(
                    "unknown argument '{other}' (see --help)"
                )))
            }
        };
        *slot = PathBuf::from(run::value(arg, args.next())?);
    }
    inputs.base = base(base_rev.as_deref())?;
    inputs.contract_diff = run::contract_diff()?;
    Ok(ExitCode::from(u8::from(!report(&inputs)?)))
}
