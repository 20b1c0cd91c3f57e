//! Filling the roster from an HR export or from the latest HR roster evidence: every row
//! checked first, then every change written in one transaction, so a bad file changes nothing.

use std::collections::HashMap;

use attest_collect::RosterPerson;
use attest_core::{Email, EmploymentType};
use attest_store::{NewPerson, Org, Person, RosterChange};
use serde::{Deserialize, Serialize};

use super::{roster_entry, validate};
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// What an import changed.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RosterImport {
    /// The file (or evidence item) the rows came from.
    pub source: String,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// People on the roster whom the file does not list; they are kept as they are.
    pub not_in_file: usize,
    /// Employment types the file writes that say neither employee nor contractor (`Intern`),
    /// with how many rows use each; those people keep their type, or are taken as employees.
    pub unrecognized_types: Vec<(String, usize)>,
}

/// One row of the HR roster evidence (`hr-roster` snapshot `data.people`).
#[derive(Deserialize)]
struct SnapshotRow {
    email: String,
    name: Option<String>,
    title: Option<String>,
    department: Option<String>,
    manager_email: Option<String>,
    employment_type: Option<String>,
    start_date: Option<chrono::NaiveDate>,
    end_date: Option<chrono::NaiveDate>,
    github_login: Option<String>,
    row: u64,
}

/// The fields whose values differ, for the audit entry.
pub(crate) fn changed_fields(old: &NewPerson, new: &NewPerson) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut note = |field, differs: bool| {
        if differs {
            changed.push(field);
        }
    };
    note("email", old.email != new.email);
    note("name", old.name != new.name);
    note("title", old.title != new.title);
    note("department", old.department != new.department);
    note(
        "employment_type",
        old.employment_type != new.employment_type,
    );
    note("manager_email", old.manager_email != new.manager_email);
    note("start_date", old.start_date != new.start_date);
    note("end_date", old.end_date != new.end_date);
    note("github_login", old.github_login != new.github_login);
    changed
}

/// A row merged over the stored person: a value the file leaves empty keeps what the roster
/// holds, so an export without a department column never erases departments.
fn merge(row: &RosterPerson, stored: Option<&Person>, source: &str) -> Result<NewPerson, String> {
    let email = Email::parse(&row.email).map_err(|e| e.to_string())?;
    let keep = |new: &Option<String>, old: Option<&String>| {
        new.clone().or_else(|| old.cloned()).unwrap_or_default()
    };
    let manager_email = match &row.manager_email {
        Some(raw) => Some(Email::parse(raw).map_err(|e| e.to_string())?),
        None => stored.and_then(|p| p.manager_email.clone()),
    };
    let employment_type = match row.employment_type {
        Some(raw) => raw.parse::<EmploymentType>()?,
        None => stored.map_or(EmploymentType::Employee, |p| p.employment_type),
    };
    Ok(NewPerson {
        name: keep(&row.name, stored.map(|p| &p.name)),
        title: keep(&row.title, stored.map(|p| &p.title)),
        department: keep(&row.department, stored.map(|p| &p.department)),
        employment_type,
        manager_email,
        start_date: row.start_date.or(stored.and_then(|p| p.start_date)),
        end_date: row.end_date.or(stored.and_then(|p| p.end_date)),
        github_login: row
            .github_login
            .clone()
            .or_else(|| stored.and_then(|p| p.github_login.clone())),
        source: source.to_owned(),
        email,
    })
}

impl App {
    /// Imports an HR export (CSV or XLSX). `map` holds `(COLUMN, FIELD)` overrides for columns
    /// the HR system names its own way. Nothing is written unless every row is good.
    pub async fn import_people(
        &self,
        org: &Org,
        actor: &Actor,
        file: &str,
        bytes: Vec<u8>,
        map: &[(String, String)],
    ) -> Result<RosterImport, AppError> {
        let rows = attest_collect::read_roster(file, bytes, map)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        self.apply_roster(org, actor, &format!("import:{file}"), file, &rows)
            .await
    }

    /// Fills the roster from the latest HR roster evidence (`attest collect hr-roster`).
    pub async fn import_people_from_evidence(
        &self,
        org: &Org,
        actor: &Actor,
    ) -> Result<RosterImport, AppError> {
        let snapshot = self
            .latest_snapshots(org)
            .await?
            .into_iter()
            .find(|e| e.source.starts_with("collect:hr-roster:"))
            .ok_or_else(|| {
                AppError::NotFound(
                    "no HR roster evidence has been collected; run `attest collect hr-roster FILE` first, or `attest people import FILE`"
                        .into(),
                )
            })?;
        let key = snapshot.blob_key.clone().unwrap_or_default();
        let content = self.verified_content(&snapshot, &key).await?;
        let envelope: serde_json::Value = serde_json::from_slice(&content).map_err(|e| {
            AppError::Internal(format!("evidence {} is not JSON: {e}", snapshot.id))
        })?;
        let people: Vec<SnapshotRow> = serde_json::from_value(envelope["data"]["people"].clone())
            .map_err(|e| {
            AppError::Internal(format!(
                "evidence {} is not an hr-roster snapshot: {e}",
                snapshot.id
            ))
        })?;
        let label = format!("evidence {} ({})", snapshot.id, snapshot.title);
        let mut rows = Vec::with_capacity(people.len());
        for p in people {
            let Some(name) = p.name else {
                return Err(AppError::Invalid(format!(
                    "{label}, row {}: {} has no name; collect the roster again with a name column (`--map COLUMN=name`), or import the file with `attest people import FILE`",
                    p.row, p.email
                )));
            };
            rows.push(RosterPerson {
                email: p.email,
                name: Some(name),
                title: p.title,
                department: p.department,
                manager_email: p.manager_email,
                employment_type: match p.employment_type.as_deref() {
                    Some("employee") => Some("employee"),
                    Some("contractor") => Some("contractor"),
                    _ => None,
                },
                start_date: p.start_date,
                end_date: p.end_date,
                unrecognized_type: None,
                status: None,
                github_login: p.github_login,
                row: p.row,
            });
        }
        self.apply_roster(
            org,
            actor,
            &format!("hr-roster:{}", snapshot.id),
            &label,
            &rows,
        )
        .await
    }

    /// Merges rows over the roster and writes the differences in one transaction.
    async fn apply_roster(
        &self,
        org: &Org,
        actor: &Actor,
        source: &str,
        label: &str,
        rows: &[RosterPerson],
    ) -> Result<RosterImport, AppError> {
        let stored = self.store.list_people(&org.id).await?;
        let by_email: HashMap<&str, &Person> =
            stored.iter().map(|p| (p.email.as_str(), p)).collect();
        let mut report = RosterImport {
            source: label.to_owned(),
            rows: rows.len(),
            ..RosterImport::default()
        };
        let mut changes = Vec::new();
        let mut unrecognized: std::collections::BTreeMap<String, usize> = Default::default();
        for row in rows {
            if let Some(raw) = &row.unrecognized_type {
                *unrecognized.entry(raw.clone()).or_default() += 1;
            }
            let old = by_email.get(row.email.as_str()).copied();
            let new = merge(row, old, source)
                .map_err(|e| AppError::Invalid(format!("{label}, row {}: {e}", row.row)))?;
            validate(&new)
                .map_err(|e| AppError::Invalid(format!("{label}, row {}: {e}", row.row)))?;
            match old {
                None => {
                    report.added += 1;
                    changes.push(RosterChange::Add(new));
                }
                Some(old) if super::import::changed_fields(&old.as_new(), &new).is_empty() => {
                    report.unchanged += 1;
                }
                Some(old) => {
                    report.updated += 1;
                    changes.push(RosterChange::Update {
                        id: old.id.clone(),
                        person: new,
                    });
                }
            }
        }
        report.not_in_file = stored.len() - (report.updated + report.unchanged);
        report.unrecognized_types = unrecognized.into_iter().collect();
        if !changes.is_empty() {
            let entry = roster_entry(
                actor,
                "people.imported",
                "people",
                serde_json::json!({
                    "source": label,
                    "rows": report.rows,
                    "added": report.added,
                    "updated": report.updated,
                }),
            );
            self.store.save_people(&org.id, &changes, &entry).await?;
        }
        Ok(report)
    }
}
