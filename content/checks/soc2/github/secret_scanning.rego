# METADATA
# title: Secret scanning is on for every active repository
# description: >-
#   Reads the GitHub repository export and flags repositories that are not archived and report
#   secret scanning as disabled (repositories where the API does not say are left out). Keys and
#   passwords committed to code are a leading cause of breaches; the secrets control promises
#   that scanning flags them, and an auditor checks it covers every repository.
# custom:
#   controls: [INF-11]
#   severity: medium
#   evidence: [github-repos]
#   remediation: >-
#     Enable secret scanning on the listed repositories (or organization-wide for new ones), then
#     triage and revoke anything the first scan finds.
package soc2.github.secret_scanning

resources contains r.full_name if {
	some r in data.soc2.lib.repos.repositories
	r.archived != true
	r.secret_scanning != null
}

deny contains {
	"resource": r.full_name,
	"system": system,
	"message": sprintf("secret scanning is disabled on %s (%s)", [r.full_name, r.visibility]),
} if {
	some [system, r] in data.soc2.lib.repos.active_repositories
	r.secret_scanning == false
}
