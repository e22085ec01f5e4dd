//! Directory roles end to end: list, a role's members, add and remove a member, through
//! the facade and the CLI against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app_and_user};
use partner_center::auth::SecretString;
use partner_center::models::CustomerUser;
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const GLOBAL: &str = "62e90394-69f5-4237-9190-012177145e10";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_joins_and_leaves_a_role() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let domain = "roles.onmicrosoft.com";
    let customer = a_customer(&pc, domain, false).await;
    let handle = pc.customer(&customer);
    let roles = handle.roles();

    let all: Vec<_> = roles.list().try_collect().await.unwrap();
    assert!(all.iter().any(|r| r.id == HELPDESK));
    let admins: Vec<_> = roles.members(GLOBAL).try_collect().await.unwrap();
    assert_eq!(
        admins[0].user_principal_name.as_deref(),
        Some("admin@roles.onmicrosoft.com"),
        "the admin is a Global Administrator"
    );

    let user = handle
        .users()
        .create(&CustomerUser::new(
            &format!("help@{domain}"),
            "Help",
            "Desk",
            "US",
            SecretString::from("abCD123*".to_owned()),
        ))
        .await
        .unwrap();
    let member = roles.add_member(HELPDESK, &user).await.unwrap();
    assert_eq!(member.role_id.as_deref(), Some(HELPDESK));
    let again = roles.add_member(HELPDESK, &user).await.unwrap_err();
    assert_eq!(api_code(&again), (400, "3000".to_owned()));
    let mine: Vec<_> = roles.of_user(&user.id).try_collect().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].name.as_deref(), Some("Helpdesk Administrator"));

    roles.remove_member(HELPDESK, &user.id).await.unwrap();
    assert!(
        roles
            .of_user(&user.id)
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
            .is_empty()
    );
    let gone = roles.remove_member(HELPDESK, &user.id).await.unwrap_err();
    assert_eq!(api_code(&gone), (404, "60002".to_owned()));
    let no_role = roles
        .members("not-a-role")
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(api_code(&no_role).0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_adds_and_removes_a_member() {
    let emu = Emulator::builder()
        .approve_as("admin@emulator.onmicrosoft.com")
        .start()
        .await
        .unwrap();
    let domain = "cli-roles.onmicrosoft.com";
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, domain, false).await;
    let user = pc
        .customer(&customer)
        .users()
        .create(&CustomerUser::new(
            &format!("ops@{domain}"),
            "Ops",
            "Person",
            "US",
            SecretString::from("abCD123*".to_owned()),
        ))
        .await
        .unwrap();
    let (_state, vars) = common::logged_in(&emu).await;

    let added = common::run(
        &[
            "roles",
            "add-member",
            "--customer",
            &customer,
            "--role",
            HELPDESK,
            "--user",
            &user.id,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert_eq!(added.json()["roleId"], HELPDESK);
    let members = common::run(
        &[
            "roles",
            "members",
            "--customer",
            &customer,
            "--role",
            HELPDESK,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(members.json()[0]["id"], user.id.as_str());
    let removed = common::run(
        &[
            "roles",
            "remove-member",
            "--customer",
            &customer,
            "--role",
            HELPDESK,
            "--user",
            &user.id,
        ],
        &vars,
    )
    .await;
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    let listed = common::run(
        &[
            "roles",
            "list",
            "--customer",
            &customer,
            "--user",
            &user.id,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(listed.json(), serde_json::json!([]));
}
