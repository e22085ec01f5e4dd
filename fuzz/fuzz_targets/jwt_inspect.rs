#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(jwt) = partner_center_auth::jwt::decode_unverified(&text) {
        let _ = jwt.claims.is_expired_at(std::time::SystemTime::UNIX_EPOCH);
        let _ = serde_json::to_string(&jwt);
    }
});
