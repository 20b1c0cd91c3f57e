//! The one mapping from use-case errors to HTTP: a status, a stable code and a message a
//! person can act on. Pages get an error page (or a toast for htmx requests); the API gets
//! `{"error": {"code", "message"}}`. Internal errors are logged and never shown.

use attest_app::AppError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// How an error is shown: as a page (or htmx toast), or as API JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Page { htmx: bool },
    Api,
}

/// An error on its way to the client; [`render_errors`] shows it to its audience.
#[derive(Debug)]
pub(crate) struct WebError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

#[derive(Serialize)]
struct ApiErrorBody<'a> {
    error: ApiErrorDetail<'a>,
}

#[derive(Serialize)]
struct ApiErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
}

impl WebError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        WebError {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", message)
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub(crate) fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first (API clients: send `Authorization: Bearer attest_…` with a token from Settings → API tokens)",
        )
    }

    pub(crate) fn too_many_attempts() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-attempts",
            "too many attempts from this address; wait a minute and try again",
        )
    }
}

impl From<AppError> for WebError {
    fn from(err: AppError) -> Self {
        let (status, code) = match &err {
            AppError::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "too-many-attempts"),
            e if e.is_user_error() => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %err, "request failed");
            "something went wrong on the server; the error is in its log".to_string()
        } else if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(error = %err, "storage unavailable");
            // Which store failed, not how: its address and settings stay in the server's log.
            let store = if err.is_evidence_store() {
                "evidence store"
            } else {
                "database"
            };
            format!("the server cannot reach its {store} right now; try again shortly")
        } else {
            err.to_string()
        };
        WebError::new(status, code, message)
    }
}

impl IntoResponse for WebError {
    /// Leaves the rendering to [`render_errors`], which knows whether the request came from a
    /// page, htmx or an API client.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(ErrorInfo {
            status: self.status,
            code: self.code,
            message: self.message,
        });
        response
    }
}

/// An error waiting to be rendered, carried in the response's extensions.
#[derive(Debug, Clone)]
struct ErrorInfo {
    status: StatusCode,
    code: &'static str,
    message: String,
}

fn audience_of(parts: &axum::http::request::Parts) -> Audience {
    if parts.uri.path().starts_with("/api/") {
        Audience::Api
    } else {
        Audience::Page {
            htmx: parts.headers.contains_key("hx-request"),
        }
    }
}

/// Middleware: renders every error response for its audience. It also turns the framework's
/// own plain-text rejections (a malformed form, a body too large, a wrong content type) into
/// the same page or JSON shape, so no client ever sees a bare text error.
pub(crate) async fn render_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let audience = audience_of(&parts);
    let method = parts.method.clone();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let response = next
        .run(axum::extract::Request::from_parts(parts, body))
        .await;
    let info = match response.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        None if is_framework_rejection(&response) => {
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 8 * 1024)
                .await
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            ErrorInfo {
                status,
                code: code_for(status),
                message: explain_rejection(status, &text),
            }
        }
        None => return response,
    };
    render(info, audience, &method, &path)
}

fn is_framework_rejection(response: &Response) -> bool {
    response.status().is_client_error()
        && response
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|ct| ct.starts_with("text/plain"))
}

fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        _ => "invalid",
    }
}

fn explain_rejection(status: StatusCode, text: &str) -> String {
    match status {
        StatusCode::NOT_FOUND => "there is nothing at this address; check the link".into(),
        StatusCode::METHOD_NOT_ALLOWED => "this address does not accept that method".into(),
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is too large; send less data (forms are limited to 256 KiB)".into()
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => format!(
            "wrong content type: {}; send application/json to the API and form data to pages",
            if text.is_empty() { "unsupported" } else { text }
        ),
        _ if text.is_empty() => "the request is malformed".into(),
        _ => format!("the request is malformed: {text}"),
    }
}

fn render(
    info: ErrorInfo,
    audience: Audience,
    method: &axum::http::Method,
    path: &str,
) -> Response {
    let signed_out = info.status == StatusCode::UNAUTHORIZED;
    match audience {
        Audience::Api => {
            let body = ApiErrorBody {
                error: ApiErrorDetail {
                    code: info.code,
                    message: &info.message,
                },
            };
            (info.status, axum::Json(body)).into_response()
        }
        Audience::Page { htmx: true } if signed_out => {
            let mut r = StatusCode::OK.into_response();
            r.headers_mut()
                .insert("hx-redirect", HeaderValue::from_static("/signin"));
            r
        }
        Audience::Page { htmx: false } if signed_out && method == axum::http::Method::GET => {
            let target = format!("/signin?next={}", crate::forms::encode_component(path));
            axum::response::Redirect::to(&target).into_response()
        }
        Audience::Page { htmx: true } => {
            // htmx swaps this into the toast region instead of replacing the page.
            let mut response = (
                info.status,
                axum::response::Html(crate::templates::toast(&info.message)),
            )
                .into_response();
            let headers = response.headers_mut();
            headers.insert("hx-retarget", HeaderValue::from_static("#toast"));
            headers.insert("hx-reswap", HeaderValue::from_static("beforeend"));
            response
        }
        Audience::Page { htmx: false } => {
            let page = crate::templates::error_page(info.status, &info.message);
            (info.status, axum::response::Html(page)).into_response()
        }
    }
}
