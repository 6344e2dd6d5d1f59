//! The bearer check, and the rules a required token must follow.

use base64::Engine as _;
use http::{header, HeaderMap, HeaderValue};
use subtle::ConstantTimeEq;

use linkedin_invitations::Secret;

/// Checks the `Authorization` header: the `Bearer` scheme (in any case,
/// RFC 9110 §11.1) with a non-empty token, which must equal `required` when
/// one is set. Tokens are compared in constant time so that response times
/// do not reveal how much of a guess was right.
pub(crate) fn authorize(
    headers: &HeaderMap,
    required: Option<&Secret>,
) -> Result<(), &'static str> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or("Access token is empty.")?
        .to_str()
        .map_err(|_| "Access token validation failure.")?;
    let token = value
        .trim()
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or("Access token is empty.")?;
    match required {
        Some(expected) if !bool::from(expected.expose().as_bytes().ct_eq(token.as_bytes())) => {
            Err("Access token validation failure.")
        }
        _ => Ok(()),
    }
}

/// The challenge of every `401` (RFC 6750 §3), as Graph sends it: where to
/// get a token, and that the one sent is not valid.
pub(crate) const INVALID_TOKEN_CHALLENGE: &str = concat!(
    r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", "#,
    r#"error="invalid_token""#
);

/// A continuous access evaluation challenge: the token was revoked before it
/// expired, and a new one must carry these claims (base64 of a JSON claims
/// request asking for a token issued from now on).
pub(crate) fn claims_challenge() -> HeaderValue {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let claims =
        serde_json::json!({"access_token": {"nbf": {"essential": true, "value": now.to_string()}}});
    let claims = base64::engine::general_purpose::STANDARD.encode(claims.to_string());
    let value = format!(
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{claims}""#
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(INVALID_TOKEN_CHALLENGE))
}

/// Why a token can never be sent as a bearer token, if it cannot.
pub(crate) fn unusable(token: &Secret) -> Option<&'static str> {
    let text = token.expose();
    if text.is_empty() {
        Some("the required bearer token is empty (is the secret that should set it unset?)")
    } else if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("the required bearer token contains white space or control characters, which no Authorization header can carry")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn the_scheme_is_case_insensitive_and_the_token_must_match() {
        let required = Secret::new("s3cret");
        for accepted in ["Bearer s3cret", "bearer s3cret", "BEARER s3cret"] {
            assert_eq!(
                authorize(&with_authorization(accepted), Some(&required)),
                Ok(())
            );
        }
        for refused in [
            "Bearer s3cre",
            "Bearer s3cret2",
            "Basic s3cret",
            "Bearer ",
            "s3cret",
        ] {
            assert!(
                authorize(&with_authorization(refused), Some(&required)).is_err(),
                "{refused}"
            );
        }
    }

    #[test]
    fn empty_and_spaced_tokens_are_unusable() {
        assert!(unusable(&Secret::new("")).is_some());
        assert!(unusable(&Secret::new("two words")).is_some());
        assert!(unusable(&Secret::new("tab\t")).is_some());
        assert!(unusable(&Secret::new("fine-token")).is_none());
    }
}
