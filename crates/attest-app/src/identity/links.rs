//! One-time links: an invitation to choose a first password, or a password reset.

use attest_core::Email;
use attest_store::{LinkPurpose, StoreError, User};
use chrono::{Duration, Utc};

use super::account_entry;
use super::secrets::{check_new_password, random_token, secret_hash};
use super::sessions::hash_blocking;
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// A link's secret, to put in a URL (`/reset/{token}` or `/invite/{token}`), with its expiry.
#[derive(Debug, Clone)]
pub struct IssuedLink {
    pub token: String,
    pub purpose: LinkPurpose,
    pub email: Email,
    pub expires_at: chrono::DateTime<Utc>,
}

impl IssuedLink {
    /// The path of the page the link opens.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.purpose.as_str(), self.token)
    }
}

pub(crate) fn link_lifetime(purpose: LinkPurpose) -> Duration {
    match purpose {
        LinkPurpose::Reset => Duration::hours(1),
        LinkPurpose::Invite => Duration::days(7),
    }
}

impl App {
    /// Issues a link for `user`.
    pub(crate) async fn issue_link(
        &self,
        user: &User,
        purpose: LinkPurpose,
        actor: &Actor,
    ) -> Result<IssuedLink, AppError> {
        let token = random_token();
        let expires_at = Utc::now() + link_lifetime(purpose);
        self.store
            .create_link(
                &secret_hash(&token),
                &user.id,
                purpose,
                expires_at,
                &account_entry(
                    actor.as_str(),
                    &format!("user.{}-link-issued", purpose.as_str()),
                    user.email.as_str(),
                ),
            )
            .await?;
        Ok(IssuedLink {
            token,
            purpose,
            email: user.email.clone(),
            expires_at,
        })
    }

    /// A password-reset link for the account with this email, or `None` when there is none.
    /// The web form says the same thing either way, so it does not reveal who has an account.
    pub async fn password_reset_link(
        &self,
        email: &Email,
        actor: &Actor,
    ) -> Result<Option<IssuedLink>, AppError> {
        match self.store.user_by_email(email).await {
            Ok(user) => Ok(Some(
                self.issue_link(&user, LinkPurpose::Reset, actor).await?,
            )),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The account a link is for, while it is unused and unexpired.
    pub async fn link_account(&self, token: &str, purpose: LinkPurpose) -> Result<User, AppError> {
        self.store
            .link_user(&secret_hash(token), purpose, Utc::now())
            .await?
            .ok_or_else(|| expired_link(purpose))
    }

    /// Sets the password a link was issued for and spends the link. Every existing session of
    /// the account ends.
    pub async fn complete_link(
        &self,
        token: &str,
        purpose: LinkPurpose,
        password: &str,
    ) -> Result<User, AppError> {
        let user = self.link_account(token, purpose).await?;
        check_new_password(password, user.email.as_str())?;
        let hash = hash_blocking(password.to_string()).await?;
        let entry = account_entry(
            user.email.as_str(),
            "user.password-set",
            user.email.as_str(),
        );
        self.store
            .set_password_with_link(&secret_hash(token), purpose, &hash, &entry)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => expired_link(purpose),
                other => other.into(),
            })
    }
}

fn expired_link(purpose: LinkPurpose) -> AppError {
    match purpose {
        LinkPurpose::Reset => AppError::NotFound(
            "this reset link has expired or was already used; ask for a new one from the sign-in page".into(),
        ),
        LinkPurpose::Invite => AppError::NotFound(
            "this invitation has expired or was already used; ask an org owner or admin to invite you again".into(),
        ),
    }
}
