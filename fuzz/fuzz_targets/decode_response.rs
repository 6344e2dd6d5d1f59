//! Any status and body decode to an outcome or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let (status, body) = match input {
        [hi, lo, body @ ..] => (u16::from_be_bytes([*hi, *lo]) % 600, body),
        _ => (200, input),
    };
    let _ = linkedin_invitations::fuzzing::decode_response(status, body);
});
