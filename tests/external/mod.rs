//! Shared helpers of the tests that drive third-party tools (`tool_*.rs`,
//! `round_trip.rs`): where the pinned tools are, processes on free ports that
//! are polled until ready and killed on drop (their logs printed when the test
//! fails), and the examples of the OpenAPI document.
//!
//! The tools are installed by `bash .ci/install-tools`. A test whose tool is
//! missing is reported *ignored* on a developer's machine ([`run`]), saying
//! so on the terminal with the command that installs it; in CI (`CI` set, as
//! `.ci/run` and CI services do) it fails instead, so a broken install never
//! passes unseen.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// What to run when a tool is missing.
pub const INSTALL_HINT: &str = "bash .ci/install-tools";
/// The contract, relative to the repository root.
pub const SPEC: &str = "openapi/invitations.yaml";
/// The action's path.
pub const ACTION_PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";
/// How long a server may take to say it listens (before [`limit`]).
pub const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// The variable that scales every tool-test time limit: a factor, e.g. `3`
/// on a machine busy with other builds (default 1).
pub const TIME_SCALE: &str = "TOOL_TEST_TIME_SCALE";

/// A time limit of a tool test: `base` (what the step needs alone on two
/// cores, with room) times `TOOL_TEST_TIME_SCALE`. A limit only catches a
/// hung tool; the factor lets a loaded machine wait longer without editing code.
pub fn limit(base: Duration) -> Duration {
    scaled(base, std::env::var(TIME_SCALE).ok().as_deref()).unwrap_or_else(|why| panic!("{why}"))
}

/// `base` times the factor `scale` (unset or empty: 1).
pub fn scaled(base: Duration, scale: Option<&str>) -> Result<Duration, String> {
    let Some(scale) = scale.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(base);
    };
    match scale.parse::<f64>() {
        Ok(factor) if factor.is_finite() && factor > 0.0 && factor <= 1000.0 => {
            Ok(base.mul_f64(factor))
        }
        _ => Err(format!(
            "{TIME_SCALE}={scale:?} is not a factor: give a number above 0, e.g. 3"
        )),
    }
}

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The contract's absolute path.
pub fn spec_path() -> PathBuf {
    repo().join(SPEC)
}

/// A directory for this test binary's scratch files.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("tool-tests")
        .join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// The pinned third-party tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Prism,
    Spectral,
    Redocly,
    OpenapiSpecValidator,
    Schemathesis,
}

impl Tool {
    fn relative_path(self) -> &'static str {
        match self {
            Tool::Prism => ".ci/tools/node_modules/.bin/prism",
            Tool::Spectral => ".ci/tools/node_modules/.bin/spectral",
            Tool::Redocly => ".ci/tools/node_modules/.bin/redocly",
            Tool::OpenapiSpecValidator => ".venv/bin/openapi-spec-validator",
            Tool::Schemathesis => ".venv/bin/schemathesis",
        }
    }

    fn is_installed(self) -> bool {
        repo().join(self.relative_path()).is_file()
    }

    /// The tool's executable; panics, naming the install script, when absent.
    pub fn path(self) -> PathBuf {
        let path = repo().join(self.relative_path());
        assert!(
            path.is_file(),
            "{self:?} is not installed: {} does not exist. Run `{INSTALL_HINT}` first \
             (it installs the pinned tools into .ci/tools/node_modules and .venv).",
            path.display()
        );
        path
    }

    /// A command for the tool, run from the repository root, with telemetry
    /// and update checks off.
    pub fn command(self) -> Command {
        let mut command = Command::new(self.path());
        command
            .current_dir(repo())
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            .stdin(Stdio::null());
        match self {
            // chalk (Node) reads FORCE_COLOR=0 as "no colour"; rich (Python)
            // reads any FORCE_COLOR as "a terminal", so it must be absent there.
            Tool::Prism | Tool::Spectral | Tool::Redocly => command.env("FORCE_COLOR", "0"),
            Tool::OpenapiSpecValidator | Tool::Schemathesis => command.env_remove("FORCE_COLOR"),
        };
        command
    }
}

/// One test of a `tool_*.rs` file: its name, the tools it needs, its body.
pub struct ToolTest {
    pub name: &'static str,
    pub tools: &'static [Tool],
    pub body: fn(),
}

/// `ToolTest { name: "f", tools: &[..], body: f }` for a function `f`, or
/// for an `async fn f` (run on a two-thread runtime) with `async f`.
#[allow(unused_macros)]
macro_rules! tool_test {
    (async $name:ident, [$($tool:expr),*]) => {
        $crate::external::ToolTest {
            name: stringify!($name),
            tools: &[$($tool),*],
            body: || $crate::external::block_on($name()),
        }
    };
    ($name:ident, [$($tool:expr),*]) => {
        $crate::external::ToolTest {
            name: stringify!($name),
            tools: &[$($tool),*],
            body: $name,
        }
    };
}
#[allow(unused_imports)]
pub(crate) use tool_test;

/// Runs `future` to its end on a multi-threaded runtime of two workers.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// The `main` of a `tool_*.rs` test file (`harness = false`): `tests` with
/// libtest's arguments and output (see [`trials`]).
pub fn run(tests: &[ToolTest]) -> ! {
    let arguments = libtest_mimic::Arguments::from_args();
    let ci = in_ci(std::env::var("CI").ok().as_deref());
    libtest_mimic::run(&arguments, trials(tests, ci, Tool::is_installed)).exit()
}

/// `tests` as libtest trials, where a test whose tools are missing
/// (`installed` says no) is *ignored* outside CI (a `SKIPPED` line says
/// why, and the summary counts it: "2 ignored") and fails in CI. Run anyway
/// (`--ignored`, `--include-ignored`) it fails: a test that did not run is
/// never reported as passed.
pub fn trials(
    tests: &[ToolTest],
    ci: bool,
    installed: impl Fn(Tool) -> bool,
) -> Vec<libtest_mimic::Trial> {
    tests
        .iter()
        .map(|test| {
            let absent: Vec<Tool> = test
                .tools
                .iter()
                .copied()
                .filter(|t| !installed(*t))
                .collect();
            let body = test.body;
            match when_missing(test.name, &absent, ci) {
                Missing::None => libtest_mimic::Trial::test(test.name, move || {
                    body();
                    Ok(())
                }),
                Missing::Fail(why) => {
                    libtest_mimic::Trial::test(test.name, move || Err(why.into()))
                }
                Missing::Skip(line) => {
                    eprintln!("{line}");
                    libtest_mimic::Trial::test(test.name, move || Err(line.into()))
                        .with_ignored_flag(true)
                }
            }
        })
        .collect()
}

/// What a test does about the tools it lacks.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    None,
    Skip(String),
    Fail(String),
}

pub fn when_missing(test: &str, absent: &[Tool], ci: bool) -> Missing {
    if absent.is_empty() {
        return Missing::None;
    }
    let names = absent
        .iter()
        .map(|t| format!("{t:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    match ci {
        true => Missing::Fail(format!(
            "{test}: {names} not installed, and in CI a missing tool is a failure: run \
             `{INSTALL_HINT}` before `cargo test`"
        )),
        false => Missing::Skip(format!(
            "SKIPPED {test}: {names} not installed. To run the contract-tool tests: \
             `{INSTALL_HINT} && cargo test --all-features` (needs Node.js 20+ and Python 3)"
        )),
    }
}

/// Whether `CI` (its value, if set) says this runs in CI: set to anything
/// but empty, `false` or `0`.
pub fn in_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A free loopback port (bound, then released for the tool to bind).
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

#[derive(Default)]
struct LogState {
    text: String,
    open_streams: usize,
}

/// The merged stdout and stderr of a process, growing as it runs.
#[derive(Clone, Default)]
pub struct Log {
    inner: Arc<(Mutex<LogState>, Condvar)>,
}

impl Log {
    fn follow(&self, stream: impl Read + Send + 'static) {
        self.inner.0.lock().unwrap().open_streams += 1;
        let log = self.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut line = Vec::new();
            loop {
                line.clear();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let (state, changed) = &*log.inner;
                        state
                            .lock()
                            .unwrap()
                            .text
                            .push_str(&String::from_utf8_lossy(&line));
                        changed.notify_all();
                    }
                }
            }
            let (state, changed) = &*log.inner;
            state.lock().unwrap().open_streams -= 1;
            changed.notify_all();
        });
    }

    /// Everything logged so far.
    pub fn text(&self) -> String {
        self.inner.0.lock().unwrap().text.clone()
    }

    /// Waits until the log contains `marker` (true), or the process closed
    /// its output or the timeout passed (false). Woken by every new line.
    fn wait_for(&self, marker: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let (state, changed) = &*self.inner;
        let mut guard = state.lock().unwrap();
        loop {
            if guard.text.contains(marker) {
                return true;
            }
            let now = Instant::now();
            if guard.open_streams == 0 || now >= deadline {
                return false;
            }
            guard = changed.wait_timeout(guard, deadline - now).unwrap().0;
        }
    }

    /// Waits until both streams are closed (the process has exited).
    fn wait_closed(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let (state, changed) = &*self.inner;
        let mut guard = state.lock().unwrap();
        while guard.open_streams > 0 {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            guard = changed.wait_timeout(guard, deadline - now).unwrap().0;
        }
    }
}

/// A child process whose output is captured. It is killed when dropped, and
/// its log is printed if the test is failing at that moment.
pub struct Process {
    name: String,
    child: Child,
    log: Log,
}

impl Process {
    /// Starts `command` with its output captured.
    pub fn spawn(name: &str, mut command: Command) -> Process {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {name} ({command:?}): {e}. Run `{INSTALL_HINT}` to install the tools."
            )
        });
        let log = Log::default();
        log.follow(child.stdout.take().expect("piped stdout"));
        log.follow(child.stderr.take().expect("piped stderr"));
        Process {
            name: name.to_owned(),
            child,
            log,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn log(&self) -> String {
        self.log.text()
    }

    /// Waits until `marker` shows in the log; panics with the log when the
    /// process exits first or the timeout passes.
    pub fn wait_for_log(&self, marker: &str, timeout: Duration) {
        if !self.log.wait_for(marker, timeout) {
            panic!(
                "{} did not log {marker:?} within {timeout:?} (or it exited)\n{}",
                self.name,
                self.framed_log()
            );
        }
    }

    /// The log between two rules, for failure messages.
    pub fn framed_log(&self) -> String {
        format!(
            "----- {} log -----\n{}----- end of {} log -----",
            self.name,
            self.log(),
            self.name
        )
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            // The process is gone: read what it wrote up to its end.
            self.log.wait_closed(Duration::from_secs(5));
            eprintln!("{}", self.framed_log());
        }
    }
}

/// Runs a tool to completion and returns its exit status and merged output;
/// kills it, failing the test, after [`limit`]`(timeout)`.
///
/// The output goes to a file, not a pipe: Node tools that end with
/// `process.exit` lose what is still queued for a pipe.
pub fn run_tool(name: &str, mut command: Command, timeout: Duration) -> (ExitStatus, String) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let path = scratch_dir("runs").join(format!("{slug}-{n}.log"));
    let file = std::fs::File::create(&path).expect("a log file");
    command
        .stdout(file.try_clone().expect("a log file handle"))
        .stderr(file);
    let started = Instant::now();
    let mut child = command.spawn().unwrap_or_else(|e| {
        panic!("cannot start {name} ({command:?}): {e}. Run `{INSTALL_HINT}` to install the tools.")
    });
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let read_log = || std::fs::read_to_string(&path).unwrap_or_default();
    let timeout = limit(timeout);
    match finished.recv_timeout(timeout) {
        Ok(status) => (status.expect("the exit status"), read_log()),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!(
                "{name} did not finish within {timeout:?} (started {:?} ago); killed. On a busy \
                 machine, set {TIME_SCALE} (e.g. 3) to scale every tool-test limit\n\
                 ----- {name} output -----\n{}----- end of {name} output -----",
                started.elapsed(),
                read_log()
            );
        }
    }
}

/// A server on a free loopback port, ready once it logged its marker and
/// accepts connections.
pub struct Server {
    pub process: Process,
    pub port: u16,
}

impl Server {
    /// Starts `command` (which must listen on `port`) and waits until it is ready.
    pub fn start(name: &str, command: Command, port: u16, marker: &str) -> Server {
        let process = Process::spawn(name, command);
        let started = Instant::now();
        process.wait_for_log(marker, limit(READY_TIMEOUT));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        if let Err(e) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            panic!(
                "{name} logged {marker:?} after {:?} but {addr} refuses connections: {e}\n{}",
                started.elapsed(),
                process.framed_log()
            );
        }
        Server { process, port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        self.process.log()
    }
}

/// `prism mock --errors` serving the contract.
pub fn prism_mock() -> Server {
    let port = free_port();
    let mut command = Tool::Prism.command();
    command
        .args(["mock", "--errors", "-h", "127.0.0.1", "-p"])
        .arg(port.to_string())
        .arg(SPEC);
    Server::start("prism mock", command, port, "Prism is listening")
}

/// `prism proxy --errors` checking the contract between clients and `upstream`.
pub fn prism_proxy(upstream: &str) -> Server {
    let port = free_port();
    let mut command = Tool::Prism.command();
    command
        .args(["proxy", "--errors", "-h", "127.0.0.1", "-p"])
        .arg(port.to_string())
        .arg(SPEC)
        .arg(upstream);
    Server::start("prism proxy", command, port, "Prism is listening")
}

/// The path of the requests that mark how far Prism's log has been read.
const LOG_SYNC: &str = "/__log-sync/";

/// Prism's log up to now: sends a marker request and waits until Prism has
/// logged it, so every line of the exchanges before it has been read.
pub fn prism_log(server: &Server) -> String {
    let marker = format!("{LOG_SYNC}{}", uuid::Uuid::new_v4());
    let name = server.process.name();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port))
        .unwrap_or_else(|e| panic!("{name} does not accept connections: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    write!(
        stream,
        "GET {marker} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|e| panic!("{name} does not take a request: {e}"));
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    server
        .process
        .wait_for_log(&marker, limit(Duration::from_secs(10)));
    server
        .log()
        .lines()
        .filter(|line| !line.contains(LOG_SYNC))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// The problems in Prism's log up to now (see [`prism_problems`]).
pub fn prism_problems_now(server: &Server) -> Vec<String> {
    prism_problems(&prism_log(server))
}

/// The problems Prism logged: request or response violations, refused
/// requests, warnings. Empty when every exchange matched the contract.
pub fn prism_problems(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| line.contains('✖') || line.contains('⚠') || line.contains("Violation"))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// How many requests Prism received.
pub fn prism_requests(log: &str) -> usize {
    log.matches("Request received").count()
}

/// Fails, with Prism's complaints, when Prism logged any problem, or when it
/// did not receive exactly the `sent` requests (so nothing bypassed it).
pub fn assert_prism_saw_no_problem(server: &Server, sent: usize, what: &str) {
    let log = prism_log(server);
    let problems = prism_problems(&log);
    assert!(
        problems.is_empty(),
        "{what}: {} reported {} problem(s):\n  {}",
        server.process.name(),
        problems.len(),
        problems.join("\n  ")
    );
    assert_eq!(
        prism_requests(&log),
        sent,
        "{what}: {} received another number of requests than were sent",
        server.process.name()
    );
}

/// The contract as JSON.
pub fn document() -> Value {
    let text = std::fs::read_to_string(spec_path()).expect("the contract is readable");
    serde_yaml_ng::from_str(&text).expect("the contract is YAML")
}

/// A value no version of the contract has in `InviteeActionType`: built from
/// today's members (`NOT_` and all of them), so no future member is it.
pub fn not_an_action(document: &Value) -> String {
    let members = document["components"]["schemas"]["InviteeActionType"]["enum"]
        .as_array()
        .expect("InviteeActionType lists its members");
    format!(
        "NOT_{}",
        members.iter().filter_map(Value::as_str).collect::<String>()
    )
}

/// Follows a local `$ref` (`#/a/b`) if `value` is one.
pub fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local $refs are supported: {reference}"));
            let target = document
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"));
            resolve(document, target)
        }
        None => value,
    }
}

/// One example of a media type in the document.
#[derive(Clone, Debug)]
pub struct Example {
    /// Where it is, e.g. `POST ... requestBody application/json examples.seedRequest`.
    pub location: String,
    /// `requestBody` or the response's status key (`200`, `4XX`, ...).
    pub status: String,
    /// The example's name (`example` for the singular form).
    pub name: String,
    /// The component schema its media type refers to, e.g. `ODataError`.
    pub schema: String,
    pub value: Value,
}

/// Every example of every request body and response of the document.
pub fn examples(document: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    let paths = document["paths"].as_object().expect("paths");
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            if operation.get("responses").is_none() {
                continue;
            }
            let at = format!("{} {path}", method.to_uppercase());
            if let Some(body) = operation.get("requestBody") {
                let body = resolve(document, body);
                media_examples(document, &at, "requestBody", body, &mut found);
            }
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let response = resolve(document, response);
                media_examples(document, &at, status, response, &mut found);
            }
        }
    }
    found
}

fn media_examples(
    document: &Value,
    at: &str,
    status: &str,
    holder: &Value,
    found: &mut Vec<Example>,
) {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return;
    };
    for (media_type, media) in content {
        let schema = media
            .get("schema")
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .unwrap_or_else(|| {
                panic!("{at} {status} {media_type}: the schema is not a component $ref")
            })
            .to_owned();
        let mut push = |name: &str, value: &Value| {
            found.push(Example {
                location: format!("{at} {status} {media_type} examples.{name}"),
                status: status.to_owned(),
                name: name.to_owned(),
                schema: schema.clone(),
                value: value.clone(),
            });
        };
        if let Some(value) = media.get("example") {
            push("example", value);
        }
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            for (name, example) in examples {
                let example = resolve(document, example);
                let value = example
                    .get("value")
                    .unwrap_or_else(|| panic!("{at} {status} example {name} has no inline value"));
                push(name, value);
            }
        }
    }
}
