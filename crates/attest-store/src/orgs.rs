//! Orgs: created together with their controls, in one transaction.

use attest_core::{OrgSlug, Scope};
use chrono::{DateTime, SubsecRound, Utc};

use crate::error::{StoreError, invalid};
use crate::models::{NewAuditEntry, NewControl, NewOrg, Org};
use crate::people::{NewPerson, RosterChange};
use crate::{Store, new_id, with_pool};

#[derive(sqlx::FromRow)]
pub(crate) struct OrgRow {
    pub(crate) id: String,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) scope: String,
    pub(crate) require_mfa: bool,
    pub(crate) created_at: DateTime<Utc>,
}

impl TryFrom<OrgRow> for Org {
    type Error = StoreError;
    fn try_from(row: OrgRow) -> Result<Org, StoreError> {
        Ok(Org {
            slug: OrgSlug::parse(&row.slug).map_err(|e| invalid("org slug", &row.slug, e))?,
            scope: Scope::parse(&row.scope).map_err(|e| invalid("org scope", &row.scope, e))?,
            id: row.id,
            name: row.name,
            require_mfa: row.require_mfa,
            created_at: row.created_at,
        })
    }
}

macro_rules! select_org {
    () => {
        "SELECT id, slug, name, scope, require_mfa, created_at FROM orgs"
    };
}

impl Store {
    /// Creates an org with its initial controls and the audit entries saying so. All or nothing.
    /// The workspace row is created in the same transaction when it does not exist yet, so a
    /// failed first `init` leaves nothing behind.
    pub async fn create_org(
        &self,
        org: &NewOrg,
        controls: &[NewControl],
        people: &[NewPerson],
        actor: &str,
    ) -> Result<Org, StoreError> {
        let id = new_id();
        let now = Utc::now().trunc_subsecs(6);
        let entry = NewAuditEntry {
            actor: actor.to_string(),
            action: "org.created".into(),
            target: Some(format!("org:{}", org.slug)),
            detail: serde_json::json!({ "name": org.name, "scope": org.scope.to_string(), "controls": controls.len() }),
        };
        let people_entry = NewAuditEntry {
            actor: actor.to_string(),
            action: "people.imported".into(),
            target: Some("people".into()),
            detail: serde_json::json!({ "count": people.len() }),
        };
        with_pool!(self, |pool| {
            // A ledger transaction: the roster's people are ledgered with the org.
            let mut tx = crate::ledger::begin_ledger_tx!(self, pool);
            sqlx::query(
                "INSERT INTO workspace (id, created_at, created_by)
                 SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM workspace)",
            )
            .bind(new_id())
            .bind(now)
            .bind(actor)
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO orgs (id, slug, name, scope, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&id)
                .bind(org.slug.as_str())
                .bind(&org.name)
                .bind(org.scope.to_string())
                .bind(now)
                .bind(actor)
                .execute(&mut *tx)
                .await
                .map_err(|e| match StoreError::from(e) {
                    StoreError::Conflict(_) => StoreError::Conflict(format!("an org with slug `{}`", org.slug)),
                    other => other,
                })?;
            crate::audit::insert!(&mut *tx, Some(&id), &entry, now)?;
            for control in controls {
                crate::controls::insert!(&mut tx, &id, control, actor, now)?;
            }
            if !people.is_empty() {
                let mut entries = Vec::with_capacity(people.len());
                for p in people {
                    let change = RosterChange::Add(p.clone());
                    let person_id = crate::people::write_person!(tx, &id, &change, now, actor)?;
                    entries.push(crate::people::person_entry(&id, &person_id, p, true));
                }
                crate::ledger::append_entries!(tx, &entries)?;
                crate::audit::insert!(&mut *tx, Some(&id), &people_entry, now)?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(Org {
            id,
            slug: org.slug.clone(),
            name: org.name.clone(),
            scope: org.scope.clone(),
            require_mfa: false,
            created_at: now,
        })
    }

    /// Changes an org's scope and records it, atomically.
    pub async fn set_org_scope(
        &self,
        org_id: &str,
        scope: &Scope,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query("UPDATE orgs SET scope = $2 WHERE id = $1")
                .bind(org_id)
                .bind(scope.to_string())
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn list_orgs(&self) -> Result<Vec<Org>, StoreError> {
        let rows: Vec<OrgRow> = with_pool!(self, |pool| {
            sqlx::query_as(select_org!()).fetch_all(pool).await
        })?;
        let mut orgs = rows
            .into_iter()
            .map(Org::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        orgs.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(orgs)
    }

    pub async fn org_by_slug(&self, slug: &OrgSlug) -> Result<Org, StoreError> {
        let row: OrgRow = with_pool!(self, |pool| {
            sqlx::query_as(concat!(select_org!(), " WHERE slug = $1"))
                .bind(slug.as_str())
                .fetch_one(pool)
                .await
        })?;
        row.try_into()
    }

    pub async fn org_by_id(&self, id: &str) -> Result<Org, StoreError> {
        let row: OrgRow = with_pool!(self, |pool| {
            sqlx::query_as(concat!(select_org!(), " WHERE id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
        })?;
        row.try_into()
    }

    /// Changes an org's display name and whether it requires MFA, and records it.
    pub async fn update_org_settings(
        &self,
        org_id: &str,
        name: &str,
        require_mfa: bool,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query("UPDATE orgs SET name = $2, require_mfa = $3 WHERE id = $1")
                .bind(org_id)
                .bind(name)
                .bind(require_mfa)
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }
}

impl Store {
    /// One section of an org's settings (JSON), if it has saved any.
    pub async fn org_setting(
        &self,
        org_id: &str,
        section: &str,
    ) -> Result<Option<String>, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT body FROM org_settings WHERE org_id = $1 AND section = $2")
                .bind(org_id)
                .bind(section)
                .fetch_optional(pool)
                .await
        })
        .map_err(Into::into)
    }

    /// Saves one section of an org's settings, with an audit entry.
    pub async fn save_org_setting(
        &self,
        org_id: &str,
        section: &str,
        body: &str,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO org_settings (org_id, section, body, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (org_id, section) DO UPDATE SET body = excluded.body,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(org_id)
            .bind(section)
            .bind(body)
            .bind(now)
            .bind(&audit.actor)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(org_id), audit, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}
