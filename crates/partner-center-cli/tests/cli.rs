//! The CLI's contract, end to end: the binary against the in-process emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{env_from, serve, spawn_serve, stop};

use std::process::{Command, Output, Stdio};

use partner_center_emulator::{Emulator, Fault};

const BIN: &str = env!("CARGO_BIN_EXE_partner-center");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the CLI with a clean environment (no user config, no ambient credentials).
fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let home = std::env::temp_dir().join(format!("pc-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("HOME", &home)
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into(),
        stderr: String::from_utf8_lossy(&stderr).into(),
    }
}

fn emu_env(emu: &Emulator) -> Vec<(&'static str, String)> {
    common::emulator_env(emu)
}

fn with<'a>(
    env: &'a [(&'static str, String)],
    extra: &'a [(&'static str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = env
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .collect();
    out.extend_from_slice(extra);
    out
}

/// Runs the CLI off the test's runtime thread, so the in-process emulator keeps serving.
/// `submissions watch` of one submission, polling every 10 ms, as JSON lines.
async fn watch(env: &[(&str, &str)], product: &str, submission: &str) -> Run {
    run_async(
        &[
            "submissions",
            "watch",
            "--product",
            product,
            submission,
            "--interval-ms",
            "10",
            "-o",
            "json",
        ],
        env,
    )
    .await
}

async fn run_async(args: &[&str], env: &[(&str, &str)]) -> Run {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let e: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        run(&a, &e, None)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_token_good_secret_raw_and_no_leaks_at_trace() {
    let emu = Emulator::builder().start().await.unwrap();
    let env = emu_env(&emu);
    let ok = run_async(&["auth", "token", "-o", "json"], &with(&env, &[])).await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let summary: serde_json::Value = serde_json::from_str(&ok.stdout).unwrap();
    assert_eq!(
        summary["audience"],
        "https://api.partnercenter.microsoft.com"
    );
    assert_eq!(summary["app_id"], emu.client_id());
    assert!(
        !ok.stdout.contains("eyJ"),
        "the summary never shows the token"
    );

    let ingestion = run_async(
        &["auth", "token", "--api", "ingestion", "-o", "json"],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(ingestion.code, 0, "{}", ingestion.stderr);
    assert!(
        ingestion
            .stdout
            .contains("https://api.partner.microsoft.com")
    );

    let raw = run_async(&["auth", "token", "--raw"], &with(&env, &[])).await;
    assert_eq!(raw.code, 0);
    let token = raw.stdout.trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "--raw prints the JWT alone");
    assert_eq!(raw.stdout.lines().count(), 1);

    // Everything at the highest verbosity: no secret, no token.
    let noisy = run_async(
        &["-vvv", "auth", "token"],
        &with(&env, &[("RUST_LOG", "trace")]),
    )
    .await;
    assert_eq!(noisy.code, 0, "{}", noisy.stderr);
    let all = format!("{}{}", noisy.stdout, noisy.stderr);
    assert!(
        noisy.stderr.contains("requesting a token"),
        "trace logging is on: {}",
        noisy.stderr
    );
    assert!(!all.contains(emu.client_secret()), "secret leaked");
    assert!(!all.contains("eyJ"), "a token leaked: {all}");
    let listed = run_async(
        &["-vvv", "customers", "list", "-o", "json"],
        &with(&env, &[("RUST_LOG", "trace")]),
    )
    .await;
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(!format!("{}{}", listed.stdout, listed.stderr).contains("eyJ"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_missing_credentials_exit_3_with_code_and_hint() {
    let emu = Emulator::builder().start().await.unwrap();
    let env = emu_env(&emu);
    let bad = run_async(
        &["auth", "token"],
        &with(&env, &[("AZURE_CLIENT_SECRET", "CANARY-wrong-secret")]),
    )
    .await;
    assert_eq!(bad.code, 3, "{}", bad.stderr);
    assert!(bad.stderr.contains("AADSTS7000215"), "{}", bad.stderr);
    assert!(bad.stderr.contains("hint:"), "{}", bad.stderr);
    assert!(bad.stderr.contains("trace id:"), "{}", bad.stderr);
    assert!(!bad.stderr.contains("CANARY-wrong-secret"));

    let expired = run_async(
        &["auth", "token"],
        &with(&env, &[("AZURE_CLIENT_SECRET", emu.expired_secret())]),
    )
    .await;
    assert_eq!(expired.code, 3);
    assert!(
        expired.stderr.contains("AADSTS7000222") && expired.stderr.contains("expired"),
        "{}",
        expired.stderr
    );

    let missing = run_async(&["auth", "token"], &[]).await;
    assert_eq!(missing.code, 3, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("missing credentials"),
        "{}",
        missing.stderr
    );
}

#[test]
fn malformed_jwt_and_insecure_authority_are_usage_errors() {
    let bad = run(&["auth", "inspect", "not.a-jwt"], &[], None);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("malformed JWT"));
    let piped = run(&["auth", "inspect"], &[], Some("garbage\n"));
    assert_eq!(piped.code, 2);
    let insecure = run(
        &["auth", "token"],
        &[
            ("AZURE_AUTHORITY_HOST", "http://login.example.com"),
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s"),
        ],
        None,
    );
    assert_eq!(insecure.code, 2, "{}", insecure.stderr);
    assert!(insecure.stderr.contains("loopback"));
    let unknown_flag = run(&["auth", "token", "--frobnicate"], &[], None);
    assert_eq!(unknown_flag.code, 2);
}

#[test]
fn inspect_decodes_from_stdin_and_marks_expiry() {
    // header {"alg":"RS256","typ":"JWT"}; claims {"aud":"https://api.partnercenter.microsoft.com","exp":1000,"tid":"t"}
    let token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaS5wYXJ0bmVyY2VudGVyLm1pY3Jvc29mdC5jb20iLCJleHAiOjEwMDAsInRpZCI6InQifQ.c2ln";
    let json = run(&["auth", "inspect", "-o", "json", "-"], &[], Some(token));
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["header"]["alg"], "RS256");
    assert_eq!(v["claims"]["tid"], "t");
    let table = run(&["auth", "inspect", "-o", "table", token], &[], None);
    assert!(table.stdout.contains("EXPIRED"), "{}", table.stdout);
    assert!(table.stdout.contains("1970-01-01T00:16:40Z"));
}

/// The path of `name` in a directory of this test run's own, named by `tag`.
fn scratch(tag: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `auth token` with the config file at `path` and `profile`, no environment.
fn token_with_profile(path: &std::path::Path, profile: &str) -> Run {
    run(
        &[
            "--config",
            path.to_str().unwrap(),
            "--profile",
            profile,
            "auth",
            "token",
        ],
        &[],
        None,
    )
}

#[test]
fn plaintext_secret_in_config_is_refused() {
    let path = scratch("pc-cfg", "config.toml");
    std::fs::write(&path, "[profiles.sandbox]\ntenant = \"t\"\nclient_id = \"c\"\nclient_secret = \"CANARY-plaintext\"\n").unwrap();
    let r = token_with_profile(&path, "sandbox");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("client_secret_env"), "{}", r.stderr);
    assert!(!r.stderr.contains("CANARY-plaintext"));
    std::fs::write(&path, "[profiles.sandbox]\ntenant = 7\n").unwrap();
    let wrong_type = token_with_profile(&path, "sandbox");
    assert_eq!(wrong_type.code, 2, "{}", wrong_type.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_references_a_secret_in_the_environment() {
    let emu = Emulator::builder().start().await.unwrap();
    let path = scratch("pc-prof", "config.toml");
    std::fs::write(
        &path,
        format!(
            "[profiles.sandbox]\ntenant = \"{}\"\nclient_id = \"{}\"\nauthority_host = \"{}\"\napi_url = \"{}\"\nclient_secret_env = \"PC_SANDBOX_SECRET\"\n",
            emu.tenant_id(),
            emu.client_id(),
            emu.authority_host(),
            emu.api_url()
        ),
    )
    .unwrap();
    let cfg = path.to_str().unwrap().to_owned();
    let r = run_async(
        &[
            "--config",
            &cfg,
            "--profile",
            "sandbox",
            "auth",
            "token",
            "-o",
            "json",
        ],
        &[("PC_SANDBOX_SECRET", emu.client_secret())],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let via_env = run_async(
        &["--config", &cfg, "auth", "token", "-o", "json"],
        &[
            ("PC_SANDBOX_SECRET", emu.client_secret()),
            ("PARTNER_CENTER_PROFILE", "sandbox"),
        ],
    )
    .await;
    assert_eq!(via_env.code, 0, "{}", via_env.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_list_all_follows_paging_and_keeps_every_item() {
    let emu = Emulator::builder()
        .seed_customers(250)
        .page_size(40)
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    let env = emu_env(&emu);
    let r = run_async(
        &["customers", "list", "--all", "-o", "json"],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(items.len(), 250);
    let first_page = run_async(&["customers", "list", "-o", "json"], &with(&env, &[])).await;
    let items: Vec<serde_json::Value> = serde_json::from_str(&first_page.stdout).unwrap();
    assert_eq!(items.len(), 100, "without --all: one page of 100");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_refusal_transient_and_undecodable_map_to_4_5_6() {
    let emu = Emulator::builder().start().await.unwrap();
    let env = emu_env(&emu);
    let missing = run_async(&["customers", "get", "no-such-customer"], &with(&env, &[])).await;
    assert_eq!(missing.code, 4, "{}", missing.stderr);
    assert!(missing.stderr.contains("request id:"), "{}", missing.stderr);

    emu.inject("500,next=20,route=/v1/customers".parse::<Fault>().unwrap());
    let down = run_async(&["customers", "list"], &with(&env, &[])).await;
    assert_eq!(down.code, 5, "{}", down.stderr);
    assert!(down.stderr.contains("request id:"), "{}", down.stderr);

    let emu2 = Emulator::builder()
        .fault("502,next=20,route=/v1/offers".parse().unwrap())
        .start()
        .await
        .unwrap();
    let env2 = emu_env(&emu2);
    let html = run_async(&["offers", "list", "--country", "US"], &with(&env2, &[])).await;
    assert_eq!(html.code, 5, "{}", html.stderr);
    assert!(
        html.stderr.contains("502 Bad Gateway") && !html.stderr.contains("<html>"),
        "{}",
        html.stderr
    );

    let emu3 = Emulator::builder()
        .fault("truncate,next=1,route=/v1/offers".parse().unwrap())
        .start()
        .await
        .unwrap();
    let env3 = emu_env(&emu3);
    let cut = run_async(&["offers", "list", "--country", "US"], &with(&env3, &[])).await;
    assert_eq!(cut.code, 6, "{}", cut.stderr);
    assert!(
        cut.stderr.contains("could not be decoded"),
        "{}",
        cut.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_list_follows_odata_next_links_and_keeps_unknown_fields() {
    let emu = Emulator::builder().start().await.unwrap();
    let mut server = mockito::Server::new_async().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let items: Vec<String> = ids.iter().map(|id| format!(r#"{{"resourceType":"AzureApplication","id":"{id}","name":"P {id}","futureField":{{"n":1}}}}"#)).collect();
        let next = next.map_or(String::new(), |n| format!(r#","@odata.nextLink":"{n}""#));
        format!(r#"{{"value":[{}]{next}}}"#, items.join(","))
    };
    server
        .mock("GET", "/v1.0/ingestion/products")
        .match_query(mockito::Matcher::Missing)
        .match_header(
            "client-request-id",
            mockito::Matcher::Regex("^[0-9a-f-]{36}$".into()),
        )
        .with_header("request-id", "server-rid-1")
        .with_body(page(&["p1", "p2"], Some("products?$skipToken=abc")))
        .create_async()
        .await;
    server
        .mock("GET", "/v1.0/ingestion/products")
        .match_query(mockito::Matcher::UrlEncoded(
            "$skipToken".into(),
            "abc".into(),
        ))
        .with_body(page(
            &["p3"],
            Some(&format!(
                "{}/v1.0/ingestion/products?$skipToken=def",
                server.url()
            )),
        ))
        .create_async()
        .await;
    server
        .mock("GET", "/v1.0/ingestion/products")
        .match_query(mockito::Matcher::UrlEncoded(
            "$skipToken".into(),
            "def".into(),
        ))
        .with_body(page(&["p4"], None))
        .create_async()
        .await;
    let mut env = emu_env(&emu);
    env.retain(|(k, _)| *k != "PARTNER_CENTER_INGESTION_URL");
    let url = server.url();
    let r = run_async(
        &["products", "list", "-o", "json"],
        &with(&env, &[("PARTNER_CENTER_INGESTION_URL", url.as_str())]),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        items
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["p1", "p2", "p3", "p4"]
    );
    assert_eq!(items[3]["futureField"]["n"], 1);

    // An ingestion error carries the service's Request-ID.
    server
        .mock("GET", "/v1.0/ingestion/products/nope")
        .with_status(404)
        .with_header("request-id", "server-rid-404")
        .with_body(r#""Product nope was not found.""#)
        .create_async()
        .await;
    let missing = run_async(
        &["products", "get", "nope"],
        &with(&env, &[("PARTNER_CENTER_INGESTION_URL", url.as_str())]),
    )
    .await;
    assert_eq!(missing.code, 4, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("Product nope was not found.")
            && missing.stderr.contains("server-rid-404"),
        "{}",
        missing.stderr
    );
}

/// `products create` of an Azure Application with the offer id `offer`; its id (a create
/// prints the object).
async fn create_product(env: &[(&'static str, String)], offer: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("product.json");
    let product = serde_json::json!({"resourceType": "AzureApplication", "name": "Contoso",
        "externalIDs": [{"type": "AzureOfferId", "value": offer}]});
    std::fs::write(&file, product.to_string()).unwrap();
    let created = run_async(
        &[
            "products",
            "create",
            "--file",
            file.to_str().unwrap(),
            "-o",
            "json",
        ],
        &with(env, &[]),
    )
    .await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    let product: serde_json::Value = serde_json::from_str(&created.stdout).unwrap();
    product["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_create_and_watch_show_a_certification_failure() {
    let emu = Emulator::builder()
        .submission_step(std::time::Duration::from_millis(30))
        .start()
        .await
        .unwrap();
    let env = emu_env(&emu);
    // A create prints the object (docs/cli.md: one shape per kind of result).
    let id = create_product(&env, "contoso").await;

    let branches = run_async(
        &[
            "branches",
            "list",
            "--product",
            &id,
            "--module",
            "Listing",
            "-o",
            "json",
        ],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(branches.code, 0, "{}", branches.stderr);
    assert!(branches.stdout.contains("currentDraftInstanceID"));

    let submitted = run_async(
        &["submissions", "create", "--product", &id, "-o", "json"],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(submitted.code, 0, "{}", submitted.stderr);
    let sub: serde_json::Value = serde_json::from_str(&submitted.stdout).unwrap();
    let sid = sub["id"].as_str().unwrap().to_owned();

    let watched = watch(&with(&env, &[]), &id, &sid).await;
    assert_eq!(watched.code, 4, "{}", watched.stderr);
    let lines: Vec<serde_json::Value> = watched
        .stdout
        .lines()
        .filter(|l| l.starts_with('{') && !l.contains("validations"))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines.iter().any(|l| l["substate"] == "Submitted"),
        "{}",
        watched.stdout
    );
    assert!(
        watched.stdout.contains("LST-0021"),
        "the validation items reach the user: {}",
        watched.stdout
    );
    assert!(
        lines.iter().all(|l| l["at"].is_string()),
        "events carry their time"
    );

    // Fixed from the command line: the draft listing, then a new submission.
    let listed = run_async(
        &["listings", "list", "--product", &id, "-o", "json"],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let listing: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let lid = listing[0]["id"].as_str().unwrap().to_owned();
    let description = "Contoso keeps every invoice reconciled, every night, for every customer.";
    let updated = run_async(
        &[
            "listings",
            "update",
            "--product",
            &id,
            &lid,
            "--title",
            "Contoso Reconcile",
            "--description",
            description,
            "-o",
            "json",
        ],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    let updated: serde_json::Value = serde_json::from_str(&updated.stdout).unwrap();
    assert_eq!(updated["description"], description);
    assert_eq!(updated["title"], "Contoso Reconcile");
    let again = run_async(
        &["submissions", "create", "--product", &id, "-o", "json"],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    let sid: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    let passed = watch(&with(&env, &[]), &id, sid["id"].as_str().unwrap()).await;
    assert_eq!(
        passed.code, 0,
        "certification passes: {}{}",
        passed.stdout, passed.stderr
    );
}

/// What certification and the marketplace read besides the listing: the draft's
/// properties and availability, edited from the command line as the listing is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn properties_and_availabilities_are_edited_from_the_cli() {
    let emu = Emulator::builder().start().await.unwrap();
    let env = emu_env(&emu);
    let dir = tempfile::tempdir().unwrap();
    let id = create_product(&env, "contoso-drafts").await;
    let json = |out: &Run| -> serde_json::Value {
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap()
    };

    let listed = json(
        &run_async(
            &["properties", "list", "--product", &id, "-o", "json"],
            &with(&env, &[]),
        )
        .await,
    );
    let pid = listed[0]["id"].as_str().unwrap().to_owned();
    let etag = listed[0]["@odata.etag"].clone();
    let changes = dir.path().join("property.json");
    std::fs::write(
        &changes,
        r#"{"leveledCategories": {"developer-tools": ["devService"]}}"#,
    )
    .unwrap();
    let updated = json(
        &run_async(
            &[
                "properties",
                "update",
                "--product",
                &id,
                &pid,
                "--categories",
                "developer-tools,analytics",
                "--terms-of-use",
                "https://contoso.com/terms",
                "--use-enterprise-contract",
                "false",
                "--file",
                changes.to_str().unwrap(),
                "-o",
                "json",
            ],
            &with(&env, &[]),
        )
        .await,
    );
    assert_eq!(
        updated["categories"],
        serde_json::json!(["developer-tools", "analytics"])
    );
    assert_eq!(updated["termsOfUse"], "https://contoso.com/terms");
    assert_eq!(updated["useEnterpriseContract"], false);
    assert_eq!(
        updated["leveledCategories"]["developer-tools"][0],
        "devService"
    );
    assert_ne!(updated["@odata.etag"], etag, "the etag moves on");
    let got = json(
        &run_async(
            &["properties", "get", "--product", &id, &pid, "-o", "json"],
            &with(&env, &[]),
        )
        .await,
    );
    assert_eq!(got, updated);

    let listed = json(
        &run_async(
            &["availabilities", "list", "--product", &id, "-o", "json"],
            &with(&env, &[]),
        )
        .await,
    );
    let aid = listed[0]["id"].as_str().unwrap().to_owned();
    let updated = json(
        &run_async(
            &[
                "availabilities",
                "update",
                "--product",
                &id,
                &aid,
                "--visibility",
                "Private",
                "-o",
                "json",
            ],
            &with(&env, &[]),
        )
        .await,
    );
    assert_eq!(updated["visibility"], "Private");
    let table = run_async(
        &["availabilities", "list", "--product", &id, "-o", "table"],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        table.stdout.contains("VISIBILITY") && table.stdout.contains("Private"),
        "{}",
        table.stdout
    );

    // Nothing to change is a usage error, not a PUT that only moves the etag.
    let idle = run_async(
        &["availabilities", "update", "--product", &id, &aid],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(idle.code, 2, "{}", idle.stderr);
    assert!(idle.stderr.contains("nothing to change"), "{}", idle.stderr);

    // A file that is not an object is a usage error naming the flag.
    std::fs::write(&changes, "[1]").unwrap();
    let refused = run_async(
        &[
            "availabilities",
            "update",
            "--product",
            &id,
            &aid,
            "--file",
            changes.to_str().unwrap(),
        ],
        &with(&env, &[]),
    )
    .await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--file"), "{}", refused.stderr);
}

#[test]
fn emulator_serve_over_tls_with_its_ca_and_a_clean_sigterm() {
    let (child, info) = serve(&["--tls"]);
    for key in [
        "authority_host",
        "api_url",
        "ingestion_url",
        "tenant_id",
        "client_id",
        "client_secret",
        "ca_cert",
    ] {
        assert!(info.get(key).is_some(), "{key} missing from {info}");
    }
    assert!(
        info["authority_host"]
            .as_str()
            .unwrap()
            .starts_with("https://127.0.0.1:")
    );
    let ca = info["ca_cert"].as_str().unwrap().to_owned();
    let env = env_from(&info);
    let trusted = run(
        &["auth", "token", "-o", "json"],
        &with(&env, &[("SSL_CERT_FILE", ca.as_str())]),
        None,
    );
    assert_eq!(trusted.code, 0, "{}", trusted.stderr);
    let untrusted = run(&["auth", "token"], &with(&env, &[]), None);
    assert_ne!(
        untrusted.code, 0,
        "the generated CA is not trusted without SSL_CERT_FILE"
    );
    assert_eq!(stop(child), 0, "SIGTERM is a clean shutdown");
}

#[test]
fn emulator_serve_keeps_state_across_restarts() {
    let dir = std::env::temp_dir().join(format!("pc-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let customer = dir.join("customer.json");
    std::fs::write(
        &customer,
        r#"{"CompanyProfile":{"Domain":"kept"},"BillingProfile":{"Culture":"en-US","Email":"a@b.example","Language":"en","CompanyName":"Kept","DefaultAddress":{"Country":"US","City":"X","AddressLine1":"1","PostalCode":"1","FirstName":"A","LastName":"B"}}}"#,
    )
    .unwrap();
    let state_arg = state.to_str().unwrap();
    let (child, info) = serve(&["--state", state_arg]);
    let created = run(
        &[
            "customers",
            "create",
            "--file",
            customer.to_str().unwrap(),
            "-o",
            "json",
        ],
        &with(&env_from(&info), &[]),
        None,
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    let created: serde_json::Value = serde_json::from_str(&created.stdout).unwrap();
    assert!(
        created["userCredentials"]["password"]
            .as_str()
            .unwrap()
            .starts_with("Emu-"),
        "create shows the password once"
    );
    assert_eq!(stop(child), 0);
    assert!(
        !std::fs::read_to_string(&state).unwrap().contains("Emu-"),
        "the password is never stored"
    );

    let (child, info) = serve(&["--state", state_arg]);
    let listed = run(
        &["customers", "list", "-o", "json"],
        &with(&env_from(&info), &[]),
        None,
    );
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(
        listed.stdout.contains("kept.onmicrosoft.com"),
        "{}",
        listed.stdout
    );
    assert_eq!(stop(child), 0);
}

/// Every command and every error path at the highest verbosity, with the client secret, a
/// refresh token and access tokens in play: none of them appears in stdout, stderr or the
/// logs (except the access token on `auth token --raw`, whose job that is).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_token_in_any_output_at_trace_level() {
    let emu = Emulator::builder()
        .submission_step(std::time::Duration::from_millis(20))
        .start()
        .await
        .unwrap();
    let secret = emu.client_secret().to_owned();
    let refresh = emu.refresh_token().to_owned();
    let dir = std::env::temp_dir().join(format!("pc-canary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let customer_file = dir.join("customer.json");
    std::fs::write(
        &customer_file,
        r#"{"companyProfile":{"domain":"canary"},"billingProfile":{"culture":"en-US","email":"a@b.example","language":"en","companyName":"Canary","defaultAddress":{"country":"US","city":"X","addressLine1":"1","postalCode":"1","firstName":"A","lastName":"B"}}}"#,
    )
    .unwrap();
    let product_file = dir.join("product.json");
    std::fs::write(&product_file, r#"{"resourceType":"AzureApplication","name":"Canary","externalIDs":[{"type":"AzureOfferId","value":"canary"}]}"#).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.user]\ntenant = \"{}\"\nclient_id = \"{}\"\nauthority_host = \"{}\"\napi_url = \"{}\"\ningestion_url = \"{}\"\nclient_secret_env = \"PC_SECRET\"\nrefresh_token_env = \"PC_REFRESH\"\nendpoint = \"v1\"\n",
            emu.tenant_id(),
            emu.client_id(),
            emu.authority_host(),
            emu.api_url(),
            emu.ingestion_url()
        ),
    )
    .unwrap();
    let env = emu_env(&emu);
    let trace = [("RUST_LOG", "trace")];
    let base = with(&env, &trace);
    let (secret_in, refresh_in) = (secret.clone(), refresh.clone());
    let base: Vec<(String, String)> = base
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let blocking = tokio::task::spawn_blocking(move || {
        let mut outputs = Vec::new();
        let mut go = |args: Vec<String>, env: Vec<(String, String)>| {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let e: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let r = run(&a, &e, None);
            outputs.push((args.join(" "), r));
            outputs
                .last()
                .map(|(_, r)| r.stdout.clone())
                .unwrap_or_default()
        };
        let owned = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<Vec<_>>()
        };
        let args = |s: &str| {
            std::iter::once("-vvv")
                .chain(s.split_whitespace())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let env_owned = base.clone();

        go(args("auth token"), env_owned.clone());
        go(
            args("auth token -o json --api ingestion"),
            env_owned.clone(),
        );
        let created = go(
            args(&format!(
                "customers create -o json --file {}",
                customer_file.display()
            )),
            env_owned.clone(),
        );
        let cid = serde_json::from_str::<serde_json::Value>(&created).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        go(args("customers list --all -o json"), env_owned.clone());
        go(args(&format!("customers get {cid}")), env_owned.clone());
        let order_file = customer_file.with_file_name("order.json");
        std::fs::write(&order_file, r#"{"lineItems":[{"lineItemNumber":0,"offerId":"031C9E47-4802-4248-838E-778FB1D2CC05","quantity":2}]}"#).unwrap();
        go(
            args(&format!(
                "orders create --customer {cid} --file {}",
                order_file.display()
            )),
            env_owned.clone(),
        );
        go(
            args(&format!("orders list --customer {cid}")),
            env_owned.clone(),
        );
        let subs = go(
            args(&format!("subscriptions list --customer {cid} -o json")),
            env_owned.clone(),
        );
        let sid = serde_json::from_str::<serde_json::Value>(&subs).unwrap()[0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        go(
            args(&format!("subscriptions get --customer {cid} {sid}")),
            env_owned.clone(),
        );
        go(
            args(&format!(
                "subscriptions update --customer {cid} {sid} --quantity 3 --auto-renew false"
            )),
            env_owned.clone(),
        );
        go(
            args(&format!(
                "subscriptions update --customer {cid} {sid} --quantity 99"
            )),
            env_owned.clone(),
        ); // 800018
        go(args("offers list --country US"), env_owned.clone());
        let product = go(
            args(&format!(
                "products create -o json --file {}",
                product_file.display()
            )),
            env_owned.clone(),
        );
        let pid = serde_json::from_str::<serde_json::Value>(&product).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        go(args("products list"), env_owned.clone());
        go(args(&format!("products get {pid}")), env_owned.clone());
        go(
            args(&format!("branches list --product {pid}")),
            env_owned.clone(),
        );
        go(
            args(&format!("submissions create --product {pid}")),
            env_owned.clone(),
        );
        go(
            args(&format!("submissions list --product {pid}")),
            env_owned.clone(),
        );
        go(
            args(&format!("submissions get --product {pid} 1")),
            env_owned.clone(),
        );
        go(
            args(&format!(
                "submissions watch --product {pid} 1 --interval-ms 10"
            )),
            env_owned.clone(),
        ); // fails certification
        go(
            args(&format!("submissions promote --product {pid} 1")),
            env_owned.clone(),
        ); // 409
        go(args("customers get nope"), env_owned.clone()); // 404
        // App+User through a profile with a refresh token (rotated on every use).
        let mut user = owned(&[
            ("PC_SECRET", secret_in.as_str()),
            ("PC_REFRESH", refresh_in.as_str()),
            ("RUST_LOG", "trace"),
        ]);
        go(
            args(&format!(
                "--config {} --profile user auth token",
                config.display()
            )),
            user.clone(),
        );
        user.retain(|(k, _)| k != "PC_REFRESH");
        user.push((
            "PC_REFRESH".to_owned(),
            "CANARY-REFRESH-TOKEN-stale".to_owned(),
        ));
        go(
            args(&format!(
                "--config {} --profile user auth token",
                config.display()
            )),
            user,
        ); // refused refresh token
        // Error paths: a wrong secret, missing credentials, a plaintext secret in config.
        let mut wrong = env_owned.clone();
        wrong.retain(|(k, _)| k != "AZURE_CLIENT_SECRET");
        wrong.push((
            "AZURE_CLIENT_SECRET".to_owned(),
            "CANARY-WRONG-SECRET".to_owned(),
        ));
        go(args("customers list"), wrong);
        go(args("auth token"), owned(&[("RUST_LOG", "trace")]));
        let plain = config.with_file_name("plain.toml");
        std::fs::write(
            &plain,
            "[profiles.p]\nclient_secret = \"CANARY-PLAINTEXT\"\n",
        )
        .unwrap();
        go(
            args(&format!(
                "--config {} --profile p auth token",
                plain.display()
            )),
            owned(&[("RUST_LOG", "trace")]),
        );
        outputs
    });
    let outputs = blocking.await.unwrap();
    assert!(outputs.len() >= 25);
    assert!(
        outputs
            .iter()
            .any(|(_, r)| r.stderr.contains("TRACE") || r.stderr.contains("DEBUG")),
        "logs were on"
    );
    for (cmd, r) in &outputs {
        let all = format!("{}\n{}", r.stdout, r.stderr);
        for canary in [
            secret.as_str(),
            refresh.as_str(),
            "emu-rt-",
            "CANARY-WRONG-SECRET",
            "CANARY-PLAINTEXT",
            "CANARY-REFRESH-TOKEN-stale",
        ] {
            assert!(!all.contains(canary), "`{cmd}` printed `{canary}`:\n{all}");
        }
        assert!(!contains_jwt(&all), "`{cmd}` printed a JWT:\n{all}");
    }
}

/// Whether `text` holds something shaped like a JWT (`eyJ….eyJ….`); etags that are base64
/// JSON (`eyJpZCI6…`) are not.
fn contains_jwt(text: &str) -> bool {
    text.match_indices("eyJ").any(|(i, _)| {
        let rest = &text[i..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        rest[end..].starts_with(".eyJ")
    })
}

#[test]
fn jwt_detector() {
    assert!(contains_jwt("x eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.sig y"));
    assert!(!contains_jwt(
        r#""etag": "eyJpZCI6IjA2RUM2NzMyIiwidmVyc2lvbiI6MX0""#
    ));
}

// ---- Hardening (issue 9): every item below failed before its fix. ----

/// A JWT with the given claims JSON (unsigned; inspect never verifies).
fn jwt_with(claims: &str) -> String {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(claims)
    )
}

#[test]
fn inspect_prints_any_time_claim_in_both_renderings() {
    for value in [
        "253402300800",
        "9223372036854775807",
        "-9223372036854775808",
        "1e300",
    ] {
        let token = jwt_with(&format!(r#"{{"exp":{value},"iat":{value},"nbf":{value}}}"#));
        for format in ["table", "json"] {
            let r = run(&["auth", "inspect", "-o", format, &token], &[], None);
            assert_eq!(r.code, 0, "{value} -o {format}: {}", r.stderr);
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        }
    }
}

#[test]
fn local_input_is_capped() {
    let file = run(
        &["customers", "create", "--file", "/dev/zero"],
        &[
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s"),
            ("AZURE_AUTHORITY_HOST", "http://127.0.0.1:1"),
            ("PARTNER_CENTER_API_URL", "http://127.0.0.1:1"),
        ],
        None,
    );
    assert_eq!(file.code, 2, "{}", file.stderr);
    assert!(file.stderr.contains("limit"), "{}", file.stderr);
    let mut child = Command::new(BIN)
        .args(["auth", "inspect"])
        .env_clear()
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(2),
        "stdin /dev/zero is refused, not read for ever"
    );
}

#[test]
fn config_errors_never_quote_a_value() {
    let path = scratch("pc-cfg-quote", "config.toml");
    let cases = [
        "[profiles.sandbox]\ntenant = \"t\"\nclient_secret = CANARY-unquoted\n",
        "client_secret = \"CANARY-top\"\n[profiles.sandbox]\ntenant = \"t\"\n",
        "[profiles.sandbox]\nclientSecret = \"CANARY-camel\"\n",
        "[profiles.sandbox]\nclient-secret = \"CANARY-dash\"\n",
        "[profiles.other]\nAZURE_CLIENT_SECRET = \"CANARY-env\"\n[profiles.sandbox]\ntenant = \"t\"\n",
        "[profiles.sandbox]\nsecret_value = \"CANARY-value\"\n",
        "[profiles.sandbox]\nclient_secrets = [\"CANARY-list\"]\n",
        "[profiles.sandbox]\ntenant = \"CANARY-broken\n",
        "[profiles.sandbox]\ntenant = [\"CANARY-type\"]\n",
        "[profiles.sandbox]\nsandbox = { password = \"CANARY-inline\" }\n",
    ];
    for text in cases {
        std::fs::write(&path, text).unwrap();
        let r = token_with_profile(&path, "sandbox");
        assert_eq!(r.code, 2, "{text}: {}", r.stderr);
        assert!(!r.stderr.contains("CANARY"), "{text}: {}", r.stderr);
        assert!(r.stderr.contains("line"), "{text}: {}", r.stderr);
    }
}

#[test]
fn a_password_in_a_url_is_refused_and_never_shown() {
    for var in ["AZURE_AUTHORITY_HOST", "PARTNER_CENTER_API_URL"] {
        let r = run(
            &["customers", "list"],
            &[
                ("AZURE_TENANT_ID", "t"),
                ("AZURE_CLIENT_ID", "c"),
                ("AZURE_CLIENT_SECRET", "s"),
                (var, "http://user:CANARY-pass@127.0.0.1:1"),
            ],
            None,
        );
        assert_eq!(r.code, 2, "{var}: {}", r.stderr);
        assert!(!r.stderr.contains("CANARY"), "{var}: {}", r.stderr);
    }
}

#[test]
fn germany_says_it_closed_and_what_to_use() {
    let r = run(
        &["auth", "token"],
        &[
            ("PARTNER_CENTER_CLOUD", "germany"),
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s"),
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("2021-10-29") && r.stderr.contains("public"),
        "{}",
        r.stderr
    );
}

#[test]
fn help_lists_exit_codes_and_variables() {
    let r = run(&["--help"], &[], None);
    assert_eq!(r.code, 0);
    for needle in [
        "Exit codes",
        "AZURE_CLIENT_SECRET_FILE",
        "PARTNER_CENTER_INGESTION_URL",
        "docs/cli.md",
    ] {
        assert!(r.stdout.contains(needle), "{needle}: {}", r.stdout);
    }
    assert!(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/cli.md")
            .exists()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_host_is_named_without_a_throttling_hint() {
    let r = run_async(
        &["customers", "get", "x"],
        &[
            ("AZURE_TENANT_ID", "t"),
            ("AZURE_CLIENT_ID", "c"),
            ("AZURE_CLIENT_SECRET", "s"),
            ("AZURE_AUTHORITY_HOST", "http://127.0.0.1:1"),
        ],
    )
    .await;
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("127.0.0.1:1"), "{}", r.stderr);
    assert!(r.stderr.contains("refused"), "{}", r.stderr);
    assert!(!r.stderr.contains("throttling"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssl_cert_file_empty_is_unset_and_a_file_without_certificates_says_so() {
    let emu = Emulator::builder().start().await.unwrap();
    let env = emu_env(&emu);
    let empty = run_async(&["auth", "token"], &with(&env, &[("SSL_CERT_FILE", "")])).await;
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    let none = scratch("pc-ssl", "none.pem");
    std::fs::write(&none, "not a certificate\n").unwrap();
    let bad = run_async(
        &["auth", "token"],
        &with(&env, &[("SSL_CERT_FILE", none.to_str().unwrap())]),
    )
    .await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("no certificate"), "{}", bad.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_ids_are_usage_errors_before_any_request() {
    let emu = Emulator::builder().start().await.unwrap();
    let env = emu_env(&emu);
    let long = "a".repeat(100_000);
    for args in [
        vec!["customers", "get", ".."],
        vec!["customers", "get", "."],
        vec!["customers", "get", ""],
        vec!["subscriptions", "get", "--customer", "..", "."],
        vec!["customers", "get", long.as_str()],
    ] {
        let r = run_async(&args, &with(&env, &[])).await;
        assert_eq!(r.code, 2, "{:?}: {}", &args[..2], r.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_ends_the_command_quietly() {
    let emu = Emulator::builder()
        .seed_customers(50)
        .start()
        .await
        .unwrap();
    let env = emu_env(&emu);
    let status = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(BIN)
            .args(["customers", "list", "--all", "-o", "table"])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // `| head -0`: the reader is gone before the first line
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(status.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_explicit_profile_beats_the_environment() {
    let emu = Emulator::builder().start().await.unwrap();
    let env = emu_env(&emu);
    let path = scratch("pc-cfg-prec", "config.toml");
    std::fs::write(
        &path,
        format!(
            "[profiles.primary]\ntenant = \"{}\"\nclient_id = \"{}\"\nclient_secret_env = \"PC_PRIMARY_SECRET\"\nauthority_host = \"{}\"\n",
            emu.tenant_id(),
            emu.client_id(),
            emu.authority_host()
        ),
    )
    .unwrap();
    // Exported AZURE_* for other tools: a wrong client id and secret. The profile wins.
    let r = run_async(
        &[
            "--config",
            path.to_str().unwrap(),
            "--profile",
            "primary",
            "-v",
            "auth",
            "token",
        ],
        &with(
            &env,
            &[
                ("AZURE_CLIENT_ID", "00000000-0000-0000-0000-00000000dead"),
                ("AZURE_CLIENT_SECRET", "wrong-secret"),
                ("PC_PRIMARY_SECRET", emu.client_secret()),
            ],
        ),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("profile `primary`"),
        "-v names the sources: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("wrong-secret"));
}

#[test]
fn the_serve_banner_exports_every_url_a_command_needs() {
    let mut child = spawn_serve("table", &[]);
    let mut export = String::new();
    {
        use std::io::BufRead;
        let mut reader = std::io::BufReader::new(child.stdout.as_mut().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 {
            if line.trim_start().starts_with("export AZURE_AUTHORITY_HOST") {
                export = line.clone();
                break;
            }
            line.clear();
        }
    }
    let vars: Vec<(String, String)> = export
        .trim()
        .trim_start_matches("export")
        .split_whitespace()
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        })
        .collect();
    let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let products = run(&["products", "list", "-o", "json"], &env, None);
    assert_eq!(stop(child), 0);
    assert!(
        vars.iter()
            .any(|(k, _)| k == "PARTNER_CENTER_INGESTION_URL"),
        "{export}"
    );
    assert_eq!(
        products.code, 0,
        "following the banner exactly: {}",
        products.stderr
    );
}
