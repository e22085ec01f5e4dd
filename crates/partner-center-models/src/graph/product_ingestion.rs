//! The Product Ingestion API (`https://graph.microsoft.com/rp/product-ingestion`):
//! marketplace offers as resources described by JSON schemas, written with `configure`
//! jobs and read as resource trees. Also exported as [`crate::product_ingestion`].
//!
//! Sources: MicrosoftDocs/azure-docs, articles/marketplace/product-ingestion-api.md (the
//! 2022 and 2023 versions), product-ingestion-api-saas.md,
//! product-ingestion-api-transactable-containers.md, and the resource schemas they name
//! (`https://product-ingestion.azureedge.net/schema/<type>/<version>`, also served from
//! `https://schema.mp.microsoft.com`). A resource is told apart by the type in its
//! `$schema`; the URL is kept as sent, so its version is too.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::Extra;

/// The schema versions this SDK writes by default.
pub const DEFAULT_SCHEMA_VERSION: &str = "2022-03-01-preview2";
/// The schema host the SDK writes.
pub const SCHEMA_BASE: &str = "https://product-ingestion.azureedge.net/schema";

/// The `$schema` URL of a resource type at a version.
pub fn schema_url(kind: &str, version: &str) -> String {
    format!("{SCHEMA_BASE}/{kind}/{version}")
}

/// The type and version a `$schema` URL names (`…/schema/plan/2022-03-01-preview2` →
/// `("plan", "2022-03-01-preview2")`), spaces around it ignored (the docs have some).
pub fn schema_parts(url: &str) -> Option<(&str, &str)> {
    let path = url.trim().split_once("/schema/")?.1;
    let (kind, version) = path.split_once('/')?;
    (!kind.is_empty()).then_some((kind, version.trim_end_matches('/')))
}

open_enum! {
    /// Where a job stands.
    JobStatus {
        /// Queued.
        NotStarted = "notStarted",
        /// Being carried out.
        Running = "running",
        /// Done (see the result).
        Completed = "completed",
    }
}

open_enum! {
    /// How a job ended.
    JobResult {
        /// Not done yet.
        Pending = "pending",
        /// Every resource was written.
        Succeeded = "succeeded",
        /// It failed: see the errors.
        Failed = "failed",
        /// It was cancelled.
        Cancelled = "cancelled",
    }
}

open_enum! {
    /// Which state of a product (`targetType`).
    TargetType {
        /// The draft being edited.
        Draft = "draft",
        /// Published to the preview audience.
        Preview = "preview",
        /// Published to the marketplace.
        Live = "live",
    }
}

/// A reference to another resource: its durable id (`product/<guid>`), its external id
/// (`{"externalId": "…"}`), or, within one configure request, its `resourceName`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResourceReference {
    /// A durable id.
    Id(String),
    /// An external id (the offer or plan id).
    ExternalId(String),
    /// The `resourceName` of a resource in the same request.
    ResourceName(String),
    /// Any other shape, kept as sent.
    Other(Value),
}

impl ResourceReference {
    /// The durable id, when it is one.
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Id(id) => Some(id),
            _ => None,
        }
    }
}

impl Serialize for ResourceReference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Id(id) => s.serialize_str(id),
            Self::ExternalId(v) => serde_json::json!({ "externalId": v }).serialize(s),
            Self::ResourceName(v) => serde_json::json!({ "resourceName": v }).serialize(s),
            Self::Other(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ResourceReference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let one = |key: &str| -> Option<String> {
            let map = value.as_object().filter(|m| m.len() == 1)?;
            let (k, v) = map.iter().next()?;
            (k.eq_ignore_ascii_case(key)).then(|| v.as_str().map(str::to_owned))?
        };
        Ok(match &value {
            Value::String(id) => Self::Id(id.clone()),
            _ => match (one("externalId"), one("resourceName")) {
                (Some(e), _) => Self::ExternalId(e),
                (_, Some(n)) => Self::ResourceName(n),
                _ => Self::Other(value),
            },
        })
    }
}

/// An external identity (`{"externalId": "…"}`; the 2023 docs write `externalID`, read
/// too and written as the schemas spell it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Identity {
    /// The offer or plan id.
    #[serde(alias = "externalID", default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Identity {
    /// The identity of an external id.
    pub fn external(id: &str) -> Self {
        Self {
            external_id: Some(id.to_owned()),
            extra: Extra::default(),
        }
    }
}

/// A publishing target (`{"targetType": "preview"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Target {
    /// Draft, preview or live.
    pub target_type: TargetType,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Target {
    /// A target.
    pub fn new(target_type: TargetType) -> Self {
        Self {
            target_type,
            extra: Extra::default(),
        }
    }
}

/// Declares a resource struct: `$schema`, `id`, `resourceName`, its own fields, the rest
/// kept.
macro_rules! resource {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        pub struct $name {
            /// Its `$schema` URL: type and version, as sent.
            #[serde(rename = "$schema")]
            pub schema: String,
            /// Its durable id (absent when creating it).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub id: Option<String>,
            /// A name other resources of the same request refer to it by.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub resource_name: Option<String>,
            $($(#[$fmeta])* #[serde(default, skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>,)*
            /// Fields not modelled here.
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

resource! {
    /// An offer (`product`).
    Product {
        /// Its offer id.
        identity: Identity,
        /// Its kind (`softwareAsAService`, `azureVirtualMachine`, `azureContainer`, …).
        #[serde(rename = "type")]
        kind: String,
        /// Its name in Partner Center.
        alias: String,
        /// `generallyAvailable`, `deprecated`, `deleted`.
        lifecycle_state: String,
    }
}

resource! {
    /// A plan of an offer (`plan`).
    Plan {
        /// Its product.
        product: ResourceReference,
        /// Its plan id.
        identity: Identity,
        /// Its name.
        alias: String,
        /// Its clouds (`azureGlobal`, …).
        azure_regions: Vec<String>,
        /// `generallyAvailable`, `deprecated`, `deleted`.
        lifecycle_state: String,
    }
}

resource! {
    /// An offer's listing in one language (`listing`).
    Listing {
        /// Its product.
        product: ResourceReference,
        /// `azureSaaS`, `azureVM`, `azureContainer`, …
        kind: String,
        /// The language, `en-us`.
        #[serde(alias = "languageID")]
        language_id: String,
        /// The title.
        title: String,
        /// The description (HTML).
        description: String,
        /// The search result summary.
        search_result_summary: String,
        /// The short description.
        short_description: String,
        /// The privacy policy's URL.
        privacy_policy_link: String,
    }
}

resource! {
    /// A plan's listing in one language (`plan-listing`).
    PlanListing {
        /// Its product.
        product: ResourceReference,
        /// Its plan.
        plan: ResourceReference,
        /// `azureSaaS-plan`, `azureVM-plan`, …
        kind: String,
        /// The language.
        #[serde(alias = "languageID")]
        language_id: String,
        /// The name.
        name: String,
        /// The description.
        description: String,
        /// The summary.
        summary: String,
    }
}

resource! {
    /// An offer's properties (`property`): categories, industries, terms.
    Property {
        /// Its product.
        product: ResourceReference,
        /// `azureSaaS`, `azureVM`, `azureContainer`, …
        kind: String,
        /// `standardMicrosoft` or `custom`.
        terms_conditions: String,
        /// Category → subcategories.
        categories: Value,
    }
}

resource! {
    /// A plan's markets and prices (`price-and-availability-plan`).
    PriceAndAvailabilityPlan {
        /// Its product.
        product: ResourceReference,
        /// Its plan.
        plan: ResourceReference,
        /// `visible` or `hidden`.
        visibility: String,
        /// The markets (`us`, …).
        markets: Vec<String>,
        /// The pricing.
        pricing: Value,
    }
}

resource! {
    /// A publication of an offer (`submission`).
    Submission {
        /// Its product.
        product: ResourceReference,
        /// Where to: preview, or live (with the preview submission's id).
        target: Target,
        /// `notStarted`, `running`, `completed` (read-only).
        status: JobStatus,
        /// `pending`, `succeeded`, `failed` (read-only).
        result: JobResult,
        /// When it was made (read-only).
        created: String,
        /// `generallyAvailable` or `deprecated`.
        lifecycle_state: String,
    }
}

/// A resource of the Product Ingestion API, by the type its `$schema` names; a type this
/// version does not model is kept whole.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Resource {
    /// `product`.
    Product(Product),
    /// `plan`.
    Plan(Plan),
    /// `listing`.
    Listing(Listing),
    /// `plan-listing`.
    PlanListing(PlanListing),
    /// `property`.
    Property(Property),
    /// `price-and-availability-plan`.
    PriceAndAvailabilityPlan(PriceAndAvailabilityPlan),
    /// `submission`.
    Submission(Submission),
    /// Any other type (`reseller`, `customer-leads`, technical configurations, …).
    Other(Extra),
}

impl Resource {
    /// Its `$schema` URL.
    pub fn schema(&self) -> &str {
        match self {
            Self::Product(r) => &r.schema,
            Self::Plan(r) => &r.schema,
            Self::Listing(r) => &r.schema,
            Self::PlanListing(r) => &r.schema,
            Self::Property(r) => &r.schema,
            Self::PriceAndAvailabilityPlan(r) => &r.schema,
            Self::Submission(r) => &r.schema,
            Self::Other(map) => map.get("$schema").and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// The type its `$schema` names (`plan`, `listing`, …).
    pub fn kind(&self) -> &str {
        schema_parts(self.schema()).map_or("", |(kind, _)| kind)
    }

    /// The schema version its `$schema` names.
    pub fn version(&self) -> &str {
        schema_parts(self.schema()).map_or("", |(_, version)| version)
    }

    /// Its durable id, when it has one.
    pub fn id(&self) -> Option<&str> {
        self.common("id", |id, _| id)
    }

    /// Its `resourceName`, when it has one.
    pub fn resource_name(&self) -> Option<&str> {
        self.common("resourceName", |_, name| name)
    }

    /// `id` or `resourceName`, which every resource has.
    fn common<'a>(
        &'a self,
        key: &str,
        pick: impl Fn(Option<&'a str>, Option<&'a str>) -> Option<&'a str>,
    ) -> Option<&'a str> {
        macro_rules! both {
            ($r:expr) => {
                pick($r.id.as_deref(), $r.resource_name.as_deref())
            };
        }
        match self {
            Self::Product(r) => both!(r),
            Self::Plan(r) => both!(r),
            Self::Listing(r) => both!(r),
            Self::PlanListing(r) => both!(r),
            Self::Property(r) => both!(r),
            Self::PriceAndAvailabilityPlan(r) => both!(r),
            Self::Submission(r) => both!(r),
            Self::Other(map) => map.get(key).and_then(Value::as_str),
        }
    }

    /// A top-level field, as JSON.
    pub fn field(&self, name: &str) -> Option<Value> {
        self.to_json().get(name).cloned()
    }

    /// The resource as JSON (an object).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Product(r) => r.serialize(s),
            Self::Plan(r) => r.serialize(s),
            Self::Listing(r) => r.serialize(s),
            Self::PlanListing(r) => r.serialize(s),
            Self::Property(r) => r.serialize(s),
            Self::PriceAndAvailabilityPlan(r) => r.serialize(s),
            Self::Submission(r) => r.serialize(s),
            Self::Other(map) => map.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Resource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = Extra::deserialize(d)?;
        let schema = map
            .get("$schema")
            .and_then(Value::as_str)
            .ok_or_else(|| D::Error::custom("a resource needs its $schema"))?;
        let kind = schema_parts(schema).map_or("", |(kind, _)| kind).to_owned();
        let value = Value::Object(map);
        let typed = |r: Result<Resource, serde_json::Error>| r.map_err(D::Error::custom);
        match kind.as_str() {
            "product" => typed(serde_json::from_value(value).map(Self::Product)),
            "plan" => typed(serde_json::from_value(value).map(Self::Plan)),
            "listing" => typed(serde_json::from_value(value).map(Self::Listing)),
            "plan-listing" => typed(serde_json::from_value(value).map(Self::PlanListing)),
            "property" => typed(serde_json::from_value(value).map(Self::Property)),
            "price-and-availability-plan" => {
                typed(serde_json::from_value(value).map(Self::PriceAndAvailabilityPlan))
            }
            "submission" => typed(serde_json::from_value(value).map(Self::Submission)),
            _ => match value {
                Value::Object(map) => Ok(Self::Other(map)),
                _ => Err(D::Error::custom("a resource is an object")),
            },
        }
    }
}

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
