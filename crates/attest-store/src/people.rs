//! The people of an org: the roster with its employment dates, and the onboarding and
//! offboarding steps recorded for each person. Every change is audited and ledgered in the
//! transaction that makes it.

use attest_core::{ChecklistItem, Email, EmploymentType, ItemStatus};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

use crate::error::{StoreError, invalid};
use crate::ledger::{NewLedgerEntry, append_entries, begin_ledger_tx, to_i64, to_u64};
use crate::models::NewAuditEntry;
use crate::{Store, new_id, with_pool};

/// The ledger kind of a roster change (a person added or their record changed).
pub const PERSON_ENTRY: &str = "person";
/// The ledger kind of a recorded checklist step.
pub const CHECKLIST_ENTRY: &str = "checklist";

/// A person as HR knows them, to add or to overwrite a stored record with.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPerson {
    pub email: Email,
    pub name: String,
    pub title: String,
    pub department: String,
    pub employment_type: EmploymentType,
    pub manager_email: Option<Email>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub github_login: Option<String>,
    /// Where the record came from: `manual`, `import:FILE` or `hr-roster:EVIDENCE_ID`.
    pub source: String,
}

impl NewPerson {
    /// A person known only by name and role, added by hand.
    pub fn manual(email: Email, name: &str, title: &str, department: &str) -> NewPerson {
        NewPerson {
            email,
            name: name.to_owned(),
            title: title.to_owned(),
            department: department.to_owned(),
            employment_type: EmploymentType::Employee,
            manager_email: None,
            start_date: None,
            end_date: None,
            github_login: None,
            source: "manual".to_owned(),
        }
    }
}

/// A stored person.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
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
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

impl Person {
    /// The record as it would be written again, to compare with an incoming one.
    pub fn as_new(&self) -> NewPerson {
        NewPerson {
            email: self.email.clone(),
            name: self.name.clone(),
            title: self.title.clone(),
            department: self.department.clone(),
            employment_type: self.employment_type,
            manager_email: self.manager_email.clone(),
            start_date: self.start_date,
            end_date: self.end_date,
            github_login: self.github_login.clone(),
            source: self.source.clone(),
        }
    }
}

/// One change to the roster.
#[derive(Debug, Clone, PartialEq)]
pub enum RosterChange {
    Add(NewPerson),
    /// Overwrites the person with this id.
    Update {
        id: String,
        person: NewPerson,
    },
}

/// A checklist step to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChecklistRecord {
    pub person_id: String,
    pub item: ChecklistItem,
    pub status: ItemStatus,
    /// The day the step was done; required exactly when `status` is done.
    pub completed_on: Option<NaiveDate>,
    /// Who did it outside the org: the screening provider, the courier.
    pub provider: Option<String>,
    /// The outside reference: a screening report number, a device serial number.
    pub reference: Option<String>,
    /// An evidence item that shows it.
    pub evidence_id: Option<String>,
    pub note: String,
}

/// A recorded checklist step.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistRecord {
    pub id: String,
    pub person_id: String,
    pub item: ChecklistItem,
    pub status: ItemStatus,
    pub completed_on: Option<NaiveDate>,
    pub provider: Option<String>,
    pub reference: Option<String>,
    pub evidence_id: Option<String>,
    pub note: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
    pub ledger_index: u64,
}

/// Writes one roster change inside an open transaction `$tx`.
macro_rules! write_person {
    ($tx:expr, $org_id:expr, $change:expr, $now:expr, $actor:expr) => {
        async {
            let (id, p, insert) = match $change {
                RosterChange::Add(p) => ($crate::new_id(), p, true),
                RosterChange::Update { id, person } => (id.clone(), person, false),
            };
            let sql = if insert {
                "INSERT INTO people (id, org_id, email, name, title, department, employment_type,
                                     manager_email, start_date, end_date, github_login, source,
                                     created_at, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)"
            } else {
                "UPDATE people SET email = $3, name = $4, title = $5, department = $6,
                        employment_type = $7, manager_email = $8, start_date = $9, end_date = $10,
                        github_login = $11, source = $12, updated_at = $13, updated_by = $14
                 WHERE id = $1 AND org_id = $2"
            };
            let done = sqlx::query(sql)
                .bind(&id)
                .bind($org_id)
                .bind(p.email.as_str())
                .bind(&p.name)
                .bind(&p.title)
                .bind(&p.department)
                .bind(p.employment_type.as_str())
                .bind(p.manager_email.as_ref().map(|e| e.as_str()))
                .bind(p.start_date)
                .bind(p.end_date)
                .bind(&p.github_login)
                .bind(&p.source)
                .bind($now)
                .bind($actor)
                .execute(&mut *$tx)
                .await
                .map_err(|e| match $crate::StoreError::from(e) {
                    $crate::StoreError::Conflict(_) => {
                        $crate::StoreError::Conflict(format!("a person with email {}", p.email))
                    }
                    other => other,
                })?;
            if done.rows_affected() == 0 {
                return Err($crate::StoreError::NotFound);
            }
            Ok::<String, $crate::StoreError>(id)
        }
        .await
    };
}
pub(crate) use write_person;

/// The ledger entry of a roster change: who the person is and the dates an auditor samples by.
pub(crate) fn person_entry(org_id: &str, id: &str, p: &NewPerson, added: bool) -> NewLedgerEntry {
    NewLedgerEntry {
        kind: PERSON_ENTRY.into(),
        subject: id.to_owned(),
        org_id: Some(org_id.to_owned()),
        body: serde_json::json!({
            "change": if added { "added" } else { "updated" },
            "email": p.email.as_str(),
            "name": p.name,
            "employment_type": p.employment_type.as_str(),
            "department": p.department,
            "manager_email": p.manager_email.as_ref().map(Email::as_str),
            "start_date": p.start_date,
            "end_date": p.end_date,
            "source": p.source,
        }),
    }
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    email: String,
    name: String,
    title: String,
    department: String,
    employment_type: String,
    manager_email: Option<String>,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    github_login: Option<String>,
    source: String,
    updated_at: Option<DateTime<Utc>>,
    updated_by: Option<String>,
}

/// The columns a [`PersonRow`] reads, for `concat!` (sqlx takes only static SQL).
macro_rules! person_columns {
    () => {
        "id, email, name, title, department, employment_type, manager_email, start_date, end_date,
         github_login, source, updated_at, updated_by"
    };
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(r: PersonRow) -> Result<Person, StoreError> {
        let email = |raw: &str| Email::parse(raw).map_err(|e| invalid("email", raw, e));
        Ok(Person {
            email: email(&r.email)?,
            manager_email: r.manager_email.as_deref().map(email).transpose()?,
            employment_type: r
                .employment_type
                .parse()
                .map_err(|e| invalid("employment type", &r.employment_type, e))?,
            id: r.id,
            name: r.name,
            title: r.title,
            department: r.department,
            start_date: r.start_date,
            end_date: r.end_date,
            github_login: r.github_login,
            source: r.source,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: String,
    person_id: String,
    item: String,
    status: String,
    completed_on: Option<NaiveDate>,
    provider: Option<String>,
    reference: Option<String>,
    evidence_id: Option<String>,
    note: String,
    recorded_at: DateTime<Utc>,
    recorded_by: String,
    ledger_index: i64,
}

impl TryFrom<RecordRow> for ChecklistRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<ChecklistRecord, StoreError> {
        Ok(ChecklistRecord {
            item: r
                .item
                .parse()
                .map_err(|e| invalid("checklist item", &r.item, e))?,
            status: r
                .status
                .parse()
                .map_err(|e| invalid("checklist status", &r.status, e))?,
            ledger_index: to_u64(r.ledger_index)?,
            id: r.id,
            person_id: r.person_id,
            completed_on: r.completed_on,
            provider: r.provider,
            reference: r.reference,
            evidence_id: r.evidence_id,
            note: r.note,
            recorded_at: r.recorded_at,
            recorded_by: r.recorded_by,
        })
    }
}

impl Store {
    /// Applies roster changes in one transaction with one audit entry and a ledger entry per
    /// person: all of them or none. Returns the ids written, in order.
    pub async fn save_people(
        &self,
        org_id: &str,
        changes: &[RosterChange],
        entry: &NewAuditEntry,
    ) -> Result<Vec<String>, StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let mut ids = Vec::with_capacity(changes.len());
            let mut entries = Vec::with_capacity(changes.len());
            for change in changes {
                let id = write_person!(tx, org_id, change, now, &entry.actor)?;
                let (p, added) = match change {
                    RosterChange::Add(p) => (p, true),
                    RosterChange::Update { person, .. } => (person, false),
                };
                entries.push(person_entry(org_id, &id, p, added));
                ids.push(id);
            }
            append_entries!(tx, &entries)?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Everyone on the roster, by email.
    pub async fn list_people(&self, org_id: &str) -> Result<Vec<Person>, StoreError> {
        let rows: Vec<PersonRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                person_columns!(),
                " FROM people WHERE org_id = $1"
            ))
            .bind(org_id)
            .fetch_all(pool)
            .await
        })?;
        let mut people = rows
            .into_iter()
            .map(Person::try_from)
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Sorted here, not in SQL: PostgreSQL's collation and SQLite's byte order disagree.
        people.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(people)
    }

    /// One person of the org.
    pub async fn person(&self, org_id: &str, id: &str) -> Result<Person, StoreError> {
        let row: Option<PersonRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                person_columns!(),
                " FROM people WHERE org_id = $1 AND id = $2"
            ))
            .bind(org_id)
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Records a checklist step with its audit and ledger entries.
    pub async fn record_checklist(
        &self,
        org_id: &str,
        new: &NewChecklistRecord,
        entry: &NewAuditEntry,
    ) -> Result<ChecklistRecord, StoreError> {
        let mut recorded = self
            .record_checklist_batch(org_id, std::slice::from_ref(new), entry)
            .await?;
        recorded.pop().ok_or(StoreError::NotFound)
    }

    /// Records checklist steps in one transaction with one audit entry and a ledger entry
    /// each: all of them or none.
    pub async fn record_checklist_batch(
        &self,
        org_id: &str,
        steps: &[NewChecklistRecord],
        entry: &NewAuditEntry,
    ) -> Result<Vec<ChecklistRecord>, StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        let mut records: Vec<ChecklistRecord> = steps
            .iter()
            .map(|new| ChecklistRecord {
                id: new_id(),
                person_id: new.person_id.clone(),
                item: new.item,
                status: new.status,
                completed_on: new.completed_on,
                provider: new.provider.clone(),
                reference: new.reference.clone(),
                evidence_id: new.evidence_id.clone(),
                note: new.note.clone(),
                recorded_at: now,
                recorded_by: entry.actor.clone(),
                ledger_index: 0,
            })
            .collect();
        let ledger: Vec<NewLedgerEntry> = records
            .iter()
            .map(|r| NewLedgerEntry {
                kind: CHECKLIST_ENTRY.into(),
                subject: r.id.clone(),
                org_id: Some(org_id.to_owned()),
                body: serde_json::json!({
                    "person_id": r.person_id,
                    "item": r.item.as_str(),
                    "status": r.status.as_str(),
                    "completed_on": r.completed_on,
                    "provider": r.provider,
                    "reference": r.reference,
                    "evidence_id": r.evidence_id,
                    "note": r.note,
                    "recorded_by": r.recorded_by,
                }),
            })
            .collect();
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let appended = append_entries!(tx, &ledger)?;
            for (r, e) in records.iter_mut().zip(&appended) {
                r.ledger_index = e.index;
                sqlx::query(
                    "INSERT INTO checklist_records (id, org_id, person_id, item, status, completed_on,
                            provider, reference, evidence_id, note, recorded_at, recorded_by, ledger_index)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(&r.id)
                .bind(org_id)
                .bind(&r.person_id)
                .bind(r.item.as_str())
                .bind(r.status.as_str())
                .bind(r.completed_on)
                .bind(&r.provider)
                .bind(&r.reference)
                .bind(&r.evidence_id)
                .bind(&r.note)
                .bind(now)
                .bind(&r.recorded_by)
                .bind(to_i64(e.index)?)
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(records)
    }

    /// Every checklist record of the org (of one person when given), oldest first: the last
    /// record of a person's item is its state.
    pub async fn checklist_records(
        &self,
        org_id: &str,
        person_id: Option<&str>,
    ) -> Result<Vec<ChecklistRecord>, StoreError> {
        let rows: Vec<RecordRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, person_id, item, status, completed_on, provider, reference, evidence_id,
                        note, recorded_at, recorded_by, ledger_index
                 FROM checklist_records
                 WHERE org_id = $1 AND ($2 IS NULL OR person_id = $2)
                 ORDER BY id",
            )
            .bind(org_id)
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(ChecklistRecord::try_from).collect()
    }
}
