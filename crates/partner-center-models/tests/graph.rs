//! The Microsoft Graph partner billing reports against the docs' samples
//! (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/<page>): the
//! export requests, the three kinds of operation, and the manifest. Each sample is a JSON
//! body of its page, the HTTP lines left out; the comment above it says what, if
//! anything, was changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::graph::{
    AttributeSet, BillingOperation, ExportRequest, GraphBillingPeriod, Manifest, OperationState,
};
use secrecy::ExposeSecret as _;
use serde_json::Value;

/// partners-billing-billedreconciliation-export.md, request. Verbatim.
const BILLED_RECONCILIATION: &str = r##"{
  "invoiceId": "G016907411",
  "attributeSet": "full"
}"##;

/// partners-billing-unbilledusage-export.md, request. Verbatim.
const UNBILLED_USAGE: &str = r##"{
  "currencyCode": "USD",
  "attributeSet": "full",
  "billingPeriod": "current"
}"##;

/// partners-billing-operation-get.md, example 1 (succeeded). Verbatim.
const SUCCEEDED: &str = r##"{
  "@odata.type": "#microsoft.graph.partners.billing.exportSuccessOperation",
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "status": "succeeded",
  "createdDateTime": "2023-03-09T08:12:53",
  "lastActionDateTime": "2023-03-09T08:37:48.5046691Z",
  "resourceLocation@odata.navigationLink": "https://graph.microsoft.com/v1.0/reports/partners/billing/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db"
}"##;

/// partners-billing-operation-get.md, example 2 (failed). Verbatim.
const FAILED: &str = r##"{
  "@odata.type": "#microsoft.graph.partners.billing.failedOperation",
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "status": "failed",
  "createdDateTime": "2023-03-09T08:12:53",
  "lastActionDateTime": "2023-03-09T08:37:48.5046691Z",
  "error": {
    "message": "No data available",
    "code": "5000"
  }
}"##;

/// partners-billing-operation-get.md, example 3 (running). Verbatim.
const RUNNING: &str = r##"{
  "@odata.type": "#microsoft.graph.partners.billing.runningOperation",
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "status": "running",
  "createdDateTime": "2023-03-09T08:12:53",
  "lastActionDateTime": "2023-03-09T08:37:48.5046691Z"
}"##;

/// partners-billing-manifest-get.md, response. Verbatim.
const MANIFEST: &str = r##"{
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "schemaVersion": "1",
  "dataFormat": "compressedJSON",
  "createdDateTime": "2023-03-09T06:34:34.87Z",
  "eTag": "WYjLro78HdMg6vUWR",
  "partnerTenantId": "0e195b37-4574-4539-bc42-0e539b9684c0",
  "rootDirectory": "https://adlsreconbuprodeastus201.blob.core.windows.net/billedusagefastpath/v1/PartnerTenantId=0e195b37-4574-4539-bc42-0e539b9684c0/BillingMonth=202310/InvoiceId=G031809528/InvoiceVersion=202311/Fragment=basic/PartitionType=default",
  "sasToken": "skoid=0c414a25-fd23-4785-815f-1258467f9ab7&sktid=975f013f-7f24-47e8-a7d3-abc4752bf346&skt=2023-12-13T00%3A37%3A17Z&ske=2023-12-14T00%3A37%3A17Z&sks=b&skv=2021-08-06&sv=2021-08-06&se=2023-12-13T12%3A37%3A17Z&sr=d&sp=rl&sdd=7&sig=RpVY0WBGUHJ2APB3N76jtMak8loAWY4oiA0%2FaoJX1bM%3D",
  "partitionType": "Default",
  "blobCount": 1,
  "blobs": [
    {
      "name": "part-00049-b016029b-a7a7-4c46-9b5e-c925ac317ac6.c000.json.gz",
      "partitionValue": "default"
    }
  ]
}"##;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    parsed
}

#[test]
fn export_requests() {
    let billed: ExportRequest = round_trip(BILLED_RECONCILIATION);
    assert_eq!(billed, ExportRequest::billed("G016907411"));
    let unbilled: ExportRequest = round_trip(UNBILLED_USAGE);
    assert_eq!(
        unbilled,
        ExportRequest::unbilled(GraphBillingPeriod::Current, "USD")
    );
    assert_eq!(unbilled.attribute_set, Some(AttributeSet::Full));
}

#[test]
fn the_three_kinds_of_operation() {
    let done: BillingOperation = round_trip(SUCCEEDED);
    assert_eq!(done.state(), OperationState::Succeeded);
    assert!(
        done.resource_location
            .unwrap()
            .ends_with("/manifests/8fe347d7-1e0f-4bd6-9091-4672691f32db")
    );
    let failed: BillingOperation = round_trip(FAILED);
    assert_eq!(failed.state(), OperationState::Failed);
    assert_eq!(failed.error.unwrap().code.as_deref(), Some("5000"));
    let running: BillingOperation = round_trip(RUNNING);
    assert_eq!(running.state(), OperationState::Running);
    // The resource pages' `completed`, without a type, is a success too.
    let completed: BillingOperation =
        serde_json::from_str(r#"{"id": "x", "status": "completed"}"#).unwrap();
    assert_eq!(completed.state(), OperationState::Succeeded);
}

#[test]
fn the_manifest_keeps_its_sas_token_secret() {
    let manifest: Manifest = serde_json::from_str(MANIFEST).unwrap();
    assert_eq!(manifest.blobs.len(), 1);
    assert_eq!(manifest.blob_count, Some(1));
    let sas = manifest.sas_token.as_ref().unwrap();
    #[allow(clippy::disallowed_methods)] // reason: the test reads the sample's own token back
    let token = sas.expose_secret();
    assert!(token.starts_with("skoid="));
    assert!(
        !format!("{manifest:?}").contains("skoid"),
        "Debug is redacted"
    );
    // Written back, every field as sent but the token, which is a redaction marker.
    let mut expected: Value = serde_json::from_str(MANIFEST).unwrap();
    expected["sasToken"] = "[REDACTED]".into();
    assert_eq!(serde_json::to_value(&manifest).unwrap(), expected);
}
