//! Faults and load against the emulator: no order lost or doubled under injected faults,
//! token expiry during long paging, a throttled token endpoint under a thousand callers,
//! clock skew, and bad input that must give clear errors, never panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use partner_center::auth::{
    ClientSecretCredential, Clock, EndpointVersion, ManualClock, RefreshPolicy, SecretString,
    TokenCache, TokenCredential,
};
use partner_center::{Error, RetryPolicy};
use partner_center_emulator::{AccountKind, Emulator, Fault};
use serde_json::json;

mod common;
use common::{client, cloud, credential_with};

const PC: &str = "https://api.partnercenter.microsoft.com";

/// The faults the load tests run under: 20% of the customer-scoped requests meet one (429,
/// 503, dropped connections, connections dropped after the server committed, and client
/// timeouts after the server committed).
const LOAD_FAULTS: &[&str] = &[
    "429,rate=0.05,route=/v1/customers/,retry_after=0",
    "503,rate=0.05,route=/v1/customers/,retry_after=0",
    "reset,rate=0.05,route=/v1/customers/",
    "reset-after-commit,rate=0.025,route=/v1/customers/",
    "slow-after-commit,rate=0.025,ms=800,route=/v1/customers/",
];

/// The load tests' retries: eight quick attempts of `attempt_timeout` each, an unlimited
/// budget. 400 ms for the load itself; the final listings read patiently (30 s), since a
/// listing of thousands outlasts 400 ms on a debug build.
fn load_policy(attempt_timeout: Duration) -> RetryPolicy {
    let mut policy = RetryPolicy::default()
        .max_attempts(8)
        .backoff(Duration::from_millis(1), Duration::from_millis(4))
        .attempt_timeout(attempt_timeout);
    policy.budget_capacity = 1_000_000;
    policy
}

/// How many times each tag occurs.
fn tally(tags: impl IntoIterator<Item = String>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for tag in tags {
        *counts.entry(tag).or_default() += 1;
    }
    counts
}

fn customer(domain: &str) -> serde_json::Value {
    json!({"companyProfile": {"domain": domain}, "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en",
        "companyName": domain, "defaultAddress": {"country": "US", "city": "X", "addressLine1": "1", "postalCode": "1", "firstName": "A", "lastName": "B"}}})
}

/// 10,000 order creations with 20% injected faults (429, 503, dropped connections,
/// connections dropped after the server committed, and client timeouts after the server
/// committed): each create succeeds or fails with a
/// clear error, and the emulator holds exactly one order per successful logical create and
/// never two for any.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_creates_under_faults_are_neither_lost_nor_doubled() {
    const CREATES: usize = 10_000;
    let emu = Emulator::builder()
        .account(AccountKind::Primary)
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    for spec in LOAD_FAULTS {
        emu.inject(spec.parse::<Fault>().unwrap());
    }
    let pc = client(&emu, load_policy(Duration::from_millis(400)));
    let c = loop {
        // The create itself may meet a fault: it is retried like any other.
        if let Ok(c) = pc.customers().create(&customer("load")).await {
            break c;
        }
    };
    let offer = "031C9E47-4802-4248-838E-778FB1D2CC05";
    let results: Vec<(usize, Result<String, Error>)> = futures_util::stream::iter(0..CREATES)
        .map(|n| {
            let pc = pc.clone();
            let id = c.id.clone();
            async move {
                let body = json!({"lineItems": [{"lineItemNumber": 0, "offerId": offer, "quantity": 1, "friendlyName": format!("create-{n}")}]});
                (n, pc.customer(&id).orders().create(&body).await.map(|o| o.id))
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let failures: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    for (_, r) in &failures {
        let e = r.as_ref().unwrap_err();
        assert!(
            matches!(e, Error::Transient { .. }),
            "a clear, typed error: {e:?}"
        );
        assert!(e.request_id().is_some());
    }
    assert!(
        failures.len() < CREATES / 100,
        "retries absorb almost every fault ({} failed)",
        failures.len()
    );

    // Count the orders the emulator holds per logical create (tagged by friendly name).
    // One listing of 10,000 orders (with their documented links) outlasts the creates'
    // 400 ms attempt timeout on a debug build: the check reads with a patient client.
    let orders: Vec<_> = client(&emu, load_policy(Duration::from_secs(30)))
        .customer(&c.id)
        .orders()
        .list()
        .try_collect()
        .await
        .unwrap();
    let per_create = tally(
        orders
            .iter()
            .map(|o| o.line_items[0].friendly_name.clone().unwrap_or_default()),
    );
    assert!(per_create.values().all(|n| *n == 1), "an order was doubled");
    for (n, r) in &results {
        if r.is_ok() {
            assert_eq!(
                per_create.get(&format!("create-{n}")),
                Some(&1),
                "create-{n} succeeded but its order is missing"
            );
        }
    }
}

/// The token expires (and is refreshed) in the middle of a long paging run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_expiry_during_a_long_paging_run() {
    let emu = Emulator::builder()
        .token_lifetime(Duration::from_secs(2))
        .seed_customers(300)
        .page_size(10)
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    let pc = client(&emu, RetryPolicy::default());
    let mut stream = pc.customers().list_with_page_size(10);
    let mut n = 0;
    while let Some(c) = stream.next().await {
        c.unwrap();
        n += 1;
        if n % 10 == 0 {
            tokio::time::sleep(Duration::from_millis(100)).await; // 30 pages × 100 ms outlive the 2 s token
        }
    }
    assert_eq!(n, 300);
    assert!(
        emu.token_requests() >= 2,
        "the token was refreshed during the run ({} requests)",
        emu.token_requests()
    );
}

/// The token endpoint throttles while a thousand callers wait: one request is made, and
/// every caller gets the remembered 429 with its Retry-After instead of hammering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_token_endpoint_under_a_thousand_callers() {
    let emu = Emulator::builder()
        .fault(
            "429,next=1,route=/,retry_after=30"
                .parse::<Fault>()
                .unwrap(),
        )
        .start()
        .await
        .unwrap();
    let cred = credential_with(&emu, Arc::new(TokenCache::new()));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let cred = cred.clone();
            tokio::spawn(async move { cred.get_token(PC, &Default::default()).await })
        })
        .collect();
    for t in tasks {
        let err = t.await.unwrap().unwrap_err();
        assert!(err.is_retryable());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    }
    assert_eq!(
        emu.token_requests(),
        0,
        "the fault answered before the endpoint: the emulator counted no token request"
    );
}

/// The client's clock is two hours ahead of the emulator's: tokens are still cached, since
/// their lifetime is read from the relative `expires_in`.
#[tokio::test]
async fn clock_skew_between_client_and_emulator() {
    let emu = Emulator::builder().start().await.unwrap();
    let clock = Arc::new(ManualClock::new());
    clock.advance(Duration::from_secs(2 * 3600));
    let cache = Arc::new(TokenCache::with_clock(
        clock.clone(),
        RefreshPolicy::default(),
    ));
    for version in [EndpointVersion::V1, EndpointVersion::V2] {
        let cred = ClientSecretCredential::new(
            emu.tenant_id(),
            emu.client_id(),
            SecretString::from(emu.client_secret().to_owned()),
        )
        .unwrap()
        .with_authority_host(cloud(&emu).authority_host)
        .unwrap()
        .with_endpoint_version(version)
        .with_cache(cache.clone());
        let first = cred.get_token(PC, &Default::default()).await.unwrap();
        assert!(!first.is_expired_at(clock.now()));
        for _ in 0..10 {
            assert!(
                cred.get_token(PC, &Default::default())
                    .await
                    .unwrap()
                    .same_as(&first)
            );
        }
        cache.clear();
    }
    assert_eq!(
        emu.token_requests(),
        2,
        "one token per endpoint version, despite the skew"
    );
}

/// 2,000 new-commerce checkouts under the same faults as the order creates: each cart is
/// created and checked out with retries, and the emulator holds exactly one subscription
/// per successful checkout and never two for any cart (a retried checkout, replayed by its
/// request id or answered from the cart's first result, buys once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_checkouts_under_faults_buy_exactly_once() {
    use partner_center::models::{BillingCycle, Cart, CartLineItem, Contact};

    const CHECKOUTS: usize = 2_000;
    let emu = Emulator::builder()
        .account(AccountKind::Primary)
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    // The Customer Agreement needs App+User credentials; the load runs app-only.
    let user = partner_center::auth::RefreshTokenCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        Some(SecretString::from(emu.client_secret().to_owned())),
        SecretString::from(emu.refresh_token().to_owned()),
    )
    .unwrap()
    .with_authority_host(cloud(&emu).authority_host)
    .unwrap();
    let admin = partner_center::PartnerCenter::builder()
        .credential(user)
        .cloud(cloud(&emu))
        .rate_limit(None)
        .build()
        .unwrap();
    let c = admin
        .customers()
        .create(&customer("checkouts"))
        .await
        .unwrap();
    admin
        .customer(&c.id)
        .agreements()
        .accept_customer_agreement(
            Contact::new("Tania", "Carr", "tania@example.com"),
            "2024-05-01T00:00:00Z",
        )
        .await
        .unwrap();
    let offers: Vec<_> = admin
        .catalog("US")
        .availabilities("CFQ7TTC0LH18", "0001")
        .try_collect()
        .await
        .unwrap();
    let item = offers[0].catalog_item_id.clone().unwrap();
    for spec in LOAD_FAULTS {
        emu.inject(spec.parse::<Fault>().unwrap());
    }
    let pc = client(&emu, load_policy(Duration::from_millis(400)));
    let results: Vec<(usize, Result<usize, Error>)> = futures_util::stream::iter(0..CHECKOUTS)
        .map(|n| {
            let carts = pc.customer(&c.id).carts();
            let item = item.clone();
            async move {
                let mut line = CartLineItem::new(&item, 1, "P1M", BillingCycle::Monthly);
                line.friendly_name = Some(format!("checkout-{n}"));
                let bought = async {
                    let cart = carts.create(&Cart::new(vec![line])).await?;
                    let id = cart.id.unwrap_or_default();
                    let result = carts.checkout(&id).await?;
                    Ok::<_, Error>(result.orders.len())
                }
                .await;
                (n, bought)
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let failures: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    for (_, r) in &failures {
        let e = r.as_ref().unwrap_err();
        assert!(
            matches!(e, Error::Transient { .. }),
            "a clear, typed error: {e:?}"
        );
    }
    assert!(
        failures.len() < CHECKOUTS / 50,
        "retries absorb almost every fault ({} failed)",
        failures.len()
    );
    assert!(
        results
            .iter()
            .all(|(_, r)| r.as_ref().map_or(true, |n| *n == 1))
    );

    let subscriptions: Vec<_> = client(&emu, load_policy(Duration::from_secs(30)))
        .customer(&c.id)
        .subscriptions()
        .list()
        .try_collect()
        .await
        .unwrap();
    let per_checkout = tally(
        subscriptions
            .iter()
            .map(|s| s.friendly_name.clone().unwrap_or_default()),
    );
    assert!(
        per_checkout.values().all(|n| *n == 1),
        "a checkout bought twice"
    );
    for (n, r) in &results {
        if r.is_ok() {
            assert_eq!(
                per_checkout.get(&format!("checkout-{n}")),
                Some(&1),
                "checkout-{n} succeeded but bought nothing"
            );
        }
    }
}

/// An export of 20,000 invoice line items (ten pages) under faults on every invoice
/// request (429, 503, dropped connections before and after the answer was sent), run
/// again after each interruption, ends byte for byte as the same export without faults:
/// no row lost, none doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_under_faults_loses_and_doubles_no_row() {
    use partner_center::export::{ExportFormat, LineItemExport};
    use partner_center::models::LineItemKind;
    use partner_center::{Invoices, LineItemType, Provider};

    const ROWS: u64 = 20_000;
    let start = || {
        Emulator::builder()
            .billing_line_items(ROWS)
            .rate_limit_per_minute(None)
            .start()
    };
    let (clean, faulty) = (start().await.unwrap(), start().await.unwrap());
    for spec in [
        "429,rate=0.1,route=/v1/invoices,retry_after=0",
        "503,rate=0.1,route=/v1/invoices,retry_after=0",
        "reset,rate=0.1,route=/v1/invoices",
        "reset-after-commit,rate=0.1,route=/v1/invoices",
    ] {
        faulty.inject(spec.parse::<Fault>().unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    // Last month's invoice: the same id in both emulators.
    let id = client(&clean, RetryPolicy::default())
        .invoices()
        .list()
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .id;
    let export = |emu: &Emulator, name: &str, policy: RetryPolicy| {
        let pc = client(emu, policy);
        let out = dir.path().join(name);
        let id = id.clone();
        async move {
            let invoices = pc.invoices();
            let from = Invoices::line_items_from(&id, Provider::OneTime, LineItemType::Billing);
            let export = LineItemExport::new(from, LineItemKind::OneTime, ExportFormat::Csv, &out);
            let mut runs = 0;
            loop {
                runs += 1;
                match export.run(|c| invoices.raw_pages(c), |_| {}).await {
                    Ok(report) => return (report.rows, runs, std::fs::read(&out).unwrap()),
                    Err(e) if runs < 20 => eprintln!("run {runs} stopped: {e}"),
                    Err(e) => panic!("20 runs did not finish: {e}"),
                }
            }
        }
    };
    let (rows, _, expected) = export(&clean, "clean.csv", RetryPolicy::default()).await;
    assert_eq!(rows, ROWS);
    // Few retries, so that some runs stop and resume.
    let mut policy = load_policy(Duration::from_secs(10)).max_attempts(2);
    policy.budget_capacity = 1_000_000;
    let (rows, runs, got) = export(&faulty, "faulty.csv", policy).await;
    assert_eq!(rows, ROWS);
    assert_eq!(got, expected, "the same bytes after {runs} runs");
    let lines = got.iter().filter(|b| **b == b'\n').count() as u64;
    assert_eq!(lines, ROWS + 1, "a header and one line per item");
}

/// The same invoice through Microsoft Graph's export, its blob downloads meeting 503s and
/// dropped connections, run again after each stop (resuming on the export it started, at
/// the blob and record it reached), ends byte for byte as the REST export without faults.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graph_export_under_blob_faults_loses_and_doubles_no_row() {
    use partner_center::export::{ExportFormat, LineItemExport};
    use partner_center::ingestion::WaitOptions;
    use partner_center::models::LineItemKind;
    use partner_center::models::graph::ExportRequest;
    use partner_center::{BillingReports, Invoices, LineItemType, Provider, ReportKind};

    const ROWS: u64 = 45_000;
    let emu = Emulator::builder()
        .billing_line_items(ROWS)
        .rate_limit_per_minute(None)
        .export_delay(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let pc = client(&emu, RetryPolicy::default());
    let invoices = pc.invoices();
    let id = invoices.list().try_next().await.unwrap().unwrap().id;
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("rest.csv");
    let from = Invoices::line_items_from(&id, Provider::OneTime, LineItemType::Billing);
    LineItemExport::new(from, LineItemKind::OneTime, ExportFormat::Csv, &clean)
        .run(|c| invoices.raw_pages(c), |_| {})
        .await
        .unwrap();

    let reports = pc.billing_reports();
    let location = reports
        .start(
            ReportKind::BilledReconciliation,
            &ExportRequest::billed(&id),
        )
        .await
        .unwrap();
    let done = reports
        .wait(&location, WaitOptions::default())
        .await
        .unwrap();
    let out = dir.path().join("graph.csv");
    let export = LineItemExport::new(
        BillingReports::records_from(&location),
        LineItemKind::OneTime,
        ExportFormat::Csv,
        &out,
    );
    let scratch = dir.path().join("graph.blob");
    // First a run that stops after six pages (past the first blob's five), as a kill would.
    let manifest = reports.manifest(&done).await.unwrap();
    let stopped = export
        .run(
            |c| {
                let six = reports
                    .records(manifest.clone(), c, scratch.clone())
                    .take(6);
                Box::pin(six.chain(futures_util::stream::once(async {
                    Err(Error::Config("stopped".to_owned()))
                })))
            },
            |_| {},
        )
        .await;
    assert!(stopped.is_err());
    // The faults begin after the stop, so that every later run has a checkpoint to go on
    // from (a fault before the first checkpoint would make the last run start afresh).
    for spec in [
        "503,rate=0.4,route=/_blobs",
        "reset,rate=0.15,route=/_blobs",
    ] {
        emu.inject(spec.parse::<Fault>().unwrap());
    }
    let (mut runs, mut stops) = (0, 0);
    let report = loop {
        runs += 1;
        // A fresh manifest each run, as after a restart.
        let manifest = reports.manifest(&done).await.unwrap();
        match export
            .run(
                |c| reports.records(manifest.clone(), c, scratch.clone()),
                |_| {},
            )
            .await
        {
            Ok(report) => break report,
            Err(e) if runs < 30 => {
                stops += 1;
                eprintln!("run {runs} stopped: {e}");
            }
            Err(e) => panic!("30 runs did not finish: {e}"),
        }
    };
    assert_eq!(report.rows, ROWS);
    assert!(report.resumed, "the last run went on from a checkpoint");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&clean).unwrap(),
        "after {runs} runs, {stops} of them stopped"
    );
}
