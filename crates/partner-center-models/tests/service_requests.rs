//! The service request models against the Partner Center docs' own samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`; the
//! pages only the older docs keep, from the English copy of MicrosoftDocs/partner-center-sdk,
//! folder `develop/`), the HTTP header lines left out; the comment above it says what, if
//! anything, was changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    ResourceCollection, ServiceRequest, ServiceRequestSeverity, ServiceRequestStatus, SupportTopic,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `develop/create-a-service-request-.md`, Request example. Verbatim: PascalCase, as the
/// .NET SDK sends it (kept as unknown fields by this camelCase model; the service reads
/// keys in any case).
const CREATE_REQUEST: &str = r##"{
    "Id": null,
    "Title": "TrialSR",
    "Description": "Ignore this SR",
    "Severity": "critical",
    "SupportTopicId": "32444671",
    "SupportTopicName": null,
    "Status": "none",
    "Organization": null,
    "PrimaryContact": null,
    "LastUpdatedBy": null,
    "ProductName": null,
    "ProductId": null,
    "CreatedDate": "0001-01-01T00:00:00",
    "LastModifiedDate": "0001-01-01T00:00:00",
    "LastClosedDate": "0001-01-01T00:00:00",
    "NewNote": null,
    "Notes": null,
    "CountryCode": null,
    "FileLinks": null,
    "Attributes": {
        "ObjectType": "ServiceRequest"
    }
}"##;

/// `develop/create-a-service-request-.md`, Response example (201). Verbatim.
const CREATE_RESPONSE: &str = r##"{
    "title": "TrialSR",
    "description": "Ignore this SR",
    "severity": "critical",
    "supportTopicId": "32444671",
    "id": "616122292874576",
    "status": "none",
    "organization": {
        "id": "3b33e682-00c3-41ee-9dd2-a548adf56438",
        "name": "TEST_TEST_BugBash1",
        "phoneNumber": "2398391056"
    },
    "primaryContact": {
        "organization": {
            "id": "3b33e682-00c3-41ee-9dd2-a548adf56438",
            "name": "TEST_TEST_BugBash1",
            "phoneNumber": "2398391056"
        },
        "contactId": "bb4ebcf5-d84c-4b35-8469-f4cfa4ac909e",
        "lastName": "Account",
        "email": "admin@testtestbugbash1.onmicrosoft.com",
        "phoneNumber": "2066017143"
    },
    "createdDate": "0001-01-01T00:00:00",
    "lastModifiedDate": "0001-01-01T00:00:00",
    "lastClosedDate": "0001-01-01T00:00:00",
    "countryCode": "US",
    "attributes": {
        "objectType": "ServiceRequest"
    }
}"##;

/// `develop/get-service-request-support-topics--pending-.md`, Response example. Verbatim
/// (two of its fourteen topics; the ids are numbers there).
const TOPICS: &str = r##"{
    "totalCount":14,
    "items":[{
        "name":"Partner Center Issues",
        "description":"Office 365 questions from the CSP (Cloud Solution Provider) partners using Partner Center",
        "id":32444667,
        "attributes":{
            "objectType":"SupportTopic"
        }
    },
    {
        "name":"Cannot manage my profile",
        "description":"Issues that are related to errors or problems with managing a profile",
        "id":32444671,
        "attributes":{
            "objectType":"SupportTopic"
        }
    }],
    "attributes":{
        "objectType":"Collection"
    }
}"##;

/// `get-service-request-details-by-id.md`, Response example. Verbatim (the same body as
/// the update page's answer).
const DETAILS: &str = r##"{
    "title": "TrialSR",
    "description": "Ignore this SR",
    "severity": "critical",
    "supportTopicId": "32444671",
    "supportTopicName": "Cannot manage my profile",
    "id": "616122292874576",
    "status": "open",
    "organization": {
        "id": "3b33e682-00c3-41ee-9dd2-a548adf56438",
        "name": "TEST_TEST_BugBash1"
    },
    "productId": "15960",
    "createdDate": "2016-12-22T20:31:17.24Z",
    "lastModifiedDate": "2017-01-09T23:31:15.373Z",
    "lastClosedDate": "0001-01-01T00:00:00",
    "notes": [{
            "createdByName": "Account",
            "createdDate": "2017-01-09T23:31:15.373",
            "text": "Sample Note"
        }
    ],
    "attributes": {
        "objectType": "ServiceRequest"
    }
}"##;

/// `update-a-service-request.md`, Request example. Verbatim: a whole .NET object, its
/// unset values `unknown`, `none` and zero dates.
const UPDATE_REQUEST: &str = r##"{
    "Id": null,
    "Title": null,
    "Description": null,
    "Severity": "unknown",
    "SupportTopicId": null,
    "SupportTopicName": null,
    "Status": "none",
    "Organization": null,
    "PrimaryContact": null,
    "LastUpdatedBy": null,
    "ProductName": null,
    "ProductId": null,
    "CreatedDate": "0001-01-01T00:00:00",
    "LastModifiedDate": "0001-01-01T00:00:00",
    "LastClosedDate": "0001-01-01T00:00:00",
    "NewNote": {
        "CreatedByName": null,
        "CreatedDate": null,
        "Text": "Sample Note"
    },
    "Notes": null,
    "CountryCode": null,
    "FileLinks": null,
    "Attributes": {
        "ObjectType": "ServiceRequest"
    }
}"##;

/// `get-all-service-requests-for-a-customer.md`, Response example. Verbatim: severity
/// and status are numbers here (0 = unknown, 1 = open).
const CUSTOMER_LIST: &str = r##"{
    "totalCount": 1,
    "items": [{
        "title": "Test",
        "severity": 0,
        "id": "615112491169010",
        "status": 1,
        "primaryContact": {
            "lastName": "LastName",
            "firstName": "FirstName"
        },
        "createdDate": "2015-11-24T01:07:00.863",
        "lastModifiedDate": "2015-11-24T01:17:10.61",
        "lastClosedDate": "0001-01-01T00:00:00",
        "attributes": {
            "objectType": "ServiceRequest"
        }
    }],
    "attributes": {
        "objectType": "Collection"
    }
}"##;

fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    parsed
}

#[test]
fn a_created_request_round_trips() {
    let request: ServiceRequest = round_trip(CREATE_REQUEST);
    assert!(request.id.is_empty(), "PascalCase keys are kept, not read");
    let created: ServiceRequest = round_trip(CREATE_RESPONSE);
    assert_eq!(created.id, "616122292874576");
    assert_eq!(created.severity, Some(ServiceRequestSeverity::Critical));
    assert_eq!(created.status, Some(ServiceRequestStatus::Unset));
    let contact = created.primary_contact.unwrap();
    assert_eq!(
        contact.email.as_deref(),
        Some("admin@testtestbugbash1.onmicrosoft.com")
    );
    assert_eq!(
        contact.organization.unwrap().name.as_deref(),
        Some("TEST_TEST_BugBash1")
    );
}

#[test]
fn details_and_updates_round_trip() {
    let details: ServiceRequest = round_trip(DETAILS);
    assert_eq!(details.status, Some(ServiceRequestStatus::Open));
    assert_eq!(
        details.support_topic_name.as_deref(),
        Some("Cannot manage my profile")
    );
    let notes = details.notes.unwrap();
    assert_eq!(notes[0].text.as_deref(), Some("Sample Note"));
    assert_eq!(notes[0].created_by_name.as_deref(), Some("Account"));
    let update: ServiceRequest = round_trip(UPDATE_REQUEST);
    assert!(
        update.new_note.is_none(),
        "PascalCase keys are kept, not read"
    );
    // What the SDK sends to add a note: only that, camelCase.
    assert_eq!(
        serde_json::to_value(ServiceRequest::note("Sample Note")).unwrap(),
        serde_json::json!({"newNote": {"text": "Sample Note"}, "attributes": {"objectType": "ServiceRequest"}})
    );
}

#[test]
fn support_topics_read_numeric_ids_as_text() {
    let sent: Value = serde_json::from_str(TOPICS).unwrap();
    let page: ResourceCollection<SupportTopic> = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(page.items[1].id, "32444671");
    assert_eq!(
        page.items[1].name.as_deref(),
        Some("Cannot manage my profile")
    );
    // Written back as the resource types it: the ids as strings, the rest unchanged.
    let mut expected = sent;
    for item in expected["items"].as_array_mut().unwrap() {
        item["id"] = Value::from(item["id"].to_string());
    }
    assert_eq!(serde_json::to_value(&page).unwrap(), expected);
}

#[test]
fn a_customer_list_with_numeric_enums_reads_them_by_position() {
    let sent: Value = serde_json::from_str(CUSTOMER_LIST).unwrap();
    let page: ResourceCollection<ServiceRequest> = serde_json::from_value(sent.clone()).unwrap();
    let request = &page.items[0];
    assert_eq!(request.severity, Some(ServiceRequestSeverity::Unset));
    assert_eq!(request.status, Some(ServiceRequestStatus::Open));
    assert_eq!(
        request
            .primary_contact
            .as_ref()
            .unwrap()
            .first_name
            .as_deref(),
        Some("FirstName")
    );
    // Written back by name, the service's own spelling elsewhere; the rest unchanged.
    let mut expected = sent;
    expected["items"][0]["severity"] = Value::from("unknown");
    expected["items"][0]["status"] = Value::from("open");
    assert_eq!(serde_json::to_value(&page).unwrap(), expected);
}

#[test]
fn values_this_version_does_not_know_are_kept() {
    let request: ServiceRequest =
        serde_json::from_str(r#"{"id":"1","severity":"catastrophic","status":9}"#).unwrap();
    assert_eq!(
        request.severity,
        Some(ServiceRequestSeverity::Unknown("catastrophic".into()))
    );
    assert_eq!(
        request.status,
        Some(ServiceRequestStatus::Unknown("9".into()))
    );
}
