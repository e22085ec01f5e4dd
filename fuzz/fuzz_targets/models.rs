#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_center_models::{ingestion, rest};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<rest::ApiFault>(data);
    let _ = serde_json::from_slice::<rest::ResourceCollection<rest::Customer>>(data);
    let _ = serde_json::from_slice::<rest::Subscription>(data);
    let _ = serde_json::from_slice::<rest::Order>(data);
    let _ = serde_json::from_slice::<ingestion::ODataCollection<ingestion::Variant>>(data);
    let _ = serde_json::from_slice::<ingestion::PackageConfiguration>(data);
    if let Ok(s) = serde_json::from_slice::<ingestion::Submission>(data) {
        let _ = serde_json::to_vec(&s);
    }
});
