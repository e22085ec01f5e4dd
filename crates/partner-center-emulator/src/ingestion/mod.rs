//! The submission (ingestion) API under `/v1.0/ingestion`, over in-memory state, with a
//! submission lifecycle that advances with time and a certification that can fail. One file per area (products, submissions);
//! here what they share: state, the caller check, errors, paging, selectors.

include!(concat!(env!("OUT_DIR"), "/ingestion_areas.rs"));

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use partner_center_models::ingestion::{
    Branch, Listing, ListingImage, Product, ProductAvailability, ProductSetup, Property,
    Submission, ValidationItem, Variant,
};
use serde::Deserialize;
use serde_json::Value;

use crate::auth::{Denied, bearer_claims};
use crate::entra::INGESTION;
use crate::{AppState, lock};

pub(super) const BASE: &str = "/v1.0/ingestion";

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
    /// Listing id → its images.
    images: HashMap<String, Vec<ListingImage>>,
    /// The reseller configuration, once posted.
    reseller: Option<Value>,
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
    /// The names of the files uploaded to the SAS URIs handed out.
    blobs: HashSet<String>,
}

impl IngestionDb {
    pub(super) fn product_mut(&mut self, id: &str) -> Option<&mut ProductRecord> {
        let seq = self.ids.get(id)?;
        self.products.get_mut(seq)
    }

    pub(super) fn new_id(&mut self) -> String {
        self.seq += 1;
        uuid::Uuid::new_v4().to_string()
    }

    pub(crate) fn count(&self) -> usize {
        self.products.len()
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(area_routes())
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
pub(super) fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(Value::String(message.to_owned()))).into_response()
}

pub(super) fn no_product(id: &str) -> Response {
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
        bearer_claims(parts, state, &[INGESTION]).map_err(|denied| match denied {
            Denied::NoBearer => error(
                StatusCode::UNAUTHORIZED,
                "Authorization: Bearer <token> is required.",
            ),
            Denied::Invalid(e) => error(StatusCode::UNAUTHORIZED, &format!("Unauthorized: {e}.")),
            Denied::Audience(aud) => error(
                StatusCode::UNAUTHORIZED,
                &format!("Unauthorized: the token's audience {aud} is not {INGESTION}."),
            ),
            Denied::UnknownApp => error(
                StatusCode::FORBIDDEN,
                "The application is not a user of this account (add it in Partner Center with the Manager role).",
            ),
        })?;
        Ok(IngestionCaller)
    }
}

pub(super) fn skip_token(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(offset.to_string())
}

pub(super) fn parse_skip_token(token: &str) -> Option<usize> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?)
        .ok()?
        .parse()
        .ok()
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    #[serde(rename = "$skipToken")]
    skip_token: Option<String>,
    #[serde(rename = "$filter")]
    filter: Option<String>,
}

/// `getByModule(module=Listing)` → `Listing`; `getByInstanceID(instanceID=x)` → `x`.
pub(super) fn selector<'a>(selector: &'a str, function: &str, arg: &str) -> Option<&'a str> {
    let inner = selector
        .strip_prefix(function)?
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let (name, value) = inner.split_once('=')?;
    name.eq_ignore_ascii_case(arg)
        .then_some(value.trim_matches('\''))
}

/// Runs `f` on a product, or answers 404.
pub(super) fn with_product(
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

/// Runs `f` on a product's submission, or answers 404 for a missing product or submission.
pub(super) fn with_submission(
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

pub(super) fn find<'a>(r: &'a mut ProductRecord, sub: &str) -> Option<&'a mut SubmissionRecord> {
    r.submissions.iter_mut().find(|s| s.submission.id == sub)
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
    ("get", "/products/{productID}/listings/{listingID}/images"),
    ("post", "/products/{productID}/listings/{listingID}/images"),
    (
        "get",
        "/products/{productID}/listings/{listingID}/images/{imageID}",
    ),
    (
        "put",
        "/products/{productID}/listings/{listingID}/images/{imageID}",
    ),
    (
        "delete",
        "/products/{productID}/listings/{listingID}/images/{imageID}",
    ),
    ("get", "/products/{productID}/properties"),
    ("get", "/products/{productID}/properties/{propertyID}"),
    ("put", "/products/{productID}/properties/{propertyID}"),
    (
        "get",
        "/products/{productID}/properties/getByInstanceID(instanceID={instanceID})",
    ),
    ("get", "/products/{productID}/productavailabilities"),
    (
        "get",
        "/products/{productID}/productavailabilities/{productAvailabilityID}",
    ),
    (
        "put",
        "/products/{productID}/productavailabilities/{productAvailabilityID}",
    ),
    (
        "get",
        "/products/{productID}/productAvailabilities/getByInstanceID(instanceID={instanceID})",
    ),
    ("get", "/products/{productID}/resellerConfiguration"),
    ("post", "/products/{productID}/resellerConfiguration"),
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
