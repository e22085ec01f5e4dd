//! A customer's directory roles and their members.
//!
//! Follows developer/get-user-roles-for-a-customer.md (a user's roles, the customer's
//! roles, a role's members: collections), set-user-roles-for-a-customer.md (POST a
//! UserMember, keys in any case as its PascalCase sample: 201 with the member and its
//! `roleId`) and remove-customer-user-from-a-role.md (204). App+User only. The docs
//! list no errors of their own: an unknown user or a user not in the role is 404 with
//! 60002, an unknown role 404 with 1000, a user already in the role 400 with 3000 (the
//! emulator's choices). The roles are Entra ID's built-in ones, by their template ids;
//! the customer's admin is a Global Administrator.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use partner_center_models::{DirectoryRole, ResourceAttributes, UserMember};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::users::{active_user, no_user, users_of};
use super::{AppPlusUser, collection, fault_response, field, not_found, parse_body};
use crate::state::AreaState;
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers/{id}/directoryroles", get(list_roles))
        .route(
            "/v1/customers/{id}/users/{user}/directoryroles",
            get(user_roles),
        )
        .route(
            "/v1/customers/{id}/directoryroles/{role}/usermembers",
            get(members).post(add_member),
        )
        .route(
            "/v1/customers/{id}/directoryroles/{role}/usermembers/{user}",
            delete(remove_member),
        )
}

/// Entra ID's built-in roles the emulator offers, by template id (the first three as
/// the docs' samples name them).
const ROLES: &[(&str, &str)] = &[
    (
        "62e90394-69f5-4237-9190-012177145e10",
        "Company Administrator",
    ),
    (
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Helpdesk Administrator",
    ),
    (
        "fe930be7-5e62-47db-91af-98c3a49a38b1",
        "User Account Administrator",
    ),
    (
        "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
        "License Administrator",
    ),
    (
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Billing Administrator",
    ),
    ("88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers"),
];

/// Each customer's role members: role id → user ids.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct RolesState {
    members: HashMap<String, HashMap<String, Vec<String>>>,
}

impl AreaState for RolesState {
    const NAME: &'static str = "roles";

    fn remove_customer(&mut self, customer: &str) {
        self.members.remove(customer);
    }
}

fn role(id: &str, name: &str) -> DirectoryRole {
    let mut r = DirectoryRole::default();
    r.id = id.to_owned();
    r.name = Some(name.to_owned());
    r.attributes = Some(ResourceAttributes::object("DirectoryRole"));
    r
}

/// The customer's role members, its admin a Global (Company) Administrator from the
/// start; `None` for an unknown customer.
fn members_of(db: &mut crate::state::Db, customer: &str) -> Option<HashMap<String, Vec<String>>> {
    let admin = users_of(db, customer)?.first().map(|u| u.id.clone());
    let members = db
        .areas
        .get::<RolesState>()
        .members
        .entry(customer.to_owned())
        .or_insert_with(|| {
            let mut m = HashMap::new();
            m.insert(ROLES[0].0.to_owned(), admin.into_iter().collect());
            m
        });
    Some(members.clone())
}

async fn list_roles(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
) -> Response {
    if lock(&state.db).customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let items = ROLES.iter().map(|(i, n)| role(i, n)).collect();
    Json(collection(
        items,
        None,
        format!("/customers/{id}/directoryroles"),
    ))
    .into_response()
}

async fn user_roles(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, user)): Path<(String, String)>,
) -> Response {
    let mut db = lock(&state.db);
    let Some(members) = members_of(&mut db, &id) else {
        return not_found("Customer", &id);
    };
    let known = users_of(&mut db, &id)
        .is_some_and(|users| users.iter().any(|u| u.id.eq_ignore_ascii_case(&user)));
    if !known {
        return no_user(&user);
    }
    let items = ROLES
        .iter()
        .filter(|(r, _)| {
            members
                .get(*r)
                .is_some_and(|m| m.iter().any(|u| u.eq_ignore_ascii_case(&user)))
        })
        .map(|(i, n)| role(i, n))
        .collect();
    Json(collection(
        items,
        None,
        format!("/customers/{id}/users/{user}/directoryroles"),
    ))
    .into_response()
}

fn unknown_role(role: &str) -> Option<Response> {
    (!ROLES.iter().any(|(r, _)| r.eq_ignore_ascii_case(role))).then(|| {
        fault_response(
            StatusCode::NOT_FOUND,
            1000,
            &format!("Directory role {role} was not found."),
        )
    })
}

async fn members(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, role_id)): Path<(String, String)>,
) -> Response {
    if let Some(refusal) = unknown_role(&role_id) {
        return refusal;
    }
    let mut db = lock(&state.db);
    let Some(members) = members_of(&mut db, &id) else {
        return not_found("Customer", &id);
    };
    let ids = members
        .get(&role_id.to_ascii_lowercase())
        .cloned()
        .unwrap_or_default();
    let users = users_of(&mut db, &id).cloned().unwrap_or_default();
    let items: Vec<UserMember> = users
        .iter()
        .filter(|u| ids.iter().any(|m| m.eq_ignore_ascii_case(&u.id)))
        .map(|u| {
            let mut m = UserMember::of(u);
            m.role_id = Some(role_id.to_ascii_lowercase());
            m
        })
        .collect();
    Json(collection(
        items,
        None,
        format!("/customers/{id}/directoryroles/{role_id}/usermembers"),
    ))
    .into_response()
}

async fn add_member(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, role_id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    if let Some(refusal) = unknown_role(&role_id) {
        return refusal;
    }
    let raw: Value = match parse_body(&body) {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    let user = field(&raw, "id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut db = lock(&state.db);
    if members_of(&mut db, &id).is_none() {
        return not_found("Customer", &id);
    }
    let Some(found) = active_user(&mut db, &id, &user).map(|u| u.clone()) else {
        return no_user(&user);
    };
    let role_key = role_id.to_ascii_lowercase();
    let members = db
        .areas
        .get::<RolesState>()
        .members
        .entry(id.clone())
        .or_default()
        .entry(role_key.clone())
        .or_default();
    if members.iter().any(|m| m.eq_ignore_ascii_case(&found.id)) {
        return fault_response(
            StatusCode::BAD_REQUEST,
            3000,
            &format!(
                "Invalid property: user {} is already in role {role_id} (the emulator's check).",
                found.id
            ),
        );
    }
    members.push(found.id.clone());
    let mut member = UserMember::of(&found);
    member.role_id = Some(role_key);
    (StatusCode::CREATED, Json(member)).into_response()
}

async fn remove_member(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, role_id, user)): Path<(String, String, String)>,
) -> Response {
    if let Some(refusal) = unknown_role(&role_id) {
        return refusal;
    }
    let mut db = lock(&state.db);
    if members_of(&mut db, &id).is_none() {
        return not_found("Customer", &id);
    }
    let members = db
        .areas
        .get::<RolesState>()
        .members
        .entry(id.clone())
        .or_default()
        .entry(role_id.to_ascii_lowercase())
        .or_default();
    let before = members.len();
    members.retain(|m| !m.eq_ignore_ascii_case(&user));
    if members.len() == before {
        return no_user(&user);
    }
    StatusCode::NO_CONTENT.into_response()
}
