//! User access reviews: a campaign per system over its latest account inventory, accounts
//! grouped by department with a reviewer per group, flags that point at what to look at first,
//! decisions with reasons, revocations tracked to closure, and a report kept as evidence when
//! the campaign is finished. Campaigns recur (quarterly by default).

use std::collections::BTreeMap;

use attest_core::{AccessDecision, AccessFlag, ControlId, Email, Period, reason_required};
use attest_store::{
    AccessReview, NewAccessReview, NewAuditEntry, NewReviewItem, Org, ReviewItem, StoreError,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use crate::error::AppError;
use crate::evidence::EvidenceUpload;
use crate::people::PersonState;
use crate::workspace::{Actor, App};

/// The library control a finished review is evidence for.
const ACCESS_REVIEW_CONTROL: &str = "IAM-04";
/// Days a reviewer has by default.
const DEFAULT_DAYS_TO_REVIEW: u64 = 14;
/// The group of accounts that match nobody on the roster.
const UNMATCHED_GROUP: &str = "No matching person";
/// The snapshot kinds that list accounts in the shared account shape.
pub(crate) const ACCOUNT_KINDS: [&str; 4] = [
    "okta-users",
    "google-workspace-users",
    "github-members",
    "aws-iam-credential-report",
];

/// A campaign as listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct AccessReviewView {
    pub id: String,
    pub title: String,
    pub system: String,
    pub kind: String,
    pub snapshot_id: String,
    pub snapshot_day: NaiveDate,
    pub owner: Email,
    pub due_on: NaiveDate,
    /// `open`, `overdue` or `completed`.
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub completed_by: Option<String>,
    pub report_evidence_id: Option<String>,
    pub accounts: usize,
    pub decided: usize,
    pub flagged: usize,
    pub revoke: usize,
    pub change: usize,
    /// Revocations and changes not carried out yet.
    pub open_remediations: usize,
}

/// One account of a campaign.
#[derive(Debug, Clone, Serialize)]
pub struct AccessItemView {
    pub id: String,
    pub account: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub group: String,
    pub admin: bool,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub flags: Vec<AccessFlag>,
    pub reviewer: Email,
    pub decision: Option<AccessDecision>,
    pub reason: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub remediation: String,
    pub remediated_at: Option<DateTime<Utc>>,
    pub remediated_by: Option<String>,
    pub remediation_note: String,
}

/// A group of accounts and its reviewer.
#[derive(Debug, Clone, Serialize)]
pub struct AccessGroup {
    pub name: String,
    pub reviewers: Vec<Email>,
    pub accounts: usize,
    pub decided: usize,
}

/// A campaign with its groups and accounts.
#[derive(Debug, Clone, Serialize)]
pub struct AccessReviewDetail {
    #[serde(flatten)]
    pub review: AccessReviewView,
    pub groups: Vec<AccessGroup>,
    pub items: Vec<AccessItemView>,
}

/// A system whose account inventory has been collected, for starting a campaign.
#[derive(Debug, Clone, Serialize)]
pub struct AccountSystem {
    pub system: String,
    pub kind: String,
    /// The day its latest inventory shows.
    pub day: NaiveDate,
}

/// What a campaign is started with.
#[derive(Debug, Clone)]
pub struct StartReview {
    /// The system (`okta`, `aws-prod`) or the whole source (`collect:okta-users:okta`).
    pub system: String,
    pub owner: Email,
    pub due_on: Option<NaiveDate>,
}

fn item_view(i: ReviewItem) -> AccessItemView {
    AccessItemView {
        id: i.id,
        account: i.item.account,
        email: i.item.email,
        name: i.item.name,
        group: i.item.group,
        admin: i.item.admin,
        last_activity_at: i.item.last_activity_at,
        flags: i.item.flags,
        reviewer: i.item.reviewer,
        decision: i.decision,
        reason: i.reason,
        decided_at: i.decided_at,
        decided_by: i.decided_by,
        remediation: i.remediation,
        remediated_at: i.remediated_at,
        remediated_by: i.remediated_by,
        remediation_note: i.remediation_note,
    }
}

fn review_view(r: AccessReview, items: &[&ReviewItem], today: NaiveDate) -> AccessReviewView {
    let count = |pick: &dyn Fn(&ReviewItem) -> bool| items.iter().filter(|i| pick(i)).count();
    let status = if r.completed {
        "completed"
    } else if r.review.due_on < today {
        "overdue"
    } else {
        "open"
    };
    AccessReviewView {
        accounts: items.len(),
        decided: count(&|i| i.decision.is_some()),
        flagged: count(&|i| !i.item.flags.is_empty()),
        revoke: count(&|i| i.decision == Some(AccessDecision::Revoke)),
        change: count(&|i| i.decision == Some(AccessDecision::Change)),
        open_remediations: count(&|i| i.remediation == "open"),
        status,
        id: r.id,
        title: r.review.title,
        system: r.review.system,
        kind: r.review.kind,
        snapshot_id: r.review.snapshot_id,
        snapshot_day: r.review.snapshot_day,
        owner: r.review.owner,
        due_on: r.review.due_on,
        created_at: r.created_at,
        created_by: r.created_by,
        completed_at: r.completed_at,
        completed_by: r.completed_by,
        report_evidence_id: r.report_evidence_id,
    }
}

/// A quarter's label for titles: `2026-Q4`.
fn quarter(day: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1)
}

fn audit(actor: &Actor, action: &str, target: &str, detail: serde_json::Value) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.as_str().to_owned(),
        action: action.to_owned(),
        target: Some(target.to_owned()),
        detail,
    }
}

impl App {
    /// Every campaign, newest first.
    pub async fn access_reviews(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<Vec<AccessReviewView>, AppError> {
        let reviews = self.store.access_reviews(&org.id).await?;
        let items = self.store.access_review_items(&org.id, None).await?;
        Ok(reviews
            .into_iter()
            .map(|r| {
                let mine: Vec<&ReviewItem> = items.iter().filter(|i| i.review_id == r.id).collect();
                review_view(r, &mine, today)
            })
            .collect())
    }

    /// One campaign with its groups and accounts.
    pub async fn access_review(
        &self,
        org: &Org,
        id: &str,
        today: NaiveDate,
    ) -> Result<AccessReviewDetail, AppError> {
        let review = self
            .store
            .access_reviews(&org.id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "no access review {id} in {}; `attest access-reviews list` shows them",
                    org.name
                ))
            })?;
        let items = self.store.access_review_items(&org.id, Some(id)).await?;
        let mut groups: BTreeMap<String, AccessGroup> = BTreeMap::new();
        for i in &items {
            let g = groups
                .entry(i.item.group.clone())
                .or_insert_with(|| AccessGroup {
                    name: i.item.group.clone(),
                    reviewers: Vec::new(),
                    accounts: 0,
                    decided: 0,
                });
            g.accounts += 1;
            g.decided += usize::from(i.decision.is_some());
            if !g.reviewers.contains(&i.item.reviewer) {
                g.reviewers.push(i.item.reviewer.clone());
            }
        }
        let refs: Vec<&ReviewItem> = items.iter().collect();
        let view = review_view(review, &refs, today);
        Ok(AccessReviewDetail {
            review: view,
            groups: groups.into_values().collect(),
            items: items.into_iter().map(item_view).collect(),
        })
    }

    /// The systems whose account inventories have been collected.
    pub async fn account_systems(&self, org: &Org) -> Result<Vec<AccountSystem>, AppError> {
        Ok(self
            .latest_snapshots(org)
            .await?
            .into_iter()
            .filter_map(|e| {
                let kind = ACCOUNT_KINDS
                    .iter()
                    .find(|k| e.source.starts_with(&format!("collect:{k}:")))?;
                Some(AccountSystem {
                    system: e.source.rsplit(':').next().unwrap_or_default().to_owned(),
                    kind: (*kind).to_owned(),
                    day: e.period.end,
                })
            })
            .collect())
    }

    /// Starts a campaign over the latest inventory of a system: its active accounts, matched
    /// to the roster, flagged, grouped by department, all given to the owner to review until
    /// reviewers are assigned per group.
    pub async fn start_access_review(
        &self,
        org: &Org,
        actor: &Actor,
        start: StartReview,
        now: DateTime<Utc>,
    ) -> Result<AccessReviewView, AppError> {
        let wanted = start.system.trim();
        let snapshots = self.latest_snapshots(org).await?;
        let inventories: Vec<_> = snapshots
            .iter()
            .filter(|e| {
                ACCOUNT_KINDS
                    .iter()
                    .any(|k| e.source.starts_with(&format!("collect:{k}:")))
            })
            .collect();
        let snapshot = inventories
            .iter()
            .find(|e| e.source == wanted || e.source.rsplit(':').next() == Some(wanted))
            .ok_or_else(|| {
                let known: Vec<&str> = inventories
                    .iter()
                    .filter_map(|e| e.source.rsplit(':').next())
                    .collect();
                AppError::NotFound(if known.is_empty() {
                    "no account inventory has been collected; collect one first (`attest collect okta-users users.csv`)".to_owned()
                } else {
                    format!(
                        "no account inventory of `{wanted}`; the systems collected are {}",
                        known.join(", ")
                    )
                })
            })?;
        let source = snapshot.source.clone();
        if self
            .store
            .access_reviews(&org.id)
            .await?
            .iter()
            .any(|r| r.review.source == source && !r.completed)
        {
            return Err(AppError::Conflict(format!(
                "an access review of `{wanted}` is still open; finish it first"
            )));
        }
        let kind = source.split(':').nth(1).unwrap_or_default().to_owned();
        let system = source.rsplit(':').next().unwrap_or_default().to_owned();
        let key = snapshot.blob_key.clone().unwrap_or_default();
        let content = self.verified_content(snapshot, &key).await?;
        let envelope: serde_json::Value = serde_json::from_slice(&content).map_err(|e| {
            AppError::Internal(format!("evidence {} is not JSON: {e}", snapshot.id))
        })?;
        let day = snapshot.period.end;
        let people = self.store.list_people(&org.id).await?;
        let inactive_days = self
            .monitor_settings(org)
            .await?
            .checks
            .inactive_account_days;
        let dormant_before = day
            .checked_sub_days(Days::new(u64::from(inactive_days)))
            .unwrap_or(day);
        let mut items = Vec::new();
        for a in envelope["data"]["accounts"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if a["active"] != true {
                continue;
            }
            let Some(account) = a["id"].as_str() else {
                continue;
            };
            let email = a["email"].as_str().map(str::to_ascii_lowercase);
            let person = people.iter().find(|p| {
                let by_email = email.as_deref() == Some(p.email.as_str())
                    || account.eq_ignore_ascii_case(p.email.as_str());
                let by_login = kind == "github-members"
                    && p.github_login
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(account));
                by_email || by_login
            });
            let last_activity_at = a["last_activity_at"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc));
            let mut flags = Vec::new();
            match person {
                None => flags.push(AccessFlag::Unmatched),
                Some(p) if PersonState::of(p, day) == PersonState::Left => {
                    flags.push(AccessFlag::Leaver)
                }
                Some(_) => {}
            }
            if a["admin"] == true {
                flags.push(AccessFlag::Privileged);
            }
            if last_activity_at.is_some_and(|t| t.date_naive() < dormant_before) {
                flags.push(AccessFlag::Dormant);
            }
            items.push(NewReviewItem {
                account: account.to_owned(),
                email,
                name: a["name"].as_str().map(str::to_owned),
                person_id: person.map(|p| p.id.clone()),
                group: person
                    .map(|p| p.department.clone())
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| UNMATCHED_GROUP.to_owned()),
                admin: a["admin"] == true,
                last_activity_at,
                flags,
                reviewer: start.owner.clone(),
            });
        }
        if items.is_empty() {
            return Err(AppError::Invalid(format!(
                "the latest inventory of `{system}` (evidence {}) has no active account to review",
                snapshot.id
            )));
        }
        let today = now.date_naive();
        let due_on = start.due_on.unwrap_or_else(|| {
            today
                .checked_add_days(Days::new(DEFAULT_DAYS_TO_REVIEW))
                .unwrap_or(today)
        });
        if due_on < today {
            return Err(AppError::Invalid(format!(
                "the due date {due_on} is in the past; give a day from today on"
            )));
        }
        let review = NewAccessReview {
            title: format!("{} access review of {system}", quarter(today)),
            source,
            kind,
            system: system.clone(),
            snapshot_id: snapshot.id.clone(),
            snapshot_day: day,
            owner: start.owner,
            due_on,
        };
        let entry = audit(
            actor,
            "access-review.started",
            "access-review",
            serde_json::json!({ "system": system, "accounts": items.len(), "snapshot": snapshot.id }),
        );
        let id = self
            .store
            .create_access_review(&org.id, &review, &items, now, &entry)
            .await?;
        Ok(self.access_review(org, &id, today).await?.review)
    }

    /// Gives a group of accounts to a reviewer.
    pub async fn assign_access_reviewer(
        &self,
        org: &Org,
        actor: &Actor,
        review_id: &str,
        group: &str,
        reviewer: &Email,
    ) -> Result<u64, AppError> {
        let detail = self
            .access_review(org, review_id, Utc::now().date_naive())
            .await?;
        if detail.review.status == "completed" {
            return Err(AppError::Conflict("the access review is completed".into()));
        }
        // A reviewer who could not sign in and decide would leave the group to the admins.
        let member = self
            .store
            .members(&org.id)
            .await?
            .into_iter()
            .find(|m| &m.user.email == reviewer);
        if !member.is_some_and(|m| m.role.allows(attest_core::Permission::ReviewAccess)) {
            return Err(AppError::Invalid(format!(
                "{reviewer} cannot review access in {}: invite them as a contributor, admin or owner first",
                org.name
            )));
        }
        if !detail.groups.iter().any(|g| g.name == group) {
            let names: Vec<&str> = detail.groups.iter().map(|g| g.name.as_str()).collect();
            return Err(AppError::NotFound(format!(
                "no group `{group}` in this review; its groups are {}",
                names.join(", ")
            )));
        }
        let entry = audit(
            actor,
            "access-review.reviewer-assigned",
            &format!("access-review:{review_id}"),
            serde_json::json!({ "group": group, "reviewer": reviewer.as_str() }),
        );
        Ok(self
            .store
            .assign_access_reviewer(&org.id, review_id, group, reviewer, &entry)
            .await?)
    }

    /// A reviewer decides on an account. Only the account's reviewer decides, unless
    /// `override_reviewer` (an owner or admin running the review).
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_access(
        &self,
        org: &Org,
        by: &Email,
        override_reviewer: bool,
        review_id: &str,
        account: &str,
        decision: AccessDecision,
        reason: &str,
    ) -> Result<AccessItemView, AppError> {
        let detail = self
            .access_review(org, review_id, Utc::now().date_naive())
            .await?;
        let item = detail
            .items
            .iter()
            .find(|i| i.id == account || i.account.eq_ignore_ascii_case(account))
            .ok_or_else(|| {
                AppError::NotFound(format!("no account `{account}` in this access review"))
            })?;
        // Nobody reviews their own access, whatever their role.
        let own = item
            .email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(by.as_str()))
            || item.account.eq_ignore_ascii_case(by.as_str());
        if own {
            return Err(AppError::Forbidden(format!(
                "nobody decides on their own account: `{}` goes to the campaign owner or another admin",
                item.account
            )));
        }
        if &item.reviewer != by && !override_reviewer {
            return Err(AppError::Forbidden(format!(
                "{} reviews `{}`; ask them, or an owner or admin",
                item.reviewer, item.account
            )));
        }
        let reason = reason.trim();
        if reason.chars().count() > 1000 {
            return Err(AppError::Invalid(
                "the reason must be at most 1,000 characters".into(),
            ));
        }
        if reason.is_empty() && reason_required(decision, &item.flags) {
            let why = if decision.needs_remediation() {
                format!("say why `{}` must be {}d", item.account, decision.as_str())
            } else {
                let flags: Vec<&str> = item.flags.iter().map(|f| f.as_str()).collect();
                format!(
                    "say why `{}` is kept although it is flagged {}",
                    item.account,
                    flags.join(", ")
                )
            };
            return Err(AppError::Invalid(why));
        }
        let actor = Actor::person(by);
        let entry = audit(
            &actor,
            "access-review.decided",
            &format!("access-review:{review_id}"),
            serde_json::json!({ "account": item.account, "decision": decision.as_str() }),
        );
        let body = serde_json::json!({
            "review": review_id,
            "system": detail.review.system,
            "account": item.account,
            "flags": item.flags,
            "decision": decision.as_str(),
            "reason": reason,
            "by": by.as_str(),
        });
        self.store
            .decide_access(&org.id, &item.id, decision, reason, body, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(m) => AppError::Conflict(m),
                other => other.into(),
            })?;
        self.access_item(org, review_id, &item.id).await
    }

    async fn access_item(
        &self,
        org: &Org,
        review_id: &str,
        item_id: &str,
    ) -> Result<AccessItemView, AppError> {
        self.store
            .access_review_items(&org.id, Some(review_id))
            .await?
            .into_iter()
            .find(|i| i.id == item_id)
            .map(item_view)
            .ok_or_else(|| AppError::Internal("the item went missing".into()))
    }

    /// Records that a revocation or change was carried out on the system.
    pub async fn resolve_access_change(
        &self,
        org: &Org,
        actor: &Actor,
        review_id: &str,
        account: &str,
        note: &str,
    ) -> Result<AccessItemView, AppError> {
        let detail = self
            .access_review(org, review_id, Utc::now().date_naive())
            .await?;
        let item = detail
            .items
            .iter()
            .find(|i| i.id == account || i.account.eq_ignore_ascii_case(account))
            .ok_or_else(|| {
                AppError::NotFound(format!("no account `{account}` in this access review"))
            })?;
        let note = note.trim();
        if note.is_empty() {
            return Err(AppError::Invalid(format!(
                "say what was done to `{}` (a ticket, the change made)",
                item.account
            )));
        }
        let entry = audit(
            actor,
            "access-review.remediated",
            &format!("access-review:{review_id}"),
            serde_json::json!({ "account": item.account }),
        );
        let body = serde_json::json!({
            "review": review_id,
            "system": detail.review.system,
            "account": item.account,
            "remediated": item.decision,
            "note": note,
            "by": actor.as_str(),
        });
        self.store
            .resolve_access_remediation(&org.id, &item.id, note, body, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(m) => AppError::Conflict(format!("`{}`: {m}", item.account)),
                other => other.into(),
            })?;
        self.access_item(org, review_id, &item.id).await
    }

    /// The campaign as a CSV report: who reviewed what, when, and what changed.
    pub async fn access_review_report(
        &self,
        org: &Org,
        review_id: &str,
    ) -> Result<(String, Vec<u8>), AppError> {
        let detail = self
            .access_review(org, review_id, Utc::now().date_naive())
            .await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        // A cell a spreadsheet would run as a formula is written as text.
        let write = |out: &mut csv::Writer<Vec<u8>>, row: &[&str]| {
            let safe: Vec<String> = row
                .iter()
                .map(|cell| {
                    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        format!("'{cell}")
                    } else {
                        (*cell).to_owned()
                    }
                })
                .collect();
            out.write_record(&safe)
                .map_err(|e| AppError::Internal(format!("writing the report: {e}")))
        };
        write(
            &mut out,
            &[
                "system",
                "account",
                "email",
                "name",
                "group",
                "admin",
                "last_activity_at",
                "flags",
                "reviewer",
                "decision",
                "reason",
                "decided_at",
                "decided_by",
                "remediation",
                "remediated_at",
                "remediated_by",
                "remediation_note",
            ],
        )?;
        let when = |t: &Option<DateTime<Utc>>| {
            t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default()
        };
        for i in &detail.items {
            let flags: Vec<&str> = i.flags.iter().map(|f| f.as_str()).collect();
            write(
                &mut out,
                &[
                    &detail.review.system,
                    &i.account,
                    i.email.as_deref().unwrap_or_default(),
                    i.name.as_deref().unwrap_or_default(),
                    &i.group,
                    if i.admin { "yes" } else { "no" },
                    &when(&i.last_activity_at),
                    &flags.join(" "),
                    i.reviewer.as_str(),
                    i.decision.map(|d| d.as_str()).unwrap_or_default(),
                    &i.reason,
                    &when(&i.decided_at),
                    i.decided_by.as_deref().unwrap_or_default(),
                    &i.remediation,
                    &when(&i.remediated_at),
                    i.remediated_by.as_deref().unwrap_or_default(),
                    &i.remediation_note,
                ],
            )?;
        }
        let bytes = out
            .into_inner()
            .map_err(|e| AppError::Internal(format!("writing the report: {e}")))?;
        let name = format!(
            "access-review-{}-{}.csv",
            detail.review.system, detail.review.snapshot_day
        );
        Ok((name, bytes))
    }

    /// Finishes a campaign once every account is decided: its report is recorded as evidence
    /// (for IAM-04, when the org has it) and the completion is ledgered. Revocations stay
    /// tracked until done.
    pub async fn complete_access_review(
        &self,
        org: &Org,
        actor: &Actor,
        review_id: &str,
        now: DateTime<Utc>,
    ) -> Result<AccessReviewView, AppError> {
        let detail = self.access_review(org, review_id, now.date_naive()).await?;
        if detail.review.status == "completed" {
            return Err(AppError::Conflict(
                "the access review is already completed".into(),
            ));
        }
        let undecided = detail.review.accounts - detail.review.decided;
        if undecided > 0 {
            return Err(AppError::Conflict(format!(
                "{undecided} of {} accounts are still undecided; each needs keep, revoke or change",
                detail.review.accounts
            )));
        }
        let (file_name, content) = self.access_review_report(org, review_id).await?;
        let control = ControlId::parse(ACCESS_REVIEW_CONTROL)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let controls = if self.store.get_control(&org.id, &control).await.is_ok() {
            vec![control]
        } else {
            Vec::new()
        };
        let period = Period::new(detail.review.snapshot_day, now.date_naive())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let evidence = self
            .add_evidence(
                org,
                EvidenceUpload {
                    kind: attest_core::EvidenceKind::File,
                    title: Some(detail.review.title.clone()),
                    file_name: Some(file_name),
                    content,
                    url: None,
                    period: Some(period),
                    controls,
                    source: format!("access-review:{review_id}"),
                    revises: None,
                    retain_until: None,
                },
                actor,
            )
            .await?;
        let body = serde_json::json!({
            "review": review_id,
            "system": detail.review.system,
            "accounts": detail.review.accounts,
            "revoke": detail.review.revoke,
            "change": detail.review.change,
            "report": evidence.id,
            "report_sha256": evidence.sha256,
            "by": actor.as_str(),
        });
        let entry = audit(
            actor,
            "access-review.completed",
            &format!("access-review:{review_id}"),
            serde_json::json!({ "report": evidence.id }),
        );
        self.store
            .complete_access_review(&org.id, review_id, &evidence.id, now, body, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(m) => AppError::Conflict(m),
                other => other.into(),
            })?;
        Ok(self
            .access_review(org, review_id, now.date_naive())
            .await?
            .review)
    }

    /// Opens a task to start the next review of each system whose last campaign began more
    /// than the org's cadence ago (quarterly by default) and has none open. Returns how many.
    pub async fn access_review_reminders(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<usize, AppError> {
        let months = self.checklist_deadlines(org).await?.access_review_months;
        let reviews = self.store.access_reviews(&org.id).await?;
        let mut latest: BTreeMap<&str, &AccessReview> = BTreeMap::new();
        for r in &reviews {
            let slot = latest.entry(r.review.source.as_str()).or_insert(r);
            if r.created_at > slot.created_at {
                *slot = r;
            }
        }
        let mut open = self.open_task_titles(org).await?;
        let mut created = 0;
        for r in latest.values() {
            let next = r
                .created_at
                .date_naive()
                .checked_add_months(chrono::Months::new(months))
                .unwrap_or(NaiveDate::MAX);
            if !r.completed || next > today {
                continue;
            }
            let title = format!("Start the access review of {}", r.review.system);
            let fields = attest_store::TaskFields {
                title,
                detail: format!(
                    "The last access review of {} began on {}; they recur every {months} months. Collect a fresh inventory, then `attest access-reviews start {}`.",
                    r.review.system,
                    r.created_at.date_naive(),
                    r.review.system
                ),
                control: ControlId::parse(ACCESS_REVIEW_CONTROL).ok(),
                criterion: None,
                owner: Some(r.review.owner.clone()),
                due_on: Some(next),
                status: attest_core::TaskStatus::Todo,
            };
            let reason =
                serde_json::json!({ "reason": "access review due", "system": r.review.system });
            created += usize::from(self.remind(org, &mut open, fields, reason).await?);
        }
        Ok(created)
    }

    /// Every campaign as the checks read it (`input.program.access_reviews`).
    pub(crate) async fn access_review_records(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<Vec<serde_json::Value>, AppError> {
        Ok(self
            .access_reviews(org, today)
            .await?
            .into_iter()
            .map(|r| {
                serde_json::json!({
                    "system": r.system,
                    "kind": r.kind,
                    "status": r.status,
                    "started_on": r.created_at.date_naive(),
                    "due_on": r.due_on,
                    "completed_on": r.completed_at.map(|t| t.date_naive()),
                    "accounts": r.accounts,
                    "open_remediations": r.open_remediations,
                })
            })
            .collect())
    }
}
