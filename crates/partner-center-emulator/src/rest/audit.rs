//! The audit trail: every change the emulator makes is recorded, and read back with
//! `GET /v1/auditrecords`.
//!
//! Follows developer/get-a-record-of-partner-center-activity-by-user.md (`startDate`
//! and `endDate` as `yyyy-mm-dd`, 30 days back when no start is given; a start more
//! than 90 days back is 400; one JSON `filter` on `CompanyName` (substring), `CustomerId`
//! or `ResourceType` (equals), values compared without regard to case) and
//! developer/auditing-resources.md (the record, its resource and operation types). The
//! docs show no paging for this list; the emulator pages as the SDKs read it: `size`
//! (1–500, 500 when absent, as the sample's self link), a `links.next` with the same
//! query and an `MS-ContinuationToken` header. The start date is also read in the form
//! the .NET SDK sends (`6/1/2017 12:00:00 AM`, the docs' request example).
//!
//! Changes are recorded by one middleware ([`record_changes`]) that knows which request
//! is which operation ([`OPERATIONS`]); changes no request makes (a GDAP approval) are
//! recorded with [`write`].

use std::collections::VecDeque;

use axum::body::{Body, HttpBody as _, to_bytes};
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::{
    AuditData, AuditFilter, AuditOperationStatus, AuditOperationType, AuditRecord,
    AuditResourceType, KeyValue, Link,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Caller, Params, Replayed, decode_token, encode_token, fault_response, field};
use crate::auth::bearer_claims;
use crate::entra::{GRAPH, LEGACY_GRAPH, PARTNER_CENTER, date_before, now_timestamp, today};
use crate::state::AreaState;
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/auditrecords", get(list))
}

/// The most records kept: the oldest go first (the service keeps 90 days).
const MAX_RECORDS: usize = 100_000;
/// The most records a page holds.
const MAX_PAGE: u64 = 500;
/// The largest body read to record a change.
const MAX_BODY: u64 = 1 << 20;
/// The largest new value a record keeps (larger ones are left out).
const MAX_VALUE: usize = 16 << 10;

/// The records, oldest first.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct AuditState {
    records: VecDeque<AuditRecord>,
}

impl AreaState for AuditState {
    const NAME: &'static str = "audit";

    /// The trail outlives the customer: deleting one is itself a record.
    fn remove_customer(&mut self, _customer: &str) {}
}

/// Records a change: the partner and the customer's name are filled in here.
pub(crate) fn write(state: &AppState, mut record: AuditRecord) {
    let mut db = lock(&state.db);
    if record.customer_name.is_none() {
        if let Some(id) = &record.customer_id {
            record.customer_name = name_of(&db, id);
        }
    }
    record.partner_id = Some(state.config.tenant_id.clone());
    let trail = db.areas.get::<AuditState>();
    if trail.records.len() >= MAX_RECORDS {
        trail.records.pop_front();
    }
    trail.records.push_back(record);
}

/// A customer's company name.
fn name_of(db: &crate::state::Db, id: &str) -> Option<String> {
    let c = db.customer(id)?;
    let company = c
        .company_profile
        .as_ref()
        .and_then(|p| p.company_name.clone());
    company.or_else(|| c.billing_profile.as_ref()?.company_name.clone())
}

fn customer_name(state: &AppState, id: &str) -> Option<String> {
    name_of(&lock(&state.db), id)
}

/// A change request the trail knows: its method, its path under `/v1` (`*` for an id),
/// what it acts on and what it does, and the names of its ids (`CustomerId` first) as
/// the record's `customizedData` names them.
struct Operation {
    method: Method,
    path: &'static str,
    resource: AuditResourceType,
    operation: AuditOperationType,
    ids: &'static [&'static str],
}

macro_rules! operations {
    ($($method:ident $path:literal => $resource:ident $operation:ident [$($id:literal),*]),+ $(,)?) => {
        /// The audited operations.
        const OPERATIONS: &[Operation] = &[$(Operation {
            method: Method::$method,
            path: $path,
            resource: AuditResourceType::$resource,
            operation: AuditOperationType::$operation,
            ids: &[$($id),*],
        }),+];
    };
}

operations! {
    POST "customers" => Customer AddCustomer [],
    DELETE "customers/*" => Customer DeleteCustomer ["CustomerId"],
    POST "customers/*/orders" => Order CreateOrder ["CustomerId"],
    PATCH "customers/*/orders/*" => Order UpdateOrder ["CustomerId", "OrderId"],
    POST "customers/*/carts/*/checkout" => Order CreateOrder ["CustomerId", "CartId"],
    PATCH "customers/*/subscriptions/*" => Subscription UpdateSubscription ["CustomerId", "SubscriptionId"],
    POST "customers/*/subscriptions/*/transitions" => Subscription UpgradeSubscription ["CustomerId", "SubscriptionId"],
    POST "customers/*/agreements" => Agreement CreateAgreement ["CustomerId"],
    POST "customers/*/users" => CustomerUser CreateCustomerUser ["CustomerId"],
    PATCH "customers/*/users/*" => CustomerUser UpdateCustomerUser ["CustomerId", "CustomerUserId"],
    DELETE "customers/*/users/*" => CustomerUser DeleteCustomerUser ["CustomerId", "CustomerUserId"],
    PATCH "customers/*/users/*/resetpassword" => CustomerUser ResetCustomerUserPassword ["CustomerId", "CustomerUserId"],
    POST "customers/*/users/*/licenseupdates" => License UpdateCustomerUserLicenses ["CustomerId", "CustomerUserId"],
    POST "customers/*/directoryroles/*/usermembers" => CustomerDirectoryRole AddUserMember ["CustomerId", "RoleId"],
    DELETE "customers/*/directoryroles/*/usermembers/*" => CustomerDirectoryRole RemoveUserMember ["CustomerId", "RoleId", "CustomerUserId"],
}

/// The operation of a request and its ids, when it is an audited one.
fn operation_of(method: &Method, path: &str) -> Option<(&'static Operation, Vec<String>)> {
    let rest = path.strip_prefix("/v1/")?.trim_end_matches('/');
    let segments: Vec<&str> = rest.split('/').collect();
    OPERATIONS.iter().find_map(|op| {
        let pattern: Vec<&str> = op.path.split('/').collect();
        if op.method != *method || pattern.len() != segments.len() {
            return None;
        }
        let mut ids = Vec::new();
        for (want, got) in pattern.iter().zip(&segments) {
            if *want == "*" {
                ids.push(percent_decode(got));
            } else if !want.eq_ignore_ascii_case(got) {
                return None;
            }
        }
        Some((op, ids))
    })
}

fn percent_decode(segment: &str) -> String {
    url::form_urlencoded::parse(format!("x={segment}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| segment.to_owned())
}

/// Records each successful change the REST API makes (a middleware around every route).
pub(crate) async fn record_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some((op, ids)) = operation_of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let (who, app) = bearer_claims(&parts, &state, &[PARTNER_CENTER, LEGACY_GRAPH, GRAPH])
        .map(|claims| {
            let text = |name: &str| claims[name].as_str().map(str::to_owned);
            let user = text("scp").and(text("upn"));
            (user, text("appid").or_else(|| text("azp")))
        })
        .unwrap_or_default();
    let Ok((sent, body)) = read_small(body, parts.headers.get("content-length")).await else {
        return fault_response(
            StatusCode::BAD_REQUEST,
            800002,
            "The request body could not be read whole.",
        );
    };
    // The customer's name as it was (a deletion removes it).
    let name = ids.first().and_then(|id| customer_name(&state, id));
    let response = next.run(Request::from_parts(parts, body)).await;
    if !response.status().is_success() || response.extensions().get::<Replayed>().is_some() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok((answer, body)) = read_small(body, parts.headers.get("content-length")).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let answer: Option<Value> = answer.and_then(|b| serde_json::from_slice(&b).ok());
    let sent: Option<Value> = sent.and_then(|b| serde_json::from_slice(&b).ok());

    let mut operation = op.operation.clone();
    // update-a-user and restore-a-user-for-a-customer.md share PATCH /users/{id}: a
    // restore sets the state back to active.
    if operation == AuditOperationType::UpdateCustomerUser
        && sent
            .as_ref()
            .and_then(|b| field(b, "state"))
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("active"))
    {
        operation = AuditOperationType::RestoreCustomerUser;
    }
    let mut record = AuditRecord::new(operation, now_timestamp());
    record.customer_name = name;
    record.resource_type = Some(op.resource.clone());
    record.operation_status = Some(AuditOperationStatus::Succeeded);
    record.user_principal_name = who;
    record.application_id = app;
    let mut data: Vec<AuditData> = op
        .ids
        .iter()
        .zip(&ids)
        .map(|(name, id)| AuditData::new(*name, id.clone()))
        .collect();
    record.customer_id = ids.first().cloned();
    if let Some(answer) = &answer {
        let created = answer.get("id").and_then(Value::as_str);
        match (&op.operation, created) {
            (AuditOperationType::AddCustomer, Some(id)) => {
                record.customer_id = Some(id.to_owned());
                data.push(AuditData::new("CustomerId", id));
            }
            (AuditOperationType::CreateOrder, Some(id)) => data.push(AuditData::new("OrderId", id)),
            (AuditOperationType::CreateCustomerUser, Some(id)) => {
                data.push(AuditData::new("CustomerUserId", id));
            }
            _ => {}
        }
        // A checkout's orders (CartCheckoutResult).
        let orders = answer.get("orders").and_then(Value::as_array);
        for order in orders.into_iter().flatten() {
            if let Some(id) = order.get("id").and_then(Value::as_str) {
                data.push(AuditData::new("OrderId", id));
            }
        }
        let value = without_secrets(answer.clone()).to_string();
        // A record keeps a resource, not a page of them.
        record.resource_new_value = (value.len() <= MAX_VALUE).then_some(value);
    }
    if op.operation == AuditOperationType::UpdateCustomerUserLicenses {
        data.extend(licence_changes(sent.as_ref()));
    }
    record.customized_data = Some(data);
    write(&state, record);
    Response::from_parts(parts, body)
}

/// The SKUs a licence update adds and removes, as the docs' sample names them.
fn licence_changes(sent: Option<&Value>) -> Vec<AuditData> {
    let Some(sent) = sent else {
        return Vec::new();
    };
    let mut data = Vec::new();
    for add in field(sent, "licensesToAssign")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(sku) = field(add, "skuId").and_then(Value::as_str) {
            data.push(AuditData::new("AddedLicenseSkuId", sku));
        }
    }
    for sku in field(sent, "licensesToRemove")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        data.push(AuditData::new("RemovedLicenseSkuId", sku));
    }
    data
}

/// A body read whole when it is small (its bytes, and the body to pass on); a large or
/// unsized one is passed on unread. An error when the body broke off.
async fn read_small(
    body: Body,
    length: Option<&axum::http::HeaderValue>,
) -> Result<(Option<axum::body::Bytes>, Body), ()> {
    let declared = length
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let small = declared
        .or(body.size_hint().upper())
        .is_some_and(|n| n <= MAX_BODY);
    if !small {
        return Ok((None, body));
    }
    let bytes = to_bytes(body, MAX_BODY as usize).await.map_err(|_| ())?;
    Ok((Some(bytes.clone()), Body::from(bytes)))
}

/// The value with every field whose name holds "password", "secret", "token" or
/// "credential" removed: the trail never keeps a secret.
fn without_secrets(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| {
                    let k = k.to_ascii_lowercase();
                    !["password", "secret", "token", "credential"]
                        .iter()
                        .any(|word| k.contains(word))
                })
                .map(|(k, v)| (k, without_secrets(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_secrets).collect()),
        other => other,
    }
}

fn invalid(why: &str) -> Response {
    fault_response(StatusCode::BAD_REQUEST, 800002, why)
}

/// `yyyy-mm-dd`, an RFC 3339 time, or the .NET SDK's `M/d/yyyy h:mm:ss tt`, as
/// `yyyy-mm-dd`.
fn day_of(text: &str) -> Option<String> {
    let text = text.trim();
    let iso = text.get(..10).filter(|d| {
        d.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
    });
    if let Some(day) = iso {
        return Some(day.to_owned());
    }
    let date = text.split_whitespace().next()?;
    let mut parts = date.split('/').map(str::parse::<u32>);
    let (month, day, year) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let valid =
        (1..=12).contains(&month) && (1..=31).contains(&day) && (1000..=9999).contains(&year);
    valid.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(raw.as_deref());
    let date = |name: &str| match params.get(name) {
        None => Ok(None),
        Some(text) => day_of(text).map(Some).ok_or_else(|| {
            invalid(&format!(
                "{name} must be a date, yyyy-mm-dd (it was {}).",
                super::excerpt(text, 40)
            ))
        }),
    };
    let (start, end) = match (date("startdate"), date("enddate")) {
        (Ok(start), Ok(end)) => (
            start.unwrap_or_else(|| date_before(30)),
            end.unwrap_or_else(today),
        ),
        (Err(refusal), _) | (_, Err(refusal)) => return refusal,
    };
    if start < date_before(90) {
        return invalid(&format!(
            "startDate {start} is more than 90 days ago: activity records are kept for 90 days."
        ));
    }
    let filter = match params.get("filter") {
        None => None,
        Some(text) => match AuditFilter::from_json(text) {
            Some(filter) => Some(filter),
            None => {
                return invalid(
                    "The filter must be {\"Field\":\"CompanyName\",\"Value\":…,\"Operator\":\"substring\"}, or CustomerId or ResourceType with \"equals\".",
                );
            }
        },
    };
    let size = match params.get("size").map(str::parse::<u64>) {
        None => MAX_PAGE,
        Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
        Some(_) => return invalid("size must be between 1 and 500."),
    };
    let offset = match headers
        .get("ms-continuationtoken")
        .and_then(|v| v.to_str().ok())
    {
        None => 0,
        Some(token) => match decode_token("auditrecords", token) {
            Some(offset) => offset,
            None => {
                return invalid(
                    "The continuation token is not one this list gave: start the list again.",
                );
            }
        },
    };
    let mut db = lock(&state.db);
    let trail = &db.areas.get::<AuditState>().records;
    let kept = |r: &&AuditRecord| {
        let day = r.operation_date.get(..10).unwrap_or_default();
        day >= start.as_str()
            && day <= end.as_str()
            && match &filter {
                None => true,
                Some(AuditFilter::CustomerId(id)) => r
                    .customer_id
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(id)),
                Some(AuditFilter::CompanyName(text)) => r
                    .customer_name
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().contains(&text.to_lowercase())),
                Some(AuditFilter::ResourceType(kind)) => r
                    .resource_type
                    .as_ref()
                    .is_some_and(|t| t.as_str().eq_ignore_ascii_case(kind.as_str())),
                Some(_) => false,
            }
    };
    let mut matching = trail
        .iter()
        .filter(kept)
        .skip(usize::try_from(offset).unwrap_or(usize::MAX));
    let items: Vec<AuditRecord> = matching.by_ref().take(size as usize).cloned().collect();
    let more = matching.next().is_some();
    let query = raw.unwrap_or_default();
    let self_uri = format!("/auditrecords?{query}");
    let mut links = json!({"self": Link::new(self_uri.clone())});
    let mut page = json!({"totalCount": items.len(), "items": items});
    if more {
        let token = encode_token("auditrecords", offset + items.len() as u64);
        let mut next = Link::new(self_uri);
        next.headers = vec![KeyValue {
            key: "MS-ContinuationToken".to_owned(),
            value: token.clone(),
        }];
        links["next"] = serde_json::to_value(next).unwrap_or(Value::Null);
        page["continuationToken"] = Value::from(token);
    }
    page["links"] = links;
    page["attributes"] = json!({"objectType": "Collection"});
    Json(page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_matched_to_their_operation() {
        let (op, ids) =
            operation_of(&Method::POST, "/v1/customers/c1/users/u%201/licenseupdates").unwrap();
        assert_eq!(op.operation, AuditOperationType::UpdateCustomerUserLicenses);
        assert_eq!(ids, ["c1", "u 1"]);
        assert!(operation_of(&Method::GET, "/v1/customers/c1/users").is_none());
        assert!(operation_of(&Method::POST, "/v1/customers/c1/users/u1").is_none());
        let (op, _) = operation_of(&Method::POST, "/v1/Customers").unwrap();
        assert_eq!(op.operation, AuditOperationType::AddCustomer);
    }

    #[test]
    fn dates_are_read_in_both_documented_forms() {
        assert_eq!(day_of("2026-11-02").as_deref(), Some("2026-11-02"));
        assert_eq!(
            day_of("2026-11-02T10:00:00Z").as_deref(),
            Some("2026-11-02")
        );
        assert_eq!(
            day_of("6/1/2017 12:00:00 AM").as_deref(),
            Some("2017-06-01")
        );
        assert_eq!(day_of("yesterday"), None);
        assert_eq!(day_of("13/1/2017"), None);
    }

    #[test]
    fn secrets_never_reach_the_trail() {
        let user = json!({"id": "u", "passwordProfile": {"password": "p4ss"}, "nested": [{"Password": "x", "k": 1, "clientSecret": "s", "sasToken": "t", "userCredentials": {}}]});
        assert_eq!(
            without_secrets(user),
            json!({"id": "u", "nested": [{"k": 1}]})
        );
    }
}
