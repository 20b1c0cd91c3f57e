//! Who is asking: the `authenticate` middleware resolves the session cookie or API token into
//! a [`Principal`] and enforces CSRF on every state-changing request; the [`Session`] and
//! [`Member`] extractors then require a signed-in person and a role that allows the route.
//! A handler that takes `Member<EditControls>` cannot run for anyone else.

use std::marker::PhantomData;
use std::sync::Arc;

use attest_app::Membership;
use attest_app::Principal;
use attest_core::Permission;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::error::WebError;
use crate::state::AppState;

pub(crate) const SESSION_COOKIE: &str = "attest_session";
/// Double-submit CSRF token for forms shown before sign-in (sign-in, setup, reset).
pub(crate) const FORM_COOKIE: &str = "attest_form";
/// The form field and header that carry the CSRF token.
pub(crate) const CSRF_FIELD: &str = "_csrf";
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";
/// Forms are small; evidence uploads get their own limit in a later issue.
pub(crate) const FORM_LIMIT: usize = 256 * 1024;

/// The principal of this request, if any, placed in the request extensions by [`authenticate`].
#[derive(Debug, Clone)]
pub(crate) struct Resolved(pub(crate) Option<Arc<Principal>>);

/// The org slug a path is about: `/o/{org}/…` or `/api/v1/orgs/{org}/…`.
fn org_in_path(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix("/o/")
        .or_else(|| path.strip_prefix("/api/v1/orgs/"))?;
    let slug = rest.split('/').next()?;
    (!slug.is_empty()).then_some(slug)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware: resolves the caller and refuses cross-site or token-less state changes.
pub(crate) async fn authenticate(
    State(state): State<Arc<AppState>>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    match resolve(&state, &jar, request).await {
        Ok(request) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

async fn resolve(state: &AppState, jar: &CookieJar, request: Request) -> Result<Request, WebError> {
    let (mut parts, body) = request.into_parts();
    let org = org_in_path(parts.uri.path()).map(str::to_string);
    let policy = &state.config.sessions;
    let by_token = bearer(&parts.headers).is_some();
    let principal = if let Some(token) = bearer(&parts.headers) {
        match state.app.token_principal(token, org.as_deref()).await? {
            Some(p) => Some(p),
            None => {
                return Err(WebError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "this API token is unknown or revoked; create a new one in Settings → API tokens",
                ));
            }
        }
    } else if let Some(cookie) = jar.get(SESSION_COOKIE) {
        state
            .app
            .session(cookie.value(), org.as_deref(), policy)
            .await?
    } else {
        None
    };

    let mut body = body;
    if !is_safe(&parts.method) && !by_token {
        refuse_cross_site(&parts.headers)?;
        let expected = match &principal {
            Some(p) => p.csrf_token.clone(),
            None => jar.get(FORM_COOKIE).map(|c| c.value().to_string()),
        };
        // Only the upload forms' bodies (evidence, roster imports) are read whole for their
        // token, and only for someone signed in: elsewhere a multipart body is refused unread.
        let path = parts.uri.path();
        let upload_form = principal.is_some()
            && path.starts_with("/o/")
            && (path.ends_with("/evidence")
                || path.ends_with("/import")
                || path.ends_with("/reports"));
        let (presented, buffered) = presented_token(&parts.headers, body, upload_form).await?;
        body = buffered;
        let ok = match (expected, presented) {
            (Some(e), Some(p)) => attest_app::constant_time_eq(e.as_bytes(), p.as_bytes()),
            _ => false,
        };
        if !ok {
            return Err(WebError::forbidden(
                "this form has expired or did not come from Attest; reload the page and try again",
            ));
        }
    }
    parts.extensions.insert(Resolved(principal.map(Arc::new)));
    Ok(Request::from_parts(parts, body))
}

/// Browsers say where a request came from; a cross-site state change is refused outright.
fn refuse_cross_site(headers: &HeaderMap) -> Result<(), WebError> {
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    let origin_mismatch = match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) if origin != "null" => {
            origin.split_once("://").map(|(_, h)| h) != Some(host)
        }
        _ => false,
    };
    if cross_site || origin_mismatch {
        return Err(WebError::forbidden(
            "requests that change data must come from Attest's own pages",
        ));
    }
    Ok(())
}

/// The CSRF token the request presents: the header, or the `_csrf` field of a form body. The
/// body is read (within the form limit, or the upload limit for a signed-in person's
/// multipart upload) and handed back for the handler.
async fn presented_token(
    headers: &HeaderMap,
    body: axum::body::Body,
    upload_form: bool,
) -> Result<(Option<String>, axum::body::Body), WebError> {
    if let Some(v) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok((Some(v.to_string()), body));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("multipart/form-data") && upload_form {
        // An upload sent without script: its token is a field of the multipart body.
        let Ok(boundary) = multer::parse_boundary(content_type) else {
            return Ok((None, body));
        };
        let bytes = axum::body::to_bytes(body, crate::pages::evidence::UPLOAD_LIMIT)
            .await
            .map_err(|_| {
                WebError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    format!(
                        "the upload is larger than the {} MB limit; store it elsewhere and record a link",
                        attest_app::MAX_EVIDENCE_BYTES / (1024 * 1024)
                    ),
                )
            })?;
        let stream =
            futures_util::stream::once(std::future::ready(Ok::<_, std::io::Error>(bytes.clone())));
        let mut fields = multer::Multipart::new(stream, boundary);
        let mut token = None;
        while let Ok(Some(field)) = fields.next_field().await {
            if field.name() == Some(CSRF_FIELD) {
                token = field.text().await.ok();
                break;
            }
        }
        return Ok((token, axum::body::Body::from(bytes)));
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok((None, body));
    }
    let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| {
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "the form is too large (the limit is 256 KiB)",
        )
    })?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| fields.into_iter().find(|(k, _)| k == CSRF_FIELD))
        .map(|(_, v)| v);
    Ok((token, axum::body::Body::from(bytes)))
}

/// A signed-in person whose second factor (if enrolled) was checked in this session.
#[derive(Debug, Clone)]
pub(crate) struct Session(pub(crate) Arc<Principal>);

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let resolved = parts.extensions.get::<Resolved>().and_then(|r| r.0.clone());
        let Some(principal) = resolved else {
            return Err(WebError::unauthenticated().into_response());
        };
        if principal.user.mfa_enabled && !principal.mfa_passed {
            return Err(if parts.uri.path().starts_with("/api/") {
                WebError::unauthenticated().into_response()
            } else {
                Redirect::to("/signin/mfa").into_response()
            });
        }
        Ok(Session(principal))
    }
}

/// The caller, if signed in (fully or awaiting a second factor).
#[derive(Debug, Clone)]
pub(crate) struct MaybePrincipal(pub(crate) Option<Arc<Principal>>);

impl<S: Send + Sync> FromRequestParts<S> for MaybePrincipal {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybePrincipal(
            parts.extensions.get::<Resolved>().and_then(|r| r.0.clone()),
        ))
    }
}

/// A permission a route requires, as a type, so the requirement is part of the handler's
/// signature.
pub(crate) trait Requires: Send + Sync + 'static {
    const PERMISSION: Permission;
}

macro_rules! requirements {
    ($($name:ident),* $(,)?) => {
        $(
            #[derive(Debug)]
            pub(crate) struct $name;
            impl Requires for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*
    };
}

requirements!(
    OpenOrg,
    ViewProgram,
    EditControls,
    ManageTasks,
    WorkOwnTasks,
    Comment,
    ManageOrg,
    ManageMembers,
    ViewAuditLog,
    UseApiTokens,
    ViewPeople,
    ManagePeople,
    ManagePolicies,
    ApprovePolicies,
    ReviewAccess,
    ManageRegisters,
);

/// A member of the org the path names whose role allows `P`. Not a member: 404 (other orgs
/// are invisible). A role that does not allow it: 403. An org that requires MFA sends members
/// without it to enroll first.
#[derive(Debug)]
pub(crate) struct Member<P> {
    pub(crate) principal: Arc<Principal>,
    pub(crate) membership: Membership,
    _requires: PhantomData<P>,
}

impl<S: Send + Sync, P: Requires> FromRequestParts<S> for Member<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Session(principal) = Session::from_request_parts(parts, state).await?;
        let Some(membership) = &principal.membership else {
            return Err(
                WebError::not_found("there is no such org, or you are not a member of it")
                    .into_response(),
            );
        };
        if membership.org.require_mfa && !principal.user.mfa_enabled && principal.session.is_some()
        {
            return Err(if parts.uri.path().starts_with("/api/") {
                WebError::forbidden(format!(
                    "{} requires multi-factor authentication; turn it on under Account → Security",
                    membership.org.name
                ))
                .into_response()
            } else {
                Redirect::to("/account/security?required=1").into_response()
            });
        }
        if !membership.role.allows(P::PERMISSION) {
            return Err(WebError::forbidden(format!(
                "your role in {} ({}) does not allow this; ask an owner or admin",
                membership.org.name, membership.role
            ))
            .into_response());
        }
        if principal.read_only_token
            && !matches!(
                P::PERMISSION,
                Permission::ViewProgram | Permission::ViewAuditLog | Permission::ViewPeople
            )
        {
            return Err(WebError::forbidden(
                "this API token is read-only; create a token with write scope",
            )
            .into_response());
        }
        Ok(Member {
            membership: membership.clone(),
            principal: principal.clone(),
            _requires: PhantomData,
        })
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Lax (sent on top-level
/// navigation from other sites, never on their forms or fetches), Secure when configured.
pub(crate) fn session_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .build()
}

pub(crate) fn clear_session_cookie(secure: bool) -> Cookie<'static> {
    let mut c = session_cookie(String::new(), secure);
    c.make_removal();
    c
}

/// The pre-sign-in form token: reuses the browser's if it has one.
pub(crate) fn form_token(jar: CookieJar, secure: bool) -> (CookieJar, String) {
    if let Some(c) = jar.get(FORM_COOKIE) {
        let v = c.value().to_string();
        return (jar, v);
    }
    let token = attest_app::new_secret();
    let cookie = Cookie::build((FORM_COOKIE, token.clone()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build();
    (jar.add(cookie), token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_org_comes_from_page_and_api_paths() {
        assert_eq!(org_in_path("/o/acme/controls"), Some("acme"));
        assert_eq!(org_in_path("/api/v1/orgs/acme/gap"), Some("acme"));
        assert_eq!(org_in_path("/o/"), None);
        assert_eq!(org_in_path("/signin"), None);
    }
}
