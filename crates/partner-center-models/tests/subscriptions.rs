//! The subscription models added since the one-file-per-area layout, against the docs'
//! samples: transitions (new commerce's upgrades).
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was fixed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    BillingCycle, ResourceCollection, Transition, TransitionEligibility, TransitionType,
};
use serde_json::Value;

/// `transition-a-new-commerce-subscription.md`, GET eligibilities, response. Verbatim.
const ELIGIBILITIES: &str = r##"{
  "totalCount": 2,
  "items": [
    {
      "operationId": "1caf8ec7-62cc-4ab5-b35d-572d2a62974c",
      "catalogItemId": "CFQ7TTC0KZCR:0001:CFQ7TTC0K71H",
      "title": "Microsoft 365 E5 Test Sku Title",
      "description": "Microsoft 365 E5 Test Sku Description",
      "quantity": 1,
      "subscriptionEligibilities": [
        {
          "isEligible": false,
          "subscriptionId": "92301b7d-7598-4938-d6f2-d31e080e9da6",
          "subscriptionFriendlyName": "Microsoft 365 Business Premium",
          "subscriptionTermDuration": "P1M",
          "subscriptionBillingCycle": "monthly",
          "errors": [
            {
              "code": 3,
              "description": "The subscription's term duration is shorter than the source subscription's term duration."
            }
          ]
        },
        {
          "isEligible": true,
          "subscriptionId": "151467a1-4246-4a00-da7b-3405463d9b78",
          "subscriptionFriendlyName": "Microsoft 365 Business Premium",
          "subscriptionTermDuration": "P1Y",
          "subscriptionBillingCycle": "monthly",
          "errors": []
        }
      ],
      "eligibilities": [
        {
          "isEligible": true,
          "transitionType": "transition_only",
          "errors": []
        },
        {
          "isEligible": false,
          "transitionType": "transition_with_license_transfer",
          "errors": [
            {
              "code": 3,
              "description": "Subscription cannot be transitioned because there are conflicting services."
            }
          ]
        }
      ],
      "attributes": {
        "objectType": "TransitionEligibility"
      }
    },
    {
      "operationId": "1caf8ec7-62cc-4ab5-b35d-572d2a62974c",
      "catalogItemId": "CFQ7TTC0L4M3:0001:CFQ7TTC0K78T",
      "title": "Business Premium Test Sku Title",
      "description": "Business Premium Test Sku Description",
      "quantity": 1,
      "eligibilities": [
        {
          "isEligible": false,
          "transitionType": "transition_with_license_transfer",
          "errors": [
            {
              "code": 3,
              "description": "Subscription cannot be transitioned because there are conflicting services."
            }
          ]
        }
      ],
      "attributes": {
        "objectType": "TransitionEligibility"
      }
    }
  ],
  "attributes": {
    "objectType": "Collection"
  }
}"##;

/// `transition-a-new-commerce-subscription.md`, POST transition, request. Verbatim.
const TRANSITION_REQUEST: &str = r##"{
    "fromCatalogItemId": "CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X",
    "fromSubscriptionId": "e487e8dc-421e-4275-cb42-3c1c8daccf70",
    "toCatalogItemId": "CFQ7TTC0LF8R:0001:CFQ7TTC0KCSV",
    "toSubscriptionId": "0af52192-4a2a-4364-d25b-c8ecab3a5697",
    "quantity": 2,
    "termDuration": "P1M",
    "billingCycle": "Monthly",
    "transitionType": "transition_only"
}"##;

/// `transition-a-new-commerce-subscription.md`, POST transition, response. Fixed: the comma
/// missing after `"transitionType": "transition_only"`.
const TRANSITION_RESPONSE: &str = r##"{
    "fromCatalogItemId": "CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X",
    "fromSubscriptionId": "e487e8dc-421e-4275-cb42-3c1c8daccf70",
    "toCatalogItemId": "CFQ7TTC0LF8R:0001:CFQ7TTC0KCSV",
    "toSubscriptionId": "0af52192-4a2a-4364-d25b-c8ecab3a5697",
    "quantity": 2,
    "termDuration": "P1M",
    "billingCycle": "Monthly",
    "transitionType": "transition_only",
    "Events": [
        {
            "name": "Conversion",
            "status": "Started ",
            "timestamp": "2021-01-08T18:01:14.7488618Z",
            "attributes":
            {
                "objectType": "TransitionEvent"
            }
        }
    ],
    "attributes":
    {
        "objectType": "Transition"
    }
}"##;

#[test]
fn transition_eligibilities() {
    let sent: Value = serde_json::from_str(ELIGIBILITIES).unwrap();
    let page: ResourceCollection<TransitionEligibility> =
        serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&page).unwrap(), sent);
    let first = &page.items[0];
    assert_eq!(first.catalog_item_id, "CFQ7TTC0KZCR:0001:CFQ7TTC0K71H");
    assert!(first.allows(&TransitionType::TransitionOnly));
    assert!(!first.allows(&TransitionType::TransitionWithLicenseTransfer));
    let existing = first.subscription_eligibilities.as_ref().unwrap();
    assert_eq!(existing[0].errors.as_ref().unwrap()[0].code, Some(3));
    assert_eq!(
        existing[1].subscription_billing_cycle,
        Some(BillingCycle::Monthly)
    );
    assert!(page.items[1].subscription_eligibilities.is_none());
}

#[test]
fn a_transition_and_its_answer() {
    // The samples write `Monthly`; the model writes the service's own `monthly`.
    let canonical = |sample: &str| {
        let mut v: Value = serde_json::from_str(sample).unwrap();
        v["billingCycle"] = "monthly".into();
        v
    };
    let request: Transition = serde_json::from_str(TRANSITION_REQUEST).unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        canonical(TRANSITION_REQUEST)
    );
    assert_eq!(request.quantity, 2);
    assert_eq!(
        request.transition_type,
        Some(TransitionType::TransitionOnly)
    );
    let answer: Transition = serde_json::from_str(TRANSITION_RESPONSE).unwrap();
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        canonical(TRANSITION_RESPONSE)
    );
    assert_eq!(answer.extra["Events"][0]["name"], "Conversion");
    let built = Transition::to("CFQ7TTC0LF8R:0001:CFQ7TTC0KCSV", 2);
    assert_eq!(built.to_catalog_item_id, request.to_catalog_item_id);
}
