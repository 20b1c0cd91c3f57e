//! An org's members: inviting people, changing roles, removing members, and requiring MFA.

use attest_core::{Email, Permission, Role};
use attest_store::{LinkPurpose, Member, NewAuditEntry, NewUser, StoreError};

use super::links::IssuedLink;
use super::sessions::{Principal, member_entry, person_name};
use crate::error::AppError;
use crate::workspace::App;

/// The result of inviting someone: a link when they have no account yet (an existing account
/// is simply added to the org and signs in as before).
#[derive(Debug)]
pub struct Invitation {
    pub email: Email,
    pub role: Role,
    pub link: Option<IssuedLink>,
}

impl App {
    /// Checks that the caller holds `permission` in the org the request names, and returns the
    /// org. Every use case that acts on an org starts here.
    pub fn authorize<'p>(
        &self,
        principal: &'p Principal,
        permission: Permission,
    ) -> Result<&'p attest_store::Membership, AppError> {
        let Some(membership) = &principal.membership else {
            // Not a member: the same answer as for an org that does not exist, so that org
            // names do not leak across tenants.
            return Err(AppError::NotFound(
                "there is no such org, or you are not a member of it".into(),
            ));
        };
        if !membership.role.allows(permission) {
            return Err(AppError::Forbidden(format!(
                "your role in {} ({}) does not allow this; ask an owner or admin",
                membership.org.name, membership.role
            )));
        }
        if principal.read_only_token && permission.is_write() {
            return Err(AppError::Forbidden(
                "this API token is read-only; create a token with write scope".into(),
            ));
        }
        Ok(membership)
    }

    pub async fn members(&self, principal: &Principal) -> Result<Vec<Member>, AppError> {
        let m = self.authorize(principal, Permission::ManageMembers)?;
        Ok(self.store.members(&m.org.id).await?)
    }

    /// Adds a person to the org with a role. A person without an account gets one, with an
    /// invitation link to choose their password.
    pub async fn invite_member(
        &self,
        principal: &Principal,
        email: &Email,
        name: &str,
        role: Role,
    ) -> Result<Invitation, AppError> {
        let m = self.authorize(principal, Permission::ManageMembers)?;
        let actor = principal.actor();
        if !m.role.may_assign(role) {
            return Err(AppError::Forbidden(
                "only an owner can make someone an owner".into(),
            ));
        }
        let entry = member_entry(&actor, "member.added", email, role);
        match self.store.user_by_email(email).await {
            Ok(user) => {
                self.store
                    .add_member(&m.org.id, &user.id, role, &entry)
                    .await
                    .map_err(|e| match e {
                        StoreError::Conflict(_) => AppError::Conflict(format!(
                            "{email} is already a member of {}; change their role instead",
                            m.org.name
                        )),
                        other => other.into(),
                    })?;
                Ok(Invitation {
                    email: email.clone(),
                    role,
                    link: None,
                })
            }
            Err(StoreError::NotFound) => {
                let name = person_name(name)?;
                let user = self
                    .store
                    .create_user(
                        &NewUser {
                            email: email.clone(),
                            name: name.to_string(),
                            password_hash: None,
                        },
                        Some((&m.org.id, role)),
                        &entry,
                    )
                    .await?;
                let link = self.issue_link(&user, LinkPurpose::Invite, &actor).await?;
                Ok(Invitation {
                    email: email.clone(),
                    role,
                    link: Some(link),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Changes a member's role, or removes them with `None`. Only owners touch owners, and an
    /// org always keeps at least one owner.
    pub async fn set_member_role(
        &self,
        principal: &Principal,
        email: &Email,
        role: Option<Role>,
    ) -> Result<(), AppError> {
        let m = self.authorize(principal, Permission::ManageMembers)?;
        let members = self.store.members(&m.org.id).await?;
        let target = members
            .iter()
            .find(|x| &x.user.email == email)
            .ok_or_else(|| {
                AppError::NotFound(format!("{email} is not a member of {}", m.org.name))
            })?;
        if !m.role.may_assign(target.role) || role.is_some_and(|r| !m.role.may_assign(r)) {
            return Err(AppError::Forbidden(
                "only an owner can change or remove an owner, or make someone an owner".into(),
            ));
        }
        let entry = NewAuditEntry {
            actor: principal.actor().as_str().to_string(),
            action: if role.is_some() {
                "member.role-changed"
            } else {
                "member.removed"
            }
            .into(),
            target: Some(format!("member:{email}")),
            detail: serde_json::json!({
                "before": target.role.as_str(),
                "after": role.map(Role::as_str),
            }),
        };
        self.store
            .set_member_role(&m.org.id, &target.user.id, role, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Invalid(_) => AppError::Invalid(
                    "the org must keep at least one owner; make someone else owner first".into(),
                ),
                other => other.into(),
            })
    }

    /// Changes the org's name and whether every member must use MFA.
    pub async fn update_org_settings(
        &self,
        principal: &Principal,
        name: &str,
        require_mfa: bool,
    ) -> Result<(), AppError> {
        let m = self.authorize(principal, Permission::ManageOrg)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::Invalid(
                "the org name must be 1 to 200 characters".into(),
            ));
        }
        if require_mfa && !principal.user.mfa_enabled {
            return Err(AppError::Invalid(
                "turn on multi-factor authentication for your own account first, so you are not locked out".into(),
            ));
        }
        let entry = NewAuditEntry {
            actor: principal.actor().as_str().to_string(),
            action: "org.settings-changed".into(),
            target: Some(format!("org:{}", m.org.slug)),
            detail: serde_json::json!({
                "before": { "name": m.org.name, "require_mfa": m.org.require_mfa },
                "after": { "name": name, "require_mfa": require_mfa },
            }),
        };
        Ok(self
            .store
            .update_org_settings(&m.org.id, name, require_mfa, &entry)
            .await?)
    }
}
