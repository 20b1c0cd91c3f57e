//! github-members: `GET /orgs/{org}/members` as JSON, with the optional `?filter=2fa_disabled`
//! and `?role=admin` listings that say who lacks two-factor authentication and who owns the
//! organization.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::account::{Account, Accounts, Details, GithubDetails, check_unique_ids};
use crate::kinds::github_json::{Item, items};
use crate::kinds::{Collected, Input};
use crate::{CollectError, Kind};

const KIND: Kind = Kind::GithubMembers;

/// The extra listings, each `None` when not given (then `mfa` or `admin` is unknown: null).
#[derive(Debug, Default)]
pub(crate) struct Extras<'p> {
    pub two_factor_disabled: Option<&'p Path>,
    pub admins: Option<&'p Path>,
}

pub(crate) fn collect(input: &Input, extras: &Extras<'_>) -> Result<Collected, CollectError> {
    let members = items(input, KIND, "members", false)?;
    let mut accounts = Vec::with_capacity(members.len());
    for (index, object) in members.iter().enumerate() {
        let item = Item {
            file: &input.file,
            number: index as u64 + 1,
            object,
        };
        accounts.push(Account {
            id: item.string("login")?.to_owned(),
            email: item
                .optional_string("email")?
                .and_then(crate::values::email),
            name: item
                .optional_string("name")?
                .and_then(crate::values::non_empty),
            // The members listing holds current members only.
            active: true,
            status: "active".to_owned(),
            admin: None,
            mfa: None,
            created_at: None,
            last_activity_at: None,
            password_changed_at: None,
            row: item.number,
            details: Details::Github(GithubDetails {
                user_id: item.u64("id")?,
                kind: item.string("type")?.to_owned(),
                site_admin: item.bool("site_admin")?,
            }),
        });
    }
    check_unique_ids(&input.file, &accounts, "items", "login")?;
    let rows: HashMap<String, usize> = accounts
        .iter()
        .enumerate()
        .map(|(index, account)| (account.id.to_lowercase(), index))
        .collect();
    if let Some(path) = extras.two_factor_disabled {
        let without = logins(path, &input.file, &rows)?;
        for (index, account) in accounts.iter_mut().enumerate() {
            account.mfa = Some(!without.contains(&index));
        }
    }
    if let Some(path) = extras.admins {
        let owners = logins(path, &input.file, &rows)?;
        for (index, account) in accounts.iter_mut().enumerate() {
            account.admin = Some(owners.contains(&index));
        }
    }
    let records = accounts.len();
    Collected::new(&Accounts { accounts }, records)
}

/// The members (as indexes into the members listing) an extra listing names; a login that is
/// not a member means the files were exported from different organizations or times.
fn logins(
    path: &Path,
    members_file: &str,
    rows: &HashMap<String, usize>,
) -> Result<HashSet<usize>, CollectError> {
    let input = Input::read(path)?;
    let listed = items(&input, KIND, "members", true)?;
    let mut found = HashSet::with_capacity(listed.len());
    for (index, object) in listed.iter().enumerate() {
        let item = Item {
            file: &input.file,
            number: index as u64 + 1,
            object,
        };
        let login = item.string("login")?;
        let Some(row) = rows.get(&login.to_lowercase()) else {
            return Err(CollectError::InvalidValue {
                file: input.file.clone(),
                at: crate::error::At::Item(item.number),
                value: login.to_owned(),
                what: "a member",
                expected: format!(
                    "a login listed in {members_file}; export both listings from the same organization at the same time"
                ),
            });
        };
        found.insert(*row);
    }
    Ok(found)
}
