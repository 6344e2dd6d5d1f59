//! Running the tools a task drives, and how a task fails.

use std::path::Path;
use std::process::{Command, ExitCode, Output};

/// Why a task stopped, with its exit status.
#[derive(Debug)]
pub struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// The document or the setup is unusable: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }

    pub fn report(self) -> ExitCode {
        eprintln!("error: {}", self.message);
        ExitCode::from(self.code)
    }
}

/// The repository's root (this crate lives in `xtask/`).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the repository")
}

/// Runs `command`, capturing its output; a command that cannot start is a
/// setup failure naming it.
pub fn output(command: &mut Command) -> Result<Output, Failure> {
    command
        .output()
        .map_err(|e| Failure::usage(format!("cannot run {:?}: {e}", command.get_program())))
}

/// The `cargo` that runs this task.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}
