//! The resources of the Product Ingestion API, told apart by the type their `$schema`
//! names (the URL kept as sent, so its version too), and how they refer to each other.

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
