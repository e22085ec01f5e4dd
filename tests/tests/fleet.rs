//! Rate budgets shared through a real Redis (`redis-server` from the Debian package,
//! started on a free loopback port in a temporary folder): two clients standing for two
//! processes stay together under the emulator's limit, where each pacing alone draws
//! 429s; with Redis killed in the middle, calls go on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests (which compare tokens and read what rests in Redis)

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{
    cloud, credential, emulator_allowing_20_per_2s, emulator_vars, new_customer, settings_from,
};
use partner_center::{Error, FleetBudget, PartnerCenter, RateLimit, RetryPolicy};
use partner_center_e2e::Redis;
use partner_center_emulator::Emulator;

/// A client standing for one process: single attempts, so a 429 is seen; paced at 16
/// requests per 2 s (the emulator allows 20: a margin for the network's jitter); sharing `fleet` when given.
fn process(emu: &Emulator, fleet: Option<&str>, attempts: u32) -> PartnerCenter {
    let mut builder = PartnerCenter::builder()
        .credential(credential(emu))
        .cloud(cloud(emu))
        .retry_policy(RetryPolicy::default().max_attempts(attempts))
        .rate_limit(RateLimit::new(16, Duration::from_secs(2)));
    if let Some(url) = fleet {
        let url = partner_center::auth::SecretString::from(url.to_owned());
        builder = builder.fleet(Arc::new(FleetBudget::new(&url, emu.tenant_id()).unwrap()));
    }
    builder.build().unwrap()
}

async fn a_customer(emu: &Emulator) -> String {
    let pc = process(emu, None, 3);
    let body = new_customer("fleet.onmicrosoft.com");
    pc.customers().create(&body).await.unwrap().id
}

/// 25 reads of the customer from each of two processes at once.
async fn reads(a: PartnerCenter, b: PartnerCenter, customer: &str) -> Vec<Result<(), Error>> {
    let calls = [a, b].into_iter().flat_map(|pc| {
        (0..25).map(move |_| {
            let pc = pc.clone();
            let customer = customer.to_owned();
            async move { pc.customers().get(&customer).await.map(|_| ()) }
        })
    });
    futures_util::future::join_all(calls).await
}

fn throttled(results: &[Result<(), Error>]) -> usize {
    results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(Error::Transient {
                    status: Some(429),
                    ..
                })
            )
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_one_budget_through_redis() {
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start(dir.path());
    let emu = emulator_allowing_20_per_2s().await;
    let customer = a_customer(&emu).await;

    // Each process paced alone: together twice the limit, and 429s.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let alone = reads(process(&emu, None, 1), process(&emu, None, 1), &customer).await;
    assert!(throttled(&alone) > 0, "each pacing alone draws 429s");

    // Sharing the budget: none.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let url = redis.url();
    let shared = reads(
        process(&emu, Some(&url), 1),
        process(&emu, Some(&url), 1),
        &customer,
    )
    .await;
    let failed: Vec<_> = shared.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_go_on_when_redis_dies() {
    let dir = tempfile::tempdir().unwrap();
    let mut redis = Redis::start(dir.path());
    let emu = emulator_allowing_20_per_2s().await;
    let customer = a_customer(&emu).await;
    let url = redis.url();
    // Single attempts: a 429 would fail a call.
    let (a, b) = (process(&emu, Some(&url), 1), process(&emu, Some(&url), 1));
    // A process learns how many share the budget with each slot it takes from Redis:
    // one read each first, as running workers would have made, then many at once.
    a.customers().get(&customer).await.unwrap();
    b.customers().get(&customer).await.unwrap();
    let first = reads(a.clone(), b.clone(), &customer).await;
    assert!(first.iter().all(Result::is_ok));
    assert_eq!(throttled(&first), 0);

    // Redis gone: each process paces at its share (it saw two), so none draws a 429.
    redis.stop();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = reads(a.clone(), b.clone(), &customer).await;
    let failed: Vec<_> = after.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failed.is_empty(),
        "no call fails because of Redis: {failed:?}"
    );

    // Back: the budget is shared again.
    redis.restart();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let again = reads(a, b, &customer).await;
    assert!(again.iter().all(Result::is_ok));
    let members = redis.cli(&["--scan", "--pattern", "partner-center:rate:*:members"]);
    assert_eq!(
        redis.cli(&["ZCARD", members.lines().next().unwrap()]),
        "2",
        "both processes draw from Redis again"
    );
    // A Redis URL that is not one is refused, without echoing it.
    let bad = partner_center::auth::SecretString::from("http://user:secret@example".to_owned());
    let e = FleetBudget::new(&bad, "t").unwrap_err();
    let tls = partner_center::auth::SecretString::from("rediss://127.0.0.1:1/".to_owned());
    assert!(
        FleetBudget::new(&tls, "t").is_ok(),
        "rediss:// is a Redis URL (TLS)"
    );
    assert!(!e.to_string().contains("secret"), "{e}");
}

/// `PARTNER_CENTER_REDIS_URL` (or `[fleet] redis_url`) turns fleet mode on from the
/// environment, and a Redis that does not answer fails no call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_mode_is_one_setting_and_an_absent_redis_fails_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let customer = a_customer(&emu).await;
    let mut vars = emulator_vars(&emu);
    // Nothing listens on port 1.
    vars.push((
        "PARTNER_CENTER_REDIS_URL",
        "redis://127.0.0.1:1/".to_owned(),
    ));
    let settings = settings_from(&vars);
    assert!(settings.redis_url.is_some());
    let pc = PartnerCenter::from_settings(&settings).unwrap();
    for _ in 0..3 {
        pc.customers().get(&customer).await.unwrap();
    }

    // In the file: one line; a password there is refused (it belongs in the variable).
    let toml = "[fleet]\nredis_url = \"redis://127.0.0.1:6379/\"\n[profiles.p]\ntenant = \"t\"\nclient_id = \"c\"\n";
    let none = |_: &str| None;
    let from_file = partner_center::config::Settings::from_toml_str(toml, "p", &none).unwrap();
    assert!(from_file.redis_url.is_some());
    let secret = toml.replace("redis://127.0.0.1", "redis://:hunter2@127.0.0.1");
    let e = partner_center::config::Settings::from_toml_str(&secret, "p", &none).unwrap_err();
    assert!(e.to_string().contains("PARTNER_CENTER_REDIS_URL"), "{e}");
    assert!(!e.to_string().contains("hunter2"), "{e}");
    let unix = toml.replace(
        "redis://127.0.0.1:6379/",
        "redis+unix:///run/redis.sock?pass=hunter2",
    );
    let e = partner_center::config::Settings::from_toml_str(&unix, "p", &none).unwrap_err();
    assert!(!e.to_string().contains("hunter2"), "{e}");
}

/// Two processes' credentials, each wrapped to share through Redis, under 100 callers
/// each: one token request in all; in Redis the token is sealed, never in the clear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_asks_for_one_token_and_keeps_it_sealed() {
    use partner_center::auth::fleet::{FleetCredential, TokenKey};
    use partner_center::auth::{ExposeSecret as _, TokenCredential, TokenRequestOptions};
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start(dir.path());
    let emu = Emulator::builder().start().await.unwrap();
    let url = partner_center::auth::SecretString::from(redis.url());
    let key = partner_center::auth::SecretString::from(
        "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=".to_owned(),
    );
    let process = || {
        Arc::new(
            FleetCredential::new(
                credential(&emu),
                &url,
                TokenKey::from_base64(&key).unwrap(),
                emu.tenant_id(),
            )
            .unwrap(),
        )
    };
    let (a, b) = (process(), process());
    let before = emu.token_requests();
    let calls = (0..200).map(|i| {
        let c = if i % 2 == 0 { a.clone() } else { b.clone() };
        async move {
            c.get_token(
                "https://api.partnercenter.microsoft.com",
                &TokenRequestOptions::default(),
            )
            .await
        }
    });
    let tokens = futures_util::future::join_all(calls).await;
    let first = tokens[0]
        .as_ref()
        .unwrap()
        .secret()
        .expose_secret()
        .to_owned();
    assert!(
        tokens
            .iter()
            .all(|t| t.as_ref().unwrap().secret().expose_secret() == first)
    );
    assert_eq!(
        emu.token_requests() - before,
        1,
        "one token request for the fleet"
    );

    let keys = redis.cli(&["--scan"]);
    let name = keys
        .lines()
        .find(|k| k.starts_with("partner-center:token:"))
        .unwrap();
    let stored = redis.cli(&["GET", name]);
    assert!(!stored.contains(&first[..20]), "sealed at rest");
    // Not "eyJ" alone: three characters occur by chance in ~1 of 200 sealed texts.
    let header = first.split('.').next().unwrap();
    assert!(!stored.contains(header), "no JWT in the clear");
    let signature = first.rsplit('.').next().unwrap();
    assert!(!stored.contains(signature), "no JWT in the clear");
    // A wrong key cannot read it: that process asks its own credential instead.
    let other =
        FleetCredential::new(credential(&emu), &url, TokenKey::random(), emu.tenant_id()).unwrap();
    other
        .get_token(
            "https://api.partnercenter.microsoft.com",
            &TokenRequestOptions::default(),
        )
        .await
        .unwrap();
    assert!(
        TokenKey::from_base64(&partner_center::auth::SecretString::from(
            "short".to_owned()
        ))
        .is_err()
    );
}

/// From the environment alone (the Redis and the key), two processes' clients ask for one
/// token between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_share_tokens_with_a_redis_and_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start(dir.path());
    let emu = Emulator::builder().start().await.unwrap();
    let customer = a_customer(&emu).await;
    let mut vars = emulator_vars(&emu);
    vars.push(("PARTNER_CENTER_REDIS_URL", redis.url()));
    vars.push((
        "PARTNER_CENTER_FLEET_KEY",
        "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=".to_owned(),
    ));
    let settings = settings_from(&vars);
    let before = emu.token_requests();
    let (a, b) = (
        PartnerCenter::from_settings(&settings).unwrap(),
        PartnerCenter::from_settings(&settings).unwrap(),
    );
    let (ca, cb) = (a.customers(), b.customers());
    let (x, y) = tokio::join!(ca.get(&customer), cb.get(&customer));
    x.unwrap();
    y.unwrap();
    assert_eq!(emu.token_requests() - before, 1);
}

/// A Redis that answers too late (paused for 1.5 s) while 50 calls reserve slots: no call
/// fails (each paces itself locally), and the fleet's budget is not left seconds ahead
/// with slots nobody uses (a late reservation is followed by its release).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_redis_leaves_no_unused_slots() {
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start(dir.path());
    let emu = Emulator::builder()
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    let customer = a_customer(&emu).await;
    let pc = process(&emu, Some(&redis.url()), 3);
    pc.customers().get(&customer).await.unwrap();
    assert!(
        redis
            .cli(&["CLIENT", "PAUSE", "1500", "ALL"])
            .contains("OK")
    );
    let calls = (0..50).map(|_| {
        let pc = pc.clone();
        let customer = customer.clone();
        async move { pc.customers().get(&customer).await.map(|_| ()) }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "no call fails");
    // The pause is over and the late reservations (and their releases) have run.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let keys = redis.cli(&["--scan", "--pattern", "partner-center:rate:*"]);
    let budget = keys
        .lines()
        .find(|k| !k.ends_with(":held") && !k.ends_with(":members"));
    if let Some(budget) = budget {
        let tat: u64 = redis.cli(&["GET", budget]).parse().unwrap_or(0);
        let time = redis.cli(&["TIME"]);
        let mut parts = time.lines().map(|l| l.trim().parse::<u64>().unwrap());
        let now = parts.next().unwrap() * 1_000_000 + parts.next().unwrap();
        // 50 leaked slots at 125 ms would put it 6 s ahead.
        assert!(
            tat < now + 1_000_000,
            "the budget is {} ms ahead",
            (tat - now) / 1000
        );
    }
}
