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
    /// What changes when the term renews (create-scheduled-changes.md). An update that
    /// leaves it out deletes it, so change subscriptions by reading them first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_next_term_instructions: Option<ScheduledNextTermInstructions>,
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

    /// Turns auto-renewal on or off; off also drops the scheduled next-term changes, which
    /// apply only at a renewal (create-scheduled-changes.md).
    pub fn set_auto_renew(&mut self, renew: bool) {
        self.auto_renew_enabled = Some(renew);
        if !renew {
            self.scheduled_next_term_instructions = None;
        }
    }

    /// The entity tag to send in `If-Match` when updating.
    pub fn etag(&self) -> Option<&str> {
        self.attributes.as_ref().and_then(|a| a.etag.as_deref())
    }
}

/// The changes applied when a new-commerce subscription renews
/// (`scheduledNextTermInstructions`, subscription-resources.md): another SKU or term, a
/// quantity, an end date aligned with another subscription. The subscription must renew
/// automatically for them to apply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScheduledNextTermInstructions {
    /// The product, SKU, availability, term and billing cycle of the next term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductTerm>,
    /// The quantity of the next term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// An end date aligned with another subscription's, or a calendar month's, end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_term_end_date: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ScheduledNextTermInstructions {
    /// A next term in `product` (its SKU, availability, term and billing cycle), with
    /// `quantity` licences.
    pub fn new(product: ProductTerm, quantity: u32) -> Self {
        Self {
            product: Some(product),
            quantity: Some(quantity),
            ..Self::default()
        }
    }
}

/// The catalog item and terms of a scheduled next term (`scheduledNextTermInstructions.product`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProductTerm {
    /// The product id.
    pub product_id: String,
    /// The SKU id.
    pub sku_id: String,
    /// The availability id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_id: Option<String>,
    /// The billing cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// The term (ISO 8601: `P1M`, `P1Y`, `P3Y`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    /// A promotion to apply to the next term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_id: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ProductTerm {
    /// The SKU `sku_id` of `product_id` in availability `availability_id`, for
    /// `term_duration` billed `billing_cycle`.
    pub fn new(
        product_id: &str,
        sku_id: &str,
        availability_id: &str,
        term_duration: &str,
        billing_cycle: BillingCycle,
    ) -> Self {
        Self {
            product_id: product_id.to_owned(),
            sku_id: sku_id.to_owned(),
            availability_id: Some(availability_id.to_owned()),
            billing_cycle: Some(billing_cycle),
            term_duration: Some(term_duration.to_owned()),
            ..Self::default()
        }
    }

    /// Its catalog item id (`product:sku:availability`), when the availability is known.
    pub fn catalog_item_id(&self) -> Option<String> {
        let availability = self.availability_id.as_deref()?;
        Some(format!(
            "{}:{}:{availability}",
            self.product_id, self.sku_id
        ))
    }
}

open_enum! {
    /// How a transition moves licences (transition-a-new-commerce-subscription.md).
    TransitionType {
        /// Into the target product only.
        TransitionOnly = "transition_only",
        /// And the users' licences with it.
        TransitionWithLicenseTransfer = "transition_with_license_transfer",
    }
}

/// A product a subscription can transition (upgrade) into: `GET
/// …/subscriptions/{id}/transitionEligibilities`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TransitionEligibility {
    /// The operation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// What it transitions into.
    pub catalog_item_id: String,
    /// The target's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The target's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The licences that would move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// Existing subscriptions of the target it could move into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_eligibilities: Option<Vec<SubscriptionEligibility>>,
    /// Each transition type, and whether it is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibilities: Option<Vec<TransitionTypeEligibility>>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl TransitionEligibility {
    /// Whether a transition of `kind` into it is allowed.
    pub fn allows(&self, kind: &TransitionType) -> bool {
        self.eligibilities
            .iter()
            .flatten()
            .any(|e| e.transition_type.as_ref() == Some(kind) && e.is_eligible == Some(true))
    }
}

/// Whether an existing subscription of the target can receive the transition.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SubscriptionEligibility {
    /// Whether it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_eligible: Option<bool>,
    /// The subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// Its friendly name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_friendly_name: Option<String>,
    /// Its term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_term_duration: Option<String>,
    /// Its billing cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_billing_cycle: Option<BillingCycle>,
    /// Why it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<TransitionError>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Whether a transition type is allowed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TransitionTypeEligibility {
    /// Whether it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_eligible: Option<bool>,
    /// The type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition_type: Option<TransitionType>,
    /// Why it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<TransitionError>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Why a transition is not allowed: `{code, description}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TransitionError {
    /// The code (its meaning depends on the list it is in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A transition (upgrade): what `POST …/subscriptions/{id}/transitions` takes, and what it
/// answers (with its events).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Transition {
    /// The catalog item transitioned from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_catalog_item_id: Option<String>,
    /// The subscription transitioned from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_subscription_id: Option<String>,
    /// The catalog item transitioned to (the history writes it `ToCatalogItemId`: see
    /// [`Transition::target`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to_catalog_item_id: String,
    /// An existing subscription to transition into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_subscription_id: Option<String>,
    /// The licences to move.
    pub quantity: u32,
    /// The target's term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    /// The target's billing cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// How licences move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition_type: Option<TransitionType>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here (the answer's `Events`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Transition {
    /// The catalog item transitioned to, however the service cased its key (the
    /// get-transitions.md sample writes `ToCatalogItemId`).
    pub fn target(&self) -> &str {
        if self.to_catalog_item_id.is_empty() {
            self.extra
                .get("ToCatalogItemId")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
        } else {
            &self.to_catalog_item_id
        }
    }

    /// Its events (`Events` in the docs' samples, kept as sent), oldest first.
    pub fn events(&self) -> Vec<TransitionEvent> {
        ["Events", "events"]
            .iter()
            .find_map(|key| self.extra.get(*key))
            .and_then(|events| serde_json::from_value(events.clone()).ok())
            .unwrap_or_default()
    }

    /// Whether its last event says it completed.
    pub fn is_completed(&self) -> bool {
        self.events()
            .last()
            .and_then(|e| e.status.as_deref())
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("completed"))
    }

    /// A transition of `quantity` licences into `to_catalog_item_id`, transition only.
    pub fn to(to_catalog_item_id: &str, quantity: u32) -> Self {
        Self {
            to_catalog_item_id: to_catalog_item_id.to_owned(),
            quantity,
            transition_type: Some(TransitionType::TransitionOnly),
            ..Self::default()
        }
    }
}

/// A step of a transition: `Conversion` or `LicenseReassignment`, `Started`, `Completed`
/// or `Failed` (transition-resources.md).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TransitionEvent {
    /// What happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its status (the docs' samples pad it: `"Started "`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<TransitionError>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A subscription's transitions, `GET …/subscriptions/{id}/transitions` (get-transitions.md):
/// a collection whose list is named `transition`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TransitionHistory {
    /// The transitions, oldest first.
    #[serde(default, alias = "items")]
    pub transition: Vec<Transition>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
