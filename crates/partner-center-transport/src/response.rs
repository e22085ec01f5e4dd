//! The classify stage: what one attempt's outcome means for the request.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use partner_center_auth::NetworkFailure;
use partner_center_auth::http::{BodyError, describe_network_error};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::request::RequestParts;
use crate::{Error, error};

/// A successful answer.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// The status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The service's id for the request: the REST API echoes the `MS-RequestId` sent, the
    /// submission API answers with its own `Request-ID` (quote it to support).
    pub request_id: String,
    /// The correlation id sent.
    pub correlation_id: String,
}

impl ApiResponse {
    /// Decodes the body as JSON, or fails with [`Error::Decode`] and a short excerpt.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::decode(
                self.status,
                &self.body,
                &e.to_string(),
                &self.request_id,
                &self.correlation_id,
            )
        })
    }
}

impl ApiResponse {
    /// The `Retry-After` the service gave (seconds, or an HTTP date), as a wait from now:
    /// how long a poll of a long-running operation should wait before asking again.
    pub fn retry_after(&self) -> Option<Duration> {
        use partner_center_auth::Clock as _;
        retry_after(&self.headers, partner_center_auth::SystemClock.now())
    }
}

fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| partner_center_auth::parse_retry_after(v, now))
}

/// What one attempt produced.
pub(crate) enum Outcome {
    /// The service answered; the body was read up to the cap.
    Answer {
        status: StatusCode,
        headers: HeaderMap,
        body: Result<Bytes, BodyError>,
    },
    /// No answer: the request could not be built, sent or timed out.
    NoAnswer(reqwest::Error),
    /// The request could not be made (e.g. a header value the caller gave is invalid).
    Invalid(Error),
}

/// What the pipeline does next.
pub(crate) enum Verdict {
    /// Success: hand the answer back.
    Done(ApiResponse),
    /// 401 on the first try: force one token refresh and send again.
    Refresh,
    /// A transient failure: retry if attempts, time and budget allow.
    Retry(Failure),
    /// A final failure.
    Fail(Error),
}

/// A transient failure, kept for the error if the retries run out.
pub(crate) struct Failure {
    pub(crate) status: Option<u16>,
    pub(crate) message: String,
    pub(crate) network: Option<NetworkFailure>,
    pub(crate) retry_after: Option<Duration>,
}

impl Failure {
    fn network(status: Option<u16>, message: String, network: NetworkFailure) -> Self {
        Self {
            status,
            message,
            network: Some(network),
            retry_after: None,
        }
    }

    /// The error when no more attempts are made.
    pub(crate) fn into_error(self, attempts: u32, parts: &RequestParts<'_>) -> Error {
        Error::Transient {
            status: self.status,
            message: self.message,
            network: self.network,
            attempts,
            request_id: parts.request_id.clone(),
            correlation_id: parts.correlation_id.clone(),
        }
    }
}

/// Sorts one attempt's outcome into done / refresh / retry / fail. `refreshed` says
/// whether the one forced refresh was spent; `now` dates a `Retry-After` given as a date.
pub(crate) fn classify(
    parts: &RequestParts<'_>,
    outcome: Outcome,
    refreshed: bool,
    now: SystemTime,
) -> Verdict {
    let (status, headers, body) = match outcome {
        Outcome::Invalid(e) => return Verdict::Fail(e),
        Outcome::NoAnswer(e) if e.is_builder() => {
            return Verdict::Fail(Error::Config(format!(
                "the request to {} cannot be sent: {}",
                parts.url.path(),
                std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string)
            )));
        }
        Outcome::NoAnswer(e) => {
            let (message, network) = describe_network_error(&e, &parts.url);
            return Verdict::Retry(Failure::network(None, message, network));
        }
        Outcome::Answer {
            status,
            headers,
            body,
        } => (status, headers, body),
    };
    // The submission API answers with its own id; the REST API echoes ours.
    let answer_id = headers
        .get(parts.profile.headers().response_id)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| parts.request_id.clone(), str::to_owned);
    let code = status.as_u16();
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge { cap }) => {
            return Verdict::Fail(Error::decode(
                code,
                b"",
                &format!(
                    "the answer is larger than the limit of {} (raise it with max_response_bytes)",
                    partner_center_auth::limits::human_bytes(cap as u64)
                ),
                &answer_id,
                &parts.correlation_id,
            ));
        }
        Err(BodyError::Read(e)) => {
            let (message, network) = describe_network_error(&e, &parts.url);
            return Verdict::Retry(Failure::network(
                Some(code),
                format!("reading the answer: {message}"),
                network,
            ));
        }
        Err(_) => {
            return Verdict::Retry(Failure {
                status: Some(code),
                message: "reading the answer failed".to_owned(),
                network: None,
                retry_after: None,
            });
        }
    };
    if status.is_success() {
        return Verdict::Done(ApiResponse {
            status: code,
            headers,
            body: bytes,
            request_id: answer_id,
            correlation_id: parts.correlation_id.clone(),
        });
    }
    if status == StatusCode::UNAUTHORIZED && !refreshed {
        return Verdict::Refresh;
    }
    if is_transient_status(status) {
        return Verdict::Retry(Failure {
            status: Some(code),
            message: error::summarize(code, &bytes),
            network: None,
            retry_after: retry_after(&headers, now),
        });
    }
    Verdict::Fail(Error::api(code, &bytes, &answer_id, &parts.correlation_id))
}

/// 408, 429 and the 5xx that mean "try again".
pub(crate) fn is_transient_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}
