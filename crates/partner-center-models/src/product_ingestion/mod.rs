//! The Product Ingestion API (`https://graph.microsoft.com/rp/product-ingestion`):
//! marketplace offers as resources described by JSON schemas, written with `configure`
//! jobs and read as resource trees; and offers as code on top (`offer`).
//!
//! Sources: MicrosoftDocs/azure-docs, articles/marketplace/product-ingestion-api.md (the
//! 2022 and 2023 versions), product-ingestion-api-saas.md,
//! product-ingestion-api-transactable-containers.md, and the resource schemas they name
//! (`https://product-ingestion.azureedge.net/schema/<type>/<version>`, also served from
//! `https://schema.mp.microsoft.com`). A resource is told apart by the type in its
//! `$schema`; the URL is kept as sent, so its version is too.

include!(concat!(env!("OUT_DIR"), "/product_ingestion_areas.rs"));
