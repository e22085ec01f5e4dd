//! Orders: list, get, place (with replay by MS-RequestId), cancel (sandbox).
//! Shapes: develop/create-an-order.md, order-resources.md.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::{
    Link, Order, OrderLineItem, OrderStatus, ProvisioningStatus, ResourceAttributes,
    ResourceCollection, Subscription, SubscriptionStatus,
};
use serde::Deserialize;
use serde_json::Value;

use super::{
    AppPlusUser, Caller, SANDBOX_LICENCES, SANDBOX_SUBSCRIPTIONS, catalogue, collection,
    create_once, fault_response, not_found, parse_body, sandbox_limit, to_json,
};
use crate::state::{Db, SubscriptionRecord};
use crate::{AccountKind, AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/customers/{id}/orders",
            get(list_orders).post(create_order),
        )
        .route(
            "/v1/customers/{id}/orders/{order}",
            get(get_order).patch(patch_order),
        )
        .route(
            "/v1/customers/{id}/orders/{order}/provisioningstatus",
            get(provisioning_status),
        )
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

/// The customer's order `order`, or 404 20000.
fn find_order(state: &AppState, id: &str, order: &str) -> Result<Order, Response> {
    lock(&state.db)
        .orders
        .get(id)
        .and_then(|o| o.iter().find(|o| o.id == order))
        .cloned()
        .ok_or_else(|| {
            fault_response(
                StatusCode::NOT_FOUND,
                20000,
                &format!("Order {order} was not found."),
            )
        })
}

async fn get_order(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, order)): Path<(String, String)>,
) -> Response {
    match find_order(&state, &id, &order) {
        Ok(o) => Json(o).into_response(),
        Err(refusal) => refusal,
    }
}

/// develop/get-order-provisioning-status.md: App+User only; a line per order line, its
/// quantity fulfilled (the emulator provisions at once), or unfulfilled once the order is
/// cancelled.
async fn provisioning_status(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, order)): Path<(String, String)>,
) -> Response {
    let order = match find_order(&state, &id, &order) {
        Ok(o) => o,
        Err(refusal) => return refusal,
    };
    let state = if order.status == Some(OrderStatus::Cancelled) {
        "unfulfilled"
    } else {
        "fulfilled"
    };
    let lines: Vec<ProvisioningStatus> = order
        .line_items
        .iter()
        .filter_map(|l| {
            serde_json::from_value(serde_json::json!({
                "orderLineItemId": l.line_item_number,
                "lineItemNumber": l.line_item_number,
                "status": state,
                "quantityProvisioningInformation": [{"quantity": l.quantity, "status": state}]
            }))
            .ok()
        })
        .collect();
    let mut page = ResourceCollection::new(lines, None);
    page.attributes = Some(ResourceAttributes::object("Collection"));
    Json(page).into_response()
}

async fn create_order(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    create_once(&state, &headers, || {
        create_order_inner(&state, &caller, &id, &body)
    })
}

fn create_order_inner(
    state: &AppState,
    _caller: &Caller,
    customer: &str,
    body: &[u8],
) -> Result<Value, Response> {
    let order: Order = parse_body(body)?;
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
    let existing = db.active_subscriptions(customer);
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
    let names: Vec<Option<String>> = order
        .line_items
        .iter()
        .map(|line| {
            catalogue
                .iter()
                .find(|o| o.id.eq_ignore_ascii_case(&line.offer_id))
                .and_then(|o| o.name.clone())
        })
        .collect();
    let now = "2026-11-21T00:00:00.0000000Z";
    let mut order = place(
        &mut db,
        customer,
        order,
        &names,
        now,
        "2027-11-21T00:00:00Z",
    );
    // The create answer says "pending", as the service's does; a later GET says completed.
    order.status = Some(OrderStatus::Pending);
    Ok(to_json(&order))
}

/// Places a validated order: one active subscription per line (named `names[n]`, started
/// `now`, its term ending `term_end`), the order's ids, links and status, stored as
/// completed. The legacy order path and a cart's checkout both place orders this way.
pub(super) fn place(
    db: &mut Db,
    customer: &str,
    mut order: Order,
    names: &[Option<String>],
    now: &str,
    term_end: &str,
) -> Order {
    let order_id = format!("Emu_{}", &uuid::Uuid::new_v4().simple().to_string()[..26]);
    let mut lines: Vec<OrderLineItem> = Vec::new();
    for (n, line) in order.line_items.iter().enumerate() {
        let name = names.get(n).cloned().flatten();
        let sub_id = uuid::Uuid::new_v4().to_string().to_uppercase();
        let mut s = Subscription::default();
        s.id.clone_from(&sub_id);
        s.offer_id = Some(line.offer_id.clone());
        s.entitlement_id = Some(uuid::Uuid::new_v4().to_string());
        s.offer_name.clone_from(&name);
        s.friendly_name = line.friendly_name.clone().or(name);
        s.quantity = line.quantity;
        s.unit_type = Some("Licenses".to_owned());
        s.creation_date = Some(now.to_owned());
        s.effective_start_date = Some(now.to_owned());
        s.commitment_end_date = Some(term_end.to_owned());
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
    order.creation_date = Some(now.to_owned());
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
    order
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
