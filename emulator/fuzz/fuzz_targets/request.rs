//! The emulator's request validation never panics, whatever the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = linkedin_invitations_emulator::fuzz_request(body);
});
