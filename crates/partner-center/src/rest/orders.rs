//! `/customers/{id}/orders`: list, get, place, cancel (sandbox).

use partner_center_models::{Order, ProvisioningStatus};
use partner_center_transport::{Error, Paged};
use serde::Serialize;

use crate::ingestion::WaitOptions;
use crate::prelude::*;
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

    /// The provisioning status of each of the order's lines (App+User credentials only).
    pub async fn provisioning_status(&self, id: &str) -> Result<Vec<ProvisioningStatus>, Error> {
        let path = format!("{}/{}/provisioningstatus", self.base, seg(id));
        self.pc.rest_api().list(&path).try_collect().await
    }

    /// Polls the provisioning status until every line has settled (fulfilled or not),
    /// with backoff between polls and within `options.timeout`; `progress` sees each poll.
    /// A timeout is [`Error::Transient`].
    pub async fn wait_provisioned(
        &self,
        id: &str,
        options: WaitOptions,
        mut progress: impl FnMut(&[ProvisioningStatus]),
    ) -> Result<Vec<ProvisioningStatus>, Error> {
        crate::ingestion::poll(
            options,
            || async { Ok((self.provisioning_status(id).await?, None)) },
            |lines: &Vec<ProvisioningStatus>| {
                progress(lines);
                !lines.is_empty() && lines.iter().all(ProvisioningStatus::is_settled)
            },
            |_| {
                format!("order {id} is still being provisioned; `orders status --wait` again later")
            },
        )
        .await
    }
}
