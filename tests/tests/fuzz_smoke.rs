//! The stable smoke fuzzer: seeded mutations of a corpus (the test fixtures and known
//! tricky inputs) through the same functions as the cargo-fuzz targets in `fuzz/`. Runs in
//! every CI run; the real fuzzers need nightly (fuzz/README.md).
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use std::time::{Duration, SystemTime};

use partner_center::auth::{AccessToken, AuthError, jwt, parse_retry_after};
use partner_center::models::{self, ingestion};

const ROUNDS: usize = 3_000;

fn corpus() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/partner-center-models/tests/fixtures");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.ends_with("partner-ingestion-openapi.json")
        })
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    for s in [
        r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret.\r\nTrace ID: x","error_codes":[7000215],"trace_id":"t"}"#,
        r#"{"statusCode":429,"message":"Rate limit is exceeded. Try again in 57 seconds."}"#,
        r#"{"value":[{"resourceType":"AzureSkuVariant","id":"v","state":"Active"}],"@odata.nextLink":"products?$skipToken=x"}"#,
        r#"{"resourceType":"Submission","id":"1","substate":"FailedInCertification","targets":[{"type":"Scope","value":"Preview"}]}"#,
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJhdWQiOlsiYSJdLCJleHAiOjEsInJvbGVzIjpbInIiXX0.c2ln",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "57",
        "1e308",
        "<html><title>502</title></html>",
        r#"{"token_type":"Bearer","expires_in":18446744073709551615,"expires_on":"300000000000","access_token":"eyJhbGciOiJub25lIn0.eyJleHAiOjkyMjMzNzIwMzY4NTQ3NzU4MDd9.c2ln"}"#,
        "[profiles.sandbox]\ntenant = \"t\"\nclient_id = \"c\"\nclient_secret_env = \"S\"\ncloud = \"public\"\n",
        "client_secret = \"CANARY\"\n[profiles.sandbox]\nsandbox = { password = 'CANARY' }\n",
    ] {
        seeds.push(s.as_bytes().to_vec());
    }
    seeds
}

fn mutate(rng: &mut fastrand::Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..rng.usize(1..6) {
        match rng.u8(0..6) {
            0 if !data.is_empty() => {
                let i = rng.usize(..data.len());
                data[i] = rng.u8(..);
            }
            1 => {
                let i = rng.usize(..=data.len());
                data.insert(
                    i,
                    *b"{}[]\":,.\\0-eAZ\xff"
                        .get(rng.usize(..16))
                        .unwrap_or(&b'x'),
                );
            }
            2 if !data.is_empty() => {
                let i = rng.usize(..data.len());
                data.remove(i);
            }
            3 => {
                let len = data.len();
                data.truncate(rng.usize(..=len));
            }
            4 if data.len() > 2 => {
                let (a, b) = (rng.usize(..data.len()), rng.usize(..data.len()));
                let chunk = data[a.min(b)..a.max(b)].to_vec();
                let at = rng.usize(..=data.len());
                data.splice(at..at, chunk);
            }
            _ => data.reverse(),
        }
    }
    data
}

fn exercise(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(j) = jwt::decode_unverified(&text) {
        let _ = (
            j.claims.is_expired_at(SystemTime::UNIX_EPOCH),
            serde_json::to_string(&j),
        );
    }
    let e = AuthError::from_token_endpoint_response(401, data, Some(Duration::from_secs(1)));
    let _ = (e.to_string(), e.hint(), e.is_retryable());
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for status in [200, 429] {
        match AccessToken::from_token_endpoint_response(status, data, now) {
            Ok(token) => {
                assert!(token.lifetime() <= partner_center::auth::limits::MAX_TOKEN_LIFETIME);
                assert!(!format!("{token:?}").contains("eyJ"));
                if let Ok(j) = token.inspect_unverified() {
                    let _ = (
                        j.claims.is_expired_at(now),
                        j.claims.is_not_yet_valid_at(now),
                    );
                }
            }
            // A success body may hold a token: its errors never echo it.
            Err(e) if status == 200 => assert!(!e.to_string().contains("eyJ"), "{e}"),
            Err(e) => {
                let _ = (e.to_string(), e.hint());
            }
        }
    }
    if let Err(e) = partner_center::config::Settings::from_toml_str(&text, "sandbox", &|_| None) {
        // Key names may be shown (a mutation can splice the canary into one); a quoted
        // value never is.
        let e = e.to_string();
        assert!(!e.contains("\"CANARY") && !e.contains("'CANARY"), "{e}");
    }
    if let Some(d) = parse_retry_after(&text, now) {
        assert!(
            d <= Duration::from_secs(3600),
            "Retry-After not clamped: {text:?}"
        );
    }
    let _ = serde_json::from_slice::<models::ApiFault>(data);
    let _ = serde_json::from_slice::<models::ResourceCollection<models::Customer>>(data);
    let _ = serde_json::from_slice::<models::Subscription>(data);
    let _ = serde_json::from_slice::<models::Order>(data);
    let _ = serde_json::from_slice::<Vec<models::ApiFault>>(data);
    let _ = serde_json::from_slice::<models::ODataCollection<ingestion::Variant>>(data);
    let _ = serde_json::from_slice::<ingestion::PackageConfiguration>(data);
    if let Ok(s) = serde_json::from_slice::<ingestion::Submission>(data) {
        let _ = serde_json::to_vec(&s).unwrap();
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_c0de);
    let seeds = corpus();
    assert!(seeds.len() > 10);
    for seed in &seeds {
        exercise(seed);
        for _ in 0..ROUNDS / seeds.len() * 10 {
            exercise(&mutate(&mut rng, seed));
        }
    }
}
