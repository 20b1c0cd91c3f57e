# METADATA
# title: Every employed person has an identity provider account
# description: >-
#   Flags people the HR roster shows as employed today who have no account, in any state, in the
#   Okta or Google Workspace snapshots. Access is meant to flow from the identity provider; a
#   person missing there either works through accounts nobody provisions or deprovisions
#   centrally, or is missing from the roster's sync, and both weaken the access controls an
#   auditor relies on.
# custom:
#   controls: [IAM-02, IAM-13]
#   severity: low
#   evidence: [hr-roster, okta-users, google-workspace-users]
#   requires: [hr-roster, [okta-users, google-workspace-users]]
#   remediation: >-
#     Create identity provider accounts for the listed people (or correct their email in the
#     roster), and provision new starters from the HR system so nobody is missed.
package soc2.hr.no_identity_account

# Emails of every identity provider account, whatever its status (the lowercased id for
# accounts without an email).
_known := {a.email |
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users", "google-workspace-users"])
	some a in snap.accounts
	a.email != null
} | {lower(a.id) |
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users", "google-workspace-users"])
	some a in snap.accounts
	a.email == null
}

resources := count([1 |
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.by_email
	_employed(p, today)
])

deny contains {
	"resource": email,
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("%s is employed (started %s) but has no account in %s%s", [
		email, object.get(p, "start_date", "on an unknown date"), concat(" or ", _systems), data.soc2.lib.fmt.at_row(p),
	]),
	"row": object.get(p, "row", null),
} if {
	people := data.soc2.lib.people.by_email
	today := data.soc2.lib.dates.today
	some email in {e | some e, _ in people} - _known
	p := people[email]
	_employed(p, today)
}

_systems := sort({snap.system | some snap in data.soc2.lib.accounts.snapshots_of(["okta-users", "google-workspace-users"])})

# Started (or no start date) and not left.
_employed(p, today) if {
	not _after(p.start_date, today)
	not _on_or_before(p.end_date, today)
}

_after(day, today) if {
	is_string(day)
	day > today
}

_on_or_before(day, today) if {
	is_string(day)
	day <= today
}
