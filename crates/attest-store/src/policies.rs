//! Policies, their versions and acknowledgments. A version moves draft → approved → published
//! (→ superseded) and only forward; approvals, publications and acknowledgments are ledgered
//! in the transaction that records them.

use attest_core::{Audience, ControlId, Email, VersionNumber, VersionState};
use chrono::{DateTime, SubsecRound, Utc};

use crate::error::{StoreError, invalid};
use crate::ledger::{NewLedgerEntry, append_entries, begin_ledger_tx, to_i64, to_u64};
use crate::models::NewAuditEntry;
use crate::{Store, new_id, with_pool};

/// The ledger kind of an approval.
pub const POLICY_APPROVAL_ENTRY: &str = "policy-approval";
/// The ledger kind of a publication.
pub const POLICY_PUBLICATION_ENTRY: &str = "policy-publication";
/// The ledger kind of an acknowledgment.
pub const POLICY_ACKNOWLEDGMENT_ENTRY: &str = "policy-acknowledgment";

/// A policy's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPolicy {
    /// A slug, e.g. `information-security`.
    pub id: String,
    pub title: String,
    /// The library template it was made from.
    pub template_id: Option<String>,
    pub owner: Email,
    /// Who must approve each version.
    pub approver: Email,
    pub review_months: u32,
    pub audience: Audience,
    /// The controls it supports.
    pub controls: Vec<ControlId>,
}

/// A stored policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub settings: NewPolicy,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// One version of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyVersion {
    pub id: String,
    pub policy_id: String,
    pub number: VersionNumber,
    /// Markdown.
    pub body: String,
    pub sha256: String,
    /// What changed, in the author's words.
    pub summary: String,
    pub state: VersionState,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<String>,
    /// The publication's ledger entry.
    pub ledger_index: Option<u64>,
}

/// A person's acknowledgment of a version.
#[derive(Debug, Clone, PartialEq)]
pub struct Acknowledgment {
    pub id: String,
    pub policy_id: String,
    pub version_id: String,
    pub number: VersionNumber,
    pub person_id: String,
    pub acknowledged_at: DateTime<Utc>,
    /// The account that clicked (the person, or HR recording a paper signature).
    pub acknowledged_by: String,
    pub ledger_index: u64,
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    id: String,
    title: String,
    template_id: Option<String>,
    owner_email: String,
    approver_email: String,
    review_months: i64,
    audience: String,
    controls: String,
    created_at: DateTime<Utc>,
    created_by: String,
}

impl TryFrom<PolicyRow> for Policy {
    type Error = StoreError;
    fn try_from(r: PolicyRow) -> Result<Policy, StoreError> {
        let email = |raw: &str| Email::parse(raw).map_err(|e| invalid("email", raw, e));
        let controls = r
            .controls
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| ControlId::parse(c).map_err(|e| invalid("control id", c, e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Policy {
            settings: NewPolicy {
                owner: email(&r.owner_email)?,
                approver: email(&r.approver_email)?,
                review_months: u32::try_from(r.review_months)
                    .map_err(|e| invalid("review months", &r.review_months.to_string(), e))?,
                audience: r
                    .audience
                    .parse()
                    .map_err(|e| invalid("audience", &r.audience, e))?,
                controls,
                id: r.id,
                title: r.title,
                template_id: r.template_id,
            },
            created_at: r.created_at,
            created_by: r.created_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: String,
    policy_id: String,
    major: i64,
    minor: i64,
    body: String,
    sha256: String,
    summary: String,
    state: String,
    created_at: DateTime<Utc>,
    created_by: String,
    updated_at: DateTime<Utc>,
    approved_at: Option<DateTime<Utc>>,
    approved_by: Option<String>,
    published_at: Option<DateTime<Utc>>,
    published_by: Option<String>,
    ledger_index: Option<i64>,
}

fn number(major: i64, minor: i64) -> Result<VersionNumber, StoreError> {
    let part = |n: i64| u32::try_from(n).map_err(|e| invalid("version number", &n.to_string(), e));
    Ok(VersionNumber {
        major: part(major)?,
        minor: part(minor)?,
    })
}

impl TryFrom<VersionRow> for PolicyVersion {
    type Error = StoreError;
    fn try_from(r: VersionRow) -> Result<PolicyVersion, StoreError> {
        Ok(PolicyVersion {
            number: number(r.major, r.minor)?,
            state: r
                .state
                .parse()
                .map_err(|e| invalid("version state", &r.state, e))?,
            ledger_index: r.ledger_index.map(to_u64).transpose()?,
            id: r.id,
            policy_id: r.policy_id,
            body: r.body,
            sha256: r.sha256,
            summary: r.summary,
            created_at: r.created_at,
            created_by: r.created_by,
            updated_at: r.updated_at,
            approved_at: r.approved_at,
            approved_by: r.approved_by,
            published_at: r.published_at,
            published_by: r.published_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AckRow {
    id: String,
    policy_id: String,
    version_id: String,
    major: i64,
    minor: i64,
    person_id: String,
    acknowledged_at: DateTime<Utc>,
    acknowledged_by: String,
    ledger_index: i64,
}

/// The columns a [`VersionRow`] reads, for `concat!` (sqlx takes only static SQL).
macro_rules! version_columns {
    () => {
        "id, policy_id, major, minor, body, sha256, summary, state, created_at, created_by,
         updated_at, approved_at, approved_by, published_at, published_by, ledger_index"
    };
}

/// A draft to write: a policy's first, or the next version of a published one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDraft {
    pub policy_id: String,
    pub number: VersionNumber,
    pub body: String,
    pub sha256: String,
    pub summary: String,
}

fn controls_text(controls: &[ControlId]) -> String {
    controls
        .iter()
        .map(ControlId::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// Inserts a draft inside an open transaction `$tx`. Only one unpublished version per policy.
macro_rules! insert_draft {
    ($tx:expr, $org_id:expr, $id:expr, $draft:expr, $now:expr, $actor:expr) => {
        async {
            let open: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM policy_versions
                 WHERE org_id = $1 AND policy_id = $2 AND state IN ('draft', 'approved')",
            )
            .bind($org_id)
            .bind(&$draft.policy_id)
            .fetch_one(&mut *$tx)
            .await?;
            if open > 0 {
                return Err(StoreError::Conflict(format!(
                    "an unpublished version of `{}`",
                    $draft.policy_id
                )));
            }
            sqlx::query(
                "INSERT INTO policy_versions (id, org_id, policy_id, major, minor, body, sha256,
                        summary, state, created_at, created_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $9)",
            )
            .bind($id)
            .bind($org_id)
            .bind(&$draft.policy_id)
            .bind(i64::from($draft.number.major))
            .bind(i64::from($draft.number.minor))
            .bind(&$draft.body)
            .bind(&$draft.sha256)
            .bind(&$draft.summary)
            .bind($now)
            .bind($actor)
            .execute(&mut *$tx)
            .await?;
            Ok::<(), StoreError>(())
        }
        .await
    };
}

impl Store {
    /// Creates a policy with its first draft.
    pub async fn create_policy(
        &self,
        org_id: &str,
        policy: &NewPolicy,
        draft: &NewDraft,
        at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<PolicyVersion, StoreError> {
        let now = at.trunc_subsecs(6);
        let id = new_id();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO policies (org_id, id, title, template_id, owner_email, approver_email,
                        review_months, audience, controls, created_at, created_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(org_id)
            .bind(&policy.id)
            .bind(&policy.title)
            .bind(&policy.template_id)
            .bind(policy.owner.as_str())
            .bind(policy.approver.as_str())
            .bind(i64::from(policy.review_months))
            .bind(policy.audience.to_string())
            .bind(controls_text(&policy.controls))
            .bind(now)
            .bind(&entry.actor)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("a policy `{}`", policy.id))
                }
                other => other,
            })?;
            insert_draft!(tx, org_id, &id, draft, now, &entry.actor)?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.policy_version(org_id, &id).await
    }

    /// Changes a policy's settings (not its text, which only changes by a new version).
    pub async fn update_policy(
        &self,
        org_id: &str,
        policy: &NewPolicy,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE policies SET title = $3, owner_email = $4, approver_email = $5,
                        review_months = $6, audience = $7, controls = $8
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id)
            .bind(&policy.id)
            .bind(&policy.title)
            .bind(policy.owner.as_str())
            .bind(policy.approver.as_str())
            .bind(i64::from(policy.review_months))
            .bind(policy.audience.to_string())
            .bind(controls_text(&policy.controls))
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every policy of the org, by id.
    pub async fn policies(&self, org_id: &str) -> Result<Vec<Policy>, StoreError> {
        let rows: Vec<PolicyRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, template_id, owner_email, approver_email, review_months, audience,
                        controls, created_at, created_by
                 FROM policies WHERE org_id = $1 ORDER BY id",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(Policy::try_from).collect()
    }

    /// Each policy with a published version, and when that version was approved: what the gap
    /// analysis needs to find stale policies, in one statement.
    pub async fn published_policy_approvals(
        &self,
        org_id: &str,
    ) -> Result<Vec<(Policy, DateTime<Utc>)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            policy: PolicyRow,
            approved_at: DateTime<Utc>,
        }
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id, p.title, p.template_id, p.owner_email, p.approver_email,
                        p.review_months, p.audience, p.controls, p.created_at, p.created_by,
                        v.approved_at
                 FROM policies p
                 JOIN policy_versions v
                   ON v.org_id = p.org_id AND v.policy_id = p.id AND v.state = 'published'
                 WHERE p.org_id = $1 AND v.approved_at IS NOT NULL
                 ORDER BY p.id",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| Ok((Policy::try_from(r.policy)?, r.approved_at)))
            .collect()
    }

    /// Every version of the org's policies (of one policy when given), oldest first.
    pub async fn policy_versions(
        &self,
        org_id: &str,
        policy_id: Option<&str>,
    ) -> Result<Vec<PolicyVersion>, StoreError> {
        let rows: Vec<VersionRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                version_columns!(),
                " FROM policy_versions WHERE org_id = $1 AND ($2 IS NULL OR policy_id = $2)
                  ORDER BY policy_id, major, minor"
            ))
            .bind(org_id)
            .bind(policy_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(PolicyVersion::try_from).collect()
    }

    /// One version.
    pub async fn policy_version(
        &self,
        org_id: &str,
        id: &str,
    ) -> Result<PolicyVersion, StoreError> {
        let row: Option<VersionRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                version_columns!(),
                " FROM policy_versions WHERE org_id = $1 AND id = $2"
            ))
            .bind(org_id)
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// Starts the next version of a policy as a draft.
    pub async fn add_policy_draft(
        &self,
        org_id: &str,
        draft: &NewDraft,
        at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<PolicyVersion, StoreError> {
        let now = at.trunc_subsecs(6);
        let id = new_id();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_draft!(tx, org_id, &id, draft, now, &entry.actor)?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.policy_version(org_id, &id).await
    }

    /// Replaces a draft's text. A version that is no longer a draft is a conflict.
    pub async fn save_policy_draft(
        &self,
        org_id: &str,
        version_id: &str,
        body: &str,
        sha256: &str,
        summary: &str,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE policy_versions SET body = $3, sha256 = $4, summary = $5, updated_at = $6
                 WHERE org_id = $1 AND id = $2 AND state = 'draft'",
            )
            .bind(org_id)
            .bind(version_id)
            .bind(body)
            .bind(sha256)
            .bind(summary)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(
                    "the version is no longer a draft".into(),
                ));
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Moves a version forward at `at`: a draft to approved, or an approved version to
    /// published (superseding the one published before), only while its text is still the
    /// `read` one (same hash). Ledgered with `ledger_body`.
    pub async fn advance_policy_version(
        &self,
        org_id: &str,
        read: &PolicyVersion,
        to: VersionState,
        at: DateTime<Utc>,
        ledger_body: serde_json::Value,
        entry: &NewAuditEntry,
    ) -> Result<PolicyVersion, StoreError> {
        let (version_id, sha256) = (read.id.as_str(), read.sha256.as_str());
        let now = at.trunc_subsecs(6);
        let (from, kind, sql) = match to {
            VersionState::Approved => (
                "draft",
                POLICY_APPROVAL_ENTRY,
                "UPDATE policy_versions SET state = 'approved', approved_at = $3, approved_by = $4
                 WHERE org_id = $1 AND id = $2 AND state = 'draft' AND sha256 = $6",
            ),
            VersionState::Published => (
                "approved",
                POLICY_PUBLICATION_ENTRY,
                "UPDATE policy_versions SET state = 'published', published_at = $3,
                        published_by = $4, ledger_index = $5
                 WHERE org_id = $1 AND id = $2 AND state = 'approved' AND sha256 = $6",
            ),
            _ => {
                return Err(StoreError::Invalid(format!(
                    "a version cannot be moved to {to}"
                )));
            }
        };
        let ledger = [NewLedgerEntry {
            kind: kind.into(),
            subject: version_id.to_owned(),
            org_id: Some(org_id.to_owned()),
            body: ledger_body,
        }];
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let appended = append_entries!(tx, &ledger)?;
            let index = appended.first().map(|e| e.index).unwrap_or_default();
            if to == VersionState::Published {
                sqlx::query(
                    "UPDATE policy_versions SET state = 'superseded'
                     WHERE org_id = $1 AND state = 'published'
                       AND policy_id = (SELECT policy_id FROM policy_versions
                                        WHERE org_id = $1 AND id = $2)",
                )
                .bind(org_id)
                .bind(version_id)
                .execute(&mut *tx)
                .await?;
            }
            let done = sqlx::query(sql)
                .bind(org_id)
                .bind(version_id)
                .bind(now)
                .bind(&entry.actor)
                .bind(to_i64(index)?)
                .bind(sha256)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!(
                    "the version is no longer the {from} text that was read"
                )));
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.policy_version(org_id, version_id).await
    }

    /// Records acknowledgments (version, person, when) with a ledger entry each.
    pub async fn acknowledge_policies(
        &self,
        org_id: &str,
        acks: &[(PolicyVersion, String, DateTime<Utc>)],
        entry: &NewAuditEntry,
    ) -> Result<Vec<Acknowledgment>, StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        let mut recorded: Vec<Acknowledgment> = acks
            .iter()
            .map(|(v, person_id, at)| Acknowledgment {
                id: new_id(),
                policy_id: v.policy_id.clone(),
                version_id: v.id.clone(),
                number: v.number,
                person_id: person_id.clone(),
                acknowledged_at: at.trunc_subsecs(6),
                acknowledged_by: entry.actor.clone(),
                ledger_index: 0,
            })
            .collect();
        let ledger: Vec<NewLedgerEntry> = acks
            .iter()
            .zip(&recorded)
            .map(|((v, _, _), a)| NewLedgerEntry {
                kind: POLICY_ACKNOWLEDGMENT_ENTRY.into(),
                subject: a.id.clone(),
                org_id: Some(org_id.to_owned()),
                body: serde_json::json!({
                    "policy": a.policy_id,
                    "version": a.number.to_string(),
                    "version_id": a.version_id,
                    "sha256": v.sha256,
                    "person_id": a.person_id,
                    "at": a.acknowledged_at,
                    "by": a.acknowledged_by,
                }),
            })
            .collect();
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let appended = append_entries!(tx, &ledger)?;
            for (a, e) in recorded.iter_mut().zip(&appended) {
                a.ledger_index = e.index;
                sqlx::query(
                    "INSERT INTO policy_acknowledgments (id, org_id, policy_id, version_id, major,
                            minor, person_id, acknowledged_at, acknowledged_by, ledger_index)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&a.id)
                .bind(org_id)
                .bind(&a.policy_id)
                .bind(&a.version_id)
                .bind(i64::from(a.number.major))
                .bind(i64::from(a.number.minor))
                .bind(&a.person_id)
                .bind(a.acknowledged_at)
                .bind(&a.acknowledged_by)
                .bind(to_i64(e.index)?)
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(recorded)
    }

    /// Every acknowledgment of the org (of one person when given), oldest first.
    pub async fn acknowledgments(
        &self,
        org_id: &str,
        person_id: Option<&str>,
    ) -> Result<Vec<Acknowledgment>, StoreError> {
        let rows: Vec<AckRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, policy_id, version_id, major, minor, person_id, acknowledged_at,
                        acknowledged_by, ledger_index
                 FROM policy_acknowledgments
                 WHERE org_id = $1 AND ($2 IS NULL OR person_id = $2) ORDER BY id",
            )
            .bind(org_id)
            .bind(person_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| {
                Ok(Acknowledgment {
                    number: number(r.major, r.minor)?,
                    ledger_index: to_u64(r.ledger_index)?,
                    id: r.id,
                    policy_id: r.policy_id,
                    version_id: r.version_id,
                    person_id: r.person_id,
                    acknowledged_at: r.acknowledged_at,
                    acknowledged_by: r.acknowledged_by,
                })
            })
            .collect()
    }
}
