//! A GDAP relationship's lifecycle after its creation: the requests that lock it for
//! approval and end it (delegatedadminrelationship-post-requests.md: 201, answered
//! `created`), the customer's approval (`approvalPending` → `active`, its end the
//! activation plus its duration), and the long-running operations of its updates.

use super::{Action, Relationship};
use super::{
    BASE, DelegatedAdminRelationship, DelegatedAdminRelationshipCustomerParticipant,
    DelegatedAdminRelationshipRequest, DelegatedAdminRelationshipRequestStatus, GraphCaller, Json,
    Path, Response, State, Status, Value, audit, bad, collection, created, date_in, days, find,
    not_found, now_timestamp, write_all,
};
use crate::{AppState, lock};
use axum::response::IntoResponse;
use partner_center_models::AuditOperationType;
use partner_center_models::gdap::DelegatedAdminAccessAssignmentStatus;
use serde::Deserialize;

/// Why an approval was refused: not found (404), or the reason (400).
pub(crate) enum Unapproved {
    /// No such relationship.
    NotFound,
    /// It cannot be approved.
    Refused(&'static str),
}

/// Approves a relationship pending approval, as its customer's admin does; `customer`
/// names the customer when the relationship does not.
pub(crate) fn activate(
    state: &AppState,
    id: &str,
    customer: Option<String>,
) -> Result<DelegatedAdminRelationship, Unapproved> {
    let mut db = lock(&state.db);
    let r = find(&mut db, id).map_err(|_| Unapproved::NotFound)?;
    if r.body.status != Some(Status::ApprovalPending) {
        return Err(Unapproved::Refused(
            "Only a relationship pending approval can be approved.",
        ));
    }
    let named = r.body.customer.as_ref().and_then(|c| c.tenant_id.clone());
    if let Some(tenant) = customer.as_deref().filter(|_| named.is_none()) {
        if db.customer(tenant).is_none() {
            return Err(Unapproved::Refused(
                "That tenant is not a customer of this partner.",
            ));
        }
    }
    let r = find(&mut db, id).map_err(|_| Unapproved::NotFound)?;
    let Some(tenant) = named.or(customer) else {
        return Err(Unapproved::Refused(
            "The relationship names no customer: approve it with ?customer=TENANT_ID.",
        ));
    };
    let now = now_timestamp();
    let length = r.body.duration.as_deref().and_then(days).unwrap_or(730);
    let time = now
        .split_once('T')
        .map_or("00:00:00Z", |(_, t)| t)
        .to_owned();
    r.body.customer.get_or_insert_with(|| {
        let mut c = DelegatedAdminRelationshipCustomerParticipant::default();
        c.tenant_id = Some(tenant.clone());
        c.display_name = Some(tenant.clone());
        c
    });
    r.body.status = Some(Status::Active);
    r.body.activated_date_time = Some(Some(now.clone()));
    r.body.end_date_time = Some(Some(format!("{}T{time}", date_in(length))));
    r.body.last_modified_date_time = Some(now);
    r.version += 1;
    let snapshot = r.clone();
    drop(db);
    // The customer's admin approved, in their tenant: no partner user or app did it.
    let records = [
        AuditOperationType::GranularAdminRelationshipApproved,
        AuditOperationType::GranularAdminRelationshipActivated,
    ]
    .into_iter()
    .map(|op| audit(&snapshot, op, None, None))
    .collect();
    write_all(state, records);
    Ok(snapshot.body)
}

#[derive(Deserialize)]
pub(super) struct ApproveQuery {
    customer: Option<String>,
}

pub(super) async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ApproveQuery>,
) -> Response {
    match activate(&state, &id, q.customer) {
        Ok(body) => Json(body).into_response(),
        Err(Unapproved::NotFound) => not_found("delegatedAdminRelationship", &id),
        Err(Unapproved::Refused(why)) => bad(why),
    }
}

pub(super) async fn request(
    State(state): State<AppState>,
    caller: GraphCaller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let asked: DelegatedAdminRelationshipRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return bad(&format!(
                "The body is not a delegatedAdminRelationshipRequest: {e}."
            ));
        }
    };
    let now = now_timestamp();
    let mut made = DelegatedAdminRelationshipRequest::new(asked.action.clone());
    made.id = uuid::Uuid::new_v4().to_string();
    made.created_date_time = Some(now.clone());
    made.last_modified_date_time = Some(now.clone());
    let mut db = lock(&state.db);
    let r = match find(&mut db, &id) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    let mut records = Vec::new();
    match (&asked.action, &r.body.status) {
        (Action::LockForApproval, Some(Status::Created)) => {
            r.body.status = Some(Status::ApprovalPending);
        }
        (Action::Terminate, Some(Status::Active)) => {
            r.body.status = Some(Status::Terminated);
            r.body.end_date_time = Some(Some(now.clone()));
            for (a, v) in &mut r.assignments {
                a.status = Some(DelegatedAdminAccessAssignmentStatus::Deleted);
                *v += 1;
            }
            records.push(AuditOperationType::GranularAdminRelationshipTerminationRequested);
            records.push(AuditOperationType::GranularAdminRelationshipTerminated);
        }
        (Action::LockForApproval | Action::Terminate, status) => {
            return bad(&format!(
                "{} needs a relationship in status {}; it is {}.",
                asked.action,
                if asked.action == Action::Terminate {
                    "active"
                } else {
                    "created"
                },
                status
                    .as_ref()
                    .map_or("unknown".to_owned(), ToString::to_string)
            ));
        }
        (other, _) => {
            return bad(&format!(
                "{other} is an indirect reseller's action, on a relationship an indirect provider made for them: not emulated."
            ));
        }
    }
    r.body.last_modified_date_time = Some(now);
    r.version += 1;
    let mut stored = made.clone();
    stored.status = Some(DelegatedAdminRelationshipRequestStatus::Succeeded);
    r.requests.push(stored);
    let snapshot = r.clone();
    drop(db);
    let records = records
        .into_iter()
        .map(|op| audit(&snapshot, op, None, Some(&caller)))
        .collect();
    write_all(&state, records);
    let lock_approved = asked.action == Action::LockForApproval
        && state.config.approve_as.is_some()
        && snapshot.body.customer.is_some();
    if lock_approved {
        // Under --approve-as the customer's admin approves at once.
        let _ = activate(&state, &id, None);
    }
    made.status = Some(DelegatedAdminRelationshipRequestStatus::Created);
    let mut answer = serde_json::to_value(&made).unwrap_or(Value::Null);
    answer["@odata.type"] = Value::from("#microsoft.graph.delegatedAdminRelationshipRequest");
    created(&state, format!("{BASE}/{id}/requests/{}", made.id), answer)
}

pub(super) async fn requests(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
) -> Response {
    listed(&state, &id, "requests", |r| {
        r.requests.iter().map(json_of).collect()
    })
}

pub(super) async fn one_request(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    one_of(
        &state,
        &id,
        &sub,
        "delegatedAdminRelationshipRequest",
        |r| r.requests.iter().find(|q| q.id == sub).map(json_of),
    )
}

pub(super) async fn operations(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
) -> Response {
    listed(&state, &id, "operations", |r| {
        r.operations.iter().map(json_of).collect()
    })
}

pub(super) async fn one_operation(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    one_of(
        &state,
        &id,
        &sub,
        "delegatedAdminRelationshipOperation",
        |r| r.operations.iter().find(|o| o.id == sub).map(json_of),
    )
}

fn json_of<T: serde::Serialize>(item: &T) -> Value {
    serde_json::to_value(item).unwrap_or(Value::Null)
}

/// A relationship's list (`what`: its requests, assignments, operations), as Graph
/// answers one.
pub(super) fn listed(
    state: &AppState,
    id: &str,
    what: &str,
    items: impl Fn(&Relationship) -> Vec<Value>,
) -> Response {
    let mut db = lock(&state.db);
    match find(&mut db, id) {
        Ok(r) => collection(state, what, items(r)),
        Err(refusal) => refusal,
    }
}

/// One item of a relationship's list (`kind` names it in a 404).
pub(super) fn one_of(
    state: &AppState,
    id: &str,
    sub: &str,
    kind: &str,
    pick: impl Fn(&Relationship) -> Option<Value>,
) -> Response {
    let mut db = lock(&state.db);
    match find(&mut db, id) {
        Ok(r) => match pick(r) {
            Some(item) => Json(item).into_response(),
            None => not_found(kind, sub),
        },
        Err(refusal) => refusal,
    }
}
