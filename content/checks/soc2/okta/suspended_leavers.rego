# METADATA
# title: Okta accounts of people who left are deactivated, not just suspended
# description: >-
#   Flags Okta accounts that are suspended although the HR roster says their person left more
#   than settings.termination_sla_days (default 1) ago. Suspension keeps the account's app
#   assignments and can be undone by any administrator; deactivation is what removes access
#   downstream, which is the step the offboarding evidence has to show.
# custom:
#   controls: [IAM-03]
#   severity: medium
#   evidence: [okta-users, hr-roster]
#   requires: [okta-users, hr-roster]
#   remediation: >-
#     Deactivate the listed Okta accounts so provisioning removes their app access, and make
#     deactivation (not suspension) the offboarding step.
package soc2.okta.suspended_leavers

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.termination_sla_days)

resources := count([1 |
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users"])
	some a in snap.accounts
	a.status == "suspended"
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s in %s is suspended but not deactivated although %s left on %s%s", [
		a.id, snap.system, p.email, p.end_date, data.soc2.lib.fmt.at_row(a),
	]),
	"person": p.email,
	"end_date": p.end_date,
	"row": object.get(a, "row", null),
} if {
	people := data.soc2.lib.people.by_email
	before := cutoff
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users"])
	some a in snap.accounts
	a.status == "suspended"
	p := _person(people, a)
	is_string(p.end_date)
	p.end_date < before
}

_person(people, a) := p if {
	p := people[a.email]
} else := p if {
	p := people[lower(a.id)]
}
