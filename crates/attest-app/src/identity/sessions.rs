//! First-run setup, signing in (with throttling and lockout), and server-side sessions.

use attest_core::{Email, Role, Scope};
use attest_store::{Membership, NewSession, NewUser, Org, SessionRecord, StoreError, User};
use chrono::{DateTime, Duration, Utc};

use super::account_entry;
use super::secrets::{
    check_new_password, dummy_hash, hash_password, random_token, secret_hash, verify_password,
};
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// How long sessions live and how sign-in failures are throttled.
#[derive(Debug, Clone)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
    /// Failed sign-ins in a row that lock an account.
    pub max_failures: i64,
    /// How long a locked account stays locked.
    pub lockout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
            max_failures: 5,
            lockout: Duration::minutes(15),
        }
    }
}

/// The outcome of a correct email and password.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in; no second factor is enrolled.
    Done(User),
    /// The password was right; a TOTP or recovery code is still needed.
    NeedsSecondFactor(User),
}

/// A new session: the cookie value (given to the browser once, stored only hashed) and its
/// CSRF token.
#[derive(Debug)]
pub struct StartedSession {
    pub cookie: String,
    pub csrf_token: String,
}

/// Who a request acts for, resolved from a session or an API token, with their membership in
/// the org the request names (none when they are not a member there).
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub membership: Option<Membership>,
    /// The session's CSRF token; `None` for API tokens, which browsers never send on their own.
    pub csrf_token: Option<String>,
    /// The session's hash, to end it or mark its second factor passed.
    pub session: Option<String>,
    /// The second factor was checked in this session (always true for API tokens).
    pub mfa_passed: bool,
    /// An API token with read scope: every write is refused.
    pub read_only_token: bool,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor::person(&self.user.email)
    }

    pub fn role(&self) -> Option<Role> {
        self.membership.as_ref().map(|m| m.role)
    }
}

const WRONG_CREDENTIALS: &str =
    "that email and password do not match an account; check both, or use “Forgot password”";

impl App {
    /// True until the first account exists: the server then offers its one-time setup link.
    pub async fn needs_setup(&self) -> Result<bool, AppError> {
        Ok(self.store.count_users().await? == 0)
    }

    /// Creates the first account as owner. With no org yet it creates one named `org_name`;
    /// orgs made earlier with the CLI are all given to the new owner.
    pub async fn setup_first_owner(
        &self,
        org_name: &str,
        scope: Scope,
        email: &Email,
        name: &str,
        password: &str,
    ) -> Result<(User, Org), AppError> {
        if !self.needs_setup().await? {
            return Err(AppError::Forbidden(
                "setup is already done; sign in, or ask an owner to invite you".into(),
            ));
        }
        let name = person_name(name)?;
        check_new_password(password, email.as_str())?;
        let hash = hash_blocking(password.to_string()).await?;
        let actor = Actor::person(email);
        let mut orgs = self.store.list_orgs().await?;
        if orgs.is_empty() {
            orgs.push(self.create_named_org(org_name, scope, &actor).await?);
        }
        let user = self
            .store
            .create_user(
                &NewUser {
                    email: email.clone(),
                    name: name.to_string(),
                    password_hash: Some(hash),
                },
                Some((&orgs[0].id, Role::Owner)),
                &account_entry(actor.as_str(), "user.created", email.as_str()),
            )
            .await?;
        for org in &orgs[1..] {
            self.store
                .add_member(
                    &org.id,
                    &user.id,
                    Role::Owner,
                    &member_entry(&actor, "member.added", email, Role::Owner),
                )
                .await?;
        }
        Ok((user, orgs.swap_remove(0)))
    }

    /// Checks an email and password. Five failures in a row lock the account for 15 minutes
    /// (see [`SessionPolicy`]); the error never says whether the email exists.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        policy: &SessionPolicy,
    ) -> Result<SignIn, AppError> {
        let now = Utc::now();
        let user = match Email::parse(email) {
            Ok(email) => match self.store.user_by_email(&email).await {
                Ok(user) => Some(user),
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            Err(_) => None,
        };
        let Some(user) = user else {
            verify_blocking(password.to_string(), dummy_hash().to_string()).await;
            return Err(AppError::Unauthenticated(WRONG_CREDENTIALS.into()));
        };
        let creds = self.store.credentials(&user.id).await?;
        if let Some(until) = creds.locked_until.filter(|until| *until > now) {
            return Err(locked(until, now));
        }
        let hash = creds
            .password_hash
            .clone()
            .unwrap_or_else(|| dummy_hash().to_string());
        let ok = verify_blocking(password.to_string(), hash).await && creds.password_hash.is_some();
        if !ok || user.disabled {
            let failures = creds.failed_sign_ins + 1;
            if failures >= policy.max_failures {
                let until = now + policy.lockout;
                self.store
                    .set_sign_in_failures(&user.id, 0, Some(until))
                    .await?;
                return Err(locked(until, now));
            }
            self.store
                .set_sign_in_failures(&user.id, failures, None)
                .await?;
            return Err(AppError::Unauthenticated(WRONG_CREDENTIALS.into()));
        }
        if creds.failed_sign_ins > 0 || creds.locked_until.is_some() {
            self.store.set_sign_in_failures(&user.id, 0, None).await?;
        }
        Ok(if creds.totp_enabled {
            SignIn::NeedsSecondFactor(user)
        } else {
            SignIn::Done(user)
        })
    }

    /// Starts a session for a user who proved who they are.
    pub async fn start_session(
        &self,
        user: &User,
        mfa_passed: bool,
        policy: &SessionPolicy,
    ) -> Result<StartedSession, AppError> {
        let cookie = random_token();
        let csrf_token = random_token();
        self.store
            .create_session(&NewSession {
                id_hash: secret_hash(&cookie),
                user_id: user.id.clone(),
                csrf_token: csrf_token.clone(),
                mfa_passed,
                expires_at: Utc::now() + policy.absolute,
            })
            .await?;
        Ok(StartedSession { cookie, csrf_token })
    }

    /// The live session a cookie names, with the membership in `org_slug`. An expired or idle
    /// session is ended and treated as absent.
    pub async fn session(
        &self,
        cookie: &str,
        org_slug: Option<&str>,
        policy: &SessionPolicy,
    ) -> Result<Option<Principal>, AppError> {
        let id_hash = secret_hash(cookie);
        let Some((record, membership)) = self.store.session(&id_hash, org_slug).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if !is_live(&record, now, policy) || record.user.disabled {
            self.store.delete_session(&id_hash).await?;
            return Ok(None);
        }
        // Writing on every request would serialize reads behind SQLite's writer; a minute of
        // slack on a 30-minute idle timer costs nothing.
        if now - record.last_seen_at > Duration::minutes(1) {
            self.store.touch_session(&id_hash).await?;
        }
        Ok(Some(Principal {
            user: record.user,
            membership,
            csrf_token: Some(record.csrf_token),
            session: Some(id_hash),
            mfa_passed: record.mfa_passed,
            read_only_token: false,
        }))
    }

    /// Ends a session.
    pub async fn sign_out(&self, principal: &Principal) -> Result<(), AppError> {
        if let Some(id_hash) = &principal.session {
            self.store.delete_session(id_hash).await?;
        }
        Ok(())
    }

    /// Every org the user belongs to, for the org switcher.
    pub async fn memberships(&self, user: &User) -> Result<Vec<Membership>, AppError> {
        Ok(self.store.memberships(&user.id).await?)
    }
}

fn is_live(record: &SessionRecord, now: DateTime<Utc>, policy: &SessionPolicy) -> bool {
    record.expires_at > now
        && now - record.last_seen_at < policy.idle
        && now - record.created_at < policy.absolute
}

fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    let minutes = ((until - now).num_seconds() + 59) / 60;
    AppError::TooManyAttempts(format!(
        "this account is locked after too many failed sign-ins; try again in {minutes} minute(s), or reset the password"
    ))
}

pub(crate) fn person_name(name: &str) -> Result<&str, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(AppError::Invalid(
            "the name must be 1 to 200 printable characters".into(),
        ));
    }
    Ok(name)
}

pub(crate) fn member_entry(
    actor: &Actor,
    action: &str,
    email: &Email,
    role: Role,
) -> attest_store::NewAuditEntry {
    attest_store::NewAuditEntry {
        actor: actor.as_str().to_string(),
        action: action.to_string(),
        target: Some(format!("member:{email}")),
        detail: serde_json::json!({ "role": role.as_str() }),
    }
}

/// Hashing takes tens of milliseconds of CPU: off the async workers.
pub(crate) async fn hash_blocking(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))?
}

pub(crate) async fn verify_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}
