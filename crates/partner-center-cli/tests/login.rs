//! `auth login`, `auth status`, `auth logout` against `emulator serve --approve-as`, as a
//! new user would: the device code flow, the authorization code flow driven by a scripted
//! HTTP client instead of a browser, and Partner Center's refusal of App+User without MFA.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: test set-up unwraps

mod common;

use std::io::BufRead as _;
use std::process::{Command, Stdio};

use common::{BIN, Run};

/// The served emulator's variables with the stored logins in files under `state` (never
/// the keyring of the machine running the tests).
fn env(info: &serde_json::Value, state: &std::path::Path) -> Vec<(&'static str, String)> {
    let mut vars = common::env_from(info);
    vars.push(("XDG_STATE_HOME", state.display().to_string()));
    vars.push(("PARTNER_CENTER_LOGIN_STORE", "file".to_owned()));
    vars
}

async fn cli(args: &[&str], vars: &[(&'static str, String)]) -> Run {
    common::run(args, vars).await
}

/// An App+User-only operation (all-currency invoice summaries).
const APP_USER_ONLY: &[&str] = &["invoices", "summary", "--all-currencies", "-o", "json"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_code_login_stores_a_token_app_user_commands_use_it_and_logout_removes_it() {
    let (child, info) = common::serve(&["--approve-as", "alice@contoso.example"]);
    let state = tempfile::tempdir().unwrap();
    let vars = env(&info, state.path());

    let before = cli(&["auth", "status"], &vars).await;
    assert_eq!(before.code, 3, "{}", before.stderr);
    assert!(before.stderr.contains("auth login"), "{}", before.stderr);
    let refused = cli(APP_USER_ONLY, &vars).await;
    assert_eq!(refused.code, 4, "app-only is refused: {}", refused.stderr);

    let login = cli(&["auth", "login", "--device-code", "-o", "json"], &vars).await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    assert!(login.stderr.contains("/devicelogin"), "{}", login.stderr);
    let shown = login.json();
    assert_eq!(shown["logged_in"], true);
    assert_eq!(shown["user"], "alice@contoso.example");
    assert!(shown["expires_unused_at"].is_string(), "{shown}");

    // The token rests in one file only its owner can read, and is never printed.
    let files: Vec<_> = walk(state.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&text).unwrap();
    let token = stored["refresh_token"].as_str().unwrap().to_owned();
    assert!(!login.stdout.contains(&token) && !login.stderr.contains(&token));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let status = cli(&["auth", "status"], &vars).await;
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(
        status.stdout.contains("alice@contoso.example"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("expires_unused_at"),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains(&token));

    let token_summary = cli(&["auth", "token", "-o", "json"], &vars).await;
    assert_eq!(token_summary.json()["scopes"], "user_impersonation");
    let allowed = cli(APP_USER_ONLY, &vars).await;
    assert_eq!(
        allowed.code, 0,
        "App+User works after login: {}",
        allowed.stderr
    );
    // Each use rotates the refresh token, and the rotation is saved.
    let rotated = std::fs::read_to_string(&files[0]).unwrap();
    assert_ne!(rotated, text, "the rotated refresh token was saved");

    let logout = cli(&["auth", "logout"], &vars).await;
    assert_eq!(logout.code, 0, "{}", logout.stderr);
    assert!(walk(state.path()).is_empty());
    assert_eq!(cli(&["auth", "status"], &vars).await.code, 3);
    assert_eq!(cli(APP_USER_ONLY, &vars).await.code, 4, "app-only again");
    assert_eq!(common::stop(child), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_login_with_pkce_on_a_loopback_redirect() {
    let (child, info) = common::serve(&["--approve-as", "bob@contoso.example"]);
    let state = tempfile::tempdir().unwrap();
    // The default store: the OS keyring where there is one, else a file under `state`;
    // this test does not look where, and logs out at the end.
    let mut vars = env(&info, state.path());
    vars.retain(|(k, _)| *k != "PARTNER_CENTER_LOGIN_STORE");
    let mut login = Command::new(BIN)
        .args([
            "auth",
            "login",
            "--no-browser",
            "--timeout",
            "30",
            "-o",
            "json",
        ])
        .env_clear()
        .env("HOME", state.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(vars.clone())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = login.stderr.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .find(|l| l.starts_with("http"))
            .expect("the sign-in URL on stderr")
    })
    .await
    .unwrap();
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(
        url.contains("redirect_uri=http%3A%2F%2Flocalhost%3A"),
        "{url}"
    );

    // The browser: the emulator approves at once and redirects to the CLI's listener,
    // which answers with a page.
    let http = partner_center::auth::default_http_client().unwrap();
    let page = http.get(&url).send().await.unwrap();
    let location = page.url().to_string();
    assert!(location.starts_with("http://localhost:"), "{location}");
    assert!(location.contains("state="), "{location}");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("Signed in"));

    let out = tokio::task::spawn_blocking(move || login.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["user"], "bob@contoso.example");
    let allowed = cli(APP_USER_ONLY, &vars).await;
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);

    // A second redemption of the same code is refused, as Entra refuses it (54005).
    let code = location
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .unwrap()
        .to_owned();
    let again = http
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            info["authority_host"].as_str().unwrap(),
            info["tenant_id"].as_str().unwrap()
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=authorization_code&client_id={}&code={code}&redirect_uri=x&code_verifier=y&scope=https%3A%2F%2Fapi.partnercenter.microsoft.com%2F.default",
            info["client_id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 400);
    assert!(again.text().await.unwrap().contains("AADSTS54005"));
    assert_eq!(cli(&["auth", "logout"], &vars).await.code, 0);
    assert_eq!(common::stop(child), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_user_without_mfa_is_refused_as_partner_center_refuses_it() {
    let (child, info) = common::serve(&[
        "--approve-as",
        "nomfa@contoso.example",
        "--approve-without-mfa",
    ]);
    let state = tempfile::tempdir().unwrap();
    let vars = env(&info, state.path());
    let login = cli(&["auth", "login", "--device-code"], &vars).await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    let refused = cli(APP_USER_ONLY, &vars).await;
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains("900421"), "{}", refused.stderr);
    assert!(refused.stderr.contains("MFA"), "{}", refused.stderr);
    assert_eq!(common::stop(child), 0);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
