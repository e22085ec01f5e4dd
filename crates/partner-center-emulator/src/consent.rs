//! Entra ID's interactive sign-ins, as the secure application model uses them to get an
//! App+User refresh token: the authorization code flow with PKCE
//! (`v2-oauth2-auth-code-flow.md`) and the device code flow (`v2-oauth2-device-code.md`),
//! both in MicrosoftDocs/entra-docs, docs/identity-platform.
//!
//! With `approve_as` set (`emulator serve --approve-as USER`) every sign-in is approved
//! at once as that user, so tests and scripts log in with no browser; without it,
//! `/authorize` and `/devicelogin` show a one-button page. Users sign in with MFA
//! (`amr: ["pwd", "mfa"]`), as Partner Center requires for App+User, unless the emulator
//! is told they do not (`approve_without_mfa`), to show the service's refusal.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::json;

use crate::entra::{check_partner_app, is_partner_tenant, oauth_error, unknown_tenant};
use crate::{AppState, lock};

/// How long a code or device code lives (the docs: codes "typically expire after about
/// 10 minutes"; device codes after `expires_in`, 900 s).
const CODE_LIFETIME: Duration = Duration::from_secs(600);
const DEVICE_CODE_LIFETIME: Duration = Duration::from_secs(900);
/// The emulator's polling interval for device codes (Entra's is 5 s; 1 s keeps scripts
/// quick).
const DEVICE_INTERVAL_SECS: u64 = 1;
/// At most this many pending codes are kept (the oldest go first).
const MAX_PENDING: usize = 1_000;

/// Who signed in: their user name and whether they used MFA.
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    pub(crate) user: String,
    pub(crate) mfa: bool,
}

struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    challenge: Option<String>,
    scope: String,
    signer: Signer,
    issued: Instant,
}

struct DeviceGrant {
    client_id: String,
    user_code: String,
    scope: String,
    issued: Instant,
    approved: Option<Signer>,
    polled: bool,
}

/// The sign-ins in progress.
#[derive(Default)]
pub(crate) struct ConsentState {
    codes: HashMap<String, CodeGrant>,
    devices: HashMap<String, DeviceGrant>,
}

impl ConsentState {
    fn prune(&mut self) {
        self.codes.retain(|_, g| g.issued.elapsed() < CODE_LIFETIME);
        self.devices
            .retain(|_, g| g.issued.elapsed() < DEVICE_CODE_LIFETIME);
        if self.codes.len() >= MAX_PENDING {
            self.codes.clear();
        }
        if self.devices.len() >= MAX_PENDING {
            self.devices.clear();
        }
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize).post(authorize_approved),
        )
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            axum::routing::post(device_code),
        )
        .route("/devicelogin", get(device_login_page).post(device_login))
}

fn random() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The user the emulator signs in as when none is named: the partner's admin.
fn default_user() -> String {
    "admin@emulator.onmicrosoft.com".to_owned()
}

fn bad_request(code: u32, message: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", code, message)
}

/// Checks an authorization request's client and redirect URI (Entra shows an error page
/// rather than redirecting when either is wrong).
fn check_authorize(
    state: &AppState,
    tenant: &str,
    q: &HashMap<String, String>,
) -> Result<(), Response> {
    let field = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    if !is_partner_tenant(state, tenant) {
        return Err(unknown_tenant(tenant));
    }
    check_partner_app(state, tenant, field("client_id"))?;
    if field("response_type") != "code" {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_response_type",
            900144,
            "The emulator supports response_type=code.",
        ));
    }
    // reply-url.md: http only for loopback; the port is ignored when matching, so any
    // loopback URI matches the registered `http://localhost`.
    let redirect = url::Url::parse(field("redirect_uri")).ok();
    let loopback = redirect.as_ref().is_some_and(|u| {
        u.scheme() == "http" && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    });
    if !loopback {
        return Err(bad_request(
            50011,
            "The redirect URI specified in the request does not match the redirect URIs configured for the application: the emulator's app registers http://localhost (any port).",
        ));
    }
    let method = q.get("code_challenge_method").map(String::as_str);
    if q.contains_key("code_challenge") && !matches!(method, Some("S256")) {
        return Err(bad_request(
            501491,
            "The emulator supports code_challenge_method=S256 only.",
        ));
    }
    Ok(())
}

/// Issues a code for the request and redirects back with it.
fn approve(state: &AppState, q: &HashMap<String, String>, signer: Signer) -> Response {
    let field = |k: &str| q.get(k).cloned().unwrap_or_default();
    let code = random();
    {
        let mut db = lock(&state.db);
        db.consent.prune();
        db.consent.codes.insert(
            code.clone(),
            CodeGrant {
                client_id: field("client_id"),
                redirect_uri: field("redirect_uri"),
                challenge: q.get("code_challenge").cloned(),
                scope: field("scope"),
                signer,
                issued: Instant::now(),
            },
        );
    }
    let Ok(mut target) = url::Url::parse(&field("redirect_uri")) else {
        return bad_request(50011, "The redirect URI is not a URL.");
    };
    target.query_pairs_mut().append_pair("code", &code);
    if let Some(s) = q.get("state") {
        target.query_pairs_mut().append_pair("state", s);
    }
    redirect(target.as_str())
}

fn redirect(location: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn signer_for(state: &AppState, user: Option<&str>) -> Signer {
    Signer {
        user: user
            .filter(|u| !u.trim().is_empty())
            .map(str::to_owned)
            .or_else(|| state.config.approve_as.clone())
            .unwrap_or_else(default_user),
        mfa: state.config.approve_with_mfa,
    }
}

async fn authorize(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = check_authorize(&state, &tenant, &q) {
        return r;
    }
    if state.config.approve_as.is_some() {
        let signer = signer_for(&state, None);
        return approve(&state, &q, signer);
    }
    let hidden: String = q
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=hidden name=\"{}\" value=\"{}\">",
                html_escape(k),
                html_escape(v)
            )
        })
        .collect();
    Html(format!(
        "<!doctype html><title>Emulator sign-in</title><h1>Sign in to the Partner Center emulator</h1>\
         <form method=post>{hidden}<label>User <input name=login value=\"{}\"></label> \
         <button type=submit>Approve (with MFA)</button></form>",
        html_escape(&default_user())
    ))
    .into_response()
}

async fn authorize_approved(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Form(q): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = check_authorize(&state, &tenant, &q) {
        return r;
    }
    let signer = signer_for(&state, q.get("login").map(String::as_str));
    approve(&state, &q, signer)
}

async fn device_code(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    lock(&state.db).token_requests += 1;
    if !is_partner_tenant(&state, &tenant) {
        return unknown_tenant(&tenant);
    }
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    if let Err(refused) = check_partner_app(&state, &tenant, &client_id) {
        return refused;
    }
    let device = random();
    let user_code: String = uuid::Uuid::new_v4().simple().to_string()[..9].to_ascii_uppercase();
    let approved = state
        .config
        .approve_as
        .is_some()
        .then(|| signer_for(&state, None));
    {
        let mut db = lock(&state.db);
        db.consent.prune();
        db.consent.devices.insert(
            device.clone(),
            DeviceGrant {
                client_id,
                user_code: user_code.clone(),
                scope: form.get("scope").cloned().unwrap_or_default(),
                issued: Instant::now(),
                approved,
                polled: false,
            },
        );
    }
    let uri = format!("{}/devicelogin", state.base);
    Json(json!({
        "device_code": device,
        "user_code": user_code,
        "verification_uri": uri,
        "expires_in": DEVICE_CODE_LIFETIME.as_secs(),
        "interval": DEVICE_INTERVAL_SECS,
        "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
    }))
    .into_response()
}

async fn device_login_page() -> Html<String> {
    Html(format!(
        "<!doctype html><title>Emulator device sign-in</title><h1>Enter the code</h1>\
         <form method=post><label>Code <input name=user_code></label> \
         <label>User <input name=login value=\"{}\"></label> \
         <button type=submit>Approve (with MFA)</button></form>",
        html_escape(&default_user())
    ))
}

async fn device_login(
    State(state): State<AppState>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let code = form
        .get("user_code")
        .map(|c| c.trim().to_ascii_uppercase())
        .unwrap_or_default();
    let signer = signer_for(&state, form.get("login").map(String::as_str));
    let mut db = lock(&state.db);
    db.consent.prune();
    match db
        .consent
        .devices
        .values_mut()
        .find(|g| g.user_code == code)
    {
        Some(grant) => {
            grant.approved = Some(signer);
            Html("<!doctype html><p>Signed in. You may close this window.</p>").into_response()
        }
        None => (
            StatusCode::BAD_REQUEST,
            Html("<!doctype html><p>That code is not valid or has expired.</p>"),
        )
            .into_response(),
    }
}

/// Redeems an authorization code (`grant_type=authorization_code`): the signer and the
/// scope it was issued for.
#[allow(clippy::result_large_err)] // reason: the error is the response to send
pub(crate) fn redeem_code(
    state: &AppState,
    form: &HashMap<String, String>,
) -> Result<(Signer, String), Response> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let invalid_grant = |code: u32, message: &str| {
        oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", code, message)
    };
    let mut db = lock(&state.db);
    db.consent.prune();
    let Some(grant) = db.consent.codes.remove(field("code")) else {
        return Err(invalid_grant(
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ));
    };
    if grant.client_id != field("client_id") {
        return Err(invalid_grant(
            700005,
            "The code was issued to another application.",
        ));
    }
    if grant.redirect_uri != field("redirect_uri") {
        return Err(bad_request(
            50011,
            "The redirect URI does not match the one of the authorization request.",
        ));
    }
    if let Some(challenge) = &grant.challenge {
        let verifier = field("code_verifier");
        let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(<sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes()));
        if verifier.is_empty() || &computed != challenge {
            return Err(invalid_grant(
                501481,
                "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
            ));
        }
    }
    Ok((grant.signer, grant.scope))
}

/// Redeems a device code (`grant_type=urn:ietf:params:oauth:grant-type:device_code`):
/// pending until approved (the first poll is always pending, as a person takes a moment).
#[allow(clippy::result_large_err)] // reason: the error is the response to send
pub(crate) fn redeem_device(
    state: &AppState,
    form: &HashMap<String, String>,
) -> Result<(Signer, String), Response> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let mut db = lock(&state.db);
    db.consent.prune();
    let device = field("device_code").to_owned();
    let Some(grant) = db.consent.devices.get_mut(&device) else {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "expired_token",
            70019,
            "Verification code expired or was never issued.",
        ));
    };
    if grant.client_id != field("client_id") {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "bad_verification_code",
            70018,
            "The device code was issued to another application.",
        ));
    }
    let first_poll = !grant.polled;
    grant.polled = true;
    match grant.approved.clone() {
        Some(signer) if !first_poll => {
            let scope = grant.scope.clone();
            db.consent.devices.remove(&device);
            Ok((signer, scope))
        }
        _ => Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        )),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
