//! What a product's draft instances hold and a publisher edits before a submission: its
//! listings, properties and availabilities. Each is read by draft instance or by id, and
//! replaced with `PUT` carrying its `@odata.etag` in `If-Match`, so a change made
//! meanwhile elsewhere is refused (412) rather than overwritten.

use std::marker::PhantomData;

use partner_center_models::ingestion::{Listing, Module, ProductAvailability, Property};
use partner_center_transport::{Error, Paged};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{PartnerCenter, seg};

mod sealed {
    pub trait Sealed {}
}

/// A resource a product's draft instance holds: [`Listing`], [`Property`],
/// [`ProductAvailability`]. Sealed: the paths are the service's.
pub trait DraftResource:
    Serialize + DeserializeOwned + Send + Sync + Unpin + 'static + sealed::Sealed
{
    /// The module whose branch names the draft instance holding it.
    const MODULE: Module;
    /// The collection's path segment (`listings`, …), for reads and updates by id.
    #[doc(hidden)]
    const COLLECTION: &'static str;
    /// The segment of the `getByInstanceID` lookup, which the service spells otherwise
    /// for availabilities.
    #[doc(hidden)]
    const BY_INSTANCE: &'static str;
    /// The resource's id.
    fn id(&self) -> &str;
    /// Its entity tag, sent in `If-Match`.
    fn etag(&self) -> Option<&str>;
}

macro_rules! draft_resources {
    ($($t:ty: $module:ident, $collection:literal, $by_instance:literal;)*) => {$(
        impl sealed::Sealed for $t {}
        impl DraftResource for $t {
            const MODULE: Module = Module::$module;
            const COLLECTION: &'static str = $collection;
            const BY_INSTANCE: &'static str = $by_instance;
            fn id(&self) -> &str {
                &self.id
            }
            fn etag(&self) -> Option<&str> {
                self.etag.as_deref()
            }
        }
    )*};
}

draft_resources! {
    Listing: Listing, "listings", "listings";
    Property: Property, "properties", "properties";
    ProductAvailability: Availability, "productavailabilities", "productAvailabilities";
}

/// `/products/{id}/listings|properties|productavailabilities`: one kind of draft resource
/// of a product.
///
/// ```no_run
/// # async fn f(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
/// use futures_util::TryStreamExt;
/// use partner_center::models::ingestion::Module;
///
/// let product = pc.ingestion().product("a3c4f1b2-0000-4000-8000-000000000001");
/// let drafts = product.drafts().await?;
/// let instance = drafts.instance(&Module::Property).unwrap_or_default();
/// let mut property = product.properties().by_instance(instance).try_next().await?.unwrap();
/// property.terms_of_use = Some("https://contoso.com/terms".to_owned());
/// product.properties().update(&property).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DraftResources<T> {
    pc: PartnerCenter,
    product: String,
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for DraftResources<T> {
    fn clone(&self) -> Self {
        Self {
            pc: self.pc.clone(),
            product: self.product.clone(),
            kind: PhantomData,
        }
    }
}

impl Properties {
    /// Every property of the product, in every instance.
    pub fn list(&self) -> Paged<Property> {
        self.every()
    }
}

impl Availabilities {
    /// Every availability of the product, in every instance.
    pub fn list(&self) -> Paged<ProductAvailability> {
        self.every()
    }
}

/// A product's draft listings.
pub type Listings = DraftResources<Listing>;
/// A product's draft properties.
pub type Properties = DraftResources<Property>;
/// A product's draft availabilities.
pub type Availabilities = DraftResources<ProductAvailability>;

impl<T: DraftResource> DraftResources<T> {
    pub(super) fn new(pc: PartnerCenter, product: &str) -> Self {
        Self {
            pc,
            product: product.to_owned(),
            kind: PhantomData,
        }
    }

    fn path(&self, collection: &str, tail: &str) -> String {
        format!("/products/{}/{collection}/{tail}", seg(&self.product))
    }

    /// The whole collection (served for properties and availabilities, not listings).
    fn every(&self) -> Paged<T> {
        let path = self.path(T::COLLECTION, "");
        self.pc.ingestion_api().list(path.trim_end_matches('/'))
    }

    /// The resources of a draft instance (read it from [`super::ProductHandle::drafts`]).
    pub fn by_instance(&self, instance: &str) -> Paged<T> {
        let tail = format!("getByInstanceID(instanceID={})", seg(instance));
        self.pc
            .ingestion_api()
            .list(&self.path(T::BY_INSTANCE, &tail))
    }

    /// One resource, by id.
    pub async fn get(&self, id: &str) -> Result<T, Error> {
        self.pc
            .ingestion_api()
            .get(&self.path(T::COLLECTION, &seg(id)))
            .await
    }

    /// Replaces a resource (PUT), with its `@odata.etag` in `If-Match`.
    pub async fn update(&self, resource: &T) -> Result<T, Error> {
        let path = self.path(T::COLLECTION, &seg(resource.id()));
        self.pc
            .ingestion_api()
            .put_if_match(&path, resource.etag(), resource)
            .await
    }
}
