# METADATA
# title: Suspended Google accounts agree with the HR roster
# description: >-
#   Flags Google Workspace accounts that are suspended while the HR roster still shows their
#   person as employed. Either HR has not recorded a departure, which leaves the termination
#   list an auditor samples from incomplete, or someone's access was cut without a recorded
#   reason; both need an answer before the auditor asks.
# custom:
#   controls: [IAM-03, GOV-04]
#   severity: low
#   evidence: [google-workspace-users, hr-roster]
#   requires: [google-workspace-users, hr-roster]
#   remediation: >-
#     For each listed person, confirm with HR whether they left (then record the end date) or
#     why the account is suspended (leave, investigation), and restore or remove it accordingly.
package soc2.google.suspended_employees

resources := count([1 |
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.status == "suspended"
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s is suspended in %s but the HR roster shows %s as employed (started %s, no end date passed)%s", [
		a.id, snap.system, p.email, object.get(p, "start_date", "unknown"), data.soc2.lib.fmt.at_row(a),
	]),
	"person": p.email,
	"row": object.get(a, "row", null),
} if {
	people := data.soc2.lib.people.by_email
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.status == "suspended"
	p := people[a.email]
	data.soc2.lib.people.employed(p)
}
