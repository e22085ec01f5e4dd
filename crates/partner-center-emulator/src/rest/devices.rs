//! Device deployment (Windows Autopilot): a customer's device batches, the devices in them,
//! the status of each upload, policies on devices, and the relationship request link.
//!
//! Follows developer/device-deployment-resources.md and its pages:
//! upload-a-list-of-devices-to-create-a-new-batch-for-the-specified-customer.md (POST
//! `deviceBatches`, App+User, 202 with an empty body and a `Location` of
//! `/customers/{id}/batchJobStatus/{guid}`), get-the-list-of-device-batches-for-the-
//! specified-customer.md (the sample's `devicesCount`, kept), upload-a-list-of-devices-for-
//! the-specified-customer.md (a bare array; the accepted identifying fields: a hardware
//! hash, a product key, or a serial number with the manufacturer and model),
//! get-a-list-of-devices-for-the-specified-batch-and-customer.md (100 a page; the next
//! page by the `continuationToken` sent back in an `MS-ContinuationToken` header),
//! get-the-status-of-a-device-batch-upload.md (`batchJobStatus`, also spelled
//! `batchjobstatus` there), update-a-list-of-devices-with-a-policy.md (PATCH
//! `DevicePolicyUpdates`, 202), delete-a-device-for-the-specified-customer.md (204) and
//! request-reseller-relationship.md (`GET /v1/customers/relationshiprequests`, App+User).
//! Request keys come in any case (the samples are PascalCase). The emulator's choices,
//! which the docs leave open: an upload is processed at once (`finished`, or
//! `finished_with_errors` per device); a hardware hash another customer already registered
//! is that device's error 808 `ZtdDeviceAssignedToOtherTenant` (the status page's sample);
//! a batch name taken is 409; a device without an accepted set of identifying fields is
//! 400 with 800002, naming the sets.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{AppPlusUser, Caller, camelize, fault_response, field, not_found, parse_body};
use crate::state::AreaState;
use crate::{AppState, lock};

/// Devices a page (get-a-list-of-devices-for-the-specified-batch-and-customer.md).
const DEVICES_PER_PAGE: usize = 100;
/// The most devices one request may carry (the emulator's bound: the docs state none).
const MAX_DEVICES: usize = 1_000;

pub(super) fn routes() -> Router<AppState> {
    let customer = "/v1/customers/{id}";
    Router::new()
        .route(
            "/v1/customers/relationshiprequests",
            get(relationship_request),
        )
        .route(
            &format!("{customer}/deviceBatches"),
            get(list_batches).post(create_batch),
        )
        .route(
            &format!("{customer}/deviceBatches/{{batch}}/devices"),
            get(list_devices).post(add_devices),
        )
        .route(
            &format!("{customer}/deviceBatches/{{batch}}/devices/{{device}}"),
            delete(delete_device),
        )
        .route(
            &format!("{customer}/batchJobStatus/{{job}}"),
            get(job_status),
        )
        .route(
            &format!("{customer}/batchjobstatus/{{job}}"),
            get(job_status),
        )
        .route(
            &format!("{customer}/DevicePolicyUpdates"),
            patch(update_policies),
        )
        .route(
            &format!("{customer}/devicepolicyupdates"),
            patch(update_policies),
        )
}

/// One batch: its devices in upload order.
#[derive(Default, Serialize, Deserialize)]
struct Batch {
    created: String,
    devices: Vec<Value>,
}

/// Each customer's batches (by name) and upload statuses (by tracking id).
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct DevicesState {
    batches: BTreeMap<String, BTreeMap<String, Batch>>,
    jobs: BTreeMap<String, BTreeMap<String, Value>>,
}

impl AreaState for DevicesState {
    const NAME: &'static str = "devices";

    fn remove_customer(&mut self, customer: &str) {
        self.batches.remove(customer);
        self.jobs.remove(customer);
    }
}

fn now() -> String {
    format!("{}T00:00:00Z", crate::entra::today())
}

/// request-reseller-relationship.md: the link a customer follows to accept the partner
/// as its reseller.
async fn relationship_request(State(state): State<AppState>, _caller: AppPlusUser) -> Response {
    let partner = &state.config.tenant_id;
    Json(json!({
        "url": format!("https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId={partner}&msppId=0&DAP=false#/BillingAccounts/partner-invitation"),
        "attributes": {"objectType": "RelationshipRequest"},
    }))
    .into_response()
}

fn bad(description: &str) -> Response {
    fault_response(StatusCode::BAD_REQUEST, 800002, description)
}

/// The device fields the docs name (device-deployment-resources.md) that a client sets,
/// kept under these names whatever the case they were sent in (`createdBy`, which the
/// samples send as null, and the id, date and operations are the service's).
const DEVICE_FIELDS: [&str; 6] = [
    "serialNumber",
    "productKey",
    "hardwareHash",
    "modelName",
    "oemManufacturerName",
    "policies",
];

/// A device as uploaded, its documented fields under their names, given an id and an
/// upload date, or why it is refused.
fn device(raw: &Value) -> Result<Value, Response> {
    let text = |name: &str| {
        field(raw, name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let identified = text("hardwareHash").is_some()
        || text("productKey").is_some()
        || (text("serialNumber").is_some()
            && text("oemManufacturerName").is_some()
            && text("modelName").is_some());
    if !identified {
        return Err(bad(
            "Invalid request input: each device needs a hardwareHash, a productKey, or a serialNumber with oemManufacturerName and modelName.",
        ));
    }
    let mut device = json!({});
    if let Some(map) = device.as_object_mut() {
        for name in DEVICE_FIELDS {
            if let Some(value) = field(raw, name).filter(|v| !v.is_null()) {
                map.insert(name.to_owned(), camelize(value.clone()));
            }
        }
        map.insert("id".into(), json!(uuid::Uuid::new_v4().to_string()));
        map.insert("uploadedDate".into(), json!(now()));
        map.insert(
            "allowedOperations".into(),
            json!(["GET", "PATCH", "DELETE"]),
        );
        map.insert("attributes".into(), json!({"objectType": "Device"}));
        if !map.get("policies").is_some_and(Value::is_array) {
            map.insert("policies".into(), json!([]));
        }
    }
    Ok(device)
}

/// Takes `devices` into `batch` of `customer` and records the upload's status; answers
/// 202 with the status's `Location`.
fn upload(db: &mut crate::state::Db, customer: &str, batch: &str, devices: Vec<Value>) -> Response {
    let state = db.areas.get::<DevicesState>();
    // The hardware hashes other customers hold, gathered once.
    let elsewhere: HashSet<&str> = state
        .batches
        .iter()
        .filter(|(c, _)| *c != customer)
        .flat_map(|(_, batches)| batches.values().flat_map(|b| &b.devices))
        .filter_map(|d| d.get("hardwareHash").and_then(Value::as_str))
        .collect();
    let mut statuses = Vec::new();
    let mut accepted = Vec::new();
    for d in devices {
        let taken = d
            .get("hardwareHash")
            .and_then(Value::as_str)
            .is_some_and(|h| elsewhere.contains(h));
        let mut status = json!({
            "deviceId": d["id"], "serialNumber": d.get("serialNumber"), "productKey": d.get("productKey"),
            "status": "finished", "attributes": {"objectType": "DeviceUploadDetails"},
        });
        if taken {
            status["status"] = json!("finished_with_errors");
            status["errorCode"] = json!("808");
            status["errorDescription"] = json!("ZtdDeviceAssignedToOtherTenant");
        } else {
            accepted.push(d);
        }
        statuses.push(status);
    }
    let failed = accepted.len() < statuses.len();
    state
        .batches
        .entry(customer.to_owned())
        .or_default()
        .entry(batch.to_owned())
        .or_insert_with(|| Batch {
            created: now(),
            devices: Vec::new(),
        })
        .devices
        .extend(accepted);
    accepted_job(state, customer, statuses, failed)
}

fn accepted_job(
    state: &mut DevicesState,
    customer: &str,
    statuses: Vec<Value>,
    failed: bool,
) -> Response {
    let job = uuid::Uuid::new_v4().to_string();
    let at = now();
    state.jobs.entry(customer.to_owned()).or_default().insert(
        job.clone(),
        json!({
            "batchTrackingId": job, "status": if failed { "finished_with_errors" } else { "finished" },
            "startedTime": at, "completedTime": at, "devicesStatus": statuses,
            "attributes": {"objectType": "BatchUploadDetails"},
        }),
    );
    let mut response = StatusCode::ACCEPTED.into_response();
    if let Ok(location) =
        HeaderValue::from_str(&format!("/customers/{customer}/batchJobStatus/{job}"))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn devices_of(body: &Value) -> Result<Vec<Value>, Response> {
    let list = body
        .as_array()
        .ok_or_else(|| bad("Invalid request input: give the devices as an array."))?;
    if list.is_empty() || list.len() > MAX_DEVICES {
        return Err(bad(&format!(
            "Invalid request input: send 1 to {MAX_DEVICES} devices a request (this had {}).",
            list.len()
        )));
    }
    list.iter().map(device).collect()
}

async fn create_batch(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let body: Value = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(name) = field(&body, "batchId")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return bad("Invalid request input: the batchId (a name for the batch) is missing.");
    };
    let devices = match devices_of(field(&body, "devices").unwrap_or(&Value::Null)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let taken = db
        .areas
        .get::<DevicesState>()
        .batches
        .get(&id)
        .is_some_and(|b| b.contains_key(name));
    if taken {
        return fault_response(
            StatusCode::CONFLICT,
            800002,
            &format!(
                "A device batch named {name} already exists: add devices to it, or choose another name."
            ),
        );
    }
    upload(&mut db, &id, name, devices)
}

async fn add_devices(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, batch)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let devices = match parse_body::<Value>(&body).and_then(|b| devices_of(&b)) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let mut db = lock(&state.db);
    let known = db
        .areas
        .get::<DevicesState>()
        .batches
        .get(&id)
        .is_some_and(|b| b.contains_key(&batch));
    if !known {
        return not_found("Device batch", &batch);
    }
    upload(&mut db, &id, &batch, devices)
}

async fn list_batches(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Response {
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let items: Vec<Value> = db
        .areas
        .get::<DevicesState>()
        .batches
        .get(&id)
        .into_iter()
        .flatten()
        .map(|(name, b)| {
            json!({
                "id": name, "status": "finished", "creationDate": b.created,
                "createdBy": state.config.tenant_id, "devicesCount": b.devices.len(),
                "devicesLink": {"uri": format!("/customers/{id}/deviceBatches/{name}/devices"), "method": "GET", "headers": []},
                "attributes": {"objectType": "DeviceBatch"},
            })
        })
        .collect();
    Json(json!({"totalCount": items.len(), "items": items, "attributes": {"objectType": "Collection"}})).into_response()
}

async fn list_devices(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, batch)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let offset = match headers
        .get("ms-continuationtoken")
        .map(|v| v.to_str().ok().and_then(|t| t.parse::<usize>().ok()))
    {
        None => 0,
        Some(Some(n)) => n,
        Some(None) => {
            return bad(
                "Invalid request input: the MS-ContinuationToken is not one this list gave.",
            );
        }
    };
    let mut db = lock(&state.db);
    let Some(b) = db
        .areas
        .get::<DevicesState>()
        .batches
        .get(&id)
        .and_then(|b| b.get(&batch))
    else {
        return not_found("Device batch", &batch);
    };
    let page: Vec<Value> = b
        .devices
        .iter()
        .skip(offset)
        .take(DEVICES_PER_PAGE)
        .cloned()
        .collect();
    let mut body = json!({"totalCount": b.devices.len(), "items": page, "attributes": {"objectType": "Collection"}});
    if let Some(next) = super::next_offset(offset, DEVICES_PER_PAGE, b.devices.len()) {
        body["continuationToken"] = json!(next.to_string());
    }
    Json(body).into_response()
}

async fn delete_device(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, batch, device)): Path<(String, String, String)>,
) -> Response {
    let mut db = lock(&state.db);
    let Some(b) = db
        .areas
        .get::<DevicesState>()
        .batches
        .get_mut(&id)
        .and_then(|b| b.get_mut(&batch))
    else {
        return not_found("Device batch", &batch);
    };
    let before = b.devices.len();
    b.devices.retain(|d| d["id"] != device.as_str());
    if b.devices.len() == before {
        return not_found("Device", &device);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn job_status(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, job)): Path<(String, String)>,
) -> Response {
    let mut db = lock(&state.db);
    match db
        .areas
        .get::<DevicesState>()
        .jobs
        .get(&id)
        .and_then(|j| j.get(&job))
    {
        Some(status) => Json(status.clone()).into_response(),
        None => not_found("Batch upload", &job),
    }
}

/// update-a-list-of-devices-with-a-policy.md: each device (by `Id`) gets the `Policies`
/// given; a device the customer does not have is that device's error in the status.
async fn update_policies(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let body: Value = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(updates) = field(&body, "devices")
        .and_then(Value::as_array)
        .filter(|d| !d.is_empty() && d.len() <= MAX_DEVICES)
    else {
        return bad(&format!(
            "Invalid request input: give 1 to {MAX_DEVICES} devices to update, each with its Id and Policies."
        ));
    };
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let state = db.areas.get::<DevicesState>();
    let mut statuses = Vec::new();
    let mut failed = false;
    {
        // The customer's devices by id, gathered once.
        let mut devices: HashMap<String, &mut Value> = state
            .batches
            .get_mut(&id)
            .into_iter()
            .flat_map(|b| b.values_mut())
            .flat_map(|b| b.devices.iter_mut())
            .filter_map(|d| Some((d.get("id")?.as_str()?.to_owned(), d)))
            .collect();
        for update in updates {
            let device_id = field(update, "id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let policies = camelize(field(update, "policies").cloned().unwrap_or(json!([])));
            let mut status = json!({"deviceId": device_id, "status": "finished", "attributes": {"objectType": "DeviceUploadDetails"}});
            match devices.get_mut(device_id) {
                Some(d) => d["policies"] = policies,
                None => {
                    failed = true;
                    status["status"] = json!("finished_with_errors");
                    status["errorCode"] = json!("404");
                    status["errorDescription"] =
                        json!(format!("Device {device_id} was not found."));
                }
            }
            statuses.push(status);
        }
    }
    accepted_job(state, &id, statuses, failed)
}
