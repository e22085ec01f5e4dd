//! Microsoft Graph under `/v1.0`, the parts the SDK calls: one file per area (the partner
//! billing reports); here what they share: the caller check (a token for Graph) and
//! Graph's error shape.

include!(concat!(env!("OUT_DIR"), "/graph_areas.rs"));

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::json;

use crate::AppState;
use crate::auth::{Denied, bearer_claims};
use crate::entra::GRAPH;

pub(crate) use gdap::{Unapproved, activate};

pub(crate) fn routes() -> Router<AppState> {
    area_routes()
}

/// Graph's error: `{"error": {"code", "message", "innerError": {"date"}}}`.
pub(crate) fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"error": {"code": code, "message": message,
        "innerError": {"date": format!("{}T00:00:00", crate::entra::today())}}});
    (status, Json(body)).into_response()
}

/// A caller with a token for Microsoft Graph from the registered application.
pub(crate) struct GraphCaller {
    /// The signed-in user (`upn`), on App+User tokens.
    pub(crate) user: Option<String>,
    /// The application (`appid`).
    pub(crate) app: Option<String>,
}

impl FromRequestParts<AppState> for GraphCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let claims = bearer_claims(parts, state, &[GRAPH]).map_err(|denied| match denied {
            Denied::NoBearer => graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "Access token is empty.",
            ),
            Denied::Invalid(e) => graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                &format!("Access token validation failure: {e}."),
            ),
            Denied::Audience(aud) => graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                &format!("Access token validation failure. Invalid audience {aud}: a token for {GRAPH} is needed."),
            ),
            Denied::UnknownApp => graph_error(
                StatusCode::FORBIDDEN,
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation: the application is not registered with this partner.",
            ),
        })?;
        let text = |name: &str| claims[name].as_str().map(str::to_owned);
        Ok(GraphCaller {
            user: text("scp").and(text("upn")),
            app: text("appid").or_else(|| text("azp")),
        })
    }
}
