//! Orders of the legacy catalogue and their line items.
//!
//! Sources: order-resources (Partner Center REST docs).

use serde::{Deserialize, Serialize};

use crate::{Extra, Links, ResourceAttributes};

open_enum! {
    /// A billing cycle.
    BillingCycle {
        /// Monthly.
        Monthly = "monthly",
        /// Annual.
        Annual = "annual",
        /// One time.
        OneTime = "one_time",
        /// None.
        None = "none",
        /// Unknown to the service.
        ServiceUnknown = "unknown",
    }
}

open_enum! {
    /// An order's status.
    OrderStatus {
        /// Pending.
        Pending = "pending",
        /// Completed.
        Completed = "completed",
        /// Cancelled.
        Cancelled = "cancelled",
        /// Unknown to the service.
        ServiceUnknown = "unknown",
    }
}

/// A line of an order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderLineItem {
    /// 0..n-1.
    #[serde(default)]
    pub line_item_number: u32,
    /// The offer (legacy id, or `product:sku:availability`).
    pub offer_id: String,
    /// The subscription created for this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// The parent subscription (add-ons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_subscription_id: Option<String>,
    /// A friendly name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// The quantity.
    pub quantity: u32,
    /// ISO-8601 term (`P1M`, `P1Y`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    /// Indirect reseller's MPN id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id_on_record: Option<String>,
    /// Links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl OrderLineItem {
    /// A line for `quantity` of `offer_id`.
    pub fn new(line_item_number: u32, offer_id: impl Into<String>, quantity: u32) -> Self {
        Self {
            line_item_number,
            offer_id: offer_id.into(),
            quantity,
            ..Self::default()
        }
    }
}

/// An order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Order {
    /// The order id (not a GUID).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// An alternate id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_id: Option<String>,
    /// The customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_customer_id: Option<String>,
    /// The billing cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// The lines.
    pub line_items: Vec<OrderLineItem>,
    /// ISO-4217 currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// When it was created (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    /// The status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
    /// Links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// How far an order line's provisioning has come (order-resources.md; the service
    /// writes it in lower case).
    ProvisioningState {
        /// Provisioned: the customer can use it.
        Fulfilled = "fulfilled",
        /// Not provisioned, because it was cancelled.
        Unfulfilled = "unfulfilled",
        /// Still being provisioned.
        PrefulfillmentPending = "prefulfillmentpending",
    }
}

/// An order line's provisioning status: `GET …/orders/{id}/provisioningstatus` lists one
/// per line (`OrderLineItemProvisioningStatus` in the docs).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProvisioningStatus {
    /// The line's id (in the sample, not the table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_line_item_id: Option<i64>,
    /// The line's number in the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_item_number: Option<u32>,
    /// The line's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ProvisioningState>,
    /// The state of each part of the quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_provisioning_information: Option<Vec<QuantityProvisioningStatus>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ProvisioningStatus {
    /// Whether provisioning has ended, fulfilled or not (a state this version does not
    /// know is not taken for an end).
    pub fn is_settled(&self) -> bool {
        matches!(
            self.status,
            Some(ProvisioningState::Fulfilled | ProvisioningState::Unfulfilled)
        )
    }
}

/// A part of a line's quantity and its state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuantityProvisioningStatus {
    /// How many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// Their state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ProvisioningState>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
