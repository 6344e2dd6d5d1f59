//! Requests per second and memory of the emulator under a real load
//! generator (wrk), next to a bare handler on the same stack (tokio, hyper's
//! HTTP/1 connection, the same accepted sockets) that reads the body and
//! answers a fixed `200` JSON: the ratio is the emulator's own cost.
//!
//! `bash emulator/benches/emulator_throughput.sh` installs wrk if needed and runs it;
//! `BENCH_SECONDS` (default 10) sets the length of each of the three rounds
//! per server, `BENCH_CONNECTIONS` (default 50) the open connections. Load
//! goes to 127.0.0.1 only. Both servers stay up across the rounds, so their
//! resident memory after round one and after the last shows whether it is
//! flat over a million and more requests.

use std::convert::Infallible;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use linkedin_invitations_emulator::Emulator;

const PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";
/// Unknown ids: every call does the same work (a per-item 404) and no state
/// changes between requests.
const BODY: &str = r#"{"inviteActionData":[{"invitationId":"missing","validationToken":"vt"}],"inviteeActionType":"ACCEPT"}"#;
const FIXED: &str = r#"{"value":{"@odata.type":"microsoft.graph.InviteActionResults","inviteActionResults":[{"id":"missing","status":404,"message":"Invitation not found"}]}}"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--serve") {
        Some(i) => serve(&args[i + 1]),
        None => compare(),
    }
}

#[tokio::main]
async fn serve(which: &str) {
    let url = match which {
        "emulator" => {
            let emulator = Emulator::start().await.expect("the emulator starts");
            let url = emulator.url().to_owned();
            std::mem::forget(emulator);
            url
        }
        _ => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(bare(listener));
            url
        }
    };
    println!("listening on {url}");
    std::io::stdout().flush().unwrap();
    std::future::pending::<()>().await;
}

/// The baseline: accept, serve HTTP/1 with keep-alive, read the body,
/// answer a fixed JSON.
async fn bare(listener: tokio::net::TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let service = service_fn(
                |request: hyper::Request<hyper::body::Incoming>| async move {
                    let _ = request.into_body().collect().await;
                    let mut response =
                        hyper::Response::new(Full::new(Bytes::from_static(FIXED.as_bytes())));
                    response.headers_mut().insert(
                        hyper::header::CONTENT_TYPE,
                        hyper::header::HeaderValue::from_static("application/json"),
                    );
                    Ok::<_, Infallible>(response)
                },
            );
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

struct Server {
    name: &'static str,
    child: Child,
    url: String,
    rates: Vec<f64>,
    rss_after_first_kib: u64,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(name: &'static str) -> Server {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--serve", name])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().trim_start_matches("listening on ").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    Server {
        name,
        child,
        url,
        rates: Vec::new(),
        rss_after_first_kib: 0,
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs wrk against `url` and returns (requests per second, requests, errors).
fn wrk(url: &str, script: &std::path::Path, seconds: u64, connections: u64) -> (f64, u64, u64) {
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s")])
        .arg("-s")
        .arg(script)
        .arg(format!("{url}{PATH}"))
        .output()
        .expect("wrk runs (install it with: apt-get install -y wrk)");
    let text = String::from_utf8_lossy(&output.stdout);
    let rate = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no rate in wrk's output:\n{text}"));
    let requests = text
        .lines()
        .find_map(|l| {
            l.split_once(" requests in ")
                .map(|(n, _)| n.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let errors = text
        .lines()
        .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
        .count() as u64;
    (rate, requests, errors)
}

/// A field of /proc/PID/status in KiB: VmRSS (now) or VmHWM (peak).
fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn compare() {
    let seconds = env_or("BENCH_SECONDS", 10);
    let connections = env_or("BENCH_CONNECTIONS", 50);
    let script = std::env::temp_dir().join(format!("emulator-bench-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = '{BODY}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"Authorization\"] = \"Bearer bench\"\n"
        ),
    )
    .unwrap();
    let mut servers = [start("bare"), start("emulator")];
    for server in &servers {
        wrk(&server.url, &script, 2, connections); // warm-up
    }
    let mut total = [0u64; 2];
    let mut errors = [0u64; 2];
    for round in 0..3 {
        for (i, server) in servers.iter_mut().enumerate() {
            let (rate, requests, errs) = wrk(&server.url, &script, seconds, connections);
            server.rates.push(rate);
            total[i] += requests;
            errors[i] += errs;
            if round == 0 {
                server.rss_after_first_kib = memory_kib(server.child.id(), "VmRSS:");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    let _ = std::fs::remove_file(&script);

    println!(
        "wrk -t2 -c{connections} -d{seconds}s, 3 rounds per server, alternating; POST {} bytes",
        BODY.len()
    );
    println!("| server | median req/s | rounds req/s | requests | RSS after round 1 | RSS at end | peak RSS |");
    println!("|---|---|---|---|---|---|---|");
    let mut medians = [0.0; 2];
    for (i, server) in servers.iter_mut().enumerate() {
        let mut rates = server.rates.clone();
        rates.sort_by(f64::total_cmp);
        medians[i] = rates[1];
        let pid = server.child.id();
        println!(
            "| {} | {:.0} | {} | {}{} | {} MiB | {} MiB | {} MiB |",
            server.name,
            medians[i],
            server
                .rates
                .iter()
                .map(|r| format!("{r:.0}"))
                .collect::<Vec<_>>()
                .join(" / "),
            total[i],
            if errors[i] > 0 { " (with errors)" } else { "" },
            server.rss_after_first_kib / 1024,
            memory_kib(pid, "VmRSS:") / 1024,
            memory_kib(pid, "VmHWM:") / 1024,
        );
    }
    println!("emulator / bare: {:.2}x", medians[1] / medians[0]);
}
