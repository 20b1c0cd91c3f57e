//! Check packs an org adds beside the built-in one, kept whole (see migration 0010).

use chrono::{DateTime, SubsecRound, Utc};

use crate::error::StoreError;
use crate::{Store, with_pool};

/// One of an org's own check packs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct StoredPack {
    #[serde(skip)]
    pub org_id: String,
    /// The name schedules and runs use.
    pub name: String,
    /// JSON `[{"path", "source"}]`: the pack's `.rego` files.
    #[serde(skip)]
    pub files: String,
    /// The SHA-256 of the files, as runs record it.
    pub sha256: String,
    /// How many checks it holds.
    pub checks: i64,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

impl Store {
    /// Adds a pack, or replaces the org's pack of that name, with an audit entry.
    pub async fn save_monitor_pack(
        &self,
        pack: &StoredPack,
        audit: &crate::models::NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO monitor_packs (org_id, name, files, sha256, checks, added_at, added_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (org_id, name) DO UPDATE SET files = excluded.files,
                   sha256 = excluded.sha256, checks = excluded.checks,
                   added_at = excluded.added_at, added_by = excluded.added_by",
            )
            .bind(&pack.org_id)
            .bind(&pack.name)
            .bind(&pack.files)
            .bind(&pack.sha256)
            .bind(pack.checks)
            .bind(pack.added_at.trunc_subsecs(6))
            .bind(&pack.added_by)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(pack.org_id.as_str()), audit, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// An org's packs, by name.
    pub async fn monitor_packs(&self, org_id: &str) -> Result<Vec<StoredPack>, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT org_id, name, files, sha256, checks, added_at, added_by
                 FROM monitor_packs WHERE org_id = $1 ORDER BY name",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })
        .map_err(Into::into)
    }

    /// Removes a pack and the schedules that run it, with an audit entry; `NotFound` when the
    /// org has no pack of that name. Its past runs and results stay.
    pub async fn remove_monitor_pack(
        &self,
        org_id: &str,
        name: &str,
        audit: &crate::models::NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let gone = sqlx::query("DELETE FROM monitor_packs WHERE org_id = $1 AND name = $2")
                .bind(org_id)
                .bind(name)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "DELETE FROM monitor_schedules WHERE org_id = $1 AND target = 'pack' AND pack = $2",
            )
            .bind(org_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(org_id), audit, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}
