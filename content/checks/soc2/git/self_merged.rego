# METADATA
# title: Nobody merges their own changes into the default branch outside the platform
# description: >-
#   Walks the first-parent history of each repository's default branch and flags merge commits
#   whose committer is one of the authors of the merged commits, that is, an author who merged
#   their own work locally and pushed it, rather than through the code host's merge button and
#   its approval gate. Trailers typed by the same person do not change this. Segregation of
#   duties means no one both writes and lands a production change.
# custom:
#   controls: [IAM-14, CHG-02]
#   severity: medium
#   evidence: [git-repo]
#   remediation: >-
#     Block direct pushes to the default branch for everyone, administrators included, so
#     changes land only through reviewed pull requests; review the listed merges after the fact.
package soc2.git.self_merged

# Merge commits examined.
resources := count([1 |
	some repo in data.soc2.lib.git.repositories
	some c in repo.commits
	c.merge == true
])

deny contains {
	"resource": c.sha,
	"system": repo.system,
	"message": sprintf("merge %s into %s of %s was committed by %s, who authored the merged changes%s", [
		substring(c.sha, 0, 12), repo.branch, repo.repository, c.committer_email, _trailers(c),
	]),
	"committer": c.committer_email,
	"committed_at": c.committed_at,
} if {
	some repo in data.soc2.lib.git.repositories
	some c in repo.commits
	c.merge == true
	c.committer_email in c.merged_authors
	c.committer_email != data.soc2.lib.git.web_flow
	not data.soc2.lib.git.is_bot(c.committer_email)
}

_trailers(c) := sprintf(" (its trailers name %s)", [concat(", ", c.reviewers)]) if count(c.reviewers) > 0

else := ""
