//! Personal API tokens: one per script or integration, tied to one org, read or write scope,
//! stored hashed, revocable.

use attest_core::{Permission, TokenScope};
use attest_store::{ApiToken, NewApiToken, NewAuditEntry};

use super::secrets::{random_token, secret_hash};
use super::sessions::Principal;
use crate::error::AppError;
use crate::workspace::App;

/// A new token: the secret is shown once and never stored.
#[derive(Debug)]
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: String,
}

/// Every token starts with this, so secret scanners and people can tell what it is.
pub const TOKEN_PREFIX: &str = "attest_";

impl App {
    pub async fn create_api_token(
        &self,
        principal: &Principal,
        name: &str,
        scope: TokenScope,
    ) -> Result<IssuedToken, AppError> {
        let m = self.authorize(principal, Permission::UseApiTokens)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::Invalid(
                "name the token after what will use it (1 to 100 characters), e.g. \"CI pipeline\""
                    .into(),
            ));
        }
        if scope == TokenScope::Write && m.role.is_read_only() {
            return Err(AppError::Forbidden(
                "your role is read-only, so your tokens can only have read scope".into(),
            ));
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let entry = NewAuditEntry {
            actor: principal.actor().as_str().to_string(),
            action: "token.created".into(),
            target: Some(format!("user:{}", principal.user.email)),
            detail: serde_json::json!({ "name": name, "scope": scope.as_str() }),
        };
        let token = self
            .store
            .create_api_token(
                &NewApiToken {
                    user_id: principal.user.id.clone(),
                    org_id: m.org.id.clone(),
                    name: name.to_string(),
                    token_hash: secret_hash(&secret),
                    scope,
                },
                &entry,
            )
            .await?;
        Ok(IssuedToken { token, secret })
    }

    pub async fn api_tokens(&self, principal: &Principal) -> Result<Vec<ApiToken>, AppError> {
        let m = self.authorize(principal, Permission::UseApiTokens)?;
        Ok(self.store.api_tokens(&principal.user.id, &m.org.id).await?)
    }

    pub async fn revoke_api_token(&self, principal: &Principal, id: &str) -> Result<(), AppError> {
        self.authorize(principal, Permission::UseApiTokens)?;
        let entry = NewAuditEntry {
            actor: principal.actor().as_str().to_string(),
            action: "token.revoked".into(),
            target: Some(format!("user:{}", principal.user.email)),
            detail: serde_json::json!({ "id": id }),
        };
        self.store
            .revoke_api_token(&principal.user.id, id, &entry)
            .await
            .map_err(|e| match e {
                attest_store::StoreError::NotFound => {
                    AppError::NotFound("no such live token of yours".into())
                }
                other => other.into(),
            })
    }

    /// The principal an `Authorization: Bearer` token stands for in the org `org_slug`. A token
    /// works only in the org it was created for.
    pub async fn token_principal(
        &self,
        secret: &str,
        org_slug: Option<&str>,
    ) -> Result<Option<Principal>, AppError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some((user, token, membership)) =
            self.store.api_token(&secret_hash(secret), org_slug).await?
        else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        let membership = membership.filter(|m| m.org.id == token.org_id);
        let stale = token
            .last_used_at
            .is_none_or(|at| chrono::Utc::now() - at > chrono::Duration::minutes(1));
        if stale {
            self.store.touch_api_token(&token.id).await?;
        }
        Ok(Some(Principal {
            user,
            membership,
            csrf_token: None,
            session: None,
            mfa_passed: true,
            read_only_token: token.scope == TokenScope::Read,
        }))
    }
}
