//! The facade against the in-process emulator: lifecycles, limits, faults, tokens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use std::time::Duration;

use futures_util::TryStreamExt;
use partner_center::auth::{SecretString, StaticTokenCredential};
use partner_center::models::SubscriptionStatus;
use partner_center::{Credential, Error, PartnerCenter, RetryPolicy};
use partner_center_emulator::{AccountKind, Emulator, Fault};
use serde_json::json;

mod common;
use common::{cloud, emulator_allowing_20_per_2s, new_customer};

fn credential(emu: &Emulator) -> Credential {
    common::credential(emu).into()
}

fn client(emu: &Emulator) -> PartnerCenter {
    common::client(
        emu,
        RetryPolicy::default()
            .backoff(Duration::from_millis(1), Duration::from_millis(10))
            .max_attempts(6),
    )
}

/// A client that makes one attempt per request, so a 429 surfaces at once.
fn single_attempt_client(emu: &Emulator) -> PartnerCenter {
    PartnerCenter::builder()
        .credential(credential(emu))
        .cloud(cloud(emu))
        .retry_policy(RetryPolicy::default().max_attempts(1))
        // To see the emulator's throttling, the client does not pace itself.
        .rate_limit(None)
        .build()
        .unwrap()
}

/// Whether `err` is the throttling answer, after its one attempt.
fn is_throttled(err: &Error) -> bool {
    matches!(
        err,
        Error::Transient {
            status: Some(429),
            ..
        }
    )
}

#[tokio::test]
async fn customer_order_subscription_update_lifecycle() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = client(&emu);
    let customer = pc
        .customers()
        .create(&new_customer("lifecycle"))
        .await
        .unwrap();
    assert!(
        customer
            .user_credentials
            .as_ref()
            .and_then(|u| u.password.as_ref())
            .is_some(),
        "the admin password comes back once"
    );
    assert!(
        !format!("{customer:?}").contains("Emu-"),
        "the password never shows in Debug"
    );
    let fetched = pc.customers().get(&customer.id).await.unwrap();
    assert_eq!(fetched.domain(), Some("lifecycle.onmicrosoft.com"));
    assert!(fetched.user_credentials.is_none());

    let offers: Vec<_> = pc.offers("US").list().try_collect().await.unwrap();
    let order = pc
        .customer(&customer.id)
        .orders()
        .create(
            &json!({"LineItems": [{"LineItemNumber": 0, "OfferId": offers[0].id, "Quantity": 3}]}),
        )
        .await
        .unwrap();
    let orders: Vec<_> = pc
        .customer(&customer.id)
        .orders()
        .list()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(
        pc.customer(&customer.id)
            .orders()
            .get(&order.id)
            .await
            .unwrap()
            .id,
        order.id
    );

    let subs: Vec<_> = pc
        .customer(&customer.id)
        .subscriptions()
        .list()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].quantity, 3);
    let handle = pc.customer(&customer.id).subscriptions();
    let updated = handle
        .modify(&subs[0].id, |s| s.quantity = 7)
        .await
        .unwrap();
    assert_eq!(updated.quantity, 7);
    let suspended = handle
        .set_status(&subs[0].id, SubscriptionStatus::Suspended)
        .await
        .unwrap();
    assert_eq!(suspended.status, Some(SubscriptionStatus::Suspended));

    // A stale etag is refused with 2055.
    let mut stale = subs[0].clone();
    stale.auto_renew_enabled = Some(false);
    let err = handle.update(&stale).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: Some(c), .. } if c == "2055"),
        "{err:?}"
    );
    // No etag at all is not a stale one: invalid input, saying what is missing.
    let mut unversioned = stale.clone();
    unversioned.attributes = None;
    let err = handle.update(&unversioned).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: Some(c), .. } if c == "800002")
            && err.to_string().contains("etag is missing"),
        "{err:?}"
    );

    // Sandbox-only: cancel the order, delete the customer.
    pc.customer(&customer.id)
        .orders()
        .cancel(&order.id)
        .await
        .unwrap();
    pc.customers().delete(&customer.id).await.unwrap();
    assert!(matches!(
        pc.customers().get(&customer.id).await,
        Err(Error::Api { status: 404, .. })
    ));
}

#[tokio::test]
async fn paging_over_hundreds_of_customers() {
    let emu = Emulator::builder()
        .seed_customers(437)
        .page_size(50)
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    let pc = client(&emu);
    let all: Vec<_> = pc
        .customers()
        .list_with_page_size(50)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 437);
    let mut ids: Vec<_> = all.iter().map(|c| c.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 437, "no duplicates across pages");
}

#[tokio::test]
async fn sandbox_limits_are_reached_and_the_primary_account_has_none() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = client(&emu);
    let c = pc
        .customers()
        .create(&new_customer("limits"))
        .await
        .unwrap();
    let offers: Vec<_> = pc.offers("US").list().try_collect().await.unwrap();
    let too_many = pc
        .customer(&c.id)
        .orders()
        .create(
            &json!({"lineItems": [{"lineItemNumber": 0, "offerId": offers[0].id, "quantity": 26}]}),
        )
        .await;
    let err = too_many.unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: Some(code), .. } if code == "800018"),
        "{err:?}"
    );
    assert!(err.hint().unwrap().contains("sandbox"));
    let lines: Vec<_> = (0..6)
        .map(|n| json!({"lineItemNumber": n, "offerId": offers[0].id, "quantity": 1}))
        .collect();
    assert!(
        pc.customer(&c.id)
            .orders()
            .create(&json!({"lineItems": lines}))
            .await
            .is_err(),
        "6 subscriptions > 5"
    );

    let primary = Emulator::builder()
        .account(AccountKind::Primary)
        .start()
        .await
        .unwrap();
    let pc = client(&primary);
    let c = pc
        .customers()
        .create(&new_customer("primary"))
        .await
        .unwrap();
    pc.customer(&c.id)
        .orders()
        .create(
            &json!({"lineItems": [{"lineItemNumber": 0, "offerId": offers[0].id, "quantity": 26}]}),
        )
        .await
        .unwrap();
    assert!(
        matches!(
            pc.customers().delete(&c.id).await,
            Err(Error::Api { status: 403, .. })
        ),
        "deleting customers is sandbox-only"
    );
}

#[tokio::test]
async fn idempotent_creates_under_injected_faults() {
    let emu = Emulator::builder()
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    let pc = client(&emu);
    let c = pc.customers().create(&new_customer("idem")).await.unwrap();
    let offers: Vec<_> = pc.offers("US").list().try_collect().await.unwrap();
    // The server does the work, then the connection drops: the client retries with the
    // same MS-RequestId and gets the first answer; nothing is created twice.
    emu.inject(
        "reset-after-commit,next=2,route=/v1/customers"
            .parse::<Fault>()
            .unwrap(),
    );
    emu.inject(
        "503,next=1,route=/v1/customers,retry_after=0"
            .parse::<Fault>()
            .unwrap(),
    );
    let order = pc
        .customer(&c.id)
        .orders()
        .create(
            &json!({"lineItems": [{"lineItemNumber": 0, "offerId": offers[0].id, "quantity": 1}]}),
        )
        .await
        .unwrap();
    let (_, orders, subs) = emu.counts();
    assert_eq!(
        (orders, subs),
        (1, 1),
        "exactly one order for one logical create"
    );
    assert!(!order.id.is_empty());
}

#[tokio::test]
async fn tampered_and_expired_tokens_get_401() {
    let emu = Emulator::builder()
        .token_lifetime(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let cred = credential(&emu);
    let token = cred
        .get_token(
            "https://api.partnercenter.microsoft.com",
            &Default::default(),
        )
        .await
        .unwrap();
    let good = partner_center::auth::ExposeSecret::expose_secret(token.secret()).to_owned();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/customers", emu.api_url());
    let status = |t: String| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            http.get(&url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status(good.clone()).await, 200);
    // Tamper with the claims: the signature no longer matches.
    let parts: Vec<&str> = good.split('.').collect();
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: serde_json::Value =
        serde_json::from_slice(&engine.decode(parts[1]).unwrap()).unwrap();
    claims["roles"] = json!(["Everything"]);
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        engine.encode(claims.to_string()),
        parts[2]
    );
    assert_eq!(status(tampered).await, 401);
    assert_eq!(status("not-a-token".to_owned()).await, 401);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(status(good.clone()).await, 401, "expired");

    // Through the facade, an expired static token is refused before any request.
    let expired = StaticTokenCredential::new(
        SecretString::from(good),
        std::time::SystemTime::now() - Duration::from_secs(1),
    );
    let pc = PartnerCenter::builder()
        .credential(expired)
        .cloud(cloud(&emu))
        .build()
        .unwrap();
    assert!(matches!(pc.customers().get("x").await, Err(Error::Auth(_))));
}

#[tokio::test]
async fn throttling_by_the_documented_rate_limit_is_waited_out() {
    let emu = Emulator::builder()
        .rate_limit_per_minute(Some(3))
        .start()
        .await
        .unwrap();
    let pc = single_attempt_client(&emu);
    for _ in 0..3 {
        let _ = pc.customers().get("missing").await;
    }
    let err = pc.customers().get("missing").await.unwrap_err();
    assert!(is_throttled(&err), "{err:?}");
}

#[tokio::test]
async fn tokens_verify_through_the_discovery_documents_jwks() {
    let emu = Emulator::builder().start().await.unwrap();
    let token = credential(&emu)
        .get_token(
            "https://api.partnercenter.microsoft.com",
            &Default::default(),
        )
        .await
        .unwrap();
    let discovery = url::Url::parse(&format!(
        "{}/{}/v2.0/.well-known/openid-configuration",
        emu.authority_host(),
        emu.tenant_id()
    ))
    .unwrap();
    let keys = partner_center::auth::jwt::fetch_jwks(&reqwest::Client::new(), &discovery)
        .await
        .unwrap();
    let raw = partner_center::auth::ExposeSecret::expose_secret(token.secret()).to_owned();
    let claims = partner_center::auth::jwt::verify(
        &raw,
        &keys,
        Some(&["https://api.partnercenter.microsoft.com"]),
    )
    .unwrap();
    assert_eq!(claims.tid.as_deref(), Some(emu.tenant_id()));
    assert!(
        partner_center::auth::jwt::verify(&raw, &keys, Some(&["https://graph.microsoft.com"]))
            .is_err(),
        "wrong audience"
    );
}

#[tokio::test]
async fn app_plus_user_only_operations_refuse_app_only_tokens() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = client(&emu);
    let c = pc
        .customers()
        .create(&new_customer("appuser"))
        .await
        .unwrap();
    let err = pc.customer(&c.id).company_profile().await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 403, .. }), "{err:?}");
    assert!(err.hint().unwrap().contains("App+User"));

    let user = partner_center::auth::RefreshTokenCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        Some(SecretString::from(emu.client_secret().to_owned())),
        SecretString::from(emu.refresh_token().to_owned()),
    )
    .unwrap()
    .with_authority_host(cloud(&emu).authority_host)
    .unwrap();
    let pc = PartnerCenter::builder()
        .credential(user)
        .cloud(cloud(&emu))
        .build()
        .unwrap();
    let profile = pc.customer(&c.id).company_profile().await.unwrap();
    assert_eq!(profile.domain.as_deref(), Some("appuser.onmicrosoft.com"));
}

#[tokio::test]
async fn faults_can_be_added_and_cleared_through_the_admin_endpoint() {
    let emu = Emulator::builder().start().await.unwrap();
    let http = reqwest::Client::new();
    let admin = format!("{}/_emulator/faults", emu.api_url());
    assert_eq!(
        http.post(&admin)
            .body("teapot")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        400
    );
    assert_eq!(
        http.post(&admin)
            .body("503,next=100,route=/v1/offers")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    let pc = single_attempt_client(&emu);
    assert!(matches!(
        pc.offers("US").list().try_collect::<Vec<_>>().await,
        Err(Error::Transient {
            status: Some(503),
            ..
        })
    ));
    assert_eq!(
        http.delete(&admin).send().await.unwrap().status().as_u16(),
        204
    );
    assert!(pc.offers("US").list().try_collect::<Vec<_>>().await.is_ok());
}

/// The emulator answers in the documented shapes (develop/create-a-customer.md,
/// get-a-customer-by-id.md, create-an-order.md) and follows the documented PATCH rules
/// (a full subscription resource; `status: "deleted"` cancels; quantity 0 is refused).
#[tokio::test]
async fn the_emulator_follows_the_documented_shapes_and_semantics() {
    use partner_center::models::RelationshipToPartner;
    let emu = Emulator::builder().start().await.unwrap();
    let pc = client(&emu);
    let mut body = new_customer("shapes");
    body["billingProfile"]["culture"] = json!("EN-US");
    let a = pc.customers().create(&body).await.unwrap();
    let b = pc
        .customers()
        .create(&new_customer("shapes2"))
        .await
        .unwrap();
    assert_eq!(a.relationship_to_partner, Some(RelationshipToPartner::None));
    let profile = a.billing_profile.as_ref().unwrap();
    let id = profile.id.as_deref().unwrap();
    assert_eq!((id.len(), id.matches('-').count()), (36, 4), "a GUID: {id}");
    assert_eq!(profile.culture.as_deref(), Some("en-US"));
    let etag = |c: &partner_center::models::Customer| {
        c.billing_profile
            .as_ref()
            .unwrap()
            .attributes
            .as_ref()
            .unwrap()
            .etag
            .clone()
    };
    assert_ne!(etag(&a), etag(&b), "each customer has its own etag");
    let got = pc.customers().get(&a.id).await.unwrap();
    assert!(got.links.and_then(|l| l.self_).is_some());
    let page = pc.customers().first_page(10).await.unwrap();
    assert!(
        page.links.and_then(|l| l.self_).is_some(),
        "pages link themselves"
    );

    let order = pc
        .customer(&a.id)
        .orders()
        .create(&json!({"lineItems": [{"lineItemNumber": 0, "offerId": "031C9E47-4802-4248-838E-778FB1D2CC05", "quantity": 2}]}))
        .await
        .unwrap();
    let links = order.links.clone().unwrap();
    assert!(links.self_.is_some() && links.extra.contains_key("provisioningStatus"));
    assert!(
        order.line_items[0]
            .links
            .as_ref()
            .unwrap()
            .extra
            .contains_key("subscription")
    );

    let subs = pc.customer(&a.id).subscriptions();
    let sub = subs.list().try_collect::<Vec<_>>().await.unwrap().remove(0);
    let partial = pc
        .transport()
        .send(
            pc.rest_profile(),
            reqwest::Method::PATCH,
            &format!("/customers/{}/subscriptions/{}", a.id, sub.id),
            Some(br#"{"quantity":3}"#.to_vec().into()),
            &partner_center::RequestOptions::default().if_match(sub.etag().unwrap()),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(partial, Error::Api { status: 400, .. }),
        "{partial:?}"
    );
    let mut zero = sub.clone();
    zero.quantity = 0;
    let refused = subs.update(&zero).await.unwrap_err();
    assert!(
        matches!(&refused, Error::Api { code: Some(c), .. } if c == "2002"),
        "{refused:?}"
    );
    let mut cancel = sub.clone();
    cancel.status = Some(SubscriptionStatus::Deleted);
    let cancelled = subs.update(&cancel).await.unwrap();
    assert_eq!(cancelled.status, Some(SubscriptionStatus::Deleted));
}

/// Throttling is keyed as the guidance keys it: per partner and customer tenant, on the
/// listed operations only.
#[tokio::test]
async fn throttling_is_per_customer_on_the_listed_operations() {
    let emu = Emulator::builder()
        .rate_limit_per_minute(Some(2))
        .start()
        .await
        .unwrap();
    let pc = single_attempt_client(&emu);
    for _ in 0..2 {
        let _ = pc.customers().get("customer-a").await;
    }
    let throttled = pc.customers().get("customer-a").await.unwrap_err();
    assert!(is_throttled(&throttled), "{throttled:?}");
    let other = pc.customers().get("customer-b").await.unwrap_err();
    assert!(matches!(other, Error::Api { status: 404, .. }), "{other:?}");
    for _ in 0..5 {
        pc.customers().first_page(5).await.unwrap();
    }
}

/// `--tls` writes its CA into a private directory of its own, removed at shutdown.
#[tokio::test]
async fn the_tls_ca_lives_in_a_private_directory_removed_at_shutdown() {
    let emu = Emulator::builder().tls(true).start().await.unwrap();
    let ca = emu.ca_cert().unwrap().to_owned();
    let dir = ca.parent().unwrap().to_owned();
    assert_ne!(
        dir,
        std::env::temp_dir(),
        "not a predictable path in the temp directory"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
    assert!(ca.exists());
    emu.shutdown().await;
    assert!(!ca.exists() && !dir.exists());
}

/// Microsoft Graph through the same client: a token for Graph's audience from the same
/// credential, requests under `/v1.0` with Graph's `client-request-id`.
#[tokio::test]
async fn graph_is_called_with_a_token_for_graph() {
    use partner_center::auth::TokenCredential as _;

    let emu = Emulator::builder().start().await.unwrap();
    let token = common::credential(&emu)
        .get_token("https://graph.microsoft.com", &Default::default())
        .await
        .unwrap();
    let claims = token.inspect_unverified().unwrap().claims;
    assert_eq!(claims.aud.as_deref(), Some("https://graph.microsoft.com"));

    let pc = common::client(&emu, RetryPolicy::default());
    assert_eq!(
        pc.graph_api().profile().resource(),
        "https://graph.microsoft.com"
    );
    let url = pc
        .graph_api()
        .profile()
        .resolve("/reports/partners/billing/operations/x")
        .unwrap();
    assert!(url.as_str().starts_with(emu.graph_url()), "{url}");
    assert!(url.path().starts_with("/v1.0/reports/"), "{url}");
    // The emulator serves no Graph resource yet: the call reaches it and is answered 404.
    let e = pc
        .graph_api()
        .get::<serde_json::Value>("/reports/partners/billing/operations/x")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Api { status: 404, .. }), "{e:?}");
}

/// The Graph billing export followed from its start to its files: 202 and `Location`,
/// a running operation with `Retry-After`, the manifest, blobs read with the SAS token
/// alone (gzip JSON Lines holding the same records as the REST API's line items); a
/// usage export fails as the docs' sample does; a body without its invoice is refused.
#[tokio::test]
async fn a_graph_billing_export_from_its_start_to_its_files() {
    use partner_center::ReportKind;
    use partner_center::auth::ExposeSecret as _;
    use partner_center::ingestion::WaitOptions;
    use partner_center::models::graph::{ExportRequest, GraphBillingPeriod, OperationState};
    use std::io::Read as _;

    let emu = Emulator::builder()
        .billing_line_items(25_000)
        .export_delay(Duration::from_millis(1_200))
        .start()
        .await
        .unwrap();
    let pc = common::client(&emu, RetryPolicy::default());
    let invoice = pc.invoices().list().try_next().await.unwrap().unwrap().id;
    let reports = pc.billing_reports();
    let operation = reports
        .start(
            ReportKind::BilledReconciliation,
            &ExportRequest::billed(&invoice),
        )
        .await
        .unwrap();
    assert!(
        operation.contains("/v1.0/reports/partners/billing/operations/"),
        "{operation}"
    );
    let (first, retry_after) = reports.operation(&operation).await.unwrap();
    assert_eq!(first.state(), OperationState::Running);
    assert_eq!(retry_after, Some(Duration::from_secs(1)));
    let options = WaitOptions::default()
        .intervals(Duration::from_millis(50), Duration::from_secs(2))
        .timeout(Duration::from_secs(30));
    let done = reports.wait(&operation, options).await.unwrap();
    assert_eq!(done.state(), OperationState::Succeeded);
    let manifest = reports.manifest(&done).await.unwrap();
    assert_eq!((manifest.blob_count, manifest.blobs.len()), (Some(3), 3));

    // A blob is read with the SAS token and no bearer token, as from Azure Storage.
    #[allow(clippy::disallowed_methods)]
    // reason: the test puts the SAS token on the wire, as a download does
    let sas = manifest
        .sas_token
        .as_ref()
        .unwrap()
        .expose_secret()
        .to_owned();
    let root = manifest.root_directory.clone().unwrap();
    let http = reqwest::Client::new();
    let url = format!("{root}/{}?{sas}", manifest.blobs[0].name);
    let gz = http.get(&url).send().await.unwrap().bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10_000);
    let rest_first = pc
        .invoices()
        .raw_pages(partner_center::Invoices::line_items_from(
            &invoice,
            partner_center::Provider::OneTime,
            partner_center::LineItemType::Billing,
        ))
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .items[0]
        .get()
        .to_owned();
    assert_eq!(lines[0], rest_first, "the same records as the REST API");
    let unsigned = format!("{root}/{}", manifest.blobs[0].name);
    assert_eq!(http.get(&unsigned).send().await.unwrap().status(), 403);

    let usage = reports
        .start(
            ReportKind::UnbilledUsage,
            &ExportRequest::unbilled(GraphBillingPeriod::Current, "USD"),
        )
        .await
        .unwrap();
    let e = reports.wait(&usage, options).await.unwrap_err();
    assert!(
        matches!(&e, Error::Api { code: Some(c), .. } if c == "5000"),
        "{e:?}"
    );
    let e = reports
        .start(ReportKind::BilledReconciliation, &ExportRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Api { status: 400, .. }), "{e:?}");
}

/// Side by side, against an emulator that allows 20 requests per 2 s per customer: 50
/// single-attempt reads at once draw 429s without client pacing, and none with it (the
/// callers wait for their slot).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_keeps_callers_under_the_limit_instead_of_drawing_429s() {
    use partner_center::RateLimit;
    let emu = emulator_allowing_20_per_2s().await;
    let customer = client(&emu)
        .customers()
        .create(&new_customer("paced"))
        .await
        .unwrap()
        .id;
    let reads = |pc: PartnerCenter| {
        let customer = customer.clone();
        async move {
            let calls = (0..50).map(|_| {
                let pc = pc.clone();
                let customer = customer.clone();
                async move { pc.customers().get(&customer).await }
            });
            futures_util::future::join_all(calls).await
        }
    };
    let unpaced = reads(single_attempt_client(&emu)).await;
    let throttled = unpaced
        .iter()
        .filter(|r| r.as_ref().is_err_and(is_throttled))
        .count();
    assert!(
        throttled >= 20,
        "{throttled} of 50 throttled without pacing"
    );

    tokio::time::sleep(Duration::from_secs(2)).await;
    let paced = PartnerCenter::builder()
        .credential(credential(&emu))
        .cloud(cloud(&emu))
        .retry_policy(RetryPolicy::default().max_attempts(1))
        .rate_limit(RateLimit::new(18, Duration::from_secs(2)))
        .build()
        .unwrap();
    let results = reads(paced).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

/// The rate limit comes from the profile, else `PARTNER_CENTER_RATE_LIMIT`, else the
/// documented 500 a minute; 0 turns it off; anything else is refused.
#[test]
fn the_rate_limit_is_configured_per_profile() {
    use partner_center::RateLimit;
    use partner_center::config::Settings;
    let toml = |extra: &str| format!("[profiles.p]\ntenant = \"t\"\nclient_id = \"c\"\n{extra}");
    let none = |_: &str| None;
    let settings = Settings::from_toml_str(&toml(""), "p", &none).unwrap();
    assert_eq!(settings.rate_limit, Some(RateLimit::DOCUMENTED));
    let off = Settings::from_toml_str(&toml("rate_limit_per_minute = 0"), "p", &none).unwrap();
    assert_eq!(off.rate_limit, None);
    let env = |name: &str| (name == "PARTNER_CENTER_RATE_LIMIT").then(|| "120".to_owned());
    let from_env = Settings::from_toml_str(&toml(""), "p", &env).unwrap();
    assert_eq!(from_env.rate_limit, RateLimit::per_minute(120));
    let profile_wins =
        Settings::from_toml_str(&toml("rate_limit_per_minute = 60"), "p", &env).unwrap();
    assert_eq!(profile_wins.rate_limit, RateLimit::per_minute(60));
    let bad = |name: &str| (name == "PARTNER_CENTER_RATE_LIMIT").then(|| "fast".to_owned());
    assert!(Settings::from_toml_str(&toml(""), "p", &bad).is_err());
}
