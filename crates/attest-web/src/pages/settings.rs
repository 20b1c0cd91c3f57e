//! Settings: the org's profile, scope and MFA requirement; members and roles; the caller's API
//! tokens; and the audit log with filters and CSV export.

use std::sync::Arc;

use attest_core::{Category, Email, Role, TokenScope};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{ManageMembers, ManageOrg, Member, UseApiTokens, ViewAuditLog};
use crate::error::WebError;
use crate::forms::{checked, non_empty};
use crate::state::AppState;
use crate::templates::render;

pub(crate) async fn org_page(m: Member<ManageOrg>) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let categories: Vec<_> = Category::ALL
        .into_iter()
        .map(|c| ctx! { id => c.as_str(), name => c.to_string(), on => org.scope.contains(c), fixed => c == Category::Security })
        .collect();
    render(
        "settings/org.html",
        ctx! {
            layout => Layout::for_member(&m, "settings"),
            org => ctx! { name => org.name.clone(), slug => org.slug.to_string(), require_mfa => org.require_mfa },
            categories,
            my_mfa => m.principal.user.mfa_enabled,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct OrgForm {
    name: String,
    require_mfa: Option<String>,
}

pub(crate) async fn update_org(
    State(state): State<Arc<AppState>>,
    m: Member<ManageOrg>,
    htmx: Htmx,
    Form(form): Form<OrgForm>,
) -> Result<Response, WebError> {
    state
        .app
        .update_org_settings(&m.principal, &form.name, checked(&form.require_mfa))
        .await?;
    Ok(see_other(htmx, &org_path(&m, "/settings")))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ScopeForm {
    availability: Option<String>,
    processing_integrity: Option<String>,
    confidentiality: Option<String>,
    privacy: Option<String>,
}

pub(crate) async fn update_scope(
    State(state): State<Arc<AppState>>,
    m: Member<ManageOrg>,
    htmx: Htmx,
    Form(form): Form<ScopeForm>,
) -> Result<Response, WebError> {
    let scope = crate::forms::scope(
        &form.availability,
        &form.processing_integrity,
        &form.confidentiality,
        &form.privacy,
    );
    state
        .app
        .set_scope(&m.membership.org, scope, &m.principal.actor())
        .await?;
    Ok(see_other(htmx, &org_path(&m, "/settings")))
}

pub(crate) async fn members_page(
    State(state): State<Arc<AppState>>,
    m: Member<ManageMembers>,
) -> Result<Html<String>, WebError> {
    members_view(&state, &m, None).await
}

async fn members_view(
    state: &AppState,
    m: &Member<ManageMembers>,
    invited: Option<minijinja::Value>,
) -> Result<Html<String>, WebError> {
    let members = state.app.members(&m.principal).await?;
    let assignable: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| m.membership.role.may_assign(*r))
        .collect();
    render(
        "settings/members.html",
        ctx! {
            layout => Layout::for_member(m, "settings"),
            members,
            assignable,
            invited,
            me => m.principal.user.email.to_string(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct InviteForm {
    email: String,
    name: Option<String>,
    role: String,
}

pub(crate) async fn invite(
    State(state): State<Arc<AppState>>,
    m: Member<ManageMembers>,
    Form(form): Form<InviteForm>,
) -> Result<Html<String>, WebError> {
    let email = Email::parse(&form.email).map_err(|e| WebError::bad_request(e.to_string()))?;
    let role: Role = form.role.parse().map_err(WebError::bad_request)?;
    let invitation = state
        .app
        .invite_member(
            &m.principal,
            &email,
            form.name.as_deref().unwrap_or(""),
            role,
        )
        .await?;
    let link = invitation
        .link
        .as_ref()
        .map(|l| format!("{}{}", state.config.base_url(), l.path()));
    let mailed = if let Some(mailer) = &state.config.mailer {
        mailer.send_invitation(crate::mail::Invitation {
            to: invitation.email.as_str(),
            org: &m.membership.org.name,
            inviter: &m.principal.user.name,
            role: invitation.role.as_str(),
            link: link.as_deref(),
            sign_in: &format!("{}/signin", state.config.base_url()),
        });
        true
    } else {
        false
    };
    // The link is shown once, to the person who invited (in case the mail goes astray); only
    // its hash is stored.
    let invited =
        ctx! { email => invitation.email.to_string(), role => invitation.role, link, mailed };
    members_view(&state, &m, Some(invited)).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct RoleForm {
    email: String,
    role: String,
}

pub(crate) async fn set_role(
    State(state): State<Arc<AppState>>,
    m: Member<ManageMembers>,
    htmx: Htmx,
    Form(form): Form<RoleForm>,
) -> Result<Response, WebError> {
    let email = Email::parse(&form.email).map_err(|e| WebError::bad_request(e.to_string()))?;
    let role = match form.role.as_str() {
        "remove" => None,
        other => Some(other.parse::<Role>().map_err(WebError::bad_request)?),
    };
    state
        .app
        .set_member_role(&m.principal, &email, role)
        .await?;
    Ok(see_other(htmx, &org_path(&m, "/settings/members")))
}

pub(crate) async fn tokens_page(
    State(state): State<Arc<AppState>>,
    m: Member<UseApiTokens>,
) -> Result<Html<String>, WebError> {
    tokens_view(&state, &m, None).await
}

async fn tokens_view(
    state: &AppState,
    m: &Member<UseApiTokens>,
    issued: Option<minijinja::Value>,
) -> Result<Html<String>, WebError> {
    let tokens = state.app.api_tokens(&m.principal).await?;
    render(
        "settings/tokens.html",
        ctx! {
            layout => Layout::for_member(m, "settings"),
            tokens,
            issued,
            read_only_role => m.membership.role.is_read_only(),
            base_url => state.config.base_url(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    name: String,
    scope: String,
}

pub(crate) async fn create_token(
    State(state): State<Arc<AppState>>,
    m: Member<UseApiTokens>,
    Form(form): Form<TokenForm>,
) -> Result<Html<String>, WebError> {
    let scope: TokenScope = form.scope.parse().map_err(WebError::bad_request)?;
    let issued = state
        .app
        .create_api_token(&m.principal, &form.name, scope)
        .await?;
    let issued =
        ctx! { name => issued.token.name, scope => issued.token.scope, secret => issued.secret };
    tokens_view(&state, &m, Some(issued)).await
}

pub(crate) async fn revoke_token(
    State(state): State<Arc<AppState>>,
    m: Member<UseApiTokens>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    state.app.revoke_api_token(&m.principal, &id).await?;
    Ok(see_other(htmx, &org_path(&m, "/settings/tokens")))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl AuditQuery {
    fn accepts(&self, e: &attest_app::AuditView) -> Result<bool, WebError> {
        let contains = |field: &Option<String>, value: &str| {
            non_empty(field).is_none_or(|f| value.to_lowercase().contains(&f.to_lowercase()))
        };
        let day = e.at.date_naive();
        let from = crate::forms::date(&self.from, "the start date")?;
        let to = crate::forms::date(&self.to, "the end date")?;
        Ok(contains(&self.actor, &e.actor)
            && contains(&self.action, &e.action)
            && contains(&self.target, e.target.as_deref().unwrap_or(""))
            && from.is_none_or(|f| day >= f)
            && to.is_none_or(|t| day <= t))
    }
}

async fn filtered_log(
    state: &AppState,
    m: &Member<ViewAuditLog>,
    q: &AuditQuery,
) -> Result<Vec<attest_app::AuditView>, WebError> {
    let entries = state.app.audit_log(&m.membership.org, None).await?;
    let mut out = Vec::new();
    for e in entries {
        if q.accepts(&e)? {
            out.push(e);
        }
    }
    out.reverse();
    Ok(out)
}

pub(crate) async fn audit_page(
    State(state): State<Arc<AppState>>,
    m: Member<ViewAuditLog>,
    Query(q): Query<AuditQuery>,
) -> Result<Html<String>, WebError> {
    let entries = filtered_log(&state, &m, &q).await?;
    let query = serde_urlencoded::to_string([
        ("actor", q.actor.clone().unwrap_or_default()),
        ("action", q.action.clone().unwrap_or_default()),
        ("target", q.target.clone().unwrap_or_default()),
        ("from", q.from.clone().unwrap_or_default()),
        ("to", q.to.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let shown: Vec<_> = entries
        .iter()
        .take(500)
        .map(|e| ctx! { e, detail => e.detail.to_string() })
        .collect();
    render(
        "settings/audit.html",
        ctx! {
            layout => Layout::for_member(&m, "settings"),
            entries => shown,
            total => entries.len(),
            q => ctx! {
                actor => q.actor.clone().unwrap_or_default(),
                action => q.action.clone().unwrap_or_default(),
                target => q.target.clone().unwrap_or_default(),
                from => q.from.clone().unwrap_or_default(),
                to => q.to.clone().unwrap_or_default(),
            },
            query,
        },
    )
}

/// The filtered log as CSV (time, actor, action, target, detail), for an auditor's workpapers.
pub(crate) async fn audit_csv(
    State(state): State<Arc<AppState>>,
    m: Member<ViewAuditLog>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let mut entries = filtered_log(&state, &m, &q).await?;
    entries.reverse();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, row: [&str; 5]| {
        w.write_record(row).map_err(|e| {
            WebError::from(attest_app::AppError::Internal(format!("writing CSV: {e}")))
        })
    };
    write(&mut writer, ["at", "actor", "action", "target", "detail"])?;
    for e in &entries {
        let at = e.at.to_rfc3339();
        let detail = e.detail.to_string();
        write(
            &mut writer,
            [
                &at,
                &neutralize(&e.actor),
                &e.action,
                &neutralize(e.target.as_deref().unwrap_or("")),
                &neutralize(&detail),
            ],
        )?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| WebError::from(attest_app::AppError::Internal(format!("writing CSV: {e}"))))?;
    let filename = format!("attest-audit-log-{}.csv", m.membership.org.slug);
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// Spreadsheet apps run cells that start with `=`, `+`, `-` or `@` as formulas; a leading
/// apostrophe keeps user-written text (comments, names) inert.
fn neutralize(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}
