//! Consent: getting the App+User refresh token of the secure application model, by the
//! authorization code flow with PKCE on a loopback redirect, or by the device code flow
//! on machines without a browser.
//!
//! The protocols are Entra ID's v2 endpoints as documented in
//! `v2-oauth2-auth-code-flow.md` and `v2-oauth2-device-code.md` (MicrosoftDocs/entra-docs,
//! docs/identity-platform). Partner Center requires MFA for App+User: the user who
//! consents must sign in with it, or the refresh token is not compliant.
//!
//! ```no_run
//! use partner_center_auth::consent::ConsentClient;
//! use partner_center_auth::{Authority, Cloud};
//! # async fn demo() -> Result<(), partner_center_auth::AuthError> {
//! let authority = Authority::new(Cloud::Public.config().authority_host, "contoso.onmicrosoft.com")?;
//! let client = ConsentClient::new(authority, "00000000-0000-0000-0000-000000000001")?;
//! let code = client.start_device_code().await?;
//! eprintln!("{}", code.message);
//! let consent = client.finish_device_code(&code).await?;
//! // store consent.refresh_token (a RefreshTokenStore), never print it
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use secrecy::SecretString;
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use url::Url;

use crate::endpoint::{self, FormValue, TokenGrant};
use crate::{AccessToken, AuthError, Authority, Clock as _, SystemClock, TokenRetryPolicy};

/// The largest request head the loopback receiver reads.
const MAX_REDIRECT_REQUEST_BYTES: usize = 16 * 1024;

/// What a consent yields: the refresh token to store (never to print), the first access
/// token, and who signed in.
#[non_exhaustive]
pub struct Consent {
    /// The App+User refresh token.
    pub refresh_token: SecretString,
    /// The access token issued with it.
    pub access_token: AccessToken,
    /// The signed-in user (`upn`, else `preferred_username`, else `unique_name`), read
    /// from the access token without verifying it.
    pub user: Option<String>,
}

impl fmt::Debug for Consent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consent")
            .field("refresh_token", &"[REDACTED]")
            .field("access_token", &self.access_token)
            .field("user", &self.user)
            .finish()
    }
}

/// A device code to show the user: go to `verification_uri`, enter `user_code`.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct DeviceCode {
    #[serde(rename = "device_code")]
    device_code: SecretString,
    /// The code the user enters.
    pub user_code: String,
    /// Where the user enters it.
    pub verification_uri: String,
    /// Seconds until the code expires (Entra: 900).
    pub expires_in: u64,
    /// Seconds between polls.
    #[serde(default = "default_interval")]
    pub interval: u64,
    /// The service's instructions, ready to show.
    #[serde(default)]
    pub message: String,
}

fn default_interval() -> u64 {
    5
}

impl fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCode")
            .field("device_code", &"[REDACTED]")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

/// An authorization request: the URL to open, and the PKCE verifier and state that
/// belong to it.
pub struct AuthorizationRequest {
    /// The URL to open in a browser.
    pub url: Url,
    redirect_uri: String,
    state: String,
    verifier: SecretString,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.url.as_str())
            .field("verifier", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

/// The consent flows of one application in one tenant.
#[derive(Clone)]
pub struct ConsentClient {
    authority: Authority,
    client_id: String,
    client_secret: Option<SecretString>,
    scope: String,
    http: reqwest::Client,
    retry: TokenRetryPolicy,
}

impl fmt::Debug for ConsentClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsentClient")
            .field("authority", &self.authority)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl ConsentClient {
    /// Consent for the app `client_id` in the authority's tenant, for Partner Center's
    /// `user_impersonation` scope with `offline_access` (the refresh token).
    pub fn new(authority: Authority, client_id: &str) -> Result<Self, AuthError> {
        if client_id.trim().is_empty() {
            return Err(AuthError::missing("the client (application) id is empty"));
        }
        Ok(Self {
            authority,
            client_id: client_id.to_owned(),
            client_secret: None,
            scope: format!(
                "{}/user_impersonation offline_access",
                crate::PARTNER_CENTER_RESOURCE
            ),
            http: crate::default_http_client()?,
            retry: TokenRetryPolicy::default(),
        })
    }

    /// The app's client secret, for a confidential (web) app; public clients send none.
    pub fn with_client_secret(mut self, secret: Option<SecretString>) -> Self {
        self.client_secret = secret;
        self
    }

    /// The resource to consent for (its `user_impersonation` scope, with
    /// `offline_access`); default Partner Center's.
    pub fn with_resource(mut self, resource: &str) -> Self {
        self.scope = format!(
            "{}/user_impersonation offline_access",
            resource.trim_end_matches('/')
        );
        self
    }

    /// Uses the caller's HTTP client.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Starts the device code flow: show [`DeviceCode::message`] to the user, then call
    /// [`finish_device_code`](Self::finish_device_code).
    pub async fn start_device_code(&self) -> Result<DeviceCode, AuthError> {
        let endpoint = self.authority.device_code_endpoint();
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("scope", &self.scope)
            .finish();
        let answer = endpoint::send(
            endpoint::post_form(&self.http, &endpoint, form),
            &endpoint,
            SystemClock.now(),
        )
        .await?;
        let (status, body) = (answer.status, answer.body);
        if !(200..300).contains(&status) {
            return Err(endpoint::decode_error(&body, status, answer.retry_after));
        }
        serde_json::from_slice(&body).map_err(|e| AuthError::InvalidResponse {
            status,
            excerpt: format!("not a device code answer ({e})"),
        })
    }

    /// Polls the token endpoint until the user approves the device code (or declines
    /// it, or it expires), honouring the interval and `slow_down`.
    pub async fn finish_device_code(&self, code: &DeviceCode) -> Result<Consent, AuthError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(code.expires_in.min(3600));
        let mut interval = Duration::from_secs(code.interval.clamp(1, 60));
        let fields = [
            (
                "grant_type",
                FormValue::Plain("urn:ietf:params:oauth:grant-type:device_code"),
            ),
            ("client_id", FormValue::Plain(&self.client_id)),
            ("device_code", FormValue::Secret(&code.device_code)),
        ];
        loop {
            match self.redeem_fields(&fields).await {
                Ok(consent) => return Ok(consent),
                Err(e) => match e.endpoint_error().map(|d| d.error.as_str()) {
                    Some("authorization_pending") => {}
                    Some("slow_down") => interval += Duration::from_secs(5),
                    _ => return Err(e),
                },
            }
            if tokio::time::Instant::now() + interval >= deadline {
                return Err(AuthError::sign_in(
                    "the device code expired before it was approved",
                ));
            }
            tokio::time::sleep(interval).await;
        }
    }

    /// An authorization request (PKCE S256, a random state) redirecting to
    /// `redirect_uri`.
    pub fn authorization_request(&self, redirect_uri: &str) -> AuthorizationRequest {
        let verifier = crate::secret::random_token();
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(<sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes()));
        let state = crate::secret::random_token();
        let mut url = self.authority.authorize_endpoint();
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_mode", "query")
            .append_pair("scope", &self.scope)
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        AuthorizationRequest {
            url,
            redirect_uri: redirect_uri.to_owned(),
            state,
            verifier: SecretString::from(verifier),
        }
    }

    /// Redeems the code the redirect brought (`redirect`'s query), after checking its
    /// state against the request's.
    pub async fn redeem(
        &self,
        request: &AuthorizationRequest,
        redirect: &Redirect,
    ) -> Result<Consent, AuthError> {
        if let Some(error) = &redirect.error {
            return Err(AuthError::sign_in(format!(
                "{error}{}",
                redirect
                    .error_description
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            )));
        }
        if redirect.state.as_deref() != Some(request.state.as_str()) {
            return Err(AuthError::sign_in(
                "the redirect's state does not match the request's: it was not an answer to this login",
            ));
        }
        let code = redirect
            .code
            .as_ref()
            .ok_or_else(|| AuthError::sign_in("the redirect carries no authorization code"))?;
        let fields = [
            ("grant_type", FormValue::Plain("authorization_code")),
            ("client_id", FormValue::Plain(&self.client_id)),
            ("code", FormValue::Secret(code)),
            ("redirect_uri", FormValue::Plain(&request.redirect_uri)),
            ("code_verifier", FormValue::Secret(&request.verifier)),
            ("scope", FormValue::Plain(&self.scope)),
        ];
        self.redeem_fields(&fields).await
    }

    async fn redeem_fields(&self, fields: &[(&str, FormValue<'_>)]) -> Result<Consent, AuthError> {
        let mut fields = fields.to_vec();
        if let Some(secret) = &self.client_secret {
            fields.push(("client_secret", FormValue::Secret(secret)));
        }
        let grant = endpoint::request_token(
            &self.http,
            &self.authority.token_endpoint_v2(),
            &fields,
            &SystemClock,
            &self.retry,
        )
        .await?;
        consent_from(grant)
    }
}

fn consent_from(grant: TokenGrant) -> Result<Consent, AuthError> {
    let TokenGrant {
        access_token,
        expires_on,
        refresh_token,
    } = grant;
    let refresh_token = refresh_token.ok_or_else(|| {
        AuthError::missing(
            "the sign-in gave no refresh token: the app must be allowed `offline_access`",
        )
    })?;
    let access_token = AccessToken::new(access_token, expires_on, SystemClock.now());
    let user = access_token.inspect_unverified().ok().and_then(|jwt| {
        jwt.claims.upn.clone().or_else(|| {
            ["preferred_username", "unique_name"]
                .iter()
                .find_map(|c| jwt.claims.other.get(*c)?.as_str().map(str::to_owned))
        })
    });
    Ok(Consent {
        refresh_token,
        access_token,
        user,
    })
}

/// What the authorization redirect brought back.
#[derive(Default)]
#[non_exhaustive]
pub struct Redirect {
    /// The authorization code.
    pub code: Option<SecretString>,
    /// The state, to match the request's.
    pub state: Option<String>,
    /// An OAuth error (`access_denied`, …).
    pub error: Option<String>,
    /// Its description.
    pub error_description: Option<String>,
}

impl fmt::Debug for Redirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redirect")
            .field("code", &self.code.as_ref().map(|_| "[REDACTED]"))
            .field("state", &self.state)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl Redirect {
    /// Reads a redirect's query string.
    pub fn from_query(query: &str) -> Self {
        let mut r = Redirect::default();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            match &*k {
                "code" => r.code = Some(SecretString::from(v.into_owned())),
                "state" => r.state = Some(v.into_owned()),
                "error" => r.error = Some(printable(&v)),
                "error_description" => r.error_description = Some(printable(&v)),
                _ => {}
            }
        }
        r
    }
}

/// Text from outside made safe to print: no control characters (no terminal escapes),
/// at most 300 characters.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(300).collect()
}

/// A one-shot HTTP listener on loopback that receives the authorization redirect.
#[derive(Debug)]
pub struct LoopbackReceiver {
    listener: tokio::net::TcpListener,
    /// The same port on `::1`, where the system has IPv6 loopback: `localhost` may
    /// resolve there first, and no one else may take it.
    listener_v6: Option<tokio::net::TcpListener>,
    redirect_uri: String,
}

impl LoopbackReceiver {
    /// Listens on 127.0.0.1 on a free port; the redirect URI is
    /// `http://localhost:PORT/` (Entra ignores the port when matching loopback URIs, so
    /// the app registers `http://localhost` once).
    pub async fn bind() -> Result<Self, AuthError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| AuthError::config(format!("cannot listen on 127.0.0.1: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| AuthError::config(format!("cannot listen on 127.0.0.1: {e}")))?
            .port();
        let listener_v6 = tokio::net::TcpListener::bind(("::1", port)).await.ok();
        Ok(Self {
            listener,
            listener_v6,
            redirect_uri: format!("http://localhost:{port}/"),
        })
    }

    /// The next connection on either loopback address.
    async fn accept(&self) -> std::io::Result<tokio::net::TcpStream> {
        match &self.listener_v6 {
            Some(v6) => tokio::select! {
                r = self.listener.accept() => r.map(|(s, _)| s),
                r = v6.accept() => r.map(|(s, _)| s),
            },
            None => self.listener.accept().await.map(|(s, _)| s),
        }
    }

    /// The redirect URI to put in the authorization request.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits (up to `timeout`) for the browser to bring the redirect of `request`;
    /// answers it with a short page. Requests without a code or an error (a favicon) get
    /// a 404, and requests whose `state` is not the request's a 400: another local
    /// process or a web page that found the port can neither feed a code nor end the
    /// login.
    pub async fn receive(
        self,
        request: &AuthorizationRequest,
        timeout: Duration,
    ) -> Result<Redirect, AuthError> {
        tokio::time::timeout(timeout, async {
            loop {
                let Ok(mut stream) = self.accept().await else {
                    // Out of descriptors, say: do not spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let Ok(Some(head)) =
                    tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream)).await
                else {
                    continue;
                };
                let query = head
                    .lines()
                    .next()
                    .and_then(|line| line.split_whitespace().nth(1))
                    .and_then(|target| target.split_once('?'))
                    .map(|(_, q)| q.to_owned())
                    .unwrap_or_default();
                let redirect = Redirect::from_query(&query);
                if redirect.code.is_none() && redirect.error.is_none() {
                    let _ = stream
                        .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .await;
                    continue;
                }
                if redirect.state.as_deref() != Some(request.state.as_str()) {
                    let _ = stream
                        .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .await;
                    continue;
                }
                let page = if redirect.error.is_some() {
                    "<!doctype html><title>Sign-in failed</title><p>The sign-in did not complete. Return to the terminal for details.</p>"
                } else {
                    "<!doctype html><title>Signed in</title><p>Signed in. You can close this window and return to the terminal.</p>"
                };
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
                return redirect;
            }
        })
        .await
        .map_err(|_| {
            AuthError::sign_in(format!(
                "no sign-in came back within {} s",
                timeout.as_secs()
            ))
        })
    }
}

/// Reads a request head (up to the blank line, at most 16 KiB).
async fn read_head(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() + n > MAX_REDIRECT_REQUEST_BYTES {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8(buf).ok()
}

/// When a stored refresh token dies if unused: Partner Center's refresh tokens last 90
/// days, and every use replaces it.
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(90 * 24 * 3600);

/// When a refresh token saved at `saved_at` expires unused.
pub fn refresh_token_expiry(saved_at: SystemTime) -> SystemTime {
    saved_at + REFRESH_TOKEN_LIFETIME
}
