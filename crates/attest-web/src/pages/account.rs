//! The signed-in person's own account: turning on TOTP multi-factor authentication (with a QR
//! code and recovery codes shown once).

use std::sync::Arc;

use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::Layout;
use crate::auth::Session;
use crate::error::WebError;
use crate::qr;
use crate::state::AppState;
use crate::templates::render;

#[derive(Debug, Deserialize)]
pub(crate) struct SecurityQuery {
    required: Option<String>,
}

async fn security_view(
    state: &AppState,
    p: &attest_app::Principal,
    required: bool,
    codes: Option<Vec<String>>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let pending = if p.user.mfa_enabled {
        None
    } else {
        state.app.pending_totp(&p.user).await?
    };
    let enrollment =
        pending.map(|e| ctx! { secret => e.secret, qr => qr::svg(&e.url).unwrap_or_default() });
    let codes_left = if p.user.mfa_enabled || codes.is_some() {
        Some(state.app.recovery_codes_left(&p.user).await?)
    } else {
        None
    };
    render(
        "account/security.html",
        ctx! {
            layout => Layout::for_principal(p, "account"),
            mfa_enabled => p.user.mfa_enabled || codes.is_some(),
            enrollment,
            codes,
            codes_left,
            required,
            error,
        },
    )
}

pub(crate) async fn security(
    State(state): State<Arc<AppState>>,
    Session(p): Session,
    Query(q): Query<SecurityQuery>,
) -> Result<Html<String>, WebError> {
    security_view(&state, &p, q.required.is_some(), None, None).await
}

pub(crate) async fn begin_mfa(
    State(state): State<Arc<AppState>>,
    Session(p): Session,
) -> Result<Html<String>, WebError> {
    state.app.begin_totp(&p.user).await?;
    security_view(&state, &p, false, None, None).await
}

#[derive(Deserialize)]
pub(crate) struct ConfirmForm {
    code: String,
}

pub(crate) async fn confirm_mfa(
    State(state): State<Arc<AppState>>,
    Session(p): Session,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, WebError> {
    match state.app.confirm_totp(&p, &form.code).await {
        Ok(codes) => security_view(&state, &p, false, Some(codes), None)
            .await
            .map(IntoResponse::into_response),
        Err(e @ attest_app::AppError::Invalid(_)) => {
            let page = security_view(&state, &p, false, None, Some(e.to_string())).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
