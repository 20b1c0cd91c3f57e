# METADATA
# title: Dependabot security updates are on for every active repository
# description: >-
#   Reads the GitHub repository export and flags repositories that are not archived and report
#   Dependabot security updates as disabled. Vulnerable third-party packages are the most common
#   finding in application code; automatic fix pull requests are how the dependency scanning
#   control turns alerts into patches, and an auditor checks it covers every repository.
# custom:
#   controls: [VUL-04]
#   severity: medium
#   evidence: [github-repos]
#   remediation: >-
#     Enable Dependabot alerts and security updates on the listed repositories (or organization
#     wide), and route the resulting pull requests to the owning team.
package soc2.github.dependabot_security_updates

resources contains r.full_name if {
	some r in data.soc2.lib.repos.repositories
	r.archived != true
	r.dependabot_security_updates != null
}

deny contains {
	"resource": r.full_name,
	"system": system,
	"message": sprintf("Dependabot security updates are disabled on %s", [r.full_name]),
} if {
	some [system, r] in data.soc2.lib.repos.active_repositories
	r.dependabot_security_updates == false
}
