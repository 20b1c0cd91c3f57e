# METADATA
# title: Every commit author is a person in the HR roster
# description: >-
#   Collects the author emails of the commits on each repository's default branch and flags
#   those that match no one in the HR roster (by email, or by the login in a GitHub no-reply
#   address), bots and settings.service_accounts aside; one violation per email and repository.
#   Changes by people the company cannot name, or under personal addresses, break the chain from
#   a production change to an accountable, authorized person.
# custom:
#   controls: [IAM-05, CHG-02]
#   severity: medium
#   evidence: [git-repo, hr-roster]
#   requires: [git-repo, hr-roster]
#   remediation: >-
#     Identify each listed author; have people commit with their work email (or add the address
#     they use to the roster), and remove access of anyone who should not be committing.
package soc2.git.unknown_authors

# Distinct author emails, per repository.
_authors := [[repo, {c.author_email | some c in repo.commits}] | some repo in data.soc2.lib.git.repositories]

resources := sum([count(emails) | some [_, emails] in _authors])

deny contains {
	"resource": email,
	"system": repo.system,
	"message": sprintf("%d commit(s) on %s of %s were authored by %s, who matches no person in the HR roster (for example %s)", [
		count(shas), repo.branch, repo.repository, email, substring(shas[0], 0, 12),
	]),
	"commits": count(shas),
} if {
	some [repo, unknown] in _unknown
	count(unknown) > 0
	some email, shas in data.soc2.lib.group.group_by([[c.author_email, c.sha] | some c in repo.commits; unknown[c.author_email]])
}

# Per repository, the author emails that match nobody: not a roster email, not the no-reply
# address of a roster login, not a bot, not an inventoried service account.
_unknown := [[repo, unknown] |
	people := data.soc2.lib.people.by_email
	logins := data.soc2.lib.people.by_login
	services := data.soc2.lib.settings.service_accounts
	known := {e | some e, _ in people}
	some [repo, emails] in _authors
	unknown := {email |
		some email in emails - known
		not data.soc2.lib.git.person_of_email(email, people, logins)
		not data.soc2.lib.git.is_bot(email)
		not services[lower(email)]
	}
]
