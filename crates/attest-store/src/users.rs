//! Accounts, their credentials, and their memberships in orgs.

use attest_core::{Email, Role};
use chrono::{DateTime, Utc};

use crate::error::{StoreError, invalid};
use crate::models::{Credentials, Member, Membership, NewAuditEntry, NewUser, Org, User};
use crate::orgs::OrgRow;
use crate::{Store, new_id, with_pool};

/// Adds a membership inside an open transaction `$tx`.
macro_rules! insert_membership {
    ($tx:expr, $org_id:expr, $user_id:expr, $role:expr, $actor:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO memberships (org_id, user_id, role, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($org_id)
        .bind($user_id)
        .bind($role.as_str())
        .bind($now)
        .bind($actor)
        .execute(&mut *$tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict("that membership".into()),
            other => other,
        })
    };
}

/// Sets a password hash, clears failures and lockout, and ends every session of the user,
/// inside an open transaction `$tx`.
macro_rules! set_password_tx {
    ($tx:expr, $user_id:expr, $hash:expr) => {
        async {
            let updated = sqlx::query(
                "UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1",
            )
            .bind($user_id)
            .bind($hash)
            .execute(&mut *$tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind($user_id)
                .execute(&mut *$tx)
                .await?;
            Ok::<(), StoreError>(())
        }
        .await
    };
}
pub(crate) use set_password_tx;

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) mfa_enabled: bool,
    pub(crate) disabled: bool,
    pub(crate) created_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User, StoreError> {
        Ok(User {
            email: Email::parse(&r.email).map_err(|e| invalid("user email", &r.email, e))?,
            id: r.id,
            name: r.name,
            mfa_enabled: r.mfa_enabled,
            disabled: r.disabled,
            created_at: r.created_at,
        })
    }
}

/// The user columns, aliased as `UserRow` expects, from a table aliased `u`.
macro_rules! user_columns {
    () => {
        "u.id, u.email, u.name, (u.totp_enabled_at IS NOT NULL) AS mfa_enabled, (u.disabled_at IS NOT NULL) AS disabled, u.created_at"
    };
}
pub(crate) use user_columns;

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    password_hash: Option<String>,
    totp_secret: Option<String>,
    totp_enabled: bool,
    failed_logins: i64,
    locked_until: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    #[sqlx(flatten)]
    user: UserRow,
    role: String,
    since: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    #[sqlx(flatten)]
    org: OrgRow,
    role: String,
}

pub(crate) fn parse_role(raw: &str) -> Result<Role, StoreError> {
    raw.parse().map_err(|e: String| invalid("role", raw, e))
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;
    fn try_from(r: MembershipRow) -> Result<Membership, StoreError> {
        Ok(Membership {
            role: parse_role(&r.role)?,
            org: Org::try_from(r.org)?,
        })
    }
}

impl Store {
    /// How many accounts exist; zero means the first-run setup is still open.
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM users"
        )
        .fetch_one(pool)
        .await)
        .map_err(Into::into)
    }

    /// Creates an account, and when `membership` is given makes it a member of that org, in one
    /// transaction with the audit entry.
    pub async fn create_user(
        &self,
        user: &NewUser,
        membership: Option<(&str, Role)>,
        entry: &NewAuditEntry,
    ) -> Result<User, StoreError> {
        let id = new_id();
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(user.email.as_str())
            .bind(&user.name)
            .bind(&user.password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("an account for {}", user.email))
                }
                other => other,
            })?;
            let org_id = membership.map(|(org, _)| org);
            if let Some((org_id, role)) = membership {
                insert_membership!(tx, org_id, &id, role, &entry.actor, now)?;
            }
            crate::audit::insert!(&mut *tx, org_id, entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(User {
            id,
            email: user.email.clone(),
            name: user.name.clone(),
            mfa_enabled: false,
            disabled: false,
            created_at: now,
        })
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<User, StoreError> {
        let row: UserRow = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users u WHERE u.email = $1"
            ))
            .bind(email.as_str())
            .fetch_one(pool)
            .await
        })?;
        row.try_into()
    }

    pub async fn user_by_id(&self, id: &str) -> Result<User, StoreError> {
        let row: UserRow = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users u WHERE u.id = $1"
            ))
            .bind(id)
            .fetch_one(pool)
            .await
        })?;
        row.try_into()
    }

    pub async fn credentials(&self, user_id: &str) -> Result<Credentials, StoreError> {
        let r: CredentialsRow = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT password_hash, totp_secret, (totp_enabled_at IS NOT NULL) AS totp_enabled,
                        failed_logins, locked_until
                 FROM users WHERE id = $1",
            )
            .bind(user_id)
            .fetch_one(pool)
            .await
        })?;
        Ok(Credentials {
            password_hash: r.password_hash,
            totp_secret: r.totp_secret,
            totp_enabled: r.totp_enabled,
            failed_sign_ins: r.failed_logins,
            locked_until: r.locked_until,
        })
    }

    /// Records the count of failed sign-ins in a row, and the lockout they led to if any.
    pub async fn set_sign_in_failures(
        &self,
        user_id: &str,
        failures: i64,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1")
                .bind(user_id)
                .bind(failures)
                .bind(locked_until)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Sets a new password hash, clears failures and lockout, and ends every session of the
    /// user (someone else may hold one). Records it.
    pub async fn set_password(
        &self,
        user_id: &str,
        password_hash: &str,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            set_password_tx!(tx, user_id, password_hash)?;
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Stores a freshly generated TOTP secret, not yet confirmed.
    pub async fn set_pending_totp(&self, user_id: &str, secret: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE users SET totp_secret = $2 WHERE id = $1 AND totp_enabled_at IS NULL",
            )
            .bind(user_id)
            .bind(secret)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Turns on the pending TOTP secret and replaces the recovery codes, atomically.
    pub async fn enable_totp(
        &self,
        user_id: &str,
        recovery_code_hashes: &[String],
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE users SET totp_enabled_at = $2 WHERE id = $1 AND totp_secret IS NOT NULL AND totp_enabled_at IS NULL",
            )
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::Changed("the MFA enrollment".into()));
            }
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            for hash in recovery_code_hashes {
                sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                    .bind(user_id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
            }
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Spends a recovery code; false when it does not exist or was already used.
    pub async fn use_recovery_code(
        &self,
        user_id: &str,
        code_hash: &str,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let done = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            )
            .bind(user_id)
            .bind(code_hash)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// How many unused recovery codes a user has left.
    pub async fn recovery_codes_left(&self, user_id: &str) -> Result<i64, StoreError> {
        with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL"
        )
        .bind(user_id)
        .fetch_one(pool)
        .await)
        .map_err(Into::into)
    }

    /// Every org a user belongs to, with their role there, by org slug.
    pub async fn memberships(&self, user_id: &str) -> Result<Vec<Membership>, StoreError> {
        let rows: Vec<MembershipRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT o.id, o.slug, o.name, o.scope, o.require_mfa, o.created_at, m.role
                 FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = $1",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await
        })?;
        let mut all = rows
            .into_iter()
            .map(Membership::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        all.sort_by(|a, b| a.org.slug.cmp(&b.org.slug));
        Ok(all)
    }

    /// An org's members, by email.
    pub async fn members(&self, org_id: &str) -> Result<Vec<Member>, StoreError> {
        let rows: Vec<MemberRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                ", m.role, m.created_at AS since FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1"
            ))
            .bind(org_id)
            .fetch_all(pool)
            .await
        })?;
        let mut all = rows
            .into_iter()
            .map(|r| {
                Ok(Member {
                    role: parse_role(&r.role)?,
                    since: r.since,
                    user: User::try_from(r.user)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        all.sort_by(|a, b| a.user.email.cmp(&b.user.email));
        Ok(all)
    }

    /// Adds an existing account to an org.
    pub async fn add_member(
        &self,
        org_id: &str,
        user_id: &str,
        role: Role,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_membership!(tx, org_id, user_id, role, &entry.actor, now)?;
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Changes a member's role, or removes them from the org with `None`. Refuses to leave the
    /// org without an owner.
    pub async fn set_member_role(
        &self,
        org_id: &str,
        user_id: &str,
        role: Option<Role>,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let changed = match role {
                Some(role) => {
                    sqlx::query(
                        "UPDATE memberships SET role = $3 WHERE org_id = $1 AND user_id = $2",
                    )
                    .bind(org_id)
                    .bind(user_id)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?
                }
                None => {
                    sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
                        .bind(org_id)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?
                }
            };
            if changed.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let owners: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'owner'",
            )
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?;
            if owners == 0 {
                return Err(StoreError::Invalid(
                    "the org would be left without an owner".into(),
                ));
            }
            crate::audit::insert!(&mut *tx, Some(org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }
}

impl Store {
    /// Turns the second factor off: the TOTP seed, its last step and the recovery codes go,
    /// and every session of the account ends. With its audit entry.
    pub async fn reset_second_factor(
        &self,
        user_id: &str,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1",
            )
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// How many accounts hold a sealed TOTP seed (enrolled or enrolling).
    pub async fn count_sealed_secrets(&self) -> Result<i64, StoreError> {
        with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL)
                  + (SELECT COUNT(*) FROM monitor_settings WHERE webhook_sealed IS NOT NULL)"
        )
        .fetch_one(pool)
        .await)
        .map_err(Into::into)
    }
}

impl Store {
    /// Records the TOTP time step a code was accepted for; false when that step (or a later
    /// one) was already used, so a code cannot be replayed.
    pub async fn record_totp_step(&self, user_id: &str, step: i64) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
            )
            .bind(user_id)
            .bind(step)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }
}
