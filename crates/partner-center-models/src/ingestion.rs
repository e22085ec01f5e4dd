//! The submission (ingestion) API (`https://api.partner.microsoft.com/v1.0/ingestion`).
//!
//! Source of truth: the API's OpenAPI description (shared/specs). Entities carry
//! `resourceType`, `id` and `@odata.etag`; collections are `{value, @odata.nextLink}`.
//! Polymorphic families (variants, package configurations, lead configurations, …) are
//! enums on `resourceType` that keep unknown types. Every struct keeps unknown fields.
//! Property names are matched as the service sends them; the service itself treats them
//! case-insensitively (its own examples write `ID` for `id`).

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};

use crate::Extra;

/// A page: `{"value": [...], "@odata.nextLink": "..."}` (some clients see `nextLink`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ODataCollection<T> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The next page, relative to the request or absolute (with `$skipToken`).
    #[serde(
        rename = "@odata.nextLink",
        alias = "nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> ODataCollection<T> {
    /// A page of `value`.
    pub fn new(value: Vec<T>, next_link: Option<String>) -> Self {
        Self {
            value,
            next_link,
            extra: Extra::new(),
        }
    }
}

/// `{type, value}`, used for external ids, targets and resources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TypeValuePair {
    /// The type, e.g. `AzureOfferId`, `Scope`, `Listing`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The value.
    #[serde(default)]
    pub value: String,
}

impl TypeValuePair {
    /// A pair.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            value: value.into(),
        }
    }
}

open_enum! {
    /// What kind of product.
    ProductType {
        /// Azure Application.
        AzureApplication = "AzureApplication",
        /// Azure developer service.
        AzureDeveloperService = "AzureDeveloperService",
        /// Azure virtual machine.
        AzureThirdPartyVirtualMachine = "AzureThirdPartyVirtualMachine",
        /// Azure container.
        AzureContainer = "AzureContainer",
        /// Visual Studio extension.
        AzureVisualStudioExtension = "AzureVisualStudioExtension",
        /// Dynamics 365 for Customer Engagement.
        AzureDynamics365ForCustomerEngagement = "AzureDynamics365ForCustomerEngagement",
        /// Dynamics 365 for Operations.
        AzureDynamics365ForOperations = "AzureDynamics365ForOperations",
        /// Dynamics 365 Business Central.
        AzureDynamics365BusinessCentral = "AzureDynamics365BusinessCentral",
    }
}

/// A product (offer).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Product {
    /// The product type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<ProductType>,
    /// The product id (a GUID).
    #[serde(default, alias = "ID")]
    pub id: String,
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// External ids, e.g. `{type: "AzureOfferId", value: "contoso-app"}`.
    #[serde(
        rename = "externalIDs",
        alias = "externalIds",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub external_ids: Vec<TypeValuePair>,
    /// Whether modular publishing is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_modular_publishing: Option<bool>,
    /// The entity tag, for `If-Match`.
    #[serde(
        rename = "@odata.etag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub etag: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The product's setup (selling options, test drive).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the API's own (AzureProductSetup)
pub struct ProductSetup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selling_option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_to_action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_test_drive: Option<bool>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// A branch's module.
    Module {
        /// Listings.
        Listing = "Listing",
        /// Properties.
        Property = "Property",
        /// Packages.
        Package = "Package",
        /// Availabilities.
        Availability = "Availability",
        /// Supplemental content.
        SupplementalContent = "SupplementalContent",
        /// Co-sell.
        Cosell = "Cosell",
    }
}

open_enum! {
    /// Main (the product) or private (a variant/plan).
    BranchType {
        /// The product's main branch.
        Main = "Main",
        /// A variant's branch.
        Private = "Private",
    }
}

/// A branch: where a module's current draft instance lives.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Branch {
    /// The id.
    #[serde(default, alias = "ID")]
    pub id: String,
    /// A friendly name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// Main or private.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub branch_type: Option<BranchType>,
    /// The module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<Module>,
    /// The draft instance to read and update before submitting.
    #[serde(
        rename = "currentDraftInstanceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_draft_instance_id: Option<String>,
    /// The variant (plan) of a private branch.
    #[serde(rename = "variantID", default, skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<String>,
    /// Fields not modelled here (including `resourceType`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The fields every entity carries besides `resourceType`: `id` and `@odata.etag`.
macro_rules! entity {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        pub struct $name {
            /// The id.
            #[serde(default, alias = "ID", skip_serializing_if = "String::is_empty")]
            pub id: String,
            /// The entity tag, sent back in `If-Match` on updates.
            #[serde(rename = "@odata.etag", default, skip_serializing_if = "Option::is_none")]
            pub etag: Option<String>,
            $($(#[$fmeta])* #[serde(default, skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>,)*
            /// Fields not modelled here.
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

entity! {
    /// A listing (one language's store text).
    Listing {
        /// Language, e.g. `en-us`.
        language_code: String,
        /// Title.
        title: String,
        /// Description.
        description: String,
        /// Short description.
        short_description: String,
        /// Publisher name.
        publisher_name: String,
        /// Summary.
        summary: String,
        /// Keywords.
        keywords: Vec<String>,
    }
}

entity! {
    /// A listing asset (a document).
    ListingAsset {
        /// File name.
        file_name: String,
        /// Upload URL.
        file_sas_uri: String,
        /// State (`PendingUpload`, `Uploaded`, `Processed`, …).
        state: String,
        /// Description.
        description: String,
    }
}

entity! {
    /// A listing image.
    ListingImage {
        /// File name.
        file_name: String,
        /// Upload URL.
        file_sas_uri: String,
        /// State.
        state: String,
        /// Image type (`AzureLogoSmall`, …).
        #[serde(rename = "type")]
        image_type: String,
        /// Display order.
        order: i64,
    }
}

entity! {
    /// A listing video.
    ListingVideo {
        /// File name.
        file_name: String,
        /// Upload URL.
        file_sas_uri: String,
        /// Streaming URL.
        streaming_uri: String,
        /// State.
        state: String,
    }
}

entity! {
    /// Properties (categories, industries, terms).
    Property {
        /// Categories.
        categories: Vec<String>,
        /// Industries.
        industries: Vec<String>,
        /// Terms of use.
        terms_of_use: String,
        /// Whether the standard contract is used.
        use_enterprise_contract: bool,
    }
}

entity! {
    /// A package (an uploaded technical asset).
    Package {
        /// State.
        state: String,
        /// File name.
        file_name: String,
        /// Upload URL.
        file_sas_uri: String,
        /// Whether certified.
        is_certified: bool,
    }
}

entity! {
    /// Who can see the product.
    ProductAvailability {
        /// `Public`, `Private`, …
        visibility: String,
        /// Enterprise licensing.
        enterprise_licensing: String,
    }
}

entity! {
    /// Markets, prices and trials of a product or plan.
    FeatureAvailability {
        /// Visibility.
        visibility: String,
        /// Whether hidden.
        is_hidden: bool,
    }
}

entity! {
    /// An Azure plan (SKU variant).
    AzureSkuVariant {
        /// State (`Active`, …).
        state: String,
        /// The friendly name (the service's examples also spell it `friedlyName`).
        friendly_name: String,
        /// The plan id.
        #[serde(rename = "externalID")]
        external_id: String,
        /// Lead generation id.
        #[serde(rename = "leadGenID")]
        lead_gen_id: String,
        /// Extended properties.
        extended_properties: Vec<TypeValuePair>,
    }
}

entity! {
    /// A test-drive variant.
    AzureTestDriveVariant {
        /// State.
        state: String,
        /// Test drive type.
        test_drive_type: String,
        /// Extended properties.
        extended_properties: Vec<TypeValuePair>,
    }
}

polymorphic! {
    /// A variant (plan).
    Variant {
        /// An Azure plan.
        AzureSku(AzureSkuVariant) = "AzureSkuVariant",
        /// A test drive.
        AzureTestDrive(AzureTestDriveVariant) = "AzureTestDriveVariant",
    }
}

entity! {
    /// A package configuration; the typed fields are the common ones, the rest is in `extra`.
    PackageConfigurationFields {
        /// Version.
        version: String,
        /// Package type.
        package_type: String,
    }
}

polymorphic! {
    /// A package configuration, by product type.
    PackageConfiguration {
        /// Dynamics 365 Business Central.
        Dynamics365BusinessCentral(PackageConfigurationFields) = "Dynamics365BusinessCentralPackageConfiguration",
        /// Dynamics 365 Customer Engagement.
        Dynamics365CustomerEngagement(PackageConfigurationFields) = "Dynamics365CustomerEngagementPackageConfiguration",
        /// Dynamics 365 Operations.
        Dynamics365Operations(PackageConfigurationFields) = "Dynamics365OperationsPackageConfiguration",
        /// Azure Application.
        AzureApplication(PackageConfigurationFields) = "AzureApplicationPackageConfiguration",
        /// Azure Managed Application.
        AzureManagedApplication(PackageConfigurationFields) = "AzureManagedApplicationPackageConfiguration",
        /// Azure Solution Template.
        AzureSolutionTemplate(PackageConfigurationFields) = "AzureSolutionTemplatePackageConfiguration",
        /// Azure Resource Manager test drive.
        AzureResourceManagerTestDrive(PackageConfigurationFields) = "AzureResourceManagerTestDrivePackageConfiguration",
        /// Dynamics 365 Business Central test drive.
        Dynamics365BusinessCentralTestDrive(PackageConfigurationFields) = "Dynamics365BusinessCentralTestDrivePackageConfiguration",
        /// Dynamics 365 Customer Engagement test drive.
        Dynamics365CustomerEngagementTestDrive(PackageConfigurationFields) = "Dynamics365CustomerEngagementTestDrivePackageConfiguration",
        /// Dynamics 365 Operations test drive.
        Dynamics365OperationsTestDrive(PackageConfigurationFields) = "Dynamics365OperationsTestDrivePackageConfiguration",
    }
}

/// Writes a secret out as-is: lead configurations are sent to the API to configure where
/// leads go, so their credentials must reach it. `Debug` stays redacted.
#[allow(clippy::disallowed_methods, clippy::ref_option)] // reason: the opt-in that sends a lead destination's credential to the API
fn secret_on_the_wire<S: Serializer>(
    value: &Option<SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    match value {
        Some(v) => s.serialize_str(v.expose_secret()),
        None => s.serialize_none(),
    }
}

/// The fields every lead configuration has, plus the destination's settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LeadConfigurationFields {
    /// Who gets the daily digest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily_digest_email_contacts: Vec<String>,
    /// Contact email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Azure Table/Blob: the storage connection string (a secret).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "secret_on_the_wire"
    )]
    pub connection_string: Option<SecretString>,
    /// Dynamics CRM: the password (a secret).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "secret_on_the_wire"
    )]
    pub password: Option<SecretString>,
    /// Dynamics CRM: the application key (a secret).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "secret_on_the_wire"
    )]
    pub application_key: Option<SecretString>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

polymorphic! {
    /// Where the marketplace sends leads.
    LeadConfiguration {
        /// Azure Blob storage.
        AzureBlob(LeadConfigurationFields) = "AzureBlobLeadConfiguration",
        /// Azure Table storage.
        AzureTable(LeadConfigurationFields) = "AzureTableLeadConfiguration",
        /// Dynamics 365 CRM.
        DynamicsCrm(LeadConfigurationFields) = "DynamicsCustomerRelationshipManagementLeadConfiguration",
        /// An HTTPS endpoint.
        HttpsEndpoint(LeadConfigurationFields) = "HttpsEndpointLeadConfiguration",
        /// Marketo.
        Marketo(LeadConfigurationFields) = "MarketoLeadConfiguration",
        /// Salesforce.
        SalesForce(LeadConfigurationFields) = "SalesForceLeadConfiguration",
    }
}

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
