//! The Partner Center REST API (`https://api.partnercenter.microsoft.com/v1`), one file per
//! area; every type is exported at the crate root.
//!
//! Sources: the Partner Center developer docs (the `*-resources` page of each area) and the
//! official .NET SDK's models.

mod customers;
mod offers;
mod orders;
mod subscriptions;

pub use customers::*;
pub use offers::*;
pub use orders::*;
pub use subscriptions::*;
