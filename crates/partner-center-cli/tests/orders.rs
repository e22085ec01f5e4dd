//! An order's provisioning status end to end: after a checkout, through the facade (with
//! the bounded wait) and the CLI, App+User only.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use std::time::Duration;

use common::{a_customer, api_code, app, app_and_user};
use partner_center::Purchase;
use partner_center::ingestion::WaitOptions;
use partner_center::models::{ProvisioningState, Subscription};
use partner_center_emulator::Emulator;

/// A customer that bought Business Basic; its order id.
async fn an_order(pc: &partner_center::PartnerCenter, domain: &str) -> (String, String) {
    let customer = a_customer(pc, domain, true).await;
    let bought: Vec<Subscription> = pc
        .customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 2))
        .await
        .unwrap();
    (customer, bought[0].order_id.clone().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checked_out_order_is_provisioned() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let (customer, order) = an_order(&pc, "prov.onmicrosoft.com").await;
    let orders = pc.customer(&customer).orders();

    let lines = orders.provisioning_status(&order).await.unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].status, Some(ProvisioningState::Fulfilled));

    let mut polls = 0;
    let options = WaitOptions::default()
        .intervals(Duration::from_millis(10), Duration::from_millis(20))
        .timeout(Duration::from_secs(5));
    let settled = orders
        .wait_provisioned(&order, options, |_| polls += 1)
        .await
        .unwrap();
    assert_eq!(settled, lines);
    assert_eq!(polls, 1, "a settled order is one poll");

    let e = app(&emu)
        .customer(&customer)
        .orders()
        .provisioning_status(&order)
        .await
        .unwrap_err();
    assert_eq!(api_code(&e).0, 403, "App+User only");
    let e = orders
        .provisioning_status("no-such-order")
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (404, "20000".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_shows_and_waits_for_the_status() {
    let emu = Emulator::builder().start().await.unwrap();
    let (customer, order) = an_order(&app_and_user(&emu), "cli-prov.onmicrosoft.com").await;
    let vars = common::emulator_env(&emu);
    let run = common::run(
        &[
            "orders",
            "status",
            "--customer",
            &customer,
            &order,
            "--wait",
        ],
        &vars,
    )
    .await;
    assert_eq!(
        run.code, 4,
        "app-only credentials are refused: {}",
        run.stderr
    );
    assert!(run.stderr.contains("App+User"), "{}", run.stderr);
}
