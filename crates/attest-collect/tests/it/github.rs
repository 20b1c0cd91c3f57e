use attest_collect::Kind;
use serde_json::{Value, json};

use crate::support::{collect_err, collect_ok, find, fixture, list, options, write};

#[test]
fn members_from_paginated_pages_without_extra_listings_have_unknown_mfa_and_admin() {
    let snapshot = collect_ok(
        Kind::GithubMembers,
        &fixture("github-members.json"),
        &options(),
    );
    assert_eq!(snapshot.system, "github");
    let accounts = list(&snapshot, "accounts");
    assert_eq!(accounts.len(), 11, "both pages, in order");
    assert_eq!(
        accounts[0],
        json!({
            "id": "mayao",
            "email": null,
            "name": null,
            "active": true,
            "status": "active",
            "admin": null,
            "mfa": null,
            "created_at": null,
            "last_activity_at": null,
            "password_changed_at": null,
            "row": 1,
            "github": {"user_id": 5101, "type": "User", "site_admin": false}
        })
    );
    assert_eq!(accounts[5]["row"], 6, "rows continue across pages");
    assert_eq!(
        find(accounts, "id", "northwind-ci[bot]")["github"]["type"],
        "Bot"
    );
}

#[test]
fn the_two_factor_and_admin_listings_set_mfa_and_admin_and_site_admin_is_not_admin() {
    let mut options = options();
    options.two_factor_disabled = Some(fixture("github-members-2fa-disabled.json"));
    options.admins = Some(fixture("github-members-admins.json"));
    let snapshot = collect_ok(
        Kind::GithubMembers,
        &fixture("github-members.json"),
        &options,
    );
    let accounts = list(&snapshot, "accounts");
    assert_eq!(mfa_admin(accounts, "mayao"), (json!(true), json!(true)));
    assert_eq!(mfa_admin(accounts, "noahs"), (json!(false), json!(false)));
    let staff = find(accounts, "id", "octo-staff");
    assert_eq!(
        (
            staff["admin"].clone(),
            staff["github"]["site_admin"].clone()
        ),
        (json!(false), json!(true))
    );
}

fn mfa_admin(accounts: &[Value], id: &str) -> (Value, Value) {
    let account = find(accounts, "id", id);
    (account["mfa"].clone(), account["admin"].clone())
}

#[test]
fn an_empty_two_factor_listing_means_everyone_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.two_factor_disabled = Some(write(dir.path(), "2fa.json", "[[]]"));
    let snapshot = collect_ok(
        Kind::GithubMembers,
        &fixture("github-members.json"),
        &options,
    );
    assert!(
        list(&snapshot, "accounts")
            .iter()
            .all(|account| account["mfa"] == true)
    );
}

#[test]
fn listings_from_another_organization_or_api_errors_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.admins = Some(write(
        dir.path(),
        "admins.json",
        r#"[{"login": "stranger", "id": 42, "type": "User", "site_admin": false}]"#,
    ));
    assert_eq!(
        collect_err(
            Kind::GithubMembers,
            &fixture("github-members.json"),
            &options
        ),
        "admins.json item 1: \"stranger\" is not a member; expected a login listed in github-members.json; export both listings from the same organization at the same time"
    );
    let path = write(
        dir.path(),
        "members.json",
        r#"{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}"#,
    );
    assert_eq!(
        collect_err(Kind::GithubMembers, &path, &crate::support::options()),
        "members.json: it is a GitHub API error response (\"Not Found\"), not a listing; check the organization name and that the token may read it, then export again"
    );
    let path = write(
        dir.path(),
        "members.json",
        "[{\"login\": \"a\",\n \"id\": 1,,}]",
    );
    let message = collect_err(Kind::GithubMembers, &path, &crate::support::options());
    assert!(
        message.starts_with("members.json: the JSON is invalid at line 2, column "),
        "{message}"
    );
    let path = write(
        dir.path(),
        "members.json",
        r#"[{"login": "a", "id": "one", "type": "User", "site_admin": false}]"#,
    );
    assert_eq!(
        collect_err(Kind::GithubMembers, &path, &crate::support::options()),
        "members.json item 1: \"id: \"one\"\" is not what GitHub returns; expected \"id\" to be a number; export the listing again with `gh api`"
    );
    let path = write(dir.path(), "members.json", "[]");
    assert_eq!(
        collect_err(Kind::GithubMembers, &path, &crate::support::options()),
        "members.json contains no members; export it again without filters that exclude everyone"
    );
}

#[test]
fn repositories_carry_visibility_state_and_security_features() {
    let snapshot = collect_ok(Kind::GithubRepos, &fixture("github-repos.json"), &options());
    let repositories = list(&snapshot, "repositories");
    assert_eq!(repositories.len(), 7);
    assert_eq!(
        repositories[0],
        json!({
            "name": "platform-api",
            "full_name": "northwind-labs/platform-api",
            "visibility": "private",
            "private": true,
            "archived": false,
            "disabled": false,
            "fork": false,
            "default_branch": "main",
            "pushed_at": "2024-05-30T17:00:00Z",
            "created_at": "2020-01-01T00:00:00Z",
            "secret_scanning": true,
            "secret_scanning_push_protection": true,
            "dependabot_security_updates": true,
            "advanced_security": true,
            "row": 1
        })
    );
    let infra = find(repositories, "name", "infra");
    assert_eq!(
        (infra["visibility"].clone(), infra["default_branch"].clone()),
        (json!("internal"), json!("trunk"))
    );
    assert_eq!(infra["secret_scanning"], false);
    assert_eq!(
        find(repositories, "name", "docs")["advanced_security"],
        Value::Null,
        "not reported for public repositories"
    );
    let fork = find(repositories, "name", "openssl-fork");
    assert_eq!(
        (fork["fork"].clone(), fork["secret_scanning"].clone()),
        (json!(true), Value::Null)
    );
    assert_eq!(
        find(repositories, "name", "legacy-billing")["archived"],
        true
    );
    let new = find(repositories, "name", "new-service");
    assert_eq!(
        (
            new["pushed_at"].clone(),
            new["visibility"].clone(),
            new["row"].clone()
        ),
        (Value::Null, Value::Null, json!(7))
    );
}

#[test]
fn members_and_repositories_given_for_each_other_are_named() {
    let message = collect_err(
        Kind::GithubRepos,
        &fixture("github-members.json"),
        &options(),
    );
    assert_eq!(
        message,
        "github-members.json is not a github-repos export: item 1 is not one of the repositories this kind reads (it looks like a github-members export; collect it as github-members)"
    );
    let message = collect_err(
        Kind::GithubMembers,
        &fixture("github-repos.json"),
        &options(),
    );
    assert!(
        message.ends_with("(it looks like a github-repos export; collect it as github-repos)"),
        "{message}"
    );
}
