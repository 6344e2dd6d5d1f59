//! The emulator example binary, running in a process of its own (so that
//! its state outlives a client that is killed), killed when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub struct Served {
    pub child: Child,
    pub url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    pub fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// Sends SIGINT, as Ctrl-C does.
    pub fn interrupt(&self) {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Polls until the process exits, for at most `limit`.
    pub fn exit_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        wait_for_exit(&mut self.child, limit)
    }
}

pub fn wait_for_exit(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// Starts the example with `args` on a free loopback port; returns once it
/// has printed the URL it serves.
pub fn serve(args: &[&str]) -> Served {
    serve_with(Command::new(super::example_binary("emulator")), args)
}

/// As [`serve`], from a prepared command (limits, environment).
pub fn serve_with(mut command: Command, args: &[&str]) -> Served {
    let mut child = command
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().strip_prefix("listening on ").map(str::to_owned);
    let served = Served {
        child,
        url: url.unwrap_or_default(),
    };
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "printed {line:?}"
    );
    served
}
