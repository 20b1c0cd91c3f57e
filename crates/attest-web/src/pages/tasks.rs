//! The remediation board: tasks in three columns, created by hand or from the gap analysis,
//! and a task's page with its comments.

use std::sync::Arc;

use attest_app::{NewTask, TaskUpdate};
use attest_core::{Email, Permission, TaskStatus};
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{Comment, ManageTasks, Member, OpenOrg, WorkOwnTasks};
use crate::error::WebError;
use crate::forms::{date, non_empty};
use crate::state::AppState;
use crate::templates::render;

pub(crate) async fn board(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
) -> Result<Html<String>, WebError> {
    let tasks = state.app.tasks(&m.principal).await?;
    let today = Utc::now().date_naive();
    let columns: Vec<_> = TaskStatus::ALL
        .iter()
        .map(|s| {
            let items: Vec<_> = tasks
                .iter()
                .filter(|t| t.status == *s)
                .map(|t| {
                    ctx! {
                        t,
                        overdue => t.status != TaskStatus::Done && t.due_on.is_some_and(|d| d < today),
                    }
                })
                .collect();
            ctx! { status => s, items }
        })
        .collect();
    render(
        "tasks.html",
        ctx! {
            layout => Layout::for_member(&m, "tasks"),
            columns,
            statuses => TaskStatus::ALL,
            total => tasks.len(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewTaskForm {
    title: String,
    detail: Option<String>,
    control: Option<String>,
    owner: Option<String>,
    due_on: Option<String>,
}

pub(crate) async fn create(
    State(state): State<Arc<AppState>>,
    m: Member<ManageTasks>,
    htmx: Htmx,
    Form(form): Form<NewTaskForm>,
) -> Result<Response, WebError> {
    let new = NewTask {
        title: form.title.clone(),
        detail: form.detail.clone().unwrap_or_default(),
        control: non_empty(&form.control)
            .map(|c| c.to_ascii_uppercase().parse())
            .transpose()
            .map_err(|e: attest_core::IdError| WebError::bad_request(e.to_string()))?,
        owner: non_empty(&form.owner)
            .map(Email::parse)
            .transpose()
            .map_err(|e| WebError::bad_request(e.to_string()))?,
        due_on: date(&form.due_on, "the due date")?,
    };
    let task = state.app.create_task(&m.principal, new).await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/tasks/{}", task.id)),
    ))
}

pub(crate) async fn from_gaps(
    State(state): State<Arc<AppState>>,
    m: Member<ManageTasks>,
    htmx: Htmx,
) -> Result<Response, WebError> {
    let created = state.app.tasks_from_gaps(&m.principal).await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/tasks?created={created}")),
    ))
}

pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let detail = state.app.task_detail(&m.principal, &id).await?;
    let today = Utc::now().date_naive();
    render(
        "task.html",
        ctx! {
            layout => Layout::for_member(&m, "tasks"),
            t => detail.task,
            overdue => detail.task.status != TaskStatus::Done && detail.task.due_on.is_some_and(|d| d < today),
            comments => detail.comments,
            can_edit => detail.can_edit,
            can_reassign => m.membership.role.allows(Permission::ManageTasks),
            statuses => TaskStatus::ALL,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct UpdateForm {
    status: Option<String>,
    owner: Option<String>,
    due_on: Option<String>,
}

pub(crate) async fn update(
    State(state): State<Arc<AppState>>,
    m: Member<WorkOwnTasks>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<UpdateForm>,
) -> Result<Response, WebError> {
    let update = TaskUpdate {
        status: non_empty(&form.status)
            .map(str::parse::<TaskStatus>)
            .transpose()
            .map_err(WebError::bad_request)?,
        owner: form
            .owner
            .as_ref()
            .map(|_| {
                non_empty(&form.owner)
                    .map(Email::parse)
                    .transpose()
                    .map_err(|e| WebError::bad_request(e.to_string()))
            })
            .transpose()?,
        due_on: form
            .due_on
            .as_ref()
            .map(|_| date(&form.due_on, "the due date"))
            .transpose()?,
    };
    state.app.update_task(&m.principal, &id, update).await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/tasks/{id}"))))
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
    let comment = state
        .app
        .comment_on_task(&m.principal, &id, &form.body)
        .await?;
    if htmx.0 {
        return render("partials/comment_partial.html", ctx! { comment })
            .map(IntoResponse::into_response);
    }
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/tasks/{id}#comments")),
    ))
}
