//! A canary secret never shows in Debug, Display, errors, or logs at trace level.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)] // reason: tests unwrap secrets, results and read the clock to assert on them

use std::io::Write;
use std::sync::{Arc, Mutex};

use partner_center_auth::{
    ClientSecretCredential, SecretString, TokenCredential, TokenRequestOptions,
};

const CANARY_SECRET: &str = "CANARY-CLIENT-SECRET-d41d8c";
const CANARY_TOKEN: &str = "eyJCANARY-ACCESS-TOKEN.e30.sig";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn canary_secret_and_token_never_appear_in_output_or_logs() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut server = mockito::Server::new_async().await;
    server
        .mock("POST", "/t/oauth2/v2.0/token")
        .with_body(format!(
            r#"{{"token_type":"Bearer","expires_in":3599,"access_token":"{CANARY_TOKEN}"}}"#
        ))
        .create_async()
        .await;
    let cred =
        ClientSecretCredential::new("t", "app", SecretString::from(CANARY_SECRET.to_owned()))
            .unwrap()
            .with_authority_host(url::Url::parse(&server.url()).unwrap())
            .unwrap();
    let token = cred
        .get_token(
            "https://api.partnercenter.microsoft.com",
            &TokenRequestOptions::default(),
        )
        .await
        .unwrap();
    let mut texts = vec![format!("{cred:?}"), format!("{token:?}")];
    // An error path too.
    server.reset();
    server
        .mock("POST", "/t/oauth2/v2.0/token")
        .with_status(400)
        .with_body(r#"{"error":"invalid_request","error_description":"AADSTS900144: missing"}"#)
        .create_async()
        .await;
    let err = cred
        .get_token("https://other.example", &TokenRequestOptions::default())
        .await
        .unwrap_err();
    texts.push(format!("{err}"));
    texts.push(format!("{err:?}"));
    texts.push(String::from_utf8(logs.0.lock().unwrap().clone()).unwrap());
    assert!(
        texts.last().unwrap().contains("requesting a token"),
        "trace logs were captured"
    );
    for text in texts {
        assert!(!text.contains(CANARY_SECRET), "secret leaked: {text}");
        assert!(
            !text.contains("CANARY-ACCESS-TOKEN"),
            "token leaked: {text}"
        );
    }
}
