//! Compiles `openapi/invitations.yaml` into the generated client and model
//! layer, written to `OUT_DIR/generated.rs` and included by `src/generated.rs`.
//!
//! A document this build cannot turn into Rust fails the build with one
//! message naming the file, the JSON pointer of the construct and what to do
//! instead: never a panic backtrace, never rustc errors inside `OUT_DIR`.
//!
//! Type mapping (typify's, kept on purpose; every crate it names is a
//! dependency, checked by `crates.rs`):
//!
//! | OpenAPI | Rust |
//! |---|---|
//! | `string`, `format: date-time` | `chrono::DateTime<chrono::Utc>` (Graph's `Edm.DateTimeOffset` is RFC 3339 with an offset) |
//! | `string`, `format: date` | `chrono::NaiveDate` |
//! | `string`, `format: uuid` | `uuid::Uuid` |
//! | `string`, `format: ipv4`/`ipv6`/`ip` | `std::net` addresses |
//! | `string`, any other format (`time`, `duration`, `byte`, `binary`, ...) | `String`: kept as sent, no lossy parse |
//! | `string` with `pattern`, `minLength`, `maxLength` | a checked newtype (`regress` for the pattern) |
//! | `integer` `int8`..`int64`, `uint8`..`uint64`; no format | `i8`..`i64`, `u8`..`u64`; `i64` |
//! | `number` `float`; `double` or none | `f32`; `f64` |
//! | `enum` of strings or integers | a generated `#[non_exhaustive]` enum |
//! | not required, or `nullable: true` | `Option<T>` |
//! | `anyOf: [$ref X, {type: object, nullable: true}]` (Graph's nullable reference) | `Option<X>` (`idioms.rs`) |
//! | `allOf: [$ref X, {properties}]` (Graph's derived type) | one struct of `X`'s properties and its own |
//! | `oneOf`, or `anyOf` of scalars (Graph's `Int64`, `Decimal`) | an untagged enum, first matching variant wins (`idioms.rs`) |
//! | `additionalProperties` | a `serde_json::Map` (flattened beside the properties) |
//! | `x-rust-type` | the named type (this crate's `Secret`, `String`) |

// The steps live in `build/`, one concern a file (`request_schema.rs` is the
// emulator's, run by `emulator/build.rs`).
// Request constraints as generated checks (before any I/O).
#[path = "build/constraints.rs"]
mod constraints;
#[path = "build/crates.rs"]
mod crates;
// `deprecated` in the document as `#[deprecated]` in Rust.
#[path = "build/deprecation.rs"]
mod deprecation;
#[path = "build/idioms.rs"]
mod idioms;
#[path = "build/preflight.rs"]
mod preflight;
// `default` responses as errors; responses no Rust type can hold, named.
#[path = "build/responses.rs"]
mod responses;
#[path = "build/shape.rs"]
mod shape;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SPEC: &str = "openapi/invitations.yaml";

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build");
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
    let mut document: serde_json::Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("not YAML or JSON: {e}"))?;
    preflight::check(&document)?;
    responses::check(&document)?;
    responses::rewrite(&mut document);
    idioms::rewrite(&mut document);
    let mut for_generator = document.clone();
    idioms::scalar_unions(&mut for_generator);
    let spec: openapiv3::OpenAPI = serde_json::from_value(for_generator)
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;

    let tokens = run_progenitor(&spec)?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    crates::check(&file)?;
    shape::make_additions_compatible(&mut file);
    shape::route_sends_through_hooks(&mut file);
    // What no generated check can hold is named, not dropped.
    for unchecked in constraints::add_checks(&document, &mut file) {
        println!("cargo:warning={SPEC}: {unchecked}");
    }
    let deprecated = deprecation::mark(&document, SPEC, &mut file);
    let declared: Vec<String> = deprecated
        .declared
        .iter()
        .map(|p| format!("{p:?}"))
        .collect();
    println!(
        "cargo::rustc-check-cfg=cfg(contract_deprecated, values({}))",
        declared.join(", ")
    );
    for property in &deprecated.cfgs {
        println!("cargo::rustc-cfg=contract_deprecated={property:?}");
    }
    let code = prettyplease::unparse(&file);

    let out: PathBuf = std::env::var_os("OUT_DIR")
        .ok_or("OUT_DIR is not set (run through cargo)")?
        .into();
    let path = out.join("generated.rs");
    std::fs::write(&path, &code).map_err(|e| format!("cannot write the generated client: {e}"))?;
    // The reviewable copy, as committed at `openapi/generated/client.rs`: the
    // snapshot test compares it, `cargo xtask regenerate` copies it.
    let snapshot = out.join("client.snapshot.rs");
    std::fs::write(&snapshot, format!("{SNAPSHOT_HEADER}{code}"))
        .map_err(|e| format!("cannot write the reviewable copy: {e}"))?;
    println!(
        "cargo:rustc-env=GENERATED_SNAPSHOT_PATH={}",
        snapshot.display()
    );
    Ok(())
}

const SNAPSHOT_HEADER: &str = "\
// @generated by progenitor from openapi/invitations.yaml (see build.rs).
// A reviewable copy, not compiled. Refresh it with:
//     cargo xtask regenerate

";

fn run_progenitor(spec: &openapiv3::OpenAPI) -> Result<proc_macro2::TokenStream, String> {
    let mut settings = progenitor::GenerationSettings::default();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_hooks(progenitor::HooksMode::Expected)
        .with_inner_type("crate::Pipeline".parse().expect("a type path"))
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // `x-rust-type` names the Rust types of some strings: this crate's
        // `Secret` for the validation token (`lib.rs` makes the crate's own
        // name resolve inside it), `String` for the invitation id.
        .with_crate("linkedin-invitations", progenitor::CrateVers::Any, None)
        .with_crate("std", progenitor::CrateVers::Any, None);

    // progenitor 0.15 panics on some documents it cannot handle (unsupported
    // constructs reach `todo!`/`panic!`); the preflight names the known ones
    // with their place, and any other becomes the same one-line failure.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let tokens = std::panic::catch_unwind(move || {
        progenitor::Generator::new(&settings).generate_tokens(spec)
    });
    std::panic::set_hook(previous_hook);
    match tokens {
        Ok(result) => result.map_err(|e| format!("cannot generate a client: {e}")),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unsupported construct");
            Err(format!("cannot generate a client: {why}"))
        }
    }
}
