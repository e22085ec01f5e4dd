//! A customer's user accounts (App+User only): list, deleted users, get, create, update,
//! reset the password, delete and restore.

use partner_center_auth::SecretString;
use partner_center_models::{CustomerUser, PasswordProfile, ResourceAttributes, UserState};
use partner_center_transport::{Error, Paged};

use crate::{CustomerHandle, PartnerCenter, seg};

impl CustomerHandle {
    /// Its user accounts.
    pub fn users(&self) -> Users {
        Users {
            pc: self.pc.clone(),
            base: self.path("/users"),
        }
    }
}

/// `/customers/{id}/users`.
#[derive(Debug, Clone)]
pub struct Users {
    pc: PartnerCenter,
    base: String,
}

/// The filter of view-a-deleted-user.md, encoded.
const DELETED_FILTER: &str = "%7B%22Field%22%3A%22UserState%22%2C%22Value%22%3A%22Inactive%22%2C%22Operator%22%3A%22equals%22%7D";

impl Users {
    fn user(&self, id: &str) -> String {
        format!("{}/{}", self.base, seg(id))
    }

    /// The active users, a page at a time.
    pub fn list(&self) -> Paged<CustomerUser> {
        self.pc.rest_api().list(&self.base)
    }

    /// The deleted users, restorable for 30 days.
    pub fn deleted(&self) -> Paged<CustomerUser> {
        let path = format!("{}?size=500&filter={DELETED_FILTER}", self.base);
        self.pc.rest_api().list(&path)
    }

    /// A user.
    pub async fn get(&self, id: &str) -> Result<CustomerUser, Error> {
        self.pc.rest_api().get(&self.user(id)).await
    }

    /// Creates a user (`CustomerUser::new`); the answer carries the password once.
    pub async fn create(&self, user: &CustomerUser) -> Result<CustomerUser, Error> {
        self.pc.rest_api().post(&self.base, user).await
    }

    /// Changes the fields `changes` sets.
    pub async fn update(&self, id: &str, changes: &CustomerUser) -> Result<CustomerUser, Error> {
        self.pc
            .rest_api()
            .patch_if_match(&self.user(id), None, changes)
            .await
    }

    /// Sets a new password (to change at the next sign-in when `force_change`).
    pub async fn reset_password(
        &self,
        id: &str,
        password: SecretString,
        force_change: bool,
    ) -> Result<CustomerUser, Error> {
        let mut profile = PasswordProfile::new(password);
        profile.force_change_password = Some(force_change);
        let mut body = CustomerUser::default();
        body.password_profile = Some(profile);
        body.attributes = Some(ResourceAttributes::object("CustomerUser"));
        let path = format!("{}/resetpassword", self.user(id));
        self.pc.rest_api().patch_if_match(&path, None, &body).await
    }

    /// Deletes a user: inactive for 30 days, then purged.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.pc.rest_api().delete(&self.user(id)).await
    }

    /// Restores a deleted user within its 30 days.
    pub async fn restore(&self, id: &str) -> Result<CustomerUser, Error> {
        let mut body = CustomerUser::default();
        body.state = Some(UserState::Active);
        body.attributes = Some(ResourceAttributes::object("CustomerUser"));
        self.update(id, &body).await
    }
}
