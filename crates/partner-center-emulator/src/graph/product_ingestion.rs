//! The Product Ingestion API (`/rp/product-ingestion`): products as resources, written
//! by `configure` jobs, read as resource trees per target.
//!
//! Follows MicrosoftDocs/azure-docs, articles/marketplace/product-ingestion-api.md (2022
//! and 2023): `POST configure` answers a `configure-status` (`notStarted`, `pending`) and
//! the job runs on (`running`, then `completed` with `succeeded`, `failed` or
//! `cancelled`; one phase per `submission_step`, `Retry-After` while it runs);
//! `GET configure/{job}/status`, `GET configure/{job}` (the details, only once completed),
//! `POST configure/{job}/cancel` (400 once completed, the docs' answer);
//! `GET resource-tree/product/{id}?targetType=draft|preview|live`, `GET product`
//! (`externalId`, `type`, `$maxpagesize` with `@nextLink`), `GET plan?product=…`,
//! `GET submission/{product}`, and `GET {durable id}` (draft). `$version` is accepted
//! and the resources answered as they were written. The rules of a job and their
//! errors are in `product_ingestion/rules.rs`. The docs do not say what `configure`
//! answers; the emulator answers 202, as clients expect.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use partner_center_models::product_ingestion::{DEFAULT_SCHEMA_VERSION, schema_url};

use super::GraphCaller;
use crate::rest::Params;
use crate::state::AreaState;
use crate::{AppState, lock};

#[path = "product_ingestion/jobs.rs"]
mod jobs;
#[path = "product_ingestion/rules.rs"]
mod rules;
use jobs::{Job, cancel, configure, settle};

const BASE: &str = "/rp/product-ingestion";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(&format!("{BASE}/configure"), post(configure))
        .route(&format!("{BASE}/configure/{{job}}/cancel"), post(cancel))
        .route(&format!("{BASE}/{{*rest}}"), get(read))
}

/// A published state of a product: the submission that made it, and its resources.
#[derive(Clone, Serialize, Deserialize)]
struct Snapshot {
    submission: String,
    created: String,
    resources: Vec<Value>,
}

/// A product: its draft resources, and its preview and live states.
#[derive(Clone, Serialize, Deserialize)]
struct Offer {
    guid: String,
    draft: Vec<Value>,
    preview: Option<Snapshot>,
    live: Option<Snapshot>,
}

impl Offer {
    fn id(&self) -> String {
        format!("product/{}", self.guid)
    }

    /// The product resource.
    fn product(&self) -> Option<&Value> {
        self.draft.iter().find(|r| kind_of(r) == "product")
    }
}

/// The products and the jobs.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct ProductIngestionState {
    offers: Vec<Offer>,
    jobs: Vec<Job>,
    next_submission: u64,
}

impl AreaState for ProductIngestionState {
    const NAME: &'static str = "product-ingestion";

    fn remove_customer(&mut self, _customer: &str) {}
}

/// The type a resource's `$schema` names.
fn kind_of(resource: &Value) -> &str {
    resource["$schema"]
        .as_str()
        .and_then(partner_center_models::product_ingestion::schema_parts)
        .map_or("", |(kind, _)| kind)
}

/// An error in the API's shape: `{"error": {code, message, details}}`.
fn pi_error(status: StatusCode, code: &str, message: &str, details: Vec<Value>) -> Response {
    let body = json!({"error": {"code": code, "message": message, "details": details}});
    (status, Json(body)).into_response()
}

fn bad(message: &str) -> Response {
    pi_error(StatusCode::BAD_REQUEST, "badRequest", message, Vec::new())
}

fn not_found(what: &str) -> Response {
    pi_error(
        StatusCode::NOT_FOUND,
        "notFound",
        &format!("{what} was not found."),
        Vec::new(),
    )
}

/// Every read: `{kind}/{…}` with its query.
async fn read(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(rest): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse(query.as_deref());
    let mut db = lock(&state.db);
    let area = db.areas.get::<ProductIngestionState>();
    settle(area, &state.config);
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["configure", job, "status"] => match area.jobs.iter().find(|j| j.id == *job) {
            Some(j) => {
                let mut response = Json(j.status()).into_response();
                if !j.status().is_done() {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(1));
                }
                response
            }
            None => not_found(&format!("Job {job}")),
        },
        ["configure", job] => match area.jobs.iter().find(|j| j.id == *job) {
            Some(j) if j.status().is_done() => Json(j.detail()).into_response(),
            Some(_) => bad("The job has not completed: read its details once it has."),
            None => not_found(&format!("Job {job}")),
        },
        ["resource-tree", "product", guid] => tree(area, guid, params.get("targettype")),
        ["product"] => {
            let external = params.get("externalid");
            let kind = params.get("type");
            let items: Vec<Value> = area
                .offers
                .iter()
                .filter_map(Offer::product)
                .filter(|p| external.is_none_or(|e| rules::external(p) == Some(e)))
                .filter(|p| kind.is_none_or(|k| p["type"] == k))
                .cloned()
                .collect();
            page(items, &params, "/product")
        }
        ["plan"] => {
            let Some(product) = params.get("product") else {
                return bad("product is required: plan?product=product/<id>.");
            };
            let external = params.get("externalid");
            let items: Vec<Value> = area
                .offers
                .iter()
                .filter(|o| o.id() == product || o.guid == product)
                .flat_map(|o| o.draft.iter())
                .filter(|r| kind_of(r) == "plan")
                .filter(|p| external.is_none_or(|e| rules::external(p) == Some(e)))
                .cloned()
                .collect();
            page(items, &params, "/plan")
        }
        ["submission", guid] => match area.offers.iter().find(|o| o.guid == *guid) {
            Some(o) => {
                let items = submissions(o)
                    .into_iter()
                    .filter(|s| {
                        params
                            .get("targettype")
                            .is_none_or(|t| s["target"]["targetType"] == t)
                    })
                    .collect();
                page(items, &params, &format!("/submission/{guid}"))
            }
            None => not_found(&format!("Product {guid}")),
        },
        ["submission", guid, id] => {
            let wanted = format!("submission/{guid}/{id}");
            let found = area.offers.iter().find(|o| o.guid == *guid).and_then(|o| {
                submissions(o)
                    .into_iter()
                    .find(|s| s["id"] == wanted.as_str())
            });
            match found {
                Some(s) => Json(s).into_response(),
                None => not_found(&format!("Submission {wanted}")),
            }
        }
        _ => {
            let found = area
                .offers
                .iter()
                .flat_map(|o| o.draft.iter())
                .find(|r| r["id"] == rest.as_str());
            match found {
                Some(r) => Json(r.clone()).into_response(),
                None => not_found(&format!("Resource {rest}")),
            }
        }
    }
}

/// The draft, preview and live submissions of a product.
fn submissions(o: &Offer) -> Vec<Value> {
    let schema = schema_url("submission", DEFAULT_SCHEMA_VERSION);
    let mut out = vec![
        json!({"$schema": schema, "id": format!("submission/{}/0", o.guid),
        "product": o.id(), "target": {"targetType": "draft"}}),
    ];
    for (target, snapshot) in [("preview", &o.preview), ("live", &o.live)] {
        if let Some(s) = snapshot {
            out.push(
                json!({"$schema": schema, "id": s.submission, "product": o.id(),
                "target": {"targetType": target}, "status": "completed", "result": "succeeded",
                "created": s.created}),
            );
        }
    }
    out
}

fn tree(area: &ProductIngestionState, guid: &str, target: Option<&str>) -> Response {
    let Some(offer) = area.offers.iter().find(|o| o.guid == guid) else {
        return not_found(&format!("Product product/{guid}"));
    };
    let target = target.unwrap_or("draft");
    let resources = match target {
        "draft" => Some(offer.draft.clone()),
        "preview" => offer.preview.as_ref().map(|s| s.resources.clone()),
        "live" => offer.live.as_ref().map(|s| s.resources.clone()),
        other => {
            return bad(&format!(
                "targetType must be draft, preview or live, unquoted (it was {}).",
                crate::rest::excerpt(other, 40)
            ));
        }
    };
    let Some(resources) = resources else {
        return bad(&format!(
            "The product has no {target} version: publish it to {target} first."
        ));
    };
    Json(json!({
        "$schema": schema_url("resource-tree", DEFAULT_SCHEMA_VERSION),
        "root": offer.id(),
        "target": {"targetType": target},
        "resources": resources,
    }))
    .into_response()
}

/// A `{value, @nextLink}` page: `$maxpagesize` items from the `continuationToken`.
fn page(items: Vec<Value>, params: &Params, path: &str) -> Response {
    let size = match params.get("$maxpagesize").map(str::parse::<usize>) {
        None => 100,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => return bad("$maxpagesize must be a number from 1 to 1000."),
    };
    let start = match params.get("continuationtoken").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return bad("The continuation token is not one this list gave."),
    };
    let end = start.saturating_add(size).min(items.len());
    let value: Vec<Value> = items.get(start.min(end)..end).unwrap_or_default().to_vec();
    let mut body = json!({ "value": value });
    if end < items.len() {
        let mut query: BTreeMap<&str, String> = BTreeMap::new();
        for name in ["externalid", "type", "product", "targettype", "$version"] {
            if let Some(v) = params.get(name) {
                query.insert(name, v.to_owned());
            }
        }
        let mut link = format!("{BASE}{path}?$maxpagesize={size}&continuationToken={end}");
        for (k, v) in query {
            let name = match k {
                "externalid" => "externalId",
                "targettype" => "targetType",
                other => other,
            };
            link.push_str(&format!(
                "&{name}={}",
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            ));
        }
        body["@nextLink"] = Value::from(link);
    }
    Json(body).into_response()
}
