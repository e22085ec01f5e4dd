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
    assert_eq!(run.json()["status"], "deleted");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_term_changes_are_scheduled_kept_and_cleared() {
    use partner_center::models::{BillingCycle, ProductTerm, ScheduledNextTermInstructions};

    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "renewal.onmicrosoft.com", true).await;
    let bought = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 3))
        .await
        .unwrap();
    let id = bought[0].id.clone();
    let subscriptions = pc.customer(&customer).subscriptions();
    let annual = |term: &str| {
        ProductTerm::new(
            "CFQ7TTC0LH18",
            "0001",
            "CFQ7TTC0K971",
            term,
            BillingCycle::Annual,
        )
    };

    let s = subscriptions
        .schedule_next_term(&id, ScheduledNextTermInstructions::new(annual("P1Y"), 5))
        .await
        .unwrap();
    assert_eq!(s.auto_renew_enabled, Some(true));
    let next = s.scheduled_next_term_instructions.clone().unwrap();
    assert_eq!(next.quantity, Some(5));
    // Changing something else reads the subscription first, so the instructions stay.
    let s = subscriptions.modify(&id, |s| s.quantity = 4).await.unwrap();
    assert_eq!(s.scheduled_next_term_instructions, Some(next));
    // A body without them deletes them, as update-a-subscription-by-id.md warns.
    let s = subscriptions.clear_next_term(&id).await.unwrap();
    assert_eq!(s.scheduled_next_term_instructions, None);
    assert_eq!(s.auto_renew_enabled, Some(true));

    // The documented refusals.
    let refused = |next: ScheduledNextTermInstructions| {
        let subscriptions = subscriptions.clone();
        let id = id.clone();
        async move {
            let e = subscriptions
                .schedule_next_term(&id, next)
                .await
                .unwrap_err();
            api_code(&e).1
        }
    };
    let mut unknown = annual("P1Y");
    unknown.availability_id = Some("NOPE".to_owned());
    assert_eq!(
        refused(ScheduledNextTermInstructions::new(unknown, 1)).await,
        "400013"
    );
    let mut monthly_p3y = annual("P3Y");
    monthly_p3y.billing_cycle = Some(BillingCycle::Monthly);
    assert_eq!(
        refused(ScheduledNextTermInstructions::new(monthly_p3y, 1)).await,
        "900269",
        "P3Y is sold billed annually only"
    );
    let mut too_late = ScheduledNextTermInstructions::new(annual("P1Y"), 1);
    too_late.custom_term_end_date = Some("2000-01-31".to_owned());
    assert_eq!(refused(too_late).await, "900245");
    let end = s.commitment_end_date.clone().unwrap();
    let (year, month): (u32, u32) = (end[..4].parse().unwrap(), end[5..7].parse().unwrap());
    let (year, month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let mut unaligned = ScheduledNextTermInstructions::new(annual("P1Y"), 1);
    unaligned.custom_term_end_date = Some(format!("{year:04}-{month:02}-15"));
    assert_eq!(refused(unaligned).await, "900246");
    let last_day = match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let mut month_end = ScheduledNextTermInstructions::new(annual("P1Y"), 1);
    month_end.custom_term_end_date = Some(format!("{year:04}-{month:02}-{last_day}"));
    let s = subscriptions
        .schedule_next_term(&id, month_end)
        .await
        .unwrap();
    assert!(
        s.scheduled_next_term_instructions.is_some(),
        "a month's end aligns"
    );
    subscriptions.clear_next_term(&id).await.unwrap();
    let e = subscriptions
        .modify(&id, |s| {
            s.auto_renew_enabled = Some(false);
            s.scheduled_next_term_instructions =
                Some(ScheduledNextTermInstructions::new(annual("P1Y"), 1));
        })
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800093".to_owned()));
    let yearly = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 1).term("P1Y"))
        .await
        .unwrap();
    let mut aligned = ScheduledNextTermInstructions::new(annual("P1Y"), 1);
    aligned.custom_term_end_date = yearly[0].commitment_end_date.clone();
    let s = subscriptions
        .schedule_next_term(&id, aligned)
        .await
        .unwrap();
    assert!(
        s.scheduled_next_term_instructions.is_some(),
        "another subscription's end aligns"
    );
    let mut shorter = annual("P1M");
    shorter.billing_cycle = Some(BillingCycle::Monthly);
    let e = subscriptions
        .schedule_next_term(
            &yearly[0].id,
            ScheduledNextTermInstructions::new(shorter, 1),
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800122".to_owned()));
    // Auto-renew off drops the instructions with it.
    subscriptions
        .schedule_next_term(&id, ScheduledNextTermInstructions::new(annual("P1Y"), 2))
        .await
        .unwrap();
    let s = subscriptions.set_auto_renew(&id, false).await.unwrap();
    assert_eq!(
        (s.auto_renew_enabled, s.scheduled_next_term_instructions),
        (Some(false), None)
    );

    // The CLI: schedule (the current item by default), then unschedule.
    let vars = common::emulator_env(&emu);
    let run = common::run(
        &[
            "subscriptions",
            "schedule",
            "--customer",
            &customer,
            &id,
            "--term",
            "P1Y",
            "--billing",
            "annual",
            "--quantity",
            "7",
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let next = &run.json()["scheduledNextTermInstructions"];
    assert_eq!(next["quantity"], 7);
    assert_eq!(next["product"]["availabilityId"], "CFQ7TTC0K971");
    assert_eq!(next["product"]["billingCycle"], "annual");
    let run = common::run(
        &[
            "subscriptions",
            "schedule",
            "--customer",
            &customer,
            &id,
            "--item",
            "nope",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("catalogItemId"), "{}", run.stderr);
    let run = common::run(
        &[
            "subscriptions",
            "unschedule",
            "--customer",
            &customer,
            &id,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json().get("scheduledNextTermInstructions").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transition_is_kept_in_the_subscriptions_history() {
    use partner_center::models::Transition;
    use partner_center::prelude::*;

    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "history.onmicrosoft.com", true).await;
    let bought = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 2).term("P1Y"))
        .await
        .unwrap();
    let source = bought[0].id.clone();
    let subscriptions = pc.customer(&customer).subscriptions();
    assert!(subscriptions.transitions(&source).await.unwrap().is_empty());
    let eligible: Vec<_> = subscriptions
        .transition_eligibilities(&source)
        .try_collect()
        .await
        .unwrap();
    let target = eligible[0].catalog_item_id.clone();
    subscriptions
        .transition(&source, &Transition::to(&target, 1))
        .await
        .unwrap();

    let history = subscriptions.transitions(&source).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].target(), target);
    assert!(history[0].is_completed(), "{history:?}");
    assert_eq!(history[0].events().len(), 2);

    let vars = common::emulator_env(&emu);
    let run = common::run(
        &[
            "subscriptions",
            "transitions",
            "--customer",
            &customer,
            &source,
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Completed"), "{}", run.stdout);
    assert!(run.stdout.contains(&target), "{}", run.stdout);
}
