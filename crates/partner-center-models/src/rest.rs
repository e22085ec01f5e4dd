//! The Partner Center REST API (`https://api.partnercenter.microsoft.com/v1`).
//!
//! Sources: the Partner Center developer docs (customer-, order-, subscription-,
//! offer- and utility-resources) and the official .NET SDK's models.

use secrecy::SecretString;
use serde::{Deserialize, Serialize, Serializer};

use crate::Extra;

/// A link to a related resource or page: `{uri, method, headers: [{key, value}]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Link {
    /// Usually relative to the API version root (`/customers?...`); sometimes with `/v1`.
    pub uri: String,
    /// The HTTP method, e.g. `GET`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Headers to send with the request (notably `MS-ContinuationToken`); always
    /// written, as the service writes `[]`.
    #[serde(default)]
    pub headers: Vec<KeyValue>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Link {
    /// A GET link to `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        Self {
            uri: uri.into(),
            method: Some("GET".to_owned()),
            ..Self::default()
        }
    }

    /// Adds a header to send.
    pub fn with_header(mut self, key: &str, value: &str) -> Self {
        self.headers.push(KeyValue {
            key: key.to_owned(),
            value: value.to_owned(),
        });
        self
    }

    /// The value of a header to send, matched case-insensitively.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.key.eq_ignore_ascii_case(key))
            .map(|h| h.value.as_str())
    }
}

/// A `{key, value}` pair, as links carry their headers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KeyValue {
    /// Header name.
    pub key: String,
    /// Header value.
    pub value: String,
}

/// `self`, `next`, `previous` and any other named links.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Links {
    /// This resource or page.
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<Link>,
    /// The next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
    /// The previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
    /// Other links (offer, product, sku, provisioningStatus, …), kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Links {
    /// Links with just `self`.
    pub fn self_link(link: Link) -> Self {
        Self {
            self_: Some(link),
            ..Self::default()
        }
    }
}

/// `{etag, objectType}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceAttributes {
    /// The entity tag, for `If-Match` on updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The resource type, e.g. `Customer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
}

impl ResourceAttributes {
    /// Attributes with just an object type.
    pub fn object(object_type: &str) -> Self {
        Self {
            etag: None,
            object_type: Some(object_type.to_owned()),
        }
    }

    /// Attributes with an object type and an entity tag.
    pub fn with_etag(object_type: &str, etag: impl Into<String>) -> Self {
        Self {
            etag: Some(etag.into()),
            object_type: Some(object_type.to_owned()),
        }
    }
}

/// A page of a collection: `{totalCount, items, links, attributes}` (plus
/// `continuationToken` on seek-based collections).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceCollection<T> {
    /// The number of items **in this page**.
    #[serde(default)]
    pub total_count: u64,
    /// The items.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Paging links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// The seek token of seek-based collections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    /// `{objectType: "Collection"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> ResourceCollection<T> {
    /// A page of `items`, with a next link when there is more.
    pub fn new(items: Vec<T>, next: Option<Link>) -> Self {
        Self {
            total_count: items.len() as u64,
            items,
            links: next.map(|n| Links {
                next: Some(n),
                ..Links::default()
            }),
            continuation_token: None,
            attributes: Some(ResourceAttributes::object("Collection")),
            extra: Extra::new(),
        }
    }

    /// The link to the next page, if any.
    pub fn next_link(&self) -> Option<&Link> {
        self.links.as_ref().and_then(|l| l.next.as_ref())
    }
}

/// The usual error body: `{code, description, data, source}`, or the richer shape with
/// `errorName`/`isRetryable`, or the throttling body `{statusCode, message}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiFault {
    /// The service's error code; a number in most answers, a string in some: kept as
    /// sent, so the body round-trips exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<FaultCode>,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The richer shape's message, and the throttling body's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Extra data, often strings (`[]` is kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<serde_json::Value>>,
    /// The component that failed (`PartnerFD`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The richer shape's symbolic name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_name: Option<String>,
    /// The richer shape's retry verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_retryable: Option<bool>,
    /// The throttling body's status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ApiFault {
    /// A fault with a numeric code and a description, as the service sends them.
    pub fn new(code: u32, description: impl Into<String>) -> Self {
        Self {
            code: Some(FaultCode::Number(code.into())),
            data: Some(Vec::new()),
            description: Some(description.into()),
            source: Some("PartnerFD".to_owned()),
            ..Self::default()
        }
    }

    /// Whether the body looked like any known error shape.
    pub fn is_recognised(&self) -> bool {
        self.code.is_some()
            || self.description.is_some()
            || self.message.is_some()
            || self.status_code.is_some()
    }

    /// The best human-readable text: description, else message.
    pub fn text(&self) -> Option<&str> {
        self.description.as_deref().or(self.message.as_deref())
    }
}

/// An error code as the service wrote it: a JSON number (`60012`), a string
/// (`"60012"`, `"InvalidInput"`), or any other JSON value, kept whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum FaultCode {
    /// A numeric code, as most answers send it.
    Number(serde_json::Number),
    /// A textual code.
    Text(String),
    /// Any other JSON value (kept so the body round-trips).
    Other(serde_json::Value),
}

impl std::fmt::Display for FaultCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaultCode::Number(n) => write!(f, "{n}"),
            FaultCode::Text(s) => f.write_str(s),
            FaultCode::Other(v) => write!(f, "{v}"),
        }
    }
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the service's own, documented in the module
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

open_enum! {
    /// The partner's relationship to a customer.
    RelationshipToPartner {
        /// No relationship.
        None = "none",
        /// Reseller.
        Reseller = "reseller",
        /// Advisor.
        Advisor = "advisor",
        /// Syndication.
        Syndication = "syndication",
        /// Microsoft support.
        MicrosoftSupport = "microsoft_support",
    }
}

/// The customer's company profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomerCompanyProfile {
    /// The customer's tenant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// The `*.onmicrosoft.com` domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// The company address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
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

/// The customer's billing profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
#[allow(missing_docs)] // reason: field names are the service's own
pub struct CustomerBillingProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub culture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The admin credentials a customer create returns, once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserCredentials {
    /// The admin user name.
    #[serde(default)]
    pub user_name: String,
    /// The admin password: a secret (never logged; `Debug` is redacted; serialising it
    /// writes a redaction marker: print it on purpose with `expose_secret`).
    #[serde(default, serialize_with = "redacted")]
    pub password: Option<SecretString>,
}

impl PartialEq for UserCredentials {
    fn eq(&self, other: &Self) -> bool {
        self.user_name == other.user_name
    }
}

fn redacted<S: Serializer>(value: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(_) => s.serialize_str("[REDACTED]"),
        None => s.serialize_none(),
    }
}

/// A customer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Customer {
    /// The customer's tenant id.
    pub id: String,
    /// The commerce id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commerce_id: Option<String>,
    /// The company profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_profile: Option<CustomerCompanyProfile>,
    /// The billing profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_profile: Option<CustomerBillingProfile>,
    /// The relationship to the partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship_to_partner: Option<RelationshipToPartner>,
    /// Whether delegated admin access is allowed (get-by-id only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_delegated_access: Option<bool>,
    /// The admin credentials, returned once by create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_credentials: Option<UserCredentials>,
    /// Custom domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_domains: Vec<String>,
    /// The indirect reseller's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associated_partner_id: Option<String>,
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

impl Customer {
    /// The company name, from the company or billing profile.
    pub fn company_name(&self) -> Option<&str> {
        self.company_profile
            .as_ref()
            .and_then(|p| p.company_name.as_deref())
            .or_else(|| {
                self.billing_profile
                    .as_ref()
                    .and_then(|b| b.company_name.as_deref())
            })
    }

    /// The `*.onmicrosoft.com` domain.
    pub fn domain(&self) -> Option<&str> {
        self.company_profile
            .as_ref()
            .and_then(|p| p.domain.as_deref())
    }
}

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
    /// The entity tag to send in `If-Match` when updating.
    pub fn etag(&self) -> Option<&str> {
        self.attributes.as_ref().and_then(|a| a.etag.as_deref())
    }
}

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
