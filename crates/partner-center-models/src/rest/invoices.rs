//! Invoices, their summaries and their line items.
//!
//! Sources: invoice-resources.md, get-a-collection-of-invoices.md, get-invoice-by-id.md,
//! get-invoice-summaries.md, get-the-reseller-s-current-account-balance.md,
//! get-invoiceline-items.md, get-invoice-billed-consumption-lineitems.md,
//! get-invoice-unbilled-consumption-lineitems.md and get-invoice-unbilled-recon-lineitems.md
//! (Partner Center REST docs). Amounts keep the number the service wrote
//! ([`serde_json::Number`]: `586366` stays an integer, `24606.35` a decimal).

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::{Extra, Links, ResourceAttributes};

/// An invoice: `GET /v1/invoices` (a collection) and `GET /v1/invoices/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Invoice {
    /// The invoice number (`G000024135`, `D02005YFHI`).
    pub id: String,
    /// When it was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_date: Option<String>,
    /// The billing period's first day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period_start_date: Option<String>,
    /// The billing period's last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period_end_date: Option<String>,
    /// The total, adjustments included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_charges: Option<Number>,
    /// What the partner has paid (negative when a payment was received).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_amount: Option<Number>,
    /// The currency of every amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Its symbol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_symbol: Option<String>,
    /// The statement PDF (`/invoices/{id}/documents/statement`; expires in 30 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_download_link: Option<String>,
    /// Tax receipts (Taiwan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_receipts: Option<Vec<TaxReceipt>>,
    /// Which line items it has: a provider and a type each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_details: Option<Vec<InvoiceDetail>>,
    /// Its amendments (credit and adjustment notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amendments: Option<Vec<Invoice>>,
    /// `invoice`, `void_note`, `adjustment_note`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    /// The document it amends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amends_of: Option<String>,
    /// `Recurring` or `OneTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_type: Option<String>,
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

/// A tax receipt of an invoice.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaxReceipt {
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_receipt_pdf_download_link: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A kind of line item an invoice has: `billingProvider` (`office`, `azure`, `one_time`,
/// …) and `invoiceLineItemType` (`billing_line_items`, `usage_line_items`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InvoiceDetail {
    /// `billing_line_items` or `usage_line_items`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_line_item_type: Option<String>,
    /// `office`, `azure`, `one_time`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_provider: Option<String>,
    /// The line items (`self`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The partner's balance in one currency: `GET /v1/invoices/summary`, and each item of
/// `GET /v1/invoices/summaries`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InvoiceSummary {
    /// What is unpaid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_amount: Option<Number>,
    /// Its currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Its symbol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_symbol: Option<String>,
    /// When the balance was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting_date: Option<String>,
    /// The first invoice's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_invoice_creation_date: Option<String>,
    /// The last payment's date (`0001-01-01T00:00:00` for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_payment_date: Option<String>,
    /// The last payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_payment_amount: Option<Number>,
    /// The latest invoice's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_invoice_date: Option<String>,
    /// The balance by invoice type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<InvoiceSummaryDetail>>,
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

/// The balance of one invoice type (`Recurring`, `OneTime`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InvoiceSummaryDetail {
    /// The invoice type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_type: Option<String>,
    /// Its balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<InvoiceSummary>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// A line item's kind, its `attributes.objectType` (invoice-resources.md).
    LineItemKind {
        /// Legacy licence-based (Office) billing.
        LicenseBased = "LicenseBasedLineItem",
        /// Legacy usage-based (Azure) billing.
        UsageBased = "UsageBasedLineItem",
        /// Legacy daily Azure usage.
        DailyUsage = "DailyUsageLineItem",
        /// New commerce, marketplace and Azure plan purchases (`provider=onetime`).
        OneTime = "OneTimeInvoiceLineItem",
        /// Daily rated usage (`provider=onetime`, usage line items).
        DailyRatedUsage = "DailyRatedUsageLineItem",
    }
}

/// An invoice line item, whatever its kind: every field as the service sent it (the
/// kinds have dozens of fields, numbers sometimes written as strings, and new fields
/// appear), with its [`kind`](Self::kind) and typed accessors for what reconciliation
/// reads. Nothing in a line item can make it fail to parse, and it is written back as it
/// came. [`LineItemKind::columns`] gives each kind's documented columns, in order.
///
/// ```
/// use partner_center_models::{InvoiceLineItem, LineItemKind};
///
/// let item: InvoiceLineItem = serde_json::from_str(r#"{
///     "customerId": "c1", "subscriptionId": "s1", "quantity": 2, "subtotal": "14.4",
///     "currency": "USD", "attributes": {"objectType": "OneTimeInvoiceLineItem"}
/// }"#).unwrap();
/// assert_eq!(item.kind(), Some(LineItemKind::OneTime));
/// assert_eq!(item.number("subtotal"), Some(14.4));
/// assert_eq!(item.text("quantity").as_deref(), Some("2"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct InvoiceLineItem {
    /// Every field, as sent.
    pub fields: Extra,
}

impl InvoiceLineItem {
    /// Its kind (`attributes.objectType`), when it says.
    pub fn kind(&self) -> Option<LineItemKind> {
        let kind = self.fields.get("attributes")?.get("objectType")?.as_str()?;
        kind.parse().ok()
    }

    /// One field, as sent.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// A field as text: a string as it is, a number or a boolean as written; `None` when
    /// absent or null.
    pub fn text(&self, name: &str) -> Option<String> {
        match self.fields.get(name)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other @ (Value::Number(_) | Value::Bool(_)) => Some(other.to_string()),
            other => Some(other.to_string()),
        }
    }

    /// A field as a number, whether the service wrote `14.4` or `"14.4"`.
    pub fn number(&self, name: &str) -> Option<f64> {
        match self.fields.get(name)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The customer's tenant id.
    pub fn customer_id(&self) -> Option<String> {
        self.text("customerId")
    }

    /// The subscription billed.
    pub fn subscription_id(&self) -> Option<String> {
        self.text("subscriptionId")
    }

    /// What the charge is (`new`, `cycleCharge`, `cancelImmediate`, `addQuantity`, …).
    pub fn charge_type(&self) -> Option<String> {
        self.text("chargeType")
    }

    /// The currency (`currency`, or `billingCurrency` for usage).
    pub fn currency(&self) -> Option<String> {
        self.text("currency")
            .or_else(|| self.text("billingCurrency"))
    }

    /// The amount charged to the partner before tax: `subtotal`, `pretaxCharges`,
    /// `billingPreTaxTotal` or `amount`, whichever the kind has.
    pub fn pre_tax_total(&self) -> Option<f64> {
        ["subtotal", "pretaxCharges", "billingPreTaxTotal", "amount"]
            .iter()
            .find_map(|name| self.number(name))
    }
}

impl LineItemKind {
    /// The kind's columns, in the order of the docs' samples (get-invoiceline-items.md,
    /// get-invoice-billed-consumption-lineitems.md, get-invoice-unbilled-recon-lineitems.md),
    /// `attributes` left out. An unknown kind has none: all its fields are extra.
    #[rustfmt::skip]
    pub fn columns(&self) -> &'static [&'static str] {
        match self {
            Self::LicenseBased => &[
                "partnerId", "customerId", "customerName", "mpnId", "tier2MpnId", "orderId",
                "subscriptionId", "syndicationPartnerSubscriptionNumber", "offerId",
                "durableOfferId", "offerName", "domainName", "billingCycleType",
                "subscriptionName", "subscriptionDescription", "subscriptionStartDate",
                "subscriptionEndDate", "chargeStartDate", "chargeEndDate", "chargeType",
                "unitPrice", "quantity", "amount", "totalOtherDiscount", "subtotal", "tax",
                "totalForCustomer", "currency", "invoiceLineItemType", "billingProvider",
            ],
            Self::UsageBased => &[
                "detailLineItemId", "sku", "includedQuantity", "overageQuantity", "listPrice",
                "currency", "pretaxCharges", "taxAmount", "postTaxTotal", "pretaxEffectiveRate",
                "postTaxEffectiveRate", "chargeType", "invoiceLineItemType", "partnerId",
                "partnerName", "partnerBillableAccountId", "customerId", "domainName",
                "customerCompanyName", "mpnId", "tier2MpnId", "invoiceNumber", "subscriptionId",
                "subscriptionName", "subscriptionDescription", "billingCycleType", "orderId",
                "serviceName", "serviceType", "resourceGuid", "resourceName", "region",
                "consumedQuantity", "chargeStartDate", "chargeEndDate", "unit", "billingProvider",
            ],
            Self::DailyUsage => &[
                "customerBillableAccount", "usageDate", "invoiceLineItemType", "partnerId",
                "partnerName", "partnerBillableAccountId", "customerId", "domainName",
                "customerCompanyName", "mpnId", "tier2MpnId", "invoiceNumber", "subscriptionId",
                "subscriptionName", "subscriptionDescription", "billingCycleType", "orderId",
                "serviceName", "serviceType", "resourceGuid", "resourceName", "region",
                "consumedQuantity", "chargeStartDate", "chargeEndDate", "unit", "billingProvider",
            ],
            Self::OneTime => &[
                "partnerId", "customerId", "customerName", "customerDomainName",
                "customerCountry", "invoiceNumber", "mpnId", "resellerMpnId", "orderId",
                "orderDate", "productId", "skuId", "availabilityId", "productName", "skuName",
                "productQualifiers", "chargeType", "unitPrice", "effectiveUnitPrice",
                "unitType", "quantity", "subtotal", "taxTotal", "totalForCustomer", "currency",
                "publisherName", "publisherId", "subscriptionDescription", "subscriptionId",
                "subscriptionStartDate", "subscriptionEndDate", "chargeStartDate",
                "chargeEndDate", "termAndBillingCycle", "alternateId", "referenceId",
                "priceAdjustmentDescription", "discountDetails", "pricingCurrency",
                "pcToBCExchangeRate", "pcToBCExchangeRateDate", "billableQuantity",
                "meterDescription", "billingFrequency", "reservationOrderId",
                "invoiceLineItemType", "billingProvider", "promotionId", "creditReasonCode",
            ],
            Self::DailyRatedUsage => &[
                "partnerId", "partnerName", "customerId", "customerName", "customerDomainName",
                "invoiceNumber", "productId", "skuId", "availabilityId", "skuName",
                "productName", "publisherName", "publisherId", "subscriptionId",
                "subscriptionDescription", "chargeStartDate", "chargeEndDate", "usageDate",
                "meterType", "meterCategory", "meterId", "meterSubCategory", "meterName",
                "meterRegion", "unitOfMeasure", "resourceLocation", "consumedService",
                "resourceGroup", "resourceUri", "tags", "additionalInfo", "serviceInfo1",
                "serviceInfo2", "customerCountry", "mpnId", "resellerMpnId", "chargeType",
                "unitPrice", "quantity", "unitType", "billingPreTaxTotal", "billingCurrency",
                "pricingPreTaxTotal", "pricingCurrency", "entitlementId",
                "entitlementDescription", "pcToBCExchangeRate", "pcToBCExchangeRateDate",
                "effectiveUnitPrice", "rateOfPartnerEarnedCredit", "rateOfCredit",
                "creditType", "invoiceLineItemType", "billingProvider", "benefitOrderId",
                "benefitId", "benefitType",
            ],
            Self::Unknown(_) => &[],
        }
    }
}
