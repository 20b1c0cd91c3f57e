//! Evidence in the browser: uploading a file (or recording a link or a written attestation)
//! on a control's page, downloading or previewing content, and deleting an item with a
//! reason. The API shares the upload reader and the download response.

use std::sync::Arc;

use attest_app::{EvidenceUpload, MAX_EVIDENCE_BYTES};
use attest_core::{ControlId, EvidenceKind, Period};
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Htmx, org_path, see_other};
use crate::auth::{EditControls, ManageOrg, Member, ViewProgram};
use crate::error::WebError;
use crate::state::AppState;

/// The body limit of an upload: the largest item plus room for the form's other fields.
pub(crate) const UPLOAD_LIMIT: usize = MAX_EVIDENCE_BYTES + 1024 * 1024;

/// Reads an upload form: `kind` (file, link, attestation, snapshot; file by default), `file`,
/// `url`, `text`, `title`, the period as `period` (FROM..TO) or `period_start`/`period_end`,
/// `control` (repeatable), `revises` and `retain_until`. Blank fields count as absent.
pub(crate) async fn read_upload(
    mut form: Multipart,
    source: &str,
) -> Result<EvidenceUpload, WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::bad_request(format!("the upload could not be read ({e})"))
    };
    let mut kind = None;
    let mut upload = EvidenceUpload {
        kind: EvidenceKind::File,
        title: None,
        file_name: None,
        content: Vec::new(),
        url: None,
        period: None,
        controls: Vec::new(),
        source: source.to_string(),
        revises: None,
        retain_until: None,
    };
    let (mut text, mut start, mut end, mut period) = (None, None, None, None);
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            upload.file_name = field
                .file_name()
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            // Read in chunks, stopping one byte past the limit: an oversized file is refused
            // without being held whole.
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                upload.content.extend_from_slice(&chunk);
                if upload.content.len() > MAX_EVIDENCE_BYTES {
                    return Err(WebError::new(
                        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                        "too-large",
                        format!(
                            "the file is larger than the {} MB limit; store it elsewhere and record a link",
                            MAX_EVIDENCE_BYTES / (1024 * 1024)
                        ),
                    ));
                }
            }
            continue;
        }
        let value = field.text().await.map_err(bad)?;
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let value = value.to_string();
        match name.as_str() {
            "kind" => kind = Some(value),
            "url" => upload.url = Some(value),
            "text" => text = Some(value),
            "title" => upload.title = Some(value),
            "period" => period = Some(value),
            "period_start" => start = Some(value),
            "period_end" => end = Some(value),
            "revises" => upload.revises = Some(value),
            "retain_until" => {
                upload.retain_until = Some(value.parse().map_err(|_| {
                    WebError::bad_request(format!("`{value}` is not a date (YYYY-MM-DD)"))
                })?);
            }
            "control" => upload
                .controls
                .push(ControlId::parse(&value).map_err(|_| {
                    WebError::bad_request(format!("`{value}` is not a control ID"))
                })?),
            // The CSRF field, checked before the handler ran; anything else is ignored.
            _ => {}
        }
    }
    upload.kind = match kind.as_deref() {
        None => EvidenceKind::File,
        Some(k) => k
            .parse::<EvidenceKind>()
            .map_err(|e| WebError::bad_request(e.to_string()))?,
    };
    if upload.kind == EvidenceKind::Attestation {
        upload.content = text.unwrap_or_default().into_bytes();
    }
    upload.period = match (period, start, end) {
        (Some(p), _, _) => Some(parse_period(&p)?),
        (None, Some(s), Some(e)) => Some(parse_period(&format!("{s}..{e}"))?),
        (None, Some(day), None) | (None, None, Some(day)) => Some(parse_period(&day)?),
        (None, None, None) => None,
    };
    Ok(upload)
}

fn parse_period(raw: &str) -> Result<Period, WebError> {
    raw.parse()
        .map_err(|e: attest_core::PeriodError| WebError::bad_request(e.to_string()))
}

/// `POST /o/{org}/controls/{id}/evidence`: records evidence for the control of the page.
pub(crate) async fn upload(
    State(state): State<Arc<AppState>>,
    m: Member<EditControls>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    form: Multipart,
) -> Result<Response, WebError> {
    let id = ControlId::parse(&id)
        .map_err(|_| WebError::not_found(format!("`{id}` is not a control ID")))?;
    let mut upload = read_upload(form, "upload").await?;
    upload.controls = vec![id.clone()];
    state.app.add_evidence_as(&m.principal, upload).await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/controls/{id}#evidence")),
    ))
}

/// `GET /o/{org}/evidence/{id}/content`: the content, shown in the browser when it is an
/// image, a PDF or plain text, downloaded otherwise.
pub(crate) async fn content(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    download(&state, &m.membership.org, &id).await
}

pub(crate) async fn download(
    state: &AppState,
    org: &attest_app::Org,
    id: &str,
) -> Result<Response, WebError> {
    let (item, content) = state.app.evidence_content(org, id).await?;
    let name = attest_app::evidence_file_name(&item, &content);
    let inline = matches!(
        item.media_type.as_str(),
        "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "application/pdf"
            | "text/plain"
            | "application/json"
    );
    // Text is sent as UTF-8 text, never as anything a browser would run.
    let media_type = match item.media_type.as_str() {
        "text/plain" => "text/plain; charset=utf-8".to_string(),
        other => other.to_string(),
    };
    // An ASCII name for old clients, and the real one in RFC 8187 form.
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}",
        if inline { "inline" } else { "attachment" },
    );
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeleteForm {
    reason: String,
    /// The control page to return to.
    control: Option<String>,
}

/// `POST /o/{org}/evidence/{id}/delete`: an owner or admin deletes an item, saying why.
pub(crate) async fn delete(
    State(state): State<Arc<AppState>>,
    m: Member<ManageOrg>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    state
        .app
        .delete_evidence_as(&m.principal, &id, &form.reason)
        .await?;
    let back = match form.control.as_deref().map(ControlId::parse) {
        Some(Ok(control)) => format!("/controls/{control}#evidence"),
        _ => "/dashboard".to_string(),
    };
    Ok(see_other(htmx, &org_path(&m, &back)))
}
