use std::path::{Path, PathBuf};
use std::process::Command;

use attest_collect::{CollectError, Kind};
use chrono::NaiveDate;
use serde_json::json;

use crate::support::{collect_err, collect_ok, find, list, options};

const KIND: Kind = Kind::GitRepo;

/// A repository built commit by commit with fixed people and dates, isolated from the
/// machine's git configuration.
struct Repo {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Repo {
    fn new(name: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::create_dir(&path).unwrap();
        let repo = Repo { _dir: dir, path };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn git_as(&self, who: (&str, &str), date: &str, args: &[&str]) -> String {
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.path)
            .args([
                "-c",
                &format!("user.name={}", who.0),
                "-c",
                &format!("user.email={}", who.1),
            ])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }

    fn git(&self, args: &[&str]) -> String {
        self.git_as(ANA, "2024-01-01T00:00:00Z", args)
    }

    fn commit(&self, who: (&str, &str), date: &str, message: &str) -> String {
        self.git_as(who, date, &["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn merge(&self, who: (&str, &str), date: &str, branch: &str, message: &str) -> String {
        self.git_as(
            who,
            date,
            &["merge", "-q", "--no-ff", "--no-edit", branch, "-m", message],
        );
        self.git(&["rev-parse", "HEAD"])
    }
}

const ANA: (&str, &str) = ("Ana Lima", "Ana.Lima@Example.com");
const BO: (&str, &str) = ("Bo Chen", "bo@example.com");
const CY: (&str, &str) = ("Cy Okafor", "cy@example.com");

/// main: c1 → c2 → M1 (feature/login: f1 by Bo, f2 by Cy, reviewed) → c3 → M2 (feature/reports:
/// r1, a merge of main into the branch, r2, all by Bo).
fn history() -> (Repo, Vec<String>) {
    let repo = Repo::new("platform-api");
    let c1 = repo.commit(ANA, "2024-01-10T09:00:00Z", "Initial commit");
    repo.git(&["checkout", "-q", "-b", "feature/login"]);
    repo.commit(BO, "2024-02-01T10:00:00Z", "Add login form");
    repo.commit(CY, "2024-02-02T10:00:00Z", "Validate passwords");
    repo.git(&["checkout", "-q", "main"]);
    let c2 = repo.commit(ANA, "2024-02-03T10:00:00Z", "Fix typo in README");
    let m1 = repo.merge(
        ANA,
        "2024-02-05T16:30:00+02:00",
        "feature/login",
        "Merge pull request #12 from northwind/feature/login\n\nAdd login\n\nReviewed-by: Dana Reviewer <Dana@Example.com>\nApproved-by: Eve",
    );
    repo.git(&["checkout", "-q", "-b", "feature/reports"]);
    repo.commit(BO, "2024-03-01T10:00:00Z", "Add report page");
    repo.git(&["checkout", "-q", "main"]);
    let c3 = repo.commit(ANA, "2024-03-02T10:00:00Z", "Bump dependencies");
    repo.git(&["checkout", "-q", "feature/reports"]);
    repo.merge(
        BO,
        "2024-03-03T10:00:00Z",
        "main",
        "Merge branch 'main' into feature/reports",
    );
    repo.commit(BO, "2024-03-04T10:00:00Z", "Export reports as CSV");
    repo.git(&["checkout", "-q", "main"]);
    let m2 = repo.merge(
        ANA,
        "2024-03-05T10:00:00Z",
        "feature/reports",
        "Merge pull request #13 from northwind/feature/reports",
    );
    (repo, vec![m2, c3, m1, c2, c1])
}

#[test]
fn first_parent_history_carries_reviewers_merges_and_the_authors_they_brought_in() {
    let (repo, shas) = history();
    let snapshot = collect_ok(KIND, &repo.path, &options());
    assert_eq!(snapshot.system, "git");
    assert_eq!(snapshot.source.file, "platform-api");
    assert_eq!(
        snapshot.source.sha256, shas[0],
        "a repository is identified by its HEAD commit"
    );
    assert_eq!(
        snapshot.period_start,
        NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(),
        "366 days before now"
    );
    assert_eq!(
        snapshot.period_end,
        NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
    );
    assert_eq!(snapshot.data["branch"], "main");
    assert_eq!(snapshot.data["head"], shas[0]);

    let commits = list(&snapshot, "commits");
    let listed: Vec<&str> = commits
        .iter()
        .map(|commit| commit["sha"].as_str().unwrap())
        .collect();
    assert_eq!(listed, shas, "first-parent commits only, newest first");
    assert_eq!(snapshot.source.records, 5);

    let m1 = &commits[2];
    assert_eq!(m1["merge"], true);
    assert_eq!(m1["parents"][0], shas[3]);
    assert_eq!(m1["author_email"], "ana.lima@example.com");
    assert_eq!(
        m1["authored_at"], "2024-02-05T14:30:00Z",
        "converted to UTC"
    );
    assert_eq!(
        m1["subject"],
        "Merge pull request #12 from northwind/feature/login"
    );
    assert_eq!(m1["reviewers"], json!(["dana@example.com", "Eve"]));
    assert_eq!(
        m1["merged_authors"],
        json!(["bo@example.com", "cy@example.com"])
    );
    assert_eq!(m1["signed"], false);

    let m2 = &commits[0];
    assert_eq!(
        m2["merged_authors"],
        json!(["bo@example.com"]),
        "main's commits merged back into the branch were already on main"
    );
    assert_eq!(commits[1]["merge"], false);
    assert_eq!(commits[1]["merged_authors"], json!([]));
    assert_eq!(commits[1]["reviewers"], json!([]));
}

#[test]
fn since_narrows_the_window_without_losing_what_merges_brought_in() {
    let (repo, shas) = history();
    let mut options = options();
    options.since = NaiveDate::from_ymd_opt(2024, 1, 15);
    let snapshot = collect_ok(KIND, &repo.path, &options);
    assert_eq!(
        snapshot.period_start,
        NaiveDate::from_ymd_opt(2024, 1, 15).unwrap()
    );
    let commits = list(&snapshot, "commits");
    assert_eq!(
        commits.len(),
        4,
        "the initial commit is older than the window"
    );
    assert_eq!(
        find(commits, "sha", &shas[2])["merged_authors"],
        json!(["bo@example.com", "cy@example.com"])
    );

    options.since = NaiveDate::from_ymd_opt(2024, 6, 2);
    assert_eq!(
        collect_err(KIND, &repo.path, &options),
        "the since date 2024-06-02 is after today (2024-06-01); give a past date"
    );
}

#[test]
fn signed_commits_are_recognised_without_verifying_them() {
    if Command::new("ssh-keygen").arg("-?").output().is_err() {
        eprintln!(
            "SKIPPED signed_commits_are_recognised_without_verifying_them: ssh-keygen is not installed"
        );
        return;
    }
    let repo = Repo::new("signed");
    repo.commit(ANA, "2024-03-01T10:00:00Z", "Unsigned");
    let key = repo.path.parent().unwrap().join("signing-key");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(status.success());
    let key = key.to_str().unwrap();
    repo.git_as(
        ANA,
        "2024-03-02T10:00:00Z",
        &[
            "-c",
            "gpg.format=ssh",
            "-c",
            &format!("user.signingkey={key}"),
            "commit",
            "-q",
            "-S",
            "--allow-empty",
            "-m",
            "Signed",
        ],
    );
    let snapshot = collect_ok(KIND, &repo.path, &options());
    let commits = list(&snapshot, "commits");
    assert_eq!(commits[0]["subject"], "Signed");
    assert_eq!(
        commits[0]["signed"], true,
        "an SSH signature counts even with no allowed-signers file"
    );
    assert_eq!(commits[1]["signed"], false);
}

#[test]
fn a_clone_reads_origin_head_rather_than_the_checked_out_branch() {
    let (repo, shas) = history();
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    let status = Command::new("git")
        .args(["clone", "-q"])
        .arg(&repo.path)
        .arg(&clone)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success());
    let clone = Repo {
        _dir: dir,
        path: clone,
    };
    clone.git(&["checkout", "-q", "-b", "topic"]);
    clone.commit(CY, "2024-05-01T10:00:00Z", "Work in progress");
    let snapshot = collect_ok(KIND, &clone.path, &options());
    assert_eq!(snapshot.data["branch"], "main");
    assert_eq!(snapshot.data["head"], shas[0]);
    assert_eq!(snapshot.source.file, "clone");
}

#[test]
fn paths_that_are_not_a_repository_top_level_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let message = collect_err(KIND, dir.path(), &options());
    assert_eq!(
        message,
        format!(
            "{} is not a git repository; pass the top-level directory of a clone",
            dir.path().display()
        )
    );

    let (repo, _) = history();
    let inside = repo.path.join("docs");
    std::fs::create_dir(&inside).unwrap();
    let message = collect_err(KIND, &inside, &options());
    assert!(
        message.starts_with(&format!(
            "{} is not a git repository at its top level",
            inside.display()
        )),
        "{message}"
    );

    let empty = Repo::new("empty");
    let message = collect_err(KIND, &empty.path, &options());
    assert!(
        message.ends_with(
            "the branch main has no commits; commit something or collect another repository"
        ),
        "{message}"
    );

    let missing: &Path = "/nonexistent/repo".as_ref();
    assert_eq!(
        collect_err(KIND, missing, &options()),
        "/nonexistent/repo is not a git repository (no such directory); pass the top-level directory of a clone"
    );
}

#[test]
fn a_missing_git_names_the_fix_and_is_not_an_input_error() {
    let error = CollectError::GitMissing;
    assert!(!error.is_input_error());
    assert_eq!(
        error.to_string(),
        "the git command was not found; install git (for example `apt-get install git`) and make sure it is on PATH"
    );
}
