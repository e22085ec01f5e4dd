#![doc = include_str!("../README.md")]

#[macro_use]
mod macros;
pub mod ingestion;
pub mod rest;

/// Fields a model does not know, kept as sent and written back out.
pub type Extra = serde_json::Map<String, serde_json::Value>;
