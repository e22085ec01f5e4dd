//! The new-commerce subscription lifecycle end to end: a bought subscription's
//! cancellation window, cancelling inside it (facade and CLI), and the refusals once it
//! has closed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app, app_and_user};
use partner_center::Purchase;
use partner_center::models::SubscriptionStatus;
use partner_center_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_subscription_is_cancelled_inside_its_window() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "cancel.onmicrosoft.com", true).await;
    let bought = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 4))
        .await
        .unwrap();
    let s = &bought[0];
    assert!(s.cancellation_allowed_until().is_some(), "{s:?}");
    assert_eq!(s.refundable_quantity(), Some(4));

    let cancelled = pc
        .customer(&customer)
        .subscriptions()
        .cancel(&s.id)
        .await
        .unwrap();
    assert_eq!(cancelled.status, Some(SubscriptionStatus::Deleted));

    let other = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 1))
        .await
        .unwrap();
    let vars = common::emulator_env(&emu);
    let run = common::run(
        &[
            "subscriptions",
            "cancel",
            "--customer",
            &customer,
            &other[0].id,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()[0]["status"], "deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_window_cancelling_and_reducing_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (customer, subscription) = {
        let emu = Emulator::builder().state_file(&path).start().await.unwrap();
        let pc = app_and_user(&emu);
        let customer = a_customer(&pc, "late.onmicrosoft.com", true).await;
        let bought = pc
            .customer(&customer)
            .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 3))
            .await
            .unwrap();
        emu.save_state().unwrap();
        (customer, bought[0].id.clone())
    };
    // A week and more later: the window in the saved state has closed.
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for records in state["subscriptions"].as_object_mut().unwrap().values_mut() {
        for record in records.as_array_mut().unwrap() {
            record[0]["cancellationAllowedUntilDate"] = "2000-01-08T00:00:00Z".into();
        }
    }
    std::fs::write(&path, state.to_string()).unwrap();

    let emu = Emulator::builder().state_file(&path).start().await.unwrap();
    let subscriptions = app(&emu).customer(&customer).subscriptions();
    let e = subscriptions.cancel(&subscription).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "900213".to_owned()));
    let e = subscriptions
        .modify(&subscription, |s| s.quantity = 1)
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "900214".to_owned()));
    let more = subscriptions
        .modify(&subscription, |s| s.quantity = 5)
        .await
        .unwrap();
    assert_eq!(more.quantity, 5, "adding seats stays allowed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_is_upgraded_into_a_target_of_its_sku() {
    use partner_center::models::{Transition, TransitionType};
    use partner_center::prelude::*;

    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "upgrade.onmicrosoft.com", true).await;
    let bought = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 4).term("P1Y"))
        .await
        .unwrap();
    let source = bought[0].id.clone();
    let subscriptions = pc.customer(&customer).subscriptions();

    let targets: Vec<_> = subscriptions
        .transition_eligibilities(&source)
        .try_collect()
        .await
        .unwrap();
    let items: Vec<&str> = targets.iter().map(|t| t.catalog_item_id.as_str()).collect();
    assert_eq!(items.len(), 2, "Business Standard and Premium: {items:?}");
    assert!(items[0].starts_with("CFQ7TTC0LDPB:0001:"), "{items:?}");
    assert!(targets[0].allows(&TransitionType::TransitionOnly));

    let done = subscriptions
        .transition(&source, &Transition::to(items[0], 3))
        .await
        .unwrap();
    let new = done.to_subscription_id.clone().unwrap();
    let moved = subscriptions.get(&new).await.unwrap();
    assert_eq!(moved.quantity, 3);
    assert_eq!(moved.offer_id.as_deref(), Some(items[0]));
    assert_eq!(subscriptions.get(&source).await.unwrap().quantity, 1);

    let rest = subscriptions
        .transition(&source, &Transition::to(items[0], 1))
        .await
        .unwrap();
    assert!(rest.to_subscription_id.is_some());
    assert_eq!(
        subscriptions.get(&source).await.unwrap().status,
        Some(SubscriptionStatus::Deleted),
        "a source left without licences is cancelled"
    );
    let e = subscriptions
        .transition(&source, &Transition::to(items[0], 1))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800012".to_owned()));
    let e = subscriptions
        .transition(&new, &Transition::to("NOPE:0001:NOPE", 1))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800002".to_owned()));

    // The CLI: list and upgrade.
    let vars = common::emulator_env(&emu);
    let fresh = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 2))
        .await
        .unwrap();
    let run = common::run(
        &[
            "subscriptions",
            "upgrades",
            "--customer",
            &customer,
            &fresh[0].id,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let target = run.json()[1]["catalogItemId"].as_str().unwrap().to_owned();
    let run = common::run(
        &[
            "subscriptions",
            "upgrade",
            "--customer",
            &customer,
            &fresh[0].id,
            "--to",
            &target,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["quantity"], 2, "all licences by default");
}
