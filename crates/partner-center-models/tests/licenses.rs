//! The licence models against the Partner Center docs' own samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    ApiFault, License, LicenseGroupId, LicenseUpdate, ResourceCollection, SubscribedSku,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `get-a-list-of-available-licenses.md`, Response example. Verbatim but for three of the
/// first SKU's five service plans, left out here for length (same shape).
const SUBSCRIBED_SKUS: &str = r##" {
    "totalCount": 2,
    "items": [{
            "availableUnits": 4,
            "activeUnits": 5,
            "consumedUnits": 1,
            "suspendedUnits": 0,
            "totalUnits": 5,
            "warningUnits": 0,
            "productSku": {
                "id": "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
                "name": "Enterprise Mobility + Security E3",
                "skuPartNumber": "EMS",
                "targetType": "User",
                "licenseGroupId": "group1"
            },
            "servicePlans": [{
                    "displayName": "Azure Information Protection Premium P1",
                    "serviceName": "RMS_S_PREMIUM",
                    "id": "6c57d4b6-3b23-47a5-9bc9-69f17b4947b3",
                    "capabilityStatus": "Enabled",
                    "targetType": "User"
                }, {
                    "displayName": "Microsoft Azure Multi-Factor Authentication",
                    "serviceName": "MFA_PREMIUM",
                    "id": "8a256a2b-b617-496d-b51b-e76466e88db0",
                    "capabilityStatus": "Enabled",
                    "targetType": "User"
                }
            ],
            "capabilityStatus": "Enabled",
            "attributes": {
                "objectType": "SubscribedSku"
            }
        },  {
            "availableUnits": 0,
            "activeUnits": 1,
            "consumedUnits": 1,
            "suspendedUnits": 0,
            "totalUnits": 1,
            "warningUnits": 0,
            "productSku": {
                "id": "f8a1db68-be16-40ed-86d5-cb42ce701560",
                "name": "Power BI Pro",
                "skuPartNumber": "POWER_BI_PRO",
                "targetType": "User",
                "licenseGroupId": "group1"
            },
            "servicePlans": [{
                    "displayName": "Exchange Foundation",
                    "serviceName": "EXCHANGE_S_FOUNDATION",
                    "id": "113feb6c-3fe4-4440-bddc-54d774bf0318",
                    "capabilityStatus": "Enabled",
                    "targetType": "Tenant"
                }, {
                    "displayName": "Power BI Pro",
                    "serviceName": "BI_AZURE_P2",
                    "id": "70d33638-9c74-4d01-bfd3-562de28bd4ba",
                    "capabilityStatus": "Enabled",
                    "targetType": "User"
                }
            ],
            "capabilityStatus": "Enabled",
            "attributes": {
                "objectType": "SubscribedSku"
            }
        }
    ],
    "attributes": {
        "objectType": "Collection"
    }
}"##;

/// `get-licenses-assigned-to-a-user-by-license-group.md`, the Minecraft item of its
/// Response example. Verbatim.
const USER_LICENSE_GROUP2: &str = r##"{"servicePlans": [], "productSku": {"id": "984df360-9a74-4647-8cf8-696749f6247a", "name": "Minecraft Education Edition Faculty", "skuPartNumber": "CFQ7TTC0K5DR/0002", "licenseGroupId": "group2"}, "attributes": {"objectType": "License"}}"##;

/// `assign-licenses-to-a-user.md`, Request example. Verbatim: PascalCase, as the .NET SDK
/// sends it (the service reads keys in any case; this model writes camelCase, so these
/// keys are kept as unknown fields).
const ASSIGN_REQUEST: &str = r##"{
    "LicensesToAssign": [{
            "ExcludedPlans": null,
            "SkuId": "f8a1db68-be16-40ed-86d5-cb42ce701560"
        }
    ],
    "LicensesToRemove": null,
    "LicenseWarnings": null,
    "Attributes": {
        "ObjectType": "LicenseUpdate"
    }
}"##;

/// `assign-licenses-to-a-user.md`, Response example (201). Verbatim.
const ASSIGN_RESPONSE: &str = r##"{
    "licensesToAssign": [{
            "skuId": "f8a1db68-be16-40ed-86d5-cb42ce701560"
        }
    ],
    "licenseWarnings": [],
    "attributes": {
        "objectType": "LicenseUpdate"
    }
}"##;

/// `assign-licenses-to-a-user.md`, Response example (license isn't available). Verbatim.
const NO_SEATS: &str = r##"{
    "code": 60012,
    "description": "We are sorry, it looks like you have run out of licenses. Buy more licenses, and then try again.",
    "data": ["LicenseQuotaExceededException : Subscription with Account 0c39d6d5-c70d-4c55-bc02-f620844f3fd1 and SKU f8a1db68-be16-40ed-86d5-cb42ce701560 does not have any available licenses left."],
    "source": "PartnerFD"
}"##;

fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    parsed
}

#[test]
fn subscribed_skus_count_their_seats() {
    let skus: ResourceCollection<SubscribedSku> = round_trip(SUBSCRIBED_SKUS);
    let pbi = &skus.items[1];
    assert_eq!(
        pbi.product_sku.sku_part_number.as_deref(),
        Some("POWER_BI_PRO")
    );
    assert_eq!(
        (pbi.total_units, pbi.consumed_units, pbi.available_units),
        (1, 1, 0)
    );
    assert_eq!(
        pbi.product_sku.license_group_id,
        Some(LicenseGroupId::Group1)
    );
    assert_eq!(pbi.service_plans.as_ref().unwrap().len(), 2);
}

#[test]
fn a_users_licence_of_group_2() {
    let license: License = round_trip(USER_LICENSE_GROUP2);
    assert_eq!(
        license.product_sku.license_group_id,
        Some(LicenseGroupId::Group2)
    );
    assert!(
        license.product_sku.target_type.is_none(),
        "a licence's SKU has none"
    );
}

#[test]
fn assigning_and_its_answer() {
    let pascal: LicenseUpdate = round_trip(ASSIGN_REQUEST);
    assert!(pascal.licenses_to_assign.is_none());
    assert!(
        pascal.extra.contains_key("LicensesToAssign"),
        "kept as sent"
    );
    let answer: LicenseUpdate = round_trip(ASSIGN_RESPONSE);
    assert_eq!(
        answer.licenses_to_assign.unwrap()[0].sku_id,
        "f8a1db68-be16-40ed-86d5-cb42ce701560"
    );
    assert_eq!(answer.license_warnings, Some(Vec::new()));
    let ours = serde_json::to_value(LicenseUpdate::new(&["a"], &["b"])).unwrap();
    assert_eq!(ours["licensesToAssign"][0]["skuId"], "a");
    assert_eq!(ours["licensesToRemove"][0], "b");
}

#[test]
fn running_out_of_seats() {
    let fault: ApiFault = round_trip(NO_SEATS);
    assert_eq!(fault.code.unwrap().to_string(), "60012");
    assert!(
        fault.data.unwrap()[0]
            .as_str()
            .unwrap()
            .starts_with("LicenseQuotaExceededException")
    );
}
