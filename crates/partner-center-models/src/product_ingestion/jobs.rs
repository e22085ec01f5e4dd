//! A `configure` request, its job's status and details, its errors, and a product's
//! resource tree.

use serde::{Deserialize, Serialize};

use super::{
    DEFAULT_SCHEMA_VERSION, JobResult, JobStatus, Resource, ResourceReference, Target, TargetType,
    schema_url,
};
use crate::Extra;

/// A `configure` request: the resources to create, change or publish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigureRequest {
    /// `…/schema/configure/<version>`.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The resources, in order.
    pub resources: Vec<Resource>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ConfigureRequest {
    /// A request of these resources, at the default version.
    pub fn new(resources: Vec<Resource>) -> Self {
        Self {
            schema: schema_url("configure", DEFAULT_SCHEMA_VERSION),
            resources,
            extra: Extra::default(),
        }
    }
}

/// An error of a job or a refusal: its code, message, the resource it is about, and
/// finer details (the schemas' `error` and `inner-error`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigureError {
    /// The resource it is about (its durable id, external id or `resourceName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<ResourceReference>,
    /// `badRequest`, `conflict`, … or, in details, `schemaValidationError`,
    /// `businessValidationError`, …
    pub code: String,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Finer errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<ConfigureError>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ConfigureError {
    /// An error.
    pub fn new(code: &str, message: &str) -> Self {
        Self {
            resource_id: None,
            code: code.to_owned(),
            message: Some(message.to_owned()),
            details: None,
            extra: Extra::default(),
        }
    }

    /// Every message of it and its details, each with the resource it names: one line
    /// each (`plan "gold": alias is required (schemaValidationError)`).
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect(None, &mut out);
        out
    }

    fn collect(&self, parent: Option<&ResourceReference>, out: &mut Vec<String>) {
        let about = self.resource_id.as_ref().or(parent);
        let whom = match about {
            Some(ResourceReference::Id(id)) => format!("{id}: "),
            Some(ResourceReference::ExternalId(e)) => format!("externalId {e}: "),
            Some(ResourceReference::ResourceName(n)) => format!("resource {n}: "),
            _ => String::new(),
        };
        let message = self.message.as_deref().unwrap_or("(no message)");
        out.push(format!("{whom}{message} ({})", self.code));
        for d in self.details.iter().flatten() {
            d.collect(about, out);
        }
    }
}

/// Where a `configure` job stands (`configure-status`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigureStatus {
    /// `…/schema/configure-status/<version>`.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The job's id (the 2023 docs write `jobID`, read too).
    #[serde(alias = "jobID")]
    pub job_id: String,
    /// Where it stands.
    pub job_status: JobStatus,
    /// How it ended.
    pub job_result: JobResult,
    /// When it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_start: Option<String>,
    /// When it ended (`0001-01-01T00:00:00` until then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_end: Option<String>,
    /// The job's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_uri: Option<String>,
    /// Its errors.
    #[serde(default)]
    pub errors: Vec<ConfigureError>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ConfigureStatus {
    /// A job's status (what a service reports).
    pub fn new(job_id: &str, job_status: JobStatus, job_result: JobResult) -> Self {
        Self {
            schema: Some(schema_url("configure-status", DEFAULT_SCHEMA_VERSION)),
            job_id: job_id.to_owned(),
            job_status,
            job_result,
            job_start: None,
            job_end: None,
            resource_uri: None,
            errors: Vec::new(),
            extra: Extra::default(),
        }
    }

    /// Whether it has finished.
    pub fn is_done(&self) -> bool {
        self.job_status == JobStatus::Completed
    }
}

/// What a completed job wrote (`configure-detail`): the resources with their durable ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigureDetail {
    /// `…/schema/configure-detail/<version>`.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The resources.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A product and everything in it, in one state (`resource-tree`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResourceTree {
    /// `…/schema/resource-tree/<version>`.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The product's durable id.
    pub root: String,
    /// Which state.
    pub target: Target,
    /// Its resources.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ResourceTree {
    /// The tree of a product that does not exist yet: no resources.
    pub fn empty() -> Self {
        Self {
            schema: None,
            root: String::new(),
            target: Target::new(TargetType::Draft),
            resources: Vec::new(),
            extra: Extra::default(),
        }
    }
}
