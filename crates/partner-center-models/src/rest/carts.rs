//! Carts: what a new-commerce purchase is built in and checked out from.
//!
//! Sources: the Partner Center REST docs `cart-resources` (Cart, CartLineItem, CartError,
//! CartErrorCode, CartCheckoutResult, OrderError) and the samples of `create-a-cart`,
//! `create-a-cart-with-add-ons`, `update-a-cart` and `checkout-a-cart`. Where the tables and
//! the samples disagree the models follow the samples: a line's `id` is a number, the
//! timestamps are `…Timestamp`, the catalog item is `catalogItemId`, and `renewsTo` is an
//! object or `null` (kept as sent, see [`CartLineItem::renews_to`]). A checkout's orders are
//! the REST API's [`Order`](crate::Order).

use serde::{Deserialize, Serialize};

use crate::{BillingCycle, Extra, KeyValue, Links, Order, ResourceAttributes};

open_enum! {
    /// A cart's status.
    CartStatus {
        /// Can be updated and checked out.
        Active = "Active",
        /// Checked out.
        Ordered = "Ordered",
    }
}

/// A cart: `POST /v1/customers/{id}/carts` takes one (its lines), and the service answers
/// with it whole (ids, timestamps, currency, order groups, per-line errors).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Cart {
    /// The cart id (absent in a create request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_timestamp: Option<String>,
    /// When it expires (seven days after creation, in the current docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_timestamp: Option<String>,
    /// Who last changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_user: Option<String>,
    /// `Active` or `Ordered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CartStatus>,
    /// The lines.
    pub line_items: Vec<CartLineItem>,
    /// `self`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// `{objectType: "Cart"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here (`PartnerOnRecordAttestationAccepted`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Cart {
    /// A cart to create, with its lines.
    pub fn new(line_items: Vec<CartLineItem>) -> Self {
        Self {
            line_items,
            ..Self::default()
        }
    }

    /// The lines the service marked with an error.
    pub fn errors(&self) -> impl Iterator<Item = (&CartLineItem, &CartError)> {
        self.line_items
            .iter()
            .filter_map(|line| line.error.as_ref().map(|e| (line, e)))
    }
}

/// A line's id: a number on the wire (the table says a string; both are read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum CartLineItemId {
    /// As the samples send it.
    Number(i64),
    /// As the resource table types it.
    Text(String),
}

/// A line of a cart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CartLineItem {
    /// The line's id, set by the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CartLineItemId>,
    /// What is bought: an availability's `catalogItemId` (`product:sku:availability`).
    pub catalog_item_id: String,
    /// A name of the partner's choosing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// Licences or instances.
    pub quantity: u32,
    /// The currency, set by the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// How the term is billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// The term: `P1M`, `P1Y`, `P3Y`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_duration: Option<String>,
    /// The end of the first term, to coterminate with an existing subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_term_end_date: Option<String>,
    /// Partners of record (`transaction_reseller`, `additional_transaction_reseller`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<KeyValue>>,
    /// Provisioning values the SKU's `provisioningVariables` ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_context: Option<Extra>,
    /// Lines of one group are ordered together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_group: Option<String>,
    /// A promotion to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_id: Option<String>,
    /// Prices, before tax (in the samples, not the table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<CartLineItemPricing>,
    /// What went wrong with this line, when something did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<CartError>,
    /// Fields not modelled here (`renewsTo`, `AttestationAccepted`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl CartLineItem {
    /// A line buying `quantity` of `catalog_item_id` for `term` (`P1M`, `P1Y`, `P3Y`),
    /// billed by `billing_cycle`.
    pub fn new(
        catalog_item_id: &str,
        quantity: u32,
        term: &str,
        billing_cycle: BillingCycle,
    ) -> Self {
        Self {
            catalog_item_id: catalog_item_id.to_owned(),
            quantity,
            term_duration: Some(term.to_owned()),
            billing_cycle: Some(billing_cycle),
            ..Self::default()
        }
    }

    /// The term the subscription renews into (`renewsTo.termDuration`), when set.
    pub fn renews_to(&self) -> Option<&str> {
        self.extra.get("renewsTo")?.get("termDuration")?.as_str()
    }
}

/// A line's prices, before tax.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CartLineItemPricing {
    /// The list price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_price: Option<f64>,
    /// After discounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discounted_price: Option<f64>,
    /// For the part of the period left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prorated_price: Option<f64>,
    /// The unit price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// The line's total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_price: Option<f64>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What went wrong with a line: a `CartErrorCode` (10001 catalog item not valid, 10009
/// sandbox limit exceeded, …) and a description.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CartError {
    /// The code: a number (`10001`) or its name (`catalog_item_id_is_not_valid`), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<serde_json::Value>,
    /// The description, with supported values and limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// `availableQuantity`, `purchasedQuantity`, when the quantity is the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_information: Option<Extra>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CartError {
    /// The code as text (`10001`, or a name such as `inventory_not_available`).
    pub fn code(&self) -> Option<String> {
        match self.error_code.as_ref()? {
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
}

/// What a checkout made: the orders (one per order group) and the groups that failed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CartCheckoutResult {
    /// The orders placed.
    #[serde(default)]
    pub orders: Vec<Order>,
    /// The order groups that could not be ordered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_errors: Option<Vec<OrderError>>,
    /// `{objectType: "CartCheckoutResult"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CartCheckoutResult {
    /// The order groups that failed (none when all were ordered).
    pub fn errors(&self) -> &[OrderError] {
        self.order_errors.as_deref().unwrap_or_default()
    }
}

/// An order group a checkout could not order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderError {
    /// The order group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_group_id: Option<String>,
    /// The error code (the REST API's: 800018 sandbox limit, 400019 availability gone, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
