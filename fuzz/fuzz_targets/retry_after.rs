#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    if let Some(d) = partner_center_auth::parse_retry_after(&text, now) {
        assert!(d <= std::time::Duration::from_secs(3600));
    }
});
