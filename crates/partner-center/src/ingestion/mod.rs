//! Handlers for the submission (ingestion) API, and the publishing flow.
//!
//! The documented order: read the product's branches to find each module's current
//! draft instance, update those drafts, create a submission from them, then poll it
//! through InDraft → Submitted → ReadyToPublish (preview) → promote → Published, or a
//! failure with the validation items spelled out.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use partner_center_models::ingestion::{
    Branch, CertificationReport, Module, Product, ProductSetup, Submission,
    SubmissionCreationRequest, TypeValuePair, ValidationItem, Variant, VariantResource,
    WorkflowDetail,
};
use partner_center_transport::{Error, Paged};
use serde::Serialize;

use crate::{PartnerCenter, seg};

mod drafts;
pub use drafts::{Availabilities, DraftResource, DraftResources, Listings, Properties};

/// `pc.ingestion()`: the submission API.
#[derive(Debug, Clone)]
pub struct Ingestion {
    pc: PartnerCenter,
}

impl PartnerCenter {
    /// The submission (ingestion) API: products, branches, submissions, publishing.
    pub fn ingestion(&self) -> Ingestion {
        Ingestion { pc: self.clone() }
    }
}

impl Ingestion {
    /// `/products`.
    pub fn products(&self) -> Products {
        Products {
            pc: self.pc.clone(),
        }
    }

    /// One product's modules, variants and submissions.
    pub fn product(&self, id: &str) -> ProductHandle {
        ProductHandle {
            pc: self.pc.clone(),
            id: id.to_owned(),
        }
    }
}

/// `/products`.
#[derive(Debug, Clone)]
pub struct Products {
    pc: PartnerCenter,
}

impl Products {
    /// Every product, following `@odata.nextLink`.
    pub fn list(&self) -> Paged<Product> {
        self.pc.ingestion_api().list("/products")
    }

    /// One product.
    pub async fn get(&self, id: &str) -> Result<Product, Error> {
        self.pc
            .ingestion_api()
            .get(&format!("/products/{}", seg(id)))
            .await
    }

    /// Creates a product (201).
    pub async fn create<B: Serialize + ?Sized>(&self, product: &B) -> Result<Product, Error> {
        self.pc.ingestion_api().post("/products", product).await
    }

    /// Deletes a product (204).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let path = format!("/products/{}", seg(id));
        self.pc.ingestion_api().delete(&path).await
    }
}

/// `/products/{id}`.
#[derive(Debug, Clone)]
pub struct ProductHandle {
    pc: PartnerCenter,
    id: String,
}

/// The current draft instances of a product (and its plans), read from its branches.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Drafts {
    /// Module → draft instance of the product's main branches.
    pub main: Vec<(Module, String)>,
    /// Per variant: module → draft instance.
    pub variants: Vec<(String, Vec<(Module, String)>)>,
}

impl Drafts {
    /// The draft instance of a main-branch module.
    pub fn instance(&self, module: &Module) -> Option<&str> {
        self.main
            .iter()
            .find(|(m, _)| m == module)
            .map(|(_, i)| i.as_str())
    }

    /// The submission request that submits these drafts to `target` (`Preview`, `Live`).
    pub fn submission_request(&self, target: &str) -> SubmissionCreationRequest {
        let pair = |(m, i): &(Module, String)| TypeValuePair::new(m.as_str(), i.clone());
        SubmissionCreationRequest::new(
            target,
            self.main.iter().map(pair).collect(),
            self.variants
                .iter()
                .map(|(v, rs)| {
                    let mut vr = VariantResource::default();
                    vr.variant_id.clone_from(v);
                    vr.resources = rs.iter().map(pair).collect();
                    vr
                })
                .collect(),
        )
    }
}

/// How to wait for a submission.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The first polling interval (default 2 s); it grows by half each poll.
    pub initial_interval: Duration,
    /// The longest polling interval (default 60 s).
    pub max_interval: Duration,
    /// Give up after this long (default 2 h: certification can take hours).
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(60),
            timeout: Duration::from_secs(2 * 3600),
        }
    }
}

impl WaitOptions {
    /// Sets the intervals.
    pub fn intervals(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max;
        self
    }

    /// Sets the timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The pacing of a wait, started now.
    pub(crate) fn pacer(self) -> Pacer {
        Pacer {
            started: Instant::now(),
            interval: self.initial_interval,
            options: self,
        }
    }
}

/// Reads a state until `settled` says so, the pacing every REST and Graph wait shares:
/// `fetch` answers the state and the `Retry-After` the service asked for, if any; between
/// reads the pacer sleeps at least that; once `options.timeout` would pass, the wait ends
/// with [`Pacer::timed_out`] and what `still` says of the last state.
pub(crate) async fn poll<T, Fut>(
    options: WaitOptions,
    mut fetch: impl FnMut() -> Fut,
    mut settled: impl FnMut(&T) -> bool,
    still: impl Fn(&T) -> String,
) -> Result<T, partner_center_transport::Error>
where
    Fut: std::future::Future<Output = Result<(T, Option<Duration>), partner_center_transport::Error>>,
{
    let mut pacer = options.pacer();
    let mut polls = 0;
    loop {
        polls += 1;
        let (state, retry_after) = fetch().await?;
        if settled(&state) {
            return Ok(state);
        }
        if !pacer.wait_at_least(retry_after).await {
            return Err(pacer.timed_out(polls, &still(&state)));
        }
    }
}

/// The pacing every wait shares: a poll, then a sleep that grows by half up to the
/// longest interval, until the next sleep would pass the timeout.
pub(crate) struct Pacer {
    started: Instant,
    interval: Duration,
    options: WaitOptions,
}

impl Pacer {
    /// Sleeps before the next poll; `false`, without sleeping, when that would pass the
    /// timeout.
    pub(crate) async fn next(&mut self) -> bool {
        if self.started.elapsed() + self.interval > self.options.timeout {
            return false;
        }
        tokio::time::sleep(self.interval).await;
        self.interval = (self.interval + self.interval / 2).min(self.options.max_interval);
        true
    }

    /// Sleeps at least `floor` (a `Retry-After`, capped by the longest interval) or the
    /// next backoff interval, whichever is longer; `false`, without sleeping, when that
    /// would pass the timeout.
    pub(crate) async fn wait_at_least(&mut self, floor: Option<Duration>) -> bool {
        if let Some(floor) = floor {
            self.interval = self.interval.max(floor.min(self.options.max_interval));
        }
        self.next().await
    }

    /// The error a REST wait ends with after `polls` polls: transient, saying what to
    /// do (`message`) and how long it waited.
    pub(crate) fn timed_out(&self, polls: u32, message: &str) -> partner_center_transport::Error {
        partner_center_transport::Error::Transient {
            status: None,
            message: format!(
                "{message} (still not done after {} s)",
                self.options.timeout.as_secs()
            ),
            network: None,
            attempts: polls,
            request_id: String::new(),
            correlation_id: String::new(),
        }
    }

    /// How long the wait has lasted.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// Why a publishing flow did not reach its goal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// A request failed.
    #[error(transparent)]
    Api(#[from] Error),
    /// The submission failed; the validation items say why.
    #[error("submission {} failed ({}): {}", submission.id, submission.substate.as_ref().map_or("?".to_owned(), ToString::to_string), summary(validations))]
    Failed {
        /// The submission as last seen.
        submission: Box<Submission>,
        /// What validation and certification found.
        validations: Vec<ValidationItem>,
    },
    /// The submission did not finish in time.
    #[error("submission {} is still {} after {:?}; keep polling with `submissions watch`", submission.id, submission.substate.as_ref().map_or("?".to_owned(), ToString::to_string), waited)]
    TimedOut {
        /// The submission as last seen.
        submission: Box<Submission>,
        /// How long it was polled.
        waited: Duration,
    },
}

fn summary(items: &[ValidationItem]) -> String {
    if items.is_empty() {
        return "no validation items were returned".to_owned();
    }
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ProductHandle {
    fn path(&self, tail: &str) -> String {
        format!("/products/{}{tail}", seg(&self.id))
    }

    /// The product.
    pub async fn get(&self) -> Result<Product, Error> {
        self.pc.ingestion().products().get(&self.id).await
    }

    /// The product's setup.
    pub async fn setup(&self) -> Result<ProductSetup, Error> {
        self.pc.ingestion_api().get(&self.path("/setup")).await
    }

    /// The branches of a module (`getByModule(module=…)`).
    pub fn branches(&self, module: &Module) -> Paged<Branch> {
        self.pc
            .ingestion_api()
            .list(&self.path(&format!("/branches/getByModule(module={module})")))
    }

    /// The draft listings (store text, one per language).
    pub fn listings(&self) -> Listings {
        DraftResources::new(self.pc.clone(), &self.id)
    }

    /// The draft properties (categories, industries, terms).
    pub fn properties(&self) -> Properties {
        DraftResources::new(self.pc.clone(), &self.id)
    }

    /// The draft product availabilities (who can see the product).
    pub fn availabilities(&self) -> Availabilities {
        DraftResources::new(self.pc.clone(), &self.id)
    }

    /// Variants (plans).
    pub fn variants(&self) -> Variants {
        Variants {
            pc: self.pc.clone(),
            product: self.id.clone(),
        }
    }

    /// Packages.
    pub fn packages(&self) -> Paged<partner_center_models::ingestion::Package> {
        self.pc.ingestion_api().list(&self.path("/packages"))
    }

    /// Submissions.
    pub fn submissions(&self) -> Submissions {
        Submissions {
            pc: self.pc.clone(),
            product: self.id.clone(),
        }
    }

    /// Step 1 of publishing: the current draft instance of every module, for the product
    /// and each of its plans, read from the branches.
    pub async fn drafts(&self) -> Result<Drafts, Error> {
        let mut drafts = Drafts::default();
        for module in [
            Module::Listing,
            Module::Property,
            Module::Availability,
            Module::Package,
        ] {
            let branches: Vec<Branch> = self.branches(&module).try_collect().await?;
            for b in branches {
                let Some(instance) = b.current_draft_instance_id else {
                    continue;
                };
                match b.variant_id {
                    None => drafts.main.push((module.clone(), instance)),
                    Some(v) => match drafts.variants.iter_mut().find(|(id, _)| *id == v) {
                        Some((_, list)) => list.push((module.clone(), instance)),
                        None => drafts.variants.push((v, vec![(module.clone(), instance)])),
                    },
                }
            }
        }
        Ok(drafts)
    }

    /// Step 3: submits the drafts to `target` (`Preview` or `Live`).
    pub async fn submit(&self, drafts: &Drafts, target: &str) -> Result<Submission, Error> {
        self.submissions()
            .create(&drafts.submission_request(target))
            .await
    }

    /// Step 4: polls the submission, with a growing interval, until it is ready to
    /// publish, published, or failed (then with the validation items). `progress` sees
    /// every change of substate.
    pub async fn wait(
        &self,
        submission_id: &str,
        options: WaitOptions,
        mut progress: impl FnMut(&Submission),
    ) -> Result<Submission, PublishError> {
        let mut pacer = options.pacer();
        let mut last = None;
        loop {
            let s = self.submissions().get(submission_id).await?;
            if s.substate != last {
                progress(&s);
                last.clone_from(&s.substate);
            }
            if let Some(sub) = &s.substate {
                if sub.is_failure() {
                    let validations = self
                        .submissions()
                        .validations(submission_id)
                        .try_collect()
                        .await?;
                    return Err(PublishError::Failed {
                        submission: Box::new(s),
                        validations,
                    });
                }
                if sub.is_terminal() {
                    return Ok(s);
                }
            }
            if !pacer.next().await {
                return Err(PublishError::TimedOut {
                    submission: Box::new(s),
                    waited: pacer.elapsed(),
                });
            }
        }
    }
}

/// `/products/{id}/variants`.
#[derive(Debug, Clone)]
pub struct Variants {
    pc: PartnerCenter,
    product: String,
}

impl Variants {
    fn path(&self, tail: &str) -> String {
        format!("/products/{}/variants{tail}", seg(&self.product))
    }

    /// Every variant.
    pub fn list(&self) -> Paged<Variant> {
        self.pc.ingestion_api().list(&self.path(""))
    }

    /// One variant.
    pub async fn get(&self, id: &str) -> Result<Variant, Error> {
        self.pc
            .ingestion_api()
            .get(&self.path(&format!("/{}", seg(id))))
            .await
    }

    /// Creates a variant (a plan).
    pub async fn create(&self, variant: &Variant) -> Result<Variant, Error> {
        self.pc.ingestion_api().post(&self.path(""), variant).await
    }

    /// Deletes a variant.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let path = self.path(&format!("/{}", seg(id)));
        self.pc.ingestion_api().delete(&path).await
    }
}

/// `/products/{id}/submissions`.
#[derive(Debug, Clone)]
pub struct Submissions {
    pc: PartnerCenter,
    product: String,
}

impl Submissions {
    fn path(&self, tail: &str) -> String {
        format!("/products/{}/submissions{tail}", seg(&self.product))
    }

    /// Every submission.
    pub fn list(&self) -> Paged<Submission> {
        self.pc.ingestion_api().list(&self.path(""))
    }

    /// One submission.
    pub async fn get(&self, id: &str) -> Result<Submission, Error> {
        self.pc
            .ingestion_api()
            .get(&self.path(&format!("/{}", seg(id))))
            .await
    }

    /// Creates a submission.
    pub async fn create(&self, request: &SubmissionCreationRequest) -> Result<Submission, Error> {
        self.pc.ingestion_api().post(&self.path(""), request).await
    }

    /// Promotes a preview submission that is ready to publish to live. The service answers
    /// the submission's workflow (the spec's `WorkflowDetail`); read the submission (or
    /// [`ProductHandle::wait`] on it) for its state.
    pub async fn promote(&self, id: &str) -> Result<WorkflowDetail, Error> {
        let path = self.path(&format!("/{}/promote", seg(id)));
        self.pc.ingestion_api().post_empty(&path).await
    }

    /// What validation found.
    pub fn validations(&self, id: &str) -> Paged<ValidationItem> {
        self.pc
            .ingestion_api()
            .list(&self.path(&format!("/{}/validations", seg(id))))
    }

    /// Certification reports.
    pub fn reports(&self, id: &str) -> Paged<CertificationReport> {
        self.pc
            .ingestion_api()
            .list(&self.path(&format!("/{}/reports", seg(id))))
    }

    /// Workflow details.
    pub fn workflow_details(&self, id: &str) -> Paged<WorkflowDetail> {
        self.pc
            .ingestion_api()
            .list(&self.path(&format!("/{}/workflowdetails", seg(id))))
    }
}
