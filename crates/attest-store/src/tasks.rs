//! Remediation tasks and the comments on tasks and controls.

use attest_core::TaskStatus;
use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{StoreError, invalid};
use crate::models::{Comment, NewAuditEntry, Task, TaskFields};
use crate::{Store, new_id, with_pool};

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: String,
    title: String,
    detail: String,
    control_id: Option<String>,
    criterion_id: Option<String>,
    owner_email: Option<String>,
    due_on: Option<String>,
    status: String,
    created_at: DateTime<Utc>,
    created_by: String,
    updated_at: DateTime<Utc>,
    updated_by: String,
}

fn parse_opt<T: std::str::FromStr>(what: &str, raw: Option<String>) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Display,
{
    raw.map(|r| r.parse().map_err(|e| invalid(what, &r, e)))
        .transpose()
}

impl TryFrom<TaskRow> for Task {
    type Error = StoreError;
    fn try_from(r: TaskRow) -> Result<Task, StoreError> {
        Ok(Task {
            control: parse_opt("control id", r.control_id)?,
            criterion: parse_opt("criterion id", r.criterion_id)?,
            owner: parse_opt("owner email", r.owner_email)?,
            due_on: parse_opt::<NaiveDate>("due date", r.due_on)?,
            status: r
                .status
                .parse::<TaskStatus>()
                .map_err(|e| invalid("task status", &r.status, e))?,
            id: r.id,
            title: r.title,
            detail: r.detail,
            created_at: r.created_at,
            created_by: r.created_by,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
        })
    }
}

macro_rules! select_task {
    () => {
        "SELECT id, title, detail, control_id, criterion_id, owner_email, due_on, status,
                created_at, created_by, updated_at, updated_by
         FROM tasks WHERE org_id = $1"
    };
}

impl Store {
    pub async fn create_task(
        &self,
        org_id: &str,
        fields: &TaskFields,
        entry: &NewAuditEntry,
    ) -> Result<Task, StoreError> {
        let id = new_id();
        let now = Utc::now();
        let mut entry = entry.clone();
        entry.target = Some(format!("task:{id}"));
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO tasks (id, org_id, title, detail, control_id, criterion_id, owner_email, due_on, status,
                    created_at, created_by, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11)",
            )
            .bind(&id)
            .bind(org_id)
            .bind(&fields.title)
            .bind(&fields.detail)
            .bind(fields.control.as_ref().map(|c| c.as_str()))
            .bind(fields.criterion.as_ref().map(|c| c.as_str()))
            .bind(fields.owner.as_ref().map(|e| e.as_str()))
            .bind(fields.due_on.map(|d| d.to_string()))
            .bind(fields.status.as_str())
            .bind(now)
            .bind(&entry.actor)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(org_id), &entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(Task {
            id,
            title: fields.title.clone(),
            detail: fields.detail.clone(),
            control: fields.control.clone(),
            criterion: fields.criterion.clone(),
            owner: fields.owner.clone(),
            due_on: fields.due_on,
            status: fields.status,
            created_at: now,
            created_by: entry.actor.clone(),
            updated_at: now,
            updated_by: entry.actor.clone(),
        })
    }

    /// An org's tasks, oldest first.
    pub async fn tasks(&self, org_id: &str) -> Result<Vec<Task>, StoreError> {
        let rows: Vec<TaskRow> = with_pool!(self, |pool| {
            sqlx::query_as(select_task!())
                .bind(org_id)
                .fetch_all(pool)
                .await
        })?;
        let mut all = rows
            .into_iter()
            .map(Task::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all)
    }

    pub async fn task(&self, org_id: &str, id: &str) -> Result<Task, StoreError> {
        let row: TaskRow = with_pool!(self, |pool| {
            sqlx::query_as(concat!(select_task!(), " AND id = $2"))
                .bind(org_id)
                .bind(id)
                .fetch_one(pool)
                .await
        })?;
        row.try_into()
    }

    /// Writes a task's fields whole, unless it changed since `read_at` (then `Changed`).
    pub async fn update_task(
        &self,
        org_id: &str,
        id: &str,
        fields: &TaskFields,
        read_at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE tasks SET title = $4, detail = $5, control_id = $6, criterion_id = $7, owner_email = $8,
                    due_on = $9, status = $10, updated_at = $11, updated_by = $12
                 WHERE org_id = $1 AND id = $2 AND updated_at = $3",
            )
            .bind(org_id)
            .bind(id)
            .bind(read_at)
            .bind(&fields.title)
            .bind(&fields.detail)
            .bind(fields.control.as_ref().map(|c| c.as_str()))
            .bind(fields.criterion.as_ref().map(|c| c.as_str()))
            .bind(fields.owner.as_ref().map(|e| e.as_str()))
            .bind(fields.due_on.map(|d| d.to_string()))
            .bind(fields.status.as_str())
            .bind(now)
            .bind(&entry.actor)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                let exists: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE org_id = $1 AND id = $2")
                        .bind(org_id)
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                return Err(if exists == 0 {
                    StoreError::NotFound
                } else {
                    StoreError::Changed("the task".into())
                });
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Adds a comment on `target` (`task:ID` or `control:ID`) and records it.
    pub async fn add_comment(
        &self,
        org_id: &str,
        target: &str,
        body: &str,
        entry: &NewAuditEntry,
    ) -> Result<Comment, StoreError> {
        let id = new_id();
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO comments (id, org_id, target, author, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(org_id)
            .bind(target)
            .bind(&entry.actor)
            .bind(body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(Comment {
            id,
            author: entry.actor.clone(),
            body: body.to_string(),
            created_at: now,
        })
    }

    /// The comments on `target`, oldest first.
    pub async fn comments(&self, org_id: &str, target: &str) -> Result<Vec<Comment>, StoreError> {
        let rows: Vec<(String, String, String, DateTime<Utc>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, author, body, created_at FROM comments WHERE org_id = $1 AND target = $2",
            )
            .bind(org_id)
            .bind(target)
            .fetch_all(pool)
            .await
        })?;
        let mut all: Vec<Comment> = rows
            .into_iter()
            .map(|(id, author, body, created_at)| Comment {
                id,
                author,
                body,
                created_at,
            })
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all)
    }
}
