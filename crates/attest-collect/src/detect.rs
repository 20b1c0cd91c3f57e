//! Telling which kind an input looks like, so that a wrong-file error can name the right kind.

use serde_json::{Map, Value};

use crate::Kind;
use crate::kinds::hr_fields;
use crate::table::Table;

/// The kind a table's headers look like, if any other than `requested`.
pub(crate) fn table_kind(table: &Table, requested: Kind) -> Option<Kind> {
    let has = |alias: &str| table.column(&[alias]).is_some();
    let guess = if has("arn") && has("mfa_active") && has("password_enabled") {
        Some(Kind::AwsIamCredentialReport)
    } else if has("Email Address [Required]") && (has("Org Unit Path") || has("2sv Enrolled")) {
        Some(Kind::GoogleWorkspaceUsers)
    } else if (has("Login") || has("Okta username") || has("Username"))
        && (has("Status") || has("Okta user status"))
        && (has("Last Login") || has("Activation date") || has("Authentication Source"))
    {
        Some(Kind::OktaUsers)
    } else if hr_fields::looks_like_roster(table) {
        Some(Kind::HrRoster)
    } else {
        None
    };
    guess.filter(|kind| *kind != requested)
}

/// The kind a GitHub JSON listing item looks like, if any other than `requested`.
pub(crate) fn github_item_kind(item: &Map<String, Value>, requested: Kind) -> Option<Kind> {
    let guess = if item.contains_key("full_name") && item.contains_key("private") {
        Some(Kind::GithubRepos)
    } else if item.contains_key("login") && item.contains_key("site_admin") {
        Some(Kind::GithubMembers)
    } else {
        None
    };
    guess.filter(|kind| *kind != requested)
}
