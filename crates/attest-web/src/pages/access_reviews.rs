//! User access reviews in the browser: the campaigns, starting one, and a campaign's page where
//! reviewers decide on their accounts, admins assign groups and track revocations, and the
//! finished campaign's report is downloaded.

use std::sync::Arc;

use attest_app::StartReview;
use attest_core::{AccessDecision, Email, Permission};
use axum::extract::{Form, Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{ManagePeople, Member, ReviewAccess, ViewPeople};
use crate::error::WebError;
use crate::forms::{date, non_empty};
use crate::state::AppState;
use crate::templates::render;

/// `GET /o/{org}/access-reviews`: the campaigns, and the systems one can be started for.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let reviews = state
        .app
        .access_reviews(org, Utc::now().date_naive())
        .await?;
    let systems = state.app.account_systems(org).await?;
    render(
        "access_reviews.html",
        ctx! {
            layout => Layout::for_member(&m, "people"),
            reviews,
            systems,
            can_manage => m.membership.role.allows(Permission::ManagePeople),
            me => m.principal.user.email.to_string(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct StartForm {
    system: String,
    owner: Option<String>,
    due_on: Option<String>,
}

/// `POST /o/{org}/access-reviews`: starts a campaign over a system's latest inventory.
pub(crate) async fn start(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Form(form): Form<StartForm>,
) -> Result<Response, WebError> {
    let owner = match non_empty(&form.owner) {
        Some(raw) => Email::parse(raw).map_err(|e| WebError::bad_request(e.to_string()))?,
        None => m.principal.user.email.clone(),
    };
    let start = StartReview {
        system: form.system.clone(),
        owner,
        due_on: date(&form.due_on, "the due date")?,
    };
    let review = state
        .app
        .start_access_review(&m.membership.org, &m.principal.actor(), start, Utc::now())
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/access-reviews/{}", review.id)),
    ))
}

/// `GET /o/{org}/access-reviews/{id}`: the campaign, its groups and accounts.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let detail = state
        .app
        .access_review(&m.membership.org, &id, Utc::now().date_naive())
        .await?;
    let role = m.membership.role;
    let me = m.principal.user.email.to_string();
    let open = detail.review.status != "completed";
    let mine = detail
        .items
        .iter()
        .filter(|i| i.reviewer.as_str() == me && i.decision.is_none())
        .count();
    render(
        "access_review.html",
        ctx! {
            layout => Layout::for_member(&m, "people"),
            r => detail.review,
            groups => detail.groups,
            items => detail.items,
            me,
            mine,
            open,
            can_manage => role.allows(Permission::ManagePeople),
            can_review => role.allows(Permission::ReviewAccess),
            decisions => AccessDecision::ALL,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct AssignForm {
    group: String,
    reviewer: String,
}

/// `POST /o/{org}/access-reviews/{id}/reviewers`: gives a group to a reviewer.
pub(crate) async fn assign(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<AssignForm>,
) -> Result<Response, WebError> {
    let reviewer =
        Email::parse(&form.reviewer).map_err(|e| WebError::bad_request(e.to_string()))?;
    state
        .app
        .assign_access_reviewer(
            &m.membership.org,
            &m.principal.actor(),
            &id,
            &form.group,
            &reviewer,
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/access-reviews/{id}")),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    item: String,
    decision: String,
    reason: Option<String>,
}

/// `POST /o/{org}/access-reviews/{id}/decisions`: a reviewer's decision on one account.
pub(crate) async fn decide(
    State(state): State<Arc<AppState>>,
    m: Member<ReviewAccess>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let decision: AccessDecision = form.decision.parse().map_err(WebError::bad_request)?;
    let item = state
        .app
        .decide_access(
            &m.membership.org,
            &m.principal.user.email,
            m.membership.role.allows(Permission::ManagePeople),
            &id,
            &form.item,
            decision,
            form.reason.as_deref().unwrap_or_default(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/access-reviews/{id}#item-{}", item.id)),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResolveForm {
    item: String,
    note: Option<String>,
}

/// `POST /o/{org}/access-reviews/{id}/remediations`: a revocation or change carried out.
pub(crate) async fn resolve(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ResolveForm>,
) -> Result<Response, WebError> {
    let item = state
        .app
        .resolve_access_change(
            &m.membership.org,
            &m.principal.actor(),
            &id,
            &form.item,
            form.note.as_deref().unwrap_or_default(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/access-reviews/{id}#item-{}", item.id)),
    ))
}

/// `POST /o/{org}/access-reviews/{id}/complete`: finishes the campaign.
pub(crate) async fn complete(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    state
        .app
        .complete_access_review(&m.membership.org, &m.principal.actor(), &id, Utc::now())
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/access-reviews/{id}")),
    ))
}

/// `GET /o/{org}/access-reviews/{id}/report.csv`: who reviewed what, when, what changed.
pub(crate) async fn report(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (name, csv) = state
        .app
        .access_review_report(&m.membership.org, &id)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        csv,
    )
        .into_response())
}
