//! The audit log: who did what, when. Entries are only ever appended.

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::models::AuditEntry;
use crate::{Store, with_pool};

/// Appends an entry on any executor (a pool or an open transaction).
macro_rules! insert {
    ($exec:expr, $org_id:expr, $entry:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (id, org_id, at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($crate::new_id())
        .bind($org_id)
        .bind($now)
        .bind(&$entry.actor)
        .bind(&$entry.action)
        .bind(&$entry.target)
        .bind($entry.detail.to_string())
        .execute($exec)
        .await
    };
}
pub(crate) use insert;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    org_id: Option<String>,
    at: DateTime<Utc>,
    actor: String,
    action: String,
    target: Option<String>,
    detail: String,
}

impl Store {
    /// An org's audit log, oldest first, with the workspace-wide licensed-text imports (the
    /// catalog is shared); only entries about `target` when given. Account events (passwords,
    /// MFA) are kept without an org and never shown in one, so nothing crosses orgs.
    pub async fn audit_log(
        &self,
        org_id: &str,
        target: Option<&str>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, org_id, at, actor, action, target, detail FROM audit_log
                 WHERE (org_id = $1 OR (org_id IS NULL AND $2 IS NULL AND action = 'licensed_text.imported'))
                   AND ($2 IS NULL OR target = $2)
                 ORDER BY at, id",
            )
            .bind(org_id)
            .bind(target)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|r| {
                let detail = serde_json::from_str(&r.detail)
                    .map_err(|e| crate::error::invalid("audit detail", &r.detail, e))?;
                Ok(AuditEntry {
                    id: r.id,
                    org_id: r.org_id,
                    at: r.at,
                    actor: r.actor,
                    action: r.action,
                    target: r.target,
                    detail,
                })
            })
            .collect()
    }
}
