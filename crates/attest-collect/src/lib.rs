//! Attest's collectors: they turn what a company exports from its systems (HR rosters, AWS IAM
//! credential reports, Google Workspace, Okta and GitHub user listings, git history) into
//! normalized, versioned JSON snapshots that compliance checks read.
//!
//! This crate owns:
//! - the snapshot kinds ([`Kind`]), the JSON Schema of each kind's `data` (`schemas/`), and the
//!   envelope every snapshot is stored in ([`Snapshot::to_json`], [`parse_envelope`]);
//! - reading each vendor's export format as the vendor writes it, and refusing, with one
//!   sentence naming the file, row and column, anything it cannot read exactly
//!   ([`CollectError`]). A collection yields a whole snapshot or an error, never a part.
//!
//! It must not: touch a database or the evidence vault (the caller stores the envelope), use the
//! network (users hand over files they exported; the only process it starts is the local `git`
//! command), or guess: an unknown value is `null`.
//!
//! ```no_run
//! use attest_collect::{Kind, Options, collect};
//!
//! let options = Options::new(chrono::Utc::now());
//! let snapshot = collect(Kind::OktaUsers, "users.csv".as_ref(), &options)?;
//! println!("{}", snapshot.to_json());
//! # Ok::<(), attest_collect::CollectError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod account;
mod detect;
mod error;
mod kind;
mod kinds;
mod sheet;
mod snapshot;
mod table;
mod values;
mod xlsx;

use std::path::Path;

use chrono::{Days, SubsecRound};

pub use error::{At, CollectError};
pub use kind::Kind;
pub use kinds::hr_roster::RosterPerson;
pub use sheet::{Sheet, SheetRow, read_sheet, same_header};
pub use snapshot::{
    ENVELOPE_SCHEMA, Options, Snapshot, Source, parse_envelope, parse_map_entry, validate_system,
};

use chrono::NaiveDate;
use kinds::{Collected, Input, github_members::Extras};

/// How far back git history goes when no `since` date is given.
pub const DEFAULT_GIT_HISTORY_DAYS: u64 = 366;

/// Reads the export at `path` as `kind` and returns its snapshot.
///
/// Point-in-time exports cover the collection day (`options.now`); git-repo covers `since`
/// (default: [`DEFAULT_GIT_HISTORY_DAYS`] before `now`) to `now`.
pub fn collect(kind: Kind, path: &Path, options: &Options) -> Result<Snapshot, CollectError> {
    check_options(kind, options)?;
    let system = options
        .system
        .clone()
        .unwrap_or_else(|| kind.default_system().to_owned());
    validate_system(&system)?;
    let today = options.now.date_naive();
    let from_file = |read: &dyn Fn(&Input) -> Result<Collected, CollectError>| {
        let input = Input::read(path)?;
        Ok::<_, CollectError>((read(&input)?, input.file.clone(), input.sha256(), today))
    };
    let (collected, file, sha256, period_start) = match kind {
        Kind::HrRoster => from_file(&|input| kinds::hr_roster::collect(input, &options.map))?,
        Kind::AwsIamCredentialReport => from_file(&kinds::aws_iam::collect)?,
        Kind::GoogleWorkspaceUsers => from_file(&kinds::google_workspace::collect)?,
        Kind::OktaUsers => from_file(&kinds::okta::collect)?,
        Kind::GithubMembers => from_file(&|input| {
            let extras = Extras {
                two_factor_disabled: options.two_factor_disabled.as_deref(),
                admins: options.admins.as_deref(),
            };
            kinds::github_members::collect(input, &extras)
        })?,
        Kind::GithubRepos => from_file(&kinds::github_repos::collect)?,
        Kind::GitRepo => {
            let since = git_since(options.since, today)?;
            let git = kinds::git_repo::collect(path, since)?;
            (git.collected, git.repository, git.head, since)
        }
    };
    Ok(Snapshot {
        kind,
        system,
        collected_at: options.now.trunc_subsecs(0),
        period_start,
        period_end: today,
        source: Source {
            file,
            sha256,
            records: collected.records,
        },
        data: collected.data,
    })
}

/// Reads an HR roster export (CSV or XLSX, `file` naming it in messages) for the people
/// register: the hr-roster columns and `map` overrides (`(COLUMN, FIELD)`), every row with a
/// name and a recognized employment type. The first bad cell is named by row and column.
pub fn read_roster(
    file: &str,
    bytes: Vec<u8>,
    map: &[(String, String)],
) -> Result<Vec<RosterPerson>, CollectError> {
    let input = Input {
        file: file.to_owned(),
        bytes,
    };
    kinds::hr_roster::read_people(&input, map)
}

/// The first day of git history to read.
fn git_since(since: Option<NaiveDate>, today: NaiveDate) -> Result<NaiveDate, CollectError> {
    match since {
        Some(since) if since > today => Err(CollectError::InvalidOption(format!(
            "the since date {since} is after today ({today}); give a past date"
        ))),
        Some(since) => Ok(since),
        None => Ok(today
            .checked_sub_days(Days::new(DEFAULT_GIT_HISTORY_DAYS))
            .unwrap_or(today)),
    }
}

/// Options that only some kinds read are refused elsewhere, so a typo cannot go unnoticed.
fn check_options(kind: Kind, options: &Options) -> Result<(), CollectError> {
    let given: [(&'static str, bool, Kind, &'static str); 4] = [
        ("map", !options.map.is_empty(), Kind::HrRoster, "hr-roster"),
        (
            "two-factor-disabled list",
            options.two_factor_disabled.is_some(),
            Kind::GithubMembers,
            "github-members",
        ),
        (
            "admins list",
            options.admins.is_some(),
            Kind::GithubMembers,
            "github-members",
        ),
        ("since", options.since.is_some(), Kind::GitRepo, "git-repo"),
    ];
    match given
        .into_iter()
        .find(|(_, present, applies, _)| *present && *applies != kind)
    {
        Some((option, _, _, applies_to)) => Err(CollectError::OptionNotApplicable {
            option,
            applies_to,
            kind,
        }),
        None => Ok(()),
    }
}
