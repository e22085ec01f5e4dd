//! What the transport's test binaries share: a credential that counts, and a transport
//! aimed at a mock server.
#![allow(dead_code, clippy::unwrap_used)] // reason: each binary uses a subset; test set-up may unwrap

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use partner_center_auth::{
    AccessToken, AuthError, SecretString, TokenCredential, TokenRequestOptions,
};
use partner_center_transport::{ApiProfile, RetryPolicy, Transport};

/// Hands out `token-N`: N grows by one on every forced refresh.
#[derive(Debug, Default)]
pub(crate) struct Counting {
    pub(crate) refreshes: AtomicUsize,
    pub(crate) calls: AtomicUsize,
}

#[async_trait::async_trait]
impl TokenCredential for Counting {
    async fn get_token(
        &self,
        _scope: &str,
        options: &TokenRequestOptions,
    ) -> Result<AccessToken, AuthError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if options.force_refresh {
            self.refreshes.fetch_add(1, Ordering::SeqCst);
        }
        let n = self.refreshes.load(Ordering::SeqCst) + 1;
        let now = SystemTime::now();
        Ok(AccessToken::new(
            SecretString::from(format!("token-{n}")),
            now + Duration::from_secs(3600),
            now,
        ))
    }
}

pub(crate) fn setup(server: &mockito::ServerGuard) -> (Transport, ApiProfile, Arc<Counting>) {
    let cred = Arc::new(Counting::default());
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .backoff(Duration::from_millis(1), Duration::from_millis(5));
    let transport = Transport::with_parts(
        reqwest::Client::new(),
        cred.clone(),
        policy,
        Some("en-US".to_owned()),
    );
    let profile = ApiProfile::rest(
        &url::Url::parse(&server.url()).unwrap(),
        "https://api.partnercenter.microsoft.com",
    )
    .unwrap();
    (transport, profile, cred)
}
