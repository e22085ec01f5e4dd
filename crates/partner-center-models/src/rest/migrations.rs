//! Migrations of legacy (traditional) subscriptions to new commerce.
//!
//! Sources: validate-subscription-for-migration.md, create-migration.md,
//! get-new-commerce-migration.md, query-migrated-subscriptions.md and
//! get-migration-events.md (Partner Center REST docs), and the .NET SDK's
//! `NewCommerceMigration`, `NewCommerceEligibility` and `NewCommerceMigrationEvent`.

use serde::{Deserialize, Serialize};

use crate::{BillingCycle, Extra};

open_enum! {
    /// Where a migration is (the docs' samples and the Batch Migration tool's readme).
    MigrationStatus {
        /// Still running: read it again.
        Processing = "Processing",
        /// Done: the new-commerce subscription and order are named.
        Completed = "Completed",
        /// Refused or failed; the legacy subscription is unchanged.
        Failed = "Failed",
    }
}

/// A migration of a legacy subscription to new commerce: what `POST
/// …/migrations/newcommerce` (and its `/validate`) takes, and what it and `GET
/// …/migrations/newcommerce/{id}` answer.
///
/// ```
/// use partner_center_models::{BillingCycle, NewCommerceMigration};
///
/// let migration = NewCommerceMigration::of("5C77DC7F-BE2C-4306-A3B5-0EBB4365D7FC")
///     .term("P1Y", BillingCycle::Monthly)
///     .quantity(10);
/// assert_eq!(migration.purchase_full_term, None);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewCommerceMigration {
    /// The migration's id (in answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_time: Option<String>,
    /// When it completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_time: Option<String>,
    /// The legacy subscription migrated.
    pub current_subscription_id: String,
    /// Where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MigrationStatus>,
    /// The customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_tenant_id: Option<String>,
    /// The new-commerce catalog item it becomes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_item_id: Option<String>,
    /// The new-commerce subscription, once completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_commerce_subscription_id: Option<String>,
    /// The new-commerce order, once completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_commerce_order_id: Option<String>,
    /// When the new subscription's term ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_end_date: Option<String>,
    /// An end date aligned with another subscription's, or a calendar month's, end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_term_end_date: Option<String>,
    /// The licences (the legacy quantity by default; it may go up or down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// The new term (`P1M`, `P1Y`, `P3Y`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    /// The new billing cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// Whether a new full term starts (else the legacy term's end is kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_full_term: Option<bool>,
    /// A batch id of the caller's, echoed back and queryable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_reference_id: Option<String>,
    /// The subscription's add-ons migrated with it, as one flat list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_on_migrations: Option<Vec<NewCommerceMigration>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl NewCommerceMigration {
    /// A migration of legacy subscription `subscription_id`, its term, billing cycle and
    /// quantity unchanged.
    pub fn of(subscription_id: &str) -> Self {
        Self {
            current_subscription_id: subscription_id.to_owned(),
            ..Self::default()
        }
    }

    /// With a new term and billing cycle.
    pub fn term(mut self, term_duration: &str, billing_cycle: BillingCycle) -> Self {
        self.term_duration = Some(term_duration.to_owned());
        self.billing_cycle = Some(billing_cycle);
        self
    }

    /// With a new quantity.
    pub fn quantity(mut self, quantity: u32) -> Self {
        self.quantity = Some(quantity);
        self
    }

    /// Starting a new full term (`true`) or keeping the legacy term's end.
    pub fn full_term(mut self, full: bool) -> Self {
        self.purchase_full_term = Some(full);
        self
    }

    /// Whether it has finished, one way or the other.
    pub fn is_settled(&self) -> bool {
        matches!(
            self.status,
            Some(MigrationStatus::Completed | MigrationStatus::Failed)
        )
    }
}

/// Whether a legacy subscription can migrate: `POST …/migrations/newcommerce/validate`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewCommerceEligibility {
    /// The legacy subscription.
    pub current_subscription_id: String,
    /// Whether it can.
    pub is_eligible: bool,
    /// The new-commerce catalog item it would become.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_item_id: Option<String>,
    /// The term it would have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    /// The billing cycle it would have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// The end date asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_term_end_date: Option<String>,
    /// Why it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<EligibilityError>>,
    /// Its add-ons' eligibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_on_migrations: Option<Vec<NewCommerceEligibility>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Why a subscription cannot migrate: `{code, description}`. The codes (the Batch
/// Migration tool's enum): 0 not active, 1 being processed, 2 too close to the term's end,
/// 3 promotions applied, 4 add-ons not migrated with it, 5 no new-commerce equivalent, 6
/// the term and billing cycle not sold together, 7 active for a month or less, 8 trade
/// status not allowed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EligibilityError {
    /// The reason's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A step of a migration: `GET …/migrations/newcommerce/events` (`MigrationStarted`,
/// `NewCommerceSubscriptionCreated`, `NewCommerceSubscriptionProvisioned`,
/// `MigrationCompleted`, …).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MigrationEvent {
    /// The event's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The migration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_commerce_migration_id: Option<String>,
    /// The legacy subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_subscription_id: Option<String>,
    /// The customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_tenant_id: Option<String>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// What happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
