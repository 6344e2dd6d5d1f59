//! Entry points for the fuzz targets in `fuzz/` (compiled only under
//! `--cfg fuzzing`, which cargo-fuzz sets): the decoding of a response, from
//! status and body to outcome or error, as the generated client does it.

use bytes::Bytes;
use progenitor_client::{Error as GeneratedError, ResponseValue};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::generated::types;
use crate::pipeline::CallRecord;
use crate::{CloseOutcome, Error, InviteeAction};

/// Decodes `body` as a response with `status`, as a call would; must never
/// panic, whatever the bytes.
pub fn decode_response(status: u16, body: &[u8]) -> Result<CloseOutcome, Error> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let payload = |e| GeneratedError::InvalidResponsePayload(Bytes::copy_from_slice(body), e);
    let result = match status.as_u16() {
        200 => serde_json::from_slice::<types::InviteeClosingInvitationResponse>(body)
            .map(|v| ResponseValue::new(v, status, HeaderMap::new()))
            .map_err(payload),
        400..=599 => Err(match serde_json::from_slice::<types::ODataError>(body) {
            Ok(envelope) => GeneratedError::ErrorResponse(ResponseValue::new(
                envelope,
                status,
                HeaderMap::new(),
            )),
            Err(e) => payload(e),
        }),
        _ => {
            let mut response = http::Response::new(Bytes::copy_from_slice(body));
            *response.status_mut() = status;
            Err(GeneratedError::UnexpectedResponse(response.into()))
        }
    };
    crate::response::outcome(
        InviteeAction::Accept,
        vec!["a".to_owned()],
        result,
        &CallRecord::default(),
        "fuzz".to_owned(),
    )
}

/// Validates `body` as the emulator validates a request.
#[cfg(feature = "emulator")]
pub fn emulator_request(body: &[u8]) -> bool {
    crate::emulator::validate_request(body)
}
