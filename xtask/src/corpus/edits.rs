//! The corpus: ordinary edits of `openapi/invitations.yaml`, each with the
//! verdict the semver gate (`.ci/semver-gate`, contract-diff's codegen
//! profile) must give and the one cargo-semver-checks gives on the crate's
//! public API, and the function that makes the edit.
//!
//! Each edit is applied alone to the committed document (loaded from YAML as
//! a `serde_json::Value`); the Rust-compatible ones (an addition) are also
//! applied all together. The property names are distinct, so that they do
//! not collide when applied together.

use serde_json::{json, Map, Value};

/// What a tool says of an edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No breaking change: the gate exits 0, cargo-semver-checks finds no
    /// major-level lint.
    Compatible,
    /// A breaking change, with the rule ids (gate) or lint ids
    /// (cargo-semver-checks) that must be among those named.
    Breaking(&'static [&'static str]),
}

impl Verdict {
    pub fn is_compatible(self) -> bool {
        matches!(self, Verdict::Compatible)
    }
}

/// An edit of the document: `Err` says why it cannot be made (the place it
/// edits is missing, or already there).
pub type Apply = Box<dyn Fn(&mut Value) -> Result<(), String>>;

pub struct Edit {
    pub id: String,
    pub what: String,
    /// The verdict of `.ci/semver-gate` against the unedited document.
    pub gate: Verdict,
    /// The verdict of cargo-semver-checks, unedited crate to edited crate.
    pub semver: Verdict,
    /// Why the two verdicts differ, where they do.
    pub why_they_differ: Option<&'static str>,
    /// A change both documents get first: the "released" document of this
    /// edit is the unedited one with `base` applied.
    pub base: Option<Apply>,
    pub apply: Apply,
}

impl Edit {
    /// An addition: the gate and cargo-semver-checks agree it breaks
    /// nothing, so the edited crate must build and pass every test.
    pub fn is_additive(&self) -> bool {
        self.gate.is_compatible() && self.semver.is_compatible()
    }
}

/// The request item and the response item.
const REQUEST_ITEM: &str = "InviteActionData";
const RESPONSE_ITEM: &str = "InviteActionStatus";
const REQUEST: &str = "InviteeClosingInvitationRequest";
const ACTION: &str = "InviteeActionType";
const PATH: &str = "/linkedIn/invitations/inviteeClosingInvitation";

/// Every string format of an OpenAPI 3.0 document for Graph, with the name
/// of the property that carries it.
const FORMATS: &[(&str, &str)] = &[
    ("date-time", "closedDateTime"),
    ("date", "closedDate"),
    ("time", "closedTime"),
    ("duration", "retention"),
    ("uuid", "correlationId"),
    ("byte", "thumbnail"),
    ("binary", "attachment"),
];

const TYPE_CHANGED_WHY: &str = "cargo-semver-checks 0.51 has no lint for a changed field or \
    parameter type (its README lists type changes as not yet checked): `status: i32` becoming \
    `String` and `new(String, i32)` becoming `new(String, String)` pass. The gate is right: code \
    that reads or builds `status` no longer compiles";
const PATH_WHY: &str = "a wire break, not a Rust one: the method and types keep their names \
    (they come from the operationId and the schemas), only the URL the client calls changes, and \
    clients of the released crate call a path that is gone";

pub fn corpus() -> Vec<Edit> {
    let mut edits = Vec::new();
    for (item, side) in [(REQUEST_ITEM, "request"), (RESPONSE_ITEM, "response")] {
        for &(format, name) in FORMATS {
            edits.push(additive(
                format!("{side}-format-{format}"),
                format!("optional `{name}` (string, format {format}) on {item}"),
                add(item, name, json!({"type": "string", "format": format})),
            ));
        }
    }
    edits.extend([
        additive(
            "request-int64",
            "optional `sequence` (integer, int64) on InviteActionData",
            add(
                REQUEST_ITEM,
                "sequence",
                json!({"type": "integer", "format": "int64"}),
            ),
        ),
        additive(
            "response-int64",
            "optional `size` (integer, int64) on InviteActionStatus",
            add(
                RESPONSE_ITEM,
                "size",
                json!({"type": "integer", "format": "int64"}),
            ),
        ),
        additive(
            "request-float",
            "optional `weight` (number, float) on InviteActionData",
            add(
                REQUEST_ITEM,
                "weight",
                json!({"type": "number", "format": "float"}),
            ),
        ),
        additive(
            "response-double",
            "optional `score` (number, double) on InviteActionStatus",
            add(
                RESPONSE_ITEM,
                "score",
                json!({"type": "number", "format": "double"}),
            ),
        ),
        additive(
            "response-nullable",
            "optional nullable `reason` (string, nullable: true) on InviteActionStatus",
            add(
                RESPONSE_ITEM,
                "reason",
                json!({"type": "string", "nullable": true}),
            ),
        ),
        additive(
            "request-default",
            "optional `priority` (integer, int32, default: 0) on InviteActionData",
            add(
                REQUEST_ITEM,
                "priority",
                json!({"type": "integer", "format": "int32", "default": 0}),
            ),
        ),
        additive(
            "request-integer-enum",
            "optional `channel` (integer, enum [1, 2, 3]) on InviteActionData",
            add(
                REQUEST_ITEM,
                "channel",
                json!({"type": "integer", "format": "int32", "enum": [1, 2, 3]}),
            ),
        ),
        additive(
            "request-string-enum",
            "optional `source` (string, enum [web, mobile, email]) on InviteActionData",
            add(
                REQUEST_ITEM,
                "source",
                json!({"type": "string", "enum": ["web", "mobile", "email"]}),
            ),
        ),
        additive(
            "response-additional-properties",
            "optional `extensions` (object, additionalProperties: string) on InviteActionStatus",
            add(
                RESPONSE_ITEM,
                "extensions",
                json!({"type": "object", "additionalProperties": {"type": "string"}}),
            ),
        ),
        additive(
            "response-anyof-nullable-ref",
            "optional `invitedBy: anyOf [$ref Identity, {type: object, nullable: true}]` \
             (Graph's nullable reference) on InviteActionStatus, and the component Identity",
            Box::new(|doc| {
                identity(doc)?;
                add(
                    RESPONSE_ITEM,
                    "invitedBy",
                    json!({"anyOf": [
                        {"$ref": "#/components/schemas/Identity"},
                        {"type": "object", "nullable": true},
                    ]}),
                )(doc)
            }),
        ),
        additive(
            "response-allof-derived",
            "optional `invitee` of a component InviteeIdentity: allOf [$ref Identity, \
             {type: object, properties}] (Graph's derived type) on InviteActionStatus",
            Box::new(|doc| {
                identity(doc)?;
                component(
                    doc,
                    "InviteeIdentity",
                    json!({"allOf": [
                        {"$ref": "#/components/schemas/Identity"},
                        {
                            "type": "object",
                            "title": "InviteeIdentity",
                            "properties": {"headline": {"type": "string", "nullable": true}},
                        },
                    ]}),
                )?;
                add(
                    RESPONSE_ITEM,
                    "invitee",
                    json!({"$ref": "#/components/schemas/InviteeIdentity"}),
                )(doc)
            }),
        ),
        additive(
            "request-oneof-int64",
            "optional `campaignSize: oneOf [integer int64, string]` (Graph's Int64) on \
             InviteActionData",
            add(
                REQUEST_ITEM,
                "campaignSize",
                json!({"oneOf": [{"type": "integer", "format": "int64"}, {"type": "string"}]}),
            ),
        ),
        additive(
            "response-anyof-decimal",
            "optional `cost: anyOf [number decimal, string, $ref ReferenceNumeric]` (Graph's \
             Decimal, which Graph writes `oneOf`: its parts overlap, `INF` is a string too, \
             so Redocly's recommended-strict refuses it as illogical), and the component \
             ReferenceNumeric (enum -INF, INF, NaN), on InviteActionStatus",
            Box::new(|doc| {
                component(
                    doc,
                    "ReferenceNumeric",
                    json!({"enum": ["-INF", "INF", "NaN"], "type": "string", "nullable": true}),
                )?;
                add(
                    RESPONSE_ITEM,
                    "cost",
                    json!({"anyOf": [
                        {"type": "number", "format": "decimal"},
                        {"type": "string"},
                        {"$ref": "#/components/schemas/ReferenceNumeric"},
                    ]}),
                )(doc)
            }),
        ),
        additive(
            "action-member-added",
            "member DECLINE added to InviteeActionType (the action)",
            enum_member(ACTION, "DECLINE"),
        ),
        Edit {
            base: Some(add(
                RESPONSE_ITEM,
                "outcome",
                json!({"type": "string", "enum": ["CLOSED", "NOT_FOUND"]}),
            )),
            ..additive(
                "response-enum-member-added",
                "member ALREADY_CLOSED added to the response enum `outcome` of InviteActionStatus \
                 (both documents first get `outcome: enum [CLOSED, NOT_FOUND]`)",
                Box::new(|doc| {
                    let outcome = property(doc, RESPONSE_ITEM, "outcome")?;
                    push_enum(outcome, "ALREADY_CLOSED")
                }),
            )
        },
        additive(
            "request-optional-property",
            "optional `sendNotification` (boolean) on InviteeClosingInvitationRequest",
            add(REQUEST, "sendNotification", json!({"type": "boolean"})),
        ),
        Edit {
            id: "request-required-property-added".into(),
            what: "required `inviteeId` (string) added to InviteActionData".into(),
            gate: Verdict::Breaking(&["new-required-request-property"]),
            semver: Verdict::Breaking(&["method_parameter_count_changed"]),
            why_they_differ: None,
            base: None,
            apply: Box::new(|doc| {
                add(REQUEST_ITEM, "inviteeId", json!({"type": "string"}))(doc)?;
                require(doc, REQUEST_ITEM, "inviteeId")
            }),
        },
        Edit {
            id: "property-renamed".into(),
            what: "optional `trackingId` of InviteActionData renamed `campaignTrackingId`".into(),
            gate: Verdict::Breaking(&["codegen-property-renamed"]),
            semver: Verdict::Breaking(&["struct_pub_field_missing"]),
            why_they_differ: None,
            base: None,
            apply: Box::new(|doc| rename(doc, REQUEST_ITEM, "trackingId", "campaignTrackingId")),
        },
        Edit {
            id: "property-type-changed".into(),
            what: "required `status` of InviteActionStatus: integer int32 to string".into(),
            gate: Verdict::Breaking(&["response-property-type-changed"]),
            semver: Verdict::Compatible,
            why_they_differ: Some(TYPE_CHANGED_WHY),
            base: None,
            apply: Box::new(|doc| {
                let status = property(doc, RESPONSE_ITEM, "status")?;
                let status = status.as_object_mut().ok_or("`status` is not an object")?;
                status.insert("type".into(), json!("string"));
                status.remove("format");
                Ok(())
            }),
        },
        Edit {
            id: "path-changed".into(),
            what: format!("the operation's path {PATH} becomes /linkedIn/invitations/close"),
            gate: Verdict::Breaking(&["api-path-removed-without-deprecation"]),
            semver: Verdict::Compatible,
            why_they_differ: Some(PATH_WHY),
            base: None,
            apply: Box::new(|doc| {
                let paths = doc
                    .get_mut("paths")
                    .and_then(Value::as_object_mut)
                    .ok_or("no `paths`")?;
                let item = paths.remove(PATH).ok_or(format!("no path {PATH}"))?;
                paths.insert("/linkedIn/invitations/close".into(), item);
                Ok(())
            }),
        },
    ]);
    edits
}

fn additive(id: impl Into<String>, what: impl Into<String>, apply: Apply) -> Edit {
    Edit {
        id: id.into(),
        what: what.into(),
        gate: Verdict::Compatible,
        semver: Verdict::Compatible,
        why_they_differ: None,
        base: None,
        apply,
    }
}

/// Adds an optional property; refuses one that is already there.
fn add(schema: &'static str, name: &'static str, value: Value) -> Apply {
    Box::new(move |doc| {
        let properties = properties(doc, schema)?;
        if properties.contains_key(name) {
            return Err(format!("{schema} already has a property `{name}`"));
        }
        properties.insert(name.into(), value.clone());
        Ok(())
    })
}

fn enum_member(schema: &'static str, member: &'static str) -> Apply {
    Box::new(move |doc| push_enum(schema_mut(doc, schema)?, member))
}

fn push_enum(schema: &mut Value, member: &str) -> Result<(), String> {
    let members = schema
        .get_mut("enum")
        .and_then(Value::as_array_mut)
        .ok_or("not an enum")?;
    if members.iter().any(|m| m == member) {
        return Err(format!("the enum already has {member}"));
    }
    members.push(json!(member));
    Ok(())
}

fn require(doc: &mut Value, schema: &str, name: &str) -> Result<(), String> {
    let schema = schema_mut(doc, schema)?
        .as_object_mut()
        .ok_or("not an object")?;
    let required = schema.entry("required").or_insert_with(|| json!([]));
    required
        .as_array_mut()
        .ok_or("`required` is not a list")?
        .push(json!(name));
    Ok(())
}

fn rename(doc: &mut Value, schema: &str, from: &str, to: &str) -> Result<(), String> {
    let properties = properties(doc, schema)?;
    let value = properties
        .remove(from)
        .ok_or(format!("{schema} has no property `{from}`"))?;
    properties.insert(to.into(), value);
    if let Some(required) = schema_mut(doc, schema)?
        .get_mut("required")
        .and_then(Value::as_array_mut)
    {
        for name in required.iter_mut().filter(|n| *n == from) {
            *name = json!(to);
        }
    }
    Ok(())
}

/// Graph's `microsoft.graph.identity`, shared by the `anyOf` and `allOf`
/// edits (either may add it; both add the same).
fn identity(doc: &mut Value) -> Result<(), String> {
    component(
        doc,
        "Identity",
        json!({
            "type": "object",
            "title": "Identity",
            "properties": {
                "displayName": {"type": "string", "nullable": true},
                "id": {"type": "string", "nullable": true},
            },
        }),
    )
}

/// Adds a component schema; one already there must be the same.
fn component(doc: &mut Value, name: &str, value: Value) -> Result<(), String> {
    let schemas = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .ok_or("no #/components/schemas")?;
    match schemas.get(name) {
        Some(existing) if *existing != value => {
            Err(format!("a different component schema `{name}` exists"))
        }
        Some(_) => Ok(()),
        None => {
            schemas.insert(name.into(), value);
            Ok(())
        }
    }
}

fn schema_mut<'a>(doc: &'a mut Value, name: &str) -> Result<&'a mut Value, String> {
    doc.pointer_mut(&format!("/components/schemas/{name}"))
        .ok_or(format!("no component schema `{name}`"))
}

fn properties<'a>(doc: &'a mut Value, schema: &str) -> Result<&'a mut Map<String, Value>, String> {
    schema_mut(doc, schema)?
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .ok_or(format!("{schema} has no `properties`"))
}

fn property<'a>(doc: &'a mut Value, schema: &str, name: &str) -> Result<&'a mut Value, String> {
    properties(doc, schema)?
        .get_mut(name)
        .ok_or(format!("{schema} has no property `{name}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        let text = std::fs::read_to_string(crate::run::root().join("openapi/invitations.yaml"))
            .expect("the document");
        serde_yaml_ng::from_str(&text).expect("YAML")
    }

    #[test]
    fn ids_are_unique_and_every_edit_changes_the_document() {
        let edits = corpus();
        let mut ids: Vec<&str> = edits.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), edits.len(), "duplicate ids");
        for edit in &edits {
            let mut doc = document();
            if let Some(base) = &edit.base {
                base(&mut doc).unwrap();
            }
            let before = doc.clone();
            (edit.apply)(&mut doc).unwrap_or_else(|e| panic!("{}: {e}", edit.id));
            assert_ne!(doc, before, "{} changes nothing", edit.id);
        }
    }

    #[test]
    fn the_additive_edits_apply_together() {
        let mut doc = document();
        for edit in corpus().iter().filter(|e| e.is_additive()) {
            if let Some(base) = &edit.base {
                base(&mut doc).unwrap_or_else(|e| panic!("{} (base): {e}", edit.id));
            }
            (edit.apply)(&mut doc).unwrap_or_else(|e| panic!("{}: {e}", edit.id));
        }
    }

    #[test]
    fn a_difference_between_the_tools_is_explained() {
        for edit in corpus() {
            let differ = edit.gate.is_compatible() != edit.semver.is_compatible();
            assert_eq!(differ, edit.why_they_differ.is_some(), "{}", edit.id);
        }
    }
}
