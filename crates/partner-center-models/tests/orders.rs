//! The order models added since the one-file-per-area layout, against the docs' samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{ProvisioningState, ProvisioningStatus, ResourceCollection};
use serde_json::Value;

/// `get-order-provisioning-status.md`, response example. Verbatim.
const PROVISIONING_STATUS: &str = r##"{
    "totalCount": 1,
    "items": [
        {
            "orderLineItemId": 0,
            "lineItemNumber": 0,
            "status": "fulfilled",
            "quantityProvisioningInformation": [
                {
                    "quantity": 1,
                    "status": "fulfilled"
                }
            ]
        }
    ],
    "attributes": {
        "objectType": "Collection"
    }
}"##;

#[test]
fn an_orders_provisioning_status() {
    let sent: Value = serde_json::from_str(PROVISIONING_STATUS).unwrap();
    let page: ResourceCollection<ProvisioningStatus> =
        serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&page).unwrap(), sent);
    let line = &page.items[0];
    assert_eq!(line.status, Some(ProvisioningState::Fulfilled));
    assert!(line.is_settled());
    let parts = line.quantity_provisioning_information.as_ref().unwrap();
    assert_eq!(parts[0].quantity, Some(1));
    let pending: ProvisioningStatus =
        serde_json::from_str(r#"{"lineItemNumber": 1, "status": "PrefulfillmentPending"}"#)
            .unwrap();
    assert!(
        !pending.is_settled(),
        "matched case-insensitively, and still pending"
    );
}
