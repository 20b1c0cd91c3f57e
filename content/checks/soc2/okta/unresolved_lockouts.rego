# METADATA
# title: Locked-out and expired Okta accounts are resolved
# description: >-
#   Flags Okta accounts that are locked out or have an expired password and show no sign-in for
#   more than settings.unresolved_lockout_days (default 14); the export has no date for the state
#   change, so the last sign-in stands in for it. An account left in that state is either access
#   nobody needs (and should be deactivated) or a person blocked from working; repeated lockouts
#   can also be password guessing that nobody looked into.
# custom:
#   controls: [IAM-04, IAM-07]
#   severity: low
#   evidence: [okta-users]
#   remediation: >-
#     Contact each person: unlock or reset the account if they still need it (checking the system
#     log for guessing attempts first), otherwise deactivate it.
package soc2.okta.unresolved_lockouts

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.unresolved_lockout_days)

_blocked := {"locked_out": "locked out", "password_expired": "stuck with an expired password"}

resources := count([1 |
	blocked := _blocked
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users"])
	some a in snap.accounts
	blocked[a.status]
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s in %s is %s and has not signed in since %s%s", [
		a.id, snap.system, state, _since(a), data.soc2.lib.fmt.at_row(a),
	]),
	"status": a.status,
	"row": object.get(a, "row", null),
} if {
	blocked := _blocked
	before := cutoff
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users"])
	some a in snap.accounts
	state := blocked[a.status]
	_stale(a, before)
}

_stale(a, before) if {
	is_string(a.last_activity_at)
	a.last_activity_at < before
}

_stale(a, _) if a.last_activity_at == null

_since(a) := sprintf("%s (%d days)", [substring(a.last_activity_at, 0, 10), data.soc2.lib.dates.days_since(a.last_activity_at)]) if {
	is_string(a.last_activity_at)
} else := "ever"
