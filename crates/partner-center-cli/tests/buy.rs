//! The one-call purchase end to end: `pc.customer(id).buy(…)` and `partner-center buy`
//! against the emulator, with the dry run and the refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app_and_user};
use partner_center::Purchase;
use partner_center::models::{BillingCycle, SubscriptionStatus};
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buy_returns_the_subscriptions_and_a_dry_run_buys_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "buy.onmicrosoft.com", true).await;
    let handle = pc.customer(&customer);

    let basic = Purchase::new("CFQ7TTC0LH18", "0001", 5)
        .term("P1Y")
        .billing(BillingCycle::Annual);
    let cart = handle.prepare(&basic).await.unwrap();
    assert_eq!(cart.line_items[0].quantity, 5);
    let none: Vec<_> = handle.subscriptions().list().try_collect().await.unwrap();
    assert!(none.is_empty(), "a dry run buys nothing");

    let bought = handle.buy(&basic).await.unwrap();
    assert_eq!(bought.len(), 1);
    assert_eq!(bought[0].quantity, 5);
    assert_eq!(bought[0].term_duration.as_deref(), Some("P1Y"));
    assert_eq!(bought[0].status, Some(SubscriptionStatus::Active));

    let unsold = Purchase::new("CFQ7TTC0LH18", "0001", 1).term("P3Y");
    assert_eq!(api_code(&handle.buy(&unsold).await.unwrap_err()).1, "10010");
    let too_many = Purchase::new("CFQ7TTC0LH18", "0001", 26);
    assert_eq!(
        api_code(&handle.buy(&too_many).await.unwrap_err()).1,
        "10009",
        "the sandbox's seats per subscription"
    );
    let no_mca = a_customer(&pc, "buy-nomca.onmicrosoft.com", false).await;
    let e = pc.customer(&no_mca).buy(&basic).await.unwrap_err();
    assert_eq!(api_code(&e), (403, "13605".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_buys_and_dry_runs() {
    let emu = Emulator::builder().start().await.unwrap();
    let customer = a_customer(&app_and_user(&emu), "cli-buy.onmicrosoft.com", true).await;
    let vars = common::emulator_env(&emu);
    let args = |extra: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = [
            "buy",
            "--customer",
            &customer,
            "--product",
            "CFQ7TTC0LH18",
            "--sku",
            "0001",
            "--quantity",
            "3",
            "-o",
            "json",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        all.extend(extra.iter().map(|s| (*s).to_owned()));
        all
    };

    let dry = args(&["--dry-run"]);
    let run = common::run(&dry.iter().map(String::as_str).collect::<Vec<_>>(), &vars).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json()["status"],
        "Active",
        "the dry run prints the cart"
    );

    let buy = args(&["--term", "P1Y", "--billing", "annual"]);
    let run = common::run(&buy.iter().map(String::as_str).collect::<Vec<_>>(), &vars).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let subscriptions = run.json();
    assert_eq!(
        subscriptions.as_array().unwrap().len(),
        1,
        "{subscriptions}"
    );
    assert_eq!(subscriptions[0]["quantity"], 3);

    let unsold = args(&["--term", "P3Y"]);
    let run = common::run(
        &unsold.iter().map(String::as_str).collect::<Vec<_>>(),
        &vars,
    )
    .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("10010"), "{}", run.stderr);

    let bad = args(&["--billing", "weekly"]);
    let run = common::run(&bad.iter().map(String::as_str).collect::<Vec<_>>(), &vars).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
}
