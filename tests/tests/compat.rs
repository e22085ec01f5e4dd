//! The emulator as clients written elsewhere meet it: every error in its API's shape (no
//! empty or plain-text bodies), whatever route or method they try.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_emulator::Emulator;
use serde_json::Value;

/// Sends `method path` with `body` and returns the status and the JSON body; fails the test
/// when the body is empty or not JSON.
async fn answer(emu: &Emulator, method: &str, path: &str, body: &str) -> (u16, Value) {
    let http = reqwest::Client::new();
    let response = http
        .request(method.parse().unwrap(), format!("{}{path}", emu.api_url()))
        .header("content-type", "text/plain")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    assert!(
        kind.contains("json"),
        "{method} {path}: {status} with content-type {kind:?} and body {text:?}"
    );
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: {status} {text:?}: {e}"));
    (status, json)
}

#[tokio::test]
async fn no_route_answers_an_empty_or_plain_error_body() {
    let emu = Emulator::builder().start().await.unwrap();
    let tenant = emu.tenant_id().to_owned();

    // The REST API: an ApiFault, 1000 for not found.
    let (status, body) = answer(&emu, "GET", "/v1/no-such-thing", "").await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], 1000);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("/v1/no-such-thing")
    );
    let (status, body) = answer(&emu, "DELETE", "/v1/customers", "").await;
    assert_eq!(status, 405);
    assert!(
        body["description"].as_str().unwrap().contains("DELETE"),
        "{body}"
    );

    // Entra ID: the OAuth error, 900561 for a wrong method.
    let (status, body) = answer(&emu, "GET", &format!("/{tenant}/oauth2/v2.0/token"), "").await;
    assert_eq!(status, 405);
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(body["error_codes"][0], 900561);
    // A token request that is not a form.
    let (status, body) = answer(&emu, "POST", &format!("/{tenant}/oauth2/v2.0/token"), "{}").await;
    assert!(status >= 400, "{status}");
    assert!(body["error"].is_string(), "{body}");

    // The submission API: a bare JSON string.
    let (status, body) = answer(&emu, "GET", "/v1.0/ingestion/no-such-thing", "").await;
    assert_eq!(status, 404);
    assert!(
        body.as_str().unwrap().contains("does not emulate"),
        "{body}"
    );
    let (status, body) = answer(&emu, "PATCH", "/v1.0/ingestion/products", "").await;
    assert_eq!(status, 405);
    assert!(body.is_string(), "{body}");

    // Microsoft Graph: {"error": {"code", "message"}}.
    let (status, body) = answer(&emu, "GET", "/v1.0/no-such-thing", "").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "itemNotFound");
    assert!(body["error"]["message"].is_string());
}
