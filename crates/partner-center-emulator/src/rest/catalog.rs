//! The new-commerce catalog: products by country and target view, their SKUs, and the
//! SKUs' availabilities (with `catalogItemId`, terms, refund windows and renewals).
//!
//! Shapes follow the docs' samples (developer/get-a-list-of-products.md,
//! get-a-product-by-id.md, get-a-list-of-skus-for-a-product.md, get-a-sku-by-id.md,
//! get-a-list-of-availabilities-for-a-sku.md, get-an-availability-by-id.md): relative
//! links without `/v1`, one page per collection (the docs show no next link), and the
//! documented errors: 404 400013 (product), 400018 (SKU), 400019 (availability), 403
//! 400030 (targetSegment) and 400036 (targetView). Where the docs are silent the emulator
//! decides, and says so below.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::{Availability, Product, Sku};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{Caller, collection, fault_response};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/products", get(list_products))
        .route("/v1/products/{id}", get(get_product))
        .route("/v1/products/{id}/skus", get(list_skus))
        .route("/v1/products/{id}/skus/{sku}", get(get_sku))
        .route(
            "/v1/products/{id}/skus/{sku}/availabilities",
            get(list_availabilities),
        )
        .route(
            "/v1/products/{id}/skus/{sku}/availabilities/{availability}",
            get(get_availability),
        )
}

/// The documented `targetView` values (get-a-list-of-products.md); any other is refused
/// with 403 400036, the code the page gives for a view the caller may not see.
const TARGET_VIEWS: &[&str] = &[
    "Azure",
    "AzureReservations",
    "AzureReservationsVM",
    "AzureReservationsSQL",
    "AzureReservationsCosmosDb",
    "MicrosoftAzure",
    "OnlineServices",
    "Software",
    "SoftwareSUSELinux",
    "SoftwarePerpetual",
    "SoftwareSubscriptions",
    "SpecializedOffers",
    "MarketplaceSaaS",
];

/// The documented `targetSegment` values; any other is refused with 403 400030.
const SEGMENTS: &[&str] = &["commercial", "education", "government", "nonprofit"];

#[derive(Deserialize)]
struct CatalogQuery {
    country: Option<String>,
    #[serde(rename = "targetView", alias = "targetview")]
    target_view: Option<String>,
    #[serde(rename = "targetSegment", alias = "targetsegment")]
    target_segment: Option<String>,
}

/// The market asked for: a two-letter country and an optional known segment. The segment
/// filters availabilities (the emulator's SKUs and products are sold in every segment);
/// an unknown one is refused with 403 400030 wherever it is sent.
struct Market {
    country: String,
    segment: Option<String>,
}

impl CatalogQuery {
    /// The docs mark `country` required but document no error for its absence: the
    /// emulator answers 400 with the REST API's invalid-input code (800002).
    fn market(&self) -> Result<Market, Response> {
        let country = self
            .country
            .as_deref()
            .filter(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()))
            .ok_or_else(|| {
                fault_response(
                    StatusCode::BAD_REQUEST,
                    800002,
                    "The country query parameter is required (a two-letter ISO code).",
                )
            })?
            .to_ascii_uppercase();
        let segment = match self.target_segment.as_deref() {
            None => None,
            Some(s) => Some(
                SEGMENTS
                    .iter()
                    .find(|known| known.eq_ignore_ascii_case(s))
                    .ok_or_else(|| {
                        fault_response(
                            StatusCode::FORBIDDEN,
                            400030,
                            "Access to the requested targetSegment is not allowed.",
                        )
                    })?
                    .to_string(),
            ),
        };
        Ok(Market { country, segment })
    }
}

/// One product of the emulator's catalog: the views that list it, its SKUs and, per SKU,
/// the availabilities.
struct Entry {
    product: Product,
    views: Vec<&'static str>,
    skus: Vec<(Sku, Vec<Availability>)>,
}

/// The emulator's catalog, as data (`data/catalog.json`): products, their SKUs and
/// their availabilities, the same in every market.
const CATALOG: &str = include_str!("../../data/catalog.json");

#[derive(Deserialize)]
struct CatalogData {
    products: Vec<ProductData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProductData {
    id: String,
    title: String,
    product_type: Value,
    publisher_name: String,
    views: Vec<String>,
    skus: Vec<SkuData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SkuData {
    id: String,
    title: String,
    minimum_quantity: u64,
    maximum_quantity: u64,
    #[serde(default)]
    is_addon: bool,
    #[serde(default)]
    prerequisite_skus: Vec<String>,
    #[serde(default)]
    upgrade_target_offers: Vec<String>,
    /// Written into the SKU as they are (an Azure reservation's own fields).
    #[serde(default)]
    fields: serde_json::Map<String, Value>,
    availabilities: Vec<AvailabilityData>,
}

#[derive(Deserialize)]
struct AvailabilityData {
    id: String,
    segment: String,
    #[serde(default = "yes")]
    renewable: bool,
    /// `P1Y/annual`, or a term object written as it is.
    terms: Vec<Value>,
}

fn yes() -> bool {
    true
}

/// The parsed data; the file is part of the binary and a test reads it, so it parses.
fn data() -> CatalogData {
    serde_json::from_str(CATALOG).unwrap_or(CatalogData {
        products: Vec::new(),
    })
}

fn model<T: DeserializeOwned>(value: Value) -> Option<T> {
    serde_json::from_value(value).ok()
}

fn link(uri: String) -> Value {
    json!({"uri": uri, "method": "GET", "headers": []})
}

/// The currency of a market. The docs' samples show only `{"code": "USD", "symbol": "$"}`
/// for the US; the emulator's choice for other markets: GBP, JPY, else EUR.
fn currency(country: &str) -> Value {
    match country {
        "US" => json!({"code": "USD", "symbol": "$"}),
        "GB" => json!({"code": "GBP", "symbol": "£"}),
        "JP" => json!({"code": "JPY", "symbol": "¥"}),
        _ => json!({"code": "EUR", "symbol": "€"}),
    }
}

/// A term: `P1Y/annual` is sold with the docs' sample policy (a full refund for a day,
/// `P1D`, get-an-availability-by-id.md); an object is written as it is.
fn term(spec: &Value) -> Value {
    let Some(text) = spec.as_str() else {
        return spec.clone();
    };
    let (duration, cycle) = text.split_once('/').unwrap_or((text, "monthly"));
    let length = match duration {
        "P1M" => "One-Month",
        "P3Y" => "Three-Year",
        _ => "One-Year",
    };
    json!({
        "id": format!("{}-{cycle}", duration.to_ascii_lowercase()),
        "duration": duration,
        "description": format!("{length} commitment for {cycle} billing"),
        "billingCycle": cycle,
        "cancellationPolicies": [{"refundOptions": [{"sequenceId": 0, "type": "Full", "expiresAfter": "P1D"}]}]
    })
}

fn build(p: ProductData, country: &str) -> Option<Entry> {
    let product: Product = model(json!({
        "id": p.id,
        "title": p.title,
        "description": format!("{} (emulated).", p.title),
        "productType": p.product_type,
        "isMicrosoftProduct": true,
        "publisherName": p.publisher_name,
        "links": {
            "skus": link(format!("/products/{}/skus?country={country}", p.id)),
            "self": link(format!("/products/{}?country={country}", p.id))
        }
    }))?;
    let mut skus = Vec::new();
    for s in p.skus {
        let terms: Vec<Value> = s
            .availabilities
            .iter()
            .flat_map(|a| a.terms.iter().map(term))
            .collect();
        let mut cycles: Vec<Value> = Vec::new();
        for cycle in terms.iter().filter_map(|t| t.get("billingCycle")) {
            if !cycles.contains(cycle) {
                cycles.push(cycle.clone());
            }
        }
        let mut sku = json!({
            "id": s.id,
            "productId": p.id,
            "title": s.title,
            "description": format!("{} (emulated).", s.title),
            "minimumQuantity": s.minimum_quantity,
            "maximumQuantity": s.maximum_quantity,
            "isTrial": false,
            "supportedBillingCycles": cycles,
            "purchasePrerequisites": ["MicrosoftCustomerAgreement"],
            "inventoryVariables": [],
            "provisioningVariables": [],
            "actions": ["Refund"],
            "dynamicAttributes": {
                "isMicrosoftProduct": true,
                "hasConstraints": true,
                "isAddon": s.is_addon,
                "prerequisiteSkus": s.prerequisite_skus,
                "upgradeTargetOffers": s.upgrade_target_offers
            },
            "links": {
                "availabilities": link(format!("/products/{}/skus/{}/availabilities?country={country}", p.id, s.id)),
                "self": link(format!("/products/{}/skus/{}?country={country}", p.id, s.id))
            }
        });
        if let Some(fields) = sku.as_object_mut() {
            fields.extend(s.fields);
        }
        let sku: Sku = model(sku)?;
        let mut availabilities = Vec::new();
        for a in s.availabilities {
            let terms: Vec<Value> = a.terms.iter().map(term).collect();
            let mut value = json!({
                "id": a.id,
                "productId": p.id,
                "skuId": sku.id,
                "catalogItemId": format!("{}:{}:{}", p.id, sku.id, a.id),
                "defaultCurrency": currency(country),
                "segment": a.segment,
                "country": country,
                "isPurchasable": true,
                "isRenewable": a.renewable,
                "terms": terms,
                "links": {"self": link(format!("/products/{}/skus/{}/availabilities/{}?country={country}", p.id, sku.id, a.id))}
            });
            if a.renewable {
                let ids: Vec<Value> = terms.iter().filter_map(|t| t.get("id").cloned()).collect();
                value["renewalInstructions"] = json!([{
                    "applicableTermIds": ids,
                    "renewalOptions": [{"renewToId": format!("{}:{}", p.id, sku.id), "isAutoRenewable": true}]
                }]);
            }
            availabilities.push(model(value)?);
        }
        skus.push((sku, availabilities));
    }
    let views: Vec<&'static str> = TARGET_VIEWS
        .iter()
        .copied()
        .filter(|v| p.views.iter().any(|w| w.eq_ignore_ascii_case(v)))
        .collect();
    Some(Entry {
        product,
        views,
        skus,
    })
}

/// The emulator's catalog of a market, from `data/catalog.json`.
fn catalog(country: &str) -> Vec<Entry> {
    data()
        .products
        .into_iter()
        .filter_map(|p| build(p, country))
        .collect()
}

/// A SKU of `country`'s catalog (`product`, `sku`) with its availabilities, for the areas
/// that sell.
pub(super) fn offered(country: &str, product: &str, sku: &str) -> Option<(Sku, Vec<Availability>)> {
    let country = country.to_ascii_uppercase();
    catalog(&country)
        .into_iter()
        .find(|e| e.product.id.eq_ignore_ascii_case(product))?
        .skus
        .into_iter()
        .find(|(s, _)| s.id.eq_ignore_ascii_case(sku))
}

/// What a purchase line buys: the SKU and availability of `catalog_item_id`
/// (`productId:skuId:availabilityId`) in `country`'s catalog, for the areas that sell.
pub(super) fn purchasable(country: &str, catalog_item_id: &str) -> Option<(Sku, Availability)> {
    let mut parts = catalog_item_id.split(':');
    let (product, sku, availability) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (sku, availabilities) = offered(country, product, sku)?;
    let a = availabilities
        .into_iter()
        .find(|a| a.id.eq_ignore_ascii_case(availability))?;
    Some((sku, a))
}

fn product_not_found() -> Response {
    fault_response(StatusCode::NOT_FOUND, 400013, "Product was not found.")
}

fn sku_not_found() -> Response {
    fault_response(StatusCode::NOT_FOUND, 400018, "SKU was not found.")
}

/// The entry of `id` in the market's catalog, or 404 400013.
fn entry(market: &Market, id: &str) -> Result<Entry, Response> {
    catalog(&market.country)
        .into_iter()
        .find(|e| e.product.id.eq_ignore_ascii_case(id))
        .ok_or_else(product_not_found)
}

/// The SKU `sku` of product `id`, with its availabilities, or 404 400013 / 400018.
fn sku_entry(market: &Market, id: &str, sku: &str) -> Result<(Sku, Vec<Availability>), Response> {
    entry(market, id)?
        .skus
        .into_iter()
        .find(|(s, _)| s.id.eq_ignore_ascii_case(sku))
        .ok_or_else(sku_not_found)
}

/// "All segments except nonprofit will be returned if not included. Nonprofit needs to
/// be passed specifically" (get-a-list-of-availabilities-for-a-sku.md).
fn in_segment(a: &Availability, segment: Option<&str>) -> bool {
    let own = a.segment.as_deref().unwrap_or("commercial");
    match segment {
        Some(s) => own.eq_ignore_ascii_case(s),
        None => !own.eq_ignore_ascii_case("nonprofit"),
    }
}

fn answer<T: serde::Serialize>(result: Result<T, Response>) -> Response {
    match result {
        Ok(body) => Json(body).into_response(),
        Err(refusal) => refusal,
    }
}

async fn list_products(_caller: Caller, Query(q): Query<CatalogQuery>) -> Response {
    answer((|| {
        let market = q.market()?;
        // `targetView` is required (get-a-list-of-products.md) with no documented error for
        // its absence: 400 800002, as for a missing country (the emulator's choice).
        let requested = q.target_view.as_deref().ok_or_else(|| {
            fault_response(
                StatusCode::BAD_REQUEST,
                800002,
                "The targetView query parameter is required (OnlineServices, Azure, …).",
            )
        })?;
        let view = TARGET_VIEWS
            .iter()
            .find(|known| known.eq_ignore_ascii_case(requested))
            .ok_or_else(|| {
                fault_response(
                    StatusCode::FORBIDDEN,
                    400036,
                    "Access to the requested targetView is not allowed.",
                )
            })?;
        let items: Vec<Product> = catalog(&market.country)
            .into_iter()
            .filter(|e| e.views.contains(view))
            .map(|e| e.product)
            .collect();
        Ok(collection(
            items,
            None,
            format!("/products?country={}&targetView={view}", market.country),
        ))
    })())
}

async fn get_product(
    _caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<CatalogQuery>,
) -> Response {
    answer(q.market().and_then(|m| entry(&m, &id)).map(|e| e.product))
}

async fn list_skus(
    _caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<CatalogQuery>,
) -> Response {
    answer(q.market().and_then(|m| {
        let e = entry(&m, &id)?;
        let skus = e.skus.into_iter().map(|(s, _)| s).collect();
        Ok(collection(
            skus,
            None,
            format!("/products/{}/skus?country={}", e.product.id, m.country),
        ))
    }))
}

async fn get_sku(
    _caller: Caller,
    Path((id, sku)): Path<(String, String)>,
    Query(q): Query<CatalogQuery>,
) -> Response {
    answer(
        q.market()
            .and_then(|m| sku_entry(&m, &id, &sku))
            .map(|(s, _)| s),
    )
}

async fn list_availabilities(
    _caller: Caller,
    Path((id, sku)): Path<(String, String)>,
    Query(q): Query<CatalogQuery>,
) -> Response {
    answer(q.market().and_then(|m| {
        let (s, availabilities) = sku_entry(&m, &id, &sku)?;
        let items = availabilities
            .into_iter()
            .filter(|a| in_segment(a, m.segment.as_deref()))
            .collect();
        let product = s.product_id.unwrap_or(id);
        Ok(collection(
            items,
            None,
            format!(
                "/products/{product}/skus/{}/availabilities?country={}",
                s.id, m.country
            ),
        ))
    }))
}

async fn get_availability(
    _caller: Caller,
    Path((id, sku, availability)): Path<(String, String, String)>,
    Query(q): Query<CatalogQuery>,
) -> Response {
    answer(q.market().and_then(|m| {
        sku_entry(&m, &id, &sku)?
            .1
            .into_iter()
            .find(|a| a.id.eq_ignore_ascii_case(&availability))
            .ok_or_else(|| {
                fault_response(
                    StatusCode::NOT_FOUND,
                    400019,
                    "Availability not found. Issue a new GET to get the current availability id, and retry.",
                )
            })
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalog_data_parses_and_every_item_is_a_model() {
        let data: super::CatalogData = serde_json::from_str(super::CATALOG).unwrap();
        let count = data.products.len();
        assert!(count >= 6);
        assert_eq!(
            super::catalog("US").len(),
            count,
            "every product makes an entry"
        );
        for e in super::catalog("GB") {
            assert!(!e.views.is_empty(), "{} is listed in a view", e.product.id);
            for (_, availabilities) in &e.skus {
                assert!(
                    availabilities
                        .iter()
                        .all(|a| a.country.as_deref() == Some("GB"))
                );
            }
        }
    }
}
