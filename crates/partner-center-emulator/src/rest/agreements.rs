//! Agreements: the templates, and each customer's confirmations of them.
//!
//! Follows developer/get-customer-agreement-metadata.md (templates; no `agreementType`
//! means the Microsoft Cloud Agreement only, `*` every type),
//! get-confirmation-of-customer-agreement.md (a customer's confirmations, same filter) and
//! confirm-customer-consent-customer-agreement.md (POST: App+User only, 201 with the
//! agreement and the confirming user's id; a second confirmation with the same contact is
//! refused with 600061 `PartnerConfirmedAgreementAlreadyExists`). The docs give no status
//! for 600061, nor an error for a bad template or date: the emulator answers 409 for the
//! former and 400 with code 600002 (the code the service has been seen to use for a
//! future date) for the latter, and says so in the description.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::{
    Agreement, AgreementMetadata, AgreementType, ApiFault, MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{AppPlusUser, Caller, collection, fault_response, not_found, parse_body};
use crate::state::AreaState;
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/agreements", get(list_templates))
        .route(
            "/v1/customers/{id}/agreements",
            get(list_confirmations).post(confirm),
        )
}

/// The Microsoft Cloud Agreement's template (get-agreement-metadata.md).
const MICROSOFT_CLOUD_AGREEMENT_TEMPLATE_ID: &str = "998b88de-aa99-4388-a42c-1b3517d49490";

/// Each customer's confirmed agreements, by customer id.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct AgreementsState {
    /// Customer id → the agreements confirmed for it (other areas read this: a
    /// new-commerce checkout needs the Microsoft Customer Agreement).
    pub(crate) confirmed: HashMap<String, Vec<Agreement>>,
}

impl AreaState for AgreementsState {
    const NAME: &'static str = "agreements";

    fn remove_customer(&mut self, customer: &str) {
        self.confirmed.remove(customer);
    }
}

fn templates() -> Vec<AgreementMetadata> {
    let template = |id: &str, kind: &str, link: &str| -> AgreementMetadata {
        serde_json::from_value(json!({
            "templateId": id, "agreementType": kind, "agreementLink": link, "versionRank": 0
        }))
        .unwrap_or_default()
    };
    vec![
        template(
            MICROSOFT_CUSTOMER_AGREEMENT_TEMPLATE_ID,
            "MicrosoftCustomerAgreement",
            "https://aka.ms/customeragreement",
        ),
        template(
            MICROSOFT_CLOUD_AGREEMENT_TEMPLATE_ID,
            "MicrosoftCloudAgreement",
            "https://learn.microsoft.com/partner-center/agreements",
        ),
    ]
}

#[derive(Deserialize)]
struct TypeQuery {
    #[serde(rename = "agreementType", alias = "agreementtype")]
    agreement_type: Option<String>,
}

impl TypeQuery {
    /// Whether an agreement of `kind` is asked for: `*` is every type, none is the Cloud
    /// Agreement ("for backward compatibility").
    fn wants(&self, kind: Option<&AgreementType>) -> bool {
        match self.agreement_type.as_deref() {
            Some("*") => true,
            Some(asked) => kind.is_some_and(|k| k.as_str().eq_ignore_ascii_case(asked)),
            None => kind == Some(&AgreementType::MicrosoftCloudAgreement),
        }
    }
}

async fn list_templates(_caller: Caller, Query(q): Query<TypeQuery>) -> Response {
    let items: Vec<AgreementMetadata> = templates()
        .into_iter()
        .filter(|t| q.wants(t.agreement_type.as_ref()))
        .collect();
    Json(collection(items, None, "/agreements".to_owned())).into_response()
}

async fn list_confirmations(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<TypeQuery>,
) -> Response {
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    let items: Vec<Agreement> = db
        .areas
        .get::<AgreementsState>()
        .confirmed
        .get(&id)
        .into_iter()
        .flatten()
        .filter(|a| q.wants(a.agreement_type.as_ref()))
        .cloned()
        .collect();
    Json(collection(
        items,
        None,
        format!("/customers/{id}/agreements"),
    ))
    .into_response()
}

async fn confirm(
    State(state): State<AppState>,
    AppPlusUser(caller): AppPlusUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let mut agreement: Agreement = match parse_body(&body) {
        Ok(a) => a,
        Err(refusal) => return refusal,
    };
    let Some(template) = templates()
        .into_iter()
        .find(|t| t.template_id.eq_ignore_ascii_case(&agreement.template_id))
    else {
        return fault_response(
            StatusCode::BAD_REQUEST,
            600002,
            "The templateId is not an agreement template; get it from GET /v1/agreements?agreementType=MicrosoftCustomerAgreement.",
        );
    };
    let contact = agreement.primary_contact.clone().unwrap_or_default();
    if [&contact.first_name, &contact.last_name, &contact.email]
        .iter()
        .any(|f| f.as_deref().is_none_or(|v| v.trim().is_empty()))
    {
        return fault_response(
            StatusCode::BAD_REQUEST,
            600002,
            "primaryContact needs firstName, lastName and email.",
        );
    }
    let Some(day) = agreement
        .date_agreed
        .as_deref()
        .and_then(|d| d.get(..10))
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
    else {
        return fault_response(
            StatusCode::BAD_REQUEST,
            600002,
            "dateAgreed is required: the UTC date the customer accepted the agreement (2024-05-01T00:00:00Z).",
        );
    };
    // `YYYY-MM-DD` compares as text; a date after today is refused, as the service does.
    if day > crate::entra::today().as_str() {
        return fault_response(
            StatusCode::BAD_REQUEST,
            600002,
            "Date of agreement cannot be greater than the current date.",
        );
    }
    let mut db = lock(&state.db);
    if db.customer(&id).is_none() {
        return not_found("Customer", &id);
    }
    // The service derives the type from the template, and records its id as it lists it.
    agreement.agreement_type = template.agreement_type;
    agreement.template_id = template.template_id;
    agreement.user_id = Some(caller.user_id());
    let confirmed = db
        .areas
        .get::<AgreementsState>()
        .confirmed
        .entry(id)
        .or_default();
    if confirmed.iter().any(|a| {
        a.template_id == agreement.template_id && a.primary_contact == agreement.primary_contact
    }) {
        let mut fault = ApiFault::new(
            600061,
            "A partner confirmed agreement already exists for the customer.",
        );
        fault.error_name = Some("PartnerConfirmedAgreementAlreadyExists".to_owned());
        fault.is_retryable = Some(false);
        return (StatusCode::CONFLICT, Json(fault)).into_response();
    }
    confirmed.push(agreement.clone());
    (StatusCode::CREATED, Json(agreement)).into_response()
}
