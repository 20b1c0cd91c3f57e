//! An org's policies: adopted from the template library or written in-house, edited as
//! Markdown drafts, approved by their named approver, published, reviewed before they go stale,
//! and acknowledged by the people they apply to.

mod acknowledge;
mod workflow;

use std::collections::HashMap;

use attest_core::{Audience, ControlId, Email, VersionState, review_due};
use attest_store::{NewAuditEntry, NewDraft, NewPolicy, Org, Policy, PolicyVersion, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

pub use acknowledge::{AcceptanceRow, AcceptanceStatus, AssignedPolicy};

pub use workflow::{DiffLine, PolicyDraftEdit};

use crate::error::AppError;
use crate::evidence::sha256_hex;
use crate::workspace::{Actor, App};

/// Placeholders a policy body may hold, filled in when it is shown, since they depend on the
/// version being shown.
pub const VERSION_PLACEHOLDER: &str = "{{ version }}";
pub const EFFECTIVE_DATE_PLACEHOLDER: &str = "{{ effective_date }}";

/// Where a policy stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyStatus {
    /// No version published yet.
    Unpublished,
    Current,
    /// Its review is due within a month.
    ReviewDue,
    /// Past its review date: an operating gap on the controls it supports.
    Stale,
}

impl PolicyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyStatus::Unpublished => "unpublished",
            PolicyStatus::Current => "current",
            PolicyStatus::ReviewDue => "review-due",
            PolicyStatus::Stale => "stale",
        }
    }
}

/// One version as listings show it (without its text).
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub id: String,
    pub version: String,
    pub state: VersionState,
    pub summary: String,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<String>,
    pub ledger_index: Option<u64>,
}

impl From<&PolicyVersion> for VersionView {
    fn from(v: &PolicyVersion) -> VersionView {
        VersionView {
            id: v.id.clone(),
            version: v.number.to_string(),
            state: v.state,
            summary: v.summary.clone(),
            sha256: v.sha256.clone(),
            created_at: v.created_at,
            created_by: v.created_by.clone(),
            approved_at: v.approved_at,
            approved_by: v.approved_by.clone(),
            published_at: v.published_at,
            published_by: v.published_by.clone(),
            ledger_index: v.ledger_index,
        }
    }
}

/// A policy as listings show it (`attest policies list --json`, the API, the policies page).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    pub id: String,
    pub title: String,
    pub template_id: Option<String>,
    pub owner: Email,
    pub approver: Email,
    pub audience: Audience,
    pub review_months: u32,
    pub controls: Vec<ControlId>,
    pub status: PolicyStatus,
    /// The published version.
    pub current: Option<VersionView>,
    /// The version being worked on (a draft, or approved and waiting to be published).
    pub pending: Option<VersionView>,
    /// The last day the published version is current.
    pub review_due: Option<NaiveDate>,
    /// People it applies to, and how many of them acknowledged the current major version.
    pub assigned: usize,
    pub acknowledged: usize,
}

/// One policy with its text, every version, and who acknowledged it.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDetail {
    #[serde(flatten)]
    pub policy: PolicyView,
    pub versions: Vec<VersionView>,
    /// The published text, placeholders filled in.
    pub current_body: Option<String>,
    /// The pending version's text, as stored.
    pub pending_body: Option<String>,
    pub acceptance: Vec<AcceptanceRow>,
}

/// A policy's state, from its versions, on `today`.
pub(crate) fn status_of(
    policy: &Policy,
    current: Option<&PolicyVersion>,
    today: NaiveDate,
) -> (PolicyStatus, Option<NaiveDate>) {
    let Some(approved) = current.and_then(|v| v.approved_at) else {
        return (PolicyStatus::Unpublished, None);
    };
    let due = review_due(approved.date_naive(), policy.settings.review_months);
    let status = if due < today {
        PolicyStatus::Stale
    } else if (due - today).num_days() <= attest_core::REVIEW_REMINDER_DAYS {
        PolicyStatus::ReviewDue
    } else {
        PolicyStatus::Current
    };
    (status, Some(due))
}

/// The published and the pending version of each policy, from all versions.
pub(crate) fn by_policy(
    versions: &[PolicyVersion],
) -> HashMap<&str, (Option<&PolicyVersion>, Option<&PolicyVersion>)> {
    let mut out: HashMap<&str, (Option<&PolicyVersion>, Option<&PolicyVersion>)> = HashMap::new();
    for v in versions {
        let slot = out.entry(v.policy_id.as_str()).or_default();
        match v.state {
            VersionState::Published => slot.0 = Some(v),
            VersionState::Draft | VersionState::Approved => slot.1 = Some(v),
            VersionState::Superseded => {}
        }
    }
    out
}

/// A version's text as people read it: the version number and effective date filled in.
pub fn rendered_body(v: &PolicyVersion) -> String {
    let effective = v.published_at.map_or_else(
        || "on publication".to_owned(),
        |t| t.date_naive().to_string(),
    );
    v.body
        .replace(VERSION_PLACEHOLDER, &v.number.to_string())
        .replace(EFFECTIVE_DATE_PLACEHOLDER, &effective)
}

/// Checks a policy id: a lower-case slug, as template ids are.
fn check_policy_id(id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty()
        && id.len() <= 60
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "`{id}` is not a policy id: use lower-case letters, digits and dashes, e.g. remote-work"
        )))
    }
}

/// Checks a body's size: a policy is prose, not an attachment.
pub(crate) fn check_body(body: &str) -> Result<(), AppError> {
    if body.trim().is_empty() {
        return Err(AppError::Invalid("the policy text is empty".into()));
    }
    if body.len() > 200_000 {
        return Err(AppError::Invalid(
            "the policy text is longer than 200,000 bytes; split it into several policies".into(),
        ));
    }
    Ok(())
}

/// A policy the org writes itself.
#[derive(Debug, Clone)]
pub struct OwnPolicy {
    /// Lower-case letters, digits and dashes.
    pub id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The controls it supports.
    pub controls: Vec<ControlId>,
}

/// The settings of a policy to adopt or create.
#[derive(Debug, Clone)]
pub struct PolicySettings {
    pub owner: Email,
    pub approver: Email,
    pub audience: Audience,
    pub review_months: u32,
}

fn policy_entry(actor: &Actor, action: &str, id: &str, detail: serde_json::Value) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.as_str().to_owned(),
        action: action.to_owned(),
        target: Some(format!("policy:{id}")),
        detail,
    }
}

fn check_settings(s: &PolicySettings) -> Result<(), AppError> {
    if !(1..=36).contains(&s.review_months) {
        return Err(AppError::Invalid(
            "a policy is reviewed every 1 to 36 months".into(),
        ));
    }
    Ok(())
}

impl App {
    /// Every policy of the org with its status on `today`.
    pub async fn policies(&self, org: &Org, today: NaiveDate) -> Result<Vec<PolicyView>, AppError> {
        let policies = self.store.policies(&org.id).await?;
        let versions = self.store.policy_versions(&org.id, None).await?;
        let slots = by_policy(&versions);
        let acceptance = self
            .acceptance_counts(org, &policies, &slots, today)
            .await?;
        Ok(policies
            .iter()
            .map(|p| {
                let (current, pending) = slots
                    .get(p.settings.id.as_str())
                    .copied()
                    .unwrap_or_default();
                let (assigned, acknowledged) = acceptance
                    .get(p.settings.id.as_str())
                    .copied()
                    .unwrap_or_default();
                view(p, current, pending, today, assigned, acknowledged)
            })
            .collect())
    }

    /// One policy with its versions, text and acceptance.
    pub async fn policy_detail(
        &self,
        org: &Org,
        id: &str,
        today: NaiveDate,
    ) -> Result<PolicyDetail, AppError> {
        let policy = self.stored_policy(org, id).await?;
        let versions = self.store.policy_versions(&org.id, Some(id)).await?;
        let slots = by_policy(&versions);
        let (current, pending) = slots.get(id).copied().unwrap_or_default();
        let acceptance = self.acceptance_rows(org, &policy, current, today).await?;
        let acknowledged = acceptance
            .iter()
            .filter(|r| r.status == AcceptanceStatus::Accepted)
            .count();
        Ok(PolicyDetail {
            policy: view(
                &policy,
                current,
                pending,
                today,
                acceptance.len(),
                acknowledged,
            ),
            versions: versions.iter().rev().map(VersionView::from).collect(),
            current_body: current.map(rendered_body),
            pending_body: pending.map(|v| v.body.clone()),
            acceptance,
        })
    }

    /// For each control, the earliest-due published policy of it that is past its review
    /// date: (title, last day it was current).
    pub(crate) async fn stale_policies(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<HashMap<ControlId, (String, NaiveDate)>, AppError> {
        let mut out: HashMap<ControlId, (String, NaiveDate)> = HashMap::new();
        for (p, approved_at) in self.store.published_policy_approvals(&org.id).await? {
            let due = review_due(approved_at.date_naive(), p.settings.review_months);
            if due >= today {
                continue;
            }
            for c in &p.settings.controls {
                let slot = out
                    .entry(c.clone())
                    .or_insert_with(|| (p.settings.title.clone(), due));
                if due < slot.1 {
                    *slot = (p.settings.title.clone(), due);
                }
            }
        }
        Ok(out)
    }

    pub(crate) async fn stored_policy(&self, org: &Org, id: &str) -> Result<Policy, AppError> {
        self.store
            .policies(&org.id)
            .await?
            .into_iter()
            .find(|p| p.settings.id == id)
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "no policy `{id}` in {}; `attest policies list` shows them, `attest catalog policies` the templates to adopt",
                    org.name
                ))
            })
    }

    /// The name to print for an email: the person's name from the roster or their account.
    async fn display_name(&self, org: &Org, email: &Email) -> Result<String, AppError> {
        if let Some(p) = self
            .store
            .list_people(&org.id)
            .await?
            .into_iter()
            .find(|p| &p.email == email)
        {
            return Ok(p.name);
        }
        Ok(match self.store.user_by_email(email).await {
            Ok(user) => user.name,
            Err(_) => email.to_string(),
        })
    }

    /// Adopts a library template as the org's policy: its first draft, with the company, owner,
    /// approver and review cadence filled in.
    pub async fn adopt_policy(
        &self,
        org: &Org,
        actor: &Actor,
        template_id: &str,
        settings: PolicySettings,
    ) -> Result<PolicyVersion, AppError> {
        check_settings(&settings)?;
        let template = crate::catalog::catalog_policy(self.catalog, template_id)?;
        let body = self.render_policy(
            org,
            template_id,
            crate::catalog::PolicyApproval {
                owner: self.display_name(org, &settings.owner).await?,
                approver: self.display_name(org, &settings.approver).await?,
                effective_date: EFFECTIVE_DATE_PLACEHOLDER.to_owned(),
                review_cadence: format!("{} months", settings.review_months),
                version: VERSION_PLACEHOLDER.to_owned(),
            },
        )?;
        // Only the controls the org has.
        let mut controls = Vec::new();
        for id in &template.controls {
            if self.store.get_control(&org.id, id).await.is_ok() {
                controls.push(id.clone());
            }
        }
        let policy = NewPolicy {
            id: template.id.clone(),
            title: template.title.clone(),
            template_id: Some(template.id.clone()),
            owner: settings.owner,
            approver: settings.approver,
            review_months: settings.review_months,
            audience: settings.audience,
            controls,
        };
        self.create_policy_with(
            org,
            actor,
            policy,
            body,
            "Adopted from the template library",
        )
        .await
    }

    /// Creates a policy of the org's own, with its first draft.
    pub async fn create_policy(
        &self,
        org: &Org,
        actor: &Actor,
        own: OwnPolicy,
        settings: PolicySettings,
    ) -> Result<PolicyVersion, AppError> {
        let OwnPolicy {
            id,
            title,
            body,
            controls,
        } = own;
        let id = id.as_str();
        check_policy_id(id)?;
        check_settings(&settings)?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(AppError::Invalid(
                "a policy title is 1 to 200 characters".into(),
            ));
        }
        for c in &controls {
            self.store
                .get_control(&org.id, c)
                .await
                .map_err(|_| AppError::NotFound(format!("no control {c} in {}", org.name)))?;
        }
        let policy = NewPolicy {
            id: id.to_owned(),
            title: title.to_owned(),
            template_id: None,
            owner: settings.owner,
            approver: settings.approver,
            review_months: settings.review_months,
            audience: settings.audience,
            controls,
        };
        self.create_policy_with(org, actor, policy, body, "First version")
            .await
    }

    async fn create_policy_with(
        &self,
        org: &Org,
        actor: &Actor,
        policy: NewPolicy,
        body: String,
        summary: &str,
    ) -> Result<PolicyVersion, AppError> {
        check_body(&body)?;
        let draft = NewDraft {
            policy_id: policy.id.clone(),
            number: attest_core::VersionNumber::FIRST,
            sha256: sha256_hex(body.as_bytes()),
            body,
            summary: summary.to_owned(),
        };
        let entry = policy_entry(
            actor,
            "policy.created",
            &policy.id,
            serde_json::json!({ "template": policy.template_id, "owner": policy.owner.as_str(), "approver": policy.approver.as_str() }),
        );
        self.store
            .create_policy(&org.id, &policy, &draft, Utc::now(), &entry)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Conflict(format!(
                    "{} already has a policy `{}`; edit it instead",
                    org.name, policy.id
                )),
                other => other.into(),
            })
    }

    /// Changes a policy's owner, approver, audience, review cadence or controls.
    pub async fn update_policy_settings(
        &self,
        org: &Org,
        actor: &Actor,
        id: &str,
        settings: PolicySettings,
        controls: Option<Vec<ControlId>>,
    ) -> Result<(), AppError> {
        check_settings(&settings)?;
        let mut policy = self.stored_policy(org, id).await?.settings;
        policy.owner = settings.owner;
        policy.approver = settings.approver;
        policy.audience = settings.audience;
        policy.review_months = settings.review_months;
        if let Some(controls) = controls {
            policy.controls = controls;
        }
        let entry = policy_entry(
            actor,
            "policy.settings-changed",
            id,
            serde_json::json!({
                "owner": policy.owner.as_str(),
                "approver": policy.approver.as_str(),
                "audience": policy.audience.to_string(),
                "review_months": policy.review_months,
            }),
        );
        Ok(self.store.update_policy(&org.id, &policy, &entry).await?)
    }
}

fn view(
    p: &Policy,
    current: Option<&PolicyVersion>,
    pending: Option<&PolicyVersion>,
    today: NaiveDate,
    assigned: usize,
    acknowledged: usize,
) -> PolicyView {
    let (status, review_due) = status_of(p, current, today);
    let s = &p.settings;
    PolicyView {
        id: s.id.clone(),
        title: s.title.clone(),
        template_id: s.template_id.clone(),
        owner: s.owner.clone(),
        approver: s.approver.clone(),
        audience: s.audience.clone(),
        review_months: s.review_months,
        controls: s.controls.clone(),
        status,
        current: current.map(VersionView::from),
        pending: pending.map(VersionView::from),
        review_due,
        assigned,
        acknowledged,
    }
}
