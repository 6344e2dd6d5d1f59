#!/usr/bin/env bash
# A peer client for benches/call_cost.rs: openapi-generator's Rust client
# (library reqwest, async; reqwest 0.13, the same major version as ours)
# generated from openapi/invitations.yaml, driven by a small harness that keeps
# the bench's peer contract (`BATCH URL`, 20 warm-up calls, 50 calls inside
# `measured`, every item answered).
#
#   bash benches/peer/openapi-generator.sh         # build; prints the binary's path
#   bash benches/peer/openapi-generator.sh --run   # build, then the bench with four columns
#
# Everything it makes lives under target/peer (never committed). It needs
# python3 with venv, Java 17+ and the package registries (PyPI, crates.io).
set -euo pipefail

readonly GENERATOR_VERSION=7.26.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peer="$root/target/peer"
venv="$peer/venv"
work="$peer/openapi-generator"
client="$work/client"
harness="$work/harness"
binary="$work/target/release/peer-call-cost"

run=false
case "${1:-}" in
  --run) run=true ;;
  "") ;;
  *)
    echo "usage: $0 [--run]" >&2
    exit 2
    ;;
esac

command -v java >/dev/null || { echo "openapi-generator needs Java 17+ on PATH" >&2; exit 1; }

# The PyPI packaging bundles the generator's jar and runs it with the local
# java; a wrapper that fetches the jar at run time would need more than the
# registries. pip does nothing when the pinned version is already there.
[[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-generator-cli==$GENERATOR_VERSION"

# supportAsync is the generator's default, stated here because the harness
# relies on it; rustls is reqwest 0.13's own default TLS backend (ours too),
# where the generated crate defaults to native-tls.
rm -rf "$client"
mkdir -p "$work"
if ! "$venv/bin/openapi-generator-cli" generate \
  -g rust --library reqwest \
  -i "$root/openapi/invitations.yaml" \
  -o "$client" \
  --additional-properties=packageName=invitations-openapi,supportAsync=true,reqwestDefaultFeatures=rustls \
  >"$work/generate.log" 2>&1; then
  cat "$work/generate.log" >&2
  exit 1
fi

mkdir -p "$harness/src"
cat >"$harness/Cargo.toml" <<'EOF'
[package]
name = "peer-call-cost"
version = "0.0.0"
edition = "2021"
publish = false

# Standalone: not a member of the repository's workspace, with its own lock.
[workspace]

[dependencies]
invitations-openapi = { path = "../client" }
# The drivers the bench's own children enable (io and time).
tokio = { version = "1.47", features = ["rt", "net", "time"] }
EOF

cat >"$harness/src/main.rs" <<'EOF'
//! The openapi-generator client under benches/call_cost.rs: `peer-call-cost
//! BATCH URL` makes 20 warm-up calls, then 50 calls inside `measured` (the
//! function callgrind counts), each closing BATCH invitations the emulator
//! does not hold; the owned ids and tokens are built before, the answers
//! checked after.

use invitations_openapi::apis::configuration::Configuration;
use invitations_openapi::apis::invitations_api::invitee_closing_invitation;
use invitations_openapi::models::{
    InviteActionData, InviteeActionType, InviteeClosingInvitationRequest,
};

const WARM_UP: usize = 20;
const MEASURED: usize = 50;
const TOKEN: &str = "bench-token";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, batch, url] = args.as_slice() else {
        eprintln!("usage: peer-call-cost BATCH URL");
        std::process::exit(2);
    };
    let batch: usize = batch.parse().expect("a batch size");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // As the generated README sets it up: base path and bearer token.
    let configuration = Configuration {
        base_path: url.clone(),
        bearer_access_token: Some(TOKEN.to_owned()),
        ..Configuration::default()
    };
    for _ in 0..WARM_UP {
        runtime.block_on(call(&configuration, input(batch)));
    }
    let inputs = (0..MEASURED).map(|_| input(batch)).collect();
    let results = measured(&runtime, &configuration, inputs);
    assert_eq!(results, MEASURED * batch, "every item answered");
}

/// The same ids and tokens as benches/common/mod.rs (`input`), owned by the
/// caller; `call` moves them into the generated models.
fn input(batch: usize) -> Vec<(String, String)> {
    (0..batch)
        .map(|i| {
            (
                format!("69120434123918{i:05}"),
                format!("vt-{i:06}-7f3a9c2e5b1d4f8a6c0e2b4d6f8a0c2e"),
            )
        })
        .collect()
}

/// Sends one call; returns how many results came back.
async fn call(configuration: &Configuration, input: Vec<(String, String)>) -> usize {
    let request = InviteeClosingInvitationRequest::new(
        input
            .into_iter()
            .map(|(id, token)| InviteActionData::new(id, token))
            .collect(),
        InviteeActionType::Accept,
    );
    let response = invitee_closing_invitation(configuration, request, None)
        .await
        .expect("the call succeeds");
    response
        .value
        .invite_action_results
        .map_or(0, |results| results.len())
}

#[inline(never)]
fn measured(
    runtime: &tokio::runtime::Runtime,
    configuration: &Configuration,
    inputs: Vec<Vec<(String, String)>>,
) -> usize {
    runtime.block_on(async {
        let mut results = 0;
        for input in inputs {
            results += call(configuration, input).await;
        }
        results
    })
}
EOF

# Start from our lock so the crates both stacks share (reqwest, hyper, tokio,
# serde_json) resolve to the versions the other three clients use; cargo
# drops what the harness does not need and adds what it does.
cp "$root/Cargo.lock" "$harness/Cargo.lock"
cargo build --release \
  --manifest-path "$harness/Cargo.toml" \
  --target-dir "$work/target"
echo "$binary"

if "$run"; then
  cd "$root"
  CALL_COST_PEER="$binary" cargo bench --bench call_cost
fi
