//! Customers: list, get, create (with replay by MS-RequestId), delete (sandbox), company
//! profile. Shapes: develop/create-a-customer.md, get-a-customer-by-id.md, customer-resources.md.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use partner_center_models::{ApiFault, Customer, Link, ResourceAttributes};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    AppPlusUser, Caller, SANDBOX_CUSTOMERS, camelize, collection, create_once, excerpt,
    fault_response, not_found, to_json,
};
use crate::{AccountKind, AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers", get(list_customers).post(create_customer))
        .route(
            "/v1/customers/{id}",
            get(get_customer).delete(delete_customer),
        )
        .route(
            "/v1/customers/{id}/profiles/company",
            get(get_company_profile),
        )
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
    _caller: AppPlusUser,
    Path(id): Path<String>,
) -> Response {
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
    create_once(&state, &headers, || {
        create_customer_inner(&state, &body)
            .map_err(|(status, fault)| (status, Json(fault)).into_response())
    })
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
