//! Entra ID: token endpoints (v1 and v2), OpenID discovery, JWKS.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Form, Path, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use secrecy::ExposeSecret;

use crate::consent::Signer;
use crate::{AppState, lock};

/// The audiences tokens may be issued for.
pub(crate) const PARTNER_CENTER: &str = "https://api.partnercenter.microsoft.com";
pub(crate) const LEGACY_GRAPH: &str = "https://graph.windows.net";
pub(crate) const INGESTION: &str = "https://api.partner.microsoft.com";
/// Microsoft Graph, whose tokens the partner billing reports, GDAP and the Product
/// Ingestion API take.
pub(crate) const GRAPH: &str = "https://graph.microsoft.com";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/{tenant}/oauth2/token", post(token_v1))
        .route("/{tenant}/oauth2/v2.0/token", post(token_v2))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery_v2),
        )
        .route(
            "/{tenant}/.well-known/openid-configuration",
            get(discovery_v1),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(jwks))
        .route("/common/discovery/keys", get(jwks))
}

async fn jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.key.jwks())
}

async fn discovery_v2(State(state): State<AppState>, Path(tenant): Path<String>) -> Json<Value> {
    let b = &state.base;
    let tid = &state.config.tenant_id;
    Json(json!({
        "issuer": format!("{b}/{tid}/v2.0"),
        "token_endpoint": format!("{b}/{tenant}/oauth2/v2.0/token"),
        "jwks_uri": format!("{b}/{tenant}/discovery/v2.0/keys"),
        "authorization_endpoint": format!("{b}/{tenant}/oauth2/v2.0/authorize"),
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "tenant_region_scope": "NA",
        "cloud_instance_name": "emulator.local",
    }))
}

async fn discovery_v1(State(state): State<AppState>, Path(tenant): Path<String>) -> Json<Value> {
    let b = &state.base;
    let tid = &state.config.tenant_id;
    Json(json!({
        "issuer": format!("https://sts.windows.net/{tid}/"),
        "token_endpoint": format!("{b}/{tenant}/oauth2/token"),
        "jwks_uri": format!("{b}/common/discovery/keys"),
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

/// Today's UTC date, `YYYY-MM-DD`, by the emulator's clock.
pub(crate) fn today() -> String {
    date_in(0)
}

/// The UTC time now, RFC 3339 with milliseconds (`2026-12-01T12:00:00.123Z`).
pub(crate) fn now_timestamp() -> String {
    let ms = now_ms();
    let secs = ms / 1000;
    let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
    format!(
        "{}T{h:02}:{m:02}:{s:02}.{:03}Z",
        civil_date(secs / 86_400),
        ms % 1000
    )
}

/// The UTC date `days` from today, `YYYY-MM-DD`.
pub(crate) fn date_in(days: u64) -> String {
    civil_date((now_secs() / 86_400).saturating_add(days))
}

/// The UTC date `days` before today, `YYYY-MM-DD`.
pub(crate) fn date_before(days: u64) -> String {
    civil_date((now_secs() / 86_400).saturating_sub(days))
}

/// The number of days in `month` (1–12) of `year`, leap years counted.
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), as `YYYY-MM-DD`.
fn civil_date(days: u64) -> String {
    let z = days.min(i64::MAX as u64 / 2) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn now_secs() -> u64 {
    now_ms() / 1000
}

/// Milliseconds since the Unix epoch, by the emulator's clock.
pub(crate) fn now_ms() -> u64 {
    #[allow(clippy::disallowed_methods)]
    // reason: the emulator is the server: its clock is the truth
    let now = SystemTime::now();
    now.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// A tenant Entra does not know (90002).
pub(crate) fn unknown_tenant(tenant: &str) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_tenant",
        90002,
        &format!(
            "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
        ),
    )
}

/// The partner's registered application, or Entra's refusal (700016).
pub(crate) fn check_partner_app(
    state: &AppState,
    tenant: &str,
    client_id: &str,
) -> Result<(), Response> {
    if client_id != state.config.client_id {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        ));
    }
    Ok(())
}

/// Whether `tenant` is the partner's own (its id or the emulator's domain).
pub(crate) fn is_partner_tenant(state: &AppState, tenant: &str) -> bool {
    tenant == state.config.tenant_id || tenant == "emulator.onmicrosoft.com"
}

/// An OAuth error in Entra ID's shape, with the AADSTS code in the description.
pub(crate) fn oauth_error(status: StatusCode, error: &str, code: u32, message: &str) -> Response {
    let trace = uuid::Uuid::new_v4();
    let correlation = uuid::Uuid::new_v4();
    let stamp = "2026-01-01 00:00:00Z";
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {message}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {stamp}"),
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace.to_string(),
        "correlation_id": correlation.to_string(),
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    });
    (status, Json(body)).into_response()
}

async fn token_v1(
    state: State<AppState>,
    tenant: Path<String>,
    headers: HeaderMap,
    form: Form<HashMap<String, String>>,
) -> Response {
    match with_basic_credentials(&headers, form) {
        Ok(form) => token(state, tenant, form, false).await,
        Err(refused) => refused,
    }
}

async fn token_v2(
    state: State<AppState>,
    tenant: Path<String>,
    headers: HeaderMap,
    form: Form<HashMap<String, String>>,
) -> Response {
    match with_basic_credentials(&headers, form) {
        Ok(form) => token(state, tenant, form, true).await,
        Err(refused) => refused,
    }
}

/// `client_secret_basic` (RFC 6749 §2.3.1, advertised by the discovery documents): the
/// client id and secret, each form-urlencoded, joined by `:` and base64-encoded in an
/// `Authorization: Basic` header. They become the form's `client_id` and `client_secret`,
/// so either way of sending them is then checked alike; both at once is refused.
fn with_basic_credentials(
    headers: &HeaderMap,
    Form(mut form): Form<HashMap<String, String>>,
) -> Result<Form<HashMap<String, String>>, Response> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(Form(form));
    };
    let malformed = || {
        oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            90014,
            "The Authorization header could not be read as client credentials: send `Basic base64(urlencode(client_id):urlencode(client_secret))`, or the credentials in the body.",
        )
    };
    let text = value.to_str().map_err(|_| malformed())?;
    let Some((scheme, encoded)) = text.split_once(' ') else {
        return Err(malformed());
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(malformed());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    // Percent-decoding with `+` as a space; `&` is no separator here.
    let unescape = |part: &str| -> String {
        url::form_urlencoded::parse(format!("v={}", part.replace('&', "%26")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let (id, secret) = (unescape(id), unescape(secret));
    // RFC 6749 §2.3: a client uses one way of authenticating per request.
    if form.contains_key("client_secret") || form.contains_key("client_assertion") {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90014,
            "The request authenticates the client twice (an Authorization header and a secret or assertion in the body): send one.",
        ));
    }
    if form.get("client_id").is_some_and(|body| *body != id) {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            90014,
            "The client_id in the body is not the one in the Authorization header.",
        ));
    }
    form.insert("client_id".to_owned(), id);
    form.insert("client_secret".to_owned(), secret);
    Ok(Form(form))
}

#[allow(clippy::disallowed_methods)] // reason: the emulator compares a presented refresh token with its own
async fn token(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
    v2: bool,
) -> Response {
    lock(&state.db).token_requests += 1;
    let cfg = &state.config;
    let partner = is_partner_tenant(&state, &tenant);
    // A customer's tenant: the secure application model's refresh token, redeemed at the
    // customer's authority, gives App+User tokens there (gdap-and-secure-application-model.md);
    // a tenant the partner has no customer relationship with refuses the user (50020).
    let customer = !partner && lock(&state.db).customer(&tenant).is_some();
    if !partner && form.get("grant_type").map(String::as_str) == Some("refresh_token") {
        if !customer {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                50020,
                &format!(
                    "User account from identity provider does not exist in tenant '{tenant}' and cannot access the application in that tenant: the partner has no relationship with this tenant (no customer, no GDAP)."
                ),
            );
        }
    } else if !partner {
        return unknown_tenant(&tenant);
    }
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let client_id = field("client_id");
    if client_id.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    }
    if let Err(refused) = check_partner_app(&state, &tenant, client_id) {
        return refused;
    }
    if v2 && form.contains_key("resource") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            901002,
            "The 'resource' request parameter is not supported.",
        );
    }
    // Who signed in (App+User grants), and the scope a code was issued for.
    let mut signer: Option<Signer> = None;
    let mut granted_scope: Option<String> = None;
    match field("grant_type") {
        "client_credentials" if form.contains_key("client_assertion") => {
            if field("client_assertion_type")
                != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    90005,
                    "The client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
                );
            }
            let endpoint = format!(
                "{}/{tenant}/oauth2/{}token",
                state.base,
                if v2 { "v2.0/" } else { "" }
            );
            if let Err((code, message)) = crate::keys::verify_assertion(
                field("client_assertion"),
                &state.client_certs,
                &endpoint,
                client_id,
            ) {
                return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", code, &message);
            }
        }
        "client_credentials" => {
            if let Err(r) = check_client_secret(&state, field("client_secret")) {
                return r;
            }
        }
        "refresh_token" => {
            if !field("client_secret").is_empty() {
                if let Err(r) = check_client_secret(&state, field("client_secret")) {
                    return r;
                }
            }
            let db = lock(&state.db);
            let presented = field("refresh_token");
            let known = db.refresh_tokens.signer(presented).cloned().or_else(|| {
                (presented == cfg.refresh_token.expose_secret()).then(|| Signer {
                    user: "admin@emulator.onmicrosoft.com".to_owned(),
                    mfa: true,
                })
            });
            let Some(known) = known else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity, was revoked or was already redeemed.",
                );
            };
            signer = Some(known);
        }
        "authorization_code" | "urn:ietf:params:oauth:grant-type:device_code" => {
            if !field("client_secret").is_empty() {
                if let Err(r) = check_client_secret(&state, field("client_secret")) {
                    return r;
                }
            }
            let redeemed = if field("grant_type") == "authorization_code" {
                crate::consent::redeem_code(&state, &form)
            } else {
                crate::consent::redeem_device(&state, &form)
            };
            match redeemed {
                Ok((who, scope)) => {
                    signer = Some(who);
                    granted_scope = Some(scope);
                }
                Err(r) => return r,
            }
        }
        other => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                70003,
                &format!("The app requested an unsupported grant type '{other}'."),
            );
        }
    }
    // Audience: v1 `resource`, v2 `scope=<resource>/.default`.
    let audience = if v2 {
        let scope = match field("scope") {
            "" => match granted_scope.as_deref() {
                Some(granted) => granted,
                None => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        900144,
                        "The request body must contain the following parameter: 'scope'.",
                    );
                }
            },
            given => given,
        };
        let first = scope
            .split_whitespace()
            .find(|s| s.contains("://"))
            .unwrap_or_default();
        first
            .trim_end_matches("/.default")
            .trim_end_matches("/user_impersonation")
            .to_owned()
    } else {
        field("resource").to_owned()
    };
    if ![PARTNER_CENTER, LEGACY_GRAPH, INGESTION, GRAPH].contains(&audience.as_str()) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_resource",
            500011,
            &format!(
                "The resource principal named {audience} was not found in the tenant named {tenant}."
            ),
        );
    }
    // A new refresh token with every App+User access token; the one presented stays
    // valid, as Entra's do (IssuedTokens).
    // Entra returns a refresh token "only if `offline_access` scope was requested"
    // (v2-oauth2-auth-code-flow.md); a refresh token grant always renews it.
    let offline = granted_scope
        .as_deref()
        .is_none_or(|s| s.split_whitespace().any(|p| p == "offline_access"));
    let rotated = signer.as_ref().filter(|_| offline).map(|who| {
        let next = format!("emu-rt-{}", uuid::Uuid::new_v4().simple());
        lock(&state.db)
            .refresh_tokens
            .issue(next.clone(), who.clone());
        next
    });
    let now = now_secs();
    let exp = now + cfg.token_lifetime.as_secs();
    let tid = if customer { &tenant } else { &cfg.tenant_id };
    let mut claims = json!({
        "aud": audience, "tid": tid, "iat": now, "nbf": now, "exp": exp,
        "oid": "0b6d3c1a-0000-4000-8000-0000000000a1", "sub": "0b6d3c1a-0000-4000-8000-0000000000a1",
        "aio": "emulator", "rh": "0.emulator", "uti": uuid::Uuid::new_v4().simple().to_string(),
    });
    let Some(obj) = claims.as_object_mut() else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "claims are not an object",
        )
            .into_response();
    };
    if v2 {
        obj.insert("iss".into(), json!(format!("{}/{tid}/v2.0", state.base)));
        obj.insert("azp".into(), json!(client_id));
        obj.insert("azpacr".into(), json!("1"));
        obj.insert("ver".into(), json!("2.0"));
    } else {
        obj.insert(
            "iss".into(),
            json!(format!("https://sts.windows.net/{tid}/")),
        );
        obj.insert("appid".into(), json!(client_id));
        obj.insert("appidacr".into(), json!("1"));
        obj.insert("ver".into(), json!("1.0"));
    }
    // The user comes from the partner's tenant, wherever the token is for.
    obj.insert(
        "idp".into(),
        json!(format!("https://sts.windows.net/{}/", cfg.tenant_id)),
    );
    if let Some(who) = &signer {
        obj.insert("scp".into(), json!("user_impersonation"));
        obj.insert("upn".into(), json!(who.user));
        obj.insert(
            "amr".into(),
            if who.mfa {
                json!(["pwd", "mfa"])
            } else {
                json!(["pwd"])
            },
        );
    } else {
        obj.insert("roles".into(), json!(["Partner.ReadWrite.All"]));
    }
    let access_token = match state.key.sign(&claims, !v2) {
        Ok(t) => t,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let lifetime = cfg.token_lifetime.as_secs();
    let mut body = if v2 {
        json!({"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": access_token})
    } else {
        json!({
            "token_type": "Bearer", "expires_in": lifetime.to_string(), "ext_expires_in": lifetime.to_string(),
            "expires_on": exp.to_string(), "not_before": now.to_string(), "resource": audience,
            "access_token": access_token,
        })
    };
    if let Some(rt) = rotated {
        body["refresh_token"] = json!(rt);
        body["scope"] = json!("user_impersonation");
    }
    (StatusCode::OK, Json(body)).into_response()
}

#[allow(clippy::disallowed_methods)] // reason: the emulator compares presented secrets with its own test credentials
fn check_client_secret(state: &AppState, secret: &str) -> Result<(), Response> {
    let cfg = &state.config;
    if secret.is_empty() {
        let (code, msg) = (
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        );
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            code,
            msg,
        ));
    }
    if cfg
        .expired_secrets
        .iter()
        .any(|s| s.expose_secret() == secret)
    {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000222,
            &format!(
                "The provided client secret keys for app '{}' are expired.",
                cfg.client_id
            ),
        ));
    }
    if secret != cfg.client_secret.expose_secret() {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000215,
            &format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.",
                cfg.client_id
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod dates {
    #[test]
    fn days_become_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(19_723), "2024-01-01");
        assert_eq!(super::civil_date(20_423), "2025-12-01");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
        // Seven days on, across a month's and a year's end (2024-02-25, 2023-12-30).
        assert_eq!(super::civil_date(19_778 + 7), "2024-03-03");
        assert_eq!(super::civil_date(19_721 + 7), "2024-01-06");
        assert_eq!(super::civil_date(19_723 + 365), "2024-12-31");
    }
}
