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
