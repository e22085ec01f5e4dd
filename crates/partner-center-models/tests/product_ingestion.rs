//! The Product Ingestion API's models against the docs' own samples.
//!
//! The samples are from MicrosoftDocs/azure-docs, articles/marketplace/ (the 2022 page at
//! commit 144a3d70, the 2023 pages as learn.microsoft.com shows them). Nearly every one is
//! invalid JSON as printed (no comma after the configure `$schema`, `//` comments, `...`):
//! the comment above each says what was fixed. Written back, a sample is what was sent,
//! except that `externalID`, `jobID` and `languageID` (the 2023 pages' spelling) are
//! written as the schemas and every client spell them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::ODataCollection;
use partner_center_models::product_ingestion::{
    ConfigureDetail, ConfigureError, ConfigureRequest, ConfigureStatus, JobResult, JobStatus,
    Resource, ResourceReference, ResourceTree, TargetType,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `articles/marketplace/product-ingestion-api.md` (06/2022, MicrosoftDocs/azure-docs@144a3d70), "Sample response to a processed request". Verbatim: its `jobStart` is not a date (`2022-03-01-preview2T…`), kept as text.
const STATUS_2022: &str = r##"{
    "$schema": "https://product-ingestion.azureedge.net/schema/configure-status/2022-03-01-preview2",
    "jobId": "d4261631-c583-4949-a612-5150882632e9",
    "jobStatus": "notStarted",
    "jobResult": "pending",
    "jobStart": "2022-03-01-preview2T13:32:43.123456Z",
    "jobEnd": "0001-01-01T00:00:00",
    "errors": []
}"##;

/// `articles/marketplace/product-ingestion-api.md` (06/2022), querying submissions. Verbatim (the draft's id names another product: the page's typo).
const SUBMISSIONS: &str = r##"{
  "value": [
    {
      "$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2",
      "id": "submission/12345678-abcd-efgh-1234-12345688901/0",
      "product": "product/12345678-abcd-efgh-1234-12345678901",
      "target": {
        "targetType": "draft"
      }
    },
    {
      "$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2",
      "id": "submission/12345678-abcd-efgh-1234-12345678901/1152921515689847470",
      "product": "product/12345678-abcd-efgh-1234-12345678901",
      "target": {
        "targetType": "live"
      },
      "status": "completed",
      "result": "succeeded",
      "created": "2022-01-25T07:13:06.4408032Z"
    },
    {
      "$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2",
      "id": "submission/12345678-abcd-efgh-1234-12345678901/1152921515689848683",
      "product": "product/12345678-abcd-efgh-1234-12345678901",
      "target": {
        "targetType": "preview"
      },
      "status": "completed",
      "result": "succeeded",
      "created": "2022-02-04T20:07:22.4220588Z"
    }
  ]
}"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), the resource tree of a SaaS product. Fixed: the plan's `...` and the trailing `{ ... }` with its comment left out.
const TREE: &str = r##"{
          "$schema": "https://product-ingestion.azureedge.net/schema/resource-tree/2022-03-01-preview2",
          "root": "product/12345678-abcd-efgh-1234-12345678901",
          "target": {
            "targetType": "preview"
          },
          "resources": [
          { 
            "$schema": "https://product-ingestion.azureedge.net/schema/product/2022-03-01-preview3",
            "id": "product/12345678-abcd-efgh-1234-12345678901",
            "identity": {
              "externalID": "ds-contoso-image-resize-demo"
            },
            "type": "softwareAsAService",
            "alias": "Contoso Image Resizing Service"
          },
          { 
            "$schema": "https://product-ingestion.azureedge.net/schema/property/2022-03-01-preview3",
            "id": "property/12345678-abcd-efgh-1234-12345678901/public/main",
            "product": "product/12345678-abcd-efgh-1234-12345678901",
            "kind": "azureSaaS",
            "termsConditions": "false",
            "categories": {
          "developer-tools-saas": [
            "devService"
          ]
            }
          },
          {
            "$schema": "https://product-ingestion.azureedge.net/schema/plan/2022-03-01-preview2",
            "id": "plan/12345678-abcd-efgh-1234-12345678901/4e0bfefa-b993-4b79-a426-871c3bf236a5",
            "product": "product/071b135e-9faf-4ff7-b113-a3f25bb0f468"
          }]
        }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), "Create a new SaaS product". Fixed: the comma after the configure `$schema`.
const CREATE: &str = r##"{
              "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
              "resources": [
                { 
                "$schema": "https://product-ingestion.azureedge.net/schema/product/2022-03-01-preview3",
                "identity": {
                  "externalID": "ds-contoso-image-resize-demo"
                },
                "type": "softwareAsAService",
                "alias": " Contoso Image Resizing Service"
              }
              ]
            }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), its response. Verbatim: `jobID` and `externalID` here are written back as the schemas spell them (`jobId`, `externalId`).
const CREATE_STATUS: &str = r##"{
  "$schema": "https://product-ingestion.azureedge.net/schema/configure-status/2022-03-01-preview2",
  "jobID": "071b135e-9faf-4ff7-b113-a3f25bb0f468",
  "jobStatus": "running",
  "jobResult": "pending",
  "jobStart": "2022-08-18T16:35:56.5917185Z",
  "jobEnd": "0001-01-01T00:00:00",
  "errors": []
}"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), publish to preview (method 1). Fixed: the comma, the `//` comments.
const PREVIEW: &str = r##"{
              "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
              "resources": [
              {

                "$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2",
                "product": "product/12345678-abcd-efgh-1234-12345678901",
                "target": { "targetType": "preview" }
              }
              ]
            }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), publish to live. Fixed: the comma, the comments.
const LIVE: &str = r##"{
              "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
              "resources": [

              {
                "$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2",
                "id": "submission/12345678-abcd-efgh-1234-12345678901/11521167929065",    
                "product": "product/12345678-abcd-efgh-1234-12345678901",
                "target": { "targetType": "live" }
              }
              ]
            }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), "Sample response to a submitted request". Verbatim.
const STATUS: &str = r##"{
                "$schema": "https://product-ingestion.azureedge.net/schema/configure-status/2022-03-01-preview2",
                "jobID": "d4261631-c583-4949-a612-5150882632e9",
                "jobStatus": "notStarted",
                "jobResult": "pending",
                "jobStart": "2022-03-01T13:32:43.123456Z",
                "jobEnd": "0001-01-01T00:00:00",
                "errors": []
            }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), configure details. Verbatim (its external id ends in a space, kept).
const DETAIL: &str = r##"{
"$schema": "https://product-ingestion.azureedge.net/schema/configure-detail/2022-03-01-preview2",
"resources": [
{ 
                "$schema": "https://product-ingestion.azureedge.net/schema/product/2022-03-01-preview2",
                "id": "product/12345678-abcd-efgh-1234-12345678901",
                "identity": {
                  "externalID": "ds-contoso-image-resize-demo "
                },
                "type": "softwareAsAService",
                "alias": "Contoso Image Resizing Service"
              }
]
}             "##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), a cancelled job. Verbatim (its `jobStart` is not a date).
const CANCELLED: &str = r##"{
                "$schema": "https://product-ingestion.azureedge.net/schema/configure-status/2022-03-01-preview2",
                "jobID": "d4261631-c583-4949-a612-5150882632e9",
                "jobStatus": "completed",
                "jobResult": "cancelled",
                "jobStart": "2022-03-01-T13:32:43.123456Z",
                "jobEnd": "2022-03-01T17:34:21.5225132Z",
                "errors": []
            }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), cancelling a completed job: 400. Verbatim.
const CANCEL_REFUSED: &str = r##"{
              "error": {
                "code": "badRequest",
                "message": "Cannot cancel job, job has already completed.",
                "details": []
              }
}"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), sync private audiences. Fixed: the comma, the comments (its `"add "` and `"remove "` keys, with their spaces, are kept as sent).
const AUDIENCES: &str = r##"{
          "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
          "resources": [
          {
            "$schema": "https://product-ingestion.azureedge.net/schema/price-and-availability-update-private-audiences/2022-03-01-preview2",
            "product": "product/12345678-abcd-efgh-1234-12345678901",
            "plan": "plan/12345678-abcd-efgh-1234-12345678901/7e70b11f-809e-4c45-ae2f-1fb3ceaca33b",
            "privateAudiences":
            {
              "add ":
              [
                  {
            "type": "tenant",
                    "id": "4c2bdcdc-f10e-468d-8a2a-0832e089215b",
                    "label": "test 1"
                  }
              ],
              "remove ":
              [
                {
            "type": "subscription",
                    "id": "412c45bf-c99a-4e96-b683-77b0aa2dd09e",
                    "label": "test 2"
                }
              ]
            }
          }
          ]
        }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), lead management. Fixed: the comma.
const LEADS: &str = r##"{
          "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
          "resources": [
            {
            "$schema": "https://product-ingestion.azureedge.net/schema/customer-leads/2022-03-01-preview3",
            "id": "customer-leads/a0c6484f-b4fb-4129-ac6b-35f2b5628089",
            "product": "product/a0c6484f-b4fb-4129-ac6b-35f2b5628089",
            "leadDestination": "httpsEndpoint",
            "httpsEndpointLeadConfiguration": {
              "httpsEndpointUrl": "https://www.your-crm.com/triggers/invoke"
            }
          }  
          ]
        }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), delete a draft plan. Fixed: the commas after the configure `$schema` and the alias.
const DELETE_PLAN: &str = r##"{
          "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
          "resources": [
            {
            "$schema": "https://product-ingestion.azureedge.net/schema/plan/2022-03-01-preview2",
            "id": "plan/9f8af57f-ab07-461b-8404-50e10e5e80fb/7e70b11f-809e-4c45-ae2f-1fb3ceaca33b",
            "product": "product/9f8af57f-ab07-461b-8404-50e10e5e80fb",
            "identity": { "externalID": "basic" },
            "alias": "basic plan",
            "lifecycleState": "deleted"
            }
          ]
        }"##;

/// `articles/marketplace/product-ingestion-api.md` (05/2023), deprecate a product. Fixed: the comma (the submission `$schema` ends in a space, kept).
const DEPRECATE: &str = r##"{
              "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
              "resources": [
                {
                "$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2 ",
                "id": "submission/9f8af57f-ab07-461b-8404-50e10e5e80fb/1152921515689848683",
                "product": "product/9f8af57f-ab07-461b-8404-50e10e5e80fb",
                "target": {
                    "targetType": "live"
                  },
                "lifecycleState": "deprecated"
                }
              ]
            }"##;

/// `articles/marketplace/product-ingestion-api-transactable-containers.md` (05/2023), sell through Microsoft. Fixed: the comma.
const TRANSACTABLE: &str = r##"{
  "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
  "resources": [
   {
      "$schema": "https://product-ingestion.azureedge.net/schema/commercial-marketplace-setup/2022-03-01-preview2",
      "id": "commercial-marketplace-setup/a0c6484f-b4fb-4129-ac6b-35f2b5628089",
      "product": "product/a0c6484f-b4fb-4129-ac6b-35f2b5628089",
      "sellThroughMicrosoft": true
    }
  ]
}"##;

/// `articles/marketplace/product-ingestion-api-transactable-containers.md` (05/2023), properties. Fixed: the comma.
const PROPERTIES: &str = r##"{
  "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
  "resources": [
    {
      "$schema": "https://schema.mp.microsoft.com/schema/property/2022-03-01-preview5",
      "id": "property/a8b48be1-a630-41b5-b5a5-c2a9f7789922/public/main",
      "product": "product/a8b48be1-a630-41b5-b5a5-c2a9f7789922",
      "kind": "azureContainer",
      "termsConditions": "standardMicrosoft",
      "categories": {
        "containers": [
          "container-apps",
   "container-images"
        ]
      }
    }
 ]
}"##;

/// `articles/marketplace/product-ingestion-api-transactable-containers.md` (05/2023), listing, assets and trailer. Fixed: the comma, a trailing comma in `generalLinks`; `languageID` is written back `languageId`.
const LISTING: &str = r##"{
  "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
  "resources": [
    {
      "$schema": "https://schema.mp.microsoft.com/schema/listing/2022-03-01-preview5",
      "id": "listing/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b/public/main/default/en-us",
      "product": "product/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b",
      "kind": "azureContainer",
      "title": "ContainerCM0815",
      "description": "<div>This offer is in the early stages of development and not for general public consumption. Use is restricted to a limited audience, and has no commercial purpose beyond the testing for which it is intended.</div>",
      "searchResultSummary": "Container product",
      "shortDescription": "This offer is in the early stages of development and not for general public consumption",
      "privacyPolicyLink": "https://www.company.com/privacy",
      "generalLinks": [
 {
   "displayText": "Product link",
   "link": "https://www.company.com/mkt"
 }
      ],
      "globalSupportWebsite": "https://testprivacyurl.com",
      "governmentSupportWebsite": "https://testprivacyurl.com",
      "supportContact": {
        "name": "Support",
        "email": "support@company.com",
        "phone": "4255555555"
      },
      "engineeringContact": {
        "name": "Engineering",
        "email": "john@company.com",
        "phone": "4255555555"
      },
      "cloudSolutionProviderContact": {
        "name": "CSP",
        "email": "csp@company.com",
        "phone": "4255555555"
      },
      "languageID": "en-us"
    },
    {
      "$schema": "https://schema.mp.microsoft.com/schema/listing-asset/2022-03-01-preview5",
      "product": "product/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b",
      "kind": "azure",
      "listing": "listing/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b/public/main/default/en-us",
      "type": "azureLogoScreenshot",
      "languageID": "en-us",
      "description": "Image caption",
      "displayOrder": 0,
      "fileName": "test.png",
      "friendlyName": "test.png",
      "url": "https://company.com/12345/test.png"
    },
    {
      "$schema":  "https://schema.mp.microsoft.com/schema/listing-asset/2022-03-01-preview5",
      "product": "product/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b",
      "kind": "azure",
      "listing": "listing/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b/public/main/default/en-us",
      "type": "azureLogoLarge",
      "languageID": "en-us",
      "description": "",
      "displayOrder": 0,
      "fileName": "216x216.png",
      "friendlyName": "216x216.png",
      "url": "https://company.com/12345/216x216.png"
    },
    {
      "$schema": "https://schema.mp.microsoft.com/schema/listing-trailer/2022-03-01-preview5",
      "product": "product/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b",
      "kind": "azure",
      "listing": "listing/6d50c7bd-eb19-4d4c-b2f0-beb14aee084b/public/main/default/en-us",
      "streamingUrl": "https://www.youtube.com/watch?v=123",
      "assets": {
        "en-us": {
          "title": "Video",
          "imageList": [
            {
              "url": "https://company.com/12345/trailer.png"
            }
          ]
        }
      }
    }
  ]
}"##;

/// The sample with the 2023 pages' spellings as the schemas have them.
/// Resources of a type not modelled (`listing-asset`) are kept as sent.
fn canonical(value: Value) -> Value {
    let kept_whole = value["$schema"]
        .as_str()
        .and_then(partner_center_models::product_ingestion::schema_parts)
        .is_some_and(|(kind, _)| kind.starts_with("listing-"));
    match value {
        Value::Object(map) if kept_whole => Value::Object(map),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let k = match k.as_str() {
                        "externalID" => "externalId".to_owned(),
                        "jobID" => "jobId".to_owned(),
                        "languageID" => "languageId".to_owned(),
                        _ => k,
                    };
                    (k, canonical(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), canonical(sent));
    parsed
}

#[test]
fn configure_requests_round_trip_and_resources_are_typed_by_schema() {
    let create: ConfigureRequest = round_trip(CREATE);
    let Resource::Product(product) = &create.resources[0] else {
        panic!("a product: {:?}", create.resources[0]);
    };
    assert_eq!(product.kind.as_deref(), Some("softwareAsAService"));
    assert_eq!(
        product.identity.as_ref().unwrap().external_id.as_deref(),
        Some("ds-contoso-image-resize-demo")
    );
    assert_eq!(create.resources[0].version(), "2022-03-01-preview3");

    let preview: ConfigureRequest = round_trip(PREVIEW);
    let Resource::Submission(submission) = &preview.resources[0] else {
        panic!("a submission");
    };
    assert_eq!(
        submission.target.as_ref().unwrap().target_type,
        TargetType::Preview
    );
    assert!(
        submission.id.is_none(),
        "publishing the draft names no submission"
    );
    let live: ConfigureRequest = round_trip(LIVE);
    assert_eq!(
        live.resources[0].id(),
        Some("submission/12345678-abcd-efgh-1234-12345678901/11521167929065")
    );
    let deprecate: ConfigureRequest = round_trip(DEPRECATE);
    assert_eq!(
        deprecate.resources[0].kind(),
        "submission",
        "a $schema with a trailing space"
    );

    let delete: ConfigureRequest = round_trip(DELETE_PLAN);
    let Resource::Plan(plan) = &delete.resources[0] else {
        panic!("a plan");
    };
    assert_eq!(plan.lifecycle_state.as_deref(), Some("deleted"));
    assert_eq!(
        plan.product,
        Some(ResourceReference::Id(
            "product/9f8af57f-ab07-461b-8404-50e10e5e80fb".to_owned()
        ))
    );

    let listing: ConfigureRequest = round_trip(LISTING);
    let Resource::Listing(l) = &listing.resources[0] else {
        panic!("a listing");
    };
    assert_eq!(l.language_id.as_deref(), Some("en-us"));
    assert_eq!(l.title.as_deref(), Some("ContainerCM0815"));
    assert!(
        l.extra.contains_key("supportContact"),
        "fields not modelled are kept"
    );
    assert_eq!(listing.resources[1].kind(), "listing-asset");
    assert!(
        matches!(listing.resources[1], Resource::Other(_)),
        "a type not modelled, kept whole"
    );

    for (sample, kind) in [
        (AUDIENCES, "price-and-availability-update-private-audiences"),
        (LEADS, "customer-leads"),
        (TRANSACTABLE, "commercial-marketplace-setup"),
        (PROPERTIES, "property"),
    ] {
        let request: ConfigureRequest = round_trip(sample);
        assert_eq!(request.resources[0].kind(), kind);
    }
}

#[test]
fn job_statuses_round_trip() {
    let first: ConfigureStatus = round_trip(STATUS_2022);
    assert_eq!(first.job_status, JobStatus::NotStarted);
    assert_eq!(first.job_result, JobResult::Pending);
    assert!(!first.is_done());
    let created: ConfigureStatus = round_trip(CREATE_STATUS);
    assert_eq!(
        created.job_id, "071b135e-9faf-4ff7-b113-a3f25bb0f468",
        "read from jobID"
    );
    assert_eq!(created.job_status, JobStatus::Running);
    let status: ConfigureStatus = round_trip(STATUS);
    assert!(status.errors.is_empty());
    let cancelled: ConfigureStatus = round_trip(CANCELLED);
    assert_eq!(cancelled.job_result, JobResult::Cancelled);
    assert!(cancelled.is_done());

    let refused: Value = serde_json::from_str(CANCEL_REFUSED).unwrap();
    let error: ConfigureError = serde_json::from_value(refused["error"].clone()).unwrap();
    assert_eq!(error.code, "badRequest");
    assert_eq!(
        error.lines(),
        ["Cannot cancel job, job has already completed. (badRequest)"]
    );
    assert_eq!(serde_json::to_value(&error).unwrap(), refused["error"]);
}

#[test]
fn trees_details_and_submissions_round_trip() {
    let tree: ResourceTree = round_trip(TREE);
    assert_eq!(tree.target.target_type, TargetType::Preview);
    assert_eq!(tree.resources.len(), 3);
    assert!(matches!(tree.resources[1], Resource::Property(_)));
    let detail: ConfigureDetail = round_trip(DETAIL);
    assert_eq!(
        detail.resources[0].id(),
        Some("product/12345678-abcd-efgh-1234-12345678901")
    );
    let page: ODataCollection<Resource> = round_trip(SUBMISSIONS);
    let Resource::Submission(live) = &page.value[1] else {
        panic!("a submission");
    };
    assert_eq!(live.result, Some(JobResult::Succeeded));
    assert_eq!(live.status, Some(JobStatus::Completed));
}

/// An error names the resource, by `resourceName` when the request gave one, and the
/// details carry the field.
#[test]
fn errors_name_their_resource() {
    let error: ConfigureError = serde_json::from_value(serde_json::json!({
        "resourceId": {"resourceName": "gold"},
        "code": "badRequest",
        "message": "The plan is invalid.",
        "details": [{"code": "schemaValidationError", "message": "alias: a value is required."}]
    }))
    .unwrap();
    assert_eq!(
        error.lines(),
        [
            "resource gold: The plan is invalid. (badRequest)",
            "resource gold: alias: a value is required. (schemaValidationError)"
        ]
    );
}

/// A draft of a SaaS offer with a plan, as a resource tree reads.
fn saas_tree() -> ResourceTree {
    serde_json::from_value(serde_json::json!({
        "$schema": "https://product-ingestion.azureedge.net/schema/resource-tree/2022-03-01-preview2",
        "root": "product/1111",
        "target": {"targetType": "draft"},
        "resources": [
            {"$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2",
             "id": "submission/1111/0", "product": "product/1111", "target": {"targetType": "draft"}},
            {"$schema": "https://schema.mp.microsoft.com/schema/listing/2022-03-01-preview5",
             "id": "listing/1111/public/main/default/en-us", "product": "product/1111",
             "kind": "azureSaaS", "languageId": "en-us", "title": "Contoso", "validations": []},
            {"$schema": "https://product-ingestion.azureedge.net/schema/plan/2022-03-01-preview2",
             "id": "plan/1111/2222", "product": "product/1111", "identity": {"externalId": "gold"},
             "alias": "Gold", "azureRegions": ["azureGlobal"]},
            {"$schema": "https://product-ingestion.azureedge.net/schema/product/2022-03-01-preview3",
             "id": "product/1111", "identity": {"externalId": "contoso-saas"},
             "type": "softwareAsAService", "alias": "Contoso SaaS"},
            {"$schema": "https://schema.mp.microsoft.com/schema/plan-listing/2022-03-01-preview5",
             "id": "plan-listing/1111/public/main/2222/en-us", "product": "product/1111",
             "plan": "plan/1111/2222", "kind": "azureSaaS-plan", "languageId": "en-us", "name": "Gold"}
        ]
    }))
    .unwrap()
}

#[test]
fn an_export_names_resources_by_external_id_and_applies_as_a_no_op() {
    use partner_center_models::product_ingestion::{
        OfferChange, check_offer, diff_offer, offer_from_tree, offer_with_ids,
    };
    let tree = saas_tree();
    let file = offer_from_tree(&tree);
    let kinds: Vec<_> = file.resources.iter().map(Resource::kind).collect();
    assert_eq!(
        kinds,
        ["product", "plan", "listing", "plan-listing"],
        "a stable order, no submission"
    );
    let json = serde_json::to_value(&file).unwrap();
    assert!(
        !json.to_string().contains("\"id\""),
        "no durable ids: {json}"
    );
    assert!(!json.to_string().contains("validations"));
    assert_eq!(json["resources"][0]["resourceName"], "product");
    assert_eq!(json["resources"][1]["resourceName"], "plan-gold");
    assert_eq!(
        json["resources"][1]["product"],
        serde_json::json!({"resourceName": "product"})
    );
    assert_eq!(
        json["resources"][3]["plan"],
        serde_json::json!({"resourceName": "plan-gold"})
    );
    // Written out and read back, it changes nothing.
    let reread: ConfigureRequest =
        serde_json::from_str(&serde_json::to_string_pretty(&file).unwrap()).unwrap();
    assert_eq!(diff_offer(&tree, &reread), []);

    // One field changed in the file: exactly that change.
    let mut edited = serde_json::to_value(&reread).unwrap();
    edited["resources"][2]["title"] = Value::from("Contoso, now faster");
    let edited: ConfigureRequest = serde_json::from_value(edited).unwrap();
    assert_eq!(
        diff_offer(&tree, &edited),
        [OfferChange::Changed {
            key: "listing en-us".to_owned(),
            fields: vec![(
                "title".to_owned(),
                Some(Value::from("Contoso")),
                Some(Value::from("Contoso, now faster"))
            )]
        }]
    );
    // Made ready to send, each resource names the one it changes.
    let ready = offer_with_ids(&tree, &edited);
    let ids: Vec<_> = ready.resources.iter().map(Resource::id).collect();
    assert_eq!(
        ids,
        [
            Some("product/1111"),
            Some("plan/1111/2222"),
            Some("listing/1111/public/main/default/en-us"),
            Some("plan-listing/1111/public/main/2222/en-us")
        ]
    );

    // A file that names things its own way, by external id and durable id, reads the
    // same; ids the product does not have are not sent.
    let own_way: ConfigureRequest = serde_json::from_value(serde_json::json!({
        "$schema": "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2",
        "resources": [
            {"$schema": "https://product-ingestion.azureedge.net/schema/product/2022-03-01-preview3",
             "resourceName": "p", "identity": {"externalId": "contoso-saas"},
             "type": "softwareAsAService", "alias": "Contoso SaaS"},
            {"$schema": "https://product-ingestion.azureedge.net/schema/plan/2022-03-01-preview2",
             "id": "plan/9999/9999", "resourceName": "g", "product": {"resourceName": "p"},
             "identity": {"externalId": "gold"}, "alias": "Gold", "azureRegions": ["azureGlobal"]},
            {"$schema": "https://schema.mp.microsoft.com/schema/listing/2022-03-01-preview5",
             "product": "product/1111", "kind": "azureSaaS", "languageID": "en-us", "title": "Contoso"},
            {"$schema": "https://schema.mp.microsoft.com/schema/plan-listing/2022-03-01-preview5",
             "product": {"externalId": "contoso-saas"}, "plan": {"externalId": "gold"},
             "kind": "azureSaaS-plan", "languageId": "en-us", "name": "Gold"}
        ]
    }))
    .unwrap();
    assert_eq!(diff_offer(&tree, &own_way), []);
    let ready = offer_with_ids(&tree, &own_way);
    assert_eq!(
        ready.resources[1].id(),
        Some("plan/1111/2222"),
        "its own id replaced"
    );

    // What a file may not hold.
    assert!(check_offer(&file).is_ok());
    let mut twice = serde_json::to_value(&file).unwrap();
    let listing = twice["resources"][2].clone();
    twice["resources"].as_array_mut().unwrap().push(listing);
    let twice: ConfigureRequest = serde_json::from_value(twice).unwrap();
    assert!(check_offer(&twice).unwrap_err().contains("listing en-us"));
    let mut publishing = serde_json::to_value(&file).unwrap();
    publishing["resources"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
        "$schema": "https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2",
        "product": {"resourceName": "product"}, "target": {"targetType": "preview"}}));
    let publishing: ConfigureRequest = serde_json::from_value(publishing).unwrap();
    assert!(
        check_offer(&publishing)
            .unwrap_err()
            .contains("marketplace publish")
    );

    // A new plan in the file is an addition; a resource the file leaves out stays.
    let mut more = serde_json::to_value(&reread).unwrap();
    let resources = more["resources"].as_array_mut().unwrap();
    resources.remove(3);
    resources.push(serde_json::json!({
        "$schema": "https://product-ingestion.azureedge.net/schema/plan/2022-03-01-preview2",
        "resourceName": "silver", "product": {"resourceName": "product"},
        "identity": {"externalId": "silver"}, "alias": "Silver"}));
    let more: ConfigureRequest = serde_json::from_value(more).unwrap();
    assert_eq!(
        diff_offer(&tree, &more),
        [
            OfferChange::Added {
                key: "plan silver".to_owned()
            },
            OfferChange::NotInFile {
                key: "plan-listing gold en-us".to_owned()
            }
        ]
    );
}
