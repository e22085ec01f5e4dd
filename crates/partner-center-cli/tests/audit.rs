//! The audit trail end to end: every change the emulator makes is a record, read back by
//! date range and filter, page after page, through the facade and the CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app, app_and_user};
use partner_center::auth::SecretString;
use partner_center::models::{
    AuditFilter, AuditOperationType, AuditResourceType, CustomerUser, LicenseUpdate,
};
use partner_center::prelude::*;
use partner_center::{AuditQuery, Purchase};
use partner_center_emulator::Emulator;

fn today() -> String {
    humantime::format_rfc3339_seconds(partner_center::auth::Clock::now(
        &partner_center::auth::SystemClock,
    ))
    .to_string()
    .chars()
    .take(10)
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_recorded_and_read_back_by_filter() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let domain = "audited.onmicrosoft.com";
    let customer = a_customer(&pc, domain, true).await;
    let handle = pc.customer(&customer);
    handle
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 1))
        .await
        .unwrap();
    let user = CustomerUser::new(
        &format!("ada@{domain}"),
        "Ada",
        "Lovelace",
        "US",
        SecretString::from("abCD123*secret".to_owned()),
    );
    let ada = handle.users().create(&user).await.unwrap().id;
    let sku = handle
        .licenses()
        .subscribed_skus(&[])
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .product_sku
        .id;
    handle
        .licenses()
        .update(&ada, &LicenseUpdate::new(&[&sku], &[]))
        .await
        .unwrap();
    // A refused change is not a record.
    handle
        .licenses()
        .update(&ada, &LicenseUpdate::new(&["not-a-sku"], &[]))
        .await
        .unwrap_err();

    let all: Vec<_> = pc
        .audit_records()
        .list(
            &AuditQuery::between(today(), today())
                .filter(AuditFilter::CustomerId(customer.clone())),
        )
        .try_collect()
        .await
        .unwrap();
    let kinds: Vec<_> = all.iter().map(|r| r.operation_type.clone()).collect();
    assert_eq!(
        kinds,
        [
            AuditOperationType::AddCustomer,
            AuditOperationType::CreateAgreement,
            AuditOperationType::CreateOrder,
            AuditOperationType::CreateCustomerUser,
            AuditOperationType::UpdateCustomerUserLicenses,
        ],
        "{all:#?}"
    );
    assert!(
        all[2].data("OrderId").is_some(),
        "a checkout names its orders"
    );
    let licence = &all[4];
    assert_eq!(licence.resource_type, Some(AuditResourceType::License));
    assert_eq!(licence.data("CustomerUserId"), Some(ada.as_str()));
    assert_eq!(licence.data("AddedLicenseSkuId"), Some(sku.as_str()));
    assert_eq!(
        licence.user_principal_name.as_deref(),
        Some("admin@emulator.onmicrosoft.com"),
        "an App+User change names the user"
    );
    assert!(licence.customer_name.is_some());
    let created = &all[3];
    assert_eq!(created.data("CustomerUserId"), Some(ada.as_str()));
    let value = created.resource_new_value.as_deref().unwrap();
    assert!(value.contains(&format!("ada@{domain}")), "{value}");
    assert!(
        !value.to_ascii_lowercase().contains("password") && !value.contains("abCD123"),
        "the trail keeps no password: {value}"
    );

    let users_only: Vec<_> = pc
        .audit_records()
        .list(
            &AuditQuery::default()
                .filter(AuditFilter::ResourceType(AuditResourceType::CustomerUser)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users_only.len(), 1);
    let by_name: Vec<_> = pc
        .audit_records()
        .list(&AuditQuery::default().filter(AuditFilter::CompanyName("AUDITED".to_owned())))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_name.len(), all.len(), "a substring, case ignored");

    // App-only tokens read the trail too; too old a start is 400.
    let e = app(&emu)
        .audit_records()
        .list(&AuditQuery::between("2001-01-01", today()))
        .try_next()
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800002".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trail_pages_with_continuation_tokens() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "pages.onmicrosoft.com", false).await;
    let users = pc.customer(&customer).users();
    for i in 0..505 {
        let user = CustomerUser::new(
            &format!("u{i}@pages.onmicrosoft.com"),
            "U",
            "Ser",
            "US",
            SecretString::from("abCD123*".to_owned()),
        );
        users.create(&user).await.unwrap();
    }
    let all: Vec<_> = pc
        .audit_records()
        .list(
            &AuditQuery::default()
                .filter(AuditFilter::ResourceType(AuditResourceType::CustomerUser)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 505, "two pages, 500 and 5");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_lists_the_trail() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app(&emu);
    let customer = a_customer(&pc, "cli-audit.onmicrosoft.com", false).await;
    let vars = common::emulator_env(&emu);
    let today = today();
    let listed = common::run(
        &[
            "audit",
            "list",
            "--from",
            &today,
            "--to",
            &today,
            "--customer",
            &customer,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert_eq!(listed.json()[0]["operationType"], "add_customer");
    let table = common::run(
        &[
            "audit",
            "list",
            "--resource-type",
            "customer",
            "-o",
            "table",
        ],
        &vars,
    )
    .await;
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("add_customer"), "{}", table.stdout);
    assert!(table.stdout.contains("OPERATION"), "{}", table.stdout);

    let bad = common::run(&["audit", "list", "--from", "yesterday"], &vars).await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("YYYY-MM-DD"), "{}", bad.stderr);
    let both = common::run(
        &["audit", "list", "--customer", &customer, "--company", "x"],
        &vars,
    )
    .await;
    assert_eq!(both.code, 2, "one filter at most: {}", both.stderr);
}

/// A create retried after the connection dropped (the service had made it) is answered
/// from its MS-RequestId, and recorded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_create_is_recorded_once() {
    let emu = Emulator::builder().start().await.unwrap();
    emu.inject(
        "reset-after-commit,next=1,route=/v1/customers"
            .parse()
            .unwrap(),
    );
    let pc = app(&emu);
    let customer = a_customer(&pc, "once.onmicrosoft.com", false).await;
    let records: Vec<_> = pc
        .audit_records()
        .list(&AuditQuery::default().filter(AuditFilter::CustomerId(customer)))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(records.len(), 1, "{records:#?}");
    assert_eq!(records[0].operation_type, AuditOperationType::AddCustomer);
}
