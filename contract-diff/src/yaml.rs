//! YAML to the document tree, merge keys applied. Keys that only YAML tells
//! apart (`200` and `"200"`, `true` and `"true"`) become the same JSON key:
//! the loader refuses them as duplicates rather than merging them.

use serde_yaml_ng::Value as Yaml;

use super::error::Problem;
use super::node::{Builder, Node};

/// Parses YAML text into a document tree.
pub(crate) fn parse(text: &str, builder: &mut Builder) -> Result<Node, Problem> {
    let mut yaml: Yaml =
        serde_yaml_ng::from_str(text).map_err(|e| Problem::Syntax(e.to_string()))?;
    yaml.apply_merge()
        .map_err(|e| Problem::Syntax(format!("merge key: {e}")))?;
    convert(yaml, &mut Vec::new(), builder)
}

fn convert(yaml: Yaml, at: &mut Vec<String>, builder: &mut Builder) -> Result<Node, Problem> {
    Ok(match yaml {
        Yaml::Mapping(mapping) => {
            let mut entries = Vec::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = key_text(&key, at)?;
                at.push(key);
                let value = convert(value, at, builder)?;
                let key = at.pop().unwrap_or_default();
                entries.push((builder.text(&key), value));
            }
            builder.object(entries)
        }
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                at.push(index.to_string());
                out.push(convert(item, at, builder)?);
                at.pop();
            }
            Node::Array(out.into_boxed_slice())
        }
        Yaml::Tagged(tagged) => convert(tagged.value, at, builder)?,
        scalar => {
            builder.value(serde_json::to_value(scalar).map_err(|e| Problem::Syntax(e.to_string()))?)
        }
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
        let mut builder = Builder::default();
        let value = parse("base: &b {a: 1}\nmerged:\n  <<: *b\n  c: 2\n", &mut builder).unwrap();
        let expected = builder.value(serde_json::json!({"a": 1, "c": 2}));
        assert_eq!(value.get("merged"), Some(&expected));
    }

    #[test]
    fn keys_that_collide_as_json_are_refused() {
        let mut builder = Builder::default();
        let tree = parse("responses:\n  200: {}\n  '200': {}\n", &mut builder).unwrap();
        assert!(builder.repeated_key);
        let problem = tree.check_duplicates(&mut Vec::new()).unwrap_err();
        assert_eq!(
            problem,
            Problem::DuplicateKey {
                key: "200".into(),
                at: "#/responses".into()
            }
        );
    }
}
