//! Carts: create, get, update, check out.
//!
//! Follows developer/create-a-cart.md, update-a-cart.md, checkout-a-cart.md and
//! cart-resources.md: a cart expires seven days after creation; each line gets an id, an
//! order group, the availability's currency and prices, and an `error`
//! (`CartErrorCode`: 10001 catalog item not valid, 10009 sandbox limit, 10010 invalid
//! input, 10015 seats beyond the SKU's maximum) when something is wrong with it. A
//! checkout needs the customer's Microsoft Customer Agreement (403 13605), a cart whose
//! lines have no error (400 800009), and room under the sandbox's subscription count (400
//! 800018); it places one order per order group, marks the cart `Ordered`, and answers a
//! repeated checkout with the first result (the docs call checkout idempotent). An
//! unknown cart is 404 800008; updating an ordered cart is 400 800065.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use partner_center_models::{
    Availability, BillingCycle, Cart, CartCheckoutResult, CartError, CartLineItem, CartLineItemId,
    CartStatus, Customer, Link, Links, Order, OrderLineItem, ResourceAttributes,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::agreements::AgreementsState;
use super::catalog::purchasable;
use super::orders::place;
use super::{
    Caller, SANDBOX_LICENCES, SANDBOX_SUBSCRIPTIONS, create_once, fault_response, not_found,
    parse_body,
};
use crate::state::{AreaState, Db};
use crate::{AccountKind, AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers/{id}/carts", post(create_cart))
        .route(
            "/v1/customers/{id}/carts/{cart}",
            get(get_cart).put(update_cart),
        )
        .route("/v1/customers/{id}/carts/{cart}/checkout", post(checkout))
}

/// Each customer's carts, and the result of each one checked out.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct CartsState {
    carts: HashMap<String, Vec<Cart>>,
    checkouts: HashMap<String, CartCheckoutResult>,
}

impl AreaState for CartsState {
    const NAME: &'static str = "carts";

    fn remove_customer(&mut self, customer: &str) {
        for cart in self.carts.remove(customer).unwrap_or_default() {
            if let Some(id) = cart.id {
                self.checkouts.remove(&id);
            }
        }
    }
}

impl CartsState {
    fn cart_mut(&mut self, customer: &str, id: &str) -> Option<&mut Cart> {
        self.carts
            .get_mut(customer)?
            .iter_mut()
            .find(|c| c.id.as_deref() == Some(id))
    }
}

fn cart_not_found(id: &str) -> Response {
    fault_response(
        StatusCode::NOT_FOUND,
        800008,
        &format!("Unable to retrieve cart ID {id}."),
    )
}

/// The customer's market: its billing address's country (US when it has none).
pub(crate) fn country(customer: &Customer) -> String {
    customer
        .billing_profile
        .as_ref()
        .and_then(|b| b.default_address.as_ref())
        .and_then(|a| a.country.clone())
        .unwrap_or_else(|| "US".to_owned())
}

/// The emulator's list price of a SKU, per licence and month (it invents one: the docs'
/// samples show prices without saying where they come from).
pub(crate) fn monthly_price(catalog_item_id: &str) -> f64 {
    match catalog_item_id.split(':').next() {
        Some("CFQ7TTC0LH18") => 6.0,
        Some("CFQ7TTC0LDPB") => 12.5,
        _ => 10.0,
    }
}

/// A term's length in months (`P1M`, `P1Y`, `P3Y`).
pub(crate) fn term_months(term: &str) -> u32 {
    match term.to_ascii_uppercase().as_str() {
        "P1M" => 1,
        "P3Y" => 36,
        _ => 12,
    }
}

fn line_error(code: u32, description: &str) -> CartError {
    serde_json::from_value(json!({"errorCode": code, "errorDescription": description}))
        .unwrap_or_default()
}

/// Fills in what the service sets on a cart's lines, and marks each line that cannot be
/// bought with its `CartErrorCode`.
fn review(cart: &mut Cart, market: &str, sandbox: bool, bases: &[String]) {
    let in_cart: Vec<String> = cart
        .line_items
        .iter()
        .map(|l| product_sku(&l.catalog_item_id))
        .collect();
    for (n, line) in cart.line_items.iter_mut().enumerate() {
        line.id = Some(CartLineItemId::Number(i64::try_from(n).unwrap_or(i64::MAX)));
        line.order_group.get_or_insert_with(|| "0".to_owned());
        line.provisioning_context
            .get_or_insert_with(Default::default);
        line.error = None;
        let Some((sku, availability)) = purchasable(market, &line.catalog_item_id) else {
            line.error = Some(line_error(10001, "Catalog item ID isn't valid."));
            continue;
        };
        line.currency_code = availability
            .default_currency
            .as_ref()
            .and_then(|c| c.code.clone());
        let term = line.term_duration.get_or_insert_with(|| "P1M".to_owned());
        let cycle = line.billing_cycle.get_or_insert(BillingCycle::Monthly);
        let sold = availability.terms().is_empty() || availability.term(term, cycle).is_some();
        let price = monthly_price(&line.catalog_item_id);
        let total = price * f64::from(line.quantity) * f64::from(term_months(term));
        line.pricing = serde_json::from_value(json!({
            "listPrice": price, "discountedPrice": price, "proratedPrice": price,
            "price": price, "extendedPrice": total
        }))
        .ok();
        let max = sku.maximum_quantity.unwrap_or(u64::MAX);
        line.error = if !sold {
            Some(line_error(
                10010,
                &format!("The availability is not sold for {term} billed {cycle}."),
            ))
        } else if line.quantity == 0 || u64::from(line.quantity) > max {
            Some(line_error(
                10015,
                &format!("Requested number of seats exceeds the limit (1 to {max})."),
            ))
        } else if sandbox && line.quantity > SANDBOX_LICENCES {
            Some(line_error(10009, "The sandbox limit has been exceeded."))
        } else {
            missing_base(&sku, bases, &in_cart).map(|needed| line_error(10006, &needed))
        };
    }
}

/// `productId:skuId` of a catalog item id.
fn product_sku(catalog_item_id: &str) -> String {
    catalog_item_id
        .splitn(3, ':')
        .take(2)
        .collect::<Vec<_>>()
        .join(":")
        .to_ascii_uppercase()
}

/// The `productId:skuId` of the customer's active subscriptions: the bases add-ons can
/// be bought for.
fn bases(db: &Db, customer: &str) -> Vec<String> {
    db.subscriptions
        .get(customer)
        .into_iter()
        .flatten()
        .map(|r| &r.subscription)
        .filter(|s| s.status == Some(partner_center_models::SubscriptionStatus::Active))
        .filter_map(|s| Some(product_sku(s.offer_id.as_deref()?)))
        .collect()
}

/// Why an add-on SKU cannot be bought: none of its prerequisite SKUs is among the
/// customer's active subscriptions or the cart's other lines (create-a-cart-with-add-ons.md:
/// a new-commerce add-on is bought as a line beside its base, or for an existing one). The
/// docs name no code; the emulator marks the line `UnableToProcessCartLineItem` (10006,
/// cart-resources.md).
fn missing_base(
    sku: &partner_center_models::Sku,
    bases: &[String],
    in_cart: &[String],
) -> Option<String> {
    let needed = sku.prerequisite_skus();
    if !sku.is_add_on() || needed.is_empty() {
        return None;
    }
    let held = |p: &&str| {
        let p = p.to_ascii_uppercase();
        bases.contains(&p) || in_cart.contains(&p)
    };
    (!needed.iter().any(held)).then(|| {
        format!(
            "This add-on needs an active subscription of {} (or a line for one in the same cart).",
            needed.join(" or ")
        )
    })
}

/// Stamps a cart as the service answers it.
fn stamp(cart: &mut Cart, customer: &str, id: &str, user: String) {
    let today = crate::entra::today();
    cart.id = Some(id.to_owned());
    cart.creation_timestamp
        .get_or_insert_with(|| format!("{today}T00:00:00Z"));
    cart.last_modified_timestamp = Some(format!("{today}T00:00:00Z"));
    cart.expiration_timestamp
        .get_or_insert_with(|| format!("{}T00:00:00Z", crate::entra::date_in(7)));
    cart.last_modified_user = Some(user);
    cart.status.get_or_insert(CartStatus::Active);
    cart.links = Some(Links::self_link(Link::new(format!(
        "/customers/{customer}/carts/{id}"
    ))));
    cart.attributes = Some(ResourceAttributes::object("Cart"));
}

fn user_of(caller: &Caller, state: &AppState) -> String {
    let user = caller.user_id();
    if user.is_empty() {
        state.config.client_id.clone()
    } else {
        user
    }
}

fn sandbox(state: &AppState) -> bool {
    state.config.account == AccountKind::IntegrationSandbox
}

async fn create_cart(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    create_once(&state, &headers, || {
        let mut cart: Cart = parse_body(&body)?;
        if cart.line_items.is_empty() {
            return Err(fault_response(
                StatusCode::BAD_REQUEST,
                800002,
                "A cart needs at least one line item.",
            ));
        }
        let mut db = lock(&state.db);
        let market = country(db.customer(&id).ok_or_else(|| not_found("Customer", &id))?);
        cart.status = None;
        cart.creation_timestamp = None;
        cart.expiration_timestamp = None;
        let held = bases(&db, &id);
        review(&mut cart, &market, sandbox(&state), &held);
        let cart_id = uuid::Uuid::new_v4().to_string();
        stamp(&mut cart, &id, &cart_id, user_of(&caller, &state));
        db.areas
            .get::<CartsState>()
            .carts
            .entry(id)
            .or_default()
            .push(cart.clone());
        Ok(serde_json::to_value(&cart).unwrap_or(Value::Null))
    })
}

async fn get_cart(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, cart)): Path<(String, String)>,
) -> Response {
    let mut db = lock(&state.db);
    match db.areas.get::<CartsState>().cart_mut(&id, &cart) {
        Some(found) => Json(found.clone()).into_response(),
        None => cart_not_found(&cart),
    }
}

async fn update_cart(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, cart_id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let mut update: Cart = match parse_body(&body) {
        Ok(c) => c,
        Err(refusal) => return refusal,
    };
    if update.line_items.is_empty() {
        return fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            "A cart needs at least one line item.",
        );
    }
    let sandbox = sandbox(&state);
    let user = user_of(&caller, &state);
    let mut db = lock(&state.db);
    let Some(market) = db.customer(&id).map(country) else {
        return not_found("Customer", &id);
    };
    let held = bases(&db, &id);
    let Some(cart) = db.areas.get::<CartsState>().cart_mut(&id, &cart_id) else {
        return cart_not_found(&cart_id);
    };
    if cart.status == Some(CartStatus::Ordered) {
        return fault_response(
            StatusCode::BAD_REQUEST,
            800065,
            &format!("Can't update an already submitted cart {cart_id}."),
        );
    }
    review(&mut update, &market, sandbox, &held);
    update
        .creation_timestamp
        .clone_from(&cart.creation_timestamp);
    update
        .expiration_timestamp
        .clone_from(&cart.expiration_timestamp);
    update.status = None;
    stamp(&mut update, &id, &cart_id, user);
    *cart = update.clone();
    Json(update).into_response()
}

async fn checkout(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, cart_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    create_once(&state, &headers, || {
        let mut db = lock(&state.db);
        let Some(market) = db.customer(&id).map(country) else {
            return Err(not_found("Customer", &id));
        };
        let carts = db.areas.get::<CartsState>();
        let cart = carts
            .cart_mut(&id, &cart_id)
            .ok_or_else(|| cart_not_found(&cart_id))?
            .clone();
        if let Some(done) = carts.checkouts.get(&cart_id) {
            return Ok(serde_json::to_value(done).unwrap_or(Value::Null));
        }
        let has_mca = db
            .areas
            .get::<AgreementsState>()
            .confirmed
            .get(&id)
            .is_some_and(|all| {
                all.iter().any(|a| {
                    a.template_id == partner_center_models::MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID
                })
            });
        if !has_mca {
            return Err(fault_response(
                StatusCode::FORBIDDEN,
                13605,
                "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase.",
            ));
        }
        if cart.errors().next().is_some() {
            return Err(fault_response(
                StatusCode::BAD_REQUEST,
                800009,
                "Error in Cart item(s): read the cart's line errors, fix them with an update, and check out again.",
            ));
        }
        let mut availabilities = Vec::new();
        for line in &cart.line_items {
            match purchasable(&market, &line.catalog_item_id) {
                Some((sku, availability)) => availabilities.push((sku, availability)),
                None => {
                    return Err(fault_response(
                        StatusCode::NOT_FOUND,
                        400019,
                        "Availability not found. Issue a new GET to get the current availability id, and retry the cart check out.",
                    ));
                }
            }
        }
        // A base cancelled since the cart was made leaves its add-on without one.
        let held = bases(&db, &id);
        let in_cart: Vec<String> = cart
            .line_items
            .iter()
            .map(|l| product_sku(&l.catalog_item_id))
            .collect();
        if let Some(why) = availabilities
            .iter()
            .find_map(|(sku, _)| missing_base(sku, &held, &in_cart))
        {
            return Err(fault_response(
                StatusCode::BAD_REQUEST,
                800009,
                &format!("Error in Cart item(s): {why}"),
            ));
        }
        let active = db.active_subscriptions(&id);
        if sandbox(&state) && active + cart.line_items.len() > SANDBOX_SUBSCRIPTIONS {
            return Err(fault_response(
                StatusCode::BAD_REQUEST,
                800018,
                "The sandbox limit has been met.",
            ));
        }
        let result = order_groups(&mut db, &id, &cart, &availabilities);
        link_add_ons(&mut db, &id, &result, &availabilities);
        let carts = db.areas.get::<CartsState>();
        carts.checkouts.insert(cart_id.clone(), result.clone());
        if let Some(stored) = carts.cart_mut(&id, &cart_id) {
            stored.status = Some(CartStatus::Ordered);
        }
        Ok(serde_json::to_value(&result).unwrap_or(Value::Null))
    })
}

/// One order per order group, placed as the order path places them.
fn order_groups(
    db: &mut Db,
    customer: &str,
    cart: &Cart,
    availabilities: &[(partner_center_models::Sku, Availability)],
) -> CartCheckoutResult {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (n, line) in cart.line_items.iter().enumerate() {
        let group = line.order_group.clone().unwrap_or_else(|| "0".to_owned());
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, lines)) => lines.push(n),
            None => groups.push((group, vec![n])),
        }
    }
    let today = crate::entra::today();
    let now = format!("{today}T00:00:00Z");
    let mut orders = Vec::new();
    for (_, lines) in groups {
        let mut order = Order::default();
        let mut names = Vec::new();
        for (number, &n) in lines.iter().enumerate() {
            let line: &CartLineItem = &cart.line_items[n];
            let mut item = OrderLineItem::default();
            item.line_item_number = u32::try_from(number).unwrap_or(u32::MAX);
            item.offer_id.clone_from(&line.catalog_item_id);
            item.quantity = line.quantity;
            item.friendly_name.clone_from(&line.friendly_name);
            item.term_duration.clone_from(&line.term_duration);
            item.extra
                .insert("transactionType".to_owned(), "New".into());
            order.line_items.push(item);
            names.push(availabilities[n].0.title.clone());
        }
        order.billing_cycle = cart.line_items[lines[0]].billing_cycle.clone();
        let term = cart.line_items[lines[0]]
            .term_duration
            .clone()
            .unwrap_or_else(|| "P1M".to_owned());
        let end = format!("{}T00:00:00Z", crate::entra::date_in(term_days(&term)));
        let mut placed = place(db, customer, order, &names, &now, &end);
        open_cancellation_window(db, customer, &placed);
        placed.currency_code = cart.line_items[lines[0]].currency_code.clone();
        orders.push(placed);
    }
    let mut result = CartCheckoutResult::default();
    result.orders = orders;
    result.attributes = Some(ResourceAttributes::object("CartCheckoutResult"));
    result
}

/// Each add-on bought gets its base as `parentSubscriptionId` (subscription-resources.md):
/// the first active subscription of one of its prerequisite SKUs.
fn link_add_ons(
    db: &mut Db,
    customer: &str,
    result: &CartCheckoutResult,
    availabilities: &[(partner_center_models::Sku, Availability)],
) {
    let lines = result.orders.iter().flat_map(|o| o.line_items.iter());
    for line in lines {
        let sku = availabilities.iter().find_map(|(sku, a)| {
            let item = a.catalog_item_id.as_deref().unwrap_or_default();
            item.eq_ignore_ascii_case(&line.offer_id).then_some(sku)
        });
        let (Some(add_on), Some(sku)) = (line.subscription_id.as_deref(), sku) else {
            continue;
        };
        if !sku.is_add_on() {
            continue;
        }
        let needed: Vec<String> = sku
            .prerequisite_skus()
            .iter()
            .map(|p| p.to_ascii_uppercase())
            .collect();
        let base = db
            .subscriptions
            .get(customer)
            .into_iter()
            .flatten()
            .map(|r| &r.subscription)
            .find(|s| {
                s.status == Some(partner_center_models::SubscriptionStatus::Active)
                    && s.offer_id
                        .as_deref()
                        .is_some_and(|o| needed.contains(&product_sku(o)))
            })
            .map(|s| s.id.clone());
        if let (Some(base), Some(record)) = (base, db.subscription_mut(customer, add_on)) {
            record.subscription.parent_subscription_id = Some(base);
        }
    }
}

/// A new-commerce subscription may be cancelled, with a refund, for seven days after its
/// purchase: its `cancellationAllowedUntilDate` (subscription-resources.md) and its
/// `refundableQuantity` (get-a-subscription-by-id.md's sample shape).
pub(super) fn open_cancellation_window(db: &mut Db, customer: &str, order: &Order) {
    let until = format!("{}T00:00:00Z", crate::entra::date_in(7));
    let bought: Vec<&str> = order
        .line_items
        .iter()
        .filter_map(|l| l.subscription_id.as_deref())
        .collect();
    for record in db.subscriptions.get_mut(customer).into_iter().flatten() {
        let s = &mut record.subscription;
        if bought.contains(&s.id.as_str()) {
            s.extra.insert(
                "cancellationAllowedUntilDate".to_owned(),
                until.clone().into(),
            );
            s.extra.insert(
                "refundableQuantity".to_owned(),
                json!({"totalQuantity": s.quantity, "details": [{"quantity": s.quantity, "allowedUntilDateTime": until}]}),
            );
        }
    }
}

pub(super) fn term_days(term: &str) -> u64 {
    match term.to_ascii_uppercase().as_str() {
        "P1M" => 30,
        "P3Y" => 3 * 365,
        _ => 365,
    }
}
