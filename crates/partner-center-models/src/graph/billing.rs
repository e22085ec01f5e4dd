//! The partner billing reports (`/reports/partners/billing`): the asynchronous exports of
//! billed and unbilled reconciliation and rated usage, their long-running operation, and
//! the manifest of the files they write.
//!
//! Sources (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0):
//! partners-billing-operation-get.md, partners-billing-manifest-get.md,
//! resources/partners-billing-{operation,exportsuccessoperation,failedoperation,
//! runningoperation,manifest,blob}.md, and the four `*-export.md` pages.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::Extra;

open_enum! {
    /// Which attributes an export writes (`attributeSet`).
    AttributeSet {
        /// Every attribute (the default).
        Full = "full",
        /// A subset.
        Basic = "basic",
    }
}

open_enum! {
    /// Which unbilled period (`billingPeriod`): `last` is the REST API's `previous`.
    GraphBillingPeriod {
        /// The period in progress.
        Current = "current",
        /// The period before it.
        Last = "last",
    }
}

/// What an export request sends: the invoice (billed exports), or the period and currency
/// (unbilled ones), and the attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExportRequest {
    /// The invoice (billed reconciliation and usage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// The period (unbilled exports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period: Option<GraphBillingPeriod>,
    /// The billing currency (unbilled exports), e.g. `USD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Which attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_set: Option<AttributeSet>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ExportRequest {
    /// A billed export of invoice `id`, every attribute.
    pub fn billed(invoice_id: &str) -> Self {
        Self {
            invoice_id: Some(invoice_id.to_owned()),
            attribute_set: Some(AttributeSet::Full),
            ..Self::default()
        }
    }

    /// An unbilled export of `period` in `currency`, every attribute.
    pub fn unbilled(period: GraphBillingPeriod, currency: &str) -> Self {
        Self {
            billing_period: Some(period),
            currency_code: Some(currency.to_owned()),
            attribute_set: Some(AttributeSet::Full),
            ..Self::default()
        }
    }
}

open_enum! {
    /// An operation's `status`. The resource pages say a success is `completed`, the
    /// operation page's sample says `succeeded`: both are read as a success.
    OperationStatus {
        /// Queued.
        NotStarted = "notStarted",
        /// Running.
        Running = "running",
        /// Done (the sample's word).
        Succeeded = "succeeded",
        /// Done (the resource pages' word).
        Completed = "completed",
        /// Failed.
        Failed = "failed",
    }
}

/// Where an export is: `GET /reports/partners/billing/operations/{id}` answers a
/// `runningOperation`, an `exportSuccessOperation` (with the manifest's link) or a
/// `failedOperation` (with its error), told apart by `@odata.type`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BillingOperation {
    /// `#microsoft.graph.partners.billing.runningOperation`, …
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// The operation's id.
    #[serde(default)]
    pub id: String,
    /// Its status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OperationStatus>,
    /// When it started (the sample writes it without a zone: UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// Its last action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_action_date_time: Option<String>,
    /// A success's manifest.
    #[serde(
        rename = "resourceLocation@odata.navigationLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_location: Option<String>,
    /// A failure's error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<PublicError>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What an operation says of itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationState {
    /// Not finished: poll again (after `Retry-After` when sent).
    Running,
    /// Finished: the manifest is at [`BillingOperation::resource_location`].
    Succeeded,
    /// Finished without data: see [`BillingOperation::error`].
    Failed,
}

impl BillingOperation {
    /// Its state: by `@odata.type`, else by `status`; anything else is still running.
    pub fn state(&self) -> OperationState {
        let kind = self.odata_type.as_deref().unwrap_or_default();
        if kind.ends_with("exportSuccessOperation") {
            return OperationState::Succeeded;
        }
        if kind.ends_with("failedOperation") {
            return OperationState::Failed;
        }
        match self.status {
            Some(OperationStatus::Succeeded | OperationStatus::Completed) => {
                OperationState::Succeeded
            }
            Some(OperationStatus::Failed) => OperationState::Failed,
            _ => OperationState::Running,
        }
    }
}

/// Graph's error object (`publicError`): `{code, message}`, the code a string.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublicError {
    /// The code (`"5000"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The files an export wrote: `GET /reports/partners/billing/manifests/{id}`. Each blob is
/// `{rootDirectory}/{name}`, read with the SAS token, gzip-compressed JSON Lines.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Manifest {
    /// The manifest's id.
    #[serde(default)]
    pub id: String,
    /// The manifest schema's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// `compressedJSONLines` (the sample writes `compressedJSON`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_format: Option<String>,
    /// When it was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// The data's version: a new one means new data.
    #[serde(rename = "eTag", default, skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
    /// The partner's tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_tenant_id: Option<String>,
    /// The directory (a blob storage URL) holding the files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    /// The SAS token that reads them: a secret (`Debug` redacted; serialised as a
    /// redaction marker).
    #[serde(
        default,
        serialize_with = "crate::redacted",
        skip_serializing_if = "Option::is_none"
    )]
    pub sas_token: Option<SecretString>,
    /// How the data is divided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_type: Option<String>,
    /// How many files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob_count: Option<u64>,
    /// The files.
    #[serde(default)]
    pub blobs: Vec<Blob>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Blob {
    /// Its name in the root directory.
    #[serde(default)]
    pub name: String,
    /// The partition it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_value: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
