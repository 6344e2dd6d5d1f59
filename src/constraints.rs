//! The checks the build generates from the document's constraints
//! (`build/constraints.rs`) call these: one function per rule, each failing
//! with the place of the value and the rule, never the value (a validation
//! token is a secret; an id is the caller's data).
//!
//! The place is built as a chain of borrowed segments and written out only
//! when a check fails, so that a passing check allocates nothing.
//!
//! Which rules the generated code calls depends on the document: the
//! others are unused until a constraint of theirs appears.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;

use crate::generated::types;
use crate::outcome::RequestBody;
use crate::{Error, Invitation, Secret};

/// Where a value sits in the request body: `inviteActionData[3].invitationId`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Place<'a> {
    Root,
    Field(&'a Place<'a>, &'static str),
    Index(&'a Place<'a>, usize),
}

impl<'a> Place<'a> {
    pub(crate) fn field(&'a self, name: &'static str) -> Place<'a> {
        Place::Field(self, name)
    }

    pub(crate) fn index(&'a self, index: usize) -> Place<'a> {
        Place::Index(self, index)
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Root => Ok(()),
            Place::Field(Place::Root, name) => f.write_str(name),
            Place::Field(parent, name) => write!(f, "{parent}.{name}"),
            Place::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// A value the contract forbids: where, and which rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Violation {
    field: String,
    rule: String,
}

/// The generated client can only fail before I/O with
/// `progenitor_client::Error::InvalidRequest(String)`: a violation travels in
/// that string as this prefix and a JSON object, which
/// [`Violation::from_carried`] reads back for `Error::from` (`hooks.rs`).
/// The one place that writes and reads it.
const CARRIED: &str = "the contract forbids this request: ";

impl Violation {
    #[cold]
    fn new(at: &Place<'_>, rule: String) -> Self {
        Self {
            field: at.to_string(),
            rule,
        }
    }

    /// The violation as the generated client's `InvalidRequest` text.
    pub(crate) fn carried(&self) -> String {
        let fields = serde_json::json!({ "field": self.field, "rule": self.rule });
        format!("{CARRIED}{fields}")
    }

    /// The violation [`carried`](Self::carried) wrote, if `text` is one.
    pub(crate) fn from_carried(text: &str) -> Option<Self> {
        let fields: serde_json::Value = serde_json::from_str(text.strip_prefix(CARRIED)?).ok()?;
        Some(Self {
            field: fields.get("field")?.as_str()?.to_owned(),
            rule: fields.get("rule")?.as_str()?.to_owned(),
        })
    }
}

impl From<Violation> for Error {
    fn from(violation: Violation) -> Self {
        Error::invalid_input(violation.field, &violation.rule)
    }
}

/// Checks a value by the document's constraints; implemented by the build
/// for every struct a request body reaches.
pub(crate) trait Check {
    fn check(&self, at: &Place<'_>) -> Result<(), Violation>;
}

/// A value the checks read as text without a copy.
pub(crate) trait Text {
    fn text(&self) -> &str;
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
}

impl Text for Secret {
    fn text(&self) -> &str {
        self.expose()
    }
}

/// Any other value of a `string` schema (a date, a uuid), as it is sent.
pub(crate) fn serialized<T: serde::Serialize>(value: &T) -> Cow<'static, str> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Cow::Owned(text),
        _ => Cow::Borrowed(""),
    }
}

/// Any other value of a `number` schema, as it is sent.
pub(crate) fn serialized_number<T: serde::Serialize>(value: &T) -> f64 {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

pub(crate) fn min_items(at: &Place<'_>, len: usize, min: usize) -> Result<(), Violation> {
    match len >= min {
        true => Ok(()),
        false => Err(Violation::new(
            at,
            format!("has {len} items; the contract requires at least {min} (minItems)"),
        )),
    }
}

pub(crate) fn max_items(at: &Place<'_>, len: usize, max: usize) -> Result<(), Violation> {
    match len <= max {
        true => Ok(()),
        false => Err(Violation::new(
            at,
            format!("has {len} items; the contract allows at most {max} (maxItems)"),
        )),
    }
}

/// Pairwise, by the items' own equality (they need not hash): quadratic, and
/// the lists a request carries are short.
pub(crate) fn unique_items<'v, T: PartialEq + 'v>(
    at: &Place<'_>,
    items: impl Iterator<Item = &'v T> + Clone,
) -> Result<(), Violation> {
    for (i, first) in items.clone().enumerate() {
        if let Some(j) = items.clone().skip(i + 1).position(|other| other == first) {
            return Err(Violation::new(
                at,
                format!(
                    "repeats item [{i}] at [{}]; the contract requires unique items (uniqueItems)",
                    i + 1 + j
                ),
            ));
        }
    }
    Ok(())
}

/// JSON Schema counts characters (code points); a byte count decides most
/// cases without counting them.
pub(crate) fn min_length(at: &Place<'_>, text: &str, min: usize) -> Result<(), Violation> {
    if text.len() / 4 >= min || (text.len() >= min && text.chars().count() >= min) {
        return Ok(());
    }
    Err(Violation::new(
        at,
        format!("is shorter than {min} characters (minLength)"),
    ))
}

pub(crate) fn max_length(at: &Place<'_>, text: &str, max: usize) -> Result<(), Violation> {
    if text.len() <= max || text.chars().count() <= max {
        return Ok(());
    }
    Err(Violation::new(
        at,
        format!("is longer than {max} characters (maxLength)"),
    ))
}

pub(crate) fn pattern(
    at: &Place<'_>,
    text: &str,
    regex: &regress::Regex,
    source: &str,
) -> Result<(), Violation> {
    match regex.find(text) {
        Some(_) => Ok(()),
        None => Err(Violation::new(
            at,
            format!("does not match the pattern `{source}` (pattern)"),
        )),
    }
}

pub(crate) fn member(at: &Place<'_>, text: &str, members: &[&str]) -> Result<(), Violation> {
    match members.contains(&text) {
        true => Ok(()),
        false => Err(Violation::new(
            at,
            format!("is not one of {} (enum)", members.join(", ")),
        )),
    }
}

pub(crate) fn numeric_member(
    at: &Place<'_>,
    number: f64,
    members: &[f64],
) -> Result<(), Violation> {
    match members.contains(&number) {
        true => Ok(()),
        false => {
            let members: Vec<String> = members.iter().map(f64::to_string).collect();
            Err(Violation::new(
                at,
                format!("is not one of {} (enum)", members.join(", ")),
            ))
        }
    }
}

pub(crate) fn minimum(
    at: &Place<'_>,
    number: f64,
    min: f64,
    exclusive: bool,
) -> Result<(), Violation> {
    match (exclusive, number) {
        (false, n) if n >= min => Ok(()),
        (true, n) if n > min => Ok(()),
        (false, _) => Err(Violation::new(at, format!("is less than {min} (minimum)"))),
        (true, _) => Err(Violation::new(
            at,
            format!("is not greater than {min} (exclusiveMinimum)"),
        )),
    }
}

pub(crate) fn maximum(
    at: &Place<'_>,
    number: f64,
    max: f64,
    exclusive: bool,
) -> Result<(), Violation> {
    match (exclusive, number) {
        (false, n) if n <= max => Ok(()),
        (true, n) if n < max => Ok(()),
        (false, _) => Err(Violation::new(at, format!("is more than {max} (maximum)"))),
        (true, _) => Err(Violation::new(
            at,
            format!("is not less than {max} (exclusiveMaximum)"),
        )),
    }
}

pub(crate) fn multiple_of(at: &Place<'_>, number: f64, step: f64) -> Result<(), Violation> {
    match (number / step).fract() == 0.0 {
        true => Ok(()),
        false => Err(Violation::new(
            at,
            format!("is not a multiple of {step} (multipleOf)"),
        )),
    }
}

/// The name of the request's list of invitations on the wire, as the
/// facade's [`RequestBody`] writes it.
const LIST: &str = "inviteActionData";

/// Checks the facade's request body by every constraint of the document,
/// as the generated client checks its own.
pub(crate) fn request(body: &RequestBody<'_>) -> Result<(), Error> {
    type Request = types::InviteeClosingInvitationRequest;
    let root = Place::Root;
    Request::check_invite_action_data(
        body.invitations.iter().map(Invitation::as_generated),
        &root,
    )?;
    Request::check_invitee_action_type(&body.action, &root)?;
    Ok(())
}

/// Checks one invitation of a bulk run, `index` in its batch, by the
/// document's constraints on an item.
pub(crate) fn invitation(invitation: &Invitation, index: usize) -> Result<(), Error> {
    let root = Place::Root;
    let list = root.field(LIST);
    Check::check(invitation.as_generated(), &list.index(index))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InviteeAction;

    fn refused(invitations: &[Invitation]) -> Error {
        let body = RequestBody {
            invitations,
            action: InviteeAction::Accept,
        };
        request(&body).expect_err("the document forbids it")
    }

    #[test]
    fn a_place_is_written_as_the_document_names_it() {
        let root = Place::Root;
        let list = root.field("inviteActionData");
        let item = list.index(3);
        assert_eq!(
            item.field("invitationId").to_string(),
            "inviteActionData[3].invitationId"
        );
    }

    #[test]
    fn the_generated_checks_of_the_request_name_the_field_and_the_rule() {
        let empty = refused(&[]);
        assert_eq!(empty.kind(), crate::ErrorKind::InvalidInput);
        assert_eq!(empty.field(), Some("inviteActionData"));
        assert!(empty.to_string().contains("minItems"), "{empty}");

        let items = [Invitation::new("1", "vt-1"), Invitation::new("2", "")];
        let no_token = refused(&items);
        assert_eq!(
            no_token.field(),
            Some("inviteActionData[1].validationToken")
        );
        assert!(no_token.to_string().contains("minLength"), "{no_token}");

        let ok = [Invitation::new("1", "vt-1")];
        let body = RequestBody {
            invitations: &ok,
            action: InviteeAction::Ignore,
        };
        assert!(request(&body).is_ok());
    }

    #[test]
    fn a_violation_survives_the_generated_clients_error_text() {
        let root = Place::Root;
        let violation = Violation::new(&root.field("a: b").index(2), "rule \"x\": y".into());
        let back = Violation::from_carried(&violation.carried()).expect("read back");
        assert_eq!(back, violation);
        assert_eq!(Violation::from_carried("conversion failed"), None);
        let error = Error::from(back);
        assert_eq!(error.field(), Some("a: b[2]"));
    }

    #[test]
    fn no_rule_quotes_the_value_it_refuses() {
        let secret = "vt-9a8b7c-secret";
        let at = Place::Root.field("validationToken");
        let regex = regress::Regex::new("^[0-9]+$").unwrap();
        let failures = [
            pattern(&at, secret, &regex, "^[0-9]+$"),
            max_length(&at, secret, 3),
            min_length(&at, secret, 64),
            member(&at, secret, &["ACCEPT", "IGNORE"]),
        ];
        for failure in failures {
            let error = Error::from(failure.expect_err("refused"));
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }

    #[test]
    fn lengths_count_characters_as_json_schema_does() {
        let at = Place::Root;
        // Four characters, twelve bytes.
        let text = "日本語文";
        assert!(max_length(&at, text, 4).is_ok());
        assert!(max_length(&at, text, 3).is_err());
        assert!(min_length(&at, text, 4).is_ok());
        assert!(min_length(&at, text, 5).is_err());
        assert!(min_length(&at, "", 1).is_err());
    }

    #[test]
    fn list_and_number_rules_hold_at_their_bounds() {
        let at = Place::Root;
        assert!(max_items(&at, 20, 20).is_ok());
        assert!(max_items(&at, 21, 20).is_err());
        assert!(min_items(&at, 0, 1).is_err());
        let repeated = unique_items(&at, [1, 2, 1].iter()).unwrap_err();
        assert!(repeated.rule.contains("[0] at [2]"), "{}", repeated.rule);
        assert!(unique_items(&at, [1, 2, 3].iter()).is_ok());
        assert!(minimum(&at, 1.0, 1.0, false).is_ok());
        assert!(minimum(&at, 1.0, 1.0, true).is_err());
        assert!(maximum(&at, 2.0, 1.0, false).is_err());
        assert!(multiple_of(&at, 7.5, 2.5).is_ok());
        assert!(multiple_of(&at, 7.0, 2.5).is_err());
    }
}
