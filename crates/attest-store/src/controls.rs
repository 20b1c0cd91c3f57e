//! An org's controls, their criteria mappings, and changes to them with their audit entries.

use attest_core::{ControlId, CriterionId, Email};
use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{StoreError, invalid};
use crate::models::{Control, ControlSource, ControlState, NewAuditEntry, NewControl};
use crate::{Store, with_pool};

/// Inserts a control and its mappings inside an open transaction `$tx`.
macro_rules! insert {
    ($tx:expr, $org_id:expr, $c:expr, $actor:expr, $now:expr) => {
        async {
            sqlx::query(
                "INSERT INTO controls (org_id, control_id, source, domain, title, statement, kind, nature, frequency,
                    owner_role, owner_email, status, justification, notes, created_at, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)",
            )
            .bind($org_id)
            .bind($c.id.as_str())
            .bind($c.source.as_str())
            .bind(&$c.domain)
            .bind(&$c.title)
            .bind(&$c.statement)
            .bind($c.kind.as_str())
            .bind($c.nature.as_str())
            .bind($c.frequency.as_str())
            .bind($c.owner_role.map(|r| r.as_str()))
            .bind($c.owner.as_ref().map(|e: &attest_core::Email| e.as_str()))
            .bind($c.status.as_str())
            .bind(&$c.justification)
            .bind(&$c.notes)
            .bind($now)
            .bind($actor)
            .execute(&mut **$tx)
            .await
            .map_err(|e| match $crate::StoreError::from(e) {
                $crate::StoreError::Conflict(_) => $crate::StoreError::Conflict(format!("control {}", $c.id)),
                other => other,
            })?;
            for criterion in &$c.criteria {
                sqlx::query("INSERT INTO control_criteria (org_id, control_id, criterion_id) VALUES ($1, $2, $3)")
                    .bind($org_id)
                    .bind($c.id.as_str())
                    .bind(criterion.as_str())
                    .execute(&mut **$tx)
                    .await?;
            }
            Ok::<(), $crate::StoreError>(())
        }
        .await
    };
}
pub(crate) use insert;

/// After an update guarded by `updated_at` touched no row: was the control changed by someone
/// else since it was read (a conflict), or does it not exist?
macro_rules! changed_or_missing {
    ($exec:expr, $org_id:expr, $id:expr) => {{
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM controls WHERE org_id = $1 AND control_id = $2",
        )
        .bind($org_id)
        .bind($id.as_str())
        .fetch_one($exec)
        .await?;
        if exists == 0 {
            StoreError::NotFound
        } else {
            StoreError::Changed(format!("control {}", $id))
        }
    }};
}

#[derive(sqlx::FromRow)]
struct ControlRow {
    control_id: String,
    source: String,
    domain: String,
    title: String,
    statement: String,
    kind: String,
    nature: String,
    frequency: String,
    owner_role: Option<String>,
    owner_email: Option<String>,
    status: String,
    justification: Option<String>,
    notes: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    updated_by: String,
    evidence_through: Option<NaiveDate>,
}

/// A control with its criteria joined into one comma-separated column.
#[derive(sqlx::FromRow)]
struct ListedControlRow {
    #[sqlx(flatten)]
    row: ControlRow,
    criteria_list: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MappingRow {
    criterion_id: String,
}

macro_rules! control_columns {
    () => {
        "control_id, source, domain, title, statement, kind, nature, frequency, owner_role, owner_email,
         status, justification, notes, created_at, updated_at, updated_by,
         (SELECT MAX(e.period_end) FROM evidence_controls ec JOIN evidence e ON e.id = ec.evidence_id
          WHERE ec.org_id = controls.org_id AND ec.control_id = controls.control_id
            AND e.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM evidence n WHERE n.revises = e.id AND n.deleted_at IS NULL))
         AS evidence_through"
    };
}

macro_rules! select_control {
    () => {
        concat!(
            "SELECT ",
            control_columns!(),
            " FROM controls WHERE org_id = $1"
        )
    };
}

fn parse<T: std::str::FromStr>(what: &str, raw: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    raw.parse().map_err(|e| invalid(what, raw, e))
}

impl ControlRow {
    fn into_control(self, criteria: Vec<CriterionId>) -> Result<Control, StoreError> {
        Ok(Control {
            id: parse("control id", &self.control_id)?,
            source: match self.source.as_str() {
                "library" => ControlSource::Library,
                "custom" => ControlSource::Custom,
                other => return Err(invalid("control source", other, "unknown")),
            },
            domain: self.domain,
            title: self.title,
            statement: self.statement,
            kind: parse("control kind", &self.kind)?,
            nature: parse("control nature", &self.nature)?,
            frequency: parse("frequency", &self.frequency)?,
            owner_role: self
                .owner_role
                .as_deref()
                .map(|r| parse("owner role", r))
                .transpose()?,
            owner: self
                .owner_email
                .as_deref()
                .map(|e| parse::<Email>("owner email", e))
                .transpose()?,
            status: parse("status", &self.status)?,
            justification: self.justification,
            notes: self.notes,
            criteria,
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
            evidence_through: self.evidence_through,
        })
    }
}

impl Store {
    /// All of an org's controls, sorted by ID, each with its criteria. One query: every list
    /// page asks it, and SQLite hands each row to the async side through a channel, so rows
    /// are costly (a mapping per row made the control list four times slower).
    pub async fn list_controls(&self, org_id: &str) -> Result<Vec<Control>, StoreError> {
        let aggregate = match self.pool {
            crate::Pool::Sqlite(_) => "group_concat(cc.criterion_id, ',')",
            crate::Pool::Postgres(_) => "string_agg(cc.criterion_id, ',')",
        };
        let sql = format!(
            "SELECT {}, (SELECT {aggregate} FROM control_criteria cc
                WHERE cc.org_id = controls.org_id AND cc.control_id = controls.control_id) AS criteria_list
             FROM controls WHERE org_id = $1",
            control_columns!()
        );
        let rows: Vec<ListedControlRow> = with_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(org_id)
                .fetch_all(pool)
                .await
        })?;
        let mut controls = rows
            .into_iter()
            .map(|listed| {
                let mut criteria = listed
                    .criteria_list
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(|c| parse::<CriterionId>("criterion id", c))
                    .collect::<Result<Vec<_>, _>>()?;
                criteria.sort_by_key(CriterionId::sort_key);
                listed.row.into_control(criteria)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Sorted here, not in SQL: PostgreSQL's collation and SQLite's byte order disagree.
        controls.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(controls)
    }

    /// A number that changes whenever the org's controls or their mappings change (database
    /// triggers keep it), so a reader can tell whether a list it holds is still current.
    pub async fn controls_revision(&self, org_id: &str) -> Result<i64, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT controls_revision FROM orgs WHERE id = $1")
                .bind(org_id)
                .fetch_one(pool)
                .await
        })
        .map_err(Into::into)
    }

    pub async fn get_control(&self, org_id: &str, id: &ControlId) -> Result<Control, StoreError> {
        let (row, mappings): (ControlRow, Vec<MappingRow>) = with_pool!(self, |pool| {
            let row = sqlx::query_as(concat!(select_control!(), " AND control_id = $2"))
                .bind(org_id)
                .bind(id.as_str())
                .fetch_one(pool)
                .await?;
            let mappings = sqlx::query_as(
                "SELECT criterion_id FROM control_criteria WHERE org_id = $1 AND control_id = $2",
            )
            .bind(org_id)
            .bind(id.as_str())
            .fetch_all(pool)
            .await?;
            Ok::<_, StoreError>((row, mappings))
        })?;
        let mut criteria = mappings
            .iter()
            .map(|m| parse::<CriterionId>("criterion id", &m.criterion_id))
            .collect::<Result<Vec<_>, _>>()?;
        criteria.sort_by_key(CriterionId::sort_key);
        row.into_control(criteria)
    }

    /// Adds a control (a custom one, usually) with its audit entry.
    pub async fn add_control(
        &self,
        org_id: &str,
        control: &NewControl,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert!(&mut tx, org_id, control, &entry.actor, now)?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Writes a control's new state and the audit entry describing the change, atomically.
    pub async fn update_control_state(
        &self,
        org_id: &str,
        id: &ControlId,
        state: &ControlState,
        read_at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE controls SET status = $3, justification = $4, owner_email = $5, notes = $6,
                    updated_at = $7, updated_by = $8
                 WHERE org_id = $1 AND control_id = $2 AND updated_at = $9",
            )
            .bind(org_id)
            .bind(id.as_str())
            .bind(state.status.as_str())
            .bind(&state.justification)
            .bind(state.owner.as_ref().map(Email::as_str))
            .bind(&state.notes)
            .bind(now)
            .bind(&entry.actor)
            .bind(read_at)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(changed_or_missing!(&mut *tx, org_id, id));
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Replaces a control's criteria mappings and records the change, atomically.
    pub async fn set_control_criteria(
        &self,
        org_id: &str,
        id: &ControlId,
        criteria: &[CriterionId],
        read_at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE controls SET updated_at = $3, updated_by = $4
                 WHERE org_id = $1 AND control_id = $2 AND updated_at = $5",
            )
            .bind(org_id)
            .bind(id.as_str())
            .bind(now)
            .bind(&entry.actor)
            .bind(read_at)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(changed_or_missing!(&mut *tx, org_id, id));
            }
            sqlx::query("DELETE FROM control_criteria WHERE org_id = $1 AND control_id = $2")
                .bind(org_id)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?;
            for criterion in criteria {
                sqlx::query("INSERT INTO control_criteria (org_id, control_id, criterion_id) VALUES ($1, $2, $3)")
                    .bind(org_id)
                    .bind(id.as_str())
                    .bind(criterion.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }
}
