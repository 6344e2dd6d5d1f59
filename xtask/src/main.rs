//! Repository tasks, run as `cargo xtask <task>`:
//!
//! - `regenerate`: after an edit of `openapi/invitations.yaml`, regenerates
//!   the client, checks every target, refreshes the reviewable copy, prints
//!   what changed against the base, the gate's verdict, runs the tests and
//!   names every place that needs a hand.
//! - `consumer`: compiles every Rust example of the README and of the crate
//!   docs as a crate depending on this one would.
//! - `contract-check`: the contract checks CI runs on every change.
//! - `semver-gate`: the contract's changes against the crate's version.
//! - `corpus`: applies each edit of a corpus of contract edits to a copy of
//!   the crate, builds and tests it, and checks the gate's verdict.

mod consumer;
mod contract_check;
mod corpus;
mod gate;
mod regenerate;
mod run;
mod version;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  regenerate   regenerate the client from openapi/invitations.yaml, check every
               target, refresh openapi/generated/client.rs and print its diff
               against the base, run the semver gate and the tests, and name
               every place that needs a hand (see `cargo xtask regenerate --help`)
  consumer     compile every Rust example of README.md and of the crate docs
               as a dependent crate would (see `cargo xtask consumer --help`)
  corpus       run the corpus of contract edits (see `cargo xtask corpus --help`)
  contract-check  every contract check of a change, each reported: wire
               breaks since the release and of this change, then the semver
               gate (see `cargo xtask contract-check --help`)
  semver-gate  the contract's changes against the crate's version, for this
               change and since the release (see `cargo xtask semver-gate --help`)

exit status: 0 done; 1 the change needs a version bump Cargo.toml does not
have (regenerate, semver-gate), a corpus edit failed or a snippet does not
compile (consumer); 2 the document or the setup is unusable";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regenerate") => regenerate::main(&args[1..]),
        Some("consumer") => consumer::main(&args[1..]),
        Some("corpus") => corpus::main(&args[1..]),
        Some("semver-gate") => gate::main(&args[1..]),
        Some("contract-check") => contract_check::main(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(run::Failure::usage(format!(
            "unknown task `{other}`\n\n{USAGE}"
        ))),
    };
    match result {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}
