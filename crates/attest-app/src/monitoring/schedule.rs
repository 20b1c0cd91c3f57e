//! Schedules: when `attest serve` runs the check packs and re-reads collected exports. Every org
//! runs the built-in pack hourly until it sets a schedule of its own; an added pack runs with the
//! built-in one unless it has its own.

use std::path::PathBuf;
use std::str::FromStr;

use attest_collect::{Kind, Options};
use attest_store::{MonitorSchedule, NewAuditEntry, Org};
use chrono::{DateTime, Utc};
use croner::Cron;
use serde::Serialize;

use super::Trigger;
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// The pack's schedule for an org that has not set one: at the top of every hour.
pub const DEFAULT_PACK_CRON: &str = "0 * * * *";

/// `created_by` of the default schedule, listed before it first runs and stored after.
const DEFAULT_CREATOR: &str = "default";

/// What a schedule runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleTarget {
    /// A check pack: the built-in one (`None`), or one the org added. The built-in pack's
    /// schedule also runs every added pack that has no schedule of its own.
    Pack(Option<String>),
    /// A collector re-reading a file or a repository that something else keeps current.
    Collect {
        kind: Kind,
        system: Option<String>,
        path: PathBuf,
    },
}

/// What one due schedule did.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduledOutcome {
    pub org: String,
    /// `pack`, or `collect KIND`.
    pub what: String,
    /// What happened, in a sentence.
    pub outcome: String,
    pub ok: bool,
}

fn parse_cron(pattern: &str) -> Result<Cron, AppError> {
    Cron::from_str(pattern).map_err(|e| {
        AppError::Invalid(format!(
            "`{pattern}` is not a cron pattern ({e}); write five fields, e.g. \"0 * * * *\" for hourly or \"30 6 * * 1-5\" for 06:30 on weekdays"
        ))
    })
}

/// When a schedule with `pattern`, last run at `last`, is next due.
fn next_due(pattern: &str, last: DateTime<Utc>) -> Option<DateTime<Utc>> {
    parse_cron(pattern)
        .ok()?
        .find_next_occurrence(&last, false)
        .ok()
}

impl App {
    /// Adds a schedule after checking its pattern (and, for a collector, that the path reads
    /// as that kind now, so a typo fails here rather than every hour).
    pub async fn add_schedule(
        &self,
        org: &Org,
        target: ScheduleTarget,
        cron: &str,
        actor: &Actor,
    ) -> Result<MonitorSchedule, AppError> {
        parse_cron(cron)?;
        let now = Utc::now();
        let mut pack = None;
        let (kind, system, path) = match &target {
            ScheduleTarget::Pack(name) => {
                let name = name.as_deref().filter(|n| *n != super::BUILTIN_PACK);
                if let Some(name) = name
                    && !self.org_packs(org).await?.iter().any(|p| p.name == name)
                {
                    return Err(AppError::NotFound(format!(
                        "org `{}` has no pack `{name}`; add it with `attest monitor pack add {name} DIR`",
                        org.slug
                    )));
                }
                let existing = self
                    .store
                    .schedules(Some(&org.id))
                    .await?
                    .into_iter()
                    .find(|s| s.target == "pack" && s.pack.as_deref() == name);
                match existing {
                    // The default, stored when it first ran, gives way to the org's own.
                    Some(s) if s.created_by == DEFAULT_CREATOR => {
                        self.remove_schedule(org, &s.id, actor).await?;
                    }
                    Some(_) => {
                        return Err(AppError::Invalid(format!(
                            "the `{}` pack already has a schedule; remove it first (`attest monitor schedule list` shows its id)",
                            name.unwrap_or(super::BUILTIN_PACK)
                        )));
                    }
                    None => {}
                }
                pack = name.map(str::to_owned);
                (None, None, None)
            }
            ScheduleTarget::Collect { kind, system, path } => {
                // A schedule keeps a path, not the extra listings a members export needs: read
                // without them it would lose every two-factor and admin finding.
                if *kind == Kind::GithubMembers {
                    return Err(AppError::Invalid(
                        "github-members needs its two-factor and admin listings beside the member list, which a schedule cannot keep; have the job that exports them post all three to the API (POST /api/v1/orgs/{org}/snapshots)".into(),
                    ));
                }
                let mut options = Options::new(now);
                options.system = system.clone();
                super::read_export(*kind, path, options).await?;
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                (
                    Some(kind.name().to_owned()),
                    system.clone(),
                    Some(absolute.display().to_string()),
                )
            }
        };
        let schedule = MonitorSchedule {
            id: String::new(),
            org_id: org.id.clone(),
            target: if kind.is_some() { "collect" } else { "pack" }.to_owned(),
            kind,
            system,
            source_path: path,
            cron: cron.trim().to_owned(),
            pack,
            last_run_at: None,
            last_error: None,
            created_at: now,
            created_by: actor.as_str().to_owned(),
        };
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.schedule.added".into(),
            target: None,
            detail: serde_json::json!({"target": schedule.target, "pack": schedule.pack, "kind": schedule.kind, "path": schedule.source_path, "cron": schedule.cron}),
        };
        Ok(self.store.add_schedule(schedule, &audit).await?)
    }

    /// An org's schedules; the default hourly schedule of the built-in pack (id `default`) is
    /// listed while it applies: that pack has no schedule of its own and the org has not
    /// removed the default.
    pub async fn schedules(&self, org: &Org) -> Result<Vec<MonitorSchedule>, AppError> {
        let mut schedules = self.store.schedules(Some(&org.id)).await?;
        if !schedules
            .iter()
            .any(|s| s.target == "pack" && s.pack.is_none())
            && self.monitor_settings(org).await?.default_schedule
        {
            schedules.insert(0, self.default_pack_schedule(org).await?);
        }
        Ok(schedules)
    }

    /// Stores the default pack schedule the first time it is due, so its last run and last
    /// error are kept like any schedule's: a failing run then waits for the next hour instead
    /// of being retried at every tick.
    async fn store_default_schedule(
        &self,
        default: MonitorSchedule,
    ) -> Result<MonitorSchedule, AppError> {
        let audit = NewAuditEntry {
            actor: super::MONITOR_ACTOR.to_owned(),
            action: "monitoring.schedule.added".into(),
            target: None,
            detail: serde_json::json!({"target": "pack", "cron": default.cron, "default": true}),
        };
        Ok(self.store.add_schedule(default, &audit).await?)
    }

    async fn default_pack_schedule(&self, org: &Org) -> Result<MonitorSchedule, AppError> {
        let last = self
            .store
            .check_runs(&org.id, 1)
            .await?
            .first()
            .map(|r| r.started_at);
        Ok(MonitorSchedule {
            id: "default".into(),
            org_id: org.id.clone(),
            target: "pack".into(),
            kind: None,
            system: None,
            source_path: None,
            cron: DEFAULT_PACK_CRON.into(),
            pack: None,
            last_run_at: last,
            last_error: None,
            created_at: org.created_at,
            created_by: DEFAULT_CREATOR.into(),
        })
    }

    /// Removes one of an org's schedules. Removing the pack's schedule (`default` included)
    /// leaves the pack with none: it then runs only when someone asks, until a pack schedule is
    /// added again.
    pub async fn remove_schedule(
        &self,
        org: &Org,
        id: &str,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let removes_builtin = self
            .schedules(org)
            .await?
            .iter()
            .any(|s| s.id == id && s.target == "pack" && s.pack.is_none());
        if removes_builtin {
            let mut settings = self.monitor_settings(org).await?;
            if settings.default_schedule {
                settings.default_schedule = false;
                self.save_monitor_settings(org, &settings, actor).await?;
            }
            if id == "default" {
                return Ok(());
            }
        }
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.schedule.removed".into(),
            target: Some(format!("schedule:{id}")),
            detail: serde_json::json!({}),
        };
        self.store
            .remove_schedule(&org.id, id, &audit)
            .await
            .map_err(|e| match e {
                attest_store::StoreError::NotFound => AppError::NotFound(format!(
                    "no schedule {id} in org `{}`; `attest monitor schedule list` shows them",
                    org.slug
                )),
                other => other.into(),
            })
    }

    /// Takes the right to run schedules and deliver alerts, or `None` while another server
    /// sharing this database holds it (see [`SchedulerLock`](crate::SchedulerLock)).
    pub async fn try_scheduler_lock(
        &self,
    ) -> Result<Option<attest_store::SchedulerLock>, AppError> {
        Ok(self.store.try_scheduler_lock().await?)
    }

    /// Runs every schedule of every org that is due at `now`: collectors first, so the pack
    /// judges what they just read. A failure is recorded on its schedule and does not stop
    /// the others.
    pub async fn run_due_schedules(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<ScheduledOutcome>, AppError> {
        let mut outcomes = Vec::new();
        for org in self.orgs().await? {
            let mut schedules = self.schedules(&org).await?;
            schedules.sort_by_key(|s| s.target == "pack");
            for mut s in schedules {
                let due = match s.last_run_at {
                    None => true,
                    Some(last) => next_due(&s.cron, last).is_some_and(|next| next <= now),
                };
                if !due {
                    continue;
                }
                if s.id == "default" {
                    s = self.store_default_schedule(s).await?;
                }
                let (what, result) = if s.target == "pack" {
                    let what = match &s.pack {
                        Some(name) => format!("pack {name}"),
                        None => "pack".to_owned(),
                    };
                    (
                        what,
                        self.run_scheduled_pack(&org, s.pack.as_deref(), now).await,
                    )
                } else {
                    (
                        format!("collect {}", s.kind.as_deref().unwrap_or("?")),
                        self.run_scheduled_collect(&org, &s, now).await,
                    )
                };
                let (outcome, ok) = match result {
                    Ok(outcome) => (outcome, true),
                    Err(e) => (e.to_string(), false),
                };
                self.store
                    .mark_schedule_run(&s.id, now, (!ok).then_some(outcome.as_str()))
                    .await?;
                outcomes.push(ScheduledOutcome {
                    org: org.slug.to_string(),
                    what,
                    outcome,
                    ok,
                });
            }
        }
        Ok(outcomes)
    }

    /// Runs one added pack, or the built-in pack with every added pack that has no schedule of
    /// its own.
    async fn run_scheduled_pack(
        &self,
        org: &Org,
        name: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let scheduled: Vec<String> = self
            .store
            .schedules(Some(&org.id))
            .await?
            .into_iter()
            .filter_map(|s| s.pack)
            .collect();
        let packs: Vec<_> = self
            .monitor_packs(org)
            .await?
            .into_iter()
            .filter(|p| match name {
                Some(name) => p.name == name,
                None => p.name == super::BUILTIN_PACK || !scheduled.contains(&p.name),
            })
            .collect();
        if packs.is_empty() {
            return Err(AppError::NotFound(format!(
                "the pack `{}` is gone",
                name.unwrap_or_default()
            )));
        }
        let runs = self
            .run_packs_at(org, packs, Trigger::Schedule, now, None)
            .await?;
        Ok(runs
            .iter()
            .map(|r| {
                format!(
                    "{}: {} passed, {} failed, {} errors, {} skipped",
                    r.run.pack, r.run.passed, r.run.failed, r.run.errors, r.run.skipped
                )
            })
            .collect::<Vec<_>>()
            .join("; "))
    }

    /// Re-reads a schedule's path; an export unchanged since the latest snapshot is not
    /// recorded again (it would claim a collection that did not happen).
    async fn run_scheduled_collect(
        &self,
        org: &Org,
        s: &MonitorSchedule,
        now: DateTime<Utc>,
    ) -> Result<String, AppError> {
        let kind: Kind = s
            .kind
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|e: attest_collect::CollectError| AppError::Invalid(e.to_string()))?;
        let path = PathBuf::from(s.source_path.clone().unwrap_or_default());
        let mut options = Options::new(now);
        options.system = s.system.clone();
        let snapshot = super::read_export(kind, &path, options).await?;
        let source = super::input::collect_source(kind.name(), &snapshot.system);
        if let Some(latest) = self
            .latest_snapshots(org)
            .await?
            .into_iter()
            .find(|e| e.source == source)
            && let Some(key) = &latest.blob_key
        {
            let envelope: serde_json::Value =
                serde_json::from_slice(&self.verified_content(&latest, key).await?)
                    .unwrap_or_default();
            if envelope["source"]["sha256"] == snapshot.source.sha256.as_str() {
                return Ok(format!(
                    "unchanged since {}",
                    latest.recorded_at.format("%Y-%m-%d %H:%M")
                ));
            }
        }
        let actor = Actor::new(super::MONITOR_ACTOR)?;
        let collected = self.record_snapshot(org, &snapshot, &actor).await?;
        Ok(format!(
            "recorded {} records as evidence {}",
            collected.records, collected.evidence.id
        ))
    }
}
