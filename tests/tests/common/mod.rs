//! Helpers shared by the end-to-end suites: point the SDK at an in-process emulator.
#![allow(dead_code, clippy::unwrap_used)] // reason: each suite uses a subset; test set-up may unwrap

use std::sync::Arc;

use partner_center::auth::{ClientSecretCredential, CloudConfig, SecretString, TokenCache};
use partner_center::{PartnerCenter, RetryPolicy};
use partner_center_emulator::Emulator;

/// The emulator's endpoints as a cloud.
pub(crate) fn cloud(emu: &Emulator) -> CloudConfig {
    CloudConfig::custom(emu.authority_host(), emu.api_url(), emu.ingestion_url())
        .and_then(|c| c.with_graph_api(emu.graph_url()))
        .unwrap()
}

/// The emulator's test app, with a cache of its own.
pub(crate) fn credential(emu: &Emulator) -> ClientSecretCredential {
    ClientSecretCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        SecretString::from(emu.client_secret().to_owned()),
    )
    .unwrap()
    .with_authority_host(cloud(emu).authority_host)
    .unwrap()
}

/// The emulator's test app, on a given cache.
pub(crate) fn credential_with(
    emu: &Emulator,
    cache: Arc<TokenCache>,
) -> Arc<ClientSecretCredential> {
    Arc::new(credential(emu).with_cache(cache))
}

/// A client of the emulator with `policy`.
pub(crate) fn client(emu: &Emulator, policy: RetryPolicy) -> PartnerCenter {
    PartnerCenter::builder()
        .credential(Arc::new(credential(emu)))
        .cloud(cloud(emu))
        .retry_policy(policy)
        // The load tests send far past the documented 500 a minute, to an emulator
        // told not to throttle: the client's own pacing is off too.
        .rate_limit(None)
        .build()
        .unwrap()
}

/// A customer to create: `domain` as its domain and company name.
pub(crate) fn new_customer(domain: &str) -> serde_json::Value {
    serde_json::json!({
        "companyProfile": {"domain": domain},
        "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en", "companyName": domain,
            "defaultAddress": {"country": "US", "city": "Redmond", "state": "WA", "addressLine1": "1 Way", "postalCode": "98052",
                               "firstName": "A", "lastName": "B"}}
    })
}

/// The variables that point the SDK at `emu` with its test app's client secret.
pub(crate) fn emulator_vars(emu: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("AZURE_AUTHORITY_HOST", emu.authority_host().to_owned()),
        ("PARTNER_CENTER_API_URL", emu.api_url().to_owned()),
        ("AZURE_TENANT_ID", emu.tenant_id().to_owned()),
        ("AZURE_CLIENT_ID", emu.client_id().to_owned()),
        ("AZURE_CLIENT_SECRET", emu.client_secret().to_owned()),
    ]
}

/// Settings resolved from `vars` alone (no config file, no process environment).
pub(crate) fn settings_from(vars: &[(&str, String)]) -> partner_center::config::Settings {
    let lookup = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    partner_center::config::Settings::resolve(None, None, &lookup).unwrap()
}

/// An emulator that allows 20 requests per 2 s per partner and customer: a limit small
/// enough for a test to reach in a second.
pub(crate) async fn emulator_allowing_20_per_2s() -> Emulator {
    Emulator::builder()
        .rate_limit_per_minute(Some(20))
        .rate_limit_window(std::time::Duration::from_secs(2))
        .start()
        .await
        .unwrap()
}

/// The emulator called by hand, as a client written elsewhere calls it: a token for
/// `resource` from the emulator's app (App+User from its refresh token, or app-only, on
/// the v1 endpoint), then requests answering the status, the `Location` and the body.
pub(crate) struct RawCaller {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// What a [`RawCaller`] request answered.
pub(crate) struct RawAnswer {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    /// The JSON body; `Null` when empty.
    pub(crate) body: serde_json::Value,
}

impl RawCaller {
    pub(crate) async fn new(
        emu: &Emulator,
        http: reqwest::Client,
        resource: &str,
        app_plus_user: bool,
    ) -> Self {
        let mut form = vec![
            ("client_id", emu.client_id().to_owned()),
            ("client_secret", emu.client_secret().to_owned()),
            ("resource", resource.to_owned()),
        ];
        if app_plus_user {
            form.push(("grant_type", "refresh_token".to_owned()));
            form.push(("refresh_token", emu.refresh_token().to_owned()));
        } else {
            form.push(("grant_type", "client_credentials".to_owned()));
        }
        let base = emu.api_url().to_owned();
        let answer: serde_json::Value = http
            .post(format!("{base}/{}/oauth2/token", emu.tenant_id()))
            .form(&form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = answer["access_token"].as_str().unwrap().to_owned();
        Self { http, base, token }
    }

    /// `method path` (from the host) with `body` as JSON, if any.
    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> RawAnswer {
        self.send_with(method, path, body, &[]).await
    }

    /// As [`RawCaller::send`], with request headers.
    pub(crate) async fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> RawAnswer {
        let mut request = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {path}: {status}, not JSON ({e}): {text}"))
        };
        RawAnswer {
            status,
            location,
            body,
        }
    }

    /// `GET path`, which must succeed.
    pub(crate) async fn get(&self, path: &str) -> serde_json::Value {
        let answer = self.send("GET", path, None).await;
        assert!(
            (200..300).contains(&answer.status),
            "GET {path}: {} {}",
            answer.status,
            answer.body
        );
        answer.body
    }
}
