//! `configure` jobs: accepted at once (202), run after a phase, all or nothing; a
//! request repeated with the same `client-request-id` is answered with its first job.
//! What a job checks and writes is in `rules.rs`.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use partner_center_models::product_ingestion::{DEFAULT_SCHEMA_VERSION, schema_url};

use super::rules::run;
use super::{GraphCaller, ProductIngestionState, bad, not_found, pi_error};
use crate::entra::{now_ms, now_timestamp};
use crate::{AppState, Config, lock};

/// The most jobs kept: the oldest completed ones go first.
const MAX_JOBS: usize = 1000;
const NEVER: &str = "0001-01-01T00:00:00";

/// A job: what it was asked, when, and once run what came of it.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Job {
    pub(super) id: String,
    request_id: Option<String>,
    created_ms: u64,
    start: String,
    step_ms: u64,
    resources: Vec<Value>,
    /// Once run: succeeded, failed or cancelled; the errors; the resources written.
    outcome: Option<(String, Vec<Value>, Vec<Value>)>,
    end: Option<String>,
}

impl Job {
    /// Its `configure-status`.
    pub(super) fn status(&self) -> partner_center_models::product_ingestion::ConfigureStatus {
        let (status, result, errors) = match &self.outcome {
            Some((result, errors, _)) => ("completed", result.as_str(), errors.clone()),
            None if now_ms().saturating_sub(self.created_ms) >= self.step_ms / 2 => {
                ("running", "pending", Vec::new())
            }
            None => ("notStarted", "pending", Vec::new()),
        };
        serde_json::from_value(json!({
            "$schema": schema_url("configure-status", DEFAULT_SCHEMA_VERSION), "jobId": self.id, "jobStatus": status, "jobResult": result,
            "jobStart": self.start, "jobEnd": self.end.as_deref().unwrap_or(NEVER), "errors": errors,
        }))
        .unwrap_or_else(|_| {
            partner_center_models::product_ingestion::ConfigureStatus::new(
                &self.id,
                partner_center_models::product_ingestion::JobStatus::Running,
                partner_center_models::product_ingestion::JobResult::Pending,
            )
        })
    }

    /// Its `configure-detail`: the resources it wrote, with their durable ids.
    pub(super) fn detail(&self) -> Value {
        let written = self
            .outcome
            .as_ref()
            .map(|(_, _, w)| w.clone())
            .unwrap_or_default();
        json!({"$schema": schema_url("configure-detail", DEFAULT_SCHEMA_VERSION), "resources": written})
    }
}

/// Runs the jobs whose phase has passed, oldest first.
pub(super) fn settle(area: &mut ProductIngestionState, _config: &Config) {
    let now = now_ms();
    for i in 0..area.jobs.len() {
        let due = area.jobs[i].outcome.is_none()
            && now.saturating_sub(area.jobs[i].created_ms) >= area.jobs[i].step_ms;
        if !due {
            continue;
        }
        let resources = area.jobs[i].resources.clone();
        let mut work = area.offers.clone();
        let mut next = area.next_submission;
        let outcome = match run(&mut work, &mut next, &resources) {
            Ok(written) => {
                area.offers = work;
                area.next_submission = next;
                ("succeeded".to_owned(), Vec::new(), written)
            }
            Err(errors) => ("failed".to_owned(), errors, Vec::new()),
        };
        area.jobs[i].outcome = Some(outcome);
        area.jobs[i].end = Some(now_timestamp());
    }
}

/// `POST configure`: 202 and the job, or 400 when the body is not a configure request.
pub(super) async fn configure(
    State(state): State<AppState>,
    _caller: GraphCaller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let schema_error = |message: &str| {
        pi_error(
            StatusCode::BAD_REQUEST,
            "badRequest",
            "Invalid configuration: schema validation failed",
            vec![json!({"code": "schemaValidationError", "message": message})],
        )
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return schema_error("The body is not JSON.");
    };
    let configure_schema = request["$schema"]
        .as_str()
        .and_then(partner_center_models::product_ingestion::schema_parts)
        .is_some_and(|(kind, _)| kind == "configure");
    if !configure_schema {
        return schema_error(
            "$schema must be a configure schema (https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2).",
        );
    }
    let resources = match request["resources"].as_array() {
        Some(r) if !r.is_empty() && r.iter().all(Value::is_object) => r.clone(),
        _ => return schema_error("resources must be an array of at least one resource object."),
    };
    let request_id = headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut db = lock(&state.db);
    let area = db.areas.get::<ProductIngestionState>();
    // The same request again (a retry): its first job. Another body under the same id
    // is a new job.
    if let Some(first) = request_id.as_ref().and_then(|id| {
        area.jobs
            .iter()
            .find(|j| j.request_id.as_ref() == Some(id) && j.resources == resources)
    }) {
        return (StatusCode::ACCEPTED, Json(first.status())).into_response();
    }
    if area.jobs.len() >= MAX_JOBS {
        if let Some(oldest) = area.jobs.iter().position(|j| j.outcome.is_some()) {
            area.jobs.remove(oldest);
        }
    }
    let step = state.config.submission_step.max(Duration::from_millis(2));
    let job = Job {
        id: uuid::Uuid::new_v4().to_string(),
        request_id,
        created_ms: now_ms(),
        start: now_timestamp(),
        step_ms: u64::try_from(step.as_millis()).unwrap_or(u64::MAX),
        resources,
        outcome: None,
        end: None,
    };
    let status = job.status();
    area.jobs.push(job);
    (StatusCode::ACCEPTED, Json(status)).into_response()
}

/// `POST configure/{job}/cancel`.
pub(super) async fn cancel(
    State(state): State<AppState>,
    _caller: GraphCaller,
    Path(id): Path<String>,
) -> Response {
    let mut db = lock(&state.db);
    let area = db.areas.get::<ProductIngestionState>();
    settle(area, &state.config);
    let Some(job) = area.jobs.iter_mut().find(|j| j.id == id) else {
        return not_found(&format!("Job {id}"));
    };
    if job.outcome.is_some() {
        return bad("Cannot cancel job, job has already completed.");
    }
    job.outcome = Some(("cancelled".to_owned(), Vec::new(), Vec::new()));
    job.end = Some(now_timestamp());
    Json(job.status()).into_response()
}
