//! Granular delegated admin privileges (GDAP): the partner's admin relationships with its
//! customers, the requests that lock and end them, the access assignments that give the
//! partner's security groups roles in a customer's tenant, and the long-running
//! operations of their updates. Also exported as [`crate::gdap`].
//!
//! Sources (Microsoft Graph v1.0, microsoft-graph-docs-contrib, api-reference/v1.0/):
//! resources/delegatedadminrelationship.md, delegatedadminaccessdetails.md,
//! unifiedrole.md, delegatedadminrelationshipcustomerparticipant.md,
//! delegatedadminrelationshiprequest.md, delegatedadminaccessassignment.md,
//! delegatedadminaccesscontainer.md, delegatedadminrelationshipoperation.md and
//! delegatedadminrelationships-api-overview.md (the lifecycle and the approval link).

use serde::{Deserialize, Deserializer, Serialize};

use crate::Extra;

open_enum! {
    /// Where a relationship stands (delegatedAdminRelationshipStatus).
    DelegatedAdminRelationshipStatus {
        /// Created by the partner; it may still be changed or deleted.
        Created = "created",
        /// Locked for the customer's approval.
        ApprovalPending = "approvalPending",
        /// Approved by the customer.
        Approved = "approved",
        /// Being provisioned.
        Activating = "activating",
        /// In force.
        Active = "active",
        /// Past its end.
        Expiring = "expiring",
        /// Ended at its end date.
        Expired = "expired",
        /// Termination asked for.
        TerminationRequested = "terminationRequested",
        /// Being ended.
        Terminating = "terminating",
        /// Ended.
        Terminated = "terminated",
        /// Graph's sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// What a request does to a relationship (delegatedAdminRelationshipRequestAction).
    DelegatedAdminRelationshipRequestAction {
        /// Finalise a created relationship and send it for approval.
        LockForApproval = "lockForApproval",
        /// Approve (an indirect reseller).
        Approve = "approve",
        /// End an active relationship.
        Terminate = "terminate",
        /// Reject (an indirect reseller).
        Reject = "reject",
        /// Graph's sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// Where a request stands (delegatedAdminRelationshipRequestStatus).
    DelegatedAdminRelationshipRequestStatus {
        /// Received.
        Created = "created",
        /// Being carried out.
        Pending = "pending",
        /// Done.
        Succeeded = "succeeded",
        /// Failed.
        Failed = "failed",
        /// Graph's sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// Where an access assignment stands (delegatedAdminAccessAssignmentStatus).
    DelegatedAdminAccessAssignmentStatus {
        /// Being provisioned.
        Pending = "pending",
        /// In force.
        Active = "active",
        /// Being removed.
        Deleting = "deleting",
        /// Removed.
        Deleted = "deleted",
        /// Failed.
        Error = "error",
        /// Graph's sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// What kind of group an access container is.
    DelegatedAdminAccessContainerType {
        /// A security group of the partner's tenant.
        SecurityGroup = "securityGroup",
        /// Graph's sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// What a long-running operation does (delegatedAdminRelationshipOperationType).
    DelegatedAdminRelationshipOperationType {
        /// An access assignment's update.
        DelegatedAdminAccessAssignmentUpdate = "delegatedAdminAccessAssignmentUpdate",
        /// Graph's sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// Where a long-running operation stands (longRunningOperationStatus).
    LongRunningOperationStatus {
        /// Not started.
        NotStarted = "notStarted",
        /// Running.
        Running = "running",
        /// Done.
        Succeeded = "succeeded",
        /// Failed.
        Failed = "failed",
        /// Graph's sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// A date field that may be absent, `null` or a value: `None`, `Some(None)`,
/// `Some(Some(text))` (the docs' samples send all three).
fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A role asked for or given (unifiedRole): an Entra ID built-in role's template id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UnifiedRole {
    /// The role definition (template) id.
    pub role_definition_id: String,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The roles of a relationship or an assignment (delegatedAdminAccessDetails).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedAdminAccessDetails {
    /// The roles.
    #[serde(default)]
    pub unified_roles: Vec<UnifiedRole>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DelegatedAdminAccessDetails {
    /// The details of these role template ids.
    pub fn roles<S: AsRef<str>>(ids: &[S]) -> Self {
        Self {
            unified_roles: ids
                .iter()
                .map(|id| UnifiedRole {
                    role_definition_id: id.as_ref().to_owned(),
                    extra: Extra::default(),
                })
                .collect(),
            extra: Extra::default(),
        }
    }

    /// The role template ids.
    pub fn role_ids(&self) -> Vec<&str> {
        self.unified_roles
            .iter()
            .map(|r| r.role_definition_id.as_str())
            .collect()
    }
}

/// The customer of a relationship (delegatedAdminRelationshipCustomerParticipant).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedAdminRelationshipCustomerParticipant {
    /// The customer's tenant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Its name in Entra ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A GDAP relationship between the partner and a customer
/// (delegatedAdminRelationship; a resellerDelegatedAdminRelationship's extra fields are
/// kept in `extra`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedAdminRelationship {
    /// Its etag, for `If-Match` on updates and deletes.
    #[serde(
        rename = "@odata.etag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub etag: Option<String>,
    /// Its id (two GUIDs joined by `-`); empty in a request to create one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its name, unique among the partner's relationships (50 characters at most).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// How long it lasts once active, ISO 8601 (`P730D`; `P1D` to `P2Y`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// The customer; without one, any customer may approve it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<DelegatedAdminRelationshipCustomerParticipant>,
    /// The roles asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_details: Option<DelegatedAdminAccessDetails>,
    /// Where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DelegatedAdminRelationshipStatus>,
    /// How long it extends itself at its end (`PT0S`: never; `P180D`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_extend_duration: Option<String>,
    /// When it was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<String>,
    /// When it became active (`null` or `""` before).
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub activated_date_time: Option<Option<String>>,
    /// When it ends or ended.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date_time: Option<Option<String>>,
    /// Fields not modelled here (`@odata.type`, `@odata.context`, a reseller
    /// relationship's own fields).
    #[serde(flatten)]
    pub extra: Extra,
}

impl DelegatedAdminRelationship {
    /// A relationship to create: its name, duration (`P730D`) and role template ids.
    pub fn new<S: AsRef<str>>(display_name: &str, duration: &str, roles: &[S]) -> Self {
        Self {
            display_name: Some(display_name.to_owned()),
            duration: Some(duration.to_owned()),
            access_details: Some(DelegatedAdminAccessDetails::roles(roles)),
            ..Self::default()
        }
    }

    /// For this customer's tenant only.
    #[must_use]
    pub fn for_customer(mut self, tenant_id: &str) -> Self {
        self.customer = Some(DelegatedAdminRelationshipCustomerParticipant {
            tenant_id: Some(tenant_id.to_owned()),
            ..DelegatedAdminRelationshipCustomerParticipant::default()
        });
        self
    }

    /// When it became active, when it has.
    pub fn activated(&self) -> Option<&str> {
        self.activated_date_time
            .as_ref()?
            .as_deref()
            .filter(|d| !d.is_empty())
    }

    /// The link the customer's Global Administrator opens to approve it, in the Microsoft
    /// 365 admin center (delegatedadminrelationships-api-overview.md; the page names the
    /// relationship's id there).
    pub fn approval_link(&self) -> String {
        format!(
            "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/{}",
            self.id
        )
    }
}

/// A request on a relationship: lock it for approval, or end it
/// (delegatedAdminRelationshipRequest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedAdminRelationshipRequest {
    /// Its etag.
    #[serde(
        rename = "@odata.etag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub etag: Option<String>,
    /// Its id; empty in a request to create one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// What it does.
    pub action: DelegatedAdminRelationshipRequestAction,
    /// Where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DelegatedAdminRelationshipRequestStatus>,
    /// When it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DelegatedAdminRelationshipRequest {
    /// A request to make.
    pub fn new(action: DelegatedAdminRelationshipRequestAction) -> Self {
        Self {
            etag: None,
            id: String::new(),
            action,
            status: None,
            created_date_time: None,
            last_modified_date_time: None,
            extra: Extra::default(),
        }
    }
}

/// A group of the partner's tenant (delegatedAdminAccessContainer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedAdminAccessContainer {
    /// The group's object id.
    pub access_container_id: String,
    /// Its kind.
    pub access_container_type: DelegatedAdminAccessContainerType,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DelegatedAdminAccessContainer {
    /// A security group of the partner's tenant.
    pub fn security_group(id: &str) -> Self {
        Self {
            access_container_id: id.to_owned(),
            access_container_type: DelegatedAdminAccessContainerType::SecurityGroup,
            extra: Extra::default(),
        }
    }
}

/// Roles given to a security group of the partner in the customer's tenant
/// (delegatedAdminAccessAssignment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedAdminAccessAssignment {
    /// Its etag, for `If-Match` on updates and deletes.
    #[serde(
        rename = "@odata.etag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub etag: Option<String>,
    /// Its id; empty in a request to create one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DelegatedAdminAccessAssignmentStatus>,
    /// When it was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<String>,
    /// The group.
    pub access_container: DelegatedAdminAccessContainer,
    /// The roles.
    pub access_details: DelegatedAdminAccessDetails,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DelegatedAdminAccessAssignment {
    /// An assignment to create: a security group and role template ids.
    pub fn new<S: AsRef<str>>(security_group: &str, roles: &[S]) -> Self {
        Self {
            etag: None,
            id: String::new(),
            status: None,
            created_date_time: None,
            last_modified_date_time: None,
            access_container: DelegatedAdminAccessContainer::security_group(security_group),
            access_details: DelegatedAdminAccessDetails::roles(roles),
            extra: Extra::default(),
        }
    }
}

/// A long-running operation on a relationship (delegatedAdminRelationshipOperation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DelegatedAdminRelationshipOperation {
    /// Its etag.
    #[serde(
        rename = "@odata.etag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub etag: Option<String>,
    /// Its id.
    pub id: String,
    /// What it does.
    pub operation_type: DelegatedAdminRelationshipOperationType,
    /// Its payload: the access assignment, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Where it stands.
    pub status: LongRunningOperationStatus,
    /// When it was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DelegatedAdminRelationshipOperation {
    /// An operation (what a service reports).
    pub fn new(
        id: &str,
        operation_type: DelegatedAdminRelationshipOperationType,
        status: LongRunningOperationStatus,
    ) -> Self {
        Self {
            etag: None,
            id: id.to_owned(),
            operation_type,
            data: None,
            status,
            created_date_time: None,
            last_modified_date_time: None,
            extra: Extra::default(),
        }
    }
}
