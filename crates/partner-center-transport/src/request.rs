//! The request stage: one logical request's parts, shared by every attempt, and the
//! headers an attempt sends.

use bytes::Bytes;
use partner_center_auth::{AccessToken, ExposeSecret};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use crate::{ApiProfile, Error};

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

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// The longest request URL sent (16 KiB): longer ones are refused before any request,
/// as the HTTP stack and the service would refuse them anyway.
pub const MAX_URL_BYTES: usize = 16 * 1024;

/// One logical request: what every attempt sends, ids included (the request id is the
/// same on every attempt, so the service can spot a replay).
pub(crate) struct RequestParts<'a> {
    pub(crate) profile: &'a ApiProfile,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) body: Option<Bytes>,
    pub(crate) options: &'a RequestOptions,
    pub(crate) request_id: String,
    pub(crate) correlation_id: String,
    /// The path with ids replaced, for spans.
    pub(crate) template: String,
}

impl<'a> RequestParts<'a> {
    /// Resolves `path` against the profile and checks it, before any request is made.
    pub(crate) fn new(
        profile: &'a ApiProfile,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        options: &'a RequestOptions,
    ) -> Result<Self, Error> {
        let url = profile.resolve(path)?;
        let len = url.as_str().len();
        if len > MAX_URL_BYTES {
            return Err(Error::Config(format!(
                "the request URL is {len} bytes long, over the limit of {MAX_URL_BYTES} bytes: check the ids and arguments"
            )));
        }
        Ok(Self {
            profile,
            method,
            template: path_template(url.path()),
            url,
            body,
            options,
            request_id: request_uuid(),
            correlation_id: options.correlation_id.clone().unwrap_or_else(request_uuid),
        })
    }

    /// The headers of one attempt: the bearer token (marked sensitive), the API's id and
    /// version headers as its [`HeaderPolicy`](crate::HeaderPolicy) says, the locale,
    /// `If-Match` and the caller's own.
    #[allow(clippy::disallowed_methods)] // reason: the one place the access token goes on the wire (Authorization header, marked sensitive)
    pub(crate) fn headers(
        &self,
        token: &AccessToken,
        locale: Option<&str>,
    ) -> Result<HeaderMap, Error> {
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
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(concat!("partner-center-rs/", env!("CARGO_PKG_VERSION"))),
        );
        if self.body.is_some() {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        let mut put = |name: &str, value: &str| -> Result<(), Error> {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("bad header name {name}")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("bad value for header {name}")))?;
            headers.insert(name, value);
            Ok(())
        };
        let policy = self.profile.headers();
        put(policy.request_id, &self.request_id)?;
        if let Some(name) = policy.correlation_id {
            put(name, &self.correlation_id)?;
        }
        if let Some(version) = policy.contract_version {
            put("MS-Contract-Version", version)?;
        }
        if let Some(locale) = locale {
            put("X-Locale", locale)?;
        }
        if let Some(etag) = &self.options.if_match {
            // Weak (`W/"…"`) and quoted etags are sent as given; bare ones quoted.
            let quoted = if etag.starts_with('"') || etag.starts_with("W/\"") || etag == "*" {
                etag.clone()
            } else {
                format!("\"{etag}\"")
            };
            put("If-Match", &quoted)?;
        }
        for (k, v) in &self.options.headers {
            // The bearer token and the request's own ids are the pipeline's: a caller's
            // header, or one a server's link names, never replaces them.
            let reserved = [
                "authorization",
                "host",
                "content-length",
                policy.request_id,
                policy.correlation_id.unwrap_or("authorization"),
            ];
            if reserved.iter().any(|r| k.eq_ignore_ascii_case(r)) {
                return Err(Error::Config(format!(
                    "the header {k} is set by the pipeline; it cannot be given as an option or by a link"
                )));
            }
            put(k, v)?;
        }
        Ok(headers)
    }
}

/// The path with ids replaced by `{id}` (`/v1/customers/{id}/subscriptions`), so spans
/// group by operation and do not carry customer ids.
pub(crate) fn path_template(path: &str) -> String {
    let id_like = |text: &str| {
        let digits = text.chars().filter(char::is_ascii_digit).count();
        text.len() >= 8 && digits >= 2
    };
    path.split('/')
        .map(|seg| {
            // `getByInstanceID(instanceID=…)`: the function stays, an id argument goes.
            if let Some((call, arg)) = seg.split_once('=') {
                if seg.ends_with(')') && id_like(arg.trim_end_matches(')')) {
                    return format!("{call}={{id}})");
                }
                return seg.to_owned();
            }
            if id_like(seg) {
                "{id}".to_owned()
            } else {
                seg.to_owned()
            }
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
        assert_eq!(
            path_template(
                "/v1.0/ingestion/products/p-1/listings/getByInstanceID(instanceID=1152921504606846999)"
            ),
            "/v1.0/ingestion/products/p-1/listings/getByInstanceID(instanceID={id})"
        );
    }
}
