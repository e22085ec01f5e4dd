//! Migrations of legacy subscriptions to new commerce, against the docs' samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was fixed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    BillingCycle, MigrationEvent, MigrationStatus, NewCommerceEligibility, NewCommerceMigration,
};
use serde_json::Value;

/// `validate-subscription-for-migration.md`, request. Fixed: the sample is a bare member,
/// wrapped here in braces.
const VALIDATE_REQUEST: &str =
    r##"{"currentSubscriptionId" : "9beb6319-6889-4d28-a155-68ca9c783842"}"##;

/// `validate-subscription-for-migration.md`, response 1. Fixed: the `1.` before it and the
/// trailing comma after the error's `description`.
const NOT_ELIGIBLE: &str = r##"{
        "currentSubscriptionId": "9beb6319-6889-4d28-a155-68ca9c783842",
        "isEligible": false,
        "errors": [
            {
                "code": 5,
                "description": "Subscription cannot be migrated to New Commerce because the equivalent offer is not yet available in New Commerce"
            }
        ]
    }"##;

/// `validate-subscription-for-migration.md`, response 2. Fixed: the `2.` before it.
const ELIGIBLE: &str = r##"{
        "currentSubscriptionId": "9beb6319-6889-4d28-a155-68ca9c783842",
        "isEligible": true,
        "catalogItemId": "CFQ7TTC0LF8S:0002:CFQ7TTC0KSVV"
    }"##;

/// `create-migration.md`, the four request examples. Fixed: the trailing comma after
/// `"billingCycle": "Monthly"` in the second.
const CREATE_REQUESTS: [&str; 4] = [
    r##"{
    "currentSubscriptionId" : "9beb6319-6889-4d28-a155-68ca9c783842"
}"##,
    r##"{
    "currentSubscriptionId": "5C77DC7F-BE2C-4306-A3B5-0EBB4365D7FC",
    "termDuration": "P1M",
    "billingCycle": "Monthly"
}"##,
    r##"{
    "currentSubscriptionId": "5C77DC7F-BE2C-4306-A3B5-0EBB4365D7FC",
    "purchaseFullTerm": true
}"##,
    r##"{
    "currentSubscriptionId": "66E738D6-E0BC-4FFB-8818-BDE99BC7008B",
    "quantity": 1,
    "billingCycle": "Annual",
    "purchaseFullTerm": false,
    "termDuration": "P1Y",
    "addOnMigrations": [
        {
            "currentSubscriptionId": "359011DC-B5B0-4660-850B-A8FA9B2E3309",
            "quantity": 1,
            "billingCycle": "Monthly",
            "purchaseFullTerm": false,
            "termDuration": "P1M"
        },
        {
            "currentSubscriptionId": "159D9F87-CE39-4EBD-B9C2-ECF0892A85A1",
            "quantity": 1,
            "billingCycle": "Monthly",
            "purchaseFullTerm": false,
            "termDuration": "P1Y"
        }
    ]
}"##,
];

/// `create-migration.md`, response. Verbatim.
const CREATED: &str = r##"{
    "addOnMigrations": [
        {
            "currentSubscriptionId": "E3AFD30D-D6E7-45AF-A6C5-FB905992AE00",
            "customerTenantId": "75c5e79e-7e9f-429f-b772-ed3d38768f7c",
            "catalogItemId": "CFQ7TTC0LH0T:0001:CFQ7TTC0K4KQ",
            "subscriptionEndDate": "2023-02-22T00:00:00Z",
            "quantity": 1,
            "termDuration": "P1Y",
            "billingCycle": "Monthly",
            "purchaseFullTerm": false
        },
        {
            "currentSubscriptionId": "80906BD9-E45C-4D1B-92A8-EA3F3FB6E105",
            "customerTenantId": "75c5e79e-7e9f-429f-b772-ed3d38768f7c",
            "catalogItemId": "CFQ7TTC0LH0R:0001:CFQ7TTC0K0SK",
            "subscriptionEndDate": "2023-02-22T00:00:00Z",
            "quantity": 1,
            "termDuration": "P1Y",
            "billingCycle": "Monthly",
            "purchaseFullTerm": false
        },
        {
            "currentSubscriptionId": "72E424F4-10FF-4C76-B101-C274F73BA498",
            "customerTenantId": "75c5e79e-7e9f-429f-b772-ed3d38768f7c",
            "catalogItemId": "CFQ7TTC0LHXJ:0001:CFQ7TTC0KHTR",
            "subscriptionEndDate": "2023-02-22T00:00:00Z",
            "quantity": 1,
            "termDuration": "P1Y",
            "billingCycle": "Monthly",
            "purchaseFullTerm": false
        }
    ],
    "id": "7123c075-fc05-42d6-a21e-1d2036fa490b",
    "startedTime": "2022-02-23T13:00:48.4489832Z",
    "currentSubscriptionId": "2E56C7F5-E120-4CA4-BFF3-7DA763B4D777",
    "status": "Processing",
    "customerTenantId": "75c5e79e-7e9f-429f-b772-ed3d38768f7c",
    "catalogItemId": "CFQ7TTC0LF8Q:0001:CFQ7TTC0KQDF",
    "subscriptionEndDate": "2023-02-22T00:00:00Z",
    "quantity": 1,
    "termDuration": "P1Y",
    "billingCycle": "Monthly",
    "purchaseFullTerm": false
}"##;

/// `get-new-commerce-migration.md`, response. Verbatim.
const COMPLETED: &str = r##"{
    "id": "f46fbd87-b204-40e5-b891-d0879ca3bf62",
    "startedTime": "2021-10-13T16:30:32.1446219Z",
    "completedTime": "2021-10-13T16:35:40.3844713Z",
    "currentSubscriptionId": "5C77DC7F-BE2C-4306-A3B5-0EBB4365D7FC",
    "status": "Completed",
    "customerTenantId": "75c5e79e-7e9f-429f-b772-ed3d38768f7c",
    "catalogItemId": "CFQ7TTC0LF8Q:0001:CFQ7TTC0KJ4N",
    "newCommerceSubscriptionId": "8adde5ce-52e3-47b5-c49c-df9c210bd5df",
    "newCommerceOrderId": "8672a13e9197",
    "subscriptionEndDate": "2022-10-13T00:00:00Z",
    "quantity": 1,
    "termDuration": "P1Y",
    "billingCycle": "Monthly",
    "purchaseFullTerm": false
}"##;

/// `query-migrated-subscriptions.md`, response (a bare array). Verbatim.
const QUERIED: &str = r##"[
{
"addOnMigrations": [],
"id": "8ce7115e-0324-41b1-8ca3-7c7ae3b64f75",
"startedTime": "2022-02-24T23:50:30.4384819Z",
"completedTime": "2022-02-24T23:53:14.0813711Z",
"currentSubscriptionId": "9E289691-2FF3-419D-B39B-26B3E5A817FB",
"status": "Completed",
"customerTenantId": "ce6fcc21-c276-447b-9605-874decb9024b",
"catalogItemId": "CFQ7TTC0LF8Q:0001:CFQ7TTC0KQDF",
"newCommerceSubscriptionId": "f2d6534b-9e30-4cf5-c7b0-5d6393dbf12d",
"newCommerceOrderId": "09714c93092a",
"subscriptionEndDate": "2023-02-14T00:00:00Z",
"quantity": 2,
"termDuration": "P1Y",
"billingCycle": "Monthly",
"purchaseFullTerm": false,
"externalReferenceId": "771317a4-275d-47d9-9724-3eefa4a168ad"
}
]"##;

/// `get-migration-events.md`, response (a bare array). Verbatim.
const EVENTS: &str = r##"[
    {
        "id": "6eb07675-ba1d-45c2-9d05-c693a4863427",
        "newCommerceMigrationId": "e4c1c037-7c4c-42bd-bb41-dae2aa29ebcc",
        "currentSubscriptionId": "02df825b-d0c9-40be-8cb6-bac895510d0a",
        "customerTenantId": "948ebea1-0fe5-4e45-8f2e-900288b7883e",
        "createdTime": "2022-06-11T00:06:02.7529574Z",
        "eventName": "MigrationStarted"
    },
    {
        "id": "e828079b-c974-4822-977e-f12ac67380db",
        "newCommerceMigrationId": "e4c1c037-7c4c-42bd-bb41-dae2aa29ebcc",
        "currentSubscriptionId": "02df825b-d0c9-40be-8cb6-bac895510d0a",
        "customerTenantId": "948ebea1-0fe5-4e45-8f2e-900288b7883e",
        "createdTime": "2022-06-11T00:06:21.526778Z",
        "eventName": "NewCommerceSubscriptionCreated"
    },
    {
        "id": "7dbdcbd5-7a87-4d9b-bf1f-d9298493e631",
        "newCommerceMigrationId": "e4c1c037-7c4c-42bd-bb41-dae2aa29ebcc",
        "currentSubscriptionId": "02df825b-d0c9-40be-8cb6-bac895510d0a",
        "customerTenantId": "948ebea1-0fe5-4e45-8f2e-900288b7883e",
        "createdTime": "2022-06-11T00:08:08.5185085Z",
        "eventName": "NewCommerceSubscriptionProvisioned"
    },
    {
        "id": "71a3f753-55ca-461e-807d-f541685d5c8b",
        "newCommerceMigrationId": "e4c1c037-7c4c-42bd-bb41-dae2aa29ebcc",
        "currentSubscriptionId": "02df825b-d0c9-40be-8cb6-bac895510d0a",
        "customerTenantId": "948ebea1-0fe5-4e45-8f2e-900288b7883e",
        "createdTime": "2022-06-11T00:10:07.6947014Z",
        "eventName": "MigrationCompleted"
    }
]"##;

/// The sample as the model writes it: the docs write `Monthly`/`Annual`, the model the
/// service's own lower case (which the schedule page's sample also uses).
fn canonical(sample: &str) -> Value {
    fn lower(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == "billingCycle" {
                        *v = v.as_str().unwrap().to_ascii_lowercase().into();
                    } else {
                        lower(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(lower),
            _ => {}
        }
    }
    let mut v: Value = serde_json::from_str(sample).unwrap();
    lower(&mut v);
    v
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(sample: &str) -> T {
    let parsed: T = serde_json::from_str(sample).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), canonical(sample));
    parsed
}

#[test]
fn validation_requests_and_answers() {
    let request: NewCommerceMigration = round_trip(VALIDATE_REQUEST);
    assert_eq!(
        request,
        NewCommerceMigration::of("9beb6319-6889-4d28-a155-68ca9c783842")
    );
    let no: NewCommerceEligibility = round_trip(NOT_ELIGIBLE);
    assert!(!no.is_eligible);
    assert_eq!(no.errors.unwrap()[0].code, Some(5));
    let yes: NewCommerceEligibility = round_trip(ELIGIBLE);
    assert!(yes.is_eligible);
    assert_eq!(
        yes.catalog_item_id.as_deref(),
        Some("CFQ7TTC0LF8S:0002:CFQ7TTC0KSVV")
    );
}

#[test]
fn creation_requests_and_answers() {
    let requests: Vec<NewCommerceMigration> =
        CREATE_REQUESTS.iter().map(|s| round_trip(s)).collect();
    assert_eq!(
        requests[1],
        NewCommerceMigration::of("5C77DC7F-BE2C-4306-A3B5-0EBB4365D7FC")
            .term("P1M", BillingCycle::Monthly)
    );
    assert_eq!(requests[2].purchase_full_term, Some(true));
    let add_ons = requests[3].add_on_migrations.as_ref().unwrap();
    assert_eq!(add_ons.len(), 2);
    assert_eq!(add_ons[1].term_duration.as_deref(), Some("P1Y"));

    let created: NewCommerceMigration = round_trip(CREATED);
    assert_eq!(created.status, Some(MigrationStatus::Processing));
    assert!(!created.is_settled());
    assert_eq!(created.add_on_migrations.unwrap().len(), 3);
    let done: NewCommerceMigration = round_trip(COMPLETED);
    assert!(done.is_settled());
    assert_eq!(done.new_commerce_order_id.as_deref(), Some("8672a13e9197"));
    let queried: Vec<NewCommerceMigration> = round_trip(QUERIED);
    assert_eq!(queried[0].add_on_migrations, Some(vec![]));
    assert_eq!(queried[0].quantity, Some(2));
}

#[test]
fn migration_events() {
    let events: Vec<MigrationEvent> = round_trip(EVENTS);
    let names: Vec<&str> = events
        .iter()
        .filter_map(|e| e.event_name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            "MigrationStarted",
            "NewCommerceSubscriptionCreated",
            "NewCommerceSubscriptionProvisioned",
            "MigrationCompleted"
        ]
    );
}
