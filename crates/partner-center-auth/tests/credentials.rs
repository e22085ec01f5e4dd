//! Credentials against a mock token endpoint.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)] // reason: tests unwrap secrets, results and read the clock to assert on them

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use mockito::Matcher;
use partner_center_auth::{
    AuthError, ClientSecretCredential, EndpointVersion, EnvironmentCredential, ExposeSecret,
    RefreshTokenCredential, SecretString, StaticTokenCredential, TokenCredential,
    TokenRequestOptions,
};

const PC: &str = "https://api.partnercenter.microsoft.com";
const CANARY: &str = "CANARY-SECRET-7f3a9c";

fn host(server: &mockito::ServerGuard) -> url::Url {
    url::Url::parse(&server.url()).unwrap()
}

fn fake_jwt(claims: &str) -> String {
    let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.c2ln", e(r#"{"alg":"RS256","typ":"JWT"}"#), e(claims))
}

fn token_body(token: &str, expires_in: u64) -> String {
    format!(r#"{{"token_type":"Bearer","expires_in":{expires_in},"access_token":"{token}"}}"#)
}

/// The test app's secret credential against the token endpoint at `authority`.
fn secret_credential(authority: url::Url) -> ClientSecretCredential {
    ClientSecretCredential::new("tenant1", "app", SecretString::from("x".to_owned()))
        .unwrap()
        .with_authority_host(authority)
        .unwrap()
}

fn opts() -> TokenRequestOptions {
    TokenRequestOptions::default()
}

#[tokio::test]
async fn client_secret_v2_sends_scope_and_secret() {
    let mut server = mockito::Server::new_async().await;
    let jwt = fake_jwt(r#"{"aud":"https://api.partnercenter.microsoft.com","appid":"app"}"#);
    let mock = server
        .mock("POST", "/tenant1/oauth2/v2.0/token")
        .match_header("content-type", "application/x-www-form-urlencoded")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("grant_type".into(), "client_credentials".into()),
            Matcher::UrlEncoded("client_id".into(), "app".into()),
            Matcher::UrlEncoded("client_secret".into(), "s&cret=1".into()),
            Matcher::UrlEncoded("scope".into(), format!("{PC}/.default")),
        ]))
        .with_body(token_body(&jwt, 3599))
        .expect(1)
        .create_async()
        .await;
    let cred =
        ClientSecretCredential::new("tenant1", "app", SecretString::from("s&cret=1".to_owned()))
            .unwrap()
            .with_authority_host(host(&server))
            .unwrap();
    let t1 = cred.get_token(PC, &opts()).await.unwrap();
    let t2 = cred
        .get_token(&format!("{PC}/.default"), &opts())
        .await
        .unwrap();
    assert!(
        t1.same_as(&t2),
        "resource and /.default share one cache entry"
    );
    assert_eq!(t1.secret().expose_secret(), jwt);
    assert_eq!(
        t1.inspect_unverified().unwrap().claims.app_id(),
        Some("app")
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn client_secret_v1_sends_resource_and_reads_string_numbers() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("POST", "/tenant1/oauth2/token")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("resource".into(), PC.into()),
            Matcher::UrlEncoded("grant_type".into(), "client_credentials".into()),
        ]))
        .with_body(r#"{"token_type":"Bearer","expires_in":"3599","ext_expires_in":"3599","expires_on":"4102444800","not_before":"1","resource":"https://api.partnercenter.microsoft.com","access_token":"v1token"}"#)
        .create_async()
        .await;
    let cred = ClientSecretCredential::new("tenant1", "app", SecretString::from("x".to_owned()))
        .unwrap()
        .with_authority_host(host(&server))
        .unwrap()
        .with_endpoint_version(EndpointVersion::V1);
    let t = cred
        .get_token(&format!("{PC}/.default"), &opts())
        .await
        .unwrap();
    let lifetime = t.expires_on().duration_since(SystemTime::now()).unwrap();
    assert!(
        lifetime <= Duration::from_secs(3599) && lifetime >= Duration::from_secs(3590),
        "expires_in (relative) is used: {lifetime:?}"
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn refused_secret_carries_aadsts_code_ids_and_hint_but_not_the_secret() {
    let mut server = mockito::Server::new_async().await;
    server
        .mock("POST", "/tenant1/oauth2/v2.0/token")
        .with_status(401)
        .with_body(r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 0b0f\r\nCorrelation ID: c0ff\r\nTimestamp: 2022-12-09 15:04:13Z","error_codes":[7000215],"timestamp":"2022-12-09 15:04:13Z","trace_id":"0b0f","correlation_id":"c0ff"}"#)
        .expect(1)
        .create_async()
        .await;
    let cred = ClientSecretCredential::new("tenant1", "app", SecretString::from(CANARY.to_owned()))
        .unwrap()
        .with_authority_host(host(&server))
        .unwrap();
    let err = cred.get_token(PC, &opts()).await.unwrap_err();
    let detail = err.endpoint_error().unwrap();
    assert_eq!(detail.codes, vec![7_000_215]);
    assert_eq!(detail.trace_id.as_deref(), Some("0b0f"));
    assert_eq!(detail.correlation_id.as_deref(), Some("c0ff"));
    assert!(err.hint().unwrap().contains("Value"));
    assert!(!err.is_retryable());
    // Remembered briefly: a second call does not hit the endpoint again (expect(1)).
    let again = cred.get_token(PC, &opts()).await.unwrap_err();
    assert!(matches!(again, AuthError::Refused(_)));
    for text in [format!("{err}"), format!("{err:?}"), format!("{cred:?}")] {
        assert!(!text.contains(CANARY), "{text}");
    }
}

#[tokio::test]
async fn throttled_token_endpoint_is_remembered_until_retry_after() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("POST", "/tenant1/oauth2/v2.0/token")
        .with_status(429)
        .with_header("retry-after", "120")
        .with_body(r#"{"error":"temporarily_unavailable","error_description":"AADSTS50196: loop detected"}"#)
        .expect(1)
        .create_async()
        .await;
    let cred = secret_credential(host(&server));
    for _ in 0..20 {
        let err = cred.get_token(PC, &opts()).await.unwrap_err();
        assert!(err.is_retryable());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    }
    mock.assert_async().await;
}

#[tokio::test]
async fn connection_failure_is_retryable_with_hint() {
    let cred = secret_credential(url::Url::parse("http://127.0.0.1:1").unwrap());
    let err = cred.get_token(PC, &opts()).await.unwrap_err();
    assert!(matches!(err, AuthError::Connection { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(err.hint().is_some());
}

#[tokio::test]
async fn non_loopback_http_authority_is_refused() {
    let cred =
        ClientSecretCredential::new("tenant1", "app", SecretString::from("x".to_owned())).unwrap();
    let err = cred
        .with_authority_host(url::Url::parse("http://login.example.com").unwrap())
        .unwrap_err();
    assert!(matches!(err, AuthError::InsecureUrl { .. }));
    assert!(err.is_usage());
}

#[tokio::test]
async fn refresh_token_rotates_through_the_callback_and_is_used_next() {
    let mut server = mockito::Server::new_async().await;
    let first = server
        .mock("POST", "/tenant1/oauth2/token")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("grant_type".into(), "refresh_token".into()),
            Matcher::UrlEncoded("refresh_token".into(), "rt-1".into()),
            Matcher::UrlEncoded("resource".into(), PC.into()),
        ]))
        .with_body(r#"{"token_type":"Bearer","expires_in":"3599","access_token":"at-1","refresh_token":"rt-2"}"#)
        .expect(1)
        .create_async()
        .await;
    let second = server
        .mock("POST", "/tenant1/oauth2/token")
        .match_body(Matcher::AllOf(vec![
            Matcher::UrlEncoded("refresh_token".into(), "rt-2".into()),
            Matcher::UrlEncoded("resource".into(), "https://api.partner.microsoft.com".into()),
        ]))
        .with_body(r#"{"token_type":"Bearer","expires_in":"3599","access_token":"at-2","refresh_token":"rt-3"}"#)
        .expect(1)
        .create_async()
        .await;
    let persisted = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&persisted);
    let cred = RefreshTokenCredential::new(
        "tenant1",
        "app",
        Some(SecretString::from("s".to_owned())),
        SecretString::from("rt-1".to_owned()),
    )
    .unwrap()
    .with_authority_host(host(&server))
    .unwrap()
    .with_endpoint_version(EndpointVersion::V1)
    .on_rotation(Arc::new(move |rt: &SecretString| {
        sink.lock().unwrap().push(rt.expose_secret().to_owned());
    }));
    // Two scopes at once: the refresh token is still used one request at a time.
    let o = opts();
    let (a, b) = tokio::join!(
        cred.get_token(PC, &o),
        cred.get_token("https://api.partner.microsoft.com", &o)
    );
    a.unwrap();
    b.unwrap();
    first.assert_async().await;
    second.assert_async().await;
    let persisted = persisted.lock().unwrap().clone();
    assert_eq!(persisted.len(), 2);
    assert!(persisted.contains(&"rt-2".to_owned()) && persisted.contains(&"rt-3".to_owned()));
    assert!(!format!("{cred:?}").contains("rt-"));
}

#[tokio::test]
async fn static_token_is_served_until_expiry() {
    let live = StaticTokenCredential::new(
        SecretString::from("t".to_owned()),
        SystemTime::now() + Duration::from_secs(60),
    );
    assert!(live.get_token(PC, &opts()).await.is_ok());
    let dead = StaticTokenCredential::new(
        SecretString::from("t".to_owned()),
        SystemTime::now() - Duration::from_secs(1),
    );
    assert!(matches!(
        dead.get_token(PC, &opts()).await,
        Err(AuthError::Expired)
    ));
}

#[tokio::test]
async fn environment_credential_follows_azure_identity_names() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("POST", "/env-tenant/oauth2/v2.0/token")
        .match_body(Matcher::UrlEncoded("client_secret".into(), CANARY.into()))
        .with_body(token_body("env-token", 3599))
        .create_async()
        .await;
    let url = server.url();
    let vars = move |name: &str| match name {
        "AZURE_TENANT_ID" => Some("env-tenant".to_owned()),
        "AZURE_CLIENT_ID" => Some("env-app".to_owned()),
        "AZURE_CLIENT_SECRET" => Some(CANARY.to_owned()),
        "AZURE_AUTHORITY_HOST" => Some(url.clone()),
        _ => None,
    };
    let cred = EnvironmentCredential::from_lookup(vars).unwrap();
    assert_eq!(cred.tenant(), "env-tenant");
    cred.get_token(PC, &opts()).await.unwrap();
    mock.assert_async().await;
    assert!(!format!("{cred:?}").contains(CANARY));

    let missing =
        EnvironmentCredential::from_lookup(|n| (n == "AZURE_TENANT_ID").then(|| "t".to_owned()))
            .unwrap_err();
    assert!(matches!(missing, AuthError::MissingCredentials { .. }));
    assert!(missing.to_string().contains("AZURE_CLIENT_ID"));
    let insecure = EnvironmentCredential::from_lookup(|n| match n {
        "AZURE_AUTHORITY_HOST" => Some("http://login.example.com".to_owned()),
        _ => Some("x".to_owned()),
    })
    .unwrap_err();
    assert!(insecure.is_usage());
}

/// A loopback server answering each connection with the next of `answers` (status, body).
async fn scripted_server(answers: Vec<(u16, String)>) -> (url::Url, Arc<Mutex<usize>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let served = Arc::new(Mutex::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        for (status, body) in answers {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buf = vec![0u8; 16 * 1024];
            let _ = socket.read(&mut buf).await;
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nretry-after: 0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            *count.lock().unwrap() += 1;
        }
    });
    (url, served)
}

/// One blip of the token endpoint does not fail the job: 500, then a token.
#[tokio::test]
async fn the_token_endpoint_is_retried_after_a_blip() {
    let (url, served) = scripted_server(vec![
        (500, "oops".to_owned()),
        (200, token_body("tok", 3600)),
    ])
    .await;
    let cred = secret_credential(url);
    let token = cred.get_token(PC, &opts()).await.unwrap();
    assert_eq!(token.secret().expose_secret(), "tok");
    assert_eq!(*served.lock().unwrap(), 2);
}

#[tokio::test]
async fn a_non_token_200_is_a_decode_error_and_not_retried() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let mut server = mockito::Server::new_async().await;
    server
        .mock("POST", "/tenant1/oauth2/v2.0/token")
        .with_body_from_request(move |_| {
            if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                b"<html><title>502 Bad Gateway</title></html>".to_vec()
            } else {
                token_body("tok", 3600).into_bytes()
            }
        })
        .with_status(200)
        .create_async()
        .await;
    let cred = secret_credential(host(&server));
    // A 200 with a body that is not a token response is not retried: it is a decode error.
    let err = cred.get_token(PC, &opts()).await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_oversized_token_answer_is_refused() {
    let mut server = mockito::Server::new_async().await;
    let huge = format!(
        r#"{{"expires_in":3600,"access_token":"{}"}}"#,
        "a".repeat(partner_center_auth::limits::MAX_TOKEN_RESPONSE_BYTES)
    );
    server
        .mock("POST", "/tenant1/oauth2/v2.0/token")
        .with_body(huge)
        .create_async()
        .await;
    let cred = secret_credential(host(&server));
    let err = cred.get_token(PC, &opts()).await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert!(err.to_string().contains("2 MiB"), "{err}");
}

#[test]
fn urls_with_passwords_and_the_closed_german_cloud_are_refused() {
    let err = partner_center_auth::parse_url("http://u:CANARY@127.0.0.1:1").unwrap_err();
    assert!(!err.to_string().contains("CANARY"), "{err}");
    assert!(err.is_usage());
    let err = "germany".parse::<partner_center_auth::Cloud>().unwrap_err();
    assert!(err.to_string().contains("2021-10-29"), "{err}");
    assert!(!partner_center_auth::redact_url_text("http://a:b@c d").contains(":b@"));
}

/// Sends one HTTP GET to the loopback receiver; the status line's code.
async fn hit(port: u16, target: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    s.write_all(format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    answer
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_loopback_receiver_takes_only_its_own_redirect() {
    use partner_center_auth::consent::{ConsentClient, LoopbackReceiver};
    let authority =
        partner_center_auth::Authority::new(url::Url::parse("http://127.0.0.1:9").unwrap(), "t")
            .unwrap();
    let client = ConsentClient::new(authority, "app").unwrap();
    let receiver = LoopbackReceiver::bind().await.unwrap();
    let port: u16 = receiver
        .redirect_uri()
        .trim_start_matches("http://localhost:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let request = client.authorization_request(receiver.redirect_uri());
    let state = request
        .url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let waiting = tokio::spawn(async move {
        receiver
            .receive(&request, std::time::Duration::from_secs(10))
            .await
    });
    assert_eq!(hit(port, "/favicon.ico").await, "404");
    // Another process that found the port can neither end the login nor feed a code.
    assert_eq!(
        hit(
            port,
            "/?error=access_denied&error_description=%1b%5b31mgo+away&state=guess"
        )
        .await,
        "400"
    );
    assert_eq!(hit(port, "/?code=forged&state=guess").await, "400");
    assert_eq!(
        hit(
            port,
            &format!("/?error=access_denied&error_description=%1b%5b31mno&state={state}")
        )
        .await,
        "200"
    );
    let redirect = waiting.await.unwrap().unwrap();
    assert_eq!(redirect.error.as_deref(), Some("access_denied"));
    assert_eq!(
        redirect.error_description.as_deref(),
        Some("[31mno"),
        "control characters are dropped"
    );
}
