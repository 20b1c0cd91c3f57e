# METADATA
# title: Commits on the default branch are signed
# description: >-
#   Counts, for each repository, the commits on the default branch that carry no signature and
#   names their authors; one violation per repository. An unsigned commit's author and committer
#   fields are whatever the pusher typed, so only signatures (or the code host's own signed
#   merges) prove who made a change, which strengthens the change trail an auditor samples.
# custom:
#   controls: [CHG-02]
#   severity: low
#   evidence: [git-repo]
#   remediation: >-
#     Have engineers sign commits (SSH or GPG keys registered with the code host) and turn on the
#     branch rule that requires signed commits once everyone signs.
package soc2.git.unsigned_commits

resources contains repo.repository if some repo in data.soc2.lib.git.repositories

deny contains {
	"resource": repo.repository,
	"system": repo.system,
	"message": sprintf("%d of %d commits on %s of %s are unsigned, by %d author(s): %s", [
		count(unsigned), count(repo.commits), repo.branch, repo.repository, count(authors),
		data.soc2.lib.fmt.some_of(authors, 10),
	]),
	"unsigned": count(unsigned),
	"authors": authors,
} if {
	some repo in data.soc2.lib.git.repositories
	unsigned := [c.author_email | some c in repo.commits; c.signed == false]
	count(unsigned) > 0
	authors := sort({a | some a in unsigned})
}
