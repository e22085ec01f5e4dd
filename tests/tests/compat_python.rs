//! Clients nobody here wrote, run unmodified against the emulator: Microsoft's submission
//! API CLI (`azpc`, PyPI `az-partner-center-cli`) and the standard OAuth libraries
//! `requests-oauthlib` and `authlib`. They reach the emulator only as a machine set up for
//! it would let them: the service host names resolve to it and its CA is trusted
//! (tests/compat/sitecustomize.py). The clients are installed from PyPI, at the versions
//! pinned in tests/compat/requirements.txt, into a virtual environment under the target
//! folder, once: this needs `python3` with `venv` and the package registry, as CI has.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod common;

use common::RawCaller;
use partner_center_emulator::Emulator;
use serde_json::{Value, json};

const COMPAT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/compat");
/// The names a client finds the emulator by: the public cloud's Entra ID and submission
/// API hosts, which `azpc` has fixed in its code.
const HOSTS: &str = "login.microsoftonline.com,api.partner.microsoft.com";
const INGESTION: &str = "https://api.partner.microsoft.com";

/// The virtual environment's python, made once per requirements file and interpreter,
/// under an exclusive file lock, so test processes running at once never share a half-made
/// one.
fn python() -> PathBuf {
    static MADE: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut made = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(p) = made.as_ref() {
        return p.clone();
    }
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let venv = root.join("compat-venv");
    let lock = std::fs::File::create(root.join("compat-venv.lock")).unwrap();
    lock.lock().unwrap();
    let version = Command::new("python3")
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("the compatibility suite needs python3: {e}"));
    let wanted = format!(
        "{}{}",
        String::from_utf8_lossy(&version.stdout),
        std::fs::read_to_string(Path::new(COMPAT).join("requirements.txt")).unwrap()
    );
    let stamp = venv.join("installed-requirements.txt");
    let python = venv.join("bin/python");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let _ = std::fs::remove_dir_all(&venv);
        run_ok(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv (the compatibility suite needs python3 with venv)",
        );
        run_ok(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--no-input",
                    "--quiet",
                    "-r",
                ])
                .arg(Path::new(COMPAT).join("requirements.txt")),
            "pip install -r tests/compat/requirements.txt (needs the PyPI registry)",
        );
        std::fs::write(&stamp, &wanted).unwrap();
    }
    drop(lock);
    *made = Some(python.clone());
    python
}

fn run_ok(command: &mut Command, what: &str) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An emulator over TLS, and the environment that points a Python client at it.
async fn emulator() -> (Emulator, Vec<(String, String)>) {
    // The environment first (the first test may install it), off the async workers.
    tokio::task::spawn_blocking(python).await.unwrap();
    let emu = Emulator::builder()
        .tls(true)
        .submission_step(Duration::from_millis(50))
        .start()
        .await
        .unwrap();
    let address = url::Url::parse(emu.api_url()).unwrap();
    let ca = emu.ca_cert().unwrap().display().to_string();
    let env = [
        (
            "EMULATOR_ADDRESS",
            format!(
                "{}:{}",
                address.host_str().unwrap(),
                address.port().unwrap()
            ),
        ),
        ("EMULATOR_HOSTS", HOSTS.to_owned()),
        ("EMULATOR_CA_BUNDLE", ca.clone()),
        ("REQUESTS_CA_BUNDLE", ca),
        ("PYTHONPATH", COMPAT.to_owned()),
        ("PYTHONDONTWRITEBYTECODE", "1".to_owned()),
        ("AZURE_TENANT_ID", emu.tenant_id().to_owned()),
        ("AZURE_CLIENT_ID", emu.client_id().to_owned()),
        ("AZURE_CLIENT_SECRET", emu.client_secret().to_owned()),
        (
            "AZURE_AUTHORITY_HOST",
            "https://login.microsoftonline.com".to_owned(),
        ),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .to_vec();
    (emu, env)
}

/// Runs a program of the virtual environment in `dir`, and answers its standard output;
/// fails the test, with what it printed, if it fails or runs past two minutes.
async fn run(program: &str, args: &[&str], dir: &Path, env: &[(String, String)]) -> String {
    let python = python();
    let bin = python.parent().unwrap().to_owned();
    let (program, args, dir, env) = (
        program.to_owned(),
        args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>(),
        dir.to_owned(),
        env.to_vec(),
    );
    tokio::task::spawn_blocking(move || {
        let out_path = dir.join(".stdout");
        let err_path = dir.join(".stderr");
        let mut child = Command::new(bin.join(&program))
            .args(&args)
            .current_dir(&dir)
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("HOME", &dir)
            .envs(env)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out_path).unwrap())
            .stderr(std::fs::File::create(&err_path).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: cannot start: {e}"));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let out = std::fs::read_to_string(&out_path).unwrap_or_default();
        let err = std::fs::read_to_string(&err_path).unwrap_or_default();
        assert!(
            status.is_some_and(|s| s.success()),
            "{program} {args:?} failed ({status:?}):\nstdout: {out}\nstderr: {err}"
        );
        out
    })
    .await
    .unwrap()
}

/// The emulator, as this suite checks what a client did: a client trusting its CA, with
/// a token for the submission API.
struct Inspector(RawCaller);

impl Inspector {
    async fn new(emu: &Emulator) -> Self {
        let pem = std::fs::read(emu.ca_cert().unwrap()).unwrap();
        let http = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
            .build()
            .unwrap();
        Self(RawCaller::new(emu, http, INGESTION, false).await)
    }

    async fn get(&self, path: &str) -> Value {
        self.0.get(&format!("/v1.0/ingestion/{path}")).await
    }

    /// The product with the offer id `name`, if any.
    async fn product(&self, name: &str) -> Option<Value> {
        let filter = format!("ExternalIDs/Any(i:i/Type eq 'AzureOfferId' and i/Value eq '{name}')");
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("$filter", &filter)
            .finish();
        let found = self.get(&format!("products?{query}")).await;
        found["value"].as_array().unwrap().first().cloned()
    }

    /// The first entity of the product's draft of `module`, read as a client would.
    async fn draft(&self, product: &str, module: &str, kind: &str) -> Value {
        let branches = self
            .get(&format!(
                "products/{product}/branches/getByModule(module={module})"
            ))
            .await;
        let instance = branches["value"][0]["currentDraftInstanceID"]
            .as_str()
            .unwrap()
            .to_owned();
        self.get(&format!(
            "products/{product}/{kind}/getByInstanceID(instanceID={instance})"
        ))
        .await["value"][0]
            .clone()
    }

    async fn wait_for(&self, product: &str, substate: &str) -> Value {
        let started = Instant::now();
        loop {
            let submissions = self.get(&format!("products/{product}/submissions")).await;
            let last = submissions["value"].as_array().unwrap().last().cloned();
            if let Some(s) = last.filter(|s| s["substate"] == substate) {
                return s;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no submission reached {substate}: {submissions}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The offer a publisher describes to `azpc`: config.yml, listing_config.json, four logos.
fn offer_folder(dir: &Path, title: &str) {
    std::fs::write(
        dir.join("config.yml"),
        "aad_id: from-the-environment\naad_secret: from-the-environment\ntenant_id: from-the-environment\n",
    )
    .unwrap();
    let config = json!({
        "offer_listing": {
            "title": title,
            "publisher_name": "Contoso",
            "summary": "Contoso's managed application, published by azpc to the emulator.",
            "short_description": "A managed application from Contoso.",
            "description": "A managed application from Contoso that deploys a tested set of Azure resources, described at length for certification.",
            "keywords": ["contoso", "managed"],
            "listing_contacts": [{"type": "CustomerSupport", "email": "support@contoso.com", "name": "Support", "phone": "+1 555 0100", "uri": "https://contoso.com/support"}],
            "listing_uris": [{"type": "Policy", "subtype": "Privacy", "displayText": "Privacy", "uri": "https://contoso.com/privacy"}],
            "listing_logos": {"logo_large": "large.png", "logo_medium": "medium.png", "logo_small": "small.png", "logo_wide": "wide.png"},
        },
        "preview_audience": {"subscriptions": ["00000000-0000-4000-8000-000000000001"]},
        "property_settings": {"leveledCategories": {"developer-tools": ["devService"]}},
        "plan_overview": [{"technical_configuration": {"version": "1.0.0"}}],
    });
    std::fs::write(
        dir.join("listing_config.json"),
        serde_json::to_vec_pretty(&config).unwrap(),
    )
    .unwrap();
    for logo in ["large", "medium", "small", "wide"] {
        // A PNG signature and a byte: the emulator keeps only that a file arrived.
        std::fs::write(dir.join(format!("{logo}.png")), b"\x89PNG\r\n\x1a\n\x00").unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_oauthlib_and_authlib_get_tokens_by_basic_and_post() {
    let (_emu, env) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(COMPAT).join("oauth_clients.py");
    let out = run("python", &[script.to_str().unwrap()], dir.path(), &env).await;
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let cases: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["library"].as_str().unwrap().to_owned(),
                l["method"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(cases.len(), 4, "{out}");
    for library in ["requests-oauthlib", "authlib"] {
        for method in ["client_secret_basic", "client_secret_post"] {
            assert!(
                cases.contains(&(library.to_owned(), method.to_owned())),
                "{library} {method}: {out}"
            );
        }
    }
    for line in &lines {
        assert_eq!(line["token_type"], "Bearer", "{line}");
        assert_eq!(
            line["access_token"].as_str().unwrap().split('.').count(),
            3,
            "{line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn azpc_creates_updates_publishes_releases_and_deletes_a_managed_application() {
    let (emu, env) = emulator().await;
    let pc = Inspector::new(&emu).await;
    let dir = tempfile::tempdir().unwrap();
    offer_folder(dir.path(), "Contoso Managed App");
    let name = "contoso-managed-app";
    let azpc = |command: &'static str| {
        let (dir, env) = (dir.path().to_owned(), env.clone());
        async move {
            // Only create and update read the listing configuration.
            let mut args = vec!["ma", command, "--name", name];
            if matches!(command, "create" | "update") {
                args.extend(["--config-json", "listing_config.json"]);
            }
            run("azpc", &args, &dir, &env).await
        }
    };

    // create: the product, then its properties, listing, logos, preview audience and
    // reseller configuration.
    azpc("create").await;
    let product = pc.product(name).await.expect("azpc created no product");
    let id = product["id"].as_str().unwrap().to_owned();
    assert_eq!(product["resourceType"], "AzureApplication");
    let property = pc.draft(&id, "Property", "properties").await;
    assert_eq!(property["appVersion"], "1.0.0", "{property}");
    assert_eq!(property["@odata.etag"], "\"2\"", "{property}");
    let listing = pc.draft(&id, "Listing", "listings").await;
    assert_eq!(listing["title"], "Contoso Managed App");
    let images = pc
        .get(&format!(
            "products/{id}/listings/{}/images",
            listing["id"].as_str().unwrap()
        ))
        .await;
    let images = images["value"].as_array().unwrap();
    assert_eq!(images.len(), 4, "{images:?}");
    assert!(
        images.iter().all(|i| i["state"] == "Processed"),
        "{images:?}"
    );
    let availability = pc.draft(&id, "Availability", "productAvailabilities").await;
    assert_eq!(
        availability["audiences"][0]["Values"][0], "00000000-0000-4000-8000-000000000001",
        "{availability}"
    );
    let reseller = pc
        .get(&format!("products/{id}/resellerConfiguration"))
        .await;
    assert_eq!(reseller["resellerChannelState"], "Enabled");

    // show finds it by its offer id; update edits the same drafts again.
    let shown = azpc("show").await;
    assert!(shown.contains(&id), "{shown}");
    offer_folder(dir.path(), "Contoso Managed App, renamed");
    azpc("update").await;
    let listing = pc.draft(&id, "Listing", "listings").await;
    assert_eq!(listing["title"], "Contoso Managed App, renamed");
    let images = pc
        .get(&format!(
            "products/{id}/listings/{}/images",
            listing["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(images["value"].as_array().unwrap().len(), 4, "{images}");

    // publish submits every draft (and the reseller instance) to preview; release
    // promotes it once the preview is ready.
    azpc("publish").await;
    let submission = pc.wait_for(&id, "ReadyToPublish").await;
    let kinds: Vec<&str> = submission["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"ResellerConfiguration"), "{submission}");
    azpc("release").await;
    pc.wait_for(&id, "Published").await;

    // delete removes it.
    azpc("delete").await;
    assert!(pc.product(name).await.is_none());
}
