//! `cargo xtask bench`: the SDK's performance promises, measured side by side in one run.
//! Prints a table and writes `target/bench/report.json`. Not a test: timings on shared
//! machines are evidence, not assertions.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // reason: a benchmark program prints, reads the clock and unwraps the emulator's test secret

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures_util::TryStreamExt;
use partner_center::auth::{
    AccessToken, CacheKey, ClientSecretCredential, CloudConfig, ExposeSecret, SecretString,
    TokenCache, TokenCredential,
};
use partner_center::{PartnerCenter, RetryPolicy};
use partner_center_emulator::{Emulator, Fault};
use serde_json::{Value, json};

#[path = "bench/fleet.rs"]
mod fleet;

const PC: &str = "https://api.partnercenter.microsoft.com";
const INGESTION: &str = "https://api.partner.microsoft.com";

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Counts heap allocations, so the bench can show the token read path makes none.
#[global_allocator]
static GLOBAL: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;

fn credential(emu: &Emulator) -> Res<Arc<ClientSecretCredential>> {
    let cloud = CloudConfig::custom(emu.authority_host(), emu.api_url(), emu.ingestion_url())?;
    Ok(Arc::new(
        ClientSecretCredential::new(
            emu.tenant_id(),
            emu.client_id(),
            SecretString::from(emu.client_secret().to_owned()),
        )?
        .with_authority_host(cloud.authority_host)?,
    ))
}

fn client(emu: &Emulator, cred: Arc<dyn TokenCredential>) -> Res<PartnerCenter> {
    let cloud = CloudConfig::custom(emu.authority_host(), emu.api_url(), emu.ingestion_url())?;
    Ok(PartnerCenter::builder()
        .credential(cred)
        .cloud(cloud)
        .retry_policy(RetryPolicy::default())
        .rate_limit(None)
        .build()?)
}

fn cache_hit_ns(threads: usize) -> f64 {
    const OPS: u32 = 2_000_000;
    let cache = Arc::new(TokenCache::new());
    let key = CacheKey::new("h", "t", "c", PC);
    let now = SystemTime::now();
    let token = AccessToken::new(
        SecretString::from("t".to_owned()),
        now + Duration::from_secs(3600),
        now,
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    rt.block_on(cache.get_or_fetch(&key, false, None, || async { Ok(token.clone()) }))
        .unwrap_or_else(|e| panic!("{e}"));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (cache, key) = (cache.clone(), key.clone());
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap_or_else(|e| panic!("runtime: {e}"));
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..OPS {
                        let t = cache
                            .get_or_fetch(&key, false, None, || async { unreachable!("cached") })
                            .await;
                        std::hint::black_box(t.is_ok());
                    }
                    start.elapsed().as_nanos() as f64 / f64::from(OPS)
                })
            })
        })
        .collect();
    let per_thread: Vec<f64> = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(f64::NAN))
        .collect();
    per_thread.iter().sum::<f64>() / per_thread.len() as f64
}

/// Runs `op` `OPS` times on each of `threads` threads started together; the mean time
/// per op per thread, and the heap allocations per op (all threads).
fn per_op<F>(threads: usize, op: F) -> (f64, f64)
where
    F: Fn() + Send + Sync + 'static,
{
    const OPS: u32 = 5_000_000;
    let op = Arc::new(op);
    let start = Arc::new(std::sync::Barrier::new(threads));
    let region = stats_alloc::Region::new(GLOBAL);
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (op, start) = (op.clone(), start.clone());
            std::thread::spawn(move || {
                for _ in 0..1000 {
                    op(); // warm the thread's arc-swap slots and caches
                }
                start.wait();
                let t0 = Instant::now();
                for _ in 0..OPS {
                    op();
                }
                t0.elapsed().as_nanos() as f64 / f64::from(OPS)
            })
        })
        .collect();
    let times: Vec<f64> = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(f64::NAN))
        .collect();
    let allocations = region.change().allocations as f64;
    (
        times.iter().sum::<f64>() / times.len() as f64,
        allocations / (f64::from(OPS) * threads as f64),
    )
}

/// The warm token read through the public credential API: `cached_token` (the lock-free
/// path every `Credential::token` call takes first), on 1 and 2 threads, with the heap
/// allocations per read; and `get_token` (the async trait call) beside it.
async fn credential_read(emu: &Emulator) -> Res<Value> {
    let cred = credential(emu)?;
    cred.get_token(PC, &Default::default()).await?;
    let read = {
        let cred = cred.clone();
        move || {
            let token = cred.cached_token(std::hint::black_box(PC));
            std::hint::black_box(token.as_ref().map(|t| t.expires_on()));
        }
    };
    let (ns1, allocs1) = tokio::task::spawn_blocking({
        let read = read.clone();
        move || per_op(1, read)
    })
    .await?;
    let (ns2, allocs2) = tokio::task::spawn_blocking(move || per_op(2, read)).await?;
    let get_token_ns = tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        per_op(1, move || {
            let t = rt.block_on(cred.get_token(PC, &Default::default()));
            std::hint::black_box(t.is_ok());
        })
    })
    .await?;
    Ok(json!({
        "threads_1": ns1,
        "threads_2": ns2,
        "scaling_2_vs_1": ns2 / ns1,
        "allocations_per_read": allocs1.max(allocs2),
        "get_token_ns_threads_1": get_token_ns.0,
        "get_token_allocations_per_call": get_token_ns.1,
    }))
}

async fn stampede(emu: &Emulator, callers: usize) -> Res<Value> {
    let cred = credential(emu)?;
    let before = emu.token_requests();
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let cred = cred.clone();
            tokio::spawn(async move { cred.get_token(PC, &Default::default()).await.map(|_| ()) })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    Ok(
        json!({"callers": callers, "token_requests": emu.token_requests() - before, "ms_to_last": start.elapsed().as_secs_f64() * 1000.0}),
    )
}

async fn scope_isolation(emu: &Emulator) -> Res<f64> {
    let cred = credential(emu)?;
    cred.get_token(PC, &Default::default()).await?;
    // The next token request (the other scope's) waits 500 ms at the token endpoint.
    emu.inject(
        format!("latency,ms=500,next=1,route=/{}/oauth2", emu.tenant_id()).parse::<Fault>()?,
    );
    let slow = {
        let cred = cred.clone();
        tokio::spawn(async move {
            cred.get_token(INGESTION, &Default::default())
                .await
                .map(|_| ())
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut samples = Vec::with_capacity(20_000);
    while !slow.is_finished() && samples.len() < 20_000 {
        let t = Instant::now();
        cred.get_token(PC, &Default::default()).await?;
        samples.push(t.elapsed().as_secs_f64() * 1e6);
        if samples.len() % 100 == 0 {
            tokio::task::yield_now().await;
        }
    }
    slow.await??;
    samples.sort_by(f64::total_cmp);
    Ok(samples
        .get(samples.len() * 99 / 100)
        .copied()
        .unwrap_or(f64::NAN))
}

async fn rps<F, Fut>(concurrency: usize, run_for: Duration, call: F) -> Res<f64>
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Res<()>> + Send,
{
    let deadline = Instant::now() + run_for;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    call().await?;
                    n += 1;
                }
                Ok::<u64, Box<dyn std::error::Error + Send + Sync>>(n)
            })
        })
        .collect();
    let mut total = 0;
    for w in workers {
        total += w.await??;
    }
    Ok(total as f64 / run_for.as_secs_f64())
}

async fn sdk_vs_raw(emu: &Emulator, concurrency: usize) -> Res<(f64, f64)> {
    let cred = credential(emu)?;
    let pc = client(emu, cred.clone())?;
    let token = cred.get_token(PC, &Default::default()).await?;
    let bearer = format!("Bearer {}", token.secret().expose_secret());
    let url = format!(
        "{}/v1/offers/031C9E47-4802-4248-838E-778FB1D2CC05?country=US",
        emu.api_url()
    );
    let http = reqwest::Client::new();
    // Interleaved short rounds, so drift on a shared machine hits both sides alike.
    let round = Duration::from_millis(400);
    pc.offers("US")
        .get("031C9E47-4802-4248-838E-778FB1D2CC05")
        .await?; // warm the pool
    let (mut raw, mut sdk) = (0.0, 0.0);
    for _ in 0..5 {
        let (http, url, bearer) = (http.clone(), url.clone(), bearer.clone());
        raw += rps(concurrency, round, move || {
            let (http, url, bearer) = (http.clone(), url.clone(), bearer.clone());
            async move {
                // The same request as the SDK's: its headers, fresh ids each time.
                let body = http
                    .get(&url)
                    .header("authorization", bearer)
                    .header("accept", "application/json")
                    .header("ms-requestid", uuid_v4())
                    .header("ms-correlationid", uuid_v4())
                    .header("ms-contract-version", "v1")
                    .header("user-agent", "raw-reqwest/1")
                    .send()
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await?;
                let offer: partner_center::models::Offer = serde_json::from_slice(&body)?;
                std::hint::black_box(offer);
                Ok(())
            }
        })
        .await?;
        let pc = pc.clone();
        sdk += rps(concurrency, round, move || {
            let pc = pc.clone();
            async move {
                std::hint::black_box(
                    pc.offers("US")
                        .get("031C9E47-4802-4248-838E-778FB1D2CC05")
                        .await?,
                );
                Ok(())
            }
        })
        .await?;
    }
    let (raw, sdk) = (raw / 5.0, sdk / 5.0);
    Ok((sdk, raw))
}

fn uuid_v4() -> String {
    let n = fastrand::u128(..);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        n >> 96,
        (n >> 80) & 0xffff,
        (n >> 68) & 0xfff,
        0x8000 | ((n >> 52) & 0x3fff),
        n & 0xffff_ffff_ffff
    )
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// An emulator in its own process (`emulator serve ARGS…`), and a client of it.
fn serve(cli: &str, args: &[&str]) -> Res<(std::process::Child, Value, PartnerCenter)> {
    let mut child = Command::new(cli)
        .args([
            "emulator",
            "serve",
            "-o",
            "json",
            "--port",
            "0",
            "--no-rate-limit",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    {
        use std::io::BufRead;
        let out = child.stdout.as_mut().ok_or("no stdout")?;
        std::io::BufReader::new(out).read_line(&mut line)?;
    }
    let info: Value = serde_json::from_str(&line)?;
    let s = |k: &str| info[k].as_str().unwrap_or_default().to_owned();
    let cloud = CloudConfig::custom(&s("authority_host"), &s("api_url"), &s("ingestion_url"))?;
    let cred = ClientSecretCredential::new(
        &s("tenant_id"),
        &s("client_id"),
        SecretString::from(s("client_secret")),
    )?
    .with_authority_host(cloud.authority_host.clone())?;
    let pc = PartnerCenter::builder()
        .credential(Arc::new(cred))
        .cloud(cloud)
        .rate_limit(None)
        .build()?;
    Ok((child, info, pc))
}

/// Runs in its own process, against an emulator in another process, so the peak RSS is
/// the client's alone.
async fn paging_only(cli: &str) -> Res<()> {
    let (mut child, _, pc) = serve(cli, &["--seed-customers", "100000", "--page-size", "500"])?;
    let start = Instant::now();
    let mut n = 0u64;
    let mut stream = pc.customers().list_with_page_size(500);
    while let Some(c) = stream.try_next().await? {
        std::hint::black_box(c);
        n += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "{}",
        json!({"items": n, "items_per_s": n as f64 / secs, "peak_rss_mib": peak_rss_mib()})
    );
    Ok(())
}

/// How many invoice line items the export measure writes.
const EXPORT_ROWS: u64 = 1_000_000;

/// Exports the emulator's invoice of [`EXPORT_ROWS`] line items to a CSV file, in its own
/// process: through the SDK (`sdk`: `LineItemExport`, checkpoints and all) or through a
/// bare loop (`raw`: reqwest for the pages, following `links.next` with its header, serde
/// into `Value`, the `csv` crate for the same columns).
async fn export_only(cli: &str, mode: &str) -> Res<()> {
    use partner_center::export::{ExportFormat, LineItemExport};
    use partner_center::models::LineItemKind;
    use partner_center::{Invoices, LineItemType, Provider};

    let rows = EXPORT_ROWS.to_string();
    let (mut child, info, pc) = serve(cli, &["--billing-line-items", &rows])?;
    let invoices = pc.invoices();
    let id = invoices.list().try_next().await?.ok_or("no invoice")?.id;
    let from = Invoices::line_items_from(&id, Provider::OneTime, LineItemType::Billing);
    let out =
        std::env::temp_dir().join(format!("pc-bench-export-{mode}-{}.csv", std::process::id()));
    let start = Instant::now();
    let written = if mode == "sdk" {
        LineItemExport::new(from, LineItemKind::OneTime, ExportFormat::Csv, &out)
            .run(|c| invoices.raw_pages(c), |_| {})
            .await?
            .rows
    } else {
        let token = credential_from(&info)?
            .get_token(PC, &Default::default())
            .await?
            .secret()
            .expose_secret()
            .to_owned();
        let base = format!("{}/v1", info["api_url"].as_str().unwrap_or_default());
        let http = reqwest::Client::new();
        let columns = LineItemKind::OneTime.columns();
        let mut w = csv::Writer::from_path(&out)?;
        w.write_record(columns.iter().copied().chain(["extra"]))?;
        let (mut uri, mut headers) = (from.uri, Vec::<(String, String)>::new());
        let mut n = 0u64;
        loop {
            let mut request = http.get(format!("{base}{uri}")).bearer_auth(&token);
            for (k, v) in &headers {
                request = request.header(k.as_str(), v.as_str());
            }
            let page: Value = serde_json::from_slice(&request.send().await?.bytes().await?)?;
            for item in page["items"].as_array().into_iter().flatten() {
                let cell = |c: &&str| match &item[*c] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                w.write_record(columns.iter().map(cell).chain([String::new()]))?;
                n += 1;
            }
            let Some(next) = page["links"]["next"].as_object() else {
                break;
            };
            uri = next["uri"].as_str().unwrap_or_default().to_owned();
            headers = next["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|h| {
                    (
                        h["key"].as_str().unwrap_or_default().to_owned(),
                        h["value"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
        }
        w.flush()?;
        n
    };
    let secs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&out);
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "{}",
        json!({"rows": written, "rows_per_s": written as f64 / secs, "peak_rss_mib": peak_rss_mib()})
    );
    Ok(())
}

fn credential_from(info: &Value) -> Res<ClientSecretCredential> {
    let s = |k: &str| info[k].as_str().unwrap_or_default().to_owned();
    Ok(ClientSecretCredential::new(
        &s("tenant_id"),
        &s("client_id"),
        SecretString::from(s("client_secret")),
    )?
    .with_authority_host(partner_center::Url::parse(&s("authority_host"))?)?)
}

fn cli_inspect_ms_median(cli: &str, token: &str) -> Res<f64> {
    let mut times = Vec::new();
    for _ in 0..31 {
        let start = Instant::now();
        let out = Command::new(cli)
            .args(["auth", "inspect", "-o", "json", token])
            .stdout(Stdio::piped())
            .output()?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        if !out.status.success() {
            return Err("auth inspect failed".into());
        }
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--fleet-worker") {
        return fleet::worker(&args).await;
    }
    if args.iter().any(|a| a == "--fleet") {
        let out = args
            .iter()
            .position(|a| a == "--out")
            .and_then(|i| args.get(i + 1))
            .map_or("target/bench/fleet.json", String::as_str);
        return fleet::run(out).await;
    }
    let cli = args
        .iter()
        .position(|a| a == "--cli")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .ok_or("usage: pc-bench --cli PATH [--out FILE] | pc-bench --fleet [--out FILE]")?;
    if args.iter().any(|a| a == "--token-read-only") {
        let emu = Emulator::builder().start().await?;
        let read = credential_read(&emu).await?;
        println!("{}", serde_json::to_string_pretty(&read)?);
        return Ok(());
    }
    if args.iter().any(|a| a == "--paging-only") {
        return paging_only(&cli).await;
    }
    if let Some(i) = args.iter().position(|a| a == "--export-only") {
        return export_only(&cli, args.get(i + 1).map_or("sdk", String::as_str)).await;
    }
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "target/bench/report.json".to_owned());

    eprintln!("measuring the token cache…");
    let hit1 = tokio::task::spawn_blocking(|| cache_hit_ns(1)).await?;
    let hit8 = tokio::task::spawn_blocking(|| cache_hit_ns(8)).await?;

    let emu = Emulator::builder()
        .rate_limit_per_minute(None)
        .start()
        .await?;
    eprintln!("measuring the credential's lock-free token read…");
    let read = credential_read(&emu).await?;
    eprintln!("measuring cold-cache stampedes…");
    let mut stampedes = Vec::new();
    for callers in [1, 100, 1000, 10_000] {
        stampedes.push(stampede(&emu, callers).await?);
    }
    eprintln!("measuring scope isolation…");
    let isolation_p99 = scope_isolation(&emu).await?;
    eprintln!("measuring SDK vs raw reqwest…");
    let (sdk1, raw1) = sdk_vs_raw(&emu, 1).await?;
    let (sdk64, raw64) = sdk_vs_raw(&emu, 64).await?;
    let token = credential(&emu)?
        .get_token(PC, &Default::default())
        .await?
        .secret()
        .expose_secret()
        .to_owned();
    emu.shutdown().await;

    eprintln!("measuring paging 100,000 customers (separate processes)…");
    let exe = std::env::current_exe()?;
    let paging_out = Command::new(exe)
        .args(["--cli", &cli, "--paging-only"])
        .output()?;
    let paging: Value = serde_json::from_slice(&paging_out.stdout).map_err(|e| {
        format!(
            "paging run: {e}; {}",
            String::from_utf8_lossy(&paging_out.stderr)
        )
    })?;
    eprintln!(
        "measuring an export of 1,000,000 line items to CSV, SDK and bare loop (separate processes)…"
    );
    let export_run = |mode: &str| -> Res<Value> {
        let exe = std::env::current_exe()?;
        let run = Command::new(exe)
            .args(["--cli", &cli, "--export-only", mode])
            .output()?;
        serde_json::from_slice(&run.stdout).map_err(|e| {
            format!(
                "export run ({mode}): {e}; {}",
                String::from_utf8_lossy(&run.stderr)
            )
            .into()
        })
    };
    let (export_sdk, export_raw) = (export_run("sdk")?, export_run("raw")?);
    let export_ratio = export_sdk["rows_per_s"].as_f64().unwrap_or(f64::NAN)
        / export_raw["rows_per_s"].as_f64().unwrap_or(f64::NAN);
    eprintln!("measuring CLI start-up…");
    let inspect_ms = cli_inspect_ms_median(&cli, &token)?;

    let report = json!({
        "token_cache_hit_ns": {"threads_1": hit1, "threads_8": hit8},
        "token_read_ns": read,
        "stampede": stampedes,
        "scope_isolation": {"cached_read_p99_us_during_other_refresh": isolation_p99},
        "sdk_vs_raw_rps_ratio": {"c1": sdk1 / raw1, "c64": sdk64 / raw64},
        "sdk_vs_raw_rps": {"c1": {"sdk": sdk1, "raw": raw1}, "c64": {"sdk": sdk64, "raw": raw64}},
        "paging_100k": {"items_per_s": paging["items_per_s"], "peak_rss_mib": paging["peak_rss_mib"], "items": paging["items"]},
        "export_1m": {"rows": export_sdk["rows"], "rows_per_s": export_sdk["rows_per_s"], "peak_rss_mib": export_sdk["peak_rss_mib"],
            "raw_rows_per_s": export_raw["rows_per_s"], "raw_peak_rss_mib": export_raw["peak_rss_mib"], "sdk_vs_raw_ratio": export_ratio},
        "cli_inspect_ms_median": inspect_ms,
        "machine": {"cores": std::thread::available_parallelism().map(std::num::NonZeroUsize::get).unwrap_or(0), "os": std::env::consts::OS, "arch": std::env::consts::ARCH},
    });
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&report)?)?;

    println!("{:<58} {:>14}", "measure", "value");
    println!("{:<58} {:>11.1} ns", "cached token lookup, 1 thread", hit1);
    println!(
        "{:<58} {:>11.1} ns",
        "cached token lookup, 8 threads (on this machine's cores)", hit8
    );
    let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    println!(
        "{:<58} {:>11.1} ns",
        "credential cached_token, 1 thread",
        num(&read["threads_1"])
    );
    println!(
        "{:<58} {:>11.1} ns",
        "credential cached_token, 2 threads (per op per thread)",
        num(&read["threads_2"])
    );
    println!(
        "{:<58} {:>14.4}",
        "heap allocations per cached_token read",
        num(&read["allocations_per_read"])
    );
    println!(
        "{:<58} {:>11.1} ns",
        "credential get_token (async, boxed), 1 thread",
        num(&read["get_token_ns_threads_1"])
    );
    for s in &stampedes {
        println!(
            "{:<58} {:>8} req, {:.1} ms",
            format!("cold-cache stampede, {} callers", s["callers"]),
            s["token_requests"],
            s["ms_to_last"].as_f64().unwrap_or(f64::NAN)
        );
    }
    println!(
        "{:<58} {:>11.1} µs",
        "cached read p99 while another scope waits 500 ms", isolation_p99
    );
    println!(
        "{:<58} {:>14.3}",
        format!("SDK / raw reqwest requests/s, c=1 ({sdk1:.0} / {raw1:.0})"),
        sdk1 / raw1
    );
    println!(
        "{:<58} {:>14.3}",
        format!("SDK / raw reqwest requests/s, c=64 ({sdk64:.0} / {raw64:.0})"),
        sdk64 / raw64
    );
    println!(
        "{:<58} {:>10.0} /s",
        "paging 100,000 customers: items",
        paging["items_per_s"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "{:<58} {:>10.1} MiB",
        "paging 100,000 customers: client peak RSS",
        paging["peak_rss_mib"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "{:<58} {:>10.0} /s",
        "export 1,000,000 line items to CSV: rows",
        export_sdk["rows_per_s"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "{:<58} {:>10.1} MiB",
        "export 1,000,000 line items to CSV: client peak RSS",
        export_sdk["peak_rss_mib"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "{:<58} {:>14.3}",
        format!(
            "export SDK / bare reqwest+csv loop, rows/s (raw {:.0} /s)",
            export_raw["rows_per_s"].as_f64().unwrap_or(f64::NAN)
        ),
        export_ratio
    );
    println!(
        "{:<58} {:>11.2} ms",
        "CLI start-up to output, `auth inspect` (median of 31)", inspect_ms
    );
    println!("report: {out}");
    Ok(())
}
