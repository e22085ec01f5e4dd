//! The ingestion models against the API's own OpenAPI description: every example object
//! parses into the models (into the right variant, not `Unknown`) and round-trips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use partner_center_models::ODataCollection;
use partner_center_models::ingestion::{
    Branch, BranchType, LeadConfiguration, Module, PackageConfiguration, Product, ProductType,
    Submission, SubmissionCreationRequest, SubmissionSubstate, TypeValuePair, Variant,
};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

fn spec() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/partner-ingestion-openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Property names folded to lower case: the service matches them case-insensitively, and
/// its own examples write `ID` where the schema says `id`.
fn fold(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), fold(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(fold).collect()),
        other => other.clone(),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(name: &str, value: &Value) -> T {
    let parsed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let written = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        fold(&written),
        fold(value),
        "{name}: the round trip changed the payload"
    );
    parsed
}

#[test]
fn every_example_object_in_the_openapi_file_parses_and_round_trips() {
    let spec = spec();
    let examples = spec["components"]["examples"].as_object().unwrap();
    assert_eq!(
        examples.len(),
        30,
        "the spec's example count changed: review the models"
    );
    let mut checked = 0;
    for (name, example) in examples {
        let value = &example["value"];
        let short = &name.replace("Microsoft.Ingestion.Api.Models.", "");
        if short.starts_with("LeadManagement.") {
            let lead: LeadConfiguration = round_trip(short, value);
            assert!(
                !matches!(lead, LeadConfiguration::Unknown(_)),
                "{short} parsed as Unknown"
            );
        } else if short.starts_with("Common.PagedCollection_Packages.") {
            let page: ODataCollection<PackageConfiguration> = round_trip(short, value);
            assert!(
                page.value
                    .iter()
                    .all(|p| !matches!(p, PackageConfiguration::Unknown(_))),
                "{short}"
            );
            assert!(page.next_link.is_some());
        } else if short.starts_with("Packages.") {
            let config: PackageConfiguration = round_trip(short, value);
            assert!(
                !matches!(config, PackageConfiguration::Unknown(_)),
                "{short} parsed as Unknown"
            );
        } else if short.starts_with("Common.PagedCollection_Variants.") {
            let page: ODataCollection<Variant> = round_trip(short, value);
            assert!(
                page.value.iter().all(|v| !matches!(v, Variant::Unknown(_))),
                "{short}"
            );
        } else if short.starts_with("Variants.") {
            let variant: Variant = round_trip(short, value);
            assert!(
                !matches!(variant, Variant::Unknown(_)),
                "{short} parsed as Unknown"
            );
        } else {
            panic!("an example with no model: {short}");
        }
        checked += 1;
    }
    assert_eq!(checked, 30);
}

#[test]
fn modelled_schemas_exist_in_the_spec() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for name in [
        "Products.AzureProduct",
        "Products.AzureProductSetup",
        "Branches.Branch",
        "Listings.AzureListing",
        "Listings.ListingAsset",
        "Listings.ListingImage",
        "Listings.ListingVideo",
        "Properties.AzureProperty",
        "Packages.AzurePackage",
        "Availabilities.ProductAvailability",
        "Availabilities.FeatureAvailability",
        "Variants.AzureSkuVariant",
        "Variants.AzureTestDriveVariant",
        "Submissions.Submission",
        "Submissions.SubmissionCreationRequest",
        "Submissions.ValidationItem",
        "Submissions.CertificationReport",
        "Submissions.WorkflowDetail",
        "LeadManagement.AzureBlobLeadConfiguration",
    ] {
        assert!(
            schemas.contains_key(&format!("Microsoft.Ingestion.Api.Models.{name}")),
            "{name} is not in the spec"
        );
    }
}

#[test]
fn unknown_resource_types_and_fields_are_kept() {
    let raw = serde_json::json!({"resourceType": "AzureQuantumVariant", "id": "v9", "qubits": 7});
    let v: Variant = serde_json::from_value(raw.clone()).unwrap();
    assert!(matches!(&v, Variant::Unknown(_)));
    assert_eq!(v.resource_type(), "AzureQuantumVariant");
    assert_eq!(serde_json::to_value(&v).unwrap(), raw);

    let p: Product = serde_json::from_value(serde_json::json!({
        "resourceType": "AzureApplication", "id": "p1", "name": "Contoso",
        "externalIDs": [{"type": "AzureOfferId", "value": "contoso-app"}], "isModularPublishing": true,
        "@odata.etag": "\"1\"", "futureField": [1, 2]
    }))
    .unwrap();
    assert_eq!(p.resource_type, Some(ProductType::AzureApplication));
    assert_eq!(
        p.external_ids[0],
        TypeValuePair::new("AzureOfferId", "contoso-app")
    );
    assert_eq!(p.extra["futureField"][1], 2);
    insta::assert_json_snapshot!("product", p);
}

#[test]
fn lead_configuration_secrets_are_redacted_in_debug_but_sent_to_the_api() {
    let spec = spec();
    let value = &spec["components"]["examples"]["Microsoft.Ingestion.Api.Models.LeadManagement.AzureBlobLeadConfiguration"]
        ["value"];
    let lead: LeadConfiguration = serde_json::from_value(value.clone()).unwrap();
    let LeadConfiguration::AzureBlob(fields) = &lead else {
        panic!("{lead:?}")
    };
    assert_eq!(
        fields.connection_string.as_ref().unwrap().expose_secret(),
        "connectionString"
    );
    assert!(
        !format!("{lead:?}").contains("\"connectionString\""),
        "Debug must redact"
    );
    assert_eq!(
        serde_json::to_value(&lead).unwrap()["connectionString"],
        "connectionString"
    );
}

#[test]
fn branches_and_submissions() {
    let b: Branch = serde_json::from_value(serde_json::json!({
        "resourceType": "Branch", "id": "b1", "friendlyName": "Main", "type": "Main", "module": "Listing",
        "currentDraftInstanceID": "i-42"
    }))
    .unwrap();
    assert_eq!(
        (
            b.branch_type,
            b.module,
            b.current_draft_instance_id.as_deref()
        ),
        (Some(BranchType::Main), Some(Module::Listing), Some("i-42"))
    );
    let s: Submission = serde_json::from_value(serde_json::json!({
        "resourceType": "Submission", "id": "s1", "state": "InProgress", "substate": "FailedInCertification",
        "targets": [{"type": "Scope", "value": "Preview"}], "releaseNumber": 3, "areResourcesReady": true
    }))
    .unwrap();
    assert_eq!(s.target(), Some("Preview"));
    assert!(s.substate.as_ref().unwrap().is_failure());
    insta::assert_json_snapshot!("submission", s);
    let request = SubmissionCreationRequest::new(
        "Preview",
        vec![TypeValuePair::new("Listing", "i-42")],
        Vec::new(),
    );
    insta::assert_json_snapshot!("submission_creation_request", request);
    assert!(SubmissionSubstate::ReadyToPublish.is_terminal());
}
