//! Licences (App+User only): a customer's subscribed SKUs, a user's licences, and
//! assigning or removing them.

use partner_center_models::{License, LicenseGroupId, LicenseUpdate, SubscribedSku};
use partner_center_transport::{Error, Paged};

use crate::{CustomerHandle, PartnerCenter, seg};

impl CustomerHandle {
    /// Its licences.
    pub fn licenses(&self) -> Licenses {
        Licenses {
            pc: self.pc.clone(),
            base: self.path(""),
        }
    }
}

/// A customer's licences.
#[derive(Debug, Clone)]
pub struct Licenses {
    pc: PartnerCenter,
    base: String,
}

/// The `licenseGroupIds` query: `Group1`/`Group2`, repeated; none is the service's
/// default (group 1).
fn groups_query(groups: &[LicenseGroupId]) -> String {
    let names: Vec<String> = groups
        .iter()
        .map(|g| {
            let s = g.as_str();
            let (first, rest) = s.split_at(s.len().min(1));
            format!("licenseGroupIds={}{rest}", first.to_ascii_uppercase())
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("?{}", names.join("&"))
    }
}

impl Licenses {
    /// The SKUs the customer has seats of, with how many are used (licence groups:
    /// none for the default, group 1).
    pub fn subscribed_skus(&self, groups: &[LicenseGroupId]) -> Paged<SubscribedSku> {
        let path = format!("{}/subscribedskus{}", self.base, groups_query(groups));
        self.pc.rest_api().list(&path)
    }

    /// The licences of a user.
    pub fn of_user(&self, user: &str, groups: &[LicenseGroupId]) -> Paged<License> {
        let path = format!(
            "{}/users/{}/licenses{}",
            self.base,
            seg(user),
            groups_query(groups)
        );
        self.pc.rest_api().list(&path)
    }

    /// Assigns and removes a user's licences in one call (`LicenseUpdate::new`): a seat of
    /// each SKU assigned is used; none left is 400 with 60012.
    pub async fn update(&self, user: &str, update: &LicenseUpdate) -> Result<LicenseUpdate, Error> {
        let path = format!("{}/users/{}/licenseupdates", self.base, seg(user));
        self.pc.rest_api().post(&path, update).await
    }
}
