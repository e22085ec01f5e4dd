//! Submissions, their validation, certification and workflow.

use serde::{Deserialize, Serialize};

use super::TypeValuePair;
use crate::Extra;

open_enum! {
    /// A submission's state.
    SubmissionState {
        /// Being worked on.
        InProgress = "InProgress",
        /// Published.
        Published = "Published",
    }
}

open_enum! {
    /// A submission's substate: InDraft → Submitted → (certification) → ReadyToPublish →
    /// Publishing → Published → InStore, or Failed / FailedInCertification.
    SubmissionSubstate {
        /// Not yet submitted.
        InDraft = "InDraft",
        /// Submitted, validation and certification running.
        Submitted = "Submitted",
        /// Failed before certification.
        Failed = "Failed",
        /// Failed certification: see the validations and reports.
        FailedInCertification = "FailedInCertification",
        /// Certified (preview available); promote to go live.
        ReadyToPublish = "ReadyToPublish",
        /// Going live.
        Publishing = "Publishing",
        /// Live.
        Published = "Published",
        /// In the store.
        InStore = "InStore",
    }
}

impl SubmissionSubstate {
    /// Whether polling can stop.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Failed
                | Self::FailedInCertification
                | Self::ReadyToPublish
                | Self::Published
                | Self::InStore
        )
    }

    /// Whether this is a failure.
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed | Self::FailedInCertification)
    }
}

/// `{variantID, resources}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VariantResource {
    /// The variant.
    #[serde(rename = "variantID", default)]
    pub variant_id: String,
    /// Its draft instances.
    #[serde(default)]
    pub resources: Vec<TypeValuePair>,
}

/// When and how to publish.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own
pub struct PublishOption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_time_in_utc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_manual_publish: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_auto_promote: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification_notes: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A pending update of a submission (e.g. a promotion).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own
pub struct PendingUpdateInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A submission.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own, documented on their types
pub struct Submission {
    #[serde(default, alias = "ID")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<SubmissionState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substate: Option<SubmissionSubstate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TypeValuePair>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<TypeValuePair>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variant_resources: Vec<VariantResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_option: Option<PublishOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_time_in_utc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_update_info: Option<PendingUpdateInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extended_properties: Vec<TypeValuePair>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub are_resources_ready: Option<bool>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Submission {
    /// The target (`Preview`, `Live`, …) from `targets`.
    pub fn target(&self) -> Option<&str> {
        self.targets
            .iter()
            .find(|t| t.kind.eq_ignore_ascii_case("Scope"))
            .map(|t| t.value.as_str())
    }
}

/// What `POST /products/{id}/submissions` takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own
pub struct SubmissionCreationRequest {
    #[serde(default = "creation_request")]
    pub resource_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TypeValuePair>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<TypeValuePair>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variant_resources: Vec<VariantResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_option: Option<PublishOption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extended_properties: Vec<TypeValuePair>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

fn creation_request() -> String {
    "SubmissionCreationRequest".to_owned()
}

impl SubmissionCreationRequest {
    /// A request to submit `resources` (and plans' `variant_resources`) to `target`
    /// (`Preview` or `Live`).
    pub fn new(
        target: &str,
        resources: Vec<TypeValuePair>,
        variant_resources: Vec<VariantResource>,
    ) -> Self {
        Self {
            resource_type: creation_request(),
            targets: vec![TypeValuePair::new("Scope", target)],
            resources,
            variant_resources,
            publish_option: None,
            extended_properties: Vec::new(),
            extra: Extra::new(),
        }
    }
}

/// A validation finding.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own
pub struct ValidationItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `[code] message (resource)`, as a person reads a finding; `{:#}` leads with the severity
/// (`Error [code] message (resource)`).
///
/// ```
/// use partner_center_models::ingestion::ValidationItem;
/// let item: ValidationItem = serde_json::from_str(
///     r#"{"errorCode":"Listing.Description","severity":"Error","message":"too short","resource":"listing-1"}"#,
/// ).unwrap();
/// assert_eq!(item.to_string(), "[Listing.Description] too short (listing-1)");
/// assert_eq!(format!("{item:#}"), "Error [Listing.Description] too short (listing-1)");
/// ```
impl std::fmt::Display for ValidationItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if f.alternate() {
            write!(f, "{} ", self.severity.as_deref().unwrap_or("Error"))?;
        }
        write!(
            f,
            "[{}] {}",
            self.error_code.as_deref().unwrap_or("?"),
            self.message.as_deref().unwrap_or("?")
        )?;
        match &self.resource {
            Some(r) => write!(f, " ({r})"),
            None => Ok(()),
        }
    }
}

open_enum! {
    /// A certification report's status.
    CertificationStatus {
        /// Pending.
        Pending = "Pending",
        /// Failed.
        Failed = "Failed",
        /// Passed.
        Passed = "Passed",
        /// Passed with notes.
        PassedWithNotes = "PassedWithNotes",
        /// Unknown to the service.
        ServiceUnknown = "Unknown",
    }
}

/// A certification report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own
pub struct CertificationReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_time_in_utc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CertificationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_uri: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A workflow step.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own
pub struct WorkflowStepDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date_time_in_utc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_date_time_in_utc: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A submission's workflow (validation, certification, publishing).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own
pub struct WorkflowDetail {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub workflow_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_environment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workflow_steps: Vec<WorkflowStepDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date_time_in_utc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_date_time_in_utc: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
