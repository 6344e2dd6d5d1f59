//! Serves the emulator standalone, for other tools (Prism, schemathesis, curl).
//!
//! ```text
//! cargo run --features emulator --example emulator -- --listen 127.0.0.1:8080 [--token T] [--seed FILE]
//!     [--fault-rate 0.2 --fault-seed 7] [--throttle 10/1]
//! ```
//!
//! Prints `listening on http://ADDR` once it accepts connections, then serves
//! until interrupted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use linkedin_invitations::emulator::{Emulator, FaultPlan};

#[derive(Debug, Parser)]
#[command(about = "Serve the inviteeClosingInvitation emulator on loopback")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Accept only this bearer token (default: any non-empty token).
    #[arg(long, env = "EMULATOR_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// JSON seed file: [{"id", "validationToken", "state"?}].
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Fail this share of requests (0.0-1.0) with a random 429/500/502/503/504.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Seed of the random faults, for repeatable runs.
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// Answer at most N requests per SECS seconds, as N/SECS (e.g. 10/1); then 429.
    #[arg(long, value_parser = parse_throttle)]
    throttle: Option<(u32, Duration)>,
}

fn parse_throttle(text: &str) -> Result<(u32, Duration), String> {
    let (limit, seconds) = text.split_once('/').ok_or("expected N/SECS, e.g. 10/1")?;
    let limit = limit.parse().map_err(|e| format!("N: {e}"))?;
    let seconds: u64 = seconds.parse().map_err(|e| format!("SECS: {e}"))?;
    Ok((limit, Duration::from_secs(seconds)))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut builder = Emulator::builder().listen(args.listen);
    if let Some(token) = args.token {
        builder = builder.require_token(token);
    }
    if let Some(seed) = args.seed {
        builder = builder.seed_file(seed)?;
    }
    if args.fault_rate > 0.0 {
        builder = builder.faults(FaultPlan::Random {
            rate: args.fault_rate,
            seed: args.fault_seed,
        });
    }
    if let Some((limit, window)) = args.throttle {
        builder = builder.throttle(limit, window);
    }
    let emulator = builder.start().await?;
    println!("listening on {}", emulator.url());
    tokio::signal::ctrl_c().await?;
    emulator.shutdown().await;
    Ok(())
}
