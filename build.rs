//! Compiles `openapi/invitations.yaml` into the generated client and model
//! layer, written to `OUT_DIR/generated.rs` and included by `src/generated.rs`.
//!
//! A document that cannot be read, parsed or generated fails the build with one
//! line naming the file and the cause, never a panic backtrace.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SPEC: &str = "openapi/invitations.yaml";

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    match generate(Path::new(SPEC)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cause) => {
            eprintln!("error: {SPEC}: {cause}");
            ExitCode::FAILURE
        }
    }
}

fn generate(spec_path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec_path).map_err(|e| format!("cannot read: {e}"))?;
    let spec: openapiv3::OpenAPI =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;

    let mut settings = progenitor::GenerationSettings::default();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_hooks(progenitor::HooksMode::Expected)
        .with_inner_type("crate::pipeline::Pipeline".parse().expect("a type path"))
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // `x-rust-type` names the Rust types of some strings: this crate's
        // `Secret` for the validation token (`lib.rs` makes the crate's own
        // name resolve inside it), `String` for the invitation id.
        .with_crate("linkedin-invitations", progenitor::CrateVers::Any, None)
        .with_crate("std", progenitor::CrateVers::Any, None);

    // progenitor 0.15 panics on some documents it cannot handle (unsupported
    // constructs reach `unimplemented!`/`panic!`);
    // turn such a panic into the same one-line failure as any other error.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let tokens = std::panic::catch_unwind(move || {
        progenitor::Generator::new(&settings).generate_tokens(&spec)
    });
    std::panic::set_hook(previous_hook);
    let tokens = match tokens {
        Ok(result) => result.map_err(|e| format!("cannot generate a client: {e}"))?,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unsupported construct");
            return Err(format!("cannot generate a client: {why}"));
        }
    };

    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    let code = prettyplease::unparse(&file);

    let out: PathBuf = std::env::var_os("OUT_DIR")
        .ok_or("OUT_DIR is not set (run through cargo)")?
        .into();
    let path = out.join("generated.rs");
    std::fs::write(&path, code).map_err(|e| format!("cannot write the generated client: {e}"))?;
    // Lets the snapshot test find the generated file without re-running progenitor.
    println!("cargo:rustc-env=GENERATED_CLIENT_PATH={}", path.display());
    Ok(())
}
