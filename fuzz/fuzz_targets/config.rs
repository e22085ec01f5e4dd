#![no_main]
//! Config files → settings, or an error that never quotes a value.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = partner_center::config::Settings::from_toml_str(&text, "sandbox", &|_| None)
        .map_err(|e| e.to_string());
});
