//! The submission (ingestion) API (`https://api.partner.microsoft.com/v1.0/ingestion`).
//!
//! Source of truth: the API's OpenAPI description (shared/specs). Entities carry
//! `resourceType`, `id` and `@odata.etag`; collections are `{value, @odata.nextLink}`.
//! Polymorphic families (variants, package configurations, lead configurations, …) are
//! enums on `resourceType` that keep unknown types. Every struct keeps unknown fields.
//! Property names are matched as the service sends them; the service itself treats them
//! case-insensitively (its own examples write `ID` for `id`).

include!(concat!(env!("OUT_DIR"), "/ingestion_areas.rs"));
