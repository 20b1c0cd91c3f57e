//! The HTML pages. Each handler extracts its input (the extractor checks the caller's role),
//! calls one use case, and renders a template; htmx requests get a partial where one exists.

pub(crate) mod access_reviews;
pub(crate) mod account;
pub(crate) mod auth;
pub(crate) mod controls;
pub(crate) mod criteria;
pub(crate) mod evidence;
pub(crate) mod me;
pub(crate) mod monitoring;
pub(crate) mod people;
pub(crate) mod policies;
pub(crate) mod program;
pub(crate) mod registers;
pub(crate) mod settings;
pub(crate) mod sso;
pub(crate) mod tasks;
pub(crate) mod training;

use attest_app::Principal;
use attest_core::{Permission, Role};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::auth::Member;

/// What the page frame shows: who is signed in, in which org, with which role, and the CSRF
/// token every form and htmx request carries.
#[derive(Debug, Serialize)]
pub(crate) struct Layout {
    user_name: String,
    user_email: String,
    csrf: String,
    org_slug: Option<String>,
    org_name: Option<String>,
    role: Option<Role>,
    nav: &'static str,
    can: Can,
}

/// Which navigation entries and actions the role allows, so pages only offer what will work.
#[derive(Debug, Default, Serialize)]
struct Can {
    program: bool,
    edit_controls: bool,
    manage_tasks: bool,
    work_own_tasks: bool,
    manage_org: bool,
    manage_members: bool,
    audit_log: bool,
    tokens: bool,
    people: bool,
    manage_policies: bool,
    manage_registers: bool,
}

impl Layout {
    pub(crate) fn for_member<P>(m: &Member<P>, nav: &'static str) -> Layout {
        let mut layout = Layout::for_principal(&m.principal, nav);
        let role = m.membership.role;
        layout.org_slug = Some(m.membership.org.slug.to_string());
        layout.org_name = Some(m.membership.org.name.clone());
        layout.role = Some(role);
        layout.can = Can {
            program: role.allows(Permission::ViewProgram),
            edit_controls: role.allows(Permission::EditControls),
            manage_tasks: role.allows(Permission::ManageTasks),
            work_own_tasks: role.allows(Permission::WorkOwnTasks),
            manage_org: role.allows(Permission::ManageOrg),
            manage_members: role.allows(Permission::ManageMembers),
            audit_log: role.allows(Permission::ViewAuditLog),
            tokens: role.allows(Permission::UseApiTokens),
            people: role.allows(Permission::ViewPeople),
            manage_policies: role.allows(Permission::ManagePolicies),
            manage_registers: role.allows(Permission::ManageRegisters),
        };
        layout
    }

    pub(crate) fn for_principal(p: &Principal, nav: &'static str) -> Layout {
        Layout {
            user_name: p.user.name.clone(),
            user_email: p.user.email.to_string(),
            csrf: p.csrf_token.clone().unwrap_or_default(),
            org_slug: None,
            org_name: None,
            role: None,
            nav,
            can: Can::default(),
        }
    }
}

/// Whether the request came from htmx (which wants a partial, or a redirect header).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Htmx(pub(crate) bool);

impl<S: Send + Sync> FromRequestParts<S> for Htmx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // A boosted navigation wants the whole page, like a normal one.
        let htmx =
            parts.headers.contains_key("hx-request") && !parts.headers.contains_key("hx-boosted");
        Ok(Htmx(htmx))
    }
}

/// After a successful form: go to `to`. htmx follows `HX-Redirect`; a plain form gets 303.
pub(crate) fn see_other(htmx: Htmx, to: &str) -> Response {
    if htmx.0 {
        let mut r = StatusCode::NO_CONTENT.into_response();
        if let Ok(v) = HeaderValue::from_str(to) {
            r.headers_mut().insert("hx-redirect", v);
        }
        r
    } else {
        Redirect::to(to).into_response()
    }
}

/// The path of a page in the member's org.
pub(crate) fn org_path<P>(m: &Member<P>, rest: &str) -> String {
    format!("/o/{}{rest}", m.membership.org.slug)
}
