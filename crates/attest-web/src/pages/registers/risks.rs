//! The risks page: the register with its inherent and residual heatmaps, adopting library
//! risks, and the annual assessment's approval.

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_core::{Email, Risk, RiskAssessment};
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, Response};
use chrono::Utc;

use super::form_fields;
use crate::auth::{ManageRegisters, Member, ViewProgram};
use crate::error::WebError;
use crate::pages::{Htmx, Layout, org_path, see_other};
use crate::state::AppState;
use crate::templates::render;

/// `GET /o/{org}/risks`.
pub(crate) async fn page(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let today = Utc::now().date_naive();
    let register = state.app.risk_register(org, today).await?;
    let catalog = attest_app::Catalog::embedded().map_err(attest_app::AppError::from)?;
    let adopted: Vec<&str> = register
        .risks
        .iter()
        .filter_map(|r| r.body.library.as_deref())
        .collect();
    let library: Vec<_> = catalog
        .risks
        .iter()
        .filter(|r| !adopted.contains(&r.id.as_str()))
        .collect();
    render(
        "risks.html",
        ctx! {
            layout => Layout::for_member(&m, "registers"),
            tab => "risks",
            risks => register.risks.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
            inherent => register.inherent.rows(),
            residual => register.residual.rows(),
            overdue => register.review_overdue,
            assessment => register.assessment.as_ref().map(|a| a.to_json()),
            last_approved_on => register.last_approved_on,
            library,
            risk_fields => form_fields::<Risk>(None),
            assessment_fields => form_fields::<RiskAssessment>(None),
            me => m.principal.user.email.to_string(),
            today,
            imported => query.get("imported"),
        },
    )
}

/// `POST /o/{org}/risks/adopt`: adds a library risk.
pub(crate) async fn adopt(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let id = form.get("library").map(String::as_str).unwrap_or_default();
    let owner = match form
        .get("owner")
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
    {
        Some(raw) => Email::parse(raw).map_err(|e| WebError::bad_request(e.to_string()))?,
        None => m.principal.user.email.clone(),
    };
    let risk = state
        .app
        .adopt_risk(
            &m.membership.org,
            &m.principal.actor(),
            id,
            owner,
            Utc::now().date_naive(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/risks/{}", risk.key)),
    ))
}

/// `POST /o/{org}/risk-assessments/{key}/approve`: the named approver approves.
pub(crate) async fn approve(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Path((_, key)): Path<(String, String)>,
) -> Result<Response, WebError> {
    state
        .app
        .approve_risk_assessment(
            &m.membership.org,
            &m.principal.actor(),
            &key,
            &m.principal.user.email,
            Utc::now(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/risk-assessments/{key}")),
    ))
}
