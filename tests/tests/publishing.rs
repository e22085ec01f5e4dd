//! The submission (ingestion) API end to end against the emulator: products across
//! pages, the documented publishing flow, and a certification failure whose validation
//! items reach the caller.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use std::time::Duration;

use futures_util::TryStreamExt;
use partner_center::auth::{ClientSecretCredential, CloudConfig, SecretString};
use partner_center::ingestion::{PublishError, WaitOptions};
use partner_center::models::ingestion::{Module, SubmissionSubstate};
use partner_center::{Error, PartnerCenter};
use partner_center_emulator::Emulator;
use serde_json::json;

mod common;

async fn setup(step_ms: u64) -> (Emulator, PartnerCenter) {
    let emu = Emulator::builder()
        .submission_step(Duration::from_millis(step_ms))
        .ingestion_page_size(3)
        .start()
        .await
        .unwrap();
    let pc = common::client(&emu, partner_center::RetryPolicy::default());
    (emu, pc)
}

fn fast() -> WaitOptions {
    WaitOptions::default()
        .intervals(Duration::from_millis(10), Duration::from_millis(40))
        .timeout(Duration::from_secs(20))
}

async fn new_product(pc: &PartnerCenter, name: &str) -> String {
    let p = pc
        .ingestion()
        .products()
        .create(&json!({"resourceType": "AzureApplication", "name": name, "externalIDs": [{"type": "AzureOfferId", "value": name}]}))
        .await
        .unwrap();
    p.id
}

#[tokio::test]
async fn products_are_listed_across_pages_with_next_links() {
    let (_emu, pc) = setup(50).await;
    for i in 0..8 {
        new_product(&pc, &format!("offer-{i}")).await;
    }
    let all: Vec<_> = pc
        .ingestion()
        .products()
        .list()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 8, "three pages of 3, 3 and 2");
    let dup = pc.ingestion().products().create(&json!({"resourceType": "AzureApplication", "name": "x", "externalIDs": [{"type": "AzureOfferId", "value": "offer-1"}]})).await;
    assert!(
        matches!(dup, Err(Error::Api { status: 409, .. })),
        "{dup:?}"
    );
}

#[tokio::test]
async fn the_publishing_flow_runs_end_to_end() {
    let (_emu, pc) = setup(30).await;
    let id = new_product(&pc, "contoso-app").await;
    let product = pc.ingestion().product(&id);

    // 1. Find the drafts through the branches.
    let drafts = product.drafts().await.unwrap();
    let listing_instance = drafts.instance(&Module::Listing).unwrap().to_owned();
    // 2. Update them (the listing, with its etag in If-Match).
    let mut listing = product
        .listings()
        .by_instance(&listing_instance)
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    listing.description = Some(
        "Contoso App turns spreadsheets into dashboards for every team, in minutes.".to_owned(),
    );
    let updated = product.listings().update(&listing).await.unwrap();
    assert_ne!(updated.etag, listing.etag);
    let stale = product.listings().update(&listing).await;
    assert!(
        matches!(stale, Err(Error::Api { status: 412, .. })),
        "a stale etag is refused"
    );
    // The properties and the availability the same way, and with no etag at all.
    let instance = drafts.instance(&Module::Property).unwrap();
    let mut property = product
        .properties()
        .by_instance(instance)
        .try_next()
        .await
        .unwrap()
        .unwrap();
    property.terms_of_use = Some("https://contoso.com/terms".to_owned());
    let updated = product.properties().update(&property).await.unwrap();
    assert_eq!(
        product.properties().get(&property.id).await.unwrap(),
        updated
    );
    let all: Vec<_> = product.properties().list().try_collect().await.unwrap();
    assert_eq!(all, vec![updated.clone()]);
    property.etag = None;
    assert!(matches!(
        product.properties().update(&property).await,
        Err(Error::Api { status: 412, .. })
    ));
    let instance = drafts.instance(&Module::Availability).unwrap();
    let mut availability = product
        .availabilities()
        .by_instance(instance)
        .try_next()
        .await
        .unwrap()
        .unwrap();
    availability.visibility = Some("Private".to_owned());
    let updated = product
        .availabilities()
        .update(&availability)
        .await
        .unwrap();
    assert_eq!(updated.visibility.as_deref(), Some("Private"));
    assert!(matches!(
        product.availabilities().update(&availability).await,
        Err(Error::Api { status: 412, .. })
    ));
    // 3. Submit to preview; 4. poll.
    let submission = product.submit(&drafts, "Preview").await.unwrap();
    let mut seen = Vec::new();
    let ready = product
        .wait(&submission.id, fast(), |s| {
            seen.push(s.substate.clone().unwrap());
        })
        .await
        .unwrap();
    assert_eq!(ready.substate, Some(SubmissionSubstate::ReadyToPublish));
    assert!(seen.contains(&SubmissionSubstate::Submitted), "{seen:?}");
    // Promote to live and poll again.
    let workflow = product.submissions().promote(&submission.id).await.unwrap();
    assert_eq!(workflow.target_environment.as_deref(), Some("Live"));
    assert!(!workflow.workflow_steps.is_empty(), "{workflow:?}");
    let live = product.wait(&submission.id, fast(), |_| {}).await.unwrap();
    assert_eq!(live.substate, Some(SubmissionSubstate::Published));
    let reports: Vec<_> = product
        .submissions()
        .reports(&submission.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        reports[0]
            .status
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("Passed")
    );
    let workflow: Vec<_> = product
        .submissions()
        .workflow_details(&submission.id)
        .try_collect()
        .await
        .unwrap();
    assert!(
        workflow[0]
            .workflow_steps
            .iter()
            .all(|s| s.state.as_deref() == Some("Completed"))
    );
}

#[tokio::test]
async fn a_certification_failure_reaches_the_caller_with_its_validation_items() {
    let (emu, pc) = setup(20).await;
    let id = new_product(&pc, "too-short").await;
    let product = pc.ingestion().product(&id);
    let drafts = product.drafts().await.unwrap();
    // The listing's description is empty: certification fails.
    let submission = product.submit(&drafts, "Preview").await.unwrap();
    let err = product
        .wait(&submission.id, fast(), |_| {})
        .await
        .unwrap_err();
    let PublishError::Failed {
        submission: failed,
        validations,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        failed.substate,
        Some(SubmissionSubstate::FailedInCertification)
    );
    assert_eq!(validations[0].error_code.as_deref(), Some("LST-0021"));
    assert!(err.to_string().contains("at least 50 characters"), "{err}");

    // Told to fail certification, the emulator fails even a good listing.
    emu.set_fail_certification(true);
    let other = new_product(&pc, "forced").await;
    let product = pc.ingestion().product(&other);
    let drafts = product.drafts().await.unwrap();
    let instance = drafts.instance(&Module::Listing).unwrap().to_owned();
    let mut listing = product
        .listings()
        .by_instance(&instance)
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    listing.description = Some("x".repeat(80));
    product.listings().update(&listing).await.unwrap();
    let s = product.submit(&drafts, "Preview").await.unwrap();
    let err = product.wait(&s.id, fast(), |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("CRT-9999"), "{err}");
}

#[tokio::test]
async fn the_ingestion_api_wants_its_own_audience() {
    let emu = Emulator::builder().start().await.unwrap();
    let cloud =
        CloudConfig::custom(emu.authority_host(), emu.api_url(), emu.ingestion_url()).unwrap();
    let cred = ClientSecretCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        SecretString::from(emu.client_secret().to_owned()),
    )
    .unwrap()
    .with_authority_host(cloud.authority_host.clone())
    .unwrap();
    // A REST API token on the ingestion API is refused.
    let token = partner_center::TokenCredential::get_token(
        &cred,
        "https://api.partnercenter.microsoft.com",
        &Default::default(),
    )
    .await
    .unwrap();
    let raw = partner_center::auth::ExposeSecret::expose_secret(token.secret()).to_owned();
    let status = reqwest::Client::new()
        .get(format!("{}/v1.0/ingestion/products", emu.ingestion_url()))
        .bearer_auth(raw)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 401);
}
