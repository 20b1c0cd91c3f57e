//! Continuous monitoring: the check pack evaluated over the latest snapshots and Attest's own
//! records, every run recorded and ledgered, each check's state kept for control health,
//! remediation tasks and alerts.

mod alerts;
mod collect;
mod health;
mod input;
mod packs;
mod schedule;
mod settings;
mod tasks;
mod verify;

use std::collections::BTreeMap;
use std::time::Instant;

use attest_checks::{CheckResult, Limits, Pack, Status};
use attest_store::{
    CheckRun, CheckState, NewAuditEntry, NewCheckResult, NewCheckRun, Org, StoredCheckResult,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

pub use alerts::check_webhook_url;
pub use collect::{Collected, ExportUpload, controls_for_kind, read_export};
pub use health::{CheckHealth, ControlHealth, DayRecord, Health, HealthHistory};
pub use packs::{BUILTIN_PACK, pack_sha256};
pub use schedule::{DEFAULT_PACK_CRON, ScheduleTarget, ScheduledOutcome};
pub use settings::{CheckSettings, GraceDays, MonitorSettings};

use crate::error::AppError;
use crate::workspace::{Actor, App};

/// Who started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// `attest monitor run-once`, or the Run now button.
    Manual,
    /// A schedule inside `attest serve`.
    Schedule,
    /// The demo's history.
    Demo,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Schedule => "schedule",
            Trigger::Demo => "demo",
        }
    }
}

/// How long each part of a run took, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RunTimings {
    /// Reading snapshots and records and building the input document.
    pub input_ms: f64,
    /// Converting the document for Rego and evaluating every check.
    pub evaluate_ms: f64,
    /// Recording the run, its results and its ledger entry.
    pub store_ms: f64,
}

/// A finished run.
#[derive(Debug, Clone, Serialize)]
pub struct MonitorRun {
    pub run: CheckRun,
    pub results: Vec<CheckResult>,
    /// Checks that started failing in this run.
    pub newly_failing: Vec<String>,
    /// Checks that pass again.
    pub recovered: Vec<String>,
    pub timings: RunTimings,
}

/// Runs as `attest monitor run-once --json` prints them and the API returns them: each pack's
/// run with what changed, then every check's result (`id`, `controls`, `status`, `violations`).
pub fn runs_json(runs: &[MonitorRun]) -> serde_json::Value {
    serde_json::json!({
        "runs": runs
            .iter()
            .map(|r| serde_json::json!({
                "pack": r.run.pack,
                "run": r.run,
                "newly_failing": r.newly_failing,
                "recovered": r.recovered,
                "timings_ms": r.timings,
            }))
            .collect::<Vec<_>>(),
        "checks": runs.iter().flat_map(|r| &r.results).collect::<Vec<_>>(),
    })
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

impl App {
    /// Runs every pack (the built-in one, then the org's own) over the org's latest snapshots
    /// and records one run per pack.
    pub async fn run_monitoring(
        &self,
        org: &Org,
        trigger: Trigger,
    ) -> Result<Vec<MonitorRun>, AppError> {
        self.run_monitoring_at(org, trigger, Utc::now(), None).await
    }

    /// Runs every pack now because a person asked (the page's button, the API, the CLI): each
    /// run is recorded in the audit log with who.
    pub async fn run_monitoring_by(
        &self,
        org: &Org,
        actor: &Actor,
    ) -> Result<Vec<MonitorRun>, AppError> {
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.run".into(),
            target: None,
            detail: serde_json::json!({}),
        };
        self.run_monitoring_at(org, Trigger::Manual, Utc::now(), Some(audit))
            .await
    }

    /// Runs every pack as of `now` (the demo replays history with past times).
    pub(crate) async fn run_monitoring_at(
        &self,
        org: &Org,
        trigger: Trigger,
        now: DateTime<Utc>,
        audit: Option<NewAuditEntry>,
    ) -> Result<Vec<MonitorRun>, AppError> {
        let packs = self.monitor_packs(org).await?;
        self.run_packs_at(org, packs, trigger, now, audit).await
    }

    /// Runs `packs` over one input document, built and converted once, and records a run per
    /// pack.
    pub(crate) async fn run_packs_at(
        &self,
        org: &Org,
        packs: Vec<Pack>,
        trigger: Trigger,
        now: DateTime<Utc>,
        audit: Option<NewAuditEntry>,
    ) -> Result<Vec<MonitorRun>, AppError> {
        let started = Instant::now();
        let input = self.check_input(org, now).await?;
        let document = input.document.clone();
        let converted = tokio::task::spawn_blocking(move || {
            attest_checks::Input::from_serde(&document).map(std::sync::Arc::new)
        })
        .await
        .map_err(|e| AppError::Internal(format!("the check input could not be built: {e}")))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let mut input_ms = ms(started);
        let cycle = Cycle {
            input: &input,
            converted,
            trigger,
            now,
            started,
        };
        let mut runs = Vec::with_capacity(packs.len());
        for pack in packs {
            let audit = audit.clone().map(|mut a| {
                a.detail = serde_json::json!({"pack": pack.name});
                a
            });
            let mut run = self.run_pack(org, pack, &cycle, audit).await?;
            // The input was built once; the first run carries its cost.
            run.timings.input_ms = std::mem::take(&mut input_ms);
            runs.push(run);
        }
        Ok(runs)
    }

    /// Evaluates one pack and records its run, the states of its checks, their tasks and the
    /// run's alert.
    async fn run_pack(
        &self,
        org: &Org,
        pack: Pack,
        cycle: &Cycle<'_>,
        audit: Option<NewAuditEntry>,
    ) -> Result<MonitorRun, AppError> {
        let Cycle {
            input,
            trigger,
            now,
            ..
        } = *cycle;
        let started = Instant::now();
        let sha = packs::pack_sha256(&pack);
        let pack_name = pack.name.clone();
        let converted = cycle.converted.clone();
        let evaluation = tokio::task::spawn_blocking(move || {
            attest_checks::evaluate(&pack, &converted, &Limits::default())
        })
        .await
        .map_err(|e| AppError::Internal(format!("the check evaluation stopped: {e}")))?;
        let evaluate_ms = ms(started);

        let storing = Instant::now();
        let previous: BTreeMap<String, CheckState> = self
            .store
            .check_states(&org.id)
            .await?
            .into_iter()
            .map(|s| (s.check_id.clone(), s))
            .collect();
        // Packs run one after another from `now`: each run ends when its own work is done.
        let finished_at =
            now + chrono::TimeDelta::from_std(cycle.started.elapsed()).unwrap_or_default();
        let mut states = Vec::new();
        let mut newly_failing = Vec::new();
        let mut recovered = Vec::new();
        let mut results = Vec::with_capacity(evaluation.results.len());
        for r in &evaluation.results {
            let status = r.status.as_str();
            let old = previous.get(&r.check.id);
            // A failure is one episode from its first failing run to its first passing one:
            // runs that error or are skipped in between neither end it nor start another.
            let episode = old.and_then(|o| o.failing_since);
            let failing_since = match r.status {
                Status::Fail => Some(episode.unwrap_or(now)),
                Status::Error | Status::Skipped => episode,
                Status::Pass => None,
            };
            if r.status == Status::Fail && episode.is_none() {
                newly_failing.push(r.check.id.clone());
            } else if r.status == Status::Pass && episode.is_some() {
                recovered.push(r.check.id.clone());
            }
            if old.is_none_or(|o| o.status != status || o.failing_since != failing_since) {
                states.push(CheckState {
                    check_id: r.check.id.clone(),
                    status: status.to_owned(),
                    since: if old.is_some_and(|o| o.status == status) {
                        old.map_or(now, |o| o.since)
                    } else {
                        now
                    },
                    failing_since,
                    last_run_id: String::new(),
                    // The episode's task stays linked until it ends.
                    task_id: old
                        .and_then(|o| o.task_id.clone())
                        .filter(|_| failing_since.is_some()),
                });
            }
            results.push(result_record(r, input.evidence_for(&r.check.evidence))?);
        }
        // The demo's replayed history is not news to anyone.
        let alert = (trigger != Trigger::Demo)
            .then(|| alerts::alert_body(org, &evaluation.results, &newly_failing, &recovered))
            .flatten();
        let run = self
            .store
            .record_check_run(&NewCheckRun {
                org_id: org.id.clone(),
                started_at: now,
                finished_at,
                trigger: trigger.as_str().to_owned(),
                pack: pack_name,
                pack_sha256: sha,
                inputs: input.all_evidence(),
                results,
                states,
                alert,
                audit,
            })
            .await?;
        self.open_and_close_tasks(org, &evaluation.results, &recovered, &previous, &run, now)
            .await?;
        let store_ms = ms(storing);
        Ok(MonitorRun {
            run,
            results: evaluation.results,
            newly_failing,
            recovered,
            timings: RunTimings {
                input_ms: 0.0,
                evaluate_ms,
                store_ms,
            },
        })
    }

    /// The org's latest runs, newest first.
    pub async fn monitor_runs(&self, org: &Org, limit: u32) -> Result<Vec<CheckRun>, AppError> {
        Ok(self.store.check_runs(&org.id, limit.clamp(1, 1000)).await?)
    }

    /// One run with its results.
    pub async fn monitor_run(
        &self,
        org: &Org,
        id: &str,
    ) -> Result<(CheckRun, Vec<StoredCheckResult>), AppError> {
        let run = self
            .store
            .check_run(&org.id, id)
            .await
            .map_err(|e| match e {
                attest_store::StoreError::NotFound => AppError::NotFound(format!(
                    "no check run {id} in org `{}`; `attest monitor runs` lists them",
                    org.slug
                )),
                other => other.into(),
            })?;
        let results = self.store.check_results(&org.id, &run.id).await?;
        Ok((run, results))
    }

    /// The latest run with its results, if checks have ever run.
    pub async fn latest_monitor_run(
        &self,
        org: &Org,
    ) -> Result<Option<(CheckRun, Vec<StoredCheckResult>)>, AppError> {
        let Some(run) = self.store.check_runs(&org.id, 1).await?.into_iter().next() else {
            return Ok(None);
        };
        let results = self.store.check_results(&org.id, &run.id).await?;
        Ok(Some((run, results)))
    }

    /// The results of the latest run of each pack.
    pub async fn latest_results(&self, org: &Org) -> Result<Vec<StoredCheckResult>, AppError> {
        let mut seen = std::collections::BTreeSet::new();
        let mut results = Vec::new();
        for run in self.store.check_runs(&org.id, 100).await? {
            if seen.insert(run.pack.clone()) {
                results.extend(self.store.check_results(&org.id, &run.id).await?);
            }
        }
        Ok(results)
    }

    /// The latest snapshot of every collected system, newest first.
    pub async fn snapshots(&self, org: &Org) -> Result<Vec<attest_store::Evidence>, AppError> {
        self.latest_snapshots(org).await
    }

    /// The checks that test one control, each with its current health and its latest result.
    pub async fn control_checks(
        &self,
        org: &Org,
        control: &attest_core::ControlId,
    ) -> Result<Vec<ControlCheck>, AppError> {
        let health = self.control_health(org).await?;
        let Some(mine) = health.into_iter().find(|h| &h.control == control) else {
            return Ok(Vec::new());
        };
        let latest = self.latest_results(org).await?;
        Ok(mine
            .checks
            .into_iter()
            .map(|health| {
                let result = latest.iter().find(|r| r.check_id == health.id).cloned();
                ControlCheck { health, result }
            })
            .collect())
    }
}

/// A check of a control, as the control page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ControlCheck {
    pub health: CheckHealth,
    /// Its result in the latest run, with the violations.
    pub result: Option<StoredCheckResult>,
}

/// One monitoring cycle: the input every pack of it reads, built once, and when it began.
struct Cycle<'a> {
    input: &'a input::CheckInput,
    converted: std::sync::Arc<attest_checks::Input>,
    trigger: Trigger,
    /// The moment the runs are as of, and their recorded start.
    now: DateTime<Utc>,
    /// When the cycle began, for each run's recorded end.
    started: Instant,
}

/// A check's result as the store records it, with the evidence items it judged.
pub fn result_record(r: &CheckResult, evidence: Vec<String>) -> Result<NewCheckResult, AppError> {
    Ok(NewCheckResult {
        check_id: r.check.id.clone(),
        title: r.check.title.clone(),
        status: r.status.as_str().to_owned(),
        severity: r.check.severity.as_str().to_owned(),
        controls: r.check.controls.clone(),
        resources: r.resources,
        violation_count: r.violations.len() as u64,
        violations: serde_json::to_value(&r.violations)
            .map_err(|e| AppError::Internal(e.to_string()))?,
        detail: r
            .error
            .as_ref()
            .map(|e| match e.line {
                Some(line) => format!("{}:{line}: {}", e.file, e.message),
                None => format!("{}: {}", e.file, e.message),
            })
            .or_else(|| r.skipped.clone()),
        evidence,
    })
}

/// Who monitoring acts as in the audit log and on tasks.
pub const MONITOR_ACTOR: &str = "system:monitor";
