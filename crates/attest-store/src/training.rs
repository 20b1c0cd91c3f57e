//! Training: the org's own modules (kept as their Markdown source) and every quiz attempt,
//! ledgered in the transaction that records it.

use chrono::{DateTime, SubsecRound, Utc};

use crate::error::StoreError;
use crate::ledger::{NewLedgerEntry, append_entries, begin_ledger_tx, to_i64, to_u64};
use crate::models::NewAuditEntry;
use crate::{Store, new_id, with_pool};

/// The ledger kind of a quiz attempt.
pub const TRAINING_ENTRY: &str = "training";

/// An org's own module, as its author wrote it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredModule {
    pub id: String,
    pub title: String,
    /// The Markdown file, front matter and all.
    pub source: String,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// A quiz attempt to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCompletion {
    pub module_id: String,
    /// Which text of the module was taken.
    pub module_sha256: String,
    pub person_id: String,
    /// Percent right.
    pub score: u32,
    pub passed: bool,
    /// The option chosen for each question.
    pub answers: Vec<usize>,
    pub completed_at: DateTime<Utc>,
}

/// A recorded attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub id: String,
    pub module_id: String,
    pub module_sha256: String,
    pub person_id: String,
    pub score: u32,
    pub passed: bool,
    pub answers: Vec<usize>,
    pub completed_at: DateTime<Utc>,
    pub recorded_by: String,
    pub ledger_index: u64,
}

#[derive(sqlx::FromRow)]
struct CompletionRow {
    id: String,
    module_id: String,
    module_sha256: String,
    person_id: String,
    score: i64,
    passed: bool,
    answers: String,
    completed_at: DateTime<Utc>,
    recorded_by: String,
    ledger_index: i64,
}

impl Store {
    /// Adds an org's own module. An id already used is a conflict.
    pub async fn add_training_module(
        &self,
        org_id: &str,
        module: &StoredModule,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO training_modules (org_id, id, title, source, sha256, created_at, created_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(org_id)
            .bind(&module.id)
            .bind(&module.title)
            .bind(&module.source)
            .bind(&module.sha256)
            .bind(now)
            .bind(&entry.actor)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("a training module `{}`", module.id))
                }
                other => other,
            })?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// The org's own modules, by id.
    pub async fn training_modules(&self, org_id: &str) -> Result<Vec<StoredModule>, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, source, sha256, created_at, created_by
                 FROM training_modules WHERE org_id = $1 ORDER BY id",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })
        .map_err(Into::into)
    }

    /// Records quiz attempts with a ledger entry each, all or none.
    pub async fn record_completions(
        &self,
        org_id: &str,
        attempts: &[NewCompletion],
        entry: &NewAuditEntry,
    ) -> Result<Vec<Completion>, StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        let mut recorded: Vec<Completion> = attempts
            .iter()
            .map(|a| Completion {
                id: new_id(),
                module_id: a.module_id.clone(),
                module_sha256: a.module_sha256.clone(),
                person_id: a.person_id.clone(),
                score: a.score,
                passed: a.passed,
                answers: a.answers.clone(),
                completed_at: a.completed_at.trunc_subsecs(6),
                recorded_by: entry.actor.clone(),
                ledger_index: 0,
            })
            .collect();
        let ledger: Vec<NewLedgerEntry> = recorded
            .iter()
            .map(|c| NewLedgerEntry {
                kind: TRAINING_ENTRY.into(),
                subject: c.id.clone(),
                org_id: Some(org_id.to_owned()),
                body: serde_json::json!({
                    "module": c.module_id,
                    "module_sha256": c.module_sha256,
                    "person_id": c.person_id,
                    "score": c.score,
                    "passed": c.passed,
                    "completed_at": c.completed_at,
                    "by": c.recorded_by,
                }),
            })
            .collect();
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let appended = append_entries!(tx, &ledger)?;
            for (c, e) in recorded.iter_mut().zip(&appended) {
                c.ledger_index = e.index;
                sqlx::query(
                    "INSERT INTO training_completions (id, org_id, module_id, module_sha256, person_id,
                            score, passed, answers, completed_at, recorded_by, ledger_index)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(&c.id)
                .bind(org_id)
                .bind(&c.module_id)
                .bind(&c.module_sha256)
                .bind(&c.person_id)
                .bind(i64::from(c.score))
                .bind(c.passed)
                .bind(serde_json::to_string(&c.answers).unwrap_or_default())
                .bind(c.completed_at)
                .bind(&c.recorded_by)
                .bind(to_i64(e.index)?)
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(recorded)
    }

    /// Every attempt of the org (of one person when given), oldest first.
    pub async fn completions(
        &self,
        org_id: &str,
        person_id: Option<&str>,
    ) -> Result<Vec<Completion>, StoreError> {
        let rows: Vec<CompletionRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, module_id, module_sha256, person_id, score, passed, answers,
                        completed_at, recorded_by, ledger_index
                 FROM training_completions
                 WHERE org_id = $1 AND ($2 IS NULL OR person_id = $2) ORDER BY completed_at, id",
            )
            .bind(org_id)
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| {
                Ok(Completion {
                    score: u32::try_from(r.score)
                        .map_err(|_| StoreError::Invalid(format!("score {}", r.score)))?,
                    answers: serde_json::from_str(&r.answers).map_err(|e| {
                        StoreError::Invalid(format!("the answers of attempt {}: {e}", r.id))
                    })?,
                    ledger_index: to_u64(r.ledger_index)?,
                    id: r.id,
                    module_id: r.module_id,
                    module_sha256: r.module_sha256,
                    person_id: r.person_id,
                    passed: r.passed,
                    completed_at: r.completed_at,
                    recorded_by: r.recorded_by,
                })
            })
            .collect()
    }
}
