# METADATA
# title: Every GitHub member belongs to a person in the HR roster
# description: >-
#   Matches each active member of the GitHub organization to the HR roster through its
#   github_login column and flags members who match nobody and are not listed in
#   settings.service_accounts. If the roster has no GitHub logins at all, that gap is reported
#   instead, since members then cannot be traced. Source control holds the production code, so
#   an auditor wants every member tied to a person who can be reviewed and offboarded.
# custom:
#   controls: [IAM-05, IAM-02]
#   severity: medium
#   evidence: [github-members, hr-roster]
#   requires: [github-members, hr-roster]
#   remediation: >-
#     Add the missing GitHub logins to the HR roster, remove members nobody can vouch for, and
#     list bot or machine users as service accounts.
package soc2.github.unmatched_members

resources := count([1 |
	some snap in data.soc2.lib.accounts.github_snapshots
	some a in snap.accounts
	a.active == true
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("GitHub member %s of %s matches no github_login in the HR roster%s", [
		a.id, snap.system, data.soc2.lib.fmt.at_row(a),
	]),
	"row": object.get(a, "row", null),
} if {
	data.soc2.lib.people.has_github_logins
	logins := data.soc2.lib.people.by_login
	services := data.soc2.lib.settings.service_accounts
	some snap in data.soc2.lib.accounts.github_snapshots
	some a in snap.accounts
	id := lower(a.id)
	not logins[id]
	a.active == true
	not services[id]
}

deny contains {
	"resource": data.soc2.lib.people.roster_system,
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("the HR roster records no GitHub logins, so the %d GitHub members cannot be matched to people", [resources]),
} if {
	not data.soc2.lib.people.has_github_logins
	resources > 0
}
