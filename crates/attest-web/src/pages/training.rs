//! Security awareness training for those who run the program: each module, who it applies to
//! and how many of them passed it within the year, and adding a module of the org's own.

use std::sync::Arc;

use attest_core::Permission;
use axum::extract::{Form, State};
use axum::response::{Html, Response};
use chrono::Utc;
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{ManagePeople, Member, ViewPeople};
use crate::error::WebError;
use crate::state::AppState;
use crate::templates::render;

/// `GET /o/{org}/training`: the modules and their completion.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
) -> Result<Html<String>, WebError> {
    let modules = state
        .app
        .training(&m.membership.org, Utc::now().date_naive())
        .await?;
    render(
        "training.html",
        ctx! {
            layout => Layout::for_member(&m, "people"),
            modules,
            can_manage => m.membership.role.allows(Permission::ManagePeople),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct ModuleForm {
    /// The file name the module would have (its id plus `.md`).
    name: String,
    source: String,
}

/// `POST /o/{org}/training`: adds a module of the org's own, pasted as Markdown.
pub(crate) async fn add(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Form(form): Form<ModuleForm>,
) -> Result<Response, WebError> {
    let name = form.name.trim();
    let file = if name.ends_with(".md") {
        name.to_owned()
    } else {
        format!("{name}.md")
    };
    state
        .app
        .add_training_module(
            &m.membership.org,
            &m.principal.actor(),
            &file,
            &form.source.replace("\r\n", "\n"),
        )
        .await?;
    Ok(see_other(htmx, &org_path(&m, "/training")))
}
