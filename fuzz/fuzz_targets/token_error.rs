#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let status = data.first().map_or(400, |b| 400 + u16::from(*b) % 200);
    let e = partner_center_auth::AuthError::from_token_endpoint_response(status, data, None);
    let _ = (e.to_string(), e.hint(), e.is_retryable());
});
