# METADATA
# title: Google Workspace users are placed in organizational units
# description: >-
#   Flags active Google Workspace users who sit in the root organizational unit ("/"). Security
#   settings such as 2-step verification enforcement, password rules and app access are scoped
#   by organizational unit; users left at the root get only the defaults, so an auditor cannot
#   tell from the structure which policy applies to whom.
# custom:
#   controls: [IAM-07, IAM-02]
#   severity: low
#   evidence: [google-workspace-users]
#   remediation: >-
#     Move the listed users into the organizational unit that matches their role, so the policies
#     set for that unit apply to them.
package soc2.google.root_org_unit

resources := count([1 |
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.active == true
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s is in the root organizational unit of %s%s", [a.id, snap.system, data.soc2.lib.fmt.at_row(a)]),
	"row": object.get(a, "row", null),
} if {
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.google.org_unit == "/"
	a.active == true
}
