//! Every rule, table-driven: each case under `tests/data/rules/`
//! is a base/revision pair and the exact set of rule ids it must report.
//!
//! Two kinds of case:
//! - `schema`: a base and a revision schema fragment, placed at each listed
//!   site (request body, property, parameter, response header...) of a
//!   one-operation document; each site lists the ids expected there.
//! - `documents`: two whole documents (`openapi`, `info` and `paths` are
//!   filled in when missing) and the ids expected.
//!
//! A case's `openapi` sets both documents' version (3.0.3 otherwise).
//!
//! A `codegen` case may also list what the wire profile reports for the same
//! pair (`wire`, `wire_expect`), which proves its codegen rules stay silent there.
//!
//! A last test checks that every id in the catalogue is expected by some case.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use contract_diff::{compare, rules, Date, Document, Options, Profile};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// The documents' `openapi` version (3.0.3 when not given).
    #[serde(default)]
    openapi: Option<String>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    deprecation_days: Option<u32>,
    #[serde(default)]
    schema: Option<SchemaCase>,
    #[serde(default)]
    documents: Option<DocumentsCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaCase {
    base: Value,
    revision: Value,
    sites: BTreeMap<String, Vec<String>>,
    /// For a `codegen` case: the ids the same pair reports under the wire
    /// profile, at each site.
    #[serde(default)]
    wire: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentsCase {
    base: Value,
    revision: Value,
    expect: Vec<String>,
    /// For a `codegen` case: the ids under the wire profile.
    #[serde(default)]
    wire_expect: Option<Vec<String>>,
}

/// Sunsets in the cases are far in the past (2000) or future (2999).
fn today() -> Date {
    Date::new(2026, 1, 15).expect("a real date")
}

fn load_cases() -> Vec<(String, Case)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rules");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the rules data directory")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable case file");
        let parsed: Vec<Case> =
            serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let stem = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        cases.extend(parsed.into_iter().map(|case| (stem.clone(), case)));
    }
    cases
}

fn complete(mut doc: Value) -> Value {
    let map = doc.as_object_mut().expect("a document is a mapping");
    map.entry("openapi").or_insert(json!("3.0.3"));
    map.entry("info")
        .or_insert(json!({"title": "cases", "version": "1.0.0"}));
    map.entry("paths").or_insert(json!({}));
    doc
}

fn with_flag(fragment: &Value, flag: &str) -> Value {
    let mut fragment = fragment.clone();
    if let Some(map) = fragment.as_object_mut() {
        map.insert(flag.to_owned(), json!(true));
    }
    fragment
}

fn object_with(property: Value) -> Value {
    json!({"type": "object", "properties": {"p": property}})
}

/// A one-operation document with `fragment` placed at `site`.
fn place(site: &str, fragment: &Value) -> Value {
    let body = |schema: Value| json!({"content": {"application/json": {"schema": schema}}});
    let mut operation = json!({
        "operationId": "createItem",
        "responses": {"200": {"description": "ok"}},
    });
    let ok_with = |extra: Value| {
        let mut response = json!({"description": "ok"});
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            response[k] = v;
        }
        json!({"200": response})
    };
    match site {
        "request-body" => operation["requestBody"] = body(fragment.clone()),
        "request-property" => operation["requestBody"] = body(object_with(fragment.clone())),
        "request-read-only-property" => {
            operation["requestBody"] = body(object_with(with_flag(fragment, "readOnly")));
        }
        "request-parameter" => {
            operation["parameters"] = json!([{"name": "q", "in": "query", "schema": fragment}]);
        }
        "request-parameter-property" => {
            operation["parameters"] =
                json!([{"name": "q", "in": "query", "schema": object_with(fragment.clone())}]);
        }
        "request-header-property" => {
            operation["parameters"] = json!([{"name": "X-Filter", "in": "header", "schema": object_with(fragment.clone())}]);
        }
        "response-body" => operation["responses"] = ok_with(body(fragment.clone())),
        "response-property" => {
            operation["responses"] = ok_with(body(object_with(fragment.clone())))
        }
        "response-write-only-property" => {
            operation["responses"] = ok_with(body(object_with(with_flag(fragment, "writeOnly"))));
        }
        "response-header" => {
            operation["responses"] = ok_with(json!({"headers": {"X-Rate": {"schema": fragment}}}));
        }
        other => panic!("unknown site '{other}'"),
    }
    complete(json!({"paths": {"/items": {"post": operation}}}))
}

fn case_profile(case: &Case) -> Profile {
    match case.profile.as_deref() {
        Some("codegen") => Profile::Codegen,
        _ => Profile::Wire,
    }
}

fn found_ids(case: &Case, profile: Profile, base: &Value, revision: &Value) -> BTreeSet<String> {
    let load = |name: &str, doc: &Value| {
        let mut doc = doc.clone();
        if let Some(version) = &case.openapi {
            doc["openapi"] = json!(version);
        }
        Document::from_text(name, &doc.to_string())
            .unwrap_or_else(|e| panic!("case '{}': {e}", case.name))
    };
    let mut options = Options::with_profile(profile);
    options.today = Some(today());
    options.deprecation_days_stable = case.deprecation_days.unwrap_or(0);
    options.deprecation_days_beta = case.deprecation_days.unwrap_or(0);
    compare(&load("base", base), &load("revision", revision), &options)
        .unwrap_or_else(|e| panic!("case '{}': {e}", case.name))
        .into_iter()
        .map(|change| change.id.to_owned())
        .collect()
}

/// Every (label, expected ids, found ids) of every case.
fn outcomes() -> Vec<(String, BTreeSet<String>, BTreeSet<String>)> {
    let mut out = Vec::new();
    for (file, case) in load_cases() {
        let profile = case_profile(&case);
        if let Some(schema) = &case.schema {
            let runs = [
                (profile, Some(&schema.sites)),
                (Profile::Wire, schema.wire.as_ref()),
            ];
            for (profile, sites) in runs {
                for (site, expected) in sites.into_iter().flatten() {
                    let found = found_ids(
                        &case,
                        profile,
                        &place(site, &schema.base),
                        &place(site, &schema.revision),
                    );
                    let label = format!("{file}: '{}' at {site} ({profile:?})", case.name);
                    out.push((label, expected.iter().cloned().collect(), found));
                }
            }
        }
        if let Some(documents) = &case.documents {
            let runs = [
                (profile, Some(&documents.expect)),
                (Profile::Wire, documents.wire_expect.as_ref()),
            ];
            for (profile, expected) in runs {
                let Some(expected) = expected else { continue };
                let found = found_ids(
                    &case,
                    profile,
                    &complete(documents.base.clone()),
                    &complete(documents.revision.clone()),
                );
                let label = format!("{file}: '{}' ({profile:?})", case.name);
                out.push((label, expected.iter().cloned().collect(), found));
            }
        }
    }
    out
}

#[test]
fn every_case_reports_exactly_its_expected_rules() {
    let failures: Vec<String> = outcomes()
        .into_iter()
        .filter(|(_, expected, found)| expected != found)
        .map(|(label, expected, found)| {
            let missing: Vec<_> = expected.difference(&found).collect();
            let extra: Vec<_> = found.difference(&expected).collect();
            format!("{label}\n    missing: {missing:?}\n    unexpected: {extra:?}")
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_in_the_catalogue_is_expected_by_a_case() {
    let expected: BTreeSet<String> = outcomes()
        .into_iter()
        .flat_map(|(_, expected, _)| expected)
        .collect();
    let untested: Vec<&str> = rules::RULES
        .iter()
        .map(|rule| rule.id)
        .filter(|id| !expected.contains(*id))
        .collect();
    assert!(
        untested.is_empty(),
        "{} rule(s) without a case: {untested:#?}",
        untested.len()
    );
    let unknown: Vec<&String> = expected
        .iter()
        .filter(|id| rules::lookup(id).is_none())
        .collect();
    assert!(unknown.is_empty(), "cases expect unknown ids: {unknown:?}");
}

/// The rules that carry oasdiff's ids keep its levels, and the others are
/// not in its catalogue (`tests/data/oasdiff-catalogue.tsv`: id and level).
#[test]
fn wire_rules_match_the_oasdiff_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/oasdiff-catalogue.tsv");
    let text = std::fs::read_to_string(&path).expect("the catalogue data file");
    let reference: BTreeMap<&str, &str> = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .skip(1)
        .filter_map(|line| line.split_once('\t'))
        .collect();
    assert!(reference.len() > 400, "{} rows", reference.len());
    for rule in rules::RULES {
        let expected = rule.oasdiff.then_some(rule.level.as_str());
        assert_eq!(
            reference.get(rule.id).copied(),
            expected,
            "{}: level in oasdiff's catalogue",
            rule.id
        );
    }
}
