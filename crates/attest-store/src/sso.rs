//! Links between identities at an OpenID Connect provider (issuer and subject) and accounts.

use chrono::Utc;

use crate::error::StoreError;
use crate::models::{NewAuditEntry, User};
use crate::users::{UserRow, user_columns};
use crate::{Store, with_pool};

impl Store {
    /// The account linked to an identity at a provider, if any, marking the link used.
    pub async fn sso_user(&self, issuer: &str, subject: &str) -> Result<Option<User>, StoreError> {
        let now = Utc::now();
        let row: Option<UserRow> = with_pool!(self, |pool| {
            let row = sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM sso_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = $1 AND i.subject = $2"
            ))
            .bind(issuer)
            .bind(subject)
            .fetch_optional(pool)
            .await?;
            if row.is_some() {
                sqlx::query(
                    "UPDATE sso_identities SET last_used_at = $3 WHERE issuer = $1 AND subject = $2",
                )
                .bind(issuer)
                .bind(subject)
                .bind(now)
                .execute(pool)
                .await?;
            }
            Ok::<_, sqlx::Error>(row)
        })?;
        row.map(User::try_from).transpose()
    }

    /// Links an identity at a provider to an account, with its audit entry. A second link of
    /// the same identity is a conflict.
    pub async fn link_sso_identity(
        &self,
        issuer: &str,
        subject: &str,
        user: &User,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO sso_identities (issuer, subject, user_id, linked_email, created_at, last_used_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(issuer)
            .bind(subject)
            .bind(&user.id)
            .bind(user.email.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict("a link for that identity".into())
                }
                other => other,
            })?;
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }
}

impl Store {
    /// Whether the account is linked to some identity at this provider already.
    pub async fn has_sso_identity(&self, user_id: &str, issuer: &str) -> Result<bool, StoreError> {
        let n: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM sso_identities WHERE user_id = $1 AND issuer = $2",
            )
            .bind(user_id)
            .bind(issuer)
            .fetch_one(pool)
            .await
        })?;
        Ok(n > 0)
    }

    /// Removes every provider identity linked to the account, with its audit entry; returns
    /// how many there were.
    pub async fn unlink_sso_identities(
        &self,
        user_id: &str,
        entry: &NewAuditEntry,
    ) -> Result<u64, StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query("DELETE FROM sso_identities WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok(removed)
        })
    }
}
