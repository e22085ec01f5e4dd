//! `--credential`: the default chain and its steps, as a user on a laptop with the Azure
//! CLI (a fake `az` on PATH) or with nothing at all would meet them.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)] // reason: test set-up unwraps and dates the fake az token by the real clock

mod common;

use base64::Engine as _;

/// A loopback port nothing listens on (IMDS "off Azure").
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn fake_jwt() -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.sig",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(
            r#"{"aud":"https://api.partnercenter.microsoft.com","tid":"cli-tenant","scp":"user_impersonation"}"#
        )
    )
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_chain_falls_through_to_the_azure_cli_and_says_why_when_nothing_works() {
    use std::os::unix::fs::PermissionsExt as _;
    let bin = tempfile::tempdir().unwrap();
    let expires = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let az = bin.path().join("az");
    std::fs::write(
        &az,
        format!(
            "#!/bin/sh\necho '{{\"accessToken\":\"{}\",\"expires_on\":{expires},\"tokenType\":\"Bearer\"}}'\n",
            fake_jwt()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let imds = closed_port_url();
    let vars = vec![
        ("PATH", path),
        ("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.clone()),
    ];
    let run = common::run(
        &["--credential", "default", "auth", "token", "-o", "json"],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["tenant"], "cli-tenant");

    // The same through the environment variable, with az named directly.
    let mut direct = vars.clone();
    direct.push(("PARTNER_CENTER_CREDENTIAL", "azure-cli".to_owned()));
    assert_eq!(
        common::run(&["auth", "token", "-o", "json"], &direct)
            .await
            .code,
        0
    );

    // Without az on PATH, every step says why it failed, and the exit code is 3.
    let nothing = vec![
        ("PATH", "/nonexistent".to_owned()),
        ("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds),
    ];
    let failed = common::run(&["--credential", "default", "auth", "token"], &nothing).await;
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    for step in [
        "EnvironmentCredential",
        "WorkloadIdentityCredential",
        "ManagedIdentityCredential",
        "AzureCliCredential",
    ] {
        assert!(failed.stderr.contains(step), "{step}: {}", failed.stderr);
    }
    assert!(failed.stderr.contains("not on PATH"), "{}", failed.stderr);

    let unknown = common::run(&["--credential", "magic", "auth", "token"], &nothing).await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
}
