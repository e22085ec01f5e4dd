//! The Partner Center REST API under `/v1`, over in-memory state: one file per area (its
//! routes and handlers), and here what they share: the caller check, the error and
//! throttling shapes, paging, request-body reading and replay by MS-RequestId.

include!(concat!(env!("OUT_DIR"), "/rest_areas.rs"));

pub(crate) use audit::{record_changes, write as write_audit};
pub(crate) use carts::{country, monthly_price, term_months};
pub(crate) use offers::catalogue;
pub(crate) use subscriptions::is_new_commerce;

use std::time::Instant;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use partner_center_models::{ApiFault, Link, ResourceCollection};
use serde_json::{Value, json};

use crate::auth::{Denied, bearer_claims};
use crate::entra::{LEGACY_GRAPH, PARTNER_CENTER};
use crate::{AppState, lock};

pub(crate) const SANDBOX_CUSTOMERS: usize = 75;
pub(crate) const SANDBOX_SUBSCRIPTIONS: usize = 5;
pub(crate) const SANDBOX_LICENCES: u32 = 25;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(area_routes())
        .layer(middleware::from_fn(echo_ids))
}

/// Echoes MS-RequestId and MS-CorrelationId, as the service does.
async fn echo_ids(request: Request, next: Next) -> Response {
    let ids: Vec<_> = ["ms-requestid", "ms-correlationid"]
        .iter()
        .filter_map(|h| request.headers().get(*h).map(|v| (*h, v.clone())))
        .collect();
    let mut response = next.run(request).await;
    for (name, value) in ids {
        response.headers_mut().insert(name, value);
    }
    response
        .headers_mut()
        .insert("ms-cv", HeaderValue::from_static("EmUlAtOr.0"));
    response
}

/// An error in the service's usual shape.
pub(crate) fn fault_response(status: StatusCode, code: u32, description: &str) -> Response {
    (status, Json(ApiFault::new(code, description))).into_response()
}

/// The throttling answer, which is not the usual error shape.
pub(crate) fn throttled(retry_after: u64) -> Response {
    let body = json!({"statusCode": 429, "message": format!("Rate limit is exceeded. Try again in {retry_after} seconds.")});
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    response
        .headers_mut()
        .insert("retry-after", HeaderValue::from(retry_after));
    response
}

pub(super) fn not_found(what: &str, id: &str) -> Response {
    fault_response(
        StatusCode::NOT_FOUND,
        if what == "Subscription" { 20003 } else { 1000 },
        &format!("{what} {id} was not found."),
    )
}

pub(super) fn sandbox_limit() -> Response {
    fault_response(
        StatusCode::BAD_REQUEST,
        800018,
        "The sandbox limit has been met.",
    )
}

/// The authenticated caller: verified token, right audience, known app.
pub(crate) struct Caller {
    /// Whether the token carries a user (`scp`), i.e. App+User rather than app-only.
    app_plus_user: bool,
    /// The signed-in user's object id (`oid`), on App+User tokens.
    user: Option<String>,
    /// The signed-in user's name (`upn`), on App+User tokens.
    upn: Option<String>,
}

impl Caller {
    /// The signed-in user's object id, as the service derives a confirming user from the
    /// App+User token (agreement-resources.md, `userId`); empty on app-only tokens.
    fn user_id(&self) -> String {
        self.user.clone().unwrap_or_default()
    }

    /// The signed-in user's principal name (`upn`), on App+User tokens.
    fn user_name(&self) -> Option<&str> {
        self.upn.as_deref()
    }

    /// Refuses app-only tokens on the operations Partner Center documents as
    /// "App+User credentials only".
    fn require_app_plus_user(&self) -> Result<(), Response> {
        if self.app_plus_user {
            Ok(())
        } else {
            // error-codes.md: 900329 "This resource does not support application-only
            // authentication."
            Err(fault_response(
                StatusCode::FORBIDDEN,
                900329,
                "This resource does not support application-only authentication: it needs App+User credentials (the secure application model; `partner-center auth login`).",
            ))
        }
    }
}

/// A caller with App+User credentials: the extractor of the operations Partner Center
/// documents as "App+User credentials only" (app-only tokens get 403, 900329).
pub(crate) struct AppPlusUser(pub(crate) Caller);

impl FromRequestParts<AppState> for AppPlusUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require_app_plus_user()?;
        Ok(Self(caller))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let unauthorized = |msg: &str| {
            let mut r = fault_response(StatusCode::UNAUTHORIZED, 400, msg);
            r.headers_mut().insert(
                "www-authenticate",
                HeaderValue::from_static("OAuth realm=urn:cpsvc:cpid:emulator"),
            );
            r
        };
        let claims =
            bearer_claims(parts, state, &[PARTNER_CENTER, LEGACY_GRAPH]).map_err(|denied| {
                match denied {
                    Denied::NoBearer => unauthorized(
                        "The request has no bearer token (Authorization: Bearer <token>).",
                    ),
                    Denied::Invalid(e) => unauthorized(&format!("Access denied: {e}.")),
                    Denied::Audience(aud) => unauthorized(&format!(
                        "Access denied: the token's audience {aud} is not {PARTNER_CENTER}."
                    )),
                    Denied::UnknownApp => fault_response(
                        StatusCode::FORBIDDEN,
                        400,
                        "Access denied: the application is not registered with this partner.",
                    ),
                }
            })?;
        let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
        let app_plus_user = claims.get("scp").is_some_and(serde_json::Value::is_string);
        // partner-security-requirements-mandating-mfa.md: App+User tokens must carry
        // "mfa" in `amr`, else "HTTP/1.1 401 Unauthorized - MFA required" with
        // `WWW-Authenticate: Bearer error="invalid_token"`; 900421 is the code partners
        // report for it (the docs show no body).
        let mfa = claims["amr"]
            .as_array()
            .is_some_and(|amr| amr.iter().any(|m| m == "mfa"));
        if app_plus_user && !mfa {
            let mut r = fault_response(
                StatusCode::UNAUTHORIZED,
                900421,
                "MFA required: the user signed in without multi-factor authentication (the token's amr claim has no \"mfa\"). Sign in again with MFA (partner-center auth login).",
            );
            r.headers_mut().insert(
                "www-authenticate",
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            return Err(r);
        }
        let user_claim = |name: &str| {
            claims[name]
                .as_str()
                .filter(|_| app_plus_user)
                .map(str::to_owned)
        };
        let (user, upn) = (user_claim("oid"), user_claim("upn"));
        if let (Some(limit), Some(key)) = (
            state.config.rate_limit_per_minute,
            throttle_key(parts.uri.path(), &tenant),
        ) {
            let mut db = lock(&state.db);
            let window = db.rate.entry(key).or_default();
            let now = Instant::now();
            let span = state.config.rate_limit_window;
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= span)
            {
                window.pop_front();
            }
            if window.len() >= limit as usize {
                // Retry-After in whole seconds, rounded up: when the oldest leaves.
                let wait = window.front().map_or(1, |t| {
                    let left = span.saturating_sub(now.duration_since(*t));
                    left.as_secs() + u64::from(left.subsec_nanos() > 0)
                });
                db.throttled += 1;
                return Err(throttled(wait.max(1)));
            }
            window.push_back(now);
        }
        Ok(Caller {
            app_plus_user,
            user,
            upn,
        })
    }
}

/// The rate-limit key of a request, when its operation is throttled.
///
/// The throttling guidance (develop/api-throttling-guidance.md) lists the throttled
/// operations, all under `/v1/customers/{customer-id}` (get a customer by id, its orders
/// and its subscriptions; `GET /v1/customers` and `POST /v1/customers` are not listed),
/// and keys limits "per Partner Tenant ID" or "per Partner Tenant ID per Customer Tenant
/// ID" without saying which API uses which: the emulator keys every listed operation by
/// partner and customer tenant. The docs give no figure there; the Customer, Order and
/// Subscription resource pages say "500 requests per minute per tenant identifier", so
/// 500 a minute is the emulator's default (`rate_limit_per_minute`).
fn throttle_key(path: &str, partner: &str) -> Option<String> {
    let rest = path.strip_prefix("/v1/customers/")?;
    let mut parts = rest.split('/');
    let customer = parts.next().filter(|c| !c.is_empty())?;
    match parts.next() {
        None | Some("orders" | "subscriptions") => {
            Some(format!("{partner}/{}", customer.to_ascii_lowercase()))
        }
        Some(_) => None,
    }
}

/// A query, its names matched without regard to case (the docs write both
/// `invoicelineitemtype` and `invoiceLineItemType`, `seekOperation` and `seekoperation`).
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        Self(
            url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned()))
                .collect(),
        )
    }

    /// The value of `name` (lower case).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A continuation token: the list it belongs to and the offset it goes on from.
pub(super) fn encode_token(list: &str, offset: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{list}\n{offset}"))
}

/// The offset of a token `encode_token` made for `list`; `None` for any other.
pub(super) fn decode_token(list: &str, token: &str) -> Option<u64> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(token.trim()).ok()?).ok()?;
    let (from, offset) = text.split_once('\n')?;
    (from == list).then(|| offset.parse().ok()).flatten()
}

/// At most `max` characters of `text` (input echoed in an error stays an excerpt).
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max).collect();
    cut.push('…');
    cut
}

/// Request bodies may use PascalCase; the service reads them case-insensitively.
pub(super) fn camelize(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let key = match chars.next() {
                        Some(first) => first.to_lowercase().chain(chars).collect(),
                        None => k,
                    };
                    (key, camelize(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camelize).collect()),
        other => other,
    }
}

/// A field of a JSON body whose keys may come in any case (the .NET SDK sends
/// PascalCase: restore-a-user-for-a-customer.md's and assign-licenses-to-a-user.md's
/// samples).
pub(super) fn field<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

pub(super) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            &format!(
                "The request body is not valid JSON: {}",
                excerpt(&e.to_string(), 200)
            ),
        )
    })?;
    serde_json::from_value(camelize(value)).map_err(|e| {
        fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            &format!("Invalid input: {}", excerpt(&e.to_string(), 200)),
        )
    })
}

/// Creates once per MS-RequestId: a repeated id gets the first successful answer again
/// (develop/partner-center-rest-headers: the request id makes a retried POST safe); a
/// refusal is answered afresh, with the same verdict.
pub(super) fn create_once(
    state: &AppState,
    headers: &HeaderMap,
    create: impl FnOnce() -> Result<Value, Response>,
) -> Response {
    let key = request_id(headers);
    if let Some(r) = replay(state, key.as_ref()) {
        return r;
    }
    match create() {
        Ok(body) => {
            remember(state, key, StatusCode::CREATED, &body);
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(refusal) => refusal,
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("ms-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Returns the first answer to a repeated MS-RequestId.
fn replay(state: &AppState, key: Option<&String>) -> Option<Response> {
    let mut db = lock(&state.db);
    let (status, body) = db.idempotency.get(key?)?;
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        Json(body),
    )
        .into_response();
    // A replay changes nothing: the audit trail skips it.
    response.extensions_mut().insert(Replayed);
    Some(response)
}

/// Marks an answer repeated for a repeated MS-RequestId.
#[derive(Clone, Copy)]
pub(crate) struct Replayed;

/// Remembers a successful answer for replay. Refusals are not kept: they may carry the
/// request, and a retry of a refused request is answered afresh, with the same verdict.
fn remember(state: &AppState, key: Option<String>, status: StatusCode, body: &Value) {
    if let Some(k) = key.filter(|_| status.is_success()) {
        lock(&state.db)
            .idempotency
            .insert(k, status.as_u16(), body.clone());
    }
}

/// Where the page after the one at `offset` (of `size` items, among `len`) starts, if
/// anything is left; an offset from a client (a token, a query) cannot overflow it.
pub(crate) fn next_offset(offset: usize, size: usize, len: usize) -> Option<usize> {
    offset.checked_add(size).filter(|next| *next < len)
}

/// A page with its `self` link (and `next`, when there is more), as the docs show.
pub(super) fn collection<T>(
    items: Vec<T>,
    next: Option<Link>,
    self_uri: String,
) -> ResourceCollection<T> {
    let mut page = ResourceCollection::new(items, next);
    page.links.get_or_insert_with(Default::default).self_ = Some(Link::new(self_uri));
    page
}

pub(super) fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
