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
            // Cargo names it after the script's file: `build.rs`, in
            // `<package>-<hash>` (not the emulator's `linkedin-invitations-emulator-<hash>`).
            let script = dir.join(format!(
                "build-script-build{}",
                std::env::consts::EXE_SUFFIX
            ));
            let ours = name
                .strip_prefix("linkedin-invitations-")
                .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()));
            (ours && script.exists()).then_some(script)
        })
        .collect();
    scripts.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    scripts
        .pop()
        .expect("cargo compiled the build script before the tests")
}

struct Run {
    ok: bool,
    stdout: String,
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
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
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

/// The request body's component schema, its list property's name, and
/// the component schema of the list's items.
fn request_list(document: &Value) -> (String, String, String) {
    let reference = document
        .pointer(&format!(
            "{OPERATION}/requestBody/content/application~1json/schema/$ref"
        ))
        .and_then(Value::as_str)
        .expect("the request body is a $ref");
    let request = reference.rsplit('/').next().unwrap().to_owned();
    let list = document["components"]["schemas"][&request]["properties"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, p)| p["type"] == "array")
        .map(|(name, _)| name.clone())
        .expect("a list of items");
    let item = document["components"]["schemas"][&request]["properties"][&list]["items"]["$ref"]
        .as_str()
        .expect("items by $ref")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    (request, list, item)
}

/// Code without white space or the trailing commas of wrapped lists, to
/// find a statement however it was wrapped.
fn squeezed(code: &str) -> String {
    let code: String = code.split_whitespace().collect();
    code.replace(",)", ")").replace(",>", ">")
}

#[test]
fn request_constraints_become_checks_before_sending_whatever_the_rust_type() {
    let mut edited = contract();
    let (request, list, item) = request_list(&edited);
    let schemas = &mut edited["components"]["schemas"];
    schemas[&request]["properties"][&list]["maxItems"] = 20.into();
    // A pattern on the id, whose `x-rust-type` (a plain String) keeps no
    // constraint of its own.
    let id = schemas[&item]["properties"]
        .as_object_mut()
        .unwrap()
        .iter_mut()
        .find(|(_, p)| p["x-rust-type"]["path"] == "std::string::String")
        .map(|(name, p)| {
            p["pattern"] = "^[0-9]+$".into();
            name.clone()
        })
        .expect("a property under x-rust-type String");
    // A number, a list of strings and a nested object, generated as typify's
    // `NonZeroU32`, `Vec<String>` and a struct of their own.
    let properties = &mut edited["components"]["schemas"][&item]["properties"];
    properties["priority"] = json!({"type": "integer", "format": "int32", "minimum": 1});
    properties["labels"] = json!({
        "type": "array", "uniqueItems": true, "items": {"type": "string", "maxLength": 10}
    });
    properties["note"] =
        json!({"type": "object", "properties": {"text": {"type": "string", "minLength": 2}}});

    let run = run_with_value("constraints", &edited);
    assert!(run.ok, "{}", run.stderr);
    let code = squeezed(&run.generated.unwrap());
    let field = snake(&list).to_uppercase();
    for needle in [
        format!("let at = at.field(\"{list}\");"),
        "crate::constraints::max_items(&at, value.len(), 20usize)?;".to_owned(),
        format!("pub const {field}_MAX_ITEMS: ::std::option::Option<usize> = ::std::option::Option::Some(20usize);"),
        format!("let at = at.field(\"{id}\");"),
        "crate::constraints::pattern(&at, text, &PATTERN, \"^[0-9]+$\")?;".to_owned(),
        "crate::constraints::minimum(&at, number, 1f64, false)?;".to_owned(),
        "crate::constraints::unique_items(&at, value.clone())?;".to_owned(),
        "crate::constraints::max_length(&at, text, 10usize)?;".to_owned(),
        "let at = at.field(\"note\"); crate::constraints::Check::check(value, &at)?;".to_owned(),
        "crate::constraints::min_length(&at, text, 2usize)?;".to_owned(),
        // The generated `send()` checks its body before it builds the request.
        "crate::constraints::Check::check(&body, &crate::constraints::Place::Root)".to_owned(),
    ] {
        assert!(code.contains(&squeezed(&needle)), "no {needle}");
    }
    let unedited = squeezed(
        &run_with_document("unconstrained", CONTRACT)
            .generated
            .unwrap(),
    );
    assert!(!unedited.contains("max_items("));
    assert!(!unedited.contains("PATTERN"));
}

#[test]
fn a_constrained_string_component_a_newtype_builds_without_a_panic() {
    let mut edited = contract();
    let (_, _, item) = request_list(&edited);
    edited["components"]["schemas"]["InvitationCode"] =
        json!({"type": "string", "pattern": "^[a-z]+$", "maxLength": 10});
    edited["components"]["schemas"][&item]["properties"]["invitationCode"] =
        json!({"$ref": "#/components/schemas/InvitationCode"});

    let run = run_with_value("newtype", &edited);
    assert!(run.ok, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run
        .generated
        .unwrap()
        .contains("pub struct InvitationCode("));
}

#[test]
fn what_the_document_deprecates_is_deprecated_in_rust_and_named_to_the_facade() {
    let mut edited = contract();
    let (_, _, item) = request_list(&edited);
    let properties = edited["components"]["schemas"][&item]["properties"]
        .as_object_mut()
        .unwrap();
    let (optional, property) = properties
        .iter_mut()
        .find(|(_, p)| p.get("x-rust-type").is_none() && !p["description"].is_null())
        .map(|(name, p)| (name.clone(), p))
        .expect("a plain property");
    property["deprecated"] = true.into();
    edited.pointer_mut(OPERATION).unwrap()["deprecated"] = true.into();
    let parameter = edited
        .pointer(&format!("{OPERATION}/parameters/0/$ref"))
        .cloned();
    let parameter = parameter
        .and_then(|r| r.as_str().map(|r| r.trim_start_matches('#').to_owned()))
        .unwrap_or(format!("{OPERATION}/parameters/0"));
    edited.pointer_mut(&parameter).unwrap()["deprecated"] = true.into();
    let parameter_name = edited.pointer(&parameter).unwrap()["name"]
        .as_str()
        .unwrap()
        .to_owned();

    let run = run_with_value("deprecated", &edited);
    assert!(run.ok, "{}", run.stderr);
    let code = squeezed(&run.generated.unwrap());
    let note = |pointer: &str| {
        format!(
            "#[deprecated(note=\"deprecatedbythecontract:openapi/invitations.yaml#{pointer}\")]"
        )
    };
    let field = snake(&optional);
    let operation_id = contract().pointer(OPERATION).unwrap()["operationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let property_at = format!("/components/schemas/{item}/properties/{optional}");
    for (what, needle) in [
        ("the field", format!("{}pub{field}:", note(&property_at))),
        (
            "the builder setter",
            format!("{}pubfn{field}<", note(&property_at)),
        ),
        (
            "the operation",
            format!("{}pubfn{}(", note(OPERATION), snake(&operation_id)),
        ),
        (
            "the parameter setter",
            format!("{}pubfn{}<", note(&parameter), snake(&parameter_name)),
        ),
    ] {
        assert!(code.contains(&needle), "{what}: no {needle}");
    }
    let cfg = format!("cargo::rustc-cfg=contract_deprecated=\"{item}.{optional}\"");
    assert!(run.stdout.lines().any(|l| l == cfg), "{}", run.stdout);
    let declared = run
        .stdout
        .lines()
        .find(|l| l.starts_with("cargo::rustc-check-cfg=cfg(contract_deprecated, values("))
        .expect("the cfg is declared");
    assert!(
        declared.contains(&format!("\"{item}.{optional}\"")),
        "{declared}"
    );

    let unedited = run_with_document("not-deprecated", CONTRACT);
    assert!(!unedited.generated.unwrap().contains("#[deprecated"));
    assert!(!unedited
        .stdout
        .contains("cargo::rustc-cfg=contract_deprecated"));
}

#[test]
fn an_operation_whose_errors_are_one_default_response_generates_them_as_its_errors() {
    let mut edited = contract();
    let success = contract()
        .pointer(&format!("{OPERATION}/responses/200"))
        .unwrap()
        .clone();
    let error = contract()
        .pointer(&format!("{OPERATION}/responses/4XX"))
        .unwrap()
        .clone();
    let with_responses = |document: &mut Value, responses: Value| {
        document["paths"]["/linkedIn/invitations/pending"] = json!({
            "get": {"operationId": "listPendingInvitations", "responses": responses}
        });
    };
    with_responses(&mut edited, json!({"200": success, "default": error}));

    let run = run_with_value("default-error", &edited);
    assert!(run.ok, "{}", run.stderr);
    let code = squeezed(&run.generated.unwrap());
    assert!(code.contains("pubfnlist_pending_invitations("));
    // Its builder's `send` reads every 4xx and 5xx as the error type.
    let send = &code[code
        .find("operation_id:\"list_pending_invitations\"")
        .unwrap()..];
    for range in ["400u16..=499u16=>", "500u16..=599u16=>"] {
        assert!(send.contains(range), "no {range}");
    }

    // A success without a body beside one with a body has no one Rust type:
    // refused with the operation named and what to write.
    let mut mixed = contract();
    let success = contract()
        .pointer(&format!("{OPERATION}/responses/200"))
        .unwrap()
        .clone();
    with_responses(
        &mut mixed,
        json!({"200": success, "204": {"description": "nothing"}, "default": error}),
    );
    let run = run_with_value("bodiless-success", &mixed);
    assert_one_line_failure(
        &run,
        "#/paths/~1linkedIn~1invitations~1pending/get/responses/204 (operation `listPendingInvitations`) is a success without a body",
    );
    assert!(
        run.stderr.contains("give it `200`'s content, or remove it"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_constraint_no_generated_check_can_hold_is_named_not_dropped() {
    let mut edited = contract();
    let (_, _, item) = request_list(&edited);
    edited["components"]["schemas"][&item]["properties"]["choice"] = json!({
        "oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 0}]
    });
    let run = run_with_value("unchecked", &edited);
    assert!(run.ok, "{}", run.stderr);
    let warning = format!(
        "cargo:warning=openapi/invitations.yaml: #/components/schemas/{item}/properties/choice: maxLength, minimum not checked before sending"
    );
    assert!(
        run.stdout.lines().any(|l| l.starts_with(&warning)),
        "{}",
        run.stdout
    );
    let unedited = run_with_document("checked", CONTRACT);
    assert!(
        !unedited.stdout.contains("cargo:warning"),
        "{}",
        unedited.stdout
    );
}
