//! The Partner Center REST API under `/v1`, over in-memory state.

use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use partner_center_models::{
    ApiFault, Customer, Link, Offer, OfferCategory, Order, OrderLineItem, OrderStatus,
    ResourceAttributes, ResourceCollection, Subscription, SubscriptionStatus,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::entra::{LEGACY_GRAPH, PARTNER_CENTER};
use crate::state::SubscriptionRecord;
use crate::{AccountKind, AppState, lock};

const SANDBOX_CUSTOMERS: usize = 75;
const SANDBOX_SUBSCRIPTIONS: usize = 5;
const SANDBOX_LICENCES: u32 = 25;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers", get(list_customers).post(create_customer))
        .route(
            "/v1/customers/{id}",
            get(get_customer).delete(delete_customer),
        )
        .route(
            "/v1/customers/{id}/orders",
            get(list_orders).post(create_order),
        )
        .route(
            "/v1/customers/{id}/orders/{order}",
            get(get_order).patch(patch_order),
        )
        .route("/v1/customers/{id}/subscriptions", get(list_subscriptions))
        .route(
            "/v1/customers/{id}/profiles/company",
            get(get_company_profile),
        )
        .route(
            "/v1/customers/{id}/subscriptions/{sub}",
            get(get_subscription).patch(patch_subscription),
        )
        .route("/v1/offers", get(list_offers))
        .route("/v1/offers/{id}", get(get_offer))
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

fn not_found(what: &str, id: &str) -> Response {
    fault_response(
        StatusCode::NOT_FOUND,
        if what == "Subscription" { 20003 } else { 1000 },
        &format!("{what} {id} was not found."),
    )
}

fn sandbox_limit() -> Response {
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
}

impl Caller {
    /// Refuses app-only tokens on the operations Partner Center documents as
    /// "App+User credentials only".
    fn require_app_plus_user(&self) -> Result<(), Response> {
        if self.app_plus_user {
            Ok(())
        } else {
            Err(fault_response(
                StatusCode::FORBIDDEN,
                400,
                "This operation supports App+User credentials only; app-only tokens are refused. Use the secure application model (a refresh token).",
            ))
        }
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
        let header = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(token) = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
        else {
            return Err(unauthorized(
                "The request has no bearer token (Authorization: Bearer <token>).",
            ));
        };
        let claims = state
            .key
            .verify(token.trim())
            .map_err(|e| unauthorized(&format!("Access denied: {e}.")))?;
        let aud = claims["aud"].as_str().unwrap_or_default();
        if aud != PARTNER_CENTER && aud != LEGACY_GRAPH {
            return Err(unauthorized(&format!(
                "Access denied: the token's audience {aud} is not {PARTNER_CENTER}."
            )));
        }
        let app = claims["appid"]
            .as_str()
            .or_else(|| claims["azp"].as_str())
            .unwrap_or_default();
        if app != state.config.client_id {
            return Err(fault_response(
                StatusCode::FORBIDDEN,
                400,
                "Access denied: the application is not registered with this partner.",
            ));
        }
        let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
        let app_plus_user = claims.get("scp").is_some_and(serde_json::Value::is_string);
        if let (Some(limit), Some(key)) = (
            state.config.rate_limit_per_minute,
            throttle_key(parts.uri.path(), &tenant),
        ) {
            let mut db = lock(&state.db);
            let window = db.rate.entry(key).or_default();
            let now = Instant::now();
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
            {
                window.pop_front();
            }
            if window.len() >= limit as usize {
                let wait = window
                    .front()
                    .map(|t| 60 - now.duration_since(*t).as_secs().min(59))
                    .unwrap_or(1);
                return Err(throttled(wait));
            }
            window.push_back(now);
        }
        Ok(Caller { app_plus_user })
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
fn camelize(value: Value) -> Value {
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

fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
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
    Some(
        (
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            Json(body),
        )
            .into_response(),
    )
}

/// Remembers a successful answer for replay. Refusals are not kept: they may carry the
/// request, and a retry of a refused request is answered afresh, with the same verdict.
fn remember(state: &AppState, key: Option<String>, status: StatusCode, body: &Value) {
    if let Some(k) = key.filter(|_| status.is_success()) {
        lock(&state.db)
            .idempotency
            .insert(k, status.as_u16(), body.clone());
    }
}

/// A page with its `self` link (and `next`, when there is more), as the docs show.
fn collection<T>(items: Vec<T>, next: Option<Link>, self_uri: String) -> ResourceCollection<T> {
    let mut page = ResourceCollection::new(items, next);
    page.links.get_or_insert_with(Default::default).self_ = Some(Link::new(self_uri));
    page
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

#[derive(Deserialize)]
struct ListQuery {
    size: Option<usize>,
    #[serde(
        alias = "seekoperation",
        alias = "seek_operation",
        rename = "seekOperation"
    )]
    seek_operation: Option<String>,
}

async fn list_customers(
    State(state): State<AppState>,
    _caller: Caller,
    Query(q): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    let size = q
        .size
        .filter(|s| *s > 0)
        .unwrap_or(state.config.page_size)
        .min(500);
    let start = if q
        .seek_operation
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("next"))
    {
        let token = headers
            .get("ms-continuationtoken")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        match STANDARD
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.parse::<u64>().ok())
        {
            Some(seq) => seq,
            None => {
                return fault_response(
                    StatusCode::BAD_REQUEST,
                    800002,
                    "seekOperation=Next needs a valid MS-ContinuationToken header.",
                );
            }
        }
    } else {
        0
    };
    let db = lock(&state.db);
    let mut page: Vec<Customer> = Vec::with_capacity(size);
    let mut next_seq = None;
    for (seq, customer) in db.customers.range(start..) {
        if page.len() == size {
            next_seq = Some(*seq);
            break;
        }
        page.push(customer.clone());
    }
    drop(db);
    let next = next_seq.map(|seq| {
        let token = STANDARD.encode(seq.to_string());
        Link::new(format!("/customers?size={size}&seekOperation=Next"))
            .with_header("MS-ContinuationToken", &token)
    });
    let mut collection = collection(page, next, format!("/customers?size={size}"));
    collection.continuation_token = next_seq.map(|seq| STANDARD.encode(seq.to_string()));
    Json(collection).into_response()
}

async fn get_customer(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let db = lock(&state.db);
    match db.customer(&id) {
        Some(c) => {
            let mut c = c.clone();
            c.allow_delegated_access = Some(true);
            Json(c).into_response()
        }
        None => not_found("Customer", &id),
    }
}

/// App+User only, as documented.
async fn get_company_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = caller.require_app_plus_user() {
        return r;
    }
    let db = lock(&state.db);
    match db.customer(&id).and_then(|c| c.company_profile.clone()) {
        Some(p) => Json(p).into_response(),
        None => not_found("Customer", &id),
    }
}

async fn create_customer(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let key = request_id(&headers);
    if let Some(r) = replay(&state, key.as_ref()) {
        return r;
    }
    let (status, body) = match create_customer_inner(&state, &body) {
        Ok(v) => (StatusCode::CREATED, v),
        Err((status, fault)) => (status, to_json(&fault)),
    };
    if status != StatusCode::TOO_MANY_REQUESTS {
        remember(&state, key, status, &body);
    }
    (status, Json(body)).into_response()
}

fn create_customer_inner(state: &AppState, body: &[u8]) -> Result<Value, (StatusCode, ApiFault)> {
    let bad = |code: u32, msg: &str| (StatusCode::BAD_REQUEST, ApiFault::new(code, msg));
    let short = |e: serde_json::Error| excerpt(&e.to_string(), 200);
    let mut value: Value = serde_json::from_slice(body).map_err(|e| {
        bad(
            800002,
            &format!("The request body is not valid JSON: {}", short(e)),
        )
    })?;
    // The service assigns the id; a create request has none.
    if let Value::Object(map) = &mut value {
        map.insert("id".to_owned(), Value::String(String::new()));
    }
    let mut customer: Customer = serde_json::from_value(camelize(value))
        .map_err(|e| bad(800002, &format!("Invalid input: {}", short(e))))?;
    let billing = customer
        .billing_profile
        .as_mut()
        .ok_or_else(|| bad(3000, "billingProfile is required."))?;
    for (field, present) in [
        ("email", billing.email.is_some()),
        ("culture", billing.culture.is_some()),
        ("language", billing.language.is_some()),
        ("companyName", billing.company_name.is_some()),
        ("defaultAddress", billing.default_address.is_some()),
    ] {
        if !present {
            return Err(bad(3000, &format!("billingProfile.{field} is required.")));
        }
    }
    let company_name = billing.company_name.clone();
    let profile = customer
        .company_profile
        .as_mut()
        .ok_or_else(|| bad(3000, "companyProfile.domain is required."))?;
    let Some(domain) = profile.domain.clone() else {
        return Err(bad(3000, "companyProfile.domain is required."));
    };
    let domain = if domain.contains('.') {
        domain
    } else {
        format!("{domain}.onmicrosoft.com")
    };
    let mut db = lock(&state.db);
    if db
        .customers
        .values()
        .any(|c| c.domain() == Some(domain.as_str()))
    {
        return Err((
            StatusCode::CONFLICT,
            ApiFault::new(1001, format!("The domain {domain} is already in use.")),
        ));
    }
    if state.config.account == AccountKind::IntegrationSandbox
        && db.customers.len() - db.seeded.min(db.customers.len()) >= SANDBOX_CUSTOMERS
    {
        return Err((
            StatusCode::BAD_REQUEST,
            ApiFault::new(800018, "The sandbox limit has been met."),
        ));
    }
    let id = uuid::Uuid::new_v4().to_string();
    customer.id.clone_from(&id);
    customer.commerce_id = Some(uuid::Uuid::new_v4().to_string());
    // develop/create-a-customer.md answers "none"; create-a-customer-for-an-indirect-
    // reseller.md (with associatedPartnerId) answers "reseller".
    customer.relationship_to_partner = Some(if customer.associated_partner_id.is_some() {
        partner_center_models::RelationshipToPartner::Reseller
    } else {
        partner_center_models::RelationshipToPartner::None
    });
    profile.tenant_id = Some(id.clone());
    profile.links = Some(partner_center_models::Links::self_link(Link::new(format!(
        "/customers/{id}/profiles/company"
    ))));
    profile.domain = Some(domain);
    if profile.company_name.is_none() {
        profile.company_name = company_name;
    }
    profile.attributes = Some(ResourceAttributes::object("CustomerCompanyProfile"));
    if let Some(b) = customer.billing_profile.as_mut() {
        // A GUID, its own etag (a signed decimal, as in the docs' samples), and the
        // culture as the service normalises it ("EN-US" → "en-US").
        b.id = Some(uuid::Uuid::new_v4().to_string());
        b.culture = b.culture.as_deref().map(normalise_culture);
        b.attributes = Some(ResourceAttributes::with_etag(
            "CustomerBillingProfile",
            (uuid::Uuid::new_v4().as_u64_pair().0 as i64).to_string(),
        ));
    }
    customer.user_credentials = None;
    customer.links = Some(partner_center_models::Links::self_link(Link::new(format!(
        "/customers/{id}"
    ))));
    customer.attributes = Some(ResourceAttributes::object("Customer"));
    db.insert_customer(customer.clone());
    drop(db);
    // The create answer has no top-level links (develop/create-a-customer.md); a GET does.
    customer.links = None;
    let mut out = to_json(&customer);
    // The admin password is returned once, by create; it is not stored.
    let password = format!("Emu-{}!", &uuid::Uuid::new_v4().simple().to_string()[..16]);
    out["userCredentials"] = json!({"userName": "admin", "password": password});
    Ok(out)
}

/// `EN-US` → `en-US`, `en` → `en`.
fn normalise_culture(culture: &str) -> String {
    match culture.split_once('-') {
        Some((lang, region)) => format!(
            "{}-{}",
            lang.to_ascii_lowercase(),
            region.to_ascii_uppercase()
        ),
        None => culture.to_ascii_lowercase(),
    }
}

async fn delete_customer(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Response {
    if state.config.account != AccountKind::IntegrationSandbox {
        return fault_response(
            StatusCode::FORBIDDEN,
            800019,
            "Deleting a customer is only supported in the integration sandbox.",
        );
    }
    if lock(&state.db).remove_customer(&id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        not_found("Customer", &id)
    }
}

pub(crate) fn catalogue() -> Vec<Offer> {
    let offers = [
        (
            "031C9E47-4802-4248-838E-778FB1D2CC05",
            "Office 365 Business Premium",
            1,
            300,
        ),
        (
            "91FD106F-4B2C-4938-95AC-F54F74E9A239",
            "Office 365 Business Essentials",
            1,
            300,
        ),
        (
            "796B6B5F-613C-4E24-A17C-EBA730D49C02",
            "Office 365 Enterprise E3",
            1,
            10_000_000,
        ),
        (
            "195416C1-3447-423A-B37B-EE59A99A19C4",
            "Microsoft 365 Business Basic",
            1,
            300,
        ),
        (
            "A044B16A-1861-4308-8086-A3A3B506EDAE",
            "Microsoft 365 E5",
            1,
            10_000_000,
        ),
        (
            "4F61E3B7-0B74-4E0B-9BB5-A0E1A4B3D2AA",
            "Dynamics 365 Sales (minimum 30)",
            30,
            10_000,
        ),
    ];
    offers
        .iter()
        .enumerate()
        .map(|(rank, (id, name, min, max))| {
            let mut o = Offer::default();
            o.id = (*id).to_owned();
            o.name = Some((*name).to_owned());
            o.description = Some(format!("{name} (emulated catalogue)"));
            o.minimum_quantity = Some(*min);
            o.maximum_quantity = Some(*max);
            o.rank = Some(rank as i64);
            o.uri = Some(format!("/3c9d8f0a-0000-4000-8000-000000000000/offers/{id}"));
            o.locale = Some("en-US".to_owned());
            o.country = Some("US".to_owned());
            let mut cat = OfferCategory::default();
            cat.id = "Enterprise".to_owned();
            cat.name = Some("Enterprise".to_owned());
            o.category = Some(cat);
            o.is_add_on = Some(false);
            o.is_available_for_purchase = Some(true);
            o.billing = Some("license".to_owned());
            o.supported_billing_cycles = vec![
                partner_center_models::BillingCycle::Monthly,
                partner_center_models::BillingCycle::Annual,
            ];
            o.is_auto_renewable = Some(true);
            o.is_trial = Some(false);
            o.unit_type = Some("Licenses".to_owned());
            o.attributes = Some(ResourceAttributes::object("Offer"));
            o
        })
        .collect()
}

#[derive(Deserialize)]
struct OfferQuery {
    country: Option<String>,
    offset: Option<usize>,
    size: Option<usize>,
}

async fn list_offers(_caller: Caller, Query(q): Query<OfferQuery>) -> Response {
    let Some(country) = q.country.filter(|c| c.len() == 2) else {
        return fault_response(
            StatusCode::BAD_REQUEST,
            3000,
            "The country query parameter is required (a two-letter ISO code).",
        );
    };
    let all = catalogue();
    let offset = q.offset.unwrap_or(0).min(all.len());
    let size = q.size.filter(|s| *s > 0).unwrap_or(all.len());
    let page: Vec<Offer> = all.iter().skip(offset).take(size).cloned().collect();
    let next = (offset + size < all.len()).then(|| {
        Link::new(format!(
            "/offers?country={country}&offset={}&size={size}",
            offset + size
        ))
    });
    Json(ResourceCollection::new(page, next)).into_response()
}

async fn get_offer(_caller: Caller, Path(id): Path<String>) -> Response {
    match catalogue()
        .into_iter()
        .find(|o| o.id.eq_ignore_ascii_case(&id))
    {
        Some(o) => Json(o).into_response(),
        None => fault_response(
            StatusCode::BAD_REQUEST,
            800004,
            &format!("Invalid offer id {id}."),
        ),
    }
}

fn etag(id: &str, version: u64) -> String {
    STANDARD.encode(format!(r#"{{"id":"{id}","version":{version}}}"#))
}

/// The subscription as the service shows it: its etag, and its `offer` and `self` links
/// (develop/get-a-subscription-by-id.md).
fn with_etag(customer: &str, record: &SubscriptionRecord) -> Subscription {
    let mut s = record.subscription.clone();
    let mut links = partner_center_models::Links::self_link(Link::new(format!(
        "/customers/{customer}/subscriptions/{}",
        s.id
    )));
    if let Some(offer) = &s.offer_id {
        links.extra.insert(
            "offer".to_owned(),
            to_json(&Link::new(format!("/offers/{offer}?country=US"))),
        );
    }
    s.links = Some(links);
    s.attributes = Some(ResourceAttributes::with_etag(
        "Subscription",
        etag(&s.id, record.version),
    ));
    s
}

async fn list_orders(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let orders = db.orders.get(&id).cloned().unwrap_or_default();
    Json(collection(orders, None, format!("/customers/{id}/orders"))).into_response()
}

async fn get_order(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, order)): Path<(String, String)>,
) -> Response {
    let db = lock(&state.db);
    match db
        .orders
        .get(&id)
        .and_then(|o| o.iter().find(|o| o.id == order))
    {
        Some(o) => Json(o.clone()).into_response(),
        None => fault_response(
            StatusCode::NOT_FOUND,
            20000,
            &format!("Order {order} was not found."),
        ),
    }
}

async fn create_order(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let key = request_id(&headers);
    if let Some(r) = replay(&state, key.as_ref()) {
        return r;
    }
    let (status, body) = match create_order_inner(&state, &caller, &id, &body) {
        Ok(v) => (StatusCode::CREATED, v),
        Err(r) => return r,
    };
    remember(&state, key, status, &body);
    (status, Json(body)).into_response()
}

fn create_order_inner(
    state: &AppState,
    _caller: &Caller,
    customer: &str,
    body: &[u8],
) -> Result<Value, Response> {
    let mut order: Order = parse_body(body)?;
    if order.line_items.is_empty() {
        return Err(fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            "An order needs at least one line item.",
        ));
    }
    let catalogue = catalogue();
    let sandbox = state.config.account == AccountKind::IntegrationSandbox;
    let mut db = lock(&state.db);
    if db.customer(customer).is_none() {
        return Err(not_found("Customer", customer));
    }
    let existing = db.subscriptions.get(customer).map_or(0, |s| {
        s.iter()
            .filter(|r| r.subscription.status != Some(SubscriptionStatus::Deleted))
            .count()
    });
    if sandbox && existing + order.line_items.len() > SANDBOX_SUBSCRIPTIONS {
        return Err(sandbox_limit());
    }
    for line in &order.line_items {
        let Some(offer) = catalogue
            .iter()
            .find(|o| o.id.eq_ignore_ascii_case(&line.offer_id))
        else {
            return Err(fault_response(
                StatusCode::BAD_REQUEST,
                800004,
                &format!("Invalid offer id {}.", line.offer_id),
            ));
        };
        if sandbox && line.quantity > SANDBOX_LICENCES {
            return Err(sandbox_limit());
        }
        let (min, max) = (
            offer.minimum_quantity.unwrap_or(1),
            offer.maximum_quantity.unwrap_or(u32::MAX),
        );
        if line.quantity < min || line.quantity > max {
            return Err(fault_response(
                StatusCode::BAD_REQUEST,
                2002,
                &format!(
                    "The quantity {} is outside the offer's range {min}..{max}.",
                    line.quantity
                ),
            ));
        }
    }
    let order_id = format!("Emu_{}", &uuid::Uuid::new_v4().simple().to_string()[..26]);
    let now = "2026-11-21T00:00:00.0000000Z".to_owned();
    let mut lines: Vec<OrderLineItem> = Vec::new();
    for (n, line) in order.line_items.iter().enumerate() {
        let offer = catalogue
            .iter()
            .find(|o| o.id.eq_ignore_ascii_case(&line.offer_id))
            .cloned()
            .unwrap_or_default();
        let sub_id = uuid::Uuid::new_v4().to_string().to_uppercase();
        let mut s = Subscription::default();
        s.id.clone_from(&sub_id);
        s.offer_id = Some(offer.id.clone());
        s.entitlement_id = Some(uuid::Uuid::new_v4().to_string());
        s.offer_name.clone_from(&offer.name);
        s.friendly_name = line.friendly_name.clone().or(offer.name.clone());
        s.quantity = line.quantity;
        s.unit_type = Some("Licenses".to_owned());
        s.creation_date = Some(now.clone());
        s.effective_start_date = Some(now.clone());
        s.commitment_end_date = Some("2027-11-21T00:00:00Z".to_owned());
        s.status = Some(SubscriptionStatus::Active);
        s.auto_renew_enabled = Some(true);
        s.billing_type = Some("license".to_owned());
        s.billing_cycle = order
            .billing_cycle
            .clone()
            .or(Some(partner_center_models::BillingCycle::Monthly));
        s.is_trial = Some(false);
        s.contract_type = Some("subscription".to_owned());
        s.order_id = Some(order_id.clone());
        s.term_duration = line.term_duration.clone().or(Some("P1M".to_owned()));
        db.subscriptions
            .entry(customer.to_owned())
            .or_default()
            .push(SubscriptionRecord {
                subscription: s,
                version: 1,
            });
        let mut l = line.clone();
        l.line_item_number = u32::try_from(n).unwrap_or(u32::MAX);
        // develop/create-an-order.md: a line of a product:sku:availability offer links its
        // `sku`; develop/get-an-order-by-id.md: a line links its `subscription`.
        let mut links = partner_center_models::Links::default();
        let mut ids = line.offer_id.split(':');
        if let (Some(product), Some(sku)) = (ids.next(), ids.next()) {
            links.extra.insert(
                "sku".to_owned(),
                to_json(&Link::new(format!(
                    "/products/{product}/skus/{sku}?country=US"
                ))),
            );
        }
        links.extra.insert(
            "subscription".to_owned(),
            to_json(&Link::new(format!(
                "/customers/{customer}/subscriptions/{sub_id}"
            ))),
        );
        l.links = Some(links);
        l.subscription_id = Some(sub_id);
        lines.push(l);
    }
    order.id.clone_from(&order_id);
    order.alternate_id = Some(order_id[4..16].to_owned());
    order.reference_customer_id = Some(customer.to_owned());
    order.billing_cycle = order
        .billing_cycle
        .or(Some(partner_center_models::BillingCycle::Monthly));
    order.line_items = lines;
    order.currency_code = Some("USD".to_owned());
    order.creation_date = Some(now);
    order.status = Some(OrderStatus::Completed);
    order.attributes = Some(ResourceAttributes::object("Order"));
    // develop/create-an-order.md: an order links its `provisioningStatus` and `self`.
    let order_uri = format!("/customers/{customer}/orders/{order_id}");
    let mut links = partner_center_models::Links::self_link(Link::new(order_uri.clone()));
    links.extra.insert(
        "provisioningStatus".to_owned(),
        to_json(&Link::new(format!("{order_uri}/provisioningstatus"))),
    );
    order.links = Some(links);
    db.orders
        .entry(customer.to_owned())
        .or_default()
        .push(order.clone());
    // The create answer says "pending", as the service's does; a later GET says completed.
    order.status = Some(OrderStatus::Pending);
    Ok(to_json(&order))
}

async fn patch_order(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, order_id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    #[derive(Deserialize)]
    struct OrderPatch {
        status: Option<OrderStatus>,
    }
    let patch: OrderPatch = match parse_body(&body) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if patch.status != Some(OrderStatus::Cancelled) {
        return fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            "Only {\"status\":\"cancelled\"} is supported.",
        );
    }
    if state.config.account != AccountKind::IntegrationSandbox {
        return fault_response(
            StatusCode::FORBIDDEN,
            800019,
            "Non-sandbox tenants can't cancel this purchase.",
        );
    }
    let mut db = lock(&state.db);
    let Some(order) = db
        .orders
        .get_mut(&id)
        .and_then(|o| o.iter_mut().find(|o| o.id == order_id))
    else {
        return fault_response(
            StatusCode::NOT_FOUND,
            20000,
            &format!("Order {order_id} was not found."),
        );
    };
    order.status = Some(OrderStatus::Cancelled);
    let order = order.clone();
    if let Some(subs) = db.subscriptions.get_mut(&id) {
        for r in subs
            .iter_mut()
            .filter(|r| r.subscription.order_id.as_deref() == Some(order_id.as_str()))
        {
            r.subscription.status = Some(SubscriptionStatus::Deleted);
            r.version += 1;
        }
    }
    Json(order).into_response()
}

#[derive(Deserialize)]
struct SubscriptionQuery {
    order_id: Option<String>,
}

async fn list_subscriptions(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<SubscriptionQuery>,
) -> Response {
    let db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let subs: Vec<Subscription> = db
        .subscriptions
        .get(&id)
        .map(|s| {
            s.iter()
                .filter(|r| {
                    q.order_id
                        .as_ref()
                        .is_none_or(|o| r.subscription.order_id.as_ref() == Some(o))
                })
                .map(|r| with_etag(&id, r))
                .collect()
        })
        .unwrap_or_default();
    Json(collection(
        subs,
        None,
        format!("/customers/{id}/subscriptions"),
    ))
    .into_response()
}

async fn get_subscription(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    let db = lock(&state.db);
    match db.subscriptions.get(&id).and_then(|s| {
        s.iter()
            .find(|r| r.subscription.id.eq_ignore_ascii_case(&sub))
    }) {
        Some(r) => Json(with_etag(&id, r)).into_response(),
        None => not_found("Subscription", &sub),
    }
}

/// Updates a subscription: develop/change-the-quantity-of-a-subscription.md,
/// suspend-a-subscription.md, reactivate-a-suspended-a-subscription.md and
/// cancel-a-subscription.md all say "A full Subscription resource is required in the
/// request body": the body is the whole resource (its `id` and `quantity` are required),
/// with its etag in `If-Match` or in `attributes.etag`; a stale etag is error 2055. The
/// writable fields are `quantity`, `status` (`active`, `suspended`, or `deleted` to
/// cancel), `autoRenewEnabled` and `friendlyName`; the rest is read-only.
async fn patch_subscription(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, sub)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let patch: Subscription = match parse_body(&body) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !patch.id.eq_ignore_ascii_case(&sub) {
        return fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            "The body must be the full subscription resource, with the id of the URL.",
        );
    }
    let offered_etag = headers
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim_matches('"').to_owned())
        .or_else(|| patch.etag().map(str::to_owned));
    let sandbox = state.config.account == AccountKind::IntegrationSandbox;
    let mut db = lock(&state.db);
    let Some(record) = db.subscriptions.get_mut(&id).and_then(|s| {
        s.iter_mut()
            .find(|r| r.subscription.id.eq_ignore_ascii_case(&sub))
    }) else {
        return not_found("Subscription", &sub);
    };
    let current = etag(&record.subscription.id, record.version);
    if offered_etag.as_deref() != Some(current.as_str()) {
        return fault_response(
            StatusCode::BAD_REQUEST,
            2055,
            "Etag is no longer valid. Get the subscription again and retry with its current etag.",
        );
    }
    let s = &mut record.subscription;
    if s.status == Some(SubscriptionStatus::Deleted) {
        return fault_response(
            StatusCode::BAD_REQUEST,
            2011,
            "A deleted subscription can't be updated.",
        );
    }
    let quantity_changes = patch.quantity != s.quantity;
    let suspending = patch.status == Some(SubscriptionStatus::Suspended)
        && s.status != Some(SubscriptionStatus::Suspended);
    if suspending && quantity_changes {
        return fault_response(
            StatusCode::BAD_REQUEST,
            2001,
            "The quantity can't be changed while suspending.",
        );
    }
    if quantity_changes {
        if sandbox && patch.quantity > SANDBOX_LICENCES {
            return sandbox_limit();
        }
        let offer = catalogue()
            .into_iter()
            .find(|o| Some(&o.id) == s.offer_id.as_ref())
            .unwrap_or_default();
        let (min, max) = (
            offer.minimum_quantity.unwrap_or(1),
            offer.maximum_quantity.unwrap_or(u32::MAX),
        );
        if patch.quantity < min || patch.quantity > max {
            return fault_response(
                StatusCode::BAD_REQUEST,
                2002,
                &format!(
                    "The quantity {} is outside the offer's range {min}..{max}.",
                    patch.quantity
                ),
            );
        }
        s.quantity = patch.quantity;
    }
    match patch.status {
        Some(
            SubscriptionStatus::Active
            | SubscriptionStatus::Suspended
            | SubscriptionStatus::Deleted,
        ) => {
            s.status = patch.status.clone();
        }
        Some(other) if Some(&other) != s.status.as_ref() => {
            return fault_response(
                StatusCode::BAD_REQUEST,
                3000,
                &format!("The status can't be set to {other}."),
            );
        }
        _ => {}
    }
    if let Some(renew) = patch.auto_renew_enabled {
        s.auto_renew_enabled = Some(renew);
    }
    if let Some(name) = patch.friendly_name {
        s.friendly_name = Some(name);
    }
    record.version += 1;
    Json(with_etag(&id, record)).into_response()
}
