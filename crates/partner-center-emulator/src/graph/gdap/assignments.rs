//! GDAP access assignments: a security group of the partner given roles of an active
//! relationship (delegatedadminrelationship-post-accessassignments.md: 201, `pending`;
//! delegatedadminaccessassignment-update.md: only `accessDetails`, `If-Match`, 202 and an
//! operation, or 200 when nothing changes; delegatedadminaccessassignment-delete.md: 204,
//! then `deleted`).

use super::lifecycle::{listed, one_of};
use super::{
    BASE, DelegatedAdminAccessAssignment, DelegatedAdminAccessAssignmentStatus,
    DelegatedAdminAccessContainerType, DelegatedAdminRelationshipOperationType, GraphCaller,
    HeaderMap, Json, Path, Response, State, Status, StatusCode, Value, accepted, audit, bad,
    check_etag, created, etag, find, not_found, now_timestamp, operation, write_all,
};
use crate::{AppState, lock};
use axum::response::IntoResponse;
use partner_center_models::AuditOperationType;
use partner_center_models::gdap::DelegatedAdminAccessDetails;

fn with_etag(a: &DelegatedAdminAccessAssignment, version: u64) -> Value {
    let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
    v["@odata.type"] = Value::from("#microsoft.graph.delegatedAdminAccessAssignment");
    v["@odata.etag"] = Value::from(etag(&a.id, version));
    v
}

/// The roles must be the relationship's (a subset of what the customer approved).
fn check_roles(
    granted: Option<&DelegatedAdminAccessDetails>,
    asked: &DelegatedAdminAccessDetails,
) -> Result<(), Response> {
    let granted = granted
        .map(DelegatedAdminAccessDetails::role_ids)
        .unwrap_or_default();
    if asked.unified_roles.is_empty() {
        return Err(bad(
            "accessDetails.unifiedRoles must name at least one role.",
        ));
    }
    match asked.role_ids().into_iter().find(|r| !granted.contains(r)) {
        Some(role) => Err(bad(&format!(
            "The role {role} is not one of the relationship's: an assignment gives roles the customer approved."
        ))),
        None => Ok(()),
    }
}

pub(super) async fn assignments(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
) -> Response {
    listed(&state, &id, "accessAssignments", |r| {
        r.assignments
            .iter()
            .map(|(a, v)| with_etag(a, *v))
            .collect()
    })
}

pub(super) async fn one_assignment(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Response {
    one_of(&state, &id, &sub, "delegatedAdminAccessAssignment", |r| {
        let (a, v) = r.assignments.iter().find(|(a, _)| a.id == sub)?;
        Some(with_etag(a, *v))
    })
}

pub(super) async fn assign(
    State(state): State<AppState>,
    caller: GraphCaller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let mut asked: DelegatedAdminAccessAssignment = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => {
            return bad(&format!(
                "The body is not a delegatedAdminAccessAssignment: {e}."
            ));
        }
    };
    let mut db = lock(&state.db);
    let r = match find(&mut db, &id) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    if r.body.status != Some(Status::Active) {
        return bad(
            "The passed in delegatedAdminRelationshipId is not active: assign access once the customer has approved it.",
        );
    }
    let container = &asked.access_container;
    if container.access_container_type != DelegatedAdminAccessContainerType::SecurityGroup
        || container.access_container_id.trim().is_empty()
    {
        return bad("accessContainer must be a securityGroup with its accessContainerId.");
    }
    if let Err(refusal) = check_roles(r.body.access_details.as_ref(), &asked.access_details) {
        return refusal;
    }
    let taken = r.assignments.iter().any(|(a, _)| {
        a.access_container.access_container_id == container.access_container_id
            && a.status != Some(DelegatedAdminAccessAssignmentStatus::Deleted)
    });
    if taken {
        return super::graph_error(
            StatusCode::CONFLICT,
            "conflict",
            "This security group already has an assignment in the relationship: update it instead.",
        );
    }
    let now = now_timestamp();
    asked.id = uuid::Uuid::new_v4().to_string();
    asked.etag = None;
    asked.created_date_time = Some(now.clone());
    asked.last_modified_date_time = Some(now);
    asked.status = Some(DelegatedAdminAccessAssignmentStatus::Active);
    r.assignments.push((asked.clone(), 1));
    let snapshot = r.clone();
    drop(db);
    write_all(
        &state,
        [
            AuditOperationType::GranularAdminAccessAssignmentCreated,
            AuditOperationType::GranularAdminAccessAssignmentActivated,
        ]
        .into_iter()
        .map(|op| audit(&snapshot, op, Some(&asked.id), Some(&caller)))
        .collect(),
    );
    // Answered as the docs show it, still provisioning; active by the next read.
    asked.status = Some(DelegatedAdminAccessAssignmentStatus::Pending);
    let path = format!("{BASE}/{id}/accessAssignments/{}", asked.id);
    created(&state, path, with_etag(&asked, 1))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Changes {
    access_details: Option<DelegatedAdminAccessDetails>,
}

pub(super) async fn reassign(
    State(state): State<AppState>,
    caller: GraphCaller,
    Path((id, sub)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let roles = match serde_json::from_slice::<Changes>(&body) {
        Ok(Changes {
            access_details: Some(roles),
        }) => roles,
        Ok(_) => return bad("Only accessDetails can be updated, and it is required."),
        Err(e) => {
            return bad(&format!(
                "The body is not an access assignment update: {e}."
            ));
        }
    };
    let mut db = lock(&state.db);
    let r = match find(&mut db, &id) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    let granted = r.body.access_details.clone();
    let Some((a, version)) = r.assignments.iter_mut().find(|(a, _)| a.id == sub) else {
        return not_found("delegatedAdminAccessAssignment", &sub);
    };
    if let Err(refusal) = check_etag(&headers, &etag(&sub, *version)) {
        return refusal;
    }
    if a.status != Some(DelegatedAdminAccessAssignmentStatus::Active) {
        return bad("Only an active access assignment can be updated.");
    }
    if a.access_details.role_ids() == roles.role_ids() {
        return Json(with_etag(a, *version)).into_response();
    }
    if let Err(refusal) = check_roles(granted.as_ref(), &roles) {
        return refusal;
    }
    a.access_details = roles;
    a.last_modified_date_time = Some(now_timestamp());
    *version += 1;
    let op = operation(
        DelegatedAdminRelationshipOperationType::DelegatedAdminAccessAssignmentUpdate,
        serde_json::to_string(&*a).ok(),
    );
    let location = format!("{}{BASE}/{id}/operations/{}", state.base, op.id);
    r.operations.push(op);
    let snapshot = r.clone();
    drop(db);
    write_all(
        &state,
        vec![audit(
            &snapshot,
            AuditOperationType::GranularAdminAccessAssignmentUpdated,
            Some(&sub),
            Some(&caller),
        )],
    );
    accepted(&location)
}

pub(super) async fn unassign(
    State(state): State<AppState>,
    caller: GraphCaller,
    Path((id, sub)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut db = lock(&state.db);
    let r = match find(&mut db, &id) {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    let Some((a, version)) = r.assignments.iter_mut().find(|(a, _)| a.id == sub) else {
        return not_found("delegatedAdminAccessAssignment", &sub);
    };
    if let Err(refusal) = check_etag(&headers, &etag(&sub, *version)) {
        return refusal;
    }
    if a.status == Some(DelegatedAdminAccessAssignmentStatus::Deleted) {
        return not_found("delegatedAdminAccessAssignment", &sub);
    }
    a.status = Some(DelegatedAdminAccessAssignmentStatus::Deleted);
    a.last_modified_date_time = Some(now_timestamp());
    *version += 1;
    let snapshot = r.clone();
    drop(db);
    write_all(
        &state,
        vec![audit(
            &snapshot,
            AuditOperationType::GranularAdminAccessAssignmentDeleted,
            Some(&sub),
            Some(&caller),
        )],
    );
    StatusCode::NO_CONTENT.into_response()
}
