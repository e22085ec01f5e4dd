//! The audit record models against the Partner Center docs' own sample.
//!
//! The sample is the JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    AuditFilter, AuditOperationStatus, AuditOperationType, AuditRecord, AuditResourceType,
    ResourceCollection,
};
use serde_json::Value;

/// `get-a-record-of-partner-center-activity-by-user.md`, Response example. Verbatim (its
/// `partnerId`, not in the resource table, is kept as an unknown field would be).
const RECORDS: &str = r##"{
    "totalCount": 2,
    "items": [{
            "partnerId": "3b33e682-00c3-41ee-9dd2-a548adf56438",
            "customerId": "0c39d6d5-c70d-4c55-bc02-f620844f3fd1",
            "customerName": "Relecloud",
            "userPrincipalName": "admin@domain.onmicrosoft.com",
            "resourceType": "order",
            "resourceNewValue": "{\"Id\":\"d51a052e-043c-4a2a-aa37-2bb938cef6c1\",\"ReferenceCustomerId\":\"0c39d6d5-c70d-4c55-bc02-f620844f3fd1\",\"BillingCycle\":\"none\",\"LineItems\":[{\"LineItemNumber\":0,\"OfferId\":\"C0BD2E08-11AC-4836-BDC7-3712E744922F\",\"SubscriptionId\":\"488745B5-2086-4912-802C-6ABB9F7C3638\",\"ParentSubscriptionId\":null,\"FriendlyName\":\"Office 365 Business Premium Trial\",\"Quantity\":25,\"PartnerIdOnRecord\":null,\"Links\":{\"Subscription\":{\"Uri\":\"/customers/0c39d6d5-c70d-4c55-bc02-f620844f3fd1/subscriptions/488745B5-2086-4912-802C-6ABB9F7C3638\",\"Method\":\"GET\",\"Headers\":[]}}}],\"CreationDate\":\"2017-06-15T15:56:04.077-07:00\",\"Links\":{\"Self\":{\"Uri\":\"/customers/0c39d6d5-c70d-4c55-bc02-f620844f3fd1/orders/d51a052e-043c-4a2a-aa37-2bb938cef6c1\",\"Method\":\"GET\",\"Headers\":[]}},\"Attributes\":{\"Etag\":\"eyJpZCI6ImQ1MWEwNTJlLTA0M2MtNGEyYS1hYTM3LTJiYjkzOGNlZjZjMSIsInZlcnNpb24iOjF9\",\"ObjectType\":\"Order\"}}",
            "operationType": "create_order",
            "operationDate": "2017-06-15T22:56:05.0589308Z",
            "operationStatus": "succeeded",
            "customizedData": [{
                    "key": "OrderId",
                    "value": "d51a052e-043c-4a2a-aa37-2bb938cef6c1"
                }, {
                    "key": "BillingCycle",
                    "value": "None"
                }, {
                    "key": "OfferId-0",
                    "value": "C0BD2E08-11AC-4836-BDC7-3712E744922F"
                }, {
                    "key": "SubscriptionId-0",
                    "value": "488745B5-2086-4912-802C-6ABB9F7C3638"
                }, {
                    "key": "SubscriptionName-0",
                    "value": "Office 365 Business Premium Trial"
                }, {
                    "key": "Quantity-0",
                    "value": "25"
                }, {
                    "key": "PartnerOnRecord-0",
                    "value": null
                }
            ],
            "attributes": {
                "objectType": "AuditRecord"
            }
        }, {
            "partnerId": "3b33e682-00c3-41ee-9dd2-a548adf56438",
            "customerId": "0c39d6d5-c70d-4c55-bc02-f620844f3fd1",
            "customerName": "Relecloud",
            "userPrincipalName": "admin@domain.onmicrosoft.com",
            "applicationId": "Partner Center Native App",
            "resourceType": "license",
            "resourceNewValue": "{\"LicensesToAssign\":[{\"ExcludedPlans\":null,\"SkuId\":\"efccb6f7-5641-4e0e-bd10-b4976e1bf68e\"}],\"LicensesToRemove\":null,\"LicenseWarnings\":[],\"Attributes\":{\"ObjectType\":\"LicenseUpdate\"}}",
            "operationType": "update_customer_user_licenses",
            "operationDate": "2017-06-01T20:09:07.0450483Z",
            "operationStatus": "succeeded",
            "customizedData": [{
                    "key": "CustomerUserId",
                    "value": "482e2152-4b49-48ec-b715-823365ce3d4c"
                }, {
                    "key": "AddedLicenseSkuId",
                    "value": "efccb6f7-5641-4e0e-bd10-b4976e1bf68e"
                }
            ],
            "attributes": {
                "objectType": "AuditRecord"
            }
        }
    ],
    "links": {
        "self": {
            "uri": "/auditrecords?startDate=2017-06-01&size=500&filter=%7B%22Field%22%3A%22CustomerId%22%2C%22Value%22%3A%220c39d6d5-c70d-4c55-bc02-f620844f3fd1%22%2C%22Operator%22%3A%22equals%22%7D",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Collection"
    }
}"##;

#[test]
fn the_docs_audit_records_round_trip() {
    let sent: Value = serde_json::from_str(RECORDS).unwrap();
    let page: ResourceCollection<AuditRecord> = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&page).unwrap(), sent);
    assert_eq!(page.items.len(), 2);

    let order = &page.items[0];
    assert_eq!(order.operation_type, AuditOperationType::CreateOrder);
    assert_eq!(order.resource_type, Some(AuditResourceType::Order));
    assert_eq!(
        order.operation_status,
        Some(AuditOperationStatus::Succeeded)
    );
    assert_eq!(order.customer_name.as_deref(), Some("Relecloud"));
    assert_eq!(
        order.partner_id.as_deref(),
        Some("3b33e682-00c3-41ee-9dd2-a548adf56438")
    );
    assert_eq!(
        order.data("OrderId"),
        Some("d51a052e-043c-4a2a-aa37-2bb938cef6c1")
    );
    assert_eq!(
        order.data("quantity-0"),
        Some("25"),
        "keys are matched in any case"
    );
    assert_eq!(order.data("PartnerOnRecord-0"), None, "a null value");
    assert!(order.application_id.is_none());
    // The new value is the resource as a JSON string.
    let new: Value = serde_json::from_str(order.resource_new_value.as_deref().unwrap()).unwrap();
    assert_eq!(new["Attributes"]["ObjectType"], "Order");

    let licence = &page.items[1];
    assert_eq!(
        licence.operation_type,
        AuditOperationType::UpdateCustomerUserLicenses
    );
    assert_eq!(licence.resource_type, Some(AuditResourceType::License));
    assert_eq!(
        licence.application_id.as_deref(),
        Some("Partner Center Native App")
    );
    assert_eq!(
        licence.data("AddedLicenseSkuId"),
        Some("efccb6f7-5641-4e0e-bd10-b4976e1bf68e")
    );
}

#[test]
fn unknown_operation_and_resource_types_are_kept() {
    let sent = r#"{"operationType":"azure_fraud_event_detected","operationDate":"2026-01-01T00:00:00Z","resourceType":"quantum_widget"}"#;
    let record: AuditRecord = serde_json::from_str(sent).unwrap();
    assert_eq!(
        record.operation_type,
        AuditOperationType::Unknown("azure_fraud_event_detected".to_owned())
    );
    assert_eq!(
        serde_json::to_value(&record).unwrap(),
        serde_json::from_str::<Value>(sent).unwrap()
    );
}

/// The filter's JSON is the one of the docs' request syntax, and the docs' own encoded
/// filter (its self link) reads back.
#[test]
fn filters_are_the_documented_json() {
    let by_customer = AuditFilter::CustomerId("0c39d6d5-c70d-4c55-bc02-f620844f3fd1".to_owned());
    assert_eq!(
        serde_json::from_str::<Value>(&by_customer.to_json()).unwrap(),
        serde_json::json!({"Field": "CustomerId", "Value": "0c39d6d5-c70d-4c55-bc02-f620844f3fd1", "Operator": "equals"})
    );
    let docs = r#"{"Field":"CustomerId","Value":"0c39d6d5-c70d-4c55-bc02-f620844f3fd1","Operator":"equals"}"#;
    assert_eq!(AuditFilter::from_json(docs), Some(by_customer));
    assert_eq!(
        AuditFilter::from_json(r#"{"Field":"CompanyName","Value":"bri","Operator":"substring"}"#),
        Some(AuditFilter::CompanyName("bri".to_owned()))
    );
    assert_eq!(
        AuditFilter::from_json(
            r#"{"field":"resourcetype","value":"Subscription","operator":"Equals"}"#
        ),
        Some(AuditFilter::ResourceType(AuditResourceType::Subscription))
    );
    assert_eq!(
        AuditFilter::from_json(r#"{"Field":"CustomerId","Value":"x","Operator":"substring"}"#),
        None,
        "an operator the field does not take"
    );
    assert_eq!(AuditFilter::from_json("not json"), None);
}
