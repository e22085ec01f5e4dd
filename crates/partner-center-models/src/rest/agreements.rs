//! Agreements: the agreement templates (metadata), and a customer's accepted agreements,
//! among them the Microsoft Customer Agreement a customer must have accepted before a
//! new-commerce purchase.
//!
//! Sources: the Partner Center REST docs `agreement-resources`,
//! `agreement-metadata-resources`, `utility-resources` (Contact), and the samples of
//! `get-customer-agreement-metadata`, `get-confirmation-of-customer-agreement` and
//! `confirm-customer-consent-customer-agreement`. The wire names are the samples':
//! `agreementType` and `versionRank` on metadata (the table says `type`, `VersionRank`),
//! `type` on an agreement.

use serde::{Deserialize, Serialize};

use crate::{Extra, Links};

/// The Microsoft Customer Agreement's template id (get-customer-agreement-metadata.md).
pub const MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID: &str = "117a77b0-9360-443b-8795-c6dedc750cf9";

open_enum! {
    /// An agreement's type. Query with `*` for every type; without a type the service
    /// answers for the Microsoft Cloud Agreement only.
    AgreementType {
        /// The Microsoft Customer Agreement: what new commerce requires.
        MicrosoftCustomerAgreement = "MicrosoftCustomerAgreement",
        /// The Microsoft Cloud Agreement, which the Customer Agreement replaced in 2021.
        MicrosoftCloudAgreement = "MicrosoftCloudAgreement",
    }
}

/// An agreement template: `GET /v1/agreements?agreementType=`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AgreementMetadata {
    /// The template id, sent back when a customer's acceptance is confirmed.
    pub template_id: String,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_type: Option<AgreementType>,
    /// The agreement's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_link: Option<String>,
    /// The version's rank, for enforcement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_rank: Option<i64>,
    /// `self`, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A customer's acceptance of an agreement: what `POST /v1/customers/{id}/agreements`
/// takes (contact, template, date, type) and what the service records (plus `userId`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Agreement {
    /// The partner user who confirmed it (derived by the service from the App+User token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The customer's user who accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<Contact>,
    /// The template accepted.
    pub template_id: String,
    /// When the customer accepted it, as sent (`2018-06-14T00:00:00.000Z`; the docs also
    /// show `2019-08-26T00:00:00` without a zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_agreed: Option<String>,
    /// Its type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub agreement_type: Option<AgreementType>,
    /// The agreement's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_link: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Agreement {
    /// The confirmation that `contact` accepted the Microsoft Customer Agreement on
    /// `date_agreed` (UTC, e.g. `2024-05-01T00:00:00Z`).
    pub fn microsoft_customer_agreement(contact: Contact, date_agreed: &str) -> Self {
        Self {
            primary_contact: Some(contact),
            template_id: MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID.to_owned(),
            date_agreed: Some(date_agreed.to_owned()),
            agreement_type: Some(AgreementType::MicrosoftCustomerAgreement),
            ..Self::default()
        }
    }
}

/// A person: the customer's user who accepted an agreement (utility-resources' Contact).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contact {
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Fields not modelled here (`middleName`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Contact {
    /// A contact with a name and an email address.
    pub fn new(first_name: &str, last_name: &str, email: &str) -> Self {
        Self {
            first_name: Some(first_name.to_owned()),
            last_name: Some(last_name.to_owned()),
            email: Some(email.to_owned()),
            ..Self::default()
        }
    }

    /// With a phone number.
    pub fn with_phone(mut self, phone: &str) -> Self {
        self.phone_number = Some(phone.to_owned());
        self
    }
}
