//! The generated client is committed at `openapi/generated/client.rs`, so
//! that a review of a change to the OpenAPI document shows what it does to
//! the Rust API. This test fails when that copy is stale; `cargo xtask
//! regenerate` (or `UPDATE_SNAPSHOT=1` on this test) refreshes it.

use std::path::Path;

const SNAPSHOT: &str = "openapi/generated/client.rs";
const REFRESH: &str = "cargo xtask regenerate";

#[test]
fn committed_generated_client_is_current() {
    // The build script writes the copy as it should be committed.
    let expected = std::fs::read_to_string(env!("GENERATED_SNAPSHOT_PATH")).unwrap_or_else(|e| {
        panic!(
            "the build script's output {}: {e}",
            env!("GENERATED_SNAPSHOT_PATH")
        )
    });
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);

    if std::env::var_os("UPDATE_SNAPSHOT").is_some() {
        std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("cannot write {SNAPSHOT}: {e}"));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == expected {
        return;
    }
    let first_difference = committed
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(expected.lines().count()));
    let line = first_difference + 1;
    panic!(
        "{SNAPSHOT} is stale (first difference at line {line}: committed {:?}, generated {:?}).\nRefresh it with:\n    {REFRESH}",
        committed.lines().nth(first_difference).unwrap_or("<end of file>"),
        expected.lines().nth(first_difference).unwrap_or("<end of file>"),
    );
}
