//! The people of an org (a roster; the people issue adds employment dates and checklists).

use attest_core::Email;

use crate::error::{StoreError, invalid};
use crate::models::{NewAuditEntry, NewPerson, Person};
use crate::{Store, with_pool};

/// Inserts people inside an open transaction `$tx`; an email already on the roster fails.
macro_rules! insert {
    ($tx:expr, $org_id:expr, $people:expr, $now:expr) => {
        async {
            for p in $people {
                sqlx::query(
                    "INSERT INTO people (id, org_id, email, name, title, department, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind($crate::new_id())
                .bind($org_id)
                .bind(p.email.as_str())
                .bind(&p.name)
                .bind(&p.title)
                .bind(&p.department)
                .bind($now)
                .execute(&mut **$tx)
                .await
                .map_err(|e| match $crate::StoreError::from(e) {
                    $crate::StoreError::Conflict(_) => {
                        $crate::StoreError::Conflict(format!("a person with email {}", p.email))
                    }
                    other => other,
                })?;
            }
            Ok::<(), $crate::StoreError>(())
        }
        .await
    };
}
pub(crate) use insert;

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    email: String,
    name: String,
    title: String,
    department: String,
}

impl Store {
    /// Adds people in one transaction with one audit entry; an email already on the roster
    /// fails the whole batch.
    pub async fn add_people(
        &self,
        org_id: &str,
        people: &[NewPerson],
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = chrono::Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert!(&mut tx, org_id, people, now)?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn list_people(&self, org_id: &str) -> Result<Vec<Person>, StoreError> {
        let rows: Vec<PersonRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, name, title, department FROM people WHERE org_id = $1",
            )
            .bind(org_id)
            .fetch_all(pool)
            .await
        })?;
        let mut people = rows
            .into_iter()
            .map(|r| {
                Ok(Person {
                    email: Email::parse(&r.email).map_err(|e| invalid("email", &r.email, e))?,
                    id: r.id,
                    name: r.name,
                    title: r.title,
                    department: r.department,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Sorted here, not in SQL: PostgreSQL's collation and SQLite's byte order disagree.
        people.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(people)
    }
}
