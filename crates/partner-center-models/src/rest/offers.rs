//! Offers of the legacy catalogue and their categories.
//!
//! Sources: offer-resources (Partner Center REST docs).

use serde::{Deserialize, Serialize};

use crate::{BillingCycle, Extra, Links, ResourceAttributes};

/// An offer's category.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the service's own
pub struct OfferCategory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An offer of the legacy catalogue.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the service's own
pub struct Offer {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_quantity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_quantity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<OfferCategory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_add_on: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_available_for_purchase: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supported_billing_cycles: Vec<BillingCycle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_auto_renewable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_trial: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
