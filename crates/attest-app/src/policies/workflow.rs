//! A policy version's way from draft to published: editing, approval by the named approver,
//! publication, the review that keeps a policy from going stale, and the diff between versions.

use attest_core::{Email, VersionState};
use attest_store::{NewDraft, Org, PolicyVersion, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use super::{PolicyStatus, by_policy, check_body, policy_entry, status_of};
use crate::error::AppError;
use crate::evidence::sha256_hex;
use crate::workspace::{Actor, App};

/// A draft's new text.
#[derive(Debug, Clone, Deserialize)]
pub struct PolicyDraftEdit {
    pub body: String,
    /// What changed, for the approver and the version history.
    pub summary: String,
}

/// One line of a diff between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub change: &'static str,
    pub text: String,
}

fn conflict(e: StoreError, what: &str) -> AppError {
    match e {
        StoreError::Conflict(_) => AppError::Conflict(what.to_owned()),
        other => other.into(),
    }
}

impl App {
    /// The policy's pending version (draft or approved), or a message saying how to start one.
    async fn pending_version(
        &self,
        org: &Org,
        policy_id: &str,
        wanted: VersionState,
    ) -> Result<PolicyVersion, AppError> {
        let versions = self.store.policy_versions(&org.id, Some(policy_id)).await?;
        let pending = by_policy(&versions)
            .get(policy_id)
            .and_then(|(_, pending)| *pending)
            .cloned();
        match pending {
            Some(v) if v.state == wanted => Ok(v),
            Some(v) if v.state == VersionState::Draft => Err(AppError::Conflict(format!(
                "version {} of `{policy_id}` is still a draft: its approver approves it first (`attest policies approve {policy_id}`)",
                v.number
            ))),
            Some(v) => Err(AppError::Conflict(format!(
                "version {} of `{policy_id}` is {}, not {wanted}",
                v.number, v.state
            ))),
            None => Err(AppError::Conflict(format!(
                "`{policy_id}` has no {wanted} version; start one with `attest policies draft {policy_id}`"
            ))),
        }
    }

    /// Replaces the text of a policy's draft.
    pub async fn edit_policy_draft(
        &self,
        org: &Org,
        actor: &Actor,
        policy_id: &str,
        edit: PolicyDraftEdit,
    ) -> Result<PolicyVersion, AppError> {
        self.stored_policy(org, policy_id).await?;
        check_body(&edit.body)?;
        let draft = self
            .pending_version(org, policy_id, VersionState::Draft)
            .await?;
        let summary = edit.summary.trim();
        if summary.chars().count() > 500 {
            return Err(AppError::Invalid(
                "the change summary must be at most 500 characters".into(),
            ));
        }
        let entry = policy_entry(
            actor,
            "policy.draft-edited",
            policy_id,
            serde_json::json!({ "version": draft.number.to_string() }),
        );
        self.store
            .save_policy_draft(
                &org.id,
                &draft.id,
                &edit.body,
                &sha256_hex(edit.body.as_bytes()),
                if summary.is_empty() {
                    &draft.summary
                } else {
                    summary
                },
                &entry,
            )
            .await
            .map_err(|e| conflict(e, "the draft was approved meanwhile; start a new draft"))?;
        Ok(self.store.policy_version(&org.id, &draft.id).await?)
    }

    /// Starts the next version from the published text: a major version when people must
    /// acknowledge it again, a minor one for corrections.
    pub async fn new_policy_draft(
        &self,
        org: &Org,
        actor: &Actor,
        policy_id: &str,
        major: bool,
        summary: &str,
    ) -> Result<PolicyVersion, AppError> {
        self.stored_policy(org, policy_id).await?;
        let versions = self.store.policy_versions(&org.id, Some(policy_id)).await?;
        let (current, pending) = by_policy(&versions)
            .get(policy_id)
            .copied()
            .unwrap_or_default();
        if let Some(p) = pending {
            return Err(AppError::Conflict(format!(
                "version {} of `{policy_id}` is already {}; finish it first",
                p.number, p.state
            )));
        }
        let current = current.ok_or_else(|| {
            AppError::Conflict(format!("`{policy_id}` has no published version yet"))
        })?;
        let draft = NewDraft {
            policy_id: policy_id.to_owned(),
            number: current.number.next(major),
            body: current.body.clone(),
            sha256: current.sha256.clone(),
            summary: summary.trim().to_owned(),
        };
        let entry = policy_entry(
            actor,
            "policy.draft-started",
            policy_id,
            serde_json::json!({ "version": draft.number.to_string() }),
        );
        self.store
            .add_policy_draft(&org.id, &draft, chrono::Utc::now(), &entry)
            .await
            .map_err(|e| conflict(e, "another version was started meanwhile"))
    }

    /// The named approver approves the draft. Nobody else can, whatever their role, and not a
    /// draft they started themselves with new text. `read` is the SHA-256 of the text the
    /// approver read (the page sends it); a draft edited since is refused, so an approval never
    /// covers text its approver did not see.
    pub async fn approve_policy(
        &self,
        org: &Org,
        approver: &Email,
        policy_id: &str,
        read: Option<&str>,
    ) -> Result<PolicyVersion, AppError> {
        self.approve_policy_at(org, approver, policy_id, read, chrono::Utc::now())
            .await
    }

    /// [`App::approve_policy`] at a given time (the demo's history).
    pub(crate) async fn approve_policy_at(
        &self,
        org: &Org,
        approver: &Email,
        policy_id: &str,
        read: Option<&str>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<PolicyVersion, AppError> {
        let policy = self.stored_policy(org, policy_id).await?;
        if &policy.settings.approver != approver {
            return Err(AppError::Forbidden(format!(
                "only {} approves `{policy_id}`; change the approver in the policy's settings",
                policy.settings.approver
            )));
        }
        let draft = self
            .pending_version(org, policy_id, VersionState::Draft)
            .await?;
        if read.is_some_and(|sha| sha != draft.sha256) {
            return Err(AppError::Conflict(format!(
                "the draft of `{policy_id}` was edited after you read it; read it again before approving"
            )));
        }
        // Separation of duties: whoever starts a draft with new text does not approve it. A
        // yearly review that changes nothing (the published text again) is the approver's own.
        let versions = self.store.policy_versions(&org.id, Some(policy_id)).await?;
        let unchanged = by_policy(&versions)
            .get(policy_id)
            .and_then(|(current, _)| *current)
            .is_some_and(|c| c.sha256 == draft.sha256);
        if draft.created_by == approver.as_str() && !unchanged {
            return Err(AppError::Forbidden(format!(
                "{approver} started this draft, so someone else must write it or another approver approve it"
            )));
        }
        let actor = Actor::person(approver);
        let entry = policy_entry(
            &actor,
            "policy.approved",
            policy_id,
            serde_json::json!({ "version": draft.number.to_string(), "sha256": draft.sha256 }),
        );
        let body = serde_json::json!({
            "policy": policy_id,
            "version": draft.number.to_string(),
            "sha256": draft.sha256,
            "summary": draft.summary,
            "approver": approver.as_str(),
        });
        self.store
            .advance_policy_version(&org.id, &draft, VersionState::Approved, at, body, &entry)
            .await
            .map_err(|e| {
                conflict(
                    e,
                    "the draft was edited meanwhile; read it again before approving",
                )
            })
    }

    /// Publishes the approved version: it becomes the one people acknowledge, and the
    /// version published before is superseded.
    pub async fn publish_policy(
        &self,
        org: &Org,
        actor: &Actor,
        policy_id: &str,
    ) -> Result<PolicyVersion, AppError> {
        self.publish_policy_at(org, actor, policy_id, chrono::Utc::now())
            .await
    }

    /// [`App::publish_policy`] at a given time (the demo's history).
    pub(crate) async fn publish_policy_at(
        &self,
        org: &Org,
        actor: &Actor,
        policy_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<PolicyVersion, AppError> {
        self.stored_policy(org, policy_id).await?;
        let approved = self
            .pending_version(org, policy_id, VersionState::Approved)
            .await?;
        let entry = policy_entry(
            actor,
            "policy.published",
            policy_id,
            serde_json::json!({ "version": approved.number.to_string() }),
        );
        let body = serde_json::json!({
            "policy": policy_id,
            "version": approved.number.to_string(),
            "sha256": approved.sha256,
            "approved_by": approved.approved_by,
            "approved_at": approved.approved_at,
            "published_by": actor.as_str(),
        });
        self.store
            .advance_policy_version(
                &org.id,
                &approved,
                VersionState::Published,
                at,
                body,
                &entry,
            )
            .await
            .map_err(|e| conflict(e, "the version was published meanwhile"))
    }

    /// The approver's yearly review of a policy that needs no change: a minor version with the
    /// same text, approved and published at once, so the policy is current for another cycle.
    pub async fn review_policy_unchanged(
        &self,
        org: &Org,
        approver: &Email,
        policy_id: &str,
    ) -> Result<PolicyVersion, AppError> {
        let policy = self.stored_policy(org, policy_id).await?;
        if &policy.settings.approver != approver {
            return Err(AppError::Forbidden(format!(
                "only {} reviews `{policy_id}`",
                policy.settings.approver
            )));
        }
        let actor = Actor::person(approver);
        self.new_policy_draft(org, &actor, policy_id, false, "Reviewed; no changes needed")
            .await?;
        self.approve_policy(org, approver, policy_id, None).await?;
        self.publish_policy(org, &actor, policy_id).await
    }

    /// The lines that differ between two versions (`from` and `to` are version numbers such
    /// as `1.0`; `to` defaults to the pending or else the published version).
    pub async fn policy_diff(
        &self,
        org: &Org,
        policy_id: &str,
        from: &str,
        to: Option<&str>,
    ) -> Result<Vec<DiffLine>, AppError> {
        let versions = self.store.policy_versions(&org.id, Some(policy_id)).await?;
        if versions.is_empty() {
            self.stored_policy(org, policy_id).await?;
        }
        let find = |number: &str| {
            versions
                .iter()
                .find(|v| v.number.to_string() == number)
                .ok_or_else(|| {
                    AppError::NotFound(format!(
                        "`{policy_id}` has no version {number}; its versions are {}",
                        versions
                            .iter()
                            .map(|v| v.number.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
        };
        let old = find(from)?;
        let new = match to {
            Some(number) => find(number)?,
            None => versions
                .last()
                .ok_or_else(|| AppError::NotFound(format!("`{policy_id}` has no versions")))?,
        };
        let diff = TextDiff::from_lines(&old.body, &new.body);
        Ok(diff
            .iter_all_changes()
            .map(|c| DiffLine {
                change: match c.tag() {
                    ChangeTag::Equal => "same",
                    ChangeTag::Insert => "added",
                    ChangeTag::Delete => "removed",
                },
                text: c.value().trim_end_matches('\n').to_owned(),
            })
            .collect())
    }

    /// The reminders of every org due on `today`, for the server's scheduler: tasks for policy
    /// reviews and access reviews coming due. Returns (org slug, tasks opened) for each org
    /// that got one.
    pub async fn run_reminders(&self, today: NaiveDate) -> Result<Vec<(String, usize)>, AppError> {
        let mut opened = Vec::new();
        for org in self.orgs().await? {
            let n = self.policy_review_reminders(&org, today).await?
                + self.access_review_reminders(&org, today).await?
                + self.vendor_reminders(&org, today).await?
                + self.risk_reminders(&org, today).await?;
            if n > 0 {
                opened.push((org.slug.to_string(), n));
            }
        }
        Ok(opened)
    }

    /// Opens a review task for each policy whose review is due within a month (or overdue) and
    /// has none open, assigned to its owner and due on the review date. Returns how many.
    pub async fn policy_review_reminders(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<usize, AppError> {
        let policies = self.store.policies(&org.id).await?;
        let versions = self.store.policy_versions(&org.id, None).await?;
        let slots = by_policy(&versions);
        let mut open = self.open_task_titles(org).await?;
        let mut created = 0;
        for p in &policies {
            let (current, pending) = slots
                .get(p.settings.id.as_str())
                .copied()
                .unwrap_or_default();
            let (status, due) = status_of(p, current, today);
            if !matches!(status, PolicyStatus::ReviewDue | PolicyStatus::Stale) || pending.is_some()
            {
                continue;
            }
            let title = format!("Review the policy “{}”", p.settings.title);
            let detail = format!(
                "The {} policy must be reviewed by {}: start a new version (`attest policies draft {}`) or, if nothing changes, have {} confirm it (`attest policies review {}`).",
                p.settings.title,
                due.map(|d| d.to_string()).unwrap_or_default(),
                p.settings.id,
                p.settings.approver,
                p.settings.id
            );
            let fields = attest_store::TaskFields {
                title,
                detail,
                control: p.settings.controls.first().cloned(),
                criterion: None,
                owner: Some(p.settings.owner.clone()),
                due_on: due,
                status: attest_core::TaskStatus::Todo,
            };
            let reason =
                serde_json::json!({ "reason": "policy review due", "policy": p.settings.id });
            created += usize::from(self.remind(org, &mut open, fields, reason).await?);
        }
        Ok(created)
    }
}
