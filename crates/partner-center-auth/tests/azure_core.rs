//! Interop with the current azure_core release (feature `azure-core`): our credential
//! through azure_core's trait, and an azure_core credential through ours.
#![allow(clippy::unwrap_used, clippy::disallowed_methods)] // reason: tests unwrap and read the token they were given

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use azure_core::credentials as az;
use partner_center_auth::interop::{AzureCoreCredential, FromAzureCore};
use partner_center_auth::{
    ClientSecretCredential, Credential, ExposeSecret, SecretString, TokenRequestOptions,
};

#[tokio::test]
async fn our_credential_serves_azure_core_callers() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("POST", "/t/oauth2/v2.0/token")
        .match_body(mockito::Matcher::UrlEncoded(
            "scope".into(),
            "https://graph.microsoft.com/.default".into(),
        ))
        .with_body(r#"{"token_type":"Bearer","expires_in":3599,"access_token":"ours"}"#)
        .expect(1)
        .create_async()
        .await;
    let ours = ClientSecretCredential::new("t", "app", SecretString::from("s".to_owned()))
        .unwrap()
        .with_authority_host(url::Url::parse(&server.url()).unwrap())
        .unwrap();
    let theirs: Arc<dyn az::TokenCredential> = Arc::new(AzureCoreCredential::new(ours));
    let token = theirs
        .get_token(&["https://graph.microsoft.com/.default"], None)
        .await
        .unwrap();
    assert_eq!(token.token.secret(), "ours");
    let left = SystemTime::from(token.expires_on)
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(left > Duration::from_secs(3500), "{left:?}");
    // Cached on our side: a second call makes no request.
    theirs
        .get_token(&["https://graph.microsoft.com/.default"], None)
        .await
        .unwrap();
    assert!(theirs.get_token(&[], None).await.is_err(), "one scope");
    mock.assert_async().await;
}

/// An azure_core credential of someone else's.
#[derive(Debug)]
struct Theirs;

#[async_trait::async_trait]
impl az::TokenCredential for Theirs {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<az::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<az::AccessToken> {
        if scopes != ["https://api.partnercenter.microsoft.com/.default"] {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                format!("unexpected scopes {scopes:?}"),
            ));
        }
        Ok(az::AccessToken::new(
            az::Secret::new("theirs"),
            azure_core::time::OffsetDateTime::from(SystemTime::now() + Duration::from_secs(600)),
        ))
    }
}

#[tokio::test]
async fn an_azure_core_credential_serves_ours() {
    let credential = Credential::new(FromAzureCore::new(Arc::new(Theirs)));
    let token = credential
        .token(
            "https://api.partnercenter.microsoft.com",
            &TokenRequestOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(token.secret().expose_secret(), "theirs");
    let err = credential
        .token(
            "https://graph.microsoft.com",
            &TokenRequestOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("unexpected scopes"), "{err}");
}
