# METADATA
# title: Secret push protection blocks commits that contain secrets
# description: >-
#   Reads the GitHub repository export and flags repositories that are not archived, do not have
#   secret scanning switched off (that has its own check) and report push protection as disabled.
#   Scanning finds a secret after it is in the history, where it must be revoked; push protection
#   refuses the push in the first place, which is the preventive half of the secrets control.
# custom:
#   controls: [INF-11]
#   severity: low
#   evidence: [github-repos]
#   remediation: >-
#     Turn on push protection for the listed repositories (or for the organization) and decide
#     who may approve a bypass.
package soc2.github.push_protection

resources contains r.full_name if {
	some r in data.soc2.lib.repos.repositories
	r.archived != true
	r.secret_scanning != false
	r.secret_scanning_push_protection != null
}

deny contains {
	"resource": r.full_name,
	"system": system,
	"message": sprintf("secret push protection is disabled on %s", [r.full_name]),
} if {
	some [system, r] in data.soc2.lib.repos.active_repositories
	r.secret_scanning_push_protection == false
	r.secret_scanning != false
}
