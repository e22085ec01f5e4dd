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
