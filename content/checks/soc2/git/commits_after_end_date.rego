# METADATA
# title: Nobody commits after their end date
# description: >-
#   Ties commit authors and committers on each repository's default branch to the HR roster (by
#   email, or by the login in a GitHub no-reply address) and flags commits authored or committed
#   after the person's end date. A commit after leaving proves that source control access outlived
#   the employment, the exact failure the termination control exists to prevent, and it needs an
#   explanation before the auditor finds it.
# custom:
#   controls: [IAM-03]
#   severity: high
#   evidence: [git-repo, hr-roster]
#   requires: [git-repo, hr-roster]
#   remediation: >-
#     Remove the person's source control access at once, find out who made each listed commit
#     and why, and treat unexplained ones as a security incident.
package soc2.git.commits_after_end_date

# People who have left, keyed by every email their commits may carry.
_leavers := data.soc2.lib.git.commit_emails_of({email: p |
	today := data.soc2.lib.dates.today
	some email, p in data.soc2.lib.people.by_email
	end := p.end_date
	end <= today
	is_string(end)
})

resources := data.soc2.lib.git.commit_count

deny contains _violation(repo, c, p, "authored", c.authored_at) if {
	leavers := _leavers
	some repo in data.soc2.lib.git.repositories
	some c in repo.commits
	p := leavers[c.author_email]
	substring(c.authored_at, 0, 10) > p.end_date
}

deny contains _violation(repo, c, p, "committed", c.committed_at) if {
	leavers := _leavers
	some repo in data.soc2.lib.git.repositories
	some c in repo.commits
	p := leavers[c.committer_email]
	substring(c.committed_at, 0, 10) > p.end_date
}

_violation(repo, c, p, role, at) := {
	"resource": c.sha,
	"system": repo.system,
	"message": sprintf("%s on %s of %s was %s by %s on %s, after their end date of %s", [
		substring(c.sha, 0, 12), repo.branch, repo.repository, role, p.email, substring(at, 0, 10), p.end_date,
	]),
	"person": p.email,
	"end_date": p.end_date,
	"role": role,
}
