#![no_main]
//! Token endpoint bodies → `AccessToken` (lifetime clamped) and what is shown of it.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000);
    for status in [200, 400, 429, 503] {
        match partner_center_auth::AccessToken::from_token_endpoint_response(status, data, now) {
            Ok(token) => {
                assert!(token.lifetime() <= partner_center_auth::limits::MAX_TOKEN_LIFETIME);
                let _ = format!("{token:?}");
                if let Ok(jwt) = token.inspect_unverified() {
                    let _ = jwt.claims.is_expired_at(now);
                }
            }
            Err(e) => {
                let _ = (e.to_string(), e.hint(), e.is_retryable());
            }
        }
    }
});
