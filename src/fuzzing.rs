//! Entry points for the fuzz targets in `fuzz/` (compiled only under
//! `--cfg fuzzing`, which cargo-fuzz sets): the decoding of an answer, from
//! status and body to outcome or error, as a call does it.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Version};

use crate::runtime::request::Answer;
use crate::{CloseOutcome, Delivery, Error, InviteeAction};

/// Decodes `body` as an answer with `status`, as a call would; must never
/// panic, whatever the bytes.
pub fn decode_response(status: u16, body: &[u8]) -> Result<CloseOutcome, Error> {
    let answer = Answer {
        url: None,
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        version: Version::HTTP_11,
        headers: HeaderMap::new(),
        body: Bytes::copy_from_slice(body),
        attempts: 1,
        delivery: Delivery::Processed,
    };
    crate::decode::outcome(
        InviteeAction::Accept,
        vec!["a".to_owned()],
        answer,
        crate::runtime::request_id::ClientRequestId::new(),
    )
}
