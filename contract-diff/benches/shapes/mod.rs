//! Generated document pairs (base, revision) for the benchmark and for
//! timing the binary (`cargo run -p contract-diff --example generate`).
//!
//! The graph shapes are the ones that made a path-by-path walk exponential;
//! each revision makes exactly one real change, so a correct report has one
//! line per operation. The large documents have the size and shape of a real
//! public API.

use serde_json::{json, Map, Value};

/// A document with one `GET /things/{i}` per entry of `responses`, each
/// answering its schema, and `schemas` as the components.
fn document(responses: Vec<Value>, schemas: Map<String, Value>) -> Value {
    let mut paths = Map::new();
    for (index, schema) in responses.into_iter().enumerate() {
        paths.insert(
            format!("/things{index}"),
            json!({"get": {
                "operationId": format!("getThing{index}"),
                "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}}
                }}
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "generated", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// `oneOf` nested `depth` deep: inline, in segments of 20 levels (deeper
/// inline nesting passes parsers' limits) chained through components; the
/// innermost member changes type.
pub fn nested_one_of(depth: usize) -> (Value, Value) {
    const SEGMENT: usize = 20;
    let side = |leaf: &str| {
        let segments = depth.div_ceil(SEGMENT).max(1);
        let mut schemas = Map::new();
        for segment in 0..segments {
            let mut inner = if segment + 1 == segments {
                json!({"type": leaf})
            } else {
                reference(&format!("L{}", segment + 1))
            };
            let levels = SEGMENT.min(depth - segment * SEGMENT);
            for _ in 0..levels {
                inner = json!({"oneOf": [{"type": "array", "items": {"type": "integer"}}, inner]});
            }
            schemas.insert(format!("L{segment}"), inner);
        }
        document(vec![reference("L0")], schemas)
    };
    (side("string"), side("boolean"))
}

/// `size` objects in a ring, each referring to the next two; one property
/// of one of them changes type.
pub fn ring(size: usize) -> (Value, Value) {
    let side = |changed: bool| {
        let mut schemas = Map::new();
        for i in 0..size {
            let kind = if changed && i == size / 2 {
                "integer"
            } else {
                "string"
            };
            schemas.insert(
                format!("R{i}"),
                json!({"type": "object", "properties": {
                    "value": {"type": kind},
                    "next": reference(&format!("R{}", (i + 1) % size)),
                    "skip": reference(&format!("R{}", (i + 2) % size)),
                }}),
            );
        }
        document(vec![reference("R0")], schemas)
    };
    (side(false), side(true))
}

/// Stripe's "expandable" fields: `anyOf: [id string, the object]`, among
/// `size` objects that refer to each other; one object gains an enum value.
pub fn expandable(size: usize) -> (Value, Value) {
    let side = |changed: bool| {
        let mut schemas = Map::new();
        for i in 0..size {
            let mut properties = Map::new();
            properties.insert("id".into(), json!({"type": "string"}));
            let mut states = vec!["active", "closed"];
            if changed && i == size - 1 {
                states.push("pending");
            }
            properties.insert("state".into(), json!({"type": "string", "enum": states}));
            for k in 1..=3 {
                let target = format!("E{}", (i * 7 + k * 13) % size);
                properties.insert(
                    format!("related{k}"),
                    json!({"anyOf": [{"type": "string", "maxLength": 5000}, reference(&target)],
                           "x-expandableFields": true}),
                );
            }
            schemas.insert(
                format!("E{i}"),
                json!({"type": "object", "required": ["id"], "properties": properties}),
            );
        }
        document(vec![reference("E0")], schemas)
    };
    (side(false), side(true))
}

/// A DAG `depth` levels deep where each level refers to the next twice
/// (2^depth paths to the leaf); the leaf's type changes.
pub fn fan_out_dag(depth: usize) -> (Value, Value) {
    let side = |leaf: &str| {
        let mut schemas = Map::new();
        for level in 0..depth {
            let next = reference(&format!("D{}", level + 1));
            schemas.insert(
                format!("D{level}"),
                json!({"type": "object", "properties": {"left": next, "right": next}}),
            );
        }
        schemas.insert(
            format!("D{depth}"),
            json!({"type": "object", "properties": {"leaf": {"type": leaf}}}),
        );
        document(vec![reference("D0")], schemas)
    };
    (side("string"), side("boolean"))
}

/// `count` operations over 100 shared components, and a copy where every
/// 500th operation and every 10th component changed.
pub fn many_paths(count: usize) -> (Value, Value) {
    let components = 100;
    let side = |revised: bool| {
        let mut schemas = Map::new();
        for c in 0..components {
            let mut properties = json!({
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string", "maxLength": 200},
                "kind": {"type": "string", "enum": ["a", "b", "c"]},
                "parent": reference(&format!("C{}", (c + 1) % components)),
            });
            if revised && c % 10 == 0 {
                properties["name"]["maxLength"] = json!(100);
            }
            schemas.insert(
                format!("C{c}"),
                json!({"type": "object", "required": ["id"], "properties": properties}),
            );
        }
        let mut paths = Map::new();
        for i in 0..count {
            let mut limit = json!({"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}});
            if revised && i % 500 == 0 {
                limit["required"] = json!(true);
            }
            paths.insert(
                format!("/resources{i}/{{id}}"),
                json!({"get": {
                    "operationId": format!("getResource{i}"),
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        limit
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {
                            "schema": reference(&format!("C{}", i % components))}}},
                        "404": {"description": "not found"}
                    }
                }}),
            );
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "many paths", "version": "1.0.0"},
            "paths": paths,
            "components": {"schemas": schemas}
        })
    };
    (side(false), side(true))
}

/// A release of an API whose `count` operations (each a request and a
/// response) all embed one shared component, `Metadata`, through their own
/// resource schemas; the revision changes `Metadata` four ways (a type, a
/// removed property, a removed enum value, a lower maximum): four changes
/// per direction, each reaching every operation.
pub fn shared_release(count: usize) -> (Value, Value) {
    let side = |revised: bool| {
        let mut metadata = json!({
            "type": "object",
            "required": ["created", "state"],
            "properties": {
                "created": {"type": "string", "format": "date-time"},
                "revision": {"type": "integer"},
                "state": {"type": "string", "enum": ["draft", "live", "archived"]},
                "labels": {"type": "array", "maxItems": 50, "items": {"type": "string"}},
                "note": {"type": "string"},
                "score": {"type": "number", "maximum": 100},
            }
        });
        if revised {
            metadata["properties"]["revision"]["type"] = json!("string");
            metadata["properties"]["state"]["enum"] = json!(["draft", "live"]);
            metadata["properties"]["score"]["maximum"] = json!(10);
            metadata["properties"]
                .as_object_mut()
                .map(|properties| properties.remove("note"));
        }
        let mut schemas = Map::new();
        schemas.insert("Metadata".to_owned(), metadata);
        let mut paths = Map::new();
        for i in 0..count {
            let name = format!("Resource{i}");
            schemas.insert(
                name.clone(),
                json!({"type": "object", "properties": {
                    "id": {"type": "string"},
                    "metadata": reference("Metadata"),
                }}),
            );
            let body = json!({"content": {"application/json": {"schema": reference(&name)}}});
            let mut ok = body.clone();
            ok["description"] = json!("ok");
            paths.insert(
                format!("/resources{i}"),
                json!({"put": {
                    "operationId": format!("putResource{i}"),
                    "requestBody": body,
                    "responses": {"200": ok},
                }}),
            );
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "shared release", "version": if revised { "2.0.0" } else { "1.0.0" }},
            "paths": paths,
            "components": {"schemas": schemas}
        })
    };
    (side(false), side(true))
}

/// A realistic document of about 950 KB: 1,025 operations on 410 paths, 820
/// component schemas with shared references, `allOf` bases, `oneOf` unions
/// and enums, paged list responses and error responses.
pub fn large_document() -> Value {
    let resources = 205;
    let mut schemas = Map::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "required": ["error_code", "message"], "properties": {
            "error_code": {"type": "string"}, "message": {"type": "string"},
            "request_id": {"type": "string"}}}),
    );
    schemas.insert(
        "Identity".into(),
        json!({"type": "object", "required": ["id", "time_created"], "properties": {
            "id": {"type": "string", "format": "uuid", "description": "unique, immutable id"},
            "time_created": {"type": "string", "format": "date-time"},
            "time_modified": {"type": "string", "format": "date-time"}}}),
    );
    for r in 0..resources {
        let state = format!("State{r}");
        schemas.insert(
            state.clone(),
            json!({"type": "string", "description": "the lifecycle state of the resource",
                   "enum": ["creating", "running", "stopping", "stopped", "failed", "destroyed"]}),
        );
        let mut properties = Map::new();
        properties.insert(
            "name".into(),
            json!({"type": "string", "pattern": "^[a-z][a-z0-9-]*$", "maxLength": 63,
            "description": "unique, mutable, user-controlled identifier for each resource"}),
        );
        properties.insert("description".into(), json!({"type": "string"}));
        properties.insert("state".into(), reference(&state));
        properties.insert(
            "size".into(),
            json!({"type": "integer", "format": "int64", "minimum": 0}),
        );
        properties.insert(
            "owner".into(),
            reference(&format!("Resource{}", (r * 3 + 1) % resources)),
        );
        properties.insert(
            "source".into(),
            json!({"oneOf": [
                {"type": "object", "title": "image", "required": ["type", "image_id"], "properties": {
                    "type": {"type": "string", "enum": ["image"]}, "image_id": {"type": "string", "format": "uuid"}}},
                {"type": "object", "title": "snapshot", "required": ["type", "snapshot_id"], "properties": {
                    "type": {"type": "string", "enum": ["snapshot"]}, "snapshot_id": {"type": "string", "format": "uuid"}}},
                {"type": "object", "title": "blank", "required": ["type", "block_size"], "properties": {
                    "type": {"type": "string", "enum": ["blank"]}, "block_size": {"type": "integer", "enum": [512, 2048, 4096]}}}
            ]}),
        );
        properties.insert(
            "labels".into(),
            json!({"type": "object", "additionalProperties": {"type": "string"}}),
        );
        schemas.insert(
            format!("Resource{r}"),
            json!({"description": "a resource", "allOf": [reference("Identity"), {
                "type": "object", "required": ["name", "state", "size"], "properties": properties}]}),
        );
        schemas.insert(
            format!("Resource{r}Create"),
            json!({"type": "object", "required": ["name", "size"], "properties": {
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$", "maxLength": 63},
                "description": {"type": "string"},
                "size": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 1_099_511_627_776_i64},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}),
        );
        schemas.insert(
            format!("Resource{r}Page"),
            json!({"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": reference(&format!("Resource{r}"))},
                "next_page": {"type": "string", "nullable": true}}}),
        );
    }
    let errors = json!({
        "4XX": {"description": "client error", "content": {"application/json": {"schema": reference("Error")}}},
        "5XX": {"description": "server error", "content": {"application/json": {"schema": reference("Error")}}}
    });
    let with_errors = |ok: Value| {
        let mut responses = errors.as_object().cloned().unwrap_or_default();
        if let Value::Object(ok) = ok {
            responses.extend(ok);
        }
        Value::Object(responses)
    };
    let page = json!([
        {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "uint32", "minimum": 1, "nullable": true}},
        {"name": "page_token", "in": "query", "schema": {"type": "string", "nullable": true}},
        {"name": "sort_by", "in": "query", "schema": {"type": "string", "enum": ["name_ascending", "name_descending", "id_ascending"]}}
    ]);
    let mut paths = Map::new();
    for r in 0..resources {
        let one = |code: &str, name: String| json!({code: {"description": "ok", "content": {"application/json": {"schema": reference(&name)}}}});
        let body = |name: String| json!({"required": true, "content": {"application/json": {"schema": reference(&name)}}});
        paths.insert(
            format!("/v1/resources{r}"),
            json!({
                "get": {"operationId": format!("resource{r}_list"), "tags": [format!("group{}", r % 12)],
                        "summary": "List resources", "parameters": page,
                        "responses": with_errors(one("200", format!("Resource{r}Page")))},
                "post": {"operationId": format!("resource{r}_create"), "tags": [format!("group{}", r % 12)],
                         "summary": "Create a resource", "requestBody": body(format!("Resource{r}Create")),
                         "responses": with_errors(one("201", format!("Resource{r}")))}
            }),
        );
        paths.insert(
            format!("/v1/resources{r}/{{resource}}"),
            json!({
                "parameters": [{"name": "resource", "in": "path", "required": true,
                                "description": "name or id of the resource", "schema": {"type": "string"}}],
                "get": {"operationId": format!("resource{r}_view"), "tags": [format!("group{}", r % 12)],
                        "responses": with_errors(one("200", format!("Resource{r}")))},
                "put": {"operationId": format!("resource{r}_update"), "tags": [format!("group{}", r % 12)],
                        "requestBody": body(format!("Resource{r}Create")),
                        "responses": with_errors(one("200", format!("Resource{r}")))},
                "delete": {"operationId": format!("resource{r}_delete"), "tags": [format!("group{}", r % 12)],
                           "responses": with_errors(json!({"204": {"description": "deleted"}}))}
            }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "generated large API", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// Every `step`-th item of `items`, in order.
fn every<T: Clone>(items: &[T], step: usize, count: usize) -> Vec<T> {
    items.iter().step_by(step).take(count).cloned().collect()
}

/// Applies a few dozen edits of the kinds a real revision has to any
/// document; returns how many were applied.
pub fn revise(doc: &mut Value) -> usize {
    let mut applied = 0;
    let operations: Vec<(String, String)> = doc["paths"]
        .as_object()
        .map(|paths| {
            paths
                .iter()
                .flat_map(|(path, item)| {
                    let methods = item
                        .as_object()
                        .map(|m| m.keys().cloned().collect::<Vec<_>>())
                        .unwrap_or_default();
                    methods
                        .into_iter()
                        .filter(|m| ["get", "put", "post", "delete", "patch"].contains(&m.as_str()))
                        .map(move |m| (path.clone(), m))
                })
                .collect()
        })
        .unwrap_or_default();
    for (index, (path, method)) in every(&operations, 13, 20).iter().enumerate() {
        let item = &mut doc["paths"][path.as_str()];
        match index % 5 {
            0 => {
                if let Some(item) = item.as_object_mut() {
                    item.remove(method.as_str());
                }
            }
            1 => item[method.as_str()]["deprecated"] = json!(true),
            2 => item[method.as_str()]["operationId"] = json!(format!("renamed_{index}")),
            3 => {
                let parameters = &mut item[method.as_str()]["parameters"];
                if !parameters.is_array() {
                    *parameters = json!([]);
                }
                if let Some(list) = parameters.as_array_mut() {
                    list.push(json!({"name": "tenant", "in": "query", "required": true, "schema": {"type": "string"}}));
                }
            }
            _ => {
                if let Some(responses) = item[method.as_str()]["responses"].as_object_mut() {
                    responses.remove("4XX");
                }
            }
        }
        applied += 1;
    }
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return applied;
    };
    let objects: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| s["properties"].as_object().is_some_and(|p| !p.is_empty()))
        .map(|(name, _)| name.clone())
        .collect();
    let enums: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| s["enum"].as_array().is_some_and(|e| e.len() > 1))
        .map(|(name, _)| name.clone())
        .collect();
    for (index, name) in every(&objects, 17, 16).iter().enumerate() {
        let schema = &mut schemas[name.as_str()];
        let first = schema["properties"]
            .as_object()
            .and_then(|p| p.keys().next().cloned())
            .unwrap_or_default();
        match index % 3 {
            0 => {
                schema["properties"]["addedField"] = json!({"type": "string"});
                let required = &mut schema["required"];
                if !required.is_array() {
                    *required = json!([]);
                }
                if let Some(list) = required.as_array_mut() {
                    list.push(json!("addedField"));
                }
            }
            1 => {
                if let Some(properties) = schema["properties"].as_object_mut() {
                    properties.remove(&first);
                }
            }
            _ => schema["properties"][first.as_str()]["nullable"] = json!(true),
        }
        applied += 1;
    }
    for (index, name) in every(&enums, 3, 8).iter().enumerate() {
        if let Some(values) = schemas[name.as_str()]["enum"].as_array_mut() {
            if index % 2 == 0 {
                values.push(json!("added_value"));
            } else {
                values.pop();
            }
            applied += 1;
        }
    }
    applied
}

/// Every generated pair, by name, at the sizes the benchmark uses.
pub fn all() -> Vec<(&'static str, Value, Value)> {
    let large = large_document();
    let mut revised = large.clone();
    revise(&mut revised);
    let pairs = [
        ("nested_one_of_400", nested_one_of(400)),
        ("ring_240", ring(240)),
        ("expandable_360", expandable(360)),
        ("fan_out_dag_200", fan_out_dag(200)),
        ("many_paths_20000", many_paths(20_000)),
        ("shared_release_600", shared_release(600)),
        ("large_document", (large, revised)),
    ];
    pairs
        .into_iter()
        .map(|(name, (base, revision))| (name, base, revision))
        .collect()
}
