//! The Partner Center REST API (`https://api.partnercenter.microsoft.com/v1`), one file per
//! area; every type is exported at the crate root. An area is added by adding its file:
//! the build script lists the folder (docs/adding-an-api-module.md).
//!
//! Sources: the Partner Center developer docs (the `*-resources` page of each area) and the
//! official .NET SDK's models.

include!(concat!(env!("OUT_DIR"), "/rest_areas.rs"));
