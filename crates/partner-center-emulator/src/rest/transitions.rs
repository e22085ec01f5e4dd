//! Subscription transitions (new commerce's upgrades): the eligible targets, and
//! performing one.
//!
//! Follows developer/transition-a-new-commerce-subscription.md: a subscription can move
//! into the SKUs its own SKU lists in `upgradeTargetOffers`, in the same segment; each
//! target lists the customer's existing subscriptions of it (eligible when their term is no
//! shorter than the source's, else code 3) and both transition types. The emulator
//! transitions at once: the licences move into a new subscription (or the existing one
//! named), and a source left without licences is cancelled. A source that is not active is
//! refused with 800012 (error-codes.md), a target not eligible or a quantity above the
//! source's with 800002 (the docs name no code: the emulator's choice). Each transition is
//! kept, with its events, for its source's history (get-transitions.md: a collection
//! named `transition`, the keys cased as the docs' samples case them).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::{
    Order, OrderLineItem, Subscription, SubscriptionStatus, Transition, TransitionEligibility,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::carts::{country, term_months};
use super::catalog::{offered, purchasable};
use super::orders::place;
use super::{Caller, collection, create_once, fault_response, not_found, parse_body};
use crate::state::{AreaState, Db};
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/customers/{id}/subscriptions/{sub}/transitionEligibilities",
            get(eligibilities),
        )
        .route(
            "/v1/customers/{id}/subscriptions/{sub}/transitions",
            get(history).post(transition),
        )
}

/// Each customer's transitions, oldest first.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct TransitionsState {
    done: HashMap<String, Vec<Value>>,
}

impl AreaState for TransitionsState {
    const NAME: &'static str = "transitions";

    fn remove_customer(&mut self, customer: &str) {
        self.done.remove(customer);
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryQuery {
    operation_id: Option<String>,
}

/// get-transitions.md: the subscription's transitions (it being their source), or the one
/// of `operationId`.
async fn history(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, sub)): Path<(String, String)>,
    Query(q): Query<HistoryQuery>,
) -> Response {
    let mut db = lock(&state.db);
    if db.subscription(&id, &sub).is_none() {
        return not_found("Subscription", &sub);
    }
    let field = |t: &Value, key: &str| t[key].as_str().unwrap_or_default().to_owned();
    let transitions: Vec<Value> = db
        .areas
        .get::<TransitionsState>()
        .done
        .get(&id)
        .into_iter()
        .flatten()
        .filter(|t| field(t, "fromSubscriptionId").eq_ignore_ascii_case(&sub))
        .filter(|t| {
            q.operation_id
                .as_ref()
                .is_none_or(|o| field(t, "operationId").eq_ignore_ascii_case(o))
        })
        .cloned()
        .collect();
    Json(json!({"transition": transitions, "attributes": {"objectType": "Collection"}}))
        .into_response()
}

/// The active source subscription, or 404 / 400 800012.
fn source(db: &Db, customer: &str, sub: &str) -> Result<Subscription, Response> {
    let s = db
        .subscription(customer, sub)
        .map(|r| r.subscription.clone())
        .ok_or_else(|| not_found("Subscription", sub))?;
    if s.status != Some(SubscriptionStatus::Active) {
        return Err(fault_response(
            StatusCode::BAD_REQUEST,
            800012,
            "Subscription can't be transitioned - the source subscription isn't active.",
        ));
    }
    Ok(s)
}

/// The targets `source` can transition into, in the customer's market and segment.
fn targets(db: &Db, customer: &str, source: &Subscription) -> Vec<TransitionEligibility> {
    let market = db.customer(customer).map(country).unwrap_or_default();
    let from = source.offer_id.clone().unwrap_or_default();
    let Some((sku, availability)) = purchasable(&market, &from) else {
        return Vec::new();
    };
    let segment = availability.segment.unwrap_or_default();
    let term = term_months(source.term_duration.as_deref().unwrap_or("P1M"));
    let owned: Vec<&Subscription> = db
        .subscriptions
        .get(customer)
        .into_iter()
        .flatten()
        .map(|r| &r.subscription)
        .filter(|s| s.status == Some(SubscriptionStatus::Active))
        .collect();
    let mut out = Vec::new();
    for target in sku.upgrade_targets() {
        let Some((product, sku_id)) = target.split_once(':') else {
            continue;
        };
        let Some((target_sku, availabilities)) = offered(&market, product, sku_id) else {
            continue;
        };
        let Some(a) = availabilities
            .into_iter()
            .find(|a| a.segment.as_deref() == Some(segment.as_str()))
        else {
            continue;
        };
        let item = a.catalog_item_id.unwrap_or_default();
        let existing: Vec<Value> = owned
            .iter()
            .filter(|s| s.offer_id.as_deref().is_some_and(|o| o.starts_with(target)))
            .map(|s| {
                let theirs = s.term_duration.clone().unwrap_or_else(|| "P1M".to_owned());
                let shorter = term_months(&theirs) < term;
                json!({
                    "isEligible": !shorter,
                    "subscriptionId": s.id,
                    "subscriptionFriendlyName": s.friendly_name,
                    "subscriptionTermDuration": theirs,
                    "subscriptionBillingCycle": s.billing_cycle,
                    "errors": if shorter { json!([{"code": 3, "description": "The subscription's term duration is shorter than the source subscription's term duration."}]) } else { json!([]) }
                })
            })
            .collect();
        let eligibility = json!({
            "operationId": uuid::Uuid::new_v4().to_string(),
            "catalogItemId": item,
            "title": target_sku.title,
            "description": target_sku.description,
            "quantity": source.quantity,
            "subscriptionEligibilities": existing,
            "eligibilities": [
                {"isEligible": true, "transitionType": "transition_only", "errors": []},
                {"isEligible": true, "transitionType": "transition_with_license_transfer", "errors": []}
            ],
            "attributes": {"objectType": "TransitionEligibility"}
        });
        if let Ok(e) = serde_json::from_value(eligibility) {
            out.push(e);
        }
    }
    out
}

async fn eligibilities(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    let db = lock(&state.db);
    match source(&db, &id, &sub) {
        Ok(s) => {
            let items = targets(&db, &id, &s);
            let uri = format!("/customers/{id}/subscriptions/{sub}/transitionEligibilities");
            Json(collection(items, None, uri)).into_response()
        }
        Err(refusal) => refusal,
    }
}

async fn transition(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, sub)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    create_once(&state, &headers, || {
        let mut request: Transition = parse_body(&body)?;
        let mut db = lock(&state.db);
        let from = source(&db, &id, &sub)?;
        let invalid = |why: &str| fault_response(StatusCode::BAD_REQUEST, 800002, why);
        let target = targets(&db, &id, &from)
            .into_iter()
            .find(|t| t.catalog_item_id.eq_ignore_ascii_case(&request.to_catalog_item_id))
            .ok_or_else(|| invalid("The target is not one this subscription can transition into: read its transitionEligibilities."))?;
        if request.quantity == 0 || request.quantity > from.quantity {
            return Err(invalid(&format!(
                "The quantity must be between 1 and the source's {}.",
                from.quantity
            )));
        }
        let moved = request.quantity;
        let to = match request.to_subscription_id.clone() {
            Some(existing) => {
                let record = db
                    .subscription_mut(&id, &existing)
                    .ok_or_else(|| not_found("Subscription", &existing))?;
                record.subscription.quantity += moved;
                record.version += 1;
                existing
            }
            None => {
                let mut line = OrderLineItem::default();
                line.offer_id.clone_from(&target.catalog_item_id);
                line.quantity = moved;
                line.term_duration = request
                    .term_duration
                    .clone()
                    .or_else(|| from.term_duration.clone());
                let mut order = Order::default();
                order.billing_cycle = request
                    .billing_cycle
                    .clone()
                    .or_else(|| from.billing_cycle.clone());
                order.line_items.push(line);
                let today = crate::entra::today();
                let placed = place(
                    &mut db,
                    &id,
                    order,
                    std::slice::from_ref(&target.title),
                    &format!("{today}T00:00:00Z"),
                    from.commitment_end_date.as_deref().unwrap_or_default(),
                );
                placed.line_items[0]
                    .subscription_id
                    .clone()
                    .unwrap_or_default()
            }
        };
        if let Some(record) = db.subscription_mut(&id, &sub) {
            record.subscription.quantity -= moved;
            if record.subscription.quantity == 0 {
                record.subscription.status = Some(SubscriptionStatus::Deleted);
            }
            record.version += 1;
        }
        request.from_subscription_id = Some(from.id.clone());
        request.from_catalog_item_id.clone_from(&from.offer_id);
        request.to_subscription_id = Some(to);
        let now = format!("{}T00:00:00Z", crate::entra::today());
        let event = |status: &str| {
            json!({"name": "Conversion", "status": status, "timestamp": now,
                   "attributes": {"objectType": "TransitionEvent"}})
        };
        request.extra.insert(
            "operationId".to_owned(),
            json!(uuid::Uuid::new_v4().to_string()),
        );
        request.extra.insert(
            "Events".to_owned(),
            json!([event("Started"), event("Completed")]),
        );
        request.attributes = serde_json::from_value(json!({"objectType": "Transition"})).ok();
        let answer = serde_json::to_value(&request).unwrap_or(Value::Null);
        db.areas
            .get::<TransitionsState>()
            .done
            .entry(id.clone())
            .or_default()
            .push(answer.clone());
        Ok(answer)
    })
}
