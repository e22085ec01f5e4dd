//! What a product's draft instances hold and clients edit before a submission: listings
//! and their images, properties, availabilities, and the reseller configuration (the
//! submission API's OpenAPI description, shared/specs/partner-ingestion-openapi.json).
//!
//! Each entity is read by its draft instance (`getByInstanceID(instanceID=…)`) or by its
//! id, and replaced by `PUT` with `If-Match` naming its current `@odata.etag` (the spec
//! marks `If-Match` required on these PUTs); a stale or missing etag is refused with 412
//! and the entity's etag moves on with every update. Images are uploaded as the service
//! has them uploaded: `POST` answers a `fileSasUri`, the client `PUT`s the file there (an
//! Azure Blob `BlockBlob` upload, emulated under `/_emulator/blobs`), then `PUT`s the image
//! with `state: Uploaded`; an image whose file arrived is `Processed`, one whose file did
//! not is `ProcessFailed`.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

use partner_center_models::ODataCollection;
use partner_center_models::ingestion::{Listing, ListingImage, ProductAvailability, Property};

use super::{BASE, IngestionCaller, ProductRecord, error, selector, with_product};
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    let product = format!("{BASE}/products/{{id}}");
    Router::new()
        .route(
            &format!("{product}/listings/{{selector}}"),
            get(get_draft::<Listing>).put(put_draft::<Listing>),
        )
        .route(
            &format!("{product}/listings/{{listing}}/images"),
            get(list_images).post(create_image),
        )
        .route(
            &format!("{product}/listings/{{listing}}/images/{{image}}"),
            get(get_image).put(put_image).delete(delete_image),
        )
        .route(
            &format!("{product}/properties"),
            get(list_drafts::<Property>),
        )
        .route(
            &format!("{product}/properties/{{selector}}"),
            get(get_draft::<Property>).put(put_draft::<Property>),
        )
        // The spec spells the collection `productavailabilities` and the instance lookup
        // `productAvailabilities/getByInstanceID(…)`; both spellings take both.
        .route(
            &format!("{product}/productavailabilities"),
            get(list_drafts::<ProductAvailability>),
        )
        .route(
            &format!("{product}/productAvailabilities"),
            get(list_drafts::<ProductAvailability>),
        )
        .route(
            &format!("{product}/productavailabilities/{{selector}}"),
            get(get_draft::<ProductAvailability>).put(put_draft::<ProductAvailability>),
        )
        .route(
            &format!("{product}/productAvailabilities/{{selector}}"),
            get(get_draft::<ProductAvailability>).put(put_draft::<ProductAvailability>),
        )
        .route(
            &format!("{product}/resellerConfiguration"),
            get(get_reseller).post(post_reseller),
        )
        .route("/_emulator/blobs/{blob}", put(upload_blob))
}

/// An entity of a draft: an id and an etag that moves on with each update.
pub(super) trait Entity: Clone + Serialize {
    fn id(&self) -> &str;
    fn etag(&self) -> Option<&str>;
    fn stamp(&mut self, id: &str, etag: String);
}

macro_rules! entities {
    ($($t:ty),*) => {$(
        impl Entity for $t {
            fn id(&self) -> &str {
                &self.id
            }
            fn etag(&self) -> Option<&str> {
                self.etag.as_deref()
            }
            fn stamp(&mut self, id: &str, etag: String) {
                id.clone_into(&mut self.id);
                self.etag = Some(etag);
            }
        }
    )*};
}

entities!(Listing, Property, ProductAvailability, ListingImage);

/// A new entity's etag, and the one after `current`.
pub(super) fn etag_after(current: Option<&str>) -> String {
    let version = current
        .and_then(|e| e.trim_matches('"').parse::<u64>().ok())
        .unwrap_or(0);
    format!("\"{}\"", version + 1)
}

/// `getByInstanceID(instanceID=…)` answers the instance's entities as a collection; an id
/// answers that entity.
fn get_by<T: Entity>(instances: &HashMap<String, Vec<T>>, sel: &str, what: &str) -> Response {
    if let Some(instance) = selector(sel, "getByInstanceID", "instanceID") {
        return match instances.get(instance) {
            Some(items) => Json(ODataCollection::new(items.clone(), None)).into_response(),
            None => error(
                StatusCode::NOT_FOUND,
                &format!("Instance {instance} was not found."),
            ),
        };
    }
    match instances.values().flatten().find(|e| e.id() == sel) {
        Some(e) => Json(e.clone()).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            &format!("{what} {sel} was not found."),
        ),
    }
}

/// Replaces the entity `id` among `items` with `update`, if `If-Match` names its etag.
fn put_by_id<'a, T: Entity + 'a>(
    items: impl IntoIterator<Item = &'a mut T>,
    id: &str,
    headers: &HeaderMap,
    mut update: T,
    what: &str,
) -> Result<T, Response> {
    let Some(current) = items.into_iter().find(|e| e.id() == id) else {
        return Err(error(
            StatusCode::NOT_FOUND,
            &format!("{what} {id} was not found."),
        ));
    };
    let offered = headers
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    if offered.is_none_or(|o| o != "*" && Some(o) != current.etag()) {
        return Err(error(
            StatusCode::PRECONDITION_FAILED,
            &format!(
                "The If-Match etag is missing or stale: get the {} again and send its @odata.etag.",
                what.to_ascii_lowercase()
            ),
        ));
    }
    update.stamp(id, etag_after(current.etag()));
    *current = update.clone();
    Ok(update)
}

fn answer<T: Serialize>(result: Result<T, Response>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(refused) => refused,
    }
}

/// A draft instance's resource, reached by the same handlers: where the product keeps it
/// and the name an error gives it.
pub(super) trait Draft: Entity + serde::de::DeserializeOwned + Send + 'static {
    const WHAT: &'static str;
    fn instances(r: &mut ProductRecord) -> &mut HashMap<String, Vec<Self>>;
}

macro_rules! drafts {
    ($($t:ty: $what:literal, $field:ident;)*) => {$(
        impl Draft for $t {
            const WHAT: &'static str = $what;
            fn instances(r: &mut ProductRecord) -> &mut HashMap<String, Vec<Self>> {
                &mut r.$field
            }
        }
    )*};
}

drafts! {
    Listing: "Listing", listings;
    Property: "Property", properties;
    ProductAvailability: "ProductAvailability", availabilities;
}

/// `GET …/{selector}`: by draft instance or by id.
async fn get_draft<T: Draft>(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, sel)): Path<(String, String)>,
) -> Response {
    with_product(&state, &id, |r| get_by(T::instances(r), &sel, T::WHAT))
}

/// `GET` of the collection: every instance's.
async fn list_drafts<T: Draft>(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    with_product(&state, &id, |r| {
        let all: Vec<T> = T::instances(r).values().flatten().cloned().collect();
        Json(ODataCollection::new(all, None)).into_response()
    })
}

/// `PUT …/{id}` with `If-Match`.
async fn put_draft<T: Draft>(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, entity)): Path<(String, String)>,
    headers: HeaderMap,
    Json(update): Json<T>,
) -> Response {
    with_product(&state, &id, |r| {
        answer(put_by_id(
            T::instances(r).values_mut().flatten(),
            &entity,
            &headers,
            update,
            T::WHAT,
        ))
    })
}

/// The images of a listing that exists, or 404.
fn images_of<'a>(
    r: &'a mut ProductRecord,
    listing: &str,
) -> Result<&'a mut Vec<ListingImage>, Response> {
    if !r.listings.values().flatten().any(|l| l.id == listing) {
        return Err(error(
            StatusCode::NOT_FOUND,
            &format!("Listing {listing} was not found."),
        ));
    }
    Ok(r.images.entry(listing.to_owned()).or_default())
}

async fn list_images(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, listing)): Path<(String, String)>,
) -> Response {
    with_product(&state, &id, |r| match images_of(r, &listing) {
        Ok(images) => Json(ODataCollection::new(images.clone(), None)).into_response(),
        Err(refused) => refused,
    })
}

async fn create_image(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, listing)): Path<(String, String)>,
    Json(mut image): Json<ListingImage>,
) -> Response {
    if image.file_name.as_deref().is_none_or(str::is_empty) {
        return error(
            StatusCode::BAD_REQUEST,
            "The image needs a fileName (e.g. logo-large.png).",
        );
    }
    let base = state.base.clone();
    with_product(&state, &id, |r| {
        let images = match images_of(r, &listing) {
            Ok(images) => images,
            Err(refused) => return refused,
        };
        let image_id = uuid::Uuid::new_v4().to_string();
        image.stamp(&image_id, etag_after(None));
        image.state = Some("PendingUpload".to_owned());
        // A SAS URI as Azure Storage shapes them; the signature is the emulator's.
        image.file_sas_uri = Some(format!(
            "{base}/_emulator/blobs/{image_id}?sv=2020-08-04&sr=b&sp=rcw&sig=emulator"
        ));
        image
            .extra
            .insert("resourceType".to_owned(), json!("ListingImage"));
        images.push(image.clone());
        (StatusCode::CREATED, Json(image)).into_response()
    })
}

async fn get_image(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, listing, image)): Path<(String, String, String)>,
) -> Response {
    with_product(&state, &id, |r| match images_of(r, &listing) {
        Ok(images) => match images.iter().find(|i| i.id == image) {
            Some(i) => Json(i.clone()).into_response(),
            None => error(
                StatusCode::NOT_FOUND,
                &format!("Image {image} was not found."),
            ),
        },
        Err(refused) => refused,
    })
}

async fn put_image(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, listing, image)): Path<(String, String, String)>,
    headers: HeaderMap,
    Json(mut update): Json<ListingImage>,
) -> Response {
    let uploaded = lock(&state.ingestion).blobs.contains(&image);
    with_product(&state, &id, |r| {
        let images = match images_of(r, &listing) {
            Ok(images) => images,
            Err(refused) => return refused,
        };
        if let Some(current) = images.iter().find(|i| i.id == image) {
            update.file_sas_uri.clone_from(&current.file_sas_uri);
        }
        if update.state.as_deref() == Some("Uploaded") {
            update.state = Some(
                if uploaded {
                    "Processed"
                } else {
                    "ProcessFailed"
                }
                .to_owned(),
            );
        }
        answer(put_by_id(
            images.iter_mut(),
            &image,
            &headers,
            update,
            "Image",
        ))
    })
}

async fn delete_image(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path((id, listing, image)): Path<(String, String, String)>,
) -> Response {
    let answer = with_product(&state, &id, |r| {
        let images = match images_of(r, &listing) {
            Ok(images) => images,
            Err(refused) => return refused,
        };
        let before = images.len();
        images.retain(|i| i.id != image);
        if images.len() == before {
            return error(
                StatusCode::NOT_FOUND,
                &format!("Image {image} was not found."),
            );
        }
        StatusCode::NO_CONTENT.into_response()
    });
    if answer.status() == StatusCode::NO_CONTENT {
        lock(&state.ingestion).blobs.remove(&image);
    }
    answer
}

/// Azure Blob Storage's Put Blob, for the SAS URIs the emulator hands out: a `BlockBlob`
/// upload answers 201 Created (the body is counted by the router's limit, not kept).
async fn upload_blob(
    State(state): State<AppState>,
    Path(blob): Path<String>,
    headers: HeaderMap,
    _body: axum::body::Bytes,
) -> Response {
    if headers.get("x-ms-blob-type").and_then(|v| v.to_str().ok()) != Some("BlockBlob") {
        return error(
            StatusCode::BAD_REQUEST,
            "Put Blob needs the header x-ms-blob-type: BlockBlob.",
        );
    }
    let mut db = lock(&state.ingestion);
    // Only the SAS URIs handed out (an image's) take a file.
    let issued = db
        .products
        .values()
        .any(|r| r.images.values().flatten().any(|i| i.id == blob));
    if !issued {
        return error(
            StatusCode::FORBIDDEN,
            "This SAS URI was not issued: POST the image first and upload to its fileSasUri.",
        );
    }
    db.blobs.insert(blob);
    StatusCode::CREATED.into_response()
}

/// The reseller configuration (`Reseller.ResellerConfiguration`): whether Cloud Solution
/// Providers may resell the offer. Not an entity (no id, no etag): `POST` replaces it.
async fn get_reseller(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    with_product(&state, &id, |r| {
        Json(r.reseller.clone().unwrap_or_else(|| {
            json!({"resourceType": "ResellerConfiguration", "resellerChannelState": "Disabled", "tenantIds": []})
        }))
        .into_response()
    })
}

/// The states the spec names (`Disabled`, `PartialOptIn`, `OptOut`, `Enabled`); keys are
/// taken in either case, as clients send `ResellerChannelState` too.
async fn post_reseller(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let field = |name: &str| crate::rest::field(&body, name).cloned();
    let channel = field("resellerChannelState").unwrap_or(Value::Null);
    let known = ["Disabled", "PartialOptIn", "OptOut", "Enabled"];
    let Some(channel) = channel
        .as_str()
        .and_then(|c| known.iter().find(|k| k.eq_ignore_ascii_case(c)))
    else {
        return error(
            StatusCode::BAD_REQUEST,
            &format!(
                "resellerChannelState must be one of {}; it was {channel}.",
                known.join(", ")
            ),
        );
    };
    let tenants = field("tenantIds").unwrap_or_else(|| json!([]));
    if !tenants.is_array() {
        return error(
            StatusCode::BAD_REQUEST,
            "tenantIds must be an array of tenant ids.",
        );
    }
    let config = json!({
        "resourceType": "ResellerConfiguration",
        "resellerChannelState": channel,
        "tenantIds": tenants,
    });
    with_product(&state, &id, |r| {
        r.reseller = Some(config.clone());
        Json(config).into_response()
    })
}
