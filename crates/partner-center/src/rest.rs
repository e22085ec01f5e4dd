//! Handlers for the REST API: each names a path and a type; the transport does the rest.

use partner_center_models::{
    Customer, Offer, Order, ResourceCollection, Subscription, SubscriptionStatus,
};
use partner_center_transport::{Error, Paged, RequestOptions};
use reqwest::Method;
use serde::Serialize;

use crate::{PartnerCenter, seg};

/// `/customers`.
#[derive(Debug, Clone)]
pub struct Customers {
    pc: PartnerCenter,
}

impl Customers {
    pub(crate) fn new(pc: PartnerCenter) -> Self {
        Self { pc }
    }

    /// Every customer, paged lazily (100 per page).
    pub fn list(&self) -> Paged<Customer> {
        self.list_with_page_size(100)
    }

    /// One page of customers (one request): the first `size`, and the link to the next.
    pub async fn first_page(&self, size: usize) -> Result<ResourceCollection<Customer>, Error> {
        self.pc
            .transport
            .get_json(
                &self.pc.rest,
                &format!("/customers?size={size}"),
                &RequestOptions::default(),
            )
            .await
    }

    /// Every customer, `size` per page.
    pub fn list_with_page_size(&self, size: usize) -> Paged<Customer> {
        self.pc.transport.paginate(
            &self.pc.rest,
            &format!("/customers?size={size}"),
            &RequestOptions::default(),
        )
    }

    /// One customer.
    pub async fn get(&self, id: &str) -> Result<Customer, Error> {
        self.pc
            .transport
            .get_json(
                &self.pc.rest,
                &format!("/customers/{}", seg(id)),
                &RequestOptions::default(),
            )
            .await
    }

    /// Creates a customer. The answer carries the admin's `userCredentials` once.
    /// Retried safely: the request id is kept across retries.
    pub async fn create<B: Serialize + ?Sized>(&self, customer: &B) -> Result<Customer, Error> {
        self.pc
            .transport
            .send_json(
                &self.pc.rest,
                Method::POST,
                "/customers",
                customer,
                &RequestOptions::default(),
            )
            .await
    }

    /// Deletes a customer (integration sandbox only).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let path = format!("/customers/{}", seg(id));
        self.pc
            .transport
            .send(
                &self.pc.rest,
                Method::DELETE,
                &path,
                None,
                &RequestOptions::default(),
            )
            .await
            .map(|_| ())
    }
}

/// One customer: `/customers/{id}`.
#[derive(Debug, Clone)]
pub struct CustomerHandle {
    pc: PartnerCenter,
    id: String,
}

impl CustomerHandle {
    pub(crate) fn new(pc: PartnerCenter, id: &str) -> Self {
        Self {
            pc,
            id: id.to_owned(),
        }
    }

    /// The customer.
    pub async fn get(&self) -> Result<Customer, Error> {
        self.pc.customers().get(&self.id).await
    }

    /// Its company profile (App+User credentials only).
    pub async fn company_profile(
        &self,
    ) -> Result<partner_center_models::CustomerCompanyProfile, Error> {
        let path = format!("/customers/{}/profiles/company", seg(&self.id));
        self.pc
            .transport
            .get_json(&self.pc.rest, &path, &RequestOptions::default())
            .await
    }

    /// Its subscriptions.
    pub fn subscriptions(&self) -> Subscriptions {
        Subscriptions {
            pc: self.pc.clone(),
            customer: self.id.clone(),
        }
    }

    /// Its orders.
    pub fn orders(&self) -> Orders {
        Orders {
            pc: self.pc.clone(),
            customer: self.id.clone(),
        }
    }
}

/// `/customers/{id}/subscriptions`.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    pc: PartnerCenter,
    customer: String,
}

impl Subscriptions {
    fn path(&self, tail: &str) -> String {
        format!("/customers/{}/subscriptions{tail}", seg(&self.customer))
    }

    /// Every subscription.
    pub fn list(&self) -> Paged<Subscription> {
        self.pc
            .transport
            .paginate(&self.pc.rest, &self.path(""), &RequestOptions::default())
    }

    /// One subscription.
    pub async fn get(&self, id: &str) -> Result<Subscription, Error> {
        self.pc
            .transport
            .get_json(
                &self.pc.rest,
                &self.path(&format!("/{}", seg(id))),
                &RequestOptions::default(),
            )
            .await
    }

    /// Sends the full, changed subscription (PATCH), with its etag in `If-Match`.
    pub async fn update(&self, subscription: &Subscription) -> Result<Subscription, Error> {
        let mut options = RequestOptions::default();
        if let Some(etag) = subscription.etag() {
            options = options.if_match(etag);
        }
        let path = self.path(&format!("/{}", seg(&subscription.id)));
        self.pc
            .transport
            .send_json(&self.pc.rest, Method::PATCH, &path, subscription, &options)
            .await
    }

    /// Gets the subscription, applies `change`, and updates it (one read, one write).
    pub async fn modify(
        &self,
        id: &str,
        change: impl FnOnce(&mut Subscription),
    ) -> Result<Subscription, Error> {
        let mut subscription = self.get(id).await?;
        change(&mut subscription);
        self.update(&subscription).await
    }

    /// Suspends or reactivates.
    pub async fn set_status(
        &self,
        id: &str,
        status: SubscriptionStatus,
    ) -> Result<Subscription, Error> {
        self.modify(id, |s| s.status = Some(status)).await
    }
}

/// `/customers/{id}/orders`.
#[derive(Debug, Clone)]
pub struct Orders {
    pc: PartnerCenter,
    customer: String,
}

impl Orders {
    fn path(&self, tail: &str) -> String {
        format!("/customers/{}/orders{tail}", seg(&self.customer))
    }

    /// Every order.
    pub fn list(&self) -> Paged<Order> {
        self.pc
            .transport
            .paginate(&self.pc.rest, &self.path(""), &RequestOptions::default())
    }

    /// One order.
    pub async fn get(&self, id: &str) -> Result<Order, Error> {
        self.pc
            .transport
            .get_json(
                &self.pc.rest,
                &self.path(&format!("/{}", seg(id))),
                &RequestOptions::default(),
            )
            .await
    }

    /// Places an order; its subscriptions appear under the customer. Retried safely:
    /// the request id is kept across retries, and the service deduplicates by it.
    pub async fn create<B: Serialize + ?Sized>(&self, order: &B) -> Result<Order, Error> {
        self.pc
            .transport
            .send_json(
                &self.pc.rest,
                Method::POST,
                &self.path(""),
                order,
                &RequestOptions::default(),
            )
            .await
    }

    /// Cancels an order (integration sandbox).
    pub async fn cancel(&self, id: &str) -> Result<Order, Error> {
        let body = serde_json::json!({"id": id, "status": "cancelled"});
        self.pc
            .transport
            .send_json(
                &self.pc.rest,
                Method::PATCH,
                &self.path(&format!("/{}", seg(id))),
                &body,
                &RequestOptions::default(),
            )
            .await
    }
}

/// `/offers?country=`.
#[derive(Debug, Clone)]
pub struct Offers {
    pc: PartnerCenter,
    country: String,
}

impl Offers {
    pub(crate) fn new(pc: PartnerCenter, country: &str) -> Self {
        Self {
            pc,
            country: country.to_owned(),
        }
    }

    /// Every offer of the market.
    pub fn list(&self) -> Paged<Offer> {
        self.pc.transport.paginate(
            &self.pc.rest,
            &format!("/offers?country={}", seg(&self.country)),
            &RequestOptions::default(),
        )
    }

    /// One offer.
    pub async fn get(&self, id: &str) -> Result<Offer, Error> {
        let path = format!("/offers/{}?country={}", seg(id), seg(&self.country));
        self.pc
            .transport
            .get_json(&self.pc.rest, &path, &RequestOptions::default())
            .await
    }
}
