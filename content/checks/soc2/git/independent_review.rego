# METADATA
# title: Every change on the default branch was reviewed by someone other than its author
# description: >-
#   Walks the first-parent history of each repository's default branch and flags changes with no
#   independent review: a Reviewed-by or Approved-by trailer naming someone other than the
#   author (for a merge, other than every merged author), or a merge performed by a person who
#   authored none of the merged commits. Bots and GitHub's web flow do not count as reviewers.
#   Peer approval before merge is the heart of change management, and the auditor samples these
#   changes one by one.
# custom:
#   controls: [CHG-02]
#   severity: high
#   evidence: [git-repo]
#   remediation: >-
#     Protect the default branch so merges need an approval from someone other than the author
#     (administrators included), and have each listed change reviewed after the fact and recorded.
package soc2.git.independent_review

resources := data.soc2.lib.git.commit_count

# 200,000 commits are expected, so the common path avoids function calls: a merge is examined
# further only when a cheap test says it may be a self-merge or a bot merge.

# A change (not a merge) with no review trailer at all.
deny contains _violation(repo, c) if {
	some repo in data.soc2.lib.git.repositories
	some c in repo.commits
	c.merge == false
	count(c.reviewers) == 0
}

# A change (not a merge) whose trailers name nobody but its author or bots; only changes where
# a cheap test casts doubt on the first reviewer are examined further.
deny contains _violation(repo, c) if {
	some repo in data.soc2.lib.git.repositories
	some c in repo.commits
	c.merge == false
	first := lower(c.reviewers[0])
	true in [
		count(c.reviewers) > 1,
		first == c.author_email,
		first == lower(c.author_name),
		contains(first, "bot"),
		endswith(first, "noreply@github.com"),
	]
	not _reviewed(c.reviewers, {c.author_email, lower(c.author_name)})
}

# A merge performed by one of the merged authors or by a bot, with no other reviewer.
deny contains _violation(repo, c) if {
	some repo in data.soc2.lib.git.repositories
	some c in repo.commits
	c.merge == true
	true in [
		c.author_email in c.merged_authors,
		c.committer_email in c.merged_authors,
		contains(c.author_email, "bot"),
		contains(c.committer_email, "bot"),
		count(c.merged_authors) == 0,
	]
	not _merged_by_other(c)
	not _reviewed(c.reviewers, _authors(c))
}

_violation(repo, c) := {
	"resource": c.sha,
	"system": repo.system,
	"message": sprintf("%s \"%s\" by %s on %s of %s has no review by anyone other than its author", [
		substring(c.sha, 0, 12), c.subject, c.author_email, repo.branch, repo.repository,
	]),
	"author": c.author_email,
	"committed_at": c.committed_at,
}

# Whether a reviewer other than the authors, and not a bot, is named.
_reviewed(reviewers, authors) if {
	some r in reviewers
	name := lower(r)
	not authors[name]
	not _bot(name)
}

# Whether the person who performed a merge authored none of the merged commits and is not a
# bot. GitHub's web flow commits merges made in its interface and records the person who merged
# as the merge commit's author; otherwise the committer performed the merge.
_merged_by_other(c) if {
	c.committer_email == "noreply@github.com"
	not _authors(c)[c.author_email]
	not _bot(c.author_email)
}

_merged_by_other(c) if {
	c.committer_email != "noreply@github.com"
	not _authors(c)[c.committer_email]
	not _bot(c.committer_email)
}

# The authors of the merged commits (the merge's own author when the list is empty).
_authors(c) := {a | some a in c.merged_authors} if count(c.merged_authors) > 0

else := {c.author_email}

# Automation: "[bot]" accounts, names with a separate word "bot", Dependabot and GitHub's web
# flow. The cheap substring test keeps the pattern off the common path.
_bot(who) if {
	contains(who, "bot")
	regex.match(`(\[bot\]|(^|[^a-z])bot([^a-z]|$)|dependabot)`, lower(who))
}

_bot(who) if endswith(who, "noreply@github.com")
