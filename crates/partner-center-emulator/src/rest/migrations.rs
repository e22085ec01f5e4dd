//! Migrations of legacy subscriptions to new commerce: validate, create, get, events.
//!
//! Follows validate-subscription-for-migration.md, create-migration.md,
//! get-new-commerce-migration.md and get-migration-events.md, with the codes of
//! error-codes.md (900215–900226, 900248, 900262). A legacy offer migrates into the
//! new-commerce SKU of [`PATHS`] (the emulator's migration paths), in the customer's
//! market and commercial segment. The emulator migrates at once: the create answer says
//! `Processing` with the docs' sample fields, a later GET says `Completed` with the new
//! subscription and order; the legacy subscription is cancelled (`deleted`), and the new
//! one is placed as an order is, with its seven-day cancellation window. Not emulated:
//! promotions (900218), "being processed" (900216), custom end date checks, schedules.
//! A subscription active for a month or less is refused (900226) on the primary account
//! only: the integration sandbox lets partners try migrations on what they just bought
//! (the emulator's choice).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use partner_center_models::{
    BillingCycle, EligibilityError, MigrationEvent, MigrationStatus, NewCommerceEligibility,
    NewCommerceMigration, Order, OrderLineItem, Subscription, SubscriptionStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::carts::{country, open_cancellation_window, term_days};
use super::catalog::offered;
use super::orders::place;
use super::{
    Caller, SANDBOX_LICENCES, create_once, fault_response, not_found, parse_body, to_json,
};
use crate::state::{AreaState, Db};
use crate::{AccountKind, AppState, lock};

/// Legacy offer id → the new-commerce `productId:skuId` it migrates into (Office 365
/// Business Premium became Microsoft 365 Business Standard; Essentials, Business Basic).
const PATHS: [(&str, &str); 4] = [
    ("031C9E47-4802-4248-838E-778FB1D2CC05", "CFQ7TTC0LDPB:0001"),
    ("91FD106F-4B2C-4938-95AC-F54F74E9A239", "CFQ7TTC0LH18:0001"),
    ("796B6B5F-613C-4E24-A17C-EBA730D49C02", "CFQ7TTC0LF8Q:0001"),
    ("195416C1-3447-423A-B37B-EE59A99A19C4", "CFQ7TTC0LH18:0001"),
];

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers/{id}/migrations/newcommerce", post(create))
        .route(
            "/v1/customers/{id}/migrations/newcommerce/validate",
            post(validate),
        )
        .route(
            "/v1/customers/{id}/migrations/newcommerce/events",
            get(events),
        )
        .route(
            "/v1/customers/{id}/migrations/newcommerce/{migration}",
            get(get_migration),
        )
}

/// Each customer's migrations and their events.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct MigrationsState {
    migrations: HashMap<String, Vec<NewCommerceMigration>>,
    events: HashMap<String, Vec<MigrationEvent>>,
}

impl AreaState for MigrationsState {
    const NAME: &'static str = "migrations";

    fn remove_customer(&mut self, customer: &str) {
        self.migrations.remove(customer);
        self.events.remove(customer);
    }
}

/// Why a subscription cannot migrate: the eligibility code and the HTTP refusal.
struct Refusal {
    code: i64,
    status: StatusCode,
    error: u32,
    description: String,
}

impl Refusal {
    fn new(code: i64, status: StatusCode, error: u32, description: String) -> Self {
        Self {
            code,
            status,
            error,
            description,
        }
    }

    fn response(&self) -> Response {
        fault_response(self.status, self.error, &self.description)
    }
}

/// What a legacy subscription migrates into, or why it cannot.
struct Plan {
    legacy: Subscription,
    catalog_item_id: String,
    term: String,
    cycle: BillingCycle,
    quantity: u32,
}

/// Checks a migration (and its add-ons) against the subscription and the catalog.
fn plan(
    db: &Db,
    customer: &str,
    request: &NewCommerceMigration,
    primary: bool,
) -> Result<Plan, Refusal> {
    let sub = &request.current_subscription_id;
    let bad = StatusCode::BAD_REQUEST;
    let legacy = db
        .subscription(customer, sub)
        .map(|r| r.subscription.clone())
        .ok_or_else(|| {
            Refusal::new(
                5,
                StatusCode::NOT_FOUND,
                20003,
                format!("Subscription with ID {sub} not found."),
            )
        })?;
    if legacy.status != Some(SubscriptionStatus::Active) {
        return Err(Refusal::new(
            0,
            bad,
            900215,
            format!(
                "Subscription {sub} cannot be migrated to New Commerce because the status is not active."
            ),
        ));
    }
    let path = legacy.offer_id.as_deref().and_then(|offer| {
        PATHS
            .iter()
            .find(|(from, _)| from.eq_ignore_ascii_case(offer))
            .map(|(_, to)| *to)
    });
    let market = db.customer(customer).map(country).unwrap_or_default();
    let target = path.and_then(|to| {
        let (product, sku) = to.split_once(':')?;
        let (_, availabilities) = offered(&market, product, sku)?;
        availabilities.into_iter().find(|a| {
            a.segment
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("commercial"))
        })
    });
    let Some(availability) = target else {
        return Err(Refusal::new(
            5,
            bad,
            900220,
            format!(
                "Subscription {sub} cannot be migrated to New Commerce because there is not a valid migration path for this offer yet."
            ),
        ));
    };
    if primary
        && legacy
            .creation_date
            .as_deref()
            .and_then(|d| d.get(..10))
            .is_some_and(|d| d > crate::entra::date_before(31).as_str())
    {
        return Err(Refusal::new(
            7,
            StatusCode::FORBIDDEN,
            900226,
            format!(
                "Subscription {sub} cannot be migrated to New Commerce because it has been active for 1 month or less. Please try again later."
            ),
        ));
    }
    let listed: Vec<String> = request
        .add_on_migrations
        .iter()
        .flatten()
        .map(|a| a.current_subscription_id.to_ascii_lowercase())
        .collect();
    let mut unique = listed.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != listed.len() {
        return Err(Refusal::new(4, bad, 900248, "Migration cannot be performed because two or more add-on migrations were specified with the same current subscription ID".to_owned()));
    }
    let children: Vec<String> = db
        .subscriptions
        .get(customer)
        .into_iter()
        .flatten()
        .map(|r| &r.subscription)
        .filter(|s| s.status == Some(SubscriptionStatus::Active))
        .filter(|s| {
            s.parent_subscription_id
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(sub))
        })
        .map(|s| s.id.to_ascii_lowercase())
        .collect();
    if listed.iter().any(|a| !children.contains(a)) {
        return Err(Refusal::new(4, bad, 900262, "Subscription cannot be migrated to New-Commerce because one or more add-on subscriptions specified in the AddOnMigrations collection do not exist or are not active.".to_owned()));
    }
    if children.iter().any(|c| !listed.contains(c)) {
        return Err(Refusal::new(
            4,
            bad,
            900219,
            format!(
                "Subscription {sub} cannot be migrated to New Commerce because it has add-ons."
            ),
        ));
    }
    let term = request
        .term_duration
        .clone()
        .or_else(|| legacy.term_duration.clone())
        .unwrap_or_else(|| "P1M".to_owned())
        .to_ascii_uppercase();
    let cycle = request
        .billing_cycle
        .clone()
        .or_else(|| legacy.billing_cycle.clone())
        .unwrap_or(BillingCycle::Monthly);
    if !availability.terms().is_empty() && availability.term(&term, &cycle).is_none() {
        return Err(Refusal::new(
            6,
            bad,
            900222,
            format!(
                "Subscription {sub} cannot be migrated to New Commerce because the combination of term duration and billing cycle is not supported for the New-Commerce product."
            ),
        ));
    }
    let quantity = request.quantity.unwrap_or(legacy.quantity);
    Ok(Plan {
        catalog_item_id: availability.catalog_item_id.clone().unwrap_or_default(),
        legacy,
        term,
        cycle,
        quantity,
    })
}

fn primary(state: &AppState) -> bool {
    state.config.account == AccountKind::Primary
}

async fn validate(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let request: NewCommerceMigration = match parse_body(&body) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    let db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let mut answer = NewCommerceEligibility::default();
    answer
        .current_subscription_id
        .clone_from(&request.current_subscription_id);
    match plan(&db, &id, &request, primary(&state)) {
        Ok(plan) => {
            answer.is_eligible = true;
            answer.catalog_item_id = Some(plan.catalog_item_id);
            answer.term_duration = Some(plan.term);
            answer.billing_cycle = Some(plan.cycle);
        }
        Err(why) => {
            let mut error = EligibilityError::default();
            error.code = Some(why.code);
            error.description = Some(why.description);
            answer.errors = Some(vec![error]);
        }
    }
    answer.custom_term_end_date = request.custom_term_end_date;
    Json(answer).into_response()
}

async fn create(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    create_once(&state, &headers, || {
        let request: NewCommerceMigration = parse_body(&body)?;
        let mut db = lock(&state.db);
        if db.customer(&id).is_none() {
            return Err(not_found("Customer", &id));
        }
        let plan = plan(&db, &id, &request, primary(&state)).map_err(|why| why.response())?;
        if state.config.account == AccountKind::IntegrationSandbox
            && plan.quantity > SANDBOX_LICENCES
        {
            return Err(super::sandbox_limit());
        }
        let add_ons = request
            .add_on_migrations
            .iter()
            .flatten()
            .map(|a| plan_add_on(&db, &id, a, primary(&state)))
            .collect::<Result<Vec<_>, Response>>()?;
        let migration_id = uuid::Uuid::new_v4().to_string();
        let now = format!("{}T00:00:00Z", crate::entra::today());
        let mut done = migrate(&mut db, &id, &plan, &request, &now);
        let mut answer_add_ons = Vec::new();
        let mut done_add_ons = Vec::new();
        for (add_on, plan) in request.add_on_migrations.iter().flatten().zip(&add_ons) {
            let migrated = migrate(&mut db, &id, plan, add_on, &now);
            answer_add_ons.push(started(&migrated));
            done_add_ons.push(migrated);
        }
        done.id = Some(migration_id.clone());
        if request.add_on_migrations.is_some() {
            done.add_on_migrations = Some(done_add_ons);
        }
        let names = [
            "MigrationStarted",
            "NewCommerceSubscriptionCreated",
            "NewCommerceSubscriptionProvisioned",
            "MigrationCompleted",
        ];
        let events: Vec<MigrationEvent> = names
            .iter()
            .map(|name| {
                serde_json::from_value(serde_json::json!({
                    "id": uuid::Uuid::new_v4().to_string(),
                    "newCommerceMigrationId": migration_id,
                    "currentSubscriptionId": plan.legacy.id,
                    "customerTenantId": id,
                    "createdTime": now,
                    "eventName": name,
                }))
                .unwrap_or_default()
            })
            .collect();
        let mut answer = started(&done);
        if request.add_on_migrations.is_some() {
            answer.add_on_migrations = Some(answer_add_ons);
        }
        let area = db.areas.get::<MigrationsState>();
        area.migrations.entry(id.clone()).or_default().push(done);
        area.events.entry(id.clone()).or_default().extend(events);
        Ok(to_json(&answer))
    })
}

/// An add-on's plan, refused as its base would be.
fn plan_add_on(
    db: &Db,
    customer: &str,
    add_on: &NewCommerceMigration,
    primary: bool,
) -> Result<Plan, Response> {
    plan(db, customer, add_on, primary).map_err(|why| why.response())
}

/// Migrates one legacy subscription: the new-commerce order and subscription, the legacy
/// one cancelled. Answers the completed migration.
fn migrate(
    db: &mut Db,
    customer: &str,
    plan: &Plan,
    request: &NewCommerceMigration,
    now: &str,
) -> NewCommerceMigration {
    let full_term = request.purchase_full_term == Some(true);
    let end = if full_term {
        format!("{}T00:00:00Z", crate::entra::date_in(term_days(&plan.term)))
    } else {
        plan.legacy.commitment_end_date.clone().unwrap_or_else(|| {
            format!("{}T00:00:00Z", crate::entra::date_in(term_days(&plan.term)))
        })
    };
    let mut line = OrderLineItem::default();
    line.offer_id.clone_from(&plan.catalog_item_id);
    line.quantity = plan.quantity;
    line.term_duration = Some(plan.term.clone());
    line.friendly_name.clone_from(&plan.legacy.friendly_name);
    line.extra
        .insert("transactionType".to_owned(), "New".into());
    let mut order = Order::default();
    order.billing_cycle = Some(plan.cycle.clone());
    order.line_items.push(line);
    let placed = place(
        db,
        customer,
        order,
        std::slice::from_ref(&plan.legacy.offer_name),
        now,
        &end,
    );
    open_cancellation_window(db, customer, &placed);
    if let Some(record) = db.subscription_mut(customer, &plan.legacy.id) {
        record.subscription.status = Some(SubscriptionStatus::Deleted);
        record.version += 1;
    }
    let mut done = NewCommerceMigration::of(&plan.legacy.id);
    done.started_time = Some(now.to_owned());
    done.completed_time = Some(now.to_owned());
    done.status = Some(MigrationStatus::Completed);
    done.customer_tenant_id = Some(customer.to_owned());
    done.catalog_item_id = Some(plan.catalog_item_id.clone());
    done.new_commerce_subscription_id = placed.line_items[0].subscription_id.clone();
    done.new_commerce_order_id = placed.alternate_id.clone().or(Some(placed.id));
    done.subscription_end_date = Some(end);
    done.custom_term_end_date
        .clone_from(&request.custom_term_end_date);
    done.quantity = Some(plan.quantity);
    done.term_duration = Some(plan.term.clone());
    done.billing_cycle = Some(plan.cycle.clone());
    done.purchase_full_term = Some(full_term);
    done.external_reference_id
        .clone_from(&request.external_reference_id);
    done
}

/// A completed migration as the create call answers it: still processing, without the
/// new subscription and order (create-migration.md's sample).
fn started(done: &NewCommerceMigration) -> NewCommerceMigration {
    let mut answer = done.clone();
    answer.status = Some(MigrationStatus::Processing);
    answer.completed_time = None;
    answer.new_commerce_subscription_id = None;
    answer.new_commerce_order_id = None;
    answer
}

async fn get_migration(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, migration)): Path<(String, String)>,
) -> Response {
    let mut db = lock(&state.db);
    let found = db
        .areas
        .get::<MigrationsState>()
        .migrations
        .get(&id)
        .into_iter()
        .flatten()
        .find(|m| {
            m.id.as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(&migration))
        })
        .cloned();
    match found {
        Some(m) => Json(m).into_response(),
        // error-codes.md: 900224 is a 400, not a 404.
        None => fault_response(
            StatusCode::BAD_REQUEST,
            900224,
            &format!("New-Commerce migration {migration} could not be found."),
        ),
    }
}

#[derive(Deserialize)]
struct EventsQuery {
    #[serde(alias = "MigrationId", alias = "migrationId")]
    migration_id: Option<String>,
    #[serde(alias = "CurrentSubscriptionId", alias = "currentSubscriptionId")]
    current_subscription_id: Option<String>,
}

/// get-migration-events.md: a bare array; one of the two ids is required.
async fn events(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<EventsQuery>,
) -> Response {
    if q.migration_id.is_none() && q.current_subscription_id.is_none() {
        return fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            "Give migration_id or current_subscription_id.",
        );
    }
    let matches = |want: &Option<String>, have: &Option<String>| {
        want.as_ref()
            .is_none_or(|w| have.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(w)))
    };
    let mut db = lock(&state.db);
    let events: Vec<Value> = db
        .areas
        .get::<MigrationsState>()
        .events
        .get(&id)
        .into_iter()
        .flatten()
        .filter(|e| matches(&q.migration_id, &e.new_commerce_migration_id))
        .filter(|e| matches(&q.current_subscription_id, &e.current_subscription_id))
        .map(to_json)
        .collect();
    Json(events).into_response()
}
