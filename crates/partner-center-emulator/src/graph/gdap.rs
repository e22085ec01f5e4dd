//! GDAP (`/v1.0/tenantRelationships/delegatedAdminRelationships`): relationships and
//! their lifecycle, requests, access assignments and long-running operations.
//!
//! Follows the Microsoft Graph docs (api-reference/v1.0/): a relationship is created
//! (`created`: it may be changed or deleted, `If-Match` required), locked for approval
//! with a `lockForApproval` request (`approvalPending`), approved by the customer
//! (`active`, its end the activation plus its duration), and ended with a `terminate`
//! request (delegatedadminrelationships-api-overview.md). Requests and assignments are
//! answered as the docs show them at creation (`created`, `pending`) and are done by the
//! next read. An assignment needs an active relationship and roles it grants; changing
//! its roles is a long-running operation (202 with `Location`, delegatedadminaccessassignment-update.md).
//! The customer's approval is the Microsoft 365 admin center's: here
//! `POST /_emulator/gdap/{id}/approve` (or at once under `--approve-as`). Each change is
//! written to the audit trail with the operation types of auditing-resources.md. The docs
//! list no errors: 400 `badRequest`, 404 `notFound`, 409 `conflict` and 412
//! `preconditionFailed` are the emulator's choices, in Graph's error shape.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use partner_center_models::gdap::{
    DelegatedAdminAccessAssignment, DelegatedAdminAccessAssignmentStatus,
    DelegatedAdminAccessContainerType, DelegatedAdminRelationship,
    DelegatedAdminRelationshipCustomerParticipant, DelegatedAdminRelationshipOperation,
    DelegatedAdminRelationshipOperationType, DelegatedAdminRelationshipRequest,
    DelegatedAdminRelationshipRequestAction as Action, DelegatedAdminRelationshipRequestStatus,
    DelegatedAdminRelationshipStatus as Status, LongRunningOperationStatus,
};
use partner_center_models::{AuditData, AuditOperationType, AuditRecord, AuditResourceType};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{GraphCaller, graph_error};
use crate::entra::{date_in, now_timestamp};
use crate::state::AreaState;
use crate::{AppState, lock};

const BASE: &str = "/v1.0/tenantRelationships/delegatedAdminRelationships";
/// The Global Administrator role's template id.
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list).post(create))
        .route(
            &format!("{BASE}/{{id}}"),
            get(get_one).patch(update).delete(remove),
        )
        .route(
            &format!("{BASE}/{{id}}/requests"),
            get(requests).post(request),
        )
        .route(&format!("{BASE}/{{id}}/requests/{{sub}}"), get(one_request))
        .route(
            &format!("{BASE}/{{id}}/accessAssignments"),
            get(assignments).post(assign),
        )
        .route(
            &format!("{BASE}/{{id}}/accessAssignments/{{sub}}"),
            get(one_assignment).patch(reassign).delete(unassign),
        )
        .route(&format!("{BASE}/{{id}}/operations"), get(operations))
        .route(
            &format!("{BASE}/{{id}}/operations/{{sub}}"),
            get(one_operation),
        )
        .route("/_emulator/gdap/{id}/approve", post(approve))
}

#[derive(Clone, Serialize, Deserialize)]
struct Relationship {
    body: DelegatedAdminRelationship,
    version: u64,
    requests: Vec<DelegatedAdminRelationshipRequest>,
    assignments: Vec<(DelegatedAdminAccessAssignment, u64)>,
    operations: Vec<DelegatedAdminRelationshipOperation>,
}

/// The partner's relationships, oldest first.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct GdapState {
    relationships: Vec<Relationship>,
}

impl AreaState for GdapState {
    const NAME: &'static str = "gdap";

    /// A relationship outlives the customer record (it ends by its own lifecycle).
    fn remove_customer(&mut self, _customer: &str) {}
}

fn bad(message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, "badRequest", message)
}

fn not_found(what: &str, id: &str) -> Response {
    graph_error(
        StatusCode::NOT_FOUND,
        "notFound",
        &format!("The {what} {id} was not found."),
    )
}

fn etag(id: &str, version: u64) -> String {
    format!("W/\"{}\"", STANDARD.encode(format!("'\"{id}:{version}\"'")))
}

/// `If-Match` must name the current version (delegatedadminrelationship-update.md:
/// "Required").
fn check_etag(headers: &HeaderMap, current: &str) -> Result<(), Response> {
    match headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        None => Err(bad(
            "The If-Match header is required: give the @odata.etag of a GET or LIST.",
        )),
        Some(given) if given.trim() == current || given.trim() == "*" => Ok(()),
        Some(_) => Err(graph_error(
            StatusCode::PRECONDITION_FAILED,
            "preconditionFailed",
            "The If-Match etag is not the current one: read the object again.",
        )),
    }
}

/// The days of an ISO 8601 duration of years, months, weeks and days, each unit at most
/// once and in that order (`P730D`, `P2Y`, `P1Y6M`; `PT0S` is none); `None` for anything
/// else, or past `u64` (never a panic, whatever the digits).
fn days(duration: &str) -> Option<u64> {
    let rest = duration.strip_prefix('P')?;
    if rest == "T0S" {
        return Some(0);
    }
    let units = [('Y', 365u64), ('M', 30), ('W', 7), ('D', 1)];
    let (mut total, mut next_unit, mut number, mut any) = (0u64, 0usize, String::new(), false);
    for c in rest.chars() {
        if c.is_ascii_digit() && number.len() < 12 {
            number.push(c);
            continue;
        }
        let at = units.iter().position(|(u, _)| *u == c)?;
        if at < next_unit || number.is_empty() {
            return None;
        }
        let n: u64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(units[at].1)?)?;
        number.clear();
        next_unit = at + 1;
        any = true;
    }
    (number.is_empty() && any).then_some(total)
}

fn with_odata(state: &AppState, r: &Relationship, kind: &str) -> Value {
    let mut v = serde_json::to_value(&r.body).unwrap_or(Value::Null);
    v["@odata.type"] = Value::from(format!("#microsoft.graph.{kind}"));
    v["@odata.etag"] = Value::from(etag(&r.body.id, r.version));
    v["@odata.context"] = Value::from(format!(
        "{}/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships/$entity",
        state.base
    ));
    v
}

fn created(state: &AppState, path: String, body: Value) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{}{path}", state.base)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// The relationship `id`, to read or change under the lock.
fn find<'a>(db: &'a mut crate::state::Db, id: &str) -> Result<&'a mut Relationship, Response> {
    db.areas
        .get::<GdapState>()
        .relationships
        .iter_mut()
        .find(|r| r.body.id == id)
        .ok_or_else(|| not_found("delegatedAdminRelationship", id))
}

/// An audit record of a GDAP change, its customer the relationship's.
fn audit(
    r: &Relationship,
    operation: AuditOperationType,
    assignment: Option<&str>,
    caller: Option<&GraphCaller>,
) -> AuditRecord {
    let mut record = AuditRecord::new(operation, now_timestamp());
    record.resource_type = Some(match assignment {
        Some(_) => AuditResourceType::GranularAdminAccessAssignment,
        None => AuditResourceType::GranularAdminRelationship,
    });
    record.operation_status = Some(partner_center_models::AuditOperationStatus::Succeeded);
    record.customer_id = r.body.customer.as_ref().and_then(|c| c.tenant_id.clone());
    record.user_principal_name = caller.and_then(|c| c.user.clone());
    record.application_id = caller.and_then(|c| c.app.clone());
    let mut data = vec![AuditData::new("RelationshipId", r.body.id.clone())];
    if let Some(a) = assignment {
        data.push(AuditData::new("AccessAssignmentId", a));
    }
    record.customized_data = Some(data);
    record.resource_new_value = serde_json::to_string(&r.body).ok();
    record
}

fn write_all(state: &AppState, records: Vec<AuditRecord>) {
    for record in records {
        crate::rest::write_audit(state, record);
    }
}

/// `$filter=customer/tenantId eq '…'`, the one filter the emulator reads.
fn customer_filter(query: Option<&str>) -> Result<Option<String>, Response> {
    let params = crate::rest::Params::parse(query);
    let Some(filter) = params.get("$filter") else {
        return Ok(None);
    };
    let tenant = filter
        .trim()
        .strip_prefix("customer/tenantId eq '")
        .and_then(|rest| rest.strip_suffix('\''));
    match tenant {
        Some(t) => Ok(Some(t.replace("''", "'"))),
        None => Err(bad(&format!(
            "The emulator filters relationships by customer/tenantId eq '…' only, not {}.",
            crate::rest::excerpt(filter, 80)
        ))),
    }
}

fn collection(state: &AppState, what: &str, value: Vec<Value>) -> Response {
    Json(json!({
        "@odata.context": format!("{}/v1.0/tenantRelationships/$metadata#{what}", state.base),
        "value": value,
    }))
    .into_response()
}

async fn list(
    State(state): State<AppState>,
    _caller: GraphCaller,
    RawQuery(q): RawQuery,
) -> Response {
    let customer = match customer_filter(q.as_deref()) {
        Ok(c) => c,
        Err(refusal) => return refusal,
    };
    let mut db = lock(&state.db);
    let value = db
        .areas
        .get::<GdapState>()
        .relationships
        .iter()
        .filter(|r| {
            customer.as_deref().is_none_or(|c| {
                r.body
                    .customer
                    .as_ref()
                    .and_then(|p| p.tenant_id.as_deref())
                    == Some(c)
            })
        })
        .map(|r| with_odata(&state, r, "delegatedAdminRelationship"))
        .collect();
    collection(&state, "delegatedAdminRelationships", value)
}

async fn get_one(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
) -> Response {
    let mut db = lock(&state.db);
    match find(&mut db, &id) {
        Ok(r) => Json(with_odata(&state, r, "delegatedAdminRelationship")).into_response(),
        Err(refusal) => refusal,
    }
}

/// Checks what a created relationship may hold (tenantrelationship-post-…md: the name
/// unique and 50 characters at most, the duration `P1D` to `P2Y`, roles given, the
/// auto-extension `P0D`, `PT0S` or `P180D`).
fn validate(
    db: &mut crate::state::Db,
    r: &DelegatedAdminRelationship,
    own_id: &str,
) -> Result<(), Response> {
    let name = r.display_name.as_deref().unwrap_or_default();
    if name.trim().is_empty() || name.chars().count() > 50 {
        return Err(bad("displayName is required, 50 characters at most."));
    }
    let taken = db
        .areas
        .get::<GdapState>()
        .relationships
        .iter()
        .any(|o| o.body.id != own_id && o.body.display_name.as_deref() == Some(name));
    if taken {
        return Err(graph_error(
            StatusCode::CONFLICT,
            "conflict",
            &format!("A relationship named {name} exists: displayName must be unique."),
        ));
    }
    match r.duration.as_deref().and_then(days) {
        Some(1..=730) => {}
        _ => {
            return Err(bad(
                "duration must be an ISO 8601 duration from P1D to P2Y (P730D).",
            ));
        }
    }
    if r.access_details
        .as_ref()
        .is_none_or(|a| a.unified_roles.is_empty())
    {
        return Err(bad(
            "accessDetails.unifiedRoles must name at least one role.",
        ));
    }
    if let Some(extend) = r.auto_extend_duration.as_deref() {
        if !matches!(extend, "P0D" | "PT0S" | "P180D") {
            return Err(bad("autoExtendDuration must be P0D, PT0S or P180D."));
        }
    }
    if let Some(tenant) = r.customer.as_ref().and_then(|c| c.tenant_id.as_deref()) {
        if db.customer(tenant).is_none() {
            return Err(bad(&format!(
                "The customer tenant {tenant} is not a customer of this partner."
            )));
        }
    }
    Ok(())
}

async fn create(
    State(state): State<AppState>,
    _caller: GraphCaller,
    body: axum::body::Bytes,
) -> Response {
    let mut asked: DelegatedAdminRelationship = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return bad(&format!(
                "The body is not a delegatedAdminRelationship: {e}."
            ));
        }
    };
    let mut db = lock(&state.db);
    if let Err(refusal) = validate(&mut db, &asked, "") {
        return refusal;
    }
    let now = now_timestamp();
    asked.id = format!("{}-{}", uuid::Uuid::new_v4(), state.config.tenant_id);
    asked.etag = None;
    asked.status = Some(Status::Created);
    asked
        .auto_extend_duration
        .get_or_insert_with(|| "PT0S".to_owned());
    asked.created_date_time = Some(now.clone());
    asked.last_modified_date_time = Some(now);
    asked.activated_date_time = None;
    asked.end_date_time = None;
    if let Some(customer) = asked.customer.as_mut() {
        let tenant = customer.tenant_id.clone().unwrap_or_default();
        let name = db
            .customer(&tenant)
            .and_then(|c| c.company_profile.as_ref()?.company_name.clone());
        customer.display_name = customer.display_name.clone().or(name).or(Some(tenant));
    }
    let r = Relationship {
        body: asked,
        version: 1,
        requests: Vec::new(),
        assignments: Vec::new(),
        operations: Vec::new(),
    };
    let answer = with_odata(&state, &r, "delegatedAdminRelationship");
    let path = format!("{BASE}/{}", r.body.id);
    db.areas.get::<GdapState>().relationships.push(r);
    created(&state, path, answer)
}

async fn update(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let changes: DelegatedAdminRelationship = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return bad(&format!(
                "The body is not a delegatedAdminRelationship: {e}."
            ));
        }
    };
    let mut db = lock(&state.db);
    let current = match find(&mut db, &id) {
        Ok(r) => r.clone(),
        Err(refusal) => return refusal,
    };
    if let Err(refusal) = check_etag(&headers, &etag(&id, current.version)) {
        return refusal;
    }
    let mut next = current.body.clone();
    match current.body.status {
        Some(Status::Created) => {
            next.display_name = changes.display_name.or(next.display_name);
            next.duration = changes.duration.or(next.duration);
            next.customer = changes.customer.or(next.customer);
            next.access_details = changes.access_details.or(next.access_details);
            next.auto_extend_duration = changes.auto_extend_duration.or(next.auto_extend_duration);
            if let Err(refusal) = validate(&mut db, &next, &id) {
                return refusal;
            }
        }
        Some(Status::Active) => {
            if let Some(roles) = changes
                .access_details
                .as_ref()
                .filter(|roles| Some(*roles) != current.body.access_details.as_ref())
            {
                // While active, only the Global Administrator role may be removed: a
                // long-running operation (delegatedadminrelationship-update.md).
                let mut without = current.body.access_details.clone().unwrap_or_default();
                without
                    .unified_roles
                    .retain(|r| r.role_definition_id != GLOBAL_ADMIN);
                if roles.role_ids() != without.role_ids() {
                    return bad(
                        "While active, only autoExtendDuration may change, or the Global Administrator role be removed.",
                    );
                }
                return remove_global_admin(&state, &mut db, &id, without);
            }
            next.auto_extend_duration = changes.auto_extend_duration.or(next.auto_extend_duration);
            if next
                .auto_extend_duration
                .as_deref()
                .is_some_and(|d| !matches!(d, "P0D" | "PT0S" | "P180D"))
            {
                return bad("autoExtendDuration must be P0D, PT0S or P180D.");
            }
        }
        _ => return bad("Only a created or active relationship can be updated."),
    }
    next.last_modified_date_time = Some(now_timestamp());
    let r = match find(&mut db, &id) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    r.body = next;
    r.version += 1;
    let answer = with_odata(&state, r, "delegatedAdminRelationship");
    Json(answer).into_response()
}

/// Removes the Global Administrator role from an active relationship: 202 and an
/// operation to follow (its type one the docs' enum does not name yet).
fn remove_global_admin(
    state: &AppState,
    db: &mut crate::state::Db,
    id: &str,
    roles: partner_center_models::gdap::DelegatedAdminAccessDetails,
) -> Response {
    let Ok(r) = find(db, id) else {
        return not_found("delegatedAdminRelationship", id);
    };
    r.body.access_details = Some(roles);
    r.body.last_modified_date_time = Some(now_timestamp());
    r.version += 1;
    let data = serde_json::to_string(&r.body).ok();
    let op = operation(
        DelegatedAdminRelationshipOperationType::UnknownFutureValue,
        data,
    );
    let location = format!("{}{BASE}/{id}/operations/{}", state.base, op.id);
    r.operations.push(op);
    accepted(&location)
}

/// A finished long-running operation.
fn operation(
    kind: DelegatedAdminRelationshipOperationType,
    data: Option<String>,
) -> DelegatedAdminRelationshipOperation {
    let now = now_timestamp();
    let mut op = DelegatedAdminRelationshipOperation::new(
        &uuid::Uuid::new_v4().to_string(),
        kind,
        LongRunningOperationStatus::Succeeded,
    );
    op.created_date_time = Some(now.clone());
    op.last_modified_date_time = Some(now);
    op.data = data;
    op
}

/// `202 Accepted` naming the operation, with `Retry-After`.
fn accepted(location: &str) -> Response {
    let mut response = StatusCode::ACCEPTED.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(1));
    response
}

async fn remove(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut db = lock(&state.db);
    let (version, status) = match find(&mut db, &id) {
        Ok(r) => (r.version, r.body.status.clone()),
        Err(refusal) => return refusal,
    };
    if let Err(refusal) = check_etag(&headers, &etag(&id, version)) {
        return refusal;
    }
    if status != Some(Status::Created) {
        return bad(
            "Only a relationship in status created can be deleted: terminate an active one.",
        );
    }
    db.areas
        .get::<GdapState>()
        .relationships
        .retain(|r| r.body.id != id);
    StatusCode::NO_CONTENT.into_response()
}

#[path = "gdap/assignments.rs"]
mod assignments;
#[path = "gdap/lifecycle.rs"]
mod lifecycle;
use assignments::{assign, assignments, one_assignment, reassign, unassign};
pub(crate) use lifecycle::{Unapproved, activate};
use lifecycle::{approve, one_operation, one_request, operations, request, requests};

#[cfg(test)]
mod tests {
    use super::days;

    #[test]
    fn durations_are_read_without_overflow() {
        assert_eq!(days("P730D"), Some(730));
        assert_eq!(days("P2Y"), Some(730));
        assert_eq!(days("P1Y6M"), Some(545));
        assert_eq!(days("PT0S"), Some(0));
        for bad in [
            "P",
            "P1D1D",
            "P1D1Y",
            "PD",
            "P18446744073709551615Y",
            "P99999999999999999999D",
            "P1X",
            "730D",
        ] {
            assert_eq!(days(bad), None, "{bad}");
        }
    }
}
