//! Managed identity (IMDS, App Service), workload identity, the Azure CLI and the default
//! chain, each against endpoints on loopback or a fake `az`: nothing here reaches
//! 169.254.169.254 or a real Azure CLI.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests unwrap and read the token they were given

use std::time::{Duration, SystemTime};

use mockito::Matcher;
use partner_center_auth::{
    AuthError, AzureCliCredential, CredentialSpec, DefaultCredential, ExposeSecret,
    ManagedIdentityCredential, ManagedIdentityId, TokenCredential, TokenRequestOptions,
    WorkloadIdentityCredential,
};

const GRAPH: &str = "https://graph.microsoft.com/.default";

fn vars(pairs: &[(&str, String)]) -> impl Fn(&str) -> Option<String> + use<> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

fn in_an_hour() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600
}

#[tokio::test]
async fn imds_is_asked_with_the_metadata_header_and_its_string_numbers_are_read() {
    let mut server = mockito::Server::new_async().await;
    // how-to-use-vm-token.md's sample answer: every number a string.
    let body = format!(
        r#"{{"access_token":"imds-token","refresh_token":"","expires_in":"3599","expires_on":"{}","not_before":"1506480273","resource":"https://graph.microsoft.com","token_type":"Bearer"}}"#,
        in_an_hour()
    );
    let mock = server
        .mock("GET", "/metadata/identity/oauth2/token")
        .match_header("metadata", "true")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("api-version".into(), "2018-02-01".into()),
            Matcher::UrlEncoded("resource".into(), "https://graph.microsoft.com".into()),
            Matcher::UrlEncoded("client_id".into(), "mi-client".into()),
        ]))
        .with_body(body)
        .expect(1)
        .create_async()
        .await;
    let cred = ManagedIdentityCredential::from_env(
        vars(&[("AZURE_POD_IDENTITY_AUTHORITY_HOST", server.url())]),
        ManagedIdentityId::ClientId("mi-client".to_owned()),
    )
    .unwrap();
    let token = cred
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert_eq!(token.secret().expose_secret(), "imds-token");
    assert!(token.expires_on() > SystemTime::now() + Duration::from_secs(3000));
    // Cached: the second call asks nobody.
    cred.get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert!(cred.cached_token(GRAPH).is_some());
    mock.assert_async().await;
}

#[tokio::test]
async fn an_unassigned_identity_is_unavailable_not_retried() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("GET", "/metadata/identity/oauth2/token")
        .match_query(Matcher::Any)
        .with_status(400)
        .with_body(r#"{"error":"invalid_request","error_description":"Identity not found"}"#)
        .expect(1)
        .create_async()
        .await;
    let cred = ManagedIdentityCredential::from_env(
        vars(&[("AZURE_POD_IDENTITY_AUTHORITY_HOST", server.url())]),
        ManagedIdentityId::SystemAssigned,
    )
    .unwrap();
    let err = cred
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::CredentialUnavailable { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("no managed identity is assigned"),
        "{err}"
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn app_service_sends_its_header_and_version_and_reads_expires_on() {
    let mut server = mockito::Server::new_async().await;
    // overview-managed-identity.md's sample: expires_on only, as a string.
    let body = format!(
        r#"{{"access_token":"app-service-token","expires_on":"{}","resource":"https://graph.microsoft.com","token_type":"Bearer","client_id":"5E29463D-71DA-4FE0-8E69-999B57DB23B0"}}"#,
        in_an_hour()
    );
    let mock = server
        .mock("GET", "/MSI/token")
        .match_header("x-identity-header", "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("api-version".into(), "2019-08-01".into()),
            Matcher::UrlEncoded("principal_id".into(), "principal".into()),
        ]))
        .with_body(body)
        .create_async()
        .await;
    let cred = ManagedIdentityCredential::from_env(
        vars(&[
            ("IDENTITY_ENDPOINT", format!("{}/MSI/token", server.url())),
            (
                "IDENTITY_HEADER",
                "853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a".to_owned(),
            ),
        ]),
        ManagedIdentityId::ObjectId("principal".to_owned()),
    )
    .unwrap();
    assert!(
        !format!("{cred:?}").contains("853b9a84"),
        "the header is a secret"
    );
    let token = cred
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert_eq!(token.secret().expose_secret(), "app-service-token");
    mock.assert_async().await;
}

#[test]
fn plain_http_is_allowed_for_imds_and_loopback_only() {
    let err = ManagedIdentityCredential::from_env(
        vars(&[(
            "AZURE_POD_IDENTITY_AUTHORITY_HOST",
            "http://example.com".to_owned(),
        )]),
        ManagedIdentityId::SystemAssigned,
    )
    .unwrap_err();
    assert!(matches!(err, AuthError::InsecureUrl { .. }), "{err:?}");
    ManagedIdentityCredential::from_env(vars(&[]), ManagedIdentityId::SystemAssigned)
        .expect("IMDS's own address is allowed");
}

#[tokio::test]
async fn workload_identity_sends_the_token_file_and_reads_it_again_at_each_fetch() {
    let mut server = mockito::Server::new_async().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "first-assertion\n").unwrap();
    let answer =
        r#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"wi"}"#;
    let first = server
        .mock("POST", "/t/oauth2/v2.0/token")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("grant_type".into(), "client_credentials".into()),
            Matcher::UrlEncoded(
                "client_assertion_type".into(),
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
            ),
            Matcher::UrlEncoded("client_assertion".into(), "first-assertion".into()),
            Matcher::UrlEncoded("client_id".into(), "app".into()),
        ]))
        .with_body(answer)
        .expect(1)
        .create_async()
        .await;
    let cred = WorkloadIdentityCredential::new("t", "app", &file)
        .unwrap()
        .with_authority_host(url::Url::parse(&server.url()).unwrap())
        .unwrap();
    cred.get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap();
    first.assert_async().await;

    std::fs::write(&file, "rotated-assertion").unwrap();
    let second = server
        .mock("POST", "/t/oauth2/v2.0/token")
        .match_body(Matcher::UrlEncoded(
            "client_assertion".into(),
            "rotated-assertion".into(),
        ))
        .with_body(answer)
        .expect(1)
        .create_async()
        .await;
    let mut forced = TokenRequestOptions::default();
    forced.force_refresh = true;
    cred.get_token(GRAPH, &forced).await.unwrap();
    second.assert_async().await;
}

/// A fake `az` that answers as `az account get-access-token -o json` does, after checking
/// its arguments.
fn fake_az(dir: &std::path::Path, script: &str) -> std::path::PathBuf {
    let path = dir.join("az");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[cfg(unix)]
#[tokio::test]
async fn the_azure_cli_is_run_with_the_resource_and_its_answer_read() {
    let dir = tempfile::tempdir().unwrap();
    let az = fake_az(
        dir.path(),
        &format!(
            r#"[ "$*" = "account get-access-token --output json --resource https://graph.microsoft.com --tenant contoso.onmicrosoft.com" ] || {{ echo "unexpected: $*" >&2; exit 2; }}
echo '{{"accessToken":"cli-token","expiresOn":"2030-01-02 03:04:05.000000","expires_on":{},"subscription":"s","tenant":"t","tokenType":"Bearer"}}'"#,
            in_an_hour()
        ),
    );
    let cred = AzureCliCredential::new()
        .unwrap()
        .with_tenant("contoso.onmicrosoft.com")
        .unwrap()
        .with_program(&az);
    let token = cred
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert_eq!(token.secret().expose_secret(), "cli-token");
}

#[cfg(unix)]
#[tokio::test]
async fn the_azure_cli_s_errors_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let logged_out = fake_az(
        dir.path(),
        r#"echo "ERROR: Please run 'az login' to setup account." >&2; exit 1"#,
    );
    let err = AzureCliCredential::new()
        .unwrap()
        .with_program(&logged_out)
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("run `az login`"), "{err}");

    let missing = AzureCliCredential::new()
        .unwrap()
        .with_program(dir.path().join("no-such-az"))
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("not on PATH"), "{missing}");

    let slow = fake_az(dir.path(), "sleep 5");
    let timed_out = AzureCliCredential::new()
        .unwrap()
        .with_program(&slow)
        .with_timeout(Duration::from_millis(300))
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap_err();
    assert!(
        timed_out.to_string().contains("did not answer"),
        "{timed_out}"
    );

    let bad_resource = AzureCliCredential::new()
        .unwrap()
        .with_program(&slow)
        .get_token("--help", &TokenRequestOptions::default())
        .await
        .unwrap_err();
    assert!(bad_resource.is_usage(), "{bad_resource}");
}

/// A loopback port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn the_chain_lists_every_step_when_all_fail() {
    let spec = CredentialSpec::from_env(vars(&[(
        "AZURE_POD_IDENTITY_AUTHORITY_HOST",
        closed_port_url(),
    )]))
    .unwrap();
    let chain = DefaultCredential::from_spec(&spec, None, None);
    let err = chain
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap_err();
    let text = err.to_string();
    for step in chain.steps() {
        assert!(text.contains(step), "{step} missing from: {text}");
    }
    assert!(
        text.contains("AZURE_FEDERATED_TOKEN_FILE is not set"),
        "{text}"
    );
    assert!(
        text.contains("no managed identity endpoint answered"),
        "{text}"
    );
    assert!(err.hint().is_some());
}

#[tokio::test]
async fn the_chain_keeps_the_first_credential_that_works() {
    let mut server = mockito::Server::new_async().await;
    let body = format!(
        r#"{{"access_token":"from-imds","expires_on":"{}","token_type":"Bearer"}}"#,
        in_an_hour()
    );
    let mock = server
        .mock("GET", "/metadata/identity/oauth2/token")
        .match_query(Matcher::Any)
        .with_body(body)
        .expect(1)
        .create_async()
        .await;
    let spec =
        CredentialSpec::from_env(vars(&[("AZURE_POD_IDENTITY_AUTHORITY_HOST", server.url())]))
            .unwrap();
    let chain = DefaultCredential::from_spec(&spec, None, None);
    let token = chain
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert_eq!(token.secret().expose_secret(), "from-imds");
    assert_eq!(chain.chosen(), Some("ManagedIdentityCredential"));
    assert!(chain.cached_token(GRAPH).is_some());
    mock.assert_async().await;
}

#[test]
fn profiles_choose_the_chain_by_name() {
    let spec =
        CredentialSpec::from_env(vars(&[("PARTNER_CENTER_CREDENTIAL", "default".to_owned())]))
            .unwrap();
    let built = spec.build(None, None).unwrap();
    assert!(
        format!("{built:?}").contains("DefaultCredential"),
        "{built:?}"
    );
    let bad = CredentialSpec::from_env(vars(&[("PARTNER_CENTER_CREDENTIAL", "magic".to_owned())]))
        .unwrap_err();
    assert!(bad.to_string().contains("default, environment"), "{bad}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_chatty_azure_cli_neither_blocks_nor_fills_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 256 KiB of warnings on stderr (more than a pipe holds) before the answer.
    let az = fake_az(
        dir.path(),
        &format!(
            r#"i=0; while [ $i -lt 4096 ]; do echo "WARNING: 0123456789012345678901234567890123456789012345678901234567890" >&2; i=$((i+1)); done
echo '{{"accessToken":"chatty","expires_on":{}}}'"#,
            in_an_hour()
        ),
    );
    let token = AzureCliCredential::new()
        .unwrap()
        .with_program(&az)
        .with_timeout(Duration::from_secs(5))
        .get_token(GRAPH, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert_eq!(token.secret().expose_secret(), "chatty");
}
