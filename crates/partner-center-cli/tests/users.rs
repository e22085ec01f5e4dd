//! Users end to end: the facade and the CLI against the emulator — create, list, get,
//! update, reset the password, delete, see the deleted, restore; the documented refusals
//! (app-only 900329, unknown user 60002, a taken name 3000).
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app, app_and_user, emulator_env};
use partner_center::auth::SecretString;
use partner_center::models::{CustomerUser, UserState};
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

fn new_user(name: &str, domain: &str) -> CustomerUser {
    CustomerUser::new(
        &format!("{name}@{domain}"),
        "Ada",
        "Lovelace",
        "GB",
        SecretString::from("abCD123*".to_owned()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_life_through_the_facade() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let domain = "users.onmicrosoft.com";
    let customer = a_customer(&pc, domain, false).await;
    let users = pc.customer(&customer).users();

    let before: Vec<_> = users.list().try_collect().await.unwrap();
    assert_eq!(before.len(), 1, "the customer's admin: {before:?}");
    assert_eq!(
        before[0].user_principal_name.as_deref(),
        Some("admin@users.onmicrosoft.com")
    );

    let created = users.create(&new_user("ada", domain)).await.unwrap();
    assert_eq!(created.state, Some(UserState::Active));
    assert!(
        created
            .password_profile
            .as_ref()
            .unwrap()
            .password
            .is_some(),
        "the password comes back once"
    );
    let id = created.id.clone();
    let got = users.get(&id).await.unwrap();
    assert!(got.password_profile.is_none(), "and never again");
    assert_eq!(got.usage_location.as_deref(), Some("GB"));

    let mut changes = CustomerUser::default();
    changes.display_name = Some("Countess of Lovelace".to_owned());
    let updated = users.update(&id, &changes).await.unwrap();
    assert_eq!(
        updated.display_name.as_deref(),
        Some("Countess of Lovelace")
    );
    assert_eq!(updated.first_name.as_deref(), Some("Ada"), "the rest stays");

    let reset = users
        .reset_password(&id, SecretString::from("Renew456*".to_owned()), true)
        .await
        .unwrap();
    assert_eq!(
        reset.password_profile.unwrap().force_change_password,
        Some(true)
    );

    let taken = users.create(&new_user("ada", domain)).await.unwrap_err();
    assert_eq!(api_code(&taken), (400, "3000".to_owned()));
    let elsewhere = users
        .create(&new_user("bob", "other.example"))
        .await
        .unwrap_err();
    assert_eq!(api_code(&elsewhere), (400, "3000".to_owned()));

    users.delete(&id).await.unwrap();
    let active: Vec<_> = users.list().try_collect().await.unwrap();
    assert!(active.iter().all(|u| u.id != id));
    let deleted: Vec<_> = users.deleted().try_collect().await.unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].state, Some(UserState::Inactive));
    assert!(deleted[0].soft_deletion_time.is_some());
    let e = users
        .get("0f0f0f0f-0000-4000-8000-000000000000")
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (404, "60002".to_owned()));

    let restored = users.restore(&id).await.unwrap();
    assert_eq!(restored.state, Some(UserState::Active));
    assert_eq!(
        restored.display_name.as_deref(),
        Some("Countess of Lovelace")
    );
    assert!(
        users
            .deleted()
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .is_empty()
    );

    // App-only tokens are refused, with the service's code.
    let app_only = app(&emu);
    let e = app_only
        .customer(&customer)
        .users()
        .list()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (403, "900329".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_paged() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let domain = "many.onmicrosoft.com";
    let customer = a_customer(&pc, domain, false).await;
    let users = pc.customer(&customer).users();
    for i in 0..120 {
        users
            .create(&new_user(&format!("u{i}"), domain))
            .await
            .unwrap();
    }
    let all: Vec<_> = users.list().try_collect().await.unwrap();
    assert_eq!(all.len(), 121, "the admin and 120, across two pages of 100");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_creates_shows_the_password_once_and_deletes() {
    let emu = Emulator::builder()
        .approve_as("admin@emulator.onmicrosoft.com")
        .start()
        .await
        .unwrap();
    let domain = "cli-users.onmicrosoft.com";
    let customer = a_customer(&app_and_user(&emu), domain, false).await;
    let state = tempfile::tempdir().unwrap();
    let mut vars = emulator_env(&emu);
    vars.push(("XDG_STATE_HOME", state.path().display().to_string()));
    vars.push(("PARTNER_CENTER_LOGIN_STORE", "file".to_owned()));

    let refused = common::run(&["users", "list", "--customer", &customer], &vars).await;
    assert_eq!(refused.code, 4, "app-only: {}", refused.stderr);
    assert!(refused.stderr.contains("900329"), "{}", refused.stderr);
    let login = common::run(&["auth", "login", "--device-code"], &vars).await;
    assert_eq!(login.code, 0, "{}", login.stderr);

    let upn = format!("grace@{domain}");
    let created = common::run(
        &[
            "users",
            "create",
            "--customer",
            &customer,
            "--upn",
            &upn,
            "--first-name",
            "Grace",
            "--last-name",
            "Hopper",
            "-o",
            "table",
        ],
        &vars,
    )
    .await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(created.stdout.contains("shown once"), "{}", created.stdout);
    assert!(
        created.stdout.contains("Pc9!"),
        "a generated password: {}",
        created.stdout
    );

    let listed = common::run(
        &["users", "list", "--customer", &customer, "-o", "json"],
        &vars,
    )
    .await;
    let list = listed.json();
    let grace = list
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userPrincipalName"] == upn.as_str())
        .unwrap();
    assert!(grace.get("passwordProfile").is_none(), "{grace}");
    let id = grace["id"].as_str().unwrap().to_owned();

    let deleted = common::run(&["users", "delete", "--customer", &customer, &id], &vars).await;
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    let gone = common::run(
        &["users", "get", "--customer", &customer, &id, "-o", "json"],
        &vars,
    )
    .await;
    assert_eq!(gone.json()["state"], "inactive");
    let restored = common::run(
        &[
            "users",
            "restore",
            "--customer",
            &customer,
            &id,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(restored.json()["state"], "active");
    let missing = common::run(&["users", "get", "--customer", &customer, "nobody"], &vars).await;
    assert_eq!(missing.code, 4, "{}", missing.stderr);
}
