//! The client's test builders (`tests/support` at the repository root) and
//! the emulator's own: raw exchanges, the standalone example, valid values.
#![allow(dead_code, unused_imports)]

#[path = "../../../tests/support/mod.rs"]
mod shared;

pub use shared::*;

pub mod raw;
pub mod standalone;
