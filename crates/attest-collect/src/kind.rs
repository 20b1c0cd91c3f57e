//! The snapshot kinds: their stable names, default systems, versions, help text and schemas.

use std::fmt;
use std::str::FromStr;

use crate::CollectError;

/// What an input is, and so which collector reads it and which schema its `data` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An HR roster (CSV or XLSX) from BambooHR, Gusto, Rippling, Personio, HiBob or a spreadsheet.
    HrRoster,
    /// The AWS IAM credential report CSV.
    AwsIamCredentialReport,
    /// The Google Workspace Admin console "Download users" CSV.
    GoogleWorkspaceUsers,
    /// An Okta users CSV (Okta Password Health report or a user report).
    OktaUsers,
    /// GitHub organization members as JSON from the REST API.
    GithubMembers,
    /// GitHub organization repositories as JSON from the REST API.
    GithubRepos,
    /// A local git repository, read with the `git` command.
    GitRepo,
}

impl Kind {
    /// Every kind, in the order they are documented.
    pub const ALL: [Kind; 7] = [
        Kind::HrRoster,
        Kind::AwsIamCredentialReport,
        Kind::GoogleWorkspaceUsers,
        Kind::OktaUsers,
        Kind::GithubMembers,
        Kind::GithubRepos,
        Kind::GitRepo,
    ];

    /// The stable name used on the command line, in envelopes and in schema file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::HrRoster => "hr-roster",
            Kind::AwsIamCredentialReport => "aws-iam-credential-report",
            Kind::GoogleWorkspaceUsers => "google-workspace-users",
            Kind::OktaUsers => "okta-users",
            Kind::GithubMembers => "github-members",
            Kind::GithubRepos => "github-repos",
            Kind::GitRepo => "git-repo",
        }
    }

    /// The system a snapshot belongs to when the user does not name one.
    pub fn default_system(self) -> &'static str {
        match self {
            Kind::HrRoster => "hr",
            Kind::AwsIamCredentialReport => "aws",
            Kind::GoogleWorkspaceUsers => "google-workspace",
            Kind::OktaUsers => "okta",
            Kind::GithubMembers | Kind::GithubRepos => "github",
            Kind::GitRepo => "git",
        }
    }

    /// The version of this kind's `data` shape; bumped on any incompatible change.
    pub fn version(self) -> u32 {
        1
    }

    /// One line: what input the kind takes and how to export it from the vendor.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::HrRoster => {
                "HR roster as CSV or XLSX (BambooHR, Gusto, Rippling, Personio, HiBob or any sheet with a work email column): export the people report with name, email, title, department, manager email, employment type, start and end dates and status"
            }
            Kind::AwsIamCredentialReport => {
                "AWS IAM credential report CSV: run `aws iam generate-credential-report`, then `aws iam get-credential-report --query Content --output text | base64 --decode > credential-report.csv` (or IAM console > Credential report > Download)"
            }
            Kind::GoogleWorkspaceUsers => {
                "Google Workspace users CSV: Admin console > Directory > Users > Download users, with all user info columns, as CSV"
            }
            Kind::OktaUsers => {
                "Okta users CSV: Admin Console > Reports > Okta Password Health (or any user export with Login or Username and Status columns)"
            }
            Kind::GithubMembers => {
                "GitHub org members JSON: `gh api --paginate --slurp /orgs/ORG/members > members.json`; optionally the same with `?filter=2fa_disabled` and `?role=admin` for the two-factor and admin lists"
            }
            Kind::GithubRepos => {
                "GitHub org repositories JSON: `gh api --paginate --slurp /orgs/ORG/repos > repos.json` (run as an org owner so security_and_analysis is included)"
            }
            Kind::GitRepo => {
                "a local git clone (its top-level directory): reads the first-parent history of the default branch with the git command"
            }
        }
    }

    /// The JSON Schema (draft 2020-12) of this kind's snapshot `data`.
    pub fn schema(self) -> &'static str {
        match self {
            Kind::HrRoster => include_str!("../schemas/hr-roster.v1.json"),
            Kind::AwsIamCredentialReport => {
                include_str!("../schemas/aws-iam-credential-report.v1.json")
            }
            Kind::GoogleWorkspaceUsers => include_str!("../schemas/google-workspace-users.v1.json"),
            Kind::OktaUsers => include_str!("../schemas/okta-users.v1.json"),
            Kind::GithubMembers => include_str!("../schemas/github-members.v1.json"),
            Kind::GithubRepos => include_str!("../schemas/github-repos.v1.json"),
            Kind::GitRepo => include_str!("../schemas/git-repo.v1.json"),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = CollectError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == s)
            .ok_or_else(|| CollectError::UnknownKind { name: s.to_owned() })
    }
}

/// The valid kind names, comma-separated, for error messages.
pub(crate) fn valid_kinds() -> String {
    Kind::ALL.map(Kind::name).join(", ")
}
