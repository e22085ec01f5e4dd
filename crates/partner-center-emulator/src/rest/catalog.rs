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
    views: &'static [&'static str],
    skus: Vec<(Sku, Vec<Availability>)>,
}

fn model<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap_or_else(|e| unreachable!("seed data is valid: {e}"))
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

fn product(id: &str, title: &str, kind: Value, publisher: &str, country: &str) -> Product {
    model(json!({
        "id": id,
        "title": title,
        "description": format!("{title} (emulated)."),
        "productType": kind,
        "isMicrosoftProduct": true,
        "publisherName": publisher,
        "links": {
            "skus": {"uri": format!("/products/{id}/skus?country={country}"), "method": "GET", "headers": []},
            "self": {"uri": format!("/products/{id}?country={country}"), "method": "GET", "headers": []}
        }
    }))
}

fn sku(product: &str, id: &str, title: &str, details: Value, country: &str) -> Sku {
    let mut value = json!({
        "id": id,
        "productId": product,
        "title": title,
        "description": format!("{title} (emulated)."),
        "links": {
            "availabilities": {"uri": format!("/products/{product}/skus/{id}/availabilities?country={country}"), "method": "GET", "headers": []},
            "self": {"uri": format!("/products/{product}/skus/{id}?country={country}"), "method": "GET", "headers": []}
        }
    });
    if let (Some(target), Some(extra)) = (value.as_object_mut(), details.as_object()) {
        target.extend(extra.clone());
    }
    model(value)
}

/// A new-commerce availability with the terms the docs' sample shows (get-an-availability-
/// by-id.md): each term refundable in full for a day (`P1D`, the sample's window; the
/// emulator gives every term the same policy), renewing into the same SKU.
fn availability(product: &str, sku: &str, id: &str, segment: &str, country: &str) -> Availability {
    let refund =
        json!([{"refundOptions": [{"sequenceId": 0, "type": "Full", "expiresAfter": "P1D"}]}]);
    model(json!({
        "id": id,
        "productId": product,
        "skuId": sku,
        "catalogItemId": format!("{product}:{sku}:{id}"),
        "defaultCurrency": currency(country),
        "segment": segment,
        "country": country,
        "isPurchasable": true,
        "isRenewable": true,
        "renewalInstructions": [{
            "applicableTermIds": ["p1m-monthly", "p1y-annual", "p1y-monthly"],
            "renewalOptions": [{"renewToId": format!("{product}:{sku}"), "isAutoRenewable": true}]
        }],
        "terms": [
            {"id": "p1m-monthly", "duration": "P1M", "description": "One-Month commitment for monthly billing", "billingCycle": "monthly", "cancellationPolicies": refund},
            {"id": "p1y-annual", "duration": "P1Y", "description": "One-Year commitment for yearly billing", "billingCycle": "annual", "cancellationPolicies": refund},
            {"id": "p1y-monthly", "duration": "P1Y", "description": "One-Year commitment for monthly billing", "billingCycle": "monthly", "cancellationPolicies": refund}
        ],
        "links": {"self": {"uri": format!("/products/{product}/skus/{sku}/availabilities/{id}?country={country}"), "method": "GET", "headers": []}}
    }))
}

/// The emulator's catalog of a market: two new-commerce Microsoft 365 products (Business
/// Basic upgrades to Business Standard) and an Azure reservation product, with a
/// commercial and a nonprofit availability per new-commerce SKU.
fn catalog(country: &str) -> Vec<Entry> {
    let nce = json!({"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"});
    let m365 = |id: &str, title: &str, max: u64, upgrades: Value| Entry {
        product: product(id, title, nce.clone(), "Microsoft Corporation", country),
        views: &["OnlineServices"],
        skus: vec![(
            sku(
                id,
                "0001",
                title,
                json!({
                    "minimumQuantity": 1,
                    "maximumQuantity": max,
                    "isTrial": false,
                    "supportedBillingCycles": ["annual", "monthly"],
                    "purchasePrerequisites": ["MicrosoftCustomerAgreement"],
                    "inventoryVariables": [],
                    "provisioningVariables": [],
                    "actions": ["Refund"],
                    "dynamicAttributes": {
                        "isMicrosoftProduct": true,
                        "hasConstraints": true,
                        "isAddon": false,
                        "prerequisiteSkus": [],
                        "upgradeTargetOffers": upgrades
                    }
                }),
                country,
            ),
            vec![
                availability(id, "0001", &format!("{id}-COM"), "commercial", country),
                availability(id, "0001", &format!("{id}-NPO"), "nonprofit", country),
            ],
        )],
    };
    vec![
        m365(
            "CFQ7TTC0LH18",
            "Microsoft 365 Business Basic",
            300,
            json!(["CFQ7TTC0LDPB:0001"]),
        ),
        m365(
            "CFQ7TTC0LDPB",
            "Microsoft 365 Business Standard",
            300,
            json!([]),
        ),
        Entry {
            product: product(
                "DZH318Z0BQ3Q",
                "Virtual Machines DSv2 Series",
                json!({"id": "Azure", "displayName": "Azure", "subType": {"id": "VirtualMachines", "displayName": "VirtualMachines"}}),
                "Microsoft",
                country,
            ),
            views: &["Azure", "AzureReservations", "AzureReservationsVM"],
            skus: vec![(
                sku(
                    "DZH318Z0BQ3Q",
                    "0001",
                    "Reserved VM Instance, Standard_DS1_v2, US West 2, 1 Year",
                    json!({
                        "minimumQuantity": 1,
                        "maximumQuantity": 999_999_999,
                        "isTrial": false,
                        "supportedBillingCycles": ["one_time"],
                        "purchasePrerequisites": ["AzureSubscriptionRegistration", "InventoryCheck"],
                        "provisioningVariables": ["Scope", "SubscriptionId"],
                        "dynamicAttributes": {"armSkuName": "Standard_DS1_v2", "armRegionName": "westus2", "duration": "1Year"}
                    }),
                    country,
                ),
                vec![model(json!({
                    "id": "DZH318XZXPHL",
                    "productId": "DZH318Z0BQ3Q",
                    "skuId": "0001",
                    "catalogItemId": "DZH318Z0BQ3Q:0001:DZH318XZXPHL",
                    "defaultCurrency": currency(country),
                    "segment": "commercial",
                    "country": country,
                    "isPurchasable": true,
                    "isRenewable": false,
                    "terms": [{"duration": "P1Y", "description": "1 Year Prepaid"}],
                    "links": {"self": {"uri": format!("/products/DZH318Z0BQ3Q/skus/0001/availabilities/DZH318XZXPHL?country={country}"), "method": "GET", "headers": []}}
                }))],
            )],
        },
    ]
}

/// What a purchase line buys: the SKU and availability of `catalog_item_id`
/// (`productId:skuId:availabilityId`) in `country`'s catalog, for the areas that sell.
pub(super) fn purchasable(country: &str, catalog_item_id: &str) -> Option<(Sku, Availability)> {
    let mut parts = catalog_item_id.split(':');
    let (product, sku, availability) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let country = country.to_ascii_uppercase();
    catalog(&country)
        .into_iter()
        .find(|e| e.product.id.eq_ignore_ascii_case(product))?
        .skus
        .into_iter()
        .find(|(s, _)| s.id.eq_ignore_ascii_case(sku))
        .and_then(|(s, availabilities)| {
            let a = availabilities
                .into_iter()
                .find(|a| a.id.eq_ignore_ascii_case(availability))?;
            Some((s, a))
        })
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
