//! Licences: a customer's subscribed SKUs, made from the subscriptions it holds (the
//! seats are their quantities), each user's licences, and `licenseupdates`.
//!
//! Follows developer/get-a-list-of-available-licenses.md (and …-by-license-group.md:
//! `licenseGroupIds` repeated, group 1 by default, an empty collection when nothing
//! matches), check-which-licenses-are-assigned-to-a-user.md and
//! assign-licenses-to-a-user.md (201 with the update and `licenseWarnings: []`; no seat
//! left is 400 with 60012 and a `LicenseQuotaExceededException` line in `data`; keys in
//! any case, as its request sample is PascalCase). Every one is App+User only. The
//! emulator's choices, which the docs leave open: a SKU id is a GUID derived from the
//! subscription's product and SKU (new commerce) or offer (legacy); a SKU the customer
//! has no subscription to is 400 with 3000; removing is the same call, also 201.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use partner_center_models::{
    ApiFault, License, LicenseAssignment, LicenseGroupId, LicenseUpdate, ProductSku,
    ResourceAttributes, SubscribedSku, SubscriptionStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::users::{active_user, no_user};
use super::{AppPlusUser, collection, fault_response, field, not_found, parse_body};
use crate::state::AreaState;
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers/{id}/subscribedskus", get(subscribed_skus))
        .route(
            "/v1/customers/{id}/users/{user}/licenses",
            get(user_licenses),
        )
        .route(
            "/v1/customers/{id}/users/{user}/licenseupdates",
            post(update),
        )
}

/// Each customer's assigned licences: user id → SKU ids.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct LicensesState {
    assigned: HashMap<String, HashMap<String, Vec<String>>>,
}

impl AreaState for LicensesState {
    const NAME: &'static str = "licenses";

    fn remove_customer(&mut self, customer: &str) {
        self.assigned.remove(customer);
    }
}

/// A SKU as the emulator derives it from subscriptions.
struct Sku {
    product: ProductSku,
    total: i64,
}

/// A GUID-shaped id for a product and SKU key.
fn sku_guid(key: &str) -> String {
    let d = <sha2::Sha256 as sha2::Digest>::digest(key.as_bytes());
    let h: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The customer's SKUs: its active subscriptions grouped by product and SKU.
fn skus(db: &crate::state::Db, customer: &str) -> BTreeMap<String, Sku> {
    let mut out: BTreeMap<String, Sku> = BTreeMap::new();
    for rec in db.subscriptions.get(customer).into_iter().flatten() {
        let s = &rec.subscription;
        if s.status.as_ref() != Some(&SubscriptionStatus::Active) {
            continue;
        }
        let offer = s.offer_id.clone().unwrap_or_default();
        let key: String = offer.split(':').take(2).collect::<Vec<_>>().join(":");
        let id = sku_guid(&key);
        let entry = out.entry(id.clone()).or_insert_with(|| {
            let mut product = ProductSku::default();
            product.id = id;
            product.name = s.offer_name.clone().or_else(|| s.friendly_name.clone());
            product.sku_part_number = Some(key.clone());
            product.target_type = Some("User".to_owned());
            product.license_group_id = Some(LicenseGroupId::Group1);
            Sku { product, total: 0 }
        });
        entry.total += i64::from(s.quantity);
    }
    out
}

/// How many users hold each SKU.
fn consumed(db: &mut crate::state::Db, customer: &str) -> HashMap<String, i64> {
    let mut counts = HashMap::new();
    for skus in db
        .areas
        .get::<LicensesState>()
        .assigned
        .get(customer)
        .into_iter()
        .flat_map(HashMap::values)
    {
        for sku in skus {
            *counts.entry(sku.clone()).or_insert(0) += 1;
        }
    }
    counts
}

/// Whether the `licenseGroupIds` of the query ask for group 1 (the default, and the
/// only group the emulator sells).
fn wants_group1(query: Option<&str>) -> bool {
    let groups: Vec<String> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k.eq_ignore_ascii_case("licenseGroupIds"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .collect();
    groups.is_empty() || groups.iter().any(|g| g == "group1")
}

async fn subscribed_skus(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let used = consumed(&mut db, &id);
    let items: Vec<SubscribedSku> = if wants_group1(query.as_deref()) {
        skus(&db, &id)
            .into_values()
            .map(|sku| {
                let taken = used.get(&sku.product.id).copied().unwrap_or(0);
                let mut s = SubscribedSku::default();
                s.available_units = sku.total - taken;
                s.active_units = sku.total;
                s.consumed_units = taken;
                s.total_units = sku.total;
                s.product_sku = sku.product;
                s.service_plans = Some(Vec::new());
                s.capability_status = Some("Enabled".to_owned());
                s.attributes = Some(ResourceAttributes::object("SubscribedSku"));
                s
            })
            .collect()
    } else {
        Vec::new()
    };
    Json(collection(
        items,
        None,
        format!("/customers/{id}/subscribedskus"),
    ))
    .into_response()
}

async fn user_licenses(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, user)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    if active_user(&mut db, &id, &user).is_none() {
        return no_user(&user);
    }
    let held: Vec<String> = db
        .areas
        .get::<LicensesState>()
        .assigned
        .get(&id)
        .and_then(|m| m.get(&user.to_ascii_lowercase()))
        .cloned()
        .unwrap_or_default();
    let known = skus(&db, &id);
    let items: Vec<License> = if wants_group1(query.as_deref()) {
        held.iter()
            .filter_map(|sku| known.get(sku))
            .map(|sku| {
                let mut product = sku.product.clone();
                product.target_type = None; // a licence's productSku has none (the sample)
                let mut l = License::default();
                l.product_sku = product;
                l.service_plans = Some(Vec::new());
                l.attributes = Some(ResourceAttributes::object("License"));
                l
            })
            .collect()
    } else {
        Vec::new()
    };
    Json(collection(
        items,
        None,
        format!("/customers/{id}/users/{user}/licenses"),
    ))
    .into_response()
}

async fn update(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, user)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let raw: Value = match parse_body(&body) {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    let assign: Vec<String> = field(&raw, "licensesToAssign")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| field(a, "skuId").and_then(Value::as_str))
        .map(str::to_ascii_lowercase)
        .collect();
    let remove: Vec<String> = field(&raw, "licensesToRemove")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_ascii_lowercase)
        .collect();
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    if active_user(&mut db, &id, &user).is_none() {
        return no_user(&user);
    }
    let known = skus(&db, &id);
    let used = consumed(&mut db, &id);
    let user_key = user.to_ascii_lowercase();
    let held: Vec<String> = db
        .areas
        .get::<LicensesState>()
        .assigned
        .get(&id)
        .and_then(|m| m.get(&user_key))
        .cloned()
        .unwrap_or_default();
    for sku in &assign {
        let Some(found) = known.get(sku) else {
            return fault_response(
                StatusCode::BAD_REQUEST,
                3000,
                &format!(
                    "Invalid property: skuId {sku} is not one of the customer's subscribed SKUs (the emulator's check)."
                ),
            );
        };
        let taken = used.get(sku).copied().unwrap_or(0);
        if !held.contains(sku) && taken >= found.total {
            let mut fault = ApiFault::new(
                60012,
                "We are sorry, it looks like you have run out of licenses. Buy more licenses, and then try again.",
            );
            fault.data = Some(vec![Value::String(format!(
                "LicenseQuotaExceededException : Subscription with Account {id} and SKU {sku} does not have any available licenses left."
            ))]);
            return (StatusCode::BAD_REQUEST, Json(fault)).into_response();
        }
    }
    let assigned = db.areas.get::<LicensesState>();
    let mine = assigned
        .assigned
        .entry(id.clone())
        .or_default()
        .entry(user_key)
        .or_default();
    mine.retain(|s| !remove.contains(s));
    for sku in &assign {
        if !mine.contains(sku) {
            mine.push(sku.clone());
        }
    }
    let mut answer = LicenseUpdate::default();
    answer.licenses_to_assign =
        (!assign.is_empty()).then(|| assign.iter().map(|s| LicenseAssignment::sku(s)).collect());
    answer.licenses_to_remove = (!remove.is_empty()).then_some(remove);
    answer.license_warnings = Some(Vec::new());
    answer.attributes = Some(ResourceAttributes::object("LicenseUpdate"));
    (StatusCode::CREATED, Json(answer)).into_response()
}
