//! The legacy offer catalogue: list by country, get by id (develop/offer-resources.md).

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::{Link, Offer, OfferCategory, ResourceAttributes, ResourceCollection};
use serde::Deserialize;

use super::{Caller, fault_response};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/offers", get(list_offers))
        .route("/v1/offers/{id}", get(get_offer))
}

pub(crate) fn catalogue() -> Vec<Offer> {
    let offers = [
        (
            "031C9E47-4802-4248-838E-778FB1D2CC05",
            "Office 365 Business Premium",
            1,
            300,
        ),
        (
            "91FD106F-4B2C-4938-95AC-F54F74E9A239",
            "Office 365 Business Essentials",
            1,
            300,
        ),
        (
            "796B6B5F-613C-4E24-A17C-EBA730D49C02",
            "Office 365 Enterprise E3",
            1,
            10_000_000,
        ),
        (
            "195416C1-3447-423A-B37B-EE59A99A19C4",
            "Microsoft 365 Business Basic",
            1,
            300,
        ),
        (
            "A044B16A-1861-4308-8086-A3A3B506EDAE",
            "Microsoft 365 E5",
            1,
            10_000_000,
        ),
        (
            "4F61E3B7-0B74-4E0B-9BB5-A0E1A4B3D2AA",
            "Dynamics 365 Sales (minimum 30)",
            30,
            10_000,
        ),
    ];
    offers
        .iter()
        .enumerate()
        .map(|(rank, (id, name, min, max))| {
            let mut o = Offer::default();
            o.id = (*id).to_owned();
            o.name = Some((*name).to_owned());
            o.description = Some(format!("{name} (emulated catalogue)"));
            o.minimum_quantity = Some(*min);
            o.maximum_quantity = Some(*max);
            o.rank = Some(rank as i64);
            o.uri = Some(format!("/3c9d8f0a-0000-4000-8000-000000000000/offers/{id}"));
            o.locale = Some("en-US".to_owned());
            o.country = Some("US".to_owned());
            let mut cat = OfferCategory::default();
            cat.id = "Enterprise".to_owned();
            cat.name = Some("Enterprise".to_owned());
            o.category = Some(cat);
            o.is_add_on = Some(false);
            o.is_available_for_purchase = Some(true);
            o.billing = Some("license".to_owned());
            o.supported_billing_cycles = vec![
                partner_center_models::BillingCycle::Monthly,
                partner_center_models::BillingCycle::Annual,
            ];
            o.is_auto_renewable = Some(true);
            o.is_trial = Some(false);
            o.unit_type = Some("Licenses".to_owned());
            o.attributes = Some(ResourceAttributes::object("Offer"));
            o
        })
        .collect()
}

#[derive(Deserialize)]
struct OfferQuery {
    country: Option<String>,
    offset: Option<usize>,
    size: Option<usize>,
}

async fn list_offers(_caller: Caller, Query(q): Query<OfferQuery>) -> Response {
    let Some(country) = q.country.filter(|c| c.len() == 2) else {
        return fault_response(
            StatusCode::BAD_REQUEST,
            3000,
            "The country query parameter is required (a two-letter ISO code).",
        );
    };
    let all = catalogue();
    let offset = q.offset.unwrap_or(0).min(all.len());
    let size = q.size.filter(|s| *s > 0).unwrap_or(all.len());
    let page: Vec<Offer> = all.iter().skip(offset).take(size).cloned().collect();
    let next = super::next_offset(offset, size, all.len()).map(|next| {
        Link::new(format!(
            "/offers?country={country}&offset={next}&size={size}"
        ))
    });
    Json(ResourceCollection::new(page, next)).into_response()
}

async fn get_offer(_caller: Caller, Path(id): Path<String>) -> Response {
    match catalogue()
        .into_iter()
        .find(|o| o.id.eq_ignore_ascii_case(&id))
    {
        Some(o) => Json(o).into_response(),
        None => fault_response(
            StatusCode::BAD_REQUEST,
            800004,
            &format!("Invalid offer id {id}."),
        ),
    }
}
