//! The submission (ingestion) API under `/v1.0/ingestion`, over in-memory state, with a
//! submission lifecycle that advances with time and a certification that can fail.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use partner_center_models::ODataCollection;
use partner_center_models::ingestion::{
    Branch, BranchType, CertificationReport, CertificationStatus, Listing, Module, Product,
    ProductAvailability, ProductSetup, Property, Submission, SubmissionCreationRequest,
    SubmissionState, SubmissionSubstate, TypeValuePair, ValidationItem, Variant, WorkflowDetail,
    WorkflowStepDetail,
};
use serde::Deserialize;
use serde_json::Value;

use crate::entra::INGESTION;
use crate::{AppState, lock};

const BASE: &str = "/v1.0/ingestion";

/// One product's state.
#[derive(Default)]
pub(crate) struct ProductRecord {
    product: Product,
    setup: Option<ProductSetup>,
    branches: Vec<Branch>,
    /// Draft instance id → listings in it.
    listings: HashMap<String, Vec<Listing>>,
    properties: HashMap<String, Vec<Property>>,
    availabilities: HashMap<String, Vec<ProductAvailability>>,
    variants: Vec<Variant>,
    submissions: Vec<SubmissionRecord>,
}

pub(crate) struct SubmissionRecord {
    submission: Submission,
    created: Instant,
    fails: Option<Vec<ValidationItem>>,
    promoted: Option<Instant>,
}

#[derive(Default)]
pub(crate) struct IngestionDb {
    seq: u64,
    products: BTreeMap<u64, ProductRecord>,
    ids: HashMap<String, u64>,
    /// Client-Request-ID → (status, body) of creates.
    replies: HashMap<String, (u16, Value)>,
}

impl IngestionDb {
    fn product_mut(&mut self, id: &str) -> Option<&mut ProductRecord> {
        let seq = self.ids.get(id)?;
        self.products.get_mut(seq)
    }

    fn new_id(&mut self) -> String {
        self.seq += 1;
        uuid::Uuid::new_v4().to_string()
    }

    pub(crate) fn count(&self) -> usize {
        self.products.len()
    }
}

pub(crate) fn routes() -> Router<AppState> {
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
            &format!("{BASE}/products/{{id}}/listings/{{selector}}"),
            get(get_listing).put(put_listing),
        )
        .route(
            &format!("{BASE}/products/{{id}}/properties/{{selector}}"),
            get(get_property),
        )
        .route(
            &format!("{BASE}/products/{{id}}/productAvailabilities/{{selector}}"),
            get(get_availability),
        )
        .route(
            &format!("{BASE}/products/{{id}}/productavailabilities"),
            get(list_availabilities),
        )
        .route(
            &format!("{BASE}/products/{{id}}/variants"),
            get(list_variants).post(create_variant),
        )
        .route(
            &format!("{BASE}/products/{{id}}/variants/{{variant}}"),
            get(get_variant).delete(delete_variant),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions"),
            get(list_submissions).post(create_submission),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}"),
            get(get_submission),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/promote"),
            post(promote),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/validations"),
            get(validations),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/reports"),
            get(reports),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/workflowdetails"),
            get(workflow),
        )
        .layer(middleware::from_fn(request_ids))
}

/// Every answer carries a `Request-ID`; the client's `Client-Request-ID` is echoed.
async fn request_ids(request: Request, next: Next) -> Response {
    let client = request.headers().get("client-request-id").cloned();
    let mut response = next.run(request).await;
    if let Ok(v) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        response.headers_mut().insert("request-id", v);
    }
    if let Some(c) = client {
        response.headers_mut().insert("client-request-id", c);
    }
    response
}

/// The API's errors are a bare JSON string.
fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(Value::String(message.to_owned()))).into_response()
}

fn no_product(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("Product {id} was not found."),
    )
}

/// A caller with a valid token for the ingestion API's audience.
pub(crate) struct IngestionCaller;

impl FromRequestParts<AppState> for IngestionCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let header = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(token) = header.strip_prefix("Bearer ") else {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                "Authorization: Bearer <token> is required.",
            ));
        };
        let claims = state
            .key
            .verify(token.trim())
            .map_err(|e| error(StatusCode::UNAUTHORIZED, &format!("Unauthorized: {e}.")))?;
        let aud = claims["aud"].as_str().unwrap_or_default();
        if aud != INGESTION {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                &format!("Unauthorized: the token's audience {aud} is not {INGESTION}."),
            ));
        }
        let app = claims["appid"]
            .as_str()
            .or_else(|| claims["azp"].as_str())
            .unwrap_or_default();
        if app != state.config.client_id {
            return Err(error(
                StatusCode::FORBIDDEN,
                "The application is not a user of this account (add it in Partner Center with the Manager role).",
            ));
        }
        Ok(IngestionCaller)
    }
}

fn skip_token(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(offset.to_string())
}

fn parse_skip_token(token: &str) -> Option<usize> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?)
        .ok()?
        .parse()
        .ok()
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(rename = "$skipToken")]
    skip_token: Option<String>,
    #[serde(rename = "$filter")]
    filter: Option<String>,
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
    let db = lock(&state.ingestion);
    let filter = q.filter.unwrap_or_default().to_ascii_lowercase();
    let matching: Vec<&Product> = db
        .products
        .values()
        .map(|r| &r.product)
        .filter(|p| {
            // `ResourceType eq 'X'` is the one filter form emulated.
            filter.is_empty()
                || p.resource_type.as_ref().is_some_and(|t| {
                    filter.contains(&format!("'{}'", t.as_str().to_ascii_lowercase()))
                })
        })
        .collect();
    let page: Vec<Product> = matching
        .iter()
        .skip(offset)
        .take(size)
        .map(|p| (*p).clone())
        .collect();
    let next = (offset + size < matching.len())
        .then(|| format!("products?$skipToken={}", skip_token(offset + size)));
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

fn etag(n: u64) -> String {
    format!("\"{n}\"")
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
    product.etag = Some(etag(1));
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
                let mut l = Listing::default();
                l.id = uuid::Uuid::new_v4().to_string();
                l.etag = Some(etag(1));
                l.language_code = Some("en-us".to_owned());
                l.title = product.name.clone();
                l.description = Some(String::new());
                l.extra.insert(
                    "resourceType".to_owned(),
                    Value::String("AzureListing".to_owned()),
                );
                record.listings.insert(instance.clone(), vec![l]);
            }
            Module::Property => {
                let mut p = Property::default();
                p.id = uuid::Uuid::new_v4().to_string();
                p.etag = Some(etag(1));
                p.extra.insert(
                    "resourceType".to_owned(),
                    Value::String("AzureProperty".to_owned()),
                );
                record.properties.insert(instance.clone(), vec![p]);
            }
            Module::Availability => {
                let mut a = ProductAvailability::default();
                a.id = uuid::Uuid::new_v4().to_string();
                a.etag = Some(etag(1));
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

/// `getByModule(module=Listing)` → `Listing`; `getByInstanceID(instanceID=x)` → `x`.
fn selector<'a>(selector: &'a str, function: &str, arg: &str) -> Option<&'a str> {
    let inner = selector
        .strip_prefix(function)?
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let (name, value) = inner.split_once('=')?;
    name.eq_ignore_ascii_case(arg)
        .then_some(value.trim_matches('\''))
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

async fn get_listing(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sel)): Path<(String, String)>,
) -> Response {
    with_product(&state, &id, |r| {
        if let Some(instance) = selector(&sel, "getByInstanceID", "instanceID") {
            return match r.listings.get(instance) {
                Some(l) => Json(ODataCollection::new(l.clone(), None)).into_response(),
                None => error(
                    StatusCode::NOT_FOUND,
                    &format!("Instance {instance} was not found."),
                ),
            };
        }
        match r.listings.values().flatten().find(|l| l.id == sel) {
            Some(l) => Json(l.clone()).into_response(),
            None => error(
                StatusCode::NOT_FOUND,
                &format!("Listing {sel} was not found."),
            ),
        }
    })
}

async fn put_listing(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, listing_id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(update): Json<Listing>,
) -> Response {
    with_product(&state, &id, |r| {
        let Some(listing) = r
            .listings
            .values_mut()
            .flatten()
            .find(|l| l.id == listing_id)
        else {
            return error(
                StatusCode::NOT_FOUND,
                &format!("Listing {listing_id} was not found."),
            );
        };
        let offered = headers.get("if-match").and_then(|v| v.to_str().ok());
        if offered != listing.etag.as_deref() {
            return error(
                StatusCode::PRECONDITION_FAILED,
                "The If-Match etag is missing or stale: get the listing again and retry.",
            );
        }
        let version = listing
            .etag
            .as_deref()
            .and_then(|e| e.trim_matches('"').parse::<u64>().ok())
            .unwrap_or(1)
            + 1;
        let mut next = update;
        next.id.clone_from(&listing.id);
        next.etag = Some(etag(version));
        *listing = next.clone();
        Json(next).into_response()
    })
}

async fn get_property(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sel)): Path<(String, String)>,
) -> Response {
    with_product(&state, &id, |r| {
        by_instance(&r.properties, &sel, "Property")
    })
}

async fn get_availability(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sel)): Path<(String, String)>,
) -> Response {
    with_product(&state, &id, |r| {
        by_instance(&r.availabilities, &sel, "Availability")
    })
}

async fn list_availabilities(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    with_product(&state, &id, |r| {
        let all: Vec<ProductAvailability> = r.availabilities.values().flatten().cloned().collect();
        Json(ODataCollection::new(all, None)).into_response()
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
                s.etag = Some(etag(1));
                s.state.get_or_insert_with(|| "Active".to_owned());
                Variant::AzureSku(s)
            }
            Variant::AzureTestDrive(mut t) => {
                t.id.clone_from(&new_id);
                t.etag = Some(etag(1));
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
        for module in [Module::Listing, Module::Availability] {
            r.branches
                .push(branch(module, &instance_id(), Some(&new_id)));
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

/// What certification checks: the listing has a description of at least 50 characters
/// and a title; a forced failure (`fail_certification`) fails it regardless.
fn certify(
    r: &ProductRecord,
    request: &SubmissionCreationRequest,
    forced: bool,
) -> Option<Vec<ValidationItem>> {
    let mut items = Vec::new();
    for res in request
        .resources
        .iter()
        .filter(|t| t.kind.eq_ignore_ascii_case("Listing"))
    {
        for l in r.listings.get(&res.value).into_iter().flatten() {
            if l.description.as_deref().unwrap_or_default().chars().count() < 50 {
                items.push(validation(
                    "LST-0021",
                    &format!("Listing/{}", res.value),
                    "The listing description must be at least 50 characters long.",
                ));
            }
            if l.title.as_deref().unwrap_or_default().trim().is_empty() {
                items.push(validation(
                    "LST-0001",
                    &format!("Listing/{}", res.value),
                    "The listing needs a title.",
                ));
            }
        }
    }
    if forced {
        items.push(validation(
            "CRT-9999",
            "Product",
            "Certification failed (forced by the emulator's fail_certification setting).",
        ));
    }
    (!items.is_empty()).then_some(items)
}

fn validation(code: &str, resource: &str, message: &str) -> ValidationItem {
    let mut v = ValidationItem::default();
    v.error_code = Some(code.to_owned());
    v.severity = Some("Error".to_owned());
    v.message = Some(message.to_owned());
    v.resource = Some(resource.to_owned());
    v
}

/// The submission as it is now: the lifecycle advances one phase per `step`.
fn view(rec: &SubmissionRecord, step: Duration) -> Submission {
    let steps = |since: Instant| (since.elapsed().as_millis() / step.as_millis().max(1)) as u64;
    let n = steps(rec.created);
    let live = rec
        .submission
        .target()
        .is_some_and(|t| t.eq_ignore_ascii_case("Live"));
    let (state, substate) = match (n, &rec.fails, rec.promoted) {
        (0, _, _) => (SubmissionState::InProgress, SubmissionSubstate::InDraft),
        (1..=2, _, _) => (SubmissionState::InProgress, SubmissionSubstate::Submitted),
        (_, Some(_), _) => (
            SubmissionState::InProgress,
            SubmissionSubstate::FailedInCertification,
        ),
        (_, None, Some(p)) if steps(p) >= 2 => {
            (SubmissionState::Published, SubmissionSubstate::Published)
        }
        (_, None, Some(_)) => (SubmissionState::InProgress, SubmissionSubstate::Publishing),
        (3..=4, None, None) if live => {
            (SubmissionState::InProgress, SubmissionSubstate::Publishing)
        }
        (_, None, None) if live => (SubmissionState::Published, SubmissionSubstate::Published),
        (_, None, None) => (
            SubmissionState::InProgress,
            SubmissionSubstate::ReadyToPublish,
        ),
    };
    let mut s = rec.submission.clone();
    s.state = Some(state);
    s.substate = Some(substate);
    s.are_resources_ready = Some(true);
    s
}

async fn list_submissions(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    let step = state.config.submission_step;
    with_product(&state, &id, |r| {
        let all: Vec<Submission> = r.submissions.iter().map(|s| view(s, step)).collect();
        Json(ODataCollection::new(all, None)).into_response()
    })
}

async fn create_submission(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
    Json(request): Json<SubmissionCreationRequest>,
) -> Response {
    let step = state.config.submission_step;
    let forced = state
        .fail_certification
        .load(std::sync::atomic::Ordering::Relaxed);
    with_product(&state, &id, |r| {
        for res in &request.resources {
            let known = r
                .branches
                .iter()
                .any(|b| b.current_draft_instance_id.as_deref() == Some(res.value.as_str()));
            if !known {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!(
                        "{} {} is not a current draft instance of this product (read it from the branches).",
                        res.kind, res.value
                    ),
                );
            }
        }
        if r.submissions.iter().any(|s| {
            matches!(
                view(s, step).substate,
                Some(SubmissionSubstate::Submitted | SubmissionSubstate::InDraft)
            )
        }) {
            return error(
                StatusCode::CONFLICT,
                "Another submission of this product is in progress.",
            );
        }
        let mut s = Submission::default();
        s.id = (r.submissions.len() as u64 + 1).to_string();
        s.resource_type = Some("Submission".to_owned());
        s.targets = if request.targets.is_empty() {
            vec![TypeValuePair::new("Scope", "Preview")]
        } else {
            request.targets.clone()
        };
        s.resources.clone_from(&request.resources);
        s.variant_resources.clone_from(&request.variant_resources);
        s.publish_option.clone_from(&request.publish_option);
        s.release_number = Some(r.submissions.len() as i64 + 1);
        s.friendly_name = Some(format!("Submission {}", r.submissions.len() + 1));
        let fails = certify(r, &request, forced);
        let record = SubmissionRecord {
            submission: s,
            created: Instant::now(),
            fails,
            promoted: None,
        };
        let shown = view(&record, step);
        r.submissions.push(record);
        (StatusCode::CREATED, Json(shown)).into_response()
    })
}

/// Runs `f` on a product, or answers 404.
fn with_product(
    state: &AppState,
    id: &str,
    f: impl FnOnce(&mut ProductRecord) -> Response,
) -> Response {
    let mut db = lock(&state.ingestion);
    match db.product_mut(id) {
        Some(r) => f(r),
        None => no_product(id),
    }
}

/// The resources of a draft instance, by `getByInstanceID(instanceID=…)`.
fn by_instance<T: Clone + serde::Serialize>(
    instances: &HashMap<String, Vec<T>>,
    sel: &str,
    what: &str,
) -> Response {
    match selector(sel, "getByInstanceID", "instanceID").and_then(|i| instances.get(i)) {
        Some(items) => Json(ODataCollection::new(items.clone(), None)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            &format!("{what} {sel} was not found."),
        ),
    }
}

/// Runs `f` on a product's submission, or answers 404 for a missing product or submission.
fn with_submission(
    state: &AppState,
    id: &str,
    sub: &str,
    f: impl FnOnce(&mut SubmissionRecord, Duration) -> Response,
) -> Response {
    let step = state.config.submission_step;
    let mut db = lock(&state.ingestion);
    let Some(r) = db.product_mut(id) else {
        return no_product(id);
    };
    match find(r, sub) {
        Some(s) => f(s, step),
        None => error(
            StatusCode::NOT_FOUND,
            &format!("Submission {sub} was not found."),
        ),
    }
}

fn find<'a>(r: &'a mut ProductRecord, sub: &str) -> Option<&'a mut SubmissionRecord> {
    r.submissions.iter_mut().find(|s| s.submission.id == sub)
}

async fn get_submission(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    with_submission(&state, &id, &sub, |s, step| {
        Json(view(s, step)).into_response()
    })
}

async fn promote(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    with_submission(&state, &id, &sub, |s, step| {
        if view(s, step).substate != Some(SubmissionSubstate::ReadyToPublish) {
            return error(
                StatusCode::CONFLICT,
                "Only a submission that is ReadyToPublish can be promoted.",
            );
        }
        s.promoted = Some(Instant::now());
        s.submission.targets = vec![TypeValuePair::new("Scope", "Live")];
        let mut shown = view(s, step);
        let mut pending = partner_center_models::ingestion::PendingUpdateInfo::default();
        pending.update_type = Some("Promote".to_owned());
        pending.status = Some("Running".to_owned());
        shown.pending_update_info = Some(pending);
        Json(shown).into_response()
    })
}

async fn validations(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    with_submission(&state, &id, &sub, |s, step| {
        let done = view(s, step)
            .substate
            .is_some_and(|x| x.is_terminal() || x == SubmissionSubstate::Publishing);
        let items = if done {
            s.fails.clone().unwrap_or_default()
        } else {
            Vec::new()
        };
        Json(ODataCollection::new(items, None)).into_response()
    })
}

async fn reports(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    with_submission(&state, &id, &sub, |s, step| {
        let substate = view(s, step)
            .substate
            .unwrap_or(SubmissionSubstate::InDraft);
        let mut report = CertificationReport::default();
        report.status = Some(match (&s.fails, substate) {
            (_, SubmissionSubstate::InDraft | SubmissionSubstate::Submitted) => {
                CertificationStatus::Pending
            }
            (Some(_), _) => CertificationStatus::Failed,
            (None, _) => CertificationStatus::Passed,
        });
        report.file_uri = Some(format!("https://emulator.invalid/reports/{id}/{sub}.pdf"));
        Json(ODataCollection::new(vec![report], None)).into_response()
    })
}

async fn workflow(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    with_submission(&state, &id, &sub, |s, step| {
        let substate = view(s, step)
            .substate
            .unwrap_or(SubmissionSubstate::InDraft);
        let phase = |name: &str, done: bool, running: bool, failed: bool| {
            let mut st = WorkflowStepDetail::default();
            st.name = Some(name.to_owned());
            st.state = Some(
                if failed {
                    "Failed"
                } else if done {
                    "Completed"
                } else if running {
                    "InProgress"
                } else {
                    "NotStarted"
                }
                .to_owned(),
            );
            st
        };
        use SubmissionSubstate as S;
        let certified = matches!(
            substate,
            S::ReadyToPublish | S::Publishing | S::Published | S::InStore
        );
        let mut detail = WorkflowDetail::default();
        detail.workflow_type = Some("Submission".to_owned());
        detail.target_environment = s.submission.target().map(str::to_owned);
        detail.state = Some(format!("{substate}"));
        detail.workflow_steps = vec![
            phase(
                "Validation",
                !matches!(substate, S::InDraft),
                matches!(substate, S::InDraft),
                false,
            ),
            phase(
                "Certification",
                certified,
                matches!(substate, S::Submitted),
                substate == S::FailedInCertification,
            ),
            phase(
                "Publish",
                matches!(substate, S::Published | S::InStore),
                substate == S::Publishing,
                false,
            ),
        ];
        Json(ODataCollection::new(vec![detail], None)).into_response()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_parse() {
        assert_eq!(
            selector("getByModule(module=Listing)", "getByModule", "module"),
            Some("Listing")
        );
        assert_eq!(
            selector(
                "getByInstanceID(instanceID=i-1)",
                "getByInstanceID",
                "instanceID"
            ),
            Some("i-1")
        );
        assert_eq!(
            selector(
                "getByInstanceID(instanceID='i-1')",
                "getByInstanceID",
                "instanceID"
            ),
            Some("i-1")
        );
        assert_eq!(selector("abc", "getByModule", "module"), None);
        assert_eq!(parse_skip_token(&skip_token(75)), Some(75));
    }
}

/// The operations of the OpenAPI description this emulator serves, spelled as the spec
/// spells them (a test checks each against the spec file).
pub const EMULATED_OPERATIONS: &[(&str, &str)] = &[
    ("get", "/products"),
    ("post", "/products"),
    ("get", "/products/{productID}"),
    ("delete", "/products/{productID}"),
    ("get", "/products/{productID}/setup"),
    ("post", "/products/{productID}/setup"),
    (
        "get",
        "/products/{productID}/branches/getByModule(module={module})",
    ),
    ("get", "/products/{productID}/listings/{listingID}"),
    ("put", "/products/{productID}/listings/{listingID}"),
    (
        "get",
        "/products/{productID}/listings/getByInstanceID(instanceID={instanceID})",
    ),
    (
        "get",
        "/products/{productID}/properties/getByInstanceID(instanceID={instanceID})",
    ),
    ("get", "/products/{productID}/productavailabilities"),
    (
        "get",
        "/products/{productID}/productAvailabilities/getByInstanceID(instanceID={instanceID})",
    ),
    ("get", "/products/{productID}/variants"),
    ("post", "/products/{productID}/variants"),
    ("get", "/products/{productID}/variants/{variantID}"),
    ("delete", "/products/{productID}/variants/{variantID}"),
    ("get", "/products/{productID}/submissions"),
    ("post", "/products/{productID}/submissions"),
    ("get", "/products/{productID}/submissions/{submissionID}"),
    (
        "post",
        "/products/{productID}/submissions/{submissionID}/promote",
    ),
    (
        "get",
        "/products/{productID}/submissions/{submissionID}/validations",
    ),
    (
        "get",
        "/products/{productID}/submissions/{submissionID}/reports",
    ),
    (
        "get",
        "/products/{productID}/submissions/{submissionID}/workflowdetails",
    ),
];

#[cfg(test)]
mod spec_tests {
    #[test]
    fn every_emulated_operation_exists_in_the_openapi_description() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../partner-center-models/tests/fixtures/partner-ingestion-openapi.json");
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for (method, path) in super::EMULATED_OPERATIONS {
            assert!(
                spec["paths"][*path][*method].is_object(),
                "{method} {path} is not in the spec"
            );
        }
    }
}
