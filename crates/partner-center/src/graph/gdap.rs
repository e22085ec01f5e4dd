//! Granular delegated admin privileges (Microsoft Graph,
//! `/tenantRelationships/delegatedAdminRelationships`): relationships and their
//! lifecycle (create, lock for approval, the customer's approval, terminate), access
//! assignments and long-running operations.

use partner_center_models::gdap::{
    DelegatedAdminAccessAssignment, DelegatedAdminAccessDetails, DelegatedAdminRelationship,
    DelegatedAdminRelationshipOperation, DelegatedAdminRelationshipRequest,
    DelegatedAdminRelationshipRequestAction, LongRunningOperationStatus,
};
use partner_center_transport::{Error, Paged, RequestOptions};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ingestion::WaitOptions;
use crate::{PartnerCenter, seg};

const BASE: &str = "/tenantRelationships/delegatedAdminRelationships";

impl PartnerCenter {
    /// GDAP relationships with customers (a token for Microsoft Graph with
    /// `DelegatedAdminRelationship.ReadWrite.All`, from the same credential).
    ///
    /// ```no_run
    /// use partner_center::models::gdap::DelegatedAdminRelationship;
    /// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
    /// let gdap = pc.gdap();
    /// let helpdesk = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
    /// let asked = DelegatedAdminRelationship::new("Contoso support", "P730D", &[helpdesk])
    ///     .for_customer("4b827261-d21f-4aa9-b7db-7fa1f56fb163");
    /// let created = gdap.create(&asked).await?;
    /// gdap.lock_for_approval(&created.id).await?;
    /// println!("send the customer {}", created.approval_link());
    /// # Ok(()) }
    /// ```
    pub fn gdap(&self) -> Gdap {
        Gdap { pc: self.clone() }
    }
}

/// `/tenantRelationships/delegatedAdminRelationships`.
#[derive(Debug, Clone)]
pub struct Gdap {
    pc: PartnerCenter,
}

/// What an update did: changed at once (`200`, the new state), or started a long-running
/// operation (`202`, its URL: read it with [`Gdap::operation_at`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum GdapUpdate<T> {
    /// Done.
    Done(T),
    /// Going on: the operation's URL.
    Accepted(String),
}

impl Gdap {
    fn relationship(id: &str) -> String {
        format!("{BASE}/{}", seg(id))
    }

    fn assignment(id: &str, assignment: &str) -> String {
        format!("{BASE}/{}/accessAssignments/{}", seg(id), seg(assignment))
    }

    /// Every relationship, a page at a time.
    pub fn list(&self) -> Paged<DelegatedAdminRelationship> {
        self.pc.graph_api().list(BASE)
    }

    /// The relationships with one customer.
    pub fn of_customer(&self, tenant_id: &str) -> Paged<DelegatedAdminRelationship> {
        // OData quotes a quote by doubling it: the id stays a literal.
        let literal = tenant_id.replace('\'', "''");
        let filter = seg(&format!("customer/tenantId eq '{literal}'"));
        self.pc
            .graph_api()
            .list(&format!("{BASE}?$filter={filter}"))
    }

    /// A relationship.
    pub async fn get(&self, id: &str) -> Result<DelegatedAdminRelationship, Error> {
        self.pc.graph_api().get(&Self::relationship(id)).await
    }

    /// Creates a relationship (`DelegatedAdminRelationship::new`), in status `created`.
    pub async fn create(
        &self,
        relationship: &DelegatedAdminRelationship,
    ) -> Result<DelegatedAdminRelationship, Error> {
        self.pc.graph_api().post(BASE, relationship).await
    }

    /// Changes a relationship read with `etag`: anything while `created`; only
    /// `autoExtendDuration`, or removing the Global Administrator role (a long-running
    /// operation), while `active`.
    pub async fn update(
        &self,
        id: &str,
        etag: &str,
        changes: &DelegatedAdminRelationship,
    ) -> Result<GdapUpdate<DelegatedAdminRelationship>, Error> {
        self.patch(&Self::relationship(id), etag, changes).await
    }

    /// Deletes a relationship still in status `created`.
    pub async fn delete(&self, id: &str, etag: &str) -> Result<(), Error> {
        self.delete_if_match(&Self::relationship(id), etag).await
    }

    /// Makes a request on a relationship.
    pub async fn request(
        &self,
        id: &str,
        action: DelegatedAdminRelationshipRequestAction,
    ) -> Result<DelegatedAdminRelationshipRequest, Error> {
        let path = format!("{}/requests", Self::relationship(id));
        let request = DelegatedAdminRelationshipRequest::new(action);
        self.pc.graph_api().post(&path, &request).await
    }

    /// Locks a created relationship for the customer's approval
    /// ([`DelegatedAdminRelationship::approval_link`] is the link to send them).
    pub async fn lock_for_approval(
        &self,
        id: &str,
    ) -> Result<DelegatedAdminRelationshipRequest, Error> {
        self.request(id, DelegatedAdminRelationshipRequestAction::LockForApproval)
            .await
    }

    /// Ends an active relationship.
    pub async fn terminate(&self, id: &str) -> Result<DelegatedAdminRelationshipRequest, Error> {
        self.request(id, DelegatedAdminRelationshipRequestAction::Terminate)
            .await
    }

    /// The requests made on a relationship.
    pub fn requests(&self, id: &str) -> Paged<DelegatedAdminRelationshipRequest> {
        let path = format!("{}/requests", Self::relationship(id));
        self.pc.graph_api().list(&path)
    }

    /// The access assignments of a relationship.
    pub fn access_assignments(&self, id: &str) -> Paged<DelegatedAdminAccessAssignment> {
        let path = format!("{}/accessAssignments", Self::relationship(id));
        self.pc.graph_api().list(&path)
    }

    /// An access assignment.
    pub async fn access_assignment(
        &self,
        id: &str,
        assignment: &str,
    ) -> Result<DelegatedAdminAccessAssignment, Error> {
        self.pc
            .graph_api()
            .get(&Self::assignment(id, assignment))
            .await
    }

    /// Gives a security group roles in an active relationship
    /// (`DelegatedAdminAccessAssignment::new`); it starts `pending`.
    pub async fn create_access_assignment(
        &self,
        id: &str,
        assignment: &DelegatedAdminAccessAssignment,
    ) -> Result<DelegatedAdminAccessAssignment, Error> {
        let path = format!("{}/accessAssignments", Self::relationship(id));
        self.pc.graph_api().post(&path, assignment).await
    }

    /// Changes an assignment's roles (read with `etag`): usually a long-running
    /// operation; `Done` when the roles were already these.
    pub async fn update_access_assignment(
        &self,
        id: &str,
        assignment: &str,
        etag: &str,
        roles: &DelegatedAdminAccessDetails,
    ) -> Result<GdapUpdate<DelegatedAdminAccessAssignment>, Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Changes<'a> {
            access_details: &'a DelegatedAdminAccessDetails,
        }
        let changes = Changes {
            access_details: roles,
        };
        self.patch(&Self::assignment(id, assignment), etag, &changes)
            .await
    }

    /// Removes an access assignment (read with `etag`).
    pub async fn delete_access_assignment(
        &self,
        id: &str,
        assignment: &str,
        etag: &str,
    ) -> Result<(), Error> {
        self.delete_if_match(&Self::assignment(id, assignment), etag)
            .await
    }

    /// The long-running operations of a relationship.
    pub fn operations(&self, id: &str) -> Paged<DelegatedAdminRelationshipOperation> {
        let path = format!("{}/operations", Self::relationship(id));
        self.pc.graph_api().list(&path)
    }

    /// A long-running operation, by the URL an update answered (`GdapUpdate::Accepted`).
    pub async fn operation_at(
        &self,
        location: &str,
    ) -> Result<DelegatedAdminRelationshipOperation, Error> {
        self.pc.graph_api().get(location).await
    }

    /// Waits for a long-running operation (by its URL) to succeed or fail.
    pub async fn wait(
        &self,
        location: &str,
        options: WaitOptions,
    ) -> Result<DelegatedAdminRelationshipOperation, Error> {
        let done = crate::ingestion::poll(
            options,
            || async { self.operation_at(location).await.map(|o| (o, None)) },
            |o: &DelegatedAdminRelationshipOperation| {
                !matches!(
                    o.status,
                    LongRunningOperationStatus::NotStarted | LongRunningOperationStatus::Running
                )
            },
            |o| format!("operation {} is still running; read it later", o.id),
        )
        .await?;
        if done.status == LongRunningOperationStatus::Failed {
            return Err(Error::Api {
                status: 200,
                code: Some("operationFailed".to_owned()),
                description: format!(
                    "operation {} failed: {}",
                    done.id,
                    done.data.as_deref().unwrap_or("no reason given")
                ),
                fault: None,
                request_id: String::new(),
                correlation_id: String::new(),
            });
        }
        Ok(done)
    }

    async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        etag: &str,
        changes: &B,
    ) -> Result<GdapUpdate<T>, Error> {
        let body = serde_json::to_vec(changes).map_err(|e| Error::Config(e.to_string()))?;
        let options = RequestOptions::default()
            .if_match(etag)
            .header("Content-Type", "application/json");
        let answer = self
            .pc
            .graph_api()
            .send(Method::PATCH, path, Some(body.into()), &options)
            .await?;
        if answer.status == 202 {
            let location = answer
                .headers
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            return Ok(GdapUpdate::Accepted(location));
        }
        answer.json().map(GdapUpdate::Done)
    }

    async fn delete_if_match(&self, path: &str, etag: &str) -> Result<(), Error> {
        let options = RequestOptions::default().if_match(etag);
        self.pc
            .graph_api()
            .send(Method::DELETE, path, None, &options)
            .await
            .map(|_| ())
    }
}
