//! Rate budgets shared through a real Redis (`redis-server` from the Debian package,
//! started on a free loopback port in a temporary folder): two clients standing for two
//! processes stay together under the emulator's limit, where each pacing alone draws
//! 429s; with Redis killed in the middle, calls go on.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::{cloud, credential};
use partner_center::{Error, FleetBudget, PartnerCenter, RateLimit, RetryPolicy};
use partner_center_emulator::Emulator;
use serde_json::json;

/// A `redis-server` of its own: on a free port, persisting nothing, in `dir`.
struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    fn start(dir: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server (apt-get install redis-server; .ci/run installs it)");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Self { child, port };
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("redis-server did not start on port {port}");
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A client standing for one process: single attempts, so a 429 is seen; paced at 18
/// requests per 2 s; sharing `fleet` when given.
fn process(emu: &Emulator, fleet: Option<&str>, attempts: u32) -> PartnerCenter {
    let mut builder = PartnerCenter::builder()
        .credential(credential(emu))
        .cloud(cloud(emu))
        .retry_policy(RetryPolicy::default().max_attempts(attempts))
        .rate_limit(RateLimit::new(18, Duration::from_secs(2)));
    if let Some(url) = fleet {
        builder = builder.fleet(Arc::new(FleetBudget::new(url, emu.tenant_id()).unwrap()));
    }
    builder.build().unwrap()
}

async fn a_customer(emu: &Emulator) -> String {
    let pc = process(emu, None, 3);
    let body = json!({"companyProfile": {"domain": "fleet.onmicrosoft.com"},
        "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en",
        "companyName": "Fleet", "defaultAddress": {"country": "US", "city": "Redmond",
        "addressLine1": "1 Microsoft Way", "postalCode": "98052", "firstName": "A", "lastName": "B"}}});
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
    let emu = Emulator::builder()
        .rate_limit_per_minute(Some(20))
        .rate_limit_window(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
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
    let emu = Emulator::builder()
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    let customer = a_customer(&emu).await;
    let url = redis.url();
    let (a, b) = (process(&emu, Some(&url), 3), process(&emu, Some(&url), 3));
    let first = reads(a.clone(), b.clone(), &customer).await;
    assert!(first.iter().all(Result::is_ok));
    redis.stop();
    let after = reads(a.clone(), b.clone(), &customer).await;
    let failed: Vec<_> = after.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failed.is_empty(),
        "no call fails because of Redis: {failed:?}"
    );
    // A Redis URL that is not one is refused, without echoing it.
    let e = FleetBudget::new("http://user:secret@example", "t").unwrap_err();
    assert!(!e.to_string().contains("secret"), "{e}");
}
