//! The agreement models against the Partner Center docs' own samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was fixed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    Agreement, AgreementMetadata, AgreementType, ApiFault, Contact,
    MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID, ResourceCollection,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `get-customer-agreement-metadata.md`, Response example. Verbatim.
const METADATA: &str = r##"{
    "totalCount": 1,
    "items": [
        {
            "templateId": "117a77b0-9360-443b-8795-c6dedc750cf9",
            "agreementType": "MicrosoftCustomerAgreement",
            "agreementLink": "https://aka.ms/customeragreement",
            "versionRank": 0
        }
    ],
    "attributes": {
        "objectType": "Collection"
    }
}"##;

/// `get-agreement-metadata.md`, Response example (the Microsoft Cloud Agreement). Verbatim.
const METADATA_CLOUD: &str = r##"{
    "totalCount": 1,
    "items": [
        {
            "templateId": "998b88de-aa99-4388-a42c-1b3517d49490",
            "agreementType": "MicrosoftCloudAgreement",
            "agreementLink": "https://learn.microsoft.com/partner-center/agreements",
            "versionRank": 0
        }
    ],
    "links": {
        "self": {
            "uri": "/agreements",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Collection"
    }
}"##;

/// `get-confirmation-of-customer-agreement.md`, Response example. Fixed: added the comma missing after each `email`, and the quote missing in `"phoneNumber:"1234567890"`.
const CUSTOMER_AGREEMENTS: &str = r##"{
    "totalCount": 2,
    "items":
    [
        {
            "primaryContact":
            {
                "firstName":"Tania",
                "lastName":"Carr",
                "email":"SomeEmail@example.com",
                "phoneNumber":"1234567890"
            },
            "templateId":"117a77b0-9360-443b-8795-c6dedc750cf9",
            "dateAgreed":"2019-08-26T00:00:00",
            "type":"MicrosoftCustomerAgreement",
            "agreementLink":"https://aka.ms/customeragreement"
        },
        {
            "primaryContact":
            {
                "firstName":"Tania",
                "lastName":"Carr",
                "email":"SomeEmail@example.com",
                "phoneNumber":"1234567890"
            },
            "templateId":"117a77b0-9360-443b-8795-c6dedc750cf9",
            "dateAgreed":"2019-08-27T00:00:00",
            "type":"MicrosoftCustomerAgreement",
            "agreementLink":"https://aka.ms/customeragreement"
        }
    ]
}"##;

/// `confirm-customer-consent-customer-agreement.md`, Request example. Verbatim.
const CONFIRM_REQUEST: &str = r##"{
    "primaryContact": {
        "firstName": "Tania",
        "lastName": "Carr",
        "email": "someone@example.com",
        "phoneNumber": "1234567890"
    },
    "templateId": "117a77b0-9360-443b-8795-c6dedc750cf9",
    "dateAgreed": "2018-06-14T00:00:00.000Z",
    "type": "MicrosoftCustomerAgreement"
}"##;

/// `confirm-customer-consent-customer-agreement.md`, Response example (201 Created). Verbatim.
const CONFIRMED: &str = r##"{
    "userId": "3d6f2c09-eb40-48ca-a4b3-d24c9c007531",
    "primaryContact": {
        "firstName": "Tania",
        "lastName": "Carr",
        "email": "someone@example.com",
        "phoneNumber": "1234567890"
    },
    "templateId": "117a77b0-9360-443b-8795-c6dedc750cf9",
    "dateAgreed": "2018-06-14T00:00:00.000Z",
    "type": "MicrosoftCustomerAgreement"
}"##;

/// `confirm-customer-consent-customer-agreement.md`, the 600061 error the page quotes. Verbatim.
const ALREADY_CONFIRMED: &str = r##"{
"code": 600061,
"message": "A partner confirmed agreement already exists for the customer.",
"description": "A partner confirmed agreement already exists for the customer.",
"errorName": "PartnerConfirmedAgreementAlreadyExists",
"isRetryable": false,
"parameters": {},
"errorMessageExtended": "InternalErrorCode=600061"
}"##;

/// Parses a sample, and checks that writing it back gives what was sent.
fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    parsed
}

#[test]
fn the_customer_agreement_template() {
    let page: ResourceCollection<AgreementMetadata> = round_trip(METADATA);
    let mca = &page.items[0];
    assert_eq!(mca.template_id, MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID);
    assert_eq!(
        mca.agreement_type,
        Some(AgreementType::MicrosoftCustomerAgreement)
    );
    assert_eq!(mca.version_rank, Some(0));
    let cloud: ResourceCollection<AgreementMetadata> = round_trip(METADATA_CLOUD);
    assert_eq!(
        cloud.items[0].agreement_type,
        Some(AgreementType::MicrosoftCloudAgreement)
    );
}

#[test]
fn a_customers_confirmed_agreements() {
    let page: ResourceCollection<Agreement> = round_trip(CUSTOMER_AGREEMENTS);
    assert_eq!(page.total_count, 2);
    let first = &page.items[0];
    assert_eq!(first.date_agreed.as_deref(), Some("2019-08-26T00:00:00"));
    assert_eq!(
        first
            .primary_contact
            .as_ref()
            .unwrap()
            .first_name
            .as_deref(),
        Some("Tania")
    );
    assert_eq!(
        first.agreement_type,
        Some(AgreementType::MicrosoftCustomerAgreement)
    );
}

#[test]
fn confirming_the_customer_agreement() {
    let request: Agreement = round_trip(CONFIRM_REQUEST);
    let built = Agreement::microsoft_customer_agreement(
        Contact::new("Tania", "Carr", "someone@example.com").with_phone("1234567890"),
        "2018-06-14T00:00:00.000Z",
    );
    assert_eq!(built, request, "the helper builds the docs' request");
    let created: Agreement = round_trip(CONFIRMED);
    assert_eq!(
        created.user_id.as_deref(),
        Some("3d6f2c09-eb40-48ca-a4b3-d24c9c007531")
    );
    let fault: ApiFault = round_trip(ALREADY_CONFIRMED);
    assert_eq!(fault.code.unwrap().to_string(), "600061");
    assert_eq!(
        fault.error_name.as_deref(),
        Some("PartnerConfirmedAgreementAlreadyExists")
    );
}

#[test]
fn the_template_is_required_and_unknown_types_are_kept() {
    assert!(serde_json::from_value::<Agreement>(serde_json::json!({"type": "X"})).is_err());
    let future: Agreement =
        round_trip(r#"{"templateId": "t", "type": "MicrosoftFutureAgreement", "newField": 1}"#);
    assert_eq!(
        future.agreement_type,
        Some(AgreementType::Unknown(
            "MicrosoftFutureAgreement".to_owned()
        ))
    );
}
