//! Evidence items and the controls they support. Recording an item writes its row, its
//! control links and its ledger entry in one transaction: an item is never without the entry
//! that commits to it.

use attest_core::{ControlId, EvidenceKind, Period};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

use crate::error::{StoreError, invalid};
use crate::ledger::{append_entries, begin_ledger_tx};
use crate::models::NewAuditEntry;
use crate::{NewLedgerEntry, Store, new_id, with_pool};

/// An item to record. The blob (if any) is already in the blob store under `blob_key`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvidence {
    pub org_id: String,
    pub kind: EvidenceKind,
    pub title: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub size_bytes: u64,
    pub media_type: String,
    pub blob_key: Option<String>,
    pub url: Option<String>,
    /// The system it came from (`upload`, `cli`, a collector's name).
    pub source: String,
    pub collected_by: String,
    pub period: Period,
    pub controls: Vec<ControlId>,
    /// The item this one is a new revision of.
    pub revises: Option<String>,
    /// Kept at least until this day; the retention rule may delete it after.
    pub retain_until: Option<NaiveDate>,
}

/// How an item was deleted: its row stays, its content is gone.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Deletion {
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
    /// The ledger entry that records the deletion.
    pub ledger_index: u64,
}

/// A recorded item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evidence {
    pub id: String,
    /// The org it belongs to (internal; not part of listings).
    #[serde(skip)]
    pub org_id: String,
    pub kind: EvidenceKind,
    pub title: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub media_type: String,
    pub blob_key: Option<String>,
    pub url: Option<String>,
    pub source: String,
    pub collected_by: String,
    pub recorded_at: DateTime<Utc>,
    pub period: Period,
    pub controls: Vec<ControlId>,
    /// Its entry in the ledger.
    pub ledger_index: u64,
    /// The item this one is a new revision of.
    pub revises: Option<String>,
    /// The newest live item that revises this one.
    pub superseded_by: Option<String>,
    pub retain_until: Option<NaiveDate>,
    pub deleted: Option<Deletion>,
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: String,
    org_id: String,
    kind: String,
    title: String,
    sha256: String,
    size_bytes: i64,
    media_type: String,
    blob_key: Option<String>,
    url: Option<String>,
    source: String,
    collected_by: String,
    recorded_at: DateTime<Utc>,
    period_start: NaiveDate,
    period_end: NaiveDate,
    ledger_index: i64,
    control_list: Option<String>,
    revises: Option<String>,
    superseded_by: Option<String>,
    retain_until: Option<NaiveDate>,
    deleted_at: Option<DateTime<Utc>>,
    deleted_by: Option<String>,
    deletion_reason: Option<String>,
    deletion_ledger_index: Option<i64>,
}

impl TryFrom<EvidenceRow> for Evidence {
    type Error = StoreError;
    fn try_from(r: EvidenceRow) -> Result<Evidence, StoreError> {
        let mut controls = r
            .control_list
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| ControlId::parse(c).map_err(|e| invalid("control id", c, e)))
            .collect::<Result<Vec<_>, _>>()?;
        controls.sort();
        Ok(Evidence {
            kind: r
                .kind
                .parse()
                .map_err(|e| invalid("evidence kind", &r.kind, e))?,
            period: Period::new(r.period_start, r.period_end)
                .map_err(|e| invalid("evidence period", &r.id, e))?,
            id: r.id.clone(),
            org_id: r.org_id,
            title: r.title,
            sha256: r.sha256,
            size_bytes: u64::try_from(r.size_bytes).unwrap_or_default(),
            media_type: r.media_type,
            blob_key: r.blob_key,
            url: r.url,
            source: r.source,
            collected_by: r.collected_by,
            recorded_at: r.recorded_at,
            controls,
            ledger_index: crate::ledger::to_u64(r.ledger_index)?,
            revises: r.revises,
            superseded_by: r.superseded_by,
            retain_until: r.retain_until,
            deleted: match (r.deleted_at, r.deletion_ledger_index) {
                (Some(at), Some(index)) => Some(Deletion {
                    at,
                    by: r.deleted_by.unwrap_or_default(),
                    reason: r.deletion_reason.unwrap_or_default(),
                    ledger_index: crate::ledger::to_u64(index)?,
                }),
                (None, None) => None,
                _ => {
                    return Err(invalid(
                        "evidence deletion",
                        &r.id,
                        "the deletion time and its ledger entry must be set together",
                    ));
                }
            },
        })
    }
}

impl Evidence {
    /// What the item's ledger entry commits to: every recorded fact except the entry's own
    /// index and time. Verification rebuilds it from the stored row and compares.
    pub fn ledger_body(&self) -> serde_json::Value {
        let mut body = serde_json::json!({
            "evidence": self.id,
            "kind": self.kind.as_str(),
            "title": self.title,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "media_type": self.media_type,
            "blob_key": self.blob_key,
            "url": self.url,
            "source": self.source,
            "collected_by": self.collected_by,
            "period": self.period.to_string(),
            "controls": self.controls.iter().map(ControlId::as_str).collect::<Vec<_>>(),
        });
        // Present only when set, so entries recorded before revisions and retention existed
        // still match their rows.
        if let Some(revises) = &self.revises {
            body["revises"] = revises.as_str().into();
        }
        if let Some(day) = self.retain_until {
            body["retain_until"] = day.to_string().into();
        }
        body
    }

    /// What a deletion's ledger entry commits to.
    pub fn deletion_body(&self, deletion: &Deletion) -> serde_json::Value {
        serde_json::json!({
            "evidence": self.id,
            "sha256": self.sha256,
            "deleted_by": deletion.by,
            "reason": deletion.reason,
            // Whether it went before its keep-until day is on the record.
            "retain_until": self.retain_until.map(|d| d.to_string()),
        })
    }
}

/// The ledger entry kind of an evidence item, and of its deletion.
pub const EVIDENCE_ENTRY: &str = "evidence";
pub const EVIDENCE_DELETION_ENTRY: &str = "evidence-deletion";

impl Store {
    /// Records an item with its control links, its ledger entry and its audit entry, all or
    /// nothing.
    pub async fn record_evidence(
        &self,
        new: &NewEvidence,
        audit: &NewAuditEntry,
    ) -> Result<Evidence, StoreError> {
        let id = new_id();
        let size = i64::try_from(new.size_bytes).map_err(|_| {
            StoreError::Invalid("evidence larger than the database can count".into())
        })?;
        let mut controls = new.controls.clone();
        controls.sort();
        // Its entry's index and time are filled in below; the body leaves both out.
        let mut item = Evidence {
            id: id.clone(),
            org_id: new.org_id.clone(),
            kind: new.kind,
            title: new.title.clone(),
            sha256: new.sha256.clone(),
            size_bytes: new.size_bytes,
            media_type: new.media_type.clone(),
            blob_key: new.blob_key.clone(),
            url: new.url.clone(),
            source: new.source.clone(),
            collected_by: new.collected_by.clone(),
            recorded_at: Utc::now(),
            period: new.period,
            controls,
            ledger_index: 0,
            revises: new.revises.clone(),
            superseded_by: None,
            retain_until: new.retain_until,
            deleted: None,
        };
        let body = item.ledger_body();
        let ledger_entry = [NewLedgerEntry {
            kind: EVIDENCE_ENTRY.into(),
            subject: id.clone(),
            org_id: Some(new.org_id.clone()),
            body,
        }];
        let entry = with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let mut appended = append_entries!(tx, &ledger_entry)?;
            let entry = appended.remove(0);
            sqlx::query(
                "INSERT INTO evidence (id, org_id, kind, title, sha256, size_bytes, media_type, blob_key, url,
                                       source, collected_by, recorded_at, period_start, period_end, ledger_index,
                                       revises, retain_until)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            )
            .bind(&id)
            .bind(&new.org_id)
            .bind(new.kind.as_str())
            .bind(&new.title)
            .bind(&new.sha256)
            .bind(size)
            .bind(&new.media_type)
            .bind(&new.blob_key)
            .bind(&new.url)
            .bind(&new.source)
            .bind(&new.collected_by)
            .bind(entry.recorded_at)
            .bind(new.period.start)
            .bind(new.period.end)
            .bind(crate::ledger::to_i64(entry.index)?)
            .bind(&new.revises)
            .bind(new.retain_until)
            .execute(&mut *tx)
            .await?;
            for control in &new.controls {
                sqlx::query(
                    "INSERT INTO evidence_controls (org_id, evidence_id, control_id) VALUES ($1, $2, $3)",
                )
                .bind(&new.org_id)
                .bind(&id)
                .bind(control.as_str())
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::insert!(
                &mut *tx,
                Some(new.org_id.as_str()),
                audit,
                Utc::now().trunc_subsecs(6)
            )?;
            tx.commit().await?;
            Ok::<_, StoreError>(entry)
        })?;
        item.recorded_at = entry.recorded_at;
        item.ledger_index = entry.index;
        Ok(item)
    }

    /// An org's evidence that is not deleted, newest first, optionally only what supports one
    /// control.
    pub async fn list_evidence(
        &self,
        org_id: &str,
        control: Option<&ControlId>,
    ) -> Result<Vec<Evidence>, StoreError> {
        self.select_evidence(Some(org_id), control, None, false)
            .await
    }

    /// An org's evidence including deleted items (their rows remain).
    pub async fn list_evidence_with_deleted(
        &self,
        org_id: &str,
    ) -> Result<Vec<Evidence>, StoreError> {
        self.select_evidence(Some(org_id), None, None, true).await
    }

    /// One item of an org, deleted or not.
    pub async fn get_evidence(&self, org_id: &str, id: &str) -> Result<Evidence, StoreError> {
        self.select_evidence(Some(org_id), None, Some(id), true)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Every org's evidence, deleted items too, for verifying it against the ledger.
    pub async fn all_evidence(&self) -> Result<Vec<Evidence>, StoreError> {
        self.select_evidence(None, None, None, true).await
    }

    /// Whether any item that is not deleted still has this content (a deleted item's blob is
    /// removed only when none does).
    pub async fn evidence_content_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        let n: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM evidence WHERE sha256 = $1 AND deleted_at IS NULL AND blob_key IS NOT NULL",
            )
            .bind(sha256)
            .fetch_one(pool)
            .await
        })?;
        Ok(n > 0)
    }

    /// Deletes an item: appends the ledger entry that records the deletion, marks the row
    /// (which stays, so the item's own entry still verifies), and writes the audit entry, all
    /// or nothing. The caller removes the content afterwards. `NotFound` when the item does not
    /// exist or is already deleted.
    pub async fn delete_evidence(
        &self,
        org_id: &str,
        id: &str,
        by: &str,
        reason: &str,
        audit: &NewAuditEntry,
    ) -> Result<Evidence, StoreError> {
        let mut item = self.get_evidence(org_id, id).await?;
        if item.deleted.is_some() {
            return Err(StoreError::NotFound);
        }
        let mut deletion = Deletion {
            at: Utc::now(),
            by: by.to_string(),
            reason: reason.to_string(),
            ledger_index: 0,
        };
        let entry = [NewLedgerEntry {
            kind: EVIDENCE_DELETION_ENTRY.into(),
            subject: id.to_string(),
            org_id: Some(org_id.to_string()),
            body: item.deletion_body(&deletion),
        }];
        let entry = with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let mut appended = append_entries!(tx, &entry)?;
            let entry = appended.remove(0);
            let updated = sqlx::query(
                "UPDATE evidence SET deleted_at = $1, deleted_by = $2, deletion_reason = $3, deletion_ledger_index = $4
                 WHERE org_id = $5 AND id = $6 AND deleted_at IS NULL",
            )
            .bind(entry.recorded_at)
            .bind(by)
            .bind(reason)
            .bind(crate::ledger::to_i64(entry.index)?)
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated != 1 {
                // Deleted meanwhile by someone else: the ledger entry is rolled back with it.
                return Err(StoreError::NotFound);
            }
            crate::audit::insert!(&mut *tx, Some(org_id), audit, Utc::now().trunc_subsecs(6))?;
            tx.commit().await?;
            Ok::<_, StoreError>(entry)
        })?;
        deletion.at = entry.recorded_at;
        deletion.ledger_index = entry.index;
        item.deleted = Some(deletion);
        Ok(item)
    }

    async fn select_evidence(
        &self,
        org_id: Option<&str>,
        control: Option<&ControlId>,
        id: Option<&str>,
        with_deleted: bool,
    ) -> Result<Vec<Evidence>, StoreError> {
        let aggregate = match self.pool {
            crate::Pool::Sqlite(_) => "group_concat(ec.control_id, ',')",
            crate::Pool::Postgres(_) => "string_agg(ec.control_id, ',')",
        };
        let sql = format!(
            "SELECT e.id, e.org_id, e.kind, e.title, e.sha256, e.size_bytes, e.media_type, e.blob_key, e.url, e.source,
                    e.collected_by, e.recorded_at, e.period_start, e.period_end, e.ledger_index,
                    (SELECT {aggregate} FROM evidence_controls ec WHERE ec.evidence_id = e.id) AS control_list,
                    e.revises,
                    (SELECT n.id FROM evidence n WHERE n.revises = e.id AND n.deleted_at IS NULL
                     ORDER BY n.recorded_at DESC, n.id DESC LIMIT 1) AS superseded_by,
                    e.retain_until, e.deleted_at, e.deleted_by, e.deletion_reason, e.deletion_ledger_index
             FROM evidence e
             WHERE ($1 IS NULL OR e.org_id = $1)
               AND ($2 IS NULL OR EXISTS (SELECT 1 FROM evidence_controls x
                                          WHERE x.evidence_id = e.id AND x.control_id = $2))
               AND ($3 IS NULL OR e.id = $3)
               AND ($4 OR e.deleted_at IS NULL)
             ORDER BY e.recorded_at DESC, e.id DESC"
        );
        let rows: Vec<EvidenceRow> = with_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(org_id)
                .bind(control.map(ControlId::as_str))
                .bind(id)
                .bind(with_deleted)
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(Evidence::try_from).collect()
    }
}
