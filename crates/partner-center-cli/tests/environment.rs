//! One table of azure-identity's variables, driven through every entry point that reads
//! the environment: `EnvironmentCredential`, `PartnerCenter::from_env_with` (what
//! `from_env` calls with the process environment) and the CLI. Each case must end the
//! same way through all three.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: test set-up unwraps

mod common;

use std::path::{Path, PathBuf};

use partner_center::auth::{AuthError, EnvironmentCredential, TokenRequestOptions};
use partner_center::{Error, PartnerCenter};
use partner_center_emulator::Emulator;

/// How a case ends, whatever the entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// A token was issued.
    Token,
    /// Not enough was configured.
    Missing,
    /// The token endpoint refused the credential.
    Refused,
    /// A malformed or insecure value (the CLI's usage exit code).
    Usage,
    /// The certificate could not be read or used.
    Certificate,
}

struct Case {
    name: &'static str,
    vars: Vec<(&'static str, String)>,
    expect: Outcome,
    /// Text the error must carry at every entry point.
    says: Option<&'static str>,
}

fn auth_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../partner-center-auth/tests/fixtures")
        .join(name)
}

fn cases(emu: &Emulator, dir: &Path) -> Vec<Case> {
    let secret_file = dir.join("secret.txt");
    std::fs::write(&secret_file, format!("{}\n", emu.client_secret())).unwrap();
    let pem = auth_fixture("test-cert.pem").display().to_string();
    let p12 = auth_fixture("test-cert.p12").display().to_string();
    let base = |extra: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        // The emulator's endpoints and app, without its secret: each case adds its own.
        let mut vars = common::emulator_env(emu);
        vars.retain(|(name, _)| *name != "AZURE_CLIENT_SECRET");
        for (k, v) in extra {
            vars.retain(|(name, _)| name != k);
            vars.push((k, (*v).to_owned()));
        }
        vars
    };
    let case = |name, vars, expect, says| Case {
        name,
        vars,
        expect,
        says,
    };
    let secret = emu.client_secret();
    let file = secret_file.display().to_string();
    vec![
        case(
            "AZURE_CLIENT_SECRET",
            base(&[("AZURE_CLIENT_SECRET", secret)]),
            Outcome::Token,
            None,
        ),
        case(
            "AZURE_CLIENT_SECRET_FILE",
            base(&[("AZURE_CLIENT_SECRET_FILE", &file)]),
            Outcome::Token,
            None,
        ),
        case(
            "an empty AZURE_CLIENT_SECRET counts as unset",
            base(&[
                ("AZURE_CLIENT_SECRET", ""),
                ("AZURE_CLIENT_SECRET_FILE", &file),
            ]),
            Outcome::Token,
            None,
        ),
        case(
            "a wrong AZURE_CLIENT_SECRET",
            base(&[("AZURE_CLIENT_SECRET", "not-the-secret")]),
            Outcome::Refused,
            Some("AADSTS"),
        ),
        case(
            "no AZURE_TENANT_ID",
            base(&[("AZURE_CLIENT_SECRET", secret), ("AZURE_TENANT_ID", " ")]),
            Outcome::Missing,
            Some("AZURE_TENANT_ID"),
        ),
        case(
            "no AZURE_CLIENT_ID",
            base(&[("AZURE_CLIENT_SECRET", secret), ("AZURE_CLIENT_ID", "")]),
            Outcome::Missing,
            Some("AZURE_CLIENT_ID"),
        ),
        case(
            "AZURE_CLIENT_CERTIFICATE_PATH (PEM)",
            base(&[("AZURE_CLIENT_CERTIFICATE_PATH", &pem)]),
            Outcome::Token,
            None,
        ),
        case(
            "AZURE_CLIENT_CERTIFICATE_PATH + _PASSWORD (PKCS#12)",
            base(&[
                ("AZURE_CLIENT_CERTIFICATE_PATH", &p12),
                ("AZURE_CLIENT_CERTIFICATE_PASSWORD", "test-password"),
            ]),
            Outcome::Token,
            None,
        ),
        case(
            "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
            base(&[
                ("AZURE_CLIENT_CERTIFICATE_PATH", &p12),
                ("AZURE_CLIENT_CERTIFICATE_PASSWORD", "test-password"),
                ("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "true"),
            ]),
            Outcome::Token,
            None,
        ),
        case(
            "a wrong AZURE_CLIENT_CERTIFICATE_PASSWORD",
            base(&[
                ("AZURE_CLIENT_CERTIFICATE_PATH", &p12),
                ("AZURE_CLIENT_CERTIFICATE_PASSWORD", "wrong"),
            ]),
            Outcome::Certificate,
            Some("AZURE_CLIENT_CERTIFICATE_PASSWORD"),
        ),
        case(
            "AZURE_USERNAME and AZURE_PASSWORD (not supported)",
            base(&[
                ("AZURE_USERNAME", "admin@contoso.com"),
                ("AZURE_PASSWORD", "pw"),
            ]),
            Outcome::Missing,
            Some("AZURE_USERNAME, AZURE_PASSWORD is set"),
        ),
        case(
            // Workload identity: the file's text goes as the client assertion, which the
            // emulator (knowing no federated issuer) refuses as Entra refuses a non-JWT.
            "AZURE_FEDERATED_TOKEN_FILE (workload identity)",
            base(&[("AZURE_FEDERATED_TOKEN_FILE", &file)]),
            Outcome::Refused,
            Some("AADSTS50012"),
        ),
        case(
            "an http AZURE_AUTHORITY_HOST that is not loopback",
            base(&[
                ("AZURE_CLIENT_SECRET", secret),
                ("AZURE_AUTHORITY_HOST", "http://login.example.com"),
            ]),
            Outcome::Usage,
            Some("login.example.com"),
        ),
        case(
            "a malformed AZURE_AUTHORITY_HOST",
            base(&[
                ("AZURE_CLIENT_SECRET", secret),
                ("AZURE_AUTHORITY_HOST", "not a url"),
            ]),
            Outcome::Usage,
            Some("AZURE_AUTHORITY_HOST"),
        ),
    ]
}

fn lookup<'a>(vars: &'a [(&'static str, String)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

fn classify_auth(e: &AuthError) -> Outcome {
    match e {
        AuthError::MissingCredentials { .. } => Outcome::Missing,
        AuthError::Refused(_) => Outcome::Refused,
        AuthError::Certificate { .. } => Outcome::Certificate,
        e if e.is_usage() => Outcome::Usage,
        other => panic!("unexpected error: {other}"),
    }
}

const RESOURCE: &str = "https://api.partnercenter.microsoft.com";

async fn through_environment_credential(vars: &[(&'static str, String)]) -> (Outcome, String) {
    let result = match EnvironmentCredential::from_lookup(lookup(vars)) {
        Ok(cred) => {
            use partner_center::TokenCredential as _;
            cred.get_token(RESOURCE, &TokenRequestOptions::default())
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => (Outcome::Token, String::new()),
        Err(e) => (classify_auth(&e), e.to_string()),
    }
}

async fn through_the_facade(vars: &[(&'static str, String)]) -> (Outcome, String) {
    let result = match PartnerCenter::from_env_with(lookup(vars)) {
        Ok(pc) => pc
            .transport()
            .credential()
            .get_token(
                pc.rest_profile().resource(),
                &TokenRequestOptions::default(),
            )
            .await
            .map(|_| ())
            .map_err(Error::Auth),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => (Outcome::Token, String::new()),
        Err(Error::Auth(e)) => (classify_auth(&e), e.to_string()),
        Err(e @ Error::Config(_)) => (Outcome::Usage, e.to_string()),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

async fn through_the_cli(vars: &[(&'static str, String)]) -> (Outcome, String) {
    let run = common::run(&["auth", "token", "-o", "json"], vars).await;
    let outcome = match run.code {
        0 => Outcome::Token,
        2 => Outcome::Usage,
        3 if run.stderr.contains("error: missing credentials") => Outcome::Missing,
        3 if run.stderr.contains("error: the token endpoint refused") => Outcome::Refused,
        3 if run.stderr.contains("error: client certificate") => Outcome::Certificate,
        other => panic!("unexpected exit {other}: {}", run.stderr),
    };
    (outcome, run.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_variable_works_the_same_through_every_entry_point() {
    let pem = std::fs::read(auth_fixture("test-cert.pem")).unwrap();
    let emu = Emulator::builder()
        .client_certificate_pem(pem)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let table = cases(&emu, dir.path());
    assert!(table.len() >= 14);
    for case in &table {
        let results = [
            (
                "EnvironmentCredential",
                through_environment_credential(&case.vars).await,
            ),
            (
                "PartnerCenter::from_env_with",
                through_the_facade(&case.vars).await,
            ),
            ("the CLI", through_the_cli(&case.vars).await),
        ];
        for (entry, (outcome, message)) in &results {
            assert_eq!(
                *outcome, case.expect,
                "{}: {entry} ended {outcome:?}, not {:?}: {message}",
                case.name, case.expect
            );
            if let Some(text) = case.says {
                assert!(
                    message.contains(text),
                    "{}: {entry}'s error does not say `{text}`: {message}",
                    case.name
                );
            }
            assert!(
                !message.contains(emu.client_secret()),
                "{}: {entry} printed the secret",
                case.name
            );
        }
    }
}
