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
}

/// A recorded item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evidence {
    pub id: String,
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
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: String,
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
            id: r.id,
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
        })
    }
}

impl Evidence {
    /// What the item's ledger entry commits to: every recorded fact except the entry's own
    /// index and time. Verification rebuilds it from the stored row and compares.
    pub fn ledger_body(&self) -> serde_json::Value {
        serde_json::json!({
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
        })
    }
}

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
        };
        let body = item.ledger_body();
        let ledger_entry = [NewLedgerEntry {
            kind: "evidence".into(),
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
                                       source, collected_by, recorded_at, period_start, period_end, ledger_index)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
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

    /// An org's evidence, newest first, optionally only what supports one control.
    pub async fn list_evidence(
        &self,
        org_id: &str,
        control: Option<&ControlId>,
    ) -> Result<Vec<Evidence>, StoreError> {
        self.select_evidence(Some(org_id), control).await
    }

    /// Every org's evidence, for verifying it against the ledger.
    pub async fn all_evidence(&self) -> Result<Vec<Evidence>, StoreError> {
        self.select_evidence(None, None).await
    }

    async fn select_evidence(
        &self,
        org_id: Option<&str>,
        control: Option<&ControlId>,
    ) -> Result<Vec<Evidence>, StoreError> {
        let aggregate = match self.pool {
            crate::Pool::Sqlite(_) => "group_concat(ec.control_id, ',')",
            crate::Pool::Postgres(_) => "string_agg(ec.control_id, ',')",
        };
        let sql = format!(
            "SELECT e.id, e.kind, e.title, e.sha256, e.size_bytes, e.media_type, e.blob_key, e.url, e.source,
                    e.collected_by, e.recorded_at, e.period_start, e.period_end, e.ledger_index,
                    (SELECT {aggregate} FROM evidence_controls ec WHERE ec.evidence_id = e.id) AS control_list
             FROM evidence e
             WHERE ($1 IS NULL OR e.org_id = $1)
               AND ($2 IS NULL OR EXISTS (SELECT 1 FROM evidence_controls x
                                          WHERE x.evidence_id = e.id AND x.control_id = $2))
             ORDER BY e.recorded_at DESC, e.id DESC"
        );
        let rows: Vec<EvidenceRow> = with_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(org_id)
                .bind(control.map(ControlId::as_str))
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(Evidence::try_from).collect()
    }
}
