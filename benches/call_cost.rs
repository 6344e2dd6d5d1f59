//! Instructions per call, counted by callgrind (steady where wall time on a
//! shared machine is not), each client closing 1, 10 and 100 invitations
//! against a loopback server that answers as Graph does (each invitation it
//! is sent, Graph's envelope and headers: `common::GraphLike`), in one run.
//!
//! ```text
//! apt-get install valgrind   # once
//! cargo bench --bench call_cost
//! bash benches/peer/openapi-generator.sh --run   # plus openapi-generator's Rust client
//! CALL_COST_PEER=target/peer/openapi-generator/target/release/peer-call-cost \
//!     cargo bench --bench call_cost   # a peer already built
//! ```
//!
//! Every column counts the same span: one call from the caller's owned ids
//! and tokens (a `Vec<(String, String)>`, built before) to decoded results,
//! with the input and the results dropped inside it.
//!
//! - `bare-reqwest`, the floor for this stack: a `reqwest` POST whose serde
//!   body borrows the caller's strings (`&str`), the answer's items decoded
//!   into owned `id`, `status` and `message` and nothing else.
//! - `generated`: the strings moved into the generated request type, sent
//!   by the raw generated client (the facade's pipeline), the whole
//!   generated response type decoded.
//! - `facade`: the strings moved into `Invitation::new`, `Client::accept`,
//!   a `CloseOutcome`.
//! - `peer` (optional): the strings moved into openapi-generator's models,
//!   its generated function.
//!
//! The server runs natively in this process; each client runs in a child
//! process under `valgrind --tool=callgrind`, which counts only what runs
//! inside `measured` (20 warm-up calls first, so pools and caches are warm).
//! A peer binary takes `BATCH URL` and keeps the same contract (see
//! `benches/peer/openapi-generator.sh`). The last row is the cost of one more
//! invitation: `(count at 100 - count at 1) / 99`.
//!
//! One run (`bash benches/peer/openapi-generator.sh --run`, 2-core x86-64):
//!
//! ```text
//! | invitations per call | bare-reqwest | generated | facade | peer |
//! |---|---|---|---|---|
//! | 1 | 81107 (1.00×) | 92008 (1.13×) | 85562 (1.05×) | 92666 (1.14×) |
//! | 10 | 121172 (1.00×) | 132111 (1.09×) | 127710 (1.05×) | 133455 (1.10×) |
//! | 100 | 513950 (1.00×) | 520582 (1.01×) | 545721 (1.06×) | 523592 (1.02×) |
//! | each one more | 4372 (1.00×) | 4329 (0.99×) | 4648 (1.06×) | 4352 (1.00×) |
//! ```

mod common;

use std::process::Command;

use common::{input, Clients, Kind};

const WARM_UP: usize = 20;
const MEASURED: usize = 50;
const BATCHES: [usize; 3] = [1, 10, 100];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, kind, batch, url] = args.as_slice() {
        if mode == "measure" {
            let kind = Kind::from_name(kind).expect("a client name");
            return child(kind, batch.parse().expect("a batch size"), url);
        }
    }
    parent();
}

fn child(kind: Kind, batch: usize, url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let clients = Clients::new(url);
    for _ in 0..WARM_UP {
        runtime.block_on(clients.call(kind, input(batch)));
    }
    let inputs = (0..MEASURED).map(|_| input(batch)).collect();
    let results = measured(&runtime, &clients, kind, inputs);
    assert_eq!(results, MEASURED * batch, "every item answered");
}

#[inline(never)]
fn measured(
    runtime: &tokio::runtime::Runtime,
    clients: &Clients,
    kind: Kind,
    inputs: Vec<common::Input>,
) -> usize {
    runtime.block_on(async {
        let mut results = 0;
        for input in inputs {
            results += clients.call(kind, input).await;
        }
        results
    })
}

fn parent() {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("call_cost needs valgrind: apt-get install valgrind");
        std::process::exit(1);
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(common::graph_like_server());
    let url = server.uri();
    let this = std::env::current_exe().unwrap();
    let peer = std::env::var_os("CALL_COST_PEER");
    let out_dir = std::env::temp_dir().join(format!("call-cost-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();

    let mut header = vec!["invitations per call".to_owned()];
    header.extend(Kind::ALL.iter().map(|k| k.name().to_owned()));
    if peer.is_some() {
        header.push("peer".to_owned());
    }
    println!("instructions per call (ratio to bare-reqwest), {MEASURED} calls after {WARM_UP} warm-up calls\n");
    println!("| {} |", header.join(" | "));
    println!("|{}", "---|".repeat(header.len()));
    let mut rows = Vec::new();
    for batch in BATCHES {
        let mut runs: Vec<(String, Command)> = Kind::ALL
            .iter()
            .map(|kind| {
                let mut command = Command::new(&this);
                command.args(["measure", kind.name(), &batch.to_string(), &url]);
                (kind.name().to_owned(), command)
            })
            .collect();
        if let Some(peer) = &peer {
            let mut command = Command::new(peer);
            command.args([batch.to_string(), url.clone()]);
            runs.push(("peer".to_owned(), command));
        }
        let counts: Vec<u64> = runs
            .into_iter()
            .map(|(name, command)| {
                let out = out_dir.join(format!("{name}-{batch}.out"));
                instructions(command, &out) / MEASURED as u64
            })
            .collect();
        println!("| {batch} | {} |", cells(&counts));
        rows.push(counts);
    }
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    let span = (BATCHES[BATCHES.len() - 1] - BATCHES[0]) as u64;
    let each: Vec<u64> = first
        .iter()
        .zip(last)
        .map(|(a, b)| b.saturating_sub(*a) / span)
        .collect();
    println!("| each one more | {} |", cells(&each));
}

/// Counts with their ratio to the first (the bare client's).
fn cells(counts: &[u64]) -> String {
    let floor = counts[0] as f64;
    counts
        .iter()
        .map(|&n| format!("{n} ({:.2}×)", n as f64 / floor))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Runs `command` under callgrind and returns the instructions counted
/// inside `measured`.
fn instructions(command: Command, out: &std::path::Path) -> u64 {
    let status = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=*measured*",
            &format!("--callgrind-out-file={}", out.display()),
        ])
        .arg(command.get_program())
        .args(command.get_args())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("valgrind runs");
    assert!(
        status.success(),
        "{:?} failed under valgrind",
        command.get_program()
    );
    let profile = std::fs::read_to_string(out).expect("callgrind wrote its profile");
    profile
        .lines()
        .find_map(|line| {
            let total = line
                .strip_prefix("totals:")
                .or(line.strip_prefix("summary:"))?;
            total.split_whitespace().next()?.parse().ok()
        })
        .expect("a totals line in the profile")
}
