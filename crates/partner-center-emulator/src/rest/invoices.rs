//! Invoices and reconciliation line items.
//!
//! Shapes and semantics: get-a-collection-of-invoices.md, get-invoice-by-id.md,
//! get-invoice-summaries.md, get-the-reseller-s-current-account-balance.md,
//! get-invoice-statement.md, get-invoiceline-items.md and
//! get-invoice-unbilled-recon-lineitems.md. The emulator has one billed invoice, last
//! month's (`G<yyyy><mm>0001`, one-time, USD), whose `OneTimeInvoiceLineItem`s are
//! generated from a fixed seed when read (`billing_line_items` of them: a page costs the
//! same at any offset, and millions cost no memory); and the current period's unbilled
//! line items, one per new-commerce purchase the customers hold and one credit per
//! cancellation. Line items are seek-paged as the docs show: `size` (at most 2000), a
//! `continuationToken`, and a `links.next` ending in `seekOperation=Next` whose
//! `MS-ContinuationToken` header carries the token. Legacy (`office`, `azure`) and usage
//! line items are empty lists: the emulator bills no legacy or metered services. The
//! invoice, the summaries and the PDF need App+User credentials, as the docs say.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_center_models::Link;
use serde_json::{Value, json};

use super::{AppPlusUser, Caller, Params, decode_token, encode_token, fault_response};
use crate::billing::{Period, cents, last_month, pdf, seeded_item, seeded_total, unbilled_items};
use crate::{AppState, lock};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/invoices", get(list_invoices))
        .route("/v1/invoices/summary", get(summary))
        .route("/v1/invoices/summaries", get(summaries))
        .route("/v1/invoices/unbilled/lineitems", get(unbilled))
        .route("/v1/invoices/{id}", get(get_invoice))
        .route("/v1/invoices/{id}/lineitems", get(billed))
        .route(
            "/v1/invoices/{id}/lineitems/{provider}/{kind}",
            get(billed_by_path),
        )
        .route("/v1/invoices/{id}/documents/statement", get(statement))
}

/// The most line items a page holds (get-invoiceline-items.md: `size`, 2000 at most).
const MAX_PAGE: u64 = 2000;

fn invalid(why: &str) -> Response {
    fault_response(StatusCode::BAD_REQUEST, 800002, why)
}

/// The list asked for by query: `provider` and `invoicelineitemtype`, as given (the
/// docs write both `invoicelineitemtype` and `invoiceLineItemType`).
fn list_of(params: &Params) -> Result<(&str, &str), Response> {
    match (params.get("provider"), params.get("invoicelineitemtype")) {
        (Some(provider), Some(kind)) => Ok((provider, kind)),
        _ => Err(invalid("Give provider and invoicelineitemtype.")),
    }
}

/// Which list a request reads: a provider and a line-item type, normalised.
fn line_kind(provider: &str, kind: &str) -> Result<(&'static str, &'static str), Response> {
    let provider = match provider.to_ascii_lowercase().replace('_', "").as_str() {
        "onetime" => "onetime",
        "office" => "office",
        "azure" => "azure",
        "marketplace" => "marketplace",
        "all" => "all",
        _ => {
            return Err(invalid(
                "provider must be onetime, office, azure, marketplace or all.",
            ));
        }
    };
    let kind = match kind.to_ascii_lowercase().replace('_', "").as_str() {
        "billinglineitems" => "billinglineitems",
        "usagelineitems" => "usagelineitems",
        _ => {
            return Err(invalid(
                "invoicelineitemtype must be billinglineitems or usagelineitems.",
            ));
        }
    };
    Ok((provider, kind))
}

/// One seek page of `total` items, `item(i)` each, from the token's offset.
fn seek_page(
    list: &str,
    self_uri: &str,
    params: &Params,
    headers: &HeaderMap,
    total: u64,
    item: impl Fn(u64, &mut String),
) -> Response {
    let size = match page_size(params) {
        Ok(size) => size,
        Err(refusal) => return refusal,
    };
    let next = params
        .get("seekoperation")
        .is_some_and(|s| s.eq_ignore_ascii_case("next"));
    let start = if next {
        let token = headers
            .get("ms-continuationtoken")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        match decode_token(list, token) {
            Some(offset) => offset,
            None => {
                return invalid(
                    "The continuation token is missing or is not one this list gave: start the list again.",
                );
            }
        }
    } else {
        0
    };
    let end = start.saturating_add(size).min(total);
    let first = start.min(total);
    // The page is written as text: a million seeded items are served at the speed of a
    // string, not of a JSON tree per item.
    let mut body = String::with_capacity(((end - first) as usize).saturating_mul(1600) + 512);
    body.push_str(&format!("{{\"totalCount\":{},\"items\":[", end - first));
    for i in first..end {
        if i > first {
            body.push(',');
        }
        item(i, &mut body);
    }
    body.push_str("],");
    let mut links = json!({"self": Link::new(self_uri.to_owned())});
    if end < total {
        let token = encode_token(list, end);
        let base = self_uri.split("&seekOperation").next().unwrap_or(self_uri);
        let mut next = Link::new(format!("{base}&seekOperation=Next"));
        next.headers = vec![partner_center_models::KeyValue {
            key: "MS-ContinuationToken".to_owned(),
            value: token.clone(),
        }];
        links["next"] = serde_json::to_value(next).unwrap_or(Value::Null);
        body.push_str(&format!("\"continuationToken\":{},", Value::from(token)));
    }
    body.push_str(&format!(
        "\"links\":{links},\"attributes\":{{\"objectType\":\"Collection\"}}}}"
    ));
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `size`: 1 to 2000, 2000 when absent.
fn page_size(params: &Params) -> Result<u64, Response> {
    match params.get("size").map(str::parse::<u64>) {
        None => Ok(MAX_PAGE),
        Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(invalid("size must be between 1 and 2000.")),
    }
}

fn empty(self_uri: &str) -> Response {
    Json(
        json!({"totalCount": 0, "items": [], "links": {"self": Link::new(self_uri.to_owned())},
        "attributes": {"objectType": "Collection"}}),
    )
    .into_response()
}

/// The invoice, as listed or read by id.
fn invoice(state: &AppState, period: &Period) -> Value {
    let id = &period.invoice;
    let total = seeded_total(state.config.billing_line_items);
    let detail = |provider: &str, path: &str| {
        json!({"invoiceLineItemType": "billing_line_items", "billingProvider": provider,
            "links": {"self": Link::new(format!("/invoices/OneTime-{id}/lineitems/{path}/BillingLineItems"))},
            "attributes": {"objectType": "InvoiceDetail"}})
    };
    json!({
        "id": id,
        "invoiceDate": format!("{}T00:00:00Z", period.last),
        "billingPeriodStartDate": format!("{}T00:00:00Z", period.first),
        "billingPeriodEndDate": format!("{}T00:00:00Z", period.last),
        "totalCharges": cents_number(total),
        "paidAmount": 0,
        "currencyCode": "USD",
        "currencySymbol": "$",
        "pdfDownloadLink": format!("/invoices/{id}/documents/statement"),
        "invoiceDetails": [detail("one_time", "OneTime")],
        "documentType": "invoice",
        "invoiceType": "OneTime",
        "links": {"self": Link::new(format!("/invoices/OneTime-{id}"))},
        "attributes": {"objectType": "Invoice"}
    })
}

/// Cents as a JSON number with two decimals at most (`1250` cents → `12.5`).
fn cents_number(c: u64) -> Value {
    if c % 100 == 0 {
        json!(c / 100)
    } else {
        json!((c as f64) / 100.0)
    }
}

/// The invoice id a path names: `G…`, or `OneTime-G…` as the invoice's own links write it.
fn known(period: &Period, id: &str) -> bool {
    let id = id.rsplit('-').next().unwrap_or(id);
    id.eq_ignore_ascii_case(&period.invoice)
}

fn invoice_not_found(id: &str) -> Response {
    fault_response(
        StatusCode::NOT_FOUND,
        1000,
        &format!("Invoice {id} was not found."),
    )
}

async fn list_invoices(
    State(state): State<AppState>,
    _caller: Caller,
    RawQuery(q): RawQuery,
) -> Response {
    let params = Params::parse(q.as_deref());
    let (Ok(offset), Ok(size)) = (
        params.get("offset").map_or(Ok(0), str::parse::<u64>),
        params.get("size").map_or(Ok(200), str::parse::<u64>),
    ) else {
        return invalid("offset and size must be whole numbers.");
    };
    let items = if offset == 0 {
        vec![invoice(&state, &last_month())]
    } else {
        Vec::new()
    };
    Json(json!({"totalCount": items.len(), "items": items,
        "links": {"self": Link::new(format!("/invoices?size={size}&offset={offset}"))},
        "attributes": {"objectType": "Collection"}}))
    .into_response()
}

async fn get_invoice(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
) -> Response {
    let period = last_month();
    if !known(&period, &id) {
        return invoice_not_found(&id);
    }
    Json(invoice(&state, &period)).into_response()
}

/// The balance: last month's invoice is unpaid.
fn balance(state: &AppState) -> Value {
    let period = last_month();
    let date = format!("{}T00:00:00Z", period.last);
    let amount = cents_number(seeded_total(state.config.billing_line_items));
    let summary = |with_details: bool| {
        let mut s = json!({"balanceAmount": amount, "currencyCode": "USD", "currencySymbol": "$",
            "accountingDate": date, "firstInvoiceCreationDate": date,
            "lastPaymentDate": "0001-01-01T00:00:00", "lastPaymentAmount": 0,
            "latestInvoiceDate": date, "attributes": {"objectType": "InvoiceSummary"}});
        if with_details {
            s["details"] = json!([{"invoiceType": "OneTime", "summary": s.clone()}]);
            s["links"] = json!({"self": Link::new("/invoices/summary".to_owned())});
        }
        s
    };
    summary(true)
}

async fn summary(State(state): State<AppState>, _caller: Caller) -> Response {
    Json(balance(&state)).into_response()
}

async fn summaries(State(state): State<AppState>, _caller: AppPlusUser) -> Response {
    Json(json!({"totalCount": 1, "items": [balance(&state)],
        "links": {"self": Link::new("/invoices/summaries".to_owned())},
        "attributes": {"objectType": "Collection"}}))
    .into_response()
}

/// Billed line items of an invoice, by query (`?provider=&invoicelineitemtype=`).
async fn billed(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(q.as_deref());
    let (provider, kind) = match list_of(&params) {
        Ok(list) => list,
        Err(refusal) => return refusal,
    };
    billed_items(&state, &id, provider, kind, &params, &headers)
}

/// The same, by path (`/lineitems/OneTime/BillingLineItems`).
async fn billed_by_path(
    State(state): State<AppState>,
    _caller: Caller,
    Path((id, provider, kind)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(q.as_deref());
    billed_items(&state, &id, &provider, &kind, &params, &headers)
}

fn billed_items(
    state: &AppState,
    id: &str,
    provider: &str,
    kind: &str,
    params: &Params,
    headers: &HeaderMap,
) -> Response {
    let period = last_month();
    if !known(&period, id) {
        return invoice_not_found(id);
    }
    let (provider, kind) = match line_kind(provider, kind) {
        Ok(k) => k,
        Err(refusal) => return refusal,
    };
    let size = match page_size(params) {
        Ok(size) => size,
        Err(refusal) => return refusal,
    };
    let self_uri = format!(
        "/invoices/{}/lineitems?provider={provider}&invoicelineitemtype={kind}&size={size}",
        period.invoice
    );
    if provider != "onetime" || kind != "billinglineitems" {
        return empty(&self_uri);
    }
    let partner = state.config.tenant_id.clone();
    seek_page(
        &period.invoice,
        &self_uri,
        params,
        headers,
        state.config.billing_line_items,
        |i, out| seeded_item(&partner, &period, i, out),
    )
}

/// Unbilled line items: `?provider=onetime&invoicelineitemtype=billinglineitems
/// &currencycode=usd&period=current|previous&size=`.
async fn unbilled(
    State(state): State<AppState>,
    _caller: Caller,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(q.as_deref());
    let (provider, kind) = match list_of(&params) {
        Ok(list) => list,
        Err(refusal) => return refusal,
    };
    let (provider, kind) = match line_kind(provider, kind) {
        Ok(k) => k,
        Err(refusal) => return refusal,
    };
    if provider != "onetime" {
        return invalid("Unbilled line items are listed for provider onetime only.");
    }
    let Some(currency) = params
        .get("currencycode")
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
    else {
        return invalid("Give currencycode, the billing currency's three letters (e.g. usd).");
    };
    let period = match params.get("period").map(str::to_ascii_lowercase).as_deref() {
        Some("current") => "current",
        Some("previous") => "previous",
        _ => return invalid("period must be current or previous."),
    };
    let size = match page_size(&params) {
        Ok(size) => size,
        Err(refusal) => return refusal,
    };
    let self_uri = format!(
        "/invoices/unbilled/lineitems?provider={provider}&invoicelineitemtype={kind}&currencycode={currency}&period={period}&size={size}"
    );
    // Everything before this month was invoiced; the emulator bills in USD only.
    if period == "previous" || kind != "billinglineitems" || !currency.eq_ignore_ascii_case("usd") {
        return empty(&self_uri);
    }
    let items = {
        let db = lock(&state.db);
        unbilled_items(&db, &state.config.tenant_id)
    };
    let total = items.len() as u64;
    seek_page(
        "unbilled-current",
        &self_uri,
        &params,
        &headers,
        total,
        |i, out| out.push_str(&items[i as usize].to_string()),
    )
}

/// The statement PDF (get-invoice-statement.md: the bytes, `application/pdf`, named by
/// `Content-Disposition`).
async fn statement(
    State(state): State<AppState>,
    _caller: AppPlusUser,
    Path(id): Path<String>,
) -> Response {
    let period = last_month();
    if !known(&period, &id) {
        return invoice_not_found(&id);
    }
    let total = cents(seeded_total(state.config.billing_line_items) as i64);
    let pdf = pdf(&[
        &format!("Invoice {}", period.invoice),
        &format!("Billing period {} to {}", period.first, period.last),
        &format!("Total USD {total}"),
        "Issued by the Partner Center emulator: not a real invoice.",
    ]);
    let mut response = (StatusCode::OK, pdf).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=Invoice_{}.pdf",
        period.invoice
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
