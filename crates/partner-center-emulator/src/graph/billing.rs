//! The partner billing reports (`/v1.0/reports/partners/billing`): the asynchronous
//! exports of reconciliation and usage data.
//!
//! Follows the Microsoft Graph docs (api-reference/v1.0/api/partners-billing-*.md): an
//! export is a POST that answers `202 Accepted` with a `Location` header naming its
//! operation; the operation is a `runningOperation` (with `Retry-After`) until the export
//! is ready, then an `exportSuccessOperation` whose `resourceLocation@odata.navigationLink`
//! names the manifest, or a `failedOperation` with `{code: "5000", message: "No data
//! available"}` (the docs' sample) — what usage exports and unknown invoices get, the
//! emulator rating no usage. The manifest lists gzip-compressed JSON Lines blobs under a
//! root directory the emulator serves itself (`/_blobs/…`), read with the manifest's SAS
//! token and no bearer token, as Azure Blob Storage is; faults apply to them too. The
//! records are the REST API's line items (the docs show no record; their attribute names
//! are the same, in PascalCase): last month's seeded ones for a billed export, the
//! unbilled period's purchases for an unbilled one (taken when the export starts), at most
//! [`BLOB_RECORDS`] per blob. `attributeSet` is accepted and the full set written.

use std::collections::HashMap;
use std::io::Write as _;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use partner_center_models::graph::ExportRequest;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{GraphCaller, graph_error};
use crate::billing::{last_month, seeded_item, unbilled_items};
use crate::entra::now_ms;
use crate::state::AreaState;
use crate::{AppState, lock};

/// The most records a blob holds.
pub(crate) const BLOB_RECORDS: u64 = 10_000;

const BASE: &str = "/v1.0/reports/partners/billing";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{BASE}/reconciliation/billed/export"),
            post(billed_reconciliation),
        )
        .route(
            &format!("{BASE}/reconciliation/unbilled/export"),
            post(unbilled_reconciliation),
        )
        .route(&format!("{BASE}/usage/billed/export"), post(billed_usage))
        .route(
            &format!("{BASE}/usage/unbilled/export"),
            post(unbilled_usage),
        )
        .route(&format!("{BASE}/operations/{{id}}"), get(operation))
        .route(&format!("{BASE}/manifests/{{id}}"), get(manifest))
        .route("/_blobs/{manifest}/{name}", get(blob))
}

/// What an export holds.
#[derive(Clone, Serialize, Deserialize)]
enum Data {
    /// Last month's seeded line items: this many.
    Seeded(u64),
    /// The records taken when it started.
    Taken(Vec<Value>),
    /// None: the operation fails.
    Nothing,
}

#[derive(Clone, Serialize, Deserialize)]
struct Export {
    created_ms: u64,
    created: String,
    data: Data,
    manifest: String,
    signature: String,
}

/// The exports, by operation id.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct ExportsState {
    exports: HashMap<String, Export>,
}

impl AreaState for ExportsState {
    const NAME: &'static str = "billing-exports";

    fn remove_customer(&mut self, _customer: &str) {}
}

fn parse(body: &[u8]) -> Result<ExportRequest, Response> {
    serde_json::from_slice(body).map_err(|e| {
        graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("The request body is not an export request: {e}."),
        )
    })
}

fn required(what: &str) -> Response {
    graph_error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!("{what} is required."),
    )
}

/// Starts an export holding `data`: 202 with the operation's `Location`.
fn start(state: &AppState, data: Data) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let export = Export {
        created_ms: now_ms(),
        created: format!("{}T00:00:00Z", crate::entra::today()),
        data,
        manifest: uuid::Uuid::new_v4().to_string(),
        signature: uuid::Uuid::new_v4().simple().to_string(),
    };
    lock(&state.db)
        .areas
        .get::<ExportsState>()
        .exports
        .insert(id.clone(), export);
    let mut response = StatusCode::ACCEPTED.into_response();
    let location = format!("{}{BASE}/operations/{id}", state.base);
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

async fn billed_reconciliation(
    State(state): State<AppState>,
    _caller: GraphCaller,
    body: axum::body::Bytes,
) -> Response {
    let request = match parse(&body) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    let Some(invoice) = request.invoice_id else {
        return required("invoiceId");
    };
    let data = if invoice.eq_ignore_ascii_case(&last_month().invoice) {
        Data::Seeded(state.config.billing_line_items)
    } else {
        Data::Nothing
    };
    start(&state, data)
}

async fn unbilled_reconciliation(
    State(state): State<AppState>,
    _caller: GraphCaller,
    body: axum::body::Bytes,
) -> Response {
    let request = match parse(&body) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    let Some(period) = request.billing_period else {
        return required("billingPeriod");
    };
    let Some(currency) = request.currency_code else {
        return required("currencyCode");
    };
    // Everything before this month was invoiced; the emulator bills in USD.
    let current = period.as_str() == "current" && currency.eq_ignore_ascii_case("usd");
    let data = if current {
        let db = lock(&state.db);
        Data::Taken(unbilled_items(&db, &state.config.tenant_id))
    } else {
        Data::Nothing
    };
    start(&state, data)
}

/// Usage exports: checked as the others, and without data (the emulator rates no usage).
async fn billed_usage(
    State(state): State<AppState>,
    _caller: GraphCaller,
    body: axum::body::Bytes,
) -> Response {
    match parse(&body) {
        Ok(r) if r.invoice_id.is_some() => start(&state, Data::Nothing),
        Ok(_) => required("invoiceId"),
        Err(refusal) => refusal,
    }
}

async fn unbilled_usage(
    State(state): State<AppState>,
    _caller: GraphCaller,
    body: axum::body::Bytes,
) -> Response {
    match parse(&body) {
        Ok(r) if r.billing_period.is_none() => required("billingPeriod"),
        Ok(r) if r.currency_code.is_none() => required("currencyCode"),
        Ok(_) => start(&state, Data::Nothing),
        Err(refusal) => refusal,
    }
}

fn not_found(what: &str, id: &str) -> Response {
    graph_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("The {what} {id} was not found."),
    )
}

fn find(state: &AppState, id: &str) -> Option<Export> {
    lock(&state.db)
        .areas
        .get::<ExportsState>()
        .exports
        .get(id)
        .cloned()
}

/// partners-billing-operation-get.md: always 200, the type saying where it is.
async fn operation(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
) -> Response {
    let Some(export) = find(&state, &id) else {
        return not_found("operation", &id);
    };
    let ready_ms = export
        .created_ms
        .saturating_add(u64::try_from(state.config.export_delay.as_millis()).unwrap_or(u64::MAX));
    let now = now_ms();
    let last = format!("{}T00:00:00Z", crate::entra::today());
    let kind = "#microsoft.graph.partners.billing.";
    if now < ready_ms {
        let wait = Duration::from_millis(ready_ms - now).as_secs().max(1);
        let body = json!({"@odata.type": format!("{kind}runningOperation"), "id": id,
            "status": "running", "createdDateTime": export.created, "lastActionDateTime": last});
        let mut response = Json(body).into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return response;
    }
    let body = match export.data {
        Data::Nothing => json!({"@odata.type": format!("{kind}failedOperation"), "id": id,
            "status": "failed", "createdDateTime": export.created, "lastActionDateTime": last,
            "error": {"message": "No data available", "code": "5000"}}),
        _ => json!({"@odata.type": format!("{kind}exportSuccessOperation"), "id": id,
            "status": "succeeded", "createdDateTime": export.created, "lastActionDateTime": last,
            "resourceLocation@odata.navigationLink":
                format!("{}{BASE}/manifests/{}", state.base, export.manifest)}),
    };
    Json(body).into_response()
}

fn records(data: &Data) -> u64 {
    match data {
        Data::Seeded(n) => *n,
        Data::Taken(items) => items.len() as u64,
        Data::Nothing => 0,
    }
}

fn by_manifest(state: &AppState, manifest: &str) -> Option<Export> {
    lock(&state.db)
        .areas
        .get::<ExportsState>()
        .exports
        .values()
        .find(|e| e.manifest == manifest && !matches!(e.data, Data::Nothing))
        .cloned()
}

/// partners-billing-manifest-get.md.
async fn manifest(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
) -> Response {
    let Some(export) = by_manifest(&state, &id) else {
        return not_found("manifest", &id);
    };
    let count = records(&export.data).div_ceil(BLOB_RECORDS);
    let blobs: Vec<Value> = (0..count)
        .map(|n| json!({"name": format!("part-{n:05}-{id}.json.gz"), "partitionValue": "default"}))
        .collect();
    Json(json!({
        "id": id,
        "schemaVersion": "1",
        "dataFormat": "compressedJSONLines",
        "createdDateTime": export.created,
        "eTag": export.signature.get(..16).unwrap_or_default(),
        "partnerTenantId": state.config.tenant_id,
        "rootDirectory": format!("{}/_blobs/{id}", state.base),
        "sasToken": format!("sv=2021-08-06&sr=d&sp=rl&sig={}", export.signature),
        "partitionType": "Default",
        "blobCount": count,
        "blobs": blobs,
    }))
    .into_response()
}

/// A blob: read with the SAS token (no bearer), gzip-compressed JSON Lines.
async fn blob(
    State(state): State<AppState>,
    Path((manifest, name)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(export) = by_manifest(&state, &manifest) else {
        return (StatusCode::NOT_FOUND, "BlobNotFound").into_response();
    };
    let signed = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .any(|(k, v)| k == "sig" && v == export.signature);
    if !signed {
        return (
            StatusCode::FORBIDDEN,
            "AuthenticationFailed: the SAS token does not match.",
        )
            .into_response();
    }
    let part = name
        .strip_prefix("part-")
        .and_then(|rest| rest.get(..5))
        .and_then(|n| n.parse::<u64>().ok());
    let total = records(&export.data);
    let Some(part) = part.filter(|p| p.saturating_mul(BLOB_RECORDS) < total) else {
        return (StatusCode::NOT_FOUND, "BlobNotFound").into_response();
    };
    let (first, end) = (part * BLOB_RECORDS, ((part + 1) * BLOB_RECORDS).min(total));
    let mut text = String::new();
    let period = last_month();
    for i in first..end {
        match &export.data {
            Data::Seeded(_) => seeded_item(&state.config.tenant_id, &period, i, &mut text),
            Data::Taken(items) => text.push_str(&items[i as usize].to_string()),
            Data::Nothing => {}
        }
        text.push('\n');
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    if gz.write_all(text.as_bytes()).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let Ok(bytes) = gz.finish() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
}
