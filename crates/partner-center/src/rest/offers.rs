//! `/offers?country=`: the legacy offer catalogue of a market.

use partner_center_models::Offer;
use partner_center_transport::{Error, Paged};

use crate::{PartnerCenter, seg};

impl PartnerCenter {
    /// The offer catalogue of a market (two-letter country code).
    pub fn offers(&self, country: &str) -> Offers {
        Offers {
            pc: self.clone(),
            country: country.to_owned(),
        }
    }
}

/// `/offers?country=`.
#[derive(Debug, Clone)]
pub struct Offers {
    pc: PartnerCenter,
    country: String,
}

impl Offers {
    /// Every offer of the market.
    pub fn list(&self) -> Paged<Offer> {
        let path = format!("/offers?country={}", seg(&self.country));
        self.pc.rest_api().list(&path)
    }

    /// One offer.
    pub async fn get(&self, id: &str) -> Result<Offer, Error> {
        let path = format!("/offers/{}?country={}", seg(id), seg(&self.country));
        self.pc.rest_api().get(&path).await
    }
}
