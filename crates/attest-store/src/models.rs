//! What the store reads and writes. `New*` types are what a caller inserts; the others are
//! what it reads back, with stored strings already parsed into domain types.

use attest_core::{
    ControlId, ControlKind, ControlNature, ControlStatus, CriterionId, Email, Frequency, OrgSlug,
    OwnerRole, Role, Scope, TaskStatus, TokenScope,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    pub id: String,
    pub slug: OrgSlug,
    pub name: String,
    pub scope: Scope,
    /// Every member must use multi-factor authentication.
    pub require_mfa: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewOrg {
    pub slug: OrgSlug,
    pub name: String,
    pub scope: Scope,
}

/// Where an org's control came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlSource {
    /// Adopted from the shipped library at `attest init`.
    Library,
    /// Written by the org.
    Custom,
}

impl ControlSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlSource::Library => "library",
            ControlSource::Custom => "custom",
        }
    }
}

/// One of an org's controls, with its current state and its criteria mappings.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    pub id: ControlId,
    pub source: ControlSource,
    pub domain: String,
    pub title: String,
    pub statement: String,
    pub kind: ControlKind,
    pub nature: ControlNature,
    pub frequency: Frequency,
    pub owner_role: Option<OwnerRole>,
    pub owner: Option<Email>,
    pub status: ControlStatus,
    pub justification: Option<String>,
    pub notes: Option<String>,
    /// Sorted in catalog order.
    pub criteria: Vec<CriterionId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// The last day its newest evidence covers (deleted evidence aside): what its freshness
    /// is computed from.
    pub evidence_through: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewControl {
    pub id: ControlId,
    pub source: ControlSource,
    pub domain: String,
    pub title: String,
    pub statement: String,
    pub kind: ControlKind,
    pub nature: ControlNature,
    pub frequency: Frequency,
    pub owner_role: Option<OwnerRole>,
    pub owner: Option<Email>,
    pub status: ControlStatus,
    pub justification: Option<String>,
    pub notes: Option<String>,
    pub criteria: Vec<CriterionId>,
}

/// The mutable state of a control, written whole: the application layer decides what changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlState {
    pub status: ControlStatus,
    pub justification: Option<String>,
    pub owner: Option<Email>,
    pub notes: Option<String>,
}

/// A record of who did what, written in the same transaction as the change it describes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    pub actor: String,
    pub action: String,
    /// What the action touched, e.g. `control:IAM-06`.
    pub target: Option<String>,
    pub detail: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: String,
    pub org_id: Option<String>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: Value,
}

/// Licensed criterion text a user imported, kept beside our guidance.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionText {
    pub criterion: CriterionId,
    pub text: String,
    pub points_of_focus: Vec<String>,
    pub source: String,
    pub imported_at: DateTime<Utc>,
    pub imported_by: String,
}

/// An account that can sign in. Secrets are in [`Credentials`], read only when signing in.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct User {
    pub id: String,
    pub email: Email,
    pub name: String,
    /// TOTP is enrolled and confirmed.
    pub mfa_enabled: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    /// A PHC-format hash; `None` for an invited account that has not chosen a password.
    pub password_hash: Option<String>,
}

/// What signing in checks. Hashes and secrets only; never logged.
#[derive(Clone, PartialEq)]
pub struct Credentials {
    pub password_hash: Option<String>,
    /// Base32 TOTP secret, pending until `totp_enabled` is true.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub failed_sign_ins: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "totp_secret",
                &self.totp_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("totp_enabled", &self.totp_enabled)
            .field("failed_sign_ins", &self.failed_sign_ins)
            .field("locked_until", &self.locked_until)
            .finish()
    }
}

/// A user's role in one org.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub org: Org,
    pub role: Role,
}

/// A member of an org as the members page lists them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Member {
    pub user: User,
    pub role: Role,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    /// SHA-256 of the cookie value: a stolen database does not yield live sessions.
    pub id_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub mfa_passed: bool,
    pub expires_at: DateTime<Utc>,
}

/// A signed-in session with its user, and the membership in the org the request names.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id_hash: String,
    pub user: User,
    pub csrf_token: String,
    pub mfa_passed: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Why a one-time link was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// A new member chooses their first password.
    Invite,
    /// A member who forgot their password chooses a new one.
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub org_id: String,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewApiToken {
    pub user_id: String,
    pub org_id: String,
    pub name: String,
    pub token_hash: String,
    pub scope: TokenScope,
}

/// A remediation task.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Task {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub control: Option<ControlId>,
    pub criterion: Option<CriterionId>,
    pub owner: Option<Email>,
    pub due_on: Option<NaiveDate>,
    pub status: TaskStatus,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// A task's fields as a caller writes them, whole.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFields {
    pub title: String,
    pub detail: String,
    pub control: Option<ControlId>,
    pub criterion: Option<CriterionId>,
    pub owner: Option<Email>,
    pub due_on: Option<NaiveDate>,
    pub status: TaskStatus,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comment {
    pub id: String,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}
