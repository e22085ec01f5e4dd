#![doc = include_str!("../README.md")]

#[macro_use]
mod macros;
mod envelope;
pub mod graph;
pub mod ingestion;
pub mod product_ingestion;
mod rest;

pub use envelope::*;
pub use rest::*;

/// Granular delegated admin privileges: the GDAP types of [`graph`], by themselves.
pub mod gdap {
    pub use crate::graph::{
        DelegatedAdminAccessAssignment, DelegatedAdminAccessAssignmentStatus,
        DelegatedAdminAccessContainer, DelegatedAdminAccessContainerType,
        DelegatedAdminAccessDetails, DelegatedAdminRelationship,
        DelegatedAdminRelationshipCustomerParticipant, DelegatedAdminRelationshipOperation,
        DelegatedAdminRelationshipOperationType, DelegatedAdminRelationshipRequest,
        DelegatedAdminRelationshipRequestAction, DelegatedAdminRelationshipRequestStatus,
        DelegatedAdminRelationshipStatus, LongRunningOperationStatus, UnifiedRole,
    };
}

/// Fields a model does not know, kept as sent and written back out.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Writes a secret field out as-is: the opt-in for the few secrets the API must receive
/// (a lead destination's credentials, a new user's password). `Debug` stays redacted.
#[allow(clippy::disallowed_methods, clippy::ref_option)] // reason: the one serializer that sends a secret field to the API
pub(crate) fn on_the_wire<S: serde::Serializer>(
    value: &Option<secrecy::SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    match value {
        Some(v) => s.serialize_str(v.expose_secret()),
        None => s.serialize_none(),
    }
}

/// Writes a secret field as a redaction marker: a model printed or logged never shows it
/// (print it on purpose with `expose_secret`).
pub(crate) fn redacted<S: serde::Serializer>(
    value: &Option<secrecy::SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(_) => s.serialize_str("[REDACTED]"),
        None => s.serialize_none(),
    }
}
