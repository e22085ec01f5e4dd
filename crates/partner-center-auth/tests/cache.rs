//! The token cache: single flight, proactive refresh, isolation between scopes.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)] // reason: tests unwrap secrets, results and read the clock to assert on them

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use partner_center_auth::{
    AccessToken, AuthError, CacheKey, ClientSecretCredential, Clock, ManualClock, RefreshPolicy,
    SecretString, TokenCache, TokenCredential, TokenRequestOptions,
};

const PC: &str = "https://api.partnercenter.microsoft.com";

fn token(clock: &ManualClock, lifetime: Duration) -> AccessToken {
    let now = clock.now();
    AccessToken::new(SecretString::from("t".to_owned()), now + lifetime, now)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_cold_callers_make_one_token_request() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("POST", "/t/oauth2/v2.0/token")
        .with_body(r#"{"token_type":"Bearer","expires_in":3599,"access_token":"shared"}"#)
        .expect(1)
        .create_async()
        .await;
    let cred = Arc::new(
        ClientSecretCredential::new("t", "app", SecretString::from("s".to_owned()))
            .unwrap()
            .with_authority_host(url::Url::parse(&server.url()).unwrap())
            .unwrap(),
    );
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let cred = Arc::clone(&cred);
            tokio::spawn(async move { cred.get_token(PC, &TokenRequestOptions::default()).await })
        })
        .collect();
    let mut first: Option<AccessToken> = None;
    for t in tasks {
        let tok = t.await.unwrap().unwrap();
        if let Some(f) = &first {
            assert!(f.same_as(&tok));
        }
        first.get_or_insert(tok);
    }
    mock.assert_async().await;
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_before_it_expires() {
    let clock = Arc::new(ManualClock::new());
    let cache = TokenCache::with_clock(clock.clone(), RefreshPolicy::default());
    let key = CacheKey::new("h", "t", "c", PC);
    let fetches = AtomicUsize::new(0);
    let fetch = || async {
        fetches.fetch_add(1, Ordering::SeqCst);
        Ok(token(&clock, Duration::from_secs(3600)))
    };
    let first = cache.get_or_fetch(&key, false, None, fetch).await.unwrap();
    // 50 minutes later: still valid, outside the 5-minute window: served from cache.
    clock.advance(Duration::from_secs(50 * 60));
    let same = cache.get_or_fetch(&key, false, None, fetch).await.unwrap();
    assert!(first.same_as(&same));
    // 56 minutes: inside the window, not expired: refreshed now, before expiry.
    clock.advance(Duration::from_secs(6 * 60));
    assert!(!first.is_expired_at(clock.now()));
    let fresh = cache.get_or_fetch(&key, false, None, fetch).await.unwrap();
    assert!(!first.same_as(&fresh));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn long_lived_tokens_refresh_at_half_life() {
    let clock = Arc::new(ManualClock::new());
    let policy = RefreshPolicy::default();
    let t = token(&clock, Duration::from_secs(24 * 3600));
    assert_eq!(
        policy.refresh_at(&t),
        clock.now() + Duration::from_secs(12 * 3600)
    );
    let short = token(&clock, Duration::from_secs(3600));
    assert_eq!(
        policy.refresh_at(&short),
        clock.now() + Duration::from_secs(3300)
    );
}

#[tokio::test]
async fn a_failed_early_refresh_keeps_the_valid_token_and_waits_30s_before_trying_again() {
    let clock = Arc::new(ManualClock::new());
    let cache = TokenCache::with_clock(clock.clone(), RefreshPolicy::default());
    let key = CacheKey::new("h", "t", "c", PC);
    let original = cache
        .get_or_fetch(&key, false, None, || async {
            Ok(token(&clock, Duration::from_secs(3600)))
        })
        .await
        .unwrap();
    clock.advance(Duration::from_secs(3400));
    let attempts = AtomicUsize::new(0);
    let failing = || async {
        attempts.fetch_add(1, Ordering::SeqCst);
        Err(AuthError::Expired)
    };
    for _ in 0..5 {
        let t = cache
            .get_or_fetch(&key, false, None, failing)
            .await
            .unwrap();
        assert!(t.same_as(&original));
    }
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        1,
        "at most one early attempt per 30 s"
    );
    clock.advance(Duration::from_secs(31));
    cache
        .get_or_fetch(&key, false, None, failing)
        .await
        .unwrap();
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_refresh_of_one_scope_never_blocks_cached_reads_of_another() {
    let cache = Arc::new(TokenCache::new());
    let clock = ManualClock::new();
    let fast = CacheKey::new("h", "t", "c", "fast");
    let slow = CacheKey::new("h", "t", "c", "slow");
    cache
        .get_or_fetch(&fast, false, None, || async {
            Ok(token(&clock, Duration::from_secs(3600)))
        })
        .await
        .unwrap();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
    let slow_cache = Arc::clone(&cache);
    let slow_task = tokio::spawn(async move {
        slow_cache
            .get_or_fetch(&slow, false, None, || async move {
                started_tx.send(()).unwrap();
                release_rx.await.unwrap();
                Ok(AccessToken::new(
                    SecretString::from("s".to_owned()),
                    std::time::SystemTime::now() + Duration::from_secs(3600),
                    std::time::SystemTime::now(),
                ))
            })
            .await
    });
    started_rx.await.unwrap();
    // The slow fetch is in flight; reads of the other key complete (they would hang if
    // a lock were held across the fetch).
    for _ in 0..100 {
        let read = tokio::time::timeout(
            Duration::from_secs(5),
            cache.get_or_fetch(&fast, false, None, || async { Err(AuthError::Expired) }),
        );
        read.await
            .expect("cached read blocked by another scope's refresh")
            .unwrap();
    }
    release_tx.send(()).unwrap();
    slow_task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_refreshes_after_a_401_coalesce() {
    let cache = Arc::new(TokenCache::new());
    let key = CacheKey::new("h", "t", "c", PC);
    let fetches = Arc::new(AtomicUsize::new(0));
    let make = |f: Arc<AtomicUsize>| async move {
        f.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = std::time::SystemTime::now();
        Ok(AccessToken::new(
            SecretString::from("t".to_owned()),
            now + Duration::from_secs(3600),
            now,
        ))
    };
    let rejected = cache
        .get_or_fetch(&key, false, None, || make(fetches.clone()))
        .await
        .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (cache, key, rejected, fetches) = (
                Arc::clone(&cache),
                key.clone(),
                rejected.clone(),
                fetches.clone(),
            );
            tokio::spawn(async move {
                cache
                    .get_or_fetch(&key, true, Some(&rejected), || make(fetches))
                    .await
            })
        })
        .collect();
    for t in tasks {
        assert!(!t.await.unwrap().unwrap().same_as(&rejected));
    }
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        2,
        "one initial fetch and one forced refresh"
    );
    let _ = started;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_on_a_failed_flight_share_its_error() {
    let cache = Arc::new(TokenCache::new());
    let key = CacheKey::new("h", "t", "c", PC);
    let fetches = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (cache, key, fetches) = (Arc::clone(&cache), key.clone(), fetches.clone());
            tokio::spawn(async move {
                cache
                    .get_or_fetch(&key, false, None, || async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err::<AccessToken, _>(AuthError::Expired)
                    })
                    .await
            })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().is_err());
    }
    assert!(
        fetches.load(Ordering::SeqCst) <= 2,
        "failures are shared, not retried by every waiter"
    );
}

async fn counting_credential(
    server: &mut mockito::ServerGuard,
    cache: Arc<TokenCache>,
) -> (ClientSecretCredential, mockito::Mock) {
    let mock = server
        .mock("POST", "/t/oauth2/v2.0/token")
        .with_body(r#"{"token_type":"Bearer","expires_in":3599,"access_token":"fast"}"#)
        .expect_at_least(1)
        .create_async()
        .await;
    let cred = ClientSecretCredential::new("t", "app", SecretString::from("s".to_owned()))
        .unwrap()
        .with_authority_host(url::Url::parse(&server.url()).unwrap())
        .unwrap()
        .with_cache(cache);
    (cred, mock)
}

#[tokio::test]
async fn the_lock_free_read_serves_a_fresh_token_and_steps_aside_when_it_is_not() {
    let mut server = mockito::Server::new_async().await;
    let clock = Arc::new(ManualClock::new());
    let cache = Arc::new(TokenCache::with_clock(
        clock.clone(),
        RefreshPolicy::default(),
    ));
    let (cred, _mock) = counting_credential(&mut server, cache.clone()).await;

    assert!(cred.cached_token(PC).is_none(), "nothing cached yet");
    let fetched = cred
        .get_token(PC, &TokenRequestOptions::default())
        .await
        .unwrap();
    let cached = cred.cached_token(PC).expect("fresh after the fetch");
    assert!(cached.same_as(&fetched));
    assert!(format!("{cached:?}").contains("REDACTED"));
    assert!(
        cred.cached_token("https://api.partner.microsoft.com")
            .is_none(),
        "another scope"
    );

    // Past the refresh time (5 minutes before expiry) the fast path says no, so the
    // caller goes through get_token, which refreshes.
    clock.advance(Duration::from_secs(3599 - 200));
    assert!(cred.cached_token(PC).is_none());
    let refreshed = cred
        .get_token(PC, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert!(!refreshed.same_as(&fetched));
    assert!(cred.cached_token(PC).unwrap().same_as(&refreshed));

    // clear() makes every resolved entry stale at once.
    cache.clear();
    assert!(cred.cached_token(PC).is_none(), "cleared");
    let again = cred
        .get_token(PC, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert!(!again.same_as(&refreshed));
    assert!(cred.cached_token(PC).unwrap().same_as(&again));
}

#[tokio::test]
async fn the_system_clock_read_path_serves_from_the_coarse_clock() {
    let mut server = mockito::Server::new_async().await;
    let (cred, mock) = counting_credential(&mut server, Arc::new(TokenCache::new())).await;
    let credential = partner_center_auth::Credential::new(cred);
    let first = credential
        .token(PC, &TokenRequestOptions::default())
        .await
        .unwrap();
    for _ in 0..1000 {
        let t = credential.cached_token(PC).expect("fresh");
        assert!(t.same_as(&first));
    }
    // Past the fast window the wall clock is read again, and the token republished.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = credential
        .token(PC, &TokenRequestOptions::default())
        .await
        .unwrap();
    assert!(later.same_as(&first));
    assert!(credential.cached_token(PC).unwrap().same_as(&first));
    mock.expect(1).assert_async().await;
}

#[tokio::test]
async fn a_fetch_in_flight_during_clear_answers_its_caller_but_is_not_cached() {
    let cache = Arc::new(TokenCache::new());
    let key = CacheKey::new("h", "t", "c", PC);
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let release = Arc::new(tokio::sync::Notify::new());
    let flight = {
        let (cache, key, release) = (cache.clone(), key.clone(), release.clone());
        tokio::spawn(async move {
            cache
                .get_or_fetch(&key, false, None, || async move {
                    let _ = started_tx.send(());
                    release.notified().await;
                    let now = partner_center_auth::SystemClock.now();
                    Ok(AccessToken::new(
                        SecretString::from("old".to_owned()),
                        now + Duration::from_secs(3600),
                        now,
                    ))
                })
                .await
        })
    };
    started_rx.await.unwrap();
    cache.clear();
    release.notify_one();
    assert!(
        flight.await.unwrap().is_ok(),
        "its caller still gets the token"
    );
    assert!(
        cache.cached(&key).is_none(),
        "but the cleared cache does not keep it"
    );
}
