//! `cargo xtask bench --fleet`: four processes of 250 concurrent tasks each against one
//! emulator whose limit is low (600 requests per 10 s per partner and customer), with
//! fleet mode on (a real `redis-server`), and side by side without it; then with Redis
//! killed in the middle of a run of creates and started again. Writes
//! `target/bench/fleet.json` (keys in docs/performance.md).
//!
//! Each worker is this program again (`--fleet-worker`), configured as a user's process
//! is: from environment variables alone (`PARTNER_CENTER_REDIS_URL`,
//! `PARTNER_CENTER_FLEET_KEY`, `PARTNER_CENTER_RATE_LIMIT`, the `AZURE_*` credential).

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt as _;
use partner_center::PartnerCenter;
use partner_center::config::Settings;
use partner_center_e2e::Redis;
use partner_center_emulator::{AccountKind, Emulator};
use serde_json::{Value, json};

use super::{Res, client, credential};

const PROCESSES: usize = 4;
const TASKS: usize = 250;
/// Calls per task: 2,000 in all, about 35 s at the limit.
const CALLS: usize = 2;
/// The emulator's limit: 600 requests per 10 s per partner and customer tenant.
const LIMIT: u32 = 600;
const WINDOW: Duration = Duration::from_secs(10);
/// The workers' pace, a minute's worth: 95% of the limit (3,600 a minute), a margin for
/// the network's jitter.
const PACE_PER_MINUTE: u32 = 3420;
/// Where an order's offer comes from (the emulator's catalogue).
const OFFER: &str = "031C9E47-4802-4248-838E-778FB1D2CC05";

/// One scenario's figures.
struct Run {
    calls_ok: usize,
    calls_failed: usize,
    errors: Vec<String>,
    seconds: f64,
    throttled: usize,
    token_requests: usize,
}

impl Run {
    fn json(&self) -> Value {
        let rps = self.calls_ok as f64 / self.seconds;
        let limit_rps = f64::from(LIMIT) / WINDOW.as_secs_f64();
        json!({
            "calls_ok": self.calls_ok,
            "calls_failed": self.calls_failed,
            "errors": self.errors,
            "seconds": self.seconds,
            "throughput_rps": rps,
            "throughput_of_limit": rps / limit_rps,
            "responses_429": self.throttled,
            "token_requests": self.token_requests,
        })
    }
}

/// The main side: the emulator, Redis, three scenarios, the report.
pub(crate) async fn run(out: &str) -> Res<()> {
    let dir = std::env::temp_dir().join(format!("pc-bench-redis-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut redis = Redis::start(&dir);
    let emu = Emulator::builder()
        .account(AccountKind::Primary)
        .rate_limit_per_minute(Some(LIMIT))
        .rate_limit_window(WINDOW)
        .start()
        .await?;
    let admin = client(&emu, credential(&emu)?)?;

    eprintln!("fleet: 4 processes × 250 tasks reading, fleet mode on…");
    let (on, _, _) = scenario(&emu, &admin, Some(&redis.url()), "read", None).await?;
    eprintln!("fleet: the same without fleet mode…");
    let (off, _, _) = scenario(&emu, &admin, None, "read", None).await?;
    eprintln!("fleet: creates with Redis killed in the middle and started again…");
    let (kill, customer, sharing) =
        scenario(&emu, &admin, Some(&redis.url()), "create", Some(&mut redis)).await?;

    // Nothing created twice: the orders the emulator holds, per logical create. The
    // window is full after the run: the listing waits for it first.
    tokio::time::sleep(WINDOW).await;
    let orders: Vec<_> = admin
        .customer(&customer)
        .orders()
        .list()
        .try_collect()
        .await?;
    let mut per_create = std::collections::HashMap::<String, usize>::new();
    for o in &orders {
        let name = o
            .line_items
            .first()
            .and_then(|l| l.friendly_name.clone())
            .unwrap_or_default();
        *per_create.entry(name).or_default() += 1;
    }
    let doubled = per_create.values().filter(|n| **n > 1).count();
    let creates = PROCESSES * TASKS;
    let _ = std::fs::remove_dir_all(&dir);

    let report = json!({
        "limit": {"requests": LIMIT, "per_s": WINDOW.as_secs(), "pace_per_minute": PACE_PER_MINUTE},
        "processes": PROCESSES, "tasks_per_process": TASKS, "calls_per_task": CALLS,
        "fleet_on": on.json(),
        "fleet_off": off.json(),
        "redis_restart": {
            "run": kill.json(),
            "creates_asked": creates,
            "orders_held": orders.len(),
            "distinct_creates_held": per_create.len(),
            "created_twice": doubled,
            "processes_sharing_after_restart": sharing,
        },
    });
    if let Some(parent) = std::path::Path::new(out).parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(out, serde_json::to_string_pretty(&report)?)?;

    println!(
        "{:<52} {:>12} {:>12}",
        "4 × 250 tasks, 2,000 reads", "fleet on", "fleet off"
    );
    let row = |name: &str, key: &str| {
        println!(
            "{name:<52} {:>12} {:>12}",
            fmt(&report["fleet_on"][key]),
            fmt(&report["fleet_off"][key])
        );
    };
    row("responses with 429", "responses_429");
    row("throughput, requests/s (limit 60/s)", "throughput_rps");
    row("throughput / limit", "throughput_of_limit");
    row("failed calls", "calls_failed");
    row("token requests (one key)", "token_requests");
    let r = &report["redis_restart"];
    println!(
        "Redis killed and restarted mid-run: {} failed calls, {} of {} creates held, {} created twice, {} 429s, {} processes sharing again",
        fmt(&r["run"]["calls_failed"]),
        fmt(&r["distinct_creates_held"]),
        creates,
        fmt(&r["created_twice"]),
        fmt(&r["run"]["responses_429"]),
        fmt(&r["processes_sharing_after_restart"]),
    );
    println!("report: {out}");
    emu.shutdown().await;
    Ok(())
}

fn fmt(v: &Value) -> String {
    match v.as_f64() {
        Some(f) if v.is_f64() => format!("{f:.3}"),
        _ => v.to_string(),
    }
}

/// How many processes drew from a Redis budget in the last 10 s.
fn members(redis: &Redis) -> usize {
    let keys = redis.cli(&["--scan", "--pattern", "partner-center:rate:*:members"]);
    keys.lines()
        .map(|k| redis.cli(&["ZCARD", k]).parse().unwrap_or(0))
        .max()
        .unwrap_or(0)
}

/// One scenario on a customer of its own: the workers started and told to go at once;
/// with `kill`, Redis is stopped a third of the way in and started again at two thirds.
async fn scenario(
    emu: &Emulator,
    admin: &PartnerCenter,
    redis_url: Option<&str>,
    mode: &str,
    kill: Option<&mut Redis>,
) -> Res<(Run, String, Option<usize>)> {
    let customer = admin
        .customers()
        .create(&json!({"companyProfile": {"domain": format!("fleet-{mode}-{}.onmicrosoft.com", fastrand::u32(..))},
            "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en",
            "companyName": "Fleet", "defaultAddress": {"country": "US", "city": "Redmond",
            "addressLine1": "1 Microsoft Way", "postalCode": "98052", "firstName": "A", "lastName": "B"}}}))
        .await?
        .id;
    // A key of the scenario's own: its tokens are not the last scenario's.
    let key = {
        use base64::Engine as _;
        let bytes: Vec<u8> = (0..32).map(|_| fastrand::u8(..)).collect();
        partner_center::auth::SecretString::from(
            base64::engine::general_purpose::STANDARD.encode(bytes),
        )
    };
    let (tokens, throttled) = (emu.token_requests(), emu.throttled_requests());
    let mut workers = Vec::new();
    for p in 0..PROCESSES {
        workers.push(Worker::spawn(emu, redis_url, &key, mode, &customer, p)?);
    }
    for w in &mut workers {
        w.ready()?;
    }
    let started = Instant::now();
    for w in &mut workers {
        w.go()?;
    }
    let finish = tokio::task::spawn_blocking(move || {
        workers
            .into_iter()
            .map(Worker::finish)
            .collect::<Res<Vec<Value>>>()
    });
    // With `kill`: Redis stopped a third of the way in, started again at two thirds.
    let expected = (PROCESSES * TASKS * CALLS) as f64 / (f64::from(PACE_PER_MINUTE) / 60.0);
    let third = Duration::from_secs_f64(expected / 3.0);
    let mut kill = kill;
    let (mut stopped, mut restarted, mut sharing) = (false, None::<Instant>, None);
    while !finish.is_finished() {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let Some(redis) = kill.as_deref_mut() else {
            continue;
        };
        let now = started.elapsed();
        if !stopped && now >= third {
            redis.stop();
            stopped = true;
            eprintln!("  Redis stopped at {:.1} s", now.as_secs_f64());
        } else if stopped && restarted.is_none() && now >= third * 2 {
            redis.restart();
            restarted = Some(Instant::now());
            eprintln!("  Redis started again at {:.1} s", now.as_secs_f64());
        } else if sharing.is_none() && restarted.is_some_and(|r| r.elapsed() >= third * 3 / 4) {
            // Most of an outage after the restart: who draws from Redis again.
            sharing = Some(members(redis));
        }
    }
    let results = finish.await??;
    let seconds = started.elapsed().as_secs_f64();
    let sum = |k: &str| {
        results
            .iter()
            .map(|r| r[k].as_u64().unwrap_or(0) as usize)
            .sum()
    };
    let errors = results
        .iter()
        .flat_map(|r| r["errors"].as_array().cloned().unwrap_or_default())
        .filter_map(|e| e.as_str().map(str::to_owned))
        .take(5)
        .collect();
    Ok((
        Run {
            calls_ok: sum("ok"),
            calls_failed: sum("failed"),
            errors,
            seconds,
            throttled: emu.throttled_requests() - throttled,
            token_requests: emu.token_requests() - tokens,
        },
        customer,
        sharing,
    ))
}

/// A worker process: told to go on its stdin, its figures on its stdout.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn spawn(
        emu: &Emulator,
        redis_url: Option<&str>,
        key: &partner_center::auth::SecretString,
        mode: &str,
        customer: &str,
        n: usize,
    ) -> Res<Self> {
        use partner_center::auth::ExposeSecret as _;
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.args(["--fleet-worker", mode, customer, &format!("p{n}")])
            .env_clear()
            .env("AZURE_AUTHORITY_HOST", emu.authority_host())
            .env("PARTNER_CENTER_API_URL", emu.api_url())
            .env("AZURE_TENANT_ID", emu.tenant_id())
            .env("AZURE_CLIENT_ID", emu.client_id())
            .env("AZURE_CLIENT_SECRET", emu.client_secret())
            .env("PARTNER_CENTER_RATE_LIMIT", PACE_PER_MINUTE.to_string());
        if let Some(url) = redis_url {
            cmd.env("PARTNER_CENTER_REDIS_URL", url)
                .env("PARTNER_CENTER_FLEET_KEY", key.expose_secret());
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Self {
            child,
            stdin,
            stdout,
        })
    }

    fn ready(&mut self) -> Res<()> {
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        if line.trim() == "ready" {
            Ok(())
        } else {
            Err(format!("a worker did not start: {line:?}").into())
        }
    }

    fn go(&mut self) -> Res<()> {
        self.stdin.write_all(b"go\n")?;
        Ok(self.stdin.flush()?)
    }

    fn finish(mut self) -> Res<Value> {
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        self.child.wait()?;
        Ok(
            serde_json::from_str(&line)
                .map_err(|e| format!("a worker's figures: {e}: {line:?}"))?,
        )
    }
}

/// The worker side (`--fleet-worker MODE CUSTOMER TAG`): a client from the environment,
/// "ready", then on "go" 250 tasks of 2 calls each; prints its figures as one JSON line.
pub(crate) async fn worker(args: &[String]) -> Res<()> {
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .ok_or("usage: --fleet-worker MODE CUSTOMER TAG")
    };
    let at = args
        .iter()
        .position(|a| a == "--fleet-worker")
        .ok_or("--fleet-worker")?;
    let (mode, customer, tag) = (arg(at + 1)?, arg(at + 2)?, arg(at + 3)?);
    let env = |name: &str| std::env::var(name).ok();
    let settings = Settings::resolve(None, None, &env)?;
    let pc = PartnerCenter::from_settings(&settings)?;
    println!("ready");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let tasks = (0..TASKS).map(|t| {
        let pc = pc.clone();
        let (customer, mode, name) = (customer.clone(), mode.clone(), format!("{tag}-{t}"));
        tokio::spawn(async move {
            let mut results = Vec::new();
            for call in 0..CALLS {
                let result = if mode == "create" && call == 0 {
                    let body = json!({"lineItems": [{"lineItemNumber": 0, "offerId": OFFER, "quantity": 1, "friendlyName": name}]});
                    pc.customer(&customer).orders().create(&body).await.map(|_| ())
                } else {
                    pc.customers().get(&customer).await.map(|_| ())
                };
                results.push(result.map_err(|e| e.to_string()));
            }
            results
        })
    });
    let mut ok = 0;
    let mut errors = Vec::new();
    for task in futures_util::future::join_all(tasks).await {
        for result in task? {
            match result {
                Ok(()) => ok += 1,
                Err(e) => errors.push(e),
            }
        }
    }
    let failed = errors.len();
    errors.truncate(3);
    println!("{}", json!({"ok": ok, "failed": failed, "errors": errors}));
    Ok(())
}
