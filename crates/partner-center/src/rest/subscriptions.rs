//! `/customers/{id}/subscriptions`: list, get, update (full resource, with its etag).

use partner_center_models::{
    ScheduledNextTermInstructions, Subscription, SubscriptionStatus, Transition,
    TransitionEligibility, TransitionHistory,
};
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

    /// The add-ons bought for subscription `id` (the subscriptions whose
    /// `parentSubscriptionId` it is).
    pub fn add_ons(&self, id: &str) -> Paged<Subscription> {
        self.pc
            .rest_api()
            .list(&format!("{}/{}/addons", self.base, seg(id)))
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

    /// The transitions subscription `id` was the source of, oldest first, each with its
    /// events ([`Transition::events`]).
    pub async fn transitions(&self, id: &str) -> Result<Vec<Transition>, Error> {
        let path = format!("{}/{}/transitions", self.base, seg(id));
        let history: TransitionHistory = self.pc.rest_api().get(&path).await?;
        Ok(history.transition)
    }

    /// Schedules what changes when subscription `id` renews (another SKU, term, billing
    /// cycle or quantity), turning auto-renewal on, as the service requires.
    ///
    /// ```no_run
    /// # async fn run(pc: partner_center::PartnerCenter) -> Result<(), partner_center::transport::Error> {
    /// use partner_center::models::{BillingCycle, ProductTerm, ScheduledNextTermInstructions};
    ///
    /// let next = ScheduledNextTermInstructions::new(
    ///     ProductTerm::new("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "P1Y", BillingCycle::Annual),
    ///     10,
    /// );
    /// pc.customer("0e8e3c45-9a5c-4a4d-9b1a-5d2f4e6a7b8c")
    ///     .subscriptions()
    ///     .schedule_next_term("a4c1340d-6911-4758-bba3-0c4c6007d161", next)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn schedule_next_term(
        &self,
        id: &str,
        next: ScheduledNextTermInstructions,
    ) -> Result<Subscription, Error> {
        self.modify(id, |s| {
            s.set_auto_renew(true);
            s.scheduled_next_term_instructions = Some(next);
        })
        .await
    }

    /// Removes the scheduled next-term changes: the subscription renews as it is.
    pub async fn clear_next_term(&self, id: &str) -> Result<Subscription, Error> {
        self.modify(id, |s| s.scheduled_next_term_instructions = None)
            .await
    }

    /// Turns auto-renewal on or off (off also drops the scheduled next-term changes,
    /// which only apply at a renewal).
    pub async fn set_auto_renew(&self, id: &str, renew: bool) -> Result<Subscription, Error> {
        self.modify(id, |s| s.set_auto_renew(renew)).await
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
