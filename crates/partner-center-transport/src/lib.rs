#![doc = include_str!("../README.md")]

mod error;
#[cfg(feature = "fleet")]
mod fleet;
mod pace;
mod paging;
mod profile;
mod request;
mod response;
mod retry;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use partner_center_auth::http::read_body_capped;
use partner_center_auth::{AccessToken, Clock, Credential, SystemClock, TokenRequestOptions};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use error::Error;
#[cfg(feature = "fleet")]
pub use fleet::FleetBudget;
pub use pace::RateLimit;
pub use paging::{Cursor, MAX_CONSECUTIVE_EMPTY_PAGES, Page, PageShape, Paged, Pages};
pub use profile::{ApiProfile, HeaderPolicy};
pub use request::{MAX_URL_BYTES, RequestOptions};
pub use response::ApiResponse;
pub use retry::{RetryBudget, RetryPolicy};

use request::RequestParts;
use response::{Outcome, Verdict};

/// The pipeline every API module shares. Cheap to clone (an `Arc` inside).
///
/// A request goes through named stages, each a function of its own: the request parts
/// (resolve and check the path, pick the ids, once per logical request), `authorize` (a
/// token, within the time left), `dispatch` (one attempt, its body read up to the cap),
/// `classify` (done / refresh / retry / fail), and the short loop in [`Transport::send`]
/// that waits between retries.
#[derive(Clone, Debug)]
pub struct Transport {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    /// Shared by every request of this transport and its clones.
    budget: RetryBudget,
    /// The rate budgets, shared the same way.
    pacer: pace::Pacer,
    /// The resources a token was handed out for: a later token request is a refresh.
    had_token: std::sync::Mutex<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Config {
    http: reqwest::Client,
    credential: Credential,
    policy: RetryPolicy,
    locale: Option<String>,
    max_response_bytes: usize,
    clock: Arc<dyn Clock>,
    rate_limit: Option<RateLimit>,
    #[cfg(feature = "fleet")]
    fleet: Option<Arc<FleetBudget>>,
}

/// The longest `max_elapsed` honoured: a century, i.e. no limit.
const NO_LIMIT: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The largest API answer read by default (32 MiB): generous for any page, finite.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

impl Transport {
    /// A transport over `credential` with the default HTTP client and retry policy.
    pub fn new(credential: impl Into<Credential>) -> Result<Self, Error> {
        let http = partner_center_auth::default_http_client().map_err(Error::Auth)?;
        Ok(Self::with_parts(
            http,
            credential,
            RetryPolicy::default(),
            None,
        ))
    }

    /// A transport from its parts.
    pub fn with_parts(
        http: reqwest::Client,
        credential: impl Into<Credential>,
        policy: RetryPolicy,
        locale: Option<String>,
    ) -> Self {
        Self::from_config(Config {
            http,
            credential: credential.into(),
            policy,
            locale,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            clock: Arc::new(SystemClock),
            rate_limit: Some(RateLimit::DOCUMENTED),
            #[cfg(feature = "fleet")]
            fleet: None,
        })
    }

    fn from_config(config: Config) -> Self {
        let budget = RetryBudget::new(config.policy.budget_capacity);
        let pacer = pace::Pacer::new(
            config.rate_limit,
            #[cfg(feature = "fleet")]
            config.fleet.clone(),
        );
        Self {
            inner: Arc::new(Inner {
                config,
                budget,
                pacer,
                had_token: std::sync::Mutex::new(Vec::new()),
            }),
        }
    }

    /// Sets the largest answer body read (default [`DEFAULT_MAX_RESPONSE_BYTES`]); a
    /// larger one fails with [`Error::Decode`] naming the limit. A setting made at
    /// construction: the result is a new transport with a full retry budget.
    pub fn with_max_response_bytes(&self, max: usize) -> Self {
        let mut config = self.inner.config.clone();
        config.max_response_bytes = max;
        Self::from_config(config)
    }

    /// Sets the clock used for `Retry-After` dates (default: the system clock). A setting
    /// made at construction, as [`with_max_response_bytes`](Self::with_max_response_bytes).
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Self {
        let mut config = self.inner.config.clone();
        config.clock = clock;
        Self::from_config(config)
    }

    /// Sets the client-side rate limit of the throttled operations (default
    /// [`RateLimit::DOCUMENTED`], 500 a minute per customer; `None`: none). Requests wait
    /// for their slot instead of drawing a 429. A setting made at construction, as
    /// [`with_max_response_bytes`](Self::with_max_response_bytes).
    pub fn with_rate_limit(&self, limit: Option<RateLimit>) -> Self {
        let mut config = self.inner.config.clone();
        config.rate_limit = limit;
        Self::from_config(config)
    }

    /// Shares the rate budget with other processes through Redis (feature `fleet`): N
    /// processes together stay under the limit; when Redis fails, each goes on with its
    /// own. A setting made at construction, as
    /// [`with_max_response_bytes`](Self::with_max_response_bytes).
    #[cfg(feature = "fleet")]
    pub fn with_fleet(&self, fleet: Arc<FleetBudget>) -> Self {
        let mut config = self.inner.config.clone();
        config.fleet = Some(fleet);
        Self::from_config(config)
    }

    /// The credential.
    pub fn credential(&self) -> &Credential {
        &self.inner.config.credential
    }

    /// GETs `path` (relative to the profile's base) and decodes JSON.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        profile: &ApiProfile,
        path: &str,
        options: &RequestOptions,
    ) -> Result<T, Error> {
        self.send(profile, Method::GET, path, None, options)
            .await?
            .json()
    }

    /// Sends `body` as JSON with `method` and decodes the JSON answer.
    pub async fn send_json<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        profile: &ApiProfile,
        method: Method,
        path: &str,
        body: &B,
        options: &RequestOptions,
    ) -> Result<T, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::Config(format!("cannot encode the request: {e}")))?;
        self.send(profile, method, path, Some(Bytes::from(bytes)), options)
            .await?
            .json()
    }

    /// Sends one logical request: retried on 429/5xx/timeouts/connection errors with the
    /// same request id, a fresh bearer token per attempt, one forced refresh on 401. The
    /// whole operation, token requests, attempts and waits included, ends within the
    /// policy's `max_elapsed`.
    pub async fn send(
        &self,
        profile: &ApiProfile,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        options: &RequestOptions,
    ) -> Result<ApiResponse, Error> {
        let parts = RequestParts::new(profile, method, path, body, options)?;
        self.run(&parts, false).await.map(|(answer, _)| answer)
    }

    /// Sends a GET and streams a successful answer's body into `sink`, never holding it
    /// whole (statement PDFs, export files): retried as [`send`](Self::send) is until a
    /// success answers; a failure while the body streams is [`Error::Transient`] (the
    /// sink then holds a part: start again). Answers the response, its `body` empty, and
    /// the number of bytes written.
    pub async fn download<W: tokio::io::AsyncWrite + Unpin + ?Sized>(
        &self,
        profile: &ApiProfile,
        path: &str,
        options: &RequestOptions,
        sink: &mut W,
    ) -> Result<(ApiResponse, u64), Error> {
        use tokio::io::AsyncWriteExt as _;
        let parts = RequestParts::new(profile, Method::GET, path, None, options)?;
        let (answer, stream) = self.run(&parts, true).await?;
        let Some(mut response) = stream else {
            return Ok((answer, 0));
        };
        let failed = |message: String| Error::Transient {
            status: Some(answer.status),
            message,
            network: None,
            attempts: 1,
            request_id: answer.request_id.clone(),
            correlation_id: answer.correlation_id.clone(),
        };
        let mut written: u64 = 0;
        loop {
            let chunk = response
                .chunk()
                .await
                .map_err(|e| failed(format!("the answer broke off after {written} bytes: {e}")))?;
            let Some(chunk) = chunk else { break };
            sink.write_all(&chunk).await.map_err(|e| {
                failed(format!(
                    "writing the answer failed after {written} bytes: {e}"
                ))
            })?;
            written += chunk.len() as u64;
        }
        sink.flush()
            .await
            .map_err(|e| failed(format!("writing the answer failed: {e}")))?;
        Ok((answer, written))
    }

    /// One operation: an INFO span (`partner_center.operation`) named by the method and
    /// the path template, with OpenTelemetry's semantic-convention fields (never an id or
    /// a query value: the path is a template), around every attempt.
    async fn run(
        &self,
        parts: &RequestParts<'_>,
        stream: bool,
    ) -> Result<(ApiResponse, Option<reqwest::Response>), Error> {
        use tracing::Instrument as _;
        let span = tracing::info_span!(
            "partner_center.operation",
            otel.name = %format_args!("{} {}", parts.method, parts.template),
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            http.request.method = %parts.method,
            url.template = %parts.template,
            server.address = parts.url.host_str().unwrap_or_default(),
            server.port = parts.url.port_or_known_default(),
            http.response.status_code = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            error.type = tracing::field::Empty,
            partner_center.request_id = %parts.request_id,
            partner_center.correlation_id = %parts.correlation_id,
        );
        let result = self
            .attempts(parts, stream, &span)
            .instrument(span.clone())
            .await;
        match &result {
            Ok((answer, _)) => {
                span.record("http.response.status_code", answer.status);
            }
            Err(e) => {
                let (kind, status) = match e {
                    Error::Api { status, .. } => ("api", Some(*status)),
                    Error::Transient { status, .. } => ("transient", *status),
                    Error::Auth(_) => ("auth", None),
                    Error::Decode { status, .. } => ("decode", Some(*status)),
                    _ => ("other", None),
                };
                if let Some(status) = status {
                    span.record("http.response.status_code", status);
                }
                span.record("error.type", kind);
                span.record("otel.status_code", "ERROR");
            }
        }
        result
    }

    /// The loop every request shares; with `stream`, a success's body is left unread in
    /// the response handed back.
    async fn attempts(
        &self,
        parts: &RequestParts<'_>,
        stream: bool,
        operation: &tracing::Span,
    ) -> Result<(ApiResponse, Option<reqwest::Response>), Error> {
        let config = &self.inner.config;
        let policy = &config.policy;
        // A century stands for "no limit" (`Duration::MAX` would overflow an Instant).
        let deadline = Instant::now() + policy.max_elapsed.min(NO_LIMIT);
        let mut token_options = TokenRequestOptions::default();
        let mut refreshed = false;
        let mut attempt: u32 = 0;
        let pace_key = pace::Pacer::key(parts.url.path());
        loop {
            attempt += 1;
            if attempt > 1 {
                // Set only when there was a resend, as the convention has it.
                operation.record("http.request.resend_count", attempt - 1);
            }
            let span = tracing::debug_span!("partner_center.request", method = %parts.method, path = %parts.template, attempt, request_id = %parts.request_id, status = tracing::field::Empty);
            if let Some(key) = &pace_key {
                match self.inner.pacer.acquire(key, deadline).await {
                    Ok(waited) if waited >= Duration::from_millis(100) => {
                        tracing::info!(path = %parts.template, waited_ms = u64::try_from(waited.as_millis()).unwrap_or(u64::MAX), "waited for the rate budget");
                    }
                    Ok(_) => {}
                    Err(_) => return Err(self.out_of_time(parts, attempt - 1)),
                }
            }
            let token = self
                .authorize(parts, &token_options, deadline, attempt)
                .await?;
            let (outcome, held) = self.dispatch(parts, &token, deadline, stream).await;
            if let Outcome::Answer { status, .. } = &outcome {
                span.record("status", status.as_u16());
            }
            let failure = match response::classify(parts, outcome, refreshed, config.clock.now()) {
                Verdict::Done(answer) => {
                    self.inner.budget.refund();
                    tracing::debug!(parent: &span, "ok");
                    return Ok((answer, held));
                }
                Verdict::Refresh => {
                    tracing::debug!(parent: &span, "401: forcing one token refresh");
                    refreshed = true;
                    token_options = TokenRequestOptions::refresh_rejected(token);
                    continue;
                }
                Verdict::Fail(error) => return Err(error),
                Verdict::Retry(failure) => failure,
            };
            tracing::debug!(parent: &span, status = ?failure.status, error = %failure.message, "transient failure");
            if let (Some(key), Some(429), Some(wait)) =
                (&pace_key, failure.status, failure.retry_after)
            {
                // Throttled all the same: the key waits out the Retry-After, for every caller.
                self.inner.pacer.hold(key, wait).await;
            }
            let delay = policy.delay(attempt, failure.retry_after);
            let out_of_time = delay >= deadline.saturating_duration_since(Instant::now());
            // A 429 on a paced key draws nothing from the retry budget: the pace stage
            // holds that key until the Retry-After, so its retries cannot swell the load.
            let paced_429 =
                pace_key.is_some() && failure.status == Some(429) && self.inner.pacer.is_limited();
            if attempt >= policy.max_attempts
                || out_of_time
                || (!paced_429 && !self.inner.budget.withdraw())
            {
                return Err(failure.into_error(attempt, parts));
            }
            // For people watching (the CLI shows it on its progress line).
            let why = match failure.status {
                Some(429) => "throttled".to_owned(),
                Some(status) => format!("the service answered {status}"),
                None => "no answer".to_owned(),
            };
            let wait = if delay >= Duration::from_secs(1) {
                format!(
                    "{} s",
                    delay.as_secs() + u64::from(delay.subsec_nanos() > 0)
                )
            } else {
                format!("{} ms", delay.as_millis())
            };
            tracing::info!(target: "partner_center::retry", path = %parts.template, "{why}, retrying in {wait}");
            tokio::time::sleep(delay).await;
        }
    }

    /// The authorize stage: a bearer token for the profile's resource, within the time
    /// the operation has left.
    async fn authorize(
        &self,
        parts: &RequestParts<'_>,
        token_options: &TokenRequestOptions,
        deadline: Instant,
        attempt: u32,
    ) -> Result<AccessToken, Error> {
        use tracing::Instrument as _;
        let out_of_time = || self.out_of_time(parts, attempt - 1);
        let remaining = deadline
            .checked_duration_since(Instant::now())
            .ok_or_else(out_of_time)?;
        let credential = &self.inner.config.credential;
        let resource = parts.profile.resource();
        let had_token = self
            .inner
            .had_token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .any(|r| r == resource);
        // Its own span, with what the cache did; never the token.
        let cache = if token_options.force_refresh {
            "refresh"
        } else if credential.cached_token(resource).is_some() {
            "hit"
        } else if had_token {
            "refresh"
        } else {
            "fetch"
        };
        let span = tracing::info_span!(
            "partner_center.token",
            otel.name = "token",
            partner_center.token.cache = cache
        );
        let token = tokio::time::timeout(remaining, credential.token(resource, token_options))
            .instrument(span)
            .await
            .map_err(|_| out_of_time())?
            .map_err(Error::Auth)?;
        if !had_token {
            self.inner
                .had_token
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(resource.to_owned());
        }
        Ok(token)
    }

    /// The dispatch stage: one attempt, bounded by the attempt timeout and the time left;
    /// the timeout covers reading the body too.
    async fn dispatch(
        &self,
        parts: &RequestParts<'_>,
        token: &AccessToken,
        deadline: Instant,
        stream: bool,
    ) -> (Outcome, Option<reqwest::Response>) {
        let config = &self.inner.config;
        let headers = match parts.headers(token, config.locale.as_deref()) {
            Ok(headers) => headers,
            Err(e) => return (Outcome::Invalid(e), None),
        };
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut request = config
            .http
            .request(parts.method.clone(), parts.url.clone())
            .headers(headers)
            .timeout(config.policy.attempt_timeout.min(remaining));
        if let Some(body) = &parts.body {
            request = request.body(body.clone());
        }
        match request.send().await {
            Ok(mut response) => {
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                if stream && status.is_success() {
                    let answer = Outcome::Answer {
                        status,
                        headers,
                        body: Ok(Bytes::new()),
                    };
                    return (answer, Some(response));
                }
                let body = read_body_capped(response, config.max_response_bytes).await;
                let answer = Outcome::Answer {
                    status,
                    headers,
                    body,
                };
                (answer, None)
            }
            Err(e) => (Outcome::NoAnswer(e), None),
        }
    }

    fn out_of_time(&self, parts: &RequestParts<'_>, attempts: u32) -> Error {
        Error::Transient {
            status: None,
            message: format!(
                "no successful answer within {} (max_elapsed)",
                humanize(self.inner.config.policy.max_elapsed)
            ),
            network: Some(partner_center_auth::NetworkFailure::Timeout),
            attempts,
            request_id: parts.request_id.clone(),
            correlation_id: parts.correlation_id.clone(),
        }
    }

    /// The HTTP client under it (its TLS roots and proxy), for requests that carry no
    /// bearer token, such as downloads with a SAS token from Azure Storage.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.config.http
    }

    /// A lazy stream of every item of a collection, page by page, under one
    /// correlation id.
    pub fn paginate<T: DeserializeOwned + Send + 'static>(
        &self,
        profile: &ApiProfile,
        first: &str,
        options: &RequestOptions,
    ) -> Paged<T> {
        paging::paginate(self.clone(), profile.clone(), first.to_owned(), options)
    }

    /// The same listing page by page, from `from` (a first page, or the [`Cursor`] a
    /// page gave): each page says where the listing goes on, so a long export can record
    /// it and resume there.
    pub fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        profile: &ApiProfile,
        from: Cursor,
        options: &RequestOptions,
    ) -> Pages<T> {
        paging::pages(self.clone(), profile.clone(), from, options)
    }
}

fn humanize(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 && secs % 60 == 0 {
        format!("{} min", secs / 60)
    } else if secs > 0 {
        format!("{secs} s")
    } else {
        format!("{} ms", d.as_millis())
    }
}
