//! Policies and training over the API: each policy's status, versions and who acknowledged
//! it; each training module and who passed it.

use std::sync::Arc;

use attest_app::PolicyDetail;
use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use serde_json::{Value, json};

use crate::auth::{Member, ViewPeople, ViewProgram};
use crate::error::WebError;
use crate::state::AppState;

/// `GET /api/v1/orgs/{org}/policies`.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Json<Value>, WebError> {
    let policies = state
        .app
        .policies(&m.membership.org, Utc::now().date_naive())
        .await?;
    Ok(Json(json!({ "policies": policies })))
}

/// `GET /api/v1/orgs/{org}/policies/{id}`: versions, the published text, acceptance.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<PolicyDetail>, WebError> {
    Ok(Json(
        state
            .app
            .policy_detail(&m.membership.org, &id, Utc::now().date_naive())
            .await?,
    ))
}

/// `GET /api/v1/orgs/{org}/training`: every module and how many of its people passed it.
pub(crate) async fn training(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
) -> Result<Json<Value>, WebError> {
    let modules = state
        .app
        .training(&m.membership.org, Utc::now().date_naive())
        .await?;
    Ok(Json(json!({ "training": modules })))
}
