//! The models parse the documentation's payloads, keep unknown fields, round-trip, and
//! are pinned by reviewed snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use partner_center_models::{
    ApiFault, BillingCycle, Customer, FaultCode, Offer, Order, ResourceCollection, Subscription,
    SubscriptionStatus,
};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Parses, and checks that writing it back loses nothing.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let parsed: T = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(
        &serde_json::to_value(&parsed).unwrap(),
        value,
        "round trip changed the payload"
    );
    parsed
}

#[test]
fn customer() {
    let raw = fixture("customer.json");
    let c: Customer = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(c.domain(), Some("abcdefgh1234.ccsctp.net"));
    assert_eq!(c.extra["someFutureField"]["kept"], true);
    let creds = c.user_credentials.as_ref().unwrap();
    assert_eq!(
        creds.password.as_ref().unwrap().expose_secret(),
        "fixture-not-a-real-password"
    );
    assert!(
        !format!("{c:?}").contains("fixture-not-a-real-password"),
        "Debug redacts the password"
    );
    let written = serde_json::to_value(&c).unwrap();
    assert_eq!(
        written["userCredentials"]["password"], "[REDACTED]",
        "serialising redacts the password"
    );
    let mut expected = raw;
    expected["userCredentials"]["password"] = "[REDACTED]".into();
    assert_eq!(written, expected);
    insta::assert_json_snapshot!("customer", written);
}

#[test]
fn subscription() {
    let s: Subscription = round_trip(&fixture("subscription.json"));
    assert_eq!(s.status, Some(SubscriptionStatus::Active));
    assert_eq!(s.billing_cycle, Some(BillingCycle::Monthly));
    assert!(s.etag().is_some());
    assert!(s.extra.contains_key("refundOptions") && s.extra.contains_key("hasPurchasableAddons"));
    insta::assert_json_snapshot!("subscription", s);
}

#[test]
fn order() {
    let o: Order = round_trip(&fixture("order.json"));
    assert_eq!(o.line_items[0].offer_id, "DZH318Z0BQ4B:0047:DZH318Z0DSM8");
    insta::assert_json_snapshot!("order", o);
}

#[test]
fn offers_collection_keeps_unknown_enum_values() {
    let page: ResourceCollection<Offer> = round_trip(&fixture("offers.json"));
    assert_eq!(
        page.items[0].supported_billing_cycles[1],
        BillingCycle::Unknown("biweekly-future-value".to_owned())
    );
    assert_eq!(
        page.next_link().unwrap().uri,
        "/offers?country=US&offset=1&size=1"
    );
    insta::assert_json_snapshot!("offers", page);
}

#[test]
fn seek_page() {
    let page: ResourceCollection<Customer> = round_trip(&fixture("customers-page.json"));
    assert_eq!(
        page.next_link().unwrap().header("ms-continuationtoken"),
        Some("AQAAAA==")
    );
    assert_eq!(page.continuation_token.as_deref(), Some("AQAAAA=="));
}

#[test]
fn error_shapes() {
    let faults: Vec<ApiFault> = round_trip(&fixture("errors.json"));
    assert_eq!(
        faults[0].code,
        Some(FaultCode::Number(3000.into())),
        "numeric codes stay numbers"
    );
    assert_eq!(faults[0].code.as_ref().unwrap().to_string(), "3000");
    assert_eq!(faults[0].data, Some(vec![]), "data: [] is kept");
    assert_eq!(faults[1].code, Some(FaultCode::Text("600061".to_owned())));
    assert_eq!(faults[3].code.as_ref().unwrap().to_string(), "60012");
    assert_eq!(
        faults[1].error_name.as_deref(),
        Some("PartnerConfirmedAgreementAlreadyExists")
    );
    assert_eq!(faults[2].status_code, Some(429));
    assert!(faults.iter().all(ApiFault::is_recognised));
    insta::assert_json_snapshot!("errors", faults);
}

/// A body with none of a resource's identifying fields is a decode error, not an empty
/// struct: a contract change is seen, not silently swallowed. Unknown fields stay kept.
#[test]
fn missing_required_fields_are_errors() {
    let unrelated = serde_json::json!({"unexpected": true});
    assert!(serde_json::from_value::<Customer>(unrelated.clone()).is_err());
    assert!(serde_json::from_value::<Subscription>(unrelated.clone()).is_err());
    assert!(serde_json::from_value::<Offer>(unrelated.clone()).is_err());
    assert!(serde_json::from_value::<Order>(unrelated.clone()).is_err());
    let err = serde_json::from_value::<Subscription>(serde_json::json!({"id": "s"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("quantity"), "{err}");
    let kept: Customer =
        serde_json::from_value(serde_json::json!({"id": "c", "newField": 1})).unwrap();
    assert_eq!(kept.extra["newField"], 1);
}

/// A page is read in one pass: nulls read as empty, and a field given twice is refused
/// (a page must not carry two lists of items).
#[test]
fn a_collection_with_a_field_twice_is_refused() {
    let empty: ResourceCollection<Customer> =
        serde_json::from_str(r#"{"totalCount": null, "items": null, "x": 1}"#).unwrap();
    assert!(empty.items.is_empty());
    assert_eq!(empty.extra["x"], 1);
    let twice = r#"{"items": [], "items": [{"id": "injected"}]}"#;
    let e = serde_json::from_str::<ResourceCollection<Customer>>(twice).unwrap_err();
    assert!(e.to_string().contains("duplicate field `items`"), "{e}");
}
