# METADATA
# title: Only approved repositories are public
# description: >-
#   Reads the GitHub repository export and flags public repositories (archived ones included)
#   whose name or full name is not listed in settings.public_repositories. Source code is
#   confidential by default under the data classification policy; a repository made public by
#   mistake can expose code, infrastructure details and secrets to anyone, and an auditor expects
#   each public one to be a deliberate, approved choice.
# custom:
#   controls: [DAT-01]
#   severity: high
#   evidence: [github-repos]
#   remediation: >-
#     Make the listed repositories private (and review what was exposed), or add them to the
#     approved public list in settings if publishing them was intended.
package soc2.github.public_repositories

resources contains r.full_name if {
	some r in data.soc2.lib.repos.repositories
}

deny contains {
	"resource": r.full_name,
	"system": system,
	"message": sprintf("%s is public but is not in the approved list of public repositories%s", [r.full_name, _archived(r)]),
} if {
	allowed := data.soc2.lib.settings.public_repositories
	some [system, r] in data.soc2.lib.repos.all_repositories
	r.visibility == "public"
	not allowed[lower(r.name)]
	not allowed[lower(r.full_name)]
}

_archived(r) := " (archived)" if r.archived == true

else := ""
