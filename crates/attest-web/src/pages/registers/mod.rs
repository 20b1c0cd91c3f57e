//! The registers in the browser: risks, vendors, incidents and assets. What every register
//! shares (a record's page with its edit form and history, adding, editing, retiring, CSV or
//! XLSX import and CSV export) is written once here over [`RegisterPage`]; the list pages and
//! the workflows (heatmap and assessment, vendor reports and reviews, timelines, exercises, the
//! data-flow diagram) live beside it.

pub(crate) mod assets;
pub(crate) mod incidents;
pub(crate) mod risks;
pub(crate) mod vendors;

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_app::{Column, Record, Register};
use attest_core::{DataFlow, Exercise, Incident, Risk, RiskAssessment, System, Vendor};
use axum::extract::{Form, Multipart, Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{ManageRegisters, Member, ViewProgram};
use crate::error::WebError;
use crate::forms::encode_component;
use crate::state::AppState;
use crate::templates::render;

/// Where a register's records live in the browser.
pub(crate) trait RegisterPage: Register {
    /// The path segment of its records: `/o/{org}/{PATH}/{key}`.
    const PATH: &'static str;
    /// The page that lists it.
    const LIST: &'static str;
    /// Its name on pages, capitalized: "Risk".
    const TITLE: &'static str;
}

impl RegisterPage for Risk {
    const PATH: &'static str = "risks";
    const LIST: &'static str = "risks";
    const TITLE: &'static str = "Risk";
}

impl RegisterPage for RiskAssessment {
    const PATH: &'static str = "risk-assessments";
    const LIST: &'static str = "risks";
    const TITLE: &'static str = "Risk assessment";
}

impl RegisterPage for Vendor {
    const PATH: &'static str = "vendors";
    const LIST: &'static str = "vendors";
    const TITLE: &'static str = "Vendor";
}

impl RegisterPage for Incident {
    const PATH: &'static str = "incidents";
    const LIST: &'static str = "incidents";
    const TITLE: &'static str = "Incident";
}

impl RegisterPage for Exercise {
    const PATH: &'static str = "exercises";
    const LIST: &'static str = "incidents";
    const TITLE: &'static str = "Exercise";
}

impl RegisterPage for System {
    const PATH: &'static str = "assets";
    const LIST: &'static str = "assets";
    const TITLE: &'static str = "System";
}

impl RegisterPage for DataFlow {
    const PATH: &'static str = "data-flows";
    const LIST: &'static str = "assets";
    const TITLE: &'static str = "Data flow";
}

/// One input of a record's form, with its current value.
#[derive(Debug, Serialize)]
pub(crate) struct FormField {
    #[serde(flatten)]
    column: Column,
    value: String,
}

impl FormField {
    pub(crate) fn name(&self) -> &'static str {
        self.column.name
    }
}

/// The form fields of register `T`, filled from `record` when there is one.
pub(crate) fn form_fields<T: Register>(record: Option<&T>) -> Vec<FormField> {
    let values = record.map(Register::to_cells).unwrap_or_default();
    T::columns()
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.derived)
        .map(|(i, c)| FormField {
            column: *c,
            value: values.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}

/// A record's page: every field, its edit form, and its history.
pub(crate) async fn show<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, key)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let record = state.app.record::<T>(org, &key).await?;
    let history = state.app.record_history::<T>(org, &key).await?;
    render(
        "record.html",
        ctx! {
            layout => Layout::for_member(&m, "registers"),
            title => T::TITLE,
            path => T::PATH,
            list => T::LIST,
            record => record.to_json(),
            key => record.key,
            revision => record.revision,
            retired => record.retired_at.is_some(),
            fields => form_fields(Some(&record.body)),
            derived => derived_fields(&record),
            history,
            extra => None::<String>,
        },
    )
}

/// The derived columns (scores, tiers) with their values, for display.
pub(crate) fn derived_fields<T: Register>(record: &Record<T>) -> Vec<(String, String)> {
    T::columns()
        .iter()
        .zip(record.body.to_cells())
        .filter(|(c, _)| c.derived)
        .map(|(c, v)| (c.name.replace('_', " "), v))
        .collect()
}

/// The fields a form posted, without the form's own (`_csrf`, `_revision`).
pub(crate) fn posted(form: &BTreeMap<String, String>) -> Vec<(String, String)> {
    form.iter()
        .filter(|(k, _)| !k.starts_with('_') && k.as_str() != "key")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Reads a record from a form's fields, naming the field on error.
pub(crate) fn from_form<T: Register>(pairs: Vec<(String, String)>) -> Result<T, WebError> {
    Ok(attest_app::record_from_fields::<T>(pairs)?)
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// `POST /o/{org}/{PATH}`: adds a record from the form.
pub(crate) async fn create<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let key = form.get("key").map(|k| k.trim()).filter(|k| !k.is_empty());
    let saved = state
        .app
        .add_record_fields::<T>(
            &m.membership.org,
            &m.principal.actor(),
            key,
            posted(&form),
            today(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/{}/{}", T::PATH, saved.key)),
    ))
}

fn revision(form: &BTreeMap<String, String>) -> Result<u64, WebError> {
    form.get("_revision")
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| {
            WebError::bad_request("the form lacks the revision it was read at; reload the page")
        })
}

/// `POST /o/{org}/{PATH}/{key}`: saves the edit form, refused when someone saved meanwhile.
pub(crate) async fn update<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Path((_, key)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    state
        .app
        .edit_record_fields::<T>(
            &m.membership.org,
            &m.principal.actor(),
            &key,
            Some(revision(&form)?),
            posted(&form),
            today(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/{}/{key}", T::PATH)),
    ))
}

/// `POST /o/{org}/{PATH}/{key}/retire`: takes the record out of its register.
pub(crate) async fn retire<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Path((_, key)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    state
        .app
        .retire_record::<T>(
            &m.membership.org,
            &m.principal.actor(),
            &key,
            Some(revision(&form)?),
        )
        .await?;
    Ok(see_other(htmx, &org_path(&m, &format!("/{}", T::LIST))))
}

/// Reads the one file of an upload form (`file`), ignoring `_csrf`; other fields are returned.
pub(crate) async fn read_file_upload(
    mut form: Multipart,
) -> Result<(Option<(String, Vec<u8>)>, Vec<(String, String)>), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::bad_request(format!("the upload could not be read ({e})"))
    };
    let mut file = None;
    let mut fields = Vec::new();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("upload").to_owned();
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                if !bytes.is_empty() {
                    file = Some((file_name, bytes));
                }
            }
            "_csrf" => {}
            _ => fields.push((name, field.text().await.map_err(bad)?)),
        }
    }
    Ok((file, fields))
}

/// `POST /o/{org}/{PATH}/import`: imports a CSV or XLSX file into the register.
pub(crate) async fn import<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    form: Multipart,
) -> Result<Response, WebError> {
    let (file, _) = read_file_upload(form).await?;
    let (name, bytes) =
        file.ok_or_else(|| WebError::bad_request("choose the CSV or XLSX file to import"))?;
    let done = state
        .app
        .import_records::<T>(
            &m.membership.org,
            &m.principal.actor(),
            &name,
            &bytes,
            today(),
        )
        .await?;
    let summary = format!(
        "{}: {} rows, {} added, {} updated, {} unchanged",
        done.file, done.rows, done.created, done.updated, done.unchanged
    );
    Ok(see_other(
        htmx,
        &org_path(
            &m,
            &format!("/{}?imported={}", T::LIST, encode_component(&summary)),
        ),
    ))
}

/// `GET /o/{org}/{PATH}/export.csv`: the register as CSV, which imports back as it is.
pub(crate) async fn export<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Response, WebError> {
    let csv = state.app.export_records::<T>(&m.membership.org).await?;
    Ok(csv_download(
        &format!("{}-{}.csv", m.membership.org.slug, T::REGISTER),
        csv,
    ))
}

/// A CSV file to download.
pub(crate) fn csv_download(name: &str, csv: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        csv,
    )
        .into_response()
}
