//! The org's controls: a filterable list (htmx swaps the table), and a control's page with its
//! statement, guidance, owner, status and history, mapped criteria, policies and comments.

use std::sync::Arc;

use attest_app::{ControlFilter, ControlUpdate, OwnerChange};
use attest_core::{ControlId, ControlStatus, Email};
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{Comment, EditControls, Member, ViewProgram};
use crate::error::WebError;
use crate::forms::{checked, non_empty};
use crate::state::AppState;
use crate::templates::render;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    status: Option<String>,
    owner: Option<String>,
    domain: Option<String>,
    unowned: Option<String>,
    all: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> Result<ControlFilter, WebError> {
        Ok(ControlFilter {
            include_out_of_scope: checked(&self.all),
            status: non_empty(&self.status)
                .map(str::parse::<ControlStatus>)
                .transpose()
                .map_err(WebError::bad_request)?,
            owner: non_empty(&self.owner)
                .map(Email::parse)
                .transpose()
                .map_err(|e| WebError::bad_request(e.to_string()))?,
            unowned: checked(&self.unowned),
            domain: non_empty(&self.domain).map(str::to_string),
        })
    }
}

pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    htmx: Htmx,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let filter = q.filter()?;
    let org = &m.membership.org;
    let all = state.app.controls(org).await?;
    let mut domains: Vec<&str> = all.iter().map(|c| c.domain.as_str()).collect();
    domains.sort_unstable();
    domains.dedup();
    let shown: Vec<_> = all.iter().filter(|c| filter.accepts(c)).collect();
    let ctx = ctx! {
        layout => Layout::for_member(&m, "controls"),
        controls => shown,
        total => all.len(),
        domains,
        statuses => ControlStatus::ALL,
        q => ctx! {
            status => q.status.clone().unwrap_or_default(),
            owner => q.owner.clone().unwrap_or_default(),
            domain => q.domain.clone().unwrap_or_default(),
            unowned => checked(&q.unowned),
            all => checked(&q.all),
        },
    };
    if htmx.0 {
        render("controls_table_partial.html", ctx)
    } else {
        render("controls.html", ctx)
    }
}

fn control_id(raw: &str) -> Result<ControlId, WebError> {
    raw.parse()
        .map_err(|_| WebError::not_found(format!("`{raw}` is not a control ID")))
}

pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let id = control_id(&id)?;
    let detail = state.app.control_detail(&m.membership.org, &id).await?;
    let comments = state.app.control_comments(&m.principal, &id).await?;
    let checks = state.app.control_checks(&m.membership.org, &id).await?;
    let can_edit = attest_app::may_edit_control(
        m.membership.role,
        detail.control.owner.as_ref(),
        &m.principal.user.email,
    );
    render(
        "control.html",
        ctx! {
            layout => Layout::for_member(&m, "controls"),
            c => detail,
            comments,
            checks,
            can_edit,
            statuses => ControlStatus::ALL,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct UpdateForm {
    status: Option<String>,
    justification: Option<String>,
    owner: Option<String>,
    notes: Option<String>,
}

pub(crate) async fn update(
    State(state): State<Arc<AppState>>,
    m: Member<EditControls>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<UpdateForm>,
) -> Result<Response, WebError> {
    let id = control_id(&id)?;
    let update = ControlUpdate {
        status: non_empty(&form.status)
            .map(str::parse::<ControlStatus>)
            .transpose()
            .map_err(WebError::bad_request)?,
        justification: non_empty(&form.justification).map(str::to_string),
        owner: match form.owner.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(OwnerChange::Clear),
            Some(raw) => Some(OwnerChange::parse(raw)?),
        },
        notes: form.notes.clone(),
    };
    state
        .app
        .update_control_as(&m.principal, &id, update)
        .await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/controls/{id}"))))
}

#[derive(Debug, Deserialize)]
pub(crate) struct CommentForm {
    body: String,
}

pub(crate) async fn comment(
    State(state): State<Arc<AppState>>,
    m: Member<Comment>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CommentForm>,
) -> Result<Response, WebError> {
    let id = control_id(&id)?;
    let comment = state
        .app
        .comment_on_control(&m.principal, &id, &form.body)
        .await?;
    if htmx.0 {
        return render("partials/comment_partial.html", ctx! { comment })
            .map(IntoResponse::into_response);
    }
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/controls/{id}#comments")),
    ))
}
