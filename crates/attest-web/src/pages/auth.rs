//! Signing in and out, the second factor, first-run setup, and the pages one-time links open.

use std::net::SocketAddr;
use std::sync::Arc;

use attest_app::LinkPurpose;
use attest_app::{AppError, SignIn};
use attest_core::Email;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::{Htmx, see_other};
use crate::auth::{MaybePrincipal, clear_session_cookie, form_token, session_cookie};
use crate::error::WebError;
use crate::forms::local_path;
use crate::state::AppState;
use crate::templates::render;

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    pub(crate) next: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// Renders an auth page with a status (a failed sign-in is a 401 page with the form again).
fn auth_page(
    jar: CookieJar,
    secure: bool,
    status: StatusCode,
    template: &str,
    ctx: minijinja::Value,
) -> Result<Response, WebError> {
    let (jar, csrf) = form_token(jar, secure);
    let page = render(template, minijinja::context! { csrf, ..ctx })?;
    Ok((status, jar, page).into_response())
}

pub(crate) async fn signin_page(
    State(state): State<Arc<AppState>>,
    MaybePrincipal(principal): MaybePrincipal,
    Query(q): Query<NextQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    if principal.is_some_and(|p| !p.user.mfa_enabled || p.mfa_passed) {
        return Ok(Redirect::to(&local_path(q.next.as_deref())).into_response());
    }
    if state.app.needs_setup().await? {
        return render("auth/setup_pending.html", ctx! {}).map(IntoResponse::into_response);
    }
    auth_page(
        jar,
        state.config.secure_cookies,
        StatusCode::OK,
        "auth/signin.html",
        ctx! { next => local_path(q.next.as_deref()), error => None::<String>, email => "", sso => sso_name(&state) },
    )
}

/// The provider's name for the "Sign in with …" button, when single sign-on is configured.
fn sso_name(state: &AppState) -> Option<String> {
    state.sso.as_ref().map(|s| s.name().to_string())
}

pub(crate) async fn signin(
    State(state): State<Arc<AppState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    MaybePrincipal(previous): MaybePrincipal,
    htmx: Htmx,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let next = local_path(form.next.as_deref());
    let secure = state.config.secure_cookies;
    let fail = |jar, status, message: String| {
        auth_page(
            jar,
            secure,
            status,
            "auth/signin.html",
            ctx! { next => next.clone(), error => message, email => form.email.clone(), sso => sso_name(&state) },
        )
    };
    if !state.allow_attempt(client.ip()) {
        return fail(
            jar,
            StatusCode::TOO_MANY_REQUESTS,
            WebError::too_many_attempts().message,
        );
    }
    let outcome = state
        .app
        .sign_in(&form.email, &form.password, &state.config.sessions)
        .await;
    let (user, mfa_pending) = match outcome {
        Ok(SignIn::Done(user)) => (user, false),
        Ok(SignIn::NeedsSecondFactor(user)) => (user, true),
        Err(e @ (AppError::Unauthenticated(_) | AppError::TooManyAttempts(_))) => {
            let message = e.to_string();
            return fail(jar, WebError::from(e).status, message);
        }
        Err(e) => return Err(e.into()),
    };
    let (jar, to) = begin_session(&state, previous, &user, mfa_pending, next, jar).await?;
    Ok((jar, see_other(htmx, &to)).into_response())
}

/// After a password or single sign-on proved who someone is: ends the session they had (a new
/// session id at every sign-in, so a session planted before cannot be taken over), starts one,
/// and says where to go next: the second-factor page when one is still owed.
pub(crate) async fn begin_session(
    state: &AppState,
    previous: Option<Arc<attest_app::Principal>>,
    user: &attest_app::User,
    mfa_pending: bool,
    next: String,
    jar: CookieJar,
) -> Result<(CookieJar, String), WebError> {
    if let Some(p) = previous {
        state.app.sign_out(&p).await?;
    }
    let started = state
        .app
        .start_session(user, false, &state.config.sessions)
        .await?;
    let jar = jar.add(session_cookie(started.cookie, state.config.secure_cookies));
    let to = if mfa_pending {
        format!("/signin/mfa?next={}", crate::forms::encode_component(&next))
    } else {
        next
    };
    Ok((jar, to))
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    code: String,
    next: Option<String>,
}

pub(crate) async fn mfa_page(
    MaybePrincipal(principal): MaybePrincipal,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let Some(p) = principal else {
        return Ok(Redirect::to("/signin").into_response());
    };
    if !p.user.mfa_enabled || p.mfa_passed {
        return Ok(Redirect::to(&local_path(q.next.as_deref())).into_response());
    }
    render(
        "auth/mfa.html",
        ctx! { csrf => p.csrf_token.clone(), next => local_path(q.next.as_deref()), error => None::<String> },
    )
    .map(IntoResponse::into_response)
}

pub(crate) async fn mfa(
    State(state): State<Arc<AppState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    MaybePrincipal(principal): MaybePrincipal,
    htmx: Htmx,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    let Some(p) = principal else {
        return Ok(see_other(htmx, "/signin"));
    };
    let next = local_path(form.next.as_deref());
    let retry = |status: StatusCode, message: String| -> Result<Response, WebError> {
        let page = render(
            "auth/mfa.html",
            ctx! { csrf => p.csrf_token.clone(), next => next.clone(), error => message },
        )?;
        Ok((status, page).into_response())
    };
    if !state.allow_attempt(client.ip()) {
        return retry(
            StatusCode::TOO_MANY_REQUESTS,
            WebError::too_many_attempts().message,
        );
    }
    match state.app.pass_second_factor(&p, &form.code).await {
        Ok(()) => Ok(see_other(htmx, &next)),
        Err(e @ AppError::Unauthenticated(_)) => retry(StatusCode::UNAUTHORIZED, e.to_string()),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn signout(
    State(state): State<Arc<AppState>>,
    MaybePrincipal(principal): MaybePrincipal,
    htmx: Htmx,
    jar: CookieJar,
) -> Result<Response, WebError> {
    if let Some(p) = principal {
        state.app.sign_out(&p).await?;
    }
    let jar = jar.add(clear_session_cookie(state.config.secure_cookies));
    Ok((jar, see_other(htmx, "/signin")).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct SetupQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SetupForm {
    token: String,
    org_name: Option<String>,
    availability: Option<String>,
    processing_integrity: Option<String>,
    confidentiality: Option<String>,
    privacy: Option<String>,
    name: String,
    email: String,
    password: String,
    password_again: String,
}

async fn setup_open(state: &AppState, token: Option<&str>) -> Result<bool, WebError> {
    Ok(state.app.needs_setup().await? && token.is_some_and(|t| state.setup_token_matches(t)))
}

fn setup_closed() -> WebError {
    WebError::not_found(
        "this setup link is not valid: setup is done, or the link is from an earlier start of the server (use the newest link it printed)",
    )
}

pub(crate) async fn setup_page(
    State(state): State<Arc<AppState>>,
    Query(q): Query<SetupQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    if !setup_open(&state, q.token.as_deref()).await? {
        return Err(setup_closed());
    }
    let has_orgs = !state.app.orgs().await?.is_empty();
    auth_page(
        jar,
        state.config.secure_cookies,
        StatusCode::OK,
        "auth/setup.html",
        ctx! { token => q.token, has_orgs, error => None::<String>, form => ctx! { org_name => "", name => "", email => "" } },
    )
}

pub(crate) async fn setup(
    State(state): State<Arc<AppState>>,
    htmx: Htmx,
    jar: CookieJar,
    Form(form): Form<SetupForm>,
) -> Result<Response, WebError> {
    if !setup_open(&state, Some(&form.token)).await? {
        return Err(setup_closed());
    }
    let secure = state.config.secure_cookies;
    let has_orgs = !state.app.orgs().await?.is_empty();
    let result = create_owner(&state, &form).await;
    let (user, org) = match result {
        Ok(done) => done,
        Err(e) if e.is_user_error() => {
            return auth_page(
                jar,
                secure,
                StatusCode::BAD_REQUEST,
                "auth/setup.html",
                ctx! {
                    token => form.token.clone(), has_orgs, error => e.to_string(),
                    form => ctx! { org_name => form.org_name.clone(), name => form.name.clone(), email => form.email.clone() },
                },
            );
        }
        Err(e) => return Err(e.into()),
    };
    state.close_setup();
    tracing::info!(owner = %user.email, org = %org.slug, "first owner created; setup is closed");
    let started = state
        .app
        .start_session(&user, false, &state.config.sessions)
        .await?;
    let jar = jar.add(session_cookie(started.cookie, secure));
    Ok((jar, see_other(htmx, &format!("/o/{}", org.slug))).into_response())
}

async fn create_owner(
    state: &AppState,
    form: &SetupForm,
) -> Result<(attest_app::User, attest_app::Org), AppError> {
    if form.password != form.password_again {
        return Err(AppError::Invalid(
            "the two passwords differ; type the same password twice".into(),
        ));
    }
    let email = Email::parse(&form.email).map_err(|e| AppError::Invalid(e.to_string()))?;
    let scope = crate::forms::scope(
        &form.availability,
        &form.processing_integrity,
        &form.confidentiality,
        &form.privacy,
    );
    state
        .app
        .setup_first_owner(
            form.org_name.as_deref().unwrap_or(""),
            scope,
            &email,
            &form.name,
            &form.password,
        )
        .await
}

#[derive(Deserialize)]
pub(crate) struct ForgotForm {
    email: String,
}

pub(crate) async fn forgot_page(
    State(state): State<Arc<AppState>>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    auth_page(
        jar,
        state.config.secure_cookies,
        StatusCode::OK,
        "auth/forgot.html",
        ctx! { sent => false, mail => state.config.mailer.is_some() },
    )
}

/// With an email server, a reset link is mailed to the account (if there is one). Without, it
/// can only come from an administrator at the server (`attest user reset-link EMAIL`). The page
/// says the same thing whether or not the account exists.
pub(crate) async fn forgot(
    State(state): State<Arc<AppState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    Form(form): Form<ForgotForm>,
) -> Result<Response, WebError> {
    if !state.allow_attempt(client.ip()) {
        return Err(WebError::too_many_attempts());
    }
    if let (Some(mailer), Ok(email)) = (&state.config.mailer, Email::parse(&form.email)) {
        let actor = attest_app::Actor::new("web:password-reset")?;
        if let Some(link) = state.app.password_reset_link(&email, &actor).await? {
            mailer.send_reset_link(
                email.as_str(),
                format!("{}{}", state.config.base_url(), link.path()),
            );
        }
    }
    auth_page(
        jar,
        state.config.secure_cookies,
        StatusCode::OK,
        "auth/forgot.html",
        ctx! { sent => true, mail => state.config.mailer.is_some() },
    )
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    password: String,
    password_again: String,
}

pub(crate) async fn reset_page(
    state: State<Arc<AppState>>,
    Path(token): Path<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    link_page(state, LinkPurpose::Reset, token, jar).await
}

pub(crate) async fn invite_page(
    state: State<Arc<AppState>>,
    Path(token): Path<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    link_page(state, LinkPurpose::Invite, token, jar).await
}

pub(crate) async fn reset(
    state: State<Arc<AppState>>,
    client: ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    htmx: Htmx,
    jar: CookieJar,
    form: Form<PasswordForm>,
) -> Result<Response, WebError> {
    link(state, client, LinkPurpose::Reset, token, htmx, jar, form).await
}

pub(crate) async fn invite(
    state: State<Arc<AppState>>,
    client: ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    htmx: Htmx,
    jar: CookieJar,
    form: Form<PasswordForm>,
) -> Result<Response, WebError> {
    link(state, client, LinkPurpose::Invite, token, htmx, jar, form).await
}

async fn link_page(
    State(state): State<Arc<AppState>>,
    purpose: LinkPurpose,
    token: String,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let kind = purpose.as_str();
    let user = state.app.link_account(&token, purpose).await?;
    auth_page(
        jar,
        state.config.secure_cookies,
        StatusCode::OK,
        "auth/password.html",
        ctx! { kind, email => user.email, error => None::<String> },
    )
}

async fn link(
    State(state): State<Arc<AppState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    purpose: LinkPurpose,
    token: String,
    htmx: Htmx,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let kind = purpose.as_str();
    if !state.allow_attempt(client.ip()) {
        return Err(WebError::too_many_attempts());
    }
    let secure = state.config.secure_cookies;
    let result = if form.password == form.password_again {
        state
            .app
            .complete_link(&token, purpose, &form.password)
            .await
    } else {
        Err(AppError::Invalid(
            "the two passwords differ; type the same password twice".into(),
        ))
    };
    let user = match result {
        Ok(user) => user,
        Err(e @ AppError::Invalid(_)) => {
            let user = state.app.link_account(&token, purpose).await?;
            return auth_page(
                jar,
                secure,
                StatusCode::BAD_REQUEST,
                "auth/password.html",
                ctx! { kind, email => user.email, error => e.to_string() },
            );
        }
        Err(e) => return Err(e.into()),
    };
    // The password changed: every old session ended. Start a fresh one (the second factor,
    // if enrolled, is still asked).
    let started = state
        .app
        .start_session(&user, false, &state.config.sessions)
        .await?;
    let jar = jar.add(session_cookie(started.cookie, secure));
    let to = if user.mfa_enabled { "/signin/mfa" } else { "/" };
    Ok((jar, see_other(htmx, to)).into_response())
}

/// `/`: the org home for members of one org, the org list for several, sign-in otherwise.
pub(crate) async fn root(
    State(state): State<Arc<AppState>>,
    MaybePrincipal(principal): MaybePrincipal,
) -> Result<Response, WebError> {
    let Some(p) = principal.filter(|p| !p.user.mfa_enabled || p.mfa_passed) else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let memberships = state.app.memberships(&p.user).await?;
    Ok(match memberships.as_slice() {
        [only] => Redirect::to(&format!("/o/{}", only.org.slug)).into_response(),
        _ => Redirect::to("/orgs").into_response(),
    })
}
