//! A customer's user accounts.
//!
//! Follows developer/create-user-accounts-for-a-customer.md (POST: 200, the password
//! echoed once), get-a-list-of-all-user-accounts-for-a-customer.md (active users only),
//! view-a-deleted-user.md (`filter` on `UserState` = `Inactive`, `size`),
//! get-a-user-account-by-id.md, update-user-accounts-for-a-customer.md (PATCH, partial),
//! reset-user-password-for-a-customer.md (PATCH …/resetpassword), restore-a-user-for-a-
//! customer.md (PATCH with `State: active`, keys in any case) and
//! delete-user-accounts-for-a-customer.md (204; inactive for 30 days). Every one is
//! App+User only (900329 for app-only tokens). The docs list no errors of their own: an
//! unknown user is 404 with 60002 ("User object ID isn't found", error-codes.md); a
//! principal name already taken or outside the customer's domain, or a missing password,
//! is 400 with 3000 ("Invalid property"): the emulator's choice, said in the description.
//! Pages are `size` users (default 100) with `offset`, the indexed query of the SDKs.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use partner_center_models::{
    CustomerUser, Link, Links, PasswordProfile, ResourceAttributes, UserDomainType, UserState,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{AppPlusUser, collection, fault_response, field, not_found, parse_body};
use crate::state::AreaState;
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/customers/{id}/users", get(list).post(create))
        .route(
            "/v1/customers/{id}/users/{user}",
            get(get_one).patch(update).delete(delete),
        )
        .route(
            "/v1/customers/{id}/users/{user}/resetpassword",
            patch(reset_password),
        )
}

/// Each customer's users (their passwords are never kept).
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct UsersState {
    pub(crate) users: HashMap<String, Vec<CustomerUser>>,
}

impl AreaState for UsersState {
    const NAME: &'static str = "users";

    fn remove_customer(&mut self, customer: &str) {
        self.users.remove(customer);
    }
}

fn with_links(mut user: CustomerUser, customer: &str) -> CustomerUser {
    user.links = Some(Links::self_link(Link::new(format!(
        "/customers/{customer}/users/{}",
        user.id
    ))));
    user.attributes = Some(ResourceAttributes::object("CustomerUser"));
    user
}

/// The customer's users, made with its admin on first use (the account a customer
/// create returns the credentials of).
pub(super) fn users_of<'a>(
    db: &'a mut crate::state::Db,
    customer: &str,
) -> Option<&'a mut Vec<CustomerUser>> {
    let domain = db
        .customer(customer)?
        .company_profile
        .as_ref()
        .and_then(|p| p.domain.clone())
        .unwrap_or_else(|| "customer.onmicrosoft.com".to_owned());
    let users = db
        .areas
        .get::<UsersState>()
        .users
        .entry(customer.to_owned());
    Some(users.or_insert_with(|| {
        let mut admin = CustomerUser::default();
        admin.id = uuid::Uuid::new_v4().to_string();
        admin.user_principal_name = Some(format!("admin@{domain}"));
        admin.display_name = Some("Administrator".to_owned());
        admin.user_domain_type = Some(UserDomainType::None);
        admin.state = Some(UserState::Active);
        vec![admin]
    }))
}

/// An active user of the customer (its users made on first use), to read or change;
/// `None` for an unknown customer, an unknown user or a deleted one.
pub(super) fn active_user<'a>(
    db: &'a mut crate::state::Db,
    customer: &str,
    user: &str,
) -> Option<&'a mut CustomerUser> {
    users_of(db, customer)?
        .iter_mut()
        .find(|u| u.id.eq_ignore_ascii_case(user) && u.state == Some(UserState::Active))
}

/// An unknown user (error-codes.md: 404, 60002).
pub(super) fn no_user(id: &str) -> Response {
    fault_response(
        StatusCode::NOT_FOUND,
        60002,
        &format!("User object ID {id} isn't found."),
    )
}

fn invalid(message: &str) -> Response {
    fault_response(
        StatusCode::BAD_REQUEST,
        3000,
        &format!("Invalid property: {message}"),
    )
}

#[derive(Deserialize)]
struct ListQuery {
    size: Option<usize>,
    offset: Option<usize>,
    filter: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    // view-a-deleted-user.md: {"Field":"UserState","Value":"Inactive","Operator":"equals"}.
    let wanted = match q.filter.as_deref() {
        None => UserState::Active,
        Some(text) => {
            let filter: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            let field = |k: &str| filter[k].as_str().unwrap_or_default().to_ascii_lowercase();
            if field("Field") != "userstate" || field("Operator") != "equals" {
                return fault_response(
                    StatusCode::BAD_REQUEST,
                    800002,
                    "Invalid request input: the users filter must be {\"Field\":\"UserState\",\"Value\":\"Inactive\",\"Operator\":\"equals\"}.",
                );
            }
            if field("Value") == "inactive" {
                UserState::Inactive
            } else {
                UserState::Active
            }
        }
    };
    let mut db = lock(&state.db);
    let Some(users) = users_of(&mut db, &id) else {
        return not_found("Customer", &id);
    };
    let matching: Vec<CustomerUser> = users
        .iter()
        .filter(|u| u.state.as_ref() == Some(&wanted))
        .cloned()
        .collect();
    let size = q.size.unwrap_or(100).clamp(1, 500);
    let offset = q.offset.unwrap_or(0);
    let page: Vec<CustomerUser> = matching
        .iter()
        .skip(offset)
        .take(size)
        .cloned()
        .map(|u| with_links(u, &id))
        .collect();
    let filter = q
        .filter
        .as_deref()
        .map(|f| {
            format!(
                "&filter={}",
                url::form_urlencoded::byte_serialize(f.as_bytes()).collect::<String>()
            )
        })
        .unwrap_or_default();
    let next = super::next_offset(offset, size, matching.len()).map(|next| {
        Link::new(format!(
            "/customers/{id}/users?size={size}&offset={next}{filter}"
        ))
    });
    let mut body = collection(page, next, format!("/customers/{id}/users"));
    body.total_count = matching.len() as u64;
    Json(body).into_response()
}

async fn get_one(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, user)): Path<(String, String)>,
) -> Response {
    let mut db = lock(&state.db);
    let Some(users) = users_of(&mut db, &id) else {
        return not_found("Customer", &id);
    };
    match users.iter().find(|u| u.id.eq_ignore_ascii_case(&user)) {
        Some(u) => Json(with_links(u.clone(), &id)).into_response(),
        None => no_user(&user),
    }
}

async fn create(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let mut user: CustomerUser = match parse_body(&body) {
        Ok(u) => u,
        Err(refusal) => return refusal,
    };
    let mut db = lock(&state.db);
    let domain = db
        .customer(&id)
        .and_then(|c| c.company_profile.as_ref()?.domain.clone());
    let Some(users) = users_of(&mut db, &id) else {
        return not_found("Customer", &id);
    };
    let Some(upn) = user.user_principal_name.clone() else {
        return invalid("userPrincipalName is required.");
    };
    let in_domain = upn.split_once('@').is_some_and(|(name, d)| {
        !name.is_empty()
            && domain
                .as_deref()
                .is_none_or(|dom| d.eq_ignore_ascii_case(dom))
    });
    if !in_domain {
        return invalid(&format!(
            "userPrincipalName {upn} must be name@{} (the customer's domain; the emulator's check).",
            domain.as_deref().unwrap_or("domain")
        ));
    }
    if users.iter().any(|u| {
        u.user_principal_name
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(&upn))
    }) {
        return invalid(&format!(
            "userPrincipalName {upn} is already taken (the emulator's check)."
        ));
    }
    let Some(profile) = user
        .password_profile
        .take()
        .filter(|p| p.password.is_some())
    else {
        return invalid("passwordProfile.password is required.");
    };
    user.id = uuid::Uuid::new_v4().to_string();
    user.state = Some(UserState::Active);
    user.user_domain_type = Some(UserDomainType::None);
    user.soft_deletion_time = None;
    user.links = None;
    users.push(user.clone());
    // The answer echoes the password once, as the docs' sample does; it is not kept.
    let mut answer = user;
    answer.password_profile = Some(profile);
    answer.attributes = Some(ResourceAttributes::object("CustomerUser"));
    (StatusCode::OK, Json(answer)).into_response()
}

async fn update(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, user)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let raw: Value = match parse_body(&body) {
        Ok(v) => v,
        Err(refusal) => return refusal,
    };
    let changes: CustomerUser = serde_json::from_value(raw.clone()).unwrap_or_default();
    let mut db = lock(&state.db);
    let Some(users) = users_of(&mut db, &id) else {
        return not_found("Customer", &id);
    };
    let Some(found) = users.iter_mut().find(|u| u.id.eq_ignore_ascii_case(&user)) else {
        return no_user(&user);
    };
    let restoring = field(&raw, "state")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("active"));
    if found.state == Some(UserState::Inactive) {
        if !restoring {
            return no_user(&user);
        }
        // restore-a-user-for-a-customer.md: the other fields come back by themselves.
        found.state = Some(UserState::Active);
        found.soft_deletion_time = None;
        return Json(with_links(found.clone(), &id)).into_response();
    }
    macro_rules! take {
        ($($f:ident),+) => {$( if changes.$f.is_some() { found.$f = changes.$f.clone(); } )+};
    }
    take!(
        user_principal_name,
        first_name,
        last_name,
        display_name,
        usage_location,
        phone_number
    );
    let mut answer = with_links(found.clone(), &id);
    answer.password_profile = changes.password_profile;
    Json(answer).into_response()
}

async fn reset_password(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, user)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let changes: CustomerUser = match parse_body(&body) {
        Ok(u) => u,
        Err(refusal) => return refusal,
    };
    let Some(profile) = changes
        .password_profile
        .filter(|p: &PasswordProfile| p.password.is_some())
    else {
        return invalid("passwordProfile.password is required.");
    };
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    match active_user(&mut db, &id, &user) {
        Some(found) => {
            let mut answer = with_links(found.clone(), &id);
            answer.password_profile = Some(profile);
            Json(answer).into_response()
        }
        None => no_user(&user),
    }
}

async fn delete(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path((id, user)): Path<(String, String)>,
) -> Response {
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    match active_user(&mut db, &id, &user) {
        Some(found) => {
            found.state = Some(UserState::Inactive);
            found.soft_deletion_time = Some(format!("{}T00:00:00Z", crate::entra::today()));
            StatusCode::NO_CONTENT.into_response()
        }
        None => no_user(&user),
    }
}
