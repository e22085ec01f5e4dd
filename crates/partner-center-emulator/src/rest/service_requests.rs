//! The partner's service requests and the support topics.
//!
//! Follows develop/create-a-service-request-.md (`POST /v1/servicerequests/{agent-locale}`,
//! 201; Title, Description, Severity and SupportTopicId required, keys in any case as its
//! PascalCase sample), get-service-request-details-by-id.md, update-a-service-request.md
//! (PATCH with only the values to change: the .NET SDK sends a whole object whose unset
//! values are `unknown`, `none` and zero dates, which change nothing; `NewNote` adds a
//! note), develop/get-service-request-support-topics--pending-.md and
//! get-all-service-requests-for-a-customer.md. App+User only. The partner-wide list,
//! `GET /v1/servicerequests`, has no page: its path is the Partner Center SDKs'. The
//! emulator's choices, the docs naming no error of their own: a missing required field
//! or an unknown topic is 400 with 800002; an unknown request 404 with 1000; a request is
//! for a customer when it is opened with that customer's tenant id as `organization.id`;
//! it opens as `open` (the create sample's `none` and zero dates are an unfilled object).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::{
    ResourceAttributes, ServiceRequest, ServiceRequestContact, ServiceRequestNote,
    ServiceRequestOrganization, ServiceRequestSeverity, ServiceRequestStatus, SupportTopic,
};
use serde::{Deserialize, Serialize};

use super::{
    AppPlusUser, Caller, collection, create_once, fault_response, not_found, parse_body, to_json,
};
use crate::entra::now_timestamp;
use crate::state::AreaState;
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/servicerequests", get(list))
        .route("/v1/servicerequests/supporttopics", get(topics))
        .route(
            "/v1/servicerequests/{id}",
            get(get_one).post(create).patch(update),
        )
        .route("/v1/customers/{id}/servicerequests", get(of_customer))
}

/// The support topics: the docs' two and a few more.
const TOPICS: &[(&str, &str, &str)] = &[
    (
        "32444667",
        "Partner Center Issues",
        "Office 365 questions from the CSP (Cloud Solution Provider) partners using Partner Center",
    ),
    (
        "32444671",
        "Cannot manage my profile",
        "Issues that are related to errors or problems with managing a profile",
    ),
    (
        "32444680",
        "Billing and invoices",
        "Questions about invoices, reconciliation files and payments",
    ),
    (
        "32444693",
        "Customer management",
        "Problems creating or managing customers, their users and licences",
    ),
];

/// A never-closed date, as the service writes it.
const NEVER: &str = "0001-01-01T00:00:00";

/// The partner's service requests, oldest first.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct ServiceRequestsState {
    next: u64,
    requests: Vec<ServiceRequest>,
}

impl AreaState for ServiceRequestsState {
    const NAME: &'static str = "service_requests";

    /// A ticket outlives the customer it was about.
    fn remove_customer(&mut self, _customer: &str) {}
}

fn invalid(message: &str) -> Response {
    fault_response(StatusCode::BAD_REQUEST, 800002, message)
}

fn topic(id: &str, name: &str, description: &str) -> SupportTopic {
    let mut t = SupportTopic::default();
    t.id = id.to_owned();
    t.name = Some(name.to_owned());
    t.description = Some(description.to_owned());
    t.attributes = Some(ResourceAttributes::object("SupportTopic"));
    t
}

async fn topics(_caller: AppPlusUser) -> Response {
    let items = TOPICS.iter().map(|(i, n, d)| topic(i, n, d)).collect();
    Json(collection(
        items,
        None,
        "/servicerequests/supporttopics".to_owned(),
    ))
    .into_response()
}

async fn list(State(state): State<AppState>, _caller: AppPlusUser) -> Response {
    let mut db = lock(&state.db);
    let items = db.areas.get::<ServiceRequestsState>().requests.clone();
    Json(collection(items, None, "/servicerequests".to_owned())).into_response()
}

async fn of_customer(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(customer): Path<String>,
) -> Response {
    let mut db = lock(&state.db);
    if db.customer(&customer).is_none() {
        return not_found("Customer", &customer);
    }
    let items = db
        .areas
        .get::<ServiceRequestsState>()
        .requests
        .iter()
        .filter(|r| {
            r.organization
                .as_ref()
                .and_then(|o| o.id.as_deref())
                .is_some_and(|o| o.eq_ignore_ascii_case(&customer))
        })
        .cloned()
        .collect();
    Json(collection(
        items,
        None,
        format!("/customers/{customer}/servicerequests"),
    ))
    .into_response()
}

async fn get_one(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
) -> Response {
    let mut db = lock(&state.db);
    match db
        .areas
        .get::<ServiceRequestsState>()
        .requests
        .iter()
        .find(|r| r.id == id)
    {
        Some(found) => Json(found.clone()).into_response(),
        None => not_found("Service request", &id),
    }
}

/// The signed-in user as a contact of the partner's organization.
fn contact(state: &AppState, caller: &Caller) -> ServiceRequestContact {
    let mut c = ServiceRequestContact::default();
    c.organization = Some(partner(state));
    c.contact_id = Some(caller.user_id());
    c.email = caller.user_name().map(str::to_owned);
    c.last_name = caller
        .user_name()
        .and_then(|u| u.split('@').next())
        .map(str::to_owned);
    c
}

fn partner(state: &AppState) -> ServiceRequestOrganization {
    let mut o = ServiceRequestOrganization::default();
    o.id = Some(state.config.tenant_id.clone());
    o.name = Some("Emulated partner".to_owned());
    o
}

async fn create(
    State(state): State<AppState>,
    AppPlusUser(caller): AppPlusUser,
    Path(locale): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // `{agent-locale}` shares the path of `{servicerequest-id}`: a locale is `xx-YY`.
    if !locale.contains('-') || locale.len() > 10 {
        return invalid(&format!(
            "{locale} is not a locale (en-US): POST /v1/servicerequests/{{agent-locale}} opens a service request."
        ));
    }
    let sent: ServiceRequest = match parse_body(&body) {
        Ok(sent) => sent,
        Err(refusal) => return refusal,
    };
    let text = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    if !text(&sent.title) || !text(&sent.description) || !text(&sent.support_topic_id) {
        return invalid("Title, Description, Severity and SupportTopicId are required.");
    }
    let severity = match &sent.severity {
        Some(
            s @ (ServiceRequestSeverity::Critical
            | ServiceRequestSeverity::Moderate
            | ServiceRequestSeverity::Minimal),
        ) => s.clone(),
        _ => return invalid("Severity must be critical, moderate or minimal."),
    };
    let topic_id = sent.support_topic_id.clone().unwrap_or_default();
    let Some((_, topic_name, _)) = TOPICS.iter().find(|(t, _, _)| *t == topic_id) else {
        return invalid(&format!(
            "Support topic {topic_id} is unknown: GET /v1/servicerequests/supporttopics lists them."
        ));
    };
    let contact = contact(&state, &caller);
    create_once(&state, &headers, || {
        let mut db = lock(&state.db);
        let area = db.areas.get::<ServiceRequestsState>();
        area.next += 1;
        let now = now_timestamp();
        let mut r = ServiceRequest::default();
        r.id = (616_122_292_874_576 + area.next).to_string();
        r.title = sent.title.clone();
        r.description = sent.description.clone();
        r.severity = Some(severity);
        r.support_topic_id = Some(topic_id.clone());
        r.support_topic_name = Some((*topic_name).to_owned());
        r.status = Some(ServiceRequestStatus::Open);
        r.organization = sent
            .organization
            .clone()
            .filter(|o| o.id.is_some())
            .or_else(|| Some(partner(&state)));
        r.primary_contact = Some(contact);
        r.product_name = sent.product_name.clone();
        r.product_id = sent.product_id.clone();
        r.created_date = Some(now.clone());
        r.last_modified_date = Some(now);
        r.last_closed_date = Some(NEVER.to_owned());
        r.notes = sent.new_note.clone().map(|n| vec![n]);
        r.country_code = sent.country_code.clone().or_else(|| Some("US".to_owned()));
        r.attributes = Some(ResourceAttributes::object("ServiceRequest"));
        area.requests.push(r.clone());
        Ok(to_json(&r))
    })
}

async fn update(
    State(state): State<AppState>,
    AppPlusUser(caller): AppPlusUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let changes: ServiceRequest = match parse_body(&body) {
        Ok(changes) => changes,
        Err(refusal) => return refusal,
    };
    use ServiceRequestSeverity as Severity;
    use ServiceRequestStatus as Status;
    if changes.severity.as_ref().is_some_and(|s| {
        !matches!(
            s,
            Severity::Unset | Severity::Critical | Severity::Moderate | Severity::Minimal
        )
    }) {
        return invalid("Severity must be critical, moderate or minimal.");
    }
    if changes
        .status
        .as_ref()
        .is_some_and(|s| !matches!(s, Status::Unset | Status::Open | Status::Closed))
    {
        return invalid("Status can be set to open or closed.");
    }
    let author = caller.user_name().unwrap_or("Partner").to_owned();
    let by = contact(&state, &caller);
    let mut db = lock(&state.db);
    let area = db.areas.get::<ServiceRequestsState>();
    let Some(found) = area.requests.iter_mut().find(|r| r.id == id) else {
        return not_found("Service request", &id);
    };
    let now = now_timestamp();
    // Unset values (`unknown`, `none`, null) change nothing; a partner may set the
    // severity as when opening, and open or close the request.
    match &changes.severity {
        None | Some(ServiceRequestSeverity::Unset) => {}
        Some(
            s @ (ServiceRequestSeverity::Critical
            | ServiceRequestSeverity::Moderate
            | ServiceRequestSeverity::Minimal),
        ) => found.severity = Some(s.clone()),
        Some(_) => {}
    }
    match &changes.status {
        None | Some(ServiceRequestStatus::Unset) => {}
        Some(s @ (ServiceRequestStatus::Open | ServiceRequestStatus::Closed)) => {
            if *s == ServiceRequestStatus::Closed
                && found.status != Some(ServiceRequestStatus::Closed)
            {
                found.last_closed_date = Some(now.clone());
            }
            found.status = Some(s.clone());
        }
        Some(_) => {}
    }
    if let Some(title) = changes.title.filter(|t| !t.trim().is_empty()) {
        found.title = Some(title);
    }
    if let Some(note) = changes.new_note.filter(|n| n.text.is_some()) {
        let mut added = ServiceRequestNote::default();
        added.created_by_name = Some(author);
        added.created_date = Some(now.clone());
        added.text = note.text;
        found.notes.get_or_insert_with(Vec::new).push(added);
    }
    found.last_updated_by = Some(by);
    found.last_modified_date = Some(now);
    Json(found.clone()).into_response()
}
