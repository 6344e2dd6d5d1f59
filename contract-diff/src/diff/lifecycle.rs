//! Deprecation, sunset dates and stability levels, shared by operations,
//! parameters and properties: the same policy, under different rule ids.

use super::{Policy, Sink};
use crate::node::Node;
use crate::Date;

const SUNSET: &str = "x-sunset";
const STABILITY: &str = "x-stability-level";
const LEVELS: &[&str] = &["draft", "alpha", "beta", "stable"];

/// The lifecycle facts of one operation, parameter or property.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Lifecycle<'a> {
    pub(crate) deprecated: bool,
    pub(crate) sunset: Option<&'a Node>,
    pub(crate) stability: Option<&'a Node>,
}

impl<'a> Lifecycle<'a> {
    /// The lifecycle of an object (operation, parameter) with `deprecated`
    /// and extensions among its fields.
    pub(crate) fn of(object: &'a Node) -> Self {
        Self::from_lookup(object.flag("deprecated"), |key| object.extension(key))
    }

    pub(crate) fn from_lookup(deprecated: bool, lookup: impl Fn(&str) -> Option<&'a Node>) -> Self {
        Self {
            deprecated,
            sunset: lookup(SUNSET),
            stability: lookup(STABILITY),
        }
    }

    /// The sunset date: `Ok(None)` when there is none, `Err` when it does not parse.
    pub(crate) fn sunset_date(&self) -> Result<Option<Date>, String> {
        match self.sunset {
            None => Ok(None),
            Some(Node::String(text)) => text.parse().map(Some),
            Some(other) => Err(format!("{SUNSET} must be a date string, found {other}")),
        }
    }

    /// The stability level's rank (draft lowest), `Err` when it is not a known level.
    pub(crate) fn stability_rank(&self) -> Result<Option<usize>, String> {
        match self.stability {
            None => Ok(None),
            Some(Node::String(level)) => LEVELS
                .iter()
                .position(|known| *known == &**level)
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "unknown {STABILITY} '{level}' (expected one of {})",
                        LEVELS.join(", ")
                    )
                }),
            Some(other) => Err(format!("{STABILITY} must be a string, found {other}")),
        }
    }

    /// Days the deprecation policy asks for, by stability level.
    pub(crate) fn required_days(&self, policy: Policy) -> i64 {
        match self.stability.and_then(Node::as_str) {
            Some("draft" | "alpha") => 0,
            Some("beta") => i64::from(policy.beta_days),
            _ => i64::from(policy.stable_days),
        }
    }
}

/// The ids one kind of item uses for its lifecycle rules; `None` where the
/// catalogue has no such rule for that kind.
pub(crate) struct LifecycleIds {
    pub(crate) deprecated: &'static str,
    pub(crate) deprecated_with_sunset: Option<&'static str>,
    pub(crate) sunset_missing: &'static str,
    pub(crate) sunset_parse: &'static str,
    pub(crate) sunset_too_small: &'static str,
    pub(crate) reactivated: &'static str,
    pub(crate) stability_decreased: Option<&'static str>,
    pub(crate) stability_increased: Option<&'static str>,
}

/// Reports deprecation, reactivation and stability changes of one item.
pub(crate) fn compare(
    cx: &mut impl Sink,
    ids: &LifecycleIds,
    what: &str,
    base: Lifecycle<'_>,
    rev: Lifecycle<'_>,
) {
    if let (Ok(Some(from)), Ok(Some(to))) = (base.stability_rank(), rev.stability_rank()) {
        if to < from {
            if let Some(id) = ids.stability_decreased {
                cx.emit(
                    id,
                    format!(
                        "{what}: stability decreased from {} to {}",
                        LEVELS[from], LEVELS[to]
                    ),
                );
            }
        } else if to > from {
            if let Some(id) = ids.stability_increased {
                cx.emit(
                    id,
                    format!(
                        "{what}: stability increased from {} to {}",
                        LEVELS[from], LEVELS[to]
                    ),
                );
            }
        }
    }
    match (base.deprecated, rev.deprecated) {
        (true, false) => {
            cx.emit(ids.reactivated, format!("{what} is no longer deprecated"));
        }
        (false, true) => deprecated(cx, ids, what, rev),
        _ => {}
    }
}

fn deprecated(cx: &mut impl Sink, ids: &LifecycleIds, what: &str, rev: Lifecycle<'_>) {
    let days = rev.required_days(cx.policy());
    match rev.sunset_date() {
        Err(why) => {
            cx.emit(
                ids.sunset_parse,
                format!("{what} is deprecated with an invalid sunset: {why}"),
            );
        }
        Ok(None) if days > 0 => {
            cx.emit(
                ids.sunset_missing,
                format!("{what} is deprecated without an {SUNSET} date; the policy asks for {days} days"),
            );
        }
        Ok(None) => {
            cx.emit(ids.deprecated, format!("{what} is deprecated"));
        }
        Ok(Some(date)) if date.days_after(cx.policy().today) < days => {
            cx.emit(
                ids.sunset_too_small,
                format!("{what} is deprecated with sunset {date}, less than the {days} days the policy asks for"),
            );
        }
        Ok(Some(date)) => {
            let id = ids.deprecated_with_sunset.unwrap_or(ids.deprecated);
            cx.emit(id, format!("{what} is deprecated, sunset {date}"));
        }
    }
}

/// The ids for removing an item.
pub(crate) struct RemovalIds {
    pub(crate) without_deprecation: &'static str,
    pub(crate) with_deprecation: &'static str,
    pub(crate) sunset_parse: &'static str,
    pub(crate) before_sunset: &'static str,
}

/// Reports the removal of an item, judged by the base's deprecation.
pub(crate) fn removed(cx: &mut impl Sink, ids: &RemovalIds, what: &str, base: Lifecycle<'_>) {
    if !base.deprecated {
        cx.emit(
            ids.without_deprecation,
            format!("{what} removed without deprecation"),
        );
        return;
    }
    match base.sunset_date() {
        Err(why) => {
            cx.emit(
                ids.sunset_parse,
                format!("{what} removed; its sunset is invalid: {why}"),
            );
        }
        Ok(Some(date)) if date > cx.policy().today => {
            cx.emit(
                ids.before_sunset,
                format!("{what} removed before its sunset {date}"),
            );
        }
        _ => {
            cx.emit(
                ids.with_deprecation,
                format!("{what} removed after deprecation"),
            );
        }
    }
}

/// The ids for a sunset edited while an item stays deprecated.
pub(crate) struct SunsetIds {
    pub(crate) deleted: &'static str,
    pub(crate) parse: &'static str,
    pub(crate) too_small: &'static str,
}

/// Reports a sunset deleted, edited into (or from) something that is not a
/// date, or brought forward, while an item stays deprecated.
pub(crate) fn sunset_changed(
    cx: &mut impl Sink,
    ids: &SunsetIds,
    what: &str,
    base: Lifecycle<'_>,
    rev: Lifecycle<'_>,
) {
    if !(base.deprecated && rev.deprecated) {
        return;
    }
    if let (Some(from), Some(to)) = (base.sunset, rev.sunset) {
        let invalid = [("revision", rev), ("base", base)]
            .into_iter()
            .find_map(|(side, life)| Some((side, life.sunset_date().err()?)));
        if let Some((side, why)) = invalid.filter(|_| from.to_value() != to.to_value()) {
            cx.emit(
                ids.parse,
                format!("{what}: sunset changed, and the {side}'s is invalid: {why}"),
            );
            return;
        }
    }
    match (base.sunset_date(), rev.sunset_date()) {
        (Ok(Some(from)), Ok(None)) => {
            cx.emit(ids.deleted, format!("{what}: sunset {from} deleted"));
        }
        (Ok(Some(from)), Ok(Some(to))) if to < from => {
            let days = rev.required_days(cx.policy());
            if to.days_after(cx.policy().today) < days {
                cx.emit(
                    ids.too_small,
                    format!("{what}: sunset moved from {from} to {to}, less than the {days} days the policy asks for"),
                );
            }
        }
        _ => {}
    }
}
