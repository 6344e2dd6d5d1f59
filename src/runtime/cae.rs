//! Continuous access evaluation: the claims a `401` challenge demands, for
//! the token asked for next.

use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};

/// The claims a `401` challenge demands (continuous access evaluation):
/// `claims="<base64 JSON>"` in `WWW-Authenticate`, decoded. A value that is
/// not base64 is passed on as it is.
pub(crate) fn challenge_claims(headers: &HeaderMap) -> Option<String> {
    use base64::Engine as _;

    let challenge = headers.get(WWW_AUTHENTICATE)?.to_str().ok()?;
    let start = challenge.find("claims=\"")? + "claims=\"".len();
    let value = &challenge[start..];
    let value = &value[..value.find('"')?];
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = engine
        .decode(value)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(value));
    Some(match decoded.ok().and_then(|b| String::from_utf8(b).ok()) {
        Some(json) => json,
        None => value.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn challenge(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn claims_are_read_from_a_cae_challenge_and_decoded() {
        let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
        let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, claims);
        let headers = challenge(&format!(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{encoded}""#
        ));
        assert_eq!(challenge_claims(&headers).as_deref(), Some(claims));
        assert_eq!(challenge_claims(&challenge(r#"Bearer realm="""#)), None);
        assert_eq!(challenge_claims(&HeaderMap::new()), None);
    }
}
