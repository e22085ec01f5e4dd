//! A customer's user accounts: `/customers/{id}/users`.
//!
//! Sources (the Partner Center REST docs, developer/): user-resources.md (CustomerUser),
//! utility-resources.md (PasswordProfile), and the samples of
//! create-user-accounts-for-a-customer.md, get-a-list-of-all-user-accounts-for-a-customer.md,
//! get-a-user-account-by-id.md, update-user-accounts-for-a-customer.md,
//! reset-user-password-for-a-customer.md, restore-a-user-for-a-customer.md and
//! view-a-deleted-user.md. Every one of them is App+User only.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::{Extra, Links, ResourceAttributes};

open_enum! {
    /// A user's state: deleted users are `inactive` for 30 days, then purged.
    UserState {
        /// In use.
        Active = "active",
        /// Deleted, restorable until 30 days after `softDeletionTime`.
        Inactive = "inactive",
    }
}

open_enum! {
    /// The user's domain type.
    UserDomainType {
        /// Neither managed nor federated.
        None = "none",
        /// A managed domain.
        Managed = "managed",
        /// A federated domain (users cannot be created in one).
        Federated = "federated",
    }
}

/// A password, and whether it must be changed at the next sign-in.
///
/// The password goes to the API when a user is created or reset, and comes back once in
/// the answer: it is a `SecretString` (`Debug` is redacted), written out as-is only
/// because the API must receive it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PasswordProfile {
    /// The password.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::on_the_wire"
    )]
    pub password: Option<SecretString>,
    /// Whether the user must change it at the next sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_change_password: Option<bool>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl PasswordProfile {
    /// A password the user must change at the next sign-in.
    pub fn new(password: SecretString) -> Self {
        Self {
            password: Some(password),
            force_change_password: Some(true),
            extra: Extra::new(),
        }
    }
}

impl PartialEq for PasswordProfile {
    fn eq(&self, other: &Self) -> bool {
        self.force_change_password == other.force_change_password
            && self.password.is_some() == other.password.is_some()
            && self.extra == other.extra
    }
}

/// A customer's user, by its short name: [`CustomerUser`] (user-resources.md's name).
pub type User = CustomerUser;

/// A user account of a customer (user-resources.md, CustomerUser).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomerUser {
    /// The user's id (empty in a create request).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The user principal name, `name@domain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Where the user will use licences: a two-letter country code (required to assign
    /// one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<String>,
    /// The immutable id (directory synchronisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable_id: Option<String>,
    /// The password profile: sent on create and reset, and echoed once in their answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_profile: Option<PasswordProfile>,
    /// The phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// When the directory last synchronised the user (null without Azure AD Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_directory_sync_time: Option<String>,
    /// The domain type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_domain_type: Option<UserDomainType>,
    /// Active, or inactive (deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<UserState>,
    /// When a deleted user's 30 days began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_deletion_time: Option<String>,
    /// Links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// `objectType: CustomerUser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CustomerUser {
    /// A new user to create: its principal name, names and usage location, and a
    /// password to change at the first sign-in.
    pub fn new(
        user_principal_name: &str,
        first_name: &str,
        last_name: &str,
        usage_location: &str,
        password: SecretString,
    ) -> Self {
        Self {
            user_principal_name: Some(user_principal_name.to_owned()),
            first_name: Some(first_name.to_owned()),
            last_name: Some(last_name.to_owned()),
            display_name: Some(format!("{first_name} {last_name}")),
            usage_location: Some(usage_location.to_owned()),
            password_profile: Some(PasswordProfile::new(password)),
            attributes: Some(ResourceAttributes::object("CustomerUser")),
            ..Self::default()
        }
    }
}
