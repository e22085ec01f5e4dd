//! The Product Ingestion API (`https://graph.microsoft.com/rp/product-ingestion`):
//! marketplace offers as resources, read as resource trees and written by `configure`
//! jobs; and offers as code on top (export, diff, apply, publish).

use std::time::Duration;

use partner_center_models::product_ingestion::{
    ConfigureDetail, ConfigureError, ConfigureRequest, ConfigureStatus, DEFAULT_SCHEMA_VERSION,
    JobResult, OfferChange, Resource, ResourceTree, Submission, Target, TargetType, check_offer,
    diff_offer, offer_from_tree, offer_with_ids, schema_url,
};
use partner_center_transport::{Error, Paged, RequestOptions};
use reqwest::Method;

use crate::ingestion::WaitOptions;
use crate::{PartnerCenter, seg};

impl PartnerCenter {
    /// The Product Ingestion API (a token for Microsoft Graph, from the same
    /// credential), at schema version [`DEFAULT_SCHEMA_VERSION`].
    ///
    /// ```no_run
    /// use partner_center::ingestion::WaitOptions;
    /// use partner_center::models::product_ingestion::{ConfigureRequest, TargetType};
    /// # async fn demo(pc: partner_center::PartnerCenter, file: ConfigureRequest) -> Result<(), partner_center::Error> {
    /// let offers = pc.product_ingestion();
    /// if let Some(job) = offers.apply(&file).await? {
    ///     offers.wait(&job.job_id, WaitOptions::default(), |_| {}).await?;
    /// }
    /// let product = offers.find_product("contoso-saas").await?.expect("applied");
    /// let job = offers.publish(&product, TargetType::Preview).await?;
    /// offers.wait(&job.job_id, WaitOptions::default(), |_| {}).await?;
    /// # Ok(()) }
    /// ```
    pub fn product_ingestion(&self) -> ProductIngestion {
        ProductIngestion {
            pc: self.clone(),
            version: DEFAULT_SCHEMA_VERSION.to_owned(),
        }
    }
}

/// `…/rp/product-ingestion`, at one schema version (`$version`).
#[derive(Debug, Clone)]
pub struct ProductIngestion {
    pc: PartnerCenter,
    version: String,
}

/// A product's durable id, when `name` is one (`product/<guid>`) or a guid.
fn product_id(name: &str) -> Option<String> {
    if name.starts_with("product/") {
        return Some(name.to_owned());
    }
    let parts: Vec<&str> = name.split('-').collect();
    let guid = parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()));
    guid.then(|| format!("product/{name}"))
}

impl ProductIngestion {
    /// At another schema version (`2022-03-01-preview5`, …): the service answers each
    /// resource in its newest version up to this one.
    #[must_use]
    pub fn with_version(mut self, version: &str) -> Self {
        version.clone_into(&mut self.version);
        self
    }

    /// `path` with the `$version` parameter.
    fn path(&self, path: &str) -> String {
        let join = if path.contains('?') { '&' } else { '?' };
        format!("{path}{join}$version={}", seg(&self.version))
    }

    /// A product's durable id from what a user names it by: its offer id (external id),
    /// `product/<guid>` or the guid.
    pub async fn product(&self, name: &str) -> Result<String, Error> {
        if let Some(id) = product_id(name) {
            return Ok(id);
        }
        self.find_product(name).await?.ok_or_else(|| {
            Error::Config(format!(
                "no product has the offer id {name}: list them with `marketplace products list`"
            ))
        })
    }

    /// A product (by its offer id, durable id or guid) in one state: draft, preview or
    /// live.
    pub async fn resource_tree(
        &self,
        product: &str,
        target: TargetType,
    ) -> Result<ResourceTree, Error> {
        let id = self.product(product).await?;
        let (kind, guid) = id.split_once('/').unwrap_or(("product", &id));
        let path = format!(
            "/resource-tree/{kind}/{}?targetType={}",
            seg(guid),
            seg(target.as_str())
        );
        self.pc.product_ingestion_api().get(&self.path(&path)).await
    }

    /// A draft resource by its durable id (`plan/<product>/<plan>`).
    pub async fn resource(&self, durable_id: &str) -> Result<Resource, Error> {
        let path: Vec<String> = durable_id.split('/').map(seg).collect();
        self.pc
            .product_ingestion_api()
            .get(&self.path(&format!("/{}", path.join("/"))))
            .await
    }

    /// The partner's products.
    pub fn products(&self) -> Paged<Resource> {
        self.pc.product_ingestion_api().list(&self.path("/product"))
    }

    /// The product with this external id (offer id), if there is one.
    pub async fn find_product(&self, external_id: &str) -> Result<Option<String>, Error> {
        let path = self.path(&format!("/product?externalId={}", seg(external_id)));
        let mut found = self.pc.product_ingestion_api().list::<Resource>(&path);
        use futures_util::TryStreamExt as _;
        Ok(found
            .try_next()
            .await?
            .and_then(|r| r.id().map(str::to_owned)))
    }

    /// The submissions of a product (its durable id or guid): its draft, preview and live
    /// ones.
    pub fn submissions(&self, product: &str) -> Paged<Resource> {
        let id = product_id(product).unwrap_or_else(|| product.to_owned());
        let guid = id.split_once('/').map_or(id.as_str(), |(_, g)| g);
        let path = self.path(&format!("/submission/{}", seg(guid)));
        self.pc.product_ingestion_api().list(&path)
    }

    /// Starts a configure job. Retried after a dropped connection, the request keeps its
    /// `client-request-id`, which the service answers with the same job.
    pub async fn configure(&self, request: &ConfigureRequest) -> Result<ConfigureStatus, Error> {
        self.pc
            .product_ingestion_api()
            .post(&self.path("/configure"), request)
            .await
    }

    /// A job's status, and the `Retry-After` the service asked for.
    pub async fn status(&self, job: &str) -> Result<(ConfigureStatus, Option<Duration>), Error> {
        let path = self.path(&format!("/configure/{}/status", seg(job)));
        let answer = self
            .pc
            .product_ingestion_api()
            .send(Method::GET, &path, None, &RequestOptions::default())
            .await?;
        Ok((answer.json()?, answer.retry_after()))
    }

    /// What a completed job wrote, with the durable ids.
    pub async fn detail(&self, job: &str) -> Result<ConfigureDetail, Error> {
        let path = self.path(&format!("/configure/{}", seg(job)));
        self.pc.product_ingestion_api().get(&path).await
    }

    /// Polls a job until it completes (after the `Retry-After` the service gives, within
    /// `options.timeout`), calling `progress` with each status. A failed or cancelled
    /// job is [`Error::Api`], each error on a line naming its resource.
    pub async fn wait(
        &self,
        job: &str,
        options: WaitOptions,
        mut progress: impl FnMut(&ConfigureStatus),
    ) -> Result<ConfigureStatus, Error> {
        let done = crate::ingestion::poll(
            options,
            || self.status(job),
            |status: &ConfigureStatus| {
                progress(status);
                status.is_done()
            },
            |s| format!("job {} is still {}; read it later", s.job_id, s.job_status),
        )
        .await?;
        if done.job_result == JobResult::Succeeded {
            return Ok(done);
        }
        let lines: Vec<String> = done.errors.iter().flat_map(ConfigureError::lines).collect();
        // The job's errors are the service refusing the payload, as a 400 would.
        Err(Error::Api {
            status: 400,
            code: done.errors.first().map(|e| e.code.clone()),
            description: format!(
                "job {} {}:\n  {}",
                done.job_id,
                done.job_result,
                if lines.is_empty() {
                    "no reason given".to_owned()
                } else {
                    lines.join("\n  ")
                }
            ),
            fault: None,
            request_id: String::new(),
            correlation_id: String::new(),
        })
    }

    /// A product as a file: its resources in `target`'s state as a configure payload
    /// (`partner_center::models::product_ingestion::offer_from_tree`).
    pub async fn export(
        &self,
        product: &str,
        target: TargetType,
    ) -> Result<ConfigureRequest, Error> {
        Ok(offer_from_tree(&self.resource_tree(product, target).await?))
    }

    /// The product a file describes (by its product's external id), if it exists.
    async fn product_of(&self, file: &ConfigureRequest) -> Result<Option<String>, Error> {
        let external = file.resources.iter().find_map(|r| match r {
            Resource::Product(p) => p.identity.as_ref()?.external_id.clone(),
            _ => None,
        });
        match external {
            Some(e) => self.find_product(&e).await,
            None => Err(Error::Config(
                "the file has no product resource with identity.externalId: export one with `marketplace export`".to_owned(),
            )),
        }
    }

    /// What applying `file` would change in its product's draft (everything is an
    /// addition when the product does not exist yet).
    pub async fn diff(&self, file: &ConfigureRequest) -> Result<Vec<OfferChange>, Error> {
        check_offer(file).map_err(Error::Config)?;
        let current = match self.product_of(file).await? {
            Some(id) => self.resource_tree(&id, TargetType::Draft).await?,
            None => ResourceTree::empty(),
        };
        Ok(diff_offer(&current, file))
    }

    /// Applies a file to its product's draft: `None` when it changes nothing, else the
    /// job; resources the product has are sent with their durable ids.
    pub async fn apply(&self, file: &ConfigureRequest) -> Result<Option<ConfigureStatus>, Error> {
        check_offer(file).map_err(Error::Config)?;
        let request = match self.product_of(file).await? {
            Some(id) => {
                let current = self.resource_tree(&id, TargetType::Draft).await?;
                let changes = diff_offer(&current, file);
                if changes
                    .iter()
                    .all(|c| matches!(c, OfferChange::NotInFile { .. }))
                {
                    return Ok(None);
                }
                offer_with_ids(&current, file)
            }
            None => offer_with_ids(&ResourceTree::empty(), file),
        };
        self.configure(&request).await.map(Some)
    }

    /// Publishes a product's draft to preview, or its preview to live (naming the preview
    /// submission, as the service requires).
    pub async fn publish(
        &self,
        product: &str,
        target: TargetType,
    ) -> Result<ConfigureStatus, Error> {
        let id = self.product(product).await?;
        let mut submission = Submission::default();
        submission.schema = schema_url("submission", DEFAULT_SCHEMA_VERSION);
        submission.product =
            Some(partner_center_models::product_ingestion::ResourceReference::Id(id.clone()));
        submission.target = Some(Target::new(target.clone()));
        if target == TargetType::Live {
            use futures_util::TryStreamExt as _;
            let submissions: Vec<Resource> = self.submissions(&id).try_collect().await?;
            let preview = submissions.iter().find_map(|r| match r {
                Resource::Submission(s)
                    if s.target.as_ref().map(|t| &t.target_type) == Some(&TargetType::Preview) =>
                {
                    s.id.clone()
                }
                _ => None,
            });
            submission.id = Some(preview.ok_or_else(|| {
                Error::Config(format!(
                    "{id} has no preview to publish live: publish it to preview first"
                ))
            })?);
        }
        self.configure(&ConfigureRequest::new(vec![Resource::Submission(
            submission,
        )]))
        .await
    }
}
