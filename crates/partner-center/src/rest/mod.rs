//! The REST API, one file per area, each adding its accessors to [`PartnerCenter`]
//! (`pc.customers()`, `pc.customer(id).orders()`, …) and exporting its handles at the
//! crate root. Each handler names a path and a type; the request helper
//! ([`Api`](crate::Api)) does the rest. An area is added by adding its file: the build
//! script lists the folder.
//!
//! [`PartnerCenter`]: crate::PartnerCenter

include!(concat!(env!("OUT_DIR"), "/rest_areas.rs"));
