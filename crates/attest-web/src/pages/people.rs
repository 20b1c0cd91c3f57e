//! The people register: the roster with checklist progress, a person's checklist, adding and
//! editing people, importing an HR export, and recording onboarding and offboarding steps.

use std::sync::Arc;

use attest_app::{NewPerson, NewStep, PersonView};
use attest_core::{ChecklistItem, Email, EmploymentType, ItemStatus, Permission};
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::response::{Html, Response};
use chrono::Utc;
use serde::Deserialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{ManagePeople, Member, ViewPeople};
use crate::error::WebError;
use crate::forms::{date, encode_component, non_empty};
use crate::state::AppState;
use crate::templates::render;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RosterQuery {
    state: Option<String>,
    imported: Option<String>,
}

/// `GET /o/{org}/people`: the roster.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
    Query(q): Query<RosterQuery>,
) -> Result<Html<String>, WebError> {
    let today = Utc::now().date_naive();
    let people = state.app.people(&m.membership.org, today).await?;
    let count = |s: &str| people.iter().filter(|p| p.state.as_str() == s).count();
    let counts = ctx! {
        joining => count("joining"),
        current => count("current"),
        left => count("left"),
        overdue => people.iter().filter(|p| overdue(p) > 0).count(),
    };
    let wanted = non_empty(&q.state);
    let shown: Vec<_> = people
        .iter()
        .filter(|p| wanted.is_none_or(|s| p.state.as_str() == s))
        .map(|p| ctx! { p, overdue => overdue(p) })
        .collect();
    render(
        "people.html",
        ctx! {
            layout => Layout::for_member(&m, "people"),
            people => shown,
            total => people.len(),
            counts,
            state => wanted.unwrap_or_default(),
            imported => q.imported.clone().unwrap_or_default(),
            can_manage => m.membership.role.allows(Permission::ManagePeople),
            types => EmploymentType::ALL,
        },
    )
}

fn overdue(p: &PersonView) -> usize {
    p.onboarding.overdue + p.offboarding.map_or(0, |o| o.overdue)
}

/// `GET /o/{org}/people/{id}`: one person and their checklist.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewPeople>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let today = Utc::now().date_naive();
    let detail = state
        .app
        .person_detail(&m.membership.org, &id, today)
        .await?;
    let recordable: Vec<&str> = ChecklistItem::ALL
        .iter()
        .filter(|i| i.source() == attest_core::ItemSource::Recorded)
        .map(|i| i.as_str())
        .collect();
    render(
        "person.html",
        ctx! {
            layout => Layout::for_member(&m, "people"),
            p => detail.person,
            checklist => detail.checklist,
            can_manage => m.membership.role.allows(Permission::ManagePeople),
            types => EmploymentType::ALL,
            recordable,
            statuses => ItemStatus::ALL,
            today => today.to_string(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct PersonForm {
    email: String,
    name: String,
    title: Option<String>,
    department: Option<String>,
    employment_type: Option<String>,
    manager_email: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    github_login: Option<String>,
}

impl PersonForm {
    fn person(&self) -> Result<NewPerson, WebError> {
        let email = |raw: &str| Email::parse(raw).map_err(|e| WebError::bad_request(e.to_string()));
        let mut p = NewPerson::manual(
            email(&self.email)?,
            &self.name,
            non_empty(&self.title).unwrap_or_default(),
            non_empty(&self.department).unwrap_or_default(),
        );
        p.employment_type = non_empty(&self.employment_type)
            .map(str::parse)
            .transpose()
            .map_err(WebError::bad_request)?
            .unwrap_or(EmploymentType::Employee);
        p.manager_email = non_empty(&self.manager_email).map(email).transpose()?;
        p.start_date = date(&self.start_date, "the start date")?;
        p.end_date = date(&self.end_date, "the end date")?;
        p.github_login = non_empty(&self.github_login).map(str::to_owned);
        Ok(p)
    }
}

/// `POST /o/{org}/people`: adds a person by hand.
pub(crate) async fn add(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Form(form): Form<PersonForm>,
) -> Result<Response, WebError> {
    let person = state
        .app
        .add_person(&m.membership.org, &m.principal.actor(), form.person()?)
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/people/{}", person.id)),
    ))
}

/// `POST /o/{org}/people/{id}`: changes a person's record.
pub(crate) async fn update(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<PersonForm>,
) -> Result<Response, WebError> {
    let person = state
        .app
        .update_person(&m.membership.org, &m.principal.actor(), &id, form.person()?)
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/people/{}", person.id)),
    ))
}

/// `POST /o/{org}/people/import`: an HR export (multipart `file`, and `map` lines of
/// `COLUMN=FIELD`), or `from_evidence` to take the latest HR roster evidence.
pub(crate) async fn import(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    form: Multipart,
) -> Result<Response, WebError> {
    let upload = read_roster_upload(form).await?;
    let org = &m.membership.org;
    let actor = m.principal.actor();
    let report = match upload.file {
        _ if upload.from_evidence => state.app.import_people_from_evidence(org, &actor).await?,
        Some((name, bytes)) => {
            state
                .app
                .import_people(org, &actor, &name, bytes, &upload.map)
                .await?
        }
        None => {
            return Err(WebError::bad_request(
                "choose the HR export to import (CSV or XLSX), or import from the HR roster evidence",
            ));
        }
    };
    let mut summary = format!(
        "{} added, {} updated, {} unchanged",
        report.added, report.updated, report.unchanged
    );
    for (value, rows) in &report.unrecognized_types {
        summary.push_str(&format!(
            "; {rows} with the employment type “{value}” taken as employees"
        ));
    }
    let query = encode_component(&summary);
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/people?imported={query}")),
    ))
}

/// A roster upload, as the page and the API send it.
pub(crate) struct RosterUpload {
    pub(crate) file: Option<(String, Vec<u8>)>,
    pub(crate) map: Vec<(String, String)>,
    pub(crate) from_evidence: bool,
}

/// Reads `file`, `map` (one `COLUMN=FIELD` per line or per field) and `from_evidence`.
pub(crate) async fn read_roster_upload(mut form: Multipart) -> Result<RosterUpload, WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::bad_request(format!("the upload could not be read ({e})"))
    };
    let mut upload = RosterUpload {
        file: None,
        map: Vec::new(),
        from_evidence: false,
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("roster").to_owned();
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                if !bytes.is_empty() {
                    upload.file = Some((name, bytes));
                }
            }
            "map" => {
                for line in field.text().await.map_err(bad)?.lines() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    upload.map.push(
                        attest_collect::parse_map_entry(line.trim())
                            .map_err(|e| WebError::bad_request(e.to_string()))?,
                    );
                }
            }
            "from_evidence" => upload.from_evidence = !field.text().await.map_err(bad)?.is_empty(),
            "_csrf" => {}
            other => {
                return Err(WebError::bad_request(format!(
                    "unknown field `{other}`; send file, map or from_evidence"
                )));
            }
        }
    }
    Ok(upload)
}

#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    item: String,
    status: Option<String>,
    completed_on: Option<String>,
    provider: Option<String>,
    reference: Option<String>,
    evidence_id: Option<String>,
    note: Option<String>,
}

/// `POST /o/{org}/people/{id}/checklist`: records one onboarding or offboarding step.
pub(crate) async fn record_step(
    State(state): State<Arc<AppState>>,
    m: Member<ManagePeople>,
    htmx: Htmx,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<StepForm>,
) -> Result<Response, WebError> {
    let item: ChecklistItem = form.item.parse().map_err(WebError::bad_request)?;
    let step = NewStep {
        status: non_empty(&form.status)
            .map(str::parse)
            .transpose()
            .map_err(WebError::bad_request)?,
        completed_on: date(&form.completed_on, "the completion day")?,
        provider: form.provider.clone(),
        reference: form.reference.clone(),
        evidence_id: non_empty(&form.evidence_id).map(str::to_owned),
        note: form.note.clone().unwrap_or_default(),
    };
    state
        .app
        .record_checklist_step(&m.membership.org, &m.principal.actor(), &id, item, step)
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/people/{id}#checklist")),
    ))
}
