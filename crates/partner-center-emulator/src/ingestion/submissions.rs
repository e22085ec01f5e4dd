//! Submissions: create from draft instances, watch through validation and certification,
//! promote; validations, reports and workflow details.

use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use partner_center_models::ODataCollection;
use partner_center_models::ingestion::{
    CertificationReport, CertificationStatus, Submission, SubmissionCreationRequest,
    SubmissionState, SubmissionSubstate, TypeValuePair, ValidationItem, WorkflowDetail,
    WorkflowStepDetail,
};

use super::{
    BASE, IngestionCaller, ProductRecord, SubmissionRecord, error, with_product, with_submission,
};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{BASE}/products/{{id}}/submissions"),
            get(list_submissions).post(create_submission),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}"),
            get(get_submission),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/promote"),
            post(promote),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/validations"),
            get(validations),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/reports"),
            get(reports),
        )
        .route(
            &format!("{BASE}/products/{{id}}/submissions/{{sub}}/workflowdetails"),
            get(workflow),
        )
}

/// What certification checks: the listing has a description of at least 50 characters
/// and a title; a forced failure (`fail_certification`) fails it regardless.
fn certify(
    r: &ProductRecord,
    request: &SubmissionCreationRequest,
    forced: bool,
) -> Option<Vec<ValidationItem>> {
    let mut items = Vec::new();
    for res in request
        .resources
        .iter()
        .filter(|t| t.kind.eq_ignore_ascii_case("Listing"))
    {
        for l in r.listings.get(&res.value).into_iter().flatten() {
            if l.description.as_deref().unwrap_or_default().chars().count() < 50 {
                items.push(validation(
                    "LST-0021",
                    &format!("Listing/{}", res.value),
                    "The listing description must be at least 50 characters long.",
                ));
            }
            if l.title.as_deref().unwrap_or_default().trim().is_empty() {
                items.push(validation(
                    "LST-0001",
                    &format!("Listing/{}", res.value),
                    "The listing needs a title.",
                ));
            }
        }
    }
    if forced {
        items.push(validation(
            "CRT-9999",
            "Product",
            "Certification failed (forced by the emulator's fail_certification setting).",
        ));
    }
    (!items.is_empty()).then_some(items)
}

fn validation(code: &str, resource: &str, message: &str) -> ValidationItem {
    let mut v = ValidationItem::default();
    v.error_code = Some(code.to_owned());
    v.severity = Some("Error".to_owned());
    v.message = Some(message.to_owned());
    v.resource = Some(resource.to_owned());
    v
}

/// The submission as it is now: the lifecycle advances one phase per `step`.
fn view(rec: &SubmissionRecord, step: Duration) -> Submission {
    let steps = |since: Instant| (since.elapsed().as_millis() / step.as_millis().max(1)) as u64;
    let n = steps(rec.created);
    let live = rec
        .submission
        .target()
        .is_some_and(|t| t.eq_ignore_ascii_case("Live"));
    let (state, substate) = match (n, &rec.fails, rec.promoted) {
        (0, _, _) => (SubmissionState::InProgress, SubmissionSubstate::InDraft),
        (1..=2, _, _) => (SubmissionState::InProgress, SubmissionSubstate::Submitted),
        (_, Some(_), _) => (
            SubmissionState::InProgress,
            SubmissionSubstate::FailedInCertification,
        ),
        (_, None, Some(p)) if steps(p) >= 2 => {
            (SubmissionState::Published, SubmissionSubstate::Published)
        }
        (_, None, Some(_)) => (SubmissionState::InProgress, SubmissionSubstate::Publishing),
        (3..=4, None, None) if live => {
            (SubmissionState::InProgress, SubmissionSubstate::Publishing)
        }
        (_, None, None) if live => (SubmissionState::Published, SubmissionSubstate::Published),
        (_, None, None) => (
            SubmissionState::InProgress,
            SubmissionSubstate::ReadyToPublish,
        ),
    };
    let mut s = rec.submission.clone();
    s.state = Some(state);
    s.substate = Some(substate);
    s.are_resources_ready = Some(true);
    s
}

async fn list_submissions(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
) -> Response {
    let step = state.config.submission_step;
    with_product(&state, &id, |r| {
        let all: Vec<Submission> = r.submissions.iter().map(|s| view(s, step)).collect();
        Json(ODataCollection::new(all, None)).into_response()
    })
}

async fn create_submission(
    State(state): State<AppState>,
    _c: IngestionCaller,
    Path(id): Path<String>,
    Json(request): Json<SubmissionCreationRequest>,
) -> Response {
    let step = state.config.submission_step;
    let forced = state
        .fail_certification
        .load(std::sync::atomic::Ordering::Relaxed);
    with_product(&state, &id, |r| {
        // The reseller configuration is no branch's: a submission names it
        // `{productID}-ResellerInstance`, as the service's clients send it.
        let reseller = format!("{}-ResellerInstance", r.product.id);
        for res in &request.resources {
            let known = if res.kind.eq_ignore_ascii_case("ResellerConfiguration") {
                res.value == reseller
            } else {
                r.branches
                    .iter()
                    .any(|b| b.current_draft_instance_id.as_deref() == Some(res.value.as_str()))
            };
            if !known {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!(
                        "{} {} is not a current draft instance of this product (read it from the branches).",
                        res.kind, res.value
                    ),
                );
            }
        }
        if r.submissions.iter().any(|s| {
            matches!(
                view(s, step).substate,
                Some(SubmissionSubstate::Submitted | SubmissionSubstate::InDraft)
            )
        }) {
            return error(
                StatusCode::CONFLICT,
                "Another submission of this product is in progress.",
            );
        }
        let mut s = Submission::default();
        s.id = (r.submissions.len() as u64 + 1).to_string();
        s.resource_type = Some("Submission".to_owned());
        s.targets = if request.targets.is_empty() {
            vec![TypeValuePair::new("Scope", "Preview")]
        } else {
            request.targets.clone()
        };
        s.resources.clone_from(&request.resources);
        s.variant_resources.clone_from(&request.variant_resources);
        s.publish_option.clone_from(&request.publish_option);
        s.release_number = Some(r.submissions.len() as i64 + 1);
        s.friendly_name = Some(format!("Submission {}", r.submissions.len() + 1));
        let fails = certify(r, &request, forced);
        let record = SubmissionRecord {
            submission: s,
            created: Instant::now(),
            fails,
            promoted: None,
        };
        let shown = view(&record, step);
        r.submissions.push(record);
        (StatusCode::CREATED, Json(shown)).into_response()
    })
}

/// A product's submission named by the path (`{id}`, `{sub}`), for a verified caller.
struct SubmissionAt {
    state: AppState,
    id: String,
    sub: String,
}

impl FromRequestParts<AppState> for SubmissionAt {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        IngestionCaller::from_request_parts(parts, state).await?;
        let Path((id, sub)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            state: state.clone(),
            id,
            sub,
        })
    }
}

impl SubmissionAt {
    /// Runs `f` on the submission, or answers 404 for a missing product or submission.
    fn with(&self, f: impl FnOnce(&mut SubmissionRecord, Duration) -> Response) -> Response {
        with_submission(&self.state, &self.id, &self.sub, f)
    }
}

/// Where a submission is now (InDraft until it says otherwise).
fn substate(s: &SubmissionRecord, step: Duration) -> SubmissionSubstate {
    view(s, step)
        .substate
        .unwrap_or(SubmissionSubstate::InDraft)
}

async fn get_submission(at: SubmissionAt) -> Response {
    at.with(|s, step| Json(view(s, step)).into_response())
}

async fn promote(at: SubmissionAt) -> Response {
    at.with(|s, step| {
        if substate(s, step) != SubmissionSubstate::ReadyToPublish {
            return error(
                StatusCode::CONFLICT,
                "Only a submission that is ReadyToPublish can be promoted.",
            );
        }
        s.promoted = Some(Instant::now());
        s.submission.targets = vec![TypeValuePair::new("Scope", "Live")];
        // The spec's answer: the submission's workflow details (WorkflowDetail).
        Json(workflow_detail(s, step)).into_response()
    })
}

async fn validations(at: SubmissionAt) -> Response {
    at.with(|s, step| {
        let now = substate(s, step);
        let done = now.is_terminal() || now == SubmissionSubstate::Publishing;
        let items = if done {
            s.fails.clone().unwrap_or_default()
        } else {
            Vec::new()
        };
        Json(ODataCollection::new(items, None)).into_response()
    })
}

async fn reports(at: SubmissionAt) -> Response {
    let (id, sub) = (&at.id, &at.sub);
    at.with(|s, step| {
        let substate = substate(s, step);
        let mut report = CertificationReport::default();
        report.status = Some(match (&s.fails, substate) {
            (_, SubmissionSubstate::InDraft | SubmissionSubstate::Submitted) => {
                CertificationStatus::Pending
            }
            (Some(_), _) => CertificationStatus::Failed,
            (None, _) => CertificationStatus::Passed,
        });
        report.file_uri = Some(format!("https://emulator.invalid/reports/{id}/{sub}.pdf"));
        Json(ODataCollection::new(vec![report], None)).into_response()
    })
}

async fn workflow(at: SubmissionAt) -> Response {
    at.with(|s, step| {
        Json(ODataCollection::new(vec![workflow_detail(s, step)], None)).into_response()
    })
}

/// Where a submission's workflow stands: validation, certification, publishing.
fn workflow_detail(s: &SubmissionRecord, step: Duration) -> WorkflowDetail {
    {
        let substate = substate(s, step);
        let phase = |name: &str, done: bool, running: bool, failed: bool| {
            let mut st = WorkflowStepDetail::default();
            st.name = Some(name.to_owned());
            st.state = Some(
                if failed {
                    "Failed"
                } else if done {
                    "Completed"
                } else if running {
                    "InProgress"
                } else {
                    "NotStarted"
                }
                .to_owned(),
            );
            st
        };
        use SubmissionSubstate as S;
        let certified = matches!(
            substate,
            S::ReadyToPublish | S::Publishing | S::Published | S::InStore
        );
        let mut detail = WorkflowDetail::default();
        detail.workflow_type = Some("Submission".to_owned());
        detail.target_environment = s.submission.target().map(str::to_owned);
        detail.state = Some(format!("{substate}"));
        detail.workflow_steps = vec![
            phase(
                "Validation",
                !matches!(substate, S::InDraft),
                matches!(substate, S::InDraft),
                false,
            ),
            phase(
                "Certification",
                certified,
                matches!(substate, S::Submitted),
                substate == S::FailedInCertification,
            ),
            phase(
                "Publish",
                matches!(substate, S::Published | S::InStore),
                substate == S::Publishing,
                false,
            ),
        ];
        detail
    }
}
