//! The REST API, one file per area. Each handler names a path and a type; the request
//! helper ([`Api`](crate::Api)) does the rest.

mod customers;
mod offers;
mod orders;
mod subscriptions;

pub use customers::{CustomerHandle, Customers};
pub use offers::Offers;
pub use orders::Orders;
pub use subscriptions::Subscriptions;
