//! `/api/v1`: the JSON API, covering what the pages do. Authenticated by a personal API token
//! (`Authorization: Bearer attest_…`) or a browser session (with the `X-CSRF-Token` header on
//! writes). Errors are `{"error": {"code", "message"}}`; the OpenAPI document describes it all.

pub(crate) mod people;
pub(crate) mod policies;
pub(crate) mod registers;

use std::sync::Arc;

use attest_app::{ControlUpdate, NewTask, OwnerChange, TaskUpdate};
use attest_core::{ControlId, ControlStatus, CriterionId, Email, TaskStatus};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::{
    Comment, EditControls, ManageMembers, ManageTasks, Member, OpenOrg, Session, ViewAuditLog,
    ViewProgram, WorkOwnTasks,
};
use crate::error::WebError;
use crate::state::AppState;

/// The OpenAPI 3.1 document, kept beside the handlers it describes.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The OpenAPI 3.1 document of this API.
pub(crate) async fn openapi(_: Session) -> Response {
    let mut r = OPENAPI.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Liveness and database reachability, for load balancers. Public, and says nothing else.
pub(crate) async fn health(State(state): State<Arc<AppState>>) -> Response {
    match state.app.needs_setup().await {
        Ok(_) => Json(json!({ "status": "ok" })).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable" })),
        )
            .into_response(),
    }
}

pub(crate) async fn not_found() -> WebError {
    WebError::not_found("there is nothing at this address; check the link")
}

/// The caller and the orgs they belong to.
pub(crate) async fn me(
    State(state): State<Arc<AppState>>,
    Session(p): Session,
) -> Result<Json<Value>, WebError> {
    let memberships = state.app.memberships(&p.user).await?;
    Ok(Json(json!({
        "email": p.user.email,
        "name": p.user.name,
        "mfa_enabled": p.user.mfa_enabled,
        "orgs": memberships.iter().map(|m| json!({
            "slug": m.org.slug,
            "name": m.org.name,
            "role": m.role,
        })).collect::<Vec<_>>(),
    })))
}

pub(crate) async fn gap(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Json<attest_app::OrgGap>, WebError> {
    Ok(Json(state.app.gap(&m.membership.org).await?))
}

pub(crate) async fn criteria(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Json<Value>, WebError> {
    let gap = state.app.gap(&m.membership.org).await?;
    Ok(Json(json!({ "criteria": gap.report.criteria })))
}

fn parse_id<T: std::str::FromStr>(raw: &str, what: &str) -> Result<T, WebError> {
    raw.parse()
        .map_err(|_| WebError::not_found(format!("`{raw}` is not a {what}")))
}

pub(crate) async fn criterion(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<Value>, WebError> {
    let id: CriterionId = parse_id(&id, "criterion ID")?;
    let detail = state.app.criterion_detail(&id).await?;
    let gap = state.app.gap(&m.membership.org).await?;
    let row = gap.report.criteria.iter().find(|c| c.id == id);
    Ok(Json(json!({
        "criterion": detail,
        "status": row.map(|r| r.status),
        "readiness_percent": row.and_then(|r| r.readiness_percent),
        "controls": row.map(|r| r.controls.clone()).unwrap_or_default(),
    })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ControlsQuery {
    status: Option<ControlStatus>,
    owner: Option<Email>,
    domain: Option<String>,
    #[serde(default)]
    unowned: bool,
    #[serde(default)]
    all: bool,
}

pub(crate) async fn controls(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(q): Query<ControlsQuery>,
) -> Result<Json<Value>, WebError> {
    let filter = attest_app::ControlFilter {
        include_out_of_scope: q.all,
        status: q.status,
        owner: q.owner,
        unowned: q.unowned,
        domain: q.domain,
    };
    let controls = state.app.controls(&m.membership.org).await?;
    let shown: Vec<_> = controls.into_iter().filter(|c| filter.accepts(c)).collect();
    Ok(Json(json!({ "controls": shown })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvidenceQuery {
    control: Option<String>,
}

/// The org's evidence, newest first; `?control=ID` for what supports one control.
pub(crate) async fn evidence(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(q): Query<EvidenceQuery>,
) -> Result<Json<Value>, WebError> {
    let control = q
        .control
        .as_deref()
        .map(ControlId::parse)
        .transpose()
        .map_err(|e| WebError::bad_request(e.to_string()))?;
    let items = state
        .app
        .evidence(&m.membership.org, control.as_ref())
        .await?;
    Ok(Json(json!({ "evidence": items })))
}

/// `POST /api/v1/orgs/{org}/evidence`: a multipart upload (see
/// [`crate::pages::evidence::read_upload`] for the fields), answered with the recorded item.
pub(crate) async fn record_evidence(
    State(state): State<Arc<AppState>>,
    m: Member<EditControls>,
    form: axum::extract::Multipart,
) -> Result<(StatusCode, Json<attest_app::Evidence>), WebError> {
    let upload = crate::pages::evidence::read_upload(form, "api").await?;
    let item = state.app.add_evidence_as(&m.principal, upload).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

pub(crate) async fn evidence_content(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<axum::response::Response, WebError> {
    crate::pages::evidence::download(&state, &m.membership.org, &id).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct EvidenceDeletion {
    reason: String,
}

pub(crate) async fn delete_evidence(
    State(state): State<Arc<AppState>>,
    m: Member<crate::auth::ManageOrg>,
    Path((_, id)): Path<(String, String)>,
    Json(body): Json<EvidenceDeletion>,
) -> Result<Json<attest_app::Evidence>, WebError> {
    Ok(Json(
        state
            .app
            .delete_evidence_as(&m.principal, &id, &body.reason)
            .await?,
    ))
}

pub(crate) async fn control(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<attest_app::ControlDetail>, WebError> {
    let id: ControlId = parse_id(&id, "control ID")?;
    Ok(Json(
        state.app.control_detail(&m.membership.org, &id).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ControlPatch {
    status: Option<ControlStatus>,
    justification: Option<String>,
    /// An email, or `null` to unassign (absent leaves it).
    #[serde(default, deserialize_with = "double_option")]
    owner: Option<Option<Email>>,
    notes: Option<String>,
}

/// Tells "absent" (outer `None`) from `null` (inner `None`).
fn double_option<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub(crate) async fn update_control(
    State(state): State<Arc<AppState>>,
    m: Member<EditControls>,
    Path((_, id)): Path<(String, String)>,
    Json(patch): Json<ControlPatch>,
) -> Result<Json<attest_app::ControlView>, WebError> {
    let id: ControlId = parse_id(&id, "control ID")?;
    let update = ControlUpdate {
        status: patch.status,
        justification: patch.justification,
        owner: patch
            .owner
            .map(|o| o.map_or(OwnerChange::Clear, OwnerChange::Set)),
        notes: patch.notes,
    };
    Ok(Json(
        state
            .app
            .update_control_as(&m.principal, &id, update)
            .await?,
    ))
}

pub(crate) async fn tasks(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(
        json!({ "tasks": state.app.tasks(&m.principal).await? }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaskPost {
    title: String,
    #[serde(default)]
    detail: String,
    control: Option<ControlId>,
    owner: Option<Email>,
    due_on: Option<NaiveDate>,
}

pub(crate) async fn create_task(
    State(state): State<Arc<AppState>>,
    m: Member<ManageTasks>,
    Json(post): Json<TaskPost>,
) -> Result<(StatusCode, Json<attest_app::Task>), WebError> {
    let task = state
        .app
        .create_task(
            &m.principal,
            NewTask {
                title: post.title,
                detail: post.detail,
                control: post.control,
                owner: post.owner,
                due_on: post.due_on,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(task)))
}

#[derive(Serialize)]
struct TaskWithComments {
    #[serde(flatten)]
    task: attest_app::Task,
    comments: Vec<attest_app::Comment>,
}

pub(crate) async fn task(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<Value>, WebError> {
    let detail = state.app.task_detail(&m.principal, &id).await?;
    Ok(Json(json!(TaskWithComments {
        task: detail.task,
        comments: detail.comments,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaskPatch {
    status: Option<TaskStatus>,
    #[serde(default, deserialize_with = "double_option")]
    owner: Option<Option<Email>>,
    #[serde(default, deserialize_with = "double_option")]
    due_on: Option<Option<NaiveDate>>,
}

pub(crate) async fn update_task(
    State(state): State<Arc<AppState>>,
    m: Member<WorkOwnTasks>,
    Path((_, id)): Path<(String, String)>,
    Json(patch): Json<TaskPatch>,
) -> Result<Json<attest_app::Task>, WebError> {
    let update = TaskUpdate {
        status: patch.status,
        owner: patch.owner,
        due_on: patch.due_on,
    };
    Ok(Json(
        state.app.update_task(&m.principal, &id, update).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CommentPost {
    body: String,
}

pub(crate) async fn comment_task(
    State(state): State<Arc<AppState>>,
    m: Member<Comment>,
    Path((_, id)): Path<(String, String)>,
    Json(post): Json<CommentPost>,
) -> Result<(StatusCode, Json<attest_app::Comment>), WebError> {
    let c = state
        .app
        .comment_on_task(&m.principal, &id, &post.body)
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}

pub(crate) async fn members(
    State(state): State<Arc<AppState>>,
    m: Member<ManageMembers>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(
        json!({ "members": state.app.members(&m.principal).await? }),
    ))
}

pub(crate) async fn audit_log(
    State(state): State<Arc<AppState>>,
    m: Member<ViewAuditLog>,
) -> Result<Json<Value>, WebError> {
    let entries = state.app.audit_log(&m.membership.org, None).await?;
    Ok(Json(json!({ "entries": entries })))
}

/// `GET /api/v1/orgs/{org}/monitoring/health`: each control's health from its checks.
pub(crate) async fn monitoring_health(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Json<Value>, WebError> {
    let health = state.app.control_health(&m.membership.org).await?;
    Ok(Json(json!({ "controls": health })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct HistoryQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// `GET /api/v1/orgs/{org}/monitoring/history?from=&to=`: each monitored control's record day
/// by day (default: the last 90 days).
pub(crate) async fn monitoring_history(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<Value>, WebError> {
    let to = q.to.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let from = q.from.unwrap_or(to - chrono::Days::new(89));
    if (to - from).num_days() > 3660 {
        return Err(WebError::bad_request(
            "ask for at most ten years of history at once",
        ));
    }
    let history = state
        .app
        .health_history(&m.membership.org, from, to)
        .await?;
    Ok(Json(json!({ "from": from, "to": to, "controls": history })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct RunsQuery {
    limit: Option<u32>,
}

/// `GET /api/v1/orgs/{org}/monitoring/runs`: the latest runs, newest first.
pub(crate) async fn monitoring_runs(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    axum::extract::Query(q): axum::extract::Query<RunsQuery>,
) -> Result<Json<Value>, WebError> {
    let runs = state
        .app
        .monitor_runs(&m.membership.org, q.limit.unwrap_or(50))
        .await?;
    Ok(Json(json!({ "runs": runs })))
}

/// `POST /api/v1/orgs/{org}/monitoring/runs`: runs every pack now.
pub(crate) async fn run_monitoring(
    State(state): State<Arc<AppState>>,
    m: Member<crate::auth::EditControls>,
) -> Result<(axum::http::StatusCode, Json<Value>), WebError> {
    let runs = state
        .app
        .run_monitoring_by(&m.membership.org, &m.principal.actor())
        .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(attest_app::runs_json(&runs)),
    ))
}

/// `GET /api/v1/orgs/{org}/monitoring/runs/{id}`: one run with every result.
pub(crate) async fn monitoring_run(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<Value>, WebError> {
    let (run, results) = state.app.monitor_run(&m.membership.org, &id).await?;
    Ok(Json(json!({ "run": run, "results": results })))
}

/// `POST /api/v1/orgs/{org}/snapshots`: records an export (multipart: `kind`, `file`, and
/// optionally `system`, `map` (repeatable `COLUMN=FIELD`), `two_factor_disabled`, `admins`) as
/// a snapshot, for a pipeline that exports from a system and hands the file to Attest.
pub(crate) async fn collect_snapshot(
    State(state): State<Arc<AppState>>,
    m: Member<crate::auth::ManageOrg>,
    mut form: axum::extract::Multipart,
) -> Result<(StatusCode, Json<attest_app::Collected>), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::bad_request(format!("the upload could not be read ({e})"))
    };
    let (mut kind, mut system, mut map) = (None, None, Vec::new());
    let (mut file, mut two_factor_disabled, mut admins) = (None, None, None);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("export").to_owned();
                file = Some((file_name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            "two_factor_disabled" => {
                two_factor_disabled = Some(field.bytes().await.map_err(bad)?.to_vec())
            }
            "admins" => admins = Some(field.bytes().await.map_err(bad)?.to_vec()),
            "kind" => kind = Some(field.text().await.map_err(bad)?.trim().to_owned()),
            "system" => {
                system = Some(field.text().await.map_err(bad)?.trim().to_owned())
                    .filter(|s| !s.is_empty())
            }
            "map" => {
                let entry = field.text().await.map_err(bad)?;
                map.push(
                    attest_collect::parse_map_entry(&entry)
                        .map_err(|e| WebError::bad_request(e.to_string()))?,
                );
            }
            other => {
                return Err(WebError::bad_request(format!(
                    "unknown field `{other}`; send kind, file, system, map, two_factor_disabled or admins"
                )));
            }
        }
    }
    let Some(kind) = kind else {
        return Err(WebError::bad_request(
            "say which kind of export this is in `kind`, e.g. okta-users",
        ));
    };
    let kind: attest_collect::Kind = kind
        .parse()
        .map_err(|e: attest_collect::CollectError| WebError::bad_request(e.to_string()))?;
    let Some((file_name, content)) = file else {
        return Err(WebError::bad_request(
            "attach the export as the `file` field",
        ));
    };
    let upload = attest_app::ExportUpload {
        kind,
        system,
        file_name,
        content,
        map,
        two_factor_disabled,
        admins,
    };
    let collected = state.app.collect_upload_as(&m.principal, upload).await?;
    Ok((StatusCode::CREATED, Json(collected)))
}
