//! `/products?country=`: the new-commerce catalog of a market — products by target view,
//! their SKUs, and the availabilities whose `catalogItemId` a cart line buys.

use partner_center_models::{Availability, Product, Sku};
use partner_center_transport::{Error, Paged};

use crate::{PartnerCenter, seg};

impl PartnerCenter {
    /// The catalog of a market (two-letter country code), every segment but nonprofit
    /// unless [`Catalog::segment`] says otherwise.
    ///
    /// ```no_run
    /// use partner_center::prelude::*;
    /// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
    /// let catalog = pc.catalog("US");
    /// let products: Vec<_> = catalog.products("OnlineServices").try_collect().await?;
    /// let skus: Vec<_> = catalog.skus(&products[0].id).try_collect().await?;
    /// let offers: Vec<_> = catalog.availabilities(&products[0].id, &skus[0].id).try_collect().await?;
    /// println!("buy {:?}", offers[0].catalog_item_id);
    /// # Ok(()) }
    /// ```
    pub fn catalog(&self, country: &str) -> Catalog {
        Catalog {
            pc: self.clone(),
            country: seg(country),
            segment: None,
        }
    }
}

/// The catalog of one market: `/products…?country=`.
#[derive(Debug, Clone)]
pub struct Catalog {
    pc: PartnerCenter,
    /// The country, encoded.
    country: String,
    /// The segment, encoded, for the listings.
    segment: Option<String>,
}

impl Catalog {
    /// Lists only a segment's items (`commercial`, `education`, `government`,
    /// `nonprofit`); without it, availabilities of every segment but nonprofit are listed.
    /// A second call replaces the first.
    pub fn segment(mut self, segment: &str) -> Self {
        self.segment = Some(seg(segment));
        self
    }

    /// The query of a listing: the country, and the segment when one is set.
    fn listing(&self) -> String {
        match &self.segment {
            Some(segment) => format!("country={}&targetSegment={segment}", self.country),
            None => format!("country={}", self.country),
        }
    }

    /// The products of a target view (`OnlineServices` for new-commerce licences,
    /// `Azure`, `AzureReservations`, `Software`, …).
    pub fn products(&self, target_view: &str) -> Paged<Product> {
        let view = seg(target_view);
        self.pc
            .rest_api()
            .list(&format!("/products?{}&targetView={view}", self.listing()))
    }

    /// The new-commerce licence-based products: the `OnlineServices` view's products of
    /// type `OnlineServicesNCE` (get-a-list-of-products.md).
    pub fn new_commerce_products(&self) -> Paged<Product> {
        use futures_util::TryStreamExt as _;
        Box::pin(
            self.products("OnlineServices")
                .try_filter(|p| std::future::ready(p.is_new_commerce())),
        )
    }

    /// One product.
    pub async fn product(&self, id: &str) -> Result<Product, Error> {
        let path = format!("/products/{}?country={}", seg(id), self.country);
        self.pc.rest_api().get(&path).await
    }

    /// A product's SKUs.
    pub fn skus(&self, product: &str) -> Paged<Sku> {
        let path = format!("/products/{}/skus?{}", seg(product), self.listing());
        self.pc.rest_api().list(&path)
    }

    /// One SKU.
    pub async fn sku(&self, product: &str, sku: &str) -> Result<Sku, Error> {
        let path = format!("/products/{}/skus/{}", seg(product), seg(sku));
        let path = format!("{path}?country={}", self.country);
        self.pc.rest_api().get(&path).await
    }

    /// A SKU's availabilities: what can be bought, with terms and `catalogItemId`.
    pub fn availabilities(&self, product: &str, sku: &str) -> Paged<Availability> {
        let path = format!(
            "/products/{}/skus/{}/availabilities",
            seg(product),
            seg(sku)
        );
        self.pc
            .rest_api()
            .list(&format!("{path}?{}", self.listing()))
    }

    /// One availability. Its id changes over time: read it shortly before buying.
    pub async fn availability(
        &self,
        product: &str,
        sku: &str,
        id: &str,
    ) -> Result<Availability, Error> {
        let path = format!(
            "/products/{}/skus/{}/availabilities/{}",
            seg(product),
            seg(sku),
            seg(id)
        );
        let path = format!("{path}?country={}", self.country);
        self.pc.rest_api().get(&path).await
    }
}
