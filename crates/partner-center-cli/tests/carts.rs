//! Carts end to end: the facade and the CLI against the emulator — from a catalog item to
//! a checked-out cart and its subscription, and the documented refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app_and_user};
use partner_center::PartnerCenter;
use partner_center::models::{BillingCycle, Cart, CartLineItem, CartStatus, SubscriptionStatus};
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

/// The catalog item of Microsoft 365 Business Basic's commercial availability.
async fn business_basic(pc: &PartnerCenter) -> String {
    let offers: Vec<_> = pc
        .catalog("US")
        .availabilities("CFQ7TTC0LH18", "0001")
        .try_collect()
        .await
        .unwrap();
    offers[0].catalog_item_id.clone().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_a_cart_to_a_subscription() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "cart.onmicrosoft.com", true).await;
    let item = business_basic(&pc).await;
    let carts = pc.customer(&customer).carts();

    let line = CartLineItem::new(&item, 3, "P1Y", BillingCycle::Annual);
    let created = carts.create(&Cart::new(vec![line])).await.unwrap();
    assert_eq!(created.status, Some(CartStatus::Active));
    assert!(created.expiration_timestamp.is_some());
    assert_eq!(created.errors().count(), 0, "{created:?}");
    let priced = &created.line_items[0];
    assert_eq!(priced.currency_code.as_deref(), Some("USD"));
    assert_eq!(priced.order_group.as_deref(), Some("0"));
    let id = created.id.clone().unwrap();
    assert_eq!(carts.get(&id).await.unwrap(), created);

    let mut more = created.clone();
    more.line_items[0].quantity = 4;
    let updated = carts.update(&more).await.unwrap();
    assert_eq!(updated.line_items[0].quantity, 4);

    let result = carts.checkout(&id).await.unwrap();
    assert_eq!(result.orders.len(), 1);
    assert!(result.errors().is_empty());
    let subscription_id = result.orders[0].line_items[0]
        .subscription_id
        .clone()
        .unwrap();
    let subscription = pc
        .customer(&customer)
        .subscriptions()
        .get(&subscription_id)
        .await
        .unwrap();
    assert_eq!(subscription.quantity, 4);
    assert_eq!(subscription.offer_id.as_deref(), Some(item.as_str()));
    assert_eq!(subscription.term_duration.as_deref(), Some("P1Y"));
    assert_eq!(subscription.status, Some(SubscriptionStatus::Active));

    let again = carts.checkout(&id).await.unwrap();
    assert_eq!(
        again, result,
        "a repeated checkout answers the first result"
    );
    assert_eq!(
        pc.customer(&customer)
            .subscriptions()
            .list()
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .len(),
        1,
        "and buys nothing twice"
    );
    assert_eq!(
        carts.get(&id).await.unwrap().status,
        Some(CartStatus::Ordered)
    );
    let e = carts.update(&more).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "800065".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_refusals() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let item = business_basic(&pc).await;

    let no_mca = a_customer(&pc, "nomca.onmicrosoft.com", false).await;
    let carts = pc.customer(&no_mca).carts();
    let cart = carts
        .create(&Cart::new(vec![CartLineItem::new(
            &item,
            1,
            "P1M",
            BillingCycle::Monthly,
        )]))
        .await
        .unwrap();
    let e = carts
        .checkout(cart.id.as_deref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        api_code(&e),
        (403, "13605".to_owned()),
        "no Customer Agreement"
    );

    let customer = a_customer(&pc, "refusals.onmicrosoft.com", true).await;
    let carts = pc.customer(&customer).carts();
    let bad = carts
        .create(&Cart::new(vec![
            CartLineItem::new("NOPE:0001:NOPE", 1, "P1M", BillingCycle::Monthly),
            CartLineItem::new(&item, 30, "P1M", BillingCycle::Monthly),
            CartLineItem::new(&item, 1, "P3Y", BillingCycle::Monthly),
        ]))
        .await
        .unwrap();
    let codes: Vec<i64> = bad
        .errors()
        .map(|(_, e)| e.error_code.as_ref().unwrap().as_i64().unwrap())
        .collect();
    assert_eq!(
        codes,
        [10001, 10009, 10010],
        "unknown item, sandbox seats, unsold term"
    );
    let e = carts
        .checkout(bad.id.as_deref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800009".to_owned()));

    let e = carts.checkout("no-such-cart").await.unwrap_err();
    assert_eq!(api_code(&e), (404, "800008".to_owned()));
    let other = pc.customer(&no_mca).carts();
    let e = other
        .checkout(bad.id.as_deref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        api_code(&e).0,
        404,
        "a cart is checked out only by its customer"
    );
    let mut emptied = bad.clone();
    emptied.line_items.clear();
    let e = carts.update(&emptied).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "800002".to_owned()));
    let unsaved = Cart::new(vec![CartLineItem::new(
        &item,
        1,
        "P1M",
        BillingCycle::Monthly,
    )]);
    assert!(
        matches!(
            carts.update(&unsaved).await,
            Err(partner_center::Error::Config(_))
        ),
        "a cart without an id is a usage error, before any request"
    );

    // The sandbox's five subscriptions per customer.
    let many = Cart::new(
        (0..6)
            .map(|_| CartLineItem::new(&item, 1, "P1M", BillingCycle::Monthly))
            .collect(),
    );
    let cart = carts.create(&many).await.unwrap();
    let e = carts
        .checkout(cart.id.as_deref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800018".to_owned()));

    // Carts go with their customer.
    pc.customers().delete(&customer).await.unwrap();
    let e = carts.get(cart.id.as_deref().unwrap()).await.unwrap_err();
    assert_eq!(api_code(&e).0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_creates_gets_and_checks_out() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "cli-cart.onmicrosoft.com", true).await;
    let item = business_basic(&pc).await;
    let vars = common::emulator_env(&emu);

    let run = common::run(
        &[
            "carts",
            "create",
            "--customer",
            &customer,
            "--catalog-item",
            &item,
            "--quantity",
            "2",
            "--term",
            "P1Y",
            "--billing",
            "annual",
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cart = run.json();
    assert_eq!(cart["lineItems"][0]["termDuration"], "P1Y");
    let id = cart["id"].as_str().unwrap().to_owned();

    let run = common::run(
        &[
            "carts",
            "checkout",
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
    assert!(run.json()["orders"][0]["lineItems"][0]["subscriptionId"].is_string());

    let run = common::run(&["carts", "get", "--customer", &customer, &id], &vars).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Ordered"), "{}", run.stdout);

    let run = common::run(
        &["carts", "checkout", "--customer", &customer, "nope"],
        &vars,
    )
    .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("800008"), "{}", run.stderr);
}

/// A new-commerce add-on (Teams Rooms Pro, whose SKU lists Office 365 E3 in
/// `prerequisiteSkus`) is bought beside its base or for an existing one, never alone; it
/// is then listed among its base's add-ons.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_add_on_needs_its_base() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "addons.onmicrosoft.com", true).await;
    let item = |product: &'static str| {
        let pc = pc.clone();
        async move {
            let all: Vec<_> = pc
                .catalog("US")
                .availabilities(product, "0001")
                .try_collect()
                .await
                .unwrap();
            all[0].catalog_item_id.clone().unwrap()
        }
    };
    let rooms = item("CFQ7TTC0LHSF").await;
    let e3 = item("CFQ7TTC0LF8Q").await;
    let skus: Vec<_> = pc
        .catalog("US")
        .skus("CFQ7TTC0LHSF")
        .try_collect()
        .await
        .unwrap();
    assert!(skus[0].is_add_on());
    assert_eq!(skus[0].prerequisite_skus(), vec!["CFQ7TTC0LF8Q:0001"]);
    let carts = pc.customer(&customer).carts();
    let line = |item: &str| CartLineItem::new(item, 1, "P1M", BillingCycle::Monthly);

    // Alone: the line is marked, and checking it out is refused.
    let alone = carts.create(&Cart::new(vec![line(&rooms)])).await.unwrap();
    let error = alone.line_items[0].error.as_ref().unwrap();
    assert_eq!(error.code().as_deref(), Some("10006"), "{error:?}");
    let id = alone.id.clone().unwrap();
    let e = carts.checkout(&id).await.unwrap_err();
    assert_eq!(api_code(&e), (400, "800009".to_owned()));

    // Beside its base in one cart: both are bought, the add-on under the base.
    let both = carts
        .create(&Cart::new(vec![line(&e3), line(&rooms)]))
        .await
        .unwrap();
    assert!(
        both.line_items.iter().all(|l| l.error.is_none()),
        "{both:?}"
    );
    let result = carts.checkout(both.id.as_deref().unwrap()).await.unwrap();
    let bought: Vec<String> = result.orders[0]
        .line_items
        .iter()
        .map(|l| l.subscription_id.clone().unwrap())
        .collect();
    let subscriptions = pc.customer(&customer).subscriptions();
    let add_on = subscriptions.get(&bought[1]).await.unwrap();
    assert_eq!(
        add_on.parent_subscription_id.as_deref(),
        Some(bought[0].as_str())
    );
    let listed: Vec<_> = subscriptions
        .add_ons(&bought[0])
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, bought[1]);

    // For the existing base: the one-call purchase works alone now.
    let more = pc
        .customer(&customer)
        .buy(&partner_center::Purchase::new("CFQ7TTC0LHSF", "0001", 1))
        .await
        .unwrap();
    assert_eq!(
        more[0].parent_subscription_id.as_deref(),
        Some(bought[0].as_str())
    );

    let vars = common::emulator_env(&emu);
    let run = common::run(
        &[
            "subscriptions",
            "addons",
            "--customer",
            &customer,
            &bought[0],
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json().as_array().unwrap().len(), 2);
}
