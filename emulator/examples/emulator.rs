//! Serves the emulator standalone, for other tools (Prism, schemathesis, curl).
//!
//! ```text
//! cargo run -p linkedin-invitations-emulator --example emulator -- --listen 127.0.0.1:8080 [--token T] [--seed FILE]
//!     [--fault-rate 0.2 --fault-seed 7] [--fault-on 2=reset-after-apply] [--throttle 10/1]
//!     [--idle-timeout 60s] [--header-read-timeout 10s] [--body-read-timeout 10s]
//!     [--shutdown-timeout 5s] [--max-connections 512]
//! ```
//!
//! Prints `listening on http://ADDR` once it accepts connections, then serves
//! until interrupted: the first Ctrl-C lets exchanges under way finish for at
//! most the shutdown timeout, a second one exits at once.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use linkedin_invitations_emulator::{
    CallFaults, Emulator, Fault, FaultPlan, DEFAULT_MAX_CONNECTIONS,
};

#[derive(Debug, Parser)]
#[command(about = "Serve the inviteeClosingInvitation emulator on loopback")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Accept only this bearer token (default: any non-empty token). An empty
    /// value, e.g. from an unset secret, is refused.
    #[arg(long, env = "EMULATOR_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// JSON seed file: [{"id", "validationToken", "state"?}].
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Fail this share of requests (0.0-1.0) with a random 429/500/502/503/504.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    fault_rate: f64,
    /// Seed of the random faults, for repeatable runs.
    #[arg(long, default_value_t = 1)]
    fault_seed: u64,
    /// Fail call number CALL (from 1) with FAULT, as CALL=FAULT; repeatable.
    /// FAULT is one of too-many-requests, internal-server-error, bad-gateway,
    /// service-unavailable, gateway-timeout (before the action), or
    /// reset-after-apply, gateway-timeout-after-apply, truncated-after-apply
    /// (after it).
    #[arg(long, value_parser = parse_fault_on)]
    fault_on: Vec<(u64, Fault)>,
    /// Answer at most N requests per SECS seconds, as N/SECS (e.g. 10/1); then 429.
    #[arg(long, value_parser = parse_throttle)]
    throttle: Option<(u32, Duration)>,
    /// Close a connection that sends no request for this long.
    #[arg(long, default_value = "60s", value_parser = parse_timeout)]
    idle_timeout: Duration,
    /// Close a connection whose request head takes longer than this.
    #[arg(long, default_value = "10s", value_parser = parse_timeout)]
    header_read_timeout: Duration,
    /// Answer 408 to a request whose body takes longer than this.
    #[arg(long, default_value = "10s", value_parser = parse_timeout)]
    body_read_timeout: Duration,
    /// On Ctrl-C, wait this long for exchanges under way, then close them.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    shutdown_timeout: Duration,
    /// Keep at most this many connections open.
    #[arg(long, default_value_t = DEFAULT_MAX_CONNECTIONS, value_parser = parse_positive)]
    max_connections: usize,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{text} is not a rate from 0.0 to 1.0"))
    }
}

fn parse_fault_on(text: &str) -> Result<(u64, Fault), String> {
    let (call, fault) = text
        .split_once('=')
        .ok_or("expected CALL=FAULT, e.g. 2=reset-after-apply")?;
    let call = parse_positive(call).map_err(|e| format!("CALL: {e}"))?;
    Ok((call as u64, fault.parse().map_err(|e| format!("{e}"))?))
}

fn parse_throttle(text: &str) -> Result<(u32, Duration), String> {
    let (limit, seconds) = text.split_once('/').ok_or("expected N/SECS, e.g. 10/1")?;
    let limit = parse_positive(limit).map_err(|e| format!("N: {e}"))?;
    let limit = u32::try_from(limit).map_err(|e| format!("N: {e}"))?;
    let seconds = parse_positive(seconds).map_err(|e| format!("SECS: {e}"))?;
    Ok((limit, Duration::from_secs(seconds as u64)))
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text).map_err(|e| e.to_string())? {
        zero if zero.is_zero() => Err("a timeout must be above zero".into()),
        timeout => Ok(timeout),
    }
}

fn parse_positive(text: &str) -> Result<usize, String> {
    match text
        .parse::<usize>()
        .map_err(|e| format!("{text:?}: {e}"))?
    {
        0 => Err("must be at least 1".into()),
        n => Ok(n),
    }
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    match serve(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::from(2)
        }
    }
}

#[tokio::main]
async fn serve(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = Emulator::builder()
        .listen(args.listen)
        .idle_timeout(args.idle_timeout)
        .header_read_timeout(args.header_read_timeout)
        .body_read_timeout(args.body_read_timeout)
        .shutdown_timeout(args.shutdown_timeout)
        .max_connections(args.max_connections);
    // clap treats an empty EMULATOR_TOKEN as absent; an empty secret in CI
    // must stop the run, not open the emulator to every token.
    let token = args.token.or_else(|| std::env::var("EMULATOR_TOKEN").ok());
    if let Some(token) = token {
        builder = builder.require_token(token);
    }
    if let Some(seed) = args.seed {
        builder = builder.seed_file(seed)?;
    }
    if args.fault_rate > 0.0 && !args.fault_on.is_empty() {
        return Err("choose --fault-rate or --fault-on, not both".into());
    }
    if args.fault_rate > 0.0 {
        builder = builder.faults(FaultPlan::Random {
            rate: args.fault_rate,
            seed: args.fault_seed,
        });
    }
    if !args.fault_on.is_empty() {
        let plan = args
            .fault_on
            .into_iter()
            .fold(CallFaults::default(), |plan, (call, fault)| {
                plan.on_call(call, fault)
            });
        builder = builder.faults(plan);
    }
    if let Some((limit, window)) = args.throttle {
        builder = builder.throttle(limit, window);
    }
    let emulator = builder.start().await?;
    // Poll once so that the handler is in place before the URL is printed:
    // a Ctrl-C sent as soon as the emulator is up must not kill it outright.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    tokio::select! {
        biased;
        result = &mut interrupted => return result.map_err(Into::into),
        () = std::future::ready(()) => {}
    }
    println!("listening on {}", emulator.url());
    interrupted.await?;
    eprintln!("shutting down; interrupt again to stop at once");
    tokio::select! {
        () = emulator.shutdown() => Ok(()),
        _ = tokio::signal::ctrl_c() => std::process::exit(130),
    }
}
