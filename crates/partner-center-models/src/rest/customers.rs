//! Customers: the customer, its company and billing profiles, and the admin credentials a create returns.
//!
//! Sources: customer-resources (Partner Center REST docs).

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::{Extra, Links, ResourceAttributes};

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
    #[serde(default, serialize_with = "crate::redacted")]
    pub password: Option<SecretString>,
}

impl PartialEq for UserCredentials {
    fn eq(&self, other: &Self) -> bool {
        self.user_name == other.user_name
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
