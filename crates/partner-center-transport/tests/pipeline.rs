//! Every rule of the pipeline, against a mock server. (mockito answers with the first
//! matching mock whose `expect` is not yet met, so "503 once, then 201" is two mocks.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use mockito::Matcher;
use partner_center_models::Customer;
use partner_center_transport::{ApiProfile, Error, RequestOptions, RetryPolicy, Transport};
use reqwest::Method;

mod common;
use common::{Counting, setup};

fn page(ids: &[&str], next: Option<&str>) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id":"{id}","companyProfile":{{"domain":"{id}.onmicrosoft.com"}},"futureField":{{"x":1}},"attributes":{{"objectType":"Customer"}}}}"#))
        .collect();
    let links = next.map_or(String::new(), |n| {
        format!(r#","links":{{"next":{{"uri":"{n}","method":"GET","headers":[{{"key":"MS-ContinuationToken","value":"tok-2"}}]}}}}"#)
    });
    format!(
        r#"{{"totalCount":{},"items":[{}]{links},"attributes":{{"objectType":"Collection"}}}}"#,
        ids.len(),
        items.join(",")
    )
}

fn record_request_id(
    sink: Arc<Mutex<Vec<String>>>,
    body: &'static [u8],
) -> impl Fn(&mockito::Request) -> Vec<u8> + Send + Sync + 'static {
    move |req| {
        sink.lock()
            .unwrap()
            .push(req.header("ms-requestid")[0].to_str().unwrap().to_owned());
        body.to_vec()
    }
}

#[tokio::test]
async fn paging_follows_relative_and_v1_links_with_headers_under_one_correlation_id() {
    let mut server = mockito::Server::new_async().await;
    let first = server
        .mock("GET", "/v1/customers")
        .match_query(Matcher::UrlEncoded("size".into(), "2".into()))
        .match_header("authorization", "Bearer token-1")
        .match_header("accept", "application/json")
        .match_header("ms-contract-version", "v1")
        .match_header("x-locale", "en-US")
        .match_header("ms-correlationid", "corr-1")
        .match_header("ms-requestid", Matcher::Regex("^[0-9a-f-]{36}$".into()))
        .match_header("user-agent", Matcher::Regex("^partner-center-rs/".into()))
        .with_body(page(
            &["a", "b"],
            Some("/customers?size=2&seekOperation=Next"),
        ))
        .expect(1)
        .create_async()
        .await;
    let second = server
        .mock("GET", "/v1/customers")
        .match_query(Matcher::UrlEncoded("seekOperation".into(), "Next".into()))
        .match_header("ms-continuationtoken", "tok-2")
        .match_header("ms-correlationid", "corr-1")
        .with_body(page(&["c"], Some("/v1/customers/page3")))
        .expect(1)
        .create_async()
        .await;
    let third = server
        .mock("GET", "/v1/customers/page3")
        .with_body(page(&["d"], None))
        .expect(1)
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let all: Vec<Customer> = t
        .paginate(
            &p,
            "/customers?size=2",
            &RequestOptions::correlated("corr-1"),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c", "d"]
    );
    assert_eq!(
        all[0].extra["futureField"]["x"], 1,
        "unknown fields are kept"
    );
    first.assert_async().await;
    second.assert_async().await;
    third.assert_async().await;
}

#[tokio::test]
async fn paging_is_lazy() {
    let mut server = mockito::Server::new_async().await;
    let first = server
        .mock("GET", "/v1/customers")
        .with_body(page(&["a"], Some("/customers/next")))
        .expect(1)
        .create_async()
        .await;
    let second = server
        .mock("GET", "/v1/customers/next")
        .with_body(page(&["b"], None))
        .expect(0)
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let mut stream = t.paginate::<Customer>(&p, "/customers", &RequestOptions::default());
    assert_eq!(stream.try_next().await.unwrap().unwrap().id, "a");
    drop(stream);
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn throttling_429_is_waited_out_with_the_same_request_id() {
    let mut server = mockito::Server::new_async().await;
    let ids = Arc::new(Mutex::new(Vec::new()));
    let throttled = server
        .mock("GET", "/v1/customers/c1")
        .with_status(429)
        .with_header("retry-after", "1")
        .with_body_from_request(record_request_id(
            ids.clone(),
            br#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}"#,
        ))
        .expect(1)
        .create_async()
        .await;
    let ok = server
        .mock("GET", "/v1/customers/c1")
        .with_body_from_request(record_request_id(ids.clone(), br#"{"id":"c1"}"#))
        .expect(1)
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let started = Instant::now();
    let customer = t
        .get_json::<Customer>(&p, "/customers/c1", &RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(customer.id, "c1");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was honoured"
    );
    throttled.assert_async().await;
    ok.assert_async().await;
    let ids = ids.lock().unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1], "the retry keeps the request id");
}

#[tokio::test]
async fn a_post_retried_after_503_keeps_its_request_id() {
    let mut server = mockito::Server::new_async().await;
    let ids = Arc::new(Mutex::new(Vec::new()));
    let failing = server
        .mock("POST", "/v1/customers/c1/orders")
        .with_status(503)
        .with_body_from_request(record_request_id(
            ids.clone(),
            br#"{"code":0,"description":"busy"}"#,
        ))
        .expect(1)
        .create_async()
        .await;
    let created = server
        .mock("POST", "/v1/customers/c1/orders")
        .match_header("content-type", "application/json")
        .with_status(201)
        .with_body_from_request(record_request_id(ids.clone(), br#"{"id":"o1"}"#))
        .expect(1)
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let order: serde_json::Value = t
        .send_json(
            &p,
            Method::POST,
            "/customers/c1/orders",
            &serde_json::json!({"lineItems": []}),
            &RequestOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(order["id"], "o1");
    failing.assert_async().await;
    created.assert_async().await;
    let ids = ids.lock().unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1]);
}

#[tokio::test]
async fn a_401_forces_exactly_one_token_refresh() {
    let mut server = mockito::Server::new_async().await;
    let stale = server
        .mock("GET", "/v1/customers/c1")
        .match_header("authorization", "Bearer token-1")
        .with_status(401)
        .with_body(r#"{"code":400,"description":"Access denied"}"#)
        .expect(1)
        .create_async()
        .await;
    let fresh = server
        .mock("GET", "/v1/customers/c1")
        .match_header("authorization", "Bearer token-2")
        .with_body(r#"{"id":"c1"}"#)
        .expect(1)
        .create_async()
        .await;
    let (t, p, cred) = setup(&server);
    t.get_json::<Customer>(&p, "/customers/c1", &RequestOptions::default())
        .await
        .unwrap();
    stale.assert_async().await;
    fresh.assert_async().await;
    assert_eq!(
        cred.refreshes.load(Ordering::SeqCst),
        1,
        "exactly one forced refresh"
    );

    // Still 401 after the refresh: an API error, not a loop.
    let mut server = mockito::Server::new_async().await;
    let always = server
        .mock("GET", "/v1/customers/c1")
        .with_status(401)
        .with_body(r#"{"code":400,"description":"Access denied"}"#)
        .expect(2)
        .create_async()
        .await;
    let (t, p, cred) = setup(&server);
    let err = t
        .get_json::<Customer>(&p, "/customers/c1", &RequestOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 401, .. }), "{err:?}");
    assert_eq!(cred.refreshes.load(Ordering::SeqCst), 1);
    always.assert_async().await;
}

#[tokio::test]
async fn persistent_500s_end_in_a_bounded_transient_error_with_the_request_id() {
    let mut server = mockito::Server::new_async().await;
    let mock = server
        .mock("GET", "/v1/customers")
        .with_status(500)
        .with_body(r#"{"code":0,"description":"boom"}"#)
        .expect(3)
        .create_async()
        .await;
    let (t, p, cred) = setup(&server);
    let started = Instant::now();
    let err = t
        .get_json::<serde_json::Value>(&p, "/customers", &RequestOptions::default())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    match &err {
        Error::Transient {
            status,
            attempts,
            request_id,
            ..
        } => {
            assert_eq!(*status, Some(500));
            assert_eq!(*attempts, 3);
            assert_eq!(request_id.len(), 36);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        cred.calls.load(Ordering::SeqCst),
        3,
        "the token is fetched again for every attempt"
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn the_retry_budget_stops_retry_storms() {
    let mut server = mockito::Server::new_async().await;
    server
        .mock("GET", "/v1/x")
        .with_status(503)
        .create_async()
        .await;
    let cred = Arc::new(Counting::default());
    let mut policy = RetryPolicy::default()
        .max_attempts(10)
        .backoff(Duration::from_millis(1), Duration::from_millis(1));
    policy.budget_capacity = 10;
    let t = Transport::with_parts(reqwest::Client::new(), cred.clone(), policy, None);
    let p = ApiProfile::rest(&url::Url::parse(&server.url()).unwrap(), "r").unwrap();
    let err = t
        .get_json::<serde_json::Value>(&p, "/x", &RequestOptions::default())
        .await
        .unwrap_err();
    let Error::Transient { attempts, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        attempts, 3,
        "two retries (5 tokens each) spend a budget of 10"
    );
    let err = t
        .get_json::<serde_json::Value>(&p, "/x", &RequestOptions::default())
        .await
        .unwrap_err();
    let Error::Transient { attempts, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(attempts, 1, "an empty budget fails fast");
}

#[tokio::test]
async fn html_502_is_a_short_readable_transient_error() {
    let mut server = mockito::Server::new_async().await;
    server
        .mock("GET", "/v1/customers")
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_body(format!(
            "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
            "x".repeat(5000)
        ))
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let err = t
        .get_json::<serde_json::Value>(&p, "/customers", &RequestOptions::default())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Transient { .. }));
    assert!(
        text.contains("502 Bad Gateway") && text.len() < 200,
        "{text}"
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_an_excerpt() {
    let mut server = mockito::Server::new_async().await;
    server
        .mock("GET", "/v1/customers/c1")
        .with_body(r#"{"id":"c1","companyProf"#)
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let err = t
        .get_json::<Customer>(&p, "/customers/c1", &RequestOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    assert!(err.to_string().contains(r#"{"id":"c1""#));
}

#[tokio::test]
async fn every_error_body_shape_is_decoded() {
    let mut server = mockito::Server::new_async().await;
    server.mock("GET", "/v1/a").with_status(400).with_body(r#"{"code":2055,"description":"Etag is no longer valid","data":[],"source":"PartnerFD"}"#).create_async().await;
    server
        .mock("GET", "/v1/b")
        .with_status(409)
        .with_body(r#"{"code":"600061","message":"m","description":"Agreement exists","errorName":"PartnerConfirmedAgreementAlreadyExists","isRetryable":false}"#)
        .create_async()
        .await;
    server
        .mock("GET", "/v1/c")
        .with_status(404)
        .with_body("Not Found")
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let get = |path: &'static str| {
        let (t, p) = (t.clone(), p.clone());
        async move {
            t.get_json::<serde_json::Value>(&p, path, &RequestOptions::default())
                .await
                .unwrap_err()
        }
    };
    let Error::Api {
        code, description, ..
    } = get("/a").await
    else {
        panic!()
    };
    assert_eq!(
        (code.as_deref(), description.as_str()),
        (Some("2055"), "Etag is no longer valid")
    );
    let Error::Api { code, fault, .. } = get("/b").await else {
        panic!()
    };
    assert_eq!(code.as_deref(), Some("600061"));
    assert_eq!(
        fault.unwrap().error_name.as_deref(),
        Some("PartnerConfirmedAgreementAlreadyExists")
    );
    let Error::Api {
        status,
        description,
        ..
    } = get("/c").await
    else {
        panic!()
    };
    assert_eq!(status, 404);
    assert!(description.contains("Not Found"));
}

#[test]
fn links_resolve_against_the_version_root() {
    let p = ApiProfile::rest(
        &url::Url::parse("https://api.partnercenter.microsoft.com").unwrap(),
        "r",
    )
    .unwrap();
    assert_eq!(
        p.resolve("/customers?size=40&seekOperation=Next")
            .unwrap()
            .as_str(),
        "https://api.partnercenter.microsoft.com/v1/customers?size=40&seekOperation=Next"
    );
    assert_eq!(
        p.resolve("/v1/customers?size=40").unwrap().as_str(),
        "https://api.partnercenter.microsoft.com/v1/customers?size=40"
    );
    assert!(
        p.resolve("https://evil.example/v1/customers").is_err(),
        "links to other hosts are refused"
    );
    assert!(
        ApiProfile::rest(&url::Url::parse("http://api.example.com").unwrap(), "r").is_err(),
        "http only for loopback"
    );
}

#[tokio::test]
async fn bad_input_from_the_server_is_a_clear_error_never_a_panic() {
    let mut server = mockito::Server::new_async().await;
    server
        .mock("GET", "/v1/binary")
        .with_body(vec![0xff, 0xfe, 0x00, 0x7b, 0x80])
        .create_async()
        .await;
    server
        .mock("GET", "/v1/plain")
        .with_header("content-type", "text/plain")
        .with_body(r#"{"id":"c1"}"#)
        .create_async()
        .await;
    server
        .mock("GET", "/v1/huge")
        .with_status(500)
        .with_body("x".repeat(5 * 1024 * 1024))
        .create_async()
        .await;
    server
        .mock("GET", "/v1/hour")
        .with_status(429)
        .with_header("retry-after", "1e9")
        .create_async()
        .await;
    server
        .mock("GET", "/v1/garbage")
        .with_status(429)
        .with_header("retry-after", "soon-ish")
        .expect(3)
        .create_async()
        .await;
    server
        .mock("GET", "/v1/notjson400")
        .with_status(400)
        .with_body(vec![0xc3, 0x28])
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    let get = |path: &'static str| {
        let (t, p) = (t.clone(), p.clone());
        async move {
            t.get_json::<Customer>(&p, path, &RequestOptions::default())
                .await
        }
    };
    assert!(matches!(get("/binary").await, Err(Error::Decode { .. })));
    assert_eq!(
        get("/plain").await.unwrap().id,
        "c1",
        "a wrong content type does not matter when the body is JSON"
    );
    let huge = get("/huge").await.unwrap_err();
    assert!(
        huge.to_string().len() < 300,
        "a huge body is cut to an excerpt"
    );
    let started = Instant::now();
    let hour = get("/hour").await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a Retry-After beyond the time budget fails fast"
    );
    assert!(
        matches!(
            hour,
            Error::Transient {
                status: Some(429),
                attempts: 1,
                ..
            }
        ),
        "{hour:?}"
    );
    assert!(
        matches!(
            get("/garbage").await,
            Err(Error::Transient { attempts: 3, .. })
        ),
        "an unreadable Retry-After falls back to backoff"
    );
    assert!(matches!(
        get("/notjson400").await,
        Err(Error::Api { status: 400, .. })
    ));
}

// ---- Hardening (issue 9) ----

/// A transport to `base` with `policy` and a counting credential, and the REST profile.
fn transport_to(base: &str, policy: RetryPolicy) -> (Transport, ApiProfile) {
    let transport = Transport::with_parts(
        reqwest::Client::new(),
        Arc::new(Counting::default()),
        policy,
        None,
    );
    let profile = ApiProfile::rest(
        &url::Url::parse(base).unwrap(),
        "https://api.partnercenter.microsoft.com",
    )
    .unwrap();
    (transport, profile)
}

/// Walks `/customers` to the end and returns the error that stopped the walk.
async fn walk_error(server: &mockito::ServerGuard) -> Error {
    let (transport, profile, _) = setup(server);
    transport
        .paginate::<Customer>(&profile, "/customers", &RequestOptions::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn an_oversized_answer_is_a_decode_error_naming_the_limit() {
    let mut server = mockito::Server::new_async().await;
    server
        .mock("GET", "/v1/customers/big")
        .with_body(format!(r#"{{"id":"{}"}}"#, "x".repeat(4096)))
        .create_async()
        .await;
    let (transport, profile, _) = setup(&server);
    let transport = transport.with_max_response_bytes(1024);
    let err = transport
        .get_json::<Customer>(&profile, "/customers/big", &RequestOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("1 KiB"), "{err}");
}

#[tokio::test]
async fn paging_stops_on_a_link_seen_anywhere_in_the_walk() {
    let mut server = mockito::Server::new_async().await;
    // 0 → 1 → 0 → …: each next link differs from the current one, but the walk repeats.
    let link = |token: &str| {
        format!(
            r#"{{"totalCount":1,"items":[{{"id":"c{token}"}}],"links":{{"next":{{"uri":"/customers?seek={token}","headers":[]}}}}}}"#
        )
    };
    server
        .mock("GET", "/v1/customers")
        .match_query(Matcher::Missing)
        .with_body(link("1"))
        .create_async()
        .await;
    server
        .mock("GET", "/v1/customers")
        .match_query(Matcher::UrlEncoded("seek".into(), "1".into()))
        .with_body(link("0"))
        .create_async()
        .await;
    let zero = server
        .mock("GET", "/v1/customers")
        .match_query(Matcher::UrlEncoded("seek".into(), "0".into()))
        .with_body(link("1"))
        .expect(1)
        .create_async()
        .await;
    let err = walk_error(&server).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    zero.assert_async().await;
}

#[tokio::test]
async fn paging_stops_after_consecutive_empty_pages() {
    let mut server = mockito::Server::new_async().await;
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = hits.clone();
    server
        .mock("GET", "/v1/customers")
        .match_query(Matcher::Any)
        .with_body_from_request(move |_| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            format!(
                r#"{{"totalCount":0,"items":[],"links":{{"next":{{"uri":"/customers?seek={}","headers":[]}}}}}}"#,
                n + 1
            )
            .into_bytes()
        })
        .create_async()
        .await;
    let err = walk_error(&server).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        partner_center_transport::MAX_CONSECUTIVE_EMPTY_PAGES as usize
    );
}

/// A server that accepts and never answers: the whole operation ends within max_elapsed,
/// however long one attempt's timeout is.
#[tokio::test]
async fn max_elapsed_bounds_the_whole_operation() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let policy = RetryPolicy::default()
        .max_attempts(5)
        .attempt_timeout(Duration::from_secs(100))
        .max_elapsed(Duration::from_millis(300))
        .backoff(Duration::from_millis(1), Duration::from_millis(5));
    let (transport, profile) = transport_to(&format!("http://{addr}"), policy);
    // The outer timeout only keeps a regression from hanging the suite.
    let result = tokio::time::timeout(
        Duration::from_secs(60),
        transport.get_json::<Customer>(&profile, "/customers/x", &RequestOptions::default()),
    )
    .await
    .expect("bounded by max_elapsed");
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Transient { .. }), "{err:?}");
}

#[tokio::test]
async fn dot_empty_and_huge_segments_are_refused_before_any_request() {
    let mut server = mockito::Server::new_async().await;
    let any = server
        .mock("GET", Matcher::Any)
        .expect(0)
        .create_async()
        .await;
    let (transport, profile, _) = setup(&server);
    let long = format!("/customers/{}", "a".repeat(100_000));
    for path in [
        "/customers/..",
        "/customers/.",
        "/customers/%2E%2e",
        "/customers/",
        "/customers//x",
        long.as_str(),
    ] {
        let err = transport
            .get_json::<Customer>(&profile, path, &RequestOptions::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Config(_)),
            "{}: {err:?}",
            &path[..path.len().min(40)]
        );
    }
    any.assert_async().await;
}

#[tokio::test]
async fn an_unreachable_host_is_named_and_not_called_throttling() {
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(2));
    let (transport, profile) = transport_to("http://127.0.0.1:1", policy);
    let err = transport
        .get_json::<Customer>(&profile, "/customers/x", &RequestOptions::default())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("127.0.0.1:1") && text.contains("refused"),
        "{text}"
    );
    let hint = err.hint().unwrap();
    assert!(!hint.contains("throttling"), "{hint}");
}

#[tokio::test]
async fn no_limit_written_as_duration_max_is_no_limit_not_a_panic() {
    let mut server = mockito::Server::new_async().await;
    let _fail = server
        .mock("GET", "/v1/customers/c1")
        .with_status(503)
        .expect(1)
        .create_async()
        .await;
    let policy = RetryPolicy::default()
        .max_elapsed(Duration::MAX)
        .backoff(Duration::MAX, Duration::MAX)
        .max_attempts(2);
    let (t, p) = transport_to(&server.url(), policy);
    let e = t
        .get_json::<serde_json::Value>(&p, "/customers/c1", &RequestOptions::default())
        .await
        .unwrap_err();
    // The wait before a second attempt would outlast any deadline: the error comes at once.
    assert!(matches!(e, Error::Transient { attempts: 1, .. }), "{e}");
}

#[test]
fn absolute_links_with_credentials_are_refused_and_not_echoed() {
    let profile = ApiProfile::rest(
        &url::Url::parse("https://api.partnercenter.microsoft.com").unwrap(),
        "https://api.partnercenter.microsoft.com",
    )
    .unwrap();
    let e = profile
        .resolve("https://user:hunter2@api.partnercenter.microsoft.com/v1/customers")
        .unwrap_err()
        .to_string();
    assert!(e.contains("credentials"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
}
