//! Agreements end to end: the facade and the CLI against the emulator — the templates, a
//! customer's confirmation of the Customer Agreement (App+User only), the documented
//! refusals, and the state that persists and goes with its customer.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app, app_and_user};
use partner_center::models::{AgreementType, Contact, MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID};
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_accepts_the_customer_agreement() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "mca.onmicrosoft.com", false).await;

    let templates: Vec<_> = pc
        .agreement_templates(Some(&AgreementType::MicrosoftCustomerAgreement))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(templates.len(), 1);
    assert_eq!(
        templates[0].template_id,
        MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID
    );
    let every: Vec<_> = pc.agreement_templates(None).try_collect().await.unwrap();
    assert_eq!(every.len(), 2, "`*` lists every type");

    let agreements = pc.customer(&customer).agreements();
    let contact = Contact::new("Tania", "Carr", "tania@example.com");
    let confirmed = agreements
        .accept_customer_agreement(contact.clone(), "2024-05-01T00:00:00Z")
        .await
        .unwrap();
    assert_eq!(
        confirmed.agreement_type,
        Some(AgreementType::MicrosoftCustomerAgreement)
    );
    assert!(
        confirmed.user_id.as_deref().is_some_and(|u| !u.is_empty()),
        "the confirming user comes from the App+User token"
    );
    let listed: Vec<_> = agreements
        .list(Some(&AgreementType::MicrosoftCustomerAgreement))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed, [confirmed]);
    let cloud_only: Vec<_> = agreements
        .list(Some(&AgreementType::MicrosoftCloudAgreement))
        .try_collect()
        .await
        .unwrap();
    assert!(cloud_only.is_empty());

    let again = agreements
        .accept_customer_agreement(contact, "2024-05-02T00:00:00Z")
        .await
        .unwrap_err();
    assert_eq!(api_code(&again).1, "600061", "the same contact twice");
    let future = agreements
        .accept_customer_agreement(
            Contact::new("A", "B", "c@d.example"),
            "2999-01-01T00:00:00Z",
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&future), (400, "600002".to_owned()));

    // App-only credentials may read, but not confirm.
    let app_only = app(&emu).customer(&customer).agreements();
    let e = app_only
        .accept_customer_agreement(
            Contact::new("X", "Y", "x@y.example"),
            "2024-05-01T00:00:00Z",
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&e).0, 403);
    let read: Vec<_> = app_only.list(None).try_collect().await.unwrap();
    assert_eq!(read.len(), 1);

    // The agreement goes with its customer.
    pc.customers().delete(&customer).await.unwrap();
    let gone = app(&emu)
        .customer(&customer)
        .agreements()
        .list(None)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(api_code(&gone).0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_accepts_and_lists() {
    let emu = Emulator::builder().start().await.unwrap();
    let customer = a_customer(&app(&emu), "cli-mca.onmicrosoft.com", false).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.user]\ntenant = \"{}\"\nclient_id = \"{}\"\nauthority_host = \"{}\"\napi_url = \"{}\"\ningestion_url = \"{}\"\nclient_secret_env = \"PC_SECRET\"\nrefresh_token_env = \"PC_REFRESH\"\n",
            emu.tenant_id(),
            emu.client_id(),
            emu.authority_host(),
            emu.api_url(),
            emu.ingestion_url()
        ),
    )
    .unwrap();
    let user = vec![
        ("PARTNER_CENTER_CONFIG", config.display().to_string()),
        ("PARTNER_CENTER_PROFILE", "user".to_owned()),
        ("PC_SECRET", emu.client_secret().to_owned()),
        ("PC_REFRESH", emu.refresh_token().to_owned()),
    ];
    let run = common::run(
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
            "--phone",
            "1234567890",
            "-o",
            "json",
        ],
        &user,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["type"], "MicrosoftCustomerAgreement");
    assert_eq!(run.json()["primaryContact"]["phoneNumber"], "1234567890");

    let vars = common::emulator_env(&emu);
    let run = common::run(
        &["agreements", "list", "--customer", &customer, "-o", "json"],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json().as_array().unwrap().len(), 1);

    let run = common::run(
        &["agreements", "templates", "--kind", "all", "-o", "json"],
        &vars,
    )
    .await;
    assert_eq!(run.json().as_array().unwrap().len(), 2, "{}", run.stdout);

    let run = common::run(
        &[
            "agreements",
            "accept",
            "--customer",
            &customer,
            "--email",
            "x@y.example",
            "--first-name",
            "X",
            "--last-name",
            "Y",
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

    let run = common::run(
        &[
            "agreements",
            "accept",
            "--customer",
            &customer,
            "--email",
            "x@y.example",
            "--first-name",
            "X",
            "--last-name",
            "Y",
            "--date",
            "May 1st",
        ],
        &vars,
    )
    .await;
    assert_eq!(
        run.code, 2,
        "a malformed date is a usage error: {}",
        run.stderr
    );
}
