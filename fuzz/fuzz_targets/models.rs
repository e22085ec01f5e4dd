#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_center_models::{self as models, ingestion};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<models::ApiFault>(data);
    let _ = serde_json::from_slice::<models::ResourceCollection<models::Customer>>(data);
    let _ = serde_json::from_slice::<models::Subscription>(data);
    let _ = serde_json::from_slice::<models::Order>(data);
    let _ = serde_json::from_slice::<models::ODataCollection<ingestion::Variant>>(data);
    let _ = serde_json::from_slice::<ingestion::PackageConfiguration>(data);
    if let Ok(s) = serde_json::from_slice::<ingestion::Submission>(data) {
        let _ = serde_json::to_vec(&s);
    }
});
