//! `/customers/{id}/orders`: list, get, place, cancel (sandbox).

use partner_center_models::Order;
use partner_center_transport::{Error, Paged};
use serde::Serialize;

use crate::{CustomerHandle, PartnerCenter, seg};

impl CustomerHandle {
    /// Its orders.
    pub fn orders(&self) -> Orders {
        Orders {
            pc: self.pc.clone(),
            base: self.path("/orders"),
        }
    }
}

/// `/customers/{id}/orders`.
#[derive(Debug, Clone)]
pub struct Orders {
    pc: PartnerCenter,
    base: String,
}

impl Orders {
    /// Every order.
    pub fn list(&self) -> Paged<Order> {
        self.pc.rest_api().list(&self.base)
    }

    /// One order.
    pub async fn get(&self, id: &str) -> Result<Order, Error> {
        self.pc
            .rest_api()
            .get(&format!("{}/{}", self.base, seg(id)))
            .await
    }

    /// Places an order; its subscriptions appear under the customer. Retried safely:
    /// the request id is kept across retries, and the service deduplicates by it.
    pub async fn create<B: Serialize + ?Sized>(&self, order: &B) -> Result<Order, Error> {
        self.pc.rest_api().post(&self.base, order).await
    }

    /// Cancels an order (integration sandbox).
    pub async fn cancel(&self, id: &str) -> Result<Order, Error> {
        let body = serde_json::json!({"id": id, "status": "cancelled"});
        let path = format!("{}/{}", self.base, seg(id));
        self.pc.rest_api().patch_if_match(&path, None, &body).await
    }
}
