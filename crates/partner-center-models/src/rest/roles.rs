//! A customer's directory roles and their members.
//!
//! Sources (the Partner Center REST docs, developer/): get-user-roles-for-a-customer.md
//! (a user's roles, the customer's roles, a role's members), set-user-roles-for-a-customer.md
//! (add a member: 201 with the member and its `roleId`),
//! remove-customer-user-from-a-role.md (204) and user-resources.md (UserMember). No page
//! defines DirectoryRole: its fields are the sample's. Every one is App+User only.

use serde::{Deserialize, Serialize};

use crate::{CustomerUser, Extra, ResourceAttributes};

/// A directory role of a customer's tenant (`Helpdesk Administrator`, …).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DirectoryRole {
    /// The role's id.
    pub id: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `objectType: DirectoryRole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A user as a member of a role (user-resources.md, UserMember).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserMember {
    /// The user's id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The user's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The user principal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    /// The role (in answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    /// `objectType: UserMember`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserMember {
    /// The member a user makes, to add to a role.
    pub fn of(user: &CustomerUser) -> Self {
        Self {
            id: user.id.clone(),
            display_name: user.display_name.clone(),
            user_principal_name: user.user_principal_name.clone(),
            attributes: Some(ResourceAttributes::object("UserMember")),
            ..Self::default()
        }
    }
}
