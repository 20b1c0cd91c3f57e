//! The people register: the roster (by hand, from an HR export, or from the HR roster
//! evidence), and each person's onboarding and offboarding checklist.

mod checklist;
mod import;
mod records;

use attest_core::{Email, EmploymentType, check_dates, is_current};
use attest_store::{NewAuditEntry, NewPerson, Org, Person, RosterChange, StoreError};
use chrono::NaiveDate;
use serde::Serialize;

pub use checklist::{ChecklistLine, LineStatus, NewStep, Progress};
pub use import::RosterImport;

use crate::error::AppError;
use crate::workspace::{Actor, App};

/// Where a person stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersonState {
    /// Hired, not started yet.
    Joining,
    Current,
    Left,
}

impl PersonState {
    pub fn of(person: &Person, day: NaiveDate) -> PersonState {
        if is_current(person.start_date, person.end_date, day) {
            PersonState::Current
        } else if person.start_date.is_some_and(|s| s > day) {
            PersonState::Joining
        } else {
            PersonState::Left
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PersonState::Joining => "joining",
            PersonState::Current => "current",
            PersonState::Left => "left",
        }
    }
}

/// A person as listings show them (`attest people list --json`, the API, the roster page).
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: String,
    pub email: Email,
    pub name: String,
    pub title: String,
    pub department: String,
    pub employment_type: EmploymentType,
    pub manager_email: Option<Email>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub github_login: Option<String>,
    pub source: String,
    pub state: PersonState,
    pub onboarding: Progress,
    /// Only for people with an end date.
    pub offboarding: Option<Progress>,
}

/// One person with every checklist line.
#[derive(Debug, Clone, Serialize)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: PersonView,
    pub checklist: Vec<ChecklistLine>,
}

impl PersonView {
    fn new(p: Person, lines: &[ChecklistLine], today: NaiveDate) -> PersonView {
        let state = PersonState::of(&p, today);
        let onboarding = Progress::of(lines, attest_core::Phase::Onboarding);
        let offboarding = p
            .end_date
            .map(|_| Progress::of(lines, attest_core::Phase::Offboarding));
        PersonView {
            id: p.id,
            email: p.email,
            name: p.name,
            title: p.title,
            department: p.department,
            employment_type: p.employment_type,
            manager_email: p.manager_email,
            start_date: p.start_date,
            end_date: p.end_date,
            github_login: p.github_login,
            source: p.source,
            state,
            onboarding,
            offboarding,
        }
    }
}

/// Checks a person's record before it is stored.
pub(crate) fn validate(p: &NewPerson) -> Result<(), AppError> {
    let name = p.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::Invalid(format!(
            "the name of {} must be 1 to 200 characters",
            p.email
        )));
    }
    if p.title.chars().count() > 200 || p.department.chars().count() > 200 {
        return Err(AppError::Invalid(format!(
            "the title and department of {} must be at most 200 characters each",
            p.email
        )));
    }
    if p.manager_email.as_ref() == Some(&p.email) {
        return Err(AppError::Invalid(format!(
            "{} cannot be their own manager; give the manager's email or leave it empty",
            p.email
        )));
    }
    check_dates(p.start_date, p.end_date)
        .map_err(|e| AppError::Invalid(format!("{}: {e}", p.email)))
}

fn roster_entry(
    actor: &Actor,
    action: &str,
    target: &str,
    detail: serde_json::Value,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.as_str().to_owned(),
        action: action.to_owned(),
        target: Some(target.to_owned()),
        detail,
    }
}

impl App {
    /// Everyone on the roster with their checklist progress on `today`.
    pub async fn people(&self, org: &Org, today: NaiveDate) -> Result<Vec<PersonView>, AppError> {
        let people = self.store.list_people(&org.id).await?;
        let facts = self.checklist_facts(org, &people).await?;
        Ok(people
            .into_iter()
            .map(|p| {
                let lines = facts.lines(&p, today);
                PersonView::new(p, &lines, today)
            })
            .collect())
    }

    /// One person and their whole checklist.
    pub async fn person_detail(
        &self,
        org: &Org,
        id: &str,
        today: NaiveDate,
    ) -> Result<PersonDetail, AppError> {
        let person = self.stored_person(org, id).await?;
        let facts = self
            .checklist_facts(org, std::slice::from_ref(&person))
            .await?;
        let checklist = facts.lines(&person, today);
        Ok(PersonDetail {
            person: PersonView::new(person, &checklist, today),
            checklist,
        })
    }

    /// The person with this id, or with this email.
    pub async fn person(&self, org: &Org, id: &str) -> Result<Person, AppError> {
        self.stored_person(org, id).await
    }

    pub(crate) async fn stored_person(&self, org: &Org, id: &str) -> Result<Person, AppError> {
        let not_found = || {
            AppError::NotFound(format!(
                "no person {id} in {}; `attest people list` shows the roster",
                org.name
            ))
        };
        if id.contains('@') {
            let email = Email::parse(id).map_err(|e| AppError::Invalid(e.to_string()))?;
            return self
                .store
                .list_people(&org.id)
                .await?
                .into_iter()
                .find(|p| p.email == email)
                .ok_or_else(not_found);
        }
        self.store.person(&org.id, id).await.map_err(|e| match e {
            StoreError::NotFound => not_found(),
            other => other.into(),
        })
    }

    /// Adds one person by hand.
    pub async fn add_person(
        &self,
        org: &Org,
        actor: &Actor,
        mut new: NewPerson,
    ) -> Result<Person, AppError> {
        new.source = "manual".to_owned();
        validate(&new)?;
        let entry = roster_entry(
            actor,
            "person.added",
            &format!("person:{}", new.email),
            serde_json::json!({ "name": new.name }),
        );
        let ids = self
            .store
            .save_people(&org.id, &[RosterChange::Add(new)], &entry)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(what) => AppError::Conflict(format!(
                    "{what} is already on the roster; edit that person instead"
                )),
                other => other.into(),
            })?;
        let id = ids.first().cloned().unwrap_or_default();
        Ok(self.store.person(&org.id, &id).await?)
    }

    /// Overwrites a person's record by hand.
    pub async fn update_person(
        &self,
        org: &Org,
        actor: &Actor,
        id: &str,
        mut new: NewPerson,
    ) -> Result<Person, AppError> {
        let stored = self.stored_person(org, id).await?;
        new.source = "manual".to_owned();
        validate(&new)?;
        let entry = roster_entry(
            actor,
            "person.updated",
            &format!("person:{}", new.email),
            serde_json::json!({ "changed": import::changed_fields(&stored.as_new(), &new) }),
        );
        self.store
            .save_people(
                &org.id,
                &[RosterChange::Update {
                    id: stored.id.clone(),
                    person: new,
                }],
                &entry,
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(what) => {
                    AppError::Conflict(format!("{what} is already on the roster"))
                }
                other => other.into(),
            })?;
        Ok(self.store.person(&org.id, &stored.id).await?)
    }
}
