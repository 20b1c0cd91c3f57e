//! Monitoring records: check-pack runs and their results (each run committed to by a ledger
//! entry), the current state of each check, and the alert outbox.

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use sha2::{Digest, Sha256};

use crate::error::StoreError;
use crate::ledger::{NewLedgerEntry, append_entries, begin_ledger_tx, to_i64, to_u64};
use crate::{Pool, Store, new_id, with_pool};

/// The ledger entry kind of a run.
pub const CHECK_RUN_ENTRY: &str = "check-run";

/// One check's outcome in a run, to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCheckResult {
    pub check_id: String,
    pub title: String,
    /// `pass`, `fail`, `error` or `skipped`.
    pub status: String,
    pub severity: String,
    pub controls: Vec<String>,
    pub resources: Option<u64>,
    /// The violations, as a JSON array.
    pub violations: serde_json::Value,
    pub violation_count: u64,
    /// Why it errored or was skipped.
    pub detail: Option<String>,
    /// The evidence items it read.
    pub evidence: Vec<String>,
}

/// A check's state after a run.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CheckState {
    pub check_id: String,
    pub status: String,
    /// When it entered this status.
    pub since: DateTime<Utc>,
    /// When its current failure began (kept while it errors or is skipped; `None` once it
    /// passes).
    pub failing_since: Option<DateTime<Utc>>,
    pub last_run_id: String,
    /// The open remediation task for a failing check.
    pub task_id: Option<String>,
}

/// A run to record: its results, every check's state after it, and the alert it raises.
#[derive(Debug, Clone)]
pub struct NewCheckRun {
    pub org_id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// `manual`, `schedule` or `demo`.
    pub trigger: String,
    pub pack: String,
    pub pack_sha256: String,
    /// The evidence items (snapshots) the run read.
    pub inputs: Vec<String>,
    pub results: Vec<NewCheckResult>,
    /// States that changed or were first seen (`last_run_id` is filled in when recording).
    pub states: Vec<CheckState>,
    /// The alert body, when something started failing or recovered.
    pub alert: Option<serde_json::Value>,
    /// Who asked for the run, when a person did (scheduled runs are not in the audit log).
    pub audit: Option<crate::models::NewAuditEntry>,
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckRun {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub trigger: String,
    pub pack: String,
    pub pack_sha256: String,
    pub passed: u32,
    pub failed: u32,
    pub errors: u32,
    pub skipped: u32,
    pub inputs: Vec<String>,
    pub ledger_index: u64,
}

/// A recorded result, with its violations.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredCheckResult {
    #[serde(skip)]
    pub org_id: String,
    pub run_id: String,
    pub check_id: String,
    pub title: String,
    pub status: String,
    pub severity: String,
    pub controls: Vec<String>,
    pub resources: Option<u64>,
    pub violation_count: u64,
    pub violations: serde_json::Value,
    pub detail: Option<String>,
    pub evidence: Vec<String>,
}

/// A status one check had on one day (UTC), for health over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPoint {
    pub day: chrono::NaiveDate,
    pub check_id: String,
    pub status: String,
    pub controls: Vec<String>,
}

/// An alert waiting for delivery.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PendingAlert {
    pub id: String,
    #[serde(skip)]
    pub org_id: String,
    pub run_id: String,
    pub created_at: DateTime<Utc>,
    pub body: serde_json::Value,
    pub attempts: u32,
    /// The webhook took it already (a retry does not post again).
    pub webhook_done: bool,
    /// The email went out already.
    pub email_done: bool,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// What one delivery attempt of an alert achieved.
#[derive(Debug, Clone, Copy)]
pub struct AlertAttempt<'a> {
    pub id: &'a str,
    pub webhook_done: bool,
    pub email_done: bool,
    /// The first problem; `None` means delivered.
    pub error: Option<&'a str>,
    /// When to try again after a problem.
    pub retry_at: Option<DateTime<Utc>>,
}

/// What a run's ledger entry commits to about one result.
struct ResultDigest<'a> {
    check_id: &'a str,
    status: &'a str,
    severity: &'a str,
    controls: &'a [String],
    resources: Option<u64>,
    violations: u64,
    violations_sha256: Option<String>,
    evidence: &'a [String],
}

/// The digest of a result to record or a recorded one (their fields have the same names), with
/// the hash of its violations.
macro_rules! digest {
    ($r:expr, $violations_sha256:expr) => {
        ResultDigest {
            check_id: &$r.check_id,
            status: &$r.status,
            severity: &$r.severity,
            controls: &$r.controls,
            resources: $r.resources,
            violations: $r.violation_count,
            violations_sha256: $violations_sha256,
            evidence: &$r.evidence,
        }
    };
}

/// The body of a run's ledger entry: when, which pack, which inputs, and each result (sorted
/// by check) with a hash of its violations.
fn run_body(run: &CheckRun, mut results: Vec<ResultDigest<'_>>) -> serde_json::Value {
    results.sort_by(|a, b| a.check_id.cmp(b.check_id));
    let time = |t: DateTime<Utc>| {
        t.trunc_subsecs(6)
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    };
    let results: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            serde_json::json!({
                "check": r.check_id,
                "status": r.status,
                "severity": r.severity,
                "controls": r.controls,
                "resources": r.resources,
                "violations": r.violations,
                "violations_sha256": r.violations_sha256,
                "evidence": r.evidence,
            })
        })
        .collect();
    serde_json::json!({
        "started_at": time(run.started_at),
        "finished_at": time(run.finished_at),
        "trigger": run.trigger,
        "pack": {"name": run.pack, "sha256": run.pack_sha256},
        "inputs": run.inputs,
        "results": results,
    })
}

impl CheckRun {
    /// What this run's ledger entry should hold, recomputed from its stored results.
    pub fn ledger_body(&self, results: &[StoredResultDigest]) -> serde_json::Value {
        let digests = results
            .iter()
            .map(|r| digest!(r, r.violations_sha256.clone()))
            .collect();
        run_body(self, digests)
    }
}

/// A stored result as its run's ledger entry commits to it, for verification.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResultDigest {
    pub org_id: String,
    pub run_id: String,
    pub check_id: String,
    pub status: String,
    pub severity: String,
    pub controls: Vec<String>,
    pub resources: Option<u64>,
    pub violation_count: u64,
    /// The hash of the violation set the result points at, computed again from the set's
    /// stored body (so an edited set shows); `None` when it has no violations.
    pub violations_sha256: Option<String>,
    pub evidence: Vec<String>,
}

/// The hash that names a set of violations (the hex SHA-256 of its compact JSON).
pub fn violations_sha256(violations: &serde_json::Value) -> String {
    let digest = Sha256::digest(violations.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn count(results: &[NewCheckResult], status: &str) -> u32 {
    u32::try_from(results.iter().filter(|r| r.status == status).count()).unwrap_or(u32::MAX)
}

fn json_list(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

fn parse_list(what: &str, text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Other(format!("stored {what} is not a JSON list: {e}")))
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: String,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
    trigger: String,
    pack: String,
    pack_sha256: String,
    passed: i32,
    failed: i32,
    errors: i32,
    skipped: i32,
    inputs: String,
    ledger_index: i64,
}

impl TryFrom<RunRow> for CheckRun {
    type Error = StoreError;
    fn try_from(r: RunRow) -> Result<CheckRun, StoreError> {
        let n = |v: i32| u32::try_from(v).unwrap_or(0);
        Ok(CheckRun {
            inputs: parse_list("run inputs", &r.inputs)?,
            ledger_index: to_u64(r.ledger_index)?,
            passed: n(r.passed),
            failed: n(r.failed),
            errors: n(r.errors),
            skipped: n(r.skipped),
            id: r.id,
            started_at: r.started_at,
            finished_at: r.finished_at,
            trigger: r.trigger,
            pack: r.pack,
            pack_sha256: r.pack_sha256,
        })
    }
}

macro_rules! select_run {
    () => {
        "SELECT id, started_at, finished_at, trigger, pack, pack_sha256, passed, failed, errors,
                skipped, inputs, ledger_index FROM check_runs WHERE org_id = $1"
    };
}

#[derive(sqlx::FromRow)]
struct DigestRow {
    org_id: String,
    run_id: String,
    check_id: String,
    status: String,
    severity: String,
    controls: String,
    resources: Option<i64>,
    violation_count: i32,
    violations_sha256: Option<String>,
    evidence: String,
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    org_id: String,
    run_id: String,
    check_id: String,
    title: String,
    status: String,
    severity: String,
    controls: String,
    resources: Option<i64>,
    violation_count: i32,
    body: Option<String>,
    detail: Option<String>,
    evidence: String,
}

impl TryFrom<ResultRow> for StoredCheckResult {
    type Error = StoreError;
    fn try_from(r: ResultRow) -> Result<StoredCheckResult, StoreError> {
        let violations = match r.body {
            Some(body) => serde_json::from_str(&body)
                .map_err(|e| StoreError::Other(format!("stored violations are not JSON: {e}")))?,
            None => serde_json::Value::Array(Vec::new()),
        };
        Ok(StoredCheckResult {
            controls: parse_list("result controls", &r.controls)?,
            evidence: parse_list("result evidence", &r.evidence)?,
            resources: r.resources.and_then(|n| u64::try_from(n).ok()),
            violation_count: u64::try_from(r.violation_count).unwrap_or(0),
            violations,
            org_id: r.org_id,
            run_id: r.run_id,
            check_id: r.check_id,
            title: r.title,
            status: r.status,
            severity: r.severity,
            detail: r.detail,
        })
    }
}

/// Results with their violations; callers add the `WHERE`.
macro_rules! select_results {
    () => {
        "SELECT r.org_id, r.run_id, r.check_id, r.title, r.status, r.severity, r.controls, r.resources,
                r.violation_count, v.body, r.detail, r.evidence
         FROM check_results r
         LEFT JOIN check_violation_sets v ON v.org_id = r.org_id AND v.sha256 = r.violations_sha256"
    };
}

impl Store {
    /// Records a run, its results, the checks' new states and its alert, with the ledger
    /// entry that commits to the run: all or nothing.
    pub async fn record_check_run(&self, new: &NewCheckRun) -> Result<CheckRun, StoreError> {
        let id = new_id();
        let started_at = new.started_at.trunc_subsecs(6);
        let finished_at = new.finished_at.trunc_subsecs(6);
        let (passed, failed, errors, skipped) = (
            count(&new.results, "pass"),
            count(&new.results, "fail"),
            count(&new.results, "error"),
            count(&new.results, "skipped"),
        );
        let mut run = CheckRun {
            id: id.clone(),
            started_at,
            finished_at,
            trigger: new.trigger.clone(),
            pack: new.pack.clone(),
            pack_sha256: new.pack_sha256.clone(),
            passed,
            failed,
            errors,
            skipped,
            inputs: new.inputs.clone(),
            ledger_index: 0,
        };
        let digests = new
            .results
            .iter()
            .map(|r| {
                digest!(
                    r,
                    (r.violation_count > 0).then(|| violations_sha256(&r.violations))
                )
            })
            .collect();
        let entry = [NewLedgerEntry {
            kind: CHECK_RUN_ENTRY.into(),
            subject: id.clone(),
            org_id: Some(new.org_id.clone()),
            body: run_body(&run, digests),
        }];
        let inputs = json_list(&new.inputs);
        let ledger_index = with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let appended = append_entries!(tx, &entry)?;
            let index = appended.first().map(|e| e.index).unwrap_or_default();
            sqlx::query(
                "INSERT INTO check_runs (id, org_id, started_at, finished_at, trigger, pack, pack_sha256,
                                         passed, failed, errors, skipped, inputs, ledger_index)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(&id)
            .bind(&new.org_id)
            .bind(started_at)
            .bind(finished_at)
            .bind(&new.trigger)
            .bind(&new.pack)
            .bind(&new.pack_sha256)
            .bind(i64::from(passed))
            .bind(i64::from(failed))
            .bind(i64::from(errors))
            .bind(i64::from(skipped))
            .bind(&inputs)
            .bind(to_i64(index)?)
            .execute(&mut *tx)
            .await?;
            for r in &new.results {
                let violations_sha256 = if r.violation_count > 0 {
                    let sha = violations_sha256(&r.violations);
                    sqlx::query(
                        "INSERT INTO check_violation_sets (sha256, org_id, body) VALUES ($1, $2, $3)
                         ON CONFLICT (org_id, sha256) DO NOTHING",
                    )
                    .bind(&sha)
                    .bind(&new.org_id)
                    .bind(r.violations.to_string())
                    .execute(&mut *tx)
                    .await?;
                    Some(sha)
                } else {
                    None
                };
                sqlx::query(
                    "INSERT INTO check_results (run_id, org_id, check_id, title, status, severity, controls,
                                                resources, violation_count, violations_sha256, detail, evidence)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(&id)
                .bind(&new.org_id)
                .bind(&r.check_id)
                .bind(&r.title)
                .bind(&r.status)
                .bind(&r.severity)
                .bind(json_list(&r.controls))
                .bind(r.resources.and_then(|n| i64::try_from(n).ok()))
                .bind(i64::try_from(r.violation_count).unwrap_or(i64::MAX))
                .bind(violations_sha256)
                .bind(&r.detail)
                .bind(json_list(&r.evidence))
                .execute(&mut *tx)
                .await?;
            }
            for s in &new.states {
                sqlx::query(
                    "INSERT INTO check_states (org_id, check_id, status, since, failing_since, last_run_id, task_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (org_id, check_id) DO UPDATE
                     SET status = excluded.status, since = excluded.since, failing_since = excluded.failing_since,
                         last_run_id = excluded.last_run_id, task_id = excluded.task_id",
                )
                .bind(&new.org_id)
                .bind(&s.check_id)
                .bind(&s.status)
                .bind(s.since.trunc_subsecs(6))
                .bind(s.failing_since.map(|t| t.trunc_subsecs(6)))
                .bind(&id)
                .bind(&s.task_id)
                .execute(&mut *tx)
                .await?;
            }
            // Checks whose state did not change still point at their latest run.
            sqlx::query("UPDATE check_states SET last_run_id = $2 WHERE org_id = $1")
                .bind(&new.org_id)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            if let Some(audit) = &new.audit {
                let mut audit = audit.clone();
                audit.target = Some(format!("check-run:{id}"));
                crate::audit::insert!(&mut *tx, Some(new.org_id.as_str()), &audit, finished_at)?;
            }
            if let Some(alert) = &new.alert {
                sqlx::query(
                    "INSERT INTO monitor_alerts (id, org_id, run_id, created_at, body) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(new_id())
                .bind(&new.org_id)
                .bind(&id)
                .bind(finished_at)
                .bind(alert.to_string())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(index)
        })?;
        run.ledger_index = ledger_index;
        Ok(run)
    }

    /// Every check's current state in an org.
    pub async fn check_states(&self, org_id: &str) -> Result<Vec<CheckState>, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT check_id, status, since, failing_since, last_run_id, task_id FROM check_states
                 WHERE org_id = $1 ORDER BY check_id",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })
        .map_err(Into::into)
    }

    /// Links the remediation task opened for a failing check.
    pub async fn set_check_task(
        &self,
        org_id: &str,
        check_id: &str,
        task_id: Option<&str>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE check_states SET task_id = $3 WHERE org_id = $1 AND check_id = $2")
                .bind(org_id)
                .bind(check_id)
                .bind(task_id)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The latest runs, newest first.
    pub async fn check_runs(&self, org_id: &str, limit: u32) -> Result<Vec<CheckRun>, StoreError> {
        let rows: Vec<RunRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                select_run!(),
                " ORDER BY started_at DESC, id DESC LIMIT $2"
            ))
            .bind(org_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(CheckRun::try_from).collect()
    }

    /// Every run ever recorded for an org, oldest first (for ledger verification).
    pub async fn all_check_runs(&self, org_id: &str) -> Result<Vec<CheckRun>, StoreError> {
        let rows: Vec<RunRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(select_run!(), " ORDER BY started_at, id"))
                .bind(org_id)
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(CheckRun::try_from).collect()
    }

    /// Every run of every org with its org id, for ledger verification.
    pub async fn every_check_run(&self) -> Result<Vec<(String, CheckRun)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            org_id: String,
            #[sqlx(flatten)]
            run: RunRow,
        }
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT org_id, id, started_at, finished_at, trigger, pack, pack_sha256, passed, failed,
                        errors, skipped, inputs, ledger_index FROM check_runs ORDER BY ledger_index",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| Ok((r.org_id, CheckRun::try_from(r.run)?)))
            .collect()
    }

    /// What every run's ledger entry should say of each of its results, by run, for ledger
    /// verification.
    pub async fn every_result_digest(&self) -> Result<Vec<StoredResultDigest>, StoreError> {
        // A failing check repeats its violation set run after run: each distinct set is read,
        // parsed and hashed once here, not once per result that points at it.
        let sets: Vec<(String, String, String)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT org_id, sha256, body FROM check_violation_sets")
                .fetch_all(pool)
                .await
        })?;
        let mut hashes: HashMap<(String, String), String> = HashMap::with_capacity(sets.len());
        for (org_id, key, body) in sets {
            let violations: serde_json::Value = serde_json::from_str(&body)
                .map_err(|e| StoreError::Other(format!("stored violations are not JSON: {e}")))?;
            hashes.insert((org_id, key), violations_sha256(&violations));
        }
        // A result whose set is gone is hashed as having none, which differs from its entry.
        let missing = violations_sha256(&serde_json::Value::Array(Vec::new()));
        let rows: Vec<DigestRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT org_id, run_id, check_id, status, severity, controls, resources,
                        violation_count, violations_sha256, evidence
                 FROM check_results ORDER BY run_id, check_id",
            )
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| {
                let violation_count = u64::try_from(r.violation_count).unwrap_or(0);
                let violations_sha256 = (violation_count > 0).then(|| {
                    r.violations_sha256
                        .and_then(|key| hashes.get(&(r.org_id.clone(), key)).cloned())
                        .unwrap_or_else(|| missing.clone())
                });
                Ok(StoredResultDigest {
                    controls: parse_list("result controls", &r.controls)?,
                    evidence: parse_list("result evidence", &r.evidence)?,
                    resources: r.resources.and_then(|n| u64::try_from(n).ok()),
                    violation_count,
                    violations_sha256,
                    org_id: r.org_id,
                    run_id: r.run_id,
                    check_id: r.check_id,
                    status: r.status,
                    severity: r.severity,
                })
            })
            .collect()
    }

    /// One run.
    pub async fn check_run(&self, org_id: &str, id: &str) -> Result<CheckRun, StoreError> {
        let row: RunRow = with_pool!(self, |pool| {
            sqlx::query_as(concat!(select_run!(), " AND id = $2"))
                .bind(org_id)
                .bind(id)
                .fetch_one(pool)
                .await
        })?;
        row.try_into()
    }

    /// A run's results, by check id.
    pub async fn check_results(
        &self,
        org_id: &str,
        run_id: &str,
    ) -> Result<Vec<StoredCheckResult>, StoreError> {
        let rows: Vec<ResultRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                select_results!(),
                " WHERE r.org_id = $1 AND r.run_id = $2 ORDER BY r.check_id"
            ))
            .bind(org_id)
            .bind(run_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(StoredCheckResult::try_from).collect()
    }

    /// The statuses each check had on each day (UTC) of runs since `since`, oldest first:
    /// one row per day, check and status rather than one per run, since an hourly schedule runs
    /// every check 24 times a day.
    pub async fn check_history(
        &self,
        org_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<HistoryPoint>, StoreError> {
        macro_rules! history_sql {
            ($day:literal) => {
                concat!(
                    "SELECT ",
                    $day,
                    " AS day, r.check_id, r.status, r.controls
                     FROM check_results r JOIN check_runs k ON k.id = r.run_id
                     WHERE r.org_id = $1 AND k.started_at >= $2
                     GROUP BY 1, r.check_id, r.status, r.controls
                     ORDER BY 1, r.check_id"
                )
            };
        }
        type Row = (String, String, String, String);
        let rows: Vec<Row> = match &self.pool {
            // Times are stored as RFC 3339 text in UTC: the day is its first ten characters.
            Pool::Sqlite(pool) => {
                sqlx::query_as(history_sql!("substr(k.started_at, 1, 10)"))
                    .bind(org_id)
                    .bind(since)
                    .fetch_all(pool)
                    .await?
            }
            Pool::Postgres(pool) => {
                sqlx::query_as(history_sql!(
                    "to_char(k.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                ))
                .bind(org_id)
                .bind(since)
                .fetch_all(pool)
                .await?
            }
        };
        rows.into_iter()
            .map(|(day, check_id, status, controls)| {
                Ok(HistoryPoint {
                    day: day.parse().map_err(|e| {
                        StoreError::Other(format!("stored run day `{day}` is not a date: {e}"))
                    })?,
                    check_id,
                    status,
                    controls: parse_list("result controls", &controls)?,
                })
            })
            .collect()
    }

    /// Alerts due for a delivery attempt at `now`: not delivered, tried fewer than
    /// `max_attempts` times, and past their back-off; oldest first.
    pub async fn pending_alerts(
        &self,
        max_attempts: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<PendingAlert>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: String,
            org_id: String,
            run_id: String,
            created_at: DateTime<Utc>,
            body: String,
            attempts: i32,
            webhook_done: bool,
            email_done: bool,
            last_error: Option<String>,
        }
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, org_id, run_id, created_at, body, attempts, webhook_done, email_done, last_error
                 FROM monitor_alerts
                 WHERE delivered_at IS NULL AND attempts < $1 AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
                 ORDER BY created_at, id",
            )
            .bind(i64::from(max_attempts))
            .bind(now.trunc_subsecs(6))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| {
                Ok(PendingAlert {
                    body: serde_json::from_str(&r.body)
                        .map_err(|e| StoreError::Other(format!("stored alert is not JSON: {e}")))?,
                    attempts: u32::try_from(r.attempts).unwrap_or(0),
                    webhook_done: r.webhook_done,
                    email_done: r.email_done,
                    last_error: r.last_error,
                    id: r.id,
                    org_id: r.org_id,
                    run_id: r.run_id,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// Alerts not delivered yet, with their last error, for people to see.
    pub async fn undelivered_alerts(&self, org_id: &str) -> Result<Vec<PendingAlert>, StoreError> {
        let far = Utc::now() + chrono::TimeDelta::days(36_500);
        Ok(self
            .pending_alerts(u32::MAX, far)
            .await?
            .into_iter()
            .filter(|a| a.org_id == org_id)
            .collect())
    }

    /// Records a delivery attempt: which channels took the alert now, and the first problem
    /// (which schedules the next attempt at `retry_at`); delivered when nothing failed.
    pub async fn record_alert_attempt(&self, attempt: &AlertAttempt<'_>) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE monitor_alerts SET attempts = attempts + 1, last_error = $2,
                        webhook_done = webhook_done OR $3, email_done = email_done OR $4,
                        next_attempt_at = $5,
                        delivered_at = CASE WHEN $2 IS NULL THEN $6 ELSE NULL END
                 WHERE id = $1",
            )
            .bind(attempt.id)
            .bind(attempt.error)
            .bind(attempt.webhook_done)
            .bind(attempt.email_done)
            .bind(attempt.retry_at.map(|t| t.trunc_subsecs(6)))
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(Into::into)
    }

    /// An org's monitoring settings (JSON) and its sealed webhook URL, if it has saved any.
    pub async fn monitor_settings(
        &self,
        org_id: &str,
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT settings, webhook_sealed FROM monitor_settings WHERE org_id = $1",
            )
            .bind(org_id)
            .fetch_optional(pool)
            .await
        })
        .map_err(Into::into)
    }

    /// Saves an org's monitoring settings and sealed webhook URL, with an audit entry.
    pub async fn save_monitor_settings(
        &self,
        org_id: &str,
        settings: &str,
        webhook_sealed: Option<&str>,
        audit: &crate::models::NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO monitor_settings (org_id, settings, webhook_sealed, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (org_id) DO UPDATE SET settings = excluded.settings,
                     webhook_sealed = excluded.webhook_sealed, updated_at = excluded.updated_at,
                     updated_by = excluded.updated_by",
            )
            .bind(org_id)
            .bind(settings)
            .bind(webhook_sealed)
            .bind(now)
            .bind(&audit.actor)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(org_id), audit, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}

/// A monitoring schedule: the check pack, or a collector re-reading a path, on a cron pattern.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct MonitorSchedule {
    pub id: String,
    #[serde(skip)]
    pub org_id: String,
    /// `pack` or `collect`.
    pub target: String,
    /// For `collect`: the snapshot kind, the system and the path read.
    pub kind: Option<String>,
    pub system: Option<String>,
    pub source_path: Option<String>,
    pub cron: String,
    /// For `pack`: the org pack it runs; `None` for the built-in pack.
    pub pack: Option<String>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl Store {
    /// Adds a schedule under a new id (the one given is ignored), with an audit entry.
    pub async fn add_schedule(
        &self,
        mut schedule: MonitorSchedule,
        audit: &crate::models::NewAuditEntry,
    ) -> Result<MonitorSchedule, StoreError> {
        schedule.id = new_id();
        let mut audit = audit.clone();
        audit.target = Some(format!("schedule:{}", schedule.id));
        let audit = &audit;
        let schedule = &schedule;
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO monitor_schedules (id, org_id, target, kind, system, source_path, cron, created_at, created_by, pack)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&schedule.id)
            .bind(&schedule.org_id)
            .bind(&schedule.target)
            .bind(&schedule.kind)
            .bind(&schedule.system)
            .bind(&schedule.source_path)
            .bind(&schedule.cron)
            .bind(schedule.created_at.trunc_subsecs(6))
            .bind(&schedule.created_by)
            .bind(&schedule.pack)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(
                &mut *tx,
                Some(schedule.org_id.as_str()),
                audit,
                schedule.created_at.trunc_subsecs(6)
            )?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(schedule.clone())
    }

    /// An org's schedules, oldest first; every org's when `org_id` is `None`.
    pub async fn schedules(
        &self,
        org_id: Option<&str>,
    ) -> Result<Vec<MonitorSchedule>, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, org_id, target, kind, system, source_path, cron, pack, last_run_at, last_error, created_at, created_by
                 FROM monitor_schedules WHERE ($1 IS NULL OR org_id = $1) ORDER BY created_at, id",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })
        .map_err(Into::into)
    }

    /// Removes a schedule, with an audit entry; `NotFound` when the org has no such schedule.
    pub async fn remove_schedule(
        &self,
        org_id: &str,
        id: &str,
        audit: &crate::models::NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let gone = sqlx::query("DELETE FROM monitor_schedules WHERE org_id = $1 AND id = $2")
                .bind(org_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            crate::audit::insert!(&mut *tx, Some(org_id), audit, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Records when a schedule last ran and how it went.
    pub async fn mark_schedule_run(
        &self,
        id: &str,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE monitor_schedules SET last_run_at = $2, last_error = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(at.trunc_subsecs(6))
            .bind(error)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(Into::into)
    }
}
