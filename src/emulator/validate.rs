//! Checks a request body against the contract's request schema, naming the
//! first field at fault.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::state::InvitationState;

/// One item of a valid request.
#[derive(Debug)]
pub(crate) struct Item<'a> {
    pub(crate) invitation_id: Cow<'a, str>,
    pub(crate) validation_token: Cow<'a, str>,
}

/// A valid request.
#[derive(Debug)]
pub(crate) struct Action<'a> {
    pub(crate) items: Vec<Item<'a>>,
    pub(crate) target: InvitationState,
}

pub(crate) fn request(body: &[u8]) -> Result<Action<'_>, String> {
    fast(body).or_else(|()| checked(body))
}

/// The request as typed, borrowing its strings: no allocation per field.
/// Anything unusual (escapes, a missing or mistyped field) fails here and
/// goes through [`checked`], which alone decides and explains.
fn fast(body: &[u8]) -> Result<Action<'_>, ()> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Request<'a> {
        #[serde(borrow)]
        invite_action_data: Vec<RequestItem<'a>>,
        invitee_action_type: &'a str,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RequestItem<'a> {
        invitation_id: &'a str,
        validation_token: &'a str,
        #[serde(default, borrow, deserialize_with = "string")]
        tracking_id: Option<&'a str>,
        #[serde(default, borrow, rename = "@odata.type", deserialize_with = "string")]
        odata_type: Option<&'a str>,
    }
    fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de str>, D::Error> {
        <&str>::deserialize(d).map(Some)
    }

    let request: Request<'_> = serde_json::from_slice(body).map_err(|_| ())?;
    let target = match request.invitee_action_type {
        "ACCEPT" => InvitationState::Accepted,
        "IGNORE" => InvitationState::Ignored,
        _ => return Err(()),
    };
    let valid = |item: &RequestItem<'_>| {
        let _ = (item.tracking_id, item.odata_type);
        !item.invitation_id.is_empty() && !item.validation_token.is_empty()
    };
    if request.invite_action_data.is_empty() || !request.invite_action_data.iter().all(valid) {
        return Err(());
    }
    let items = request
        .invite_action_data
        .into_iter()
        .map(|item| Item {
            invitation_id: Cow::Borrowed(item.invitation_id),
            validation_token: Cow::Borrowed(item.validation_token),
        })
        .collect();
    Ok(Action { items, target })
}

/// The request checked field by field, naming the first at fault.
fn checked(body: &[u8]) -> Result<Action<'static>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    let object = value.as_object().ok_or("the body must be a JSON object")?;

    let target = match object.get("inviteeActionType") {
        None => return Err("inviteeActionType is required".into()),
        Some(Value::String(s)) if s == "ACCEPT" => InvitationState::Accepted,
        Some(Value::String(s)) if s == "IGNORE" => InvitationState::Ignored,
        Some(_) => return Err("inviteeActionType must be ACCEPT or IGNORE".into()),
    };
    let data = match object.get("inviteActionData") {
        None => return Err("inviteActionData is required".into()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("inviteActionData must be an array".into()),
    };
    if data.is_empty() {
        return Err("inviteActionData: at least one item is required".into());
    }
    let items = data
        .iter()
        .enumerate()
        .map(|(i, item)| self::item(i, item))
        .collect::<Result<_, _>>()?;
    Ok(Action { items, target })
}

fn item(index: usize, value: &Value) -> Result<Item<'static>, String> {
    let at = |field: &str| format!("inviteActionData[{index}].{field}");
    let object = value
        .as_object()
        .ok_or_else(|| format!("inviteActionData[{index}] must be an object"))?;
    let required = |field: &str| match object.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(format!("{} must not be empty", at(field))),
        Some(_) => Err(format!("{} must be a string", at(field))),
        None => Err(format!("{} is required", at(field))),
    };
    let invitation_id = required("invitationId")?;
    let validation_token = required("validationToken")?;
    for optional in ["trackingId", "@odata.type"] {
        if object.get(optional).is_some_and(|v| !v.is_string()) {
            return Err(format!("{} must be a string", at(optional)));
        }
    }
    Ok(Item {
        invitation_id: Cow::Owned(invitation_id),
        validation_token: Cow::Owned(validation_token),
    })
}

#[cfg(test)]
mod tests {
    use super::request;

    #[test]
    fn accepts_the_seed_example_and_names_the_faulty_field_otherwise() {
        let seed = br#"{"inviteActionData":[{"@odata.type":"microsoft.graph.InviteActionData",
            "invitationId":"Invitation Id value","validationToken":"Validation Token value"}],
            "inviteeActionType":"ACCEPT"}"#;
        assert_eq!(request(seed).unwrap().items.len(), 1);

        let cases: [(&[u8], &str); 6] = [
            (b"not json", "not valid JSON"),
            (br#"{"inviteActionData":[]}"#, "inviteeActionType is required"),
            (br#"{"inviteActionData":[],"inviteeActionType":"ACCEPT"}"#, "at least one item"),
            (br#"{"inviteActionData":[{"invitationId":"a"}],"inviteeActionType":"IGNORE"}"#, "inviteActionData[0].validationToken is required"),
            (br#"{"inviteActionData":[{"invitationId":"","validationToken":"t"}],"inviteeActionType":"IGNORE"}"#, "inviteActionData[0].invitationId must not be empty"),
            (br#"{"inviteActionData":[{"invitationId":"a","validationToken":"t"}],"inviteeActionType":"String"}"#, "ACCEPT or IGNORE"),
        ];
        for (body, expected) in cases {
            let error = request(body).unwrap_err();
            assert!(
                error.contains(expected),
                "{error} should contain {expected}"
            );
        }
    }

    #[test]
    fn the_typed_path_and_the_checked_path_agree() {
        let bodies: [&[u8]; 8] = [
            br#"{"inviteActionData":[{"invitationId":"a","validationToken":"t"}],"inviteeActionType":"ACCEPT"}"#,
            br#"{"inviteActionData":[{"invitationId":"aA","validationToken":"t"}],"inviteeActionType":"IGNORE"}"#,
            br#"{"inviteActionData":[{"invitationId":"a","validationToken":"t","trackingId":null}],"inviteeActionType":"ACCEPT"}"#,
            br#"{"inviteActionData":[{"invitationId":"a","validationToken":"t","trackingId":"x","extra":1}],"inviteeActionType":"ACCEPT"}"#,
            br#"{"inviteActionData":[{"invitationId":"a","validationToken":""}],"inviteeActionType":"ACCEPT"}"#,
            br#"{"inviteActionData":[],"inviteeActionType":"ACCEPT"}"#,
            br#"{"inviteActionData":[{"invitationId":"a","validationToken":"t"}],"inviteeActionType":"accept"}"#,
            br#"{"inviteActionData":[{"invitationId":"a","invitationId":"b","validationToken":"t"}],"inviteeActionType":"ACCEPT"}"#,
        ];
        for body in bodies {
            let typed = super::fast(body).ok().map(|a| a.items.len());
            let checked = super::checked(body).ok().map(|a| a.items.len());
            assert!(
                typed.is_none() || typed == checked,
                "{}: the typed path accepts what the checked one refuses",
                String::from_utf8_lossy(body)
            );
        }
        assert!(
            super::fast(bodies[0]).is_ok(),
            "the usual request takes the typed path"
        );
    }
}
