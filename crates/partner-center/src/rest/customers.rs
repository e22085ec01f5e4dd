//! `/customers`: list, get, create, delete (sandbox), and one customer's profile.

use partner_center_models::{Customer, CustomerCompanyProfile, ResourceCollection};
use partner_center_transport::{Error, Paged};
use serde::Serialize;

use crate::{PartnerCenter, seg};

impl PartnerCenter {
    /// Customers: list, get, create, delete (sandbox).
    pub fn customers(&self) -> Customers {
        Customers { pc: self.clone() }
    }

    /// One customer: its profile, orders, subscriptions.
    pub fn customer(&self, id: &str) -> CustomerHandle {
        CustomerHandle {
            pc: self.clone(),
            id: id.to_owned(),
        }
    }
}

/// `/customers`.
#[derive(Debug, Clone)]
pub struct Customers {
    pc: PartnerCenter,
}

impl Customers {
    /// Every customer, paged lazily (100 per page).
    pub fn list(&self) -> Paged<Customer> {
        self.list_with_page_size(100)
    }

    /// One page of customers (one request): the first `size`, and the link to the next.
    pub async fn first_page(&self, size: usize) -> Result<ResourceCollection<Customer>, Error> {
        self.pc
            .rest_api()
            .get(&format!("/customers?size={size}"))
            .await
    }

    /// Every customer, `size` per page.
    pub fn list_with_page_size(&self, size: usize) -> Paged<Customer> {
        self.pc.rest_api().list(&format!("/customers?size={size}"))
    }

    /// One customer.
    pub async fn get(&self, id: &str) -> Result<Customer, Error> {
        self.pc
            .rest_api()
            .get(&format!("/customers/{}", seg(id)))
            .await
    }

    /// Creates a customer. The answer carries the admin's `userCredentials` once.
    /// Retried safely: the request id is kept across retries.
    pub async fn create<B: Serialize + ?Sized>(&self, customer: &B) -> Result<Customer, Error> {
        self.pc.rest_api().post("/customers", customer).await
    }

    /// Deletes a customer (integration sandbox only).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.pc
            .rest_api()
            .delete(&format!("/customers/{}", seg(id)))
            .await
    }
}

/// One customer: `/customers/{id}`.
#[derive(Debug, Clone)]
pub struct CustomerHandle {
    pub(crate) pc: PartnerCenter,
    pub(crate) id: String,
}

impl CustomerHandle {
    /// The customer.
    pub async fn get(&self) -> Result<Customer, Error> {
        self.pc.customers().get(&self.id).await
    }

    /// Its company profile (App+User credentials only).
    pub async fn company_profile(&self) -> Result<CustomerCompanyProfile, Error> {
        let path = format!("/customers/{}/profiles/company", seg(&self.id));
        self.pc.rest_api().get(&path).await
    }

    /// `/customers/{id}{tail}`, for the areas under a customer.
    pub(crate) fn path(&self, tail: &str) -> String {
        format!("/customers/{}{tail}", seg(&self.id))
    }
}
