//! The one integration-test binary of attest-collect: every collector run on realistic vendor
//! exports (`tests/fixtures/`) and on broken ones written by the tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// Shared helpers: fixtures, options, and a collect that checks schema and envelope each time.
mod support;

/// aws-iam-credential-report.
mod aws;
/// google-workspace-users and okta-users.
mod directory;
/// Kinds, options, schemas and the envelope.
mod envelope;
/// git-repo on repositories the tests build with the git command.
mod git_repo;
/// github-members and github-repos.
mod github;
/// hr-roster from BambooHR, Personio, XLSX and mapped columns.
mod hr_roster;
