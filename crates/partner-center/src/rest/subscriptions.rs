//! `/customers/{id}/subscriptions`: list, get, update (full resource, with its etag).

use partner_center_models::{Subscription, SubscriptionStatus, Transition, TransitionEligibility};
use partner_center_transport::{Error, Paged};

use crate::{CustomerHandle, PartnerCenter, seg};

impl CustomerHandle {
    /// Its subscriptions.
    pub fn subscriptions(&self) -> Subscriptions {
        Subscriptions {
            pc: self.pc.clone(),
            base: self.path("/subscriptions"),
        }
    }
}

/// `/customers/{id}/subscriptions`.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    pc: PartnerCenter,
    base: String,
}

impl Subscriptions {
    /// Every subscription.
    pub fn list(&self) -> Paged<Subscription> {
        self.pc.rest_api().list(&self.base)
    }

    /// One subscription.
    pub async fn get(&self, id: &str) -> Result<Subscription, Error> {
        self.pc
            .rest_api()
            .get(&format!("{}/{}", self.base, seg(id)))
            .await
    }

    /// Sends the full, changed subscription (PATCH), with its etag in `If-Match`.
    pub async fn update(&self, subscription: &Subscription) -> Result<Subscription, Error> {
        let path = format!("{}/{}", self.base, seg(&subscription.id));
        self.pc
            .rest_api()
            .patch_if_match(&path, subscription.etag(), subscription)
            .await
    }

    /// Gets the subscription, applies `change`, and updates it (one read, one write).
    pub async fn modify(
        &self,
        id: &str,
        change: impl FnOnce(&mut Subscription),
    ) -> Result<Subscription, Error> {
        let mut subscription = self.get(id).await?;
        change(&mut subscription);
        self.update(&subscription).await
    }

    /// Cancels (status `deleted`). A new-commerce subscription can be cancelled, with a
    /// refund, only inside its window ([`Subscription::cancellation_allowed_until`]); after
    /// it the service refuses (900213).
    pub async fn cancel(&self, id: &str) -> Result<Subscription, Error> {
        self.set_status(id, SubscriptionStatus::Deleted).await
    }

    /// The products subscription `id` can transition (upgrade) into now, with the
    /// transition types allowed (new commerce's replacement for legacy upgrades).
    pub fn transition_eligibilities(&self, id: &str) -> Paged<TransitionEligibility> {
        let path = format!(
            "{}/{}/transitionEligibilities?eligibilityType=immediate",
            self.base,
            seg(id)
        );
        self.pc.rest_api().list(&path)
    }

    /// Transitions (upgrades) subscription `id`: `Transition::to(catalog_item_id, quantity)`.
    /// Retried safely: the request id is kept across retries.
    pub async fn transition(&self, id: &str, transition: &Transition) -> Result<Transition, Error> {
        let path = format!("{}/{}/transitions", self.base, seg(id));
        self.pc.rest_api().post(&path, transition).await
    }

    /// Suspends or reactivates.
    pub async fn set_status(
        &self,
        id: &str,
        status: SubscriptionStatus,
    ) -> Result<Subscription, Error> {
        self.modify(id, |s| s.status = Some(status)).await
    }
}
