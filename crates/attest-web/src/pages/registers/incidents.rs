//! The incidents page and an incident's page: the log, the population of a period, exercises,
//! and an incident's timeline.

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_core::{Exercise, Incident, Period};
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, Response};
use chrono::{NaiveDate, Utc};

use super::{csv_download, derived_fields, form_fields, from_form, posted};
use crate::auth::{ManageRegisters, Member, ViewProgram};
use crate::error::WebError;
use crate::pages::{Htmx, Layout, org_path, see_other};
use crate::state::AppState;
use crate::templates::render;

/// `GET /o/{org}/incidents`.
pub(crate) async fn page(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let (incidents, exercises) = state.app.incident_log(org).await?;
    let today = Utc::now().date_naive();
    render(
        "incidents.html",
        ctx! {
            layout => Layout::for_member(&m, "registers"),
            tab => "incidents",
            incidents => incidents.iter().map(|i| i.to_json()).collect::<Vec<_>>(),
            exercises => exercises.iter().map(|e| e.to_json()).collect::<Vec<_>>(),
            incident_fields => form_fields::<Incident>(None),
            exercise_fields => form_fields::<Exercise>(None),
            year_start => NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1),
            today,
            me => m.principal.user.email.to_string(),
            imported => query.get("imported"),
        },
    )
}

/// `GET /o/{org}/incidents/{key}`: the incident with its timeline.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, key)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let record = state.app.record::<Incident>(org, &key).await?;
    let history = state.app.record_history::<Incident>(org, &key).await?;
    render(
        "incident.html",
        ctx! {
            layout => Layout::for_member(&m, "registers"),
            i => record.to_json(),
            key => record.key,
            revision => record.revision,
            derived => derived_fields(&record),
            fields => form_fields(Some(&record.body)),
            history,
        },
    )
}

/// `POST /o/{org}/incidents/{key}/timeline`: adds a line to the timeline.
pub(crate) async fn note(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Path((_, key)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let text = form.get("text").map(String::as_str).unwrap_or_default();
    let at = match form.get("at").map(|a| a.trim()).filter(|a| !a.is_empty()) {
        Some(raw) => attest_app::Fields::from_pairs([("at", raw)])
            .time("at")
            .map_err(|e| WebError::bad_request(format!("the time: {}", e.message)))?,
        None => Utc::now(),
    };
    state
        .app
        .add_timeline_entry(&m.membership.org, &m.principal.actor(), &key, at, text)
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/incidents/{key}#timeline")),
    ))
}

/// `GET /o/{org}/incidents/population.csv?from=…&to=…`: the incidents detected in a period.
pub(crate) async fn population(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let day = |name: &str| {
        query
            .get(name)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| {
                WebError::bad_request(format!("give the period's `{name}` day as YYYY-MM-DD"))
            })
    };
    let period =
        Period::new(day("from")?, day("to")?).map_err(|e| WebError::bad_request(e.to_string()))?;
    let (_, csv) = state
        .app
        .incident_population(&m.membership.org, &period)
        .await?;
    Ok(csv_download(
        &format!(
            "{}-incidents-{}-{}.csv",
            m.membership.org.slug, period.start, period.end
        ),
        csv,
    ))
}

/// `POST /o/{org}/exercises`: records an exercise, kept as evidence.
pub(crate) async fn record_exercise(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let exercise = from_form::<Exercise>(posted(&form))?;
    let saved = state
        .app
        .record_exercise(
            &m.membership.org,
            &m.principal.actor(),
            exercise,
            Utc::now().date_naive(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/exercises/{}", saved.key)),
    ))
}
