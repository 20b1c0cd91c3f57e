//! The people register over the API: the roster, one person's checklist, imports, recorded
//! checklist steps, and user access reviews.

use std::sync::Arc;

use attest_app::{NewStep, PersonDetail, PersonView, RosterImport};
use attest_core::ChecklistItem;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{ManagePeople, Member, ViewPeople};
use crate::error::WebError;
use crate::pages::people::read_roster_upload;
use crate::state::AppState;

/// `GET /api/v1/orgs/{org}/people`: everyone, with checklist progress.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
) -> Result<Json<Value>, WebError> {
    let people: Vec<PersonView> = state
        .app
        .people(&m.membership.org, Utc::now().date_naive())
        .await?;
    Ok(Json(json!({ "people": people })))
}

/// `GET /api/v1/orgs/{org}/people/{id}`: one person (by id or email) and their checklist.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<PersonDetail>, WebError> {
    Ok(Json(
        state
            .app
            .person_detail(&m.membership.org, &id, Utc::now().date_naive())
            .await?,
    ))
}

/// `POST /api/v1/orgs/{org}/people/import`: multipart `file` (CSV or XLSX) with optional
/// `map` fields (`COLUMN=FIELD`), or `from_evidence=1`.
pub(crate) async fn import(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    form: Multipart,
) -> Result<Json<RosterImport>, WebError> {
    let upload = read_roster_upload(form).await?;
    let org = &m.membership.org;
    let actor = m.principal.actor();
    let report = match upload.file {
        _ if upload.from_evidence => state.app.import_people_from_evidence(org, &actor).await?,
        Some((name, bytes)) => {
            state
                .app
                .import_people(org, &actor, &name, bytes, &upload.map)
                .await?
        }
        None => {
            return Err(WebError::bad_request(
                "send the HR export as the multipart field `file`, or `from_evidence=1`",
            ));
        }
    };
    Ok(Json(report))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepPost {
    item: ChecklistItem,
    status: Option<attest_core::ItemStatus>,
    completed_on: Option<chrono::NaiveDate>,
    provider: Option<String>,
    reference: Option<String>,
    evidence_id: Option<String>,
    #[serde(default)]
    note: String,
}

/// `POST /api/v1/orgs/{org}/people/{id}/checklist`: records a step.
pub(crate) async fn record_step(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    Path((_, id)): Path<(String, String)>,
    Json(post): Json<StepPost>,
) -> Result<Json<Value>, WebError> {
    let record = state
        .app
        .record_checklist_step(
            &m.membership.org,
            &m.principal.actor(),
            &id,
            post.item,
            NewStep {
                status: post.status,
                completed_on: post.completed_on,
                provider: post.provider,
                reference: post.reference,
                evidence_id: post.evidence_id,
                note: post.note,
            },
        )
        .await?;
    Ok(Json(json!({
        "id": record.id,
        "item": record.item,
        "status": record.status,
        "completed_on": record.completed_on,
        "recorded_by": record.recorded_by,
        "recorded_at": record.recorded_at,
        "ledger_index": record.ledger_index,
    })))
}

/// `GET /api/v1/orgs/{org}/access-reviews`: every campaign, newest first.
pub(crate) async fn access_reviews(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
) -> Result<Json<Value>, WebError> {
    let reviews = state
        .app
        .access_reviews(&m.membership.org, Utc::now().date_naive())
        .await?;
    Ok(Json(json!({ "access_reviews": reviews })))
}

/// `GET /api/v1/orgs/{org}/access-reviews/{id}`: one campaign with its groups and accounts.
pub(crate) async fn access_review(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<attest_app::AccessReviewDetail>, WebError> {
    Ok(Json(
        state
            .app
            .access_review(&m.membership.org, &id, Utc::now().date_naive())
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionPost {
    /// The account, or the item's id.
    account: String,
    decision: attest_core::AccessDecision,
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/orgs/{org}/access-reviews/{id}/decisions`: a reviewer's decision.
pub(crate) async fn decide_access(
    State(state): State<Arc<AppState>>,
    m: Member<crate::auth::ReviewAccess>,
    Path((_, id)): Path<(String, String)>,
    Json(post): Json<DecisionPost>,
) -> Result<Json<attest_app::AccessItemView>, WebError> {
    Ok(Json(
        state
            .app
            .decide_access(
                &m.membership.org,
                &m.principal.user.email,
                m.membership
                    .role
                    .allows(attest_core::Permission::ManagePeople),
                &id,
                &post.account,
                post.decision,
                &post.reason,
            )
            .await?,
    ))
}
