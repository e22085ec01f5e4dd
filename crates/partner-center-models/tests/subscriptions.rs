//! The subscription models added since the one-file-per-area layout, against the docs'
//! samples: transitions (new commerce's upgrades) and their history, scheduled next-term
//! changes.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was fixed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    BillingCycle, ProductTerm, ResourceCollection, ScheduledNextTermInstructions, Subscription,
    Transition, TransitionEligibility, TransitionHistory, TransitionType,
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

/// `get-transitions.md`, response. Verbatim (its keys' mixed case and the padded
/// `"Started "` included).
const TRANSITION_HISTORY: &str = r##"{
    "transition": [
        {
        "operationId": "1caf8ec7-62cc-4ab5-b35d-572d2a62974c",
        "FromCatalogItemId": "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT",
        "ToCatalogItemId": "CFQ7TTC0LF8S:0001:CFQ7TTC0K9G9",
        "quantity": 1,
        "transitionType": "transition_with_license_transfer",
        "Events": [
           {
               "name": "Conversion",
               "status": "Started ",
               "timestamp": "2021-01-08T18:01:14.7488618Z",
               "attributes":
                     {
                          "objectType": "TransitionEvent"
                     }
           },
           {
               "name": "Conversion",
               "status": "Completed",
               "timestamp": "2021-01-08T18:37:41.591855Z",
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
        }
    ],
    "attributes":
        {
               "objectType": "Collection"
        }
}"##;

/// `create-scheduled-changes.md`, response (the request differs only in one space).
/// Fixed: the comma missing after `"quantity":  1` in the instructions, the trailing
/// commas after their `customTermEndDate` and after the last `attributes`, and the
/// `// original value = null` comment.
const SCHEDULED_CHANGES: &str = r##"{
    "id": "6e7aa601-629e-461b-8933-0898c3cc3c7c",
    "offerId": "DZH318Z0BXWC:0001:DZH318Z0BMJX",
    "offerName": "offer Name",
    "friendlyName": "friendly Name",
    "quantity": 1,
    "customTermEndDate": "2019-01-09T00:21:45.9263727",
    "unitType": "License(s)",
    "hasPurchasableAddons": false,
    "creationDate": "2019-01-04T01:00:12.6647304Z",
    "effectiveStartDate": "2019-01-09T00:21:45.9263727+00:00",
    "commitmentEndDate": "2019-02-08T00:21:45.9263727+00:00",
    "status": "active",
    "autoRenewEnabled": true,
    "scheduledNextTermInstructions": {
      "product": {
         "productId":  "DG7GMGF0DVSV",
         "skuId":  "000P",
         "availabilityId":  "DG7GMGF0F3Q9",
         "billingCycle":  "Annual",
         "termDuration":  "P3Y",
         "promotionId": "39NFJQT1PFPJ:000H:39NFJQT1Q5DK"
        },
      "quantity":  1,
      "customTermEndDate": "2019-01-09T00:21:45.9263727"
     },
    "isTrial": false,
    "billingType": "license",
    "billingCycle": "monthly",
    "termDuration": "P1M",
    "refundOptions": [{
        "type": "Full",
        "expiresAt": "2019-01-10T00:21:45.9263727+00:00"
    }],
    "isMicrosoftProduct": false,
    "partnerId": "",
    "contractType": "subscription",
    "publisherName": "publisher Name",
    "orderId": "ImxjLNL4_fOc-2KoyOxGTZcrlIquzls11",
    "attributes": {"objectType": "Subscription"}
}"##;

#[test]
fn a_transition_history() {
    let sent: Value = serde_json::from_str(TRANSITION_HISTORY).unwrap();
    let history: TransitionHistory = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&history).unwrap(), sent);
    let only = &history.transition[0];
    assert_eq!(only.target(), "CFQ7TTC0LF8S:0001:CFQ7TTC0K9G9");
    assert_eq!(only.quantity, 1);
    let events = only.events();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].status.as_deref(), Some("Started "));
    assert!(only.is_completed());
    // A list named `items`, as other collections name theirs, reads the same.
    let items: TransitionHistory =
        serde_json::from_value(serde_json::json!({"items": [sent["transition"][0].clone()]}))
            .unwrap();
    assert_eq!(items.transition, history.transition);
}

#[test]
fn scheduled_next_term_instructions() {
    // The sample writes `Annual`; the model writes the service's own `annual`.
    let mut sent: Value = serde_json::from_str(SCHEDULED_CHANGES).unwrap();
    let subscription: Subscription = serde_json::from_value(sent.clone()).unwrap();
    sent["scheduledNextTermInstructions"]["product"]["billingCycle"] = "annual".into();
    assert_eq!(serde_json::to_value(&subscription).unwrap(), sent);
    let next = subscription
        .scheduled_next_term_instructions
        .as_ref()
        .unwrap();
    assert_eq!(next.quantity, Some(1));
    let product = next.product.as_ref().unwrap();
    assert_eq!(product.billing_cycle, Some(BillingCycle::Annual));
    assert_eq!(
        product.catalog_item_id().as_deref(),
        Some("DG7GMGF0DVSV:000P:DG7GMGF0F3Q9")
    );
    let built = ScheduledNextTermInstructions::new(
        ProductTerm::new(
            "DG7GMGF0DVSV",
            "000P",
            "DG7GMGF0F3Q9",
            "P3Y",
            BillingCycle::Annual,
        ),
        1,
    );
    assert_eq!(built.product.unwrap().term_duration, product.term_duration);
}
