#![doc = include_str!("../README.md")]

#[macro_use]
mod macros;
mod envelope;
pub mod graph;
pub mod ingestion;
mod rest;

pub use envelope::*;
pub use rest::*;

/// Fields a model does not know, kept as sent and written back out.
pub type Extra = serde_json::Map<String, serde_json::Value>;

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
