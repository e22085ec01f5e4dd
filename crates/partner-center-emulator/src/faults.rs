//! Fault injection: `--fault` specs and the admin endpoint.
//!
//! A spec is `KIND[,key=value…]`:
//! - KIND: an HTTP status (`429`, `500`, `502`, `503`, `504`), `latency`, `reset` (drop
//!   the connection before answering), `reset-after-commit` (do the work, then drop the
//!   connection: the client cannot know it succeeded), `slow-after-commit` (do the work,
//!   then hold the answer for `ms`: a client timeout after the server committed),
//!   `truncate` (half the body).
//! - `rate=0.2` (fraction of matching requests) or `next=3` (the next N); default `next=1`.
//! - `route=/v1/customers` (path prefix; default all, except `/_emulator`).
//! - `ms=200` for `latency`; `retry_after=2` for `429`/`503`.

use std::str::FromStr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::{AppState, lock, rest};

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer with this status (429 with `Retry-After` and the throttling body; 502 with HTML).
    Status(u16),
    /// Delay the request.
    Latency,
    /// Drop the connection without doing the work.
    Reset,
    /// Do the work, then drop the connection.
    ResetAfterCommit,
    /// Do the work, then hold the answer for `ms` (past a client's timeout).
    SlowAfterCommit,
    /// Do the work, then send half of the body.
    Truncate,
}

/// How often a fault fires.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FaultTrigger {
    /// A fraction of matching requests.
    Rate(f64),
    /// The next N matching requests.
    Next(u32),
}

/// One fault rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Fault {
    /// What it does.
    pub kind: FaultKind,
    /// How often.
    pub trigger: FaultTrigger,
    /// Path prefix it applies to.
    pub route: Option<String>,
    /// Latency, or Retry-After for 429/503.
    pub delay: Duration,
}

impl FromStr for Fault {
    type Err = String;
    fn from_str(spec: &str) -> Result<Self, String> {
        let mut parts = spec.split(',').map(str::trim);
        let kind = match parts.next().unwrap_or_default() {
            "latency" => FaultKind::Latency,
            "reset" => FaultKind::Reset,
            "reset-after-commit" => FaultKind::ResetAfterCommit,
            "slow-after-commit" => FaultKind::SlowAfterCommit,
            "truncate" => FaultKind::Truncate,
            code => match code.parse::<u16>() {
                Ok(c) if (400..600).contains(&c) => FaultKind::Status(c),
                _ => {
                    return Err(format!(
                        "unknown fault kind `{code}`: use a status (429, 500, 502, 503, 504), latency, reset, reset-after-commit, slow-after-commit or truncate"
                    ));
                }
            },
        };
        let mut fault = Fault {
            kind,
            trigger: FaultTrigger::Next(1),
            route: None,
            delay: Duration::from_secs(
                if matches!(kind, FaultKind::Latency | FaultKind::SlowAfterCommit) {
                    0
                } else {
                    1
                },
            ),
        };
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not key=value"))?;
            match key {
                "rate" => {
                    let r: f64 = value
                        .parse()
                        .map_err(|e| format!("bad value in `{part}`: {e}"))?;
                    if !(0.0..=1.0).contains(&r) {
                        return Err(format!("rate must be between 0 and 1, not {r}"));
                    }
                    fault.trigger = FaultTrigger::Rate(r);
                }
                "next" => {
                    fault.trigger = FaultTrigger::Next(
                        value
                            .parse()
                            .map_err(|e| format!("bad value in `{part}`: {e}"))?,
                    );
                }
                "route" => fault.route = Some(value.to_owned()),
                "ms" => {
                    fault.delay = Duration::from_millis(
                        value
                            .parse()
                            .map_err(|e| format!("bad value in `{part}`: {e}"))?,
                    );
                }
                "retry_after" => {
                    fault.delay = Duration::from_secs(
                        value
                            .parse()
                            .map_err(|e| format!("bad value in `{part}`: {e}"))?,
                    );
                }
                other => return Err(format!("unknown fault option `{other}`")),
            }
        }
        Ok(fault)
    }
}

/// The live fault rules.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<Fault>,
}

impl Faults {
    pub(crate) fn set(&mut self, rules: Vec<Fault>) {
        self.rules = rules;
    }

    pub(crate) fn add(&mut self, rule: Fault) {
        self.rules.push(rule);
    }

    /// The faults that fire for this request (counting down `next` triggers).
    pub(crate) fn draw(&mut self, path: &str) -> Vec<Fault> {
        if path.starts_with("/_emulator") {
            return Vec::new();
        }
        let mut fired = Vec::new();
        for rule in &mut self.rules {
            if rule.route.as_deref().is_some_and(|r| !path.starts_with(r)) {
                continue;
            }
            let fire = match &mut rule.trigger {
                FaultTrigger::Rate(r) => fastrand::f64() < *r,
                FaultTrigger::Next(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                FaultTrigger::Next(_) => false,
            };
            if fire {
                fired.push(rule.clone());
            }
        }
        self.rules
            .retain(|r| !matches!(r.trigger, FaultTrigger::Next(0)));
        fired
    }
}

pub(crate) fn admin_routes() -> Router<AppState> {
    use axum::routing::post;
    Router::new().route("/_emulator/faults", post(add_fault).delete(clear_faults))
}

async fn add_fault(State(state): State<AppState>, body: String) -> Response {
    match body.trim().parse::<Fault>() {
        Ok(f) => {
            lock(&state.faults).add(f);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, e).into_response(),
    }
}

async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    lock(&state.faults).set(Vec::new());
    StatusCode::NO_CONTENT
}

pub(crate) async fn inject_faults(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let fired = lock(&state.faults).draw(request.uri().path());
    let mut after: Option<Fault> = None;
    for fault in fired {
        match fault.kind {
            FaultKind::Latency => tokio::time::sleep(fault.delay).await,
            FaultKind::Status(429) => return rest::throttled(fault.delay.as_secs().max(1)),
            FaultKind::Status(502) => {
                return (
                    StatusCode::BAD_GATEWAY,
                    [("content-type", "text/html")],
                    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The server encountered a temporary error.</p></body></html>",
                )
                    .into_response();
            }
            FaultKind::Status(code) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let mut response = rest::fault_response(
                    status,
                    0,
                    "The service is temporarily unavailable (injected fault).",
                );
                if code == 503 {
                    if let Ok(v) = HeaderValue::from_str(&fault.delay.as_secs().to_string()) {
                        response.headers_mut().insert("retry-after", v);
                    }
                }
                return response;
            }
            FaultKind::Reset => return broken_body(),
            _ => after = Some(fault),
        }
    }
    let response = next.run(request).await;
    match after.map(|f| (f.kind, f.delay)) {
        Some((FaultKind::ResetAfterCommit, _)) => broken_body(),
        Some((FaultKind::SlowAfterCommit, delay)) => {
            tokio::time::sleep(delay).await;
            response
        }
        Some((FaultKind::Truncate, _)) => {
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let half = bytes.slice(..bytes.len() / 2);
            let mut response = Response::from_parts(parts, Body::from(half.clone()));
            response
                .headers_mut()
                .insert("content-length", HeaderValue::from(half.len()));
            response
        }
        _ => response,
    }
}

/// A response whose body fails at once: hyper aborts the connection mid-answer.
fn broken_body() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected reset",
        ))
    });
    let mut response = Response::new(Body::from_stream(stream));
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        let f: Fault = "429,rate=0.5,route=/v1/customers,retry_after=2"
            .parse()
            .unwrap();
        assert_eq!(f.kind, FaultKind::Status(429));
        assert_eq!(f.trigger, FaultTrigger::Rate(0.5));
        assert_eq!(f.delay, Duration::from_secs(2));
        assert!("teapot".parse::<Fault>().is_err());
        let slow: Fault = "slow-after-commit,ms=800".parse().unwrap();
        assert_eq!(
            (slow.kind, slow.delay),
            (FaultKind::SlowAfterCommit, Duration::from_millis(800))
        );
        assert!("503,rate=2".parse::<Fault>().is_err());
        let mut faults = Faults::default();
        faults.add("reset,next=2".parse().unwrap());
        assert_eq!(faults.draw("/v1/x").len(), 1);
        assert_eq!(faults.draw("/v1/x").len(), 1);
        assert!(faults.draw("/v1/x").is_empty());
    }
}
