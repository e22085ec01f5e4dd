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

/// A new user's first purchase, as docs/cli.md tells it, against `emulator serve` in its
/// own process: a profile for the app and one for App+User with the refresh token it
/// prints, then `agreements accept` → `catalog …` → `buy` → `orders status` →
/// `subscriptions list` (the quantity and term bought) → `subscriptions cancel`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_buys_and_cancels_against_emulator_serve() {
    let (child, info) = common::serve(&[]);
    let s = |k: &str| info[k].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let base = format!(
        "tenant = \"{}\"\nclient_id = \"{}\"\nclient_secret_env = \"PC_EMULATOR_SECRET\"\n\
         authority_host = \"{}\"\napi_url = \"{}\"\ningestion_url = \"{}\"\n",
        s("tenant_id"),
        s("client_id"),
        s("authority_host"),
        s("api_url"),
        s("ingestion_url"),
    );
    std::fs::write(
        &config,
        format!(
            "[profiles.emulator]\n{base}\n[profiles.emulator-user]\n{base}\
             refresh_token_env = \"PC_EMULATOR_REFRESH_TOKEN\"\n"
        ),
    )
    .unwrap();
    let vars = vec![
        ("PC_EMULATOR_SECRET", s("client_secret")),
        ("PC_EMULATOR_REFRESH_TOKEN", s("refresh_token")),
    ];
    let config = config.display().to_string();
    let cli = |profile: &'static str, args: &[&str]| {
        let mut all = vec![
            "--config",
            config.as_str(),
            "--profile",
            profile,
            "-o",
            "json",
        ];
        all.extend_from_slice(args);
        let all: Vec<String> = all.iter().map(|a| (*a).to_owned()).collect();
        let vars = vars.clone();
        async move {
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let run = common::run(&all, &vars).await;
            assert_eq!(run.code, 0, "{all:?}: {}", run.stderr);
            run.json()
        }
    };

    let file = dir.path().join("customer.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "companyProfile": {"domain": "firstbuy.onmicrosoft.com"},
            "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en",
                "companyName": "First Buy", "defaultAddress": {"country": "US",
                "city": "Redmond", "addressLine1": "1 Microsoft Way", "postalCode": "98052",
                "firstName": "A", "lastName": "B"}}
        })
        .to_string(),
    )
    .unwrap();
    let created = cli(
        "emulator",
        &["customers", "create", "--file", &file.display().to_string()],
    )
    .await;
    let customer = created["id"].as_str().unwrap().to_owned();

    let accepted = cli(
        "emulator-user",
        &[
            "agreements",
            "accept",
            "--customer",
            &customer,
            "--email",
            "tania@example.com",
            "--first-name",
            "Tania",
            "--last-name",
            "Carr",
        ],
    )
    .await;
    assert_eq!(accepted["type"], "MicrosoftCustomerAgreement", "{accepted}");
    let listed = cli("emulator", &["agreements", "list", "--customer", &customer]).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let products = cli(
        "emulator",
        &["catalog", "products", "list", "--country", "US"],
    )
    .await;
    let product = products
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "CFQ7TTC0LH18")
        .unwrap_or_else(|| panic!("Business Basic is sold: {products}"));
    assert_eq!(product["title"], "Microsoft 365 Business Basic");
    let skus = cli(
        "emulator",
        &[
            "catalog",
            "skus",
            "list",
            "--country",
            "US",
            "--product",
            "CFQ7TTC0LH18",
        ],
    )
    .await;
    let sku = skus[0]["id"].as_str().unwrap().to_owned();
    let availabilities = cli(
        "emulator",
        &[
            "catalog",
            "availabilities",
            "list",
            "--country",
            "US",
            "--product",
            "CFQ7TTC0LH18",
            "--sku",
            &sku,
        ],
    )
    .await;
    assert!(
        availabilities[0]["catalogItemId"].is_string(),
        "{availabilities}"
    );

    let bought = cli(
        "emulator",
        &[
            "buy",
            "--customer",
            &customer,
            "--product",
            "CFQ7TTC0LH18",
            "--sku",
            &sku,
            "--term",
            "P1Y",
            "--billing",
            "annual",
            "--quantity",
            "3",
        ],
    )
    .await;
    let subscription = bought[0]["id"].as_str().unwrap().to_owned();
    let order = bought[0]["orderId"].as_str().unwrap().to_owned();

    let status = cli(
        "emulator-user",
        &[
            "orders",
            "status",
            "--customer",
            &customer,
            &order,
            "--wait",
            "--timeout",
            "30",
        ],
    )
    .await;
    assert_eq!(status[0]["status"], "fulfilled", "{status}");

    let listed = cli(
        "emulator",
        &["subscriptions", "list", "--customer", &customer],
    )
    .await;
    let mine = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == subscription.as_str())
        .unwrap();
    assert_eq!(
        (mine["quantity"].as_u64(), mine["termDuration"].as_str()),
        (Some(3), Some("P1Y"))
    );
    assert_eq!(mine["billingCycle"], "annual");

    let cancelled = cli(
        "emulator",
        &[
            "subscriptions",
            "cancel",
            "--customer",
            &customer,
            &subscription,
        ],
    )
    .await;
    assert_eq!(cancelled["status"], "deleted");
    assert_eq!(common::stop(child), 0);
}
