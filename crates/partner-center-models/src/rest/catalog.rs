//! The new-commerce catalog: products, their SKUs, and the availabilities whose
//! `catalogItemId` a cart line or an order line buys.
//!
//! Sources: the Partner Center REST docs `product-resources` (Product, ItemType, Sku,
//! Availability, Term, RenewalInstruction, AttestationProperties, BillingCycleType) and the
//! samples of `get-a-list-of-products`, `get-a-product-by-id`,
//! `get-a-list-of-skus-for-a-product`, `get-a-sku-by-id`,
//! `get-a-list-of-availabilities-for-a-sku` and `get-an-availability-by-id`. Where the
//! tables and the samples disagree, the models follow the samples (what the service
//! sends): `defaultCurrency` is an object `{code, symbol}`, `renewalInstructions` an
//! array, and a term carries `id`, `billingCycle` and `cancellationPolicies`.

use serde::{Deserialize, Serialize};

use crate::{BillingCycle, Extra, Links};

/// A product: a purchasable good or service, not itself purchasable (its SKUs'
/// availabilities are).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Product {
    /// The product id (`CFQ7TTC0LH18`).
    pub id: String,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its type, and subtype: `OnlineServicesNCE` for new-commerce licence-based products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<ItemType>,
    /// Whether Microsoft publishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_microsoft_product: Option<bool>,
    /// The publisher's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_name: Option<String>,
    /// `self` and `skus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Fields not modelled here (`localizedAttributes`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Product {
    /// Whether this is a new-commerce licence-based product (type `OnlineServicesNCE`).
    pub fn is_new_commerce(&self) -> bool {
        self.product_type
            .as_ref()
            .and_then(|t| t.id.as_deref())
            .is_some_and(|id| id.eq_ignore_ascii_case("OnlineServicesNCE"))
    }
}

/// A product's type (`Azure`, `OnlineServicesNCE`, …), with an optional subtype.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemType {
    /// The type id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The subtype (`VirtualMachines`, `SpecializedOffers`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<Box<ItemType>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A SKU: a purchasable unit of a product.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Sku {
    /// The SKU id, unique within its product (`0001`).
    pub id: String,
    /// The product it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The smallest quantity a purchase may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_quantity: Option<u64>,
    /// The largest quantity a purchase may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_quantity: Option<u64>,
    /// Whether it is a trial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_trial: Option<bool>,
    /// The billing cycles it can be bought with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_billing_cycles: Option<Vec<BillingCycle>>,
    /// What must be done before buying it (`InventoryCheck`,
    /// `AzureSubscriptionRegistration`, `MicrosoftCustomerAgreement`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_prerequisites: Option<Vec<String>>,
    /// The variables an inventory check needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory_variables: Option<Vec<String>>,
    /// The variables a cart line's provisioning context must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_variables: Option<Vec<String>>,
    /// The actions allowed on its subscriptions (`Refund`, …); in the samples, not the
    /// resource table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    /// Dynamic properties (`isAddon`, `upgradeTargetOffers`, `prerequisiteSkus`, …) that
    /// "can change without notice": kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_attributes: Option<Extra>,
    /// Whether an attestation is needed to buy it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation_properties: Option<AttestationProperties>,
    /// Present when the SKU supports consumption (such as overage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumption_type: Option<String>,
    /// `self` and `availabilities`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Fields not modelled here (`specializedOfferProperties`,
    /// `minimumPurchaseCommitment`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Sku {
    /// Whether the SKU is an add-on (its `isAddon` dynamic attribute).
    pub fn is_add_on(&self) -> bool {
        self.dynamic_attribute("isAddon")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }

    /// The `productId:skuId` pairs it can be upgraded to (`upgradeTargetOffers`).
    pub fn upgrade_targets(&self) -> Vec<&str> {
        self.dynamic_attribute("upgradeTargetOffers")
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default()
    }

    /// For an add-on, the `productId:skuId` pairs of the SKUs it can be added to
    /// (`prerequisiteSkus`): the customer needs a subscription of one of them.
    pub fn prerequisite_skus(&self) -> Vec<&str> {
        self.dynamic_attribute("prerequisiteSkus")
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default()
    }

    /// One dynamic attribute, as sent.
    pub fn dynamic_attribute(&self, name: &str) -> Option<&serde_json::Value> {
        self.dynamic_attributes.as_ref()?.get(name)
    }
}

/// An attestation a purchase may require (Windows 365 with Hybrid Benefit, …).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AttestationProperties {
    /// The attestation type (`Windows365`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation_type: Option<String>,
    /// Whether the attestation is required for purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce_attestation: Option<bool>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A configuration in which a SKU is sold: country, currency, segment, terms. Its
/// `catalogItemId` is what a cart line or order line buys.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Availability {
    /// The availability id, unique within its product and SKU; it changes over time, so
    /// read it shortly before a purchase.
    pub id: String,
    /// The product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    /// What to buy: `productId:skuId:availabilityId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_item_id: Option<String>,
    /// The currency, `{code, symbol}` (the resource table says a string; every sample and
    /// the service send this object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<CurrencyInfo>,
    /// The industry segment (`commercial`, `education`, `government`, `nonprofit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// The ISO country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Whether it can be bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_purchasable: Option<bool>,
    /// Whether it can be renewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_renewable: Option<bool>,
    /// What a renewal of each term becomes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_instructions: Option<Vec<RenewalInstruction>>,
    /// The terms it can be bought for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Vec<Term>>,
    /// The product, when the service includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Box<Product>>,
    /// The SKU, when the service includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<Box<Sku>>,
    /// `self`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Availability {
    /// The terms (none when the service sent none).
    pub fn terms(&self) -> &[Term] {
        self.terms.as_deref().unwrap_or_default()
    }

    /// The term of `duration` (`P1M`, `P1Y`, `P3Y`) billed with `cycle`, if sold.
    pub fn term(&self, duration: &str, cycle: &BillingCycle) -> Option<&Term> {
        self.terms().iter().find(|t| {
            t.duration
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(duration))
                && t.billing_cycle.as_ref() == Some(cycle)
        })
    }
}

/// A currency: `{code, symbol}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CurrencyInfo {
    /// ISO 4217 code (`USD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The symbol (`$`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A term an availability can be bought for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Term {
    /// The term id (in the samples, not the resource table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// ISO 8601 duration: `P1M`, `P1Y`, `P3Y`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How the term is billed (`Annual`, `Monthly`, …; matched case-insensitively).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// When a cancellation is refunded, and how much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation_policies: Option<Vec<CancellationPolicy>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A term's cancellation policy: its refund options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancellationPolicy {
    /// The refund options, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_options: Option<Vec<RefundOption>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A refund a cancellation gets within a window: `{sequenceId, type, expiresAfter}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RefundOption {
    /// Its position among the options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_id: Option<i64>,
    /// `Full` or `Partial`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// ISO 8601 duration after which this option expires (`P1D`, `P7D`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_after: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What the terms `applicableTermIds` renew into.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenewalInstruction {
    /// The terms the instruction applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicable_term_ids: Option<Vec<String>>,
    /// The renewal options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_options: Option<Vec<RenewalOption>>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A renewal option: what the subscription renews to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenewalOption {
    /// `productId:skuId` renewed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_to_id: Option<String>,
    /// Whether it renews automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_auto_renewable: Option<bool>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
