//! Helpers the CLI crate's test files share: run the binary with a clean environment,
//! pointed at an in-process emulator.
#![allow(dead_code, clippy::unwrap_used)] // reason: each test file uses a subset; test set-up unwraps

use std::process::{Command, Output, Stdio};

use partner_center_emulator::Emulator;

/// The built `partner-center` binary.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_partner-center");

/// What a run of the binary gave.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// stdout as JSON (the commands print JSON with `-o json`).
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

/// The variables that point the CLI at `emu` with its test app's client secret.
pub(crate) fn emulator_env(emu: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("AZURE_AUTHORITY_HOST", emu.authority_host().to_owned()),
        ("PARTNER_CENTER_API_URL", emu.api_url().to_owned()),
        (
            "PARTNER_CENTER_INGESTION_URL",
            emu.ingestion_url().to_owned(),
        ),
        ("PARTNER_CENTER_GRAPH_URL", emu.graph_url().to_owned()),
        ("AZURE_TENANT_ID", emu.tenant_id().to_owned()),
        ("AZURE_CLIENT_ID", emu.client_id().to_owned()),
        ("AZURE_CLIENT_SECRET", emu.client_secret().to_owned()),
    ]
}

/// Runs the binary with only `vars` (and PATH) in its environment, off the async
/// runtime's thread so the in-process emulator keeps serving.
pub(crate) async fn run(args: &[&str], vars: &[(&'static str, String)]) -> Run {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let vars = vars.to_vec();
    let home = std::env::temp_dir().join(format!("pc-cli-test-home-{}", std::process::id()));
    let Output {
        status,
        stdout,
        stderr,
    } = tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&home).unwrap();
        Command::new(BIN)
            .args(&args)
            .env_clear()
            .env("HOME", &home)
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(vars)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// App-only: the emulator's client secret, through the environment door.
pub(crate) fn app(emu: &Emulator) -> partner_center::PartnerCenter {
    let vars = emulator_env(emu);
    partner_center::PartnerCenter::from_env_with(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap()
}

/// App+User: the emulator's refresh token.
pub(crate) fn app_and_user(emu: &Emulator) -> partner_center::PartnerCenter {
    let cloud = partner_center::CloudConfig::custom(
        emu.authority_host(),
        emu.api_url(),
        emu.ingestion_url(),
    )
    .unwrap()
    .with_graph_api(emu.graph_url())
    .unwrap();
    let user = partner_center::auth::RefreshTokenCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        Some(partner_center::auth::SecretString::from(
            emu.client_secret().to_owned(),
        )),
        partner_center::auth::SecretString::from(emu.refresh_token().to_owned()),
    )
    .unwrap()
    .with_authority_host(cloud.authority_host.clone())
    .unwrap();
    partner_center::PartnerCenter::builder()
        .credential(user)
        .cloud(cloud)
        .build()
        .unwrap()
}

/// A US customer; with the Customer Agreement confirmed when `mca` (App+User `pc` only).
pub(crate) async fn a_customer(
    pc: &partner_center::PartnerCenter,
    domain: &str,
    mca: bool,
) -> String {
    let body = serde_json::json!({
        "companyProfile": {"domain": domain},
        "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en",
            "companyName": domain, "defaultAddress": {"country": "US", "city": "Redmond",
            "addressLine1": "1 Microsoft Way", "postalCode": "98052", "firstName": "A", "lastName": "B"}}
    });
    let id = pc.customers().create(&body).await.unwrap().id;
    if mca {
        pc.customer(&id)
            .agreements()
            .accept_customer_agreement(
                partner_center::models::Contact::new("Tania", "Carr", "tania@example.com"),
                "2024-05-01T00:00:00Z",
            )
            .await
            .unwrap();
    }
    id
}

/// An API refusal's status and code.
pub(crate) fn api_code(e: &partner_center::Error) -> (u16, String) {
    match e {
        partner_center::Error::Api { status, code, .. } => {
            (*status, code.clone().unwrap_or_default())
        }
        other => panic!("not an API refusal: {other}"),
    }
}

/// Starts `emulator serve -o FORMAT --port 0 ARGS…` with a clean environment.
pub(crate) fn spawn_serve(format: &str, args: &[&str]) -> std::process::Child {
    Command::new(BIN)
        .args(["emulator", "serve", "-o", format, "--port", "0"])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts `emulator serve -o json` and reads its first line.
pub(crate) fn serve(args: &[&str]) -> (std::process::Child, serde_json::Value) {
    use std::io::BufRead;
    let mut child = spawn_serve("json", args);
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    (
        child,
        serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("first line is not JSON ({e}): {line}")),
    )
}

/// Stops a served emulator with SIGTERM; its exit code.
pub(crate) fn stop(mut child: std::process::Child) -> i32 {
    let pid = child.id().to_string();
    // The shell's own `kill`, so the test needs no procps.
    Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}")])
        .status()
        .unwrap();
    child.wait().unwrap().code().unwrap_or(-1)
}

/// The variables that point the CLI at a served emulator (app-only).
pub(crate) fn env_from(info: &serde_json::Value) -> Vec<(&'static str, String)> {
    let s = |k: &str| info[k].as_str().unwrap().to_owned();
    vec![
        ("AZURE_AUTHORITY_HOST", s("authority_host")),
        ("PARTNER_CENTER_API_URL", s("api_url")),
        ("PARTNER_CENTER_INGESTION_URL", s("ingestion_url")),
        ("PARTNER_CENTER_GRAPH_URL", s("graph_url")),
        ("AZURE_TENANT_ID", s("tenant_id")),
        ("AZURE_CLIENT_ID", s("client_id")),
        ("AZURE_CLIENT_SECRET", s("client_secret")),
    ]
}

/// The variables of `emu` after `auth login --device-code` (App+User from a stored login
/// in files under the returned folder, never the machine's keyring); `emu` must approve
/// sign-ins (`approve_as`).
pub(crate) async fn logged_in(emu: &Emulator) -> (tempfile::TempDir, Vec<(&'static str, String)>) {
    let state = tempfile::tempdir().unwrap();
    let mut vars = emulator_env(emu);
    vars.push(("XDG_STATE_HOME", state.path().display().to_string()));
    vars.push(("PARTNER_CENTER_LOGIN_STORE", "file".to_owned()));
    let login = run(&["auth", "login", "--device-code"], &vars).await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    (state, vars)
}
