//! The org's policies: the list with each one's status, a policy's page (its text, versions and
//! who acknowledged it), the Markdown editor with a live preview, approval, publication, the
//! yearly review, the diff between versions, and a clean printable page.

use std::sync::Arc;

use attest_app::{PolicyDraftEdit, PolicySettings};
use attest_core::{Audience, Email, Permission, VersionState};
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, Response};
use chrono::Utc;
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{ApprovePolicies, ManagePolicies, Member, ViewProgram};
use crate::error::WebError;
use crate::forms::{checked, non_empty};
use crate::state::AppState;
use crate::templates::render;

/// `GET /o/{org}/policies`: every policy with its status, and the templates to adopt.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let policies = state.app.policies(org, Utc::now().date_naive()).await?;
    let adopted: Vec<&str> = policies
        .iter()
        .filter_map(|p| p.template_id.as_deref())
        .collect();
    let templates: Vec<_> = state
        .app
        .catalog()
        .policies
        .iter()
        .filter(|t| !adopted.contains(&t.id.as_str()))
        .map(|t| ctx! { id => t.id, title => t.title })
        .collect();
    let count = |s: &str| policies.iter().filter(|p| p.status.as_str() == s).count();
    render(
        "policies.html",
        ctx! {
            layout => Layout::for_member(&m, "policies"),
            policies,
            templates,
            counts => ctx! {
                current => count("current"),
                review_due => count("review-due"),
                stale => count("stale"),
                unpublished => count("unpublished"),
            },
            me => m.principal.user.email.to_string(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct SettingsForm {
    template: Option<String>,
    owner: String,
    approver: String,
    audience: Option<String>,
    review_months: Option<u32>,
}

impl SettingsForm {
    fn settings(&self) -> Result<PolicySettings, WebError> {
        let email = |raw: &str| Email::parse(raw).map_err(|e| WebError::bad_request(e.to_string()));
        Ok(PolicySettings {
            owner: email(&self.owner)?,
            approver: email(&self.approver)?,
            audience: non_empty(&self.audience)
                .map(str::parse::<Audience>)
                .transpose()
                .map_err(WebError::bad_request)?
                .unwrap_or(Audience::Everyone),
            review_months: self.review_months.unwrap_or(12),
        })
    }
}

/// `POST /o/{org}/policies`: adopts a template as a first draft.
pub(crate) async fn adopt(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePolicies>,
    htmx: Htmx,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    let template = non_empty(&form.template)
        .ok_or_else(|| WebError::bad_request("choose a template to adopt"))?;
    let version = state
        .app
        .adopt_policy(
            &m.membership.org,
            &m.principal.actor(),
            template,
            form.settings()?,
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/policies/{}/draft", version.policy_id)),
    ))
}

/// `POST /o/{org}/policies/{id}/settings`: owner, approver, audience, review cadence.
pub(crate) async fn settings(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePolicies>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    state
        .app
        .update_policy_settings(
            &m.membership.org,
            &m.principal.actor(),
            &id,
            form.settings()?,
            None,
        )
        .await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/policies/{id}"))))
}

/// `GET /o/{org}/policies/{id}`: the published text, the versions, the acceptance.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let detail = state
        .app
        .policy_detail(&m.membership.org, &id, Utc::now().date_naive())
        .await?;
    let me = &m.principal.user.email;
    let role = m.membership.role;
    let pending_state = detail.policy.pending.as_ref().map(|v| v.state);
    let is_approver = &detail.policy.approver == me && role.allows(Permission::ApprovePolicies);
    let can_manage = role.allows(Permission::ManagePolicies);
    let accepted = detail
        .acceptance
        .iter()
        .filter(|r| r.status == attest_app::AcceptanceStatus::Accepted)
        .count();
    // The pending text as it will read, for the approver (and whoever manages it) to read
    // before approving or publishing.
    let pending_text = match (&detail.policy.pending, &detail.pending_body) {
        (Some(v), Some(body)) if is_approver || can_manage => Some(
            body.replace(attest_app::VERSION_PLACEHOLDER, &v.version)
                .replace(attest_app::EFFECTIVE_DATE_PLACEHOLDER, "on publication"),
        ),
        _ => None,
    };
    render(
        "policy.html",
        ctx! {
            layout => Layout::for_member(&m, "policies"),
            p => detail.policy,
            versions => detail.versions,
            current_body => detail.current_body,
            pending_text,
            acceptance => detail.acceptance,
            accepted,
            can_manage,
            can_edit => can_manage && pending_state == Some(VersionState::Draft),
            can_start => can_manage && pending_state.is_none() && detail.policy.current.is_some(),
            can_approve => is_approver && pending_state == Some(VersionState::Draft),
            can_publish => can_manage && pending_state == Some(VersionState::Approved),
            can_review => is_approver && pending_state.is_none() && detail.policy.current.is_some(),
        },
    )
}

/// `GET /o/{org}/policies/{id}/draft`: the Markdown editor with its live preview.
pub(crate) async fn editor(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePolicies>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let detail = state
        .app
        .policy_detail(&m.membership.org, &id, Utc::now().date_naive())
        .await?;
    let Some(pending) = detail.policy.pending.clone() else {
        return Err(WebError::conflict(format!(
            "`{id}` has no draft; start a new version from the policy's page"
        )));
    };
    render(
        "policy_editor.html",
        ctx! {
            layout => Layout::for_member(&m, "policies"),
            p => detail.policy,
            draft => pending,
            body => detail.pending_body.unwrap_or_default(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct DraftForm {
    body: String,
    summary: Option<String>,
}

/// `POST /o/{org}/policies/{id}/draft`: saves the draft.
pub(crate) async fn save_draft(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePolicies>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DraftForm>,
) -> Result<Response, WebError> {
    let edit = PolicyDraftEdit {
        // Browsers send CRLF from a textarea; keep the text as the Markdown files are.
        body: form.body.replace("\r\n", "\n"),
        summary: form.summary.clone().unwrap_or_default(),
    };
    state
        .app
        .edit_policy_draft(&m.membership.org, &m.principal.actor(), &id, edit)
        .await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/policies/{id}"))))
}

#[derive(Debug, Deserialize)]
pub(crate) struct PreviewForm {
    body: String,
}

/// `POST /o/{org}/policies/{id}/preview`: the editor's text as it will read (htmx swaps it in
/// while the author types).
pub(crate) async fn preview(
    _m: Member<ManagePolicies>,
    Form(form): Form<PreviewForm>,
) -> Result<Html<String>, WebError> {
    render("policy_preview_partial.html", ctx! { body => form.body })
}

#[derive(Debug, Deserialize)]
pub(crate) struct NewVersionForm {
    major: Option<String>,
    summary: Option<String>,
}

/// `POST /o/{org}/policies/{id}/versions`: starts the next version from the published text.
pub(crate) async fn new_version(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePolicies>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<NewVersionForm>,
) -> Result<Response, WebError> {
    state
        .app
        .new_policy_draft(
            &m.membership.org,
            &m.principal.actor(),
            &id,
            checked(&form.major),
            non_empty(&form.summary).unwrap_or_default(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/policies/{id}/draft")),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ApproveForm {
    /// The SHA-256 of the draft the approver read on the page.
    sha256: Option<String>,
}

/// `POST /o/{org}/policies/{id}/approve`: the named approver approves the draft they read.
pub(crate) async fn approve(
    State(state): State<Arc<AppState>>,
    m: Member<ApprovePolicies>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, WebError> {
    let read = non_empty(&form.sha256).ok_or_else(|| {
        WebError::bad_request("approve from the policy's page, which sends the text you read")
    })?;
    state
        .app
        .approve_policy(&m.membership.org, &m.principal.user.email, &id, Some(read))
        .await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/policies/{id}"))))
}

/// `POST /o/{org}/policies/{id}/publish`: publishes the approved version.
pub(crate) async fn publish(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePolicies>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    state
        .app
        .publish_policy(&m.membership.org, &m.principal.actor(), &id)
        .await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/policies/{id}"))))
}

/// `POST /o/{org}/policies/{id}/review`: the approver confirms the policy without changes.
pub(crate) async fn review(
    State(state): State<Arc<AppState>>,
    m: Member<ApprovePolicies>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    state
        .app
        .review_policy_unchanged(&m.membership.org, &m.principal.user.email, &id)
        .await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/policies/{id}"))))
}

#[derive(Debug, Deserialize)]
pub(crate) struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /o/{org}/policies/{id}/diff?from=1.0&to=2.0`: what changed between two versions.
pub(crate) async fn diff(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<DiffQuery>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let detail = state
        .app
        .policy_detail(org, &id, Utc::now().date_naive())
        .await?;
    // By default: the version before the newest against the newest.
    let from = match non_empty(&q.from) {
        Some(v) => v.to_owned(),
        None => detail
            .versions
            .get(1)
            .or(detail.versions.first())
            .map(|v| v.version.clone())
            .unwrap_or_default(),
    };
    let to = non_empty(&q.to).map(str::to_owned);
    let lines = state
        .app
        .policy_diff(org, &id, &from, to.as_deref())
        .await?;
    let to = to.unwrap_or_else(|| {
        detail
            .versions
            .first()
            .map(|v| v.version.clone())
            .unwrap_or_default()
    });
    let changed = lines.iter().filter(|l| l.change != "same").count();
    render(
        "policy_diff.html",
        ctx! {
            layout => Layout::for_member(&m, "policies"),
            p => detail.policy,
            versions => detail.versions,
            from,
            to,
            lines,
            changed,
        },
    )
}

/// `GET /o/{org}/policies/{id}/print`: the published version alone on a clean page, for
/// printing or saving as PDF.
pub(crate) async fn print(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let detail = state
        .app
        .policy_detail(&m.membership.org, &id, Utc::now().date_naive())
        .await?;
    let Some(body) = detail.current_body else {
        return Err(WebError::conflict(format!(
            "`{id}` has no published version to print"
        )));
    };
    render(
        "policy_print.html",
        ctx! {
            org_name => m.membership.org.name,
            p => detail.policy,
            body,
        },
    )
}
