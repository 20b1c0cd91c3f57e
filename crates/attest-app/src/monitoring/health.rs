//! Control health from check results: now, and day by day over a period, which is what a
//! Type II auditor asks about (how much of the period did the control pass, and which days
//! were not monitored at all).

use std::collections::{BTreeMap, BTreeSet};

use attest_checks::{CheckInfo, Severity};
use attest_core::ControlId;
use attest_store::Org;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::GraceDays;
use crate::error::AppError;
use crate::workspace::App;

/// How a control stands according to its checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    /// Every check that tests it passes.
    Passing,
    /// A check fails, inside the grace window of its severity (or cannot be evaluated).
    AtRisk,
    /// A check has failed for longer than the grace window of its severity.
    Failing,
    /// No check tests it, or none had the evidence to run.
    NotMonitored,
}

impl Health {
    /// The words shown on pages.
    pub fn label(self) -> &'static str {
        match self {
            Health::Passing => "passing",
            Health::AtRisk => "at risk",
            Health::Failing => "failing",
            Health::NotMonitored => "not monitored",
        }
    }

    /// How bad, for picking the worst of several.
    fn rank(self) -> u8 {
        match self {
            Health::NotMonitored => 0,
            Health::Passing => 1,
            Health::AtRisk => 2,
            Health::Failing => 3,
        }
    }
}

/// One check's current state, as a control page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CheckHealth {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// `pass`, `fail`, `error`, `skipped`, or `never-run`.
    pub status: String,
    /// Since when it has had this status.
    pub since: Option<DateTime<Utc>>,
    pub health: Health,
}

/// A control's health and the checks behind it.
#[derive(Debug, Clone, Serialize)]
pub struct ControlHealth {
    pub control: ControlId,
    pub health: Health,
    pub checks: Vec<CheckHealth>,
}

/// One day of a control's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayRecord {
    /// Every run that day passed every check that tests the control.
    Passed,
    /// Some run that day found a check of the control failing.
    Failed,
    /// Runs happened, but none had the evidence to judge the control.
    NotJudged,
    /// No run at all that day.
    NoRun,
}

/// A control's record over a period.
#[derive(Debug, Clone, Serialize)]
pub struct HealthHistory {
    pub control: ControlId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One entry per day, oldest first.
    pub days: Vec<(NaiveDate, DayRecord)>,
    pub days_passed: u32,
    pub days_failed: u32,
    pub days_without_run: u32,
    /// Passed days as a share of the days it was judged (0–100), if it was judged at all.
    pub pass_rate: Option<f64>,
}

/// The health one check's state gives its controls: a failure is judged from when it began,
/// however many runs errored or were skipped since.
pub(crate) fn check_health(
    state: &attest_store::CheckState,
    severity: Severity,
    grace: &GraceDays,
    now: DateTime<Utc>,
) -> Health {
    let failing_for = state.failing_since.map(|t| (now - t).num_days());
    match (state.status.as_str(), failing_for) {
        ("pass", _) => Health::Passing,
        ("fail", Some(days)) if days >= i64::from(grace.of(severity)) => Health::Failing,
        ("fail" | "error", _) => Health::AtRisk,
        _ => Health::NotMonitored,
    }
}

impl App {
    /// Every in-scope control's health from the latest state of the checks that test it.
    pub async fn control_health(&self, org: &Org) -> Result<Vec<ControlHealth>, AppError> {
        let now = Utc::now();
        let settings = self.monitor_settings(org).await?;
        let states: BTreeMap<String, attest_store::CheckState> = self
            .store
            .check_states(&org.id)
            .await?
            .into_iter()
            .map(|s| (s.check_id.clone(), s))
            .collect();
        let checks = self.monitored_checks(org).await?;
        let controls = self.org_controls(&org.id).await?;
        Ok(controls
            .iter()
            .map(|c| {
                let mine: Vec<CheckHealth> = checks
                    .iter()
                    .filter(|k| k.controls.iter().any(|id| id == c.id.as_str()))
                    .map(|k| one_check(k, states.get(&k.id), &settings.grace_days, now))
                    .collect();
                let health = mine
                    .iter()
                    .map(|k| k.health)
                    .max_by_key(|h| h.rank())
                    .unwrap_or(Health::NotMonitored);
                ControlHealth {
                    control: c.id.clone(),
                    health,
                    checks: mine,
                }
            })
            .collect())
    }

    /// Day-by-day records of every control tested by some check, from `from` to `to`.
    pub async fn health_history(
        &self,
        org: &Org,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<HealthHistory>, AppError> {
        if from > to {
            return Err(AppError::Invalid(format!(
                "the period starts ({from}) after it ends ({to})"
            )));
        }
        let since = from
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or_default();
        let points = self.store.check_history(&org.id, since).await?;
        // Per day: was there a run; per control: did some check fail, did some pass.
        let mut run_days = BTreeSet::new();
        let mut failed: BTreeSet<(String, NaiveDate)> = BTreeSet::new();
        let mut passed: BTreeSet<(String, NaiveDate)> = BTreeSet::new();
        for p in &points {
            let day = p.day;
            if day > to {
                continue;
            }
            run_days.insert(day);
            for control in &p.controls {
                match p.status.as_str() {
                    "fail" => {
                        failed.insert((control.clone(), day));
                    }
                    "pass" => {
                        passed.insert((control.clone(), day));
                    }
                    _ => {}
                }
            }
        }
        let monitored: BTreeSet<String> = self
            .monitored_checks(org)
            .await?
            .into_iter()
            .flat_map(|c| c.controls)
            .collect();
        let controls = self.org_controls(&org.id).await?;
        Ok(controls
            .iter()
            .filter(|c| monitored.contains(c.id.as_str()))
            .map(|c| {
                let id = c.id.as_str().to_owned();
                let days: Vec<(NaiveDate, DayRecord)> = from
                    .iter_days()
                    .take_while(|d| *d <= to)
                    .map(|day| {
                        let key = (id.clone(), day);
                        let record = if !run_days.contains(&day) {
                            DayRecord::NoRun
                        } else if failed.contains(&key) {
                            DayRecord::Failed
                        } else if passed.contains(&key) {
                            DayRecord::Passed
                        } else {
                            DayRecord::NotJudged
                        };
                        (day, record)
                    })
                    .collect();
                let count = |r: DayRecord| {
                    u32::try_from(days.iter().filter(|(_, d)| *d == r).count()).unwrap_or(u32::MAX)
                };
                let (days_passed, days_failed, days_without_run) = (
                    count(DayRecord::Passed),
                    count(DayRecord::Failed),
                    count(DayRecord::NoRun),
                );
                let judged = days_passed + days_failed;
                HealthHistory {
                    control: c.id.clone(),
                    from,
                    to,
                    pass_rate: (judged > 0)
                        .then(|| f64::from(days_passed) * 100.0 / f64::from(judged)),
                    days,
                    days_passed,
                    days_failed,
                    days_without_run,
                }
            })
            .collect())
    }
}

fn one_check(
    check: &CheckInfo,
    state: Option<&attest_store::CheckState>,
    grace: &GraceDays,
    now: DateTime<Utc>,
) -> CheckHealth {
    let (status, since, health) = match state {
        Some(s) => (
            s.status.clone(),
            Some(s.since),
            check_health(s, check.severity, grace, now),
        ),
        None => ("never-run".to_owned(), None, Health::NotMonitored),
    };
    CheckHealth {
        id: check.id.clone(),
        title: check.title.clone(),
        severity: check.severity,
        status,
        since,
        health,
    }
}
