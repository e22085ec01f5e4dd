//! The partner's support tickets with Microsoft: service requests and support topics.
//!
//! Sources (the Partner Center REST docs, developer/): service-request-resources.md
//! (ServiceRequest, its contact, organization and notes, SupportTopic),
//! get-service-request-details-by-id.md, update-a-service-request.md and
//! get-all-service-requests-for-a-customer.md; creating one and the support topics are
//! on the older pages (develop/create-a-service-request-.md,
//! develop/get-service-request-support-topics--pending-.md). Every one is App+User only.
//! The customer list's sample sends the severity and the status as numbers (their
//! position in the enum): they are read as the named values.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::{Extra, ResourceAttributes};

open_enum! {
    /// How urgent a service request is.
    ServiceRequestSeverity {
        /// `unknown`: not set.
        Unset = "unknown",
        /// Critical.
        Critical = "critical",
        /// Moderate.
        Moderate = "moderate",
        /// Minimal.
        Minimal = "minimal",
    }
}

open_enum! {
    /// Where a service request stands.
    ServiceRequestStatus {
        /// `none`: not set.
        Unset = "none",
        /// Open.
        Open = "open",
        /// Closed.
        Closed = "closed",
        /// Microsoft waits for the partner.
        AttentionNeeded = "attention_needed",
    }
}

/// The value of an enum sent as a string or as its position in `names` (the customer
/// list's sample sends `"severity": 0`).
fn by_name_or_position<'de, D, T>(d: D, names: &[&str]) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr<Err = std::convert::Infallible>,
{
    let never = |never: std::convert::Infallible| match never {};
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s.parse().unwrap_or_else(never)),
        Some(Value::Number(n)) => {
            let name = n
                .as_u64()
                .and_then(|i| names.get(usize::try_from(i).ok()?).copied())
                .map_or_else(|| n.to_string(), str::to_owned);
            Some(name.parse().unwrap_or_else(never))
        }
        _ => None,
    })
}

fn severity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ServiceRequestSeverity>, D::Error> {
    by_name_or_position(d, &["unknown", "critical", "moderate", "minimal"])
}

fn status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ServiceRequestStatus>, D::Error> {
    by_name_or_position(d, &["none", "open", "closed", "attention_needed"])
}

/// An id sent as a string or a number (the support topics' sample sends numbers; the
/// resource says string).
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// A support ticket with Microsoft (service-request-resources.md, ServiceRequest).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceRequest {
    /// Its id (numeric text, `616122292874576`); empty in a request to create one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How urgent it is.
    #[serde(
        default,
        deserialize_with = "severity",
        skip_serializing_if = "Option::is_none"
    )]
    pub severity: Option<ServiceRequestSeverity>,
    /// The support topic's id ([`SupportTopic`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_topic_id: Option<String>,
    /// The support topic's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_topic_name: Option<String>,
    /// Where it stands.
    #[serde(
        default,
        deserialize_with = "status",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<ServiceRequestStatus>,
    /// The organization it was opened for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<ServiceRequestOrganization>,
    /// Its primary contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<ServiceRequestContact>,
    /// Who changed it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_by: Option<ServiceRequestContact>,
    /// The product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// The product's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// When it was opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<String>,
    /// When it was last closed (`0001-01-01T00:00:00` when never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_closed_date: Option<String>,
    /// A note to add (in an update).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_note: Option<ServiceRequestNote>,
    /// Its notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<ServiceRequestNote>>,
    /// The country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// `objectType: ServiceRequest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here (`fileLinks`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl ServiceRequest {
    /// A request to open: the four fields the service requires.
    pub fn new(
        title: &str,
        description: &str,
        severity: ServiceRequestSeverity,
        support_topic_id: &str,
    ) -> Self {
        Self {
            title: Some(title.to_owned()),
            description: Some(description.to_owned()),
            severity: Some(severity),
            support_topic_id: Some(support_topic_id.to_owned()),
            attributes: Some(ResourceAttributes::object("ServiceRequest")),
            ..Self::default()
        }
    }

    /// An update that only adds a note.
    pub fn note(text: &str) -> Self {
        Self {
            new_note: Some(ServiceRequestNote {
                text: Some(text.to_owned()),
                ..ServiceRequestNote::default()
            }),
            attributes: Some(ResourceAttributes::object("ServiceRequest")),
            ..Self::default()
        }
    }
}

/// A contact on a service request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceRequestContact {
    /// Their organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<ServiceRequestOrganization>,
    /// Their id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The organization of a service request or contact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceRequestOrganization {
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A note on a service request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceRequestNote {
    /// Who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_name: Option<String>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What a service request is about (service-request-resources.md, SupportTopic).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SupportTopic {
    /// Its id (the docs' sample sends a number; it is kept as text, as the resource
    /// types it).
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `objectType: SupportTopic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
