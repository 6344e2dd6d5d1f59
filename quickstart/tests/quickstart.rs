//! The quickstart reads as a person would want: statuses, kinds and
//! deliveries in words, no Rust `Debug` output (`Some(..)`, `None`, quoted
//! strings) anywhere.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn the_quickstart_prints_words_not_debug_output() {
    let exe = env!("CARGO_BIN_EXE_quickstart");
    let started = Instant::now();
    let output = Command::new(exe).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{text}");
    for debug in ["Some(", "None", "\"", "{ ", "Closed,"] {
        assert!(
            !text.contains(debug),
            "the quickstart prints {debug:?}:\n{text}"
        );
    }
    for words in [
        "closed (200)",
        "validation token mismatch (403)",
        "not found (404)",
        "kind service",
        "delivery processed",
    ] {
        assert!(
            text.contains(words),
            "the quickstart does not print {words:?}:\n{text}"
        );
    }
}
