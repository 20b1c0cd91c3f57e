//! The two ends of a single sign-on: `/sso/start` sends the browser to the provider, and
//! `/sso/callback` is where the provider sends it back (see `crate::sso` for the protocol).

use std::net::SocketAddr;
use std::sync::Arc;

use attest_app::{AppError, SignIn};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::auth::{NextQuery, begin_session};
use crate::auth::MaybePrincipal;
use crate::error::WebError;
use crate::forms::local_path;
use crate::sso::{Callback, STATE_COOKIE, SsoFailure};
use crate::state::AppState;
use crate::templates::render;

pub(crate) async fn start(
    State(state): State<Arc<AppState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Query(q): Query<NextQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let Some(sso) = &state.sso else {
        return Err(not_configured());
    };
    if !state.allow_attempt(client.ip()) {
        return Err(WebError::too_many_attempts());
    }
    let (url, flow_state) = match sso.begin(local_path(q.next.as_deref())).await {
        Ok(begun) => begun,
        Err(failure) => return failure_page(failure),
    };
    // SameSite=Lax: the provider's redirect back is a top-level navigation from its site.
    let cookie = Cookie::build((STATE_COOKIE, flow_state))
        .path("/sso")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Lax)
        .build();
    Ok((jar.add(cookie), Redirect::to(&url)).into_response())
}

pub(crate) async fn callback(
    State(state): State<Arc<AppState>>,
    MaybePrincipal(previous): MaybePrincipal,
    Query(callback): Query<Callback>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let Some(sso) = &state.sso else {
        return Err(not_configured());
    };
    let cookie_state = jar.get(STATE_COOKIE).map(|c| c.value().to_string());
    let mut removal = Cookie::build((STATE_COOKIE, "")).path("/sso").build();
    removal.make_removal();
    let jar = jar.add(removal);
    let (identity, next) = match sso.finish(cookie_state.as_deref(), callback).await {
        Ok(done) => done,
        Err(failure) => return failure_page(failure).map(|page| (jar, page).into_response()),
    };
    let (user, mfa_pending) = match state.app.sso_sign_in(&identity).await {
        Ok(SignIn::Done(user)) => (user, false),
        Ok(SignIn::NeedsSecondFactor(user)) => (user, true),
        Err(e @ (AppError::Forbidden(_) | AppError::Unauthenticated(_))) => {
            tracing::info!(issuer = %identity.issuer, subject = %identity.subject, "single sign-on refused: {e}");
            let failure = SsoFailure {
                status: StatusCode::FORBIDDEN,
                message: e.to_string(),
                hints: Vec::new(),
            };
            return failure_page(failure).map(|page| (jar, page).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let (jar, to) = begin_session(&state, previous, &user, mfa_pending, next, jar).await?;
    Ok((jar, Redirect::to(&to)).into_response())
}

fn not_configured() -> WebError {
    WebError::not_found(
        "single sign-on is not set up on this server; sign in with your email and password, or ask its administrator to start it with --oidc-issuer",
    )
}

/// The page a failed sign-in shows: what happened, and what to check.
fn failure_page(failure: SsoFailure) -> Result<Response, WebError> {
    let page = render(
        "auth/sso_error.html",
        ctx! { message => failure.message, hints => failure.hints },
    )?;
    Ok((failure.status, page).into_response())
}
