//! The registers an auditor asks for by name: risks and the annual risk assessment, vendors with
//! their reports and reviews, incidents and exercises, systems and data flows.
//!
//! Every register works the same way, written once here over the [`Register`] trait: a record is
//! a typed body under a key; saving checks the body's own rules and that what it names (systems,
//! vendors, risks, controls, people) exists, then writes the next revision, ledgered; a CSV or
//! XLSX import checks every row first and writes all rows in one transaction, or none; an export
//! writes the same columns back. The register modules add what is particular to each.

mod fields;
mod keys;
mod refs;

use std::collections::BTreeSet;

use attest_store::{Expect, NewAuditEntry, Org, Outcome, RecordChange, StoreError, StoredRecord};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use fields::{Column, FieldError, Fields, Input};

pub(crate) use fields::{cell, join, time_cell, write_csv, yes_no};
pub(crate) use keys::{sequential_key, yearly_key};
pub use refs::Reference;

use crate::error::AppError;
use crate::workspace::{Actor, App};

/// A kind of record kept in a register.
pub trait Register: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// The register's name in storage, URLs and the CLI (`risks`, `data-flows`).
    const REGISTER: &'static str;
    /// One record, in messages and as the ledger kind (`risk`, `data-flow`).
    const NOUN: &'static str;
    /// The command that lists the register, for messages.
    const LIST_COMMAND: &'static str;

    /// The columns after `key`, in export order.
    fn columns() -> &'static [Column];
    /// Reads a record from its columns.
    fn from_fields(fields: &Fields) -> Result<Self, FieldError>;
    /// The record's cells, one per column.
    fn to_cells(&self) -> Vec<String>;
    /// The record's own rules.
    fn check(&self) -> Result<(), String>;
    /// What the record names that must exist.
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
    /// Takes from the stored record what the columns do not carry (an incident's timeline, an
    /// exercise's evidence), so an edit or an import row does not drop it.
    fn carry_over(&mut self, _previous: &Self) {}
    /// Rules on changing a record from `previous` (none for a new one) through the register's
    /// generic save, edit and import; workflows that set what users may not (an approval, an
    /// uploaded file's evidence) write without this check.
    fn check_change(&self, _previous: Option<&Self>) -> Result<(), String> {
        Ok(())
    }
    /// Whether the record may be retired (an approved record may not).
    fn check_retire(&self) -> Result<(), String> {
        Ok(())
    }
    /// A key for a new record when none is given, not one of `taken`.
    fn new_key(&self, taken: &BTreeSet<String>, today: NaiveDate) -> String;
    /// Facts computed from the record alone (scores, levels), added to its JSON.
    fn derived(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::Map::new()
    }
}

/// A stored record with its body read.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<T> {
    pub key: String,
    pub revision: u64,
    pub body: T,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub retired_at: Option<DateTime<Utc>>,
}

impl<T: Register> Record<T> {
    pub(crate) fn read(stored: StoredRecord) -> Result<Record<T>, AppError> {
        let body = serde_json::from_value(stored.body).map_err(|e| {
            AppError::Internal(format!(
                "{} `{}` is stored in a shape this Attest cannot read ({e})",
                T::NOUN,
                stored.key
            ))
        })?;
        Ok(Record {
            key: stored.key,
            revision: stored.revision,
            body,
            created_at: stored.created_at,
            created_by: stored.created_by,
            updated_at: stored.updated_at,
            updated_by: stored.updated_by,
            retired_at: stored.retired_at,
        })
    }

    /// The record as listings, the API and checks see it: the key and revision, the body's
    /// fields, the derived facts, and who changed it when.
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        map.insert("key".into(), self.key.clone().into());
        map.insert("revision".into(), self.revision.into());
        if let Ok(serde_json::Value::Object(body)) = serde_json::to_value(&self.body) {
            map.extend(body);
        }
        map.extend(self.body.derived());
        map.insert("created_at".into(), time_json(Some(self.created_at)));
        map.insert("created_by".into(), self.created_by.clone().into());
        map.insert("updated_at".into(), time_json(Some(self.updated_at)));
        map.insert("updated_by".into(), self.updated_by.clone().into());
        map.insert("retired_at".into(), time_json(self.retired_at));
        serde_json::Value::Object(map)
    }
}

fn time_json(time: Option<DateTime<Utc>>) -> serde_json::Value {
    time.map_or(serde_json::Value::Null, |t| {
        t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).into()
    })
}

impl<T: Register> Serialize for Record<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// One revision of a record, for its history.
#[derive(Debug, Clone, Serialize)]
pub struct RecordRevision {
    pub revision: u64,
    pub retired: bool,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub ledger_index: u64,
    pub body: serde_json::Value,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Imported {
    pub file: String,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// How a save treats what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Save {
    /// A new record; its key must be free.
    New,
    /// An edit of the revision the editor read.
    Edit { revision: u64 },
}

fn audit(
    actor: &Actor,
    action: String,
    target: String,
    detail: serde_json::Value,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.as_str().to_owned(),
        action,
        target: Some(target),
        detail,
    }
}

/// A store error on a register write, in the user's terms.
fn write_error<T: Register>(org: &Org, key: &str, error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::Conflict(format!(
            "{} `{key}` already exists in {}; edit it, or give another key",
            T::NOUN,
            org.name
        )),
        StoreError::NotFound => not_found::<T>(org, key),
        other => other.into(),
    }
}

fn retired<T: Register>(key: &str) -> AppError {
    AppError::Conflict(format!(
        "{} `{key}` is retired and no longer changes; its history stays",
        T::NOUN
    ))
}

fn not_found<T: Register>(org: &Org, key: &str) -> AppError {
    AppError::NotFound(format!(
        "no {} `{key}` in {}; `{}` shows them",
        T::NOUN,
        org.name,
        T::LIST_COMMAND
    ))
}

impl App {
    /// The register's current records, by key; retired ones too when asked.
    pub async fn records<T: Register>(
        &self,
        org: &Org,
        with_retired: bool,
    ) -> Result<Vec<Record<T>>, AppError> {
        self.store
            .records(&org.id, &[T::REGISTER], with_retired)
            .await?
            .into_iter()
            .map(Record::read)
            .collect()
    }

    /// One record, retired or not.
    pub async fn record<T: Register>(&self, org: &Org, key: &str) -> Result<Record<T>, AppError> {
        match self.store.record(&org.id, T::REGISTER, key).await {
            Ok(stored) => Record::read(stored),
            Err(StoreError::NotFound) => Err(not_found::<T>(org, key)),
            Err(other) => Err(other.into()),
        }
    }

    /// Every revision of a record, oldest first.
    pub async fn record_history<T: Register>(
        &self,
        org: &Org,
        key: &str,
    ) -> Result<Vec<RecordRevision>, AppError> {
        let stored = match self.store.record(&org.id, T::REGISTER, key).await {
            Ok(stored) => stored,
            Err(StoreError::NotFound) => return Err(not_found::<T>(org, key)),
            Err(other) => return Err(other.into()),
        };
        Ok(self
            .store
            .record_history(&org.id, &stored.id)
            .await?
            .into_iter()
            .map(|r| RecordRevision {
                revision: r.revision,
                retired: r.retired,
                at: r.at,
                actor: r.actor,
                ledger_index: r.ledger_index,
                body: r.body,
            })
            .collect())
    }

    /// Adds a record given as `(column, value)` pairs, as a form, the API and `--set` give it.
    pub async fn add_record_fields<T: Register>(
        &self,
        org: &Org,
        actor: &Actor,
        key: Option<&str>,
        pairs: Vec<(String, String)>,
        today: NaiveDate,
    ) -> Result<Record<T>, AppError> {
        let body = record_from_fields::<T>(pairs)?;
        self.save_record(org, actor, key, body, Save::New, today)
            .await
    }

    /// Changes the fields given as `(column, value)` pairs and keeps the others as stored (an
    /// empty value clears a field), at the revision the editor read (the current one when
    /// none is given).
    pub async fn edit_record_fields<T: Register>(
        &self,
        org: &Org,
        actor: &Actor,
        key: &str,
        revision: Option<u64>,
        given: Vec<(String, String)>,
        today: NaiveDate,
    ) -> Result<Record<T>, AppError> {
        let current = self.record::<T>(org, key).await?;
        let mut pairs = field_pairs(&current.body);
        pairs.extend(given);
        let body = record_from_fields::<T>(pairs)?;
        let revision = revision.unwrap_or(current.revision);
        self.save_record(org, actor, Some(key), body, Save::Edit { revision }, today)
            .await
    }

    /// Saves one record: a new one (under `key`, or a key made for it) or an edit of the
    /// revision the editor read. Its rules and references are checked first.
    pub async fn save_record<T: Register>(
        &self,
        org: &Org,
        actor: &Actor,
        key: Option<&str>,
        body: T,
        save: Save,
        today: NaiveDate,
    ) -> Result<Record<T>, AppError> {
        let previous = match (key, save) {
            (Some(key), Save::Edit { .. }) => Some(self.record::<T>(org, key).await?.body),
            _ => None,
        };
        let mut body = body;
        if let Some(previous) = &previous {
            body.carry_over(previous);
        }
        body.check_change(previous.as_ref())
            .map_err(|m| AppError::Invalid(format!("{}: {m}", T::NOUN)))?;
        self.write_record(org, actor, key, body, save, today).await
    }

    /// [`App::save_record`] without [`Register::check_change`], for workflows.
    pub(crate) async fn write_record<T: Register>(
        &self,
        org: &Org,
        actor: &Actor,
        key: Option<&str>,
        body: T,
        save: Save,
        today: NaiveDate,
    ) -> Result<Record<T>, AppError> {
        body.check()
            .map_err(|m| AppError::Invalid(format!("{}: {m}", T::NOUN)))?;
        let known = self.known(org, &[&body]).await?;
        if let Some((reference, problem)) = known.first_missing(&body.references(), org) {
            return Err(AppError::Invalid(format!(
                "{} field `{}`: {problem}",
                T::NOUN,
                reference.column()
            )));
        }
        let key = match (key, save) {
            (Some(key), _) => attest_core::RecordKey::parse(key)
                .map_err(AppError::Invalid)?
                .to_string(),
            (None, Save::New) => body.new_key(&self.taken_keys::<T>(org).await?, today),
            (None, Save::Edit { .. }) => {
                return Err(AppError::Invalid(format!(
                    "which {} to edit: give its key",
                    T::NOUN
                )));
            }
        };
        if let Save::Edit { .. } = save
            && self.record::<T>(org, &key).await?.retired_at.is_some()
        {
            return Err(retired::<T>(&key));
        }
        let (expect, verb) = match save {
            Save::New => (Expect::New, "created"),
            Save::Edit { revision } => (Expect::Revision(revision), "updated"),
        };
        let change = RecordChange {
            key: key.clone(),
            body: Some(serde_json::to_value(&body).map_err(|e| AppError::Internal(e.to_string()))?),
            expect,
        };
        let entry = audit(
            actor,
            format!("{}.{verb}", T::NOUN),
            format!("{}:{key}", T::NOUN),
            serde_json::json!({}),
        );
        self.store
            .change_records(&org.id, T::REGISTER, T::NOUN, &[change], Utc::now(), &entry)
            .await
            .map_err(|e| write_error::<T>(org, &key, e))?;
        self.record(org, &key).await
    }

    /// Retires a record at the revision the user read: it leaves the register's listings and
    /// checks, and its history stays.
    pub async fn retire_record<T: Register>(
        &self,
        org: &Org,
        actor: &Actor,
        key: &str,
        revision: Option<u64>,
    ) -> Result<(), AppError> {
        let current = self.record::<T>(org, key).await?;
        if current.retired_at.is_some() {
            return Err(AppError::Conflict(format!(
                "{} `{key}` is already retired",
                T::NOUN
            )));
        }
        current
            .body
            .check_retire()
            .map_err(|m| AppError::Conflict(format!("{} `{key}`: {m}", T::NOUN)))?;
        let change = RecordChange {
            key: key.to_owned(),
            body: None,
            expect: Expect::Revision(revision.unwrap_or(current.revision)),
        };
        let entry = audit(
            actor,
            format!("{}.retired", T::NOUN),
            format!("{}:{key}", T::NOUN),
            serde_json::json!({}),
        );
        self.store
            .change_records(&org.id, T::REGISTER, T::NOUN, &[change], Utc::now(), &entry)
            .await
            .map_err(|e| write_error::<T>(org, key, e))?;
        Ok(())
    }

    /// Imports a CSV or XLSX file into the register: every row is read and checked first (the
    /// first bad cell is named by row and column), then every row is written in one
    /// transaction. A row with a key updates that record; a row without one adds a record.
    pub async fn import_records<T: Register>(
        &self,
        org: &Org,
        actor: &Actor,
        file: &str,
        bytes: &[u8],
        today: NaiveDate,
    ) -> Result<Imported, AppError> {
        let sheet = attest_collect::read_sheet(file, bytes)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let headers = check_headers::<T>(file, &sheet.headers)?;
        if sheet.rows.is_empty() {
            return Err(AppError::Invalid(format!(
                "{file} has a header row but no {} to import; add rows below the header",
                T::REGISTER
            )));
        }
        let mut taken = self.taken_keys::<T>(org).await?;
        let existing = self.records::<T>(org, true).await?;
        let mut rows = Vec::with_capacity(sheet.rows.len());
        for row in &sheet.rows {
            let at_cell = |column: &str| {
                let written = sheet
                    .headers
                    .iter()
                    .find(|h| fields::normalize(h) == fields::normalize(column))
                    .map_or(column, String::as_str);
                format!("{file} row {}, column \"{written}\"", row.number)
            };
            let cells: Vec<(String, String)> = headers
                .iter()
                .zip(&row.cells)
                .filter(|(h, _)| !h.is_empty())
                .map(|(h, c)| (h.clone(), c.clone().unwrap_or_default()))
                .collect();
            let given = cells
                .iter()
                .find(|(h, _)| h == "key")
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
                .map(|v| {
                    attest_core::RecordKey::parse(v)
                        .map(|k| k.to_string())
                        .map_err(|m| AppError::Invalid(format!("{}: {m}", at_cell("key"))))
                })
                .transpose()?;
            let previous = given
                .as_ref()
                .and_then(|k| existing.iter().find(|r| &r.key == k));
            if let Some(p) = previous
                && p.retired_at.is_some()
            {
                return Err(AppError::Invalid(format!(
                    "{}: {} `{}` is retired and no longer changes; remove the row",
                    at_cell("key"),
                    T::NOUN,
                    p.key
                )));
            }
            // A column the file leaves out keeps what the record holds; a blank cell in a
            // column it has clears the field.
            let mut pairs = previous.map(|p| field_pairs(&p.body)).unwrap_or_default();
            pairs.extend(cells);
            let fields = Fields::from_file_pairs(pairs);
            let body = T::from_fields(&fields)
                .map_err(|e| AppError::Invalid(format!("{}: {}", at_cell(e.column), e.message)))?;
            body.check()
                .map_err(|m| AppError::Invalid(format!("{file} row {}: {m}", row.number)))?;
            let key = given.unwrap_or_else(|| body.new_key(&taken, today));
            if rows.iter().any(|(k, _, _): &(String, T, u64)| *k == key) {
                return Err(AppError::Invalid(format!(
                    "{}: `{key}` is on an earlier row too; give each {} one row",
                    at_cell("key"),
                    T::NOUN
                )));
            }
            let previous = previous.map(|r| &r.body);
            let mut body = body;
            if let Some(previous) = previous {
                body.carry_over(previous);
            }
            body.check_change(previous)
                .map_err(|m| AppError::Invalid(format!("{file} row {}: {m}", row.number)))?;
            taken.insert(key.clone());
            rows.push((key, body, row.number));
        }
        let bodies: Vec<&T> = rows.iter().map(|(_, body, _)| body).collect();
        let known = self.known(org, &bodies).await?;
        for (_, body, number) in &rows {
            if let Some((reference, problem)) = known.first_missing(&body.references(), org) {
                let written = sheet
                    .headers
                    .iter()
                    .find(|h| fields::normalize(h) == fields::normalize(reference.column()))
                    .map_or(reference.column(), String::as_str);
                return Err(AppError::Invalid(format!(
                    "{file} row {number}, column \"{written}\": {problem}"
                )));
            }
        }
        let changes = rows
            .iter()
            .map(|(key, body, _)| {
                Ok(RecordChange {
                    key: key.clone(),
                    body: Some(
                        serde_json::to_value(body)
                            .map_err(|e| AppError::Internal(e.to_string()))?,
                    ),
                    expect: Expect::Any,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let entry = audit(
            actor,
            format!("{}.imported", T::NOUN),
            format!("register:{}", T::REGISTER),
            serde_json::json!({ "file": file, "rows": rows.len() }),
        );
        let outcomes = self
            .store
            .change_records(&org.id, T::REGISTER, T::NOUN, &changes, Utc::now(), &entry)
            .await?;
        let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count();
        Ok(Imported {
            file: file.to_owned(),
            rows: rows.len(),
            created: count(Outcome::Created),
            updated: count(Outcome::Updated),
            unchanged: count(Outcome::Unchanged),
        })
    }

    /// The register as CSV: `key`, then every column (derived ones included), one row per
    /// current record. It imports back as it is.
    pub async fn export_records<T: Register>(&self, org: &Org) -> Result<String, AppError> {
        Ok(records_csv(&self.records::<T>(org, false).await?))
    }

    /// Every key the register has used, retired ones included, so a new key never reuses one.
    async fn taken_keys<T: Register>(&self, org: &Org) -> Result<BTreeSet<String>, AppError> {
        Ok(self
            .store
            .records(&org.id, &[T::REGISTER], true)
            .await?
            .into_iter()
            .map(|r| r.key)
            .collect())
    }
}

/// Refuses a field that is not one of the register's columns, so a misspelt one is named
/// rather than silently ignored.
fn known_columns<T: Register>(pairs: &[(String, String)]) -> Result<(), AppError> {
    let editable = || T::columns().iter().filter(|c| !c.derived);
    match pairs
        .iter()
        .find(|(name, _)| !editable().any(|c| fields::normalize(c.name) == fields::normalize(name)))
    {
        Some((unknown, _)) => Err(AppError::Invalid(format!(
            "a {} has no field `{unknown}`; its fields are: {}",
            T::NOUN,
            editable().map(|c| c.name).collect::<Vec<_>>().join(", ")
        ))),
        None => Ok(()),
    }
}

/// Reads a record from `(column, value)` pairs; an unknown column or a bad value is named.
pub fn record_from_fields<T: Register>(pairs: Vec<(String, String)>) -> Result<T, AppError> {
    known_columns::<T>(&pairs)?;
    T::from_fields(&Fields::from_pairs(pairs))
        .map_err(|e| AppError::Invalid(format!("{} field `{}`: {}", T::NOUN, e.column, e.message)))
}

/// A record's editable fields as `(column, value)` pairs: what an edit or an import row starts
/// from before its own values are laid over.
pub(crate) fn field_pairs<T: Register>(body: &T) -> Vec<(String, String)> {
    T::columns()
        .iter()
        .zip(body.to_cells())
        .filter(|(c, _)| !c.derived)
        .map(|(c, v)| (c.name.to_owned(), v))
        .collect()
}

/// Records as CSV, `key` first.
pub(crate) fn records_csv<T: Register>(records: &[Record<T>]) -> String {
    let mut headers = vec!["key"];
    headers.extend(T::columns().iter().map(|c| c.name));
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let mut row = vec![r.key.clone()];
            row.extend(r.body.to_cells());
            row
        })
        .collect();
    write_csv(&headers, &rows)
}

/// The file's headers, normalized, once every one is known and every required one is there.
fn check_headers<T: Register>(file: &str, headers: &[String]) -> Result<Vec<String>, AppError> {
    let known: Vec<&str> = std::iter::once("key")
        .chain(T::columns().iter().map(|c| c.name))
        .collect();
    let expected = || known.join(", ");
    let mut seen = BTreeSet::new();
    for header in headers {
        let normalized = fields::normalize(header);
        if !known.iter().any(|k| fields::normalize(k) == normalized) {
            return Err(AppError::Invalid(format!(
                "{file} has a column \"{header}\" that a {} has not; the columns are: {}. Rename or remove it",
                T::NOUN,
                expected()
            )));
        }
        if !seen.insert(normalized) {
            return Err(AppError::Invalid(format!(
                "{file} has the column \"{header}\" twice; keep one"
            )));
        }
    }
    if let Some(missing) = T::columns()
        .iter()
        .find(|c| c.required && !seen.contains(&fields::normalize(c.name)))
    {
        return Err(AppError::Invalid(format!(
            "{file} has no \"{}\" column ({}); the columns are: {}",
            missing.name,
            missing.help,
            expected()
        )));
    }
    Ok(headers
        .iter()
        .map(|h| {
            let normalized = fields::normalize(h);
            // Derived columns are written on export and ignored here.
            match T::columns()
                .iter()
                .find(|c| fields::normalize(c.name) == normalized)
            {
                Some(c) if c.derived => String::new(),
                _ => normalized,
            }
        })
        .collect())
}

impl App {
    /// Keeps a register's document (an approved assessment, a vendor's report, an exercise
    /// record) as evidence, linked to those of `controls` the org has.
    pub(crate) async fn keep_as_evidence(
        &self,
        org: &Org,
        actor: &Actor,
        document: Document,
    ) -> Result<attest_store::Evidence, AppError> {
        let mut controls = Vec::new();
        for id in document.controls {
            let id =
                attest_core::ControlId::parse(id).map_err(|e| AppError::Internal(e.to_string()))?;
            if self.store.get_control(&org.id, &id).await.is_ok() {
                controls.push(id);
            }
        }
        self.add_evidence(
            org,
            crate::EvidenceUpload {
                kind: attest_core::EvidenceKind::File,
                title: Some(document.title),
                file_name: Some(document.file_name),
                content: document.content,
                url: None,
                period: Some(document.period),
                controls,
                source: document.source,
                revises: None,
                retain_until: None,
            },
            actor,
        )
        .await
    }

    /// The titles of the org's open tasks, read once for a round of reminders.
    pub(crate) async fn open_task_titles(&self, org: &Org) -> Result<BTreeSet<String>, AppError> {
        Ok(self
            .store
            .tasks(&org.id)
            .await?
            .into_iter()
            .filter(|t| t.status != attest_core::TaskStatus::Done)
            .map(|t| t.title)
            .collect())
    }

    /// Opens a reminder task, assigned by the scheduler, unless one with the same title is
    /// open (`open` is kept up to date). Returns whether it did.
    pub(crate) async fn remind(
        &self,
        org: &Org,
        open: &mut BTreeSet<String>,
        fields: attest_store::TaskFields,
        reason: serde_json::Value,
    ) -> Result<bool, AppError> {
        if !open.insert(fields.title.clone()) {
            return Ok(false);
        }
        let entry = NewAuditEntry {
            actor: crate::monitoring::MONITOR_ACTOR.to_owned(),
            action: "task.created".into(),
            target: None,
            detail: reason,
        };
        self.store.create_task(&org.id, &fields, &entry).await?;
        Ok(true)
    }
}

/// A document a register keeps as evidence.
pub(crate) struct Document {
    pub title: String,
    pub file_name: String,
    pub content: Vec<u8>,
    pub period: attest_core::Period,
    /// Library control IDs it is evidence for.
    pub controls: &'static [&'static str],
    pub source: String,
}
