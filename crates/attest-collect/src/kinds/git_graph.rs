//! The commit graph of the window, read in one `git rev-list --header` call: parents, author
//! emails and whether each commit carries a signature, and from them the authors each
//! first-parent merge brought in.
//!
//! Signatures come from the commit's `gpgsig` header rather than `%G?`: `%G?` runs gpg or
//! ssh-keygen once per signed commit (minutes on large histories) and reports SSH-signed
//! commits as unsigned wherever `gpg.ssh.allowedSignersFile` is not configured.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use crate::CollectError;
use crate::kinds::git_repo::Git;

/// Commits reachable from the tip but not from the boundary, in the order git lists them.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    index: HashMap<String, usize>,
    parents: Vec<Vec<String>>,
    authors: Vec<String>,
    signed: Vec<bool>,
}

impl Graph {
    /// Runs `git rev-list --header TIP ^BOUNDARY` and reads its output as it streams.
    pub(crate) fn read(
        git: &Git<'_>,
        tip: &str,
        boundary: Option<&str>,
    ) -> Result<Graph, CollectError> {
        let exclude = boundary.map(|boundary| format!("^{boundary}"));
        let mut args = vec!["rev-list", "--header", tip];
        args.extend(exclude.as_deref());
        args.push("--");
        let mut child = git
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| git.spawn_error(error))?;
        // Drain stderr on its own thread so a chatty git cannot block on a full pipe.
        let stderr = child.stderr.take().map(|mut stderr| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = stderr.read_to_string(&mut text);
                text
            })
        });
        let mut graph = Graph::default();
        if let Some(stdout) = child.stdout.take() {
            for record in BufReader::new(stdout).split(0) {
                let record = record.map_err(|error| {
                    git.error(&format!("could not read git rev-list output ({error})"))
                })?;
                graph.add(&record);
            }
        }
        let status = child
            .wait()
            .map_err(|error| git.error(&format!("git rev-list did not finish ({error})")))?;
        let stderr = stderr
            .and_then(|thread| thread.join().ok())
            .unwrap_or_default();
        if !status.success() {
            return Err(git.error(&format!(
                "git rev-list failed ({}); run it in the repository to see why",
                stderr.lines().next().unwrap_or("no message").trim()
            )));
        }
        Ok(graph)
    }

    /// One record: the commit id line, then raw headers up to the first blank line.
    fn add(&mut self, record: &[u8]) {
        let text = String::from_utf8_lossy(record);
        let mut lines = text.lines();
        let Some(sha) = lines.next().map(str::trim).filter(|sha| !sha.is_empty()) else {
            return;
        };
        let mut parents = Vec::new();
        let mut author = String::new();
        let mut signed = false;
        for line in lines.take_while(|line| !line.is_empty()) {
            if let Some(parent) = line.strip_prefix("parent ") {
                parents.push(parent.trim().to_owned());
            } else if let Some(ident) = line.strip_prefix("author ") {
                author = ident_email(ident);
            } else if line.starts_with("gpgsig ") || line.starts_with("gpgsig-sha256 ") {
                signed = true;
            }
        }
        self.index.insert(sha.to_owned(), self.parents.len());
        self.parents.push(parents);
        self.authors.push(author);
        self.signed.push(signed);
    }

    /// Whether the commit carries a signature (gpg, ssh or x509), verified or not.
    pub(crate) fn is_signed(&self, sha: &str) -> bool {
        self.index
            .get(sha)
            .is_some_and(|&commit| self.signed[commit])
    }

    /// For each merge on the first-parent chain from `head`: the sorted, distinct author
    /// emails of the commits it brought in (reachable from it, not from its first parent).
    ///
    /// Walks the chain oldest first, keeping `seen` = everything reachable from the current
    /// chain commit; a merge's new commits are then exactly those its other parents reach that
    /// are not yet seen. Commits outside the graph are reachable from the boundary, hence from
    /// every chain commit. Each commit is visited once: linear in the graph's size.
    pub(crate) fn merged_authors(&self, head: &str) -> HashMap<String, Vec<String>> {
        let mut chain = Vec::new();
        let mut next = self.index.get(head).copied();
        while let Some(commit) = next {
            chain.push(commit);
            next = self.parents[commit]
                .first()
                .and_then(|parent| self.index.get(parent).copied());
        }
        let by_sha: Vec<&str> = {
            let mut shas = vec![""; self.parents.len()];
            for (sha, &commit) in &self.index {
                shas[commit] = sha;
            }
            shas
        };
        let mut seen = vec![false; self.parents.len()];
        let mut merged = HashMap::new();
        let mut stack = Vec::new();
        for &commit in chain.iter().rev() {
            seen[commit] = true;
            if self.parents[commit].len() < 2 {
                continue;
            }
            let mut authors: Vec<String> = Vec::new();
            stack.extend(
                self.parents[commit][1..]
                    .iter()
                    .filter_map(|parent| self.index.get(parent).copied()),
            );
            while let Some(ancestor) = stack.pop() {
                if std::mem::replace(&mut seen[ancestor], true) {
                    continue;
                }
                authors.push(self.authors[ancestor].clone());
                stack.extend(
                    self.parents[ancestor]
                        .iter()
                        .filter_map(|parent| self.index.get(parent).copied()),
                );
            }
            authors.sort();
            authors.dedup();
            merged.insert(by_sha[commit].to_owned(), authors);
        }
        merged
    }
}

/// `Name <Email> 1700000000 +0100` → `email`.
fn ident_email(ident: &str) -> String {
    match (ident.rfind('<'), ident.rfind('>')) {
        (Some(start), Some(end)) if start < end => ident[start + 1..end].trim().to_lowercase(),
        _ => String::new(),
    }
}
