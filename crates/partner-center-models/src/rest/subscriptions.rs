//! Subscriptions.
//!
//! Sources: subscription-resources (Partner Center REST docs).

use serde::{Deserialize, Serialize};

use crate::{BillingCycle, Extra, Links, ResourceAttributes};

open_enum! {
    /// A subscription's status.
    SubscriptionStatus {
        /// Active.
        Active = "active",
        /// Suspended.
        Suspended = "suspended",
        /// Pending.
        Pending = "pending",
        /// Deleted.
        Deleted = "deleted",
        /// None.
        None = "none",
    }
}

/// A subscription.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the service's own, listed in the module docs' sources
pub struct Subscription {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entitlement_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    pub quantity: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_subscription_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment_end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SubscriptionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_trial: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspension_reasons: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Subscription {
    /// The last moment a new-commerce subscription can be cancelled with a refund
    /// (`cancellationAllowedUntilDate`), when the service says.
    pub fn cancellation_allowed_until(&self) -> Option<&str> {
        self.extra.get("cancellationAllowedUntilDate")?.as_str()
    }

    /// How many seats can still be cancelled with a refund (`refundableQuantity.totalQuantity`).
    pub fn refundable_quantity(&self) -> Option<u64> {
        self.extra
            .get("refundableQuantity")?
            .get("totalQuantity")?
            .as_u64()
    }

    /// The entity tag to send in `If-Match` when updating.
    pub fn etag(&self) -> Option<&str> {
        self.attributes.as_ref().and_then(|a| a.etag.as_deref())
    }
}
