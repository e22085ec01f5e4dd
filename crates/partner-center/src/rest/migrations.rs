//! `/customers/{id}/migrations/newcommerce`: moving legacy subscriptions to new commerce.

use partner_center_models::{MigrationEvent, NewCommerceEligibility, NewCommerceMigration};
use partner_center_transport::Error;

use crate::ingestion::WaitOptions;
use crate::{CustomerHandle, PartnerCenter, seg};

impl CustomerHandle {
    /// Migrations of its legacy subscriptions to new commerce.
    pub fn migrations(&self) -> Migrations {
        Migrations {
            pc: self.pc.clone(),
            base: self.path("/migrations/newcommerce"),
        }
    }
}

/// `/customers/{id}/migrations/newcommerce`.
///
/// ```no_run
/// # async fn run(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
/// use partner_center::ingestion::WaitOptions;
/// use partner_center::models::NewCommerceMigration;
///
/// let migrations = pc.customer("0e8e3c45-9a5c-4a4d-9b1a-5d2f4e6a7b8c").migrations();
/// let migration = NewCommerceMigration::of("5C77DC7F-BE2C-4306-A3B5-0EBB4365D7FC");
/// if migrations.validate(&migration).await?.is_eligible {
///     let started = migrations.create(&migration).await?;
///     let id = started.id.unwrap_or_default();
///     let done = migrations.wait(&id, WaitOptions::default()).await?;
///     println!("now {:?}", done.new_commerce_subscription_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Migrations {
    pc: PartnerCenter,
    base: String,
}

impl Migrations {
    /// Whether the migration can be made, and why not (validate-subscription-for-migration.md).
    pub async fn validate(
        &self,
        migration: &NewCommerceMigration,
    ) -> Result<NewCommerceEligibility, Error> {
        let path = format!("{}/validate", self.base);
        self.pc.rest_api().post(&path, migration).await
    }

    /// Starts the migration; the answer says `Processing` (read it again with
    /// [`Migrations::get`] or [`Migrations::wait`]). Retried safely: the request id is kept
    /// across retries.
    pub async fn create(
        &self,
        migration: &NewCommerceMigration,
    ) -> Result<NewCommerceMigration, Error> {
        self.pc.rest_api().post(&self.base, migration).await
    }

    /// One migration.
    pub async fn get(&self, id: &str) -> Result<NewCommerceMigration, Error> {
        self.pc
            .rest_api()
            .get(&format!("{}/{}", self.base, seg(id)))
            .await
    }

    /// Reads migration `id` until it has completed or failed, with backoff, within
    /// `options.timeout` (a timeout is [`Error::Transient`]).
    pub async fn wait(
        &self,
        id: &str,
        options: WaitOptions,
    ) -> Result<NewCommerceMigration, Error> {
        crate::ingestion::poll(
            options,
            || async { Ok((self.get(id).await?, None)) },
            NewCommerceMigration::is_settled,
            |_| format!("migration {id} is still processing; `migrations get` it later"),
        )
        .await
    }

    /// The steps of migration `id`, oldest first (get-migration-events.md).
    pub async fn events(&self, id: &str) -> Result<Vec<MigrationEvent>, Error> {
        // The page's own example and the .NET SDK name the parameter `migration_id`.
        let path = format!("{}/events?migration_id={}", self.base, seg(id));
        self.pc.rest_api().get(&path).await
    }
}
