//! The people register and the policies as the checks read them (`input.program.people`,
//! `input.program.policies`): each person's dates, checklist and training, each policy's state
//! and who has yet to accept it, as of the run.

use attest_core::{ChecklistItem, VersionState};
use attest_store::Org;
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::PersonState;
use crate::error::AppError;
use crate::policies::{AcceptanceStatus, by_policy, status_of};
use crate::training::{attempts_by, standing};
use crate::workspace::App;

impl App {
    /// Everyone on the roster with their checklist, keyed by item. Access removal is left to
    /// the identity checks, which read the account snapshots themselves.
    pub(crate) async fn people_records(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<Vec<Value>, AppError> {
        let people = self.store.list_people(&org.id).await?;
        let facts = self.checklist_facts_with(org, &people, false).await?;
        let modules = self.all_modules(org).await?;
        let attempts = self.store.completions(&org.id, None).await?;
        let grouped = attempts_by(&attempts);
        Ok(people
            .iter()
            .map(|p| {
                let training: Vec<Value> = modules
                    .iter()
                    .filter(|m| m.module.audience.includes(p.employment_type, &p.department))
                    .map(|m| {
                        let mine = grouped
                            .get(&(p.id.as_str(), m.module.id.as_str()))
                            .map(Vec::as_slice)
                            .unwrap_or_default();
                        json!({
                            "module": m.module.id,
                            "title": m.module.title,
                            "status": standing(mine, today).as_str(),
                        })
                    })
                    .collect();
                let checklist: Map<String, Value> = facts
                    .lines(p, today)
                    .into_iter()
                    .filter(|l| l.item != ChecklistItem::AccessRemoved)
                    .map(|l| {
                        (
                            l.item.as_str().to_owned(),
                            json!({
                                "status": l.status.as_str(),
                                "due_on": l.due_on,
                                "completed_on": l.completed_on,
                                "late": l.late,
                            }),
                        )
                    })
                    .collect();
                json!({
                    "email": p.email.as_str(),
                    "name": p.name,
                    "employment_type": p.employment_type.as_str(),
                    "department": p.department,
                    "manager_email": p.manager_email.as_ref().map(|e| e.as_str()),
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "state": PersonState::of(p, today).as_str(),
                    "checklist": checklist,
                    "training": training,
                })
            })
            .collect())
    }

    /// Every policy with its state and, once published, who has not accepted its current
    /// version.
    pub(crate) async fn policy_records(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<Vec<Value>, AppError> {
        let policies = self.store.policies(&org.id).await?;
        let versions = self.store.policy_versions(&org.id, None).await?;
        let slots = by_policy(&versions);
        let mut out = Vec::with_capacity(policies.len());
        for p in &policies {
            let (current, pending) = slots
                .get(p.settings.id.as_str())
                .copied()
                .unwrap_or_default();
            let (status, review_due) = status_of(p, current, today);
            let rows = self.acceptance_rows(org, p, current, today).await?;
            let not_accepted: Vec<Value> = rows
                .iter()
                .filter(|r| r.status != AcceptanceStatus::Accepted)
                .map(|r| json!({ "email": r.email.as_str(), "status": r.status.as_str() }))
                .collect();
            out.push(json!({
                "id": p.settings.id,
                "title": p.settings.title,
                "status": status.as_str(),
                "version": current.map(|v| v.number.to_string()),
                "approved_at": current.and_then(|v| v.approved_at),
                "approved_by": current.and_then(|v| v.approved_by.clone()),
                "review_due": review_due,
                "pending": pending.map(|v| v.state == VersionState::Approved),
                "controls": p.settings.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                "assigned": rows.len(),
                "not_accepted": not_accepted,
            }));
        }
        Ok(out)
    }
}
