//! github-repos: `GET /orgs/{org}/repos` as JSON, one full repository object per item.

use serde::Serialize;
use serde_json::Value;

use crate::error::At;
use crate::kinds::github_json::{Item, items};
use crate::kinds::{Collected, Input};
use crate::values::{Timestamp, parse_rfc3339};
use crate::{CollectError, Kind};

const KIND: Kind = Kind::GithubRepos;

#[derive(Debug, Serialize)]
struct Repositories {
    repositories: Vec<Repository>,
}

#[derive(Debug, Serialize)]
struct Repository {
    name: String,
    full_name: String,
    visibility: Option<String>,
    private: bool,
    archived: bool,
    disabled: Option<bool>,
    fork: bool,
    default_branch: Option<String>,
    pushed_at: Option<Timestamp>,
    created_at: Option<Timestamp>,
    secret_scanning: Option<bool>,
    secret_scanning_push_protection: Option<bool>,
    dependabot_security_updates: Option<bool>,
    advanced_security: Option<bool>,
    row: u64,
}

pub(crate) fn collect(input: &Input) -> Result<Collected, CollectError> {
    let listed = items(input, KIND, "repositories", false)?;
    let mut repositories = Vec::with_capacity(listed.len());
    let mut seen = std::collections::HashMap::with_capacity(listed.len());
    for (index, object) in listed.iter().enumerate() {
        let item = Item {
            file: &input.file,
            number: index as u64 + 1,
            object,
        };
        let full_name = item.string("full_name")?.to_owned();
        if let Some(first) = seen.insert(full_name.to_lowercase(), item.number) {
            return Err(CollectError::Duplicate {
                file: input.file.clone(),
                unit: "items",
                first,
                second: item.number,
                what: "full_name",
                value: full_name,
            });
        }
        // Present only when the token may see it (org owners and security managers).
        let security = object.get("security_and_analysis");
        repositories.push(Repository {
            name: item.string("name")?.to_owned(),
            full_name,
            visibility: item.optional_string("visibility")?.map(str::to_owned),
            private: item.bool("private")?,
            archived: item.bool("archived")?,
            disabled: item.optional_bool("disabled")?,
            fork: item.bool("fork")?,
            default_branch: item.optional_string("default_branch")?.map(str::to_owned),
            pushed_at: timestamp(&item, "pushed_at")?,
            created_at: timestamp(&item, "created_at")?,
            secret_scanning: feature(&item, security, "secret_scanning")?,
            secret_scanning_push_protection: feature(
                &item,
                security,
                "secret_scanning_push_protection",
            )?,
            dependabot_security_updates: feature(&item, security, "dependabot_security_updates")?,
            advanced_security: feature(&item, security, "advanced_security")?,
            row: item.number,
        });
    }
    let records = repositories.len();
    Collected::new(&Repositories { repositories }, records)
}

fn timestamp(item: &Item<'_>, key: &str) -> Result<Option<Timestamp>, CollectError> {
    match item.optional_string(key)? {
        None => Ok(None),
        Some(value) => parse_rfc3339(value)
            .map(Some)
            .ok_or_else(|| CollectError::InvalidValue {
                file: item.file.to_owned(),
                at: At::Item(item.number),
                value: value.to_owned(),
                what: "a timestamp",
                expected: format!(
                    "\"{key}\" as an ISO 8601 timestamp such as 2024-01-31T09:15:00Z"
                ),
            }),
    }
}

/// `{"status": "enabled"}` → true, `"disabled"` → false; absent → unknown.
fn feature(
    item: &Item<'_>,
    security: Option<&Value>,
    key: &str,
) -> Result<Option<bool>, CollectError> {
    let Some(status) = security
        .and_then(|security| security.get(key))
        .and_then(|feature| feature.get("status"))
    else {
        return Ok(None);
    };
    match status.as_str() {
        Some("enabled") => Ok(Some(true)),
        Some("disabled") => Ok(Some(false)),
        _ => Err(CollectError::InvalidValue {
            file: item.file.to_owned(),
            at: At::Item(item.number),
            value: status.to_string(),
            what: "a feature status",
            expected: format!(
                "security_and_analysis.{key}.status to be \"enabled\" or \"disabled\""
            ),
        }),
    }
}
