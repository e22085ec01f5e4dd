//! The catalog end to end: the facade and the CLI against the emulator, from a product to
//! the `catalogItemId` a cart buys, and the documented refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{api_code, app};

use partner_center::models::{BillingCycle, Product};
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_a_product_to_the_catalog_item_to_buy() {
    let emu = Emulator::builder().start().await.unwrap();
    let catalog = app(&emu).catalog("US");

    let products: Vec<Product> = catalog
        .products("OnlineServices")
        .try_collect()
        .await
        .unwrap();
    let basic = products
        .iter()
        .find(|p| p.id == "CFQ7TTC0LH18")
        .expect("Microsoft 365 Business Basic is listed");
    assert!(basic.is_new_commerce());
    assert!(
        products.iter().all(Product::is_new_commerce),
        "the OnlineServices view lists licence-based products only"
    );
    assert_eq!(catalog.product("CFQ7TTC0LH18").await.unwrap(), *basic);

    let skus: Vec<_> = catalog.skus(&basic.id).try_collect().await.unwrap();
    assert_eq!(skus.len(), 1);
    assert_eq!(
        skus[0].upgrade_targets(),
        ["CFQ7TTC0LDPB:0001", "CFQ7TTC0LCHC:0002"]
    );
    assert_eq!(catalog.sku(&basic.id, "0001").await.unwrap(), skus[0]);

    let offers: Vec<_> = catalog
        .availabilities(&basic.id, "0001")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        offers.len(),
        1,
        "nonprofit availabilities only when asked for"
    );
    let annual = offers[0]
        .term("P1Y", &BillingCycle::Annual)
        .expect("an annual term");
    assert!(annual.cancellation_policies.is_some());
    let item = offers[0].catalog_item_id.clone().unwrap();
    assert_eq!(item, format!("CFQ7TTC0LH18:0001:{}", offers[0].id));
    let again = catalog
        .availability(&basic.id, "0001", &offers[0].id)
        .await
        .unwrap();
    assert_eq!(again, offers[0]);

    let nonprofit: Vec<_> = app(&emu)
        .catalog("US")
        .segment("nonprofit")
        .availabilities(&basic.id, "0001")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(nonprofit.len(), 1);
    assert_eq!(nonprofit[0].segment.as_deref(), Some("nonprofit"));

    let nce: Vec<Product> = catalog.new_commerce_products().try_collect().await.unwrap();
    assert_eq!(
        nce.len(),
        5,
        "the five new-commerce products of data/catalog.json"
    );
    let azure: Vec<_> = catalog
        .products("AzureReservationsVM")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(azure.len(), 1);
    assert!(!azure[0].is_new_commerce());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_refusals() {
    let emu = Emulator::builder().start().await.unwrap();
    let catalog = app(&emu).catalog("US");
    let e = catalog.product("NOPE").await.unwrap_err();
    assert_eq!(api_code(&e), (404, "400013".to_owned()));
    let e = catalog.sku("CFQ7TTC0LH18", "9999").await.unwrap_err();
    assert_eq!(api_code(&e), (404, "400018".to_owned()));
    let e = catalog
        .availability("CFQ7TTC0LH18", "0001", "GONE")
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (404, "400019".to_owned()));
    assert!(e.to_string().contains("new GET"), "{e}");
    let e = catalog
        .products("NotAView")
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (403, "400036".to_owned()));
    let e = app(&emu)
        .catalog("US")
        .segment("pirates")
        .skus("CFQ7TTC0LH18")
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (403, "400030".to_owned()));
    let replaced: Vec<_> = app(&emu)
        .catalog("US")
        .segment("pirates")
        .segment("nonprofit")
        .availabilities("CFQ7TTC0LH18", "0001")
        .try_collect()
        .await
        .expect("a second segment replaces the first");
    assert_eq!(replaced[0].segment.as_deref(), Some("nonprofit"));
    let e = app(&emu)
        .rest_api()
        .list::<Product>("/products?country=US")
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(
        api_code(&e),
        (400, "800002".to_owned()),
        "targetView is required"
    );
    let e = app(&emu)
        .catalog("USA")
        .product("CFQ7TTC0LH18")
        .await
        .unwrap_err();
    assert_eq!(api_code(&e).0, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_lists_and_gets_with_the_documented_exit_codes() {
    let emu = Emulator::builder().start().await.unwrap();
    let vars = common::emulator_env(&emu);

    let run = common::run(
        &[
            "catalog",
            "products",
            "list",
            "--country",
            "US",
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let products = run.json();
    assert!(
        products
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "CFQ7TTC0LH18"),
        "{products}"
    );

    assert!(
        products
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["productType"]["id"] == "OnlineServicesNCE"),
        "the default view is the new-commerce products: {products}"
    );
    let run = common::run(
        &[
            "catalog",
            "products",
            "list",
            "--country",
            "US",
            "--view",
            "AzureReservationsVM",
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.json()[0]["id"], "DZH318Z0BQ3Q", "{}", run.stdout);

    let run = common::run(
        &[
            "catalog",
            "availabilities",
            "list",
            "--product",
            "CFQ7TTC0LH18",
            "--sku",
            "0001",
            "--country",
            "US",
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let item = run.json()[0]["catalogItemId"].as_str().unwrap().to_owned();
    assert!(item.starts_with("CFQ7TTC0LH18:0001:"), "{item}");

    let run = common::run(
        &[
            "catalog",
            "skus",
            "list",
            "--product",
            "CFQ7TTC0LH18",
            "--country",
            "US",
            "-o",
            "table",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("QUANTITY") && run.stdout.contains("1-300"),
        "{}",
        run.stdout
    );

    let run = common::run(
        &["catalog", "products", "get", "NOPE", "--country", "US"],
        &vars,
    )
    .await;
    assert_eq!(run.code, 4, "an API refusal exits 4: {}", run.stderr);
    assert!(run.stderr.contains("400013"), "{}", run.stderr);

    let run = common::run(&["catalog", "products", "list"], &vars).await;
    assert_eq!(
        run.code, 2,
        "a missing --country is a usage error: {}",
        run.stderr
    );
}
