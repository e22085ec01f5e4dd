//! Products, their setup and branches, and the entities a product's modules hold.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::Extra;

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
        serialize_with = "crate::on_the_wire"
    )]
    pub connection_string: Option<SecretString>,
    /// Dynamics CRM: the password (a secret).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::on_the_wire"
    )]
    pub password: Option<SecretString>,
    /// Dynamics CRM: the application key (a secret).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::on_the_wire"
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
