//! Subscriptions: list, get, PATCH of the full resource with its etag.
//! Shapes: develop/get-a-subscription-by-id.md, subscription-resources.md.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use partner_center_models::{
    Link, ResourceAttributes, ScheduledNextTermInstructions, Subscription, SubscriptionStatus,
};
use serde::Deserialize;

use super::carts::{country, term_months};
use super::catalog::purchasable;
use super::{
    Caller, SANDBOX_LICENCES, catalogue, collection, fault_response, not_found, parse_body,
    sandbox_limit, to_json,
};
use crate::state::SubscriptionRecord;
use crate::{AccountKind, AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers/{id}/subscriptions", get(list_subscriptions))
        .route(
            "/v1/customers/{id}/subscriptions/{sub}",
            get(get_subscription).patch(patch_subscription),
        )
        .route(
            "/v1/customers/{id}/subscriptions/{sub}/addons",
            get(list_add_ons),
        )
}

/// A subscription's add-ons: the subscriptions whose `parentSubscriptionId` it is
/// (get-a-list-of-add-ons-for-a-subscription.md: a collection of subscriptions).
async fn list_add_ons(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    let db = lock(&state.db);
    if db.subscription(&id, &sub).is_none() {
        return not_found("Subscription", &sub);
    }
    let add_ons: Vec<Subscription> = db
        .subscriptions
        .get(&id)
        .into_iter()
        .flatten()
        .filter(|r| {
            r.subscription
                .parent_subscription_id
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(&sub))
        })
        .map(|r| with_etag(&id, r))
        .collect();
    let uri = format!("/customers/{id}/subscriptions/{sub}/addons");
    Json(collection(add_ons, None, uri)).into_response()
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
    let market = db.customer(&id).map(country).unwrap_or_default();
    // The end dates a custom term end date may align with: the customer's other active
    // new-commerce subscriptions'.
    let aligned: Vec<String> = db
        .subscriptions
        .get(&id)
        .into_iter()
        .flatten()
        .map(|r| &r.subscription)
        .filter(|s| s.status == Some(SubscriptionStatus::Active) && s.is_trial != Some(true))
        .filter(|s| !s.id.eq_ignore_ascii_case(&sub) && is_new_commerce(s))
        .filter_map(|s| Some(s.commitment_end_date.as_deref()?.get(..10)?.to_owned()))
        .collect();
    let Some(record) = db.subscription_mut(&id, &sub) else {
        return not_found("Subscription", &sub);
    };
    let current = etag(&record.subscription.id, record.version);
    // error-codes.md has 2055 "Etag is no longer valid" for a stale etag; a body that
    // carries none is invalid input (800002), not a stale etag.
    let Some(offered_etag) = offered_etag.filter(|e| !e.is_empty()) else {
        return fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            "Invalid request input: the subscription's etag is missing. Get the subscription and send its attributes.etag (in the body or in If-Match).",
        );
    };
    if offered_etag != current {
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
    // A new-commerce subscription can be cancelled, or its seats reduced, only inside its
    // cancellation window (cancel-an-azure-marketplace-subscription.md: "within 7 days …
    // of purchase or renewal"); the docs name no code, error-codes.md has 900213 and
    // 900214 for exactly these, so the emulator answers them.
    let window_closed = s
        .extra
        .get("cancellationAllowedUntilDate")
        .and_then(serde_json::Value::as_str)
        .and_then(|until| until.get(..10))
        .is_some_and(|until| crate::entra::today().as_str() >= until);
    if window_closed && patch.status == Some(SubscriptionStatus::Deleted) {
        return fault_response(
            StatusCode::BAD_REQUEST,
            900213,
            "You have passed your 168-hour cancellation window. We are unable to cancel your purchase.",
        );
    }
    if window_closed && patch.quantity < s.quantity {
        return fault_response(
            StatusCode::BAD_REQUEST,
            900214,
            "You have passed your 168-hour window for reducing seats for this subscription.",
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
    // Inside the window every seat held is refundable; a cancel leaves none.
    if let Some(refundable) = s.extra.get_mut("refundableQuantity") {
        let left = if s.status == Some(SubscriptionStatus::Deleted) {
            0
        } else {
            s.quantity
        };
        refundable["totalQuantity"] = left.into();
        refundable["details"][0]["quantity"] = left.into();
    }
    // update-a-subscription-by-id.md: a body without `autoRenewEnabled` sets it to false,
    // and one without the next-term instructions deletes them.
    if patch.auto_renew_enabled.is_some() || s.auto_renew_enabled.is_some() {
        s.auto_renew_enabled = Some(patch.auto_renew_enabled.unwrap_or(false));
    }
    if let Some(next) = &patch.scheduled_next_term_instructions {
        if let Err(refusal) = check_next_term(s, next, &market, &aligned, sandbox) {
            return refusal;
        }
    }
    s.scheduled_next_term_instructions = patch.scheduled_next_term_instructions;
    if let Some(name) = patch.friendly_name {
        s.friendly_name = Some(name);
    }
    record.version += 1;
    Json(with_etag(&id, record)).into_response()
}

/// Whether a subscription is new commerce: its offer is a catalog item
/// (`product:sku:availability`), where a legacy offer id is a GUID.
pub(crate) fn is_new_commerce(s: &Subscription) -> bool {
    s.offer_id.as_deref().is_some_and(|o| o.contains(':'))
}

/// Checks next-term instructions as create-scheduled-changes.md describes them, with the
/// codes of error-codes.md: the subscription must be new commerce and renew automatically
/// (800093), a trial cannot change its term (800107), the term must be one the
/// availability sells (800121) and no shorter than the current one (800122), the billing
/// cycle one it sells with that term (900269); a custom end date must fall within the
/// first renewed term and on the end date of another active new-commerce subscription or
/// the end of a month (900245, 900246). An item the customer's market does not sell is
/// 400013, the catalog's own "Product was not found".
fn check_next_term(
    s: &Subscription,
    next: &ScheduledNextTermInstructions,
    market: &str,
    aligned: &[String],
    sandbox: bool,
) -> Result<(), Response> {
    let refuse = |code, why: &str| Err(fault_response(StatusCode::BAD_REQUEST, code, why));
    if !is_new_commerce(s) || s.auto_renew_enabled != Some(true) {
        return refuse(
            800093,
            "The subscription isn't eligible to be auto-renewed.",
        );
    }
    let quantity = next.quantity.unwrap_or(s.quantity);
    if quantity == 0 {
        return refuse(800002, "The next term's quantity must be at least 1.");
    }
    if sandbox && quantity > SANDBOX_LICENCES {
        return Err(sandbox_limit());
    }
    let current_term = s.term_duration.as_deref().unwrap_or("P1M");
    let term = match &next.product {
        Some(product) => {
            let item = product.catalog_item_id().unwrap_or_default();
            let Some((_, availability)) = purchasable(market, &item) else {
                return refuse(400013, "Product was not found.");
            };
            let term = product.term_duration.as_deref().unwrap_or(current_term);
            if !matches!(term, "P1M" | "P1Y" | "P3Y") {
                return refuse(800121, "The term duration provided is invalid.");
            }
            if term != current_term && s.is_trial == Some(true) {
                return refuse(800107, "Term changes are not supported for trial offers.");
            }
            if term_months(term) < term_months(current_term) {
                return refuse(
                    800122,
                    "The target term duration cannot be shorter than the current term duration.",
                );
            }
            let cycle = product
                .billing_cycle
                .clone()
                .or_else(|| s.billing_cycle.clone());
            let sold = match &cycle {
                Some(cycle) => availability.term(term, cycle).is_some(),
                None => availability
                    .terms()
                    .iter()
                    .any(|t| t.duration.as_deref() == Some(term)),
            };
            if !availability.terms().is_empty() && !sold {
                return refuse(
                    900269,
                    &format!(
                        "The billing cycle is invalid: the availability is not sold for {term} billed that way."
                    ),
                );
            }
            term
        }
        None => current_term,
    };
    if let Some(end) = &next.custom_term_end_date {
        let day = end.get(..10).unwrap_or_default();
        let renewal = s
            .commitment_end_date
            .as_deref()
            .and_then(|d| d.get(..10))
            .unwrap_or_default();
        let limit = add_months(renewal, term_months(term));
        if day.len() != 10 || day <= renewal || limit.as_deref().is_none_or(|l| day > l) {
            return refuse(
                900245,
                "The custom term end date specified on the scheduled next term instructions must be within the first term duration after renewal.",
            );
        }
        if !aligned.iter().any(|a| a == day) && !is_month_end(day) {
            return refuse(
                900246,
                "The custom term end date specified on the scheduled next term instructions does not match with the end date of any active non-trial OnlineServicesNCE subscription or align with the end of the calendar month.",
            );
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` plus `months` (the day kept; comparisons only need the order).
fn add_months(day: &str, months: u32) -> Option<String> {
    let year: u32 = day.get(..4)?.parse().ok()?;
    let month: u32 = day.get(5..7)?.parse().ok()?;
    let total = year * 12 + month.checked_sub(1)? + months;
    Some(format!(
        "{:04}-{:02}{}",
        total / 12,
        total % 12 + 1,
        day.get(7..)?
    ))
}

/// Whether `YYYY-MM-DD` is the last day of its month.
fn is_month_end(day: &str) -> bool {
    let parts: Vec<u32> = day.split('-').filter_map(|p| p.parse().ok()).collect();
    let [year, month, d] = parts[..] else {
        return false;
    };
    d == crate::entra::days_in_month(year, month)
}
