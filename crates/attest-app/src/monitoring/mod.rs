//! Continuous monitoring: the check pack evaluated over the latest snapshots and Attest's own
//! records, every run recorded and ledgered, each check's state kept for control health,
//! remediation tasks and alerts.

mod collect;
mod health;
mod input;
mod schedule;
mod settings;
mod verify;

use std::collections::BTreeMap;
use std::time::Instant;

use attest_checks::{CheckResult, Limits, Pack, Status};
use attest_core::{Email, TaskStatus};
use attest_store::{
    CheckRun, CheckState, NewAuditEntry, NewCheckResult, NewCheckRun, Org, StoredCheckResult,
    TaskFields,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

pub use collect::{Collected, ExportUpload, controls_for_kind, read_export};
pub use health::{CheckHealth, ControlHealth, DayRecord, Health, HealthHistory};
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

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// The hex SHA-256 of a pack's files, so a run names exactly which checks judged it.
fn pack_sha256(pack: &Pack) -> String {
    let mut all = Vec::new();
    for f in &pack.files {
        all.extend_from_slice(f.path.as_bytes());
        all.push(0);
        all.extend_from_slice(f.source.as_bytes());
        all.push(0);
    }
    crate::evidence::sha256_hex(&all)
}

impl App {
    /// Runs the built-in pack over the org's latest snapshots and records the run.
    pub async fn run_monitoring(
        &self,
        org: &Org,
        trigger: Trigger,
    ) -> Result<MonitorRun, AppError> {
        self.run_monitoring_at(org, trigger, Utc::now(), None).await
    }

    /// Runs now because a person asked (the page's button, the API, the CLI): recorded in the
    /// audit log with who.
    pub async fn run_monitoring_by(
        &self,
        org: &Org,
        actor: &Actor,
    ) -> Result<MonitorRun, AppError> {
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.run".into(),
            target: None,
            detail: serde_json::json!({}),
        };
        self.run_monitoring_at(org, Trigger::Manual, Utc::now(), Some(audit))
            .await
    }

    /// Runs as of `now` (the demo replays history with past times).
    pub(crate) async fn run_monitoring_at(
        &self,
        org: &Org,
        trigger: Trigger,
        now: DateTime<Utc>,
        audit: Option<NewAuditEntry>,
    ) -> Result<MonitorRun, AppError> {
        let started = Instant::now();
        let input = self.check_input(org, now).await?;
        let input_ms = ms(started);

        let evaluating = Instant::now();
        let pack = crate::builtin_pack();
        let sha = pack_sha256(&pack);
        let document = input.document.clone();
        let evaluation = tokio::task::spawn_blocking(move || {
            let input = attest_checks::Input::from_serde(&document)?;
            Ok::<_, attest_checks::InputError>(attest_checks::evaluate(
                &pack,
                &input,
                &Limits::default(),
            ))
        })
        .await
        .map_err(|e| AppError::Internal(format!("the check evaluation stopped: {e}")))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let evaluate_ms = ms(evaluating);

        let storing = Instant::now();
        let previous: BTreeMap<String, CheckState> = self
            .store
            .check_states(&org.id)
            .await?
            .into_iter()
            .map(|s| (s.check_id.clone(), s))
            .collect();
        let finished_at = now + chrono::TimeDelta::from_std(started.elapsed()).unwrap_or_default();
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
            .then(|| alert_body(org, &evaluation.results, &newly_failing, &recovered))
            .flatten();
        let run = self
            .store
            .record_check_run(&NewCheckRun {
                org_id: org.id.clone(),
                started_at: now,
                finished_at,
                trigger: trigger.as_str().to_owned(),
                pack: "builtin".to_owned(),
                pack_sha256: sha,
                inputs: input.all_evidence(),
                results,
                states,
                alert,
                audit,
            })
            .await?;
        self.open_and_close_tasks(
            org,
            &evaluation.results,
            &newly_failing,
            &recovered,
            &previous,
            &run,
            now,
        )
        .await?;
        let store_ms = ms(storing);
        Ok(MonitorRun {
            run,
            results: evaluation.results,
            newly_failing,
            recovered,
            timings: RunTimings {
                input_ms,
                evaluate_ms,
                store_ms,
            },
        })
    }

    /// A remediation task for the owner of each newly failing check's control; a recovered
    /// check's task is closed with a note.
    #[allow(clippy::too_many_arguments)]
    async fn open_and_close_tasks(
        &self,
        org: &Org,
        results: &[CheckResult],
        newly_failing: &[String],
        recovered: &[String],
        previous: &BTreeMap<String, CheckState>,
        run: &CheckRun,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let settings = self.monitor_settings(org).await?;
        let controls = self.org_controls(&org.id).await?;
        let audit = |action: &str, target: String, detail: serde_json::Value| NewAuditEntry {
            actor: MONITOR_ACTOR.to_owned(),
            action: action.to_owned(),
            target: Some(target),
            detail,
        };
        for id in newly_failing {
            let Some(r) = results.iter().find(|r| &r.check.id == id) else {
                continue;
            };
            if previous.get(id).and_then(|s| s.task_id.as_ref()).is_some() {
                continue;
            }
            let control = r
                .check
                .controls
                .iter()
                .find_map(|c| controls.iter().find(|k| k.id.as_str() == c));
            let grace = settings.grace_days.of(r.check.severity);
            let mut detail = format!(
                "The check {} ({}) fails: {}.\n\n",
                r.check.title,
                r.check.id,
                attest_checks::summary(r)
            );
            for v in r.violations.iter().take(10) {
                let system = v
                    .system
                    .as_deref()
                    .map(|s| format!("{s}: "))
                    .unwrap_or_default();
                detail.push_str(&format!("- {system}{}: {}\n", v.resource, v.message));
            }
            if r.violations.len() > 10 {
                detail.push_str(&format!(
                    "- … and {} more on the monitoring page\n",
                    r.violations.len() - 10
                ));
            }
            if !r.check.remediation.is_empty() {
                detail.push_str(&format!("\nWhat to do: {}\n", r.check.remediation.trim()));
            }
            let fields = TaskFields {
                title: truncate_title(&format!("Fix failing check: {}", r.check.title)),
                detail,
                control: control.map(|c| c.id.clone()),
                criterion: None,
                owner: control.and_then(|c| c.owner.clone()),
                due_on: Some(now.date_naive() + chrono::Days::new(u64::from(grace))),
                status: TaskStatus::Todo,
            };
            let task = self
                .store
                .create_task(
                    &org.id,
                    &fields,
                    &audit(
                        "task.created",
                        format!("check:{id}"),
                        serde_json::json!({"run": run.id, "title": fields.title}),
                    ),
                )
                .await?;
            self.store
                .set_check_task(&org.id, id, Some(&task.id))
                .await?;
        }
        for id in recovered {
            let Some(task_id) = previous.get(id).and_then(|s| s.task_id.clone()) else {
                continue;
            };
            let Ok(task) = self.store.task(&org.id, &task_id).await else {
                continue;
            };
            if task.status == TaskStatus::Done {
                continue;
            }
            let fields = TaskFields {
                title: task.title.clone(),
                detail: format!(
                    "{}\n\nClosed by monitoring: the check passes again (run {}).",
                    task.detail, run.id
                ),
                control: task.control.clone(),
                criterion: task.criterion.clone(),
                owner: task.owner.clone(),
                due_on: task.due_on,
                status: TaskStatus::Done,
            };
            self.store
                .update_task(
                    &org.id,
                    &task.id,
                    &fields,
                    task.updated_at,
                    &audit(
                        "task.updated",
                        format!("task:{}", task.id),
                        serde_json::json!({"status": "done", "run": run.id}),
                    ),
                )
                .await?;
        }
        Ok(())
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
        let latest = self
            .latest_monitor_run(org)
            .await?
            .map(|(_, r)| r)
            .unwrap_or_default();
        Ok(mine
            .checks
            .into_iter()
            .map(|health| {
                let result = latest.iter().find(|r| r.check_id == health.id).cloned();
                ControlCheck { health, result }
            })
            .collect())
    }

    /// An org's monitoring settings, the defaults until someone saves some.
    pub async fn monitor_settings(&self, org: &Org) -> Result<MonitorSettings, AppError> {
        match self.store.monitor_settings(&org.id).await? {
            Some((json, _)) => serde_json::from_str(&json).map_err(|e| {
                AppError::Internal(format!("the stored monitoring settings are not valid: {e}"))
            }),
            None => Ok(MonitorSettings::default()),
        }
    }

    /// Sets (or with `None` removes) the webhook that receives the org's alerts. The URL is a
    /// bearer secret (anyone holding a Slack webhook URL can post to the channel), so it is
    /// sealed with the workspace's key and never shown again.
    pub async fn set_alert_webhook(
        &self,
        org: &Org,
        url: Option<&str>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let sealed = match url.map(str::trim) {
            None | Some("") => None,
            Some(url) => {
                check_webhook_url(url)?;
                Some(self.sealing_key().await?.seal(url, &webhook_owner(org))?)
            }
        };
        let settings = self.monitor_settings(org).await?;
        let json =
            serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.webhook".into(),
            target: None,
            // Whether one is set, never the URL.
            detail: serde_json::json!({ "webhook": sealed.is_some() }),
        };
        Ok(self
            .store
            .save_monitor_settings(&org.id, &json, sealed.as_deref(), &audit)
            .await?)
    }

    /// An org by its id (alerts in the outbox name their org by id).
    pub async fn org_by_id(&self, id: &str) -> Result<Org, AppError> {
        Ok(self.store.org_by_id(id).await?)
    }

    /// The org's alert webhook URL, if one is set.
    pub async fn alert_webhook(&self, org: &Org) -> Result<Option<String>, AppError> {
        match self
            .store
            .monitor_settings(&org.id)
            .await?
            .and_then(|(_, w)| w)
        {
            Some(sealed) => Ok(Some(
                self.sealing_key()
                    .await?
                    .open(&sealed, &webhook_owner(org))?,
            )),
            None => Ok(None),
        }
    }

    /// Who gets the org's alert emails: the configured list, or its owners and admins.
    pub async fn alert_recipients(&self, org: &Org) -> Result<Vec<Email>, AppError> {
        let settings = self.monitor_settings(org).await?;
        if !settings.alert_emails.is_empty() {
            return Ok(settings
                .alert_emails
                .iter()
                .filter_map(|e| e.parse().ok())
                .collect());
        }
        Ok(self
            .store
            .members(&org.id)
            .await?
            .into_iter()
            .filter(|m| m.role.allows(attest_core::Permission::ManageOrg))
            .map(|m| m.user.email)
            .collect())
    }

    /// Alerts due for a delivery attempt now (after fewer than `max_attempts` tries, past
    /// their back-off), oldest first.
    pub async fn pending_alerts(
        &self,
        max_attempts: u32,
    ) -> Result<Vec<attest_store::PendingAlert>, AppError> {
        Ok(self.store.pending_alerts(max_attempts, Utc::now()).await?)
    }

    /// An org's alerts that have not been delivered, with why, for people to see.
    pub async fn undelivered_alerts(
        &self,
        org: &Org,
    ) -> Result<Vec<attest_store::PendingAlert>, AppError> {
        Ok(self.store.undelivered_alerts(&org.id).await?)
    }

    /// Records a delivery attempt of an alert.
    pub async fn record_alert_attempt(
        &self,
        attempt: &attest_store::AlertAttempt<'_>,
    ) -> Result<(), AppError> {
        Ok(self.store.record_alert_attempt(attempt).await?)
    }

    /// Saves an org's monitoring settings.
    pub async fn save_monitor_settings(
        &self,
        org: &Org,
        settings: &MonitorSettings,
        actor: &Actor,
    ) -> Result<(), AppError> {
        for email in &settings.alert_emails {
            email.parse::<Email>().map_err(|e| {
                AppError::Invalid(format!(
                    "alert recipient `{email}` is not an email address ({e})"
                ))
            })?;
        }
        let webhook = self
            .store
            .monitor_settings(&org.id)
            .await?
            .and_then(|(_, w)| w);
        let json =
            serde_json::to_string(settings).map_err(|e| AppError::Internal(e.to_string()))?;
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.settings".into(),
            target: None,
            detail: serde_json::to_value(settings).unwrap_or_default(),
        };
        Ok(self
            .store
            .save_monitor_settings(&org.id, &json, webhook.as_deref(), &audit)
            .await?)
    }
}

/// A check of a control, as the control page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ControlCheck {
    pub health: CheckHealth,
    /// Its result in the latest run, with the violations.
    pub result: Option<StoredCheckResult>,
}

/// Refuses a webhook URL that would not work or not be private: https, or plain http only to
/// this machine (a local relay, a test receiver); anything else would send the alerts, and the
/// URL's secret, in the clear.
pub fn check_webhook_url(url: &str) -> Result<(), AppError> {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| {
            url.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    let valid = (url.starts_with("https://") || loopback)
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(())
    } else {
        Err(AppError::Invalid(
            "the webhook must be an https:// URL, such as the one Slack gives an incoming webhook"
                .into(),
        ))
    }
}

/// What a webhook URL is sealed for: its org, so a sealed value cannot be moved to another.
fn webhook_owner(org: &Org) -> String {
    format!("monitor-webhook:{}", org.id)
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

fn truncate_title(title: &str) -> String {
    title.chars().take(200).collect()
}

/// Text from exports (names, repositories, messages) as Slack shows it literally: its markup
/// characters escaped, so a roster entry cannot ping a channel or hide a link.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One alert for a run that changed something: the checks that started failing and those
/// that recovered, with a Slack-compatible `text`.
fn alert_body(
    org: &Org,
    results: &[CheckResult],
    failing: &[String],
    recovered: &[String],
) -> Option<serde_json::Value> {
    if failing.is_empty() && recovered.is_empty() {
        return None;
    }
    let find = |id: &String| results.iter().find(|r| &r.check.id == id);
    let mut text = format!("*Attest monitoring, {}*\n", slack_escape(&org.name));
    let mut failing_items = Vec::new();
    for r in failing.iter().filter_map(find) {
        text.push_str(&format!(
            ":red_circle: *{}* ({}, {}): {}\n",
            slack_escape(&r.check.title),
            r.check.severity.as_str(),
            r.check.controls.join(", "),
            attest_checks::summary(r)
        ));
        for v in r.violations.iter().take(3) {
            text.push_str(&format!(
                "    • {}: {}\n",
                slack_escape(&v.resource),
                slack_escape(&v.message)
            ));
        }
        failing_items.push(serde_json::json!({
            "check": r.check.id, "title": r.check.title, "severity": r.check.severity,
            "controls": r.check.controls, "violations": r.violations.len(), "resources": r.resources,
            "sample": r.violations.iter().take(5).map(|v| &v.message).collect::<Vec<_>>(),
        }));
    }
    let mut recovered_items = Vec::new();
    for r in recovered.iter().filter_map(find) {
        text.push_str(&format!(
            ":large_green_circle: *{}* passes again\n",
            slack_escape(&r.check.title)
        ));
        recovered_items.push(serde_json::json!({"check": r.check.id, "title": r.check.title, "controls": r.check.controls}));
    }
    Some(serde_json::json!({
        "org": org.name,
        "org_slug": org.slug.as_str(),
        "failing": failing_items,
        "recovered": recovered_items,
        "text": text,
    }))
}
