//! The partner's audit trail: who changed what, when, in which customer.
//!
//! Sources (the Partner Center REST docs, developer/): auditing-resources.md (AuditRecord,
//! its resource and operation types and statuses) and
//! get-a-record-of-partner-center-activity-by-user.md (the query: `startDate`,
//! `endDate`, and one JSON `filter` on `CompanyName`, `CustomerId` or `ResourceType`;
//! records kept 90 days). Both App-only and App+User tokens may read it.

use serde::{Deserialize, Serialize};

use crate::{Extra, ResourceAttributes};

open_enum! {
    /// The kind of resource an audited operation acted on (auditing-resources.md,
    /// ResourceType).
    AuditResourceType {
        /// `undefined` (the older page's first value).
        Undefined = "undefined",
        /// A customer.
        Customer = "customer",
        /// A user of a customer.
        CustomerUser = "customer_user",
        /// An order.
        Order = "order",
        /// A subscription.
        Subscription = "subscription",
        /// A user's licences.
        License = "license",
        /// A third-party add-on.
        ThirdPartyAddOn = "third_party_add_on",
        /// An MPN association.
        MpnAssociation = "mpn_association",
        /// A transfer.
        Transfer = "transfer",
        /// An application.
        Application = "application",
        /// An application credential.
        ApplicationCredential = "application_credential",
        /// A user of the partner.
        PartnerUser = "partner_user",
        /// A partner relationship.
        PartnerRelationship = "partner_relationship",
        /// Delegated admin privileges.
        PartnerCustomerDap = "partner_customer_dap",
        /// A directory role of a customer.
        CustomerDirectoryRole = "customer_directory_role",
        /// A referral.
        Referral = "referral",
        /// A software key.
        SoftwareKey = "software_key",
        /// A software download link.
        SoftwareDownloadLink = "software_download_link",
        /// A spending limit.
        SpendingLimit = "spending_limit",
        /// An invoice.
        Invoice = "invoice",
        /// An agreement.
        Agreement = "agreement",
        /// The partner–customer relationship.
        PartnerCustomerRelationship = "partner_customer_relationship",
        /// A self-serve policy.
        SelfServePolicy = "self_serve_policy",
        /// A GDAP relationship.
        GranularAdminRelationship = "granular_admin_relationship",
        /// A GDAP access assignment.
        GranularAdminAccessAssignment = "granular_admin_access_assignment",
        /// A credit.
        Credit = "credit",
        /// A software page.
        SoftwarePage = "software_page",
        /// A device.
        Device = "device",
        /// A policy.
        Policy = "policy",
    }
}

open_enum! {
    /// What an audited operation did (auditing-resources.md, OperationType: the values a
    /// partner's own calls produce are named here; the others are kept as sent).
    AuditOperationType {
        /// `add_customer`.
        AddCustomer = "add_customer",
        /// `delete_customer` (integration sandbox only).
        DeleteCustomer = "delete_customer",
        /// `update_customer_billing_profile`.
        UpdateCustomerBillingProfile = "update_customer_billing_profile",
        /// `remove_partner_customer_relationship`.
        RemovePartnerCustomerRelationship = "remove_partner_customer_relationship",
        /// `create_order`.
        CreateOrder = "create_order",
        /// `update_order`.
        UpdateOrder = "update_order",
        /// `update_subscription`.
        UpdateSubscription = "update_subscription",
        /// `upgrade_subscription`.
        UpgradeSubscription = "upgrade_subscription",
        /// `convert_trial_subscription`.
        ConvertTrialSubscription = "convert_trial_subscription",
        /// `create_customer_user`.
        CreateCustomerUser = "create_customer_user",
        /// `delete_customer_user`.
        DeleteCustomerUser = "delete_customer_user",
        /// `update_customer_user`.
        UpdateCustomerUser = "update_customer_user",
        /// `update_customer_user_licenses`.
        UpdateCustomerUserLicenses = "update_customer_user_licenses",
        /// `reset_customer_user_password`.
        ResetCustomerUserPassword = "reset_customer_user_password",
        /// `update_customer_user_principal_name`.
        UpdateCustomerUserPrincipalName = "update_customer_user_principal_name",
        /// `restore_customer_user`.
        RestoreCustomerUser = "restore_customer_user",
        /// `add_user_member` (to a directory role).
        AddUserMember = "add_user_member",
        /// `remove_user_member` (from a directory role).
        RemoveUserMember = "remove_user_member",
        /// `create_agreement`.
        CreateAgreement = "create_agreement",
        /// `create_transfer`.
        CreateTransfer = "create_transfer",
        /// `update_transfer`.
        UpdateTransfer = "update_transfer",
        /// `granular_admin_relationship_approved`.
        GranularAdminRelationshipApproved = "granular_admin_relationship_approved",
        /// `granular_admin_relationship_activated`.
        GranularAdminRelationshipActivated = "granular_admin_relationship_activated",
        /// `granular_admin_relationship_termination_requested`.
        GranularAdminRelationshipTerminationRequested = "granular_admin_relationship_termination_requested",
        /// `granular_admin_relationship_terminated`.
        GranularAdminRelationshipTerminated = "granular_admin_relationship_terminated",
        /// `granular_admin_relationship_expired`.
        GranularAdminRelationshipExpired = "granular_admin_relationship_expired",
        /// `granular_admin_access_assignment_created`.
        GranularAdminAccessAssignmentCreated = "granular_admin_access_assignment_created",
        /// `granular_admin_access_assignment_updated`.
        GranularAdminAccessAssignmentUpdated = "granular_admin_access_assignment_updated",
        /// `granular_admin_access_assignment_deleted`.
        GranularAdminAccessAssignmentDeleted = "granular_admin_access_assignment_deleted",
        /// `granular_admin_access_assignment_activated`.
        GranularAdminAccessAssignmentActivated = "granular_admin_access_assignment_activated",
    }
}

open_enum! {
    /// How an audited operation ended.
    AuditOperationStatus {
        /// It succeeded.
        Succeeded = "succeeded",
        /// It failed.
        Failed = "failed",
        /// It is still in progress.
        Progress = "progress",
    }
}

/// One entry of the audit trail (auditing-resources.md, AuditRecord).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuditRecord {
    /// The partner (in the docs' sample, not in its table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// The customer acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The customer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// Who did it (an App+User caller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    /// The application that did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// The kind of resource acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<AuditResourceType>,
    /// The resource before, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_old_value: Option<String>,
    /// The resource after, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_new_value: Option<String>,
    /// What was done.
    pub operation_type: AuditOperationType,
    /// When (UTC, RFC 3339).
    pub operation_date: String,
    /// How it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_status: Option<AuditOperationStatus>,
    /// Details that depend on the operation (`OrderId`, `CustomerUserId`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customized_data: Option<Vec<AuditData>>,
    /// `objectType: AuditRecord`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AuditRecord {
    /// A record of `operation` at `date` (RFC 3339), the other fields unset.
    pub fn new(operation: AuditOperationType, date: impl Into<String>) -> Self {
        Self {
            partner_id: None,
            customer_id: None,
            customer_name: None,
            user_principal_name: None,
            application_id: None,
            resource_type: None,
            resource_old_value: None,
            resource_new_value: None,
            operation_type: operation,
            operation_date: date.into(),
            operation_status: None,
            customized_data: None,
            attributes: Some(ResourceAttributes::object("AuditRecord")),
            extra: Extra::default(),
        }
    }

    /// The value of a `customizedData` key (`"OrderId"`, …), when it has one.
    pub fn data(&self, key: &str) -> Option<&str> {
        self.customized_data
            .as_deref()?
            .iter()
            .find(|d| d.key.eq_ignore_ascii_case(key))?
            .value
            .as_deref()
    }
}

/// A `{key, value}` detail of an audit record; the value may be `null`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuditData {
    /// The detail's name.
    pub key: String,
    /// Its value.
    pub value: Option<String>,
}

impl AuditData {
    /// A detail.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: Some(value.into()),
        }
    }
}

/// The one filter an audit query may carry
/// (get-a-record-of-partner-center-activity-by-user.md): serialised as the
/// `{"Field", "Value", "Operator"}` JSON the `filter` parameter takes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditFilter {
    /// Records of customers whose name contains this text (case ignored).
    CompanyName(String),
    /// Records of one customer.
    CustomerId(String),
    /// Records of one kind of resource.
    ResourceType(AuditResourceType),
}

impl AuditFilter {
    /// The filter's JSON, before URL encoding.
    pub fn to_json(&self) -> String {
        let (field, value, operator) = match self {
            Self::CompanyName(v) => ("CompanyName", v.as_str(), "substring"),
            Self::CustomerId(v) => ("CustomerId", v.as_str(), "equals"),
            Self::ResourceType(v) => ("ResourceType", v.as_str(), "equals"),
        };
        // In the docs' order (a `json!` map would sort the keys).
        let quoted = |s: &str| serde_json::Value::from(s).to_string();
        format!(
            "{{\"Field\":{},\"Value\":{},\"Operator\":{}}}",
            quoted(field),
            quoted(value),
            quoted(operator)
        )
    }

    /// Reads a filter's JSON (field names and operators in any case), as the service
    /// does; `None` when it is not one of the three documented filters.
    pub fn from_json(json: &str) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        let get = |name: &str| {
            value
                .as_object()?
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.as_str())
        };
        let (field, text, operator) = (get("Field")?, get("Value")?, get("Operator")?);
        let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        match field {
            f if is(f, "CompanyName") && is(operator, "substring") => {
                Some(Self::CompanyName(text.to_owned()))
            }
            f if is(f, "CustomerId") && is(operator, "equals") => {
                Some(Self::CustomerId(text.to_owned()))
            }
            f if is(f, "ResourceType") && is(operator, "equals") => Some(Self::ResourceType(
                text.parse()
                    .unwrap_or_else(|never: std::convert::Infallible| match never {}),
            )),
            _ => None,
        }
    }
}
