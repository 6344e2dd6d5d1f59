//! Loading any text as a contract ends in a document or a load error, and a
//! document that loads compares with itself and with the project's contract
//! without a panic or a hang (recursive schemas included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use contract_diff::{compare, Document, Options, Profile};

const CONTRACT: &str = include_str!("../../openapi/invitations.yaml");

fuzz_target!(|text: &str| {
    let Ok(document) = Document::from_text("fuzz.yaml", text) else {
        return;
    };
    let ours = Document::from_text("invitations.yaml", CONTRACT).expect("our contract loads");
    let options = Options::with_profile(Profile::Codegen);
    let _ = compare(&document, &document, &options);
    let _ = compare(&ours, &document, &options);
    let _ = compare(&document, &ours, &options);
});
