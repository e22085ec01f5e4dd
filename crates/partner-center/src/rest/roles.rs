//! A customer's directory roles and their members (App+User only).

use partner_center_models::{CustomerUser, DirectoryRole, UserMember};
use partner_center_transport::{Error, Paged};

use crate::{CustomerHandle, PartnerCenter, seg};

impl CustomerHandle {
    /// Its directory roles.
    pub fn roles(&self) -> Roles {
        Roles {
            pc: self.pc.clone(),
            base: self.path(""),
        }
    }
}

/// A customer's directory roles.
#[derive(Debug, Clone)]
pub struct Roles {
    pc: PartnerCenter,
    base: String,
}

impl Roles {
    fn members_path(&self, role: &str) -> String {
        format!("{}/directoryroles/{}/usermembers", self.base, seg(role))
    }

    /// The customer's directory roles.
    pub fn list(&self) -> Paged<DirectoryRole> {
        self.pc
            .rest_api()
            .list(&format!("{}/directoryroles", self.base))
    }

    /// The roles of a user.
    pub fn of_user(&self, user: &str) -> Paged<DirectoryRole> {
        let path = format!("{}/users/{}/directoryroles", self.base, seg(user));
        self.pc.rest_api().list(&path)
    }

    /// The members of a role.
    pub fn members(&self, role: &str) -> Paged<UserMember> {
        self.pc.rest_api().list(&self.members_path(role))
    }

    /// Adds a user to a role (201: the member with its `roleId`).
    pub async fn add_member(&self, role: &str, user: &CustomerUser) -> Result<UserMember, Error> {
        let member = UserMember::of(user);
        self.pc
            .rest_api()
            .post(&self.members_path(role), &member)
            .await
    }

    /// Removes a user from a role.
    pub async fn remove_member(&self, role: &str, user: &str) -> Result<(), Error> {
        let path = format!("{}/{}", self.members_path(role), seg(user));
        self.pc.rest_api().delete(&path).await
    }
}
