//! Register records: a JSON body under a key, per org and register. A change writes the next
//! revision, keeps the revision row, and ledgers it in the same transaction; retiring a record
//! is a revision too. What a body holds and which rules it meets is the application's business.

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::Value;

use crate::error::{StoreError, invalid};
use crate::ledger::{NewLedgerEntry, append_entries, begin_ledger_tx, to_i64, to_u64};
use crate::models::NewAuditEntry;
use crate::{Store, new_id, with_pool};

/// What a change expects to find, so two people editing one record cannot overwrite each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The key is new in the register.
    New,
    /// The record is at this revision.
    Revision(u64),
    /// Whatever is there (an import that adds or updates).
    Any,
}

/// A change to one record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordChange {
    pub key: String,
    /// The new body, or `None` to retire the record.
    pub body: Option<Value>,
    pub expect: Expect,
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Created,
    Updated,
    /// The body was already the same; nothing was written.
    Unchanged,
    Retired,
}

/// A record as stored now.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub id: String,
    pub register: String,
    pub key: String,
    pub revision: u64,
    pub body: Value,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub retired_at: Option<DateTime<Utc>>,
    pub retired_by: Option<String>,
}

/// One revision of a record, as its history shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRevision {
    pub revision: u64,
    pub body: Value,
    pub retired: bool,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub ledger_index: u64,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: String,
    register: String,
    record_key: String,
    revision: i64,
    body: String,
    created_at: DateTime<Utc>,
    created_by: String,
    updated_at: DateTime<Utc>,
    updated_by: String,
    retired_at: Option<DateTime<Utc>>,
    retired_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    revision: i64,
    body: String,
    retired: bool,
    at: DateTime<Utc>,
    actor: String,
    ledger_index: i64,
}

#[derive(sqlx::FromRow)]
struct CurrentRow {
    id: String,
    revision: i64,
    body: String,
    retired_at: Option<DateTime<Utc>>,
}

fn parse_body(body: &str) -> Result<Value, StoreError> {
    serde_json::from_str(body).map_err(|e| invalid("record body", body, e))
}

impl TryFrom<RecordRow> for StoredRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<StoredRecord, StoreError> {
        Ok(StoredRecord {
            body: parse_body(&r.body)?,
            revision: to_u64(r.revision)?,
            id: r.id,
            register: r.register,
            key: r.record_key,
            created_at: r.created_at,
            created_by: r.created_by,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
            retired_at: r.retired_at,
            retired_by: r.retired_by,
        })
    }
}

const RECORD_COLUMNS: &str = "id, register, record_key, revision, body, created_at, created_by,
    updated_at, updated_by, retired_at, retired_by";

/// A planned write, worked out before the ledger entries are appended.
struct Planned {
    id: String,
    key: String,
    revision: u64,
    body: String,
    retired: bool,
    created: bool,
}

/// The outcome of one change against what is stored, or why it cannot be made.
fn plan(
    register: &str,
    change: &RecordChange,
    current: Option<&CurrentRow>,
) -> Result<(Outcome, Option<Planned>), StoreError> {
    let name = || format!("{register} `{}`", change.key);
    let stored_revision = current.map(|c| to_u64(c.revision)).transpose()?;
    match (change.expect, stored_revision) {
        (Expect::New, Some(_)) => return Err(StoreError::Conflict(name())),
        (Expect::Revision(_), None) => return Err(StoreError::NotFound),
        (Expect::Revision(expected), Some(stored)) if expected != stored => {
            return Err(StoreError::Changed(name()));
        }
        _ => {}
    }
    let Some(body) = &change.body else {
        let current = current.ok_or(StoreError::NotFound)?;
        if current.retired_at.is_some() {
            return Ok((Outcome::Unchanged, None));
        }
        return Ok((
            Outcome::Retired,
            Some(Planned {
                id: current.id.clone(),
                key: change.key.clone(),
                revision: to_u64(current.revision)? + 1,
                body: current.body.clone(),
                retired: true,
                created: false,
            }),
        ));
    };
    match current {
        None => Ok((
            Outcome::Created,
            Some(Planned {
                id: new_id(),
                key: change.key.clone(),
                revision: 1,
                body: body.to_string(),
                retired: false,
                created: true,
            }),
        )),
        Some(current) => {
            if current.retired_at.is_none() && parse_body(&current.body)? == *body {
                return Ok((Outcome::Unchanged, None));
            }
            Ok((
                Outcome::Updated,
                Some(Planned {
                    id: current.id.clone(),
                    key: change.key.clone(),
                    revision: to_u64(current.revision)? + 1,
                    body: body.to_string(),
                    retired: false,
                    created: false,
                }),
            ))
        }
    }
}

impl Store {
    /// Makes `changes` to one register, all or nothing: each is checked against what is stored
    /// (a stale revision is [`StoreError::Changed`], a taken key [`StoreError::Conflict`]),
    /// then every new revision is written and ledgered (kind `ledger_kind`) with one audit
    /// entry, in one transaction. Returns each change's outcome, in order.
    pub async fn change_records(
        &self,
        org_id: &str,
        register: &str,
        ledger_kind: &str,
        changes: &[RecordChange],
        at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<Vec<Outcome>, StoreError> {
        let now = at.trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let mut outcomes = Vec::with_capacity(changes.len());
            let mut planned = Vec::new();
            for change in changes {
                let current: Option<CurrentRow> = sqlx::query_as(
                    "SELECT id, revision, body, retired_at FROM records
                     WHERE org_id = $1 AND register = $2 AND record_key = $3",
                )
                .bind(org_id)
                .bind(register)
                .bind(&change.key)
                .fetch_optional(&mut *tx)
                .await?;
                if planned.iter().any(|p: &Planned| p.key == change.key) {
                    return Err(StoreError::Invalid(format!(
                        "{register} `{}` is changed twice in one batch",
                        change.key
                    )));
                }
                let (outcome, write) = plan(register, change, current.as_ref())?;
                outcomes.push(outcome);
                planned.extend(write);
            }
            if planned.is_empty() {
                return Ok::<_, StoreError>(outcomes);
            }
            let ledger: Vec<NewLedgerEntry> = planned
                .iter()
                .map(|p| {
                    Ok(NewLedgerEntry {
                        kind: ledger_kind.to_owned(),
                        subject: p.id.clone(),
                        org_id: Some(org_id.to_owned()),
                        body: serde_json::json!({
                            "register": register,
                            "key": p.key,
                            "revision": p.revision,
                            "retired": p.retired,
                            "body": parse_body(&p.body)?,
                        }),
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            let appended = append_entries!(tx, &ledger)?;
            for (p, appended) in planned.iter().zip(&appended) {
                if p.created {
                    sqlx::query(
                        "INSERT INTO records (id, org_id, register, record_key, revision, body,
                                created_at, created_by, updated_at, updated_by)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)",
                    )
                    .bind(&p.id)
                    .bind(org_id)
                    .bind(register)
                    .bind(&p.key)
                    .bind(to_i64(p.revision)?)
                    .bind(&p.body)
                    .bind(now)
                    .bind(&entry.actor)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    sqlx::query(
                        "UPDATE records SET revision = $3, body = $4, updated_at = $5,
                                updated_by = $6,
                                retired_at = CASE WHEN $7 THEN $5 ELSE NULL END,
                                retired_by = CASE WHEN $7 THEN $6 ELSE NULL END
                         WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org_id)
                    .bind(&p.id)
                    .bind(to_i64(p.revision)?)
                    .bind(&p.body)
                    .bind(now)
                    .bind(&entry.actor)
                    .bind(p.retired)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "INSERT INTO record_revisions (record_id, org_id, revision, body, retired, at,
                            actor, ledger_index)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&p.id)
                .bind(org_id)
                .bind(to_i64(p.revision)?)
                .bind(&p.body)
                .bind(p.retired)
                .bind(now)
                .bind(&entry.actor)
                .bind(to_i64(appended.index)?)
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(outcomes)
        })
    }

    /// The current records of the given registers, by register and key; retired ones too when
    /// asked.
    pub async fn records(
        &self,
        org_id: &str,
        registers: &[&str],
        with_retired: bool,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        if registers.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..registers.len())
            .map(|i| format!("${}", i + 3))
            .collect();
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM records
             WHERE org_id = $1 AND ($2 OR retired_at IS NULL) AND register IN ({})
             ORDER BY register, record_key",
            placeholders.join(", ")
        );
        let rows: Vec<RecordRow> = with_pool!(self, |pool| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(org_id)
                .bind(with_retired);
            for register in registers {
                query = query.bind(*register);
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter().map(StoredRecord::try_from).collect()
    }

    /// One record, retired or not.
    pub async fn record(
        &self,
        org_id: &str,
        register: &str,
        key: &str,
    ) -> Result<StoredRecord, StoreError> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM records
             WHERE org_id = $1 AND register = $2 AND record_key = $3"
        );
        let row: RecordRow = with_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(org_id)
                .bind(register)
                .bind(key)
                .fetch_one(pool)
                .await
        })?;
        StoredRecord::try_from(row)
    }

    /// Every revision of a record, oldest first.
    pub async fn record_history(
        &self,
        org_id: &str,
        record_id: &str,
    ) -> Result<Vec<RecordRevision>, StoreError> {
        let rows: Vec<RevisionRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT revision, body, retired, at, actor, ledger_index FROM record_revisions
                 WHERE org_id = $1 AND record_id = $2 ORDER BY revision",
            )
            .bind(org_id)
            .bind(record_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| {
                Ok(RecordRevision {
                    revision: to_u64(r.revision)?,
                    body: parse_body(&r.body)?,
                    retired: r.retired,
                    at: r.at,
                    actor: r.actor,
                    ledger_index: to_u64(r.ledger_index)?,
                })
            })
            .collect()
    }
}
