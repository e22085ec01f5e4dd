//! `/customers/{id}/carts`: build a new-commerce purchase, then check it out.

use partner_center_models::{Cart, CartCheckoutResult};
use partner_center_transport::Error;

use crate::{CustomerHandle, PartnerCenter, seg};

impl CustomerHandle {
    /// Its carts.
    pub fn carts(&self) -> Carts {
        Carts {
            pc: self.pc.clone(),
            base: self.path("/carts"),
        }
    }
}

/// `/customers/{id}/carts`.
#[derive(Debug, Clone)]
pub struct Carts {
    pc: PartnerCenter,
    base: String,
}

impl Carts {
    /// Creates a cart from its lines; the answer carries ids, prices, order groups and any
    /// line's error. Retried safely: the request id is kept across retries.
    pub async fn create(&self, cart: &Cart) -> Result<Cart, Error> {
        self.pc.rest_api().post(&self.base, cart).await
    }

    /// One cart.
    pub async fn get(&self, id: &str) -> Result<Cart, Error> {
        self.pc
            .rest_api()
            .get(&format!("{}/{}", self.base, seg(id)))
            .await
    }

    /// Replaces an active cart's lines (PUT of the whole cart, as read).
    pub async fn update(&self, cart: &Cart) -> Result<Cart, Error> {
        let id = cart
            .id
            .as_deref()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                Error::Config(
                    "the cart has no id: create it first, then update what the service answered"
                        .to_owned(),
                )
            })?;
        let path = format!("{}/{}", self.base, seg(id));
        self.pc.rest_api().put_if_match(&path, None, cart).await
    }

    /// Checks the cart out: one order per order group, and the groups that failed. A
    /// repeated checkout (a retry, the same request id) buys nothing twice.
    pub async fn checkout(&self, id: &str) -> Result<CartCheckoutResult, Error> {
        let path = format!("{}/{}/checkout", self.base, seg(id));
        self.pc.rest_api().post_empty(&path).await
    }
}
