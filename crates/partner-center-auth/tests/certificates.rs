//! Certificate credentials (feature `certificate`) against a mock token endpoint.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)] // reason: tests unwrap secrets, results and read the clock to assert on them

use std::sync::{Arc, Mutex};

use mockito::Matcher;
use partner_center_auth::{
    CertificateOptions, ClientCertificateCredential, SecretString, TokenCredential,
    TokenRequestOptions,
};

const PC: &str = "https://api.partnercenter.microsoft.com";

fn host(server: &mockito::ServerGuard) -> url::Url {
    url::Url::parse(&server.url()).unwrap()
}

fn token_body(token: &str, expires_in: u64) -> String {
    format!(r#"{{"token_type":"Bearer","expires_in":{expires_in},"access_token":"{token}"}}"#)
}

fn opts() -> TokenRequestOptions {
    TokenRequestOptions::default()
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Captures the client assertion the credential sends, and answers with a token.
async fn assertion_endpoint(
    server: &mut mockito::ServerGuard,
) -> (mockito::Mock, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let mock = server
        .mock("POST", "/tenant1/oauth2/v2.0/token")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded(
                "client_assertion_type".into(),
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
            ),
            Matcher::UrlEncoded("grant_type".into(), "client_credentials".into()),
        ]))
        .with_body_from_request(move |req| {
            let body = req.body().unwrap().clone();
            let assertion = url::form_urlencoded::parse(&body)
                .find(|(k, _)| k == "client_assertion")
                .map(|(_, v)| v.into_owned())
                .unwrap();
            sink.lock().unwrap().push(assertion);
            token_body("cert-token", 3599).into_bytes()
        })
        .create_async()
        .await;
    (mock, seen)
}

fn verify_assertion(
    assertion: &str,
    alg: jsonwebtoken::Algorithm,
    aud: &str,
) -> jsonwebtoken::Header {
    let public = std::fs::read(fixture("test-public.pem")).unwrap();
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(&public).unwrap();
    let mut validation = jsonwebtoken::Validation::new(alg);
    validation.set_audience(&[aud]);
    validation.set_issuer(&["app"]);
    let data = jsonwebtoken::decode::<serde_json::Value>(assertion, &key, &validation).unwrap();
    assert_eq!(data.claims["sub"], "app");
    assert!(data.claims["jti"].is_string());
    data.header
}

#[tokio::test]
async fn certificate_pem_signs_ps256_with_sha256_thumbprint() {
    let mut server = mockito::Server::new_async().await;
    let (mock, seen) = assertion_endpoint(&mut server).await;
    let cred =
        ClientCertificateCredential::from_file("tenant1", "app", &fixture("test-cert.pem"), None)
            .unwrap()
            .with_authority_host(host(&server))
            .unwrap();
    cred.get_token(PC, &opts()).await.unwrap();
    mock.assert_async().await;
    let assertion = seen.lock().unwrap()[0].clone();
    let aud = format!("{}/tenant1/oauth2/v2.0/token", server.url());
    let header = verify_assertion(&assertion, jsonwebtoken::Algorithm::PS256, &aud);
    assert!(header.x5t_s256.is_some());
    assert!(header.x5t.is_none());
    assert!(header.x5c.is_none());
    assert!(!format!("{cred:?}").contains("PRIVATE"));
}

#[tokio::test]
async fn certificate_pkcs12_signs_rs256_with_sha1_thumbprint_and_chain_on_request() {
    let mut server = mockito::Server::new_async().await;
    let (mock, seen) = assertion_endpoint(&mut server).await;
    let password = SecretString::from("test-password".to_owned());
    let cred = ClientCertificateCredential::from_file(
        "tenant1",
        "app",
        &fixture("test-cert.p12"),
        Some(&password),
    )
    .unwrap()
    .with_authority_host(host(&server))
    .unwrap()
    .with_options(
        CertificateOptions::default()
            .legacy_rs256(true)
            .send_chain(true),
    );
    cred.get_token(PC, &opts()).await.unwrap();
    mock.assert_async().await;
    let assertion = seen.lock().unwrap()[0].clone();
    let aud = format!("{}/tenant1/oauth2/v2.0/token", server.url());
    let header = verify_assertion(&assertion, jsonwebtoken::Algorithm::RS256, &aud);
    assert_eq!(header.x5t.as_deref(), Some(cred.thumbprint_sha1().as_str()));
    assert_eq!(header.x5c.map(|c| c.len()), Some(1));
}

#[test]
fn pkcs12_with_wrong_password_is_a_clear_error() {
    let wrong = SecretString::from("nope".to_owned());
    let err =
        ClientCertificateCredential::from_file("t", "app", &fixture("test-cert.p12"), Some(&wrong))
            .unwrap_err();
    assert!(err.to_string().contains("password"), "{err}");
}
