//! User access reviews: campaigns over an account inventory, their items, decisions,
//! remediations and completion. Decisions, remediations and completions are ledgered in the
//! transaction that records them; a completed campaign no longer changes.

use attest_core::{AccessDecision, AccessFlag, Email};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

use crate::error::{StoreError, invalid};
use crate::ledger::{NewLedgerEntry, append_entries, begin_ledger_tx, to_i64, to_u64};
use crate::models::NewAuditEntry;
use crate::{Store, new_id, with_pool};

/// The ledger kind of a decision, a remediation or a completed campaign.
pub const ACCESS_REVIEW_ENTRY: &str = "access-review";

/// A campaign to start.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAccessReview {
    /// The evidence source of the inventory: `collect:KIND:SYSTEM`.
    pub source: String,
    pub kind: String,
    pub system: String,
    /// The snapshot (evidence item) the accounts come from, and the day it shows.
    pub snapshot_id: String,
    pub snapshot_day: NaiveDate,
    pub title: String,
    pub owner: Email,
    pub due_on: NaiveDate,
}

/// One account to review.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReviewItem {
    pub account: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub person_id: Option<String>,
    /// The group it is reviewed in (the person's department, or "No matching person").
    pub group: String,
    pub admin: bool,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub flags: Vec<AccessFlag>,
    pub reviewer: Email,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessReview {
    pub id: String,
    pub review: NewAccessReview,
    pub completed: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub completed_by: Option<String>,
    pub report_evidence_id: Option<String>,
    pub ledger_index: Option<u64>,
}

/// A stored item.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub id: String,
    pub review_id: String,
    pub item: NewReviewItem,
    pub decision: Option<AccessDecision>,
    pub reason: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    /// `none`, `open` (a revocation or change to carry out) or `done`.
    pub remediation: String,
    pub remediated_at: Option<DateTime<Utc>>,
    pub remediated_by: Option<String>,
    pub remediation_note: String,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: String,
    source: String,
    kind: String,
    system: String,
    snapshot_id: String,
    snapshot_day: NaiveDate,
    title: String,
    owner_email: String,
    due_on: NaiveDate,
    status: String,
    created_at: DateTime<Utc>,
    created_by: String,
    completed_at: Option<DateTime<Utc>>,
    completed_by: Option<String>,
    report_evidence_id: Option<String>,
    ledger_index: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: String,
    review_id: String,
    account: String,
    email: Option<String>,
    name: Option<String>,
    person_id: Option<String>,
    group_name: String,
    admin: bool,
    last_activity_at: Option<DateTime<Utc>>,
    flags: String,
    reviewer_email: String,
    decision: Option<String>,
    reason: String,
    decided_at: Option<DateTime<Utc>>,
    decided_by: Option<String>,
    remediation: String,
    remediated_at: Option<DateTime<Utc>>,
    remediated_by: Option<String>,
    remediation_note: String,
}

fn email(raw: &str) -> Result<Email, StoreError> {
    Email::parse(raw).map_err(|e| invalid("email", raw, e))
}

impl TryFrom<ReviewRow> for AccessReview {
    type Error = StoreError;
    fn try_from(r: ReviewRow) -> Result<AccessReview, StoreError> {
        Ok(AccessReview {
            review: NewAccessReview {
                owner: email(&r.owner_email)?,
                source: r.source,
                kind: r.kind,
                system: r.system,
                snapshot_id: r.snapshot_id,
                snapshot_day: r.snapshot_day,
                title: r.title,
                due_on: r.due_on,
            },
            completed: r.status == "completed",
            ledger_index: r.ledger_index.map(to_u64).transpose()?,
            id: r.id,
            created_at: r.created_at,
            created_by: r.created_by,
            completed_at: r.completed_at,
            completed_by: r.completed_by,
            report_evidence_id: r.report_evidence_id,
        })
    }
}

impl TryFrom<ItemRow> for ReviewItem {
    type Error = StoreError;
    fn try_from(r: ItemRow) -> Result<ReviewItem, StoreError> {
        let flags = r
            .flags
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| f.parse().map_err(|e| invalid("access flag", f, e)))
            .collect::<Result<Vec<AccessFlag>, _>>()?;
        Ok(ReviewItem {
            item: NewReviewItem {
                reviewer: email(&r.reviewer_email)?,
                account: r.account,
                email: r.email,
                name: r.name,
                person_id: r.person_id,
                group: r.group_name,
                admin: r.admin,
                last_activity_at: r.last_activity_at,
                flags,
            },
            decision: r
                .decision
                .as_deref()
                .map(|d| d.parse().map_err(|e| invalid("access decision", d, e)))
                .transpose()?,
            id: r.id,
            review_id: r.review_id,
            reason: r.reason,
            decided_at: r.decided_at,
            decided_by: r.decided_by,
            remediation: r.remediation,
            remediated_at: r.remediated_at,
            remediated_by: r.remediated_by,
            remediation_note: r.remediation_note,
        })
    }
}

fn flags_text(flags: &[AccessFlag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The ledger entry of a change to a campaign.
fn entry_of(org_id: &str, subject: &str, body: serde_json::Value) -> [NewLedgerEntry; 1] {
    [NewLedgerEntry {
        kind: ACCESS_REVIEW_ENTRY.into(),
        subject: subject.to_owned(),
        org_id: Some(org_id.to_owned()),
        body,
    }]
}

impl Store {
    /// Starts a campaign with its items, all or nothing.
    pub async fn create_access_review(
        &self,
        org_id: &str,
        review: &NewAccessReview,
        items: &[NewReviewItem],
        at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let now = at.trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO access_reviews (id, org_id, source, kind, system, snapshot_id,
                        snapshot_day, title, owner_email, due_on, status, created_at, created_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12)",
            )
            .bind(&id)
            .bind(org_id)
            .bind(&review.source)
            .bind(&review.kind)
            .bind(&review.system)
            .bind(&review.snapshot_id)
            .bind(review.snapshot_day)
            .bind(&review.title)
            .bind(review.owner.as_str())
            .bind(review.due_on)
            .bind(now)
            .bind(&entry.actor)
            .execute(&mut *tx)
            .await?;
            for item in items {
                sqlx::query(
                    "INSERT INTO access_review_items (id, org_id, review_id, account, email, name,
                            person_id, group_name, admin, last_activity_at, flags, reviewer_email,
                            reason, remediation, remediation_note)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', 'none', '')",
                )
                .bind(new_id())
                .bind(org_id)
                .bind(&id)
                .bind(&item.account)
                .bind(&item.email)
                .bind(&item.name)
                .bind(&item.person_id)
                .bind(&item.group)
                .bind(item.admin)
                .bind(item.last_activity_at)
                .bind(flags_text(&item.flags))
                .bind(item.reviewer.as_str())
                .execute(&mut *tx)
                .await?;
            }
            let mut entry = entry.clone();
            entry.target = Some(format!("access-review:{id}"));
            crate::audit::insert!(&mut *tx, Some(org_id), &entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// The org's campaigns, newest first.
    pub async fn access_reviews(&self, org_id: &str) -> Result<Vec<AccessReview>, StoreError> {
        let rows: Vec<ReviewRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, source, kind, system, snapshot_id, snapshot_day, title, owner_email,
                        due_on, status, created_at, created_by, completed_at, completed_by,
                        report_evidence_id, ledger_index
                 FROM access_reviews WHERE org_id = $1 ORDER BY id DESC",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(AccessReview::try_from).collect()
    }

    /// The items of the org's campaigns (of one when given), by account.
    pub async fn access_review_items(
        &self,
        org_id: &str,
        review_id: Option<&str>,
    ) -> Result<Vec<ReviewItem>, StoreError> {
        let rows: Vec<ItemRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, review_id, account, email, name, person_id, group_name, admin,
                        last_activity_at, flags, reviewer_email, decision, reason, decided_at,
                        decided_by, remediation, remediated_at, remediated_by, remediation_note
                 FROM access_review_items
                 WHERE org_id = $1 AND ($2 IS NULL OR review_id = $2)
                 ORDER BY review_id, account",
            )
            .bind(org_id)
            .bind(review_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(ReviewItem::try_from).collect()
    }

    /// Gives every item of a group of an open campaign to a reviewer; returns how many.
    pub async fn assign_access_reviewer(
        &self,
        org_id: &str,
        review_id: &str,
        group: &str,
        reviewer: &Email,
        entry: &NewAuditEntry,
    ) -> Result<u64, StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE access_review_items SET reviewer_email = $4
                 WHERE org_id = $1 AND review_id = $2 AND group_name = $3
                   AND review_id IN (SELECT id FROM access_reviews
                                     WHERE org_id = $1 AND status = 'open')",
            )
            .bind(org_id)
            .bind(review_id)
            .bind(group)
            .bind(reviewer.as_str())
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(done.rows_affected())
        })
    }

    /// Records a decision on an item of an open campaign, ledgered. A revocation or change
    /// opens a remediation; keeping the account closes an open one. An item whose revocation
    /// or change was carried out keeps its decision: that record is the review's evidence.
    pub async fn decide_access(
        &self,
        org_id: &str,
        item_id: &str,
        decision: AccessDecision,
        reason: &str,
        ledger_body: serde_json::Value,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        let ledger = entry_of(org_id, item_id, ledger_body);
        let remediation = if decision.needs_remediation() {
            "open"
        } else {
            "none"
        };
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            append_entries!(tx, &ledger)?;
            let done = sqlx::query(
                "UPDATE access_review_items
                 SET decision = $3, reason = $4, decided_at = $5, decided_by = $6,
                     remediation = $7, remediated_at = NULL, remediated_by = NULL,
                     remediation_note = ''
                 WHERE org_id = $1 AND id = $2 AND remediation <> 'done'
                   AND review_id IN (SELECT id FROM access_reviews
                                     WHERE org_id = $1 AND status = 'open')",
            )
            .bind(org_id)
            .bind(item_id)
            .bind(decision.as_str())
            .bind(reason)
            .bind(now)
            .bind(&entry.actor)
            .bind(remediation)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(
                    "the access review is completed, or the account's revocation or change was already carried out".into(),
                ));
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Marks an open remediation done, ledgered. Allowed after the campaign is completed:
    /// revocations are tracked to closure.
    pub async fn resolve_access_remediation(
        &self,
        org_id: &str,
        item_id: &str,
        note: &str,
        ledger_body: serde_json::Value,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        let ledger = entry_of(org_id, item_id, ledger_body);
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            append_entries!(tx, &ledger)?;
            let done = sqlx::query(
                "UPDATE access_review_items
                 SET remediation = 'done', remediated_at = $3, remediated_by = $4,
                     remediation_note = $5
                 WHERE org_id = $1 AND id = $2 AND remediation = 'open'",
            )
            .bind(org_id)
            .bind(item_id)
            .bind(now)
            .bind(&entry.actor)
            .bind(note)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(
                    "the account has no open revocation or change".into(),
                ));
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Completes an open campaign with its report, ledgered. Refused while an item is
    /// undecided.
    pub async fn complete_access_review(
        &self,
        org_id: &str,
        review_id: &str,
        report_evidence_id: &str,
        at: DateTime<Utc>,
        ledger_body: serde_json::Value,
        entry: &NewAuditEntry,
    ) -> Result<u64, StoreError> {
        let now = at.trunc_subsecs(6);
        let ledger = entry_of(org_id, review_id, ledger_body);
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let undecided: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM access_review_items
                 WHERE org_id = $1 AND review_id = $2 AND decision IS NULL",
            )
            .bind(org_id)
            .bind(review_id)
            .fetch_one(&mut *tx)
            .await?;
            if undecided > 0 {
                return Err(StoreError::Conflict(format!(
                    "{undecided} account(s) still undecided"
                )));
            }
            let appended = append_entries!(tx, &ledger)?;
            let index = appended.first().map(|e| e.index).unwrap_or_default();
            let done = sqlx::query(
                "UPDATE access_reviews
                 SET status = 'completed', completed_at = $3, completed_by = $4,
                     report_evidence_id = $5, ledger_index = $6
                 WHERE org_id = $1 AND id = $2 AND status = 'open'",
            )
            .bind(org_id)
            .bind(review_id)
            .bind(now)
            .bind(&entry.actor)
            .bind(report_evidence_id)
            .bind(to_i64(index)?)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(
                    "the access review is already completed".into(),
                ));
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(index)
        })
    }
}
