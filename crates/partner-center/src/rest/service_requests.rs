//! The partner's support tickets with Microsoft (App+User only): list, get, open, update
//! (a note, the status, the severity) and the support topics to file them under.

use partner_center_models::{ServiceRequest, SupportTopic};
use partner_center_transport::{Error, Paged};

use crate::{CustomerHandle, PartnerCenter, seg};

impl PartnerCenter {
    /// The partner's service requests.
    ///
    /// ```no_run
    /// use partner_center::models::{ServiceRequest, ServiceRequestSeverity};
    /// use partner_center::prelude::*;
    /// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
    /// let requests = pc.service_requests();
    /// let topic = requests.support_topics().try_next().await?.expect("a topic");
    /// let ticket = ServiceRequest::new("Cannot sign in", "Since Monday…", ServiceRequestSeverity::Moderate, &topic.id);
    /// let opened = requests.create("en-US", &ticket).await?;
    /// requests.update(&opened.id, &ServiceRequest::note("More detail")).await?;
    /// # Ok(()) }
    /// ```
    pub fn service_requests(&self) -> ServiceRequests {
        ServiceRequests { pc: self.clone() }
    }
}

impl CustomerHandle {
    /// The service requests opened for this customer.
    pub fn service_requests(&self) -> Paged<ServiceRequest> {
        self.pc.rest_api().list(&self.path("/servicerequests"))
    }
}

/// `/servicerequests`.
#[derive(Debug, Clone)]
pub struct ServiceRequests {
    pc: PartnerCenter,
}

impl ServiceRequests {
    /// Every service request of the partner.
    pub fn list(&self) -> Paged<ServiceRequest> {
        self.pc.rest_api().list("/servicerequests")
    }

    /// A service request.
    pub async fn get(&self, id: &str) -> Result<ServiceRequest, Error> {
        let path = format!("/servicerequests/{}", seg(id));
        self.pc.rest_api().get(&path).await
    }

    /// Opens a service request (`ServiceRequest::new`), written in `locale` (`en-US`).
    pub async fn create(
        &self,
        locale: &str,
        request: &ServiceRequest,
    ) -> Result<ServiceRequest, Error> {
        let path = format!("/servicerequests/{}", seg(locale));
        self.pc.rest_api().post(&path, request).await
    }

    /// Changes what `changes` sets (`ServiceRequest::note` adds a note).
    pub async fn update(
        &self,
        id: &str,
        changes: &ServiceRequest,
    ) -> Result<ServiceRequest, Error> {
        let path = format!("/servicerequests/{}", seg(id));
        self.pc
            .rest_api()
            .patch_if_match(&path, None, changes)
            .await
    }

    /// The topics a service request may be filed under.
    pub fn support_topics(&self) -> Paged<SupportTopic> {
        self.pc.rest_api().list("/servicerequests/supporttopics")
    }
}
