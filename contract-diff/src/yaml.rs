//! YAML to JSON values: merge keys applied, and keys that only YAML tells
//! apart (`200` and `"200"`, `true` and `"true"`) refused rather than merged.

use serde_json::{Map, Value};
use serde_yaml_ng::Value as Yaml;

use super::error::Problem;

/// Parses YAML text into a JSON value.
pub(crate) fn parse(text: &str) -> Result<Value, Problem> {
    let mut yaml: Yaml =
        serde_yaml_ng::from_str(text).map_err(|e| Problem::Syntax(e.to_string()))?;
    yaml.apply_merge()
        .map_err(|e| Problem::Syntax(format!("merge key: {e}")))?;
    convert(yaml, &mut Vec::new())
}

fn convert(yaml: Yaml, at: &mut Vec<String>) -> Result<Value, Problem> {
    Ok(match yaml {
        Yaml::Mapping(mapping) => {
            let mut map = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = key_text(&key, at)?;
                at.push(key);
                let value = convert(value, at)?;
                let key = at.pop().unwrap_or_default();
                if map.contains_key(&key) {
                    return Err(Problem::DuplicateKey {
                        key: key.clone(),
                        at: crate::refs::pointer_of(at),
                    });
                }
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                at.push(index.to_string());
                out.push(convert(item, at)?);
                at.pop();
            }
            Value::Array(out)
        }
        Yaml::Tagged(tagged) => convert(tagged.value, at)?,
        scalar => serde_json::to_value(scalar).map_err(|e| Problem::Syntax(e.to_string()))?,
    })
}

/// A mapping key as JSON spells it.
fn key_text(key: &Yaml, at: &[String]) -> Result<String, Problem> {
    match key {
        Yaml::String(text) => Ok(text.clone()),
        Yaml::Number(number) => Ok(number.to_string()),
        Yaml::Bool(flag) => Ok(flag.to_string()),
        Yaml::Null => Ok("null".to_owned()),
        Yaml::Tagged(tagged) => key_text(&tagged.value, at),
        _ => Err(Problem::Structure(format!(
            "a mapping key at {} is not a scalar",
            crate::refs::pointer_of(at)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_are_applied() {
        let value = parse("base: &b {a: 1}\nmerged:\n  <<: *b\n  c: 2\n").unwrap();
        assert_eq!(value["merged"], serde_json::json!({"a": 1, "c": 2}));
    }

    #[test]
    fn keys_that_collide_as_json_are_refused() {
        let problem = parse("responses:\n  200: {}\n  '200': {}\n").unwrap_err();
        assert_eq!(
            problem,
            Problem::DuplicateKey {
                key: "200".into(),
                at: "#/responses".into()
            }
        );
    }
}
