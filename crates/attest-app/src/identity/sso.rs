//! Signing in with an OpenID Connect provider. The web layer runs the protocol and verifies the
//! ID token; this decides which account, if any, the verified identity is.

use attest_core::Email;
use attest_store::{StoreError, User};

use super::account_entry;
use super::sessions::SignIn;
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// What a provider asserted in a verified ID token.
#[derive(Debug, Clone)]
pub struct SsoIdentity {
    /// The provider's issuer URL, exactly as in the token.
    pub issuer: String,
    /// The provider's stable identifier for the person.
    pub subject: String,
    pub email: Option<String>,
    /// The provider vouches that the person controls `email`.
    pub email_verified: bool,
}

impl App {
    /// The account a verified identity signs in as. An identity seen before signs in as the
    /// account it was linked to. Otherwise a verified email that matches an account links the
    /// two (recorded in the audit log); Attest never creates accounts from SSO, so a provider
    /// cannot grant access to an org: an owner or admin invites people first.
    pub async fn sso_sign_in(&self, identity: &SsoIdentity) -> Result<SignIn, AppError> {
        let user = match self
            .store
            .sso_user(&identity.issuer, &identity.subject)
            .await?
        {
            Some(user) => user,
            None => self.link_by_email(identity).await?,
        };
        if user.disabled {
            return Err(disabled(&user));
        }
        let creds = self.store.credentials(&user.id).await?;
        Ok(if creds.totp_enabled {
            SignIn::NeedsSecondFactor(user)
        } else {
            SignIn::Done(user)
        })
    }

    async fn link_by_email(&self, identity: &SsoIdentity) -> Result<User, AppError> {
        let Some(raw) = identity.email.as_deref().filter(|e| !e.trim().is_empty()) else {
            return Err(AppError::Forbidden(
                "the identity provider sent no email address, so Attest cannot tell which account this is; \
                 make sure the Attest client at the provider is allowed the `email` scope and releases the email claim"
                    .into(),
            ));
        };
        if !identity.email_verified {
            return Err(AppError::Forbidden(format!(
                "the identity provider did not confirm that {raw} is verified (its email_verified claim is missing or false), \
                 so Attest will not match it to an account; verify the address at the provider, or ask its administrator \
                 to release the email_verified claim"
            )));
        }
        let no_account = || {
            AppError::Forbidden(format!(
                "there is no Attest account for {raw}; ask an owner or admin of your org to invite {raw} \
                 (Settings → Members), then sign in with single sign-on again"
            ))
        };
        let email = Email::parse(raw).map_err(|_| no_account())?;
        let user = match self.store.user_by_email(&email).await {
            Ok(user) => user,
            Err(StoreError::NotFound) => return Err(no_account()),
            Err(e) => return Err(e.into()),
        };
        if user.disabled {
            return Err(disabled(&user));
        }
        // One identity per provider and account: if the provider hands this address to
        // someone else (a reused alias, a rehire), the newcomer must not inherit the account.
        if self
            .store
            .has_sso_identity(&user.id, &identity.issuer)
            .await?
        {
            return Err(AppError::Forbidden(format!(
                "the Attest account {email} is already linked to another identity at this provider, so this one is refused; \
                 if the address really changed hands, an administrator of the server can remove the old link with \
                 `attest user sso-unlink {email}`"
            )));
        }
        let mut entry = account_entry(email.as_str(), "user.sso-linked", email.as_str());
        entry.detail =
            serde_json::json!({ "issuer": identity.issuer, "subject": identity.subject });
        self.store
            .link_sso_identity(&identity.issuer, &identity.subject, &user, &entry)
            .await?;
        Ok(user)
    }

    /// Removes the account's links to provider identities; its next single sign-on links
    /// again by verified email. Returns how many links there were.
    pub async fn unlink_sso(&self, email: &Email, actor: &Actor) -> Result<u64, AppError> {
        let user = self.user_for_admin(email).await?;
        let entry = account_entry(actor.as_str(), "user.sso-unlinked", email.as_str());
        Ok(self.store.unlink_sso_identities(&user.id, &entry).await?)
    }
}

fn disabled(user: &User) -> AppError {
    AppError::Forbidden(format!(
        "the Attest account {} is disabled; ask an owner of your org to enable it",
        user.email
    ))
}
