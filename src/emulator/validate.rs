//! Checks a request body against the contract's request schema, naming the
//! first field at fault.

use serde_json::Value;

use super::state::InvitationState;

/// One item of a valid request.
#[derive(Debug)]
pub(crate) struct Item {
    pub(crate) invitation_id: String,
    pub(crate) validation_token: String,
}

/// A valid request.
#[derive(Debug)]
pub(crate) struct Action {
    pub(crate) items: Vec<Item>,
    pub(crate) target: InvitationState,
}

pub(crate) fn request(body: &[u8]) -> Result<Action, String> {
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

fn item(index: usize, value: &Value) -> Result<Item, String> {
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
        invitation_id,
        validation_token,
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
}
