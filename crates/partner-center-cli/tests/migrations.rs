//! Migrations of legacy subscriptions to new commerce end to end: the facade and the CLI
//! against the emulator, with the documented refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app};
use partner_center::PartnerCenter;
use partner_center::models::{
    BillingCycle, MigrationStatus, NewCommerceMigration, SubscriptionStatus,
};
use partner_center_emulator::{AccountKind, Emulator};

/// Office 365 Business Essentials, a legacy offer with a path to Business Basic.
const ESSENTIALS: &str = "91FD106F-4B2C-4938-95AC-F54F74E9A239";
/// Microsoft 365 E5, a legacy offer with no path in the emulator's catalog.
const E5: &str = "A044B16A-1861-4308-8086-A3A3B506EDAE";

/// A legacy subscription of `offer`.
async fn legacy(pc: &PartnerCenter, customer: &str, offer: &str, quantity: u32) -> String {
    let order = serde_json::json!({"lineItems": [{"lineItemNumber": 0, "offerId": offer, "quantity": quantity}]});
    let placed = pc.customer(customer).orders().create(&order).await.unwrap();
    placed.line_items[0].subscription_id.clone().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_subscription_moves_to_new_commerce() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app(&emu);
    let customer = a_customer(&pc, "migrate.onmicrosoft.com", false).await;
    let sub = legacy(&pc, &customer, ESSENTIALS, 3).await;
    let migrations = pc.customer(&customer).migrations();

    let migration = NewCommerceMigration::of(&sub).term("P1Y", BillingCycle::Monthly);
    let eligible = migrations.validate(&migration).await.unwrap();
    assert!(eligible.is_eligible, "{eligible:?}");
    let item = eligible.catalog_item_id.clone().unwrap();
    assert!(item.starts_with("CFQ7TTC0LH18:0001:"), "{item}");

    let started = migrations.create(&migration).await.unwrap();
    assert_eq!(started.status, Some(MigrationStatus::Processing));
    assert!(started.new_commerce_subscription_id.is_none());
    let id = started.id.clone().unwrap();
    let done = migrations.wait(&id, Default::default()).await.unwrap();
    assert_eq!(done.status, Some(MigrationStatus::Completed));
    let new = done.new_commerce_subscription_id.clone().unwrap();

    let subscriptions = pc.customer(&customer).subscriptions();
    let moved = subscriptions.get(&new).await.unwrap();
    assert_eq!(moved.offer_id.as_deref(), Some(item.as_str()));
    assert_eq!(
        (moved.quantity, moved.term_duration.as_deref()),
        (3, Some("P1Y"))
    );
    assert!(moved.cancellation_allowed_until().is_some());
    assert_eq!(
        subscriptions.get(&sub).await.unwrap().status,
        Some(SubscriptionStatus::Deleted),
        "the legacy subscription is cancelled"
    );
    let events = migrations.events(&id).await.unwrap();
    let names: Vec<_> = events
        .iter()
        .filter_map(|e| e.event_name.as_deref())
        .collect();
    assert_eq!(names.first(), Some(&"MigrationStarted"));
    assert_eq!(names.last(), Some(&"MigrationCompleted"));

    // The documented refusals.
    let e = migrations
        .create(&NewCommerceMigration::of(&sub))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "900215".to_owned()), "no longer active");
    let e5 = legacy(&pc, &customer, E5, 1).await;
    let no = migrations
        .validate(&NewCommerceMigration::of(&e5))
        .await
        .unwrap();
    assert!(!no.is_eligible);
    assert_eq!(no.errors.unwrap()[0].code, Some(5));
    let e = migrations
        .create(&NewCommerceMigration::of(&e5))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "900220".to_owned()));
    let other = legacy(&pc, &customer, ESSENTIALS, 1).await;
    let unsold = NewCommerceMigration::of(&other).term("P3Y", BillingCycle::Monthly);
    let e = migrations.create(&unsold).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "900222".to_owned()));
    let mut with_add_on = NewCommerceMigration::of(&other);
    with_add_on.add_on_migrations = Some(vec![NewCommerceMigration::of(&e5)]);
    let e = migrations.create(&with_add_on).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "900262".to_owned()), "not its add-on");
    with_add_on.add_on_migrations = Some(vec![NewCommerceMigration::of(&e5); 2]);
    let e = migrations.create(&with_add_on).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "900248".to_owned()), "listed twice");
    let e = migrations.get("no-such-migration").await.unwrap_err();
    assert_eq!(api_code(&e), (400, "900224".to_owned()));

    // The CLI: validate, then create and wait.
    let vars = common::emulator_env(&emu);
    let run = common::run(
        &[
            "migrations",
            "validate",
            "--customer",
            &customer,
            &other,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["isEligible"], true);
    let run = common::run(
        &[
            "migrations",
            "create",
            "--customer",
            &customer,
            &other,
            "--term",
            "P1Y",
            "--billing",
            "annual",
            "--quantity",
            "2",
            "--full-term",
            "--wait",
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let done = run.json();
    assert_eq!(done["status"], "Completed");
    assert_eq!(
        (
            done["quantity"].as_u64(),
            done["purchaseFullTerm"].as_bool()
        ),
        (Some(2), Some(true))
    );
    let id = done["id"].as_str().unwrap();
    let run = common::run(
        &["migrations", "events", "--customer", &customer, id],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("NewCommerceSubscriptionProvisioned"),
        "{}",
        run.stdout
    );
    let run = common::run(
        &["migrations", "create", "--customer", &customer, &e5],
        &vars,
    )
    .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("900220"), "{}", run.stderr);
}

/// On the primary account a subscription active for a month or less cannot migrate yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_primary_account_a_new_subscription_waits_a_month() {
    let emu = Emulator::builder()
        .account(AccountKind::Primary)
        .start()
        .await
        .unwrap();
    let pc = app(&emu);
    let customer = a_customer(&pc, "young.onmicrosoft.com", false).await;
    let sub = legacy(&pc, &customer, ESSENTIALS, 1).await;
    let migrations = pc.customer(&customer).migrations();
    let e = migrations
        .create(&NewCommerceMigration::of(&sub))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (403, "900226".to_owned()));
    let no = migrations
        .validate(&NewCommerceMigration::of(&sub))
        .await
        .unwrap();
    assert_eq!(no.errors.unwrap()[0].code, Some(7));
}
