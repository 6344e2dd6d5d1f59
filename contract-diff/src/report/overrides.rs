//! `--severity RULE=LEVEL`: a team's own judgement of a rule.

use std::collections::HashMap;
use std::fmt;

use crate::{rules, Change, Level};

/// Per-rule levels that replace the catalogue's; `NONE` turns a rule off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    levels: HashMap<String, Option<Level>>,
}

/// An override that names no rule or no level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError(String);

impl fmt::Display for OverrideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OverrideError {}

impl Overrides {
    /// Adds `RULE=LEVEL`, where LEVEL is ERR, WARN, INFO or NONE.
    ///
    /// # Errors
    ///
    /// When the text is not `RULE=LEVEL`, the rule is unknown, or the level is.
    pub fn add(&mut self, spec: &str) -> Result<(), OverrideError> {
        let (rule, level) = spec
            .split_once('=')
            .ok_or_else(|| OverrideError(format!("'{spec}' is not RULE=LEVEL")))?;
        let rule = rule.trim();
        if rules::lookup(rule).is_none() {
            return Err(OverrideError(format!("unknown rule id '{rule}'")));
        }
        let level = match level.trim() {
            none if none.eq_ignore_ascii_case("none") => None,
            other => Some(other.parse::<Level>().map_err(OverrideError)?),
        };
        self.levels.insert(rule.to_owned(), level);
        Ok(())
    }

    /// The level `change` reports at; `None` when its rule is turned off.
    pub fn level_of(&self, change: &Change) -> Option<Level> {
        match self.levels.get(change.id) {
            Some(level) => *level,
            None => Some(change.level),
        }
    }
}
