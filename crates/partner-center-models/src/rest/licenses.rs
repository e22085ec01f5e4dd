//! Licences: a customer's subscribed SKUs (the seats it has), a user's licences, and
//! assigning or removing them in one `licenseupdates` call.
//!
//! Sources (the Partner Center REST docs, developer/): license-resources.md and the
//! samples of get-a-list-of-available-licenses.md (and …-by-license-group.md),
//! check-which-licenses-are-assigned-to-a-user.md and assign-licenses-to-a-user.md. The
//! tables' `licensestoAssign` and `productSKU` are `licensesToAssign` and `productSku` on
//! the wire, as the samples show. Every one is App+User only.

use serde::{Deserialize, Serialize};

use crate::{Extra, ResourceAttributes};

open_enum! {
    /// Which authority manages a licence: `group1` (Entra ID: nearly everything) or
    /// `group2` (Minecraft). Queried as `Group1`/`Group2`.
    LicenseGroupId {
        /// Licences managed in Entra ID (the default).
        Group1 = "group1",
        /// Minecraft licences.
        Group2 = "group2",
    }
}

/// A product as a licence names it (license-resources.md, ProductSku).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProductSku {
    /// The SKU id: what an assignment names.
    pub id: String,
    /// The product's name (the table calls it "the user principal identifier": a typo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The SKU part number (`EMS`, `POWER_BI_PRO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_part_number: Option<String>,
    /// `User` or `Tenant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// The licence group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_group_id: Option<LicenseGroupId>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A deployable service within a SKU.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServicePlan {
    /// The plan's id.
    #[serde(default)]
    pub id: String,
    /// Its display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The service name (`MFA_PREMIUM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// `Enabled` on a subscribed SKU, `Assigned` on a user's licence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_status: Option<String>,
    /// `User` or `Tenant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A SKU the customer has seats of: `GET /customers/{id}/subscribedskus`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SubscribedSku {
    /// Seats left to assign (total − consumed).
    #[serde(default)]
    pub available_units: i64,
    /// Active seats.
    #[serde(default)]
    pub active_units: i64,
    /// Seats assigned.
    #[serde(default)]
    pub consumed_units: i64,
    /// Suspended seats.
    #[serde(default)]
    pub suspended_units: i64,
    /// Active and warning seats.
    #[serde(default)]
    pub total_units: i64,
    /// Seats in warning.
    #[serde(default)]
    pub warning_units: i64,
    /// The SKU.
    pub product_sku: ProductSku,
    /// Its service plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plans: Option<Vec<ServicePlan>>,
    /// The SKU's status (`Enabled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_status: Option<String>,
    /// `objectType: SubscribedSku`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A licence assigned to a user: `GET /customers/{id}/users/{user}/licenses`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct License {
    /// The service plans it gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plans: Option<Vec<ServicePlan>>,
    /// The SKU.
    pub product_sku: ProductSku,
    /// `objectType: License`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One licence to assign.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LicenseAssignment {
    /// The SKU id (a subscribed SKU's `productSku.id`).
    pub sku_id: String,
    /// Service plans left out (`null`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_plans: Option<Vec<String>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl LicenseAssignment {
    /// The whole SKU, no plan left out.
    pub fn sku(sku_id: &str) -> Self {
        Self {
            sku_id: sku_id.to_owned(),
            ..Self::default()
        }
    }
}

/// A warning of a licence update.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LicenseWarning {
    /// The code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The service plans concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plans: Option<Vec<String>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Licences to assign and remove, in one call: `POST …/users/{user}/licenseupdates`
/// (201 with the update and its warnings). One licence group per call.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LicenseUpdate {
    /// Licences to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses_to_assign: Option<Vec<LicenseAssignment>>,
    /// SKU ids to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses_to_remove: Option<Vec<String>>,
    /// Warnings (in the answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_warnings: Option<Vec<LicenseWarning>>,
    /// `objectType: LicenseUpdate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl LicenseUpdate {
    /// Assign these SKUs and remove those.
    pub fn new(assign: &[&str], remove: &[&str]) -> Self {
        Self {
            licenses_to_assign: (!assign.is_empty())
                .then(|| assign.iter().map(|s| LicenseAssignment::sku(s)).collect()),
            licenses_to_remove: (!remove.is_empty())
                .then(|| remove.iter().map(|s| (*s).to_owned()).collect()),
            attributes: Some(ResourceAttributes::object("LicenseUpdate")),
            ..Self::default()
        }
    }
}
