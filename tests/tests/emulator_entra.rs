//! The emulator's Entra ID: certificate credentials, and clients that are not ours.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use oauth2::{AuthUrl, ClientId, ClientSecret, Scope, TokenResponse, TokenUrl};
use partner_center::auth::{
    AuthError, CertificateOptions, ClientCertificateCredential, EndpointVersion, ExposeSecret,
    RefreshTokenCredential, SecretString, TokenCredential,
};
use partner_center_emulator::Emulator;

mod common;

const PC: &str = "https://api.partnercenter.microsoft.com";

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/partner-center-auth/tests/fixtures")
        .join(name)
}

fn host(emu: &Emulator) -> url::Url {
    url::Url::parse(emu.authority_host()).unwrap()
}

#[tokio::test]
async fn certificate_credentials_are_verified_by_thumbprint_and_signature() {
    let pem = std::fs::read(fixture("test-cert.pem")).unwrap();
    let emu = Emulator::builder()
        .client_certificate_pem(pem)
        .start()
        .await
        .unwrap();
    for (options, version) in [
        (CertificateOptions::default(), EndpointVersion::V2),
        (
            CertificateOptions::default().legacy_rs256(true),
            EndpointVersion::V1,
        ),
        (
            CertificateOptions::default().send_chain(true),
            EndpointVersion::V1,
        ),
    ] {
        let cred = ClientCertificateCredential::from_file(
            emu.tenant_id(),
            emu.client_id(),
            &fixture("test-cert.pem"),
            None,
        )
        .unwrap()
        .with_authority_host(host(&emu))
        .unwrap()
        .with_options(options)
        .with_endpoint_version(version);
        let token = cred.get_token(PC, &Default::default()).await.unwrap();
        assert_eq!(
            token.inspect_unverified().unwrap().claims.aud.as_deref(),
            Some(PC)
        );
    }

    // A certificate the app does not know is refused with Entra ID's code.
    let stranger = Emulator::builder().start().await.unwrap();
    let cred = ClientCertificateCredential::from_file(
        stranger.tenant_id(),
        stranger.client_id(),
        &fixture("test-cert.pem"),
        None,
    )
    .unwrap()
    .with_authority_host(host(&stranger))
    .unwrap();
    let err = cred.get_token(PC, &Default::default()).await.unwrap_err();
    let AuthError::Refused(detail) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(detail.codes, vec![700_027]);
    assert!(err.hint().is_some());
}

#[tokio::test]
async fn refresh_tokens_rotate_and_the_old_one_stays_valid_as_entras_do() {
    let emu = Emulator::builder().start().await.unwrap();
    let first = SecretString::from(emu.refresh_token().to_owned());
    let rotated = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = rotated.clone();
    let cred = RefreshTokenCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        Some(SecretString::from(emu.client_secret().to_owned())),
        first.clone(),
    )
    .unwrap()
    .with_authority_host(host(&emu))
    .unwrap()
    .on_rotation(std::sync::Arc::new(move |rt: &SecretString| {
        sink.lock().unwrap().push(rt.expose_secret().to_owned());
    }));
    let token = cred.get_token(PC, &Default::default()).await.unwrap();
    let claims = token.inspect_unverified().unwrap().claims;
    assert!(claims.is_app_plus_user());
    assert_eq!(claims.scp.as_deref(), Some("user_impersonation"));
    assert_eq!(rotated.lock().unwrap().len(), 1);

    // Entra does not revoke a redeemed refresh token (refresh-tokens.md): the first one
    // still works; one the emulator never issued is refused (70008).
    let again = |rt: SecretString| {
        RefreshTokenCredential::new(
            emu.tenant_id(),
            emu.client_id(),
            Some(SecretString::from(emu.client_secret().to_owned())),
            rt,
        )
        .unwrap()
        .with_authority_host(host(&emu))
        .unwrap()
    };
    let token = again(first)
        .get_token(PC, &Default::default())
        .await
        .unwrap();
    assert!(
        token
            .inspect_unverified()
            .unwrap()
            .claims
            .is_app_plus_user()
    );
    let next = SecretString::from(rotated.lock().unwrap()[0].clone());
    again(next)
        .get_token(PC, &Default::default())
        .await
        .unwrap();
    let err = again(SecretString::from("emu-rt-never-issued"))
        .get_token(PC, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.endpoint_error().unwrap().codes, vec![70_008]);
}

/// A standard OAuth 2.0 client (the `oauth2` crate) gets a client-credentials token with
/// nothing changed but the authority host, and a standard JWT library (`jsonwebtoken`)
/// verifies it through the JWKS named in the discovery document.
#[tokio::test]
async fn standard_clients_work_unchanged_but_for_the_authority_host() {
    let emu = Emulator::builder().start().await.unwrap();
    let base = emu.authority_host();
    let tenant = emu.tenant_id();
    let client = oauth2::basic::BasicClient::new(ClientId::new(emu.client_id().to_owned()))
        .set_client_secret(ClientSecret::new(emu.client_secret().to_owned()))
        .set_auth_uri(AuthUrl::new(format!("{base}/{tenant}/oauth2/v2.0/authorize")).unwrap())
        .set_token_uri(TokenUrl::new(format!("{base}/{tenant}/oauth2/v2.0/token")).unwrap())
        .set_auth_type(oauth2::AuthType::RequestBody);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .exchange_client_credentials()
        .add_scope(Scope::new(format!("{PC}/.default")))
        .request_async(&http)
        .await
        .unwrap();
    let token = response.access_token().secret().clone();

    let discovery: serde_json::Value = http
        .get(format!(
            "{base}/{tenant}/v2.0/.well-known/openid-configuration"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwks: jsonwebtoken::jwk::JwkSet = http
        .get(discovery["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let header = jsonwebtoken::decode_header(&token).unwrap();
    let jwk = jwks.find(header.kid.as_deref().unwrap()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[PC]);
    validation.set_issuer(&[discovery["issuer"].as_str().unwrap()]);
    let data = jsonwebtoken::decode::<serde_json::Value>(
        &token,
        &jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap(),
        &validation,
    )
    .unwrap();
    assert_eq!(data.claims["azp"], emu.client_id());
}

/// Client credentials in the body (`client_secret_post`) or in an `Authorization: Basic`
/// header (`client_secret_basic`, which the discovery document advertises), on v1 and v2,
/// as a standard OAuth 2.0 client sends them; a v2 request without `scope` is told so.
#[tokio::test]
async fn client_secret_basic_and_post_both_work_on_v1_and_v2() {
    let emu = Emulator::builder().start().await.unwrap();
    let base = emu.authority_host();
    let tenant = emu.tenant_id();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let aud = |token: &str| -> serde_json::Value {
        let payload = token.split('.').nth(1).unwrap();
        let bytes =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
                .unwrap();
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["aud"].clone()
    };
    for auth in [oauth2::AuthType::BasicAuth, oauth2::AuthType::RequestBody] {
        let client = oauth2::basic::BasicClient::new(ClientId::new(emu.client_id().to_owned()))
            .set_client_secret(ClientSecret::new(emu.client_secret().to_owned()))
            .set_auth_uri(AuthUrl::new(format!("{base}/{tenant}/oauth2/v2.0/authorize")).unwrap())
            .set_token_uri(TokenUrl::new(format!("{base}/{tenant}/oauth2/v2.0/token")).unwrap())
            .set_auth_type(auth.clone());
        let response = client
            .exchange_client_credentials()
            .add_scope(Scope::new(format!("{PC}/.default")))
            .request_async(&http)
            .await
            .unwrap_or_else(|e| panic!("{auth:?}: {e:?}"));
        assert_eq!(aud(response.access_token().secret()), PC, "{auth:?}");
    }
    // v1 answers `expires_in` as a string, which the `oauth2` crate does not read: the
    // Basic header by hand there.
    let v1: serde_json::Value = http
        .post(format!("{base}/{tenant}/oauth2/token"))
        .basic_auth(emu.client_id(), Some(emu.client_secret()))
        .form(&[("grant_type", "client_credentials"), ("resource", PC)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(aud(v1["access_token"].as_str().unwrap()), PC, "{v1}");
    // A wrong secret in the header is refused as one in the body is.
    let wrong = http
        .post(format!("{base}/{tenant}/oauth2/v2.0/token"))
        .basic_auth(emu.client_id(), Some("not-the-secret"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", &format!("{PC}/.default")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"][0], 7000215);
    // The header's parts are percent-decoded (RFC 6749 §2.3.1: form-urlencoded, then
    // base64): every byte escaped still names the same secret.
    let escaped: String = emu
        .client_secret()
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect();
    let header = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{escaped}", emu.client_id()),
    );
    let scope = format!("{PC}/.default");
    let post = |auth: Option<String>, extra: &[(&str, &str)]| {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("scope", scope.as_str()),
        ];
        form.extend_from_slice(extra);
        let mut request = http
            .post(format!("{base}/{tenant}/oauth2/v2.0/token"))
            .form(&form);
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, body) = post(Some(format!("Basic {header}")), &[]).await;
    assert_eq!(status, 200, "{body}");
    // Both ways at once, a client id that differs, and a header that is no credential
    // are refused, saying so.
    let (status, body) = post(
        Some(format!("Basic {header}")),
        &[("client_secret", emu.client_secret())],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, body) = post(
        Some(format!("Basic {header}")),
        &[("client_id", "00000000-0000-0000-0000-000000000000")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = post(Some("Basic !!!".to_owned()), &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(
        !body.to_string().contains(emu.client_secret()),
        "no secret in an error"
    );
    // No scope on v2: invalid_request naming it, not an unknown resource with no name.
    let unscoped = http
        .post(format!("{base}/{tenant}/oauth2/v2.0/token"))
        .basic_auth(emu.client_id(), Some(emu.client_secret()))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(unscoped.status(), 400);
    let body: serde_json::Value = unscoped.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"].as_str().unwrap().starts_with(
            "AADSTS900144: The request body must contain the following parameter: 'scope'."
        ),
        "{body}"
    );
}

#[tokio::test]
async fn an_app_user_credential_gets_tokens_in_its_customers_tenants_and_no_other() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = common::client(&emu, partner_center::RetryPolicy::default());
    let customer = pc
        .customers()
        .create(&serde_json::json!({
            "companyProfile": {"domain": "gdap-customer.onmicrosoft.com"},
            "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en", "companyName": "GDAP",
                "defaultAddress": {"country": "US", "city": "Redmond", "state": "WA", "addressLine1": "1 Way",
                                   "postalCode": "98052", "firstName": "A", "lastName": "B"}}
        }))
        .await
        .unwrap();
    let customer_tenant = customer.id.clone();
    let partner = RefreshTokenCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        Some(SecretString::from(emu.client_secret().to_owned())),
        SecretString::from(emu.refresh_token().to_owned()),
    )
    .unwrap()
    .with_authority_host(host(&emu))
    .unwrap();
    let graph = "https://graph.microsoft.com/.default";

    // Through the trait object, as a facade user holds it.
    let shared: partner_center::auth::Credential =
        partner.for_tenant(emu.tenant_id()).unwrap().into();
    let in_customer = shared.for_tenant(&customer_tenant).unwrap();
    let token = in_customer
        .get_token(graph, &Default::default())
        .await
        .unwrap();
    let claims = token.inspect_unverified().unwrap().claims;
    assert_eq!(claims.tid.as_deref(), Some(customer_tenant.as_str()));
    assert_eq!(claims.aud.as_deref(), Some("https://graph.microsoft.com"));
    assert!(claims.amr.contains(&"mfa".to_owned()), "{claims:?}");
    // Cached per tenant: the partner's own token is another entry.
    let own = partner.get_token(graph, &Default::default()).await.unwrap();
    assert_eq!(
        own.inspect_unverified().unwrap().claims.tid.as_deref(),
        Some(emu.tenant_id())
    );
    let again = in_customer
        .get_token(graph, &Default::default())
        .await
        .unwrap();
    assert!(again.same_as(&token));

    // A tenant the partner has no relationship with is refused, as Entra refuses it.
    let stranger = partner
        .for_tenant("0f0f0f0f-0000-4000-8000-000000000bad")
        .unwrap();
    let err = stranger
        .get_token(graph, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.endpoint_error().unwrap().codes, vec![50020], "{err}");

    // App-only credentials cannot act in a customer's tenant.
    let app_only = partner_center::auth::ClientSecretCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        SecretString::from(emu.client_secret().to_owned()),
    )
    .unwrap();
    assert!(app_only.for_tenant(&customer_tenant).is_err());
}
