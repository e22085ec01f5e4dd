#![doc = include_str!("../README.md")]

mod error;
mod paging;
mod retry;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use partner_center_auth::http::{BodyError, read_body_capped};
use partner_center_auth::{
    AccessToken, Clock, ExposeSecret, SystemClock, TokenCredential, TokenRequestOptions,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

pub use error::Error;
pub use paging::{MAX_CONSECUTIVE_EMPTY_PAGES, PageShape, Paged};
pub use retry::{RetryBudget, RetryPolicy};

/// Which API a request goes to: its base URL, token resource and header conventions.
#[derive(Debug, Clone)]
pub struct ApiProfile {
    base: Url,
    resource: String,
    request_id_header: &'static str,
    response_id_header: &'static str,
    contract_version: Option<&'static str>,
    shape: PageShape,
}

impl ApiProfile {
    /// The REST API: `{api}/v1`, `MS-RequestId`/`MS-CorrelationId`, `MS-Contract-Version: v1`,
    /// collections with `links.next`.
    pub fn rest(api: &Url, resource: &str) -> Result<Self, Error> {
        Ok(Self {
            base: join_base(api, "v1")?,
            resource: resource.to_owned(),
            request_id_header: "MS-RequestId",
            response_id_header: "MS-RequestId",
            contract_version: Some("v1"),
            shape: PageShape::Rest,
        })
    }

    /// The submission (ingestion) API: `{api}/v1.0/ingestion`, `Client-Request-ID` on
    /// requests and `Request-ID` on responses, collections with `@odata.nextLink`.
    pub fn ingestion(api: &Url, resource: &str) -> Result<Self, Error> {
        Ok(Self {
            base: join_base(api, "v1.0/ingestion")?,
            resource: resource.to_owned(),
            request_id_header: "Client-Request-ID",
            response_id_header: "Request-ID",
            contract_version: None,
            shape: PageShape::OData,
        })
    }

    /// The versioned base URL, e.g. `https://api.partnercenter.microsoft.com/v1`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The token resource.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// Resolves a path or link against the base. Links are usually relative to the
    /// version root (`/customers?…`); some already carry it (`/v1/customers?…`); some
    /// are absolute.
    pub fn resolve(&self, uri: &str) -> Result<Url, Error> {
        if uri.starts_with("http://") || uri.starts_with("https://") {
            let url = Url::parse(uri).map_err(|e| {
                Error::Config(format!(
                    "bad link {}: {e}",
                    partner_center_auth::redact_url_text(uri)
                ))
            })?;
            if url.origin() != self.base.origin() {
                return Err(Error::Config(format!(
                    "refusing to follow a link to another host: {uri}"
                )));
            }
            return Ok(url);
        }
        let base_path = self.base.path().trim_end_matches('/');
        let rel = if uri.starts_with('/') {
            uri.to_owned()
        } else {
            format!("/{uri}")
        };
        let full = if rel.starts_with(&format!("{base_path}/")) || rel == base_path {
            rel
        } else {
            format!("{base_path}{rel}")
        };
        let mut url = self.base.clone();
        let (path, query) = full
            .split_once('?')
            .map_or((full.as_str(), None), |(p, q)| (p, Some(q)));
        check_segments(path)?;
        url.set_path(path);
        url.set_query(query);
        Ok(url)
    }
}

/// Dot segments (`.`, `..`, and their percent-encoded forms) and empty segments are
/// refused: an id of `..` must not turn `GET /v1/customers/..` into `GET /v1/`.
fn check_segments(path: &str) -> Result<(), Error> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    for seg in &segments {
        let decoded = seg.to_ascii_lowercase().replace("%2e", ".");
        if decoded == "." || decoded == ".." {
            return Err(Error::Config(format!(
                "`{seg}` cannot be an id or a path segment (it would change the path {path}); check the ids given"
            )));
        }
        if seg.is_empty() {
            return Err(Error::Config(format!(
                "an id is empty (the path would be {path}); give a non-empty id"
            )));
        }
    }
    Ok(())
}

fn join_base(api: &Url, version: &str) -> Result<Url, Error> {
    partner_center_auth::check_url_allowed(api).map_err(Error::Auth)?;
    let mut url = api.clone();
    let path = format!("{}/{version}", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.set_query(None);
    Ok(url)
}

/// Per-request options.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// The correlation id (one per logical operation; all pages of a listing share one).
    pub correlation_id: Option<String>,
    /// `If-Match`, for updates.
    pub if_match: Option<String>,
    /// Extra headers (e.g. `MS-ContinuationToken` from a link).
    pub headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// Options with a correlation id.
    pub fn correlated(correlation_id: impl Into<String>) -> Self {
        Self {
            correlation_id: Some(correlation_id.into()),
            ..Self::default()
        }
    }

    /// Sets `If-Match`.
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.if_match = Some(etag.into());
        self
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// The status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The request id sent (and echoed).
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

/// The pipeline every API module shares. Cheap to clone (an `Arc` inside).
#[derive(Clone, Debug)]
pub struct Transport {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    credential: Arc<dyn TokenCredential>,
    policy: RetryPolicy,
    budget: RetryBudget,
    locale: Option<String>,
    max_response_bytes: usize,
    clock: Arc<dyn Clock>,
}

/// The largest API answer read by default (32 MiB): generous for any page, finite.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

impl Transport {
    /// A transport over `credential` with the default HTTP client and retry policy.
    pub fn new(credential: Arc<dyn TokenCredential>) -> Result<Self, Error> {
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
        credential: Arc<dyn TokenCredential>,
        policy: RetryPolicy,
        locale: Option<String>,
    ) -> Self {
        let budget = RetryBudget::new(policy.budget_capacity);
        Self {
            inner: Arc::new(Inner {
                http,
                credential,
                policy,
                budget,
                locale,
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
                clock: Arc::new(SystemClock),
            }),
        }
    }

    /// Sets the largest answer body read (default [`DEFAULT_MAX_RESPONSE_BYTES`]); a
    /// larger one fails with [`Error::Decode`] naming the limit.
    pub fn with_max_response_bytes(self, max: usize) -> Self {
        self.map_inner(|inner| inner.max_response_bytes = max)
    }

    /// Sets the clock used for `Retry-After` dates (default: the system clock).
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        self.map_inner(|inner| inner.clock = clock)
    }

    fn map_inner(self, f: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            http: shared.http.clone(),
            credential: shared.credential.clone(),
            policy: shared.policy.clone(),
            budget: RetryBudget::new(shared.policy.budget_capacity),
            locale: shared.locale.clone(),
            max_response_bytes: shared.max_response_bytes,
            clock: shared.clock.clone(),
        });
        f(&mut inner);
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The credential.
    pub fn credential(&self) -> &Arc<dyn TokenCredential> {
        &self.inner.credential
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
        let url = profile.resolve(path)?;
        check_request_url(&url)?;
        let request_id = request_uuid();
        let correlation_id = options.correlation_id.clone().unwrap_or_else(request_uuid);
        let policy = &self.inner.policy;
        let started = Instant::now();
        let mut token_options = TokenRequestOptions::default();
        let mut refreshed = false;
        let mut attempt: u32 = 0;
        let template = path_template(url.path());
        let out_of_time = |attempts: u32| Error::Transient {
            status: None,
            message: format!(
                "no successful answer within {} (max_elapsed)",
                humanize(policy.max_elapsed)
            ),
            network: Some(partner_center_auth::NetworkFailure::Timeout),
            attempts,
            request_id: request_id.clone(),
            correlation_id: correlation_id.clone(),
        };
        loop {
            attempt += 1;
            let Some(remaining) = policy.max_elapsed.checked_sub(started.elapsed()) else {
                return Err(out_of_time(attempt - 1));
            };
            let span = tracing::debug_span!("partner_center.request", method = %method, path = %template, attempt, request_id = %request_id, status = tracing::field::Empty);
            let token = tokio::time::timeout(
                remaining,
                self.inner
                    .credential
                    .get_token(&profile.resource, &token_options),
            )
            .await
            .map_err(|_| out_of_time(attempt - 1))?
            .map_err(Error::Auth)?;
            let remaining = policy.max_elapsed.saturating_sub(started.elapsed());
            let request = self.build(
                profile,
                &method,
                &url,
                body.clone(),
                options,
                &token,
                &request_id,
                &correlation_id,
            )?;
            let outcome = request
                .timeout(policy.attempt_timeout.min(remaining))
                .send()
                .await;
            let failure = match outcome {
                Ok(mut response) => {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    let headers = std::mem::take(response.headers_mut());
                    // The ingestion API answers with its own Request-ID; the REST API echoes ours.
                    let answer_id = headers
                        .get(profile.response_id_header)
                        .and_then(|v| v.to_str().ok())
                        .map_or_else(|| request_id.clone(), str::to_owned);
                    // The request's own timeout covers reading the body too.
                    match read_body_capped(response, self.inner.max_response_bytes).await {
                        Err(BodyError::TooLarge { cap }) => {
                            return Err(Error::decode(
                                status.as_u16(),
                                b"",
                                &format!(
                                    "the answer is larger than the limit of {} (raise it with max_response_bytes)",
                                    partner_center_auth::limits::human_bytes(cap as u64)
                                ),
                                &answer_id,
                                &correlation_id,
                            ));
                        }
                        Err(BodyError::Read(e)) => {
                            let (message, network) =
                                partner_center_auth::http::describe_network_error(&e, &url);
                            Failure {
                                status: Some(status.as_u16()),
                                message: format!("reading the answer: {message}"),
                                network: Some(network),
                                retry_after: None,
                            }
                        }
                        Err(_) => Failure {
                            status: Some(status.as_u16()),
                            message: "reading the answer failed".to_owned(),
                            network: None,
                            retry_after: None,
                        },
                        Ok(bytes) if status.is_success() => {
                            self.inner.budget.refund();
                            tracing::debug!(parent: &span, status = status.as_u16(), "ok");
                            return Ok(ApiResponse {
                                status: status.as_u16(),
                                headers,
                                body: bytes,
                                request_id: answer_id,
                                correlation_id,
                            });
                        }
                        Ok(_) if status == StatusCode::UNAUTHORIZED && !refreshed => {
                            tracing::debug!(parent: &span, "401: forcing one token refresh");
                            refreshed = true;
                            token_options = TokenRequestOptions::refresh_rejected(token);
                            continue;
                        }
                        Ok(bytes) if retry::is_transient_status(status) => Failure {
                            status: Some(status.as_u16()),
                            message: error::summarize(status.as_u16(), &bytes),
                            network: None,
                            retry_after: headers
                                .get(reqwest::header::RETRY_AFTER)
                                .and_then(|v| v.to_str().ok())
                                .and_then(|v| {
                                    partner_center_auth::parse_retry_after(
                                        v,
                                        self.inner.clock.now(),
                                    )
                                }),
                        },
                        Ok(bytes) => {
                            return Err(Error::api(
                                status.as_u16(),
                                &bytes,
                                &answer_id,
                                &correlation_id,
                            ));
                        }
                    }
                }
                Err(e) if e.is_builder() => {
                    return Err(Error::Config(format!(
                        "the request to {} cannot be sent: {}",
                        url.path(),
                        std::error::Error::source(&e)
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    )));
                }
                Err(e) => {
                    let (message, network) =
                        partner_center_auth::http::describe_network_error(&e, &url);
                    Failure {
                        status: None,
                        message,
                        network: Some(network),
                        retry_after: None,
                    }
                }
            };
            tracing::debug!(parent: &span, status = ?failure.status, error = %failure.message, "transient failure");
            let delay = policy.delay(attempt, failure.retry_after);
            let out_of_time = started.elapsed() + delay >= policy.max_elapsed;
            if attempt >= policy.max_attempts || out_of_time || !self.inner.budget.withdraw() {
                return Err(Error::Transient {
                    status: failure.status,
                    message: failure.message,
                    network: failure.network,
                    attempts: attempt,
                    request_id,
                    correlation_id,
                });
            }
            tokio::time::sleep(delay).await;
        }
    }

    #[allow(clippy::too_many_arguments)] // reason: a private helper mirroring the request's parts
    #[allow(clippy::disallowed_methods)] // reason: the one place the access token goes on the wire (Authorization header, marked sensitive)
    fn build(
        &self,
        profile: &ApiProfile,
        method: &Method,
        url: &Url,
        body: Option<Bytes>,
        options: &RequestOptions,
        token: &AccessToken,
        request_id: &str,
        correlation_id: &str,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let mut headers = HeaderMap::new();
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.secret().expose_secret()))
            .map_err(|_| {
                Error::Config("the access token is not a valid header value".to_owned())
            })?;
        auth.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, auth);
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let mut put = |name: &str, value: &str| -> Result<(), Error> {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("bad header name {name}")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("bad value for header {name}")))?;
            headers.insert(name, value);
            Ok(())
        };
        put(profile.request_id_header, request_id)?;
        if profile.request_id_header == "MS-RequestId" {
            put("MS-CorrelationId", correlation_id)?;
        }
        if let Some(v) = profile.contract_version {
            put("MS-Contract-Version", v)?;
        }
        if let Some(locale) = &self.inner.locale {
            put("X-Locale", locale)?;
        }
        if let Some(etag) = &options.if_match {
            let quoted = if etag.starts_with('"') {
                etag.clone()
            } else {
                format!("\"{etag}\"")
            };
            put("If-Match", &quoted)?;
        }
        for (k, v) in &options.headers {
            put(k, v)?;
        }
        let mut request = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .headers(headers)
            .header(
                reqwest::header::USER_AGENT,
                concat!("partner-center-rs/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        Ok(request)
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
}

struct Failure {
    status: Option<u16>,
    message: String,
    network: Option<partner_center_auth::NetworkFailure>,
    retry_after: Option<Duration>,
}

/// The longest request URL sent (16 KiB): longer ones are refused before any request,
/// as the HTTP stack and the service would refuse them anyway.
pub const MAX_URL_BYTES: usize = 16 * 1024;

/// A URL the HTTP stack could not send is a usage error, found before any request.
fn check_request_url(url: &Url) -> Result<(), Error> {
    let len = url.as_str().len();
    if len > MAX_URL_BYTES {
        return Err(Error::Config(format!(
            "the request URL is {len} bytes long, over the limit of {MAX_URL_BYTES} bytes: check the ids and arguments"
        )));
    }
    Ok(())
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

/// The path with ids replaced by `{id}` (`/v1/customers/{id}/subscriptions`), so spans
/// group by operation and do not carry customer ids.
pub(crate) fn path_template(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            let digits = seg.chars().filter(char::is_ascii_digit).count();
            let id_like = seg.len() >= 8 && digits >= 2 && !seg.contains('(');
            if id_like { "{id}" } else { seg }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A random (v4) UUID from a fast thread-local generator: request and correlation ids
/// must be unique, not unpredictable, and `Uuid::new_v4` makes a system call each time.
pub(crate) fn request_uuid() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&fastrand::u64(..).to_le_bytes());
    bytes[8..].copy_from_slice(&fastrand::u64(..).to_le_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::path_template;

    #[test]
    fn paths_become_templates() {
        assert_eq!(
            path_template("/v1/customers/4b10bf41-ab11-40e3-8c53-cd67849b50de/subscriptions"),
            "/v1/customers/{id}/subscriptions"
        );
        assert_eq!(
            path_template("/v1/customers/c1/orders/Cs_jyTxubLpvdJXdo8xcQZN6I2RsLrgZ1"),
            "/v1/customers/c1/orders/{id}"
        );
        assert_eq!(
            path_template(
                "/v1.0/ingestion/products/p-123456789/branches/getByModule(module=Listing)"
            ),
            "/v1.0/ingestion/products/{id}/branches/getByModule(module=Listing)"
        );
        assert_eq!(path_template("/v1/offers"), "/v1/offers");
    }
}
