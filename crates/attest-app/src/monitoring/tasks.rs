//! Remediation tasks for failing checks: one for the owner of the check's control when a
//! failure begins, closed with a note when the check passes again.

use std::collections::BTreeMap;

use attest_checks::CheckResult;
use attest_core::TaskStatus;
use attest_store::{CheckRun, CheckState, NewAuditEntry, Org, TaskFields};
use chrono::{DateTime, Utc};

use super::MONITOR_ACTOR;
use crate::error::AppError;
use crate::workspace::App;

impl App {
    /// A remediation task for the owner of the control of each failing check whose episode has
    /// none yet (normally a check that just began failing; also one whose task could not be
    /// created by an earlier run, so a failure never goes without a task); a recovered check's
    /// task is closed with a note.
    pub(super) async fn open_and_close_tasks(
        &self,
        org: &Org,
        results: &[CheckResult],
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
        let without_task = results.iter().filter(|r| {
            r.status == attest_checks::Status::Fail
                && previous
                    .get(&r.check.id)
                    .and_then(|s| s.task_id.as_ref())
                    .is_none()
        });
        for r in without_task {
            let id = &r.check.id;
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
}

fn truncate_title(title: &str) -> String {
    title.chars().take(200).collect()
}
