//! The registers over the API. Records are read as the listings show them; they are written
//! with the same column names as the CSV files and forms (`{"title": "…", "likelihood": 3}`),
//! so one vocabulary serves every interface. A `PATCH` names the revision it read.

use std::sync::Arc;

use attest_app::Imported;
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::auth::{ManageRegisters, Member, ViewProgram};
use crate::error::WebError;
use crate::pages::registers::{RegisterPage, csv_download, read_file_upload};
use crate::state::AppState;

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// A JSON object of column → value as form pairs: numbers as written, booleans as yes or no,
/// arrays joined with `;`, null as empty (which clears the field in an edit).
fn pairs(object: &Map<String, Value>) -> Result<Vec<(String, String)>, WebError> {
    object
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "key" | "revision"))
        .map(|(k, v)| {
            let text = match v {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
                Value::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => Ok(s.clone()),
                        Value::Number(n) => Ok(n.to_string()),
                        _ => Err(WebError::bad_request(format!(
                            "`{k}` lists something other than text; give strings"
                        ))),
                    })
                    .collect::<Result<Vec<_>, _>>()?
                    .join("; "),
                Value::Object(_) => {
                    return Err(WebError::bad_request(format!(
                        "`{k}` is an object; write records with their CSV column names (e.g. `likelihood`, not `inherent`)"
                    )));
                }
            };
            Ok((k.clone(), text))
        })
        .collect()
}

fn object(body: &Value) -> Result<&Map<String, Value>, WebError> {
    body.as_object()
        .ok_or_else(|| WebError::bad_request("send a JSON object of column names and values"))
}

/// `GET /api/v1/orgs/{org}/{register}` for the registers listed as they are stored (incidents,
/// systems, data flows).
pub(crate) async fn list<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Json<Value>, WebError> {
    let records = state.app.records::<T>(&m.membership.org, false).await?;
    Ok(Json(json!({ T::REGISTER: records })))
}

/// `GET /api/v1/orgs/{org}/risks`: the register with its heatmaps and assessment standing.
pub(crate) async fn risks(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Json<Value>, WebError> {
    let register = state.app.risk_register(&m.membership.org, today()).await?;
    Ok(Json(json!({
        "risks": register.risks,
        "heatmap": { "inherent": register.inherent.cells, "residual": register.residual.cells },
        "review_overdue": register.review_overdue,
        "last_assessment_approved_on": register.last_approved_on,
    })))
}

/// `GET /api/v1/orgs/{org}/vendors`: the inventory with report and review standing.
pub(crate) async fn vendors(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Json<Value>, WebError> {
    let vendors = state.app.vendors(&m.membership.org, today()).await?;
    Ok(Json(json!({ "vendors": vendors })))
}

/// `GET /api/v1/orgs/{org}/{register}/{key}`.
pub(crate) async fn show<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, key)): Path<(String, String)>,
) -> Result<Json<Value>, WebError> {
    let record = state.app.record::<T>(&m.membership.org, &key).await?;
    Ok(Json(record.to_json()))
}

/// `POST /api/v1/orgs/{org}/{register}`: adds a record (`key` optional); 201 with the record.
pub(crate) async fn create<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let fields = object(&body)?;
    let key = fields.get("key").and_then(Value::as_str);
    let saved = state
        .app
        .add_record_fields::<T>(
            &m.membership.org,
            &m.principal.actor(),
            key,
            pairs(fields)?,
            today(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(saved.to_json())))
}

/// `PATCH /api/v1/orgs/{org}/{register}/{key}`: changes the fields given, at the `revision`
/// read (a later save by someone else is a 409).
pub(crate) async fn update<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    Path((_, key)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, WebError> {
    let fields = object(&body)?;
    let revision = fields
        .get("revision")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            WebError::bad_request(
                "give the `revision` you read, so a change made meanwhile is not overwritten",
            )
        })?;
    let saved = state
        .app
        .edit_record_fields::<T>(
            &m.membership.org,
            &m.principal.actor(),
            &key,
            Some(revision),
            pairs(fields)?,
            today(),
        )
        .await?;
    Ok(Json(saved.to_json()))
}

/// `POST /api/v1/orgs/{org}/{register}/import`: multipart `file` (CSV or XLSX), all rows or none.
pub(crate) async fn import<T: RegisterPage>(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    form: Multipart,
) -> Result<Json<Imported>, WebError> {
    let (file, _) = read_file_upload(form).await?;
    let (name, bytes) = file.ok_or_else(|| {
        WebError::bad_request("send the CSV or XLSX file as the multipart field `file`")
    })?;
    Ok(Json(
        state
            .app
            .import_records::<T>(
                &m.membership.org,
                &m.principal.actor(),
                &name,
                &bytes,
                today(),
            )
            .await?,
    ))
}

/// `GET /api/v1/orgs/{org}/{register}/export.csv`.
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
