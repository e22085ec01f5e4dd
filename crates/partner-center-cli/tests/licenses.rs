//! Licences end to end: buy seats, see them as a subscribed SKU, assign one to a user (a
//! seat is used), run out (60012), remove (the seat is free again) — through the facade
//! and the CLI, against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app_and_user};
use partner_center::Purchase;
use partner_center::auth::SecretString;
use partner_center::models::{CustomerUser, LicenseGroupId, LicenseUpdate};
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_are_used_by_assignments_and_freed_by_removals() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let domain = "seats.onmicrosoft.com";
    let customer = a_customer(&pc, domain, true).await;
    let handle = pc.customer(&customer);
    handle
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 1))
        .await
        .unwrap();

    let skus: Vec<_> = handle
        .licenses()
        .subscribed_skus(&[])
        .try_collect()
        .await
        .unwrap();
    assert_eq!(skus.len(), 1, "{skus:?}");
    let sku = skus[0].product_sku.id.clone();
    assert_eq!((skus[0].total_units, skus[0].available_units), (1, 1));
    let minecraft: Vec<_> = handle
        .licenses()
        .subscribed_skus(&[LicenseGroupId::Group2])
        .try_collect()
        .await
        .unwrap();
    assert!(minecraft.is_empty(), "group 2 is Minecraft only");

    let users = handle.users();
    let mut ids = Vec::new();
    for name in ["ada", "bob"] {
        let user = CustomerUser::new(
            &format!("{name}@{domain}"),
            name,
            "Test",
            "US",
            SecretString::from("abCD123*".to_owned()),
        );
        ids.push(users.create(&user).await.unwrap().id);
    }
    let licenses = handle.licenses();
    let done = licenses
        .update(&ids[0], &LicenseUpdate::new(&[&sku], &[]))
        .await
        .unwrap();
    assert_eq!(done.license_warnings, Some(Vec::new()));
    let held: Vec<_> = licenses.of_user(&ids[0], &[]).try_collect().await.unwrap();
    assert_eq!(held[0].product_sku.id, sku);
    let skus: Vec<_> = licenses.subscribed_skus(&[]).try_collect().await.unwrap();
    assert_eq!((skus[0].consumed_units, skus[0].available_units), (1, 0));

    // No seat left: the documented 60012.
    let e = licenses
        .update(&ids[1], &LicenseUpdate::new(&[&sku], &[]))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "60012".to_owned()));
    let e = licenses
        .update(&ids[1], &LicenseUpdate::new(&["not-a-sku"], &[]))
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "3000".to_owned()));

    // Removing frees the seat for the other user.
    licenses
        .update(&ids[0], &LicenseUpdate::new(&[], &[&sku]))
        .await
        .unwrap();
    licenses
        .update(&ids[1], &LicenseUpdate::new(&[&sku], &[]))
        .await
        .unwrap();
    assert!(
        licenses
            .of_user(&ids[0], &[])
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_assigns_and_exhausting_the_seats_exits_4() {
    let emu = Emulator::builder()
        .approve_as("admin@emulator.onmicrosoft.com")
        .start()
        .await
        .unwrap();
    let domain = "cli-seats.onmicrosoft.com";
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, domain, true).await;
    pc.customer(&customer)
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 1))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for name in ["eve", "fay"] {
        let user = CustomerUser::new(
            &format!("{name}@{domain}"),
            name,
            "Test",
            "US",
            SecretString::from("abCD123*".to_owned()),
        );
        ids.push(
            pc.customer(&customer)
                .users()
                .create(&user)
                .await
                .unwrap()
                .id,
        );
    }
    let (_state, vars) = common::logged_in(&emu).await;

    let listed = common::run(
        &["licenses", "list", "--customer", &customer, "-o", "json"],
        &vars,
    )
    .await;
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let sku = listed.json()[0]["productSku"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ok = common::run(
        &[
            "licenses",
            "assign",
            "--customer",
            &customer,
            "--user",
            &ids[0],
            "--sku",
            &sku,
        ],
        &vars,
    )
    .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let mine = common::run(
        &[
            "licenses",
            "list",
            "--customer",
            &customer,
            "--user",
            &ids[0],
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(mine.json()[0]["productSku"]["id"], sku.as_str());
    let none_left = common::run(
        &[
            "licenses",
            "assign",
            "--customer",
            &customer,
            "--user",
            &ids[1],
            "--sku",
            &sku,
        ],
        &vars,
    )
    .await;
    assert_eq!(none_left.code, 4, "{}", none_left.stderr);
    assert!(none_left.stderr.contains("60012"), "{}", none_left.stderr);
    assert!(
        none_left.stderr.contains("run out of licenses"),
        "{}",
        none_left.stderr
    );
}
