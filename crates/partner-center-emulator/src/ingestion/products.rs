//! Products and what a product holds: setup, branches, listings, properties,
//! availabilities, variants (the submission API's OpenAPI description, shared/specs).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use partner_center_models::ODataCollection;
use partner_center_models::ingestion::{
    Branch, BranchType, Listing, Module, Product, ProductAvailability, ProductSetup, Property,
    Variant,
};

use super::drafts::etag_after;
use super::{
    BASE, IngestionCaller, PageQuery, ProductRecord, error, no_product, parse_skip_token, selector,
    skip_token, with_product,
};

#[path = "products/filter.rs"]
mod filter;
use crate::{AppState, lock};
use filter::Filter;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{BASE}/products"),
            get(list_products).post(create_product),
        )
        .route(
            &format!("{BASE}/products/{{id}}"),
            get(get_product).delete(delete_product),
        )
        .route(
            &format!("{BASE}/products/{{id}}/setup"),
            get(get_setup).post(post_setup),
        )
        .route(
            &format!("{BASE}/products/{{id}}/branches/{{selector}}"),
            get(branches),
        )
        .route(
            &format!("{BASE}/products/{{id}}/variants"),
            get(list_variants).post(create_variant),
        )
        .route(
            &format!("{BASE}/products/{{id}}/variants/{{variant}}"),
            get(get_variant).delete(delete_variant),
        )
}

async fn list_products(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Query(q): Query<PageQuery>,
) -> Response {
    let offset = match q.skip_token.as_deref().map(parse_skip_token) {
        None => 0,
        Some(Some(o)) => o,
        Some(None) => return error(StatusCode::BAD_REQUEST, "The $skipToken is not valid."),
    };
    let size = state.config.ingestion_page_size;
    let given = q.filter.as_deref().map(str::trim).filter(|f| !f.is_empty());
    let filter = match given.map(Filter::parse).transpose() {
        Ok(f) => f,
        Err(why) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "The $filter is not valid: {why}. Filter by ResourceType or ExternalIDs with eq, e.g. ResourceType eq 'AzureApplication' or ExternalIDs/Any(i:i/Type eq 'AzureOfferId' and i/Value eq 'contoso-app')."
                ),
            );
        }
    };
    let db = lock(&state.ingestion);
    let matching: Vec<&Product> = db
        .products
        .values()
        .map(|r| &r.product)
        .filter(|p| filter.as_ref().is_none_or(|f| f.matches(p)))
        .collect();
    let page: Vec<Product> = matching
        .iter()
        .skip(offset)
        .take(size)
        .map(|p| (*p).clone())
        .collect();
    let next = crate::rest::next_offset(offset, size, matching.len()).map(|next| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(f) = &q.filter {
            query.append_pair("$filter", f);
        }
        query.append_pair("$skipToken", &skip_token(next));
        format!("products?{}", query.finish())
    });
    Json(ODataCollection::new(page, next)).into_response()
}

async fn get_product(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    let mut db = lock(&state.ingestion);
    match db.product_mut(&id) {
        Some(r) => Json(r.product.clone()).into_response(),
        None => no_product(&id),
    }
}

fn instance_id() -> String {
    format!("i-{}", &uuid::Uuid::new_v4().simple().to_string()[..20])
}

fn branch(module: Module, instance: &str, variant: Option<&str>) -> Branch {
    let mut b = Branch::default();
    b.id = uuid::Uuid::new_v4().to_string();
    b.friendly_name = Some(if variant.is_some() {
        "Plan".to_owned()
    } else {
        "Main".to_owned()
    });
    b.branch_type = Some(if variant.is_some() {
        BranchType::Private
    } else {
        BranchType::Main
    });
    b.module = Some(module);
    b.current_draft_instance_id = Some(instance.to_owned());
    b.variant_id = variant.map(str::to_owned);
    b.extra.insert(
        "resourceType".to_owned(),
        Value::String("Branch".to_owned()),
    );
    b
}

/// A draft's first listing: English, titled, with no description yet.
fn new_listing(title: Option<String>) -> Listing {
    let mut l = Listing::default();
    l.id = uuid::Uuid::new_v4().to_string();
    l.etag = Some(etag_after(None));
    l.language_code = Some("en-us".to_owned());
    l.title = title;
    l.description = Some(String::new());
    l.extra.insert(
        "resourceType".to_owned(),
        Value::String("AzureListing".to_owned()),
    );
    l
}

/// A plan's name, as its listing's first title.
fn friendly_name(variant: &Variant) -> Option<String> {
    serde_json::to_value(variant)
        .ok()?
        .get("friendlyName")?
        .as_str()
        .map(str::to_owned)
}

async fn create_product(
    State(state): State<AppState>,
    _c: IngestionCaller,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let key = headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("products:{k}"));
    if let Some(k) = &key {
        if let Some((status, body)) = lock(&state.ingestion).replies.get(k) {
            return (
                StatusCode::from_u16(*status).unwrap_or(StatusCode::OK),
                Json(body.clone()),
            )
                .into_response();
        }
    }
    let mut product: Product = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("The product is not valid: {e}."),
            );
        }
    };
    if product.name.as_deref().is_none_or(str::is_empty) {
        return error(StatusCode::BAD_REQUEST, "The product needs a name.");
    }
    if product.resource_type.is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            "The product needs a resourceType (e.g. AzureApplication).",
        );
    }
    let mut db = lock(&state.ingestion);
    let offer_id = product
        .external_ids
        .iter()
        .find(|e| e.kind == "AzureOfferId")
        .map(|e| e.value.clone());
    if let Some(offer) = &offer_id {
        let taken = db.products.values().any(|r| {
            r.product
                .external_ids
                .iter()
                .any(|e| e.kind == "AzureOfferId" && &e.value == offer)
        });
        if taken {
            return error(
                StatusCode::CONFLICT,
                &format!("An offer with the id {offer} already exists."),
            );
        }
    }
    let id = db.new_id();
    product.id.clone_from(&id);
    product.etag = Some(etag_after(None));
    product.is_modular_publishing.get_or_insert(true);
    let mut record = ProductRecord {
        product: product.clone(),
        ..ProductRecord::default()
    };
    for module in [
        Module::Listing,
        Module::Property,
        Module::Availability,
        Module::Package,
    ] {
        let instance = instance_id();
        match module {
            Module::Listing => {
                record
                    .listings
                    .insert(instance.clone(), vec![new_listing(product.name.clone())]);
            }
            Module::Property => {
                let mut p = Property::default();
                p.id = uuid::Uuid::new_v4().to_string();
                p.etag = Some(etag_after(None));
                p.extra.insert(
                    "resourceType".to_owned(),
                    Value::String("AzureProperty".to_owned()),
                );
                record.properties.insert(instance.clone(), vec![p]);
            }
            Module::Availability => {
                let mut a = ProductAvailability::default();
                a.id = uuid::Uuid::new_v4().to_string();
                a.etag = Some(etag_after(None));
                a.visibility = Some("Public".to_owned());
                a.extra.insert(
                    "resourceType".to_owned(),
                    Value::String("ProductAvailability".to_owned()),
                );
                record.availabilities.insert(instance.clone(), vec![a]);
            }
            _ => {}
        }
        record.branches.push(branch(module, &instance, None));
    }
    let seq = db.seq;
    db.ids.insert(id, seq);
    db.products.insert(seq, record);
    let body = serde_json::to_value(&product).unwrap_or(Value::Null);
    if let Some(k) = key {
        db.replies.insert(k, (201, body.clone()));
    }
    (StatusCode::CREATED, Json(body)).into_response()
}

async fn delete_product(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    let mut db = lock(&state.ingestion);
    let Some(seq) = db.ids.remove(&id) else {
        return no_product(&id);
    };
    db.products.remove(&seq);
    StatusCode::NO_CONTENT.into_response()
}

async fn get_setup(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    with_product(&state, &id, |r| {
        let mut setup = r.setup.clone().unwrap_or_default();
        setup
            .resource_type
            .get_or_insert_with(|| "AzureProductSetup".to_owned());
        Json(setup).into_response()
    })
}

async fn post_setup(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
    Json(setup): Json<ProductSetup>,
) -> Response {
    with_product(&state, &id, |r| {
        r.setup = Some(setup.clone());
        (StatusCode::CREATED, Json(setup)).into_response()
    })
}

async fn branches(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sel)): Path<(String, String)>,
) -> Response {
    let Some(module) = selector(&sel, "getByModule", "module") else {
        return error(
            StatusCode::NOT_FOUND,
            "Use branches/getByModule(module=Listing|Property|Package|Availability).",
        );
    };
    let module: Module = module.parse().unwrap_or_else(|never| match never {});
    with_product(&state, &id, |r| {
        let list: Vec<Branch> = r
            .branches
            .iter()
            .filter(|b| b.module.as_ref() == Some(&module))
            .cloned()
            .collect();
        Json(ODataCollection::new(list, None)).into_response()
    })
}

async fn list_variants(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    with_product(&state, &id, |r| {
        Json(ODataCollection::new(r.variants.clone(), None)).into_response()
    })
}

fn variant_id(v: &Variant) -> Option<&str> {
    match v {
        Variant::AzureSku(s) => Some(&s.id),
        Variant::AzureTestDrive(t) => Some(&t.id),
        Variant::Unknown(map) => map.get("id").and_then(Value::as_str),
        _ => None,
    }
}

async fn create_variant(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
    Json(variant): Json<Variant>,
) -> Response {
    with_product(&state, &id, |r| {
        let new_id = uuid::Uuid::new_v4().to_string();
        let variant = match variant {
            Variant::AzureSku(mut s) => {
                s.id.clone_from(&new_id);
                s.etag = Some(etag_after(None));
                s.state.get_or_insert_with(|| "Active".to_owned());
                Variant::AzureSku(s)
            }
            Variant::AzureTestDrive(mut t) => {
                t.id.clone_from(&new_id);
                t.etag = Some(etag_after(None));
                Variant::AzureTestDrive(t)
            }
            other => {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!(
                        "Variants of type {} can't be created here.",
                        other.resource_type()
                    ),
                );
            }
        };
        // A plan gets its own Listing, Availability and Package branches, each with a
        // current draft instance, as the product's modules have; its listing is readable
        // by instance as the product's is.
        for module in [Module::Listing, Module::Availability, Module::Package] {
            let instance = instance_id();
            if module == Module::Listing {
                r.listings
                    .insert(instance.clone(), vec![new_listing(friendly_name(&variant))]);
            }
            r.branches.push(branch(module, &instance, Some(&new_id)));
        }
        r.variants.push(variant.clone());
        (StatusCode::CREATED, Json(variant)).into_response()
    })
}

async fn get_variant(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, vid)): Path<(String, String)>,
) -> Response {
    with_product(&state, &id, |r| {
        match r
            .variants
            .iter()
            .find(|v| variant_id(v) == Some(vid.as_str()))
        {
            Some(v) => Json(v.clone()).into_response(),
            None => error(
                StatusCode::NOT_FOUND,
                &format!("Variant {vid} was not found."),
            ),
        }
    })
}

async fn delete_variant(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, vid)): Path<(String, String)>,
) -> Response {
    with_product(&state, &id, |r| {
        let before = r.variants.len();
        r.variants.retain(|v| variant_id(v) != Some(vid.as_str()));
        if r.variants.len() == before {
            return error(
                StatusCode::NOT_FOUND,
                &format!("Variant {vid} was not found."),
            );
        }
        r.branches
            .retain(|b| b.variant_id.as_deref() != Some(vid.as_str()));
        StatusCode::NO_CONTENT.into_response()
    })
}
