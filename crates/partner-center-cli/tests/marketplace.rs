//! Offers as code on the Product Ingestion API, end to end: a SaaS offer applied from a
//! file, exported, changed, diffed, applied again, published to preview and live; the
//! job's errors naming resource and field; a retried configure making one product —
//! through the facade and the CLI, against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use std::time::Duration;

use common::app;
use partner_center::ingestion::WaitOptions;
use partner_center::models::product_ingestion::{
    ConfigureRequest, JobResult, OfferChange, Resource, TargetType,
};
use partner_center::prelude::*;
use partner_center_emulator::{Emulator, Fault};
use serde_json::{Value, json};

/// A SaaS offer with a plan, its listing and the plan's listing, as a user writes it.
fn saas_offer(alias: &str) -> Value {
    let s = |kind: &str, version: &str| {
        format!("https://product-ingestion.azureedge.net/schema/{kind}/{version}")
    };
    json!({
        "$schema": s("configure", "2022-03-01-preview2"),
        "resources": [
            {"$schema": s("product", "2022-03-01-preview3"), "resourceName": "contoso-saas",
             "identity": {"externalId": "contoso-saas"}, "type": "softwareAsAService", "alias": alias},
            {"$schema": s("plan", "2022-03-01-preview2"), "resourceName": "gold",
             "product": {"resourceName": "contoso-saas"}, "identity": {"externalId": "gold"},
             "alias": "Gold", "azureRegions": ["azureGlobal"]},
            {"$schema": "https://schema.mp.microsoft.com/schema/listing/2022-03-01-preview5",
             "product": {"resourceName": "contoso-saas"}, "kind": "azureSaaS", "languageId": "en-us",
             "title": "Contoso SaaS", "description": "Dashboards for every team."},
            {"$schema": "https://schema.mp.microsoft.com/schema/plan-listing/2022-03-01-preview5",
             "product": {"resourceName": "contoso-saas"}, "plan": {"resourceName": "gold"},
             "kind": "azureSaaS-plan", "languageId": "en-us", "name": "Gold"}
        ]
    })
}

fn quick() -> WaitOptions {
    WaitOptions::default().intervals(Duration::from_millis(20), Duration::from_millis(100))
}

fn emulator() -> partner_center_emulator::EmulatorBuilder {
    Emulator::builder().submission_step(Duration::from_millis(40))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_is_applied_exported_changed_and_published() {
    let emu = emulator().start().await.unwrap();
    let offers = app(&emu).product_ingestion();
    let file: ConfigureRequest = serde_json::from_value(saas_offer("Contoso SaaS")).unwrap();
    let job = offers
        .apply(&file)
        .await
        .unwrap()
        .expect("a new product is a change");
    let done = offers.wait(&job.job_id, quick(), |_| {}).await.unwrap();
    assert_eq!(done.job_result, JobResult::Succeeded);
    let detail = offers.detail(&done.job_id).await.unwrap();
    assert_eq!(detail.resources.len(), 4);
    let id = offers.find_product("contoso-saas").await.unwrap().unwrap();
    assert_eq!(detail.resources[0].id(), Some(id.as_str()));

    // Exported, it applies as a no-op.
    let exported = offers.export(&id, TargetType::Draft).await.unwrap();
    assert_eq!(offers.diff(&exported).await.unwrap(), []);
    assert!(offers.apply(&exported).await.unwrap().is_none());
    assert!(
        offers.apply(&file).await.unwrap().is_none(),
        "the original file too"
    );

    // One change in the file: the diff is exactly that, and applying it changes it.
    let mut edited = serde_json::to_value(&exported).unwrap();
    let listing = edited["resources"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["$schema"].as_str().unwrap().contains("/listing/"))
        .unwrap();
    listing["title"] = Value::from("Contoso SaaS, now faster");
    let edited: ConfigureRequest = serde_json::from_value(edited).unwrap();
    let changes = offers.diff(&edited).await.unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    let OfferChange::Changed { key, fields } = &changes[0] else {
        panic!("{changes:?}");
    };
    assert_eq!(key, "listing en-us");
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].0, "title");
    let job = offers.apply(&edited).await.unwrap().unwrap();
    offers.wait(&job.job_id, quick(), |_| {}).await.unwrap();
    assert_eq!(offers.diff(&edited).await.unwrap(), []);
    let products: Vec<_> = offers.products().try_collect().await.unwrap();
    assert_eq!(products.len(), 1, "changed in place, not created again");

    // Live before preview is refused; preview, then live.
    let e = offers.publish(&id, TargetType::Live).await.unwrap_err();
    assert!(e.to_string().contains("publish it to preview first"), "{e}");
    let job = offers.publish(&id, TargetType::Preview).await.unwrap();
    offers.wait(&job.job_id, quick(), |_| {}).await.unwrap();
    let preview = offers
        .resource_tree(&id, TargetType::Preview)
        .await
        .unwrap();
    let title = preview
        .resources
        .iter()
        .find_map(|r| match r {
            Resource::Listing(l) => l.title.clone(),
            _ => None,
        })
        .unwrap();
    assert_eq!(title, "Contoso SaaS, now faster");
    let job = offers.publish(&id, TargetType::Live).await.unwrap();
    offers.wait(&job.job_id, quick(), |_| {}).await.unwrap();
    let submissions: Vec<_> = offers.submissions(&id).try_collect().await.unwrap();
    assert_eq!(submissions.len(), 3, "draft, preview, live");
    assert_eq!(
        submissions[1].id(),
        submissions[2].id(),
        "live is the preview submission"
    );
    assert!(offers.resource_tree(&id, TargetType::Live).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_job_names_the_resource_and_the_field() {
    let emu = emulator().start().await.unwrap();
    let offers = app(&emu).product_ingestion();
    let mut bad = saas_offer("Contoso SaaS");
    bad["resources"][1].as_object_mut().unwrap().remove("alias");
    let bad: ConfigureRequest = serde_json::from_value(bad).unwrap();
    let job = offers.configure(&bad).await.unwrap();
    let e = offers.wait(&job.job_id, quick(), |_| {}).await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("resource gold: alias"), "{text}");
    assert!(text.contains("schemaValidationError"), "{text}");
    assert!(
        offers.find_product("contoso-saas").await.unwrap().is_none(),
        "all or nothing: the product was not written either"
    );
    // Not a configure payload at all: 400 at once.
    let e = app(&emu)
        .product_ingestion_api()
        .post::<_, Value>("/configure", &json!({"resources": []}))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_configure_makes_one_product() {
    let emu = emulator().start().await.unwrap();
    emu.inject(
        "reset-after-commit,next=1,route=/rp/product-ingestion/configure"
            .parse::<Fault>()
            .unwrap(),
    );
    let offers = app(&emu).product_ingestion();
    let file: ConfigureRequest = serde_json::from_value(saas_offer("Contoso SaaS")).unwrap();
    let job = offers.configure(&file).await.unwrap();
    offers.wait(&job.job_id, quick(), |_| {}).await.unwrap();
    let products: Vec<_> = offers.products().try_collect().await.unwrap();
    assert_eq!(products.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_applies_exports_diffs_and_publishes() {
    let emu = emulator().start().await.unwrap();
    let vars = common::emulator_env(&emu);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("offer.json");
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&saas_offer("Contoso SaaS")).unwrap(),
    )
    .unwrap();
    let path = file.to_str().unwrap();

    let applied = common::run(
        &["marketplace", "apply", path, "--wait", "-o", "table"],
        &vars,
    )
    .await;
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    assert!(applied.stdout.contains("succeeded"), "{}", applied.stdout);
    let exported = common::run(&["marketplace", "export", "contoso-saas"], &vars).await;
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let export_file = dir.path().join("exported.json");
    std::fs::write(&export_file, &exported.stdout).unwrap();
    let export_path = export_file.to_str().unwrap();
    let same = common::run(&["marketplace", "diff", export_path, "-o", "table"], &vars).await;
    assert_eq!(
        (same.code, same.stdout.as_str()),
        (0, ""),
        "{}",
        same.stderr
    );

    let changed = exported.stdout.replace(
        "\"title\": \"Contoso SaaS\"",
        "\"title\": \"Contoso SaaS 2\"",
    );
    assert_ne!(changed, exported.stdout);
    std::fs::write(&export_file, changed).unwrap();
    let diff = common::run(&["marketplace", "diff", export_path, "-o", "table"], &vars).await;
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert_eq!(
        diff.stdout.trim_end(),
        "~ listing en-us\n    title: \"Contoso SaaS\" → \"Contoso SaaS 2\""
    );
    let applied = common::run(&["marketplace", "apply", export_path, "--wait"], &vars).await;
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    let again = common::run(&["marketplace", "apply", export_path, "-o", "table"], &vars).await;
    assert!(again.stdout.contains("no changes"), "{}", again.stdout);
    let published = common::run(
        &[
            "marketplace",
            "publish",
            "contoso-saas",
            "--target",
            "preview",
            "--wait",
            "-o",
            "table",
        ],
        &vars,
    )
    .await;
    assert_eq!(published.code, 0, "{}", published.stderr);
    let listed = common::run(&["marketplace", "products", "list", "-o", "table"], &vars).await;
    assert!(listed.stdout.contains("contoso-saas"), "{}", listed.stdout);

    // An invalid payload: exit 4, the resource and the field named.
    let mut invalid = saas_offer("Contoso SaaS");
    invalid["resources"][0]["identity"]["externalId"] = Value::from("other-offer");
    invalid["resources"][1]
        .as_object_mut()
        .unwrap()
        .remove("alias");
    std::fs::write(&file, invalid.to_string()).unwrap();
    let failed = common::run(&["marketplace", "apply", path, "--wait"], &vars).await;
    assert_eq!(failed.code, 4, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("resource gold: alias"),
        "{}",
        failed.stderr
    );
    let not_json = common::run(&["marketplace", "diff", "/nonexistent/offer.json"], &vars).await;
    assert_eq!(not_json.code, 2, "{}", not_json.stderr);
}

/// A job that does not finish in time: the wait gives up (exit 5), telling how to read
/// it later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_is_bounded() {
    let emu = Emulator::builder()
        .submission_step(Duration::from_secs(600))
        .start()
        .await
        .unwrap();
    let vars = common::emulator_env(&emu);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("offer.json");
    std::fs::write(&file, saas_offer("Contoso SaaS").to_string()).unwrap();
    let run = common::run(
        &[
            "marketplace",
            "apply",
            file.to_str().unwrap(),
            "--wait",
            "--timeout",
            "2",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("read it later"), "{}", run.stderr);
}
