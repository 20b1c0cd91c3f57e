# METADATA
# title: GitHub organization owners stay within the approved number
# description: >-
#   Counts the active owners of each GitHub organization in the members export and flags
#   organizations with more than settings.max_admins (default 4). Owners can change branch
#   protection, read every repository and remove audit settings, which undoes the change controls
#   an auditor tests; each violation names the organization and its owners.
# custom:
#   controls: [IAM-08, IAM-14]
#   severity: medium
#   evidence: [github-members]
#   remediation: >-
#     Demote owners who do not administer the organization to members (use teams and repository
#     roles for their work) and keep the remaining owners on the approved list.
package soc2.github.owner_count

# Organizations whose export says who the owners are.
resources contains snap.system if {
	some snap in data.soc2.lib.accounts.github_snapshots
	count([1 | some a in snap.accounts; a.admin != null]) > 0
}

deny contains {
	"resource": snap.system,
	"system": snap.system,
	"message": sprintf("%s has %d owners, more than the %d allowed: %s", [
		snap.system, count(owners), limit, data.soc2.lib.fmt.some_of(owners, 10),
	]),
	"owners": owners,
	"limit": limit,
} if {
	limit := data.soc2.lib.settings.max_admins
	some snap in data.soc2.lib.accounts.github_snapshots
	owners := sort([a.id | some a in snap.accounts; a.admin == true; a.active == true])
	count(owners) > limit
}
