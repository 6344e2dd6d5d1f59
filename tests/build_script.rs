//! The build script turns a document it cannot use into one line naming the
//! file and the cause (no panic backtrace), and a good one into the client.
//!
//! It runs the real, already-compiled build script against documents in a
//! scratch directory, exactly as cargo runs it (cwd = the package root).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// The newest compiled build script of this package.
fn build_script() -> PathBuf {
    let target = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .to_path_buf();
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(target.join("build"))
        .unwrap()
        .filter_map(|entry| {
            let dir = entry.ok()?.path();
            let name = dir.file_name()?.to_str()?.to_owned();
            // Cargo names it after the script's file: `build.rs`.
            let script = dir.join(format!(
                "build-script-build{}",
                std::env::consts::EXE_SUFFIX
            ));
            (name.starts_with("linkedin-invitations-") && script.exists()).then_some(script)
        })
        .collect();
    scripts.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    scripts
        .pop()
        .expect("cargo compiled the build script before the tests")
}

struct Run {
    ok: bool,
    stderr: String,
    generated: Option<String>,
}

fn run_with_document(name: &str, document: &str) -> Run {
    let dir = std::env::temp_dir().join(format!("build-script-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("openapi")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("openapi/invitations.yaml"), document).unwrap();
    let output = Command::new(build_script())
        .current_dir(&dir)
        .env("OUT_DIR", dir.join("out"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let generated = std::fs::read_to_string(dir.join("out/generated.rs")).ok();
    std::fs::remove_dir_all(&dir).unwrap();
    Run {
        ok: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        generated,
    }
}

fn assert_one_line_failure(run: &Run, cause: &str) {
    assert!(!run.ok, "the build must fail");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line, no backtrace:\n{}", run.stderr);
    assert!(
        lines[0].starts_with("error: openapi/invitations.yaml: "),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(cause),
        "{} should mention {cause}",
        lines[0]
    );
    assert!(run.generated.is_none());
}

const CONTRACT: &str = include_str!("../openapi/invitations.yaml");

/// The contract as a value, to edit by JSON pointer: the edits below hold for
/// any version of the document, not for today's text.
fn contract() -> Value {
    serde_yaml_ng::from_str(CONTRACT).expect("the contract is YAML")
}

/// JSON is YAML: the build script reads either.
fn run_with_value(name: &str, document: &Value) -> Run {
    run_with_document(name, &serde_json::to_string_pretty(document).unwrap())
}

const OPERATION: &str = "/paths/~1linkedIn~1invitations~1inviteeClosingInvitation/post";

/// The component schema of the response item (what the 200 body's array holds).
fn response_item_name(document: &Value) -> String {
    let reference = |schema: &Value| -> String {
        let r = schema["$ref"].as_str().expect("a $ref");
        r.rsplit('/').next().unwrap().to_owned()
    };
    let body = reference(
        &document["paths"]["/linkedIn/invitations/inviteeClosingInvitation"]["post"]["responses"]
            ["200"]["content"]["application/json"]["schema"],
    );
    let schemas = &document["components"]["schemas"];
    let array = schemas[&body]["properties"]
        .as_object()
        .unwrap()
        .values()
        .find_map(|p| p.get("$ref").map(|_| reference(p)))
        .expect("the body wraps its results");
    let items = schemas[&array]["properties"]
        .as_object()
        .unwrap()
        .values()
        .find(|p| p["type"] == "array")
        .expect("an array of results");
    reference(&items["items"])
}

/// The contract with one more optional property on the response item.
fn with_response_property(name: &str, schema: Value) -> (Value, String) {
    let mut document = contract();
    let item = response_item_name(&document);
    document["components"]["schemas"][&item]["properties"][name] = schema;
    (document, item)
}

#[test]
fn the_real_contract_generates_the_client_without_api_version_leaking_into_src() {
    let run = run_with_document("ok", CONTRACT);
    assert!(run.ok, "{}", run.stderr);
    let code = run.generated.unwrap();
    assert!(code.contains("pub fn invitee_closing_invitation"));
    assert!(code.contains("pub struct InviteeClosingInvitationRequest"));
}

#[test]
fn yaml_that_does_not_parse_fails_with_one_line() {
    let run = run_with_document("yaml", "openapi: 3.0.3\ninfo: [unclosed\n");
    assert_one_line_failure(&run, "not YAML or JSON");
}

#[test]
fn a_document_that_is_not_openapi_fails_with_one_line() {
    let run = run_with_document("shape", "openapi: 3.0.3\ntitle: no info, no paths\n");
    assert_one_line_failure(&run, "missing field");
}

#[test]
fn a_document_progenitor_cannot_generate_fails_with_one_line_not_a_panic() {
    // An operation without an operationId: progenitor cannot name the method.
    let mut broken = contract();
    let operation = broken
        .pointer_mut(OPERATION)
        .unwrap()
        .as_object_mut()
        .unwrap();
    assert!(operation.remove("operationId").is_some());
    let run = run_with_value("codegen", &broken);
    assert_one_line_failure(&run, &format!("#{OPERATION} has no operationId"));
}

#[test]
fn every_string_integer_and_number_format_generates_a_type_this_crate_provides() {
    // (the schema, the Rust type the build maps it to)
    let formats = [
        (
            json!({"type": "string", "format": "date-time"}),
            "::chrono::DateTime<::chrono::offset::Utc>",
        ),
        (
            json!({"type": "string", "format": "date"}),
            "::chrono::naive::NaiveDate",
        ),
        (json!({"type": "string", "format": "uuid"}), "::uuid::Uuid"),
        (
            json!({"type": "string", "format": "time"}),
            "::std::string::String",
        ),
        (
            json!({"type": "string", "format": "duration"}),
            "::std::string::String",
        ),
        (
            json!({"type": "string", "format": "byte"}),
            "::std::string::String",
        ),
        (
            json!({"type": "string", "format": "binary"}),
            "::std::string::String",
        ),
        (json!({"type": "integer", "format": "int64"}), "i64"),
        (json!({"type": "number", "format": "float"}), "f32"),
        (json!({"type": "number", "format": "double"}), "f64"),
        (
            json!({"type": "string", "nullable": true}),
            "::std::string::String",
        ),
    ];
    for (schema, rust) in formats {
        let added = "added";
        let (document, _) = with_response_property(added, schema.clone());
        let run = run_with_value("format", &document);
        assert!(run.ok, "{schema}: {}", run.stderr);
        let code = run.generated.unwrap();
        assert!(
            code.contains(&format!("pub added: ::std::option::Option<{rust}>")),
            "{schema} should be Option<{rust}>"
        );
    }
}

#[test]
fn a_description_that_writes_a_path_is_text_not_a_crate_the_code_needs() {
    let (mut document, item) = with_response_property(
        "note",
        json!({"type": "string", "description": "Written as ::name::value, see ::serde::Value."}),
    );
    document["components"]["schemas"][&item]["description"] =
        json!("An item, like ::other::Item (::x::y).");
    let run = run_with_value("description-path", &document);
    assert!(run.ok, "{}", run.stderr);
    let code = run.generated.unwrap();
    assert!(code.contains("::name::value"), "the description is kept");
}

/// The component `Identity` (an object of one optional `id`) the nullable
/// reference tests point at.
fn with_identity(document: &mut Value) {
    document["components"]["schemas"]["Identity"] = json!({
        "type": "object",
        "properties": {"id": {"type": "string", "nullable": true}},
    });
}

#[test]
fn graphs_nullable_reference_generates_an_optional_reference_not_a_struct_of_parts() {
    for (order, parts) in [
        (
            "reference first",
            json!([{"$ref": "#/components/schemas/Identity"}, {"type": "object", "nullable": true}]),
        ),
        (
            "reference last",
            json!([{"nullable": true}, {"$ref": "#/components/schemas/Identity"}]),
        ),
    ] {
        let (mut document, _) = with_response_property("invitedBy", json!({ "anyOf": parts }));
        with_identity(&mut document);
        let run = run_with_value("nullable-ref", &document);
        assert!(run.ok, "{order}: {}", run.stderr);
        let code = run.generated.unwrap();
        assert!(
            code.contains("pub invited_by: ::std::option::Option<Identity>"),
            "{order}: invitedBy should be Option<Identity>"
        );
    }
}

#[test]
fn a_property_named_example_or_examples_is_a_schema_the_idioms_rewrite() {
    for name in ["example", "examples"] {
        let (mut document, item) = with_response_property(
            name,
            json!({"anyOf": [{"$ref": "#/components/schemas/Identity"}, {"type": "object", "nullable": true}]}),
        );
        document["components"]["schemas"][&item]["properties"]["cost"] =
            json!({"anyOf": [{"type": "number"}, {"type": "string"}]});
        with_identity(&mut document);
        let run = run_with_value(&format!("property-{name}"), &document);
        assert!(run.ok, "{name}: {}", run.stderr);
        let code = run.generated.unwrap();
        assert!(
            code.contains(&format!("pub {name}: ::std::option::Option<Identity>")),
            "the property `{name}` should be Option<Identity>"
        );
    }
}

#[test]
fn an_any_of_of_scalars_generates_an_enum_that_holds_each_not_a_struct_of_flattened_parts() {
    let (mut document, _) = with_response_property(
        "cost",
        json!({"anyOf": [
            {"type": "number", "format": "double"},
            {"type": "string"},
            {"$ref": "#/components/schemas/ReferenceNumeric"},
        ]}),
    );
    document["components"]["schemas"]["ReferenceNumeric"] =
        json!({"type": "string", "enum": ["-INF", "INF", "NaN"]});
    let run = run_with_value("scalar-union", &document);
    assert!(run.ok, "{}", run.stderr);
    let code = run.generated.unwrap();
    assert!(code.contains("#[serde(untagged)]"), "an untagged enum");
    assert!(
        !code.contains("pub subtype_0: ::std::option::Option<f64>"),
        "a flattened number cannot be read"
    );
}

#[test]
fn a_union_of_a_reference_and_a_constrained_object_is_generated_as_written() {
    let (mut document, _) = with_response_property(
        "invitedBy",
        json!({"anyOf": [
            {"$ref": "#/components/schemas/Identity"},
            {"type": "object", "nullable": true, "properties": {"email": {"type": "string"}}},
        ]}),
    );
    with_identity(&mut document);
    let run = run_with_value("union", &document);
    assert!(run.ok, "{}", run.stderr);
    let code = run.generated.unwrap();
    assert!(!code.contains("pub invited_by: ::std::option::Option<Identity>"));
}

/// `inviteActionData` → `invite_action_data`, `@odata.type` → `odata_type`,
/// as typify names fields.
fn snake(name: &str) -> String {
    let words = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let mut out = String::new();
    for word in words {
        if !out.is_empty() {
            out.push('_');
        }
        for (i, c) in word.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// `ALREADY_CLOSED` → `AlreadyClosed`, as typify names variants.
fn variant(member: &str) -> String {
    member
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            let mut chars = w.chars();
            chars
                .next()
                .unwrap()
                .to_uppercase()
                .chain(chars)
                .collect::<String>()
        })
        .collect()
}

#[test]
fn generated_types_are_non_exhaustive_with_a_constructor_of_the_required_properties() {
    let document = contract();
    let run = run_with_document("shape", CONTRACT);
    let code = run.generated.expect("the contract generates");
    let item = response_item_name(&document);
    let schema = &document["components"]["schemas"][&item];
    let declared = code
        .split(&format!("pub struct {item} {{"))
        .next()
        .and_then(|before| before.rsplit("#[derive(").next())
        .unwrap();
    assert!(declared.contains("#[non_exhaustive]"), "{declared}");
    let constructor = code
        .split(&format!("impl {item} {{"))
        .find(|part| part.trim_start().starts_with("///Builds the value"))
        .expect("a constructor after the type");
    let signature = &constructor[..constructor.find("-> Self").unwrap()];
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for name in schema["properties"].as_object().unwrap().keys() {
        let parameter = format!("{}:", snake(name));
        assert_eq!(
            signature.contains(&parameter),
            required.contains(&name.as_str()),
            "`{name}` is a parameter of `new` exactly when it is required: {signature}"
        );
    }
    // `ALL` lists the action's members, in the document's order.
    let members: Vec<String> = document["components"]["schemas"]["InviteeActionType"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("Self::{}", variant(m.as_str().unwrap())))
        .collect();
    assert!(
        code.contains(&format!(
            "pub const ALL: &'static [Self] = &[{}];",
            members.join(", ")
        )),
        "ALL should list {members:?}"
    );
}

#[test]
fn constructs_the_generator_cannot_handle_are_refused_with_their_json_pointer() {
    let operation = format!("#{OPERATION}");
    let mut newer = contract();
    newer["openapi"] = "3.1.0".into();
    let mut two_media_types = contract();
    two_media_types
        .pointer_mut(&format!("{OPERATION}/requestBody/content"))
        .unwrap()["text/plain"] = json!({"schema": {"type": "string"}});
    let mut second_success = contract();
    second_success
        .pointer_mut(&format!("{OPERATION}/responses"))
        .unwrap()["201"] = json!({
        "description": "other",
        "content": {"application/json": {"schema": {"type": "string"}}}
    });
    let (type_array, item) = with_response_property("added", json!({"type": ["string", "null"]}));
    let (bad_pattern, _) =
        with_response_property("added", json!({"type": "string", "pattern": "(unclosed"}));
    let cases = [
        (newer, "#/openapi is \"3.1.0\"".to_owned()),
        (
            two_media_types,
            format!("{operation}/requestBody/content offers 2 media types"),
        ),
        (
            second_success,
            format!("{operation}/responses/201 has a second success body type"),
        ),
        (
            type_array,
            format!("#/components/schemas/{item}/properties/added/type is"),
        ),
        (
            bad_pattern,
            format!("#/components/schemas/{item}/properties/added/pattern is not an ECMAScript regular expression"),
        ),
    ];
    for (document, pointer) in cases {
        assert_ne!(document, contract(), "the edit for {pointer} did not apply");
        let run = run_with_value("refused", &document);
        assert_one_line_failure(&run, &pointer);
    }
}
