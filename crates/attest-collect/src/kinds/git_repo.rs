//! git-repo: the first-parent history of a local clone's default branch, read with the `git`
//! command (no shell, no network). Each commit says who wrote it, who reviewed it (trailers),
//! whether it is signed, and for merges whose commits they brought in.
//!
//! Five small git calls plus two history walks, each linear in the commits read: the
//! first-parent log of the window, and one `rev-list --header` over the commits the window
//! added, which yields both signatures and merged authors (see `git_graph.rs`).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use serde::Serialize;

use crate::CollectError;
use crate::kinds::git_graph::Graph;
use crate::kinds::{Collected, file_name};
use crate::values::{Timestamp, parse_rfc3339};

/// Fields are separated by 0x1f; records by NUL (`-z`), which no commit subject can contain.
const FORMAT: &str = "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%cn%x1f%ce%x1f%aI%x1f%cI%x1f%(trailers:key=Reviewed-by,key=Approved-by,valueonly,unfold,separator=%x1d)%x1f%s";
const FIELDS: usize = 10;

#[derive(Debug, Serialize)]
struct History {
    repository: String,
    branch: String,
    head: String,
    commits: Vec<Commit>,
}

#[derive(Debug, Serialize)]
struct Commit {
    sha: String,
    parents: Vec<String>,
    merge: bool,
    author_name: String,
    author_email: String,
    committer_name: String,
    committer_email: String,
    authored_at: Timestamp,
    committed_at: Timestamp,
    subject: String,
    signed: bool,
    reviewers: Vec<String>,
    merged_authors: Vec<String>,
}

/// What the envelope needs besides the data: the directory name and the HEAD commit id.
#[derive(Debug)]
pub(crate) struct Collection {
    pub collected: Collected,
    pub repository: String,
    pub head: String,
}

pub(crate) fn collect(path: &Path, since: NaiveDate) -> Result<Collection, CollectError> {
    let git = Git { repo: path };
    git.check_top_level()?;
    let (reference, branch) = git.default_branch()?;
    let head = git
        .stdout(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ])
        .map_err(|_| {
            git.error(&format!(
                "the branch {branch} has no commits; commit something or collect another repository"
            ))
        })?
        .trim()
        .to_owned();
    let log = git.stdout(&[
        "log",
        "--first-parent",
        "--no-color",
        "-z",
        &format!("--since={since}T00:00:00Z"),
        FORMAT,
        &reference,
        "--",
    ])?;
    let mut commits = log
        .split('\0')
        .filter(|record| !record.trim().is_empty())
        .map(|record| commit(&git, record))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(oldest) = commits.last() {
        let boundary = oldest.parents.first().cloned();
        let graph = Graph::read(&git, &head, boundary.as_deref())?;
        let mut merged = graph.merged_authors(&head);
        for commit in &mut commits {
            commit.signed = graph.is_signed(&commit.sha);
            commit.merged_authors = merged.remove(&commit.sha).unwrap_or_default();
        }
    }
    let repository =
        std::fs::canonicalize(path).map_or_else(|_| file_name(path), |path| file_name(&path));
    let records = commits.len();
    let collected = Collected::new(
        &History {
            repository: repository.clone(),
            branch,
            head: head.clone(),
            commits,
        },
        records,
    )?;
    Ok(Collection {
        collected,
        repository,
        head,
    })
}

fn commit(git: &Git<'_>, record: &str) -> Result<Commit, CollectError> {
    let fields: Vec<&str> = record
        .trim_start_matches('\n')
        .splitn(FIELDS, '\x1f')
        .collect();
    let [sha, parents, author_name, author_email, committer_name, committer_email, authored, committed, trailers, subject] =
        <[&str; FIELDS]>::try_from(fields).map_err(|_| {
            git.error("git log printed a record this collector cannot read; check the git version (2.22 or later is needed)")
        })?;
    let time = |value: &str| {
        parse_rfc3339(value).ok_or_else(|| {
            git.error(&format!(
                "git log printed the date \"{value}\" for {sha}, which is not ISO 8601"
            ))
        })
    };
    let parents: Vec<String> = parents.split_whitespace().map(str::to_owned).collect();
    let mut reviewers: Vec<String> = Vec::new();
    for reviewer in trailers.split('\x1d').filter_map(reviewer) {
        if !reviewers.contains(&reviewer) {
            reviewers.push(reviewer);
        }
    }
    Ok(Commit {
        sha: sha.to_owned(),
        merge: parents.len() > 1,
        parents,
        author_name: author_name.to_owned(),
        author_email: author_email.trim().to_lowercase(),
        committer_name: committer_name.to_owned(),
        committer_email: committer_email.trim().to_lowercase(),
        authored_at: time(authored)?,
        committed_at: time(committed)?,
        subject: subject.to_owned(),
        signed: false,
        reviewers,
        merged_authors: Vec::new(),
    })
}

/// `Name <Email>` → `email`; a bare name stays as written.
fn reviewer(value: &str) -> Option<String> {
    let value = value.trim();
    let email = value.rfind('<').and_then(|start| {
        value[start + 1..]
            .find('>')
            .map(|end| &value[start + 1..start + 1 + end])
    });
    match email {
        Some(email) if !email.trim().is_empty() => Some(email.trim().to_lowercase()),
        _ => (!value.is_empty()).then(|| value.to_owned()),
    }
}

/// Runs `git -C <repo> …` directly (never through a shell).
pub(crate) struct Git<'p> {
    pub repo: &'p Path,
}

impl Git<'_> {
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(self.repo)
            .args(["-c", "log.showSignature=false", "-c", "core.quotepath=off"])
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::null());
        command
    }

    pub(crate) fn spawn_error(&self, error: std::io::Error) -> CollectError {
        if error.kind() == std::io::ErrorKind::NotFound {
            CollectError::GitMissing
        } else {
            self.error(&format!("could not run git ({error})"))
        }
    }

    pub(crate) fn error(&self, problem: &str) -> CollectError {
        CollectError::Git {
            repo: self.repo.display().to_string(),
            problem: problem.to_owned(),
        }
    }

    fn output(&self, args: &[&str]) -> Result<Output, CollectError> {
        self.command(args)
            .output()
            .map_err(|error| self.spawn_error(error))
    }

    /// Stdout of a command that must succeed, as text.
    fn stdout(&self, args: &[&str]) -> Result<String, CollectError> {
        let output = self.output(args)?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(self.error(&format!(
                "git {} failed ({}); run it in the repository to see why",
                args.first().copied().unwrap_or_default(),
                stderr.lines().next().unwrap_or("no message").trim()
            )));
        }
        // Commits from old tools may hold bytes that are not UTF-8; keep the rest readable.
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The path must be a repository's top level (or a bare repository), not a folder inside one.
    fn check_top_level(&self) -> Result<(), CollectError> {
        let not_repo = |problem: String| CollectError::NotGitRepo {
            path: self.repo.display().to_string(),
            problem,
        };
        if !self.repo.is_dir() {
            return Err(not_repo(" (no such directory)".to_owned()));
        }
        let output = self.output(&["rev-parse", "--is-bare-repository", "--show-cdup"])?;
        if !output.status.success() {
            return Err(not_repo(String::new()));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut lines = stdout.lines();
        let bare = lines.next() == Some("true");
        match lines.next().map(str::trim) {
            Some(cdup) if !bare && !cdup.is_empty() => Err(not_repo(format!(
                " at its top level (the repository's top is {})",
                self.repo.join(cdup).display()
            ))),
            _ => Ok(()),
        }
    }

    /// `origin/HEAD`'s target when the clone has one, else the checked-out branch:
    /// (reference to log, branch name to report).
    fn default_branch(&self) -> Result<(String, String), CollectError> {
        for (reference, prefix) in [
            ("refs/remotes/origin/HEAD", "refs/remotes/origin/"),
            ("HEAD", "refs/heads/"),
        ] {
            let output = self.output(&["symbolic-ref", "--quiet", reference])?;
            if output.status.success() {
                let target = String::from_utf8_lossy(&output.stdout).trim().to_owned();
                let branch = target.strip_prefix(prefix).unwrap_or(&target).to_owned();
                return Ok((target, branch));
            }
        }
        Err(self.error("HEAD is detached and the clone has no origin/HEAD; check out the default branch (for example `git checkout main`) and collect again"))
    }
}
