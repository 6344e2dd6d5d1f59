//! Converts every operation of the client's OpenAPI document
//! (`../openapi/invitations.yaml`, the one contract) into the table the
//! emulator routes, validates and answers by, with its JSON Schemas, written
//! to `OUT_DIR/operations.json`. The document's rewrite is the client's
//! (`../build/idioms.rs`), so both read the document the same way.

#[path = "../build/idioms.rs"]
#[allow(dead_code)] // The generator's other rewrites are not needed here.
mod idioms;
#[path = "../build/request_schema.rs"]
mod request_schema;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SPEC: &str = "../openapi/invitations.yaml";

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=../build/idioms.rs");
    println!("cargo:rerun-if-changed=../build/request_schema.rs");
    println!("cargo:rerun-if-changed=build.rs");
    match write_schema(Path::new(SPEC)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cause) => {
            eprintln!("error: {SPEC}: {cause}");
            ExitCode::FAILURE
        }
    }
}

fn write_schema(spec_path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec_path).map_err(|e| format!("cannot read: {e}"))?;
    let mut document: serde_json::Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("not YAML or JSON: {e}"))?;
    idioms::rewrite(&mut document);
    let out: PathBuf = std::env::var_os("OUT_DIR")
        .ok_or("OUT_DIR is not set (run through cargo)")?
        .into();
    request_schema::write(&document, &out)
}
