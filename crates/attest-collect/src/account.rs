//! The account shape shared by every identity kind (AWS IAM, Google Workspace, Okta, GitHub), so
//! that one check ("every active account has MFA") works across systems.

use std::collections::HashMap;

use serde::Serialize;

use crate::CollectError;
use crate::values::Timestamp;

/// One account. Unknown values are `None` (JSON `null`), never guessed.
#[derive(Debug, Serialize)]
pub(crate) struct Account {
    /// The system's own unique id: IAM user name, Google email, Okta login, GitHub login.
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub active: bool,
    pub status: String,
    pub admin: Option<bool>,
    pub mfa: Option<bool>,
    pub created_at: Option<Timestamp>,
    pub last_activity_at: Option<Timestamp>,
    pub password_changed_at: Option<Timestamp>,
    /// Row in the file (header = 1) or 1-based item in a JSON listing.
    pub row: u64,
    /// Serialized as one key named after the system: `"aws": {…}`.
    #[serde(flatten)]
    pub details: Details,
}

/// The system-specific part of an account.
#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Details {
    Aws(AwsDetails),
    Google(GoogleDetails),
    Okta(OktaDetails),
    Github(GithubDetails),
}

/// IAM credential details.
#[derive(Debug, Serialize)]
pub(crate) struct AwsDetails {
    pub arn: String,
    pub root: bool,
    /// `None` where the report says `not_supported` (the root user).
    pub password_enabled: Option<bool>,
    pub password_last_used_at: Option<Timestamp>,
    pub password_next_rotation_at: Option<Timestamp>,
    pub access_keys: Vec<AccessKey>,
    pub signing_certificates: Vec<SigningCertificate>,
}

/// An access key slot that holds a key (active or not).
#[derive(Debug, Serialize)]
pub(crate) struct AccessKey {
    pub slot: u8,
    pub active: bool,
    pub last_rotated: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub last_used_region: Option<String>,
    pub last_used_service: Option<String>,
}

/// A signing certificate slot that holds a certificate.
#[derive(Debug, Serialize)]
pub(crate) struct SigningCertificate {
    pub slot: u8,
    pub active: bool,
    pub last_rotated: Option<Timestamp>,
}

/// Google Workspace details.
#[derive(Debug, Serialize)]
pub(crate) struct GoogleDetails {
    pub org_unit: Option<String>,
    pub two_step_enforced: Option<bool>,
    pub suspended: bool,
    pub archived: bool,
    pub advanced_protection: Option<bool>,
}

/// Okta details.
#[derive(Debug, Serialize)]
pub(crate) struct OktaDetails {
    /// The status exactly as the export wrote it.
    pub status_raw: String,
    pub user_id: Option<String>,
    pub activated_at: Option<Timestamp>,
    pub authentication_source: Option<String>,
}

/// GitHub details.
#[derive(Debug, Serialize)]
pub(crate) struct GithubDetails {
    pub user_id: u64,
    /// `User` or `Bot`.
    #[serde(rename = "type")]
    pub kind: String,
    /// GitHub staff flag; says nothing about the organization.
    pub site_admin: bool,
}

/// The `data` of an identity snapshot.
#[derive(Debug, Serialize)]
pub(crate) struct Accounts {
    pub accounts: Vec<Account>,
}

/// Errors when two accounts share an id (ids are compared case-insensitively, as every one of
/// these systems does).
pub(crate) fn check_unique_ids(
    file: &str,
    accounts: &[Account],
    unit: &'static str,
    what: &'static str,
) -> Result<(), CollectError> {
    let mut seen: HashMap<String, u64> = HashMap::with_capacity(accounts.len());
    for account in accounts {
        if let Some(first) = seen.insert(account.id.to_lowercase(), account.row) {
            return Err(CollectError::Duplicate {
                file: file.to_owned(),
                unit,
                first,
                second: account.row,
                what,
                value: account.id.clone(),
            });
        }
    }
    Ok(())
}
