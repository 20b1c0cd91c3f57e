//! Server-side sessions, one-time links (invitations and password resets), and API tokens.
//! Only hashes of the secrets are stored.

use attest_core::TokenScope;
use chrono::{DateTime, Utc};

use crate::error::{StoreError, invalid};
use crate::models::{
    ApiToken, LinkPurpose, Membership, NewApiToken, NewAuditEntry, NewSession, SessionRecord, User,
};
use crate::orgs::OrgRow;
use crate::users::{UserRow, parse_role, set_password_tx, user_columns};
use crate::{Store, new_id, with_pool};

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    id_hash: String,
    csrf_token: String,
    mfa_passed: bool,
    s_created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// The membership columns of an optional join (`mo` for orgs, `m` for memberships), all
/// nullable, so one query returns the caller and their role in the org the request names.
#[derive(sqlx::FromRow)]
struct MaybeMembershipRow {
    m_role: Option<String>,
    mo_id: Option<String>,
    mo_slug: Option<String>,
    mo_name: Option<String>,
    mo_scope: Option<String>,
    mo_require_mfa: Option<bool>,
    mo_created_at: Option<DateTime<Utc>>,
}

macro_rules! membership_join {
    ($principal_user:literal) => {
        concat!(
            " LEFT JOIN orgs mo ON mo.slug = $2 LEFT JOIN memberships m ON m.org_id = mo.id AND m.user_id = ",
            $principal_user
        )
    };
}

macro_rules! membership_columns {
    () => {
        "m.role AS m_role, mo.id AS mo_id, mo.slug AS mo_slug, mo.name AS mo_name, mo.scope AS mo_scope, mo.require_mfa AS mo_require_mfa, mo.created_at AS mo_created_at"
    };
}

impl MaybeMembershipRow {
    fn into_membership(self) -> Result<Option<Membership>, StoreError> {
        let (Some(role), Some(id), Some(slug), Some(name), Some(scope), Some(mfa), Some(at)) = (
            self.m_role,
            self.mo_id,
            self.mo_slug,
            self.mo_name,
            self.mo_scope,
            self.mo_require_mfa,
            self.mo_created_at,
        ) else {
            return Ok(None);
        };
        Ok(Some(Membership {
            role: parse_role(&role)?,
            org: OrgRow {
                id,
                slug,
                name,
                scope,
                require_mfa: mfa,
                created_at: at,
            }
            .try_into()?,
        }))
    }
}

#[derive(sqlx::FromRow)]
struct ApiTokenRow {
    id: String,
    user_id: String,
    org_id: String,
    name: String,
    scope: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<ApiTokenRow> for ApiToken {
    type Error = StoreError;
    fn try_from(r: ApiTokenRow) -> Result<ApiToken, StoreError> {
        Ok(ApiToken {
            scope: r
                .scope
                .parse::<TokenScope>()
                .map_err(|e| invalid("token scope", &r.scope, e))?,
            id: r.id,
            user_id: r.user_id,
            org_id: r.org_id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

/// A token joined with its user: the token's columns carry a `t_` prefix so they do not
/// collide with the user's.
#[derive(sqlx::FromRow)]
struct TokenLookupRow {
    #[sqlx(flatten)]
    user: UserRow,
    t_id: String,
    t_user_id: String,
    t_org_id: String,
    t_name: String,
    t_scope: String,
    t_created_at: DateTime<Utc>,
    t_last_used_at: Option<DateTime<Utc>>,
    #[sqlx(flatten)]
    membership: MaybeMembershipRow,
}

impl Store {
    pub async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id_hash, user_id, csrf_token, mfa_passed, created_at, last_seen_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $5, $6)",
            )
            .bind(&session.id_hash)
            .bind(&session.user_id)
            .bind(&session.csrf_token)
            .bind(session.mfa_passed)
            .bind(now)
            .bind(session.expires_at)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// A session with its user and, when `org_slug` is given, the user's membership in that
    /// org: one query, because every page asks it.
    pub async fn session(
        &self,
        id_hash: &str,
        org_slug: Option<&str>,
    ) -> Result<Option<(SessionRecord, Option<Membership>)>, StoreError> {
        let row: Option<(SessionRow, MaybeMembershipRow)> = with_pool!(self, |pool| {
            let row = sqlx::query(SESSION_LOOKUP)
                .bind(id_hash)
                .bind(org_slug)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(row) => {
                    use sqlx::FromRow;
                    Ok::<_, StoreError>(Some((
                        SessionRow::from_row(&row)?,
                        MaybeMembershipRow::from_row(&row)?,
                    )))
                }
                None => Ok(None),
            }
        })?;
        let Some((s, m)) = row else { return Ok(None) };
        Ok(Some((
            SessionRecord {
                user: User::try_from(s.user)?,
                id_hash: s.id_hash,
                csrf_token: s.csrf_token,
                mfa_passed: s.mfa_passed,
                created_at: s.s_created_at,
                last_seen_at: s.last_seen_at,
                expires_at: s.expires_at,
            },
            m.into_membership()?,
        )))
    }

    /// Marks a session as active now (the idle timer restarts).
    pub async fn touch_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
                .bind(id_hash)
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Records that the session's holder passed the second factor.
    pub async fn pass_session_mfa(&self, id_hash: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE sessions SET mfa_passed = $2 WHERE id_hash = $1")
                .bind(id_hash)
                .bind(true)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(id_hash)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Removes sessions that expired before `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        // Compared in Rust: SQLite keeps times as text, whose order depends on formatting.
        let all: Vec<(String, DateTime<Utc>)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT id_hash, expires_at FROM sessions")
                .fetch_all(pool)
                .await
        })?;
        let mut removed = 0;
        for (id_hash, expires_at) in all {
            if expires_at <= now {
                self.delete_session(&id_hash).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Stores a one-time link for a user.
    pub async fn create_link(
        &self,
        token_hash: &str,
        user_id: &str,
        purpose: LinkPurpose,
        expires_at: DateTime<Utc>,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO one_time_links (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(purpose.as_str())
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The user a one-time link is for, when it exists, is unused and has not expired.
    pub async fn link_user(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        let row: Option<(String, DateTime<Utc>, Option<DateTime<Utc>>)> = with_pool!(
            self,
            |pool| {
                sqlx::query_as(
                "SELECT user_id, expires_at, used_at FROM one_time_links WHERE token_hash = $1 AND purpose = $2",
            )
            .bind(token_hash)
            .bind(purpose.as_str())
            .fetch_optional(pool)
            .await
            }
        )?;
        match row {
            Some((user_id, expires_at, None)) if expires_at > now => {
                Ok(Some(self.user_by_id(&user_id).await?))
            }
            _ => Ok(None),
        }
    }

    /// Spends a one-time link and sets the password it was issued for, atomically: a link
    /// works once, and a failed write leaves it usable.
    pub async fn set_password_with_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        password_hash: &str,
        entry: &NewAuditEntry,
    ) -> Result<User, StoreError> {
        let now = Utc::now();
        let Some(user) = self.link_user(token_hash, purpose, now).await? else {
            return Err(StoreError::NotFound);
        };
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let spent = sqlx::query(
                "UPDATE one_time_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
            )
            .bind(token_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if spent.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            set_password_tx!(tx, &user.id, password_hash)?;
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(user)
    }

    pub async fn create_api_token(
        &self,
        token: &NewApiToken,
        entry: &NewAuditEntry,
    ) -> Result<ApiToken, StoreError> {
        let id = new_id();
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO api_tokens (id, user_id, org_id, name, token_hash, scope, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(&token.user_id)
            .bind(&token.org_id)
            .bind(&token.name)
            .bind(&token.token_hash)
            .bind(token.scope.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            crate::audit::insert!(&mut *tx, Some(&token.org_id), entry, now)?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(ApiToken {
            id,
            user_id: token.user_id.clone(),
            org_id: token.org_id.clone(),
            name: token.name.clone(),
            scope: token.scope,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        })
    }

    /// A user's tokens for one org, newest first, revoked ones included.
    pub async fn api_tokens(
        &self,
        user_id: &str,
        org_id: &str,
    ) -> Result<Vec<ApiToken>, StoreError> {
        let rows: Vec<ApiTokenRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, user_id, org_id, name, scope, created_at, last_used_at, revoked_at
                 FROM api_tokens WHERE user_id = $1 AND org_id = $2",
            )
            .bind(user_id)
            .bind(org_id)
            .fetch_all(pool)
            .await
        })?;
        let mut all = rows
            .into_iter()
            .map(ApiToken::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        all.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(all)
    }

    /// Revokes one of a user's tokens; NotFound when it is not theirs or already revoked.
    pub async fn revoke_api_token(
        &self,
        user_id: &str,
        token_id: &str,
        entry: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let org_id: Option<String> = sqlx::query_scalar(
                "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING org_id",
            )
            .bind(token_id)
            .bind(user_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(org_id) = org_id else {
                return Err(StoreError::NotFound);
            };
            crate::audit::insert!(&mut *tx, Some(&org_id), entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A live token by its hash, with its user and the user's membership in the org `org_slug`
    /// names: one query per API request.
    pub async fn api_token(
        &self,
        token_hash: &str,
        org_slug: Option<&str>,
    ) -> Result<Option<(User, ApiToken, Option<Membership>)>, StoreError> {
        let row: Option<TokenLookupRow> = with_pool!(self, |pool| {
            sqlx::query_as(TOKEN_LOOKUP)
                .bind(token_hash)
                .bind(org_slug)
                .fetch_optional(pool)
                .await
        })?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((
            User::try_from(r.user)?,
            ApiToken::try_from(ApiTokenRow {
                id: r.t_id,
                user_id: r.t_user_id,
                org_id: r.t_org_id,
                name: r.t_name,
                scope: r.t_scope,
                created_at: r.t_created_at,
                last_used_at: r.t_last_used_at,
                revoked_at: None,
            })?,
            r.membership.into_membership()?,
        )))
    }

    /// Records when a token was last used.
    pub async fn touch_api_token(&self, token_id: &str) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, |pool| {
            sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                .bind(token_id)
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }
}

const SESSION_LOOKUP: &str = concat!(
    "SELECT ",
    user_columns!(),
    ", s.id_hash, s.csrf_token, s.mfa_passed, s.created_at AS s_created_at, s.last_seen_at, s.expires_at, ",
    membership_columns!(),
    " FROM sessions s JOIN users u ON u.id = s.user_id",
    membership_join!("s.user_id"),
    " WHERE s.id_hash = $1"
);

const TOKEN_LOOKUP: &str = concat!(
    "SELECT ",
    user_columns!(),
    ", t.id AS t_id, t.user_id AS t_user_id, t.org_id AS t_org_id, t.name AS t_name, t.scope AS t_scope, t.created_at AS t_created_at, t.last_used_at AS t_last_used_at, ",
    membership_columns!(),
    " FROM api_tokens t JOIN users u ON u.id = t.user_id",
    membership_join!("t.user_id"),
    " WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
);
