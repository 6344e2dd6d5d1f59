//! Serves the emulator standalone, for other tools (Prism, schemathesis, curl).
//!
//! ```text
//! cargo run --features emulator --example emulator -- --listen 127.0.0.1:8080 [--token T] [--seed FILE]
//! ```
//!
//! Prints `listening on http://ADDR` once it accepts connections, then serves
//! until interrupted.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use linkedin_invitations::emulator::Emulator;

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
    let emulator = builder.start().await?;
    println!("listening on {}", emulator.url());
    tokio::signal::ctrl_c().await?;
    emulator.shutdown().await;
    Ok(())
}
